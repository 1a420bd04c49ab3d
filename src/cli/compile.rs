//! `regel compile`: a ruleset to its decision tables, written atomically.

use super::error::{CliError, Exit, eprint, print};
use super::input::Input;
use super::write::write_atomically;
use crate::table::CompiledRuleset;
use std::path::PathBuf;

/// Stored format of the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Rusty Object Notation: readable, diffable.
    #[default]
    Ron,
    /// JSON, for other languages.
    Json,
    /// One decision as a Rust module (`std` only).
    Rust,
}

/// Kompilera ett regelverk till beslutstabeller (en per beslut).
///
/// Samma källfiler ger alltid byte för byte samma utdata. Tabellen innehåller
/// formatversion, en kontrollsumma över källorna och för varje rad den regel som avgör,
/// med källhänvisningar.
///
/// Med --format rust skrivs ett beslut i stället som en Rust-modul utan beroenden: en
/// funktion `decide` som beslutar precis som tabellen, för system som bygger in
/// beslutet i sin egen kod.
///
/// Exempel:
///   regel compile regions/vastra-gotaland -o vgr.ron
///   regel compile regions/vastra-gotaland --format json -o vgr.json
///   regel compile regions/vastra-gotaland --format rust --decision direktåtkomst -o vgr.rs
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Compile {
    /// Regelverkskatalog, t.ex. `regions/vastra-gotaland`, eller git:REV:SÖKVÄG.
    #[arg(value_name = "REGELVERK")]
    ruleset: String,
    /// Skriv till filen i stället för till standard ut. Skrivs atomärt: ett misslyckat
    /// anrop lämnar ingen halvskriven fil, och en befintlig fil behåller sina behörigheter.
    /// En symbolisk länk följs: filen den pekar på skrivs, länken står kvar.
    #[arg(short, long, value_name = "FIL")]
    output: Option<PathBuf>,
    /// Utdataformat: ron (standard), json, eller rust (ett beslut som Rust-kod).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Beslutet som skrivs som Rust-kod, t.ex. `direktåtkomst` (behövs med `--format rust`
    /// när regelverket har flera beslut).
    #[arg(long, value_name = "NAMN")]
    decision: Option<String>,
}

impl Compile {
    pub fn run(self) -> Result<Exit, CliError> {
        let compiled = match Input::parse(&self.ruleset)?.ruleset() {
            Ok((_, compiled)) => compiled,
            // The rules' errors are what this command finds.
            Err(e @ CliError::Rules { .. }) => {
                e.print();
                return Ok(Exit::Findings);
            }
            Err(e) => return Err(e),
        };
        let text = match self.format {
            Format::Ron | Format::Json if self.decision.is_some() => {
                return Err(CliError::Input(
                    "`--decision` gäller bara `--format rust`: ron och json skriver alla beslut"
                        .into(),
                ));
            }
            Format::Ron => compiled.to_ron(),
            Format::Json => compiled.to_json(),
            Format::Rust => self.rust(&compiled)?,
        }
        .map_err(|e| CliError::Input(format!("kunde inte skriva tabellen: {e}")))?;
        let Some(path) = &self.output else {
            print(&text)?;
            return Ok(Exit::Ok);
        };
        write_atomically(path, text.as_bytes()).map_err(|e| CliError::Input(e.to_string()))?;
        if self.format == Format::Rust {
            eprint(&format!("skrev {}\n", path.display()));
            return Ok(Exit::Ok);
        }
        let rows: usize = compiled.tables.iter().map(|t| t.rows.len()).sum();
        eprint(&format!(
            "skrev {} ({} beslut, {rows} rader)\n",
            path.display(),
            compiled.tables.len()
        ));
        Ok(Exit::Ok)
    }

    /// The chosen decision as Rust; one that cannot be written is an input error.
    fn rust(&self, compiled: &CompiledRuleset) -> Result<Result<String, String>, CliError> {
        let names = || {
            compiled
                .tables
                .iter()
                .map(|t| format!("`{}`", t.decision))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let table = match (&self.decision, compiled.tables.as_slice()) {
            (Some(d), _) => compiled.table(d).ok_or_else(|| {
                CliError::Input(format!(
                    "regelverket har inget beslut `{d}`; det har {}",
                    names()
                ))
            })?,
            (None, [only]) => only,
            (None, _) => {
                return Err(CliError::Input(format!(
                    "ange beslutet med `--decision NAMN`: regelverket har {}",
                    names()
                )));
            }
        };
        let origin = format!(
            "regel compile {} --format rust --decision {}",
            self.ruleset, table.decision
        );
        Ok(crate::codegen::rust(table, &origin).map_err(|e| e.0))
    }
}
