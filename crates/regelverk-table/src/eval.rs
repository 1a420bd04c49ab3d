//! Fast evaluation: a table's rows, rebuilt once into the decision tree they came from, so a
//! decision reads only the columns on its path. No parsing and no allocation per decision.

use super::expr::{self, BoolExpr, CBool, CDate, CInt, CText, DateExpr, IntExpr, TextExpr};
use super::request::{FactSlot, Request, RequestError, Schema};
use super::time::{Date, Unit};
use super::{
    Column, ColumnKind, DecisionTable, FORMAT_VERSION, FactSchema, FactType, Row, RuleInfo,
};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// A stored table that cannot be evaluated (edited by hand, or from another version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError(pub String);

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tabellen kan inte användas: {}", self.0)
    }
}
impl std::error::Error for TableError {}

/// The outcome of one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision<'t> {
    pub outcome: &'t str,
    pub reason: Option<&'t str>,
    /// The matching row.
    pub row: usize,
    /// The winning rule, or `None` for the default.
    pub rule: Option<&'t RuleInfo>,
    /// The day the entry will be shown, when the winning rule hides it until then
    /// (`visas från`).
    pub shown_from: Option<Date>,
}

/// A column of the evaluator's table: its position in `columns` (the table's and the
/// compiled ones alike), made only by [`Evaluator::column_id`] and the tree build, which
/// check it against the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ColumnId(usize);

/// A node of the evaluator's tree, made only by [`Tree::push`] as the position of the node it
/// pushes; nodes are never removed.
#[derive(Clone, Copy, Debug)]
struct NodeId(usize);

/// A row of the evaluator's table, made only by [`Tree::new`] from the rows' positions.
#[derive(Clone, Copy, Debug)]
struct RowId(usize);

/// A rule of the evaluator's table, made only by [`RuleIndex::new`], which checks it.
#[derive(Clone, Copy, Debug)]
struct RuleIndex(usize);

impl RuleIndex {
    fn new(table: &DecisionTable, rule: usize, row: usize) -> Result<RuleIndex, TableError> {
        if rule < table.rules.len() {
            Ok(RuleIndex(rule))
        } else {
            Err(TableError(format!(
                "rad {row} nämner regel {rule}, men tabellen har {} regler",
                table.rules.len()
            )))
        }
    }
}

/// A column compiled: facts by slot. Its cell is always below the column's cell count, at
/// most 64 ([`check_cells`]).
enum CColumn {
    Enum(FactSlot),
    Bool(FactSlot),
    Presence(FactSlot),
    Int(CInt, Vec<(i64, i64)>),
    Pred(CBool),
}

enum Node {
    /// The row that decides, and its winning rule (`None` for the default).
    Leaf { row: RowId, rule: Option<RuleIndex> },
    /// Test a column; take the branch whose cell set holds its cell.
    Split {
        column: ColumnId,
        branches: Vec<(u64, NodeId)>,
    },
}

/// A table ready to decide requests.
pub struct Evaluator {
    table: DecisionTable,
    schema: Arc<Schema>,
    /// One per column of the table, in the same order.
    columns: Vec<CColumn>,
    /// One per rule of the table: its `visas från`, compiled, and the last day of its period.
    shown_from: Vec<Option<(CDate, Option<Date>)>>,
    nodes: Vec<Node>,
    root: NodeId,
}

struct Resolver<'a> {
    schema: &'a Schema,
}

