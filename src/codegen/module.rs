//! The parts of the module around the tree: its header, the facts and the decision as
//! types, the columns and `visas från` as functions, the constants, and the runtime.

use super::{Gen, Ty, line, runtime};
use crate::table::expr::show;
use crate::table::time::Unit;
use crate::table::{BoolExpr, ColumnKind};
use std::fmt::Write as _;

/// The widest a line may be, as `rustfmt` counts it.
pub(super) const WIDTH: usize = 100;

/// The widest the arguments of a call may be on one line (`rustfmt`'s `fn_call_width`).
pub(super) const CALL_WIDTH: usize = 60;

/// Whether `Name(args)` fits on one line at `indent` as `rustfmt` writes it.
pub(super) fn fits_call(indent: usize, line: &str, args: &str) -> bool {
    indent + line.chars().count() <= WIDTH && args.chars().count() <= CALL_WIDTH
}

/// `name(args)` followed by `suffix`, at `indent` after `prefix`: on one line if it fits,
/// else one argument per line, as `rustfmt` writes a call.
fn call(out: &mut String, indent: usize, prefix: &str, name: &str, args: &[String], suffix: &str) {
    let joined = args.join(", ");
    let one = format!("{prefix}{name}({joined}){suffix}");
    if fits_call(indent, &one, &joined) {
        line(out, indent, &one);
        return;
    }
    line(out, indent, &format!("{prefix}{name}("));
    for a in args {
        line(out, indent + 4, &format!("{a},"));
    }
    line(out, indent, &format!("){suffix}"));
}

