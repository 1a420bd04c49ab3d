//! `regel compare`: the national picture, each region against the framework (the first
//! ruleset).

use super::error::print;
use super::error::{CliError, Exit};
use super::input::Input;
use crate::render::compare as render;
use crate::table::CompiledRuleset;

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
        let tables = compiled_in_parallel(&specs)?;
        let refs: Vec<&crate::table::CompiledRuleset> = tables.iter().collect();
        let overview = crate::diff::overview(&refs, self.decision.as_deref())?;
        let Some((framework, regions)) = self.rulesets.split_first() else {
            return Err(CliError::Input("ange minst två regelverk".to_owned()));
        };
        let labels = render::Labels { framework, regions };
        let text = match self.format {
            Format::Text => render::text(&overview, &labels),
            Format::Markdown => render::markdown(&overview, &labels),
            Format::Html => {
                let hashes: Vec<String> = tables.iter().map(|t| t.source_hash.clone()).collect();
                render::html(
                    &overview,
                    &render::Audit {
                        labels,
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

/// The tables of every spec, in order, read and checked on every core (a region's checks
/// prove its invariants, which costs more than comparing it). Every spec is read even when
/// an earlier one fails, so the user sees every problem at once: all errors but the last
/// are printed here.
fn compiled_in_parallel(specs: &[&str]) -> Result<Vec<CompiledRuleset>, CliError> {
    let one = |spec: &str| Input::parse(spec).and_then(|input| input.compiled());
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, specs.len().max(1));
    let mut results: Vec<(usize, Result<CompiledRuleset, CliError>)> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let one = &one;
                    scope.spawn(move || {
                        specs
                            .iter()
                            .enumerate()
                            .skip(w)
                            .step_by(workers)
                            .map(|(i, spec)| (i, one(spec)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join().unwrap_or_else(|_| {
                        vec![(
                            usize::MAX,
                            Err(CliError::Input("ett regelverk kunde inte läsas".to_owned())),
                        )]
                    })
                })
                .collect()
        });
    results.sort_by_key(|(i, _)| *i);
    let mut tables = Vec::new();
    let mut errors = Vec::new();
    for (_, result) in results {
        match result {
            Ok(c) => tables.push(c),
            Err(e) => errors.push(e),
        }
    }
    match errors.pop() {
        None if tables.len() == specs.len() => Ok(tables),
        None => Err(CliError::Input("ett regelverk kunde inte läsas".to_owned())),
        Some(last) => {
            errors.iter().for_each(CliError::print);
            Err(last)
        }
    }
}
