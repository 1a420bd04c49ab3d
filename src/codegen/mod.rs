//! Code generation: one decision's compiled table as a self-contained Rust module (`std`
//! only), written by `regel compile --format rust`. The module holds typed `Facts` (a field
//! per fact the decision reads), and a `decide` function whose body is the
//! evaluator's decision tree ([`crate::table::TreeNode`]) as nested `if` and `match`, each
//! column computed where the tree needs it, as the evaluator does.
//!
//! It decides exactly as [`crate::table::Evaluator`]: the same rows, ages (29 February),
//! date arithmetic, periods and `visas från`, and the same refusals (a missing fact on the
//! request's path, an age before birth, a number outside the table's intervals). Where the
//! table normalises text with Unicode's tables, which a `std`-only module lacks, the module
//! accepts only input that needs no normalising (see the generated `Id` and `Text`) and
//! refuses the rest: never a decision the table would not make.
//!
//! The text is deterministic and formatted as `rustfmt` formats it.

mod module;
mod names;
mod runtime;
mod tree;

use crate::table::expr::{self, BoolExpr, CompareOp, DateExpr, IntExpr, TextExpr};
use crate::table::time::{Date, Unit};
use crate::table::{Column, ColumnKind, DecisionTable, Evaluator, FactType, TreeNode};
use names::{Taken, camel, snake, upper_snake};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use unicode_normalization::UnicodeNormalization;

/// Why a table could not be written as Rust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodegenError(pub String);

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "kan inte skriva beslutet som Rust: {}", self.0)
    }
}

impl std::error::Error for CodegenError {}

/// The Rust module deciding `table`'s decision. `origin` says how it was made (the command
/// line), for its header.
pub fn rust(table: &DecisionTable, origin: &str) -> Result<String, CodegenError> {
    let evaluator = Evaluator::new(table.clone()).map_err(|e| CodegenError(e.to_string()))?;
    let tree = evaluator.tree().map_err(|e| CodegenError(e.to_string()))?;
    Gen::new(table, &tree)
        .and_then(|g| g.module(&tree, origin))
        .map_err(CodegenError)
}

/// A fact the decision reads, as the module holds it.
struct Fact {
    name: String,
    field: String,
    ty: Ty,
    /// The declared default as a Rust expression: the field is then the plain type,
    /// otherwise an `Option`.
    default: Option<String>,
    optional: bool,
}

enum Ty {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Date,
    Text,
    Id,
    /// The type's name and its values with their variants.
    Enum(String, Vec<(String, String)>),
}

impl Fact {
    /// The field's value type.
    fn value_type(&self) -> String {
        match &self.ty {
            Ty::Bool => "bool".into(),
            Ty::Int { .. } => "i64".into(),
            Ty::Date => "Day".into(),
            Ty::Text => "Text<'a>".into(),
            Ty::Id => "Id<'a>".into(),
            Ty::Enum(name, _) => name.clone(),
        }
    }

    fn borrowed(&self) -> bool {
        matches!(self.ty, Ty::Text | Ty::Id)
    }

    /// Read through an accessor that can fail: no default, or a number to check.
    fn fallible(&self) -> bool {
        self.default.is_none() || matches!(self.ty, Ty::Int { .. })
    }
}

/// An expression as Rust text; `fallible` when it is a `Result` still to be unwrapped.
#[derive(Clone)]
struct Code {
    text: String,
    fallible: bool,
}

impl Code {
    fn plain(text: impl Into<String>) -> Code {
        Code {
            text: text.into(),
            fallible: false,
        }
    }

    fn fallible(text: impl Into<String>) -> Code {
        Code {
            text: text.into(),
            fallible: true,
        }
    }

    /// The value, unwrapped with `?` where it can fail.
    fn q(&self) -> String {
        if self.fallible {
            format!("{}?", self.text)
        } else {
            self.text.clone()
        }
    }

    /// The value as a `Result`.
    fn result(&self) -> String {
        if self.fallible {
            self.text.clone()
        } else {
            format!("Ok({})", self.text)
        }
    }
}

/// The runtime parts the decision needs.
#[derive(Default)]
struct Uses {
    age: bool,
    shift_days: bool,
    shift_months: bool,
    shown: bool,
}

