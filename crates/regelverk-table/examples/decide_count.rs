//! Decides one request `N` times, for counting instructions per decision with callgrind
//! (a run of `N + 1` less a run of one leaves `N` decisions and nothing else):
//!
//! ```text
//! cargo build --release -p regelverk-table --example decide_count
//! valgrind --tool=callgrind target/release/examples/decide_count vgr.ron request.json 10001 json
//! valgrind --tool=callgrind target/release/examples/decide_count vgr.ron request.json 1 json
//! ```
//!
//! `json` decides the file's bytes as a request's text (`Evaluator::decide_bytes_with`, one
//! `Scratch` for all: from the second request on, read by its shape), `json-keys` the same
//! but every other request with one more space after its first brace, so that no request
//! has the shape of the one before and each is read key by key, `table` the same request
//! checked once (`Evaluator::decide`). The table is the `direktåtkomst` decision of a
//! compiled ruleset (`regel compile`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a measuring tool: a failure should stop with the value that caused it"
)]

use regelverk_table::{CompiledRuleset, Evaluator, Scratch};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, ruleset, request, times, how] = args.as_slice() else {
        panic!("usage: decide_count RULESET.ron REQUEST.json N json|json-keys|table");
    };
    let compiled = CompiledRuleset::parse(&std::fs::read_to_string(ruleset).unwrap()).unwrap();
    let evaluator = Evaluator::new(compiled.table("direktåtkomst").unwrap().clone()).unwrap();
    let text = std::fs::read(request).unwrap();
    let times: usize = times.parse().unwrap();
    let mut decided = 0;
    match how.as_str() {
        "json" => {
            let mut scratch = Scratch::default();
            for _ in 0..times {
                decided += usize::from(
                    evaluator
                        .decide_bytes_with(&mut scratch, black_box(&text))
                        .is_ok(),
                );
            }
        }
        "json-keys" => {
            let mut spaced = text.clone();
            spaced.insert(1, b' ');
            let mut scratch = Scratch::default();
            for i in 0..times {
                let request = if i % 2 == 0 { &text } else { &spaced };
                decided += usize::from(
                    evaluator
                        .decide_bytes_with(&mut scratch, black_box(request))
                        .is_ok(),
                );
            }
        }
        "table" => {
            let json: serde_json::Value = serde_json::from_slice(&text).unwrap();
            let checked = evaluator.request(&json).unwrap();
            for _ in 0..times {
                decided += usize::from(evaluator.decide(black_box(&checked)).is_ok());
            }
        }
        other => panic!("`{other}`: json, json-keys or table"),
    }
    println!("{decided} of {times} decided");
}
