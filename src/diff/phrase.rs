//! A condition on a shared column, said the way a jurist writes it: `läsare = vårdnadshavare`,
//! `patient.ålder är 0–12`, `post.datum >= 2019-10-01`, `inte vårdnadshavare.blockerad`.

use super::model::Condition;
use super::space::{Cells, Kind, Shared, interval_label};
use crate::syntax::ast::CompareOp;
use crate::table::expr::show;
use crate::table::{BoolExpr, IntExpr};

pub fn condition(s: &Shared, cells: &Cells) -> Condition {
    let values: Vec<String> = cells
        .iter()
        .filter_map(|i| s.labels.get(i))
        .cloned()
        .collect();
    let text = match &s.kind {
        Kind::Enum(_) => enumeration(s, cells, &values),
        Kind::Int(term) => format!(
            "{} är {}",
            s.name,
            ranges(s, cells, matches!(term, IntExpr::Age(..)))
        ),
        Kind::Bool(_) => truth(&s.name, None, cells),
        Kind::Presence(fact) => match values.as_slice() {
            [one] => format!("{fact} {one}"),
            _ => format!("{fact} finns eller saknas"),
        },
        Kind::Pred(e) => truth(&s.name, Some(e), cells),
    };
    Condition {
        column: s.name.clone(),
        values,
        text,
    }
}

fn enumeration(s: &Shared, cells: &Cells, values: &[String]) -> String {
    let others: Vec<&String> = s
        .labels
        .iter()
        .enumerate()
        .filter(|(i, _)| !cells.contains(*i))
        .map(|(_, l)| l)
        .collect();
    let join = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    let chosen: Vec<&String> = values.iter().collect();
    match (chosen.as_slice(), others.as_slice()) {
        ([one], _) => format!("{} = {one}", s.name),
        (_, [one]) => format!("{} ≠ {one}", s.name),
        (many, rest) if rest.len() < many.len() => {
            format!("{} inte i {{{}}}", s.name, join(rest))
        }
        (many, _) => format!("{} i {{{}}}", s.name, join(many)),
    }
}

/// Adjacent cells read as one range: `0–15`, `13 eller mer`.
fn ranges(s: &Shared, cells: &Cells, open_ended: bool) -> String {
    let last_hi = s.intervals.last().map(|(_, h)| *h);
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for (i, (lo, hi)) in s.intervals.iter().enumerate() {
        if !cells.contains(i) {
            continue;
        }
        match runs.last_mut() {
            Some((_, h)) if h.saturating_add(1) == *lo => *h = *hi,
            _ => runs.push((*lo, *hi)),
        }
    }
    runs.iter()
        .map(|(lo, hi)| interval_label(*lo, *hi, open_ended && Some(*hi) == last_hi))
        .collect::<Vec<_>>()
        .join(" eller ")
}

fn truth(name: &str, expr: Option<&BoolExpr>, cells: &Cells) -> String {
    let holds = cells.contains(1);
    if holds {
        return name.to_owned();
    }
    match expr {
        Some(e) if show::bool_expr(e) == name => negate(e),
        _ => format!("inte {name}"),
    }
}

fn negate(e: &BoolExpr) -> String {
    let flip = |op: CompareOp| match op {
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Ge => CompareOp::Lt,
    };
    match e {
        BoolExpr::DateCmp(l, op, r) => {
            show::bool_expr(&BoolExpr::DateCmp(l.clone(), flip(*op), r.clone()))
        }
        BoolExpr::IntCmp(t, op, v) => show::bool_expr(&BoolExpr::IntCmp(t.clone(), flip(*op), *v)),
        BoolExpr::TextEq(l, r) => format!("{} ≠ {}", show::text_expr(l), show::text_expr(r)),
        BoolExpr::Not(inner) => show::bool_expr(inner),
        BoolExpr::Fact(f) => format!("inte {f}"),
        other => format!("inte ({})", show::bool_expr(other)),
    }
}
