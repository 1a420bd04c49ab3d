//! Example requests: a concrete request that falls in given cells of one or more tables.
//! Conflicts, gaps and diffs show one; the search checks every candidate with the real
//! evaluator, so an example always decides the way it is said to.

use super::days::{self, DayBound};
use super::expr::date_hints;
use super::layout::ColumnId;
use super::request::{FactValue, Request};
use super::schema::FactSlot;
use super::{BoolExpr, Cells, ColumnKind, Evaluator, FactSchema, FactType, IntExpr, TextExpr};
use crate::time::{Date, Unit};
use serde_json::Value as Json;
use std::collections::BTreeSet;

/// One constraint: in table `evaluator`, column `column` (its position in the table's
/// `columns`) must fall in one of `cells`.
#[derive(Clone)]
pub struct Constraint<'e> {
    pub evaluator: &'e Evaluator,
    pub column: usize,
    pub cells: Cells,
}

/// How many column evaluations the search may spend before giving up.
const BUDGET: usize = 200_000;

/// The day dates are searched around when no other date anchors them: 2026-05-01.
const ANCHOR: Date = Date::from_days(20_574);

/// A candidate value for a fact, independent of any table's indices.
#[derive(Clone, Debug, PartialEq)]
enum Candidate<'e> {
    Bool(bool),
    Int(i64),
    Date(Date),
    Text(String),
    /// A value of the enumeration type the search took from the first table that knows the
    /// fact.
    Enum(&'e str),
    /// An optional fact left out.
    Absent,
}

impl Candidate<'_> {
    /// The value as JSON; `None` for a fact left out.
    fn json(&self) -> Option<Json> {
        Some(match self {
            Candidate::Bool(b) => Json::Bool(*b),
            Candidate::Int(n) => Json::from(*n),
            Candidate::Date(d) => Json::String(d.to_string()),
            Candidate::Text(t) => Json::String(t.clone()),
            Candidate::Enum(t) => Json::String((*t).to_owned()),
            Candidate::Absent => return None,
        })
    }

    /// The value in one table's request (the fact in `slot` of `evaluator`), or `None` for
    /// an enumeration value the table does not know (another region's).
    fn value(&self, evaluator: &Evaluator, slot: FactSlot) -> Option<FactValue> {
        match self {
            Candidate::Bool(b) => Some(FactValue::Bool(*b)),
            Candidate::Int(n) => Some(FactValue::Int(*n)),
            Candidate::Date(d) => Some(FactValue::Date(*d)),
            Candidate::Text(t) => Some(FactValue::Text(t.clone().into_boxed_str())),
            // Found by name, not searched: a type of thousands of units is searched value by
            // value.
            Candidate::Enum(v) => evaluator.enum_value(slot, v).map(FactValue::Enum),
            Candidate::Absent => None,
        }
    }
}

/// A table taking part in the search (each evaluator once), with the request being built
/// for it.
struct Table<'e> {
    evaluator: &'e Evaluator,
    request: Request,
}

/// A table's position in [`Search::tables`], made only by [`Search::new`] as it pushes.
#[derive(Clone, Copy)]
struct TableId(usize);

/// A constraint resolved to its table and column.
#[derive(Clone)]
struct Check {
    table: TableId,
    column: ColumnId,
    cells: Cells,
}

/// One fact to choose a value for, with the checks that become possible once it is chosen
/// (those whose last fact, in search order, it is).
struct Step<'e> {
    name: String,
    ty: &'e FactType,
    /// Some table lets a request leave the fact out: leaving it out is a candidate too.
    may_be_absent: bool,
    checks: Vec<Check>,
}

/// Values that make good candidates: dates and shifts written in the conditions, and texts
/// they compare with.
#[derive(Default)]
struct Hints {
    literals: Vec<Date>,
    shifts: Vec<(i64, Unit)>,
    texts: BTreeSet<String>,
}

struct Search<'e> {
    tables: Vec<Table<'e>>,
    literals: Vec<Date>,
    shifts: Vec<(i64, Unit)>,
    texts: Vec<String>,
    /// The values chosen so far, one per step taken.
    assigned: Vec<Candidate<'e>>,
    spent: usize,
}

