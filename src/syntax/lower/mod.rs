//! pest pairs to the typed syntax tree: one `lower_<rule>` function per grammar rule.
//! Declarations are lowered in [`decls`], expressions in [`expr`]; the helpers they share
//! (spans, names, literals, outcomes) are here.

mod decls;
mod expr;

use super::ast::*;
use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::FileId;
use crate::time::Date;
use pest::iterators::{Pair, Pairs};

/// Lowers a parsed file. Returns the tree and the problems found while lowering (invalid
/// literals, clauses written twice).
pub(super) fn lower_file(file: FileId, mut pairs: Pairs<'_, Rule>) -> (File, Vec<Diagnostic>) {
    let mut lower = Lower {
        file,
        diagnostics: Vec::new(),
    };
    let items = match pairs.next() {
        Some(root) => root
            .into_inner()
            .filter(|p| p.as_rule() != Rule::EOI)
            .map(|p| lower.item(p))
            .collect(),
        None => Vec::new(),
    };
    (
        File {
            items,
            skipped: Vec::new(),
        },
        lower.diagnostics,
    )
}

/// The length of `text` without trailing whitespace and trailing comments.
fn written_len(text: &str) -> usize {
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let line = text.get(line_start..).unwrap_or("");
        // A `#` after an even number of quotes on its line starts a comment.
        let comment = line
            .char_indices()
            .filter(|(_, c)| *c == '#')
            .map(|(i, _)| i)
            .find(|&i| {
                line.get(..i)
                    .is_some_and(|before| before.matches('"').count() % 2 == 0)
            });
        match comment {
            Some(i) => text = text.get(..line_start + i).unwrap_or("").trim_end(),
            None => return text.len(),
        }
    }
}

