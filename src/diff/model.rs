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
    /// `från och med 2022-03-01`, `till och med …` or both: the days the deviation changes
    /// the framework, read against the request's `datum`; `None` when it always does.
    #[serde(rename = "giltighet", skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
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

/// One difference (a situation): where every condition holds, each ruleset decides as its
/// side says, for every request; and every request whose decision changed is in some
/// difference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// Conditions that all hold (none: every request).
    #[serde(rename = "villkor")]
    pub conditions: Vec<Condition>,
    /// Rules (by id) that decide alike in every ruleset and take precedence: requests one
    /// of them decides in every ruleset are not part of the difference.
    #[serde(rename = "utom", skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// The rule (with its deviation, when it has one) that makes the difference: the rule
    /// that decides differently, or the one that no longer applies.
    #[serde(rename = "orsak")]
    pub cause: RuleRef,
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
    /// The conditions in words: `a och b och c`, or `alltid`.
    pub fn conditions_text(&self) -> String {
        conditions_text(&self.conditions)
    }

    /// The conditions with the exceptions: `a och b, utom där N6 eller N9 avgör`.
    pub fn situation_text(&self) -> String {
        let mut s = self.conditions_text();
        let except = self.except_text();
        if !except.is_empty() {
            s.push_str(", ");
            s.push_str(&except);
        }
        s
    }

    /// `utom där N6 eller N9 avgör eller ett regelverk ger fel`, or nothing.
    pub fn except_text(&self) -> String {
        except_text(&self.except)
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

/// `utom där N6 eller N9 avgör eller ett regelverk ger fel` (`fel` names the refusals), or
/// nothing for no exceptions.
pub fn except_text(except: &[String]) -> String {
    let rules: Vec<&str> = except
        .iter()
        .map(String::as_str)
        .filter(|x| *x != "fel")
        .collect();
    let refused = except.iter().any(|x| x == "fel");
    match (rules.is_empty(), refused) {
        (true, false) => String::new(),
        (true, true) => "utom där ett regelverk ger fel".to_owned(),
        (false, false) => format!("utom där {} avgör", or_list(&rules)),
        (false, true) => format!(
            "utom där {} avgör eller ett regelverk ger fel",
            or_list(&rules)
        ),
    }
}

/// What the situations of a group share, said once as its heading: conditions all of them
/// have, and exceptions all of them make.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Heading {
    #[serde(rename = "villkor")]
    pub conditions: Vec<Condition>,
    #[serde(rename = "utom", skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
}

impl Heading {
    /// What every one of `situations` (conditions, exceptions) shares; nothing for fewer than
    /// two, whose heading would only repeat the one situation.
    pub fn of<'a>(situations: &[(&'a [Condition], &'a [String])]) -> Heading {
        let Some(((first_c, first_e), rest)) = situations.split_first() else {
            return Heading::default();
        };
        if rest.is_empty() {
            return Heading::default();
        }
        Heading {
            conditions: first_c
                .iter()
                .filter(|c| rest.iter().all(|(cs, _)| cs.contains(c)))
                .cloned()
                .collect(),
            except: first_e
                .iter()
                .filter(|x| rest.iter().all(|(_, es)| es.contains(x)))
                .cloned()
                .collect(),
        }
    }

    /// `När a och b, utom där N6 avgör`, `Utom där N6 avgör`, or nothing.
    pub fn heading_text(&self) -> Option<String> {
        let except = except_text(&self.except);
        match (self.conditions.is_empty(), except.is_empty()) {
            (true, true) => None,
            (true, false) => {
                let mut s = except;
                if let Some(first) = s.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                Some(s)
            }
            (false, true) => Some(format!("När {}", conditions_text(&self.conditions))),
            (false, false) => Some(format!(
                "När {}, {except}",
                conditions_text(&self.conditions)
            )),
        }
    }

    /// A situation's own conditions, below the heading.
    pub fn rest_conditions<'c>(&self, conditions: &'c [Condition]) -> Vec<&'c Condition> {
        conditions
            .iter()
            .filter(|c| !self.conditions.contains(c))
            .collect()
    }

    /// A situation's own exceptions, below the heading: `utom där N10 avgör`, or nothing.
    pub fn rest_except_text(&self, except: &[String]) -> String {
        let rest: Vec<String> = except
            .iter()
            .filter(|x| !self.except.contains(x))
            .cloned()
            .collect();
        except_text(&rest)
    }

    /// A situation below the heading: its own conditions (`i alla dessa fall` for none) and
    /// its own exceptions.
    pub fn rest_text(&self, conditions: &[Condition], except: &[String]) -> String {
        let rest: Vec<Condition> = self
            .rest_conditions(conditions)
            .into_iter()
            .cloned()
            .collect();
        let mut s = if rest.is_empty() {
            "i alla dessa fall".to_owned()
        } else {
            conditions_text(&rest)
        };
        let except = self.rest_except_text(except);
        if !except.is_empty() {
            s.push_str(", ");
            s.push_str(&except);
        }
        s
    }
}

