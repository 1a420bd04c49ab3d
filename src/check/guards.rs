//! Facts that may be absent (`, kan saknas`) are read only where a rule knows they are given.
//!
//! A request may leave such a fact out, and reading its value then is a request error. So a
//! condition must test `finns` (or `saknas`) before it reads the value, the way it is
//! evaluated: left to right, `och` and `eller` stopping as soon as the answer is known. This
//! pass follows that order through an expression and knows, after each part, which facts are
//! given when the part is true and when it is false:
//!
//! - `f finns` is true only when `f` is given; `f saknas` only when it is not;
//! - reading `f`'s value gives `f` either way (had it been absent, evaluation would have
//!   stopped with an error);
//! - in `a och b`, `b` is read only when `a` is true; in `a eller b`, only when `a` is false.
//!
//! A derived fact that reads such a fact without a test passes the read on to each use.

use super::model::FactId;
use super::scope::Scope;
use super::sink::Diagnostics;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::syntax::ast::{self, ExprKind};
use std::collections::BTreeSet;

pub type Facts = BTreeSet<FactId>;

/// What is known once an expression has been evaluated: the facts that may be absent which
/// are known to be given when it was true, and when it was false.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    pub if_true: Facts,
    pub if_false: Facts,
}

impl Known {
    /// The same facts known whatever the value.
    fn either(facts: Facts) -> Known {
        Known {
            if_true: facts.clone(),
            if_false: facts,
        }
    }

    /// Facts known whatever the value was.
    fn always(&self) -> Facts {
        self.if_true.intersection(&self.if_false).copied().collect()
    }
}

/// Follows expressions, reporting (or collecting) the reads of facts that may be absent.
pub struct Guard<'s, 'o> {
    scope: &'s Scope,
    out: Option<&'o mut Diagnostics>,
    /// The facts read without a test, each once.
    pub unguarded: Facts,
}

impl<'s, 'o> Guard<'s, 'o> {
    /// Reports each unguarded read as an error.
    pub fn reporting(scope: &'s Scope, out: &'o mut Diagnostics) -> Guard<'s, 'o> {
        Guard {
            scope,
            out: Some(out),
            unguarded: Facts::new(),
        }
    }

    /// Collects the unguarded reads (of a derived fact's definition) without reporting.
    pub fn collecting(scope: &'s Scope) -> Guard<'s, 'o> {
        Guard {
            scope,
            out: None,
            unguarded: Facts::new(),
        }
    }

    /// Follows `e`, evaluated where the facts in `known` are given.
    pub fn expr(&mut self, e: &ast::Expr, known: &Facts) -> Known {
        match &e.kind {
            ExprKind::Literal(_) => Known::default(),
            ExprKind::Name(name) => Known::either(self.read(name, e.span, known)),
            ExprKind::Presence { operand, present } => {
                let ExprKind::Name(name) = &operand.kind else {
                    return Known::default();
                };
                let Some(&f) = self.scope.fact_index.get(name) else {
                    return Known::default();
                };
                let given: Facts = [f].into();
                if *present {
                    Known {
                        if_true: given,
                        if_false: Facts::new(),
                    }
                } else {
                    Known {
                        if_true: Facts::new(),
                        if_false: given,
                    }
                }
            }
            ExprKind::Not(inner) => {
                let k = self.expr(inner, known);
                Known {
                    if_true: k.if_false,
                    if_false: k.if_true,
                }
            }
            ExprKind::And(parts) => self.chain(parts, known, true),
            ExprKind::Or(parts) => self.chain(parts, known, false),
            ExprKind::Compare { lhs, rhs, .. } => self.sequence(&[&**lhs, &**rhs], known),
            ExprKind::Age { birth, on } => self.sequence(&[&**birth, &**on], known),
            ExprKind::In { lhs, .. } => Known::either(self.expr(lhs, known).always()),
            ExprKind::Shift { base, .. } => self.expr(base, known),
        }
    }

    /// `a och b och …` (`is_and`) or `a eller b eller …`: each part is read only while the
    /// answer is still open, so it knows what the parts before it gave.
    fn chain(&mut self, parts: &[ast::Expr], known: &Facts, is_and: bool) -> Known {
        // Facts given on the way to the next part: every part before it was true (`och`) or
        // false (`eller`).
        let mut on_the_way = Facts::new();
        // Facts given when the chain stops early at some part; the same at every part only.
        let mut stopped: Option<Facts> = None;
        for part in parts {
            let context: Facts = known.union(&on_the_way).copied().collect();
            let k = self.expr(part, &context);
            let (continues, stops) = if is_and {
                (k.if_true, k.if_false)
            } else {
                (k.if_false, k.if_true)
            };
            let here: Facts = on_the_way.union(&stops).copied().collect();
            stopped = Some(match stopped {
                None => here,
                Some(before) => before.intersection(&here).copied().collect(),
            });
            on_the_way.extend(continues);
        }
        let stopped = stopped.unwrap_or_default();
        if is_and {
            Known {
                if_true: on_the_way,
                if_false: stopped,
            }
        } else {
            Known {
                if_true: stopped,
                if_false: on_the_way,
            }
        }
    }

    /// Operands read one after the other (the sides of a comparison, `ålder`'s arguments).
    fn sequence(&mut self, operands: &[&ast::Expr], known: &Facts) -> Known {
        let mut given = Facts::new();
        for operand in operands {
            let context: Facts = known.union(&given).copied().collect();
            given.extend(self.expr(operand, &context).always());
        }
        Known::either(given)
    }

    /// The value of `name` is read: the facts that may be absent it reads, each reported
    /// (or collected) where it is not known to be given.
    fn read(&mut self, name: &str, span: Span, known: &Facts) -> Facts {
        let scope = self.scope;
        if let Some(&f) = scope.fact_index.get(name) {
            if !scope.fact(f).may_be_absent() {
                return Facts::new();
            }
            if !known.contains(&f) {
                self.unguarded_read(f, span, None);
            }
            return [f].into();
        }
        let Some(&d) = scope.derived_index.get(name) else {
            return Facts::new();
        };
        let reads = scope.derived_reads(d).clone();
        for &f in reads.difference(known) {
            self.unguarded_read(f, span, Some(name));
        }
        reads
    }

    /// Reports `f`, read at `span` (through the derived fact `via`), once per guard.
    fn unguarded_read(&mut self, f: FactId, span: Span, via: Option<&str>) {
        if !self.unguarded.insert(f) {
            return;
        }
        let Some(out) = self.out.as_deref_mut() else {
            return;
        };
        let fact = self.scope.fact(f);
        let name = &fact.name;
        let label = match via {
            None => "läses här".to_owned(),
            Some(derived) => format!("läses här genom `{derived}`"),
        };
        out.push(
            Diagnostic::error(
                Code::OptionalFact,
                format!("`{name}` kan saknas, men läses här utan att villkoret först prövar att det finns"),
                span,
                label,
            )
            .with_label(fact.span, "deklareras med `, kan saknas`")
            .with_help(format!(
                "pröva först om faktumet finns, t.ex. `{name} saknas eller …` eller `{name} finns och …`; en begäran utan det ger annars fel"
            )),
        );
    }
}
