//! Decision speed on the VGR `direktåtkomst` policy, in the four scenarios of the peers
//! benchmark, against the hand-written Rust function of `benches/peers` (the baseline,
//! compiled in here from its files so the main workspace builds no peer):
//!
//! - `regelverk_table`: a checked request through the compiled table (`Evaluator::decide`);
//! - `regelverk_json`: the request's JSON text in, the decision out (`decide_text_with`,
//!   one `Scratch` for all requests, as `regel decide --requests` does);
//! - `handwritten`: the hand-written function on its typed request;
//! - `generated`: the function `regel compile --format rust` writes for the decision
//!   (`benches/generated/vastra_gotaland.rs`), on its typed facts.
//!
//! Before timing, all four must agree on 10,000 generated requests: outcome, reason and
//! the day a hidden entry is shown (VGR-OS). At the end the ratios of the medians,
//! measured in this one run, are printed: table / hand-written, generated / hand-written
//! and JSON / table.
//!
//! `cargo bench --bench decide`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]

#[allow(
    dead_code,
    reason = "shared with the peers crate, which uses all of it"
)]
#[path = "peers/src/date.rs"]
mod date;
#[allow(
    dead_code,
    unused_imports,
    reason = "shared with the peers crate, which uses all of it (and its tests' imports)"
)]
#[path = "peers/src/generate.rs"]
mod generate;
#[allow(
    dead_code,
    reason = "the generated module's whole API; the bench uses part of it"
)]
#[path = "generated/vastra_gotaland.rs"]
mod generated;
#[allow(
    dead_code,
    reason = "shared with the peers crate, which uses all of it"
)]
#[path = "peers/src/handwritten.rs"]
mod handwritten;
#[allow(
    dead_code,
    reason = "shared with the peers crate, which uses all of it"
)]
#[path = "peers/src/request.rs"]
mod request;
#[allow(
    dead_code,
    reason = "shared with the peers crate, which uses all of it"
)]
#[path = "peers/src/scenarios.rs"]
mod scenarios;

use criterion::Criterion;
use regelverk::table::{Evaluator, Scratch};
use std::hint::black_box;
use std::path::Path;

fn evaluator() -> Evaluator {
    let pipeline =
        regelverk::Pipeline::load(Path::new("regions/vastra-gotaland")).expect("ruleset loads");
    let compiled = pipeline.compiled.expect("ruleset compiles");
    let table = compiled.table("direktåtkomst").expect("decision exists");
    Evaluator::new(table.clone()).expect("table is valid")
}

/// The generated module's facts from a request's JSON text.
fn facts(json: &serde_json::Value) -> generated::Facts<'_> {
    generated::Facts::from_fn(|name| {
        let mut at = json;
        for part in name.split('.') {
            at = at.get(part)?;
        }
        Some(match at {
            serde_json::Value::Bool(b) => generated::Value::Bool(*b),
            serde_json::Value::Number(n) => generated::Value::Int(n.as_i64().unwrap()),
            serde_json::Value::String(s) => generated::Value::Text(s),
            other => panic!("`{name}` is {other}"),
        })
    })
    .unwrap()
}

/// The gate: the hand-written function, the table, the JSON path and the generated
/// function agree on generated requests, or nothing is timed.
fn gate(evaluator: &Evaluator) {
    let mut by_vgr_os = 0;
    for text in generate::requests(13, 10_000) {
        let typed = request::Request::from_text(&text).unwrap();
        let hand = handwritten::decide(&typed);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let checked = evaluator.request(&json).unwrap();
        let table = evaluator.decide(&checked).unwrap();
        let from_text = evaluator.decide_text(&text).unwrap();
        assert_eq!(table, from_text, "{text}");
        let generated = generated::decide(&facts(&json)).unwrap();
        assert_eq!(
            (
                generated.outcome.as_str(),
                generated.reason.map(generated::Reason::as_str),
                generated.row,
                generated.shown_from.map(|d| d.to_string())
            ),
            (
                table.outcome,
                table.reason,
                table.row,
                table.shown_from.map(|d| d.to_string())
            ),
            "the generated function and the table disagree on {text}"
        );
        if table.rule.is_some_and(|r| r.id == "VGR-OS") {
            by_vgr_os += 1;
        }
        assert_eq!(
            (
                if hand.show { "visa" } else { "dölj" },
                Some(hand.reason),
                hand.shown_from.map(|d| d.to_string())
            ),
            (
                table.outcome,
                table.reason,
                table.shown_from.map(|d| d.to_string())
            ),
            "the hand-written function and regelverk disagree on {text}"
        );
    }
    println!("gate: all 10,000 generated requests agree ({by_vgr_os} decided by VGR-OS)");
}

fn main() {
    let evaluator = evaluator();
    gate(&evaluator);
    let mut c = Criterion::default().configure_from_args();
    for scenario in &scenarios::SCENARIOS {
        let text = scenario.json;
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let checked = evaluator.request(&json).unwrap();
        let typed = request::Request::from_text(text).unwrap();
        let generated_facts = facts(&json);
        let decided = evaluator.decide(&checked).unwrap();
        assert_eq!(
            (decided.outcome, decided.reason),
            (scenario.outcome, Some(scenario.reason))
        );
        let mut group = c.benchmark_group(scenario.name);
        group.bench_function("regelverk_table", |b| {
            b.iter(|| evaluator.decide(black_box(&checked)).map(|d| d.row))
        });
        let mut scratch = Scratch::default();
        group.bench_function("regelverk_json", |b| {
            b.iter(|| {
                evaluator
                    .decide_text_with(&mut scratch, black_box(text))
                    .map(|d| d.row)
            })
        });
        group.bench_function("handwritten", |b| {
            b.iter(|| handwritten::decide(black_box(&typed)))
        });
        group.bench_function("generated", |b| {
            b.iter(|| generated::decide(black_box(&generated_facts)).map(|d| d.row))
        });
        group.finish();
    }
    c.final_summary();
    ratios();
}

/// The ratios of this run's medians, from criterion's estimates.
fn ratios() {
    let median = |group: &str, function: &str| -> Option<f64> {
        let path = Path::new("target/criterion")
            .join(group)
            .join(function)
            .join("new/estimates.json");
        let text = std::fs::read_to_string(path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json["median"]["point_estimate"].as_f64()
    };
    println!(
        "\n{:<28} {:>9} {:>9} {:>9} {:>9} {:>12} {:>10} {:>11}",
        "scenario", "table", "json", "hand", "gen", "table/hand", "gen/hand", "json/table"
    );
    for scenario in &scenarios::SCENARIOS {
        // criterion stores a group under its name with unsafe characters replaced.
        let group: String = scenario
            .name
            .chars()
            .map(|c| if "?\"/\\*<>:|^".contains(c) { '_' } else { c })
            .collect();
        let (Some(table), Some(json), Some(hand), Some(generated)) = (
            median(&group, "regelverk_table"),
            median(&group, "regelverk_json"),
            median(&group, "handwritten"),
            median(&group, "generated"),
        ) else {
            continue;
        };
        println!(
            "{:<28} {:>7.1}ns {:>7.1}ns {:>7.1}ns {:>7.1}ns {:>11.1}× {:>9.1}× {:>10.1}×",
            scenario.name,
            table,
            json,
            hand,
            generated,
            table / hand,
            generated / hand,
            json / table
        );
    }
}
