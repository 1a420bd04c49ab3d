//! The shared input space of several tables. Columns are matched by what they read (the same
//! fact, integer term or condition is the same column); enumerations get the union of the
//! tables' values, integer intervals are refined to every table's cut points. A row of any
//! table is then a box: one set of shared cells per column.

use super::model::DiffError;
use crate::table::expr::show;
use crate::table::{BoolExpr, Column, ColumnKind, DecisionTable, FactType, IntExpr};
use std::collections::{HashMap, HashSet};

/// A set of shared cells, of any width.
pub use crate::table::Cells;

/// What a shared column reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Enum(String),
    Bool(String),
    /// Whether a request gives an optional fact: `saknas`, `finns`.
    Presence(String),
    Int(IntExpr),
    Pred(BoolExpr),
}

/// One column of the shared space.
#[derive(Clone, Debug)]
pub struct Shared {
    pub name: String,
    pub kind: Kind,
    pub labels: Vec<String>,
    /// For integer columns: the interval of each cell.
    pub intervals: Vec<(i64, i64)>,
    /// Per table: the cells it accepts in a request (an enumeration value or a number it does
    /// not know is an error there). INVARIANT: one entry per table of the space.
    valid: Vec<Cells>,
}

impl Shared {
    pub fn full(&self) -> Cells {
        Cells::full(self.labels.len())
    }

    /// The cells table `t` accepts.
    #[expect(
        clippy::indexing_slicing,
        reason = "`valid` has one entry per table, and `t` names a table of the space"
    )]
    pub fn valid(&self, t: usize) -> &Cells {
        &self.valid[t]
    }
}

/// A column of one table, placed in the shared space.
#[derive(Clone, Debug)]
pub struct Local {
    /// The shared column it is.
    pub shared: usize,
    /// The shared cells of each of its cells, in the order of its cells.
    pub images: Vec<Cells>,
    /// The shared cells its cells cover together: an integer the table's intervals do not
    /// cover is refused there.
    covered: Cells,
}

