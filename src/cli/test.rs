//! `regel test`: run every `exempel` of the rulesets.

use super::Exit;
use crate::analyze::examples;
use crate::diagnostic::render;
use std::path::PathBuf;

/// Kör regelverkens exempel och jämför utfallet med det förväntade.
///
/// Varje misslyckat exempel visas med förväntat och faktiskt utfall och den regel som
/// avgjorde. Slutkod 0 när alla exempel går igenom, 1 när något misslyckas eller reglerna
/// har fel, 2 när katalogen inte kan läsas.
#[derive(clap::Args, Debug)]
pub struct Test {
    /// Regelverkskataloger, t.ex. `rules regions/vastra-gotaland`.
    #[arg(required = true, value_name = "REGELVERK")]
    rulesets: Vec<PathBuf>,
}

impl Test {
    pub fn run(self) -> Exit {
        let mut exit = Exit::Ok;
        let (mut passed, mut failed) = (0usize, 0usize);
        for dir in &self.rulesets {
            let pipeline = match crate::Pipeline::load(dir) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("fel: {e}");
                    exit = Exit::Error;
                    continue;
                }
            };
            let errors: Vec<_> = pipeline
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            let (Some(ruleset), Some(compiled)) = (&pipeline.ruleset, &pipeline.compiled) else {
                eprint!("{}", render(&errors, &pipeline.sources));
                eprintln!("{}: reglerna har fel; exemplen kördes inte", dir.display());
                if exit == Exit::Ok {
                    exit = Exit::Findings;
                }
                continue;
            };
            let results = examples::run(ruleset, compiled);
            let ok = results.iter().filter(|r| r.passed).count();
            for r in results.iter().filter(|r| !r.passed) {
                println!(
                    "MISSLYCKADES {} \"{}\" ({})",
                    r.location, r.title, r.decision
                );
                println!("  förväntat: {}", r.expected);
                println!("  faktiskt:  {}", r.actual);
                println!("  avgjort av: {}", r.detail);
            }
            println!(
                "{}: {ok} av {} exempel gick igenom",
                dir.display(),
                results.len()
            );
            passed += ok;
            failed += results.len() - ok;
        }
        println!("{passed} passed, {failed} failed");
        if failed > 0 && exit == Exit::Ok {
            exit = Exit::Findings;
        }
        exit
    }
}
