//! `regel compile`: a ruleset to its decision tables, written atomically.

use super::error::print;
use super::error::{CliError, Exit};
use super::input::Input;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// anrop lämnar ingen halvskriven fil.
    #[arg(short, long, value_name = "FIL")]
    output: Option<PathBuf>,
    /// Utdataformat: ron (standard) eller json.
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
        write_atomically(path, text.as_bytes())
            .map_err(|e| CliError::Input(format!("kan inte skriva `{}`: {e}", path.display())))?;
        let rows: usize = compiled.tables.iter().map(|t| t.rows.len()).sum();
        eprintln!(
            "skrev {} ({} beslut, {rows} rader)",
            path.display(),
            compiled.tables.len()
        );
        Ok(Exit::Ok)
    }
}

/// Writes to a temporary file beside `path` (a fresh name no one can guess), then renames
/// it into place: a reader sees the old file or the new one, never half of it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".regel-").suffix(".tmp");
    // Readable as a file written the ordinary way would be (the umask still applies), not
    // only by its owner as a temporary file is by default.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    // On failure the temporary file is removed when the error drops it.
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