impl Local {
    /// The table's own cells whose shared cells meet `want`: what a witness search asks of
    /// this column for a request in `want`.
    pub fn cells_meeting(&self, want: &Cells) -> Cells {
        self.images
            .iter()
            .enumerate()
            .filter(|(_, image)| image.intersects(want))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Where a box of a table comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Row(usize),
    /// Requests the table refuses: a value it does not know in this shared column.
    Refused(usize),
}

/// A row of a table (or a region it refuses) as a box: one set of shared cells per shared
/// column.
#[derive(Clone, Debug)]
pub struct RowBox {
    /// INVARIANT: one entry per shared column, none of them empty.
    pub cells: Vec<Cells>,
    pub origin: Origin,
    /// The table's columns the row tests, in the order of its conditions (none for a refused
    /// region).
    pub tested: Vec<usize>,
}

#[derive(Debug)]
pub struct Space {
    pub columns: Vec<Shared>,
    /// Per table, its columns in the order of the table. INVARIANT: `locals[t][c]` is column
    /// `c` of table `t`.
    locals: Vec<Vec<Local>>,
    /// Differences that are not regions of the space (a changed default).
    pub notes: Vec<String>,
}

impl Space {
    pub fn new(tables: &[&DecisionTable]) -> Result<Space, DiffError> {
        let mut notes = Vec::new();
        let enum_values = enum_values(tables);
        fact_notes(tables, &mut notes);
        let mut columns: Vec<Shared> = Vec::new();
        // Per table, the shared column of each of its columns.
        let mut placed: Vec<Vec<usize>> = Vec::new();
        for table in tables {
            let mut place = Vec::new();
            for col in &table.columns {
                let kind = match &col.kind {
                    ColumnKind::Enum(f) => Kind::Enum(f.clone()),
                    ColumnKind::Bool(f) => Kind::Bool(f.clone()),
                    ColumnKind::Presence(f) => Kind::Presence(f.clone()),
                    ColumnKind::Int { term, .. } => Kind::Int(term.clone()),
                    ColumnKind::Predicate(e) => Kind::Pred(e.clone()),
                };
                let j = match columns.iter().position(|s| s.kind == kind) {
                    Some(j) => j,
                    None => {
                        columns.push(new_shared(col.name.clone(), kind, tables, &enum_values)?);
                        columns.len() - 1
                    }
                };
                place.push(j);
            }
            placed.push(place);
        }
        // An enumeration whose values differ refuses requests in the tables that lack a value.
        // Also where no table of this decision reads it: a request is checked against every
        // fact, so a value only some rulesets know is refused by the others in every
        // decision (one situation each, since refusals are grouped by the value).
        for (fact, _, differs) in &enum_values {
            if *differs && !columns.iter().any(|s| s.kind == Kind::Enum(fact.clone())) {
                columns.push(new_shared(
                    fact.clone(),
                    Kind::Enum(fact.clone()),
                    tables,
                    &enum_values,
                )?);
            }
        }
        disambiguate(&mut columns);
        let mut locals = Vec::new();
        for (table, place) in tables.iter().zip(&placed) {
            let mut local = Vec::new();
            for (col, &j) in table.columns.iter().zip(place) {
                #[expect(
                    clippy::indexing_slicing,
                    reason = "`placed` holds indices of `columns`, which only grows"
                )]
                let shared = &columns[j];
                local.push(place_column(shared, j, col)?);
            }
            locals.push(local);
        }
        for (j, shared) in columns.iter_mut().enumerate() {
            shared.valid = tables
                .iter()
                .zip(&locals)
                .map(|(table, local)| {
                    local
                        .iter()
                        .filter(|l| l.shared == j)
                        .fold(accepted(shared, table), |v, l| &v & &l.covered)
                })
                .collect();
        }
        Ok(Space {
            columns,
            locals,
            notes,
        })
    }

    /// Column `j` of the shared space.
    #[expect(
        clippy::indexing_slicing,
        reason = "shared column indices come from this space: a box's cells, a local's \
                  `shared`, a refused origin"
    )]
    pub fn column(&self, j: usize) -> &Shared {
        &self.columns[j]
    }

    /// The columns of table `t`, in its order.
    #[expect(
        clippy::indexing_slicing,
        reason = "`locals` has one entry per table of the space"
    )]
    pub fn locals(&self, t: usize) -> &[Local] {
        &self.locals[t]
    }

    /// Table `t`'s rows, and the regions it refuses, as boxes.
    pub fn boxes(&self, t: usize, table: &DecisionTable) -> Result<Vec<RowBox>, DiffError> {
        let base: Vec<Cells> = self.columns.iter().map(|s| s.valid(t).clone()).collect();
        // The table's columns by name, each with its place in the shared space and the
        // shared cells of each of its cells by name (the first of a name given twice, as a
        // search would find it).
        let by_name: HashMap<&str, (usize, &Local, HashMap<&str, &Cells>)> = table
            .columns
            .iter()
            .zip(self.locals(t))
            .enumerate()
            .map(|(c, (col, local))| {
                let mut images: HashMap<&str, &Cells> = HashMap::new();
                for (name, image) in col.cells.iter().zip(&local.images) {
                    images.entry(name.as_str()).or_insert(image);
                }
                (col.name.as_str(), (c, local, images))
            })
            .collect();
        let mut boxes = Vec::new();
        'rows: for (r, row) in table.rows.iter().enumerate() {
            let mut cells = base.clone();
            let mut tested = Vec::new();
            for cond in &row.when {
                let (c, local, images) = by_name.get(cond.column.as_str()).ok_or_else(|| {
                    DiffError(format!(
                        "tabellen `{}` nämner den okända kolumnen `{}`",
                        table.decision, cond.column
                    ))
                })?;
                let mut set = Cells::EMPTY;
                for v in &cond.values {
                    let image = images.get(v.as_str()).ok_or_else(|| {
                        DiffError(format!(
                            "tabellen `{}`: kolumnen `{}` har ingen cell `{v}`",
                            table.decision, cond.column
                        ))
                    })?;
                    set |= *image;
                }
                tested.push(*c);
                #[expect(
                    clippy::indexing_slicing,
                    reason = "a box has one cell set per shared column, and `local.shared` \
                              is one"
                )]
                let slot = &mut cells[local.shared];
                *slot = &*slot & &set;
                if slot.is_empty() {
                    continue 'rows;
                }
            }
            boxes.push(RowBox {
                cells,
                origin: Origin::Row(r),
                tested,
            });
        }
        boxes.extend(self.refused(t));
        Ok(boxes)
    }

    /// The regions table `t` refuses, made disjoint: refused in column j, accepted in earlier
    /// ones.
    fn refused(&self, t: usize) -> Vec<RowBox> {
        let mut boxes = Vec::new();
        let mut accepted: Vec<Cells> = self.columns.iter().map(Shared::full).collect();
        for (j, s) in self.columns.iter().enumerate() {
            let valid = s.valid(t).clone();
            let refused = &s.full() - &valid;
            if refused.is_empty() {
                continue;
            }
            let mut cells = accepted.clone();
            #[expect(
                clippy::indexing_slicing,
                reason = "`cells` and `accepted` have one entry per shared column, `j` is one"
            )]
            {
                cells[j] = refused;
                accepted[j] = valid;
            }
            boxes.push(RowBox {
                cells,
                origin: Origin::Refused(j),
                tested: Vec::new(),
            });
        }
        boxes
    }
}

