//! Expressions: `eller` over `och` over `inte` over comparisons, date shifts and terms.

use super::Lower;
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;
use crate::time::{Date, Unit};
use pest::iterators::Pair;

impl Lower {
    pub(super) fn lower_expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        match pair.into_inner().next() {
            Some(inner) => self.lower_disjunction(inner),
            None => Expr {
                kind: ExprKind::Literal(Literal::Bool(false)),
                span,
            },
        }
    }

    /// `a eller b eller c` and `a och b och c`: flat lists.
    fn lower_chain(&mut self, pair: Pair<Rule>, is_or: bool) -> Expr {
        let span = self.span(&pair);
        let mut parts: Vec<Expr> = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_eller | Rule::kw_och => {}
                Rule::conjunction => parts.push(self.lower_chain(p, false)),
                Rule::negation => parts.push(self.lower_negation(p)),
                rule => unreachable!("chain: {rule:?}"),
            }
        }
        if parts.len() == 1 {
            return parts.pop().unwrap_or(Expr {
                kind: ExprKind::Literal(Literal::Bool(true)),
                span,
            });
        }
        let kind = if is_or {
            ExprKind::Or(parts)
        } else {
            ExprKind::And(parts)
        };
        Expr { kind, span }
    }

    fn lower_disjunction(&mut self, pair: Pair<Rule>) -> Expr {
        self.lower_chain(pair, true)
    }

    fn lower_negation(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let mut nots = 0usize;
        let mut inner = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_inte => nots += 1,
                Rule::comparison => inner = Some(self.lower_comparison(p)),
                rule => unreachable!("negation: {rule:?}"),
            }
        }
        let expr = inner.unwrap_or(Expr {
            kind: ExprKind::Literal(Literal::Bool(false)),
            span,
        });
        // `inte inte a` is `a`: folding the pairs keeps the tree shallow however many are written.
        if nots % 2 == 1 {
            Expr {
                kind: ExprKind::Not(Box::new(expr)),
                span,
            }
        } else {
            expr
        }
    }

    fn lower_comparison(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let lhs = match inner.next() {
            Some(p) => self.lower_sum(p),
            None => {
                return Expr {
                    kind: ExprKind::Literal(Literal::Bool(false)),
                    span,
                };
            }
        };
        let Some(next) = inner.next() else {
            return lhs;
        };
        match next.as_rule() {
            Rule::presence => {
                let present = next
                    .into_inner()
                    .next()
                    .is_some_and(|p| p.as_rule() == Rule::kw_finns);
                Expr {
                    kind: ExprKind::Presence {
                        operand: Box::new(lhs),
                        present,
                    },
                    span,
                }
            }
            Rule::membership => {
                let mut negated = false;
                let mut values = Vec::new();
                for q in next.into_inner() {
                    match q.as_rule() {
                        Rule::kw_inte => negated = true,
                        Rule::kw_i => {}
                        Rule::value_list => values = self.values(q),
                        rule => unreachable!("membership: {rule:?}"),
                    }
                }
                Expr {
                    kind: ExprKind::In {
                        lhs: Box::new(lhs),
                        values,
                        negated,
                    },
                    span,
                }
            }
            Rule::compare_op => {
                let op = match next.as_str() {
                    "=" => CompareOp::Eq,
                    "≠" | "!=" => CompareOp::Ne,
                    "<" => CompareOp::Lt,
                    "<=" | "≤" => CompareOp::Le,
                    ">" => CompareOp::Gt,
                    ">=" | "≥" => CompareOp::Ge,
                    other => unreachable!("compare_op: {other}"),
                };
                let rhs = match inner.next() {
                    Some(p) => self.lower_sum(p),
                    None => Expr {
                        kind: ExprKind::Literal(Literal::Bool(false)),
                        span,
                    },
                };
                Expr {
                    kind: ExprKind::Compare {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                }
            }
            rule => unreachable!("comparison: {rule:?}"),
        }
    }

    pub(super) fn lower_sum(&mut self, pair: Pair<Rule>) -> Expr {
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else {
            unreachable!("sum without a term")
        };
        let mut expr = self.lower_term(first);
        let mut sign = 1i64;
        for p in inner {
            match p.as_rule() {
                Rule::shift_op => sign = if p.as_str() == "-" { -1 } else { 1 },
                Rule::duration => {
                    let span = expr.span.to(self.span(&p));
                    let mut amount = 0;
                    let mut unit = Unit::Days;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            // A number too large was reported; no shift stands in.
                            Rule::integer => amount = self.lower_integer(q).unwrap_or(0),
                            Rule::unit => {
                                unit = match q.as_str() {
                                    "dag" | "dagar" => Unit::Days,
                                    "månad" | "månader" => Unit::Months,
                                    _ => Unit::Years,
                                }
                            }
                            rule => unreachable!("duration: {rule:?}"),
                        }
                    }
                    expr = Expr {
                        kind: ExprKind::Shift {
                            base: Box::new(expr),
                            amount: sign * amount,
                            unit,
                        },
                        span,
                    };
                }
                rule => unreachable!("sum: {rule:?}"),
            }
        }
        expr
    }

    fn lower_term(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            unreachable!("empty term")
        };
        match inner.as_rule() {
            Rule::paren => match inner.into_inner().find(|p| p.as_rule() == Rule::expr) {
                Some(e) => {
                    let mut expr = self.lower_expr(e);
                    expr.span = span;
                    expr
                }
                None => Expr {
                    kind: ExprKind::Literal(Literal::Bool(false)),
                    span,
                },
            },
            Rule::age_call => {
                let mut args = inner.into_inner().filter(|p| p.as_rule() == Rule::expr);
                let mut next_arg = |l: &mut Self| match args.next() {
                    Some(e) => l.lower_expr(e),
                    None => Expr {
                        kind: ExprKind::Literal(Literal::Bool(false)),
                        span,
                    },
                };
                let birth = next_arg(self);
                let on = next_arg(self);
                Expr {
                    kind: ExprKind::Age {
                        birth: Box::new(birth),
                        on: Box::new(on),
                    },
                    span,
                }
            }
            Rule::literal => {
                let kind = inner.clone().into_inner().next().map(|p| p.as_rule());
                match self.lower_literal(inner) {
                    Some(l) => Expr {
                        kind: ExprKind::Literal(l),
                        span,
                    },
                    // An invalid literal was reported. A stand-in of the same kind keeps the
                    // tree well-formed without a second, misleading type error.
                    None => {
                        let stand_in = match kind {
                            Some(Rule::date) => Literal::Date(Date::from_days(0)),
                            Some(Rule::integer) => Literal::Int(0),
                            _ => Literal::Bool(true),
                        };
                        Expr {
                            kind: ExprKind::Literal(stand_in),
                            span,
                        }
                    }
                }
            }
            Rule::name => Expr {
                kind: ExprKind::Name(inner.as_str().to_owned()),
                span,
            },
            rule => unreachable!("term: {rule:?}"),
        }
    }
}
