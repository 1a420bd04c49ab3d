//! Comparisons as written: their operators turned around or negated, identifier literals
//! in canonical form, and the errors a comparison that cannot be made gives.

use super::{Typed, kind_name};
use crate::check::model::Expr;
use crate::check::sink::Diagnostics;
use crate::check::suggest_name as did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::syntax::ast::CompareOp;

/// A text literal compared with an identifier, in canonical form; a malformed one is an
/// error here rather than a comparison that can never hold.
pub(super) fn id_literal(text: &str, span: Span, out: &mut Diagnostics) -> Option<String> {
    match crate::table::ident::canonical(text) {
        Ok(id) => Some(id),
        Err(e) => {
            out.push(
                Diagnostic::error(
                    Code::InvalidLiteral,
                    format!("\"{text}\" är ingen giltig identitet"),
                    span,
                    e.to_string(),
                )
                .with_help("skriv identiteten utan mellanslag, t.ex. \"SE2321000024-BUP1\""),
            );
            None
        }
    }
}

/// Where a comparison and its two sides were written.
#[derive(Clone, Copy)]
pub(super) struct Sides {
    pub(super) lhs: Span,
    pub(super) rhs: Span,
    pub(super) whole: Span,
}

pub(super) fn is_equality(op: CompareOp) -> bool {
    matches!(op, CompareOp::Eq | CompareOp::Ne)
}

/// The same comparison with its sides swapped: `16 <= ålder` is `ålder >= 16`.
pub(super) fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

/// `e` if `positive`, else `inte e`.
pub(super) fn negated_unless(positive: bool, e: Expr) -> Expr {
    if positive { e } else { Expr::Not(Box::new(e)) }
}

pub(super) fn only_equality(what: &str, span: Span, out: &mut Diagnostics) {
    out.push(
        Diagnostic::error(
            Code::TypeMismatch,
            format!("{what} kan bara jämföras med `=` eller `≠`"),
            span,
            "här",
        )
        .with_help("skriv `=` eller `≠`"),
    );
}

/// Two sides no comparison joins, with help for the kinds at hand.
pub(super) fn incomparable(l: &Typed, r: &Typed, sides: Sides) -> Diagnostic {
    if let (Typed::Int(_), Typed::Int(_)) = (l, r) {
        return Diagnostic::error(
            Code::TypeMismatch,
            "två heltal som båda beror på fakta kan inte jämföras",
            sides.whole,
            "här",
        )
        .with_label(sides.rhs, "jämför med ett tal i stället")
        .with_help("jämför ett heltal med ett fast tal, t.ex. `patient.ålder >= 16`");
    }
    let help = match (l, r) {
        (Typed::Date(_), Typed::IntConst(_)) | (Typed::IntConst(_), Typed::Date(_)) => {
            "jämför ett datum med ett datum, t.ex. `post.datum < 2019-10-01`; en ålder räknas med `ålder(födelsedatum, datum)`"
        }
        (Typed::Id(_), Typed::Text(_)) | (Typed::Text(_), Typed::Id(_)) => {
            "en identitet jämförs med en annan identitet eller ett id inom citattecken; deklarera båda fakta som `id`"
        }
        (Typed::Enum(..), _) | (_, Typed::Enum(..)) => {
            "jämför ett uppräknat faktum med ett av dess värden"
        }
        _ => "båda sidor av en jämförelse måste ha samma typ",
    };
    Diagnostic::error(
        Code::TypeMismatch,
        format!("kan inte jämföra {} med {}", kind_name(l), kind_name(r)),
        sides.rhs,
        kind_name(r),
    )
    .with_label(sides.lhs, kind_name(l))
    .with_help(help)
}

/// An unknown enumeration value, with the closest allowed one and all of them.
pub(super) fn unknown_value(d: Diagnostic, value: &str, allowed: &[&str]) -> Diagnostic {
    match did_you_mean(value, allowed.iter().copied()) {
        Some(s) => d.with_help(format!(
            "menade du `{s}`? tillåtna värden: {}",
            allowed.join(", ")
        )),
        None => d.with_help(format!("tillåtna värden: {}", allowed.join(", "))),
    }
}
