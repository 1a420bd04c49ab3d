//! `regel test`: run every `exempel` of the rulesets.

use super::error::{CliError, Exit, eprint, print};
use super::input::Input;
use crate::analyze::examples;

/// Kör regelverkens exempel och jämför utfallet med det förväntade.
///
/// Varje misslyckat exempel visas med förväntat och faktiskt utfall och den regel som
/// avgjorde. Slutkod 0 när alla exempel går igenom, 1 när något misslyckas eller reglerna
/// har fel, 2 när katalogen inte kan läsas.
#[derive(clap::Args, Debug)]
pub struct Test {
    /// Regelverkskataloger, t.ex. `rules regions/vastra-gotaland`, eller git:REV:SÖKVÄG.
    #[arg(required = true, value_name = "REGELVERK")]
    rulesets: Vec<String>,
}

/// How many examples of one ruleset passed and failed.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

impl Test {
    /// Runs every ruleset's examples, even after one cannot be read.
    pub fn run(self) -> Result<Exit, CliError> {
        let mut exit = Exit::Ok;
        let mut total = Tally::default();
        for spec in &self.rulesets {
            match run_examples(spec) {
                Ok(tally) => {
                    total.passed += tally.passed;
                    total.failed += tally.failed;
                }
                // Rules with errors are this command's findings: the examples did not run.
                Err(CliError::Rules { rendered, .. }) => {
                    eprint(&format!(
                        "{rendered}{spec}: reglerna har fel; exemplen kördes inte\n"
                    ));
                    exit = exit.worst(Exit::Findings);
                }
                Err(e) => {
                    e.print();
                    exit = exit.worst(e.exit());
                }
            }
        }
        print(&format!(
            "{} passed, {} failed\n",
            total.passed, total.failed
        ))?;
        if total.failed > 0 {
            exit = exit.worst(Exit::Findings);
        }
        Ok(exit)
    }
}

/// Runs one ruleset's examples, printing each failure.
fn run_examples(spec: &str) -> Result<Tally, CliError> {
    let (ruleset, compiled) = Input::parse(spec)?.ruleset()?;
    let results = examples::run(&ruleset, &compiled);
    let passed = results.iter().filter(|r| r.passed).count();
    let mut report = String::new();
    for r in results.iter().filter(|r| !r.passed) {
        report.push_str(&format!(
            "MISSLYCKADES {} \"{}\" ({})\n  förväntat: {}\n  faktiskt:  {}\n  avgjort av: {}\n",
            r.location, r.title, r.decision, r.expected, r.actual, r.detail
        ));
    }
    report.push_str(&format!(
        "{spec}: {passed} av {} exempel gick igenom\n",
        results.len()
    ));
    print(&report)?;
    Ok(Tally {
        passed,
        failed: results.len() - passed,
    })
}
