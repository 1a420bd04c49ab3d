//! The declaration passes: `typ`, `fakta` and `härledd`, national first, then the region's.
//! A region may not declare a national name again; it changes a national definition only
//! through an `avsteg`.

use super::{ParsedFile, interpretations, items};
use crate::check::cycles::{cycles, dependency_order};
use crate::check::guards::Guard;
use crate::check::model::*;
use crate::check::scope::{DerivedType, Scope};
use crate::check::sink::Diagnostics;
use crate::check::suggest_name;
use crate::check::types::Env;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, Change, Item};
use std::collections::{BTreeSet, HashMap};

pub(super) fn declare_types(scope: &mut Scope, files: &[ParsedFile], out: &mut Diagnostics) {
    for item in items(files) {
        let Item::Type(t) = item else { continue };
        if let Some(&i) = scope.type_index.get(&t.name.name) {
            out.duplicate("typen", &t.name.name, t.name.span, scope.ty(i).span);
            continue;
        }
        let mut values: Vec<EnumValue> = Vec::new();
        // Each value's position in `values`: a type may list thousands of units.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for v in &t.values {
            if let Some(first) = seen.get(v.name.as_str()).and_then(|&i| values.get(i)) {
                out.duplicate("värdet", &v.name, v.span, first.span);
                continue;
            }
            seen.insert(&v.name, values.len());
            values.push(EnumValue {
                name: v.name.clone(),
                span: v.span,
                added_by: None,
            });
        }
        scope.add_type(EnumType {
            name: t.name.name.clone(),
            values,
            span: t.name.span,
        });
    }
}

/// A type may have at most [`MAX_VALUES`] values (after the region's additions): more
/// cannot be compiled.
pub(super) fn too_many_values(scope: &Scope, out: &mut Diagnostics) {
    for t in &scope.types {
        if t.values.len() > MAX_VALUES {
            out.push(
                Diagnostic::error(
                    Code::TooLarge,
                    format!("typen `{}` har {} värden; högst {MAX_VALUES} går att kompilera", t.name, t.values.len()),
                    t.span,
                    "för många värden",
                )
                .with_help("dela upp typen i flera, eller samla värden som reglerna behandlar lika under ett namn"),
            );
        }
    }
}

pub(super) fn declare_facts(
    scope: &mut Scope,
    files: &[ParsedFile],
    origin: Origin,
    out: &mut Diagnostics,
) {
    for item in items(files) {
        let Item::Fact(f) = item else { continue };
        if let Some(&i) = scope.fact_index.get(&f.name.name) {
            let first = scope.fact(i);
            if origin == Origin::Region && first.origin == Origin::National {
                out.push(
                    Diagnostic::error(Code::RedeclaredNationalFact, format!("`{}` är redan ett nationellt faktum", f.name.name), f.name.span, "deklareras om här")
                        .with_label(first.span, "det nationella faktumet")
                        .with_help("en region använder de nationella fakta som de är: ta bort deklarationen (nya värden i en typ läggs till med `avsteg … utökar Typ med …`)"),
                );
            } else {
                out.duplicate("faktumet", &f.name.name, f.name.span, first.span);
            }
            continue;
        }
        let Some(ty) = fact_type(scope, f, out) else {
            out.poison(&f.name.name);
            continue;
        };
        let default = match &f.default {
            Some((value, span)) => Env::of(scope).value_for(ty, value, *span, &f.name.name, out),
            None => None,
        };
        if let (Some(optional), Some((_, at))) = (f.optional, &f.default) {
            out.push(
                Diagnostic::error(
                    Code::OptionalFact,
                    format!("`{}` kan inte både saknas och ha ett standardvärde", f.name.name),
                    *at,
                    "standardvärde",
                )
                .with_label(optional, "kan saknas")
                .with_help("välj det ena: ett standardvärde används när begäran utelämnar faktumet; `, kan saknas` låter reglerna pröva `finns` och `saknas`"),
            );
        }
        scope.add_fact(Fact {
            name: f.name.name.clone(),
            ty,
            default,
            optional: f.optional.is_some(),
            required_by: None,
            span: f.name.span,
            origin,
            read_by_regions: f.read_by_regions.is_some(),
        });
    }
}