/// Everything the module is made from, named.
struct Gen<'t> {
    table: &'t DecisionTable,
    facts: Vec<Fact>,
    fact_index: HashMap<String, usize>,
    /// Facts whose fallible accessor the code calls.
    accessors: BTreeSet<usize>,
    /// Literal days, by their constant's name.
    days: BTreeMap<Date, String>,
    uses: Uses,
    outcomes: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    /// Per rule: its variant.
    rules: Vec<String>,
    /// Per distinct (outcome, reason, rule) of a leaf: its constant.
    verdicts: BTreeMap<(usize, Option<usize>, Option<usize>), String>,
    /// Per rule with `visas från` that decides some row: its function.
    shown_from: BTreeMap<usize, String>,
    /// Columns the tree reads through a function of their own, by position.
    column_fns: BTreeMap<usize, String>,
    /// The node functions, in order.
    nodes: Vec<String>,
    /// Facts named `Facts<'a>` (borrowing texts) or `Facts`.
    borrowed: bool,
}

/// The names the module itself defines: no type of the ruleset may take one.
const OWN_TYPES: &[&str] = &[
    "Day",
    "Error",
    "Value",
    "FromValue",
    "Verdict",
    "Id",
    "Text",
    "Facts",
    "Decision",
    "Outcome",
    "Reason",
    "Rule",
];

/// The table's column at a position the evaluator's tree (or the generator) took from it;
/// an error, never a default, when there is none.
fn column(table: &DecisionTable, at: usize) -> Result<&Column, String> {
    table
        .columns
        .get(at)
        .ok_or_else(|| format!("kolumn {at} saknas"))
}

