//! Which rules the examples exercise: `regel test` reports every rule that no passing example
//! is decided by (with file and line), and `regel test --täckning` how many examples each rule
//! decides. The repository's own tests ask the same question through [`coverage`], so
//! nothing they require of a ruleset is invisible to `regel test`.

use super::examples::ExampleResult;
use crate::check::Ruleset;
use crate::diagnostic::Span;

/// How many passing examples one rule (or a decision's default) decides.
#[derive(Clone, Debug)]
pub struct Covered {
    pub decision: String,
    /// The rule's id, or `None` for the decision's default.
    pub rule: Option<String>,
    pub title: String,
    /// `file:line` of the rule (or the decision, for its default).
    pub location: String,
    pub span: Span,
    pub examples: usize,
}

/// Every rule of the ruleset, decision by decision, each followed by the decision's default
/// when it has one, with the passing examples each decides.
pub fn coverage(ruleset: &Ruleset, results: &[ExampleResult]) -> Vec<Covered> {
    let count = |decision: &str, rule: Option<&str>| {
        results
            .iter()
            .filter(|r| r.passed && r.decision == decision && r.rule.as_deref() == rule)
            .count()
    };
    let mut out = Vec::new();
    for d in ruleset.decision_ids() {
        let decision = ruleset.decision(d);
        let mut rules: Vec<_> = ruleset.rules_of(d).map(|r| ruleset.rule(r)).collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        for rule in rules {
            out.push(Covered {
                decision: decision.name.clone(),
                rule: Some(rule.id.clone()),
                title: rule.title.clone(),
                location: ruleset.sources.location(rule.span),
                span: rule.span,
                examples: count(&decision.name, Some(&rule.id)),
            });
        }
        if decision.default.is_some() {
            out.push(Covered {
                decision: decision.name.clone(),
                rule: None,
                title: "standardutfallet".to_owned(),
                location: ruleset.sources.location(decision.span),
                span: decision.span,
                examples: count(&decision.name, None),
            });
        }
    }
    out
}

/// The rules no passing example decides, each with its id (a default nothing decides is no
/// finding: it may never be reached).
pub fn uncovered(coverage: &[Covered]) -> Vec<(&str, &Covered)> {
    coverage
        .iter()
        .filter(|c| c.examples == 0)
        .filter_map(|c| Some((c.rule.as_deref()?, c)))
        .collect()
}
