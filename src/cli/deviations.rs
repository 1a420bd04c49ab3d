//! `regel deviations`: a region's deviations from the national framework, generated.

use super::diff::{Format, pretty};
use super::error::print;
use super::error::{CliError, Exit};
use super::input::Input;
use crate::render::deviations as render;

/// Skriv regionens "Avsteg från ramverket": varje avsteg med motivering och källor, och de
/// beslut det ändrar jämfört med det nationella ramverket. Sist står varje tolkning
/// (`tolkning "…"`) som regelverket gör, nationellt och i regionen.
///
/// Regionen jämförs med regelverket den bygger på (`bygger på` i regionens huvud). Varje
/// skillnad står under det avsteg som orsakar den, med en exempelbegäran.
///
/// Exempel:
///   regel deviations regions/vastra-gotaland --format markdown > avsteg.md
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Deviations {
    /// Regionens regelverkskatalog (eller git:REV:SÖKVÄG).
    #[arg(value_name = "REGION")]
    region: String,
    /// Bara det här beslutet.
    #[arg(long, value_name = "BESLUT")]
    decision: Option<String>,
    /// Utdataformat.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Deviations {
    pub fn run(self) -> Result<Exit, CliError> {
        let input = Input::parse(&self.region)?;
        let Some(base) = input.base()? else {
            return Err(CliError::Input(format!(
                "`{}` bygger inte på något regelverk: ange en region, t.ex. regions/vastra-gotaland",
                self.region
            )));
        };
        let (ruleset, region) = input.ruleset()?;
        let national = base.compiled()?;
        let diff = crate::diff::diff_rulesets(&national, &region, self.decision.as_deref())?;
        let groups = crate::diff::deviations::attribute(&diff, &ruleset);
        let interpretations: Vec<render::Interpretation> = ruleset
            .interpretations()
            .into_iter()
            .map(|(on, i)| render::Interpretation {
                on,
                text: i.text.clone(),
                location: ruleset.sources.location(i.span),
            })
            .collect();
        let (r, b) = (region.ruleset.as_str(), national.ruleset.as_str());
        print(&match self.format {
            Format::Text => {
                render::text(r, b, &groups) + &render::interpretations_text(&interpretations)
            }
            Format::Markdown => {
                render::markdown(r, b, &groups)
                    + &render::interpretations_markdown(&interpretations)
            }
            Format::Json => {
                let mut json = render::json(r, b, &groups);
                if let serde_json::Value::Object(map) = &mut json {
                    map.insert(
                        "tolkningar".into(),
                        render::interpretations_json(&interpretations),
                    );
                }
                pretty(&json)
            }
        })?;
        Ok(Exit::Ok)
    }
}