/// A fact's type; `None` when it names an unknown type or one with too many values
/// (reported).
fn fact_type(scope: &Scope, f: &ast::FactDecl, out: &mut Diagnostics) -> Option<Type> {
    Some(match &f.ty {
        ast::TypeExpr::Bool => Type::Bool,
        ast::TypeExpr::Date => Type::Date,
        ast::TypeExpr::Text => Type::Text,
        ast::TypeExpr::Id => Type::Id,
        ast::TypeExpr::Int { min, max } => {
            if min > max {
                out.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("intervallet {min}..{max} är tomt"),
                        f.ty_span,
                        "minsta värdet är större än största",
                    )
                    .with_help(format!(
                        "skriv det minsta värdet först: `heltal {max}..{min}`"
                    )),
                );
            }
            Type::Int {
                min: *min,
                max: *max,
            }
        }
        ast::TypeExpr::Named(n) => {
            let t = scope.type_named(n, out)?;
            // A type too large to compile was reported where it is declared.
            if scope.ty(t).values.len() > MAX_VALUES {
                return None;
            }
            Type::Enum(t)
        }
    })
}

// ------------------------------------------------------------------ derived facts

/// A derived fact as declared (or redefined by a deviation), and its value once typed.
pub(super) struct DerivedDecl<'a> {
    name: &'a ast::Ident,
    expr: &'a ast::Expr,
    interpretations: &'a [ast::Text],
    origin: Origin,
    redefined_by: Option<DeviationId>,
    /// A redefinition with a period: the period, and the national definition, which
    /// holds outside it.
    outside: Option<(Period, &'a ast::Expr, &'a [ast::Text])>,
    /// `None` until typed, and after, if the definition is in error (reported).
    value: Option<DerivedValue>,
}

/// Declares the derived facts, applies the region's redefinitions and types every
/// definition, each after the derived facts it uses. Definitions that use each other in a
/// ring are reported.
pub(super) fn declare_derived<'a>(
    scope: &mut Scope,
    national: &'a [ParsedFile],
    region: &'a [ParsedFile],
    applied: &[(DeviationId, &'a ast::DeviationDecl)],
    out: &mut Diagnostics,
) -> Vec<DerivedDecl<'a>> {
    let mut decls = declared(scope, national, region, out);
    redefine(scope, &mut decls, applied, out);
    // Dependencies between derived facts, by the names their definitions use.
    let edges: Vec<Vec<usize>> = decls
        .iter()
        .map(|d| {
            let mut names = BTreeSet::new();
            names_in(d.expr, &mut names);
            if let Some((_, national, _)) = d.outside {
                names_in(national, &mut names);
            }
            names
                .iter()
                .filter_map(|n| scope.derived_index.get(*n).map(|id| id.index()))
                .collect()
        })
        .collect();
    report_cycles(&decls, &edges, out);
    scope.derived_types = vec![None; decls.len()];
    scope.derived_reads = vec![BTreeSet::new(); decls.len()];
    scope.derived_facts = vec![BTreeSet::new(); decls.len()];
    for i in dependency_order(&edges) {
        let d = at_mut(&mut decls, i);
        let value = match d.outside {
            None => Env::of(scope).derived(d.expr, out),
            Some((period, national, _)) => within_period(scope, d, period, national, out),
        };
        let kind = value.as_ref().map(|v| match v {
            DerivedValue::Bool(_) => DerivedType::Bool,
            DerivedValue::Int(_) => DerivedType::Int,
            DerivedValue::Date(_) => DerivedType::Date,
        });
        let mut guard = Guard::collecting(scope);
        guard.expr(d.expr, &BTreeSet::new());
        if let Some((_, national, _)) = d.outside {
            guard.expr(national, &BTreeSet::new());
        }
        let reads = guard.unguarded;
        let mut names = BTreeSet::new();
        names_in(d.expr, &mut names);
        if let Some((_, national, _)) = d.outside {
            names_in(national, &mut names);
        }
        let facts = scope.facts_read(names);
        scope.set_derived_type(DerivedId::new(i), kind);
        scope.set_derived_reads(DerivedId::new(i), reads);
        scope.set_derived_facts(DerivedId::new(i), facts);
        d.value = value;
    }
    decls
}

