//! The priorities pass: each rule's `går före` resolved to the rules it names, directly or
//! through a `grupp`, with rings of rules that go before each other reported.

use super::rules::Written;
use crate::check::cycles::cycles;
use crate::check::model::*;
use crate::check::sink::Diagnostics;
use crate::check::suggest_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, Target};
use std::collections::{HashMap, HashSet};

/// The rules with their `overrides` filled in from what was written.
pub(super) fn resolve(mut rules: Vec<Rule>, written: &Written, out: &mut Diagnostics) -> Vec<Rule> {
    let index: HashMap<String, RuleId> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), RuleId::new(i)))
        .collect();
    let groups: HashSet<&str> = rules
        .iter()
        .flat_map(|r| r.groups.iter().map(String::as_str))
        .collect();
    let mut resolved: Vec<Vec<RuleId>> = Vec::with_capacity(rules.len());
    for (i, targets) in written.targets.iter().enumerate() {
        let this = RuleId::new(i);
        let mut list = Vec::new();
        for target in targets {
            match target {
                Target::Rule(id) => list.extend(rule_targets(id, &index, written, out)),
                Target::Group(g) => {
                    // A group whose rules all failed to check was reported through them.
                    if written.groups.contains(&g.name) && !groups.contains(g.name.as_str()) {
                        continue;
                    }
                    if !groups.contains(g.name.as_str()) {
                        unknown_group(g, &groups, out);
                        continue;
                    }
                    let members = rules.iter().enumerate().map(|(j, r)| (RuleId::new(j), r));
                    list.extend(
                        members
                            .filter(|(j, r)| *j != this && r.groups.contains(&g.name))
                            .map(|(j, _)| j),
                    );
                }
            }
        }
        list.sort_unstable();
        list.dedup();
        resolved.push(list);
    }
    report_rings(&rules, &resolved, out);
    for (rule, list) in rules.iter_mut().zip(resolved) {
        rule.overrides = list;
    }
    rules
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
