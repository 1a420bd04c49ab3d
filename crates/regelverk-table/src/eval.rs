//! Fast evaluation: a table's rows, rebuilt once into the decision tree they came from, so a
//! decision reads only the columns on its path. No parsing and no allocation per decision.

use super::expr::{BoolExpr, CBool, CDate, CInt, CText, DateExpr, IntExpr, TextExpr};
use super::request::{Request, RequestError, Schema};
use super::{ColumnKind, DecisionTable, FORMAT_VERSION, FactType, RuleInfo};
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
}

enum CColumn {
    Enum(usize),
    Bool(usize),
    Int(CInt, Vec<(i64, i64)>),
    Pred(CBool),
}

enum Node {
    Leaf(usize),
    /// Test a column; take the branch whose cell set holds its cell.
    Split {
        column: usize,
        branches: Vec<(u64, usize)>,
    },
}

/// A table ready to decide requests.
pub struct Evaluator {
    table: DecisionTable,
    schema: Arc<Schema>,
    columns: Vec<CColumn>,
    nodes: Vec<Node>,
}

struct Resolver<'a> {
    schema: &'a Schema,
}

impl Resolver<'_> {
    fn fact(&self, name: &str, want: fn(&FactType) -> bool) -> Result<usize, TableError> {
        let i = self
            .schema
            .index(name)
            .ok_or_else(|| TableError(format!("kolumnen läser det okända faktumet `{name}`")))?;
        match self.schema.facts.get(i) {
            Some(f) if want(&f.ty) => Ok(i),
            _ => Err(TableError(format!(
                "faktumet `{name}` har fel typ för kolumnen"
            ))),
        }
    }

    fn bool_expr(&self, e: &BoolExpr) -> Result<CBool, TableError> {
        Ok(match e {
            BoolExpr::Const(b) => CBool::Const(*b),
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
                let i = self.fact(f, |t| matches!(t, FactType::Enum(_)))?;
                let Some(FactType::Enum(all)) = self.schema.facts.get(i).map(|f| &f.ty) else {
                    return Err(TableError(format!("`{f}` är inte uppräknat")));
                };
                let mut set = 0u64;
                for v in values {
                    let p = all.iter().position(|a| a == v).filter(|p| *p < 64);
                    let p = p.ok_or_else(|| TableError(format!("`{f}` har inget värde `{v}`")))?;
                    set |= 1 << p;
                }
                CBool::In(i, set)
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
}

impl Evaluator {
    /// Resolves a table for evaluation, checking that it is well-formed.
    pub fn new(table: DecisionTable) -> Result<Evaluator, TableError> {
        if table.format != FORMAT_VERSION {
            return Err(TableError(format!(
                "formatversion {} stöds inte (väntade {FORMAT_VERSION})",
                table.format
            )));
        }
        let schema = Arc::new(Schema::new(table.facts.clone()).map_err(TableError)?);
        let resolver = Resolver { schema: &schema };
        let mut columns = Vec::new();
        for c in &table.columns {
            columns.push(match &c.kind {
                ColumnKind::Enum(f) => {
                    CColumn::Enum(resolver.fact(f, |t| matches!(t, FactType::Enum(_)))?)
                }
                ColumnKind::Bool(f) => {
                    CColumn::Bool(resolver.fact(f, |t| matches!(t, FactType::Bool))?)
                }
                ColumnKind::Int { term, intervals } => {
                    CColumn::Int(resolver.int_expr(term)?, intervals.clone())
                }
                ColumnKind::Predicate(e) => CColumn::Pred(resolver.bool_expr(e)?),
            });
            if c.cells.len() > 64 {
                return Err(TableError(format!(
                    "kolumnen `{}` har fler än 64 celler",
                    c.name
                )));
            }
        }
        let mut evaluator = Evaluator {
            table,
            schema,
            columns,
            nodes: Vec::new(),
        };
        evaluator.build_tree()?;
        Ok(evaluator)
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

    /// The index of a fact in requests.
    pub fn fact_index(&self, name: &str) -> Option<usize> {
        self.schema.index(name)
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
    pub fn decide(&self, request: &Request) -> Result<Decision<'_>, RequestError> {
        let mut node = 0usize;
        loop {
            match self.nodes.get(node) {
                Some(Node::Leaf(row)) => return self.decision(*row),
                Some(Node::Split { column, branches }) => {
                    let cell = self.cell(*column, request)?;
                    let bit = 1u64.checked_shl(cell as u32).unwrap_or(0);
                    node = branches
                        .iter()
                        .find(|(set, _)| set & bit != 0)
                        .map(|(_, n)| *n)
                        .ok_or(RequestError::NoRow)?;
                }
                None => return Err(RequestError::NoRow),
            }
        }
    }

    fn decision(&self, row: usize) -> Result<Decision<'_>, RequestError> {
        let r = self.table.rows.get(row).ok_or(RequestError::NoRow)?;
        Ok(Decision {
            outcome: &r.outcome,
            reason: r.reason.as_deref(),
            row,
            rule: r.rule.and_then(|i| self.table.rules.get(i)),
        })
    }

    /// The facts a column reads, by name.
    pub fn column_facts(&self, column: usize) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(c) = self.table.columns.get(column) {
            match &c.kind {
                ColumnKind::Enum(f) | ColumnKind::Bool(f) => names.push(f.clone()),
                ColumnKind::Int { term, .. } => super::expr::facts_of_int(term, &mut names),
                ColumnKind::Predicate(e) => super::expr::facts_of_bool(e, &mut names),
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// The cell a request falls in for one column.
    pub fn cell(&self, column: usize, request: &Request) -> Result<usize, RequestError> {
        match self.columns.get(column) {
            Some(CColumn::Enum(f)) => Ok(usize::from(request.enumeration(*f)?)),
            Some(CColumn::Bool(f)) => Ok(usize::from(request.bool(*f)?)),
            Some(CColumn::Pred(e)) => Ok(usize::from(e.eval(request)?)),
            Some(CColumn::Int(term, intervals)) => {
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
            None => Err(RequestError::NoRow),
        }
    }

    /// Rebuilds the tree from the rows: rows are in depth-first order and each row's
    /// conditions are its path, so rows that share a first condition form a subtree.
    fn build_tree(&mut self) -> Result<(), TableError> {
        let column_index: HashMap<&str, usize> = self
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_str(), i))
            .collect();
        // Each row's path as (column, cell set).
        let mut paths: Vec<Vec<(usize, u64)>> = Vec::new();
        for (r, row) in self.table.rows.iter().enumerate() {
            let mut path = Vec::new();
            for cond in &row.when {
                let &c = column_index.get(cond.column.as_str()).ok_or_else(|| {
                    TableError(format!(
                        "rad {} nämner den okända kolumnen `{}`",
                        r + 1,
                        cond.column
                    ))
                })?;
                let cells = &self
                    .table
                    .columns
                    .get(c)
                    .map(|c| &c.cells)
                    .ok_or_else(|| TableError("kolumn saknas".into()))?;
                let mut set = 0u64;
                for v in &cond.values {
                    let p = cells.iter().position(|x| x == v).ok_or_else(|| {
                        TableError(format!(
                            "rad {}: kolumnen `{}` har ingen cell `{v}`",
                            r + 1,
                            cond.column
                        ))
                    })?;
                    set |= 1u64 << p;
                }
                path.push((c, set));
            }
            paths.push(path);
        }
        if paths.is_empty() {
            return Err(TableError("tabellen har inga rader".into()));
        }
        let rows: Vec<usize> = (0..paths.len()).collect();
        self.nodes.clear();
        self.subtree(&paths, &rows, 0)?;
        Ok(())
    }

    fn subtree(
        &mut self,
        paths: &[Vec<(usize, u64)>],
        rows: &[usize],
        depth: usize,
    ) -> Result<usize, TableError> {
        let here = self.nodes.len();
        let first = *rows.first().ok_or_else(|| TableError("tom gren".into()))?;
        let step = paths.get(first).and_then(|p| p.get(depth)).copied();
        let Some((column, _)) = step else {
            if rows.len() != 1 {
                return Err(TableError(format!(
                    "raderna {} överlappar",
                    rows.iter()
                        .map(|r| (r + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            self.nodes.push(Node::Leaf(first));
            return Ok(here);
        };
        self.nodes.push(Node::Split {
            column,
            branches: Vec::new(),
        });
        // Group consecutive rows by their cell set at this depth.
        let mut groups: Vec<(u64, Vec<usize>)> = Vec::new();
        for &r in rows {
            let Some(&(c, set)) = paths.get(r).and_then(|p| p.get(depth)) else {
                return Err(TableError(format!(
                    "rad {} avviker från trädets form",
                    r + 1
                )));
            };
            if c != column {
                return Err(TableError(format!(
                    "rad {} avviker från trädets form",
                    r + 1
                )));
            }
            match groups.last_mut() {
                Some((s, members)) if *s == set => members.push(r),
                _ => groups.push((set, vec![r])),
            }
        }
        let mut seen = 0u64;
        let mut branches = Vec::new();
        for (set, members) in groups {
            if seen & set != 0 {
                return Err(TableError(format!(
                    "raderna överlappar i kolumnen `{}`",
                    self.table
                        .columns
                        .get(column)
                        .map_or("?", |c| c.name.as_str())
                )));
            }
            seen |= set;
            let child = self.subtree(paths, &members, depth + 1)?;
            branches.push((set, child));
        }
        if let Some(Node::Split { branches: b, .. }) = self.nodes.get_mut(here) {
            *b = branches;
        }
        Ok(here)
    }
}

fn show_int(term: &CInt) -> &'static str {
    match term {
        CInt::Fact(_) => "heltalet",
        CInt::Age(..) => "åldern",
    }
}
