//! `regel decide`: decide requests against a ruleset or a compiled table, one JSON line each.
//! The batch protocol (one answer line per input line) is in [`super::batch`].

use super::batch::{self, Ended, MAX_REQUEST_BYTES};
use super::error::{CliError, Exit, describe_io};
use super::input::Input;
use crate::render::explain::response;
use crate::table::Evaluator;
use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

/// Avgör begäranden: en JSON-rad ut för varje rad in, i samma ordning.
///
/// Varje svar är `{"utfall": …, "skäl": …, "regel": …, "källor": […]}` eller `{"fel": …}`.
/// En felaktig begäran stoppar inte resten. Saknade, felstavade eller felaktiga fakta ger
/// alltid `fel`, aldrig ett utfall.
///
/// Flera begäranden (--requests FIL, eller standard in utan --request): en begäran per rad
/// (JSONL). Varje rad får exakt ett svar på samma plats, vad raden än innehåller: en tom
/// rad, en rad som inte är JSON eller en rad över 1 MB får ett `fel` med sitt radnummer.
/// En begäran över flera rader (snyggt formaterad JSON) läses bara som ett helt dokument
/// med --request FIL, eller --request - från standard in.
///
/// Exempel:
///   regel decide regions/vastra-gotaland --decision direktåtkomst --request fråga.json --explain
///   regel decide tabell.ron --decision direktåtkomst --requests frågor.jsonl --jobs 2
///   regel decide git:origin/main:rules --decision direktåtkomst --request fråga.json
///   regel decide rules --decision direktåtkomst --request fråga.json --format text
///   echo '{"läsare": "patient", …}' | regel decide rules --decision direktåtkomst
///   regel decide rules --decision direktåtkomst --request - < snygg.json
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
    /// En fil med en begäran (ett JSON-objekt, gärna över flera rader); `-` läser den från
    /// standard in.
    #[arg(long, value_name = "FIL", conflicts_with = "requests")]
    request: Option<PathBuf>,
    /// En fil med en begäran per rad (JSONL). Utan --request och --requests läses JSONL från standard in.
    #[arg(long, value_name = "FIL.jsonl")]
    requests: Option<PathBuf>,
    /// Visa radens villkor, den avgörande regeln med källor och avsteg, och reglerna den gick före.
    #[arg(long)]
    explain: bool,
    /// Så många trådar avgör rader samtidigt; svaren kommer ändå i radernas ordning.
    #[arg(long, value_name = "N", default_value = "1")]
    jobs: NonZeroUsize,
    /// Utdataformat: json (en rad per begäran, standard) eller text (meningar för en
    /// människa, med förklaringen; en begäran med --request).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Utdataformat för `regel decide`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// En JSON-rad per begäran.
    #[default]
    Json,
    /// Svenska meningar: utfallet, villkoren som gällde, regeln med källa och motivering.
    Text,
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
        if self.format == Format::Text {
            let Some(path) = &self.request else {
                return Err(CliError::Input(
                    "--format text förklarar en begäran: ange den med --request FIL".to_owned(),
                ));
            };
            return explain_document(&evaluator, path);
        }
        if let Some(path) = &self.request {
            return decide_document(&evaluator, path, self.explain);
        }
        let stdout = std::io::stdout();
        let ended = match &self.requests {
            Some(path) => {
                let file = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
                batch::run(&evaluator, file, stdout, self.explain, self.jobs.get())
            }
            None => batch::run(
                &evaluator,
                std::io::stdin().lock(),
                stdout,
                self.explain,
                self.jobs.get(),
            ),
        };
        match ended {
            Ended::Done { refused: false } => Ok(Exit::Ok),
            // A refused request makes the exit code 2: the caller sent something malformed.
            Ended::Done { refused: true } => Ok(Exit::Error),
            Ended::Input(e) => Err(match &self.requests {
                Some(path) => unreadable(path, &e),
                None => CliError::Input(format!(
                    "kan inte läsa begäranden från standard in: {}",
                    describe_io(&e)
                )),
            }),
            Ended::Output(e) => Err(CliError::Output(e)),
        }
    }
}

fn unreadable(path: &Path, e: &std::io::Error) -> CliError {
    CliError::Input(format!(
        "kan inte läsa `{}`: {}",
        path.display(),
        describe_io(e)
    ))
}

/// One request as a whole document (`--request FIL`, or `-` for standard in), over as many
/// lines as it likes; at most [`MAX_REQUEST_BYTES`] of it are read.
fn decide_document(evaluator: &Evaluator, path: &Path, explain: bool) -> Result<Exit, CliError> {
    let answer = match read_document(path)? {
        Ok(text) => response(evaluator, evaluator.decide_text(&text), explain),
        Err(refusal) => serde_json::json!({ "fel": refusal }),
    };
    let refused = answer.get("fel").is_some();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{answer}")
        .and_then(|()| out.flush())
        .map_err(CliError::Output)?;
    Ok(if refused { Exit::Error } else { Exit::Ok })
}

/// One request as a whole document, explained in Swedish sentences for a person.
fn explain_document(evaluator: &Evaluator, path: &Path) -> Result<Exit, CliError> {
    let (text, refused) = match read_document(path)? {
        Ok(text) => {
            let result = evaluator.decide_text(&text);
            let refused = result.is_err();
            (crate::render::explain::text(evaluator, result), refused)
        }
        Err(refusal) => (format!("Begäran avgörs inte: {refusal}.\n"), true),
    };
    let mut out = std::io::stdout().lock();
    write!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(CliError::Output)?;
    Ok(if refused { Exit::Error } else { Exit::Ok })
}

/// The text of a request document, or why it is refused (too long, not UTF-8); an error
/// when it cannot be read at all.
fn read_document(path: &Path) -> Result<Result<String, String>, CliError> {
    let mut bytes = Vec::new();
    let limit = MAX_REQUEST_BYTES as u64 + 1;
    let read = if path == Path::new("-") {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| {
        if path == Path::new("-") {
            CliError::Input(format!(
                "kan inte läsa begäran från standard in: {}",
                describe_io(&e)
            ))
        } else {
            unreadable(path, &e)
        }
    })?;
    if bytes.len() > MAX_REQUEST_BYTES {
        return Ok(Err(format!(
            "begäran är längre än {MAX_REQUEST_BYTES} byte"
        )));
    }
    Ok(String::from_utf8(bytes).map_err(|_| "begäran är inte giltig UTF-8-text".to_owned()))
}
