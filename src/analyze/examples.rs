//! Running a ruleset's `exempel`: each request is decided through the same path as
//! `regel decide`, so an example proves what a user would see.

use crate::check::{Expected, Ruleset};
use crate::diagnostic::Span;
use crate::table::{CompiledRuleset, Evaluator};
use crate::time::Date;

/// What one example did.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    pub title: String,
    pub decision: String,
    /// `file:line` of the example.
    pub location: String,
    pub span: Span,
    pub expected: String,
    pub actual: String,
    /// The deciding rule (id and title) or the error.
    pub detail: String,
    /// The id of the deciding rule, when a rule (not the default) decided.
    pub rule: Option<String>,
    pub passed: bool,
}

fn outcome_text(value: &str, reason: Option<&str>, shown_from: Option<Date>) -> String {
    let outcome = match reason {
        Some(r) => format!("{value} skäl {r}"),
        None => value.to_owned(),
    };
    match shown_from {
        Some(d) => format!("{outcome} visas från {d}"),
        None => outcome,
    }
}

/// Runs every example of the ruleset against its compiled tables.
pub fn run(ruleset: &Ruleset, compiled: &CompiledRuleset) -> Vec<ExampleResult> {
    let evaluators: Vec<(String, Option<Evaluator>)> = compiled
        .tables
        .iter()
        .map(|t| (t.decision.clone(), Evaluator::new(t.clone()).ok()))
        .collect();
    let mut results = Vec::new();
    for ex in &ruleset.examples {
        let decision = ruleset.decision(ex.decision).name.clone();
        let evaluator = evaluators
            .iter()
            .find(|(d, _)| *d == decision)
            .and_then(|(_, e)| e.as_ref());
        let (line, _) = ruleset.sources.line_col(ex.span.file, ex.span.start);
        let Some(file) = ruleset.sources.get(ex.span.file).map(|f| f.name.as_str()) else {
            unreachable!("INVARIANT: every span of a checked ruleset is in its sources")
        };
        let expected = match &ex.expected {
            Expected::Outcome {
                value,
                reason,
                shown_from,
            } => outcome_text(value, reason.as_deref(), *shown_from),
            Expected::Error => "fel".to_owned(),
        };
        let mut rule_id = None;
        let (actual, detail, passed) = match evaluator.map(|e| e.decide_json(&ex.request)) {
            None => (
                "fel".to_owned(),
                "beslutet har ingen tabell".to_owned(),
                false,
            ),
            Some(Err(e)) => (
                "fel".to_owned(),
                e.to_string(),
                ex.expected == Expected::Error,
            ),
            Some(Ok(d)) => {
                rule_id = d.rule.map(|r| r.id.clone());
                let rule = match d.rule {
                    Some(r) => format!("regel {} \"{}\" ({})", r.id, r.title, r.location),
                    None => "beslutets standardutfall".to_owned(),
                };
                let passed = match &ex.expected {
                    // The day a hidden entry will be shown is part of the answer: an example
                    // must name it when the decision gives one.
                    Expected::Outcome {
                        value,
                        reason,
                        shown_from,
                    } => {
                        value == d.outcome
                            && (reason.is_none() || reason.as_deref() == d.reason)
                            && *shown_from == d.shown_from
                    }
                    Expected::Error => false,
                };
                (
                    outcome_text(d.outcome, d.reason, d.shown_from),
                    rule,
                    passed,
                )
            }
        };
        results.push(ExampleResult {
            title: ex.title.clone(),
            decision,
            location: format!("{file}:{line}"),
            span: ex.span,
            expected,
            actual,
            detail,
            rule: rule_id,
            passed,
        });
    }
    results
}