/// Every enumeration fact with the union of the tables' values, in order of first
/// appearance, and whether the tables' values differ.
fn enum_values(tables: &[&DecisionTable]) -> Vec<(String, Vec<String>, bool)> {
    let mut enum_values: Vec<(String, Vec<String>, bool)> = Vec::new();
    for t in tables {
        for f in &t.facts {
            if let FactType::Enum(values) = &f.ty {
                match enum_values.iter_mut().find(|(name, _, _)| *name == f.name) {
                    Some((_, all, differs)) => {
                        if all != values {
                            *differs = true;
                            // A set of the values so far: a type of thousands of units is
                            // not searched value by value.
                            let mut known: HashSet<String> = all.iter().cloned().collect();
                            for v in values {
                                if known.insert(v.clone()) {
                                    all.push(v.clone());
                                }
                            }
                        }
                    }
                    None => enum_values.push((f.name.clone(), values.clone(), false)),
                }
            }
        }
    }
    enum_values
}

fn new_shared(
    name: String,
    kind: Kind,
    tables: &[&DecisionTable],
    enum_values: &[(String, Vec<String>, bool)],
) -> Result<Shared, DiffError> {
    let (labels, intervals) = match &kind {
        Kind::Enum(f) => {
            // Every enumeration fact of every table is in `enum_values`; a column that reads
            // a fact no table declares as an enumeration is a table that contradicts itself.
            let values = enum_values
                .iter()
                .find(|(name, _, _)| name == f)
                .map(|(_, v, _)| v.clone())
                .ok_or_else(|| {
                    DiffError(format!(
                        "kolumnen `{name}` läser `{f}`, som ingen tabell har som uppräkning"
                    ))
                })?;
            (values, Vec::new())
        }
        Kind::Bool(_) | Kind::Pred(_) => (vec!["falskt".to_owned(), "sant".to_owned()], Vec::new()),
        Kind::Presence(_) => (vec!["saknas".to_owned(), "finns".to_owned()], Vec::new()),
        Kind::Int(term) => {
            let mut starts: Vec<i64> = Vec::new();
            let mut hi = i64::MIN;
            for t in tables {
                for c in &t.columns {
                    if let ColumnKind::Int {
                        term: other,
                        intervals,
                    } = &c.kind
                        && other == term
                    {
                        for (l, h) in intervals {
                            starts.push(*l);
                            starts.push(h.saturating_add(1));
                            hi = hi.max(*h);
                        }
                    }
                }
            }
            starts.retain(|s| *s <= hi);
            starts.sort_unstable();
            starts.dedup();
            let mut intervals = Vec::new();
            for (i, l) in starts.iter().enumerate() {
                let end = starts.get(i + 1).map_or(hi, |next| next - 1);
                if end >= *l {
                    intervals.push((*l, end));
                }
            }
            let open = matches!(term, IntExpr::Age(..));
            let labels = intervals
                .iter()
                .map(|&(l, h)| interval_label(l, h, open && h == hi))
                .collect();
            (labels, intervals)
        }
    };
    Ok(Shared {
        name,
        kind,
        labels,
        intervals,
        // Filled in once every table's columns are placed.
        valid: Vec::new(),
    })
}