/// Finds a request that satisfies every constraint, as JSON with nested objects; `None` if
/// the search finds none within its budget (a column outside its table is satisfied by
/// none).
pub fn find(constraints: &[Constraint<'_>]) -> Option<Json> {
    let (mut search, checks) = Search::new(constraints)?;
    // Comparisons of a date fact with fixed days that leave the fact no day: no request, and
    // a search would spend its whole budget to find none (`post.datum < 2010-10-01` and not
    // `post.datum < 2015-10-01`, with two other dates free).
    if !days_possible(&search, &checks) {
        return None;
    }
    let mut hints = Hints::default();
    // Facts read by the constrained columns, with how often, to order the search.
    let mut uses: Vec<(String, usize, &FactType)> = Vec::new();
    let mut reads: Vec<Vec<String>> = Vec::new();
    for check in &checks {
        let evaluator = search.table(check.table).evaluator;
        hints.gather(evaluator, check.column);
        let mut names: Vec<&FactSchema> = evaluator
            .fact_slots(check.column)
            .into_iter()
            .map(|s| evaluator.fact(s))
            .collect();
        names.sort_by(|a, b| a.name.cmp(&b.name));
        names.dedup_by(|a, b| a.name == b.name);
        for fact in &names {
            match uses.iter_mut().find(|(n, ..)| *n == fact.name) {
                Some((_, count, _)) => *count += 1,
                None => uses.push((fact.name.clone(), 1, search.fact_type(fact))),
            }
        }
        reads.push(names.into_iter().map(|f| f.name.clone()).collect());
    }
    // Cheap facts first (enums, truths, numbers, texts), then dates, most-used first.
    let rank = |ty: &FactType| usize::from(matches!(ty, FactType::Date));
    uses.sort_by(|(a, na, ta), (b, nb, tb)| {
        rank(ta).cmp(&rank(tb)).then(nb.cmp(na)).then(a.cmp(b))
    });
    let mut steps: Vec<Step<'_>> = uses
        .into_iter()
        .map(|(name, _, ty)| Step {
            may_be_absent: search.may_be_absent(&name),
            name,
            ty,
            checks: Vec::new(),
        })
        .collect();
    for (check, read) in checks.iter().zip(&reads) {
        // The last step (in search order) that sets a fact the column reads.
        match steps.iter_mut().rev().find(|s| read.contains(&s.name)) {
            Some(step) => step.checks.push(check.clone()),
            // A column that reads no fact: check it up front.
            None => {
                if !search.satisfied(check) {
                    return None;
                }
            }
        }
    }
    search.take_hints(hints);
    if !search.solve(&steps) {
        return None;
    }
    Some(search.json(&steps))
}

/// False when the checks that compare one date fact with a fixed day, each asked to hold or
/// not (a truth column's cell 0 is `falskt`, 1 `sant`), leave some fact no day at all
/// ([`days::consistent`]); true when they leave every fact one, or say nothing.
fn days_possible(search: &Search<'_>, checks: &[Check]) -> bool {
    let known: Vec<(DayBound<'_>, bool)> = checks
        .iter()
        .filter_map(|check| {
            let ColumnKind::Predicate(e) = &search
                .table(check.table)
                .evaluator
                .column(check.column)
                .kind
            else {
                return None;
            };
            let holds = match (check.cells.contains(0), check.cells.contains(1)) {
                (false, true) => true,
                (true, false) => false,
                _ => return None,
            };
            let (bound, negated) = DayBound::of(e)?;
            Some((bound, holds != negated))
        })
        .collect();
    days::consistent(&known)
}

impl Hints {
    /// The candidates a column suggests.
    fn gather(&mut self, evaluator: &Evaluator, column: ColumnId) {
        match &evaluator.column(column).kind {
            ColumnKind::Predicate(e) => {
                date_hints(e, &mut self.literals, &mut self.shifts);
                text_literals(e, &mut self.texts);
            }
            ColumnKind::Int {
                term: IntExpr::Age(..),
                intervals,
            } => {
                // Birth dates that reach each interval's ends.
                for (lo, hi) in intervals {
                    self.shifts.push((-lo, Unit::Years));
                    if *hi < 200 {
                        self.shifts.push((-(hi + 1), Unit::Years));
                    }
                }
            }
            _ => {}
        }
    }
}

fn text_literals(e: &BoolExpr, out: &mut BTreeSet<String>) {
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

impl<'e> Search<'e> {
    /// The tables of the constraints, each once, and the constraints resolved against them.
    fn new(constraints: &[Constraint<'e>]) -> Option<(Search<'e>, Vec<Check>)> {
        let mut tables: Vec<Table<'e>> = Vec::new();
        let mut checks = Vec::new();
        for c in constraints {
            let table = match tables
                .iter()
                .position(|t| std::ptr::eq(t.evaluator, c.evaluator))
            {
                Some(p) => TableId(p),
                None => {
                    tables.push(Table {
                        evaluator: c.evaluator,
                        request: c.evaluator.empty_request(),
                    });
                    TableId(tables.len() - 1)
                }
            };
            checks.push(Check {
                table,
                column: c.evaluator.column_id(c.column)?,
                cells: c.cells.clone(),
            });
        }
        let search = Search {
            tables,
            literals: Vec::new(),
            shifts: Vec::new(),
            texts: Vec::new(),
            assigned: Vec::new(),
            spent: 0,
        };
        Some((search, checks))
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a TableId is the position of a table Search::new pushed, and \
                  tables are never removed"
    )]
    fn table(&self, table: TableId) -> &Table<'e> {
        &self.tables[table.0]
    }

    /// A fact's type: the first table that knows the fact decides it (a region may add
    /// enumeration values). `own` is the fact as the table it was read from declares it;
    /// that table is one of the tables, so the scan finds the fact there at the latest and
    /// `own.ty` is the answer it would give, not a default.
    fn fact_type(&self, own: &'e FactSchema) -> &'e FactType {
        self.tables
            .iter()
            .find_map(|t| {
                let slot = t.evaluator.fact_slot(&own.name)?;
                Some(&t.evaluator.fact(slot).ty)
            })
            .unwrap_or(&own.ty)
    }

    /// Whether some table lets a request leave the fact out.
    fn may_be_absent(&self, name: &str) -> bool {
        self.tables.iter().any(|t| {
            t.evaluator
                .fact_slot(name)
                .is_some_and(|slot| t.evaluator.fact(slot).kan_saknas)
        })
    }

    fn take_hints(&mut self, hints: Hints) {
        let Hints {
            mut literals,
            mut shifts,
            texts,
        } = hints;
        literals.sort();
        literals.dedup();
        shifts.sort_by_key(|(n, u)| (*u as u8, *n));
        shifts.dedup();
        self.literals = literals;
        self.shifts = shifts;
        self.texts = texts.into_iter().collect();
        self.texts.extend(["A".to_owned(), "B".to_owned()]);
    }

    /// The request found, leaving out facts left at their default in every table: it stays
    /// short and decides the same.
    fn json(&self, steps: &[Step<'_>]) -> Json {
        let mut map = serde_json::Map::new();
        for (step, value) in steps.iter().zip(&self.assigned) {
            let Some(json) = value.json() else {
                continue;
            };
            let is_default = self.tables.iter().all(|t| {
                t.evaluator
                    .fact_slot(&step.name)
                    .and_then(|s| t.evaluator.fact(s).default.as_ref())
                    == Some(&json)
            });
            if !is_default {
                super::insert_dotted(&mut map, &step.name, json);
            }
        }
        Json::Object(map)
    }

    fn candidates(&self, step: &Step<'e>) -> Vec<Candidate<'e>> {
        let mut candidates = self.values(step);
        if step.may_be_absent {
            candidates.push(Candidate::Absent);
        }
        candidates
    }

    fn values(&self, step: &Step<'e>) -> Vec<Candidate<'e>> {
        match step.ty {
            FactType::Bool => vec![Candidate::Bool(false), Candidate::Bool(true)],
            FactType::Enum(values) => values.iter().map(|v| Candidate::Enum(v)).collect(),
            FactType::Text | FactType::Id => {
                self.texts.iter().cloned().map(Candidate::Text).collect()
            }
            FactType::Int { min, max } => {
                let mut v = vec![*min, *max];
                for t in &self.tables {
                    for c in &t.evaluator.table().columns {
                        if let ColumnKind::Int {
                            term: IntExpr::Fact(f),
                            intervals,
                        } = &c.kind
                            && *f == step.name
                        {
                            v.extend(intervals.iter().flat_map(|(lo, hi)| [*lo, *hi]));
                        }
                    }
                }
                v.sort_unstable();
                v.dedup();
                v.into_iter().map(Candidate::Int).collect()
            }
            FactType::Date => self.date_candidates(),
        }
    }

    fn date_candidates(&self) -> Vec<Candidate<'e>> {
        let mut anchors: Vec<Date> = self
            .assigned
            .iter()
            .filter_map(|a| match a {
                Candidate::Date(d) => Some(*d),
                _ => None,
            })
            .collect();
        if anchors.is_empty() {
            anchors.push(ANCHOR);
        }
        anchors.extend(self.literals.iter().copied());
        let mut out: Vec<Date> = Vec::new();
        // A request can hold only dates that can be written.
        let mut push = |d: Option<Date>| {
            if let Some(d) = d
                && d.is_writable()
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

    /// Sets a fact in every table that has it; a value a table does not know stays unset
    /// there, so a column reading it fails and the candidate is rejected.
    fn set(&mut self, name: &str, value: Option<&Candidate<'e>>) {
        for t in &mut self.tables {
            let Some(slot) = t.evaluator.fact_slot(name) else {
                continue;
            };
            let v = value.and_then(|c| c.value(t.evaluator, slot));
            t.request.set(slot, v);
        }
    }

    /// Whether the requests so far satisfy every check, each counted against the budget.
    fn holds(&mut self, checks: &[Check]) -> bool {
        checks.iter().all(|check| {
            self.spent += 1;
            self.satisfied(check)
        })
    }

    fn satisfied(&self, check: &Check) -> bool {
        let table = self.table(check.table);
        // A fact missing or of no value this table knows: not this candidate.
        table
            .evaluator
            .cell_at(check.column, &table.request)
            .is_some_and(|cell| check.cells.contains(cell))
    }

    /// Chooses values for `steps` in order, backtracking on a failed check.
    fn solve(&mut self, steps: &[Step<'e>]) -> bool {
        let Some((step, rest)) = steps.split_first() else {
            return true;
        };
        for candidate in self.candidates(step) {
            if self.spent > BUDGET {
                return false;
            }
            self.set(&step.name, Some(&candidate));
            self.assigned.push(candidate);
            if self.holds(&step.checks) && self.solve(rest) {
                return true;
            }
            self.assigned.pop();
        }
        self.set(&step.name, None);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_is_the_first_of_may_2026() {
        assert_eq!(Some(ANCHOR), Date::from_ymd(2026, 5, 1));
    }
}
