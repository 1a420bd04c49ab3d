//! A region's deviations as differences: the diff of the national framework against the
//! region, each difference tied to the `avsteg` that causes it.

use super::model::{DeviationRef, Diff, Difference};
use crate::check::{DeviationKind, Ruleset, Type};

/// The differences one deviation causes (or, with `deviation: None`, none could be tied to).
#[derive(Debug)]
pub struct Attributed<'d> {
    pub deviation: Option<DeviationRef>,
    /// What the deviation changes: `ny regel`, `ersätter regel N3a`, …
    pub change: String,
    /// (decision, difference).
    pub differences: Vec<(&'d str, &'d Difference)>,
}

fn change(kind: &DeviationKind) -> String {
    match kind {
        DeviationKind::ReplaceRule(r) => format!("ersätter regel {r}"),
        DeviationKind::RemoveRule(r) => format!("stryker regel {r}"),
        DeviationKind::RemoveInvariant(t) => format!("stryker invariant \"{t}\""),
        DeviationKind::NewRule => "ny regel".to_owned(),
        DeviationKind::Redefine(n) => format!("omdefinierar {n}"),
        DeviationKind::Extend(t) => format!("utökar {t}"),
        DeviationKind::ReplaceDecision(d) => format!("ersätter beslut {d}"),
        DeviationKind::Require(f) => format!("kräver {f}"),
    }
}

/// Ties every difference of `diff` (national first, the region second) to the region's
/// deviation that causes it, in the order the region declares its deviations. A deviation
/// that changes no decision is listed with no differences; differences no deviation explains
/// come last, under `deviation: None`.
pub fn attribute<'d>(diff: &'d Diff, region: &Ruleset) -> Vec<Attributed<'d>> {
    let mut out: Vec<Attributed<'d>> = region
        .deviations
        .iter()
        .map(|d| Attributed {
            deviation: Some(DeviationRef {
                id: d.id.clone(),
                title: d.title.clone(),
                motivering: d.motivation.clone(),
                sources: d.sources.iter().map(|s| s.text.clone()).collect(),
                location: region.sources.location(d.span),
                period: d.period.as_ref().map(|p| {
                    crate::table::Period {
                        from: p.from,
                        until: p.until,
                    }
                    .to_string()
                }),
            }),
            change: change(&d.kind),
            differences: Vec::new(),
        })
        .collect();
    let mut unexplained = Vec::new();
    for decision in &diff.decisions {
        for difference in &decision.differences {
            // Every deviation of the region's deciding rules: one situation may be decided
            // by several new rules alike.
            let mut causes: Vec<usize> = difference
                .sides
                .get(1)
                .into_iter()
                .flat_map(|s| &s.rules)
                .filter_map(|r| r.deviation.as_ref())
                .filter_map(|dv| region.deviations.iter().position(|x| x.id == dv.id))
                .collect();
            causes.dedup();
            if causes.is_empty() {
                causes.extend(cause(difference, &decision.decision, region));
            }
            if causes.is_empty() {
                unexplained.push((decision.decision.as_str(), difference));
            }
            for i in causes {
                if let Some(a) = out.get_mut(i)
                    && !a
                        .differences
                        .iter()
                        .any(|(_, x)| std::ptr::eq(*x, difference))
                {
                    a.differences.push((&decision.decision, difference));
                }
            }
        }
    }
    if !unexplained.is_empty() {
        out.push(Attributed {
            deviation: None,
            change: String::new(),
            differences: unexplained,
        });
    }
    out
}

/// The deviation behind a difference: the region's deciding rule's own, a national rule the
/// region replaced or struck, a decision it replaced, a value it added, a fact it redefined.
fn cause(d: &Difference, decision: &str, region: &Ruleset) -> Option<usize> {
    // A deviation explains a difference between two rulesets: the framework and the region.
    let [old, new] = d.sides.as_slice() else {
        return None;
    };
    let by_id = |id: &str| region.deviations.iter().position(|x| x.id == id);
    if let Some(i) = new
        .rules
        .iter()
        .find_map(|r| r.deviation.as_ref().and_then(|dv| by_id(&dv.id)))
    {
        return Some(i);
    }
    let found = region.deviations.iter().position(|x| match &x.kind {
        DeviationKind::ReplaceRule(r) | DeviationKind::RemoveRule(r) => {
            old.rules.iter().any(|o| o.id == *r)
        }
        _ => false,
    });
    if found.is_some() {
        return found;
    }
    if let Some(i) = region
        .deviations
        .iter()
        .position(|x| x.kind == DeviationKind::ReplaceDecision(decision.to_owned()))
    {
        return Some(i);
    }
    for refused in [&old.refused, &new.refused].into_iter().flatten() {
        let fact = region.facts.iter().find(|f| f.name == refused.fact);
        // A fact the region requires (`kräver`) refuses requests without it.
        if let Some(dv) = fact.and_then(|f| f.required_by) {
            return Some(dv.index());
        }
        if let Some(Type::Enum(t)) = fact.map(|f| &f.ty)
            && let Some(i) = region
                .ty(*t)
                .values
                .iter()
                .filter(|v| refused.values.contains(&v.name))
                .find_map(|v| v.added_by.map(|dv| dv.index()))
        {
            return Some(i);
        }
    }
    region.deviations.iter().position(|x| match &x.kind {
        DeviationKind::Redefine(name) => d
            .conditions
            .iter()
            .any(|c| c.column == *name || c.column.starts_with(&format!("{name} ("))),
        _ => false,
    })
}
