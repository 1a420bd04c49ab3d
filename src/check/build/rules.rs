//! The rule pass: the national rules the region keeps, the rules its deviations make or
//! replace, and its own rules, each typed against its decision. Their `går före` are
//! resolved afterwards, by the priorities pass.

use super::decisions::is_national;
use super::declarations::names_in;
use super::{ParsedFile, citations, interpretations, items, periods};
use crate::check::guards::{Facts, Guard};
use crate::check::model::*;
use crate::check::scope::{Scope, outcome};
use crate::check::sink::Diagnostics;
use crate::check::suggest_name;
use crate::check::types::Env;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::syntax::ast::{self, Change, Item};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A rule waiting to be typed: from a `regel`, or made by an `avsteg`.
struct PendingRule<'a> {
    id: &'a ast::Ident,
    title: String,
    sources: &'a [ast::Text],
    body: &'a ast::RuleBody,
    origin: Origin,
    deviation: Option<DeviationId>,
    replaces: Option<String>,
    /// Inherited from the replaced national rule.
    inherited: Option<&'a ast::RuleDecl>,
    /// A national rule a deviation with a period replaces or strikes.
    suspended_by: Option<DeviationId>,
    /// A deviation's id span stands in where the rule has no own `källa` line.
    span: Span,
}

/// What the priorities pass needs besides the rules: the `går före` as written, and what
/// the region's deviations did to the national rules.
pub(super) struct Written<'a> {
    /// The targets each rule's `går före` names, by position in the rules.
    pub targets: Vec<Vec<&'a ast::Target>>,
    /// National rule id → the deviation that replaces it (and whose id the new rule has).
    pub replaced: HashMap<String, String>,
    /// National rule id → the deviation that strikes it.
    pub removed: HashMap<String, String>,
    /// National rule id → the deviation with a period that replaces or strikes it: outside
    /// the period the national rule still applies, so both answer to its id.
    pub suspended: HashMap<String, (DeviationId, String)>,
    /// Every rule id written, including those of rules that fail to check, so a reference
    /// to them is not reported a second time.
    pub ids: HashSet<String>,
    /// Every group name written, likewise, and those of the national rules the region
    /// strikes: a group is a place in the priority order and survives being empty.
    pub groups: HashSet<String>,
    /// The order of places: (g, h) when a rule of group g, kept, replaced or struck, `går
    /// före grupp h`. Striking a group's only rule leaves the group between the same
    /// neighbours.
    pub places: Vec<(String, String)>,
}

/// The rules of the ruleset, typed, with their `går före` still as written.
pub(super) fn rules<'a>(
    scope: &Scope,
    national: &'a [ParsedFile],
    region: &'a [ParsedFile],
    applied: &[(DeviationId, &'a ast::DeviationDecl)],
    out: &mut Diagnostics,
) -> (Vec<Rule>, Written<'a>) {
    let national_rules: Vec<&ast::RuleDecl> = items(national)
        .filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            _ => None,
        })
        .collect();
    let mut written = Written {
        targets: Vec::new(),
        replaced: HashMap::new(),
        removed: HashMap::new(),
        suspended: HashMap::new(),
        ids: HashSet::new(),
        groups: HashSet::new(),
        places: Vec::new(),
    };
    let mut pending = from_deviations(scope, &national_rules, applied, &mut written, out);
    pending.extend(kept_national(scope, &national_rules, &written));
    pending.extend(own_rules(scope, national, region, out));
    let rules = type_rules(scope, &pending, &mut written, out);
    let bodies = national_rules
        .iter()
        .map(|r| &r.body)
        .chain(pending.iter().map(|p| p.body));
    for body in bodies {
        for g in &body.groups {
            written.groups.insert(g.name.clone());
            for target in &body.overrides {
                if let ast::Target::Group(h) = target {
                    written.places.push((g.name.clone(), h.name.clone()));
                }
            }
        }
    }
    written.places.sort();
    written.places.dedup();
    (rules, written)
}

