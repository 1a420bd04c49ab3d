//! # regelverk-table
//!
//! The decision tables `regel compile` writes, and their fail-closed evaluation: everything
//! a system needs to decide requests, without the rule language's compiler (no parser, no
//! diagnostics renderer, no command line).
//!
//! A [`DecisionTable`] is self-contained: the facts of the ruleset (for validating
//! requests), the columns (inputs after lowering, derived ones with their expression), and
//! rows that are disjoint and together cover every valid input (hit policy UNIQUE), each
//! with its outcome and provenance. Names, not indices, appear in the stored form, so a
//! table reads well in review; [`Evaluator`] resolves them once, checking every reference,
//! so a table edited by hand is refused when it is loaded, never half-used when deciding.
//! The stored form's keys are English (`rows`, `when`, `outcome`, `sources`, …) and its
//! tags the variant names of these types; the values from the rules stay Swedish. A file
//! of another [`FORMAT_VERSION`], or with a key the format does not have, is refused by
//! [`CompiledRuleset::parse`].
//!
//! # Embedding decisions
//!
//! Compile the ruleset (`regel compile rules -o tabeller.ron`, or `--format json`), load
//! the file once, make an [`Evaluator`] for the decision, and decide each request from its
//! JSON text:
//!
//! ```
//! use regelverk_table::{CompiledRuleset, Evaluator, RequestError};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // In a service: `std::fs::read_to_string("tabeller.ron")?`. This small table is compiled
//! // from the compiler's test ruleset `tests/fixtures/compile/liten`.
//! let text = include_str!("../tests/data/liten.ron");
//! let compiled = CompiledRuleset::parse(text)?;
//! let table = compiled.table("direktåtkomst").ok_or("no such decision")?;
//! let evaluator = Evaluator::new(table.clone())?;
//!
//! // A patient aged 18 reads an entry of their own.
//! let request = r#"{
//!     "datum": "2026-05-01",
//!     "läsare": "patient",
//!     "patient": {"födelsedatum": "2008-03-14"}
//! }"#;
//! let decision = evaluator.decide_text(request)?;
//! assert_eq!(decision.outcome, "visa");
//! assert_eq!(decision.reason, Some("egen_åtkomst"));
//!
//! // Why: the rule that decided (`None` when the decision's default did) and its sources.
//! let rule = decision.rule.ok_or("decided by the default")?;
//! assert_eq!(rule.id, "N1");
//! assert_eq!(rule.title, "Patienten ser sina uppgifter från 16 år");
//! let cited: Vec<&str> = rule.sources.iter().map(|s| s.text.as_str()).collect();
//! assert_eq!(cited, ["RJH ramverk 1.1"]);
//! assert_eq!(rule.location, "tests/fixtures/compile/liten/liten.regel:27");
//! // The row of the table that matched, with its conditions.
//! let row = &evaluator.table().rows[decision.row];
//! assert_eq!(row.outcome, "visa");
//!
//! // A rule may hide an entry until a day it names (`visas från`): the decision says which.
//! let waiting = r#"{
//!     "datum": "2022-02-20",
//!     "läsare": "patient",
//!     "patient": {"födelsedatum": "1990-01-01"},
//!     "post": {"datum": "2022-02-19"}
//! }"#;
//! let decision = evaluator.decide_text(waiting)?;
//! assert_eq!((decision.outcome, decision.reason), ("dölj", Some("väntar")));
//! let shown_from = decision.shown_from.map(|day| day.to_string());
//! assert_eq!(shown_from.as_deref(), Some("2022-03-01"));
//!
//! // Fail closed: a misspelt fact, a missing one the rules need, or a key given twice is
//! // an error that says what to fix, never a default.
//! let misspelt = r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2008-03-14"}, "läsarval": {"rådrumm": true}}"#;
//! match evaluator.decide_text(misspelt) {
//!     Err(e @ RequestError::UnknownFact { .. }) => {
//!         assert_eq!(e.to_string(), "okänt faktum `läsarval.rådrumm`: menade du `läsarval.rådrum`?");
//!     }
//!     other => panic!("decided anyway: {other:?}"),
//! }
//! let missing = r#"{"läsare": "patient", "patient": {"födelsedatum": "2008-03-14"}}"#;
//! assert!(matches!(evaluator.decide_text(missing), Err(RequestError::Missing { .. })));
//! let twice = r#"{"datum": "2026-05-01", "läsare": "patient", "läsare": "ombud"}"#;
//! assert!(matches!(evaluator.decide_text(twice), Err(RequestError::DuplicateKey { .. })));
//! # Ok(())
//! # }
//! ```
//!
//! A request may nest facts (`{"patient": {"födelsedatum": …}}`) or dot them
//! (`{"patient.födelsedatum": …}`). Facts a request leaves out take their declared default;
//! a fact with no default that a rule on the request's path reads is an error.
//! [`Evaluator::decide_text`] is the entry point for text from outside: unlike a parsed
//! JSON value, the text still shows a key given twice; [`Evaluator::decide_bytes_with`]
//! takes the bytes of a request read from a stream as they are, and refuses them with
//! [`RequestError::NotUtf8`] when they are not UTF-8. An [`Evaluator`] is immutable and
//! `Sync`: share one between threads.
//!
//! # Modules
//!
//! - [`days`]: comparisons of a date fact with fixed days, and whether several of them can
//!   hold at once (periods that touch never do).
//! - [`expr`]: the expressions of derived columns, and [`expr::show`] to write them as a
//!   jurist would.
//! - [`ident`]: the canonical form of identifiers (`id` facts such as an HSA-id).
//! - [`time`]: dates and the rules of date arithmetic.
//! - [`witness`]: example requests that reach given cells of one or more tables (the
//!   compiler and `regel diff` show them).