impl Gen<'_> {
    /// The function reading column `column`, named when first asked for.
    pub(super) fn column_fn(&mut self, column: usize) -> Result<String, String> {
        let name = format!("column_{column}");
        self.column_fns.insert(column, name.clone());
        Ok(name)
    }

    /// A leaf: its row's decision.
    pub(super) fn leaf(&mut self, row: usize, rule: Option<usize>) -> Result<String, String> {
        let r = self
            .table
            .rows
            .get(row)
            .ok_or_else(|| format!("rad {row} saknas"))?;
        let outcome = self.outcomes.iter().position(|(o, _)| *o == r.outcome);
        let reason = match &r.reason {
            Some(reason) => self.reasons.iter().position(|(x, _)| x == reason),
            None => None,
        };
        let verdict = outcome
            .and_then(|o| self.verdicts.get(&(o, reason, rule)))
            .ok_or_else(|| format!("rad {row} har inget utfall"))?;
        Ok(match rule.and_then(|r| self.shown_from.get(&r)) {
            Some(shown) => format!("Ok({verdict}.row({row}).shown({shown}(f)?))"),
            None => format!("Ok({verdict}.row({row}))"),
        })
        .and_then(|text| {
            // `rustfmt` breaks a chain wider than 60 (`chain_width`): none is.
            if text.chars().count() > CALL_WIDTH {
                Err(format!("regeln på rad {row} har ett för långt namn"))
            } else {
                Ok(text)
            }
        })
    }

    /// The functions of the columns the tree reads through one.
    pub(super) fn columns(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let facts = self.facts_arg();
        for (column, name) in self.column_fns.clone() {
            let c = super::column(self.table, column)?;
            let (kind, title) = (c.kind.clone(), c.name.clone());
            let mut body = String::new();
            let ty = match &kind {
                ColumnKind::Int { term, .. } => {
                    line(&mut body, 4, &self.int(term)?.result());
                    "i64"
                }
                ColumnKind::Predicate(e) => {
                    self.predicate(e, &mut body)?;
                    "bool"
                }
                _ => return Err(format!("kolumnen `{title}` läses utan funktion")),
            };
            let skip = if body.lines().any(|l| l.chars().count() > WIDTH) {
                "// One long condition, kept on one line.\n#[rustfmt::skip]\n"
            } else {
                ""
            };
            let _ = write!(
                out,
                "\n/// The column `{title}`.\n{skip}fn {name}(f: &{facts}) -> Result<{ty}, Error> {{\n{body}}}\n"
            );
        }
        Ok(out)
    }

    /// The body of a truth-valued column.
    fn predicate(&mut self, e: &BoolExpr, body: &mut String) -> Result<(), String> {
        if let BoolExpr::Fact(f) = e {
            line(body, 4, &self.value(f)?.result());
            return Ok(());
        }
        let cond = self.condition(e)?;
        let whole = format!("Ok({cond})");
        if fits_call(4, &whole, &cond) {
            line(body, 4, &whole);
            return Ok(());
        }
        // A comparison too long for a line: each side named first, left to right.
        match e {
            BoolExpr::DateCmp(l, op, r) => {
                let (l, r) = (self.date(l)?.q(), self.date(r)?.q());
                line(body, 4, &format!("let left = {l};"));
                line(body, 4, &format!("let right = {r};"));
                line(body, 4, &format!("Ok(left {} right)", super::rust_op(*op)));
            }
            BoolExpr::TextEq(l, r) => {
                let ((l, ls), (r, rs)) = (self.text(l)?, self.text(r)?);
                line(body, 4, &format!("let left = {l};"));
                line(body, 4, &format!("let right = {r};"));
                let eq = super::text_eq(("left".into(), ls), ("right".into(), rs));
                line(body, 4, &format!("Ok({eq})"));
            }
            _ => line(body, 4, &whole),
        }
        Ok(())
    }

    /// The functions giving the day a rule's hidden entry is shown.
    pub(super) fn shown_from_fns(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let facts = self.facts_arg();
        for (rule, name) in self.shown_from.clone() {
            let info = self
                .table
                .rules
                .get(rule)
                .ok_or_else(|| format!("regel {rule} saknas"))?;
            let (id, until) = (info.id.clone(), info.period.and_then(|p| p.until));
            let Some(e) = info.shown_from.clone() else {
                continue;
            };
            let day = self.date(&e)?;
            let (doc, body) = match until {
                None => (String::new(), format!("    {}\n", day.result())),
                Some(until) => {
                    let after = until
                        .shift(1, Unit::Days)
                        .ok_or_else(|| format!("dagen efter {until} finns inte"))?;
                    let last = self.day(after);
                    (
                        format!(
                            ",\n/// and at the latest {after}, the day after the rule's period ends"
                        ),
                        format!("    let day = {};\n    Ok(day.min({last}))\n", day.q()),
                    )
                }
            };
            let _ = write!(
                out,
                "\n/// The day an entry {id} hides is shown (`visas från`): `{}`{doc}.\n\
                 fn {name}(f: &{facts}) -> Result<Day, Error> {{\n{body}}}\n",
                show::date_expr(&e)
            );
        }
        Ok(out)
    }

    /// The module's header.
    pub(super) fn header(&self, out: &mut String, origin: &str) {
        let t = self.table;
        doc(
            out,
            &format!(
                "The decision `{}` of the ruleset \"{}\" as a plain Rust function: [`decide`] \
                 over typed [`Facts`], deciding as the compiled table does, with `std` only.",
                t.decision, t.ruleset
            ),
        );
        out.push_str("//!\n");
        doc(
            out,
            &format!(
                "Generated by `{origin}` from sources with SHA-256 `{}`. Do not edit it: \
                 generate it again.",
                t.source_hash
            ),
        );
        out.push_str(
            "//!\n\
             //! ```ignore\n\
             //! // A request's facts as (name, value) pairs; a name the ruleset lacks is refused:\n\
             //! let facts = Facts::from_pairs(&[(\"datum\", Value::Text(\"2026-05-01\")), /* … */])?;\n\
             //! // Or field by field, with `Day::parse`, `Id::new` and the types' `parse`.\n\
             //! let decision = decide(&facts)?;\n\
             //! println!(\"{} {:?}\", decision.outcome.as_str(), decision.reason.map(Reason::as_str));\n\
             //! ```\n",
        );
    }

    /// The facts as a type, read by name, and their accessors.
    pub(super) fn facts_type(&self, out: &mut String) {
        let lifetime = if self.borrowed { "<'a>" } else { "" };
        let _ = write!(
            out,
            "\n/// The facts the decision reads, one field per fact (its name in the rules, `_` for `.`).\n\
             /// A fact with a declared default is a plain value; any other is an `Option`, `None` when\n\
             /// the request leaves it out, which is an error ([`Error::Missing`]) only when the\n\
             /// request's path through the table needs it.\n\
             #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
             pub struct Facts{lifetime} {{"
        );
        // An empty struct is `{}` on one line, as `rustfmt` writes it.
        out.push_str(if self.facts.is_empty() { "}\n" } else { "\n" });
        for f in &self.facts {
            let ty = f.value_type();
            let schema = self.table.facts.iter().find(|s| s.name == f.name);
            let default = schema
                .and_then(|s| s.default.as_ref())
                .map(|d| format!(", by default `{}`", d.to_string().trim_matches('"')))
                .unwrap_or_default();
            let optional = if f.optional { " (may be left out)" } else { "" };
            line(out, 4, &format!("/// `{}`{default}{optional}.", f.name));
            if f.default.is_some() {
                line(out, 4, &format!("pub {}: {ty},", f.field));
            } else {
                line(out, 4, &format!("pub {}: Option<{ty}>,", f.field));
            }
        }
        if !self.facts.is_empty() {
            out.push_str("}\n");
        }
        let (from_lifetime, value_lifetime) = if self.borrowed {
            ("", "'a")
        } else {
            ("<'a>", "'a")
        };
        let _ = write!(
            out,
            "\nimpl{lifetime} Facts{lifetime} {{\n\
             \x20   /// The facts from `fact`, which gives a fact's value by its name in the rules\n\
             \x20   /// (`\"patient.födelsedatum\"`), or `None` when the request leaves it out: a fact left\n\
             \x20   /// out takes its declared default. A value of the wrong type, a day that does not\n\
             \x20   /// exist, a value the fact's type does not have or an identifier this module does\n\
             \x20   /// not accept is refused. Only the facts the decision reads are asked for.\n"
        );
        // A decision that reads no fact asks for none.
        let fact = if self.facts.is_empty() {
            "_fact"
        } else {
            "mut fact"
        };
        let signature = format!(
            "pub fn from_fn{from_lifetime}({fact}: impl FnMut(&str) -> Option<Value<{value_lifetime}>>) -> Result<Facts{lifetime}, Error> {{"
        );
        if 4 + signature.chars().count() <= WIDTH {
            line(out, 4, &signature);
        } else {
            line(out, 4, &format!("pub fn from_fn{from_lifetime}("));
            line(
                out,
                8,
                &format!("{fact}: impl FnMut(&str) -> Option<Value<{value_lifetime}>>,"),
            );
            line(out, 4, &format!(") -> Result<Facts{lifetime}, Error> {{"));
        }
        line(
            out,
            8,
            if self.facts.is_empty() {
                "Ok(Facts {})"
            } else {
                "Ok(Facts {"
            },
        );
        for f in &self.facts {
            let name = format!("{:?}", f.name);
            let prefix = format!("{}: ", f.field);
            match (&f.ty, &f.default) {
                (Ty::Int { min, max }, None) => call(
                    out,
                    12,
                    &prefix,
                    "read_int",
                    &["&mut fact".into(), name, min.to_string(), max.to_string()],
                    "?,",
                ),
                (Ty::Int { min, max }, Some(d)) => call(
                    out,
                    12,
                    &prefix,
                    "read_int",
                    &["&mut fact".into(), name, min.to_string(), max.to_string()],
                    &format!("?.unwrap_or({d}),"),
                ),
                (_, None) => call(out, 12, &prefix, "read", &["&mut fact".into(), name], "?,"),
                (_, Some(d)) => call(
                    out,
                    12,
                    &prefix,
                    "read_or",
                    &["&mut fact".into(), name, d.clone()],
                    "?,",
                ),
            }
        }
        if !self.facts.is_empty() {
            line(out, 8, "})");
        }
        line(out, 4, "}");
        let _ = write!(
            out,
            "\n\
             \x20   /// The facts of a request given as (name, value) pairs, as [`Facts::from_fn`]\n\
             \x20   /// reads them, after refusing a name that is no fact of the ruleset ([`FACTS`]) or\n\
             \x20   /// a name given twice: a misspelt fact is an error, never a default.\n\
             \x20   pub fn from_pairs(pairs: &[(&str, Value{value_args})]) -> Result<Facts{lifetime}, Error> {{\n\
             \x20       for (i, (name, _)) in pairs.iter().enumerate() {{\n\
             \x20           if !FACTS.contains(name) {{\n\
             \x20               return Err(Error::UnknownFact(i));\n\
             \x20           }}\n\
             \x20           if pairs.iter().take(i).any(|(earlier, _)| earlier == name) {{\n\
             \x20               return Err(Error::Duplicate(i));\n\
             \x20           }}\n\
             \x20       }}\n\
             \x20       Facts::from_fn(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))\n\
             \x20   }}\n",
            value_args = if self.borrowed { "<'a>" } else { "<'_>" },
        );
        out.push_str("}\n");
        self.vocabulary(out);
        if !self.accessors.is_empty() {
            let _ = writeln!(out, "\nimpl{lifetime} Facts{lifetime} {{");
            for (n, &i) in self.accessors.iter().enumerate() {
                let Some(f) = self.facts.get(i) else {
                    continue;
                };
                if n > 0 {
                    out.push('\n');
                }
                let ty = f.value_type();
                let ty = if self.borrowed {
                    ty
                } else {
                    ty.replace("<'a>", "")
                };
                line(
                    out,
                    4,
                    &format!("/// `{}`, which the request's path needs.", f.name),
                );
                line(
                    out,
                    4,
                    &format!("fn {}(&self) -> Result<{ty}, Error> {{", f.field),
                );
                let field = format!("self.{}", f.field);
                let name = format!("{:?}", f.name);
                match (&f.ty, &f.default) {
                    (Ty::Int { min, max }, None) => call(
                        out,
                        8,
                        "",
                        "in_range",
                        &[
                            format!("need({field}, {name})?"),
                            name,
                            min.to_string(),
                            max.to_string(),
                        ],
                        "",
                    ),
                    (Ty::Int { min, max }, Some(_)) => call(
                        out,
                        8,
                        "",
                        "in_range",
                        &[field, name, min.to_string(), max.to_string()],
                        "",
                    ),
                    _ => call(out, 8, "", "need", &[field, name], ""),
                }
                line(out, 4, "}");
            }
            out.push_str("}\n");
        }
        for f in &self.facts {
            if let Ty::Enum(name, values) = &f.ty {
                enumeration(
                    out,
                    &format!("The values of `{}`.", f.name),
                    name,
                    values,
                    "as_str",
                    true,
                );
            }
        }
    }

    /// Every fact of the ruleset, for refusing a request that names another.
    fn vocabulary(&self, out: &mut String) {
        let names: Vec<String> = self
            .table
            .facts
            .iter()
            .map(|f| format!("{:?}", f.name))
            .collect();
        let joined = names.join(", ");
        out.push_str("\n/// Every fact of the ruleset's vocabulary: a request may name these and no others.\n");
        let one = format!("pub const FACTS: &[&str] = &[{joined}];");
        if one.chars().count() <= WIDTH && joined.chars().count() <= CALL_WIDTH {
            out.push_str(&one);
            out.push('\n');
        } else {
            out.push_str("pub const FACTS: &[&str] = &[\n");
            for n in &names {
                line(out, 4, &format!("{n},"));
            }
            out.push_str("];\n");
        }
    }

    /// The decision as a type.
    pub(super) fn decision_type(&self, out: &mut String) {
        out.push_str(
            "\n/// What the table decides for a request.\n\
             #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
             pub struct Decision {\n\
             \x20   pub outcome: Outcome,\n\
             \x20   pub reason: Option<Reason>,\n\
             \x20   /// The rule that decided, or `None` for the decision's default.\n\
             \x20   pub rule: Option<Rule>,\n\
             \x20   /// The row of the compiled table that decided (its position in `rows`).\n\
             \x20   pub row: usize,\n\
             \x20   /// The day a hidden entry will be shown, when the rule that hides it says so\n\
             \x20   /// (`visas från`).\n\
             \x20   pub shown_from: Option<Day>,\n\
             }\n",
        );
        enumeration(
            out,
            "The decision's outcomes.",
            "Outcome",
            &self.outcomes,
            "as_str",
            false,
        );
        enumeration(
            out,
            "The reasons rows give.",
            "Reason",
            &self.reasons,
            "as_str",
            false,
        );
        let rules: Vec<(String, String)> = self
            .table
            .rules
            .iter()
            .zip(&self.rules)
            .map(|(r, v)| (r.id.clone(), v.clone()))
            .collect();
        enumeration(out, "The decision's rules.", "Rule", &rules, "id", false);
    }

    /// The constants: each row's verdict, and literal days.
    pub(super) fn constants(&self, out: &mut String) -> Result<(), String> {
        // Every index here was handed out by `leaf` from these same lists: a miss is a bug
        // in the generator, and must not become a verdict without its reason or rule.
        let lost = |what: &str, i: usize| format!("{what} nummer {i} saknas i generatorn");
        for (&(outcome, reason, rule), name) in &self.verdicts {
            let (outcome_name, outcome_variant) = self
                .outcomes
                .get(outcome)
                .ok_or_else(|| lost("utfall", outcome))?;
            let reason = reason
                .map(|r| self.reasons.get(r).ok_or_else(|| lost("skäl", r)))
                .transpose()?;
            let rule = rule
                .map(|r| {
                    let info = self.table.rules.get(r).ok_or_else(|| lost("regel", r))?;
                    let variant = self.rules.get(r).ok_or_else(|| lost("regel", r))?;
                    Ok::<_, String>((info, variant))
                })
                .transpose()?;
            let said = match rule {
                Some((info, _)) => format!("Rule {}", info.id),
                None => "The decision's default".to_owned(),
            };
            let _ = write!(
                out,
                "\n/// {said}: {outcome_name}{}.\n\
                 const {name}: Verdict = Verdict {{\n\
                 \x20   outcome: Outcome::{outcome_variant},\n\
                 \x20   reason: {},\n\
                 \x20   rule: {},\n\
                 }};\n",
                reason.map(|(r, _)| format!(", {r}")).unwrap_or_default(),
                reason.map_or("None".into(), |(_, v)| format!("Some(Reason::{v})")),
                rule.map_or("None".into(), |(_, v)| format!("Some(Rule::{v})")),
            );
        }
        for (date, name) in &self.days {
            let (y, m, d) = date.ymd();
            let _ = write!(
                out,
                "\n/// {date}.\nconst {name}: Day = Day {{\n    days: {},\n    ymd: {},\n}};\n",
                date.days(),
                y * 10_000 + i64::from(m * 100 + d)
            );
        }
        Ok(())
    }

    /// The runtime parts the decision needs.
    pub(super) fn runtime(&self, out: &mut String) {
        out.push('\n');
        out.push_str(runtime::CORE);
        let facts = |want: fn(&Ty) -> bool| self.facts.iter().any(|f| want(&f.ty));
        let defaults = self
            .facts
            .iter()
            .any(|f| f.default.is_some() && !matches!(f.ty, Ty::Int { .. }));
        let parts = [
            (!self.facts.is_empty(), runtime::READ),
            (defaults, runtime::READ_OR),
            (!self.accessors.is_empty(), runtime::NEED),
            (self.uses.shown, runtime::SHOWN),
            (facts(|t| matches!(t, Ty::Id)), runtime::ID),
            (facts(|t| matches!(t, Ty::Text)), runtime::TEXT),
            (facts(|t| matches!(t, Ty::Int { .. })), runtime::INT),
            (self.uses.age, runtime::AGE),
            (self.uses.shift_days, runtime::SHIFT_DAYS),
            (self.uses.shift_months, runtime::SHIFT_MONTHS),
        ];
        for (wanted, text) in parts {
            if wanted {
                out.push_str(text);
            }
        }
    }
}

/// An enumeration of named values: the type, the value's name (`method`), and reading one
/// from a [`Value`] when `read`.
fn enumeration(
    out: &mut String,
    doc: &str,
    name: &str,
    values: &[(String, String)],
    method: &str,
    read: bool,
) {
    let _ = write!(
        out,
        "\n/// {doc}\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum {name} {{"
    );
    out.push_str(if values.is_empty() { "}\n" } else { "\n" });
    for (_, v) in values {
        line(out, 4, &format!("{v},"));
    }
    if !values.is_empty() {
        out.push_str("}\n");
    }
    let _ = write!(
        out,
        "\nimpl {name} {{\n    /// The name the rules give it.\n    pub fn {method}(self) -> &'static str {{\n"
    );
    if values.is_empty() {
        line(out, 8, "match self {}");
    } else {
        line(out, 8, "match self {");
        for (text, v) in values {
            line(out, 12, &format!("Self::{v} => {text:?},"));
        }
        line(out, 8, "}");
    }
    line(out, 4, "}");
    if read {
        let _ = write!(
            out,
            "\n    /// The value the rules write `text`.\n    pub fn parse(text: &str) -> Option<{name}> {{\n        match text {{\n"
        );
        for (text, v) in values {
            line(out, 12, &format!("{text:?} => Some(Self::{v}),"));
        }
        line(out, 12, "_ => None,");
        line(out, 8, "}");
        line(out, 4, "}");
    }
    out.push_str("}\n");
    if read {
        let _ = write!(
            out,
            "\nimpl FromValue<'_> for {name} {{\n\
             \x20   fn from_value(value: Value<'_>, fact: &'static str) -> Result<Self, Error> {{\n\
             \x20       match value {{\n\
             \x20           Value::Text(text) => Self::parse(text).ok_or(Error::UnknownValue(fact)),\n\
             \x20           _ => Err(Error::WrongType(fact)),\n\
             \x20       }}\n\
             \x20   }}\n\
             }}\n"
        );
    }
}

/// A paragraph of the module's documentation, wrapped at the width (a word longer than a
/// line gets a line of its own).
fn doc(out: &mut String, text: &str) {
    let mut current = String::from("//!");
    for word in text.split_whitespace() {
        if current.len() > 3 && current.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&current);
            out.push('\n');
            current = String::from("//!");
        }
        current.push(' ');
        current.push_str(word);
    }
    out.push_str(&current);
    out.push('\n');
}
