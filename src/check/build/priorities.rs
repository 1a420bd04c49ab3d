//! The priorities pass: each rule's `går före` resolved to the rules it names, directly or
//! through a `grupp`, with rings of rules that go before each other reported.
//!
//! A group is a place in the priority order, not only the rules in it: `går före grupp g`
//! beats g's rules and every place below g (`Written::places`), so a region that strikes a
//! group's only rule leaves the order around it intact.

use super::rules::Written;
use crate::check::cycles::cycles;
use crate::check::model::*;
use crate::check::sink::Diagnostics;
use crate::check::suggest_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, Target};
use std::collections::{HashMap, HashSet};

/// The rules with their `overrides` and `precedes` filled in from what was written.
pub(super) fn resolve(mut rules: Vec<Rule>, written: &Written, out: &mut Diagnostics) -> Vec<Rule> {
    let index: HashMap<String, RuleId> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), RuleId::new(i)))
        .collect();
    let groups: HashSet<&str> = rules
        .iter()
        .flat_map(|r| r.groups.iter().map(String::as_str))
        .chain(written.groups.iter().map(String::as_str))
        .collect();
    // Each group's rules, in rule order, and the places each place goes before: made once,
    // so resolving a `går före grupp` costs its group's rules, not every rule.
    let mut members: HashMap<&str, Vec<RuleId>> = HashMap::new();
    for (j, r) in rules.iter().enumerate() {
        for g in &r.groups {
            members.entry(g.as_str()).or_default().push(RuleId::new(j));
        }
    }
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for (g, h) in &written.places {
        next.entry(g.as_str()).or_default().push(h.as_str());
    }
    let mut resolved: Vec<Vec<Precedence>> = Vec::with_capacity(rules.len());
    for (i, targets) in written.targets.iter().enumerate() {
        let this = RuleId::new(i);
        let mut precedes = Vec::new();
        for target in targets {
            match target {
                Target::Rule(id) => {
                    let targets = rule_targets(id, &index, written, out);
                    if !targets.is_empty() {
                        precedes.push(Precedence {
                            target: PrecedenceTarget::Rule(id.name.clone()),
                            span: id.span,
                            rules: targets,
                        });
                    }
                }
                Target::Group(g) => {
                    if !groups.contains(g.name.as_str()) {
                        unknown_group(g, &groups, out);
                        continue;
                    }
                    let mut beaten: Vec<RuleId> = places_below(&g.name, &next)
                        .into_iter()
                        .filter_map(|place| members.get(place))
                        .flatten()
                        .copied()
                        .filter(|&j| j != this)
                        .collect();
                    beaten.sort_unstable();
                    beaten.dedup();
                    precedes.push(Precedence {
                        target: PrecedenceTarget::Group(g.name.clone()),
                        span: g.span,
                        rules: beaten,
                    });
                }
            }
        }
        resolved.push(precedes);
    }
    let lists: Vec<Vec<RuleId>> = resolved
        .iter()
        .map(|precedes| {
            let mut list: Vec<RuleId> = precedes.iter().flat_map(|p| p.rules.clone()).collect();
            list.sort_unstable();
            list.dedup();
            list
        })
        .collect();
    report_rings(&rules, &lists, out);
    for ((rule, list), precedes) in rules.iter_mut().zip(lists).zip(resolved) {
        rule.overrides = list;
        rule.precedes = precedes;
    }
    rules
}

/// The group `g` and every place below it in the order of places, `g` first.
fn places_below<'a>(g: &'a str, next: &HashMap<&'a str, Vec<&'a str>>) -> HashSet<&'a str> {
    let mut below = HashSet::from([g]);
    let mut queue = vec![g];
    while let Some(x) = queue.pop() {
        for &h in next.get(x).into_iter().flatten() {
            if below.insert(h) {
                queue.push(h);
            }
        }
    }
    below
}

/// The rule a `går före ID` names: a rule a deviation replaced is named by its national id
/// and found under the deviation's; one a deviation replaces for a period is found under
/// both ids, since the national rule still applies outside the period. A rule struck, or
/// one that failed to check, is no error here.
fn rule_targets(
    id: &ast::Ident,
    index: &HashMap<String, RuleId>,
    written: &Written,
    out: &mut Diagnostics,
) -> Vec<RuleId> {
    if let Some((_, by)) = written.suspended.get(&id.name) {
        return [&id.name, by]
            .into_iter()
            .filter_map(|name| index.get(name).copied())
            .collect();
    }
    let name = written.replaced.get(&id.name).unwrap_or(&id.name);
    if let Some(&j) = index.get(name) {
        return vec![j];
    }
    if written.removed.contains_key(&id.name) || written.ids.contains(name) {
        return Vec::new();
    }
    let d = Diagnostic::error(
        Code::UnknownName,
        format!("okänd regel `{}`", id.name),
        id.span,
        "ingen regel har det id:t",
    );
    out.push(
        match suggest_name(&id.name, index.keys().map(String::as_str)) {
            Some(s) => d.with_help(format!("menade du `{s}`?")),
            None => d.with_help("skriv id:t på en regel i samma regelverk, eller `grupp namn`"),
        },
    );
    Vec::new()
}

fn unknown_group(g: &ast::Ident, groups: &HashSet<&str>, out: &mut Diagnostics) {
    let d = Diagnostic::error(
        Code::UnknownName,
        format!("okänd grupp `{}`", g.name),
        g.span,
        "ingen regel hör till en grupp med det namnet",
    );
    out.push(match suggest_name(&g.name, groups.iter().copied()) {
        Some(s) => d.with_help(format!("menade du `{s}`?")),
        None => d.with_help("en grupp bildas av reglerna som har raden `grupp namn`"),
    });
}

/// Rules that go before each other in a ring: no order can satisfy them.
fn report_rings(rules: &[Rule], resolved: &[Vec<RuleId>], out: &mut Diagnostics) {
    let edges: Vec<Vec<usize>> = resolved
        .iter()
        .map(|list| list.iter().map(|r| r.index()).collect())
        .collect();
    for cycle in cycles(&edges) {
        let mut members = cycle.iter().map(|&i| at(rules, i));
        let Some(first) = members.next() else {
            continue;
        };
        let mut names = vec![format!("`{}`", first.id)];
        let mut d = Diagnostic::error(Code::Cycle, String::new(), first.span, "går före sig själv");
        for m in members {
            names.push(format!("`{}`", m.id));
            d = d.with_label(m.span, "ingår i ringen");
        }
        d.message = format!("regler går före varandra i en ring: {}", names.join(", "));
        out.push(d.with_help(
            "bestäm vilken regel som väger tyngst och ta bort `går före` åt andra hållet",
        ));
    }
}
