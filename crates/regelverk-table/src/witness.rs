//! Example requests: a concrete request that falls in given cells of one or more tables.
//! Conflicts, gaps and diffs show one; the search checks every candidate with the real
//! evaluator, so an example always decides the way it is said to.

use super::expr::{date_hints, facts_of_int};
use super::request::{FactValue, Request};
use super::{ColumnKind, Evaluator, FactType};
use crate::time::{Date, Unit};
use serde_json::Value as Json;
use std::collections::BTreeSet;

/// One constraint: in table `evaluator`, column `column` must fall in one of `cells` (bits).
#[derive(Clone, Copy)]
pub struct Constraint<'e> {
    pub evaluator: &'e Evaluator,
    pub column: usize,
    pub cells: u64,
}

/// How many column evaluations the search may spend before giving up.
const BUDGET: usize = 200_000;

/// A candidate value for a fact, independent of any table's indices.
#[derive(Clone, Debug, PartialEq)]
enum Candidate {
    Bool(bool),
    Int(i64),
    Date(Date),
    Text(String),
    Enum(String),
}

impl Candidate {
    fn json(&self) -> Json {
        match self {
            Candidate::Bool(b) => Json::Bool(*b),
            Candidate::Int(n) => Json::from(*n),
            Candidate::Date(d) => Json::String(d.to_string()),
            Candidate::Text(t) | Candidate::Enum(t) => Json::String(t.clone()),
        }
    }
}

struct Search<'e> {
    constraints: Vec<Constraint<'e>>,
    /// The distinct evaluators, with one request each.
    evaluators: Vec<&'e Evaluator>,
    requests: Vec<Request>,
    facts: Vec<String>,
    /// For each fact position: the constraints that become checkable once it is set.
    checks: Vec<Vec<usize>>,
    literals: Vec<Date>,
    shifts: Vec<(i64, Unit)>,
    texts: Vec<String>,
    assigned: Vec<Option<Candidate>>,
    spent: usize,
}

