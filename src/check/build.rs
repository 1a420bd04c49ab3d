//! Declarations to the checked model: the national files first, then the region's, whose
//! deviations are applied as they are checked.

use super::cycles::{cycles, dependency_order};
use super::model::*;
use super::suggest::did_you_mean;
use super::types::{DerivedType, Env};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::{FileId, Sources};
use crate::syntax::ast::{self, Change, Item, Target};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A parsed file of a ruleset.
pub struct ParsedFile {
    #[allow(dead_code, reason = "kept for per-file passes")]
    pub id: FileId,
    pub ast: ast::File,
}

/// The rule ids and group names written in the files.
struct Declared {
    ids: HashSet<String>,
    groups: HashSet<String>,
}

/// A rule waiting to be typed: from a `regel`, or made by an `avsteg`.
struct PendingRule<'a> {
    id: &'a ast::Ident,
    title: String,
    sources: &'a [ast::Text],
    body: &'a ast::RuleBody,
    origin: Origin,
    deviation: Option<DeviationId>,
    replaces: Option<String>,
    /// Inherited from the replaced national rule.
    inherited: Option<&'a ast::RuleDecl>,
    /// A deviation's id span stands in where the rule has no own `källa` line.
    span: Span,
}

pub struct Builder<'a> {
    out: Vec<Diagnostic>,
    /// Every file read, for the sources' hash.
    sources: &'a Sources,
    types: Vec<EnumType>,
    type_index: HashMap<String, TypeId>,
    facts: Vec<Fact>,
    fact_index: HashMap<String, FactId>,
    derived_index: HashMap<String, DerivedId>,
    decisions: Vec<Decision>,
    decision_index: HashMap<String, DecisionId>,
    deviations: Vec<Deviation>,
    derived_types: Vec<Option<DerivedType>>,
    /// Facts whose declaration failed: uses of them report nothing more.
    poisoned: HashSet<String>,
    is_region: bool,
}

fn items(files: &[ParsedFile]) -> impl Iterator<Item = &Item> {
    files.iter().flat_map(|f| f.ast.items.iter())
}

fn citations(texts: &[ast::Text]) -> Vec<Citation> {
    texts
        .iter()
        .map(|t| Citation {
            text: t.value.clone(),
            span: t.span,
        })
        .collect()
}

