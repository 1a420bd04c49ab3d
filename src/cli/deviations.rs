//! `regel deviations`: a region's deviations from the national framework, generated.

use super::Exit;
use super::diff::{Format, load, pretty, print, with_dir};
use crate::render::deviations as render;

/// Skriv regionens "Avsteg från ramverket": varje avsteg med motivering och källor, och de
/// beslut det ändrar jämfört med det nationella ramverket.
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
    pub fn run(self) -> Exit {
        let result = with_dir(&self.region, |dir, _| {
            let base = match crate::diff::deviations::base_dir(dir) {
                Ok(Some(b)) => b,
                Ok(None) => {
                    eprintln!(
                        "fel: `{}` bygger inte på något regelverk: ange en region, t.ex. regions/vastra-gotaland",
                        self.region
                    );
                    return Err(Exit::Error);
                }
                Err(e) => {
                    eprintln!("fel: {e}");
                    return Err(Exit::Error);
                }
            };
            let pipeline = crate::Pipeline::load(dir).map_err(|e| {
                eprintln!("fel: {e}");
                Exit::Error
            })?;
            let (Some(ruleset), Some(region)) = (pipeline.ruleset, pipeline.compiled) else {
                eprintln!(
                    "fel: `{}` har fel; kör `regel check {}`",
                    self.region, self.region
                );
                return Err(Exit::Error);
            };
            let national = load(&base.display().to_string())?;
            let diff = crate::diff::diff_rulesets(&national, &region, self.decision.as_deref())
                .map_err(|e| {
                    eprintln!("fel: {e}");
                    Exit::Error
                })?;
            let groups = crate::diff::deviations::attribute(&diff, &ruleset);
            let (r, b) = (region.ruleset.as_str(), national.ruleset.as_str());
            Ok(match self.format {
                Format::Text => render::text(r, b, &groups),
                Format::Markdown => render::markdown(r, b, &groups),
                Format::Json => pretty(&render::json(r, b, &groups)),
            })
        });
        match result {
            Ok(Ok(text)) => {
                if print(&text) {
                    Exit::Ok
                } else {
                    Exit::Error
                }
            }
            Ok(Err(e)) | Err(e) => e,
        }
    }
}