/// A true/false derived fact redefined for a period: the region's definition inside it, the
/// national one outside. Only a condition can change with the date: a number or a date
/// redefined for a period is reported.
fn within_period(
    scope: &Scope,
    d: &DerivedDecl,
    period: Period,
    national: &ast::Expr,
    out: &mut Diagnostics,
) -> Option<DerivedValue> {
    let env = Env::of(scope);
    let (inside, outside) = (env.derived(d.expr, out)?, env.derived(national, out)?);
    let (DerivedValue::Bool(inside), DerivedValue::Bool(outside)) = (inside, outside) else {
        out.push(
            Diagnostic::error(
                Code::Period,
                format!("`{}` kan inte omdefinieras för en giltighetstid", d.name.name),
                d.expr.span,
                "inte ett villkor",
            )
            .with_label(period.span, "giltighetstid")
            .with_help("bara ett sant/falskt-härlett faktum kan bytas under en period; skriv om reglerna som läser det med `gäller från` i stället"),
        );
        return None;
    };
    let during = period.condition();
    Some(DerivedValue::Bool(Expr::Or(vec![
        Expr::And(vec![during.clone(), inside]),
        Expr::And(vec![Expr::Not(Box::new(during)), outside]),
    ])))
}

#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: graph nodes are positions in `decls`, one per declaration"
)]
fn at_mut<'d, 'a>(decls: &'d mut [DerivedDecl<'a>], i: usize) -> &'d mut DerivedDecl<'a> {
    &mut decls[i]
}

/// The `härledd` declarations, national then region, each name once.
fn declared<'a>(
    scope: &mut Scope,
    national: &'a [ParsedFile],
    region: &'a [ParsedFile],
    out: &mut Diagnostics,
) -> Vec<DerivedDecl<'a>> {
    let mut decls: Vec<DerivedDecl<'a>> = Vec::new();
    for (files, origin) in [(national, Origin::National), (region, Origin::Region)] {
        for item in items(files) {
            let Item::Derived(d) = item else { continue };
            if let Some(&i) = scope.fact_index.get(&d.name.name) {
                out.duplicate("namnet", &d.name.name, d.name.span, scope.fact(i).span);
                continue;
            }
            if let Some(&i) = scope.derived_index.get(&d.name.name) {
                let first = at(&decls, i.index());
                if origin == Origin::Region && first.origin == Origin::National {
                    out.push(
                        Diagnostic::error(Code::RedeclaredNationalFact, format!("`{}` är redan ett nationellt härlett faktum", d.name.name), d.name.span, "deklareras om här")
                            .with_label(first.name.span, "den nationella definitionen")
                            .with_help(format!("en region ändrar en nationell definition med ett avsteg: `avsteg ID \"…\" motivering \"…\" källa \"…\" omdefinierar {} = …`", d.name.name)),
                    );
                } else {
                    out.duplicate(
                        "det härledda faktumet",
                        &d.name.name,
                        d.name.span,
                        first.name.span,
                    );
                }
                continue;
            }
            scope
                .derived_index
                .insert(d.name.name.clone(), DerivedId::new(decls.len()));
            decls.push(DerivedDecl {
                name: &d.name,
                expr: &d.expr,
                interpretations: &d.interpretations,
                origin,
                redefined_by: None,
                outside: None,
                value: None,
            });
        }
    }
    decls
}

