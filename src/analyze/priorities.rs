//! A `går före` that never matters: the rule and every rule it beats through that target
//! can never apply to the same request, so the priority never decides anything. Each pair
//! is settled by `overlap::Pair` on the rules' conditions compiled on their own; only a target
//! proved never to matter is reported. (A rule that `går före` its own group is reported by
//! the checker.)

use super::overlap::{Overlap, Pair, View};
use super::own;
use crate::check::{PrecedenceTarget, RuleId, Ruleset};
use crate::compile::condition_table;
use crate::diagnostic::{Code, Diagnostic};

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
                .any(|&c| may_apply_together(&conditions, a, c));
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
    let mut found: Vec<RuleId> = Vec::new();
    let mut queue: Vec<RuleId> = direct.to_vec();
    while let Some(r) = queue.pop() {
        if r == a || found.contains(&r) || ruleset.rule(r).decision != decision {
            continue;
        }
        found.push(r);
        queue.extend(ruleset.rule(r).overrides.iter().copied());
    }
    found
}

/// Every rule's condition compiled on its own (`None` when too large to compile).
struct Conditions {
    views: Vec<Option<View>>,
}

impl Conditions {
    fn new(ruleset: &Ruleset) -> Conditions {
        let views = ruleset
            .rule_ids()
            .map(|r| {
                let rule = ruleset.rule(r);
                condition_table(ruleset, &rule.condition, &rule.id, rule.span)
                    .as_ref()
                    .and_then(View::new)
            })
            .collect();
        Conditions { views }
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: `views` has one entry per rule of the ruleset it was made for"
    )]
    fn get(&self, r: RuleId) -> Option<&View> {
        self.views[r.index()].as_ref()
    }
}

/// False only when the two rules' conditions are proved never to hold together.
fn may_apply_together(conditions: &Conditions, a: RuleId, c: RuleId) -> bool {
    let (Some(va), Some(vc)) = (conditions.get(a), conditions.get(c)) else {
        return true;
    };
    let holds = |v: &View| -> Vec<usize> {
        v.table()
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.outcome == "sant")
            .map(|(i, _)| i)
            .collect()
    };
    let pair = Pair::new(va, vc);
    for i in holds(va) {
        for j in holds(vc) {
            if pair.overlap(i, j) != Overlap::Disjoint {
                return true;
            }
        }
    }
    false
}