struct Lower {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

impl Lower {
    /// The pair's span without the spaces and comments pest lets a rule end with, so a
    /// label under a condition stops where the condition does.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let start = pair.as_span().start();
        let end = start + written_len(pair.as_str());
        Span::new(
            self.file,
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(end).unwrap_or(u32::MAX),
        )
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            span: self.span(&pair),
            name: pair.as_str().to_owned(),
        }
    }

    fn text(&self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            unreachable!("string: always holds a string_inner, if empty")
        };
        Text {
            value: inner.as_str().to_owned(),
            span,
        }
    }

    fn duplicate(&mut self, what: &str, first: Span, again: Span) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::DuplicateClause,
                format!("{what} står två gånger"),
                again,
                "andra gången",
            )
            .with_label(first, "första gången")
            .with_help(format!(
                "behåll en av raderna; {what} får bara stå en gång här"
            )),
        );
    }

    fn set_once<T>(
        &mut self,
        slot: &mut Option<T>,
        value: T,
        what: &str,
        span_of: impl Fn(&T) -> Span,
    ) {
        match slot {
            Some(first) => {
                let first = span_of(first);
                self.duplicate(what, first, span_of(&value));
            }
            None => *slot = Some(value),
        }
    }

    fn item(&mut self, pair: Pair<Rule>) -> Item {
        match pair.as_rule() {
            Rule::header => Item::Header(self.lower_header(pair)),
            Rule::type_decl => Item::Type(self.lower_type_decl(pair)),
            Rule::fact_decl => Item::Fact(self.lower_fact_decl(pair)),
            Rule::derived_decl => Item::Derived(self.lower_derived_decl(pair)),
            Rule::decision_decl => Item::Decision(self.lower_decision_decl(pair)),
            Rule::rule_decl => Item::Rule(self.lower_rule_decl(pair)),
            Rule::deviation_decl => Item::Deviation(self.lower_deviation_decl(pair)),
            Rule::invariant_decl => Item::Invariant(self.lower_invariant_decl(pair)),
            Rule::example_decl => Item::Example(self.lower_example_decl(pair)),
            rule => unreachable!("item: {rule:?}"),
        }
    }

    fn values(&self, pair: Pair<Rule>) -> Vec<Ident> {
        pair.into_inner().map(|p| self.ident(p)).collect()
    }

    /// A value in a default or example: a literal or an enumeration value.
    fn lower_value(&mut self, pair: Pair<Rule>) -> Option<Value> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::literal => self.lower_literal(inner).map(Value::Literal),
            Rule::value => Some(Value::Name(self.ident(inner))),
            rule => unreachable!("default_value: {rule:?}"),
        }
    }

    fn lower_integer(&mut self, pair: Pair<Rule>) -> Option<i64> {
        match pair.as_str().parse::<i64>() {
            Ok(n) if n <= 1_000_000_000 => Some(n),
            _ => {
                let span = self.span(&pair);
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidLiteral,
                        format!("talet `{}` är för stort", pair.as_str()),
                        span,
                        "för stort tal",
                    )
                    .with_help("skriv ett tal som är högst 1000000000"),
                );
                None
            }
        }
    }

    fn lower_literal(&mut self, pair: Pair<Rule>) -> Option<Literal> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::date => match Date::parse(inner.as_str()) {
                Some(d) => Some(Literal::Date(d)),
                None => {
                    let span = self.span(&inner);
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidLiteral,
                            format!("`{}` är inget datum som finns", inner.as_str()),
                            span,
                            "den här dagen finns inte i kalendern",
                        )
                        .with_help("skriv år-månad-dag med en dag som finns, t.ex. 2026-02-28"),
                    );
                    None
                }
            },
            Rule::integer => self.lower_integer(inner).map(Literal::Int),
            Rule::string => Some(Literal::Text(self.text(inner).value)),
            Rule::truth => {
                let is_true = inner
                    .into_inner()
                    .next()
                    .is_some_and(|p| p.as_rule() == Rule::kw_sant);
                Some(Literal::Bool(is_true))
            }
            rule => unreachable!("literal: {rule:?}"),
        }
    }

    fn lower_outcome(&mut self, pair: Pair<Rule>) -> Outcome {
        let span = self.span(&pair);
        let mut idents = pair.into_inner().filter(|p| p.as_rule() == Rule::value);
        let value = idents.next().map(|p| self.ident(p)).unwrap_or(Ident {
            name: String::new(),
            span,
        });
        let reason = idents.next().map(|p| self.ident(p));
        Outcome {
            value,
            reason,
            shown_from: None,
            span,
        }
    }

    /// `visas från DATUMUTTRYCK`: the expression after the keywords.
    fn lower_shown_from(&mut self, pair: Pair<Rule>) -> Option<Box<Expr>> {
        let sum = pair.into_inner().find(|p| p.as_rule() == Rule::sum)?;
        Some(Box::new(self.lower_sum(sum)))
    }

    /// The date of `gäller från DATUM` or `gäller till och med DATUM`; an impossible date was
    /// reported.
    fn lower_date_clause(&mut self, pair: Pair<Rule>) -> Option<DateClause> {
        let span = self.span(&pair);
        let date = pair.into_inner().find(|p| p.as_rule() == Rule::date)?;
        match Date::parse(date.as_str()) {
            Some(date) => Some(DateClause { date, span }),
            None => {
                let at = self.span(&date);
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidLiteral,
                        format!("`{}` är inget datum som finns", date.as_str()),
                        at,
                        "den här dagen finns inte i kalendern",
                    )
                    .with_help("skriv år-månad-dag med en dag som finns, t.ex. 2026-02-28"),
                );
                None
            }
        }
    }

    /// The `standard …` clause's outcome.
    fn lower_default_clause(&mut self, pair: Pair<Rule>) -> Option<Outcome> {
        let outcome = pair.into_inner().find(|p| p.as_rule() == Rule::outcome)?;
        Some(self.lower_outcome(outcome))
    }

    fn lower_source_clause(&mut self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        pair.into_inner()
            .find(|p| p.as_rule() == Rule::string)
            .map(|p| self.text(p))
            .unwrap_or(Text {
                value: String::new(),
                span,
            })
    }
}
