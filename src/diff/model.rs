//! What a diff says: the differences of each decision, each side's outcome and deciding
//! rules, and the deviations cited. Plain data, read by [`crate::render`]; the passes of
//! [`super`] build it.

use serde::Serialize;
use serde_json::Value as Json;

/// Why tables cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffError(pub String);

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DiffError {}

/// A deviation as a difference cites it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviationRef {
    pub id: String,
    #[serde(rename = "titel")]
    pub title: String,
    pub motivering: String,
    #[serde(rename = "källor")]
    pub sources: Vec<String>,
    #[serde(rename = "plats")]
    pub location: String,
}

/// The rule (or the default) that decides one side of a difference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// The rule's id, or `standard` for the decision's default.
    pub id: String,
    #[serde(rename = "titel")]
    pub title: String,
    #[serde(rename = "plats", skip_serializing_if = "String::is_empty")]
    pub location: String,
    #[serde(rename = "källor")]
    pub sources: Vec<String>,
    #[serde(rename = "avsteg", skip_serializing_if = "Option::is_none")]
    pub deviation: Option<DeviationRef>,
}

/// A request a ruleset refuses: a value of `fact` it does not know, or (`absent`) a request
/// without a fact it requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    #[serde(rename = "faktum")]
    pub fact: String,
    #[serde(rename = "värden")]
    pub values: Vec<String>,
    #[serde(rename = "saknas", skip_serializing_if = "std::ops::Not::not")]
    pub absent: bool,
}

/// How one ruleset decides the requests of a difference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Side {
    /// `None` when the ruleset refuses the request (`fel`).
    #[serde(rename = "utfall")]
    pub outcome: Option<String>,
    /// The reasons (`skäl`) the deciding rules give; one unless rules with different reasons
    /// were joined into one difference.
    #[serde(rename = "skäl")]
    pub reasons: Vec<String>,
    #[serde(rename = "fel", skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refusal>,
    #[serde(rename = "regler")]
    pub rules: Vec<RuleRef>,
}

impl Side {
    /// `visa`, `dölj (skäl bup)` or `fel`.
    pub fn outcome_text(&self, with_reason: bool) -> String {
        match &self.outcome {
            None => "fel".to_owned(),
            Some(o) if with_reason && !self.reasons.is_empty() => {
                format!("{o} (skäl {})", self.reasons.join(" eller "))
            }
            Some(o) => o.clone(),
        }
    }
}

/// `column ∈ values`, and how a jurist reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Condition {
    #[serde(rename = "kolumn")]
    pub column: String,
    #[serde(rename = "värden")]
    pub values: Vec<String>,
    #[serde(rename = "text")]
    pub text: String,
}

/// One difference: where the conditions hold and each ruleset decides by the rules named on
/// its side, the outcomes are the ones given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// Conditions that hold throughout.
    #[serde(rename = "villkor")]
    pub common: Vec<Condition>,
    /// When not empty: one of these conjunctions holds too.
    #[serde(rename = "något_av", skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Vec<Condition>>,
    /// One per ruleset, in the order given.
    #[serde(rename = "sidor")]
    pub sides: Vec<Side>,
    /// A request in the difference, with every fact any of the rulesets knows.
    #[serde(rename = "exempel")]
    pub example: Json,
    /// The same request for each ruleset, without the facts it does not know: ready to run
    /// with `regel decide`.
    #[serde(rename = "exempel_per_regelverk")]
    pub examples: Vec<Json>,
}

impl Difference {
    /// The conditions in words: `a, b och (c eller d och e)`.
    pub fn conditions_text(&self) -> String {
        let common: Vec<&str> = self.common.iter().map(|c| c.text.as_str()).collect();
        let alts: Vec<String> = self
            .alternatives
            .iter()
            .map(|a| {
                a.iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" och ")
            })
            .collect();
        match (common.is_empty(), alts.is_empty()) {
            (true, true) => "alltid".to_owned(),
            (false, true) => common.join(", "),
            (true, false) => alts.join(" eller "),
            (false, false) => format!("{} och ({})", common.join(", "), alts.join(" eller ")),
        }
    }

    /// `visa → dölj`, with reasons when the outcomes alone are equal.
    pub fn change_text(&self) -> String {
        let plain: Vec<String> = self.sides.iter().map(|s| s.outcome_text(false)).collect();
        let all_same = plain.windows(2).all(|w| w.first() == w.get(1));
        self.sides
            .iter()
            .map(|s| s.outcome_text(all_same))
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// The differences of one decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionDiff {
    #[serde(rename = "beslut")]
    pub decision: String,
    #[serde(rename = "skillnader")]
    pub differences: Vec<Difference>,
    /// Differences that are not regions of the input space: a decision in one ruleset only,
    /// a changed default.
    #[serde(rename = "anmärkningar", skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The differences of whole rulesets, decision by decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// The rulesets' titles, in the order compared.
    #[serde(rename = "regelverk")]
    pub rulesets: Vec<String>,
    #[serde(rename = "beslut")]
    pub decisions: Vec<DecisionDiff>,
    /// The deviations (`avsteg`) of the later rulesets that the first does not have, each
    /// once: the region's departures from the framework it is compared with.
    #[serde(rename = "avsteg")]
    pub deviations: Vec<DeviationRef>,
}

impl Diff {
    /// True when every request is decided alike.
    pub fn is_empty(&self) -> bool {
        self.decisions
            .iter()
            .all(|d| d.differences.is_empty() && d.notes.is_empty())
    }

    pub fn count(&self) -> usize {
        self.decisions
            .iter()
            .map(|d| d.differences.len() + d.notes.len())
            .sum()
    }
}
