//! The national picture: every later ruleset (a region) against the first (the national
//! framework), one exact pairwise diff each, presented together. A situation where several
//! regions make the same change is one row that names them all.
//!
//! The rows are the pairwise differences themselves, only merged: for each region a row
//! names, every request inside the row's conditions (outside its exceptions) is decided by
//! the framework and by that region as the row says, and every request the region decides
//! differently from the framework is inside a row that names it. A region a row does not
//! name says nothing about that situation (it may differ there too, under another row).
//!
//! Each pair costs what one `regel diff` costs, so the whole picture grows with the number
//! of regions, not with the product of their tables; the pairs run on every core.

use super::model::{
    Condition, DeviationRef, Diff, DiffError, Difference, FactChange, Heading, RuleRef, Side,
    TextChange,
};
use crate::table::CompiledRuleset;
use serde::Serialize;

/// The national picture of a set of rulesets: the first against each later one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overview {
    /// The first ruleset's title: the framework every region is compared with.
    #[serde(rename = "ramverk")]
    pub framework: String,
    /// The later rulesets, in the order given, each with its deviations.
    #[serde(rename = "regioner")]
    pub regions: Vec<RegionInfo>,
    #[serde(rename = "beslut")]
    pub decisions: Vec<OverviewDecision>,
    /// Texts a jurist signs that read differently in a region.
    #[serde(rename = "ändrade_texter")]
    pub texts: Vec<(Region, TextChange)>,
    /// Facts a region requires where the framework does not, or the reverse.
    #[serde(rename = "ändrade_faktakrav")]
    pub facts: Vec<FactChange>,
    /// The pairwise diffs the rows are made from, one per region.
    #[serde(skip)]
    pub pairs: Vec<Diff>,
}

/// A region as rows name it: its position among the later rulesets, and its title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    #[serde(rename = "nr")]
    pub index: usize,
    #[serde(rename = "titel")]
    pub title: String,
}

/// A region and its deviations (`avsteg`), in the order the region declares them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionInfo {
    #[serde(flatten)]
    pub region: Region,
    #[serde(rename = "avsteg")]
    pub deviations: Vec<DeviationRef>,
}

/// One region's own difference in a row: exact for the framework against that region.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionDifference {
    #[serde(flatten)]
    pub region: Region,
    #[serde(rename = "skillnad")]
    pub difference: Difference,
}

/// One decision across the regions: notes, and the rows grouped by what causes them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OverviewDecision {
    #[serde(rename = "beslut")]
    pub decision: String,
    /// Notes of the pairwise diffs (a decision some rulesets lack, a struck invariant), each
    /// once and naming its region.
    #[serde(rename = "anmärkningar", skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(rename = "grupper")]
    pub groups: Vec<Group>,
}

impl OverviewDecision {
    /// The number of rows (situations) of the decision.
    pub fn situations(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }
}

/// Rows with the same causes: the same regions, each by the same rule. The conditions every
/// row shares are said once, as a heading.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// (region, the rule that makes the difference there), in region order.
    #[serde(rename = "orsaker")]
    pub causes: Vec<(Region, RuleRef)>,
    /// What every row of the group shares, said once (nothing for a group of one row).
    #[serde(rename = "gemensamt")]
    pub shared: Heading,
    #[serde(rename = "situationer")]
    pub rows: Vec<Row>,
}

impl Group {
    /// A row's situation below the group's heading, with its own exceptions.
    pub fn rest_text(&self, row: &Row) -> String {
        let d = &row.first.difference;
        self.shared.rest_text(&d.conditions, &d.except)
    }
}

