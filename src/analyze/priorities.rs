//! A `går före` that never matters: the rule and every rule it beats through that target
//! can never apply to the same request, so the priority never decides anything. Each pair
//! is settled by `overlap::Shared` on the rules' conditions, those of one decision compiled
//! together; only a target
//! proved never to matter is reported. (A rule that `går före` its own group is reported by
//! the checker.)

use super::overlap::Shared;
use super::own;
use crate::check::{Expr, PrecedenceTarget, RuleId, Ruleset};
use crate::compile::{ConditionBox, ConditionBoxes, condition_boxes};
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashSet;

pub(super) fn check(ruleset: &Ruleset, out: &mut Vec<Diagnostic>) {
    let conditions = Conditions::new(ruleset);
    for a in ruleset.rule_ids() {
        let rule = ruleset.rule(a);
        if !own(ruleset, rule.origin) {
            continue;
        }
        for p in &rule.precedes {
            let beaten = below(ruleset, a, &p.rules);
            if beaten.is_empty() {
                continue;
            }
            let matters = beaten
                .iter()
                .any(|&c| may_apply_together(ruleset, &conditions, a, c));
            if matters {
                continue;
            }
            let (target, whose) = match &p.target {
                PrecedenceTarget::Rule(id) => (id.clone(), format!("regeln `{id}`")),
                PrecedenceTarget::Group(g) => {
                    (format!("grupp {g}"), format!("reglerna i gruppen `{g}`"))
                }
            };
            out.push(
                Diagnostic::warning(
                    Code::PriorityNeverMatters,
                    format!("`går före {target}` i regeln `{}` spelar aldrig roll", rule.id),
                    p.span,
                    format!("kan aldrig gälla samtidigt som `{}`", rule.id),
                )
                .with_help(format!(
                    "regeln och {whose} gäller aldrig för samma begäran, inte heller de regler de i sin tur går före: ta bort `går före {target}`"
                )),
            );
        }
    }
}

/// The rules of `a`'s decision that `a` beats through `direct`: those and every rule they
/// beat in turn.
fn below(ruleset: &Ruleset, a: RuleId, direct: &[RuleId]) -> Vec<RuleId> {
    let decision = ruleset.rule(a).decision;
    let mut seen: HashSet<RuleId> = HashSet::new();
    let mut found: Vec<RuleId> = Vec::new();
    let mut queue: Vec<RuleId> = direct.to_vec();
    while let Some(r) = queue.pop() {
        if r == a || ruleset.rule(r).decision != decision || !seen.insert(r) {
            continue;
        }
        found.push(r);
        queue.extend(ruleset.rule(r).overrides.iter().copied());
    }
    found
}

/// Every rule's condition compiled, the rules of one decision together over one set of
/// columns: each as the boxes where it holds.
struct Conditions {
    /// By decision id: the columns of the decision's rules' conditions, and by position
    /// among them the boxes of each (`None` when too large to compile).
    decisions: Vec<Option<(Shared, Vec<Option<Boxes>>)>>,
    /// By rule id: the rule's position among its decision's conditions.
    position: Vec<usize>,
}

type Boxes = Vec<ConditionBox>;

impl Conditions {
    fn new(ruleset: &Ruleset) -> Conditions {
        let mut position = vec![0; ruleset.rules.len()];
        let decisions = ruleset
            .decision_ids()
            .map(|d| {
                let rules: Vec<RuleId> = ruleset.rules_of(d).collect();
                for (i, &r) in rules.iter().enumerate() {
                    if let Some(p) = position.get_mut(r.index()) {
                        *p = i;
                    }
                }
                let conditions: Vec<&Expr> =
                    rules.iter().map(|&r| &ruleset.rule(r).condition).collect();
                let ConditionBoxes { columns, boxes } = condition_boxes(ruleset, &conditions)?;
                Some((Shared::new(columns), boxes))
            })
            .collect();
        Conditions {
            decisions,
            position,
        }
    }

    /// The columns of the rule's decision's conditions, and the boxes where the rule's
    /// condition holds.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: `decisions` has one entry per decision and `position` one per rule \
                  of the ruleset they were made for, and a rule's position is its place among \
                  its decision's conditions"
    )]
    fn get(&self, ruleset: &Ruleset, r: RuleId) -> Option<(&Shared, &Boxes)> {
        let (shared, boxes) = self.decisions[ruleset.rule(r).decision.index()].as_ref()?;
        Some((shared, boxes[self.position[r.index()]].as_ref()?))
    }
}

/// False only when the two rules' conditions are proved never to hold together. (Both are
/// rules of one decision, so their boxes share columns.)
fn may_apply_together(ruleset: &Ruleset, conditions: &Conditions, a: RuleId, c: RuleId) -> bool {
    let (Some((shared, boxes_a)), Some((_, boxes_c))) =
        (conditions.get(ruleset, a), conditions.get(ruleset, c))
    else {
        return true;
    };
    boxes_a
        .iter()
        .any(|i| boxes_c.iter().any(|j| shared.may_share(i, j)))
}
