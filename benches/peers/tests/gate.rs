//! The gate on fewer requests than the benchmark, and the hand-written baseline on the
//! brief's worked examples.

use regelverk_peers::gate::{self, Engines};
use regelverk_peers::scenarios::SCENARIOS;
use regelverk_peers::{Outcome, Verdict, handwritten, regelverk, request::Request};

#[test]
fn every_engine_agrees_with_regelverk_on_random_requests() {
    match gate::run(1, 2_000) {
        Ok(report) => eprintln!("{report}"),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn every_engine_answers_the_scenarios_as_expected() {
    let mut engines = Engines::new().unwrap();
    for scenario in &SCENARIOS {
        let expected = Verdict {
            outcome: Outcome::from_name(scenario.outcome).unwrap(),
            reason: scenario.reason.to_owned(),
        };
        let text = scenario.json;
        assert_eq!(
            regelverk::verdict(&engines.regelverk, text),
            Ok(expected.clone()),
            "{}",
            scenario.name
        );
        let typed = Request::from_text(text).unwrap();
        assert_eq!(
            Verdict::from(handwritten::decide(&typed)),
            expected,
            "{}",
            scenario.name
        );
        assert_eq!(
            engines.regorus_vm.verdict(text),
            Ok(expected.clone()),
            "{}",
            scenario.name
        );
        assert_eq!(
            engines.regorus_interpreter.verdict(text),
            Ok(expected.clone()),
            "{}",
            scenario.name
        );
        assert_eq!(
            engines.cedar.verdict(text),
            Ok(expected.clone()),
            "{}",
            scenario.name
        );
        assert_eq!(engines.zen.verdict(text), Ok(expected), "{}", scenario.name);
    }
}

/// BRIEF §6, the VGR rows and the national ones that hold in VGR too.
#[test]
fn the_baseline_decides_the_worked_examples() {
    let cases = [
        (
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2010-05-01"},
                "post": {"datum": "2026-01-01", "vårdenhet": "A", "kategori": "provsvar"}}"#,
            "visa",
        ),
        (
            r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2010-05-02"},
                "post": {"datum": "2026-01-01", "vårdenhet": "A", "kategori": "provsvar"}}"#,
            "dölj",
        ),
        (
            r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2013-05-02"},
                "post": {"datum": "2026-01-01", "vårdenhet": "A", "kategori": "provsvar"}}"#,
            "visa",
        ),
        (
            r#"{"datum": "2026-06-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2012-01-15"},
                "vårdnadshavare": {"förlängning": {"finns": true, "signerad": "2025-06-01", "enhet": "se-a"}},
                "post": {"datum": "2026-05-20", "vårdenhet": "SE-A", "kategori": "anteckning"}}"#,
            "visa",
        ),
        (
            r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare", "patient": {"födelsedatum": "2021-01-01"},
                "post": {"datum": "2026-01-01", "vårdenhet": "A", "verksamhet": "bup", "kategori": "diagnos"}}"#,
            "dölj",
        ),
    ];
    for (text, outcome) in cases {
        let request = Request::from_text(text).unwrap();
        assert_eq!(
            Verdict::from(handwritten::decide(&request)).outcome.name(),
            outcome,
            "{text}"
        );
    }
}

/// VGR-OS (regions/vastra-gotaland/exempel_direktåtkomst.regel): before 2022-03-01 an
/// unsigned note is hidden until it is 14 days old, and the baseline says from which day;
/// a signed note, or an unsigned one viewed from 2022-03-01, is shown.
#[test]
fn the_baseline_holds_unsigned_notes_back_until_2022_03_01() {
    let request = |date: &str, entry: &str, signed: bool| {
        Request::from_text(&format!(
            r#"{{"datum": "{date}", "läsare": "patient", "patient": {{"födelsedatum": "1979-07-22"}},
                "post": {{"datum": "{entry}", "vårdenhet": "A", "kategori": "anteckning", "signerad": {signed}}}}}"#
        ))
        .unwrap()
    };
    let held = handwritten::decide(&request("2022-02-20", "2022-02-10", false));
    assert_eq!((held.show, held.reason), (false, "osignerad"));
    assert_eq!(
        held.shown_from.map(|d| d.to_string()).as_deref(),
        Some("2022-02-24")
    );
    let ending = handwritten::decide(&request("2022-02-28", "2022-02-27", false));
    assert_eq!(
        ending.shown_from.map(|d| d.to_string()).as_deref(),
        Some("2022-03-01")
    );
    for (date, entry, signed) in [
        ("2022-02-20", "2022-02-19", true),
        ("2022-03-01", "2022-02-27", false),
    ] {
        let shown = handwritten::decide(&request(date, entry, signed));
        assert_eq!(
            (shown.show, shown.reason, shown.shown_from),
            (true, "egen_åtkomst", None)
        );
    }
}
