//! Semantic diff: snapshots of what reviewers read, and properties every diff must have.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use regelverk::diff::{self, Diff, Difference, Locator, Placed};
use regelverk::render::diff as render;
use regelverk::table::{
    CompiledRuleset, DecisionTable, Evaluator, FactType, Request, RequestError,
};
use regelverk::time::{Date, Unit};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "../benches/growth/generate.rs"]
mod generate;

fn compiled(dir: &Path) -> CompiledRuleset {
    let pipeline = regelverk::Pipeline::load(dir).expect("katalogen läses");
    pipeline
        .compiled
        .unwrap_or_else(|| panic!("{} kompileras", dir.display()))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example decides as the difference says, under every ruleset.
fn check_examples(diff: &Diff, rulesets: &[&CompiledRuleset]) {
    for d in &diff.decisions {
        let tables: Vec<&DecisionTable> = rulesets
            .iter()
            .map(|r| r.table(&d.decision).expect("beslutet finns"))
            .collect();
        let evaluators: Vec<Evaluator> = tables
            .iter()
            .map(|t| Evaluator::new((*t).clone()).expect("tabellen går att använda"))
            .collect();
        for x in &d.differences {
            for ((side, evaluator), example) in x.sides.iter().zip(&evaluators).zip(&x.examples) {
                let decided = evaluator.decide_json(example);
                match &side.outcome {
                    None => assert!(
                        decided.is_err(),
                        "{}: {example} skulle ge fel men gav {decided:?}",
                        d.decision
                    ),
                    Some(outcome) => {
                        let got = decided
                            .unwrap_or_else(|e| panic!("{}: {example} gav fel: {e}", d.decision));
                        assert!(
                            outcome.split(" eller ").any(|o| o == got.outcome),
                            "{}: {example}: {} är inte {outcome}",
                            d.decision,
                            got.outcome
                        );
                        match got.reason {
                            _ if side.reasons.is_empty() => {}
                            Some(r) => assert!(
                                side.reasons.iter().any(|x| x == r),
                                "{}: skäl {r} saknas i {:?}",
                                d.decision,
                                side.reasons
                            ),
                            None => {
                                panic!("{}: skäl saknas, väntade {:?}", d.decision, side.reasons)
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_ruleset_against_itself_has_no_differences() {
    for dir in [
        "rules",
        "regions/vastra-gotaland",
        "regions/jamtland-harjedalen",
    ] {
        let c = compiled(&root().join(dir));
        let d = diff::diff_rulesets(&c, &c, None).expect("jämförs");
        assert!(d.is_empty(), "{dir}: {d:?}");
        assert_eq!(render::text(&d, dir, dir), "");
    }
}

#[test]
fn national_against_vgr() {
    let national = compiled(&root().join("rules"));
    let vgr = compiled(&root().join("regions/vastra-gotaland"));
    let d = diff::diff_rulesets(&national, &vgr, None).expect("jämförs");
    assert!(!d.is_empty());
    check_examples(&d, &[&national, &vgr]);
    let text = render::text(&d, "rules", "regions/vastra-gotaland");
    // Every deviation of VGR is cited once, with its motivering.
    let table = vgr.table("direktåtkomst").expect("direktåtkomst");
    for id in [
        "VGR-BUP",
        "VGR-ANS",
        "VGR-13-15a",
        "VGR-13-15b",
        "VGR-SK",
        "VGR-S2",
        "VGR-S3",
        "VGR-F",
        "VGR-U",
    ] {
        let dev = table
            .deviations
            .iter()
            .find(|x| x.id == id)
            .unwrap_or_else(|| panic!("avsteg {id}"));
        let motivering = format!("motivering: {}", dev.motivering);
        assert_eq!(text.matches(&motivering).count(), 1, "{id}");
    }
    insta::assert_snapshot!("national_vgr_text", text);
    insta::assert_snapshot!(
        "national_vgr_markdown",
        render::markdown(&d, "rules", "regions/vastra-gotaland")
    );
}

#[test]
fn national_against_rjh() {
    let national = compiled(&root().join("rules"));
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    let d = diff::diff_rulesets(&national, &rjh, None).expect("jämförs");
    check_examples(&d, &[&national, &rjh]);
    insta::assert_snapshot!(
        "national_rjh_text",
        render::text(&d, "rules", "regions/jamtland-harjedalen")
    );
    insta::assert_snapshot!(
        "national_rjh_markdown",
        render::markdown(&d, "rules", "regions/jamtland-harjedalen")
    );
}

#[test]
fn deviations_name_every_vgr_avsteg() {
    let national = compiled(&root().join("rules"));
    let dir = root().join("regions/vastra-gotaland");
    let pipeline = regelverk::Pipeline::load(&dir).expect("läses");
    let ruleset = pipeline.ruleset.expect("kontrolleras");
    let vgr = pipeline.compiled.expect("kompileras");
    let d = diff::diff_rulesets(&national, &vgr, None).expect("jämförs");
    let groups = diff::deviations::attribute(&d, &ruleset);
    let unexplained: Vec<_> = groups.iter().filter(|g| g.deviation.is_none()).collect();
    assert!(unexplained.is_empty(), "{unexplained:?}");
    for id in [
        "VGR-BUP",
        "VGR-ANS",
        "VGR-13-15a",
        "VGR-13-15b",
        "VGR-SK",
        "VGR-S2",
        "VGR-S3",
    ] {
        let g = groups
            .iter()
            .find(|g| g.deviation.as_ref().is_some_and(|x| x.id == id))
            .unwrap_or_else(|| panic!("{id}"));
        assert!(!g.differences.is_empty(), "{id} ändrar inget");
    }
    assert_eq!(
        regelverk::check::base_dir(&regelverk::source::Disk, &dir).expect("läses"),
        Some(dir.join("../../rules"))
    );
}

/// `regel deviations` as a jurist reads it, for a region whose deviations have periods
/// (Gävleborg's BUP notes: hidden until 2019-08-31, shown after 14 days from 2019-09-01).
#[test]
fn deviations_of_gavleborg_with_periods() {
    let national = compiled(&root().join("rules"));
    let dir = root().join("regions/gavleborg");
    let pipeline = regelverk::Pipeline::load(&dir).expect("läses");
    let ruleset = pipeline.ruleset.expect("kontrolleras");
    let region = pipeline.compiled.expect("kompileras");
    let d = diff::diff_rulesets(&national, &region, None).expect("jämförs");
    let groups = diff::deviations::attribute(&d, &ruleset);
    let text = regelverk::render::deviations::text(&region.ruleset, &national.ruleset, &groups);
    assert!(text.contains("gäller: till och med 2019-08-31"), "{text}");
    assert!(text.contains("gäller: från och med 2019-09-01"), "{text}");
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(' ') || l.starts_with("  gäller"))
        .collect();
    insta::assert_snapshot!("deviations_gavleborg_periods", headings.join("\n"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("katalog");
    for entry in std::fs::read_dir(from).expect("läses") {
        let path = entry.expect("post").path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().expect("namn"))).expect("kopieras");
        }
    }
}

/// A copy of VGR (and the national rules beside it) with the connection date moved a month.
fn moved_date_copy() -> PathBuf {
    let tmp = std::env::temp_dir().join(format!("regel-diff-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&root().join("rules"), &tmp.join("rules"));
    // The copy is a repository of its own, so the region's `bygger på "../../rules"` may
    // read the national rules beside it (a ruleset may not build on one outside its
    // repository).
    std::fs::create_dir_all(tmp.join(".git")).expect("skapas");
    let region = tmp.join("regions/vastra-gotaland");
    copy_dir(&root().join("regions/vastra-gotaland"), &region);
    let file = region.join("anslutning.regel");
    let text = std::fs::read_to_string(&file).expect("läses");
    let moved = text.replace("post.datum < 2019-10-01", "post.datum < 2019-11-01");
    assert_ne!(text, moved);
    std::fs::write(&file, moved).expect("skrivs");
    tmp
}

#[test]
fn moving_one_date_gives_the_affected_situations() {
    let tmp = moved_date_copy();
    let old = compiled(&root().join("regions/vastra-gotaland"));
    let new = compiled(&tmp.join("regions/vastra-gotaland"));
    let d = diff::diff_rulesets(&old, &new, None).expect("jämförs");
    check_examples(&d, &[&old, &new]);
    let changed: Vec<_> = d
        .decisions
        .iter()
        .filter(|x| !x.differences.is_empty())
        .collect();
    assert_eq!(changed.len(), 1);
    for x in &changed[0].differences {
        let text = x.conditions_text();
        assert!(text.contains("2019-10-01"), "{text}");
        assert!(text.contains("2019-11-01"), "{text}");
    }
    let shown = render::text(&d, "regions/vastra-gotaland", "flyttat-datum")
        .replace(&format!("{}/", tmp.display()), "");
    let _ = std::fs::remove_dir_all(&tmp);
    insta::assert_snapshot!("moved_date_text", shown);
}

#[test]
fn renaming_and_reordering_is_no_difference() {
    let tmp = std::env::temp_dir().join(format!("regel-diff-rename-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&root().join("rules"), &tmp);
    // Rename a rule (and every reference to it), and reformat.
    for entry in std::fs::read_dir(&tmp).expect("läses") {
        let path = entry.expect("post").path();
        let text = std::fs::read_to_string(&path).expect("läses");
        let renamed = text
            .replace("N10", "N10-rådrum")
            .replace("\n  om ", "\n    om ");
        std::fs::write(&path, renamed).expect("skrivs");
    }
    let old = compiled(&root().join("rules"));
    let new = compiled(&tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    let d = diff::diff_rulesets(&old, &new, None).expect("jämförs");
    assert!(d.is_empty(), "{}", render::text(&d, "a", "b"));
}

/// A small generator: the same table with outcomes flipped at pseudo-random rows.
fn perturbed(table: &DecisionTable, seed: u64) -> DecisionTable {
    let mut t = table.clone();
    let mut x = seed | 1;
    for row in &mut t.rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if x.is_multiple_of(5) {
            let other = t
                .outcomes
                .iter()
                .find(|o| **o != row.outcome)
                .cloned()
                .unwrap_or_default();
            row.outcome = other;
            row.reason = Some(format!("ändrad_{}", x % 3));
        }
    }
    t
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random value for a fact, from values near the boundaries the rules use.
fn random_value(rng: &mut Rng, name: &str, ty: &FactType, enums: &[String]) -> Value {
    let anchor = Date::from_ymd(2026, 5, 1).unwrap();
    match ty {
        FactType::Bool => Value::Bool(rng.below(2) == 1),
        FactType::Enum(_) => Value::String(rng.pick(enums).clone()),
        FactType::Int { min, max } => {
            let options = [*min, *max, (min + max) / 2, *min + 1];
            Value::from(*rng.pick(&options))
        }
        FactType::Text | FactType::Id => Value::String(rng.pick(&["A", "B"]).to_string()),
        FactType::Date => {
            let date = if name == "datum" {
                *rng.pick(&[anchor, anchor, Date::from_ymd(2019, 10, 10).unwrap()])
            } else if name.ends_with("födelsedatum") {
                let years = *rng.pick(&[0i64, 5, 12, 13, 14, 15, 16, 17, 18, 30]);
                let days = *rng.pick(&[-1i64, 0, 1]);
                anchor
                    .shift(-years, Unit::Years)
                    .and_then(|d| d.shift(days, Unit::Days))
                    .unwrap()
            } else {
                let (n, unit) = *rng.pick(&[
                    (0i64, Unit::Days),
                    (-1, Unit::Days),
                    (1, Unit::Days),
                    (-13, Unit::Days),
                    (-14, Unit::Days),
                    (-15, Unit::Days),
                    (-1, Unit::Years),
                    (-2, Unit::Years),
                    (-366, Unit::Days),
                    (-364, Unit::Days),
                    (-7, Unit::Years),
                ]);
                let literal = [
                    Date::from_ymd(2019, 9, 30).unwrap(),
                    Date::from_ymd(2019, 10, 1).unwrap(),
                    Date::from_ymd(2019, 10, 31).unwrap(),
                    Date::from_ymd(2019, 11, 1).unwrap(),
                ];
                if rng.below(5) == 0 {
                    *rng.pick(&literal)
                } else {
                    anchor.shift(n, unit).unwrap()
                }
            };
            Value::String(date.to_string())
        }
    }
}

/// Every fact of the tables, with the union of their enumeration values.
fn vocabulary(tables: &[&DecisionTable]) -> Vec<(String, FactType, Vec<String>)> {
    let mut out: Vec<(String, FactType, Vec<String>)> = Vec::new();
    for t in tables {
        for f in &t.facts {
            let values = match &f.ty {
                FactType::Enum(v) => v.clone(),
                _ => Vec::new(),
            };
            match out.iter_mut().find(|(n, _, _)| *n == f.name) {
                Some((_, _, all)) => {
                    for v in values {
                        if !all.contains(&v) {
                            all.push(v);
                        }
                    }
                }
                None => out.push((f.name.clone(), f.ty.clone(), values)),
            }
        }
    }
    out
}

fn random_request(rng: &mut Rng, facts: &[(String, FactType, Vec<String>)]) -> Value {
    let mut map = serde_json::Map::new();
    for (name, ty, values) in facts {
        regelverk::table::insert_dotted(&mut map, name, random_value(rng, name, ty, values));
    }
    Value::Object(map)
}

/// The example with some facts replaced at random: mostly inside the same situation.
fn near(rng: &mut Rng, example: &Value, facts: &[(String, FactType, Vec<String>)]) -> Value {
    let mut map = serde_json::Map::new();
    for (name, ty, values) in facts {
        let mut here = Some(example);
        for part in name.split('.') {
            here = here.and_then(|h| h.get(part));
        }
        let value = match here {
            Some(v) if rng.below(3) != 0 => v.clone(),
            _ => random_value(rng, name, ty, values),
        };
        regelverk::table::insert_dotted(&mut map, name, value);
    }
    Value::Object(map)
}

/// How one table decides a request: outcome, reason and rule, or refused.
type Decided = Option<(String, Option<String>, String)>;

/// `None` when the request is malformed for a reason that is no region of the shared space
/// (a date out of range, an identifier); `Some(None)` when it is refused for a value the
/// table does not know.
fn decide(evaluator: &Evaluator, request: &Result<Request, RequestError>) -> Option<Decided> {
    match request.as_ref().map(|r| evaluator.decide(r)) {
        Ok(Ok(d)) => Some(Some((
            d.outcome.to_owned(),
            d.reason.map(str::to_owned),
            d.rule.map_or("standard".to_owned(), |r| r.id.clone()),
        ))),
        Err(RequestError::UnknownValue { .. }) | Ok(Err(RequestError::UnknownValue { .. })) => {
            Some(None)
        }
        _ => None,
    }
}

/// Whether a request is in the printed situation: its conditions hold and none of its
/// exceptions decides it in any table.
fn in_situation(placed: &Placed, d: &Difference, decided: &[Decided]) -> bool {
    let Some(true) = placed.inside(d) else {
        return false;
    };
    !decided.iter().any(|x| match x {
        None => d.except.iter().any(|e| e == "fel"),
        Some((_, _, rule)) => d.except.contains(rule),
    })
}

/// Asserts that the request is decided as the situation prints it.
fn assert_as_printed(what: &str, d: &Difference, request: &Value, decided: &[Decided]) {
    for (side, got) in d.sides.iter().zip(decided) {
        let ok = match (&side.outcome, got) {
            (None, None) => true,
            (Some(outcome), Some((o, reason, _))) => {
                outcome.split(" eller ").any(|x| x == o)
                    && (side.reasons.is_empty()
                        || reason.as_ref().is_some_and(|r| side.reasons.contains(r)))
            }
            _ => false,
        };
        assert!(
            ok,
            "{what}: {request} är i situationen \"{}\" ({}) men avgörs {decided:?}",
            d.situation_text(),
            d.change_text()
        );
    }
}

/// The property of point 1 of issue 11: every request inside a printed situation is decided
/// as printed on every side, and every request decided differently is inside one.
fn check_exact(what: &str, tables: &[&DecisionTable], differences: &[Difference], samples: usize) {
    let locator = Locator::new(tables).expect("rummet byggs");
    let evaluators: Vec<Evaluator> = tables
        .iter()
        .map(|t| Evaluator::new((*t).clone()).expect("tabellen går att använda"))
        .collect();
    let facts = vocabulary(tables);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut requests: Vec<Value> = (0..samples)
        .map(|_| random_request(&mut rng, &facts))
        .collect();
    for d in differences {
        for _ in 0..20 {
            requests.push(near(&mut rng, &d.example, &facts));
        }
    }
    let mut differing = 0;
    for request in &requests {
        let placed = locator.place(request);
        let Some(decided): Option<Vec<Decided>> = evaluators
            .iter()
            .enumerate()
            .map(|(t, e)| decide(e, placed.request(t)?))
            .collect()
        else {
            continue;
        };
        let key = |x: &Decided| x.as_ref().map(|(o, r, _)| (o.clone(), r.clone()));
        let differs = decided.iter().any(|x| key(x) != key(&decided[0]));
        let mut found = false;
        for d in differences {
            if in_situation(&placed, d, &decided) {
                assert_as_printed(what, d, request, &decided);
                found = true;
            }
        }
        if differs {
            differing += 1;
            assert!(
                found,
                "{what}: {request} avgörs olika ({decided:?}) men ingen situation tar upp den"
            );
        }
    }
    if !differences.is_empty() {
        assert!(
            differing > 0,
            "{what}: inget stickprov hamnade i en skillnad"
        );
    }
}

#[test]
fn situations_are_exact_for_every_pair_of_rulesets() {
    let national = compiled(&root().join("rules"));
    let vgr = compiled(&root().join("regions/vastra-gotaland"));
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    let all = [("rules", &national), ("vgr", &vgr), ("rjh", &rjh)];
    for (a_name, a) in all {
        for (b_name, b) in all {
            if a_name == b_name {
                continue;
            }
            let d = diff::diff_rulesets(a, b, None).expect("jämförs");
            check_examples(&d, &[a, b]);
            for x in &d.decisions {
                let tables = [a.table(&x.decision).unwrap(), b.table(&x.decision).unwrap()];
                check_exact(
                    &format!("{a_name} → {b_name}, {}", x.decision),
                    &tables,
                    &x.differences,
                    500,
                );
            }
        }
    }
    let three = diff::compare_rulesets(&[&national, &rjh, &vgr], None).expect("jämförs");
    check_examples(&three, &[&national, &rjh, &vgr]);
    for x in &three.decisions {
        let tables = [
            national.table(&x.decision).unwrap(),
            rjh.table(&x.decision).unwrap(),
            vgr.table(&x.decision).unwrap(),
        ];
        check_exact(
            &format!("alla tre, {}", x.decision),
            &tables,
            &x.differences,
            500,
        );
    }
}

#[test]
fn situations_are_exact_for_perturbed_rulesets() {
    let vgr = compiled(&root().join("regions/vastra-gotaland"));
    // Nineteen perturbations when `REGEL_TEST_HEAVY` is set (as `.ci/run` does), five for a
    // plain `cargo test`.
    let seeds: u64 = if std::env::var_os("REGEL_TEST_HEAVY").is_some() {
        20
    } else {
        6
    };
    for seed in 1..seeds {
        for table in &vgr.tables {
            let changed = perturbed(table, seed);
            let d = diff::diff(table, &changed).expect("jämförs");
            let whole = Diff {
                rulesets: vec!["a".into(), "b".into()],
                decisions: vec![d.clone()],
                deviations: Vec::new(),
                texts: Vec::new(),
                facts: Vec::new(),
            };
            let a = CompiledRuleset {
                tables: vec![table.clone()],
                ..vgr.clone()
            };
            let b = CompiledRuleset {
                tables: vec![changed.clone()],
                ..vgr.clone()
            };
            check_examples(&whole, &[&a, &b]);
            check_exact(
                &format!("störd {seed}, {}", table.decision),
                &[table, &changed],
                &d.differences,
                300,
            );
            let again = diff::diff(&changed, &changed).expect("jämförs");
            assert!(again.differences.is_empty());
        }
    }
}

/// The measured bound of point 2: no situation as printed (its conditions and exceptions
/// below the heading of what its group shares) is longer than this, over every region's diff
/// against the national rules, Jämtland Härjedalen → VGR, and the national picture of all
/// thirteen rulesets. Measured 353: a VGR-SK line of Jämtland Härjedalen → VGR, where the
/// year-long extension of RJH-3.4a is four conditions. The goal of 200 needs a shorter
/// phrasing of such conditions (a rule's own condition named as the rule), not done yet.
const LONGEST_SITUATION: usize = 355;

#[test]
fn situations_are_short() {
    let national = compiled(&root().join("rules"));
    let mut regions: Vec<PathBuf> = std::fs::read_dir(root().join("regions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    regions.sort();
    let regions: Vec<CompiledRuleset> = regions.iter().map(|d| compiled(d)).collect();
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    let vgr = compiled(&root().join("regions/vastra-gotaland"));
    let mut longest = (0, String::new());
    let mut measure = |text: String| {
        let n = text.chars().count();
        if n > longest.0 {
            longest = (n, text);
        }
    };
    let mut diffs: Vec<Diff> = regions
        .iter()
        .map(|r| diff::diff_rulesets(&national, r, None).unwrap())
        .collect();
    diffs.push(diff::diff_rulesets(&rjh, &vgr, None).unwrap());
    for d in &diffs {
        for x in &d.decisions {
            for g in diff::by_cause(&x.differences) {
                for d in &g.differences {
                    measure(g.rest_text(d));
                }
            }
        }
    }
    // The national picture over every ruleset, as `regel compare rules regions/*` prints it.
    let all: Vec<&CompiledRuleset> = std::iter::once(&national).chain(&regions).collect();
    let o = diff::overview(&all, None).unwrap();
    for d in &o.decisions {
        for g in &d.groups {
            for row in &g.rows {
                measure(g.rest_text(row));
            }
        }
    }
    assert!(
        longest.0 <= LONGEST_SITUATION,
        "den längsta situationen har {} tecken: {}",
        longest.0,
        longest.1
    );
}

#[test]
fn unknown_decision_is_a_clear_error() {
    let national = compiled(&root().join("rules"));
    let err = diff::diff_rulesets(&national, &national, Some("läsning")).expect_err("fel");
    assert!(
        err.0
            .contains("inget av regelverken har beslutet `läsning`"),
        "{err}"
    );
}

/// A copy of VGR (and the national rules beside it) whose unsigned-notes deviation VGR-OS
/// has the period `period` instead of `gäller till och med 2022-02-28`.
fn vgr_with_period(name: &str, period: &str) -> PathBuf {
    let tmp = std::env::temp_dir().join(format!("regel-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&root().join("rules"), &tmp.join("rules"));
    // The copy is a repository of its own, so that VGR's `bygger på "../../rules"` stays
    // inside it (outside a git work tree the ruleset directory is the whole repository).
    std::fs::create_dir_all(tmp.join(".git")).expect("skapas");
    let region = tmp.join("regions/vastra-gotaland");
    copy_dir(&root().join("regions/vastra-gotaland"), &region);
    let file = region.join("osignerat.regel");
    let text = std::fs::read_to_string(&file).expect("läses");
    let changed = text.replace(
        "  gäller till och med 2022-02-28\n",
        &format!("  {period}\n"),
    );
    assert_ne!(text, changed);
    std::fs::write(&file, changed).expect("skrivs");
    tmp
}

/// The differences of a diff between two versions of VGR that differ in VGR-OS's period: in
/// direktåtkomst only, each with an example that decides as it says, and VGR-OS deciding on
/// the side whose period covers the example's day.
fn period_differences(old: &Path, new: &Path) -> Vec<diff::Difference> {
    let (old, new) = (compiled(old), compiled(new));
    let d = diff::diff_rulesets(&old, &new, None).expect("jämförs");
    check_examples(&d, &[&old, &new]);
    let changed: Vec<_> = d
        .decisions
        .iter()
        .filter(|x| !x.differences.is_empty() || !x.notes.is_empty())
        .collect();
    assert_eq!(changed.len(), 1, "{d:?}");
    assert_eq!(changed[0].decision, "direktåtkomst");
    assert!(!changed[0].differences.is_empty());
    changed[0].differences.clone()
}

/// The request's `datum`.
fn datum(example: &serde_json::Value) -> &str {
    example["datum"].as_str().expect("datum")
}

/// Every difference is an unsigned new note viewed on a day in `days`, between the two
/// bounds, decided by VGR-OS on side `hidden` (0 old, 1 new) and by the national rules on
/// the other.
fn only_the_days_between(
    differences: &[diff::Difference],
    bounds: [&str; 2],
    days: std::ops::RangeInclusive<&str>,
    hidden: usize,
) {
    for x in differences {
        let conditions = x.conditions_text();
        for part in bounds
            .iter()
            .copied()
            .chain(["post.kategori = anteckning", "inte post.signerad"])
        {
            assert!(conditions.contains(part), "{part} saknas i {conditions}");
        }
        assert!(days.contains(&datum(&x.example)), "{}", x.example);
        // A new note: documented fewer than 14 days before the day it is read.
        let day = |s: &str| regelverk::time::Date::parse(s).expect("ett datum");
        let documented = x.example["post"]["datum"].as_str().expect("post.datum");
        let fourteen_days_later = day(documented)
            .shift(14, regelverk::time::Unit::Days)
            .expect("finns");
        assert!(
            day(datum(&x.example)) < fourteen_days_later,
            "{}",
            x.example
        );
        let by_os = |side: &diff::Side| side.rules.iter().any(|r| r.id == "VGR-OS");
        assert!(by_os(&x.sides[hidden]), "{conditions}: {}", x.change_text());
        assert!(
            !by_os(&x.sides[1 - hidden]),
            "{conditions}: {}",
            x.change_text()
        );
        assert_eq!(x.sides[hidden].outcome.as_deref(), Some("dölj"));
        assert_eq!(x.sides[hidden].reasons, ["osignerad"]);
    }
}

#[test]
fn moving_a_period_end_changes_exactly_the_days_between() {
    let repo = root().join("regions/vastra-gotaland");
    let later = vgr_with_period("till", "gäller till och med 2022-03-31");
    let differences = period_differences(&repo, &later.join("regions/vastra-gotaland"));
    let _ = std::fs::remove_dir_all(&later);
    // Unsigned notes newer than 14 days, viewed in March 2022: hidden now, not before.
    only_the_days_between(
        &differences,
        ["datum > 2022-02-28", "datum <= 2022-03-31"],
        "2022-03-01"..="2022-03-31",
        1,
    );
    assert!(differences.iter().any(|x| x.change_text() == "visa → dölj"));
}

#[test]
fn moving_a_period_start_changes_exactly_the_days_between() {
    let from_january = vgr_with_period(
        "fran-jan",
        "gäller från 2021-01-01\n  gäller till och med 2022-02-28",
    );
    let from_february = vgr_with_period(
        "fran-feb",
        "gäller från 2021-02-01\n  gäller till och med 2022-02-28",
    );
    let differences = period_differences(
        &from_january.join("regions/vastra-gotaland"),
        &from_february.join("regions/vastra-gotaland"),
    );
    let _ = std::fs::remove_dir_all(&from_january);
    let _ = std::fs::remove_dir_all(&from_february);
    // Unsigned notes newer than 14 days, viewed in January 2021: hidden before, not now.
    only_the_days_between(
        &differences,
        ["datum >= 2021-01-01", "datum < 2021-02-01"],
        "2021-01-01"..="2021-01-31",
        0,
    );
    assert!(differences.iter().any(|x| x.change_text() == "dölj → visa"));
}

/// A copy of VGR (and the national rules beside it) with `from` replaced by `to` in `file`.
fn vgr_edited(name: &str, file: &str, from: &str, to: &str) -> PathBuf {
    let tmp = std::env::temp_dir().join(format!("regel-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&root().join("rules"), &tmp.join("rules"));
    std::fs::create_dir_all(tmp.join(".git")).expect("skapas");
    let region = tmp.join("regions/vastra-gotaland");
    copy_dir(&root().join("regions/vastra-gotaland"), &region);
    let path = region.join(file);
    let text = std::fs::read_to_string(&path).expect("läses");
    let changed = text.replacen(from, to, 1);
    assert_ne!(text, changed);
    std::fs::write(&path, changed).expect("skrivs");
    tmp
}

/// Point 3 of issue 11: the text a jurist signs changed, the decisions did not. The diff
/// is not empty (exit 1), names the field with both wordings, and has no situation.
#[test]
fn a_changed_motivering_alone_is_a_change() {
    let tmp = vgr_edited(
        "motivering",
        "anslutning.regel",
        "BUP är undantagen.\"",
        "BUP är undantagen tills vidare.\"",
    );
    let old = compiled(&root().join("regions/vastra-gotaland"));
    let new = compiled(&tmp.join("regions/vastra-gotaland"));
    let _ = std::fs::remove_dir_all(&tmp);
    let d = diff::diff_rulesets(&old, &new, None).expect("jämförs");
    assert!(
        d.decisions.iter().all(|x| x.differences.is_empty()),
        "{d:?}"
    );
    assert!(!d.is_empty(), "en ändrad motivering är en ändring");
    assert_eq!(d.texts.len(), 1, "{:?}", d.texts);
    let t = &d.texts[0];
    assert_eq!((t.kind.as_str(), t.id.as_str()), ("avsteg", "VGR-BUP"));
    assert_eq!(t.field, "motivering");
    assert!(t.before.ends_with("BUP är undantagen."));
    assert!(t.after.ends_with("BUP är undantagen tills vidare."));
    let shown = render::text(&d, "före", "efter");
    assert!(shown.contains("Ändrade texter:"), "{shown}");
    assert!(shown.contains("avsteg VGR-BUP, motivering"), "{shown}");
    assert!(render::markdown(&d, "före", "efter").contains("#### Ändrade texter"));
}

/// A fact that a region starts to require is reported with the decision it is required in.
#[test]
fn a_newly_required_fact_is_reported() {
    let national = compiled(&root().join("rules"));
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    let d = diff::diff_rulesets(&national, &rjh, Some("direktåtkomst")).expect("jämförs");
    let f: Vec<_> = d
        .facts
        .iter()
        .map(|f| {
            (
                f.decision.as_str(),
                f.fact.as_str(),
                f.before.as_str(),
                f.after.as_str(),
            )
        })
        .collect();
    assert_eq!(
        f,
        [(
            "direktåtkomst",
            "vårdförsegling.slutdatum",
            "kan saknas",
            "måste anges"
        )]
    );
    let back = diff::diff_rulesets(&rjh, &national, Some("direktåtkomst")).expect("jämförs");
    assert_eq!(back.facts.len(), 1);
    assert_eq!(back.facts[0].after, "kan saknas");
}

/// The national picture (`regel compare`) over five rulesets, one region given twice so
/// that rows are shared: every row's regions make the same change in the same situation,
/// and for each region the rows that name it are exact for that region against the
/// framework (point 1 of issue 11, for compare).
#[test]
fn overview_rows_are_exact_for_each_region() {
    let national = compiled(&root().join("rules"));
    let blekinge = compiled(&root().join("regions/blekinge"));
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    let vgr = compiled(&root().join("regions/vastra-gotaland"));
    let regions = [&blekinge, &rjh, &vgr, &blekinge];
    let all: Vec<&CompiledRuleset> = std::iter::once(&national).chain(regions).collect();
    let o = diff::overview(&all, None).expect("jämförs");
    assert_eq!(o.regions.len(), 4);
    let mut shared_rows = 0;
    for d in &o.decisions {
        for row in d.groups.iter().flat_map(|g| &g.rows) {
            let first = &row.first.difference;
            for x in row.regions() {
                assert_eq!(x.difference.situation_text(), first.situation_text());
                assert_eq!(x.difference.change_text(), row.change_text());
            }
            if !row.more.is_empty() {
                shared_rows += 1;
                let names: Vec<usize> = row.regions().map(|x| x.region.index).collect();
                assert_eq!(
                    names,
                    vec![0, 3],
                    "Blekinge två gånger, inget annat delar rad"
                );
            }
        }
        for (r, region) in regions.iter().enumerate() {
            let mine: Vec<Difference> = d
                .groups
                .iter()
                .flat_map(|g| &g.rows)
                .flat_map(|row| row.regions())
                .filter(|x| x.region.index == r)
                .map(|x| x.difference.clone())
                .collect();
            let (Some(a), Some(b)) = (national.table(&d.decision), region.table(&d.decision))
            else {
                continue;
            };
            check_exact(
                &format!("nationell bild, region {r}, {}", d.decision),
                &[a, b],
                &mine,
                300,
            );
        }
    }
    assert!(shared_rows > 0, "Blekinges rader delas");
    // Each region's rows are its pairwise diff, nothing lost in the merge.
    for (r, region) in regions.iter().enumerate() {
        let pair = diff::diff_rulesets(&national, region, None).expect("jämförs");
        let rows: usize = o
            .decisions
            .iter()
            .flat_map(|d| d.groups.iter().flat_map(|g| &g.rows))
            .filter(|row| row.regions().any(|x| x.region.index == r))
            .count();
        let pairwise: usize = pair.decisions.iter().map(|d| d.differences.len()).sum();
        assert_eq!(rows, pairwise, "region {r}");
    }
}

/// The national picture as a person gets it (the browser check is `.ci/html-check`, over
/// every ruleset): the framework against two regions, in text, Markdown and HTML, with a
/// fixed generation date.
#[test]
fn overview_national_blekinge_rjh() {
    let national = compiled(&root().join("rules"));
    let blekinge = compiled(&root().join("regions/blekinge"));
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    let o = diff::overview(&[&national, &blekinge, &rjh], None).expect("jämförs");
    let regions = vec![
        "regions/blekinge".to_owned(),
        "regions/jamtland-harjedalen".to_owned(),
    ];
    let labels = regelverk::render::compare::Labels {
        framework: "rules",
        regions: &regions,
    };
    let hashes = vec![
        national.source_hash.clone(),
        blekinge.source_hash.clone(),
        rjh.source_hash.clone(),
    ];
    let page = regelverk::render::compare::html(
        &o,
        &regelverk::render::compare::Audit {
            labels,
            hashes: &hashes,
            generated: "2026-01-01",
        },
    );
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    assert!(
        !page.contains("<script src") && !page.contains("<link"),
        "fristående"
    );
    insta::assert_snapshot!("overview_national_blekinge_rjh_html", page);
    insta::assert_snapshot!(
        "overview_national_blekinge_rjh_text",
        regelverk::render::compare::text(&o, &labels)
    );
    insta::assert_snapshot!(
        "overview_national_blekinge_rjh_markdown",
        regelverk::render::compare::markdown(&o, &labels)
    );
}

/// Issue 14: Gävleborg's BUP periods touch (RGV-BUP-FÖRE until 2019-08-31, RGV-BUP-14 from
/// 2019-09-01). Moving that boundary two weeks later, in both rules, changes exactly the
/// BUP notes viewed on the days between: hidden for good now, shown (or shown after 14
/// days) before.
#[test]
fn moving_a_boundary_between_touching_periods_changes_exactly_the_days_between() {
    let tmp = std::env::temp_dir().join(format!("regel-diff-gavleborg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&root().join("rules"), &tmp.join("rules"));
    std::fs::create_dir_all(tmp.join(".git")).expect("skapas");
    let region = tmp.join("regions/gavleborg");
    copy_dir(&root().join("regions/gavleborg"), &region);
    let path = region.join("bup.regel");
    let text = std::fs::read_to_string(&path).expect("läses");
    let moved = text
        .replacen(
            "gäller till och med 2019-08-31",
            "gäller till och med 2019-09-14",
            1,
        )
        .replacen("gäller från 2019-09-01", "gäller från 2019-09-15", 1);
    assert_eq!(moved.matches("2019-09-14").count(), 1);
    assert_eq!(moved.matches("gäller från 2019-09-15").count(), 1);
    std::fs::write(&path, moved).expect("skrivs");
    let old = compiled(&root().join("regions/gavleborg"));
    let new = compiled(&region);
    let _ = std::fs::remove_dir_all(&tmp);
    let d = diff::diff_rulesets(&old, &new, None).expect("jämförs");
    check_examples(&d, &[&old, &new]);
    let changed: Vec<_> = d
        .decisions
        .iter()
        .filter(|x| !x.differences.is_empty())
        .collect();
    assert_eq!(changed.len(), 1, "{d:?}");
    assert_eq!(changed[0].decision, "direktåtkomst");
    for x in &changed[0].differences {
        let conditions = x.conditions_text();
        for part in ["post.verksamhet = bup", "post.kategori = anteckning"] {
            assert!(conditions.contains(part), "{part} saknas i {conditions}");
        }
        let day = x.example["datum"].as_str().expect("datum");
        assert!(
            ("2019-09-01"..="2019-09-14").contains(&day),
            "{conditions}: {}",
            x.example
        );
        let by = |side: &diff::Side, id: &str| side.rules.iter().any(|r| r.id == id);
        assert!(by(&x.sides[1], "RGV-BUP-FÖRE"), "{conditions}");
        assert!(!by(&x.sides[0], "RGV-BUP-FÖRE"), "{conditions}");
        assert_eq!(x.sides[1].reasons, ["verksamhet_visas_inte"]);
    }
}

/// The generated region of the growth bench, with 100 units, against itself with every
/// twentieth rule's outcome changed: the unit column is wide enough that a situation is
/// widened past the units it cannot take in one pass over the tables, not unit by unit. Each
/// change is one exact situation at its own unit.
#[test]
fn a_change_at_each_of_many_units_is_one_situation_each() {
    let old_text = generate::region(400);
    let mut rule = 0;
    let new_text: String = old_text
        .split_inclusive("\n\n")
        .map(|block| {
            if block.starts_with("regel ") {
                rule += 1;
                if rule % 20 == 1 {
                    return block.replace("då visa", "då dölj");
                }
            }
            block.to_owned()
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("regel-diff-units-{}", std::process::id()));
    let write = |name: &str, text: &str| {
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("region.regel"), text).unwrap();
        compiled(&d)
    };
    let (old, new) = (write("old", &old_text), write("new", &new_text));
    let _ = std::fs::remove_dir_all(&dir);
    let d = diff::diff_rulesets(&old, &new, None).unwrap();
    let x = &d.decisions[0];
    let mut got: Vec<String> = x.differences.iter().map(|d| d.situation_text()).collect();
    got.sort();
    // The changed rules are the first of units 0, 5, …, 95: a guardian's, for children to
    // 10 (10 + u % 5), which the unit's connection date (rule B) goes before.
    let mut want: Vec<String> = (0..100)
        .step_by(5)
        .map(|u| {
            format!(
                "post.enhet = e{u} och läsare = vårdnadshavare och patient.ålder är 0–10, \
                 utom där E{u}B avgör"
            )
        })
        .collect();
    want.sort();
    assert_eq!(got, want);
    let tables = [
        old.table("direktåtkomst").unwrap(),
        new.table("direktåtkomst").unwrap(),
    ];
    check_examples(&d, &[&old, &new]);
    check_exact("100 enheter", &tables, &x.differences, 2000);
    // Outcomes changed at random rows: many groups, each widened over the wide unit column.
    for seed in 1..3 {
        let changed = perturbed(tables[0], seed);
        let d = diff::diff(tables[0], &changed).expect("jämförs");
        assert!(!d.differences.is_empty());
        check_exact(
            &format!("100 enheter, störd {seed}"),
            &[tables[0], &changed],
            &d.differences,
            1000,
        );
    }
}
