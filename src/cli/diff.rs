//! `regel diff`: the decisions two rulesets take differently.

use super::error::print;
use super::error::{CliError, Exit};
use super::input::compiled_all;
use crate::render::diff as render;
use crate::table::CompiledRuleset;

/// Output format of `regel diff` and `regel deviations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Text for people.
    #[default]
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for tools.
    Json,
}

/// Visa var två regelverk avgör begäranden olika: en rad per verklig ändring.
///
/// Jämförelsen gäller besluten, inte texten: att byta namn på en regel, flytta den till en
/// annan fil eller formatera om ger inga skillnader. Varje skillnad visar villkoren, utfallet
/// före och efter med avgörande regel och källa, och en exempelbegäran (JSON) som går att köra
/// med `regel decide`.
///
/// GAMMALT och NYTT är regelverkskataloger, kompilerade tabeller (från `regel compile`) eller
/// `git:REV:SÖKVÄG`, ett regelverk vid en git-revision, läst ur förrådet utan att röra
/// arbetskatalogen.
///
/// Exempel:
///   regel diff rules regions/vastra-gotaland
///   regel diff git:origin/main:regions/vastra-gotaland regions/vastra-gotaland --format markdown
///
/// Slutkod 0 när inget ändras, 1 när ett beslut, en motivering, källa, tolkning eller ett
/// faktakrav ändras, 2 vid fel (som `diff`).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct DiffCmd {
    /// Det gamla regelverket.
    #[arg(value_name = "GAMMALT")]
    old: String,
    /// Det nya regelverket.
    #[arg(value_name = "NYTT")]
    new: String,
    /// Jämför bara det här beslutet, t.ex. `direktåtkomst`.
    #[arg(long, value_name = "BESLUT")]
    decision: Option<String>,
    /// Utdataformat: text (standard), markdown eller json.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl DiffCmd {
    pub fn run(self) -> Result<Exit, CliError> {
        let tables = compiled_all(&[&self.old, &self.new])?;
        let refs: Vec<&CompiledRuleset> = tables.iter().collect();
        let diff = crate::diff::compare_rulesets(&refs, self.decision.as_deref())?;
        let text = match self.format {
            Format::Text => render::text(&diff, &self.old, &self.new),
            Format::Markdown => render::markdown(&diff, &self.old, &self.new),
            Format::Json => pretty(&render::json(&diff, &self.old, &self.new)),
        };
        print(&text)?;
        Ok(if diff.is_empty() {
            Exit::Ok
        } else {
            Exit::Findings
        })
    }
}

/// JSON for people: indented, one final newline.
pub(super) fn pretty(json: &serde_json::Value) -> String {
    format!("{json:#}\n")
}