/// One situation where one or more regions decide alike and differently from the framework.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The situation's conditions, as every region's difference has them.
    #[serde(rename = "villkor")]
    pub conditions: Vec<Condition>,
    /// How the framework decides (the first region's difference says by which rules).
    #[serde(rename = "ramverket")]
    pub national: Side,
    /// How the regions named decide (the first region's rules).
    #[serde(rename = "regionerna")]
    pub regional: Side,
    /// The first region's own difference: every other region's has the same conditions,
    /// exceptions and outcomes.
    #[serde(rename = "först")]
    pub first: RegionDifference,
    /// The other regions that make the same change, in region order.
    #[serde(rename = "fler")]
    pub more: Vec<RegionDifference>,
}

impl Row {
    /// Every region of the row with its own difference, in region order.
    pub fn regions(&self) -> impl Iterator<Item = &RegionDifference> {
        std::iter::once(&self.first).chain(&self.more)
    }

    /// `visa → dölj (skäl osignerad)`: the framework's outcome, then the regions'.
    pub fn change_text(&self) -> String {
        self.first.difference.change_text()
    }
}

/// The key two differences of different regions must share to be one row: the situation,
/// and how each side decides (outcome, reasons, refusal), not by which rules.
fn key(d: &Difference) -> String {
    let side = |s: &Side| format!("{:?}|{:?}|{:?}", s.outcome, s.reasons, s.refused);
    let sides: Vec<String> = d.sides.iter().map(side).collect();
    format!("{}\u{0}{}", d.situation_text(), sides.join("\u{0}"))
}

/// The framework's side and the region's of a pairwise difference.
#[expect(
    clippy::indexing_slicing,
    reason = "a difference has one side per ruleset compared, and a pair is two rulesets"
)]
fn pair_sides(x: &Difference) -> (&Side, &Side) {
    (&x.sides[0], &x.sides[1])
}

/// The first ruleset against each later one.
pub fn overview(
    rulesets: &[&CompiledRuleset],
    decision: Option<&str>,
) -> Result<Overview, DiffError> {
    let Some((first, regions)) = rulesets.split_first() else {
        return Err(DiffError("inga regelverk att jämföra".to_owned()));
    };
    if let Some(wanted) = decision
        && !rulesets.iter().any(|r| r.table(wanted).is_some())
    {
        let mut names: Vec<&str> = Vec::new();
        for t in rulesets.iter().flat_map(|r| &r.tables) {
            if !names.contains(&t.decision.as_str()) {
                names.push(&t.decision);
            }
        }
        return Err(DiffError(format!(
            "inget av regelverken har beslutet `{wanted}`; de har: {}",
            names.join(", ")
        )));
    }
    let pairs = pairwise(first, regions, decision)?;
    let mut names: Vec<&str> = Vec::new();
    for d in pairs.iter().flat_map(|p| &p.decisions) {
        if !names.contains(&d.decision.as_str()) {
            names.push(&d.decision);
        }
    }
    let named: Vec<Region> = regions
        .iter()
        .enumerate()
        .map(|(index, r)| Region {
            index,
            title: r.ruleset.clone(),
        })
        .collect();
    let decisions = names
        .iter()
        .map(|name| merge_decision(&pairs, &named, name))
        .collect();
    let mut texts = Vec::new();
    let mut facts = Vec::new();
    let mut infos = Vec::new();
    for (pair, region) in pairs.iter().zip(&named) {
        texts.extend(pair.texts.iter().map(|t| (region.clone(), t.clone())));
        facts.extend(pair.facts.iter().cloned());
        infos.push(RegionInfo {
            region: region.clone(),
            deviations: pair.deviations.clone(),
        });
    }
    Ok(Overview {
        framework: first.ruleset.clone(),
        regions: infos,
        decisions,
        texts,
        facts,
        pairs,
    })
}