impl Resolver<'_> {
    fn fact(&self, name: &str, want: fn(&FactType) -> bool) -> Result<FactSlot, TableError> {
        let slot = self
            .schema
            .slot(name)
            .ok_or_else(|| TableError(format!("kolumnen läser det okända faktumet `{name}`")))?;
        if want(&self.schema.fact(slot).ty) {
            Ok(slot)
        } else {
            Err(TableError(format!(
                "faktumet `{name}` har fel typ för kolumnen"
            )))
        }
    }

    fn bool_expr(&self, e: &BoolExpr) -> Result<CBool, TableError> {
        Ok(match e {
            BoolExpr::Const(b) => CBool::Const(*b),
            BoolExpr::Present(f) => CBool::Present(self.fact(f, |_| true)?),
            BoolExpr::Fact(f) => CBool::Fact(self.fact(f, |t| matches!(t, FactType::Bool))?),
            BoolExpr::Not(e) => CBool::Not(Box::new(self.bool_expr(e)?)),
            BoolExpr::And(es) => CBool::And(
                es.iter()
                    .map(|e| self.bool_expr(e))
                    .collect::<Result<_, _>>()?,
            ),
            BoolExpr::Or(es) => CBool::Or(
                es.iter()
                    .map(|e| self.bool_expr(e))
                    .collect::<Result<_, _>>()?,
            ),
            BoolExpr::In(f, values) => {
                let slot = self.fact(f, |t| matches!(t, FactType::Enum(_)))?;
                let FactType::Enum(all) = &self.schema.fact(slot).ty else {
                    return Err(TableError(format!("`{f}` är inte uppräknat")));
                };
                let mut set = 0u64;
                for v in values {
                    let p = all.iter().position(|a| a == v).filter(|p| *p < 64);
                    let p = p.ok_or_else(|| TableError(format!("`{f}` har inget värde `{v}`")))?;
                    set |= 1 << p;
                }
                CBool::In(slot, set)
            }
            BoolExpr::IntCmp(t, op, v) => CBool::IntCmp(self.int_expr(t)?, *op, *v),
            BoolExpr::DateCmp(l, op, r) => {
                CBool::DateCmp(self.date_expr(l)?, *op, self.date_expr(r)?)
            }
            BoolExpr::TextEq(l, r) => CBool::TextEq(self.text_expr(l)?, self.text_expr(r)?),
        })
    }

    fn int_expr(&self, e: &IntExpr) -> Result<CInt, TableError> {
        Ok(match e {
            IntExpr::Fact(f) => CInt::Fact(self.fact(f, |t| matches!(t, FactType::Int { .. }))?),
            IntExpr::Age(b, o) => CInt::Age(self.date_expr(b)?, self.date_expr(o)?),
        })
    }

    fn date_expr(&self, e: &DateExpr) -> Result<CDate, TableError> {
        Ok(match e {
            DateExpr::Fact(f) => CDate::Fact(self.fact(f, |t| matches!(t, FactType::Date))?),
            DateExpr::Literal(d) => CDate::Literal(*d),
            DateExpr::Shift(b, n, u) => CDate::Shift(Box::new(self.date_expr(b)?), *n, *u),
        })
    }

    fn text_expr(&self, e: &TextExpr) -> Result<CText, TableError> {
        Ok(match e {
            TextExpr::Fact(f) => {
                CText::Fact(self.fact(f, |t| matches!(t, FactType::Text | FactType::Id))?)
            }
            TextExpr::Literal(t) => CText::Literal(t.clone().into_boxed_str()),
        })
    }

    /// A column compiled, after checking that its cells fit what it reads.
    fn column(&self, c: &Column) -> Result<CColumn, TableError> {
        let compiled = match &c.kind {
            ColumnKind::Enum(f) => {
                let slot = self.fact(f, |t| matches!(t, FactType::Enum(_)))?;
                // Cell i is value i: the request's value index is the cell.
                if !matches!(&self.schema.fact(slot).ty, FactType::Enum(values) if *values == c.cells)
                {
                    return Err(TableError(format!(
                        "kolumnen `{}` har andra celler än värdena för `{f}`",
                        c.name
                    )));
                }
                CColumn::Enum(slot)
            }
            ColumnKind::Bool(f) => CColumn::Bool(self.fact(f, |t| matches!(t, FactType::Bool))?),
            ColumnKind::Presence(f) => CColumn::Presence(self.fact(f, |_| true)?),
            ColumnKind::Int { term, intervals } => {
                check_intervals(c, intervals)?;
                CColumn::Int(self.int_expr(term)?, intervals.clone())
            }
            ColumnKind::Predicate(e) => CColumn::Pred(self.bool_expr(e)?),
        };
        check_cells(c)?;
        Ok(compiled)
    }
}

