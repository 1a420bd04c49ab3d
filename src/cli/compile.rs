//! `regel compile`: a ruleset to its decision tables, written atomically.

use super::error::{CliError, Exit, eprint, print};
use super::input::Input;
use super::write::write_atomically;
use std::path::PathBuf;

/// Stored format of the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Rusty Object Notation: readable, diffable.
    #[default]
    Ron,
    /// JSON, for other languages.
    Json,
}

/// Kompilera ett regelverk till beslutstabeller (en per beslut).
///
/// Samma källfiler ger alltid byte för byte samma utdata. Tabellen innehåller
/// formatversion, en kontrollsumma över källorna och för varje rad den regel som avgör,
/// med källhänvisningar.
#[derive(clap::Args, Debug)]
pub struct Compile {
    /// Regelverkskatalog, t.ex. `regions/vastra-gotaland`, eller git:REV:SÖKVÄG.
    #[arg(value_name = "REGELVERK")]
    ruleset: String,
    /// Skriv till filen i stället för till standard ut. Skrivs atomärt: ett misslyckat
    /// anrop lämnar ingen halvskriven fil, och en befintlig fil behåller sina behörigheter.
    /// En symbolisk länk följs: filen den pekar på skrivs, länken står kvar.
    #[arg(short, long, value_name = "FIL")]
    output: Option<PathBuf>,
    /// Utdataformat.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
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
            Format::Ron => compiled.to_ron(),
            Format::Json => compiled.to_json(),
        }
        .map_err(|e| CliError::Input(format!("kunde inte skriva tabellen: {e}")))?;
        let Some(path) = &self.output else {
            print(&text)?;
            return Ok(Exit::Ok);
        };
        write_atomically(path, text.as_bytes()).map_err(|e| CliError::Input(e.to_string()))?;
        let rows: usize = compiled.tables.iter().map(|t| t.rows.len()).sum();
        eprint(&format!(
            "skrev {} ({} beslut, {rows} rader)\n",
            path.display(),
            compiled.tables.len()
        ));
        Ok(Exit::Ok)
    }
}