/// The diff of `first` against each region, on every core: each worker takes the next
/// region not yet taken, the largest (by table rows) first, so that two large regions do not
/// fall to one worker while the other idles.
fn pairwise(
    first: &CompiledRuleset,
    regions: &[&CompiledRuleset],
    decision: Option<&str>,
) -> Result<Vec<Diff>, DiffError> {
    let one = |r: &CompiledRuleset| {
        // A decision only other regions have is no difference of this pair.
        let wanted = decision.filter(|d| first.table(d).is_some() || r.table(d).is_some());
        match (decision, wanted) {
            (Some(_), None) => Ok(Diff {
                rulesets: vec![first.ruleset.clone(), r.ruleset.clone()],
                decisions: Vec::new(),
                deviations: Vec::new(),
                texts: Vec::new(),
                facts: Vec::new(),
            }),
            _ => super::diff_rulesets(first, r, wanted),
        }
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(regions.len());
    if workers <= 1 {
        return regions.iter().map(|r| one(r)).collect();
    }
    let rows = |r: &CompiledRuleset| r.tables.iter().map(|t| t.rows.len()).sum::<usize>();
    let mut order: Vec<(usize, &CompiledRuleset)> = regions.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, r)| std::cmp::Reverse(rows(r)));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<(usize, Result<Diff, DiffError>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (one, next, order) = (&one, &next, &order);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&(i, r)) = order.get(k) else {
                            break;
                        };
                        done.push((i, one(r)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(0, Err(DiffError("en jämförelse avbröts".to_owned())))]
                })
            })
            .collect()
    });
    let mut all: Vec<(usize, Result<Diff, DiffError>)> = results.into_iter().flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    // Every region exactly once, or the comparison failed: never a picture with a region
    // left out.
    let complete = all.len() == regions.len() && all.iter().enumerate().all(|(k, (i, _))| k == *i);
    if !complete {
        return Err(DiffError("en jämförelse avbröts".to_owned()));
    }
    all.into_iter().map(|(_, d)| d).collect()
}

/// The rows of one decision: each region's differences in turn, a difference that another
/// region already made in the same situation joined to its row; then the rows grouped by
/// their causes, in the order the groups first appear.
fn merge_decision(pairs: &[Diff], regions: &[Region], name: &str) -> OverviewDecision {
    let mut notes: Vec<String> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut keys: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (pair, region) in pairs.iter().zip(regions) {
        let Some(d) = pair.decisions.iter().find(|d| d.decision == name) else {
            continue;
        };
        for note in &d.notes {
            let note = if note.contains(&region.title) {
                note.clone()
            } else {
                format!("{}: {note}", region.title)
            };
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        for x in &d.differences {
            let k = key(x);
            if let Some(row) = keys.get(&k).and_then(|&i| rows.get_mut(i)) {
                for rule in x.sides.first().into_iter().flat_map(|s| &s.rules) {
                    if !row.national.rules.contains(rule) {
                        row.national.rules.push(rule.clone());
                    }
                }
                row.more.push(RegionDifference {
                    region: region.clone(),
                    difference: x.clone(),
                });
                continue;
            }
            let (national, regional) = pair_sides(x);
            keys.insert(k, rows.len());
            rows.push(Row {
                conditions: x.conditions.clone(),
                national: national.clone(),
                regional: regional.clone(),
                first: RegionDifference {
                    region: region.clone(),
                    difference: x.clone(),
                },
                more: Vec::new(),
            });
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for row in rows {
        let causes: Vec<(Region, RuleRef)> = row
            .regions()
            .map(|x| (x.region.clone(), x.difference.cause.clone()))
            .collect();
        let same = |g: &Group| {
            g.causes.len() == causes.len()
                && g.causes
                    .iter()
                    .zip(&causes)
                    .all(|(a, b)| a.0.index == b.0.index && a.1.id == b.1.id)
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.rows.push(row),
            None => groups.push(Group {
                causes,
                shared: Heading::default(),
                rows: vec![row],
            }),
        }
    }
    for g in &mut groups {
        let situations: Vec<(&[Condition], &[String])> = g
            .rows
            .iter()
            .map(|r| {
                let d = &r.first.difference;
                (d.conditions.as_slice(), d.except.as_slice())
            })
            .collect();
        g.shared = Heading::of(&situations);
    }
    OverviewDecision {
        decision: name.to_owned(),
        notes,
        groups,
    }
}
