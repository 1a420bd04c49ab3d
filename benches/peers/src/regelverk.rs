//! regelverk itself: the VGR ruleset loaded from the repository and compiled to its
//! `direktåtkomst` table — the reference every peer is checked against.

use crate::{Outcome, Verdict};
use regelverk::table::Evaluator;
use std::path::{Path, PathBuf};

/// `regions/vastra-gotaland` of the repository this crate sits in.
pub fn ruleset_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../regions/vastra-gotaland")
}

pub fn evaluator() -> Result<Evaluator, String> {
    let dir = ruleset_dir();
    let pipeline =
        regelverk::Pipeline::load(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let compiled = pipeline
        .compiled
        .ok_or_else(|| format!("{}: the ruleset does not compile", dir.display()))?;
    let table = compiled
        .table("direktåtkomst")
        .ok_or("the ruleset has no decision `direktåtkomst`")?;
    Evaluator::new(table.clone()).map_err(|e| e.to_string())
}

/// From JSON text, through `decide_text` (which refuses what regelverk refuses).
pub fn verdict(evaluator: &Evaluator, text: &str) -> Result<Verdict, String> {
    let decision = evaluator
        .decide_text(text)
        .map_err(|e| format!("regelverk refuses the request: {e}"))?;
    to_verdict(decision.outcome, decision.reason)
}

/// The same request checked first (`request`) and then decided (`decide`): the path the
/// `regelverk_table` benchmark times.
pub fn table_verdict(evaluator: &Evaluator, text: &str) -> Result<Verdict, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let request = evaluator
        .request(&json)
        .map_err(|e| format!("regelverk refuses the request: {e}"))?;
    let decision = evaluator
        .decide(&request)
        .map_err(|e| format!("regelverk refuses the request: {e}"))?;
    to_verdict(decision.outcome, decision.reason)
}

fn to_verdict(outcome: &str, reason: Option<&str>) -> Result<Verdict, String> {
    Ok(Verdict {
        outcome: Outcome::from_name(outcome)
            .ok_or_else(|| format!("regelverk answered `{outcome}`"))?,
        reason: reason
            .ok_or("regelverk answered without a reason")?
            .to_owned(),
    })
}