/// The region's `omdefinierar`: a national derived fact gets the deviation's definition (for
/// the deviation's period, if it has one).
fn redefine<'a>(
    scope: &Scope,
    decls: &mut [DerivedDecl<'a>],
    applied: &[(DeviationId, &'a ast::DeviationDecl)],
    out: &mut Diagnostics,
) {
    for &(dev, d) in applied {
        let Some((Change::Redefine { name, expr }, _)) = d.changes.first() else {
            continue;
        };
        let national = scope
            .derived_index
            .get(&name.name)
            .map(|id| at_mut(decls, id.index()))
            .filter(|decl| decl.origin == Origin::National);
        if let Some(decl) = national {
            if let Some(period) = scope.deviation(dev).period {
                decl.outside = Some((period, decl.expr, decl.interpretations));
            }
            decl.expr = expr;
            decl.interpretations = &d.body.interpretations;
            decl.redefined_by = Some(dev);
            continue;
        }
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("det finns inget nationellt härlett faktum `{}`", name.name),
            name.span,
            "kan inte omdefinieras",
        );
        let names = decls
            .iter()
            .filter(|e| e.origin == Origin::National)
            .map(|e| e.name.name.as_str());
        out.push(match suggest_name(&name.name, names) {
            Some(s) => d.with_help(format!("menade du `{s}`?")),
            None => d.with_help("`omdefinierar` ändrar ett härlett faktum i det nationella ramverket; ett nytt skrivs med `härledd`"),
        });
    }
}

fn report_cycles(decls: &[DerivedDecl], edges: &[Vec<usize>], out: &mut Diagnostics) {
    for cycle in cycles(edges) {
        let mut members = cycle.iter().map(|&i| at(decls, i).name);
        let Some(first) = members.next() else {
            continue;
        };
        let mut names = vec![format!("`{}`", first.name)];
        let mut d = Diagnostic::error(
            Code::Cycle,
            String::new(),
            first.span,
            "beror på sig självt",
        );
        for m in members {
            names.push(format!("`{}`", m.name));
            d = d.with_label(m.span, "ingår i cykeln");
        }
        d.message = format!(
            "härledda fakta beror på varandra i en cykel: {}",
            names.join(", ")
        );
        out.push(d.with_help("ett härlett faktum får bara bygga på fakta och härledda fakta som inte i sin tur bygger på det: bryt cykeln"));
    }
}

/// The derived facts of a ruleset checked without errors: every definition typed.
#[expect(
    clippy::expect_used,
    reason = "INVARIANT: a definition left untyped was reported as an error (its own, a poisoned name's, or a cycle's), and the driver stops on errors before this"
)]
pub(super) fn complete(decls: Vec<DerivedDecl>) -> Vec<Derived> {
    decls
        .into_iter()
        .map(|d| Derived {
            name: d.name.name.clone(),
            value: d
                .value
                .expect("a ruleset without errors has every derived fact typed"),
            interpretations: {
                let mut all = interpretations(d.interpretations);
                if let Some((_, _, national)) = d.outside {
                    all.extend(interpretations(national));
                }
                all
            },
            span: d.name.span,
            origin: d.origin,
            redefined_by: d.redefined_by,
        })
        .collect()
}

/// Every plain name an expression mentions.
pub(super) fn names_in<'e>(expr: &'e ast::Expr, names: &mut BTreeSet<&'e str>) {
    use ast::ExprKind::*;
    match &expr.kind {
        Name(n) => {
            names.insert(n);
        }
        Literal(_) => {}
        Not(e) => names_in(e, names),
        And(es) | Or(es) => es.iter().for_each(|e| names_in(e, names)),
        Compare { lhs, rhs, .. } => {
            names_in(lhs, names);
            names_in(rhs, names);
        }
        In { lhs, .. } => names_in(lhs, names),
        Presence { operand, .. } => names_in(operand, names),
        Shift { base, .. } => names_in(base, names),
        Age { birth, on } => {
            names_in(birth, names);
            names_in(on, names);
        }
    }
}