/// The rules the region's deviations make (`ny regel`, `ersätter regel`), and the national
/// rules they replace or strike, recorded in `written`.
fn from_deviations<'a>(
    scope: &Scope,
    national_rules: &[&'a ast::RuleDecl],
    applied: &[(DeviationId, &'a ast::DeviationDecl)],
    written: &mut Written,
    out: &mut Diagnostics,
) -> Vec<PendingRule<'a>> {
    let mut pending = Vec::new();
    for &(dev, d) in applied {
        let Some((change, _)) = d.changes.first() else {
            continue;
        };
        let made = |replaces: Option<String>, inherited| PendingRule {
            id: &d.id,
            title: d.title.value.clone(),
            sources: &d.body.sources,
            body: &d.body,
            origin: Origin::Region,
            deviation: Some(dev),
            replaces,
            inherited,
            suspended_by: None,
            span: d.id.span,
        };
        let target = match change {
            Change::ReplaceRule(id) | Change::RemoveRule(id) => id,
            Change::NewRule(_) => {
                pending.push(made(None, None));
                continue;
            }
            _ => continue,
        };
        let Some(original) = national_rules.iter().find(|r| r.id.name == target.name) else {
            unknown_national_rule(target, national_rules, out);
            continue;
        };
        let earlier = written
            .replaced
            .get(&target.name)
            .or(written.removed.get(&target.name))
            .or(written.suspended.get(&target.name).map(|(_, by)| by));
        if let Some(prev) = earlier {
            out.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("regeln `{}` ändras redan av avsteget `{prev}`", target.name),
                    target.span,
                    "en gång till här",
                )
                .with_help("samla ändringen av regeln i ett avsteg"),
            );
            continue;
        }
        let by = d.id.name.clone();
        let timed = scope.deviation(dev).period.is_some();
        if timed {
            written.suspended.insert(target.name.clone(), (dev, by));
        } else if let Change::ReplaceRule(_) = change {
            written.replaced.insert(target.name.clone(), by);
        } else {
            written.removed.insert(target.name.clone(), by);
        }
        if let Change::ReplaceRule(_) = change {
            pending.push(made(Some(target.name.clone()), Some(*original)));
        }
    }
    pending
}

fn unknown_national_rule(target: &ast::Ident, national: &[&ast::RuleDecl], out: &mut Diagnostics) {
    let diag = Diagnostic::error(
        Code::UnknownNationalRule,
        format!("det finns ingen nationell regel `{}`", target.name),
        target.span,
        "okänd regel",
    );
    let suggestion = suggest_name(&target.name, national.iter().map(|r| r.id.name.as_str()));
    out.push(match suggestion {
        Some(s) => diag.with_help(format!("menade du `{s}`?")),
        None => diag.with_help("ett avsteg kan bara ersätta eller stryka en regel i det nationella ramverket; en ny regel skrivs med `ny regel`"),
    });
}

/// The national rules the region neither replaces, strikes, nor takes over the decision of.
fn kept_national<'a>(
    scope: &Scope,
    national_rules: &[&'a ast::RuleDecl],
    written: &Written,
) -> Vec<PendingRule<'a>> {
    let taken_over = |name: &ast::Ident| {
        scope
            .decision_index
            .get(&name.name)
            .is_some_and(|&d| scope.decision(d).replaced_by.is_some())
    };
    national_rules
        .iter()
        .filter(|r| {
            !written.replaced.contains_key(&r.id.name) && !written.removed.contains_key(&r.id.name)
        })
        .filter(|r| !r.body.decision.as_ref().is_some_and(taken_over))
        .map(|r| PendingRule {
            id: &r.id,
            title: r.title.value.clone(),
            sources: &r.body.sources,
            body: &r.body,
            origin: Origin::National,
            deviation: None,
            replaces: None,
            inherited: None,
            suspended_by: written.suspended.get(&r.id.name).map(|(dev, _)| *dev),
            span: r.id.span,
        })
        .collect()
}

