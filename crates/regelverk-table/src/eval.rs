//! Fast evaluation: a table's rows, rebuilt once into the flat decision tree they came from
//! ([`crate::layout`]), so a decision reads only the columns on its path. Facts are resolved
//! to slots and columns to positions when the table is loaded; deciding allocates nothing.

use super::expr::{
    self, BoolExpr, CBool, CDate, CInt, CText, DateExpr, Facts, Fault, IntExpr, Stop, TextExpr,
};
use super::json;
use super::layout::{ColumnId, Read, RowId, RuleIndex, Tree, TreeNode};
use super::request::{Request, RequestError, expected};
use super::schema::{FactSlot, Given, Schema, Scratch};
use super::time::{Date, Day, Unit};
use super::{
    Cells, Column, ColumnKind, DecisionTable, FORMAT_VERSION, FactSchema, FactType, Row, RuleInfo,
};
use serde_json::Value as Json;
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

/// The row a request's path through the tree ends in, before it is put in words
/// ([`Decision`]): kept small, as it is passed back from the walk.
struct Found {
    row: RowId,
    rule: Option<RuleIndex>,
    shown_from: Option<Date>,
}

/// A column compiled: facts by slot. Its cell is always below the column's cell count.
enum CColumn {
    Enum(FactSlot),
    Bool(FactSlot),
    /// Whether an optional fact is given; `true` when it may be left out (`kan saknas`).
    Presence(FactSlot, bool),
    /// A whole number, and the lowest and highest number of each cell's interval.
    Int(CInt, Vec<i64>, Vec<i64>),
    Pred(CBool),
}

/// A table ready to decide requests.
pub struct Evaluator {
    table: DecisionTable,
    schema: Arc<Schema>,
    /// One per column of the table, in the same order.
    columns: Vec<CColumn>,
    /// One per rule of the table: its `visas från`, compiled, and the last day of its period.
    shown_from: Vec<Option<(CDate, Option<Date>)>>,
    tree: Tree,
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
            BoolExpr::Present(f) => {
                let slot = self.fact(f, |_| true)?;
                CBool::Present(slot, self.schema.fact(slot).kan_saknas)
            }
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
                let mut set = Cells::EMPTY;
                for v in values {
                    let p = all.iter().position(|a| a == v);
                    let p = p.ok_or_else(|| TableError(format!("`{f}` har inget värde `{v}`")))?;
                    set.insert(p);
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
            IntExpr::Age(b, o) => match (self.date_expr(b)?, self.date_expr(o)?) {
                (CDate::Fact(b), CDate::Fact(o)) => CInt::AgeFacts(b, o),
                (b, o) => CInt::Age(b, o),
            },
        })
    }

    fn date_expr(&self, e: &DateExpr) -> Result<CDate, TableError> {
        Ok(match e {
            DateExpr::Fact(f) => CDate::Fact(self.fact(f, |t| matches!(t, FactType::Date))?),
            DateExpr::Literal(d) => CDate::Literal(Day::of(*d)),
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
            ColumnKind::Presence(f) => {
                let slot = self.fact(f, |_| true)?;
                CColumn::Presence(slot, self.schema.fact(slot).kan_saknas)
            }
            ColumnKind::Int { term, intervals } => {
                check_intervals(c, intervals)?;
                let (lows, highs) = intervals.iter().copied().unzip();
                CColumn::Int(self.int_expr(term)?, lows, highs)
            }
            ColumnKind::Predicate(e) => CColumn::Pred(self.bool_expr(e)?.specialised()),
        };
        check_cells(c)?;
        Ok(compiled)
    }
}

