//! `regel compare`: the national picture, each region against the framework (the first
//! ruleset).

use super::error::print;
use super::error::{CliError, Exit};
use super::input::compiled_all;
use crate::render::compare as render;

/// Matrisformat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Text for people.
    #[default]
    Text,
    /// Markdown tables.
    Markdown,
    /// A self-contained HTML page.
    Html,
}

/// Jämför regioner med ramverket: varje situation där en region avgör annorlunda än det första
/// regelverket, vilka regioner, enligt vilket avsteg och från när. För nationella samordnare.
///
/// Exempel:
///   regel compare rules regions/* --format html > nationell-bild.html
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Compare {
    /// Regelverk att jämföra (kataloger, kompilerade tabeller eller git:REV:SÖKVÄG), minst två:
    /// först ramverket, sedan regionerna.
    #[arg(value_name = "REGELVERK", num_args = 2.., required = true)]
    rulesets: Vec<String>,
    /// Bara det här beslutet.
    #[arg(long, value_name = "BESLUT")]
    decision: Option<String>,
    /// Utdataformat: text (standard), markdown eller html.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Compare {
    pub fn run(self) -> Result<Exit, CliError> {
        let specs: Vec<&str> = self.rulesets.iter().map(String::as_str).collect();
        let tables = compiled_all(&specs)?;
        let refs: Vec<&crate::table::CompiledRuleset> = tables.iter().collect();
        let overview = crate::diff::overview(&refs, self.decision.as_deref())?;
        let text = match self.format {
            Format::Text => render::text(&overview, &self.rulesets),
            Format::Markdown => render::markdown(&overview, &self.rulesets),
            Format::Html => {
                let hashes: Vec<String> = tables.iter().map(|t| t.source_hash.clone()).collect();
                render::html(
                    &overview,
                    &render::Audit {
                        labels: &self.rulesets,
                        hashes: &hashes,
                        generated: &today(),
                    },
                )
            }
        };
        print(&text)?;
        Ok(Exit::Ok)
    }
}

/// Today's date (UTC), for the page's audit line.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    crate::time::Date::from_days(i32::try_from(days).unwrap_or(0)).to_string()
}
