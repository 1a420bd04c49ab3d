//! Writes generated `direktåtkomst` requests, one JSON line each, for timing
//! `regel decide --requests`: `cargo run --release --example requests -- 1000000 > 1M.jsonl`
//! (the count, default 1,000,000; the seed, default 13, as the gate's).

use std::io::{BufWriter, Write};

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let number = |arg: Option<String>, default: u64| match arg {
        None => Some(default),
        Some(text) => text.replace(['_', ','], "").parse().ok(),
    };
    let (Some(count), Some(seed)) = (number(args.next(), 1_000_000), number(args.next(), 13))
    else {
        eprintln!("usage: requests [COUNT] [SEED]");
        return std::process::ExitCode::FAILURE;
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for request in regelverk_peers::generate::requests(seed, count as usize) {
        if writeln!(out, "{request}").is_err() {
            return std::process::ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