mod cells;
pub mod days;
mod eval;
pub mod expr;
pub mod ident;
mod json;
mod layout;
mod request;
mod schema;
mod suggest;
pub mod time;
pub mod witness;

pub use cells::Cells;
pub use eval::{Decision, Evaluator, TableError};
pub use expr::{BoolExpr, CompareOp, DateExpr, IntExpr, TextExpr};
pub use layout::TreeNode;
pub use request::{FactValue, Request, RequestError, insert_dotted, parse_json};
pub use schema::Scratch;
pub use suggest::suggest_name;

use serde::{Deserialize, Serialize};

/// The version of the stored format; bumped on any incompatible change. Version 2 added
/// optional facts, presence columns, interpretations, periods of validity and the day a
/// hidden entry is shown; version 3 gave every key and tag English names (an embedder's
/// format, like the expression tree it always had), where version 2 mixed in Swedish ones.
pub const FORMAT_VERSION: u32 = 3;

/// One decision's compiled table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTable {
    pub format: u32,
    /// The ruleset's title (`regelverk "…"`).
    pub ruleset: String,
    pub decision: String,
    /// SHA-256 of the sources the table was compiled from.
    pub source_hash: String,
    pub outcomes: Vec<String>,
    /// The citations of the decision's default (`standard`), for rows no rule decides.
    #[serde(default)]
    pub default_sources: Vec<SourceRef>,
    /// Every fact of the ruleset's vocabulary: a request may name these and no others.
    pub facts: Vec<FactSchema>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The rules rows refer to, by position.
    pub rules: Vec<RuleInfo>,
    /// The deviations rules come from, by position.
    pub deviations: Vec<DeviationInfo>,
}

/// A fact's name, type and default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSchema {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FactType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// A request may leave the fact out (declared `, kan saknas`): rules test whether it is
    /// given. Reading its value when it is not is still an error.
    #[serde(rename = "optional", default, skip_serializing_if = "is_false")]
    pub kan_saknas: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The type of a fact in a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum FactType {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Date,
    Text,
    /// An identifier, compared in canonical form ([`ident::canonical`]).
    Id,
    Enum(Vec<String>),
}

/// An input of the table, with the labels of its cells (the values a condition picks from).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// How the column reads: a fact name, a derived fact's name, or the comparison itself.
    pub name: String,
    pub kind: ColumnKind,
    /// One label per cell: enum values, `sant`/`falskt`, or intervals like `13–15`.
    pub cells: Vec<String>,
    /// The interpretations (`tolkning`) of the derived fact the column reads, if any.
    #[serde(
        rename = "interpretations",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tolkning: Vec<String>,
}

/// What a column reads and how it is cut into cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ColumnKind {
    /// An enumeration fact; cell i is value i.
    Enum(String),
    /// A truth-valued fact; cell 0 is `falskt`, cell 1 `sant`.
    Bool(String),
    /// A whole number cut into intervals: cell i holds `intervals[i]` (inclusive).
    Int {
        term: IntExpr,
        intervals: Vec<(i64, i64)>,
    },
    /// A derived condition (date comparison, text equality, derived fact): `falskt`, `sant`.
    Predicate(BoolExpr),
    /// Whether a request gives an optional fact: cell 0 is `saknas`, cell 1 `finns`. Read
    /// before any column that reads the fact's value. For a fact the ruleset requires, a
    /// request without it is an error here.
    Presence(String),
}