/// Differences with one cause, and what they all share (shown once, as a heading).
pub struct CauseGroup<'d> {
    pub cause: &'d RuleRef,
    pub shared: Heading,
    pub differences: Vec<&'d Difference>,
}

impl CauseGroup<'_> {
    /// A difference's situation below the heading.
    pub fn rest_text(&self, d: &Difference) -> String {
        self.shared.rest_text(&d.conditions, &d.except)
    }
}

/// Differences grouped by cause (they come sorted by cause), each group with what all its
/// differences share.
pub fn by_cause(differences: &[Difference]) -> Vec<CauseGroup<'_>> {
    let mut groups: Vec<CauseGroup<'_>> = Vec::new();
    for d in differences {
        match groups.last_mut() {
            Some(g) if g.cause.id == d.cause.id => g.differences.push(d),
            _ => groups.push(CauseGroup {
                cause: &d.cause,
                shared: Heading::default(),
                differences: vec![d],
            }),
        }
    }
    for g in &mut groups {
        let situations: Vec<(&[Condition], &[String])> = g
            .differences
            .iter()
            .map(|d| (d.conditions.as_slice(), d.except.as_slice()))
            .collect();
        g.shared = Heading::of(&situations);
    }
    groups
}

/// `a`, `a eller b`, `a, b eller c`.
pub fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} eller {last}", init.join(", ")),
    }
}

/// Conditions joined with `och`; `alltid` for none.
pub fn conditions_text(conditions: &[Condition]) -> String {
    if conditions.is_empty() {
        return "alltid".to_owned();
    }
    conditions
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" och ")
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
    /// Texts a jurist signs that read differently (title, motivering, sources, tolkning).
    #[serde(rename = "ändrade_texter")]
    pub texts: Vec<TextChange>,
    /// Facts a request must now give, or need no longer give.
    #[serde(rename = "ändrade_faktakrav")]
    pub facts: Vec<FactChange>,
}

impl Diff {
    /// True when every request is decided alike and every signed text and required fact is
    /// the same.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
            && self.facts.is_empty()
            && self
                .decisions
                .iter()
                .all(|d| d.differences.is_empty() && d.notes.is_empty())
    }

    /// The differences in decisions (with notes), changed texts and changed fact requirements.
    pub fn count(&self) -> usize {
        self.decisions
            .iter()
            .map(|d| d.differences.len() + d.notes.len())
            .sum::<usize>()
            + self.texts.len()
            + self.facts.len()
    }
}

/// A text of a rule, a deviation or a decision's default that reads differently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextChange {
    /// `regel`, `avsteg` or `standardutfall`.
    #[serde(rename = "vad")]
    pub kind: String,
    /// The rule's or deviation's id, or the decision's name for its default.
    pub id: String,
    /// `titel`, `motivering`, `källor` or `tolkning`.
    #[serde(rename = "fält")]
    pub field: String,
    #[serde(rename = "före")]
    pub before: String,
    #[serde(rename = "efter")]
    pub after: String,
    /// `fil:rad` in the later ruleset; empty for a default.
    #[serde(rename = "plats", skip_serializing_if = "String::is_empty")]
    pub location: String,
}

/// A fact that a decision now requires, or no longer requires, in a later ruleset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FactChange {
    #[serde(rename = "beslut")]
    pub decision: String,
    /// The later ruleset's title.
    #[serde(rename = "regelverk")]
    pub ruleset: String,
    #[serde(rename = "faktum")]
    pub fact: String,
    /// `måste anges`, `kan saknas` or `läses inte`.
    #[serde(rename = "före")]
    pub before: String,
    #[serde(rename = "efter")]
    pub after: String,
}
