//! Reasons (`skäl`) are free words: a rule may give any. A misspelt reason therefore makes a
//! new reason silently, so a reason that only one rule gives and that is close to another
//! reason of the same decision is a warning with "menade du". An invariant that names a
//! reason no rule (nor the default) gives is one too: it would be proved without saying
//! anything.

use super::own;
use crate::check::{DecisionId, Ruleset, suggest_name};
use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeMap;

pub(super) fn check(ruleset: &Ruleset, out: &mut Vec<Diagnostic>) {
    for d in ruleset.decision_ids() {
        let uses = uses(ruleset, d);
        let known = || uses.keys().copied();
        for r in ruleset.rules_of(d) {
            let rule = ruleset.rule(r);
            let Some(reason) = rule.outcome.reason.as_deref() else {
                continue;
            };
            if !own(ruleset, rule.origin) || uses.get(reason).copied() != Some(1) {
                continue;
            }
            let Some(close) = misspelling_of(reason, known()) else {
                continue;
            };
            // Two reasons given once each and alike: the later one is the likelier slip, and
            // one warning is enough.
            let partner_later = uses.get(close).copied() == Some(1)
                && ruleset.rules_of(d).map(|x| ruleset.rule(x)).any(|x| {
                    x.outcome.reason.as_deref() == Some(close)
                        && (x.span.file, x.span.start) > (rule.span.file, rule.span.start)
                });
            if !partner_later {
                out.push(
                    Diagnostic::warning(
                        Code::ReasonTypo,
                        format!(
                            "skälet `{reason}` ges bara av regeln `{}` och liknar `{close}`",
                            rule.id
                        ),
                        rule.outcome_span,
                        "ett skäl som ingen annan regel ger",
                    )
                    .with_help(format!(
                        "menade du `{close}`? ett felstavat skäl blir ett nytt skäl; skriv det som de andra reglerna gör, eller välj ett ord som inte liknar `{close}`"
                    )),
                );
            }
        }
        for inv in ruleset.invariants.iter().filter(|i| i.decision == d) {
            let Some(reason) = inv.reason.as_deref() else {
                continue;
            };
            if !own(ruleset, inv.origin) || inv.struck_by.is_some() || uses.contains_key(reason) {
                continue;
            }
            let d = Diagnostic::warning(
                Code::ReasonTypo,
                format!(
                    "skälet `{reason}` ges inte av någon regel i beslutet `{}`",
                    ruleset.decision(d).name
                ),
                inv.span,
                "invarianten nämner ett skäl som inget utfall har",
            );
            out.push(
                match misspelling_of(reason, known()).or(suggest_name(reason, known())) {
                    Some(close) => d.with_help(format!("menade du `{close}`?")),
                    None => d.with_help(format!(
                        "skälen i beslutet är {}",
                        known()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
            );
        }
    }
}

/// The reason `reason` looks like a misspelling of: one or two letters away (one for short
/// words, a swap of neighbours counting as one), and not a deliberate series such as
/// `fall_4` and `fall_5` that differ only in digits.
fn misspelling_of<'a>(reason: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = if reason.chars().count() <= 7 { 1 } else { 2 };
    let letters = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    known
        .filter(|k| *k != reason && letters(k) != letters(reason))
        .map(|k| (strsim::osa_distance(reason, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// How many rules (and the default) give each reason of the decision.
fn uses(ruleset: &Ruleset, decision: DecisionId) -> BTreeMap<&str, usize> {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    let rules = ruleset.rules_of(decision).map(|r| &ruleset.rule(r).outcome);
    let default = ruleset.decision(decision).default.as_ref();
    for outcome in rules.chain(default) {
        if let Some(reason) = &outcome.reason {
            *uses.entry(reason.as_str()).or_insert(0) += 1;
        }
    }
    uses
}
