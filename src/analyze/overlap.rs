//! Whether rows of different tables share a real request. The analyses ask it of a decision
//! table and of conditions compiled on their own ([`crate::compile::condition_table`]): a
//! row is a box of cells, and boxes of several tables overlap iff some request falls in
//! every one of them.
//!
//! The answer is exact where it can be: conditions on the same input (the same fact, the same
//! whole-number term, the same comparison however it is written) are intersected cell by
//! cell, and comparisons of one date fact with fixed dates are intersected as intervals of
//! days. What remains — comparisons between facts, ages against dates — is settled by a
//! concrete request from [`witness::find`], which every table's own evaluator must put in
//! the row it is said to fall in. When no request is found and nothing above rules the
//! overlap out, the answer is [`Overlap::Unknown`]: never a silent "no".

use crate::table::witness::{self, Constraint};
use crate::table::{Cells, DecisionTable, Evaluator, Row, RuleInfo};
use serde_json::Value as Json;
use std::collections::HashMap;

/// A table ready for overlap questions.
pub struct View {
    evaluator: Evaluator,
    /// What each column reads, in the order of the table's columns.
    atoms: Vec<Atom>,
    /// Each row's conditions: (column, cells).
    rows: Vec<Vec<(usize, Cells)>>,
}

mod inputs;
use inputs::{Atom, Domain, Truth, atom, dates_consistent, domain, is_empty, narrow, same_input};

/// Whether rows share a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlap {
    /// No request falls in all of them.
    Disjoint,
    /// This request (JSON, ready for `regel decide`) falls in all of them.
    Found(Json),
    /// Nothing rules the overlap out, and the search found no request within its budget.
    Unknown,
}

impl View {
    /// The table's columns and rows resolved; `None` for a table that does not load (never
    /// one the compiler made).
    pub fn new(table: &DecisionTable) -> Option<View> {
        let evaluator = Evaluator::new(table.clone()).ok()?;
        let atoms = table
            .columns
            .iter()
            .map(|c| atom(&c.kind, &c.cells))
            .collect();
        // A condition names its column; the first column of that name, as rows read it, with
        // each label's first cell (found through a map: linear in a wide type's width).
        let mut by_name: HashMap<&str, (usize, HashMap<&str, usize>)> = HashMap::new();
        for (i, c) in table.columns.iter().enumerate() {
            by_name.entry(c.name.as_str()).or_insert_with(|| {
                let mut cells = HashMap::new();
                for (j, l) in c.cells.iter().enumerate() {
                    cells.entry(l.as_str()).or_insert(j);
                }
                (i, cells)
            });
        }
        let mut rows = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let mut conditions = Vec::with_capacity(row.when.len());
            for cond in &row.when {
                let (column, labels) = by_name.get(cond.column.as_str())?;
                let column = *column;
                let mut cells = Cells::EMPTY;
                for v in &cond.values {
                    cells.insert(*labels.get(v.as_str())?);
                }
                conditions.push((column, cells));
            }
            rows.push(conditions);
        }
        Some(View {
            evaluator,
            atoms,
            rows,
        })
    }

    pub fn table(&self) -> &DecisionTable {
        self.evaluator.table()
    }

    /// A row of the table.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: callers name rows of this view's table, which cannot change"
    )]
    pub fn row(&self, row: usize) -> &Row {
        &self.table().rows[row]
    }

    /// The rule that decides a row, or `None` for the decision's default.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: Evaluator::new checked every row's rule against the table's rules"
    )]
    pub fn rule(&self, row: usize) -> Option<&RuleInfo> {
        self.row(row).rule.map(|r| &self.table().rules[r])
    }

    /// The conditions of a row: (column, cells).
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: callers name rows of this view's table, and `rows` has one entry per row of it"
    )]
    pub fn conditions(&self, row: usize) -> &[(usize, Cells)] {
        &self.rows[row]
    }

    /// What a column of a row's conditions reads, and the column.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: conditions name columns by their position in the table (View::new), \
                  and `atoms` has one entry per column"
    )]
    fn column(&self, column: usize) -> (&Atom, &crate::table::Column) {
        (&self.atoms[column], &self.table().columns[column])
    }
}