impl<'t> Gen<'t> {
    fn new(table: &'t DecisionTable, tree: &TreeNode) -> Result<Gen<'t>, String> {
        let mut columns = BTreeSet::new();
        let mut leaves = Vec::new();
        collect(tree, &mut columns, &mut leaves);
        let mut read = Vec::new();
        for &c in &columns {
            let column = column(table, c)?;
            match &column.kind {
                ColumnKind::Enum(f) | ColumnKind::Bool(f) | ColumnKind::Presence(f) => {
                    read.push(f.clone());
                }
                ColumnKind::Int { term, .. } => expr::facts_of_int(term, &mut read),
                ColumnKind::Predicate(e) => expr::facts_of_bool(e, &mut read),
            }
        }
        let mut decided_by: BTreeSet<usize> = BTreeSet::new();
        for &(_, rule) in &leaves {
            if let Some(rule) = rule {
                decided_by.insert(rule);
            }
        }
        for &r in &decided_by {
            if let Some(e) = table.rules.get(r).and_then(|r| r.shown_from.as_ref()) {
                expr::facts_of_date(e, &mut read);
            }
        }
        let read: BTreeSet<String> = read.into_iter().collect();

        let mut types = Taken::default();
        for own in OWN_TYPES {
            types.claim((*own).to_owned(), own)?;
        }
        let mut fields = Taken::default();
        let mut facts = Vec::new();
        let mut fact_index = HashMap::new();
        for f in table.facts.iter().filter(|f| read.contains(&f.name)) {
            let field = fields.claim(snake(&f.name), &format!("faktumet `{}`", f.name))?;
            let ty = match &f.ty {
                FactType::Bool => Ty::Bool,
                FactType::Int { min, max } => Ty::Int {
                    min: *min,
                    max: *max,
                },
                FactType::Date => Ty::Date,
                FactType::Text => Ty::Text,
                FactType::Id => Ty::Id,
                FactType::Enum(values) => {
                    let name = types.claim(camel(&f.name), &format!("faktumet `{}`", f.name))?;
                    let mut variants = Taken::default();
                    let values = values
                        .iter()
                        .map(|v| {
                            let variant = variants.claim(camel(v), &format!("värdet `{v}`"))?;
                            Ok((v.clone(), variant))
                        })
                        .collect::<Result<Vec<_>, String>>()?;
                    Ty::Enum(name, values)
                }
            };
            fact_index.insert(f.name.clone(), facts.len());
            facts.push(Fact {
                name: f.name.clone(),
                field,
                ty,
                default: None,
                optional: f.kan_saknas,
            });
        }
        let borrowed = facts.iter().any(Fact::borrowed);
        let mut g = Gen {
            table,
            facts,
            fact_index,
            accessors: BTreeSet::new(),
            days: BTreeMap::new(),
            uses: Uses::default(),
            outcomes: Vec::new(),
            reasons: Vec::new(),
            rules: Vec::new(),
            verdicts: BTreeMap::new(),
            shown_from: BTreeMap::new(),
            column_fns: BTreeMap::new(),
            nodes: Vec::new(),
            borrowed,
        };
        g.defaults()?;
        g.results(&leaves, &decided_by)?;
        Ok(g)
    }

    /// Each fact's declared default as Rust.
    fn defaults(&mut self) -> Result<(), String> {
        for i in 0..self.facts.len() {
            let Some(schema) = self
                .table
                .facts
                .iter()
                .find(|f| self.facts.get(i).is_some_and(|fact| fact.name == f.name))
            else {
                continue;
            };
            let Some(json) = &schema.default else {
                continue;
            };
            let bad = || format!("standardvärdet för `{}` går inte att läsa", schema.name);
            let code = match (&schema.ty, json) {
                (FactType::Bool, serde_json::Value::Bool(b)) => b.to_string(),
                (FactType::Int { .. }, serde_json::Value::Number(n)) => {
                    n.as_i64().ok_or_else(bad)?.to_string()
                }
                (FactType::Date, serde_json::Value::String(s)) => {
                    let date = Date::parse(s).ok_or_else(bad)?;
                    self.day(date)
                }
                (FactType::Text, serde_json::Value::String(s)) => {
                    format!("Text({:?})", s.nfc().collect::<String>())
                }
                (FactType::Id, serde_json::Value::String(s)) => {
                    let id = crate::table::ident::canonical(s).map_err(|_| bad())?;
                    if !id.is_ascii() {
                        return Err(format!(
                            "standardvärdet för `{}` är ingen ASCII-identitet",
                            schema.name
                        ));
                    }
                    format!("Id({id:?})")
                }
                (FactType::Enum(_), serde_json::Value::String(s)) => {
                    let variant = self.facts.get(i).and_then(|f| match &f.ty {
                        Ty::Enum(name, values) => values
                            .iter()
                            .find(|(v, _)| *v == s.nfc().collect::<String>())
                            .map(|(_, variant)| format!("{name}::{variant}")),
                        _ => None,
                    });
                    variant.ok_or_else(bad)?
                }
                _ => return Err(bad()),
            };
            if let Some(fact) = self.facts.get_mut(i) {
                fact.default = Some(code);
            }
        }
        Ok(())
    }

    /// The outcomes, reasons and rules, and a constant per distinct result of a leaf.
    fn results(
        &mut self,
        leaves: &[(usize, Option<usize>)],
        decided_by: &BTreeSet<usize>,
    ) -> Result<(), String> {
        let mut taken = Taken::default();
        for o in &self.table.outcomes {
            let variant = taken.claim(camel(o), &format!("utfallet `{o}`"))?;
            self.outcomes.push((o.clone(), variant));
        }
        let reasons: BTreeSet<&str> = self
            .table
            .rows
            .iter()
            .filter_map(|r| r.reason.as_deref())
            .collect();
        let mut taken = Taken::default();
        for r in reasons {
            let variant = taken.claim(camel(r), &format!("skälet `{r}`"))?;
            self.reasons.push((r.to_owned(), variant));
        }
        let mut taken = Taken::default();
        for r in &self.table.rules {
            let variant = taken.claim(camel(&r.id), &format!("regeln `{}`", r.id))?;
            self.rules.push(variant);
        }
        let mut consts = Taken::default();
        let mut fns = Taken::default();
        for &(row, rule) in leaves {
            let r = self
                .table
                .rows
                .get(row)
                .ok_or_else(|| format!("rad {row} saknas"))?;
            let outcome = self
                .outcomes
                .iter()
                .position(|(o, _)| *o == r.outcome)
                .ok_or_else(|| format!("utfallet `{}` finns inte bland besluten", r.outcome))?;
            let reason = match &r.reason {
                Some(reason) => self.reasons.iter().position(|(x, _)| x == reason),
                None => None,
            };
            let key = (outcome, reason, rule);
            if self.verdicts.contains_key(&key) {
                continue;
            }
            let base = match rule.and_then(|i| self.table.rules.get(i)) {
                Some(rule) => upper_snake(&rule.id),
                None => "DEFAULT".to_owned(),
            };
            let mut name = base.clone();
            let mut n = 1;
            while consts.claim(name.clone(), "").is_err() {
                n += 1;
                name = format!("{base}_{n}");
            }
            self.verdicts.insert(key, name);
        }
        for &r in decided_by {
            if let Some(rule) = self.table.rules.get(r)
                && rule.shown_from.is_some()
            {
                let name = fns.claim(
                    format!("shown_from_{}", upper_snake(&rule.id).to_lowercase()),
                    &format!("regeln `{}`", rule.id),
                )?;
                self.shown_from.insert(r, name);
                self.uses.shown = true;
            }
        }
        Ok(())
    }

    /// The constant of a literal day.
    fn day(&mut self, date: Date) -> String {
        let (y, m, d) = date.ymd();
        self.days
            .entry(date)
            .or_insert_with(|| format!("DAY_{y:04}_{m:02}_{d:02}"))
            .clone()
    }

    fn fact(&self, name: &str) -> Result<(usize, &Fact), String> {
        let i = *self
            .fact_index
            .get(name)
            .ok_or_else(|| format!("faktumet `{name}` saknas"))?;
        let fact = self
            .facts
            .get(i)
            .ok_or_else(|| format!("faktumet `{name}` saknas"))?;
        Ok((i, fact))
    }

    /// A fact's value.
    fn value(&mut self, name: &str) -> Result<Code, String> {
        let (i, fact) = self.fact(name)?;
        if fact.fallible() {
            let code = Code::fallible(format!("f.{}()", fact.field));
            self.accessors.insert(i);
            Ok(code)
        } else {
            Ok(Code::plain(format!("f.{}", fact.field)))
        }
    }

    fn date(&mut self, e: &DateExpr) -> Result<Code, String> {
        Ok(match e {
            DateExpr::Fact(f) => self.value(f)?,
            DateExpr::Literal(d) => Code::plain(self.day(*d)),
            DateExpr::Shift(base, n, unit) => {
                let base = self.date(base)?.q();
                let word = unit.word(*n);
                match unit {
                    Unit::Days => {
                        self.uses.shift_days = true;
                        Code::fallible(format!("shift_days({base}, {n}, {word:?})"))
                    }
                    Unit::Months | Unit::Years => {
                        self.uses.shift_months = true;
                        let per = if *unit == Unit::Years { 12 } else { 1 };
                        Code::fallible(format!("shift_months({base}, {n}, {per}, {word:?})"))
                    }
                }
            }
        })
    }

    fn int(&mut self, e: &IntExpr) -> Result<Code, String> {
        Ok(match e {
            IntExpr::Fact(f) => self.value(f)?,
            IntExpr::Age(born, on) => {
                self.uses.age = true;
                let (born, on) = (self.date(born)?.q(), self.date(on)?.q());
                Code::fallible(format!("age({born}, {on})"))
            }
        })
    }

    /// A text side of an equality, and whether it is an identifier.
    fn text(&mut self, e: &TextExpr) -> Result<(String, Side), String> {
        Ok(match e {
            TextExpr::Literal(s) => (format!("{s:?}"), Side::Literal),
            TextExpr::Fact(f) => {
                let id = matches!(self.fact(f)?.1.ty, Ty::Id);
                let code = self.value(f)?.q();
                (code, if id { Side::Id } else { Side::Text })
            }
        })
    }

    /// A condition, as an expression of type `bool` (with `?` inside).
    fn condition(&mut self, e: &BoolExpr) -> Result<String, String> {
        Ok(match e {
            BoolExpr::Const(b) => b.to_string(),
            BoolExpr::Present(f) => match self.presence(f)? {
                Truth::Cond(e) => e,
                Truth::Always(None) => "true".into(),
                Truth::Always(Some(statement)) => format!("{{ {statement} true }}"),
            },
            BoolExpr::Fact(f) => self.value(f)?.q(),
            BoolExpr::Not(inner) => format!("!({})", self.condition(inner)?),
            BoolExpr::And(es) | BoolExpr::Or(es) => {
                let join = if matches!(e, BoolExpr::And(_)) {
                    " && "
                } else {
                    " || "
                };
                let parts = es
                    .iter()
                    .map(|e| self.condition(e))
                    .collect::<Result<Vec<_>, _>>()?;
                match parts.len() {
                    0 => (matches!(e, BoolExpr::And(_))).to_string(),
                    _ => format!("({})", parts.join(join)),
                }
            }
            BoolExpr::In(f, values) => {
                let read = self.value(f)?.q();
                let (_, fact) = self.fact(f)?;
                let Ty::Enum(name, variants) = &fact.ty else {
                    return Err(format!("`{f}` är inte uppräknat"));
                };
                let patterns = values
                    .iter()
                    .map(|v| {
                        variants
                            .iter()
                            .find(|(value, _)| value == v)
                            .map(|(_, variant)| format!("{name}::{variant}"))
                            .ok_or_else(|| format!("`{f}` har inget värde `{v}`"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if patterns.is_empty() {
                    format!("{{ {read}; false }}")
                } else {
                    format!("matches!({read}, {})", patterns.join(" | "))
                }
            }
            BoolExpr::IntCmp(t, op, v) => format!("{} {} {v}", self.int(t)?.q(), rust_op(*op)),
            BoolExpr::DateCmp(l, op, r) => {
                let (l, r) = (self.date(l)?.q(), self.date(r)?.q());
                format!("{l} {} {r}", rust_op(*op))
            }
            BoolExpr::TextEq(l, r) => {
                let (l, r) = (self.text(l)?, self.text(r)?);
                text_eq(l, r)
            }
        })
    }

    /// How the presence of a fact is read. A fact with a default is always given; a
    /// required fact left out is an error when its presence is read, as when its value is.
    fn presence(&mut self, name: &str) -> Result<Truth, String> {
        let (i, fact) = self.fact(name)?;
        let field = fact.field.clone();
        Ok(if fact.default.is_some() {
            Truth::Always(None)
        } else if fact.optional {
            Truth::Cond(format!("f.{field}.is_some()"))
        } else {
            self.accessors.insert(i);
            Truth::Always(Some(format!("f.{field}()?;")))
        })
    }
}

/// How a truth-valued column or condition is read.
enum Truth {
    /// This expression (`true` is cell 1, `sant` or `finns`).
    Cond(String),
    /// Always `true` (cell 1), once the statement (if any) has run without error.
    Always(Option<String>),
}

/// What one side of a text equality is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Id,
    Text,
    Literal,
}

/// `l = r` for texts: identifiers without regard to case, against a literal (canonical)
/// or a text by its canonical form.
fn text_eq((l, ls): (String, Side), (r, rs): (String, Side)) -> String {
    match (ls, rs) {
        (Side::Id, Side::Id) | (Side::Text, Side::Text) => format!("{l} == {r}"),
        (Side::Id, Side::Literal) => format!("{l}.is({r})"),
        (Side::Literal, Side::Id) => format!("{r}.is({l})"),
        (Side::Id, Side::Text) => format!("{l}.is({r}.as_str())"),
        (Side::Text, Side::Id) => format!("{r}.is({l}.as_str())"),
        (Side::Text, Side::Literal) => format!("{l}.as_str() == {r}"),
        (Side::Literal, Side::Text) => format!("{r}.as_str() == {l}"),
        (Side::Literal, Side::Literal) => (l == r).to_string(),
    }
}

fn rust_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "==",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

/// The columns the tree splits on, and its leaves (row, rule).
fn collect(
    node: &TreeNode,
    columns: &mut BTreeSet<usize>,
    leaves: &mut Vec<(usize, Option<usize>)>,
) {
    match node {
        TreeNode::Split { column, branches } => {
            columns.insert(*column);
            for (_, child) in branches {
                collect(child, columns, leaves);
            }
        }
        TreeNode::Leaf { row, rule } => leaves.push((*row, *rule)),
        TreeNode::NoRow => {}
    }
}

/// Appends a line at `indent`.
fn line(out: &mut String, indent: usize, text: &str) {
    if text.is_empty() {
        out.push('\n');
    } else {
        let _ = writeln!(out, "{:indent$}{text}", "");
    }
}