/// The region's own `regel`s. One for a national decision the region has not taken over is
/// reported.
fn own_rules<'a>(
    scope: &Scope,
    national: &[ParsedFile],
    region: &'a [ParsedFile],
    out: &mut Diagnostics,
) -> Vec<PendingRule<'a>> {
    let mut pending = Vec::new();
    for item in items(region) {
        let Item::Rule(r) = item else { continue };
        let decision = r
            .body
            .decision
            .as_ref()
            .and_then(|n| scope.decision_index.get(&n.name).copied());
        let mut deviation = None;
        if let Some(d) = decision.map(|d| scope.decision(d)) {
            if is_national(scope, &d.name, national) && d.replaced_by.is_none() {
                out.push(
                    Diagnostic::error(
                        Code::RegionRuleWithoutDeviation,
                        format!("regionen kan inte lägga till en regel för det nationella beslutet `{}` utan avsteg", d.name),
                        r.id.span,
                        "en vanlig regel",
                    )
                    .with_help(format!(
                        "skriv regeln som `avsteg {} \"…\" motivering \"…\" källa \"…\" ny regel beslut {} om … då …`, eller ta över hela beslutet med `ersätter beslut {}`",
                        r.id.name, d.name, d.name
                    )),
                );
                continue;
            }
            deviation = d.replaced_by;
        }
        pending.push(PendingRule {
            id: &r.id,
            title: r.title.value.clone(),
            sources: &r.body.sources,
            body: &r.body,
            origin: Origin::Region,
            deviation,
            replaces: None,
            inherited: None,
            suspended_by: None,
            span: r.id.span,
        });
    }
    pending
}

/// Types every pending rule against its decision; a rule with a missing clause or an error
/// in its condition or outcome is reported and left out. Records each kept rule's `går
/// före` in `written`, in the same order.
fn type_rules<'a>(
    scope: &Scope,
    pending: &[PendingRule<'a>],
    written: &mut Written<'a>,
    out: &mut Diagnostics,
) -> Vec<Rule> {
    written.ids = pending.iter().map(|p| p.id.name.clone()).collect();
    written.groups = pending
        .iter()
        .flat_map(|p| {
            p.body
                .groups
                .iter()
                .chain(p.inherited.iter().flat_map(|r| r.body.groups.iter()))
        })
        .map(|g| g.name.clone())
        .collect();
    // Ids: rules and deviations share one namespace.
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for p in pending {
        if let Some(&first) = seen.get(p.id.name.as_str()) {
            out.duplicate("id:t", &p.id.name, p.id.span, first);
        } else {
            seen.insert(&p.id.name, p.id.span);
        }
    }
    let mut rules = Vec::new();
    for p in pending {
        let Some((rule, targets)) = type_rule(scope, p, out) else {
            continue;
        };
        rules.push(rule);
        written.targets.push(targets);
    }
    rules
}

fn type_rule<'a>(
    scope: &Scope,
    p: &PendingRule<'a>,
    out: &mut Diagnostics,
) -> Option<(Rule, Vec<&'a ast::Target>)> {
    let inherited = p.inherited.map(|r| &r.body);
    if p.sources.is_empty() && !is_deviation_rule(scope, p) {
        out.push(
            Diagnostic::error(
                Code::MissingSource,
                format!("regeln `{}` saknar källa", p.id.name),
                p.id.span,
                "här behövs en `källa`",
            )
            .with_help(
                "ange dokumentet och avsnittet regeln bygger på, t.ex. `källa \"RJH ramverk 1.1\"`",
            ),
        );
    }
    let decision = scope.decision_named(decision_clause(p, out)?, out)?;
    let Some(condition) = &p.body.condition else {
        out.push(
            Diagnostic::error(Code::MissingClause, format!("regeln `{}` saknar villkor", p.id.name), p.span, "här behövs `om`")
                .with_help("skriv när regeln gäller: `om läsare = patient och patient.ålder >= 16` (eller `om sant` för alltid)"),
        );
        return None;
    };
    let Some(outcome_ast) = &p.body.outcome else {
        out.push(
            Diagnostic::error(
                Code::MissingClause,
                format!("regeln `{}` saknar utfall", p.id.name),
                p.span,
                "här behövs `då`",
            )
            .with_help("skriv vad regeln ger: `då visa skäl egen_åtkomst`"),
        );
        return None;
    };
    let condition_ast = condition;
    let condition = Env::of(scope).condition(condition, out);
    let outcome = outcome(scope.decision(decision), outcome_ast, out);
    let (condition, outcome) = (condition?, outcome?);
    let given = Guard::reporting(scope, out).expr(condition_ast, &Facts::new());
    let shown_from = match &outcome_ast.shown_from {
        Some(e) => Some(shown_from(scope, e, condition_ast, &given.if_true, out)?),
        None => None,
    };
    // A rule an `avsteg` makes has the deviation's clauses, and its period.
    let period = match p.deviation.filter(|_| is_deviation_rule(scope, p)) {
        Some(dev) => scope.deviation(dev).period,
        None => periods::period(scope, p.body, out),
    };
    let mut groups: Vec<String> = p.body.groups.iter().map(|g| g.name.clone()).collect();
    let mut targets: Vec<&ast::Target> = p.body.overrides.iter().collect();
    if let Some(b) = inherited {
        groups.extend(b.groups.iter().map(|g| g.name.clone()));
        targets.extend(b.overrides.iter());
    }
    groups.sort();
    groups.dedup();
    if p.origin == Origin::Region || !scope.is_region {
        overrides_own_group(p, &groups, out);
    }
    let rule = Rule {
        id: p.id.name.clone(),
        title: p.title.clone(),
        sources: citations(p.sources),
        decision,
        condition,
        outcome,
        outcome_span: outcome_ast.span,
        shown_from,
        interpretations: interpretations(&p.body.interpretations),
        period,
        suspended_by: p.suspended_by,
        groups,
        overrides: Vec::new(),
        precedes: Vec::new(),
        span: p.id.span,
        origin: p.origin,
        deviation: p.deviation,
        replaces: p.replaces.clone(),
    };
    Some((rule, targets))
}

