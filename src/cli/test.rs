//! `regel test`: run every `exempel` of the rulesets, and report the rules no example decides.

use super::error::{CliError, Exit, eprint, print};
use super::input::Input;
use crate::analyze::coverage::{self, Covered};
use crate::analyze::examples;
use std::fmt::Write;

/// Kör regelverkens exempel och jämför utfallet med det förväntade.
///
/// Varje misslyckat exempel visas med förväntat och faktiskt utfall och den regel som
/// avgjorde. Varje regel ska avgöras av minst ett exempel som går igenom: en regel som inget
/// exempel avgör visas med fil och rad. Med --täckning visas hur många exempel som avgörs av
/// varje regel (och av varje besluts standardutfall).
///
/// Slutkod 0 när alla exempel går igenom och varje regel avgörs av något exempel, 1 när
/// något exempel misslyckas, en regel saknar exempel eller reglerna har fel, 2 när
/// katalogen inte kan läsas.
#[derive(clap::Args, Debug)]
pub struct Test {
    /// Regelverkskataloger, t.ex. `rules regions/vastra-gotaland`, eller git:REV:SÖKVÄG.
    #[arg(required = true, value_name = "REGELVERK")]
    rulesets: Vec<String>,
    /// Visa för varje regel hur många exempel den avgör.
    #[arg(long = "täckning", alias = "tackning")]
    coverage: bool,
}

/// What one ruleset's examples found.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    uncovered: usize,
}

impl Test {
    /// Runs every ruleset's examples, even after one cannot be read.
    pub fn run(self) -> Result<Exit, CliError> {
        let mut exit = Exit::Ok;
        let mut total = Tally::default();
        for spec in &self.rulesets {
            match self.run_examples(spec) {
                Ok(tally) => {
                    total.passed += tally.passed;
                    total.failed += tally.failed;
                    total.uncovered += tally.uncovered;
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
        let mut line = format!(
            "totalt: {} exempel gick igenom, {} gick inte igenom",
            total.passed, total.failed
        );
        if total.uncovered > 0 {
            let _ = write!(line, ", {} regler utan exempel", total.uncovered);
        }
        print(&format!("{line}\n"))?;
        if total.failed > 0 || total.uncovered > 0 {
            exit = exit.worst(Exit::Findings);
        }
        Ok(exit)
    }

    /// Runs one ruleset's examples, printing each failure and each rule no example decides.
    fn run_examples(&self, spec: &str) -> Result<Tally, CliError> {
        let (ruleset, compiled) = Input::parse(spec)?.ruleset()?;
        let results = examples::run(&ruleset, &compiled);
        let passed = results.iter().filter(|r| r.passed).count();
        let mut out = String::new();
        for r in results.iter().filter(|r| !r.passed) {
            let _ = writeln!(
                out,
                "MISSLYCKADES {} \"{}\" ({})",
                r.location, r.title, r.decision
            );
            let _ = writeln!(out, "  förväntat: {}", r.expected);
            let _ = writeln!(out, "  faktiskt:  {}", r.actual);
            let _ = writeln!(out, "  avgjort av: {}", r.detail);
        }
        let covered = coverage::coverage(&ruleset, &results);
        let uncovered = coverage::uncovered(&covered);
        for (id, c) in &uncovered {
            let _ = writeln!(
                out,
                "UTAN EXEMPEL {} regel {id} \"{}\" ({})",
                c.location, c.title, c.decision
            );
            let _ = writeln!(
                out,
                "  hjälp: lägg till ett `exempel` där regeln {id} avgör, med `förväntat` som regeln ger"
            );
        }
        if self.coverage {
            out.push_str(&table(spec, &covered));
        }
        let _ = writeln!(
            out,
            "{spec}: {passed} av {} exempel gick igenom",
            results.len()
        );
        let rules = covered.iter().filter(|c| c.rule.is_some()).count();
        let _ = writeln!(
            out,
            "{spec}: {} av {rules} regler avgörs av något exempel",
            rules - uncovered.len()
        );
        print(&out)?;
        Ok(Tally {
            passed,
            failed: results.len() - passed,
            uncovered: uncovered.len(),
        })
    }
}

/// `--täckning`: one line per rule and default, decision by decision.
fn table(spec: &str, covered: &[Covered]) -> String {
    let mut out = format!("täckning för {spec}:\n");
    let width = covered
        .iter()
        .map(|c| c.rule.as_deref().map_or(8, |r| r.chars().count()))
        .max()
        .unwrap_or(0);
    let mut decision = "";
    for c in covered {
        if c.decision != decision {
            decision = &c.decision;
            let _ = writeln!(out, "  {decision}");
        }
        let name = c.rule.as_deref().unwrap_or("standard");
        let _ = writeln!(
            out,
            "    {name:<width$}  {:>3} exempel  {} ({})",
            c.examples, c.title, c.location
        );
    }
    out
}
