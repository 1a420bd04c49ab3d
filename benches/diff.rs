//! Semantic diff on generated large tables: two tables of 10,000 rows over three enumerations
//! and one whole number, the second with every twentieth outcome changed. And `regel
//! compare` over every ruleset of the repository (the national rules and every region):
//! the comparison, and the HTML page made from it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use criterion::{Criterion, criterion_group, criterion_main};
use regelverk::check::Origin;
use regelverk::table::{
    Column, ColumnKind, Condition, DecisionTable, FORMAT_VERSION, FactSchema, FactType, IntExpr,
    Row, RuleInfo,
};
use std::hint::black_box;

const VALUES: usize = 10;

fn table(perturb: bool) -> DecisionTable {
    let values: Vec<String> = (0..VALUES).map(|v| format!("v{v}")).collect();
    let enums = ["a", "b", "c"];
    let mut facts: Vec<FactSchema> = enums
        .iter()
        .map(|n| FactSchema {
            name: (*n).to_owned(),
            ty: FactType::Enum(values.clone()),
            default: None,
            kan_saknas: false,
        })
        .collect();
    facts.push(FactSchema {
        name: "n".to_owned(),
        ty: FactType::Int { min: 0, max: 99 },
        default: None,
        kan_saknas: false,
    });
    let intervals: Vec<(i64, i64)> = (0..10).map(|i| (i * 10, i * 10 + 9)).collect();
    let mut columns: Vec<Column> = enums
        .iter()
        .map(|n| Column {
            name: (*n).to_owned(),
            kind: ColumnKind::Enum((*n).to_owned()),
            cells: values.clone(),
            tolkning: Vec::new(),
        })
        .collect();
    columns.push(Column {
        name: "n".to_owned(),
        kind: ColumnKind::Int {
            term: IntExpr::Fact("n".to_owned()),
            intervals: intervals.clone(),
        },
        cells: intervals.iter().map(|(l, h)| format!("{l}–{h}")).collect(),
        tolkning: Vec::new(),
    });
    let rules: Vec<RuleInfo> = (0..20)
        .map(|i| RuleInfo {
            id: format!("R{i}"),
            title: format!("regel {i}"),
            sources: Vec::new(),
            location: format!("gen.regel:{i}"),
            origin: Origin::National,
            deviation: None,
            tolkning: Vec::new(),
            period: None,
            suspended_by: None,
            shown_from: None,
        })
        .collect();
    let mut rows = Vec::new();
    for a in 0..VALUES {
        for b in 0..VALUES {
            for c in 0..VALUES {
                for n in 0..intervals.len() {
                    let i = ((a * VALUES + b) * VALUES + c) * intervals.len() + n;
                    let mut show = (a + 2 * b + 3 * c + n) % 3 == 0;
                    if perturb && i % 20 == 7 {
                        show = !show;
                    }
                    let cond = |col: &str, v: &str| Condition {
                        column: col.to_owned(),
                        values: vec![v.to_owned()],
                    };
                    let label = columns
                        .get(3)
                        .and_then(|col| col.cells.get(n))
                        .cloned()
                        .unwrap_or_default();
                    rows.push(Row {
                        when: vec![
                            cond("a", &values[a]),
                            cond("b", &values[b]),
                            cond("c", &values[c]),
                            cond("n", &label),
                        ],
                        outcome: if show { "visa" } else { "dölj" }.to_owned(),
                        reason: None,
                        rule: Some((a + b + c + n) % 10 + if show { 10 } else { 0 }),
                        overridden: Vec::new(),
                    });
                }
            }
        }
    }
    DecisionTable {
        format: FORMAT_VERSION,
        ruleset: "genererat".to_owned(),
        decision: "direktåtkomst".to_owned(),
        source_hash: String::new(),
        outcomes: vec!["visa".to_owned(), "dölj".to_owned()],
        default_sources: Vec::new(),
        facts,
        columns,
        rows,
        rules,
        deviations: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let old = table(false);
    let new = table(true);
    assert_eq!(old.rows.len(), 10_000);
    let found = regelverk::diff::diff(&old, &new).map(|d| d.differences.len());
    eprintln!("skillnader: {found:?}");
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.bench_function("10000x10000", |b| {
        b.iter(|| regelverk::diff::diff(black_box(&old), black_box(&new)))
    });
    group.bench_function("10000 mot sig själv", |b| {
        b.iter(|| regelverk::diff::diff(black_box(&old), black_box(&old)))
    });
    group.finish();
}

/// The national rules and every region of the repository, compiled.
fn repository_rulesets() -> Vec<regelverk::table::CompiledRuleset> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("rules")];
    let mut regions: Vec<_> = std::fs::read_dir(root.join("regions"))
        .expect("regions/ läses")
        .map(|e| e.expect("katalogpost").path())
        .filter(|p| p.is_dir())
        .collect();
    regions.sort();
    dirs.extend(regions);
    dirs.iter()
        .map(|d| {
            regelverk::Pipeline::load(d)
                .expect("katalogen läses")
                .compiled
                .unwrap_or_else(|| panic!("{} kompileras", d.display()))
        })
        .collect()
}

fn bench_compare(c: &mut Criterion) {
    let all = repository_rulesets();
    let refs: Vec<&regelverk::table::CompiledRuleset> = all.iter().collect();
    let regions: Vec<String> = all.iter().skip(1).map(|r| r.ruleset.clone()).collect();
    let labels = regelverk::render::compare::Labels {
        framework: "rules",
        regions: &regions,
    };
    let hashes: Vec<String> = all.iter().map(|r| r.source_hash.clone()).collect();
    let overview = regelverk::diff::overview(&refs, None).expect("jämförs");
    let audit = regelverk::render::compare::Audit {
        labels,
        hashes: &hashes,
        generated: "2026-01-01",
    };
    let page = regelverk::render::compare::html(&overview, &audit);
    let rows: usize = overview.decisions.iter().map(|d| d.situations()).sum();
    eprintln!(
        "compare över {} regelverk: {rows} situationer, sidan {} byte",
        all.len(),
        page.len()
    );
    let mut group = c.benchmark_group("compare");
    group.sample_size(10);
    group.bench_function(format!("alla {} regelverk", all.len()), |b| {
        b.iter(|| regelverk::diff::overview(black_box(&refs), None))
    });
    group.bench_function(format!("alla {} regelverk som html", all.len()), |b| {
        b.iter(|| {
            let o = regelverk::diff::overview(black_box(&refs), None).expect("jämförs");
            regelverk::render::compare::html(&o, &audit)
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_compare);
criterion_main!(benches);
