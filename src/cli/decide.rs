//! `regel decide`: decide requests against a ruleset or a compiled table, one JSON line each.

use super::{Exit, load_or_report};
use crate::render::explain::response;
use crate::table::{CompiledRuleset, Evaluator, RequestError};
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

/// The largest request read before giving up on it, so garbage input cannot exhaust memory.
const MAX_REQUEST_BYTES: usize = 1 << 20;

/// Avgör begäranden: en JSON-rad ut för varje begäran in, i samma ordning.
///
/// Varje rad är `{"utfall": …, "skäl": …, "regel": …, "källor": […]}` eller `{"fel": …}`.
/// En felaktig begäran stoppar inte resten. Saknade, felstavade eller felaktiga fakta ger
/// alltid `fel`, aldrig ett utfall.
///
/// Exempel:
///   regel decide regions/vastra-gotaland --decision direktåtkomst --request fråga.json --explain
///   regel decide tabell.ron --decision direktåtkomst --requests frågor.jsonl
///   echo '{"läsare": "patient", …}' | regel decide rules --decision direktåtkomst
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Decide {
    /// En regelverkskatalog eller en kompilerad tabell (från `regel compile`).
    #[arg(value_name = "REGELVERK")]
    ruleset: PathBuf,
    /// Beslutet, t.ex. `direktåtkomst`, `upplåsning` eller `försegling`.
    #[arg(long, value_name = "BESLUT")]
    decision: String,
    /// En fil med en begäran (ett JSON-objekt).
    #[arg(long, value_name = "FIL", conflicts_with = "requests")]
    request: Option<PathBuf>,
    /// En fil med en begäran per rad (JSONL). Utan --request och --requests läses JSONL från standard in.
    #[arg(long, value_name = "FIL.jsonl")]
    requests: Option<PathBuf>,
    /// Visa radens villkor, den avgörande regeln med källor och avsteg, och reglerna den gick före.
    #[arg(long)]
    explain: bool,
}

impl Decide {
    pub fn run(self) -> Exit {
        let compiled = if self.ruleset.is_file() {
            let text = match std::fs::read_to_string(&self.ruleset) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("fel: kan inte läsa `{}`: {e}", self.ruleset.display());
                    return Exit::Error;
                }
            };
            match CompiledRuleset::parse(&text) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("fel: `{}`: {e}", self.ruleset.display());
                    return Exit::Error;
                }
            }
        } else {
            match load_or_report(&self.ruleset) {
                Ok(c) => c,
                Err(_) => return Exit::Error,
            }
        };
        let Some(table) = compiled.table(&self.decision) else {
            let known: Vec<&str> = compiled
                .tables
                .iter()
                .map(|t| t.decision.as_str())
                .collect();
            eprintln!(
                "fel: regelverket har inget beslut `{}`; det har: {}",
                self.decision,
                known.join(", ")
            );
            return Exit::Error;
        };
        let evaluator = match Evaluator::new(table.clone()) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("fel: {e}");
                return Exit::Error;
            }
        };
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let mut failed = false;
        let mut emit =
            |line: serde_json::Value, out: &mut BufWriter<std::io::StdoutLock>| -> bool {
                if line.get("fel").is_some() {
                    failed = true;
                }
                writeln!(out, "{line}").is_ok()
            };
        if let Some(path) = &self.request {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("fel: kan inte läsa `{}`: {e}", path.display());
                    return Exit::Error;
                }
            };
            let line = response(&evaluator, evaluator.decide_text(&text), self.explain);
            emit(line, &mut out);
        } else {
            let reader: Box<dyn BufRead> = match &self.requests {
                Some(path) => match std::fs::File::open(path) {
                    Ok(f) => Box::new(std::io::BufReader::new(f)),
                    Err(e) => {
                        eprintln!("fel: kan inte läsa `{}`: {e}", path.display());
                        return Exit::Error;
                    }
                },
                None => Box::new(std::io::stdin().lock()),
            };
            // One request per line (JSONL); a request that spans lines (pretty-printed JSON)
            // is read until it is complete. A syntax error costs only that request.
            let mut pending = String::new();
            let mut first_line = 0usize;
            for (n, line) in reader.lines().enumerate() {
                let line = match line {
                    Ok(l) => l,
                    Err(e) => {
                        emit(
                            serde_json::json!({ "fel": format!("rad {}: kan inte läsas: {e}", n + 1) }),
                            &mut out,
                        );
                        continue;
                    }
                };
                if pending.is_empty() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    first_line = n + 1;
                }
                pending.push_str(&line);
                pending.push('\n');
                let result = match crate::table::parse_json(&pending) {
                    Ok(json) => response(&evaluator, evaluator.decide_json(&json), self.explain),
                    Err(RequestError::Syntax(_))
                        if is_incomplete(&pending) && pending.len() < MAX_REQUEST_BYTES =>
                    {
                        continue;
                    }
                    Err(RequestError::Syntax(e)) => {
                        serde_json::json!({ "fel": format!("rad {first_line}: ogiltig JSON: {e}") })
                    }
                    Err(e) => response(&evaluator, Err(e), self.explain),
                };
                pending.clear();
                if !emit(result, &mut out) {
                    return Exit::Error;
                }
            }
            if !pending.trim().is_empty() {
                emit(
                    serde_json::json!({ "fel": format!("rad {first_line}: ofullständig JSON vid slutet av indata") }),
                    &mut out,
                );
            }
        }
        if out.flush().is_err() {
            return Exit::Error;
        }
        if failed { Exit::Error } else { Exit::Ok }
    }
}

/// Whether JSON text ends before its value is complete (a request spread over lines).
fn is_incomplete(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_err_and(|e| e.is_eof())
}
