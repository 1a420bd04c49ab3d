//! What the analyses add to `regel check` on the three real rulesets: checking and
//! compiling alone, the same plus the proof of every invariant, the proof alone, and
//! everything `regel check` runs (all analyses). Issue 9 asks that the proof add under
//! 50 ms; compare `check_and_prove` with `check`, or read `prove` directly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use criterion::{Criterion, criterion_group, criterion_main};
use regelverk::check::{Ruleset, check_dir};
use regelverk::table::CompiledRuleset;
use std::hint::black_box;
use std::path::Path;

const RULESETS: [&str; 3] = [
    "rules",
    "regions/jamtland-harjedalen",
    "regions/vastra-gotaland",
];

/// Read, parse, check and compile, without any analysis.
fn check(dir: &str) -> (Ruleset, CompiledRuleset) {
    let checked = check_dir(Path::new(dir)).unwrap();
    let ruleset = checked.ruleset.unwrap();
    let compiled = regelverk::compile::compile(&ruleset).0.unwrap();
    (ruleset, compiled)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.sample_size(20);
    group.bench_function("check", |b| {
        b.iter(|| {
            for dir in RULESETS {
                black_box(check(dir));
            }
        })
    });
    group.bench_function("check_and_prove", |b| {
        b.iter(|| {
            for dir in RULESETS {
                let (ruleset, compiled) = check(dir);
                let proof = regelverk::analyze::invariants(&ruleset, &compiled);
                assert!(proof.diagnostics.is_empty());
                black_box(proof.proved);
            }
        })
    });
    let checked: Vec<(Ruleset, CompiledRuleset)> = RULESETS.iter().map(|d| check(d)).collect();
    group.bench_function("prove", |b| {
        b.iter(|| {
            for (ruleset, compiled) in &checked {
                black_box(regelverk::analyze::invariants(ruleset, compiled).proved);
            }
        })
    });
    group.bench_function("regel_check", |b| {
        b.iter(|| {
            for dir in RULESETS {
                let p = regelverk::Pipeline::load(Path::new(dir)).unwrap();
                black_box(p.compiled.is_some());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
