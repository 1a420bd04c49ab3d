//! The shared input space of several tables. Columns are matched by what they read (the same
//! fact, integer term or condition is the same column); enumerations get the union of the
//! tables' values, integer intervals are refined to every table's cut points. A row of any
//! table is then a box: one set of shared cells per column.

use super::DiffError;
use crate::table::expr::show;
use crate::table::{BoolExpr, ColumnKind, DecisionTable, FactType, IntExpr};

/// A set of shared cells (bit i: cell i). Two tables of at most 64 cells per column never
/// need more than 128.
pub type Cells = u128;

/// What a shared column reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Enum(String),
    Bool(String),
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
    /// Per table: its column, with the shared cells of each of its cells.
    pub local: Vec<Option<(usize, Vec<Cells>)>>,
    /// Per table: the cells it accepts in a request (an enumeration value or a number it does
    /// not know is an error there).
    pub valid: Vec<Cells>,
}

impl Shared {
    pub fn full(&self) -> Cells {
        all(self.labels.len())
    }
}

pub fn all(n: usize) -> Cells {
    if n >= 128 {
        Cells::MAX
    } else {
        (1u128 << n) - 1
    }
}

/// Where a box of a table comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Row(usize),
    /// Requests the table refuses: a value it does not know in this shared column.
    Refused(usize),
}

/// A table's rows (and refused regions) as boxes.
#[derive(Clone, Debug)]
pub struct Boxes {
    pub cells: Vec<Vec<Cells>>,
    pub origins: Vec<Origin>,
}

#[derive(Debug)]
pub struct Space {
    pub columns: Vec<Shared>,
    /// Differences that are not regions of the space (a changed default).
    pub notes: Vec<String>,
}

impl Space {
    pub fn new(tables: &[&DecisionTable]) -> Result<Space, DiffError> {
        let n = tables.len();
        let mut columns: Vec<Shared> = Vec::new();
        let mut notes = Vec::new();
        // Enumerations: the union of every table's values, in order of first appearance.
        let mut enum_values: Vec<(String, Vec<String>, bool)> = Vec::new();
        for t in tables {
            for f in &t.facts {
                if let FactType::Enum(values) = &f.ty {
                    match enum_values.iter_mut().find(|(name, _, _)| *name == f.name) {
                        Some((_, all, differs)) => {
                            if all != values {
                                *differs = true;
                            }
                            for v in values {
                                if !all.contains(v) {
                                    all.push(v.clone());
                                }
                            }
                        }
                        None => enum_values.push((f.name.clone(), values.clone(), false)),
                    }
                }
            }
        }
        fact_notes(tables, &mut notes);
        for (t, table) in tables.iter().enumerate() {
            for (c, col) in table.columns.iter().enumerate() {
                let kind = match &col.kind {
                    ColumnKind::Enum(f) => Kind::Enum(f.clone()),
                    ColumnKind::Bool(f) => Kind::Bool(f.clone()),
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
                if let Some(shared) = columns.get_mut(j)
                    && let Some(slot) = shared.local.get_mut(t)
                {
                    *slot = Some((c, Vec::new()));
                }
            }
        }
        // An enumeration whose values differ refuses requests in the tables that lack a value.
        // Only where some table of this decision reads the fact: a decision that never looks at
        // it would list every one of its rows again, and the decisions that read it show the
        // difference.
        for (fact, _, differs) in &enum_values {
            let read = tables.iter().any(|t| reads(t, fact));
            if *differs && read && !columns.iter().any(|s| s.kind == Kind::Enum(fact.clone())) {
                columns.push(new_shared(
                    fact.clone(),
                    Kind::Enum(fact.clone()),
                    tables,
                    &enum_values,
                )?);
            }
        }
        disambiguate(&mut columns);
        for shared in &mut columns {
            for (t, table) in tables.iter().enumerate() {
                map_cells(shared, t, table)?;
            }
            // Keep the vectors one per table even when no table had the column.
            shared.local.resize(n, None);
            shared.valid.resize(n, shared.full());
        }
        Ok(Space { columns, notes })
    }

    /// Every table's rows, and the regions it refuses, as boxes.
    pub fn boxes(&self, t: usize, table: &DecisionTable) -> Result<Boxes, DiffError> {
        let mut cells = Vec::new();
        let mut origins = Vec::new();
        let base: Vec<Cells> = self
            .columns
            .iter()
            .map(|s| s.valid.get(t).copied().unwrap_or(0))
            .collect();
        // Which shared column each of the table's columns is.
        let mut shared_of: Vec<Option<usize>> = vec![None; table.columns.len()];
        for (j, s) in self.columns.iter().enumerate() {
            if let Some(Some((c, _))) = s.local.get(t)
                && let Some(slot) = shared_of.get_mut(*c)
            {
                *slot = Some(j);
            }
        }
        'rows: for (r, row) in table.rows.iter().enumerate() {
            let mut b = base.clone();
            for cond in &row.when {
                let c = table
                    .columns
                    .iter()
                    .position(|col| col.name == cond.column)
                    .ok_or_else(|| {
                        DiffError(format!(
                            "tabellen `{}` nämner den okända kolumnen `{}`",
                            table.decision, cond.column
                        ))
                    })?;
                let (Some(Some(j)), Some(col)) = (shared_of.get(c), table.columns.get(c)) else {
                    continue;
                };
                let Some(Some((_, images))) = self.columns.get(*j).and_then(|s| s.local.get(t))
                else {
                    continue;
                };
                let mut set: Cells = 0;
                for v in &cond.values {
                    let i = col.cells.iter().position(|x| x == v).ok_or_else(|| {
                        DiffError(format!(
                            "tabellen `{}`: kolumnen `{}` har ingen cell `{v}`",
                            table.decision, cond.column
                        ))
                    })?;
                    set |= images.get(i).copied().unwrap_or(0);
                }
                if let Some(slot) = b.get_mut(*j) {
                    *slot &= set;
                    if *slot == 0 {
                        continue 'rows;
                    }
                }
            }
            cells.push(b);
            origins.push(Origin::Row(r));
        }
        // Refused regions, made disjoint: refused in column j, accepted in earlier ones.
        let mut accepted = vec![Cells::MAX; self.columns.len()];
        for (j, s) in self.columns.iter().enumerate() {
            let valid = s.valid.get(t).copied().unwrap_or(0);
            let refused = s.full() & !valid;
            if refused == 0 {
                continue;
            }
            let mut b: Vec<Cells> = self
                .columns
                .iter()
                .zip(&accepted)
                .map(|(s, a)| s.full() & a)
                .collect();
            if let Some(slot) = b.get_mut(j) {
                *slot = refused;
            }
            cells.push(b);
            origins.push(Origin::Refused(j));
            if let Some(a) = accepted.get_mut(j) {
                *a = valid;
            }
        }
        Ok(Boxes { cells, origins })
    }
}

