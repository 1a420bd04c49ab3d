//! The correctness gate: every engine must give regelverk's outcome and reason on every
//! generated request, or nothing is reported.

use crate::cedar::Cedar;
use crate::generate;
use crate::handwritten;
use crate::rego::{RegoInterpreter, RegoVm};
use crate::request::Request;
use crate::zen::Zen;
use crate::{Verdict, regelverk};
use ::regelverk::table::Evaluator;
use std::collections::BTreeMap;

/// Every reason the VGR policy can give: a gate run must see each at least once, or its
/// requests do not exercise the whole policy.
pub const REASONS: [&str; 16] = [
    "reservnummer",
    "förseglad",
    "skyddad_identitet",
    "vårdförseglad",
    "vårdnadshavare_blockerad",
    "undantag",
    "bup",
    "före_anslutning",
    "osignerad",
    "rådrum",
    "egen_åtkomst",
    "tidig_egen_åtkomst",
    "vårdnadshavare",
    "förlängd_åtkomst",
    "ombud",
    "ingen_behörighet",
];

/// All engines, ready.
pub struct Engines {
    pub regelverk: Evaluator,
    pub regorus_vm: RegoVm,
    pub regorus_interpreter: RegoInterpreter,
    pub cedar: Cedar,
    pub zen: Zen,
}

impl Engines {
    pub fn new() -> Result<Engines, String> {
        Ok(Engines {
            regelverk: regelverk::evaluator()?,
            regorus_vm: RegoVm::new()?,
            regorus_interpreter: RegoInterpreter::new()?,
            cedar: Cedar::new()?,
            zen: Zen::new()?,
        })
    }

    /// Each peer's verdict on a request, by the name of its benchmark function.
    fn peers(&mut self, text: &str) -> Vec<(&'static str, Result<Verdict, String>)> {
        vec![
            (
                "regelverk_table",
                regelverk::table_verdict(&self.regelverk, text),
            ),
            (
                "handwritten",
                Request::from_text(text)
                    .map(|r| handwritten::decide(&r).into())
                    .map_err(|e| e.to_string()),
            ),
            ("regorus_rvm", self.regorus_vm.verdict(text)),
            ("regorus_json", self.regorus_interpreter.verdict(text)),
            ("cedar", self.cedar.verdict(text)),
            ("zen", self.zen.verdict(text)),
        ]
    }
}

/// A request on which an engine does not answer as regelverk does.
#[derive(Debug)]
pub struct Disagreement {
    pub index: usize,
    pub engine: &'static str,
    pub request: String,
    pub expected: Result<Verdict, String>,
    pub got: Result<Verdict, String>,
}

impl std::fmt::Display for Disagreement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Result<Verdict, String>| match v {
            Ok(v) => v.to_string(),
            Err(e) => format!("error: {e}"),
        };
        write!(
            f,
            "`{}` disagrees with regelverk on request #{}:\n  {}\n  regelverk: {}\n  {}: {}",
            self.engine,
            self.index,
            self.request,
            show(&self.expected),
            self.engine,
            show(&self.got)
        )
    }
}

/// What a gate run saw.
#[derive(Debug)]
pub struct Report {
    pub requests: usize,
    /// How often each verdict occurred.
    pub verdicts: BTreeMap<Verdict, usize>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "gate: all engines agree with regelverk on {} random requests",
            self.requests
        )?;
        for (verdict, count) in &self.verdicts {
            writeln!(f, "  {count:>6}  {verdict}")?;
        }
        Ok(())
    }
}

/// Why the gate failed.
#[derive(Debug)]
pub enum GateError {
    Setup(String),
    Disagreement(Box<Disagreement>),
    /// The requests never reached these reasons: the gate would prove nothing about them.
    Uncovered(Vec<&'static str>),
}

impl std::fmt::Display for GateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GateError::Setup(e) => write!(f, "cannot set up the engines: {e}"),
            GateError::Disagreement(d) => d.fmt(f),
            GateError::Uncovered(reasons) => write!(
                f,
                "the generated requests never gave {}: the gate does not cover the policy",
                reasons.join(", ")
            ),
        }
    }
}

impl std::error::Error for GateError {}

/// Runs `count` requests from `seed` through every engine.
pub fn run(seed: u64, count: usize) -> Result<Report, GateError> {
    let mut engines = Engines::new().map_err(GateError::Setup)?;
    let mut verdicts = BTreeMap::new();
    for (index, text) in generate::requests(seed, count).enumerate() {
        let expected = regelverk::verdict(&engines.regelverk, &text);
        for (engine, got) in engines.peers(&text) {
            if expected.is_err() || got != expected {
                return Err(GateError::Disagreement(Box::new(Disagreement {
                    index,
                    engine,
                    request: text,
                    expected,
                    got,
                })));
            }
        }
        if let Ok(verdict) = expected {
            *verdicts.entry(verdict).or_insert(0) += 1;
        }
    }
    let uncovered: Vec<&'static str> = REASONS
        .iter()
        .filter(|r| !verdicts.keys().any(|v| v.reason == **r))
        .copied()
        .collect();
    if !uncovered.is_empty() {
        return Err(GateError::Uncovered(uncovered));
    }
    Ok(Report {
        requests: count,
        verdicts,
    })
}
