//! `regel check`: parse, check and compile rulesets, printing every diagnostic.

use super::{ErrorFormat, Exit};
use crate::diagnostic::{render, render_json};
use std::path::PathBuf;

/// Kontrollera regelverk: syntax, namn, typer, avsteg, konflikter och luckor.
///
/// Alla problem rapporteras på en gång, med fil, rad och kolumn och en hjälprad som säger
/// vad som ska skrivas i stället.
#[derive(clap::Args, Debug)]
pub struct Check {
    /// Regelverkskataloger, t.ex. `rules` eller `regions/vastra-gotaland`.
    #[arg(required = true, value_name = "REGELVERK")]
    rulesets: Vec<PathBuf>,
    /// Format för felmeddelanden.
    #[arg(long, value_enum, default_value_t)]
    error_format: ErrorFormat,
}

impl Check {
    pub fn run(self) -> Exit {
        let mut exit = Exit::Ok;
        for dir in &self.rulesets {
            let outcome = crate::Pipeline::load(dir);
            let (sources, diagnostics, summary) = match outcome {
                Ok(p) => (p.sources, p.diagnostics, p.summary),
                Err(e) => {
                    eprintln!("fel: {e}");
                    exit = Exit::Error;
                    continue;
                }
            };
            match self.error_format {
                ErrorFormat::Human => eprint!("{}", render(&diagnostics, &sources)),
                ErrorFormat::Json => print!("{}", render_json(&diagnostics, &sources)),
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            if errors > 0 {
                if exit == Exit::Ok {
                    exit = Exit::Findings;
                }
                eprintln!("{}: {errors} fel, {warnings} varningar", dir.display());
            } else if self.error_format == ErrorFormat::Human {
                eprintln!("{}: {summary}, {warnings} varningar", dir.display());
            }
        }
        exit
    }
}