/// A column has at most 64 cells (cell sets are bits of a `u64`), and a truth-valued one
/// exactly two: `falskt`, `sant`.
fn check_cells(c: &Column) -> Result<(), TableError> {
    let truth = matches!(
        c.kind,
        ColumnKind::Bool(_) | ColumnKind::Predicate(_) | ColumnKind::Presence(_)
    );
    if c.cells.len() > 64 {
        Err(TableError(format!(
            "kolumnen `{}` har fler än 64 celler",
            c.name
        )))
    } else if truth && c.cells.len() != 2 {
        Err(TableError(format!(
            "kolumnen `{}` ska ha två celler (falskt och sant, eller saknas och finns)",
            c.name
        )))
    } else {
        Ok(())
    }
}

/// One cell per interval, the intervals ascending and disjoint, so a number is in one cell
/// at most.
fn check_intervals(c: &Column, intervals: &[(i64, i64)]) -> Result<(), TableError> {
    let ascending = intervals.iter().all(|(lo, hi)| lo <= hi)
        && intervals.windows(2).all(|w| match w {
            [(_, hi), (lo, _)] => hi < lo,
            _ => true,
        });
    if intervals.len() == c.cells.len() && ascending {
        Ok(())
    } else {
        Err(TableError(format!(
            "kolumnen `{}` har intervall som inte motsvarar dess celler",
            c.name
        )))
    }
}

/// The references between the table's parts: the rules rows override and the deviations
/// rules come from exist. (A row's outcome is text, not a reference: the compiler itself
/// evaluates tables whose problem rows have the outcome `?`, to find example requests.)
fn check_references(table: &DecisionTable) -> Result<(), TableError> {
    for (r, row) in table.rows.iter().enumerate() {
        for &rule in &row.overridden {
            RuleIndex::new(table, rule, r + 1)?;
        }
    }
    for rule in &table.rules {
        if rule.deviation.is_some_and(|d| d >= table.deviations.len()) {
            return Err(TableError(format!(
                "regeln `{}` nämner ett avsteg som tabellen inte har",
                rule.id
            )));
        }
    }
    Ok(())
}

impl Evaluator {
    /// Resolves a table for evaluation, checking that it is well-formed: every name and
    /// position a row, column or rule refers to exists, so deciding never looks up anything
    /// that is not there.
    pub fn new(table: DecisionTable) -> Result<Evaluator, TableError> {
        if table.format != FORMAT_VERSION {
            return Err(TableError(format!(
                "formatversion {} stöds inte (väntade {FORMAT_VERSION})",
                table.format
            )));
        }
        check_references(&table)?;
        let schema = Arc::new(Schema::new(table.facts.clone()).map_err(TableError)?);
        let resolver = Resolver { schema: &schema };
        let columns = table
            .columns
            .iter()
            .map(|c| resolver.column(c))
            .collect::<Result<Vec<_>, _>>()?;
        let shown_from = table
            .rules
            .iter()
            .map(|r| match &r.shown_from {
                Some(e) => Ok(Some((
                    resolver.date_expr(e)?,
                    r.period.and_then(|p| p.until),
                ))),
                None => Ok(None),
            })
            .collect::<Result<Vec<_>, TableError>>()?;
        let (nodes, root) = Tree::new(&table)?.build()?;
        Ok(Evaluator {
            table,
            schema,
            columns,
            shown_from,
            nodes,
            root,
        })
    }

    pub fn table(&self) -> &DecisionTable {
        &self.table
    }

    /// Checks a JSON request against the ruleset's facts.
    pub fn request(&self, json: &Json) -> Result<Request, RequestError> {
        self.schema.request(json)
    }

    /// An empty request (defaults only), for building requests fact by fact.
    pub fn empty_request(&self) -> Request {
        Request::empty(&self.schema)
    }

    /// The position of a fact in the table's `facts`.
    pub fn fact_index(&self, name: &str) -> Option<usize> {
        self.schema.slot(name).map(FactSlot::index)
    }

    /// The slot of a fact in this evaluator's requests.
    pub(crate) fn fact_slot(&self, name: &str) -> Option<FactSlot> {
        self.schema.slot(name)
    }

    pub(crate) fn fact(&self, slot: FactSlot) -> &FactSchema {
        self.schema.fact(slot)
    }

