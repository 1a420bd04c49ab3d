//! Names and types of expressions: the syntax tree's untyped expressions become typed
//! [`Expr`]s, with located errors for unknown names, unknown values and mismatched types.

use super::model::*;
use super::scope::{DerivedType, Scope};
use super::sink::Diagnostics;
use super::suggest_name as did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::syntax::ast::{self, CompareOp, ExprKind, Literal};

mod comparisons;
use comparisons::{
    Sides, flip, id_literal, incomparable, is_equality, negated_unless, only_equality,
    unknown_value,
};

/// Everything a name in an expression can refer to: the declarations checked so far.
pub struct Env<'a> {
    scope: &'a Scope,
}

/// An expression's typed value while typing.
enum Typed {
    Bool(Expr),
    Int(IntTerm),
    IntConst(i64),
    Date(DateTerm),
    Text(TextTerm),
    /// An identifier fact (`id`); compared only with identifiers and text literals, which
    /// are checked and put in canonical form.
    Id(TextTerm),
    /// An enumeration fact, and its type.
    Enum(FactId, TypeId),
    /// A plain word that is neither a fact nor a derived fact: an enumeration value, if the
    /// other side of a comparison says so.
    Bare(String, Span),
    /// Something already reported in error (a derived fact that failed, a fact whose type is
    /// unknown): whatever uses it stays quiet, so one mistake gives one diagnostic.
    Poisoned,
}

fn kind_name(t: &Typed) -> &'static str {
    match t {
        Typed::Bool(_) => "ett sant/falskt-värde",
        Typed::Int(_) | Typed::IntConst(_) => "ett heltal",
        Typed::Date(_) => "ett datum",
        Typed::Text(_) => "en text",
        Typed::Id(_) => "en identitet",
        Typed::Enum(..) => "ett uppräknat värde",
        Typed::Bare(..) => "ett namn",
        Typed::Poisoned => "ett felaktigt värde",
    }
}