/// Two views whose rows are asked about in pairs: the columns of one that read the same
/// input as a column of the other are linked once, so most pairs of rows that cannot share
/// a request are ruled out with a few bit operations before the exact check.
pub struct Pair<'v> {
    a: &'v View,
    b: &'v View,
    /// (column of `a`, column of `b`, for each cell of a's column the cells of b's column
    /// that share a value with it).
    links: Vec<(usize, usize, Vec<Cells>)>,
}

impl<'v> Pair<'v> {
    pub fn new(a: &'v View, b: &'v View) -> Pair<'v> {
        let mut links = Vec::new();
        for (ca, atom_a) in a.atoms.iter().enumerate() {
            for (cb, atom_b) in b.atoms.iter().enumerate() {
                if let Some(compatible) = link(atom_a, atom_b) {
                    links.push((ca, cb, compatible));
                }
            }
        }
        Pair { a, b, links }
    }

    /// Whether some request falls in row `ra` of the first view and row `rb` of the second.
    pub fn overlap(&self, ra: usize, rb: usize) -> Overlap {
        if !self.may_meet(ra, rb) {
            return Overlap::Disjoint;
        }
        overlap(&[(self.a, ra), (self.b, rb)])
    }

    /// False when a linked pair of conditions has no value in common.
    fn may_meet(&self, ra: usize, rb: usize) -> bool {
        let (rows_a, rows_b) = (self.a.conditions(ra), self.b.conditions(rb));
        self.links.iter().all(|(ca, cb, compatible)| {
            let (Some((_, cells_a)), Some((_, cells_b))) = (
                rows_a.iter().find(|(c, _)| c == ca),
                rows_b.iter().find(|(c, _)| c == cb),
            ) else {
                // A column one row does not test allows every value.
                return true;
            };
            let reach = cells_a
                .iter()
                .filter_map(|i| compatible.get(i))
                .fold(Cells::EMPTY, |m, c| &m | c);
            reach.intersects(cells_b)
        })
    }
}

