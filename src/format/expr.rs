//! Conditions in canonical form: one line when they fit, otherwise one operand of the
//! outermost `och`/`eller` per line, the operator first and aligned under the first operand.
//! Parentheses are written exactly where the tree needs them, so the text parses back to
//! the same tree.

use super::lines::{Lines, WIDTH};
use crate::syntax::ast::*;

/// How tightly an expression binds: an operand that binds more loosely than its place
/// needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    Or,
    And,
    Not,
    Compare,
    Sum,
    Term,
}

fn prec(e: &Expr) -> Prec {
    match &e.kind {
        ExprKind::Or(_) => Prec::Or,
        ExprKind::And(_) => Prec::And,
        ExprKind::Not(_) => Prec::Not,
        ExprKind::Compare { .. } | ExprKind::In { .. } | ExprKind::Presence { .. } => Prec::Compare,
        ExprKind::Shift { .. } => Prec::Sum,
        ExprKind::Age { .. } | ExprKind::Name(_) | ExprKind::Literal(_) => Prec::Term,
    }
}

pub(super) fn literal(l: &Literal) -> String {
    match l {
        Literal::Bool(true) => "sant".to_owned(),
        Literal::Bool(false) => "falskt".to_owned(),
        Literal::Int(n) => n.to_string(),
        Literal::Date(d) => d.to_string(),
        Literal::Text(t) => format!("\"{t}\""),
    }
}

/// `e` on one line, in parentheses if it binds more loosely than `need`.
pub(super) fn flat(e: &Expr, need: Prec) -> String {
    let text = match &e.kind {
        ExprKind::Or(parts) => join(parts, " eller ", Prec::And),
        ExprKind::And(parts) => join(parts, " och ", Prec::Not),
        ExprKind::Not(inner) => format!("inte {}", flat(inner, Prec::Compare)),
        ExprKind::Compare { op, lhs, rhs } => format!(
            "{} {} {}",
            flat(lhs, Prec::Sum),
            op.symbol(),
            flat(rhs, Prec::Sum)
        ),
        ExprKind::In {
            lhs,
            values,
            negated,
        } => {
            let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
            let not = if *negated { "inte " } else { "" };
            format!("{} {not}i {{{}}}", flat(lhs, Prec::Sum), names.join(", "))
        }
        ExprKind::Presence { operand, present } => {
            let word = if *present { "finns" } else { "saknas" };
            format!("{} {word}", flat(operand, Prec::Sum))
        }
        ExprKind::Shift { base, amount, unit } => {
            let sign = if *amount < 0 { '-' } else { '+' };
            format!(
                "{} {sign} {} {}",
                flat(base, Prec::Sum),
                amount.unsigned_abs(),
                unit.word(*amount)
            )
        }
        ExprKind::Age { birth, on } => {
            format!("ålder({}, {})", flat(birth, Prec::Or), flat(on, Prec::Or))
        }
        ExprKind::Name(name) => name.clone(),
        ExprKind::Literal(l) => literal(l),
    };
    if prec(e) < need {
        format!("({text})")
    } else {
        text
    }
}

fn join(parts: &[Expr], sep: &str, need: Prec) -> String {
    let parts: Vec<String> = parts.iter().map(|p| flat(p, need)).collect();
    parts.join(sep)
}

/// Whether the comments on a chain's operands need it broken: a comment before any
/// operand but the first, or after any operand but the last, stays beside it.
fn comments_break(lines: &Lines, parts: &[Expr]) -> bool {
    let last = parts.len().saturating_sub(1);
    parts.iter().enumerate().any(|(i, p)| {
        lines.peek(p.span).is_some_and(|a| {
            (i > 0 && !a.leading.is_empty()) || (i < last && !a.trailing.is_empty())
        })
    })
}

/// Whether comments force a break in `e` or anything inside it. A chain with a broken
/// operand is broken too, so no operator follows a broken operand on its last line.
fn forced(lines: &Lines, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Or(parts) | ExprKind::And(parts) => {
            comments_break(lines, parts) || parts.iter().any(|p| forced(lines, p))
        }
        ExprKind::Not(inner) => forced(lines, inner),
        ExprKind::Compare { lhs, rhs, .. } => forced(lines, lhs) || forced(lines, rhs),
        ExprKind::In { .. }
        | ExprKind::Presence { .. }
        | ExprKind::Shift { .. }
        | ExprKind::Age { .. }
        | ExprKind::Name(_)
        | ExprKind::Literal(_) => false,
    }
}

/// Whether `e` must be broken over lines when written at the current column.
pub(super) fn must_break(lines: &mut Lines, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Or(_) | ExprKind::And(_) => {
            forced(lines, e) || lines.column() + flat(e, Prec::Or).chars().count() > WIDTH
        }
        _ => forced(lines, e),
    }
}

/// Writes `e` from the current column, breaking chains that do not fit.
pub(super) fn write(lines: &mut Lines, e: &Expr, need: Prec) {
    let parens = prec(e) < need;
    if parens {
        lines.write("(");
    }
    match &e.kind {
        ExprKind::Or(parts) => chain(lines, e, parts, "eller", Prec::And),
        ExprKind::And(parts) => chain(lines, e, parts, "och", Prec::Not),
        ExprKind::Not(inner) => {
            lines.write("inte ");
            write(lines, inner, Prec::Compare);
        }
        ExprKind::Compare { op, lhs, rhs } => {
            write(lines, lhs, Prec::Sum);
            lines.write(&format!(" {} ", op.symbol()));
            write(lines, rhs, Prec::Sum);
        }
        ExprKind::In { .. }
        | ExprKind::Presence { .. }
        | ExprKind::Shift { .. }
        | ExprKind::Age { .. }
        | ExprKind::Name(_)
        | ExprKind::Literal(_) => {
            lines.write(&flat(e, Prec::Or));
            lines.drain(e.span);
        }
    }
    if parens {
        lines.write(")");
    }
}

fn chain(lines: &mut Lines, e: &Expr, parts: &[Expr], op: &str, need: Prec) {
    let broken = must_break(lines, e);
    let column = lines.column();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            if broken {
                lines.line(column);
                lines.write(op);
                lines.write(" ");
            } else {
                lines.write(&format!(" {op} "));
            }
        }
        lines.enter(part.span, false);
        write(lines, part, need);
        lines.leave(part.span);
    }
}
