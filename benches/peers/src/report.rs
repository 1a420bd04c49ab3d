//! The results table: medians from criterion's saved estimates, with the ratios issue 13
//! asks for, as Markdown.

use crate::scenarios::SCENARIOS;
use std::path::{Path, PathBuf};

/// The function ids of each scenario group, in the table's order.
pub const FUNCTIONS: [&str; 8] = [
    "regelverk_table",
    "handwritten",
    "regorus_rvm",
    "cedar",
    "regelverk_json",
    "regorus_json",
    "cedar_json",
    "zen",
];

/// The peers' paths from JSON text to a decision.
const PEERS_FROM_JSON: [&str; 3] = ["regorus_json", "cedar_json", "zen"];

/// The group timing regorus's RVM from JSON text (parse, then run), one function per
/// scenario: the fastest way into regorus from text, reported beside `regorus_json`.
pub const RVM_FROM_JSON: &str = "regorus_rvm from JSON";

/// Where criterion keeps its results, as criterion itself decides it.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(target) => PathBuf::from(target).join("criterion"),
        None => PathBuf::from("target/criterion"),
    }
}

/// The median of one benchmark in nanoseconds, if it has been run.
pub fn median(dir: &Path, group: &str, function: &str) -> Option<f64> {
    let path = dir.join(group).join(function).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("median")?.get("point_estimate")?.as_f64()
}

fn time(ns: Option<f64>) -> String {
    match ns {
        None => "–".to_owned(),
        Some(ns) if ns < 1_000.0 => format!("{ns:.1} ns"),
        Some(ns) if ns < 1_000_000.0 => format!("{:.1} µs", ns / 1_000.0),
        Some(ns) => format!("{:.1} ms", ns / 1_000_000.0),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "–".to_owned(),
    }
}

/// The Markdown table of medians and ratios, from the results in `dir`.
pub fn table(dir: &Path) -> String {
    let mut out = String::new();
    out.push_str("| scenario |");
    for f in FUNCTIONS {
        out.push_str(&format!(" {f} |"));
    }
    out.push_str(" regorus RVM from JSON | regelverk_json / fastest peer from JSON | regelverk_table / handwritten |\n|---|");
    for _ in 0..FUNCTIONS.len() + 3 {
        out.push_str("---:|");
    }
    out.push('\n');
    for scenario in &SCENARIOS {
        let m = |f: &str| median(dir, scenario.name, f);
        out.push_str(&format!("| {} |", scenario.name));
        for f in FUNCTIONS {
            out.push_str(&format!(" {} |", time(m(f))));
        }
        let rvm_json = median(dir, RVM_FROM_JSON, scenario.name);
        let fastest_peer = PEERS_FROM_JSON
            .iter()
            .filter_map(|f| m(f).map(|ns| (ns, *f)))
            .chain(rvm_json.map(|ns| (ns, "regorus RVM from JSON")))
            .reduce(|a, b| if b.0 < a.0 { b } else { a });
        let versus_peer = match fastest_peer {
            Some((ns, peer)) => format!("{} ({peer})", ratio(m("regelverk_json"), Some(ns))),
            None => "–".to_owned(),
        };
        out.push_str(&format!(
            " {} | {versus_peer} | {} |\n",
            time(rvm_json),
            ratio(m("regelverk_table"), m("handwritten")),
        ));
    }
    out
}
