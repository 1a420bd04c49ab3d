//! The generated region of the growth bench (`benches/growth/generate.rs`) checks and
//! compiles without a diagnostic, and decides as its rules say.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

#[path = "../benches/growth/generate.rs"]
mod generate;

use regelverk::table::Evaluator;

#[test]
fn the_generated_region_compiles_and_decides() {
    let dir = std::env::temp_dir().join(format!("regel-growth-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("region.regel"), generate::region(400)).unwrap();
    let pipeline = regelverk::Pipeline::load(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        pipeline.diagnostics.is_empty(),
        "{:?}",
        pipeline.diagnostics
    );
    let compiled = pipeline.compiled.expect("compiles");
    let evaluator = Evaluator::new(compiled.table("direktåtkomst").unwrap().clone()).unwrap();
    let decide = |unit: &str, reader: &str, born: &str, entry: &str| {
        let text = format!(
            r#"{{"datum": "2026-01-20", "läsare": "{reader}", "patient": {{"födelsedatum": "{born}"}}, "post": {{"enhet": "{unit}", "datum": "{entry}"}}}}"#
        );
        let d = evaluator.decide_text(&text).unwrap();
        (
            d.outcome,
            d.reason.unwrap_or("").to_owned(),
            d.rule.map(|r| r.id.clone()),
        )
    };
    // Unit 3: adults from 18 (15 + 3 % 4), connected 2013-10-01, new entries wait.
    assert_eq!(
        decide("e3", "patient", "1980-01-01", "2025-01-01"),
        ("visa", "egen_åtkomst".into(), Some("E3C".into()))
    );
    assert_eq!(
        decide("e3", "patient", "2009-01-01", "2025-01-01"),
        ("dölj", "ingen_behörighet".into(), None)
    );
    assert_eq!(
        decide("e3", "patient", "1980-01-01", "2013-09-30"),
        ("dölj", "före_anslutning".into(), Some("E3B".into()))
    );
    assert_eq!(
        decide("e3", "patient", "1980-01-01", "2026-01-15"),
        ("dölj", "rådrum".into(), Some("E3D".into()))
    );
    // The last unit (99): children to 14 (10 + 99 % 5) for guardians.
    assert_eq!(
        decide("e99", "vårdnadshavare", "2012-01-01", "2025-01-01"),
        ("visa", "vårdnadshavare".into(), Some("E99A".into()))
    );
    assert_eq!(
        decide("e99", "vårdnadshavare", "2011-01-01", "2025-01-01"),
        ("dölj", "ingen_behörighet".into(), None)
    );
}
