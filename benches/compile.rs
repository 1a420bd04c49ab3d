//! Compile time of the real rulesets: read, parse, check and compile every decision.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    group.sample_size(20);
    for dir in [
        "rules",
        "regions/jamtland-harjedalen",
        "regions/vastra-gotaland",
    ] {
        group.bench_function(dir, |b| {
            b.iter(|| {
                let pipeline = regelverk::Pipeline::load(Path::new(dir)).expect("ruleset loads");
                pipeline.compiled.map(|c| c.tables.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
