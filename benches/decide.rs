//! Decision speed on the real rulesets: one request through a compiled table, as a system
//! embedding the table would call it (request already checked), and from JSON.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use criterion::{Criterion, criterion_group, criterion_main};
use regelverk::table::Evaluator;
use serde_json::json;
use std::hint::black_box;
use std::path::Path;

fn evaluator(dir: &str, decision: &str) -> Evaluator {
    let pipeline = regelverk::Pipeline::load(Path::new(dir)).expect("ruleset loads");
    let compiled = pipeline.compiled.expect("ruleset compiles");
    Evaluator::new(compiled.table(decision).expect("decision exists").clone())
        .expect("table is valid")
}

fn bench(c: &mut Criterion) {
    let vgr = evaluator("regions/vastra-gotaland", "direktåtkomst");
    let requests = [
        (
            "vgr/vårdnadshavare_förlängning",
            json!({"datum": "2026-06-01", "läsare": "vårdnadshavare",
                   "patient": {"födelsedatum": "2012-01-15"},
                   "vårdnadshavare": {"förlängning": {"finns": true, "signerad": "2025-06-01", "enhet": "A"}},
                   "post": {"vårdenhet": "A", "datum": "2026-01-01"}}),
        ),
        (
            "vgr/patient_16",
            json!({"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2010-05-01"},
                   "post": {"kategori": "provsvar"}}),
        ),
        (
            "vgr/förseglat_konto",
            json!({"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "1980-05-01", "försegling": "av_patienten"}}),
        ),
    ];
    for (name, json) in &requests {
        let request = vgr.request(json).expect("valid request");
        c.bench_function(&format!("decide/{name}"), |b| {
            b.iter(|| vgr.decide(black_box(&request)).map(|d| d.row))
        });
    }
    let (name, json) = &requests[0];
    c.bench_function(&format!("decide_json/{name}"), |b| {
        b.iter(|| vgr.decide_json(black_box(json)).map(|d| d.row))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
