//! The grammar, construct by construct: each test parses a small file and compares the
//! syntax tree with one built by hand. Spans take no part in equality, so the trees built
//! here use `Span::default()`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers, like tests, fail by panicking"
)]

use regelverk::check::check_texts;
use regelverk::diagnostic::Span;
use regelverk::syntax::ast::*;
use regelverk::syntax::parse_file;
use regelverk::time::{Date, Unit};

// ------------------------------------------------------------------ helpers

/// Parses `text`, which must have no problems.
fn parse(text: &str) -> Vec<Item> {
    let (file, diagnostics) = parse_file(0, text);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics for {text:?}: {diagnostics:#?}"
    );
    file.items
}

/// The one item of `text`.
fn item(text: &str) -> Item {
    let mut items = parse(text);
    assert_eq!(items.len(), 1, "{text:?} should hold one item: {items:#?}");
    items.remove(0)
}

/// The expression of `härledd x = <expr>`.
fn expr(text: &str) -> Expr {
    match item(&format!("härledd x = {text}")) {
        Item::Derived(d) => d.expr,
        other => panic!("not a derived fact: {other:?}"),
    }
}

fn sp() -> Span {
    Span::default()
}

fn id(name: &str) -> Ident {
    Ident {
        name: name.to_owned(),
        span: sp(),
    }
}

fn text(value: &str) -> Text {
    Text {
        value: value.to_owned(),
        span: sp(),
    }
}

fn e(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}

fn n(name: &str) -> Expr {
    e(ExprKind::Name(name.to_owned()))
}

fn and(parts: Vec<Expr>) -> Expr {
    e(ExprKind::And(parts))
}

fn or(parts: Vec<Expr>) -> Expr {
    e(ExprKind::Or(parts))
}

fn not(inner: Expr) -> Expr {
    e(ExprKind::Not(Box::new(inner)))
}

fn cmp(lhs: Expr, op: CompareOp, rhs: Expr) -> Expr {
    e(ExprKind::Compare {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    })
}