/// A truth-valued column has exactly two cells: `falskt`, `sant`.
fn check_cells(c: &Column) -> Result<(), TableError> {
    let truth = matches!(
        c.kind,
        ColumnKind::Bool(_) | ColumnKind::Predicate(_) | ColumnKind::Presence(_)
    );
    if truth && c.cells.len() != 2 {
        Err(TableError(format!(
            "kolumnen `{}` ska ha två celler, falskt och sant",
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
        let tree = Tree::new(&table, |column| match columns.get(column.0) {
            Some(CColumn::Enum(slot)) => Read::Enum(*slot),
            Some(CColumn::Bool(slot)) => Read::Bool(*slot),
            _ => Read::Column(column),
        })?;
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
        Ok(Evaluator {
            table,
            schema,
            columns,
            shown_from,
            tree,
        })
    }

    pub fn table(&self) -> &DecisionTable {
        &self.table
    }

    /// The decision tree this evaluator walks, in nested form.
    pub fn tree(&self) -> Result<TreeNode, TableError> {
        let widths: Vec<usize> = self.table.columns.iter().map(|c| c.cells.len()).collect();
        self.tree.nested(&widths)
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

    /// The index of an enumeration value of the fact in `slot`, by name: `None` for a value
    /// it does not have, or a fact that is no enumeration.
    pub(crate) fn enum_value(&self, slot: FactSlot, name: &str) -> Option<u16> {
        self.schema.value(slot, name)
    }

    /// Parses, checks and decides the text of a JSON request. This is the entry point for
    /// requests from outside: unlike a parsed [`Json`] value, the text still shows a key
    /// given twice, which is refused.
    ///
    /// The text is read straight into the request's slots; only a request that is not
    /// plainly valid is read again the careful way, which says what is wrong.
    pub fn decide_text(&self, text: &str) -> Result<Decision<'_>, RequestError> {
        self.decide_text_with(&mut Scratch::default(), text)
    }

    /// [`Evaluator::decide_text`], with the request's values held in `scratch`'s memory:
    /// deciding many requests with one `Scratch` allocates nothing per request for a request
    /// in the simplest form, and a request written with the same keys, order and spacing as
    /// the one before it (as one client writes them) is read by that shape, in less than
    /// half the instructions. The result is that of `decide_text`, whatever `scratch` held.
    pub fn decide_text_with(
        &self,
        scratch: &mut Scratch,
        text: &str,
    ) -> Result<Decision<'_>, RequestError> {
        self.decide_bytes_with(scratch, text.as_bytes())
    }

    /// [`Evaluator::decide_text_with`] on bytes that may not be UTF-8, as a request read
    /// from a stream: [`RequestError::NotUtf8`] when they are not, and otherwise exactly the
    /// result of `decide_text_with` on them as text. The bytes are not checked in a pass of
    /// their own: the reader proves a request it accepts UTF-8 as it reads it.
    pub fn decide_bytes_with(
        &self,
        scratch: &mut Scratch,
        bytes: &[u8],
    ) -> Result<Decision<'_>, RequestError> {
        let slots = scratch.room.slots(&self.schema);
        let read = json::read(
            &self.schema,
            bytes,
            slots,
            &mut scratch.texts,
            &mut scratch.shape,
        );
        match read {
            Some(how) => {
                let given = Given::new(slots, scratch.texts.as_slice(), bytes);
                let found = self.walk(Facts::new(&given, &self.schema.defaults()));
                json::empty(slots, &scratch.shape, how);
                self.decision(found)
            }
            None => {
                let text = std::str::from_utf8(bytes).map_err(|_| RequestError::NotUtf8)?;
                let json = super::request::parse_json(text)?;
                self.decide_json(&json)
            }
        }
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
        let (given, defaults) = (request.values(), self.schema.defaults());
        self.decision(self.walk(Facts::new(&given, &defaults)))
    }

    /// The cell of a column for a checked request.
    fn cell_of(&self, column: ColumnId, request: &Request) -> Result<usize, Fault> {
        let (given, defaults) = (request.values(), self.schema.defaults());
        self.read_cell(column, Facts::new(&given, &defaults))
    }

    /// The path of a request's values through the tree, to the row that decides.
    fn walk(&self, facts: Facts<'_>) -> Result<Found, Fault> {
        let leaf = self.tree.walk(|read| match read {
            Read::Enum(slot) => Ok(usize::from(expr::read_enum(facts, slot)?)),
            Read::Bool(slot) => Ok(usize::from(expr::read_bool(facts, slot)?)),
            Read::Column(column) => self.read_cell(column, facts),
        })?;
        match leaf {
            Some((row, rule)) => self.found(row, rule, facts),
            None => Err(Fault::new(Stop::NoRow)),
        }
    }

    /// Why a request could not be decided, in words.
    fn error(&self, fault: Fault) -> RequestError {
        let fact = |slot: FactSlot| self.fact(slot);
        match *fault.0 {
            Stop::Missing(slot) => RequestError::Missing {
                fact: fact(slot).name.clone(),
                expected: expected(&fact(slot).ty),
            },
            Stop::Mistyped(slot) => RequestError::WrongType {
                fact: fact(slot).name.clone(),
                expected: expected(&fact(slot).ty),
            },
            Stop::BornAfter(b, o) => {
                RequestError::Invalid(format!("födelsedatumet {b} ligger efter {o}"))
            }
            Stop::Shift(d, n, unit) => RequestError::Invalid(format!(
                "datumet {d} går inte att flytta {n} {}",
                unit.word(n)
            )),
            Stop::Outside(v, age) => RequestError::Invalid(format!(
                "värdet {v} för `{}` ligger utanför tabellens intervall",
                if age { "åldern" } else { "heltalet" }
            )),
            Stop::NoRow => RequestError::NoRow,
        }
    }

    /// The row that decides, with the day its rule shows the entry from when it says one.
    fn found(&self, row: RowId, rule: Option<RuleIndex>, facts: Facts<'_>) -> Result<Found, Fault> {
        let shown_from = match rule.and_then(|i| self.rule_shown_from(i)) {
            Some((date, until)) => Some(shown_from(date.eval(facts)?, *until)?),
            None => None,
        };
        Ok(Found {
            row,
            rule,
            shown_from,
        })
    }

    /// The decision of a row found, in words; or why none was.
    #[inline]
    fn decision(&self, found: Result<Found, Fault>) -> Result<Decision<'_>, RequestError> {
        let Found {
            row,
            rule,
            shown_from,
        } = found.map_err(|f| self.error(f))?;
        let r = self.row(row);
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
            CColumn::Enum(f) | CColumn::Bool(f) | CColumn::Presence(f, _) => slots.push(*f),
            CColumn::Int(term, _, _) => expr::slots_of_int(term, &mut slots),
            CColumn::Pred(e) => expr::slots_of_bool(e, &mut slots),
        }
        slots
    }

    /// The cell a request falls in for one column (by position in the table's `columns`).
    pub fn cell(&self, column: usize, request: &Request) -> Result<usize, RequestError> {
        let column = self
            .column_id(column)
            .ok_or(RequestError::UnknownColumn(column))?;
        self.check_schema(request)?;
        self.cell_of(column, request).map_err(|f| self.error(f))
    }

    /// The cell a request falls in for one column: below the column's cell count. `None`
    /// when the request lacks a fact the column needs, or was checked by another table.
    pub(crate) fn cell_at(&self, column: ColumnId, request: &Request) -> Option<usize> {
        self.check_schema(request).ok()?;
        self.cell_of(column, request).ok()
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

    /// The cell of a column for values over this schema.
    fn read_cell(&self, column: ColumnId, facts: Facts<'_>) -> Result<usize, Fault> {
        match self.compiled(column) {
            CColumn::Enum(f) => Ok(usize::from(expr::read_enum(facts, *f)?)),
            CColumn::Bool(f) => Ok(usize::from(expr::read_bool(facts, *f)?)),
            CColumn::Presence(f, optional) => {
                Ok(usize::from(expr::read_present(facts, *f, *optional)?))
            }
            CColumn::Pred(e) => Ok(usize::from(e.eval(facts)?)),
            CColumn::Int(term, lows, highs) => {
                let v = term.eval(facts)?;
                // The last interval starting at or below v, if v is not past its end.
                let cell = lows.partition_point(|lo| *lo <= v).checked_sub(1);
                match cell {
                    Some(c) if highs.get(c).is_some_and(|hi| v <= *hi) => Ok(c),
                    _ => Err(Fault::new(Stop::Outside(v, !matches!(term, CInt::Fact(_))))),
                }
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

/// The day a hidden entry will be shown: the rule's date, but never after the day its
/// period ends, since from then on the rule no longer hides it.
fn shown_from(date: Day, until: Option<Date>) -> Result<Date, Fault> {
    let Some(until) = until else {
        return Ok(date.date());
    };
    let after = until
        .shift(1, Unit::Days)
        .ok_or_else(|| Fault::new(Stop::Shift(until, 1, Unit::Days)))?;
    Ok(date.date().min(after))
}