    /// Parses, checks and decides the text of a JSON request. This is the entry point for
    /// requests from outside: unlike a parsed [`Json`] value, the text still shows a key
    /// given twice, which is refused.
    pub fn decide_text(&self, text: &str) -> Result<Decision<'_>, RequestError> {
        let json = super::request::parse_json(text)?;
        self.decide_json(&json)
    }

    /// Checks and decides a request built as a JSON value (by code: a value parsed with
    /// `serde_json` has already lost any repeated key; use [`Evaluator::decide_text`] for
    /// text from outside).
    pub fn decide_json(&self, json: &Json) -> Result<Decision<'_>, RequestError> {
        let request = self.request(json)?;
        self.decide(&request)
    }

    /// Decides a checked request, reading only the columns on its path through the table.
    /// A request checked by an evaluator with other facts is refused.
    pub fn decide(&self, request: &Request) -> Result<Decision<'_>, RequestError> {
        self.check_schema(request)?;
        let mut node = self.root;
        loop {
            match self.node(node) {
                Node::Leaf { row, rule } => return self.decision(*row, *rule, request),
                Node::Split { column, branches } => {
                    let cell = self.read_cell(*column, request)?;
                    // INVARIANT: a cell is below its column's cell count, at most 64.
                    let bit = 1u64 << cell;
                    // A cell no row covers: no row applies, and nothing is decided.
                    node = branches
                        .iter()
                        .find(|(set, _)| set & bit != 0)
                        .map(|(_, n)| *n)
                        .ok_or(RequestError::NoRow)?;
                }
            }
        }
    }

    fn decision(
        &self,
        row: RowId,
        rule: Option<RuleIndex>,
        request: &Request,
    ) -> Result<Decision<'_>, RequestError> {
        let r = self.row(row);
        let shown_from = match rule.and_then(|i| self.rule_shown_from(i)) {
            Some((date, until)) => Some(shown_from(date.eval(request)?, *until)?),
            None => None,
        };
        Ok(Decision {
            outcome: &r.outcome,
            reason: r.reason.as_deref(),
            row: row.0,
            rule: rule.map(|i| self.rule(i)),
            shown_from,
        })
    }

    /// The facts a column reads, by name; `None` for a position outside the table.
    pub fn column_facts(&self, column: usize) -> Option<Vec<String>> {
        let column = self.column_id(column)?;
        let mut names: Vec<String> = self
            .fact_slots(column)
            .into_iter()
            .map(|s| self.fact(s).name.clone())
            .collect();
        names.sort();
        names.dedup();
        Some(names)
    }

    /// The slots a column reads, with repeats.
    pub(crate) fn fact_slots(&self, column: ColumnId) -> Vec<FactSlot> {
        let mut slots = Vec::new();
        match self.compiled(column) {
            CColumn::Enum(f) | CColumn::Bool(f) | CColumn::Presence(f) => slots.push(*f),
            CColumn::Int(term, _) => expr::slots_of_int(term, &mut slots),
            CColumn::Pred(e) => expr::slots_of_bool(e, &mut slots),
        }
        slots
    }

    /// The cell a request falls in for one column (by position in the table's `columns`).
    pub fn cell(&self, column: usize, request: &Request) -> Result<usize, RequestError> {
        let column = self
            .column_id(column)
            .ok_or(RequestError::UnknownColumn(column))?;
        self.cell_at(column, request)
    }

    /// The cell a request falls in for one column: below the column's cell count.
    pub(crate) fn cell_at(
        &self,
        column: ColumnId,
        request: &Request,
    ) -> Result<usize, RequestError> {
        self.check_schema(request)?;
        self.read_cell(column, request)
    }

    /// A request's slots mean this evaluator's facts only if it was checked against the
    /// same facts; every public way to read a request checks this first.
    fn check_schema(&self, request: &Request) -> Result<(), RequestError> {
        let theirs = request.schema();
        if Arc::ptr_eq(theirs, &self.schema) || **theirs == *self.schema {
            Ok(())
        } else {
            Err(RequestError::OtherTable)
        }
    }

    /// [`Evaluator::cell_at`] for a request already known to be over this schema.
    fn read_cell(&self, column: ColumnId, request: &Request) -> Result<usize, RequestError> {
        match self.compiled(column) {
            CColumn::Enum(f) => Ok(usize::from(request.enumeration(*f)?)),
            CColumn::Bool(f) => Ok(usize::from(request.bool(*f)?)),
            CColumn::Presence(f) => Ok(usize::from(request.present(*f)?)),
            CColumn::Pred(e) => Ok(usize::from(e.eval(request)?)),
            CColumn::Int(term, intervals) => {
                let v = term.eval(request)?;
                intervals
                    .iter()
                    .position(|(lo, hi)| *lo <= v && v <= *hi)
                    .ok_or_else(|| {
                        RequestError::Invalid(format!(
                            "värdet {v} för `{}` ligger utanför tabellens intervall",
                            show_int(term)
                        ))
                    })
            }
        }
    }

    /// The id of the column at a position in the table's `columns`.
    pub(crate) fn column_id(&self, column: usize) -> Option<ColumnId> {
        (column < self.columns.len()).then_some(ColumnId(column))
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a ColumnId is below the column count (column_id, Tree), and \
                  `table.columns` and `columns` have one entry per column"
    )]
    pub(crate) fn column(&self, column: ColumnId) -> &Column {
        &self.table.columns[column.0]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: as for `column`: `columns` holds one compiled column per column"
    )]
    fn compiled(&self, column: ColumnId) -> &CColumn {
        &self.columns[column.0]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a NodeId is the position of a node Tree::push pushed; the nodes \
                  are moved here whole and never change"
    )]
    fn node(&self, node: NodeId) -> &Node {
        &self.nodes[node.0]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a RowId is the position of a row of this table (Tree::new), and \
                  the table cannot change after Evaluator::new"
    )]
    fn row(&self, row: RowId) -> &Row {
        &self.table.rows[row.0]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: RuleIndex::new checked the index against this table's rules, \
                  which cannot change after Evaluator::new"
    )]
    fn rule(&self, rule: RuleIndex) -> &RuleInfo {
        &self.table.rules[rule.0]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: RuleIndex::new checked the index against this table's rules, and \
                  `shown_from` has one entry per rule (Evaluator::new)"
    )]
    fn rule_shown_from(&self, rule: RuleIndex) -> Option<&(CDate, Option<Date>)> {
        self.shown_from[rule.0].as_ref()
    }
}