/// A rule that `går före` a group it belongs to: it beats the rest of the group, which is
/// seldom what was meant, and two members doing so go before each other in a ring.
fn overrides_own_group(p: &PendingRule<'_>, groups: &[String], out: &mut Diagnostics) {
    for target in &p.body.overrides {
        let ast::Target::Group(g) = target else {
            continue;
        };
        if groups.contains(&g.name) {
            out.push(
                Diagnostic::warning(
                    Code::OverridesOwnGroup,
                    format!("regeln `{}` går före sin egen grupp `{}`", p.id.name, g.name),
                    g.span,
                    "regeln hör själv till gruppen",
                )
                .with_help(format!(
                    "skriv vilka regler i gruppen den går före (`går före N…`), eller ta den ur gruppen `{}`",
                    g.name
                )),
            );
        }
    }
}

/// The `beslut` a rule names, or the one of the national rule it replaces; a rule with
/// neither is reported.
fn decision_clause<'a>(p: &PendingRule<'a>, out: &mut Diagnostics) -> Option<&'a ast::Ident> {
    let inherited = p.inherited.and_then(|r| r.body.decision.as_ref());
    let found = p.body.decision.as_ref().or(inherited);
    if found.is_none() {
        out.push(
            Diagnostic::error(
                Code::MissingClause,
                format!("regeln `{}` säger inte vilket beslut den gäller", p.id.name),
                p.span,
                "här behövs `beslut`",
            )
            .with_help("lägg till en rad `beslut direktåtkomst` (eller det beslut regeln gäller)"),
        );
    }
    found
}

/// A rule made by an `avsteg` has the deviation's källa; its absence is reported there.
fn is_deviation_rule(scope: &Scope, p: &PendingRule) -> bool {
    p.inherited.is_some()
        || p.deviation
            .is_some_and(|d| scope.deviation(d).kind == DeviationKind::NewRule)
}

/// A rule's `visas från`: a date, computed from facts the condition reads, so a request the
/// rule decides has every fact it needs. A fact that may be absent must be known to be given
/// where the condition holds.
fn shown_from(
    scope: &Scope,
    e: &ast::Expr,
    condition: &ast::Expr,
    given: &Facts,
    out: &mut Diagnostics,
) -> Option<DateTerm> {
    let date = Env::of(scope).date(e, out)?;
    let names = |e| {
        let mut names = BTreeSet::new();
        names_in(e, &mut names);
        names
    };
    let read = scope.facts_read(names(condition));
    let wanted = scope.facts_read(names(e));
    if let Some(&f) = wanted.difference(&read).next() {
        out.push(
            Diagnostic::error(
                Code::ShownFrom,
                format!(
                    "`visas från` läser `{}`, som regelns villkor inte läser",
                    scope.fact(f).name
                ),
                e.span,
                "datumet räknas ur det här",
            )
            .with_label(condition.span, "villkoret")
            .with_help("räkna datumet ur fakta som villkoret redan läser, t.ex. `visas från post.datum + 14 dagar` när villkoret jämför `post.datum`"),
        );
        return None;
    }
    Guard::reporting(scope, out).expr(e, given);
    Some(date)
}
