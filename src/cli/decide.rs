//! `regel decide`: decide requests against a ruleset or a compiled table, one JSON line each.

use super::error::{CliError, Exit};
use super::input::Input;
use crate::render::explain::response;
use crate::table::{Evaluator, RequestError};
use serde_json::json;
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
///   regel decide git:origin/main:rules --decision direktåtkomst --request fråga.json
///   echo '{"läsare": "patient", …}' | regel decide rules --decision direktåtkomst
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Decide {
    /// En regelverkskatalog, en kompilerad tabell (från `regel compile`), eller någon av dem
    /// vid en git-revision: git:REV:SÖKVÄG.
    #[arg(value_name = "REGELVERK")]
    ruleset: String,
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
    pub fn run(self) -> Result<Exit, CliError> {
        let compiled = Input::parse(&self.ruleset)?.compiled()?;
        let Some(table) = compiled.table(&self.decision) else {
            let known: Vec<&str> = compiled
                .tables
                .iter()
                .map(|t| t.decision.as_str())
                .collect();
            return Err(CliError::Input(format!(
                "regelverket har inget beslut `{}`; det har: {}",
                self.decision,
                known.join(", ")
            )));
        };
        let evaluator =
            Evaluator::new(table.clone()).map_err(|e| CliError::Input(e.to_string()))?;
        let mut out = Answers {
            out: BufWriter::new(std::io::stdout().lock()),
            refused: false,
        };
        match &self.request {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::Input(format!("kan inte läsa `{}`: {e}", path.display()))
                })?;
                out.write(response(
                    &evaluator,
                    evaluator.decide_text(&text),
                    self.explain,
                ))?;
            }
            None => {
                let reader: Box<dyn BufRead> = match &self.requests {
                    Some(path) => {
                        Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(
                            |e| CliError::Input(format!("kan inte läsa `{}`: {e}", path.display())),
                        )?))
                    }
                    None => Box::new(std::io::stdin().lock()),
                };
                decide_lines(&evaluator, reader, self.explain, &mut out)?;
            }
        }
        out.finish()
    }
}

/// The answers written so far, and whether any request was refused.
struct Answers<'o> {
    out: BufWriter<std::io::StdoutLock<'o>>,
    refused: bool,
}

impl Answers<'_> {
    fn write(&mut self, line: serde_json::Value) -> Result<(), CliError> {
        if line.get("fel").is_some() {
            self.refused = true;
        }
        writeln!(self.out, "{line}").map_err(CliError::Output)
    }

    /// A refused request makes the exit code 2: the caller sent something malformed.
    fn finish(mut self) -> Result<Exit, CliError> {
        self.out.flush().map_err(CliError::Output)?;
        Ok(if self.refused { Exit::Error } else { Exit::Ok })
    }
}

/// One request per line (JSONL); a request that spans lines (pretty-printed JSON) is read
/// until it is complete. A syntax error, or a line that cannot be read, costs only that
/// request.
fn decide_lines(
    evaluator: &Evaluator,
    reader: Box<dyn BufRead + '_>,
    explain: bool,
    out: &mut Answers<'_>,
) -> Result<(), CliError> {
    let mut pending = String::new();
    let mut first_line = 0usize;
    for (n, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                out.write(json!({ "fel": format!("rad {}: kan inte läsas: {e}", n + 1) }))?;
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
            Ok(json) => response(evaluator, evaluator.decide_json(&json), explain),
            Err(RequestError::Syntax(_))
                if is_incomplete(&pending) && pending.len() < MAX_REQUEST_BYTES =>
            {
                continue;
            }
            Err(RequestError::Syntax(e)) => {
                json!({ "fel": format!("rad {first_line}: ogiltig JSON: {e}") })
            }
            Err(e) => response(evaluator, Err(e), explain),
        };
        pending.clear();
        out.write(result)?;
    }
    if !pending.trim().is_empty() {
        out.write(
            json!({ "fel": format!("rad {first_line}: ofullständig JSON vid slutet av indata") }),
        )?;
    }
    Ok(())
}

/// Whether JSON text ends before its value is complete (a request spread over lines).
fn is_incomplete(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_err_and(|e| e.is_eof())
}