impl<'a> Env<'a> {
    /// Names in expressions resolve against what `scope` declares so far.
    pub fn of(scope: &'a Scope) -> Env<'a> {
        Env { scope }
    }

    /// Every name an expression may use, for "did you mean".
    fn names(&self) -> impl Iterator<Item = &str> {
        self.scope
            .fact_index
            .keys()
            .chain(self.scope.derived_index.keys())
            .map(String::as_str)
    }

    fn enum_values(&self, ty: TypeId) -> Vec<&str> {
        let values = &self.scope.ty(ty).values;
        values.iter().map(|v| v.name.as_str()).collect()
    }

    /// Types a condition: it must be true or false.
    pub fn condition(&self, expr: &ast::Expr, out: &mut Diagnostics) -> Option<Expr> {
        match self.typed(expr, out)? {
            Typed::Bool(e) => Some(e),
            Typed::Poisoned => None,
            other => {
                out.push(self.not_bool(expr.span, &other));
                None
            }
        }
    }

    /// Types a date expression (`visas från …`).
    pub fn date(&self, expr: &ast::Expr, out: &mut Diagnostics) -> Option<DateTerm> {
        match self.typed(expr, out)? {
            Typed::Date(t) => Some(t),
            Typed::Poisoned => None,
            other => {
                out.push(self.mismatch(
                    expr.span,
                    "ett datum",
                    &other,
                    "skriv ett datum, t.ex. `visas från post.datum + 14 dagar`",
                ));
                None
            }
        }
    }

    /// Types a derived fact's definition.
    pub fn derived(&self, expr: &ast::Expr, out: &mut Diagnostics) -> Option<DerivedValue> {
        match self.typed(expr, out)? {
            Typed::Bool(e) => Some(DerivedValue::Bool(e)),
            Typed::Int(t) => Some(DerivedValue::Int(t)),
            Typed::Date(t) => Some(DerivedValue::Date(t)),
            Typed::Poisoned => None,
            other => {
                out.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("ett härlett faktum kan inte vara {}", kind_name(&other)),
                        expr.span,
                        "det här uttrycket",
                    )
                    .with_help("ett härlett faktum räknar fram sant/falskt, ett heltal (som `ålder(…)`) eller ett datum"),
                );
                None
            }
        }
    }

    fn not_bool(&self, span: Span, t: &Typed) -> Diagnostic {
        if let Typed::Bare(name, span) = t {
            return self.unknown_name(name, *span);
        }
        Diagnostic::error(
            Code::TypeMismatch,
            format!("här behövs ett villkor, men det här är {}", kind_name(t)),
            span,
            "inte sant eller falskt",
        )
        .with_help("jämför värdet med något, t.ex. `läsare = patient` eller `patient.ålder >= 16`")
    }

    fn unknown_name(&self, name: &str, span: Span) -> Diagnostic {
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("okänt namn `{name}`"),
            span,
            "inget faktum heter så",
        );
        match did_you_mean(name, self.names()) {
            Some(s) => d.with_help(format!("menade du `{s}`?")),
            None => d.with_help(format!(
                "deklarera det med `fakta {name}: …` eller `härledd {name} = …`"
            )),
        }
    }

    fn typed(&self, expr: &ast::Expr, out: &mut Diagnostics) -> Option<Typed> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(Literal::Bool(b)) => Some(Typed::Bool(Expr::Const(*b))),
            ExprKind::Literal(Literal::Int(n)) => Some(Typed::IntConst(*n)),
            ExprKind::Literal(Literal::Date(d)) => Some(Typed::Date(DateTerm {
                base: DateBase::Literal(*d),
                shifts: Vec::new(),
            })),
            ExprKind::Literal(Literal::Text(t)) => Some(Typed::Text(TextTerm::Literal(t.clone()))),
            ExprKind::Name(name) => Some(self.name(name, span, out)),
            ExprKind::Not(inner) => {
                let e = self.bool_operand(inner, out)?;
                Some(Typed::Bool(Expr::Not(Box::new(e))))
            }
            ExprKind::And(parts) => Some(Typed::Bool(Expr::And(self.bool_operands(parts, out)?))),
            ExprKind::Or(parts) => Some(Typed::Bool(Expr::Or(self.bool_operands(parts, out)?))),
            ExprKind::Shift { base, amount, unit } => match self.typed(base, out)? {
                Typed::Date(mut t) => {
                    t.shifts.push((*amount, *unit));
                    Some(Typed::Date(t))
                }
                Typed::Poisoned => None,
                other => {
                    out.push(self.mismatch(
                        base.span,
                        "ett datum",
                        &other,
                        "bara datum kan flyttas med `+`/`-` dagar, månader eller år",
                    ));
                    None
                }
            },
            ExprKind::Age { birth, on } => {
                let birth = self.date_operand(birth, out);
                let on = self.date_operand(on, out);
                Some(Typed::Int(IntTerm::Age {
                    birth: birth?,
                    on: on?,
                }))
            }
            ExprKind::In {
                lhs,
                values,
                negated,
            } => self.membership(lhs, values, *negated, out),
            ExprKind::Presence { operand, present } => self.presence(operand, *present, out),
            ExprKind::Compare { op, lhs, rhs } => {
                let l = self.typed(lhs, out);
                let r = self.typed(rhs, out);
                let sides = Sides {
                    lhs: lhs.span,
                    rhs: rhs.span,
                    whole: span,
                };
                self.compare(*op, l?, r?, sides, out)
            }
        }
    }

    /// The parts of `och`/`eller`, each a condition; every part is typed, so every mistake
    /// is reported.
    fn bool_operands(&self, parts: &[ast::Expr], out: &mut Diagnostics) -> Option<Vec<Expr>> {
        let mut typed = Vec::new();
        let mut ok = true;
        for p in parts {
            match self.bool_operand(p, out) {
                Some(e) => typed.push(e),
                None => ok = false,
            }
        }
        ok.then_some(typed)
    }

    /// `lhs i {values}`, or with `negated`, `lhs inte i {values}`.
    fn membership(
        &self,
        lhs: &ast::Expr,
        values: &[ast::Ident],
        negated: bool,
        out: &mut Diagnostics,
    ) -> Option<Typed> {
        let typed = self.typed(lhs, out)?;
        if matches!(typed, Typed::Poisoned) {
            return None;
        }
        let Typed::Enum(fact, ty) = typed else {
            out.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    "`i { … }` fungerar bara för uppräknade typer",
                    lhs.span,
                    "inte en uppräknad typ",
                )
                .with_help("skriv `faktum i {värde, värde}` där faktumet har en `typ`"),
            );
            return None;
        };
        let mut set = Vec::new();
        let mut ok = true;
        for v in values {
            match self.enum_value(fact, ty, &v.name, v.span, out) {
                Some(i) => set.push(i),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(Typed::Bool(self.enum_in(fact, ty, set, negated)))
    }

    /// `faktum finns` or `faktum saknas`: only a fact declared `, kan saknas` may be tested.
    fn presence(&self, operand: &ast::Expr, present: bool, out: &mut Diagnostics) -> Option<Typed> {
        let word = if present { "finns" } else { "saknas" };
        let ExprKind::Name(name) = &operand.kind else {
            out.push(
                Diagnostic::error(
                    Code::OptionalFact,
                    format!("`{word}` prövar ett faktum, inte ett uttryck"),
                    operand.span,
                    "inget faktum",
                )
                .with_help(format!(
                    "skriv faktumets namn före `{word}`, t.ex. `vårdförsegling.slutdatum {word}`"
                )),
            );
            return None;
        };
        if out.is_poisoned(name) {
            return None;
        }
        let Some(&id) = self.scope.fact_index.get(name) else {
            let d = if self.scope.derived_index.contains_key(name) {
                Diagnostic::error(
                    Code::OptionalFact,
                    format!("`{name}` är ett härlett faktum och kan inte saknas"),
                    operand.span,
                    "räknas alltid fram",
                )
                .with_help(format!(
                    "pröva i stället om de fakta som `{name}` räknas fram ur finns"
                ))
            } else {
                self.unknown_name(name, operand.span)
            };
            out.push(d);
            return None;
        };
        let fact = self.scope.fact(id);
        if !fact.optional {
            out.push(
                Diagnostic::error(
                    Code::OptionalFact,
                    format!("`{name}` kan inte saknas, så `{word}` går inte att pröva"),
                    operand.span,
                    "ett faktum som alltid anges",
                )
                .with_label(fact.span, "deklareras här utan `, kan saknas`")
                .with_help(format!(
                    "ta bort `{word}`, eller deklarera faktumet `fakta {name}: …, kan saknas` om en begäran får utelämna det"
                )),
            );
            return None;
        }
        Some(Typed::Bool(negated_unless(present, Expr::Present(id))))
    }

    fn name(&self, name: &str, span: Span, out: &Diagnostics) -> Typed {
        if out.is_poisoned(name) {
            return Typed::Poisoned;
        }
        if let Some(&id) = self.scope.fact_index.get(name) {
            return match self.scope.fact(id).ty {
                Type::Bool => Typed::Bool(Expr::BoolFact(id)),
                Type::Int { .. } => Typed::Int(IntTerm::Fact(id)),
                Type::Date => Typed::Date(DateTerm {
                    base: DateBase::Fact(id),
                    shifts: Vec::new(),
                }),
                Type::Text => Typed::Text(TextTerm::Fact(id)),
                Type::Id => Typed::Id(TextTerm::Fact(id)),
                Type::Enum(t) => Typed::Enum(id, t),
            };
        }
        if let Some(&id) = self.scope.derived_index.get(name) {
            return match *at(&self.scope.derived_types, id.index()) {
                Some(DerivedType::Bool) => Typed::Bool(Expr::BoolDerived(id)),
                Some(DerivedType::Int) => Typed::Int(IntTerm::Derived(id)),
                Some(DerivedType::Date) => Typed::Date(DateTerm {
                    base: DateBase::Derived(id),
                    shifts: Vec::new(),
                }),
                // A derived fact in error was reported already.
                None => Typed::Poisoned,
            };
        }
        Typed::Bare(name.to_owned(), span)
    }

    fn bool_operand(&self, expr: &ast::Expr, out: &mut Diagnostics) -> Option<Expr> {
        match self.typed(expr, out)? {
            Typed::Bool(e) => Some(e),
            Typed::Poisoned => None,
            other => {
                out.push(self.not_bool(expr.span, &other));
                None
            }
        }
    }

    fn date_operand(&self, expr: &ast::Expr, out: &mut Diagnostics) -> Option<DateTerm> {
        match self.typed(expr, out)? {
            Typed::Date(t) => Some(t),
            Typed::Poisoned => None,
            other => {
                out.push(self.mismatch(
                    expr.span,
                    "ett datum",
                    &other,
                    "`ålder(födelsedatum, datum)` tar två datum",
                ));
                None
            }
        }
    }

    fn mismatch(&self, span: Span, wanted: &str, got: &Typed, help: &str) -> Diagnostic {
        if let Typed::Bare(name, span) = got {
            return self.unknown_name(name, *span);
        }
        Diagnostic::error(
            Code::TypeMismatch,
            format!("här behövs {wanted}, men det här är {}", kind_name(got)),
            span,
            format!("{} här", kind_name(got)),
        )
        .with_help(help.to_owned())
    }

    /// The index of `value` in the enum `ty` of `fact`, or an error listing the allowed
    /// values.
    fn enum_value(
        &self,
        fact: FactId,
        ty: TypeId,
        value: &str,
        span: Span,
        out: &mut Diagnostics,
    ) -> Option<u16> {
        if let Some(i) = self.scope.value_position(ty, value) {
            return Some(value_index(i));
        }
        let allowed = self.enum_values(ty);
        let d = Diagnostic::error(
            Code::UnknownValue,
            format!("`{}` kan inte vara `{value}`", self.scope.fact(fact).name),
            span,
            "okänt värde",
        );
        out.push(unknown_value(d, value, &allowed));
        None
    }

    fn enum_in(&self, fact: FactId, ty: TypeId, mut set: Vec<u16>, negated: bool) -> Expr {
        set.sort_unstable();
        set.dedup();
        if negated {
            let all = self.scope.ty(ty).values.len();
            set = (0..all)
                .map(value_index)
                .filter(|v| !set.contains(v))
                .collect();
        }
        Expr::EnumIn { fact, values: set }
    }

    /// `lhs op rhs`, each side already typed. Which comparisons exist is one match over
    /// the pair of kinds; each kind of comparison is built by a function of its own.
    fn compare(
        &self,
        op: CompareOp,
        lhs: Typed,
        rhs: Typed,
        sides: Sides,
        out: &mut Diagnostics,
    ) -> Option<Typed> {
        match (lhs, rhs) {
            (Typed::Poisoned, _) | (_, Typed::Poisoned) => None,
            (Typed::Enum(fact, ty), Typed::Bare(value, vspan))
            | (Typed::Bare(value, vspan), Typed::Enum(fact, ty)) => {
                if !is_equality(op) {
                    only_equality("uppräknade värden", sides.whole, out);
                    return None;
                }
                let i = self.enum_value(fact, ty, &value, vspan, out)?;
                let e = self.enum_in(fact, ty, vec![i], op == CompareOp::Ne);
                Some(Typed::Bool(e))
            }
            (Typed::Bool(e), Typed::Bool(Expr::Const(b)))
            | (Typed::Bool(Expr::Const(b)), Typed::Bool(e)) => {
                if !is_equality(op) {
                    only_equality("sant/falskt", sides.whole, out);
                    return None;
                }
                Some(Typed::Bool(negated_unless(b == (op == CompareOp::Eq), e)))
            }
            (Typed::Int(term), Typed::IntConst(value)) => {
                Some(Typed::Bool(Expr::IntCmp { term, op, value }))
            }
            (Typed::IntConst(value), Typed::Int(term)) => Some(Typed::Bool(Expr::IntCmp {
                term,
                op: flip(op),
                value,
            })),
            (Typed::Date(l), Typed::Date(r)) => {
                Some(Typed::Bool(Expr::DateCmp { lhs: l, op, rhs: r }))
            }
            (Typed::Id(id), Typed::Text(TextTerm::Literal(t))) => {
                let literal = Typed::Id(TextTerm::Literal(id_literal(&t, sides.rhs, out)?));
                self.compare(op, Typed::Id(id), literal, sides, out)
            }
            (Typed::Text(TextTerm::Literal(t)), Typed::Id(id)) => {
                let literal = Typed::Id(TextTerm::Literal(id_literal(&t, sides.lhs, out)?));
                self.compare(op, literal, Typed::Id(id), sides, out)
            }
            (Typed::Id(l), Typed::Id(r)) | (Typed::Text(l), Typed::Text(r)) => {
                if !is_equality(op) {
                    only_equality("texter", sides.whole, out);
                    return None;
                }
                let eq = Expr::TextEq { lhs: l, rhs: r };
                Some(Typed::Bool(negated_unless(op == CompareOp::Eq, eq)))
            }
            (Typed::Bare(name, s), _) | (_, Typed::Bare(name, s)) => {
                out.push(self.unknown_name(&name, s));
                None
            }
            (l, r) => {
                out.push(incomparable(&l, &r, sides));
                None
            }
        }
    }

    /// Checks a literal or enum value against a fact's type (defaults, examples).
    pub fn value_for(
        &self,
        ty: Type,
        value: &ast::Value,
        span: Span,
        fact: &str,
        out: &mut Diagnostics,
    ) -> Option<Value> {
        let wanted = match ty {
            Type::Bool => "`sant` eller `falskt`",
            Type::Int { .. } => "ett heltal",
            Type::Date => "ett datum som 2026-05-01",
            Type::Text => "en text inom citattecken",
            Type::Id => "en identitet inom citattecken, t.ex. \"SE2321000024-BUP1\"",
            Type::Enum(_) => "ett av typens värden",
        };
        match (ty, value) {
            (Type::Bool, ast::Value::Literal(Literal::Bool(b))) => Some(Value::Bool(*b)),
            (Type::Int { min, max }, ast::Value::Literal(Literal::Int(n))) => {
                if (min..=max).contains(n) {
                    Some(Value::Int(*n))
                } else {
                    out.push(
                        Diagnostic::error(
                            Code::UnknownValue,
                            format!("`{fact}` måste ligga mellan {min} och {max}"),
                            span,
                            "utanför intervallet",
                        )
                        .with_help(format!("skriv ett tal från {min} till {max}")),
                    );
                    None
                }
            }
            (Type::Date, ast::Value::Literal(Literal::Date(d))) => Some(Value::Date(*d)),
            (Type::Text, ast::Value::Literal(Literal::Text(t))) => Some(Value::Text(t.clone())),
            (Type::Id, ast::Value::Literal(Literal::Text(t))) => {
                id_literal(t, span, out).map(Value::Text)
            }
            (Type::Enum(t), ast::Value::Name(v)) => {
                let allowed = self.enum_values(t);
                if let Some(i) = allowed.iter().position(|a| *a == v.name) {
                    return Some(Value::Enum(value_index(i)));
                }
                let d = Diagnostic::error(
                    Code::UnknownValue,
                    format!("`{fact}` kan inte vara `{}`", v.name),
                    v.span,
                    "okänt värde",
                );
                out.push(unknown_value(d, &v.name, &allowed));
                None
            }
            _ => {
                out.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("`{fact}` behöver {wanted}"),
                        span,
                        "fel sorts värde",
                    )
                    .with_help(format!("skriv {wanted}")),
                );
                None
            }
        }
    }
}