fn new_shared(
    name: String,
    kind: Kind,
    tables: &[&DecisionTable],
    enum_values: &[(String, Vec<String>, bool)],
) -> Result<Shared, DiffError> {
    let n = tables.len();
    let (labels, intervals) = match &kind {
        Kind::Enum(f) => (
            enum_values
                .iter()
                .find(|(name, _, _)| name == f)
                .map(|(_, v, _)| v.clone())
                .unwrap_or_default(),
            Vec::new(),
        ),
        Kind::Bool(_) | Kind::Pred(_) => (vec!["falskt".to_owned(), "sant".to_owned()], Vec::new()),
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
    if labels.len() > 128 {
        return Err(DiffError(format!(
            "kolumnen `{name}` får fler än 128 celler när tabellerna läggs samman"
        )));
    }
    Ok(Shared {
        name,
        kind,
        labels,
        intervals,
        local: vec![None; n],
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

/// Fills `local[t]` images and `valid[t]` for one table.
fn map_cells(shared: &mut Shared, t: usize, table: &DecisionTable) -> Result<(), DiffError> {
    let full = shared.full();
    if shared.valid.len() <= t {
        shared.valid.resize(t + 1, full);
    }
    let mut valid = full;
    if let Kind::Enum(f) = &shared.kind
        && let Some(fact) = table.facts.iter().find(|x| x.name == *f)
    {
        valid = match &fact.ty {
            FactType::Enum(values) => shared
                .labels
                .iter()
                .enumerate()
                .filter(|(_, l)| values.contains(l))
                .fold(0, |acc, (i, _)| acc | (1u128 << i)),
            // Another type in this table: its requests are compared as given.
            _ => full,
        };
    }
    let column = match shared.local.get(t) {
        Some(Some((c, _))) => *c,
        _ => {
            if let Some(v) = shared.valid.get_mut(t) {
                *v = valid;
            }
            return Ok(());
        }
    };
    let col = table
        .columns
        .get(column)
        .ok_or_else(|| DiffError("kolumn saknas".into()))?;
    let mut images = Vec::with_capacity(col.cells.len());
    match &col.kind {
        ColumnKind::Int { intervals, .. } => {
            let mut covered = 0;
            for (lo, hi) in intervals {
                let image = shared
                    .intervals
                    .iter()
                    .enumerate()
                    .filter(|(_, (l, h))| lo <= l && h <= hi)
                    .fold(0, |acc, (i, _)| acc | (1u128 << i));
                covered |= image;
                images.push(image);
            }
            valid &= covered;
        }
        _ => {
            for label in &col.cells {
                let i = shared
                    .labels
                    .iter()
                    .position(|l| l == label)
                    .ok_or_else(|| {
                        DiffError(format!(
                            "kolumnen `{}` har en okänd cell `{label}`",
                            col.name
                        ))
                    })?;
                images.push(1u128 << i);
            }
        }
    }
    if let Some(Some((_, slot))) = shared.local.get_mut(t) {
        *slot = images;
    }
    if let Some(v) = shared.valid.get_mut(t) {
        *v = valid;
    }
    Ok(())
}

/// Whether a column of `table` reads `fact`.
fn reads(table: &DecisionTable, fact: &str) -> bool {
    table.columns.iter().any(|c| {
        let mut names = Vec::new();
        match &c.kind {
            ColumnKind::Enum(f) | ColumnKind::Bool(f) => names.push(f.clone()),
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
        let facts: Vec<(usize, &crate::table::FactSchema)> = tables
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.facts.iter().find(|f| f.name == name).map(|f| (i, f)))
            .collect();
        if facts.len() < tables.len() {
            // Known to some tables only: the others ignore it. A required fact that only some
            // tables read makes requests without it errors there.
            for (i, f) in &facts {
                if f.default.is_none() && tables.get(*i).is_some_and(|t| reads(t, name)) {
                    notes.push(format!(
                        "faktumet `{name}` finns bara i en del av regelverken och saknar standardvärde i `{}`: en begäran utan det ger fel där men kan avgöras i de andra",
                        tables.get(*i).map_or("?", |t| t.ruleset.as_str())
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
                .map(|(i, f)| {
                    format!(
                        "{}: {}",
                        tables.get(*i).map_or("?", |t| t.ruleset.as_str()),
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