fn lit(l: Literal) -> Expr {
    e(ExprKind::Literal(l))
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn shift(base: Expr, amount: i64, unit: Unit) -> Expr {
    e(ExprKind::Shift {
        base: Box::new(base),
        amount,
        unit,
    })
}

fn outcome(value: &str, reason: Option<&str>) -> Outcome {
    Outcome {
        value: id(value),
        reason: reason.map(id),
        shown_from: None,
        span: sp(),
    }
}

// ------------------------------------------------------------------ header and declarations

#[test]
fn header_without_base() {
    assert_eq!(
        item(r#"regelverk "Nationellt ramverk för Journalen""#),
        Item::Header(Header {
            title: text("Nationellt ramverk för Journalen"),
            base: None,
            span: sp()
        })
    );
}

#[test]
fn header_with_base() {
    assert_eq!(
        item(r#"regelverk "Västra Götalandsregionen" bygger på "../../rules""#),
        Item::Header(Header {
            title: text("Västra Götalandsregionen"),
            base: Some(text("../../rules")),
            span: sp()
        })
    );
}

#[test]
fn type_declaration() {
    assert_eq!(
        item("typ Verksamhet: bup, vuxenpsykiatri, rättspsykiatri, övrig"),
        Item::Type(TypeDecl {
            name: id("Verksamhet"),
            values: vec![
                id("bup"),
                id("vuxenpsykiatri"),
                id("rättspsykiatri"),
                id("övrig")
            ],
            span: sp(),
        })
    );
}

#[test]
fn every_fact_type_with_and_without_default() {
    let fact = |name: &str, ty: TypeExpr, default: Option<Value>| {
        Item::Fact(FactDecl {
            name: id(name),
            ty,
            ty_span: sp(),
            optional: None,
            default: default.map(|v| (v, sp())),
            read_by_regions: None,
            span: sp(),
        })
    };
    let items = parse(
        r#"
        fakta datum: datum
        fakta läsare: Läsare
        fakta läsarval.rådrum: sant/falskt = falskt
        fakta post.signerad: sant/falskt = sant
        fakta post.verksamhet: Verksamhet = övrig
        fakta post.vårdenhet: text
        fakta post.enhet: text = "Vårdcentralen Hjärtat"
        fakta antal_besök: heltal 0..1000 = 0
        fakta post.datum: datum = 2026-05-01
        "#,
    );
    assert_eq!(
        items,
        vec![
            fact("datum", TypeExpr::Date, None),
            fact("läsare", TypeExpr::Named(id("Läsare")), None),
            fact(
                "läsarval.rådrum",
                TypeExpr::Bool,
                Some(Value::Literal(Literal::Bool(false)))
            ),
            fact(
                "post.signerad",
                TypeExpr::Bool,
                Some(Value::Literal(Literal::Bool(true)))
            ),
            fact(
                "post.verksamhet",
                TypeExpr::Named(id("Verksamhet")),
                Some(Value::Name(id("övrig")))
            ),
            fact("post.vårdenhet", TypeExpr::Text, None),
            fact(
                "post.enhet",
                TypeExpr::Text,
                Some(Value::Literal(Literal::Text(
                    "Vårdcentralen Hjärtat".into()
                )))
            ),
            fact(
                "antal_besök",
                TypeExpr::Int { min: 0, max: 1000 },
                Some(Value::Literal(Literal::Int(0)))
            ),
            fact(
                "post.datum",
                TypeExpr::Date,
                Some(Value::Literal(Literal::Date(date("2026-05-01"))))
            ),
        ]
    );
}

#[test]
fn derived_fact_with_age() {
    assert_eq!(
        item("härledd patient.ålder = ålder(patient.födelsedatum, datum)"),
        Item::Derived(DerivedDecl {
            name: id("patient.ålder"),
            expr: e(ExprKind::Age {
                birth: Box::new(n("patient.födelsedatum")),
                on: Box::new(n("datum"))
            }),
            interpretations: Vec::new(),
            span: sp(),
        })
    );
}

#[test]
fn date_arithmetic_in_every_unit_and_direction() {
    assert_eq!(expr("datum - 14 dagar"), shift(n("datum"), -14, Unit::Days));
    assert_eq!(expr("datum - 1 dag"), shift(n("datum"), -1, Unit::Days));
    assert_eq!(
        expr("signerad + 6 månader"),
        shift(n("signerad"), 6, Unit::Months)
    );
    assert_eq!(
        expr("signerad + 1 månad"),
        shift(n("signerad"), 1, Unit::Months)
    );
    assert_eq!(
        expr("signerad + 1 år"),
        shift(n("signerad"), 1, Unit::Years)
    );
    assert_eq!(
        expr("2024-02-29 - 2 år"),
        shift(lit(Literal::Date(date("2024-02-29"))), -2, Unit::Years)
    );
    // Shifts chain from the left.
    assert_eq!(
        expr("datum + 1 år - 14 dagar"),
        shift(shift(n("datum"), 1, Unit::Years), -14, Unit::Days)
    );
    assert_eq!(
        expr("post.datum > datum - 14 dagar"),
        cmp(
            n("post.datum"),
            CompareOp::Gt,
            shift(n("datum"), -14, Unit::Days)
        )
    );
}

#[test]
fn the_multi_line_derived_fact_from_the_reference() {
    let signed = || n("vårdnadshavare.förlängning.signerad");
    assert_eq!(
        expr(
            "vårdnadshavare.förlängning.signerad <= datum
                och datum < vårdnadshavare.förlängning.signerad + 1 år"
        ),
        and(vec![
            cmp(signed(), CompareOp::Le, n("datum")),
            cmp(n("datum"), CompareOp::Lt, shift(signed(), 1, Unit::Years)),
        ])
    );
}

// ------------------------------------------------------------------ expressions

#[test]
fn inte_binds_tighter_than_och_which_binds_tighter_than_eller() {
    assert_eq!(
        expr("a eller b och inte c"),
        or(vec![n("a"), and(vec![n("b"), not(n("c"))])])
    );
    assert_eq!(
        expr("inte a och b eller c"),
        or(vec![and(vec![not(n("a")), n("b")]), n("c")])
    );
    assert_eq!(expr("a och b och c"), and(vec![n("a"), n("b"), n("c")]));
    assert_eq!(expr("a eller b eller c"), or(vec![n("a"), n("b"), n("c")]));
}

#[test]
fn parentheses_group() {
    assert_eq!(
        expr("(a eller b) och c"),
        and(vec![or(vec![n("a"), n("b")]), n("c")])
    );
    assert_eq!(expr("inte (a och b)"), not(and(vec![n("a"), n("b")])));
    assert_eq!(expr("((a))"), n("a"));
    assert_eq!(
        expr("a och (b eller (c och inte d))"),
        and(vec![
            n("a"),
            or(vec![n("b"), and(vec![n("c"), not(n("d"))])])
        ])
    );
}

#[test]
fn double_negation_cancels() {
    assert_eq!(expr("inte inte a"), n("a"));
    assert_eq!(expr("inte inte inte a"), not(n("a")));
}

#[test]
fn membership_and_its_negation() {
    let values = || vec![id("uppgiftslämnare"), id("synnerlig_vikt")];
    assert_eq!(
        expr("post.undantag i {uppgiftslämnare, synnerlig_vikt}"),
        e(ExprKind::In {
            lhs: Box::new(n("post.undantag")),
            values: values(),
            negated: false
        })
    );
    assert_eq!(
        expr("post.undantag inte i { uppgiftslämnare , synnerlig_vikt }"),
        e(ExprKind::In {
            lhs: Box::new(n("post.undantag")),
            values: values(),
            negated: true
        })
    );
}

#[test]
fn every_comparison_operator() {
    let cases = [
        ("=", CompareOp::Eq),
        ("≠", CompareOp::Ne),
        ("!=", CompareOp::Ne),
        ("<", CompareOp::Lt),
        ("<=", CompareOp::Le),
        ("≤", CompareOp::Le),
        (">", CompareOp::Gt),
        (">=", CompareOp::Ge),
        ("≥", CompareOp::Ge),
    ];
    for (symbol, op) in cases {
        assert_eq!(
            expr(&format!("patient.ålder {symbol} 16")),
            cmp(n("patient.ålder"), op, lit(Literal::Int(16))),
            "{symbol}"
        );
        // No spaces needed around the operator.
        assert_eq!(
            expr(&format!("patient.ålder{symbol}16")),
            cmp(n("patient.ålder"), op, lit(Literal::Int(16))),
            "{symbol}"
        );
    }
}

#[test]
fn literals() {
    assert_eq!(expr("sant"), lit(Literal::Bool(true)));
    assert_eq!(expr("falskt"), lit(Literal::Bool(false)));
    assert_eq!(expr("16"), lit(Literal::Int(16)));
    assert_eq!(expr("2026-05-01"), lit(Literal::Date(date("2026-05-01"))));
    assert_eq!(
        expr(r#"post.vårdenhet = "Vårdcentralen Hjärtat""#),
        cmp(
            n("post.vårdenhet"),
            CompareOp::Eq,
            lit(Literal::Text("Vårdcentralen Hjärtat".into()))
        )
    );
    assert_eq!(
        expr("vårdnadshavare.förlängning.enhet = post.vårdenhet"),
        cmp(
            n("vårdnadshavare.förlängning.enhet"),
            CompareOp::Eq,
            n("post.vårdenhet")
        )
    );
    // A text keeps `#` and other characters as written.
    assert_eq!(
        expr(r##"x = "a # b""##),
        cmp(n("x"), CompareOp::Eq, lit(Literal::Text("a # b".into())))
    );
}

#[test]
fn names_that_start_with_a_keyword_are_names() {
    // `idag`, `ombud`, `datum`, `inteckning` start with reserved words but are not them.
    assert_eq!(
        expr("inteckning och ombud.ok"),
        and(vec![n("inteckning"), n("ombud.ok")])
    );
    assert_eq!(expr("i_dag"), n("i_dag"));
}

// ------------------------------------------------------------------ decisions and rules

#[test]
fn decision_with_outcomes_default_and_sources() {
    assert_eq!(
        item(
            r#"beslut direktåtkomst
                 utfall visa, dölj
                 standard dölj skäl ingen_behörighet
                 källa "RJH ramverk 1.1"
                 källa "Inera Journalen""#
        ),
        Item::Decision(DecisionDecl {
            name: id("direktåtkomst"),
            outcomes: vec![id("visa"), id("dölj")],
            default: Some(outcome("dölj", Some("ingen_behörighet"))),
            sources: vec![text("RJH ramverk 1.1"), text("Inera Journalen")],
            span: sp(),
        })
    );
    assert_eq!(
        item("beslut upplåsning utfall lås_upp, behåll"),
        Item::Decision(DecisionDecl {
            name: id("upplåsning"),
            outcomes: vec![id("lås_upp"), id("behåll")],
            default: None,
            sources: vec![],
            span: sp(),
        })
    );
}

#[test]
fn rule_with_every_clause() {
    let rule = item(
        r#"regel N8 "Blockerad vårdnadshavare ser ingenting"
             källa "RJH rutin 3.2"
             källa "Inera Journalen"
             beslut direktåtkomst
             grupp spärr
             går före grupp åtkomst, N3a, RJH-3.4
             om läsare = vårdnadshavare och vårdnadshavare.blockerad
             då dölj skäl vårdnadshavare_blockerad"#,
    );
    assert_eq!(
        rule,
        Item::Rule(RuleDecl {
            id: id("N8"),
            title: text("Blockerad vårdnadshavare ser ingenting"),
            body: RuleBody {
                sources: vec![text("RJH rutin 3.2"), text("Inera Journalen")],
                decision: Some(id("direktåtkomst")),
                groups: vec![id("spärr")],
                overrides: vec![
                    Target::Group(id("åtkomst")),
                    Target::Rule(id("N3a")),
                    Target::Rule(id("RJH-3.4"))
                ],
                condition: Some(and(vec![
                    cmp(n("läsare"), CompareOp::Eq, n("vårdnadshavare")),
                    n("vårdnadshavare.blockerad"),
                ])),
                outcome: Some(outcome("dölj", Some("vårdnadshavare_blockerad"))),
                ..RuleBody::default()
            },
            span: sp(),
        })
    );
}

#[test]
fn rule_clauses_in_any_order_and_outcome_without_reason() {
    let Item::Rule(a) = item("regel N1 \"T\" då visa om sant beslut b källa \"k\"") else {
        panic!()
    };
    let Item::Rule(b) = item("regel N1 \"T\" källa \"k\" beslut b om sant då visa") else {
        panic!()
    };
    assert_eq!(a, b);
    assert_eq!(a.body.outcome, Some(outcome("visa", None)));
}

#[test]
fn rule_ids_with_digits_dashes_and_dots() {
    for rule_id in ["N1", "N3a", "RJH-3.4", "VGR-13-15a", "1", "X_2"] {
        let Item::Rule(r) = item(&format!("regel {rule_id} \"T\" källa \"k\"")) else {
            panic!()
        };
        assert_eq!(r.id, id(rule_id));
    }
}

// ------------------------------------------------------------------ deviations

fn deviation(text: &str) -> DeviationDecl {
    match item(text) {
        Item::Deviation(d) => d,
        other => panic!("not a deviation: {other:?}"),
    }
}

fn change(text: &str) -> Change {
    let d = deviation(text);
    assert_eq!(d.changes.len(), 1, "{text}");
    d.changes.into_iter().next().unwrap().0
}

#[test]
fn deviation_replacing_a_rule() {
    let d = deviation(
        r#"avsteg RJH-3.4 "Förlängd åtkomst gäller ett år"
             motivering "Förlängningen gäller ett år."
             källa "RJH rutin 3.4"
             ersätter regel N3
             går före N2
             om läsare = vårdnadshavare
             då visa skäl förlängd_åtkomst"#,
    );
    assert_eq!(d.id, id("RJH-3.4"));
    assert_eq!(d.title, text("Förlängd åtkomst gäller ett år"));
    assert_eq!(d.motivation, Some(text("Förlängningen gäller ett år.")));
    assert_eq!(
        d.changes.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
        vec![Change::ReplaceRule(id("N3"))]
    );
    assert_eq!(d.body.sources, vec![text("RJH rutin 3.4")]);
    assert_eq!(d.body.overrides, vec![Target::Rule(id("N2"))]);
    assert_eq!(
        d.body.condition,
        Some(cmp(n("läsare"), CompareOp::Eq, n("vårdnadshavare")))
    );
    assert_eq!(
        d.body.outcome,
        Some(outcome("visa", Some("förlängd_åtkomst")))
    );
    assert_eq!(d.default, None);
}

#[test]
fn every_kind_of_change() {
    let head = "avsteg X-1 \"T\" motivering \"m\" källa \"k\"";
    assert_eq!(
        change(&format!("{head} stryker regel N4")),
        Change::RemoveRule(id("N4"))
    );
    assert_eq!(
        change(&format!(
            "{head} stryker invariant \"En blockerad vårdnadshavare ser ingenting\""
        )),
        Change::RemoveInvariant(text("En blockerad vårdnadshavare ser ingenting"))
    );
    assert_eq!(
        change(&format!(
            "{head} ny regel beslut direktåtkomst om sant då visa"
        )),
        Change::NewRule(sp())
    );
    assert_eq!(
        change(&format!(
            "{head} omdefinierar post.ny = post.datum > datum - 30 dagar"
        )),
        Change::Redefine {
            name: id("post.ny"),
            expr: cmp(
                n("post.datum"),
                CompareOp::Gt,
                shift(n("datum"), -30, Unit::Days)
            ),
        }
    );
    assert_eq!(
        change(&format!(
            "{head} utökar Undantag med tidig_hypotes, orosanmälan_barn"
        )),
        Change::Extend {
            ty: id("Undantag"),
            values: vec![id("tidig_hypotes"), id("orosanmälan_barn")]
        }
    );
    assert_eq!(
        change(&format!("{head} ersätter beslut upplåsning")),
        Change::ReplaceDecision(id("upplåsning"))
    );
    let d = deviation(&format!(
        "{head} ersätter beslut upplåsning standard behåll skäl rutin"
    ));
    assert_eq!(d.default, Some(outcome("behåll", Some("rutin"))));
}

#[test]
fn a_new_rule_deviation_keeps_its_rule_clauses() {
    let d = deviation(
        r#"avsteg VGR-BUP "Vårdnadshavare ser inte uppgifter från BUP"
             motivering "BUP är undantagen."
             källa "VGR barns journal"
             ny regel
             beslut direktåtkomst
             grupp urval
             går före VGR-ANS
             om läsare = vårdnadshavare och post.verksamhet = bup
             då dölj skäl bup"#,
    );
    assert_eq!(d.body.decision, Some(id("direktåtkomst")));
    assert_eq!(d.body.groups, vec![id("urval")]);
    assert_eq!(d.body.overrides, vec![Target::Rule(id("VGR-ANS"))]);
}

// ------------------------------------------------------------------ invariants and examples

#[test]
fn invariants_always_and_never() {
    let inv = |text: &str| match item(text) {
        Item::Invariant(i) => i,
        other => panic!("not an invariant: {other:?}"),
    };
    let never = inv(r#"invariant "Ett förseglat konto visar ingenting"
             källa "RJH rutin 5"
             beslut direktåtkomst
             aldrig visa när patient.försegling = av_patienten"#);
    assert_eq!(
        never.title,
        Some(text("Ett förseglat konto visar ingenting"))
    );
    assert_eq!(never.decision, Some(id("direktåtkomst")));
    assert_eq!(never.sources, vec![text("RJH rutin 5")]);
    assert_eq!(
        never.assertion,
        Some(Assertion {
            quantifier: Quantifier::Never,
            outcome: outcome("visa", None),
            condition: cmp(n("patient.försegling"), CompareOp::Eq, n("av_patienten")),
            span: sp(),
        })
    );
    let always =
        inv("invariant beslut direktåtkomst alltid dölj skäl förseglad när patient.förseglad");
    assert_eq!(always.title, None);
    assert_eq!(
        always.assertion,
        Some(Assertion {
            quantifier: Quantifier::Always,
            outcome: outcome("dölj", Some("förseglad")),
            condition: n("patient.förseglad"),
            span: sp(),
        })
    );
}

#[test]
fn examples_with_facts_and_expectations() {
    let ex = |text: &str| match item(text) {
        Item::Example(e) => e,
        other => panic!("not an example: {other:?}"),
    };
    let passing = ex(r#"exempel "Patienten fyller 16 i dag"
             beslut direktåtkomst
             datum = 2026-05-01
             läsare = patient
             antal = 3
             post.signerad = sant
             post.vårdenhet = "Hjärtat"
             förväntat visa skäl egen_åtkomst"#);
    assert_eq!(passing.title, text("Patienten fyller 16 i dag"));
    assert_eq!(passing.decision, Some(id("direktåtkomst")));
    assert_eq!(
        passing.facts,
        vec![
            (
                id("datum"),
                Value::Literal(Literal::Date(date("2026-05-01"))),
                sp()
            ),
            (id("läsare"), Value::Name(id("patient")), sp()),
            (id("antal"), Value::Literal(Literal::Int(3)), sp()),
            (
                id("post.signerad"),
                Value::Literal(Literal::Bool(true)),
                sp()
            ),
            (
                id("post.vårdenhet"),
                Value::Literal(Literal::Text("Hjärtat".into())),
                sp()
            ),
        ]
    );
    assert_eq!(
        passing.expectation,
        Some(Expectation::Outcome(outcome("visa", Some("egen_åtkomst"))))
    );
    let refused = ex("exempel \"Okänt värde\" beslut direktåtkomst läsare = okänd förväntat fel");
    assert_eq!(refused.expectation, Some(Expectation::Error(sp())));
    let no_reason = ex("exempel \"Utan skäl\" beslut direktåtkomst förväntat dölj");
    assert_eq!(
        no_reason.expectation,
        Some(Expectation::Outcome(outcome("dölj", None)))
    );
}

// ------------------------------------------------------------------ layout

const RULESET: &str = r#"regelverk "Test"

typ Läsare: patient, vårdnadshavare, ombud
fakta läsare: Läsare
fakta patient.födelsedatum: datum
fakta datum: datum
fakta vårdnadshavare.blockerad: sant/falskt = falskt
härledd patient.ålder = ålder(patient.födelsedatum, datum)

beslut direktåtkomst
  utfall visa, dölj
  standard dölj skäl ingen_behörighet
  källa "RJH ramverk 1.1"

regel N1 "Patienten ser sina egna uppgifter från 16 år"
  källa "RJH ramverk 1.1"
  beslut direktåtkomst
  grupp åtkomst
  om läsare = patient och patient.ålder >= 16
  då visa skäl egen_åtkomst

regel N8 "Blockerad vårdnadshavare ser ingenting"
  källa "RJH rutin 3.2"
  beslut direktåtkomst
  går före grupp åtkomst
  om läsare = vårdnadshavare och vårdnadshavare.blockerad
  då dölj skäl vårdnadshavare_blockerad

exempel "Patienten fyller 16 i dag"
  beslut direktåtkomst
  datum = 2026-05-01
  läsare = patient
  patient.födelsedatum = 2010-05-01
  förväntat visa skäl egen_åtkomst
"#;

#[test]
fn reformatting_gives_an_equal_tree() {
    let original = parse(RULESET);
    // Everything on as few lines as possible, with single spaces.
    let one_line = RULESET.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(parse(&one_line), original);
    // Every token on its own line, with tabs and Windows line ends.
    let spread = RULESET
        .replace("\n  ", "\r\n\t\t")
        .replace(" och ", "\r\n\t\t och\r\n\t\t ")
        .replace(", ", " ,\r\n   ");
    assert_eq!(parse(&spread), original);
    // A different layout is not the same as different content.
    assert_ne!(parse(&RULESET.replace(">= 16", ">= 15")), original);
}

#[test]
fn comments_are_ignored_everywhere() {
    let commented = RULESET
        .replace("\n", "   # en kommentar med nyckelord: regel om då \"\n")
        .replace("  om läsare", "  # ersätter regel N1\n  om läsare");
    let commented = format!("# Inledande kommentar\n#\n{commented}# sista raden utan radslut");
    assert_eq!(parse(&commented), parse(RULESET));
}

#[test]
fn a_byte_order_mark_is_ignored() {
    assert_eq!(parse(&format!("\u{feff}{RULESET}")), parse(RULESET));
}

#[test]
fn decomposed_characters_check_the_same_as_composed() {
    use std::fmt::Write;
    // å, ä and ö written as a letter followed by a combining ring or diaeresis.
    let decomposed = RULESET
        .replace('å', "a\u{30a}")
        .replace('ä', "a\u{308}")
        .replace('ö', "o\u{308}");
    assert_ne!(decomposed, RULESET);
    let composed = check_texts(&[], &[("test.regel", RULESET)]);
    let written = check_texts(&[], &[("test.regel", &decomposed)]);
    assert!(
        composed.diagnostics.is_empty(),
        "{:#?}",
        composed.diagnostics
    );
    assert!(written.diagnostics.is_empty(), "{:#?}", written.diagnostics);
    let summary = |c: &regelverk::check::Checked| {
        let r = c.ruleset.as_ref().unwrap();
        let mut s = String::new();
        for f in &r.facts {
            writeln!(s, "fakta {} {:?} {:?}", f.name, f.ty, f.default).unwrap();
        }
        for d in &r.derived {
            writeln!(s, "härledd {} {:?}", d.name, d.value).unwrap();
        }
        for rule in &r.rules {
            writeln!(
                s,
                "regel {} {} {:?} {:?} {:?}",
                rule.id, rule.title, rule.groups, rule.condition, rule.outcome
            )
            .unwrap();
        }
        for e in &r.examples {
            writeln!(s, "exempel {} {} {:?}", e.title, e.request, e.expected).unwrap();
        }
        s
    };
    assert_eq!(summary(&written), summary(&composed));
    assert!(summary(&written).contains("patient.ålder"));
}

#[test]
fn an_empty_file_or_only_comments_is_an_empty_tree() {
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse("   \n\t\n"), vec![]);
    assert_eq!(parse("# bara en kommentar\n# och en till"), vec![]);
}

#[test]
fn broken_files_give_one_located_syntax_error_and_no_panic() {
    for text in [
        "regel",
        "regel N1",
        "fakta",
        "fakta a:",
        "härledd x = (",
        "härledd x = a och",
        "härledd x = ålder(a)",
        "typ T: a,",
        "avsteg",
        "exempel \"x\" förväntat",
        "\"",
        "}",
        "härledd x = 2026-13-01 < 2026-02-30",
    ] {
        let (_, diagnostics) = parse_file(0, text);
        assert!(!diagnostics.is_empty(), "{text:?} should not parse");
        for d in &diagnostics {
            assert!(d.is_error());
            assert!(d.help.is_some(), "{text:?}: no help in {d:?}");
            assert!(
                (d.primary.span.end as usize) <= text.len(),
                "{text:?}: span outside the text"
            );
        }
    }
}

/// pest's error detail is one switch for the whole process; parsing broken files on several
/// threads at once must give each file the message it gets alone.
#[test]
fn broken_files_parsed_on_many_threads_give_the_same_messages() {
    // Each of these needs the detailed attempts for its message (the punctuation wanted).
    let broken = [
        "typ Läsare patient, vårdnadshavare",
        "härledd x = (a och b",
        "fakta a heltal 0..",
        "härledd x = post.undantag i {a, b",
        "fakta a",
        "härledd x",
    ];
    let alone: Vec<String> = broken.iter().map(|t| messages(t)).collect();
    let threads: Vec<_> = (0..8)
        .map(|n| {
            let alone = alone.clone();
            std::thread::spawn(move || {
                for round in 0..200 {
                    let i = (n + round) % broken.len();
                    assert_eq!(messages(broken[i]), alone[i], "{:?}", broken[i]);
                    // A file that parses reads the switch too, and must never set it.
                    assert!(parse_file(0, "fakta a: sant/falskt").1.is_empty());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// A parse's diagnostics as text: message, span and help.
fn messages(text: &str) -> String {
    let (_, diagnostics) = parse_file(0, text);
    assert!(!diagnostics.is_empty(), "{text:?} should not parse");
    diagnostics
        .iter()
        .map(|d| format!("{} {:?} {:?}", d.message, d.primary.span, d.help))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_syntax_error_does_not_hide_the_rest_of_the_file() {
    let text = "regelverk \"T\"\nfakta a sant/falskt\nfakta b: sant/falskt\nregel R1 \"x\"\n  källa \"K\"\n  om b and b\n  då visa\nregel R2 \"y\"\n  om b\n";
    let (file, diagnostics) = parse_file(0, text);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
    // The header, `fakta b`, R1 without its broken `om` and `då`, and R2.
    assert_eq!(file.items.len(), 4, "{:#?}", file.items);
    let Item::Rule(r1) = &file.items[2] else {
        panic!("R1 is kept: {:#?}", file.items)
    };
    assert_eq!(r1.id.name, "R1");
    assert_eq!(r1.body.sources.len(), 1);
    assert!(r1.body.condition.is_none());
    let declares: Vec<Option<&str>> = file.skipped.iter().map(|s| s.declares.as_deref()).collect();
    assert_eq!(declares, [Some("a"), None]);
}

#[test]
fn every_syntax_error_in_a_file_is_reported_once() {
    // Fifty broken declarations, then a good one: each error once, at most the limit.
    let mut text = String::from("regelverk \"T\"\n");
    for i in 0..60 {
        text.push_str(&format!("fakta f{i} sant/falskt\n"));
    }
    text.push_str("fakta ok: sant/falskt\n");
    let (_, diagnostics) = parse_file(0, &text);
    assert_eq!(
        diagnostics.len(),
        51,
        "50 errors and the note that the rest is skipped"
    );
    assert!(diagnostics[50].message.contains("resten av filen"));
}

// ------------------------------------------------------------------ second wave: optional
// facts, `kräver`, `tolkning`, periods of validity, `visas från`

fn presence(name: &str, present: bool) -> Expr {
    e(ExprKind::Presence {
        operand: Box::new(n(name)),
        present,
    })
}

#[test]
fn an_optional_fact_and_its_presence_tests() {
    match item("fakta vårdförsegling.slutdatum: datum, kan saknas") {
        Item::Fact(f) => {
            assert_eq!(f.ty, TypeExpr::Date);
            assert!(f.optional.is_some());
            assert_eq!(f.default, None);
        }
        other => panic!("not a fact: {other:?}"),
    }
    match item("fakta post.signerad: sant/falskt = sant") {
        Item::Fact(f) => assert!(f.optional.is_none()),
        other => panic!("not a fact: {other:?}"),
    }
    assert_eq!(
        expr("vårdförsegling.slutdatum saknas eller datum <= vårdförsegling.slutdatum"),
        or(vec![
            presence("vårdförsegling.slutdatum", false),
            cmp(n("datum"), CompareOp::Le, n("vårdförsegling.slutdatum")),
        ])
    );
    assert_eq!(
        expr("inte a finns och b"),
        and(vec![not(presence("a", true)), n("b")])
    );
    // `finns` and `saknas` are keywords only after a name: the national fact
    // `vårdförsegling.finns` and a fact named `saknas` stay names.
    assert_eq!(expr("vårdförsegling.finns"), n("vårdförsegling.finns"));
    assert_eq!(expr("saknas och finns"), and(vec![n("saknas"), n("finns")]));
}

#[test]
fn tolkning_on_rules_deviations_derived_facts_and_invariants() {
    let rule = item(
        r#"regel N10 "Rådrum"
  källa "RJH ramverk 1.1"
  tolkning "De 14 dagarna står inte i källan."
  tolkning "En andra tolkning."
  beslut direktåtkomst
  om läsarval.rådrum
  då dölj skäl rådrum"#,
    );
    let Item::Rule(rule) = rule else {
        panic!("not a rule")
    };
    assert_eq!(
        rule.body.interpretations,
        vec![
            text("De 14 dagarna står inte i källan."),
            text("En andra tolkning.")
        ]
    );
    let d = deviation(
        r#"avsteg VGR-U "Upplåsning" motivering "m" källa "k" tolkning "Lex specialis." ersätter beslut upplåsning"#,
    );
    assert_eq!(d.body.interpretations, vec![text("Lex specialis.")]);
    match item(
        "härledd patient.ålder = ålder(patient.födelsedatum, datum)\n  tolkning \"29 februari.\"",
    ) {
        Item::Derived(d) => assert_eq!(d.interpretations, vec![text("29 februari.")]),
        other => panic!("not a derived fact: {other:?}"),
    }
    match item("invariant \"I\" beslut d tolkning \"t\" aldrig visa när a") {
        Item::Invariant(i) => assert_eq!(i.interpretations, vec![text("t")]),
        other => panic!("not an invariant: {other:?}"),
    }
}

#[test]
fn periods_of_validity_and_visas_fran() {
    let d = deviation(
        r#"avsteg VGR-OS "Osignerade anteckningar"
  motivering "m"
  källa "k"
  gäller från 2021-01-01
  gäller till och med 2022-02-28
  ny regel
  beslut direktåtkomst
  om inte post.signerad
  då dölj skäl osignerad visas från post.datum + 14 dagar"#,
    );
    assert_eq!(d.body.valid_from.map(|c| c.date), Some(date("2021-01-01")));
    assert_eq!(d.body.valid_until.map(|c| c.date), Some(date("2022-02-28")));
    let outcome = d.body.outcome.unwrap();
    assert_eq!(outcome.reason, Some(id("osignerad")));
    assert_eq!(
        outcome.shown_from,
        Some(Box::new(shift(n("post.datum"), 14, Unit::Days)))
    );
    // Without a reason, and in an example's expectation.
    let Item::Rule(r) =
        item("regel R \"t\" källa \"k\" beslut b om a då dölj visas från 2026-05-15")
    else {
        panic!("not a rule")
    };
    assert_eq!(
        r.body.outcome.unwrap().shown_from,
        Some(Box::new(lit(Literal::Date(date("2026-05-15")))))
    );
    let Item::Example(ex) =
        item("exempel \"e\" beslut b a = sant förväntat dölj skäl osignerad visas från 2022-03-01")
    else {
        panic!("not an example")
    };
    let Some(Expectation::Outcome(o)) = ex.expectation else {
        panic!("no outcome")
    };
    assert_eq!(
        o.shown_from,
        Some(Box::new(lit(Literal::Date(date("2022-03-01")))))
    );
}

#[test]
fn a_deviation_that_requires_a_fact() {
    assert_eq!(
        change(
            r#"avsteg RJH-2.2.2 "Slutdatum" motivering "m" källa "k" kräver vårdförsegling.slutdatum"#
        ),
        Change::Require(id("vårdförsegling.slutdatum"))
    );
}

#[test]
fn the_new_clauses_written_wrong_give_located_help() {
    for (text, wanted) in [
        ("fakta x: datum, kan saknaz", "menade du `saknas`?"),
        (
            "regel N1 \"t\" gäller till 2022-02-28",
            "`gäller till och med 2022-02-28`",
        ),
        (
            "regel N1 \"t\" gäller 2022-02-28",
            "`gäller från 2022-03-01`",
        ),
        ("regel N1 \"t\" gäller från 2022-02-30", "en dag som finns"),
        ("regel N1 \"t\" tolkning", "citattecken"),
        ("fakta tolkning: datum", "reserverade ord"),
    ] {
        let rendered = messages(text);
        assert!(rendered.contains(wanted), "{text:?}: {rendered}");
    }
}