impl<'a> Builder<'a> {
    /// Checks `national` (and the region's files, if any) into a ruleset.
    pub fn build(
        sources: &'a Sources,
        national: &'a [ParsedFile],
        region: &'a [ParsedFile],
    ) -> (Option<Ruleset>, Vec<Diagnostic>) {
        let mut b = Builder {
            out: Vec::new(),
            sources,
            types: Vec::new(),
            type_index: HashMap::new(),
            facts: Vec::new(),
            fact_index: HashMap::new(),
            derived_index: HashMap::new(),
            decisions: Vec::new(),
            decision_index: HashMap::new(),
            deviations: Vec::new(),
            derived_types: Vec::new(),
            poisoned: HashSet::new(),
            is_region: !region.is_empty(),
        };
        let layers = [(national, Origin::National), (region, Origin::Region)];
        let (name, base) = b.headers(national, region);
        for (files, origin) in layers {
            b.declare_types(files, origin);
        }
        b.declare_deviations(region);
        b.apply_extensions(region);
        for (files, origin) in layers {
            b.declare_facts(files, origin);
        }
        let derived = b.declare_derived(national, region);
        for (files, origin) in layers {
            b.declare_decisions(files, origin);
        }
        b.apply_decision_takeovers(region);
        let rules = b.rules(national, region);
        let invariants = b.invariants(national, region);
        let examples = b.examples(national, region);
        // A rule dropped for an error would make the facts it reads look unused.
        if !b.out.iter().any(Diagnostic::is_error) {
            b.unused(region.is_empty(), &derived, &rules, &invariants);
        }

        let mut hasher = Sha256::new();
        for (_, file) in b.sources.iter() {
            let base_name = file.name.rsplit('/').next().unwrap_or(&file.name);
            hasher.update(base_name.as_bytes());
            hasher.update([0]);
            hasher.update(file.text.as_bytes());
            hasher.update([0]);
        }
        let source_hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let ruleset = Ruleset {
            name,
            base,
            sources: sources.clone(),
            types: b.types,
            facts: b.facts,
            derived,
            decisions: b.decisions,
            rules,
            deviations: b.deviations,
            invariants,
            examples,
            source_hash,
        };
        (Some(ruleset), b.out)
    }

    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    fn duplicate(&mut self, what: &str, name: &str, again: Span, first: Span) {
        self.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("{what} `{name}` finns redan"),
                again,
                "deklareras en gång till här",
            )
            .with_label(first, "först här")
            .with_help("ta bort den ena deklarationen eller ge den ett eget namn"),
        );
    }

    // ------------------------------------------------------------- header

    fn headers(
        &mut self,
        national: &[ParsedFile],
        region: &[ParsedFile],
    ) -> (String, Option<String>) {
        fn title_of(files: &[ParsedFile]) -> Vec<&ast::Header> {
            items(files)
                .filter_map(|i| match i {
                    Item::Header(h) => Some(h),
                    _ => None,
                })
                .collect()
        }
        let mut names = Vec::new();
        for files in [national, region] {
            let headers = title_of(files);
            if let [first, rest @ ..] = headers.as_slice() {
                for h in rest {
                    self.duplicate("rubriken", "regelverk", h.span, first.span);
                }
                names.push(first.title.value.clone());
            } else if !files.is_empty() {
                names.push(String::new());
            }
        }
        match names.as_slice() {
            [national, region] => (region.clone(), Some(national.clone())),
            [only] => (only.clone(), None),
            _ => (String::new(), None),
        }
    }

    // ------------------------------------------------------------- types

    fn declare_types(&mut self, files: &[ParsedFile], _origin: Origin) {
        for item in items(files) {
            let Item::Type(t) = item else { continue };
            if let Some(&i) = self.type_index.get(&t.name.name) {
                let first = self.types.get(i).map_or(t.span, |e| e.span);
                self.duplicate("typen", &t.name.name, t.name.span, first);
                continue;
            }
            let mut values: Vec<EnumValue> = Vec::new();
            for v in &t.values {
                if let Some(first) = values.iter().find(|e| e.name == v.name) {
                    let first = first.span;
                    self.duplicate("värdet", &v.name, v.span, first);
                    continue;
                }
                values.push(EnumValue {
                    name: v.name.clone(),
                    span: v.span,
                    added_by: None,
                });
            }
            self.type_index
                .insert(t.name.name.clone(), self.types.len());
            self.types.push(EnumType {
                name: t.name.name.clone(),
                values,
                span: t.name.span,
            });
        }
    }

    fn unknown_type(&mut self, name: &ast::Ident) {
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("okänd typ `{}`", name.name),
            name.span,
            "ingen typ heter så",
        );
        let suggestion =
            did_you_mean(&name.name, self.type_index.keys().map(String::as_str)).map(str::to_owned);
        self.push(match suggestion {
            Some(s) => d.with_help(format!("menade du `{s}`?")),
            None => d.with_help(format!(
                "deklarera typen med `typ {}: värde, värde`, eller använd `sant/falskt`, `heltal 0..100`, `datum` eller `text`",
                name.name
            )),
        });
    }

    // ------------------------------------------------------------- deviations

    fn declare_deviations(&mut self, region: &[ParsedFile]) {
        for item in items(region) {
            let Item::Deviation(d) = item else { continue };
            let kind = match d.changes.as_slice() {
                [(change, _)] => match change {
                    Change::ReplaceRule(id) => DeviationKind::ReplaceRule(id.name.clone()),
                    Change::RemoveRule(id) => DeviationKind::RemoveRule(id.name.clone()),
                    Change::NewRule(_) => DeviationKind::NewRule,
                    Change::Redefine { name, .. } => DeviationKind::Redefine(name.name.clone()),
                    Change::Extend { ty, .. } => DeviationKind::Extend(ty.name.clone()),
                    Change::ReplaceDecision(n) => DeviationKind::ReplaceDecision(n.name.clone()),
                },
                [] => {
                    self.push(
                        Diagnostic::error(Code::DeviationChange, format!("avsteget `{}` säger inte vad det ändrar", d.id.name), d.id.span, "ingen ändring")
                            .with_help("lägg till en ändring: `ersätter regel N3`, `stryker regel N4`, `ny regel`, `omdefinierar namn = …`, `utökar Typ med …` eller `ersätter beslut namn`"),
                    );
                    continue;
                }
                [(_, first), (_, second), ..] => {
                    self.push(
                        Diagnostic::error(
                            Code::DeviationChange,
                            format!("avsteget `{}` gör mer än en ändring", d.id.name),
                            *second,
                            "andra ändringen",
                        )
                        .with_label(*first, "första ändringen")
                        .with_help("skriv ett `avsteg` för varje ändring, med sin egen motivering"),
                    );
                    continue;
                }
            };
            if d.motivation.is_none() {
                self.push(
                    Diagnostic::error(
                        Code::MissingMotivation,
                        format!("avsteget `{}` saknar motivering", d.id.name),
                        d.id.span,
                        "här behövs en `motivering`",
                    )
                    .with_help(
                        "skriv varför regionen avviker, med regionens egna ord: `motivering \"…\"`",
                    ),
                );
            }
            if d.body.sources.is_empty() {
                self.push(
                    Diagnostic::error(Code::MissingSource, format!("avsteget `{}` saknar källa", d.id.name), d.id.span, "här behövs en `källa`")
                        .with_help("ange dokumentet och avsnittet som avsteget bygger på, t.ex. `källa \"RJH rutin 3.4\"`"),
                );
            }
            let makes_rule = matches!(kind, DeviationKind::ReplaceRule(_) | DeviationKind::NewRule);
            if !makes_rule {
                let b = &d.body;
                let stray = b
                    .condition
                    .as_ref()
                    .map(|e| e.span)
                    .or(b.outcome.as_ref().map(|o| o.span));
                if let Some(span) = stray {
                    self.push(
                        Diagnostic::error(Code::DeviationChange, "den här sortens avsteg har inget `om` eller `då`", span, "hör inte hit")
                            .with_label(d.id.span, "avsteget")
                            .with_help("bara `ersätter regel` och `ny regel` tar `om … då …`; ta bort raderna eller byt ändring"),
                    );
                }
            }
            self.deviations.push(Deviation {
                id: d.id.name.clone(),
                title: d.title.value.clone(),
                motivation: d
                    .motivation
                    .as_ref()
                    .map(|m| m.value.clone())
                    .unwrap_or_default(),
                sources: citations(&d.body.sources),
                kind,
                span: d.id.span,
            });
        }
    }

    /// The deviation declarations of the region, each with its index into `deviations`.
    fn region_deviations(region: &'a [ParsedFile]) -> impl Iterator<Item = &'a ast::DeviationDecl> {
        items(region).filter_map(|i| match i {
            Item::Deviation(d) if d.changes.len() == 1 => Some(d),
            _ => None,
        })
    }

    fn deviation_index(&self, id: &str) -> Option<DeviationId> {
        self.deviations.iter().position(|d| d.id == id)
    }

    fn apply_extensions(&mut self, region: &'a [ParsedFile]) {
        for d in Self::region_deviations(region) {
            let Some((Change::Extend { ty, values }, _)) = d.changes.first() else {
                continue;
            };
            let dev = self.deviation_index(&d.id.name);
            let Some(&t) = self.type_index.get(&ty.name) else {
                self.unknown_type(ty);
                continue;
            };
            for v in values {
                let existing = self
                    .types
                    .get(t)
                    .and_then(|t| t.values.iter().find(|e| e.name == v.name))
                    .map(|e| e.span);
                if let Some(first) = existing {
                    self.duplicate("värdet", &v.name, v.span, first);
                    continue;
                }
                if let Some(t) = self.types.get_mut(t) {
                    t.values.push(EnumValue {
                        name: v.name.clone(),
                        span: v.span,
                        added_by: dev,
                    });
                }
            }
        }
    }

    // ------------------------------------------------------------- facts

    fn env<'e>(&'e self, derived_types: &'e [Option<DerivedType>]) -> Env<'e> {
        Env {
            types: &self.types,
            facts: &self.facts,
            fact_index: &self.fact_index,
            derived_index: &self.derived_index,
            derived_types,
            poisoned: &self.poisoned,
        }
    }

    fn declare_facts(&mut self, files: &[ParsedFile], origin: Origin) {
        for item in items(files) {
            let Item::Fact(f) = item else { continue };
            if let Some(&i) = self.fact_index.get(&f.name.name) {
                let (first, first_origin) = self
                    .facts
                    .get(i)
                    .map_or((f.span, origin), |e| (e.span, e.origin));
                if origin == Origin::Region && first_origin == Origin::National {
                    self.push(
                        Diagnostic::error(Code::RedeclaredNationalFact, format!("`{}` är redan ett nationellt faktum", f.name.name), f.name.span, "deklareras om här")
                            .with_label(first, "det nationella faktumet")
                            .with_help("en region använder de nationella fakta som de är: ta bort deklarationen (nya värden i en typ läggs till med `avsteg … utökar Typ med …`)"),
                    );
                } else {
                    self.duplicate("faktumet", &f.name.name, f.name.span, first);
                }
                continue;
            }
            let ty = match &f.ty {
                ast::TypeExpr::Bool => Type::Bool,
                ast::TypeExpr::Date => Type::Date,
                ast::TypeExpr::Text => Type::Text,
                ast::TypeExpr::Id => Type::Id,
                ast::TypeExpr::Int { min, max } => {
                    if min > max {
                        self.push(
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
                ast::TypeExpr::Named(n) => match self.type_index.get(&n.name) {
                    Some(&t) => Type::Enum(t),
                    None => {
                        self.unknown_type(n);
                        self.poisoned.insert(f.name.name.clone());
                        continue;
                    }
                },
            };
            let default = match &f.default {
                Some((value, span)) => {
                    let mut out = Vec::new();
                    let v = self
                        .env(&[])
                        .value_for(ty, value, *span, &f.name.name, &mut out);
                    self.out.append(&mut out);
                    v
                }
                None => None,
            };
            self.fact_index
                .insert(f.name.name.clone(), self.facts.len());
            self.facts.push(Fact {
                name: f.name.name.clone(),
                ty,
                default,
                span: f.name.span,
                origin,
            });
        }
    }

    // ------------------------------------------------------------- derived facts

    fn declare_derived(
        &mut self,
        national: &'a [ParsedFile],
        region: &'a [ParsedFile],
    ) -> Vec<Derived> {
        // Name, definition, origin, redefining deviation.
        let mut decls: Vec<(&ast::Ident, &ast::Expr, Origin, Option<DeviationId>)> = Vec::new();
        for (files, origin) in [(national, Origin::National), (region, Origin::Region)] {
            for item in items(files) {
                let Item::Derived(d) = item else { continue };
                if let Some(&i) = self.fact_index.get(&d.name.name) {
                    let first = self.facts.get(i).map_or(d.span, |f| f.span);
                    self.duplicate("namnet", &d.name.name, d.name.span, first);
                    continue;
                }
                if let Some(&i) = self.derived_index.get(&d.name.name) {
                    let (first, first_origin) =
                        decls.get(i).map_or((d.span, origin), |e| (e.0.span, e.2));
                    if origin == Origin::Region && first_origin == Origin::National {
                        self.push(
                            Diagnostic::error(Code::RedeclaredNationalFact, format!("`{}` är redan ett nationellt härlett faktum", d.name.name), d.name.span, "deklareras om här")
                                .with_label(first, "den nationella definitionen")
                                .with_help(format!("en region ändrar en nationell definition med ett avsteg: `avsteg ID \"…\" motivering \"…\" källa \"…\" omdefinierar {} = …`", d.name.name)),
                        );
                    } else {
                        self.duplicate("det härledda faktumet", &d.name.name, d.name.span, first);
                    }
                    continue;
                }
                self.derived_index.insert(d.name.name.clone(), decls.len());
                decls.push((&d.name, &d.expr, origin, None));
            }
        }
        for d in Self::region_deviations(region) {
            let Some((Change::Redefine { name, expr }, _)) = d.changes.first() else {
                continue;
            };
            let dev = self.deviation_index(&d.id.name);
            match self.derived_index.get(&name.name).copied() {
                Some(i) if decls.get(i).is_some_and(|e| e.2 == Origin::National) => {
                    if let Some(slot) = decls.get_mut(i) {
                        *slot = (slot.0, expr, Origin::National, dev);
                    }
                }
                _ => {
                    let d = Diagnostic::error(
                        Code::UnknownName,
                        format!("det finns inget nationellt härlett faktum `{}`", name.name),
                        name.span,
                        "kan inte omdefinieras",
                    );
                    let national: Vec<&str> = decls
                        .iter()
                        .filter(|e| e.2 == Origin::National)
                        .map(|e| e.0.name.as_str())
                        .collect();
                    let suggestion =
                        did_you_mean(&name.name, national.iter().copied()).map(str::to_owned);
                    self.push(match suggestion {
                        Some(s) => d.with_help(format!("menade du `{s}`?")),
                        None => d.with_help("`omdefinierar` ändrar ett härlett faktum i det nationella ramverket; ett nytt skrivs med `härledd`"),
                    });
                }
            }
        }
        // Dependencies between derived facts, by the names their definitions use.
        let edges: Vec<Vec<usize>> = decls
            .iter()
            .map(|(_, expr, _, _)| {
                let mut names = BTreeSet::new();
                names_in(expr, &mut names);
                names
                    .iter()
                    .filter_map(|n| self.derived_index.get(*n).copied())
                    .collect()
            })
            .collect();
        for cycle in cycles(&edges) {
            let mut members = cycle.iter().filter_map(|&i| decls.get(i));
            let Some(first) = members.next() else {
                continue;
            };
            let mut names = vec![format!("`{}`", first.0.name)];
            let mut d = Diagnostic::error(
                Code::Cycle,
                String::new(),
                first.0.span,
                "beror på sig självt",
            );
            for m in members {
                names.push(format!("`{}`", m.0.name));
                d = d.with_label(m.0.span, "ingår i cykeln");
            }
            d.message = format!(
                "härledda fakta beror på varandra i en cykel: {}",
                names.join(", ")
            );
            self.push(d.with_help("ett härlett faktum får bara bygga på fakta och härledda fakta som inte i sin tur bygger på det: bryt cykeln"));
        }
        let mut derived_types: Vec<Option<DerivedType>> = vec![None; decls.len()];
        let mut values: Vec<Option<DerivedValue>> = vec![None; decls.len()];
        for i in dependency_order(&edges) {
            let Some((_, expr, _, _)) = decls.get(i) else {
                continue;
            };
            let mut out = Vec::new();
            let value = self.env(&derived_types).derived(expr, &mut out);
            self.out.append(&mut out);
            if let Some(v) = &value
                && let Some(slot) = derived_types.get_mut(i)
            {
                *slot = Some(match v {
                    DerivedValue::Bool(_) => DerivedType::Bool,
                    DerivedValue::Int(_) => DerivedType::Int,
                    DerivedValue::Date(_) => DerivedType::Date,
                });
            }
            if let Some(slot) = values.get_mut(i) {
                *slot = value;
            }
        }
        self.derived_types = derived_types;
        decls
            .iter()
            .zip(values)
            .map(|((name, _, origin, redefined_by), value)| Derived {
                name: name.name.clone(),
                value: value.unwrap_or(DerivedValue::Bool(Expr::Const(false))),
                span: name.span,
                origin: *origin,
                redefined_by: *redefined_by,
            })
            .collect()
    }
}

/// Every plain name an expression mentions.
fn names_in<'e>(expr: &'e ast::Expr, names: &mut BTreeSet<&'e str>) {
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
        Shift { base, .. } => names_in(base, names),
        Age { birth, on } => {
            names_in(birth, names);
            names_in(on, names);
        }
    }
}

impl<'a> Builder<'a> {
    // ------------------------------------------------------------- decisions

    fn declare_decisions(&mut self, files: &[ParsedFile], origin: Origin) {
        for item in items(files) {
            let Item::Decision(d) = item else { continue };
            if let Some(&i) = self.decision_index.get(&d.name.name) {
                let first = self.decisions.get(i).map_or(d.span, |e| e.span);
                if origin == Origin::Region {
                    self.push(
                        Diagnostic::error(Code::Duplicate, format!("beslutet `{}` finns redan i det nationella ramverket", d.name.name), d.name.span, "deklareras om här")
                            .with_label(first, "det nationella beslutet")
                            .with_help(format!("ta över beslutet med ett avsteg: `avsteg ID \"…\" motivering \"…\" källa \"…\" ersätter beslut {}`", d.name.name)),
                    );
                } else {
                    self.duplicate("beslutet", &d.name.name, d.name.span, first);
                }
                continue;
            }
            let outcomes: Vec<String> = d.outcomes.iter().map(|o| o.name.clone()).collect();
            let mut decision = Decision {
                name: d.name.name.clone(),
                outcomes,
                default: None,
                sources: citations(&d.sources),
                span: d.name.span,
                replaced_by: None,
            };
            decision.default = d.default.as_ref().and_then(|o| self.outcome(&decision, o));
            self.decision_index
                .insert(d.name.name.clone(), self.decisions.len());
            self.decisions.push(decision);
        }
    }

    fn outcome(&mut self, decision: &Decision, o: &ast::Outcome) -> Option<Outcome> {
        match decision.outcomes.iter().position(|v| *v == o.value.name) {
            Some(value) => Some(Outcome {
                value,
                reason: o.reason.as_ref().map(|r| r.name.clone()),
            }),
            None => {
                let d = Diagnostic::error(
                    Code::UnknownValue,
                    format!(
                        "beslutet `{}` har inget utfall `{}`",
                        decision.name, o.value.name
                    ),
                    o.value.span,
                    "okänt utfall",
                )
                .with_label(decision.span, "beslutet");
                let allowed = decision.outcomes.join(", ");
                self.push(
                    match did_you_mean(&o.value.name, decision.outcomes.iter().map(String::as_str))
                    {
                        Some(s) => {
                            d.with_help(format!("menade du `{s}`? möjliga utfall: {allowed}"))
                        }
                        None => d.with_help(format!("möjliga utfall: {allowed}")),
                    },
                );
                None
            }
        }
    }

    fn decision(&mut self, name: &ast::Ident) -> Option<DecisionId> {
        if let Some(&i) = self.decision_index.get(&name.name) {
            return Some(i);
        }
        let d = Diagnostic::error(
            Code::UnknownName,
            format!("okänt beslut `{}`", name.name),
            name.span,
            "inget beslut heter så",
        );
        let suggestion = did_you_mean(&name.name, self.decision_index.keys().map(String::as_str))
            .map(str::to_owned);
        let known: Vec<&str> = self.decisions.iter().map(|d| d.name.as_str()).collect();
        let known = known.join(", ");
        self.push(match suggestion {
            Some(s) => d.with_help(format!("menade du `{s}`?")),
            None => d.with_help(format!("kända beslut: {known}")),
        });
        None
    }

    fn apply_decision_takeovers(&mut self, region: &'a [ParsedFile]) {
        for d in Self::region_deviations(region) {
            let Some((Change::ReplaceDecision(name), _)) = d.changes.first() else {
                continue;
            };
            let dev = self.deviation_index(&d.id.name);
            let Some(i) = self.decision(name) else {
                continue;
            };
            let decision = self.decisions.get(i).cloned();
            if let Some(mut decision) = decision {
                decision.replaced_by = dev;
                if let Some(o) = &d.default {
                    decision.default = self.outcome(&decision, o);
                    decision.sources = citations(&d.body.sources);
                }
                if let Some(slot) = self.decisions.get_mut(i) {
                    *slot = decision;
                }
            }
        }
    }

    // ------------------------------------------------------------- rules

    fn rules(&mut self, national: &'a [ParsedFile], region: &'a [ParsedFile]) -> Vec<Rule> {
        let national_rules: Vec<&ast::RuleDecl> = items(national)
            .filter_map(|i| match i {
                Item::Rule(r) => Some(r),
                _ => None,
            })
            .collect();
        let mut pending: Vec<PendingRule> = Vec::new();
        let mut replaced: HashMap<String, String> = HashMap::new();
        let mut removed: HashSet<String> = HashSet::new();
        for d in Self::region_deviations(region) {
            let Some((change, _)) = d.changes.first() else {
                continue;
            };
            let dev = self.deviation_index(&d.id.name);
            let target = match change {
                Change::ReplaceRule(id) | Change::RemoveRule(id) => id,
                Change::NewRule(_) => {
                    pending.push(PendingRule {
                        id: &d.id,
                        title: d.title.value.clone(),
                        sources: &d.body.sources,
                        body: &d.body,
                        origin: Origin::Region,
                        deviation: dev,
                        replaces: None,
                        inherited: None,
                        span: d.id.span,
                    });
                    continue;
                }
                _ => continue,
            };
            let Some(original) = national_rules.iter().find(|r| r.id.name == target.name) else {
                let diag = Diagnostic::error(
                    Code::UnknownNationalRule,
                    format!("det finns ingen nationell regel `{}`", target.name),
                    target.span,
                    "okänd regel",
                );
                let suggestion = did_you_mean(
                    &target.name,
                    national_rules.iter().map(|r| r.id.name.as_str()),
                )
                .map(str::to_owned);
                self.push(match suggestion {
                    Some(s) => diag.with_help(format!("menade du `{s}`?")),
                    None => diag.with_help("ett avsteg kan bara ersätta eller stryka en regel i det nationella ramverket; en ny regel skrivs med `ny regel`"),
                });
                continue;
            };
            if let Some(prev) = replaced.get(&target.name).or(removed.get(&target.name)) {
                let prev = prev.clone();
                self.push(
                    Diagnostic::error(
                        Code::Duplicate,
                        format!("regeln `{}` ändras redan av avsteget `{prev}`", target.name),
                        target.span,
                        "en gång till här",
                    )
                    .with_help("samla ändringen av regeln i ett avsteg"),
                );
                continue;
            }
            match change {
                Change::ReplaceRule(_) => {
                    replaced.insert(target.name.clone(), d.id.name.clone());
                    pending.push(PendingRule {
                        id: &d.id,
                        title: d.title.value.clone(),
                        sources: &d.body.sources,
                        body: &d.body,
                        origin: Origin::Region,
                        deviation: dev,
                        replaces: Some(target.name.clone()),
                        inherited: Some(original),
                        span: d.id.span,
                    });
                }
                _ => {
                    removed.insert(target.name.clone());
                }
            }
        }
        let taken_over: HashSet<DecisionId> = self
            .decisions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.replaced_by.is_some())
            .map(|(i, _)| i)
            .collect();
        for r in &national_rules {
            if replaced.contains_key(&r.id.name) || removed.contains(&r.id.name) {
                continue;
            }
            let decision = r
                .body
                .decision
                .as_ref()
                .and_then(|n| self.decision_index.get(&n.name).copied());
            if decision.is_some_and(|d| taken_over.contains(&d)) {
                continue;
            }
            pending.push(PendingRule {
                id: &r.id,
                title: r.title.value.clone(),
                sources: &r.body.sources,
                body: &r.body,
                origin: Origin::National,
                deviation: None,
                replaces: None,
                inherited: None,
                span: r.id.span,
            });
        }
        for item in items(region) {
            let Item::Rule(r) = item else { continue };
            let decision = r
                .body
                .decision
                .as_ref()
                .and_then(|n| self.decision_index.get(&n.name).copied());
            let mut deviation = None;
            if let Some(d) = decision.and_then(|d| self.decisions.get(d)) {
                let national = self.decisions_national_contains(&d.name, national);
                if national && d.replaced_by.is_none() {
                    self.push(
                        Diagnostic::error(
                            Code::RegionRuleWithoutDeviation,
                            format!("regionen kan inte lägga till en regel för det nationella beslutet `{}` utan avsteg", d.name),
                            r.id.span,
                            "en vanlig regel",
                        )
                        .with_help(format!(
                            "skriv regeln som `avsteg {} \"…\" motivering \"…\" källa \"…\" ny regel beslut {} om … då …`, eller ta över hela beslutet med `ersätter beslut {}`",
                            r.id.name, d.name, d.name
                        )),
                    );
                    continue;
                }
                deviation = d.replaced_by;
            }
            pending.push(PendingRule {
                id: &r.id,
                title: r.title.value.clone(),
                sources: &r.body.sources,
                body: &r.body,
                origin: Origin::Region,
                deviation,
                replaces: None,
                inherited: None,
                span: r.id.span,
            });
        }
        self.type_rules(pending, &replaced, &removed)
    }

    fn decisions_national_contains(&self, name: &str, national: &[ParsedFile]) -> bool {
        self.is_region
            && items(national).any(|i| matches!(i, Item::Decision(d) if d.name.name == name))
    }

    fn type_rules(
        &mut self,
        pending: Vec<PendingRule>,
        replaced: &HashMap<String, String>,
        removed: &HashSet<String>,
    ) -> Vec<Rule> {
        // Every id and group written, including those of rules that fail to check, so a
        // reference to them is not reported a second time.
        let declared = Declared {
            ids: pending.iter().map(|p| p.id.name.clone()).collect(),
            groups: pending
                .iter()
                .flat_map(|p| {
                    p.body
                        .groups
                        .iter()
                        .chain(p.inherited.iter().flat_map(|r| r.body.groups.iter()))
                })
                .map(|g| g.name.clone())
                .collect(),
        };
        // Ids: rules and deviations share one namespace.
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for p in &pending {
            if let Some(&first) = seen.get(p.id.name.as_str()) {
                self.duplicate("id:t", &p.id.name, p.id.span, first);
            } else {
                seen.insert(&p.id.name, p.id.span);
            }
        }
        let derived_types = std::mem::take(&mut self.derived_types);
        let mut rules = Vec::new();
        // Overrides as written, resolved once every rule is known.
        let mut targets: Vec<Vec<&ast::Target>> = Vec::new();
        for p in &pending {
            let inherited = p.inherited.map(|r| &r.body);
            if p.sources.is_empty() && !self.is_deviation_rule(p) {
                self.push(
                    Diagnostic::error(Code::MissingSource, format!("regeln `{}` saknar källa", p.id.name), p.id.span, "här behövs en `källa`")
                        .with_help("ange dokumentet och avsnittet regeln bygger på, t.ex. `källa \"RJH ramverk 1.1\"`"),
                );
            }
            let decision_ident = p
                .body
                .decision
                .as_ref()
                .or(inherited.and_then(|b| b.decision.as_ref()));
            let Some(decision_ident) = decision_ident else {
                self.push(
                    Diagnostic::error(
                        Code::MissingClause,
                        format!("regeln `{}` säger inte vilket beslut den gäller", p.id.name),
                        p.span,
                        "här behövs `beslut`",
                    )
                    .with_help(
                        "lägg till en rad `beslut direktåtkomst` (eller det beslut regeln gäller)",
                    ),
                );
                continue;
            };
            let Some(decision) = self.decision(decision_ident) else {
                continue;
            };
            let Some(condition) = &p.body.condition else {
                self.push(
                    Diagnostic::error(Code::MissingClause, format!("regeln `{}` saknar villkor", p.id.name), p.span, "här behövs `om`")
                        .with_help("skriv när regeln gäller: `om läsare = patient och patient.ålder >= 16` (eller `om sant` för alltid)"),
                );
                continue;
            };
            let Some(outcome_ast) = &p.body.outcome else {
                self.push(
                    Diagnostic::error(
                        Code::MissingClause,
                        format!("regeln `{}` saknar utfall", p.id.name),
                        p.span,
                        "här behövs `då`",
                    )
                    .with_help("skriv vad regeln ger: `då visa skäl egen_åtkomst`"),
                );
                continue;
            };
            let mut out = Vec::new();
            let typed = self.env(&derived_types).condition(condition, &mut out);
            self.out.append(&mut out);
            let decision_model = self.decisions.get(decision).cloned();
            let outcome = decision_model.and_then(|d| self.outcome(&d, outcome_ast));
            let (Some(condition), Some(outcome)) = (typed, outcome) else {
                continue;
            };
            let mut groups: Vec<String> = p.body.groups.iter().map(|g| g.name.clone()).collect();
            let mut written: Vec<&ast::Target> = p.body.overrides.iter().collect();
            if let Some(b) = inherited {
                groups.extend(b.groups.iter().map(|g| g.name.clone()));
                written.extend(b.overrides.iter());
            }
            groups.sort();
            groups.dedup();
            rules.push(Rule {
                id: p.id.name.clone(),
                title: p.title.clone(),
                sources: citations(p.sources),
                decision,
                condition,
                outcome,
                outcome_span: outcome_ast.span,
                groups,
                overrides: Vec::new(),
                span: p.id.span,
                origin: p.origin,
                deviation: p.deviation,
                replaces: p.replaces.clone(),
            });
            targets.push(written);
        }
        self.derived_types = derived_types;
        self.resolve_overrides(&mut rules, &targets, replaced, removed, &declared);
        rules
    }

    /// A rule made by an `avsteg` has the deviation's källa; its absence is reported there.
    fn is_deviation_rule(&self, p: &PendingRule) -> bool {
        p.inherited.is_some()
            || p.deviation
                .and_then(|d| self.deviations.get(d))
                .is_some_and(|d| d.kind == DeviationKind::NewRule)
    }

    fn resolve_overrides(
        &mut self,
        rules: &mut [Rule],
        targets: &[Vec<&ast::Target>],
        replaced: &HashMap<String, String>,
        removed: &HashSet<String>,
        declared: &Declared,
    ) {
        let index: HashMap<String, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let groups: HashSet<&str> = rules
            .iter()
            .flat_map(|r| r.groups.iter().map(String::as_str))
            .collect();
        let mut resolved: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
        for (i, written) in targets.iter().enumerate() {
            for target in written {
                match target {
                    Target::Rule(id) => {
                        let name = replaced.get(&id.name).unwrap_or(&id.name);
                        if let Some(&j) = index.get(name) {
                            if let Some(r) = resolved.get_mut(i) {
                                r.push(j);
                            }
                        } else if !removed.contains(&id.name) && !declared.ids.contains(name) {
                            let d = Diagnostic::error(
                                Code::UnknownName,
                                format!("okänd regel `{}`", id.name),
                                id.span,
                                "ingen regel har det id:t",
                            );
                            let suggestion =
                                did_you_mean(&id.name, index.keys().map(String::as_str))
                                    .map(str::to_owned);
                            self.push(match suggestion {
                                Some(s) => d.with_help(format!("menade du `{s}`?")),
                                None => d.with_help(
                                    "skriv id:t på en regel i samma regelverk, eller `grupp namn`",
                                ),
                            });
                        }
                    }
                    Target::Group(g) => {
                        // A group whose rules all failed to check was reported through them.
                        if declared.groups.contains(&g.name) && !groups.contains(g.name.as_str()) {
                            continue;
                        }
                        if !groups.contains(g.name.as_str()) {
                            let d = Diagnostic::error(
                                Code::UnknownName,
                                format!("okänd grupp `{}`", g.name),
                                g.span,
                                "ingen regel hör till en grupp med det namnet",
                            );
                            let suggestion =
                                did_you_mean(&g.name, groups.iter().copied()).map(str::to_owned);
                            self.push(match suggestion {
                                Some(s) => d.with_help(format!("menade du `{s}`?")),
                                None => d.with_help(
                                    "en grupp bildas av reglerna som har raden `grupp namn`",
                                ),
                            });
                            continue;
                        }
                        for (j, r) in rules.iter().enumerate() {
                            if j != i
                                && r.groups.contains(&g.name)
                                && let Some(list) = resolved.get_mut(i)
                            {
                                list.push(j);
                            }
                        }
                    }
                }
            }
        }
        for list in &mut resolved {
            list.sort_unstable();
            list.dedup();
        }
        for cycle in cycles(&resolved) {
            let mut members = cycle.iter().filter_map(|&i| rules.get(i));
            let Some(first) = members.next() else {
                continue;
            };
            let mut names = vec![format!("`{}`", first.id)];
            let mut d =
                Diagnostic::error(Code::Cycle, String::new(), first.span, "går före sig själv");
            for m in members {
                names.push(format!("`{}`", m.id));
                d = d.with_label(m.span, "ingår i ringen");
            }
            d.message = format!("regler går före varandra i en ring: {}", names.join(", "));
            self.push(d.with_help(
                "bestäm vilken regel som väger tyngst och ta bort `går före` åt andra hållet",
            ));
        }
        for (rule, list) in rules.iter_mut().zip(resolved) {
            rule.overrides = list;
        }
    }

    // ------------------------------------------------------------- invariants and examples

    fn invariants(
        &mut self,
        national: &'a [ParsedFile],
        region: &'a [ParsedFile],
    ) -> Vec<Invariant> {
        let derived_types = std::mem::take(&mut self.derived_types);
        let mut result = Vec::new();
        for item in items(national).chain(items(region)) {
            let Item::Invariant(inv) = item else { continue };
            let Some(name) = &inv.decision else {
                self.push(
                    Diagnostic::error(
                        Code::MissingClause,
                        "invarianten säger inte vilket beslut den gäller",
                        inv.title.as_ref().map_or(inv.span, |t| t.span),
                        "här behövs `beslut`",
                    )
                    .with_help("lägg till en rad `beslut direktåtkomst`"),
                );
                continue;
            };
            let Some(assertion) = &inv.assertion else {
                self.push(
                    Diagnostic::error(
                        Code::MissingClause,
                        "invarianten säger inte vad som ska gälla",
                        inv.title.as_ref().map_or(inv.span, |t| t.span),
                        "här behövs `alltid` eller `aldrig`",
                    )
                    .with_help("skriv t.ex. `aldrig visa när patient.försegling = av_patienten`"),
                );
                continue;
            };
            let Some(decision) = self.decision(name) else {
                continue;
            };
            let mut out = Vec::new();
            let condition = self
                .env(&derived_types)
                .condition(&assertion.condition, &mut out);
            self.out.append(&mut out);
            let model = self.decisions.get(decision).cloned();
            let outcome = model.and_then(|d| self.outcome(&d, &assertion.outcome));
            if let (Some(condition), Some(outcome)) = (condition, outcome) {
                result.push(Invariant {
                    title: inv
                        .title
                        .as_ref()
                        .map(|t| t.value.clone())
                        .unwrap_or_default(),
                    decision,
                    quantifier: assertion.quantifier,
                    outcome: outcome.value,
                    reason: outcome.reason,
                    condition,
                    span: inv.span,
                });
            }
        }
        self.derived_types = derived_types;
        result
    }

    fn examples(&mut self, national: &'a [ParsedFile], region: &'a [ParsedFile]) -> Vec<Example> {
        // A region runs its own examples: the national ones describe the national outcome.
        let files = if region.is_empty() { national } else { region };
        let mut result = Vec::new();
        for item in items(files) {
            let Item::Example(ex) = item else { continue };
            let Some(name) = &ex.decision else {
                self.push(
                    Diagnostic::error(
                        Code::MissingClause,
                        format!(
                            "exemplet \"{}\" säger inte vilket beslut det gäller",
                            ex.title.value
                        ),
                        ex.title.span,
                        "här behövs `beslut`",
                    )
                    .with_help("lägg till en rad `beslut direktåtkomst`"),
                );
                continue;
            };
            let Some(decision) = self.decision(name) else {
                continue;
            };
            let expected = match &ex.expectation {
                Some(ast::Expectation::Error(_)) => Expected::Error,
                Some(ast::Expectation::Outcome(o)) => {
                    let model = self.decisions.get(decision).cloned();
                    if model.and_then(|d| self.outcome(&d, o)).is_none() {
                        continue;
                    }
                    Expected::Outcome {
                        value: o.value.name.clone(),
                        reason: o.reason.as_ref().map(|r| r.name.clone()),
                    }
                }
                None => {
                    self.push(
                        Diagnostic::error(
                            Code::MissingClause,
                            format!("exemplet \"{}\" säger inte vad som väntas", ex.title.value),
                            ex.title.span,
                            "här behövs `förväntat`",
                        )
                        .with_help(
                            "avsluta exemplet med t.ex. `förväntat visa` eller `förväntat fel`",
                        ),
                    );
                    continue;
                }
            };
            let lenient = expected == Expected::Error;
            let mut request = serde_json::Map::new();
            let mut seen: HashMap<&str, Span> = HashMap::new();
            let mut ok = true;
            for (fact, value, span) in &ex.facts {
                if let Some(&first) = seen.get(fact.name.as_str()) {
                    self.duplicate("faktumet", &fact.name, fact.span, first);
                    ok = false;
                    continue;
                }
                seen.insert(&fact.name, fact.span);
                if !lenient && !self.example_value_ok(fact, value, *span) {
                    ok = false;
                }
                insert_dotted(&mut request, &fact.name, json_of(value));
            }
            if ok {
                result.push(Example {
                    title: ex.title.value.clone(),
                    decision,
                    request: serde_json::Value::Object(request),
                    expected,
                    span: ex.span,
                });
            }
        }
        result
    }

    fn example_value_ok(&mut self, fact: &ast::Ident, value: &ast::Value, span: Span) -> bool {
        if self.poisoned.contains(&fact.name) {
            return false;
        }
        let Some(ty) = self
            .fact_index
            .get(&fact.name)
            .and_then(|&i| self.facts.get(i))
            .map(|f| f.ty)
        else {
            let d = Diagnostic::error(
                Code::UnknownName,
                format!("okänt faktum `{}`", fact.name),
                fact.span,
                "inget faktum heter så",
            );
            let suggestion = did_you_mean(&fact.name, self.fact_index.keys().map(String::as_str))
                .map(str::to_owned);
            self.push(match suggestion {
                Some(s) => d.with_help(format!("menade du `{s}`? (skriv `förväntat fel` om exemplet ska visa att ett felstavat faktum avvisas)")),
                None => d.with_help("ett exempel anger fakta som deklarerats med `fakta`; härledda fakta räknas fram"),
            });
            return false;
        };
        let mut out = Vec::new();
        let ok = self
            .env(&[])
            .value_for(ty, value, span, &fact.name, &mut out)
            .is_some();
        self.out.append(&mut out);
        ok
    }

    // ------------------------------------------------------------- unused facts

    fn unused(
        &mut self,
        standalone: bool,
        derived: &[Derived],
        rules: &[Rule],
        invariants: &[Invariant],
    ) {
        let mut used_facts = HashSet::new();
        let mut used_derived = HashSet::new();
        for r in rules {
            walk(&r.condition, &mut used_facts, &mut used_derived);
        }
        for i in invariants {
            walk(&i.condition, &mut used_facts, &mut used_derived);
        }
        // Derived facts used (transitively) pull in what they read.
        let mut queue: Vec<DerivedId> = used_derived.iter().copied().collect();
        while let Some(d) = queue.pop() {
            let mut more = HashSet::new();
            if let Some(def) = derived.get(d) {
                match &def.value {
                    DerivedValue::Bool(e) => walk(e, &mut used_facts, &mut more),
                    DerivedValue::Int(t) => walk_int(t, &mut used_facts, &mut more),
                    DerivedValue::Date(t) => walk_date(t, &mut used_facts, &mut more),
                }
            }
            for m in more {
                if used_derived.insert(m) {
                    queue.push(m);
                }
            }
        }
        let own = if standalone {
            Origin::National
        } else {
            Origin::Region
        };
        let unused: Vec<(String, Span)> = self
            .facts
            .iter()
            .enumerate()
            .filter(|(i, f)| f.origin == own && !used_facts.contains(i))
            .map(|(_, f)| (f.name.clone(), f.span))
            .collect();
        for (name, span) in unused {
            self.push(
                Diagnostic::warning(Code::UnusedFact, format!("faktumet `{name}` används inte av någon regel"), span, "oanvänt")
                    .with_help("ta bort deklarationen, eller använd faktumet i en regel; regioner som bygger på regelverket kan också använda det"),
            );
        }
    }
}