/// A row's conditions as (column, cell set), in the order of its path through the tree.
type Path = Vec<(ColumnId, u64)>;

/// A row with its path.
#[derive(Clone, Copy)]
struct Member<'p> {
    row: RowId,
    path: &'p Path,
}

/// Rows that take the same branch: never empty.
struct Group<'p> {
    first: Member<'p>,
    rest: Vec<Member<'p>>,
}

impl<'p> Group<'p> {
    fn members(&self) -> impl Iterator<Item = Member<'p>> + '_ {
        std::iter::once(self.first).chain(self.rest.iter().copied())
    }
}

/// The tree rebuilt from the rows: rows are in depth-first order and each row's conditions
/// are its path, so rows that share a first condition form a subtree.
struct Tree<'t> {
    table: &'t DecisionTable,
    paths: Vec<Path>,
    nodes: Vec<Node>,
}

impl<'t> Tree<'t> {
    /// Resolves each row's conditions to columns and cell sets.
    fn new(table: &'t DecisionTable) -> Result<Tree<'t>, TableError> {
        let mut column_index: HashMap<&str, (ColumnId, &Column)> = HashMap::new();
        for (i, c) in table.columns.iter().enumerate() {
            if column_index
                .insert(c.name.as_str(), (ColumnId(i), c))
                .is_some()
            {
                return Err(TableError(format!(
                    "kolumnen `{}` finns två gånger",
                    c.name
                )));
            }
        }
        let mut paths = Vec::new();
        for (r, row) in table.rows.iter().enumerate() {
            let mut path = Vec::new();
            for cond in &row.when {
                let &(id, column) = column_index.get(cond.column.as_str()).ok_or_else(|| {
                    TableError(format!(
                        "rad {} nämner den okända kolumnen `{}`",
                        r + 1,
                        cond.column
                    ))
                })?;
                let mut set = 0u64;
                for v in &cond.values {
                    let p = column.cells.iter().position(|x| x == v).ok_or_else(|| {
                        TableError(format!(
                            "rad {}: kolumnen `{}` har ingen cell `{v}`",
                            r + 1,
                            cond.column
                        ))
                    })?;
                    // INVARIANT: p < 64, every column's cell count was checked first.
                    set |= 1u64 << p;
                }
                path.push((id, set));
            }
            paths.push(path);
        }
        Ok(Tree {
            table,
            paths,
            nodes: Vec::new(),
        })
    }

    /// The nodes and the root.
    fn build(mut self) -> Result<(Vec<Node>, NodeId), TableError> {
        let paths = std::mem::take(&mut self.paths);
        let mut members = paths.iter().enumerate().map(|(r, path)| Member {
            row: RowId(r),
            path,
        });
        let Some(first) = members.next() else {
            return Err(TableError("tabellen har inga rader".into()));
        };
        let all = Group {
            first,
            rest: members.collect(),
        };
        let root = self.subtree(&all, 0)?;
        Ok((self.nodes, root))
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        NodeId(self.nodes.len() - 1)
    }

    fn subtree(&mut self, rows: &Group<'_>, depth: usize) -> Result<NodeId, TableError> {
        let Some(&(column, _)) = rows.first.path.get(depth) else {
            return self.leaf(rows);
        };
        // Group consecutive rows by their cell set at this depth.
        let mut groups: Vec<(u64, Group<'_>)> = Vec::new();
        for m in rows.members() {
            match m.path.get(depth) {
                Some(&(c, set)) if c == column => match groups.last_mut() {
                    Some((s, group)) if *s == set => group.rest.push(m),
                    _ => groups.push((
                        set,
                        Group {
                            first: m,
                            rest: Vec::new(),
                        },
                    )),
                },
                _ => {
                    return Err(TableError(format!(
                        "rad {} avviker från trädets form",
                        m.row.0 + 1
                    )));
                }
            }
        }
        let mut seen = 0u64;
        let mut branches = Vec::new();
        for (set, group) in &groups {
            if seen & set != 0 {
                return Err(TableError(format!(
                    "raderna överlappar i kolumnen `{}`",
                    self.column_name(column)
                )));
            }
            seen |= set;
            branches.push((*set, self.subtree(group, depth + 1)?));
        }
        Ok(self.push(Node::Split { column, branches }))
    }

    /// The end of a path: exactly one row may end here.
    fn leaf(&mut self, rows: &Group<'_>) -> Result<NodeId, TableError> {
        if !rows.rest.is_empty() {
            return Err(TableError(format!(
                "raderna {} överlappar",
                rows.members()
                    .map(|m| (m.row.0 + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let row = rows.first.row;
        let rule = match self.row_rule(row) {
            Some(i) => Some(RuleIndex::new(self.table, i, row.0 + 1)?),
            None => None,
        };
        Ok(self.push(Node::Leaf { row, rule }))
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a RowId is the position of a row of this table (Tree::build)"
    )]
    fn row_rule(&self, row: RowId) -> Option<usize> {
        self.table.rows[row.0].rule
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a ColumnId is the position of a column of this table (Tree::new)"
    )]
    fn column_name(&self, column: ColumnId) -> &str {
        &self.table.columns[column.0].name
    }
}

/// The day a hidden entry will be shown: the rule's date, but never after the day its
/// period ends, since from then on the rule no longer hides it.
fn shown_from(date: Date, until: Option<Date>) -> Result<Date, RequestError> {
    let Some(until) = until else {
        return Ok(date);
    };
    let after = until.shift(1, Unit::Days).ok_or_else(|| {
        RequestError::Invalid(format!("dagen efter {until} finns inte i kalendern"))
    })?;
    Ok(date.min(after))
}

fn show_int(term: &CInt) -> &'static str {
    match term {
        CInt::Fact(_) => "heltalet",
        CInt::Age(..) => "åldern",
    }
}