/// One row: its conditions (column name and the cells it allows; columns not named are
/// free), its outcome and its provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub when: Vec<Condition>,
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The winning rule, or `None` for the decision's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// Rules that applied too but lost to the winner.
    #[serde(rename = "overrides", default, skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<usize>,
}

/// `column ∈ values`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub column: String,
    pub values: Vec<String>,
}

/// A citation with where it was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub text: String,
    /// `file:line`.
    pub location: String,
}

/// A rule as rows name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub sources: Vec<SourceRef>,
    /// `file:line` of the rule.
    pub location: String,
    /// `National` or `Region`.
    pub origin: Origin,
    /// The deviation the rule comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<usize>,
    /// The choices the rule makes where its sources are silent or ambiguous.
    #[serde(
        rename = "interpretations",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tolkning: Vec<String>,
    /// The days the rule applies (`gäller från` / `gäller till och med`); its rows already
    /// test them on `datum`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// A national rule a deviation with a period replaces or strikes: the deviation (by
    /// position), during whose period the rule does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_by: Option<usize>,
    /// `visas från`: the day an entry the rule hides will be shown, evaluated for each request
    /// the rule decides (and never later than the day after its period ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_from: Option<DateExpr>,
}

/// A period of validity: both days included, either end open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<time::Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<time::Date>,
}

impl std::fmt::Display for Period {
    /// `från och med 2022-03-01`, `till och med 2022-02-28`, or both.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.from, self.until) {
            (Some(a), Some(b)) => write!(f, "från och med {a} till och med {b}"),
            (Some(a), None) => write!(f, "från och med {a}"),
            (None, Some(b)) => write!(f, "till och med {b}"),
            (None, None) => write!(f, "alltid"),
        }
    }
}

/// Whether a declaration comes from the national framework or the region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    National,
    Region,
}

/// A deviation as rules name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviationInfo {
    pub id: String,
    pub title: String,
    /// Why the region deviates (`motivering`).
    #[serde(rename = "justification")]
    pub motivering: String,
    pub sources: Vec<SourceRef>,
    pub location: String,
    /// The national invariant the deviation strikes (`stryker invariant "…"`), if that is its
    /// change: the region no longer promises it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub struck_invariant: Option<StruckInvariant>,
    #[serde(
        rename = "interpretations",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tolkning: Vec<String>,
    /// The days the deviation changes the national rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A national invariant a region's deviation strikes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StruckInvariant {
    pub title: String,
    pub decision: String,
}

/// A ruleset's compiled tables, one per decision, as stored by `regel compile`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompiledRuleset {
    pub format: u32,
    pub ruleset: String,
    pub source_hash: String,
    pub tables: Vec<DecisionTable>,
}

impl CompiledRuleset {
    /// The table of one decision.
    pub fn table(&self, decision: &str) -> Option<&DecisionTable> {
        self.tables.iter().find(|t| t.decision == decision)
    }

    /// RON, as written by `regel compile`: byte-identical for the same sources.
    pub fn to_ron(&self) -> Result<String, String> {
        let config = ron::ser::PrettyConfig::new()
            .indentor("  ".to_owned())
            .struct_names(false);
        ron::ser::to_string_pretty(self, config)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string())
    }

    /// JSON, as written by `regel compile --format json`.
    pub fn to_json(&self) -> Result<String, String> {
        serde_json::to_string_pretty(self)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string())
    }

    /// Reads a stored table file (RON or JSON, by content). The format version is read
    /// first, alone, so a table of another version is refused as such rather than as a
    /// key it no longer has or does not yet know.
    pub fn parse(text: &str) -> Result<CompiledRuleset, String> {
        let json = text.trim_start().starts_with('{');
        // A file without a readable version is not refused here: the full parse below says
        // what is wrong with it.
        let version = if json {
            serde_json::from_str::<FormatVersion>(text).ok()
        } else {
            ron::from_str::<FormatVersion>(text).ok()
        };
        if let Some(FormatVersion { format }) = version
            && format != FORMAT_VERSION
        {
            return Err(format!(
                "tabellen har formatversion {format}; kompilera om med `regel compile`"
            ));
        }
        let compiled: CompiledRuleset = if json {
            serde_json::from_str(text).map_err(|e| format!("ogiltig JSON-tabell: {e}"))?
        } else {
            ron::from_str(text).map_err(|e| format!("ogiltig RON-tabell: {e}"))?
        };
        // The version was read above: a text that parses as a table has a readable one.
        Ok(compiled)
    }
}

/// The one key every version of the stored format has: read before the rest, whose keys
/// depend on it. Other keys are ignored.
#[derive(Deserialize)]
struct FormatVersion {
    format: u32,
}
