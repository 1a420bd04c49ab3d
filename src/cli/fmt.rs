//! `regel fmt`: rule files in their canonical layout, or with `--check` a diff of what would
//! change.

use super::error::{CliError, Exit, print};
use crate::diagnostic::render;
use crate::format::format_text;
use crate::source::{Sources, is_rule_file};
use std::path::{Path, PathBuf};

/// Formatera regelfiler: en och samma layout, kommentarerna kvar där de stod.
///
/// Skriver om varje `.regel`-fil som inte redan är formaterad. En katalog formateras med alla
/// `.regel`-filer i den och dess underkataloger; `-` läser en fil från standard in och skriver
/// den formaterad till standard ut. En fil med syntaxfel lämnas orörd.
///
/// Exempel:
///   regel fmt rules regions
///   regel fmt --check rules regions/vastra-gotaland
///
/// Slutkoder: 0 allt formaterat, 1 filer som inte är formaterade (med --check) eller har
/// syntaxfel, 2 filer som inte går att läsa eller skriva.
#[derive(clap::Args, Debug)]
pub struct Fmt {
    /// Regelfiler eller kataloger med regelfiler, eller `-` för standard in.
    #[arg(required = true, value_name = "SÖKVÄG")]
    paths: Vec<String>,
    /// Ändra inga filer: visa skillnaden och avsluta med 1 om någon fil inte är formaterad.
    #[arg(long)]
    check: bool,
}

impl Fmt {
    pub fn run(self) -> Result<Exit, CliError> {
        if self.paths.iter().any(|p| p == "-") {
            return self.stdin();
        }
        let mut files = Vec::new();
        for path in &self.paths {
            collect(Path::new(path), &mut files)?;
        }
        let mut exit = Exit::Ok;
        let mut changed = 0usize;
        for file in &files {
            let outcome = self.file(file)?;
            exit = exit.worst(outcome.exit);
            changed += usize::from(outcome.changed);
        }
        if self.check {
            if changed > 0 {
                eprintln!(
                    "{changed} av {} filer är inte formaterade; kör `regel fmt` på dem",
                    files.len()
                );
            }
        } else {
            eprintln!("formaterade {changed} av {} filer", files.len());
        }
        Ok(exit)
    }

    fn stdin(&self) -> Result<Exit, CliError> {
        if self.paths.len() != 1 {
            return Err(CliError::Input(
                "`-` (standard in) kan inte blandas med andra sökvägar".to_owned(),
            ));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| CliError::Input(format!("kan inte läsa standard in: {e}")))?;
        let mut sources = Sources::default();
        let (id, invalid) = sources.add_bytes("<standard in>", &bytes);
        if invalid.is_some() {
            return Err(CliError::Input(
                "standard in är inte giltig UTF-8-text".to_owned(),
            ));
        }
        match format_text(id, &sources.file(id).text) {
            Ok(formatted) => {
                print(&formatted)?;
                Ok(Exit::Ok)
            }
            Err(diagnostics) => {
                eprint!("{}", render(&diagnostics, &sources));
                Ok(Exit::Findings)
            }
        }
    }

    fn file(&self, path: &Path) -> Result<Outcome, CliError> {
        let shown = crate::source::display_path(path);
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::Input(format!("kan inte läsa `{shown}`: {e}")))?;
        let mut sources = Sources::default();
        let (id, invalid) = sources.add_bytes(shown.clone(), &bytes);
        if invalid.is_some() {
            eprintln!("{shown}: filen är inte giltig UTF-8-text och lämnas som den är");
            return Ok(Outcome::findings());
        }
        let formatted = match format_text(id, &sources.file(id).text) {
            Ok(text) => text,
            Err(diagnostics) => {
                eprint!("{}", render(&diagnostics, &sources));
                eprintln!("{shown}: har fel och formateras inte");
                return Ok(Outcome::findings());
            }
        };
        // Compared with the bytes on disk: a file saved decomposed, or with `\r\n`, changes.
        if formatted.as_bytes() == bytes.as_slice() {
            return Ok(Outcome {
                exit: Exit::Ok,
                changed: false,
            });
        }
        if self.check {
            print(&diff(&shown, &String::from_utf8_lossy(&bytes), &formatted))?;
            return Ok(Outcome {
                exit: Exit::Findings,
                changed: true,
            });
        }
        super::write_atomically(path, formatted.as_bytes())
            .map_err(|e| CliError::Input(format!("kan inte skriva `{shown}`: {e}")))?;
        Ok(Outcome {
            exit: Exit::Ok,
            changed: true,
        })
    }
}

struct Outcome {
    exit: Exit,
    changed: bool,
}

impl Outcome {
    fn findings() -> Outcome {
        Outcome {
            exit: Exit::Findings,
            changed: false,
        }
    }
}

/// The rule files named by `path`: the file itself, or every `.regel` file under a
/// directory, in name order.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let shown = crate::source::display_path(path);
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::Input(format!("kan inte läsa `{shown}`: {e}")))?;
    if !meta.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .and_then(|dir| dir.map(|e| e.map(|e| e.path())).collect())
        .map_err(|e| CliError::Input(format!("kan inte läsa `{shown}`: {e}")))?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, files)?;
        } else if is_rule_file(&entry) {
            files.push(entry);
        }
    }
    Ok(())
}

/// A unified diff of a file and its formatted text.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (formaterad)"))
        .to_string()
}