/// Finds a request that satisfies every constraint, as JSON with nested objects.
pub fn find(constraints: &[Constraint<'_>]) -> Option<Json> {
    let mut evaluators: Vec<&Evaluator> = Vec::new();
    for c in constraints {
        if !evaluators.iter().any(|e| std::ptr::eq(*e, c.evaluator)) {
            evaluators.push(c.evaluator);
        }
    }
    // Facts read by the constrained columns, with how often, to order the search.
    let mut uses: Vec<(String, usize)> = Vec::new();
    let mut literals = Vec::new();
    let mut shifts = Vec::new();
    let mut texts = BTreeSet::new();
    let mut column_facts = Vec::new();
    for c in constraints {
        let facts = c.evaluator.column_facts(c.column);
        for f in &facts {
            match uses.iter_mut().find(|(n, _)| n == f) {
                Some((_, count)) => *count += 1,
                None => uses.push((f.clone(), 1)),
            }
        }
        if let Some(col) = c.evaluator.table().columns.get(c.column) {
            match &col.kind {
                ColumnKind::Predicate(e) => {
                    date_hints(e, &mut literals, &mut shifts);
                    text_literals(e, &mut texts);
                }
                ColumnKind::Int { term, intervals } => {
                    let mut names = Vec::new();
                    facts_of_int(term, &mut names);
                    if let super::IntExpr::Age(..) = term {
                        for (lo, hi) in intervals {
                            shifts.push((-lo, Unit::Years));
                            if *hi < 200 {
                                shifts.push((-(hi + 1), Unit::Years));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        column_facts.push(facts);
    }
    // Cheap facts first (enums, truths, numbers, texts), then dates, most-used first.
    let kind_rank = |name: &str| -> usize {
        match fact_type(&evaluators, name) {
            Some(FactType::Date) => 1,
            _ => 0,
        }
    };
    uses.sort_by(|(a, na), (b, nb)| {
        kind_rank(a)
            .cmp(&kind_rank(b))
            .then(nb.cmp(na))
            .then(a.cmp(b))
    });
    let facts: Vec<String> = uses.into_iter().map(|(n, _)| n).collect();
    let mut checks = vec![Vec::new(); facts.len()];
    for (i, needed) in column_facts.iter().enumerate() {
        let last = needed
            .iter()
            .filter_map(|f| facts.iter().position(|g| g == f))
            .max();
        match last.and_then(|p| checks.get_mut(p)) {
            Some(list) => list.push(i),
            // A column that reads no fact: check it up front.
            None => {
                let c = constraints.get(i)?;
                let req = c.evaluator.empty_request();
                let cell = c.evaluator.cell(c.column, &req).ok()?;
                if c.cells & (1u64 << cell.min(63)) == 0 {
                    return None;
                }
            }
        }
    }
    literals.sort();
    literals.dedup();
    shifts.sort_by_key(|(n, u)| (*u as u8, *n));
    shifts.dedup();
    let mut texts: Vec<String> = texts.into_iter().collect();
    texts.extend(["A".to_owned(), "B".to_owned()]);
    let requests = evaluators.iter().map(|e| e.empty_request()).collect();
    let n = facts.len();
    let mut search = Search {
        constraints: constraints.to_vec(),
        evaluators,
        requests,
        facts,
        checks,
        literals,
        shifts,
        texts,
        assigned: vec![None; n],
        spent: 0,
    };
    if !search.solve(0) {
        return None;
    }
    // Facts left at their default in every table are left out: the request stays short
    // and decides the same.
    let mut map = serde_json::Map::new();
    for (name, value) in search.facts.iter().zip(&search.assigned) {
        let Some(v) = value else { continue };
        let json = v.json();
        let is_default = search.evaluators.iter().all(|e| {
            e.fact_index(name)
                .and_then(|i| e.table().facts.get(i))
                .and_then(|f| f.default.as_ref())
                == Some(&json)
        });
        if !is_default {
            super::insert_dotted(&mut map, name, json);
        }
    }
    Some(Json::Object(map))
}

fn fact_type<'a>(evaluators: &[&'a Evaluator], name: &str) -> Option<&'a FactType> {
    evaluators.iter().find_map(|e| {
        e.fact_index(name)
            .and_then(|i| e.table().facts.get(i))
            .map(|f| &f.ty)
    })
}

fn text_literals(e: &super::BoolExpr, out: &mut BTreeSet<String>) {
    use super::{BoolExpr, TextExpr};
    match e {
        BoolExpr::Not(e) => text_literals(e, out),
        BoolExpr::And(es) | BoolExpr::Or(es) => es.iter().for_each(|e| text_literals(e, out)),
        BoolExpr::TextEq(l, r) => {
            for t in [l, r] {
                if let TextExpr::Literal(s) = t {
                    out.insert(s.clone());
                }
            }
        }
        _ => {}
    }
}

impl Search<'_> {
    fn candidates(&self, position: usize) -> Vec<Candidate> {
        let Some(name) = self.facts.get(position) else {
            return Vec::new();
        };
        match fact_type(&self.evaluators, name) {
            Some(FactType::Bool) => vec![Candidate::Bool(false), Candidate::Bool(true)],
            Some(FactType::Enum(values)) => values.iter().cloned().map(Candidate::Enum).collect(),
            Some(FactType::Text | FactType::Id) => {
                self.texts.iter().cloned().map(Candidate::Text).collect()
            }
            Some(FactType::Int { min, max }) => {
                let mut v = vec![*min, *max];
                for e in &self.evaluators {
                    for c in &e.table().columns {
                        if let ColumnKind::Int {
                            term: super::IntExpr::Fact(f),
                            intervals,
                        } = &c.kind
                            && f == name
                        {
                            v.extend(intervals.iter().flat_map(|(lo, hi)| [*lo, *hi]));
                        }
                    }
                }
                v.sort_unstable();
                v.dedup();
                v.into_iter().map(Candidate::Int).collect()
            }
            Some(FactType::Date) => self.date_candidates(),
            None => Vec::new(),
        }
    }

    fn date_candidates(&self) -> Vec<Candidate> {
        let mut anchors: Vec<Date> = self
            .assigned
            .iter()
            .filter_map(|a| match a {
                Some(Candidate::Date(d)) => Some(*d),
                _ => None,
            })
            .collect();
        if anchors.is_empty() {
            anchors.push(Date::from_ymd(2026, 5, 1).unwrap_or(Date::from_days(20_574)));
        }
        anchors.extend(self.literals.iter().copied());
        let mut out: Vec<Date> = Vec::new();
        let mut push = |d: Option<Date>| {
            if let Some(d) = d
                && !out.contains(&d)
            {
                out.push(d);
            }
        };
        for a in &anchors {
            for delta in [0i64, -1, 1] {
                push(a.shift(delta, Unit::Days));
            }
            for (n, unit) in &self.shifts {
                for sign in [1i64, -1] {
                    let moved = a.shift(sign * n, *unit);
                    for delta in [0i64, -1, 1] {
                        push(moved.and_then(|m| m.shift(delta, Unit::Days)));
                    }
                }
            }
            push(a.shift(-30, Unit::Years));
        }
        out.into_iter().map(Candidate::Date).collect()
    }

    fn set(&mut self, position: usize, value: Option<&Candidate>) {
        let Some(name) = self.facts.get(position) else {
            return;
        };
        for (e, req) in self.evaluators.iter().zip(self.requests.iter_mut()) {
            let Some(i) = e.fact_index(name) else {
                continue;
            };
            let v = value.and_then(|c| match c {
                Candidate::Bool(b) => Some(FactValue::Bool(*b)),
                Candidate::Int(n) => Some(FactValue::Int(*n)),
                Candidate::Date(d) => Some(FactValue::Date(*d)),
                Candidate::Text(t) => Some(FactValue::Text(t.clone().into_boxed_str())),
                Candidate::Enum(v) => match e.table().facts.get(i).map(|f| &f.ty) {
                    Some(FactType::Enum(values)) => values
                        .iter()
                        .position(|x| x == v)
                        .and_then(|p| u16::try_from(p).ok())
                        .map(FactValue::Enum),
                    _ => None,
                },
            });
            // A value this table does not know (another region's enum value) stays unset,
            // so a column reading it fails and the candidate is rejected.
            req.set(i, v);
        }
    }

    fn holds(&mut self, position: usize) -> bool {
        let checks = self.checks.get(position).cloned().unwrap_or_default();
        for i in checks {
            self.spent += 1;
            let Some(c) = self.constraints.get(i) else {
                return false;
            };
            let Some(r) = self
                .evaluators
                .iter()
                .position(|e| std::ptr::eq(*e, c.evaluator))
            else {
                return false;
            };
            let Some(req) = self.requests.get(r) else {
                return false;
            };
            match c.evaluator.cell(c.column, req) {
                Ok(cell) if cell < 64 && c.cells & (1u64 << cell) != 0 => {}
                _ => return false,
            }
        }
        true
    }

    fn solve(&mut self, position: usize) -> bool {
        if position >= self.facts.len() {
            return true;
        }
        for candidate in self.candidates(position) {
            if self.spent > BUDGET {
                return false;
            }
            self.set(position, Some(&candidate));
            if let Some(slot) = self.assigned.get_mut(position) {
                *slot = Some(candidate);
            }
            if self.holds(position) && self.solve(position + 1) {
                return true;
            }
        }
        self.set(position, None);
        if let Some(slot) = self.assigned.get_mut(position) {
            *slot = None;
        }
        false
    }
}
