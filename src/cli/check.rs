//! `regel check`: parse, check and compile rulesets, printing every diagnostic.

use super::error::{CliError, Exit, eprint, print};
use super::input::Input;
use crate::diagnostic::{render, render_json};
use clap::ValueEnum;

/// Diagnostic output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum ErrorFormat {
    /// Text with the source lines, for people.
    #[default]
    Human,
    /// One JSON object per diagnostic and line, for tools and editors.
    Json,
}

/// Kontrollera regelverk: syntax, namn, typer, avsteg, konflikter och luckor.
///
/// Alla problem rapporteras på en gång, med fil, rad och kolumn och en hjälprad som säger
/// vad som ska skrivas i stället.
#[derive(clap::Args, Debug)]
pub struct Check {
    /// Regelverkskataloger, t.ex. `rules` eller `regions/vastra-gotaland`, eller
    /// git:REV:SÖKVÄG för ett regelverk vid en git-revision.
    #[arg(required = true, value_name = "REGELVERK")]
    rulesets: Vec<String>,
    /// Format för felmeddelanden.
    #[arg(long, value_enum, default_value_t)]
    error_format: ErrorFormat,
}

impl Check {
    /// Checks every ruleset, even after one fails; the exit code is the worst of them.
    pub fn run(self) -> Result<Exit, CliError> {
        let mut exit = Exit::Ok;
        for spec in &self.rulesets {
            let checked = self.check(spec).unwrap_or_else(|e| {
                e.print();
                e.exit()
            });
            exit = exit.worst(checked);
        }
        Ok(exit)
    }

    fn check(&self, spec: &str) -> Result<Exit, CliError> {
        let pipeline = Input::parse(spec)?.pipeline()?;
        let diagnostics = &pipeline.diagnostics;
        match self.error_format {
            ErrorFormat::Human => eprint(&render(diagnostics, &pipeline.sources)),
            ErrorFormat::Json => print(&render_json(diagnostics, &pipeline.sources))?,
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        if errors > 0 {
            eprint(&format!("{spec}: {errors} fel, {warnings} varningar\n"));
            return Ok(Exit::Findings);
        }
        if self.error_format == ErrorFormat::Human {
            eprint(&format!(
                "{spec}: {}, {warnings} varningar\n",
                pipeline.summary
            ));
        }
        Ok(Exit::Ok)
    }
}
