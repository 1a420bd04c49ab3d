//! regelverk and its peers on the VGR `direktåtkomst` policy, one criterion group per
//! scenario. The gate runs first: unless every engine agrees with regelverk on 10,000
//! random requests, nothing is measured.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "bench code: a failure should stop with the value that caused it"
)]

use criterion::Criterion;
use regelverk_peers::gate::{self, Engines};
use regelverk_peers::handwritten;
use regelverk_peers::report::{self, RVM_FROM_JSON};
use regelverk_peers::request::Request;
use regelverk_peers::scenarios::{SCENARIOS, Scenario};
use regelverk_peers::{Outcome, Verdict};
use std::hint::black_box;
use std::process::ExitCode;

const GATE_SEED: u64 = 13;
const GATE_REQUESTS: usize = 10_000;

fn main() -> ExitCode {
    match gate::run(GATE_SEED, GATE_REQUESTS) {
        Ok(report) => eprintln!("{report}"),
        Err(error) => {
            eprintln!("peers: no results: {error}");
            return ExitCode::FAILURE;
        }
    }
    let mut engines = match Engines::new() {
        Ok(engines) => engines,
        Err(error) => {
            eprintln!("peers: cannot set up the engines: {error}");
            return ExitCode::FAILURE;
        }
    };
    for scenario in &SCENARIOS {
        if let Err(error) = check_scenario(&mut engines, scenario) {
            eprintln!("peers: scenario `{}`: {error}", scenario.name);
            return ExitCode::FAILURE;
        }
    }
    let mut c = Criterion::default().configure_from_args();
    for scenario in &SCENARIOS {
        bench_scenario(&mut c, &mut engines, scenario);
    }
    let mut group = c.benchmark_group(RVM_FROM_JSON);
    for scenario in &SCENARIOS {
        group.bench_function(scenario.name, |b| {
            b.iter(|| engines.regorus_vm.decide_text(black_box(scenario.json)))
        });
    }
    group.finish();
    c.final_summary();
    println!(
        "\nMedians (shared 2-core machine):\n\n{}",
        report::table(&report::criterion_dir())
    );
    ExitCode::SUCCESS
}

/// Every engine gives the scenario's expected verdict: the benchmark times what it says.
fn check_scenario(engines: &mut Engines, scenario: &Scenario) -> Result<(), String> {
    let expected = Verdict {
        outcome: Outcome::from_name(scenario.outcome).ok_or("unknown outcome")?,
        reason: scenario.reason.to_owned(),
    };
    let answers = [
        (
            "regelverk_json",
            regelverk_peers::regelverk::verdict(&engines.regelverk, scenario.json),
        ),
        ("regorus_rvm", engines.regorus_vm.verdict(scenario.json)),
        (
            "regorus_json",
            engines.regorus_interpreter.verdict(scenario.json),
        ),
        ("cedar_json", engines.cedar.verdict(scenario.json)),
        ("zen", engines.zen.verdict(scenario.json)),
    ];
    for (engine, answer) in answers {
        if answer.as_ref() != Ok(&expected) {
            return Err(format!("{engine} answers {answer:?}, expected {expected}"));
        }
    }
    Ok(())
}

fn bench_scenario(c: &mut Criterion, engines: &mut Engines, scenario: &Scenario) {
    let json: serde_json::Value = serde_json::from_str(scenario.json).unwrap();
    let table_request = engines.regelverk.request(&json).unwrap();
    let typed = Request::from_text(scenario.json).unwrap();
    let rvm_input = regorus::Value::from_json_str(scenario.json).unwrap();
    let cedar_request = engines.cedar.request(&typed).unwrap();
    let text = scenario.json;

    let mut group = c.benchmark_group(scenario.name);
    let evaluator = &engines.regelverk;
    group.bench_function("regelverk_table", |b| {
        b.iter(|| evaluator.decide(black_box(&table_request)).map(|d| d.row))
    });
    group.bench_function("regelverk_json", |b| {
        b.iter(|| evaluator.decide_text(black_box(text)).map(|d| d.row))
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten::decide(black_box(&typed)))
    });
    let vm = &mut engines.regorus_vm;
    group.bench_function("regorus_rvm", |b| {
        b.iter(|| vm.decide(black_box(rvm_input.clone())))
    });
    let interpreter = &mut engines.regorus_interpreter;
    group.bench_function("regorus_json", |b| {
        b.iter(|| interpreter.decide_text(black_box(text)))
    });
    let cedar = &engines.cedar;
    group.bench_function("cedar", |b| {
        b.iter(|| cedar.decide(black_box(&cedar_request)).map(|(o, _)| o))
    });
    group.bench_function("cedar_json", |b| {
        b.iter(|| cedar.decide_text(black_box(text)).map(|(o, _)| o))
    });
    let zen = &engines.zen;
    group.bench_function("zen", |b| b.iter(|| zen.decide_text(black_box(text))));
    group.finish();
}