/// For two columns that read the same input, the cells of the second that share a value
/// with each cell of the first; `None` for columns that read different inputs.
fn link(a: &Atom, b: &Atom) -> Option<Vec<Cells>> {
    let bit = Cells::single;
    match (a, b) {
        (
            Atom::Enum {
                fact: fa,
                labels: la,
            },
            Atom::Enum {
                fact: fb,
                labels: lb,
            },
        ) if fa == fb => {
            // Each label's cells in b, found through a map: linear in the type's width.
            let mut in_b: HashMap<&str, Cells> = HashMap::new();
            for (j, x) in lb.iter().enumerate() {
                in_b.entry(x.as_str()).or_insert(Cells::EMPTY).insert(j);
            }
            Some(
                la.iter()
                    // A label b lacks meets none of b's cells.
                    .map(|l| in_b.get(l.as_str()).cloned().unwrap_or(Cells::EMPTY))
                    .collect(),
            )
        }
        (
            Atom::Truth {
                key: ka,
                negated: na,
            },
            Atom::Truth {
                key: kb,
                negated: nb,
            },
        ) if ka == kb => {
            // Cell i reads the canonical condition as `i ^ na`; b's cell with the same truth.
            let flip = usize::from(na != nb);
            Some((0..2).map(|i| bit(i ^ flip)).collect())
        }
        (
            Atom::Int {
                term: ta,
                intervals: ia,
            },
            Atom::Int {
                term: tb,
                intervals: ib,
            },
        ) if ta == tb => Some(
            ia.iter()
                .map(|(lo, hi)| {
                    ib.iter()
                        .enumerate()
                        .filter(|(_, (l2, h2))| lo <= h2 && l2 <= hi)
                        .fold(Cells::EMPTY, |m, (j, _)| &m | &bit(j))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Whether some request falls in every given row, each `(view, row)`.
pub fn overlap(parts: &[(&View, usize)]) -> Overlap {
    if !consistent(parts) {
        return Overlap::Disjoint;
    }
    let constraints: Vec<Constraint<'_>> = parts
        .iter()
        .flat_map(|(view, row)| {
            view.conditions(*row)
                .iter()
                .map(|(column, cells)| Constraint {
                    evaluator: &view.evaluator,
                    column: *column,
                    cells: cells.clone(),
                })
        })
        .collect();
    let Some(request) = witness::find(&constraints) else {
        return Overlap::Unknown;
    };
    // The request must fall in each row as its own table's evaluator decides it.
    let confirmed = parts.iter().all(|(view, row)| {
        view.evaluator
            .decide_json(&request)
            .is_ok_and(|d| d.row == *row)
    });
    if confirmed {
        Overlap::Found(request)
    } else {
        Overlap::Unknown
    }
}

/// False when the row's own conditions rule each other out (a date before one day and after
/// a later one): no request falls in it. True says only that nothing rules it out.
pub fn possible(view: &View, row: usize) -> bool {
    consistent(&[(view, row)])
}

/// The rows' conditions together, as a jurist reads them: `läsare = vårdnadshavare,
/// patient.ålder = 16–17`. Conditions on the same input are intersected first, and those
/// that allow everything are left out.
pub fn situation(parts: &[(&View, usize)]) -> String {
    let Some(inputs) = merge(parts) else {
        return "aldrig".to_owned();
    };
    let said: Vec<String> = inputs.iter().filter_map(Input::text).collect();
    if said.is_empty() {
        "alltid".to_owned()
    } else {
        said.join(", ")
    }
}

/// One input as the rows together constrain it, with what it takes to say so.
struct Input {
    /// The name of the first column that reads it.
    name: String,
    domain: Domain,
    /// For a truth: whether that first column reads the canonical condition's negation.
    negated: bool,
    /// For an integer: every cell (interval and label) of the columns that read it.
    cells: Vec<((i64, i64), String)>,
    /// Whether the conditions allow every value (nothing worth saying).
    free: bool,
}

impl Input {
    fn text(&self) -> Option<String> {
        if self.free {
            return None;
        }
        let values: Vec<String> = match &self.domain {
            Domain::Values(_, v) => v.clone(),
            Domain::Truth(Truth::Present(fact), t) => {
                return match t {
                    0b01 => Some(format!("{fact} saknas")),
                    0b10 => Some(format!("{fact} finns")),
                    _ => None,
                };
            }
            Domain::Truth(key, t) => {
                // Bit 0 is false and bit 1 true of the canonical condition: swapped for a
                // column that reads its negation.
                let t = if self.negated {
                    ((t & 1) << 1) | ((t >> 1) & 1)
                } else {
                    *t
                };
                // A comparison or derived fact reads as itself, or as `inte (…)`.
                let condition = matches!(key, Truth::Condition(_));
                return match (t, condition) {
                    (0b01, false) => Some(format!("{} = falskt", self.name)),
                    (0b10, false) => Some(format!("{} = sant", self.name)),
                    (0b01, true) => Some(format!("inte ({})", self.name)),
                    (0b10, true) => Some(self.name.clone()),
                    _ => None,
                };
            }
            Domain::Ints(_, ranges) => ranges.iter().map(|r| self.int_label(*r)).collect(),
        };
        Some(match values.as_slice() {
            [one] => format!("{} = {one}", self.name),
            many => format!("{} i {{{}}}", self.name, many.join(", ")),
        })
    }

    fn int_label(&self, (lo, hi): (i64, i64)) -> String {
        if let Some((_, label)) = self.cells.iter().find(|(r, _)| *r == (lo, hi)) {
            return label.clone();
        }
        let open = self
            .cells
            .iter()
            .any(|((_, h), label)| *h == hi && label.ends_with("eller mer"));
        match (lo == hi, open) {
            (_, true) => format!("{lo} eller mer"),
            (true, false) => lo.to_string(),
            (false, false) => format!("{lo}–{hi}"),
        }
    }
}

/// The rows' conditions merged per input; `None` when conditions on one input rule each
/// other out.
fn merge(parts: &[(&View, usize)]) -> Option<Vec<Input>> {
    merge_conditions(parts.iter().flat_map(|(view, row)| {
        view.conditions(*row).iter().map(|(column, cells)| {
            let (atom, col) = view.column(*column);
            (atom, col, cells)
        })
    }))
}

/// Conditions — what a column reads, the column, its cells — merged per input; `None` when
/// conditions on one input rule each other out.
fn merge_conditions<'a>(
    conditions: impl IntoIterator<Item = (&'a Atom, &'a crate::table::Column, &'a Cells)>,
) -> Option<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::new();
    for (atom, col, cells) in conditions {
        let domain = domain(atom, cells);
        // Every cell of the column: counted over the cells set, not the column's width.
        let width = col.cells.len();
        let free = cells.iter().filter(|&i| i < width).count() == width;
        let int_cells = match atom {
            Atom::Int { intervals, .. } => intervals
                .iter()
                .copied()
                .zip(col.cells.iter().cloned())
                .collect(),
            _ => Vec::new(),
        };
        match inputs.iter_mut().find(|i| same_input(&i.domain, &domain)) {
            Some(input) => {
                if !narrow(&mut input.domain, &domain) {
                    return None;
                }
                input.free &= free;
                input.cells.extend(int_cells);
            }
            None => {
                if is_empty(&domain) {
                    return None;
                }
                let negated = matches!(atom, Atom::Truth { negated: true, .. });
                inputs.push(Input {
                    name: col.name.clone(),
                    domain,
                    negated,
                    cells: int_cells,
                    free,
                });
            }
        }
    }
    Some(inputs)
}

/// False when the rows' conditions on shared inputs cannot all hold.
fn consistent(parts: &[(&View, usize)]) -> bool {
    merged_consistent(merge(parts))
}

fn merged_consistent(inputs: Option<Vec<Input>>) -> bool {
    match inputs {
        Some(inputs) => {
            let domains: Vec<Domain> = inputs.into_iter().map(|i| i.domain).collect();
            dates_consistent(&domains)
        }
        None => false,
    }
}

/// Boxes over one set of columns ([`crate::compile::ConditionBoxes`]), asked in pairs
/// whether they can share a request. The answer is the one [`Pair::overlap`] gives short of
/// its witness search: false only when the boxes' conditions are proved to rule each other
/// out, cell by cell on the same input and as intervals of days on one date fact.
pub struct Shared {
    columns: Vec<crate::table::Column>,
    /// What each column reads, by column.
    atoms: Vec<Atom>,
}

impl Shared {
    pub fn new(columns: Vec<crate::table::Column>) -> Shared {
        let atoms = columns.iter().map(|c| atom(&c.kind, &c.cells)).collect();
        Shared { columns, atoms }
    }

    /// False only when no request can fall in both boxes.
    pub fn may_share(&self, a: &[(usize, Cells)], b: &[(usize, Cells)]) -> bool {
        // The same column in both: its cells must meet (a few bit operations).
        let apart = a.iter().any(|(ca, cells_a)| {
            b.iter()
                .any(|(cb, cells_b)| ca == cb && !cells_a.intersects(cells_b))
        });
        if apart {
            return false;
        }
        let conditions = a.iter().chain(b).filter_map(|(column, cells)| {
            let (atom, col) = (self.atoms.get(*column)?, self.columns.get(*column)?);
            Some((atom, col, cells))
        });
        merged_consistent(merge_conditions(conditions))
    }
}
