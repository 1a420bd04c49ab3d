//! The repository's own rulesets, run as a user runs them: `regel check` is clean (every
//! invariant proved) and `regel test` passes for each (every example, and an example for
//! every rule), and BRIEF §6's worked examples give the brief's answers through `regel
//! decide`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use std::path::{Path, PathBuf};

mod common;
use common::regel;
use std::process::Command;

fn rulesets() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("rules")];
    let mut regions: Vec<PathBuf> = std::fs::read_dir("regions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    regions.sort();
    dirs.extend(regions);
    dirs
}

#[test]
fn every_ruleset_checks_clean_and_passes_its_examples() {
    let dirs = rulesets();
    assert!(dirs.len() >= 3, "rules and two regions");
    for dir in dirs {
        let dir = dir.to_str().unwrap();
        let (code, _, stderr) = regel(&["check", dir], None);
        assert_eq!(code, 0, "regel check {dir}:\n{stderr}");
        assert!(!stderr.contains("error["), "{stderr}");
        assert!(stderr.contains("invarianter bevisade"), "{stderr}");
        let (code, stdout, _) = regel(&["test", dir], None);
        assert_eq!(code, 0, "regel test {dir}:\n{stdout}");
        assert!(stdout.contains(" 0 gick inte igenom"), "{stdout}");
        assert!(!stdout.contains("utan exempel"), "{stdout}");
    }
}