/// Facts and derived facts an expression reads.
fn walk(e: &Expr, facts: &mut HashSet<FactId>, derived: &mut HashSet<DerivedId>) {
    match e {
        Expr::Const(_) => {}
        Expr::BoolFact(f) => {
            facts.insert(*f);
        }
        Expr::BoolDerived(d) => {
            derived.insert(*d);
        }
        Expr::Not(e) => walk(e, facts, derived),
        Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| walk(e, facts, derived)),
        Expr::EnumIn { fact, .. } => {
            facts.insert(*fact);
        }
        Expr::IntCmp { term, .. } => walk_int(term, facts, derived),
        Expr::DateCmp { lhs, rhs, .. } => {
            walk_date(lhs, facts, derived);
            walk_date(rhs, facts, derived);
        }
        Expr::TextEq { lhs, rhs } => {
            for t in [lhs, rhs] {
                if let TextTerm::Fact(f) = t {
                    facts.insert(*f);
                }
            }
        }
    }
}

fn walk_int(t: &IntTerm, facts: &mut HashSet<FactId>, derived: &mut HashSet<DerivedId>) {
    match t {
        IntTerm::Fact(f) => {
            facts.insert(*f);
        }
        IntTerm::Derived(d) => {
            derived.insert(*d);
        }
        IntTerm::Age { birth, on } => {
            walk_date(birth, facts, derived);
            walk_date(on, facts, derived);
        }
    }
}

fn walk_date(t: &DateTerm, facts: &mut HashSet<FactId>, derived: &mut HashSet<DerivedId>) {
    match t.base {
        DateBase::Fact(f) => {
            facts.insert(f);
        }
        DateBase::Derived(d) => {
            derived.insert(d);
        }
        DateBase::Literal(_) => {}
    }
}

/// A value as it appears in a JSON request.
fn json_of(value: &ast::Value) -> serde_json::Value {
    use ast::Literal::*;
    match value {
        ast::Value::Literal(Bool(b)) => serde_json::Value::Bool(*b),
        ast::Value::Literal(Int(n)) => serde_json::Value::from(*n),
        ast::Value::Literal(Date(d)) => serde_json::Value::String(d.to_string()),
        ast::Value::Literal(Text(t)) => serde_json::Value::String(t.clone()),
        ast::Value::Name(n) => serde_json::Value::String(n.name.clone()),
    }
}

pub use crate::table::insert_dotted;