pub fn interval_label(lo: i64, hi: i64, open: bool) -> String {
    if open {
        format!("{lo} eller mer")
    } else if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

/// Two different conditions shown under one name (a redefined derived fact) get the
/// condition itself added to the name.
fn disambiguate(columns: &mut [Shared]) {
    let names: Vec<String> = columns.iter().map(|s| s.name.clone()).collect();
    for s in columns.iter_mut() {
        if names.iter().filter(|n| **n == s.name).count() > 1
            && let Kind::Pred(e) = &s.kind
        {
            let shown = show::bool_expr(e);
            if shown != s.name {
                s.name = format!("{} ({shown})", s.name);
            }
        }
    }
}

/// The cells of the shared column `shared` (at index `j`) a table accepts before its own
/// columns are placed: for an enumeration, the values it knows; for whether a fact is given,
/// `saknas` only where the fact may be left out.
fn accepted(shared: &Shared, table: &DecisionTable) -> Cells {
    let full = shared.full();
    if let Kind::Presence(f) = &shared.kind {
        let required = table.facts.iter().any(|x| x.name == *f && !x.kan_saknas);
        // Cell 1 is `finns`.
        return if required { Cells::single(1) } else { full };
    }
    let Kind::Enum(f) = &shared.kind else {
        return full;
    };
    match table
        .facts
        .iter()
        .find(|x| x.name == *f)
        .map(|fact| &fact.ty)
    {
        Some(FactType::Enum(values)) => {
            let values: HashSet<&str> = values.iter().map(String::as_str).collect();
            shared
                .labels
                .iter()
                .enumerate()
                .filter(|(_, l)| values.contains(l.as_str()))
                .map(|(i, _)| i)
                .collect()
        }
        // Another type in this table, or a fact it does not know: its requests are compared
        // as given.
        _ => full,
    }
}

/// A table's column placed in the shared column `shared` (at index `j`): the shared cells
/// of each of its cells.
fn place_column(shared: &Shared, j: usize, col: &Column) -> Result<Local, DiffError> {
    let mut images = Vec::with_capacity(col.cells.len());
    let covered = match &col.kind {
        ColumnKind::Int { intervals, .. } => {
            let mut covered = Cells::EMPTY;
            for (lo, hi) in intervals {
                let image: Cells = shared
                    .intervals
                    .iter()
                    .enumerate()
                    .filter(|(_, (l, h))| lo <= l && h <= hi)
                    .map(|(i, _)| i)
                    .collect();
                covered |= &image;
                images.push(image);
            }
            covered
        }
        _ => {
            // The shared labels by name (the first of a name given twice, as a search would
            // find it).
            let mut at: HashMap<&str, usize> = HashMap::new();
            for (i, l) in shared.labels.iter().enumerate() {
                at.entry(l.as_str()).or_insert(i);
            }
            for label in &col.cells {
                let i = at.get(label.as_str()).copied().ok_or_else(|| {
                    DiffError(format!(
                        "kolumnen `{}` har en okänd cell `{label}`",
                        col.name
                    ))
                })?;
                images.push(Cells::single(i));
            }
            shared.full()
        }
    };
    Ok(Local {
        shared: j,
        images,
        covered,
    })
}

/// Whether a column of `table` reads `fact`.
fn reads(table: &DecisionTable, fact: &str) -> bool {
    table.columns.iter().any(|c| {
        let mut names = Vec::new();
        match &c.kind {
            ColumnKind::Enum(f) | ColumnKind::Bool(f) | ColumnKind::Presence(f) => {
                names.push(f.clone())
            }
            ColumnKind::Int { term, .. } => crate::table::expr::facts_of_int(term, &mut names),
            ColumnKind::Predicate(e) => crate::table::expr::facts_of_bool(e, &mut names),
        }
        names.iter().any(|n| n == fact)
    })
}

/// Facts whose default or type differs: requests that leave them out, or give them in the
/// other type, are decided differently without being a region of the space.
fn fact_notes(tables: &[&DecisionTable], notes: &mut Vec<String>) {
    let mut names: Vec<&str> = Vec::new();
    for t in tables {
        for f in &t.facts {
            if !names.contains(&f.name.as_str()) {
                names.push(&f.name);
            }
        }
    }
    for name in names {
        let facts: Vec<(&DecisionTable, &crate::table::FactSchema)> = tables
            .iter()
            .filter_map(|t| t.facts.iter().find(|f| f.name == name).map(|f| (*t, f)))
            .collect();
        if facts.len() < tables.len() {
            // Known to some tables only: the others ignore it. A required fact that only some
            // tables read makes requests without it errors there.
            for (table, f) in &facts {
                if f.default.is_none() && reads(table, name) {
                    notes.push(format!(
                        "faktumet `{name}` finns bara i en del av regelverken och saknar standardvärde i `{}`: en begäran utan det ger fel där men kan avgöras i de andra",
                        table.ruleset
                    ));
                }
            }
            continue;
        }
        let Some((_, head)) = facts.first() else {
            continue;
        };
        let same_kind = |a: &FactType, b: &FactType| match (a, b) {
            (FactType::Enum(_), FactType::Enum(_)) => true,
            (a, b) => a == b,
        };
        if facts.iter().any(|(_, f)| !same_kind(&f.ty, &head.ty)) {
            notes.push(format!(
                "faktumet `{name}` har olika typ i regelverken: begäranden med värden som bara den ena typen tillåter jämförs inte värde för värde"
            ));
        }
        if facts.iter().any(|(_, f)| f.default != head.default) {
            let shown: Vec<String> = facts
                .iter()
                .map(|(table, f)| {
                    format!(
                        "{}: {}",
                        table.ruleset,
                        f.default
                            .as_ref()
                            .map_or("inget standardvärde".to_owned(), |d| d.to_string())
                    )
                })
                .collect();
            notes.push(format!(
                "standardvärdet för `{name}` skiljer ({}): en begäran som utelämnar faktumet kan avgöras olika",
                shown.join("; ")
            ));
        }
    }
}
