//! `regel compile`: a ruleset to its decision tables, written atomically.

use super::{Exit, load_or_report};
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
    /// Regelverkskatalog, t.ex. `regions/vastra-gotaland`.
    #[arg(value_name = "REGELVERK")]
    ruleset: PathBuf,
    /// Skriv till filen i stället för till standard ut. Skrivs atomärt: ett misslyckat
    /// anrop lämnar ingen halvskriven fil.
    #[arg(short, long, value_name = "FIL")]
    output: Option<PathBuf>,
    /// Utdataformat.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Compile {
    pub fn run(self) -> Exit {
        let compiled = match load_or_report(&self.ruleset) {
            Ok(c) => c,
            Err(exit) => return exit,
        };
        let text = match self.format {
            Format::Ron => compiled.to_ron(),
            Format::Json => compiled.to_json(),
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                eprintln!("fel: kunde inte skriva tabellen: {e}");
                return Exit::Error;
            }
        };
        match &self.output {
            None => {
                let mut out = std::io::stdout().lock();
                if out
                    .write_all(text.as_bytes())
                    .and_then(|_| out.flush())
                    .is_err()
                {
                    return Exit::Error;
                }
            }
            Some(path) => {
                if let Err(e) = write_atomically(path, text.as_bytes()) {
                    eprintln!("fel: kan inte skriva `{}`: {e}", path.display());
                    return Exit::Error;
                }
                let rows: usize = compiled.tables.iter().map(|t| t.rows.len()).sum();
                eprintln!(
                    "skrev {} ({} beslut, {rows} rader)",
                    path.display(),
                    compiled.tables.len()
                );
            }
        }
        Exit::Ok
    }
}

/// Writes to a temporary file beside `path`, then renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tabell".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