/// BRIEF §6, one request per row, with only what differs from defaults.
#[test]
fn brief_worked_examples() {
    let child_14 = r#""läsare": "vårdnadshavare", "patient": {"födelsedatum": "2012-01-15"},
        "vårdnadshavare": {"förlängning": {"finns": true, "signerad": "2025-06-01", "enhet": "A"}},
        "post": {"vårdenhet": "A", "datum": "2026-05-02"}"#;
    let unseal = r#"{"begäran": {"från": "patienten", "blankett_undertecknad": true, "inlämning": "post_till_support"}}"#;
    let cases: Vec<(&str, &str, String, &str)> = vec![
        ("rules", "direktåtkomst", r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2010-05-01"}, "post": {"kategori": "provsvar"}}"#.into(), "visa"),
        ("rules", "direktåtkomst", r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2010-05-02"}, "post": {"kategori": "provsvar"}}"#.into(), "dölj"),
        ("rules", "direktåtkomst", r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2013-05-02"}}"#.into(), "visa"),
        ("regions/jamtland-harjedalen", "direktåtkomst", format!(r#"{{"datum": "2026-05-31", {child_14}}}"#), "visa"),
        ("regions/jamtland-harjedalen", "direktåtkomst", format!(r#"{{"datum": "2026-06-01", {child_14}}}"#), "dölj"),
        ("regions/vastra-gotaland", "direktåtkomst", format!(r#"{{"datum": "2026-06-01", {child_14}}}"#), "visa"),
        ("regions/vastra-gotaland", "direktåtkomst", r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2021-03-01"}, "post": {"verksamhet": "bup", "datum": "2026-04-01"}}"#.into(), "dölj"),
        ("regions/jamtland-harjedalen", "upplåsning", unseal.into(), "verkställ"),
        ("regions/vastra-gotaland", "upplåsning", unseal.into(), "ofullständig"),
    ];
    for (dir, decision, request, expected) in cases {
        let (code, stdout, stderr) = regel(
            // A request over several lines is read whole with `--request -`.
            &[
                "decide",
                dir,
                "--decision",
                decision,
                "--explain",
                "--request",
                "-",
            ],
            Some(&request),
        );
        assert_eq!(code, 0, "{dir} {request}: {stdout}{stderr}");
        let answer: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(answer["utfall"], expected, "{dir} {request}: {answer}");
        assert!(answer["förklaring"]["regel"]["id"].is_string(), "{answer}");
    }
}

#[test]
fn malformed_requests_fail_closed() {
    let cases = [
        // A VGR-only exception keyword is unknown in RJH.
        (
            "regions/jamtland-harjedalen",
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01"}, "post": {"undantag": "tidig_hypotes"}}"#,
            "tidig_hypotes",
        ),
        // A misspelt fact never falls back to its default.
        (
            "rules",
            r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2020-01-01"}, "vårdnadshavare": {"blokerad": true}}"#,
            "vårdnadshavare.blockerad",
        ),
        // A care-initiated sealing without its end date, which RJH requires (RJH-2.2.2),
        // whichever unit it seals.
        (
            "regions/jamtland-harjedalen",
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01"}, "vårdförsegling": {"finns": true, "omfattning": "alla_enheter"}}"#,
            "vårdförsegling.slutdatum",
        ),
        (
            "regions/jamtland-harjedalen",
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01"}, "vårdförsegling": {"finns": true, "omfattning": "enhet", "enhet": "SE-A"}, "post": {"vårdenhet": "SE-B"}}"#,
            "vårdförsegling.slutdatum",
        ),
        // An end date that is not a date, though one may be left out.
        (
            "rules",
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01"}, "vårdförsegling": {"finns": true, "omfattning": "alla_enheter", "slutdatum": null}}"#,
            "vårdförsegling.slutdatum",
        ),
        // An impossible date, a wrong type, null.
        (
            "rules",
            r#"{"datum": "2026-02-30", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01"}}"#,
            "2026-02-30",
        ),
        (
            "rules",
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01", "reservnummer": "nej"}}"#,
            "patient.reservnummer",
        ),
        (
            "rules",
            r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2020-01-01"}, "vårdnadshavare": {"blockerad": null}}"#,
            "vårdnadshavare.blockerad",
        ),
    ];
    for (dir, request, named) in cases {
        let (code, stdout, _) = regel(
            &["decide", dir, "--decision", "direktåtkomst"],
            Some(request),
        );
        assert_eq!(code, 2, "{request}: {stdout}");
        let answer: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        let message = answer["fel"]
            .as_str()
            .unwrap_or_else(|| panic!("no error for {request}: {answer}"));
        assert!(message.contains(named), "{message}");
    }
}

#[test]
fn a_bad_line_does_not_stop_the_batch() {
    let input = "{\"begäran\": {\"från\": \"patienten\"}}\nnot json\n{\"begäran\": {\"från\": \"ombud\"}}\n{\"okänt\": 1}\n";
    let (code, stdout, _) = regel(
        &["decide", "rules", "--decision", "försegling"],
        Some(input),
    );
    assert_eq!(code, 2);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["utfall"], "verkställ");
    assert!(lines[1]["fel"].as_str().unwrap().contains("rad 2"));
    assert_eq!(lines[2]["utfall"], "neka");
    assert!(lines[3]["fel"].as_str().unwrap().contains("okänt"));
}

#[test]
fn compile_writes_atomically_and_decides_from_the_file() {
    let dir = std::env::temp_dir().join(format!("regel-compile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("vgr.ron");
    let (code, _, stderr) = regel(
        &[
            "compile",
            "regions/vastra-gotaland",
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the table, no temporary file: {leftovers:?}"
    );
    let (code, stdout, _) = regel(
        &["decide", out.to_str().unwrap(), "--decision", "upplåsning"],
        Some(r#"{"begäran": {"från": "ombud"}}"#),
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("\"neka\""), "{stdout}");
    // A failed compile leaves the old file untouched.
    let before = std::fs::read(&out).unwrap();
    let (code, _, _) = regel(
        &["compile", "no-such-ruleset", "-o", out.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(std::fs::read(&out).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The same question `regel test` asks, through the library: every rule is decided by some
/// passing example.
#[test]
fn examples_cover_every_rule() {
    use regelverk::analyze::{coverage, examples};
    for dir in rulesets() {
        let p = regelverk::Pipeline::load(&dir).unwrap();
        let (ruleset, compiled) = (p.ruleset.unwrap(), p.compiled.unwrap());
        let covered = coverage::coverage(&ruleset, &examples::run(&ruleset, &compiled));
        assert_eq!(
            covered.iter().filter(|c| c.rule.is_some()).count(),
            ruleset.rules.len()
        );
        let missing: Vec<&str> = coverage::uncovered(&covered)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(
            missing.is_empty(),
            "{}: no example is decided by {missing:?}",
            dir.display()
        );
    }
}

/// `(läses av regioner)` marks exactly the national facts that no national rule reads and
/// some region of the repository does. So `regel check rules` warns (W0101) only of facts
/// that nothing in the repository reads.
#[test]
fn national_facts_read_only_by_regions_are_marked_and_read_by_a_region() {
    let national = regelverk::Pipeline::load(Path::new("rules")).unwrap();
    let ruleset = national.ruleset.as_ref().unwrap();
    let read_nationally = regelverk::check::facts_read(ruleset);
    let mut read_by_regions = std::collections::BTreeSet::new();
    let mut regions: Vec<PathBuf> = std::fs::read_dir("regions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    regions.sort();
    assert!(regions.len() >= 12, "{regions:?}");
    for region in &regions {
        let pipeline = regelverk::Pipeline::load(region).unwrap();
        read_by_regions.extend(regelverk::check::facts_read(
            pipeline.ruleset.as_ref().unwrap(),
        ));
    }
    let mut read_by_nothing = Vec::new();
    for id in ruleset.fact_ids() {
        let fact = ruleset.fact(id);
        let nationally = read_nationally.contains(&fact.name);
        let by_regions = read_by_regions.contains(&fact.name);
        let name = &fact.name;
        if fact.read_by_regions {
            assert!(
                !nationally,
                "`{name}` is read by a national rule: remove `(läses av regioner)`"
            );
            assert!(
                by_regions,
                "`{name}` is marked `(läses av regioner)` but no region reads it"
            );
        } else {
            assert!(
                nationally || !by_regions,
                "only regions read `{name}`: mark it `(läses av regioner)`"
            );
            if !nationally {
                read_by_nothing.push(name.clone());
            }
        }
    }
    let mut warned: Vec<String> = national
        .diagnostics
        .iter()
        .filter(|d| d.code == regelverk::diagnostic::Code::UnusedFact)
        .map(|d| national.sources.slice(d.primary.span).unwrap().to_owned())
        .collect();
    warned.sort();
    read_by_nothing.sort();
    assert_eq!(
        warned, read_by_nothing,
        "W0101 on the national ruleset is for facts nothing reads"
    );
}

/// `regel ny` writes a region that builds on the national ruleset and passes `regel check`
/// (without warnings), `regel test` and `regel fmt --check` as it is.
#[test]
fn regel_ny_writes_a_region_that_passes_check_test_and_fmt() {
    let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("regel-ny");
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(&parent).unwrap();
    let dir = parent.join("skane");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_regel"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stderr)
    };
    let dir_text = dir.to_str().unwrap();
    let (code, stderr) = run(&["ny", dir_text, "--namn", "Region Skåne"]);
    assert_eq!(code, Some(0), "{stderr}");
    let header = std::fs::read_to_string(dir.join("regelverk.regel")).unwrap();
    assert!(
        // target/tmp/regel-ny/skane: four levels below the repository.
        header.contains("regelverk \"Region Skåne\" bygger på \"../../../../rules\""),
        "{header}"
    );
    let (code, stderr) = run(&["check", dir_text]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("1 avsteg") && stderr.contains(" 0 varningar"),
        "{stderr}"
    );
    let (code, stderr) = run(&["test", dir_text]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = run(&["fmt", "--check", dir_text]);
    assert_eq!(code, Some(0), "{stderr}");
    // A directory that is not empty is never written over.
    let (code, stderr) = run(&["ny", dir_text]);
    assert_eq!(code, Some(2), "{stderr}");
}

/// Runs `regel decide --explain` on one request and returns the answer.
fn explain(dir: &str, decision: &str, request: &str) -> serde_json::Value {
    let (code, stdout, stderr) = regel(
        &["decide", dir, "--decision", decision, "--explain"],
        Some(request),
    );
    assert_eq!(code, 0, "{dir} {request}: {stdout}{stderr}");
    serde_json::from_str(stdout.trim()).unwrap()
}

#[test]
fn a_care_sealing_without_an_end_date_holds_until_lifted_except_in_rjh() {
    let request = r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-01-01"}, "vårdförsegling": {"finns": true, "omfattning": "alla_enheter"}}"#;
    for dir in ["rules", "regions/vastra-gotaland"] {
        let answer = explain(dir, "direktåtkomst", request);
        assert_eq!(answer["utfall"], "dölj", "{dir}: {answer}");
        assert_eq!(answer["regel"], "N7", "{dir}: {answer}");
        let conditions = answer["förklaring"]["villkor"].to_string();
        assert!(
            conditions.contains("vårdförsegling.slutdatum saknas"),
            "{dir}: {conditions}"
        );
    }
    let (code, stdout, _) = regel(
        &[
            "decide",
            "regions/jamtland-harjedalen",
            "--decision",
            "direktåtkomst",
        ],
        Some(request),
    );
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("vårdförsegling.slutdatum"), "{stdout}");
}

#[test]
fn an_unsigned_note_before_2022_03_01_says_when_it_will_be_shown() {
    let note = |datum: &str| {
        format!(
            r#"{{"datum": "{datum}", "läsare": "patient", "patient": {{"födelsedatum": "1980-01-01"}}, "post": {{"kategori": "anteckning", "signerad": false, "datum": "2022-02-20"}}}}"#
        )
    };
    let hidden = explain(
        "regions/vastra-gotaland",
        "direktåtkomst",
        &note("2022-02-25"),
    );
    assert_eq!(hidden["utfall"], "dölj", "{hidden}");
    assert_eq!(hidden["skäl"], "osignerad", "{hidden}");
    // 14 days after 2022-02-20 is 2022-03-06, but the rule ends 2022-02-28.
    assert_eq!(hidden["visas_från"], "2022-03-01", "{hidden}");
    let avsteg = &hidden["förklaring"]["regel"]["avsteg"];
    assert_eq!(avsteg["id"], "VGR-OS", "{hidden}");
    assert_eq!(avsteg["gäller"], "till och med 2022-02-28", "{hidden}");
    assert!(
        hidden["förklaring"]["regel"]["tolkning"][0].is_string(),
        "{hidden}"
    );
    let earlier = explain(
        "regions/vastra-gotaland",
        "direktåtkomst",
        &note("2022-02-21"),
    );
    assert_eq!(earlier["visas_från"], "2022-03-01", "{earlier}");
    let shown = explain(
        "regions/vastra-gotaland",
        "direktåtkomst",
        &note("2022-03-01"),
    );
    assert_eq!(shown["utfall"], "visa", "{shown}");
    assert!(shown.get("visas_från").is_none(), "{shown}");
    // Nationally an unsigned note is shown at once, on any day.
    let national = explain("rules", "direktåtkomst", &note("2022-02-25"));
    assert_eq!(national["utfall"], "visa", "{national}");
}

#[test]
fn explain_shows_the_winning_rules_tolkning() {
    let request = r#"{"datum": "2026-05-15", "läsare": "patient", "läsarval": {"rådrum": true}, "patient": {"födelsedatum": "1980-01-01"}, "post": {"datum": "2026-05-10"}}"#;
    let answer = explain("rules", "direktåtkomst", request);
    assert_eq!(answer["regel"], "N10", "{answer}");
    let tolkning = answer["förklaring"]["regel"]["tolkning"][0]
        .as_str()
        .unwrap();
    assert!(tolkning.contains("14 dagarna"), "{tolkning}");
}

/// BRIEF §5.5: the interpretations every rule file must mark where it encodes them, each by
/// what it is written on and a phrase of its text.
const INTERPRETATIONS: &[(&str, &str, &str)] = &[
    ("rules", "regel N10", "14 dagarna"),
    ("rules", "härledd patient.ålder", "29 februari"),
    ("regions/vastra-gotaland", "avsteg VGR-SK", "18 år"),
    (
        "regions/vastra-gotaland",
        "avsteg VGR-BUP",
        "bara för vårdnadshavare",
    ),
    ("regions/vastra-gotaland", "avsteg VGR-U ", "lex specialis"),
    ("regions/vastra-gotaland", "avsteg VGR-S2", "2016-06-01"),
    ("regions/vastra-gotaland", "avsteg VGR-S3", "2019-09-01"),
    ("regions/vastra-gotaland", "avsteg VGR-OS", "2022-02-28"),
    ("regions/jamtland-harjedalen", "avsteg RJH-3.4a", "HSA-id"),
    ("regions/jamtland-harjedalen", "avsteg RJH-3.4a", "3.1"),
    ("regions/jamtland-harjedalen", "avsteg RJH-3.4b", "HSA-id"),
    (
        "regions/jamtland-harjedalen",
        "avsteg RJH-2.2.2",
        "2024-08-19",
    ),
    ("regions/jamtland-harjedalen", "avsteg RJH-F", "2024-08-19"),
    ("regions/jamtland-harjedalen", "avsteg RJH-U", "2024-08-19"),
    ("regions/jamtland-harjedalen", "avsteg RJH-4", "2024-08-19"),
];

#[test]
fn every_interpretation_of_brief_5_5_is_marked_and_listed() {
    for (dir, on, phrase) in INTERPRETATIONS {
        let p = regelverk::Pipeline::load(std::path::Path::new(dir)).unwrap();
        let ruleset = p.ruleset.unwrap();
        let found = ruleset
            .interpretations()
            .into_iter()
            .any(|(what, i)| what.starts_with(on) && i.text.contains(phrase));
        assert!(found, "{dir}: no tolkning on `{on}` mentions {phrase:?}");
    }
    // `regel deviations` lists every interpretation of a region, the national ones too,
    // in text, Markdown and JSON.
    for dir in ["regions/jamtland-harjedalen", "regions/vastra-gotaland"] {
        let ruleset = regelverk::Pipeline::load(std::path::Path::new(dir))
            .unwrap()
            .ruleset
            .unwrap();
        let all = ruleset.interpretations();
        assert!(
            all.iter().any(|(on, _)| on.starts_with("regel N10")),
            "{dir}"
        );
        for format in ["text", "markdown"] {
            let (code, stdout, stderr) = regel(&["deviations", dir, "--format", format], None);
            assert_eq!(code, 0, "{stderr}");
            assert!(stdout.contains("Tolkningar"), "{dir} {format}: {stdout}");
            for (on, i) in &all {
                let text = match format {
                    "markdown" => regelverk::render::diff::md(&i.text),
                    _ => i.text.clone(),
                };
                assert!(stdout.contains(&text), "{dir} {format}: {on} saknas");
            }
        }
        let (_, stdout, _) = regel(&["deviations", dir, "--format", "json"], None);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(
            json["tolkningar"].as_array().unwrap().len(),
            all.len(),
            "{dir}"
        );
    }
}

/// The regions, without the national framework.
fn regions() -> Vec<PathBuf> {
    rulesets()
        .into_iter()
        .filter(|d| d.starts_with("regions"))
        .collect()
}

/// Issue 14, done when: at least ten regions, and each decision difference from the national
/// framework is traced to an `avsteg` of the region that cites a `källa`.
#[test]
fn every_region_difference_traces_to_an_avsteg_with_a_kalla() {
    use regelverk::diff;
    let national = regelverk::Pipeline::load(Path::new("rules"))
        .unwrap()
        .compiled
        .unwrap();
    let regions = regions();
    assert!(regions.len() >= 10, "{regions:?}");
    let mut wrong = Vec::new();
    for dir in regions {
        let p = regelverk::Pipeline::load(&dir).unwrap();
        let (ruleset, compiled) = (p.ruleset.unwrap(), p.compiled.unwrap());
        let d = diff::diff_rulesets(&national, &compiled, None).unwrap();
        assert!(!d.is_empty(), "{} differs from nothing", dir.display());
        for group in diff::deviations::attribute(&d, &ruleset) {
            let Some(deviation) = &group.deviation else {
                let situations: Vec<String> = group
                    .differences
                    .iter()
                    .map(|(decision, x)| format!("{decision}: {}", x.conditions_text()))
                    .collect();
                wrong.push(format!(
                    "{}: no avsteg explains {situations:#?}",
                    dir.display()
                ));
                continue;
            };
            if !group.differences.is_empty()
                && !deviation.sources.iter().any(|s| !s.trim().is_empty())
            {
                wrong.push(format!(
                    "{}: avsteg {} has no källa",
                    dir.display(),
                    deviation.id
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The value a request gives a fact, nested (`{"post": {"datum": …}}`) or dotted.
fn given<'j>(request: &'j serde_json::Value, fact: &str) -> Option<&'j serde_json::Value> {
    if let Some(v) = request.get(fact) {
        return Some(v);
    }
    let mut parts = fact.splitn(2, '.');
    let (head, rest) = (parts.next()?, parts.next()?);
    given(request.get(head)?, rest)
}

/// Issue 14, done when: every region's examples include its boundary dates and a request
/// that must fail. For each comparison of a date fact with a fixed day that the region adds
/// to a decision (a period's `gäller från`/`gäller till och med`, a connection date), some
/// example of that decision gives the fact the day on each side of the boundary; and some
/// example expects `fel`.
#[test]
fn every_region_examples_cover_its_boundary_dates_and_a_must_fail_request() {
    use regelverk::check::model::Expected;
    use regelverk::table::ColumnKind;
    use regelverk::table::days::DayBound;
    let national = regelverk::Pipeline::load(Path::new("rules"))
        .unwrap()
        .compiled
        .unwrap();
    let mut wrong = Vec::new();
    let mut boundaries = 0;
    for dir in regions() {
        let p = regelverk::Pipeline::load(&dir).unwrap();
        let (ruleset, compiled) = (p.ruleset.unwrap(), p.compiled.unwrap());
        if !ruleset
            .examples
            .iter()
            .any(|e| matches!(e.expected, Expected::Error))
        {
            wrong.push(format!("{}: no example expects `fel`", dir.display()));
        }
        for table in &compiled.tables {
            let national_columns: Vec<&str> = national
                .table(&table.decision)
                .map(|t| t.columns.iter().map(|c| c.name.as_str()).collect())
                .unwrap_or_default();
            let examples: Vec<&serde_json::Value> = ruleset
                .examples
                .iter()
                .filter(|e| ruleset.decision(e.decision).name == table.decision)
                .map(|e| &e.request)
                .collect();
            for column in &table.columns {
                let ColumnKind::Predicate(e) = &column.kind else {
                    continue;
                };
                let Some((bound, _)) = DayBound::of(e) else {
                    continue;
                };
                if national_columns.contains(&column.name.as_str()) {
                    continue;
                }
                boundaries += 1;
                for day in bound.sides() {
                    let day = day.to_string();
                    let shown = examples.iter().any(|r| {
                        given(r, bound.fact).and_then(|v| v.as_str()) == Some(day.as_str())
                    });
                    if !shown {
                        wrong.push(format!(
                            "{}: `{}` in {}: no example with {} = {day}",
                            dir.display(),
                            column.name,
                            table.decision,
                            bound.fact
                        ));
                    }
                }
            }
        }
    }
    assert!(boundaries >= 10, "only {boundaries} boundaries found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
