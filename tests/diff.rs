//! Semantic diff: snapshots of what reviewers read, and properties every diff must have.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use regelverk::diff::{self, Diff};
use regelverk::render::diff as render;
use regelverk::table::{CompiledRuleset, DecisionTable, Evaluator};
use std::path::{Path, PathBuf};

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
                        assert_eq!(got.outcome, outcome, "{}: {example}", d.decision);
                        match got.reason {
                            Some(r) => assert!(
                                side.reasons.iter().any(|x| x == r),
                                "{}: skäl {r} saknas i {:?}",
                                d.decision,
                                side.reasons
                            ),
                            None => assert!(side.reasons.is_empty()),
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

#[test]
fn every_example_decides_as_reported() {
    let national = compiled(&root().join("rules"));
    let vgr = compiled(&root().join("regions/vastra-gotaland"));
    let rjh = compiled(&root().join("regions/jamtland-harjedalen"));
    for (a, b) in [
        (&vgr, &rjh),
        (&rjh, &vgr),
        (&vgr, &national),
        (&rjh, &national),
    ] {
        let d = diff::diff_rulesets(a, b, None).expect("jämförs");
        check_examples(&d, &[a, b]);
    }
    let three = diff::compare_rulesets(&[&national, &rjh, &vgr], None).expect("jämförs");
    check_examples(&three, &[&national, &rjh, &vgr]);
    // Nineteen perturbations when `REGEL_TEST_HEAVY` is set (as `.ci/run` does), five for a
    // plain `cargo test`.
    let seeds = if std::env::var_os("REGEL_TEST_HEAVY").is_some() {
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
                decisions: vec![d],
                deviations: Vec::new(),
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
            // Every changed row is inside some reported difference: its own example.
            let again = diff::diff(&changed, &changed).expect("jämförs");
            assert!(again.differences.is_empty());
        }
    }
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
