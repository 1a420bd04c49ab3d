//! The compiler: tables snapshotted in RON, conflict and gap diagnostics, determinism, and
//! property tests that the compiled table decides as a direct, naive evaluation of the
//! checked rules does, and never answers when a fact it would read is missing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]
use proptest::prelude::*;
use regelverk::Pipeline;
use regelverk::check::model::*;
use regelverk::diagnostic::render;
use regelverk::syntax::ast::CompareOp;
use regelverk::table::{CompiledRuleset, Evaluator, FORMAT_VERSION, RequestError, StruckInvariant};
use regelverk::time::Date;
use serde_json::{Value as Json, json};
use std::path::Path;

fn load(dir: &str) -> Pipeline {
    Pipeline::load(Path::new(dir)).unwrap()
}

#[test]
fn small_ruleset_table_in_ron() {
    let p = load("tests/fixtures/compile/liten");
    let compiled = p.compiled.expect("compiles");
    insta::assert_snapshot!("liten_ron", compiled.to_ron().unwrap());
}

#[test]
fn conflict_and_gap_diagnostics() {
    for name in ["konflikt", "lucka"] {
        let p = load(&format!("tests/fixtures/compile/{name}"));
        assert!(p.compiled.is_none(), "{name} must not compile");
        insta::assert_snapshot!(name, render(&p.diagnostics, &p.sources));
    }
}

/// Issue 9 point 6: in a region, the help says only what the region can write: its own
/// rule's `går före`, or a national group to join; never an edit of a national rule.
#[test]
fn region_conflict_help_suggests_only_what_the_region_can_write() {
    let p = load("tests/fixtures/compile/konflikt-region/region");
    assert!(p.compiled.is_none());
    let helps: Vec<&str> = p
        .diagnostics
        .iter()
        .filter_map(|d| d.help.as_deref())
        .collect();
    for help in &helps {
        for national in ["N2", "N8"] {
            assert!(
                !help.contains(&format!("i regel `{national}`")),
                "tells the region to edit {national}: {help}"
            );
        }
    }
    assert!(
        helps.iter().any(|h| h.contains("`grupp åtkomst`")),
        "{helps:?}"
    );
    insta::assert_snapshot!("konflikt_region", render(&p.diagnostics, &p.sources));
}

#[test]
fn conflict_example_requests_really_clash() {
    let p = load("tests/fixtures/compile/konflikt");
    let note = p
        .diagnostics
        .iter()
        .flat_map(|d| &d.notes)
        .find(|n| n.starts_with("exempel"))
        .unwrap();
    let json: Json = serde_json::from_str(note.split_once(": ").unwrap().1).unwrap();
    // Both rules' conditions hold for the example.
    assert_eq!(json["läsare"], "vårdnadshavare");
    assert_eq!(json["vårdnadshavare"]["blockerad"], true);
    assert!(json["post"]["datum"].as_str().unwrap() < json["datum"].as_str().unwrap());
}

/// The table the table crate's documentation decides with is this fixture compiled: it can
/// never go stale. After a change to the compiler or the fixture, regenerate it with
/// `cargo run -- compile tests/fixtures/compile/liten -o crates/regelverk-table/tests/data/liten.ron`.
#[test]
fn the_embedding_example_table_is_the_fixture_compiled() {
    let compiled = load("tests/fixtures/compile/liten").compiled.unwrap();
    let committed = std::fs::read_to_string("crates/regelverk-table/tests/data/liten.ron").unwrap();
    assert!(
        compiled.to_ron().unwrap() == committed,
        "crates/regelverk-table/tests/data/liten.ron is stale: regenerate it with \
         `cargo run -- compile tests/fixtures/compile/liten -o crates/regelverk-table/tests/data/liten.ron`"
    );
}

#[test]
fn output_is_deterministic_and_round_trips() {
    for dir in [
        "rules",
        "regions/jamtland-harjedalen",
        "regions/vastra-gotaland",
    ] {
        let a = load(dir).compiled.unwrap();
        let b = load(dir).compiled.unwrap();
        let ron = a.to_ron().unwrap();
        assert_eq!(ron, b.to_ron().unwrap());
        assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
        assert_eq!(CompiledRuleset::parse(&ron).unwrap(), a);
        assert_eq!(CompiledRuleset::parse(&a.to_json().unwrap()).unwrap(), a);
    }
}

/// The keys of the stored format (struct fields), all English: a table is an embedder's
/// format, like the expression tree in it. Formats people read (`regel decide`, `regel diff`)
/// keep their Swedish keys.
const TABLE_KEYS: &[&str] = &[
    // CompiledRuleset, DecisionTable
    "format",
    "ruleset",
    "source_hash",
    "tables",
    "decision",
    "outcomes",
    "default_sources",
    "facts",
    "columns",
    "rows",
    "rules",
    "deviations",
    // FactSchema (and FactType::Int), Column (and ColumnKind::Int)
    "name",
    "type",
    "default",
    "optional",
    "min",
    "max",
    "kind",
    "cells",
    "interpretations",
    "term",
    "intervals",
    // Row, Condition
    "when",
    "outcome",
    "reason",
    "rule",
    "overrides",
    "column",
    "values",
    // SourceRef, RuleInfo, Period, DeviationInfo, StruckInvariant
    "text",
    "location",
    "id",
    "title",
    "sources",
    "origin",
    "deviation",
    "period",
    "suspended_by",
    "shown_from",
    "from",
    "until",
    "justification",
    "struck_invariant",
];

/// The tags of enum variants that carry data (the Rust names): the expression tree, column
/// kinds and fact types.
const TABLE_TAGS: &[&str] = &[
    "Int",
    "Enum",
    "Bool",
    "Predicate",
    "Presence",
    "Const",
    "Present",
    "Fact",
    "Not",
    "And",
    "Or",
    "In",
    "IntCmp",
    "DateCmp",
    "TextEq",
    "Age",
    "Literal",
    "Shift",
];

fn object_keys<'j>(value: &'j Json, out: &mut std::collections::BTreeSet<&'j str>) {
    match value {
        Json::Object(map) => {
            for (key, inner) in map {
                out.insert(key);
                object_keys(inner, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|inner| object_keys(inner, out)),
        _ => {}
    }
}

/// Every repository ruleset's tables, and one with the fields no ruleset uses filled in,
/// round-trip through RON and JSON and use exactly the format's English keys; fact types
/// and origins are Rust variant names.
#[test]
fn the_table_format_has_english_keys() {
    let mut dirs = vec![
        "rules".to_owned(),
        "tests/fixtures/compile/liten".to_owned(),
    ];
    for entry in std::fs::read_dir("regions").unwrap() {
        dirs.push(entry.unwrap().path().to_str().unwrap().to_owned());
    }
    let mut compiled: Vec<CompiledRuleset> =
        dirs.iter().map(|d| load(d).compiled.unwrap()).collect();
    // No repository ruleset strikes an invariant or suspends a national rule for a period.
    let vgr = dirs
        .iter()
        .position(|d| d.ends_with("vastra-gotaland"))
        .unwrap();
    let table = &mut compiled[vgr].tables[0];
    table.rules[0].suspended_by = Some(0);
    table.deviations[0].struck_invariant = Some(StruckInvariant {
        title: "Ingen under 13 år ser sina uppgifter".into(),
        decision: "direktåtkomst".into(),
    });
    let mut texts: Vec<Json> = Vec::new();
    for c in &compiled {
        // Both stored forms read back as the same tables, every field included.
        let json = c.to_json().unwrap();
        assert_eq!(CompiledRuleset::parse(&json).as_ref(), Ok(c));
        assert_eq!(CompiledRuleset::parse(&c.to_ron().unwrap()).as_ref(), Ok(c));
        texts.push(serde_json::from_str(&json).unwrap());
    }
    let mut seen = std::collections::BTreeSet::new();
    texts.iter().for_each(|t| object_keys(t, &mut seen));
    let fields: std::collections::BTreeSet<&str> = TABLE_KEYS.iter().copied().collect();
    let tags: std::collections::BTreeSet<&str> = TABLE_TAGS.iter().copied().collect();
    let foreign: Vec<&&str> = seen
        .iter()
        .filter(|k| !fields.contains(**k) && !tags.contains(**k))
        .collect();
    assert!(
        foreign.is_empty(),
        "keys outside the format's vocabulary: {foreign:?}"
    );
    let unused: Vec<&&str> = fields.iter().filter(|k| !seen.contains(**k)).collect();
    assert!(
        unused.is_empty(),
        "keys the test never saw written: {unused:?}"
    );
    for text in &texts {
        for table in text["tables"].as_array().unwrap() {
            for fact in table["facts"].as_array().unwrap() {
                let tag = match &fact["type"] {
                    Json::String(unit) => unit.as_str(),
                    Json::Object(one) => one.keys().next().unwrap().as_str(),
                    other => panic!("a fact type `{other}`"),
                };
                assert!(
                    ["Bool", "Int", "Date", "Text", "Id", "Enum"].contains(&tag),
                    "{tag}"
                );
            }
            for rule in table["rules"].as_array().unwrap() {
                let origin = rule["origin"].as_str().unwrap();
                assert!(["National", "Region"].contains(&origin), "{origin}");
            }
        }
    }
}

#[test]
fn rows_are_disjoint_and_cover_every_example() {
    // Every table row is reachable: the evaluator rebuilds the tree and rejects overlaps.
    for dir in [
        "rules",
        "regions/jamtland-harjedalen",
        "regions/vastra-gotaland",
    ] {
        for table in load(dir).compiled.unwrap().tables {
            let rows = table.rows.len();
            let evaluator = Evaluator::new(table).unwrap();
            assert!(rows > 0);
            assert_eq!(evaluator.table().rows.len(), rows);
        }
    }
}

#[test]
fn a_table_from_a_newer_format_is_refused() {
    let compiled = load("tests/fixtures/compile/liten").compiled.unwrap();
    let text = compiled
        .to_ron()
        .unwrap()
        .replace(&format!("format: {FORMAT_VERSION}"), "format: 99");
    let error = CompiledRuleset::parse(&text).unwrap_err();
    assert_eq!(
        error,
        "tabellen har formatversion 99; kompilera om med `regel compile`"
    );
}

// ------------------------------------------------------------------ naive evaluation

/// The JSON value of a fact in a request (nested objects), `Null` when it is left out.
fn given<'j>(name: &str, request: &'j Json) -> &'j Json {
    let mut v = request;
    for part in name.split('.') {
        v = &v[part];
    }
    v
}

/// Reads a fact from a request, or its default; `None` when the request leaves out a fact
/// that has no default (a required one, or an optional one that is absent).
fn fact_value(r: &Ruleset, fact: FactId, request: &Json) -> Option<Value> {
    let f = r.fact(fact);
    Some(match (&f.ty, given(&f.name, request)) {
        (_, Json::Null) => return f.default.clone(),
        (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Type::Int { .. }, Json::Number(n)) => Value::Int(n.as_i64().unwrap()),
        (Type::Date, Json::String(s)) => Value::Date(Date::parse(s).unwrap()),
        (Type::Text, Json::String(s)) => Value::Text(s.clone()),
        // Identifiers compare without regard to case (the random ids are ASCII).
        (Type::Id, Json::String(s)) => Value::Text(s.to_ascii_uppercase()),
        (Type::Enum(t), Json::String(s)) => {
            Value::Enum(r.ty(*t).values.iter().position(|v| v.name == *s).unwrap() as u16)
        }
        other => panic!("bad value {other:?}"),
    })
}

fn cmp<T: Ord>(l: T, op: CompareOp, r: T) -> bool {
    match op {
        CompareOp::Eq => l == r,
        CompareOp::Ne => l != r,
        CompareOp::Lt => l < r,
        CompareOp::Le => l <= r,
        CompareOp::Gt => l > r,
        CompareOp::Ge => l >= r,
    }
}

/// The rule language's semantics, directly: left to right, `och` and `eller` stopping as
/// soon as the answer is known. `None` when the request is outside what the rules can
/// evaluate: an age before birth, or a fact without a value (an absent optional one read,
/// or one the region requires tested with `finns`/`saknas`).
fn naive_bool(r: &Ruleset, e: &Expr, q: &Json) -> Option<bool> {
    Some(match e {
        Expr::Const(b) => *b,
        Expr::Present(f) => {
            let fact = r.fact(*f);
            let present = !given(&fact.name, q).is_null();
            if !present && !fact.may_be_absent() {
                return None;
            }
            present
        }
        Expr::BoolFact(f) => fact_value(r, *f, q)? == Value::Bool(true),
        Expr::BoolDerived(d) => match &r.derived(*d).value {
            DerivedValue::Bool(e) => naive_bool(r, e, q)?,
            _ => unreachable!(),
        },
        Expr::Not(e) => !naive_bool(r, e, q)?,
        Expr::And(es) => {
            for e in es {
                if !naive_bool(r, e, q)? {
                    return Some(false);
                }
            }
            true
        }
        Expr::Or(es) => {
            for e in es {
                if naive_bool(r, e, q)? {
                    return Some(true);
                }
            }
            false
        }
        Expr::EnumIn { fact, values } => match fact_value(r, *fact, q)? {
            Value::Enum(v) => values.contains(&v),
            _ => unreachable!(),
        },
        Expr::IntCmp { term, op, value } => cmp(naive_int(r, term, q)?, *op, *value),
        Expr::DateCmp { lhs, op, rhs } => cmp(naive_date(r, lhs, q)?, *op, naive_date(r, rhs, q)?),
        Expr::TextEq { lhs, rhs } => naive_text(r, lhs, q)? == naive_text(r, rhs, q)?,
    })
}

fn naive_int(r: &Ruleset, t: &IntTerm, q: &Json) -> Option<i64> {
    match t {
        IntTerm::Fact(f) => match fact_value(r, *f, q)? {
            Value::Int(n) => Some(n),
            _ => unreachable!(),
        },
        IntTerm::Derived(d) => match &r.derived(*d).value {
            DerivedValue::Int(t) => naive_int(r, t, q),
            _ => unreachable!(),
        },
        IntTerm::Age { birth, on } => naive_date(r, birth, q)?.age_on(naive_date(r, on, q)?),
    }
}

fn naive_date(r: &Ruleset, t: &DateTerm, q: &Json) -> Option<Date> {
    let mut d = match &t.base {
        DateBase::Fact(f) => match fact_value(r, *f, q)? {
            Value::Date(d) => d,
            _ => unreachable!(),
        },
        DateBase::Literal(d) => *d,
        DateBase::Derived(i) => match &r.derived(*i).value {
            DerivedValue::Date(t) => naive_date(r, t, q)?,
            _ => unreachable!(),
        },
    };
    for (n, unit) in &t.shifts {
        d = d.shift(*n, *unit)?;
    }
    Some(d)
}

fn naive_text(r: &Ruleset, t: &TextTerm, q: &Json) -> Option<String> {
    match t {
        TextTerm::Fact(f) => match fact_value(r, *f, q)? {
            Value::Text(s) => Some(s),
            _ => unreachable!(),
        },
        TextTerm::Literal(s) => Some(s.clone()),
    }
}

/// What a naive decision gives: outcome, reason, and the day a hidden entry will be shown.
type NaiveOutcome = (String, Option<String>, Option<Date>);

/// Every rule evaluated in full (its period included); the winner is the applicable rule no
/// other applicable rule beats (through `går före`, transitively); none applies: the default.
fn naive_decide(r: &Ruleset, decision: DecisionId, q: &Json) -> Option<NaiveOutcome> {
    let rules: Vec<RuleId> = r.rules_of(decision).collect();
    let beats = |a: RuleId, b: RuleId| -> bool {
        let mut stack = vec![a];
        let mut seen = vec![false; r.rules.len()];
        while let Some(x) = stack.pop() {
            for &y in &r.rule(x).overrides {
                if y == b {
                    return true;
                }
                if !seen[y.index()] {
                    seen[y.index()] = true;
                    stack.push(y);
                }
            }
        }
        false
    };
    let mut applies = Vec::new();
    for &i in &rules {
        if naive_bool(r, &r.applies_when(r.rule(i)), q)? {
            applies.push(i);
        }
    }
    let d = r.decision(decision);
    let winners: Vec<RuleId> = applies
        .iter()
        .copied()
        .filter(|&a| !applies.iter().any(|&o| o != a && beats(o, a)))
        .collect();
    let (outcome, shown_from) = match winners.first() {
        Some(&w) => {
            let rule = r.rule(w);
            // Shown from the rule's day, and at the latest the day after its period ends.
            let shown_from = match &rule.shown_from {
                Some(t) => {
                    let day = naive_date(r, t, q)?;
                    let end = rule.period.and_then(|p| p.until);
                    Some(end.map_or(day, |u| {
                        day.min(u.shift(1, regelverk::time::Unit::Days).unwrap())
                    }))
                }
                None => None,
            };
            (&rule.outcome, shown_from)
        }
        None => (d.default.as_ref().expect("no gaps"), None),
    };
    Some((
        d.outcomes[outcome.value].clone(),
        outcome.reason.clone(),
        shown_from,
    ))
}

// ------------------------------------------------------------------ random requests

/// How many keys a request has, nested objects' keys included.
fn count_keys(json: &Json) -> usize {
    match json {
        Json::Object(map) => map.values().map(|v| 1 + count_keys(v)).sum(),
        _ => 0,
    }
}

/// The text of `json` with its `key`-th key (depth first) written twice: the second time
/// with the same value, or with the value at the same place in `other` (a truth value
/// flipped when that is the same).
fn with_duplicate(json: &Json, other: &Json, key: usize, differ: bool) -> String {
    fn write(json: &Json, other: &Json, counter: &mut usize, key: usize, differ: bool) -> String {
        let Json::Object(map) = json else {
            return json.to_string();
        };
        let mut parts = Vec::new();
        for (k, v) in map {
            let here = *counter == key;
            *counter += 1;
            let inner = write(v, &other[k.as_str()], counter, key, differ);
            let name = Json::String(k.clone());
            parts.push(format!("{name}:{inner}"));
            if here {
                let second = match (differ, v, &other[k.as_str()]) {
                    (false, _, _) => v.clone(),
                    (true, Json::Bool(b), _) => Json::Bool(!b),
                    (true, _, o) if o != v && !o.is_null() => o.clone(),
                    (true, _, _) => json!("annat"),
                };
                parts.push(format!("{name}:{second}"));
            }
        }
        format!("{{{}}}", parts.join(","))
    }
    write(json, other, &mut 0, key, differ)
}

/// Dates near the boundaries the rules use: a base day moved by whole years and a few days.
fn date_near(base: Date, years: i64, days: i64) -> String {
    use regelverk::time::Unit;
    base.shift(years, Unit::Years)
        .unwrap()
        .shift(days, Unit::Days)
        .unwrap()
        .to_string()
}

/// A request with every fact, except that an optional fact is left out one time in three.
fn random_request(r: &Ruleset, choices: &[u32]) -> Json {
    // The day every other date is drawn around: today's, or around the repository's
    // boundary days (the periods of validity).
    let around =
        ["2026-05-01", "2022-03-01", "2022-02-20", "2019-09-01"][(choices[0] / 7 % 4) as usize];
    let base = Date::parse(around).unwrap();
    let mut map = serde_json::Map::new();
    for (i, f) in r.facts.iter().enumerate() {
        let c = choices[i % choices.len()]
            .wrapping_mul(2_654_435_761)
            .wrapping_add(i as u32 * 40_503);
        if f.may_be_absent() && (c >> 7).is_multiple_of(3) {
            continue;
        }
        let value = match f.ty {
            Type::Bool => json!(c.is_multiple_of(2)),
            Type::Int { min, max } => json!(min + (c as i64).rem_euclid(max - min + 1)),
            Type::Text => json!(["A", "B"][(c % 2) as usize]),
            Type::Id => json!(["A", "B", "a", "b"][(c % 4) as usize]),
            Type::Enum(t) => {
                let values = &r.ty(t).values;
                json!(values[(c as usize) % values.len()].name)
            }
            Type::Date => {
                if f.name == "datum" {
                    json!(date_near(base, 0, (c % 5) as i64 - 2))
                } else if f.name.ends_with("födelsedatum") {
                    // Always before `datum`, on and around birthdays.
                    json!(date_near(
                        base,
                        -1 - (c % 19) as i64,
                        (c / 19 % 5) as i64 - 2
                    ))
                } else {
                    let years = -((c % 20) as i64);
                    let days =
                        [-15i64, -14, -13, -1, 0, 1, 13, 14, 15, 400][(c / 20 % 10) as usize];
                    json!(date_near(base, years, days))
                }
            }
        };
        regelverk::check::insert_dotted(&mut map, &f.name, value);
    }
    Json::Object(map)
}

/// The request without one fact.
fn without(request: &Json, name: &str) -> Json {
    let mut out = request.clone();
    let (head, last) = name.rsplit_once('.').unwrap_or(("", name));
    let mut obj = &mut out;
    for part in head.split('.').filter(|p| !p.is_empty()) {
        obj = &mut obj[part];
    }
    if let Some(map) = obj.as_object_mut() {
        map.remove(last);
    }
    out
}

/// Outcomes that let something happen: an entry shown, a request executed.
const PERMISSIVE: &[&str] = &["visa", "verkställ"];

/// The fail-closed property of optional facts. For each optional fact a decided request
/// gives, the same request without it:
/// - where the ruleset requires the fact (`kräver`), is refused or decided exactly as before
///   (the table did not read it);
/// - otherwise, when it turns an outcome that is not `visa`/`verkställ` into one that is,
///   is decided by a row that tests the fact's presence column at `saknas`: a rule said
///   exactly that absence shows. Absence alone never opens anything.
fn absence_never_opens(dir: &str, r: &Ruleset, evaluator: &Evaluator, request: &Json) {
    let Ok(full) = evaluator.decide_json(request) else {
        return;
    };
    for f in r.facts.iter().filter(|f| f.optional) {
        if given(&f.name, request).is_null() {
            continue;
        }
        let reduced = without(request, &f.name);
        let decided = evaluator.decide_json(&reduced);
        if !f.may_be_absent() {
            if let Ok(d) = decided {
                assert_eq!(
                    (d.outcome, d.reason),
                    (full.outcome, full.reason),
                    "{dir}: the required `{}` was left out of {reduced}",
                    f.name
                );
            }
            continue;
        }
        let Ok(d) = decided else { continue };
        let opened = !PERMISSIVE.contains(&full.outcome) && PERMISSIVE.contains(&d.outcome);
        if opened {
            let row = &evaluator.table().rows[d.row];
            let tests_absence = row.when.iter().any(|c| {
                evaluator.table().columns.iter().any(|col| {
                    col.name == c.column
                        && col.kind == regelverk::table::ColumnKind::Presence(f.name.clone())
                }) && c.values == ["saknas"]
            });
            assert!(
                tests_absence,
                "{dir}: leaving out `{}` turned {} into {} without a rule testing `saknas`: {reduced}",
                f.name, full.outcome, d.outcome
            );
        }
    }
}

fn agree_with_naive(dir: &str, choices: &[u32], drop_mask: u64) {
    thread_local! {
        static CACHE: std::cell::RefCell<Vec<(String, Pipeline, Vec<Evaluator>)>> = const { std::cell::RefCell::new(Vec::new()) };
        // The values' memory of every request decided before, of any ruleset and decision.
        static SCRATCH: std::cell::RefCell<regelverk::table::Scratch> = std::cell::RefCell::default();
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.iter().any(|(d, _, _)| d == dir) {
            let p = load(dir);
            let evaluators = p
                .compiled
                .clone()
                .unwrap()
                .tables
                .into_iter()
                .map(|t| Evaluator::new(t).unwrap())
                .collect();
            cache.push((dir.to_owned(), p, evaluators));
        }
        let (_, p, evaluators) = cache.iter().find(|(d, _, _)| d == dir).unwrap();
        let r = p.ruleset.as_ref().unwrap();
        let request = random_request(r, choices);
        let other = random_request(r, &choices.iter().map(|c| c ^ 0x5555).collect::<Vec<_>>());
        for (decision, evaluator) in r.decision_ids().zip(evaluators) {
            // Fail closed on a repeated key: every key, nested or not, given twice with the
            // same value or another one, is refused whatever the decision would have been.
            for key in 0..count_keys(&request) {
                for differ in [false, true] {
                    let text = with_duplicate(&request, &other, key, differ);
                    match evaluator.decide_text(&text) {
                        Err(RequestError::DuplicateKey { .. }) => {}
                        other => panic!("{dir}: key given twice in {text} gave {other:?}"),
                    }
                }
            }
            let expected = naive_decide(r, decision, &request);
            let actual = evaluator.decide_json(&request);
            // As text, read into memory another request (of another ruleset, perhaps)
            // filled before: the same answer as a fresh read.
            let text = request.to_string();
            let fresh = evaluator.decide_text(&text);
            let reused = SCRATCH.with(|s| evaluator.decide_text_with(&mut s.borrow_mut(), &text));
            assert_eq!(format!("{fresh:?}"), format!("{reused:?}"), "{dir} {text}");
            reads_as_the_careful_way(dir, evaluator, &request, choices);
            reads_a_shape_as_the_careful_way(dir, evaluator, &request, &other, choices);
            match (&expected, &actual) {
                (Some((o, reason, shown_from)), Ok(d)) => {
                    assert_eq!(
                        (o.as_str(), reason.as_deref(), *shown_from),
                        (d.outcome, d.reason, d.shown_from),
                        "{dir} {request}"
                    )
                }
                // An age before birth: both refuse.
                (None, Err(_)) => {}
                other => panic!("{dir}: naive and table disagree on {request}: {other:?}"),
            }
            // Fail closed: without some facts that have no default, the table either refuses
            // or gives the same answer (it read none of them).
            let mut partial = request.clone();
            for (i, f) in r.facts.iter().enumerate() {
                // Facts that must be given: no default and not optional (an optional fact
                // the region requires is one of them).
                if f.default.is_none() && !f.may_be_absent() && drop_mask & (1 << (i % 64)) != 0 {
                    let (head, last) = f
                        .name
                        .rsplit_once('.')
                        .map_or(("", f.name.as_str()), |(h, l)| (h, l));
                    let mut obj = &mut partial;
                    for part in head.split('.').filter(|p| !p.is_empty()) {
                        obj = &mut obj[part];
                    }
                    obj.as_object_mut().unwrap().remove(last);
                }
            }
            if let Ok(d) = evaluator.decide_json(&partial) {
                let full = actual.as_ref().expect("the complete request was decided");
                assert_eq!(
                    (d.outcome, d.reason),
                    (full.outcome, full.reason),
                    "{dir}: {partial}"
                );
            }
            absence_never_opens(dir, r, evaluator, &request);
        }
    });
}

/// The fast reader of a request's bytes answers exactly as the careful one (`parse_json`,
/// then the schema's check), on the request written in other ways it must also read —
/// spaced out, escaped, not in normal form, with a key given twice — and bytes that are
/// not UTF-8 are refused as such wherever they stand, never decided.
fn reads_as_the_careful_way(dir: &str, evaluator: &Evaluator, request: &Json, choices: &[u32]) {
    use unicode_normalization::UnicodeNormalization;
    let careful = |text: &str| {
        regelverk::table::parse_json(text).and_then(|json| evaluator.decide_json(&json))
    };
    let text = request.to_string();
    let pick = |i: usize, n: usize| choices.get(i).map_or(0, |c| *c as usize % n.max(1));
    // Every character in a string from the picked one on escaped as `\uXXXX` (keys and
    // values alike; a character outside the basic plane as its surrogate pair).
    let chars: Vec<char> = text.chars().collect();
    let from = pick(0, chars.len());
    let (mut in_string, mut after_backslash) = (false, false);
    let mut escaped = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let plain = !in_string || after_backslash || matches!(c, '"' | '\\') || i < from;
        if plain {
            escaped.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                escaped.push_str(&format!("\\u{u:04x}"));
            }
        }
        match c {
            '"' if !after_backslash => in_string = !in_string,
            '\\' if !after_backslash => {
                after_backslash = true;
                continue;
            }
            _ => {}
        }
        after_backslash = false;
    }
    let mut twice = text.clone();
    if let Some(at) = twice.rfind('}') {
        let key = text.split('"').nth(1).unwrap_or("");
        twice.insert_str(at, &format!(",\"{key}\":1"));
    }
    let variants = [
        serde_json::to_string_pretty(request).unwrap(),
        escaped,
        text.nfd().collect(),
        text.replace(':', " :\t"),
        twice,
        format!("{text} x"),
        text.replacen('"', "\u{1}\"", 2),
    ];
    for variant in &variants {
        assert_eq!(
            format!("{:?}", evaluator.decide_text(variant)),
            format!("{:?}", careful(variant)),
            "{dir}: {variant}"
        );
    }
    // Bytes that are not UTF-8: a stray byte, a character cut short, an encoded surrogate.
    let bytes = text.as_bytes();
    let at = pick(1, bytes.len());
    let multi = text
        .char_indices()
        .find(|(_, c)| c.len_utf8() > 1)
        .map(|(i, _)| i);
    let mut broken = vec![[&bytes[..at], b"\xff", &bytes[at..]].concat()];
    if let Some(i) = multi {
        broken.push([&bytes[..=i], &bytes[i + 2..]].concat());
    }
    broken.push([&bytes[..at], b"\xed\xa0\x80", &bytes[at..]].concat());
    for line in &broken {
        let mut scratch = regelverk::table::Scratch::default();
        match evaluator.decide_bytes_with(&mut scratch, line) {
            Err(RequestError::NotUtf8) => {}
            other => panic!(
                "{dir}: bytes that are not UTF-8 gave {other:?}: {}",
                String::from_utf8_lossy(line)
            ),
        }
    }
}

/// A request shaped as the one read before it — the same keys, nesting and white space,
/// other values — is read by its shape; it answers exactly as the careful reader, whatever
/// the values are: another request's, of the wrong type, impossible dates, unknown names,
/// escaped, not in normal form, in lower case, not UTF-8, a number where none may stand.
fn reads_a_shape_as_the_careful_way(
    dir: &str,
    evaluator: &Evaluator,
    request: &Json,
    other: &Json,
    choices: &[u32],
) {
    use unicode_normalization::UnicodeNormalization;
    /// The request written with each value given by `value` (its path and its JSON value),
    /// and the key numbered `twist.0` (counting every key, nested or not) twisted: renamed,
    /// given twice, spaced otherwise, or left out (by `twist.1`: 1–4; others leave it).
    fn write(
        json: &Json,
        path: &str,
        out: &mut Vec<u8>,
        keys: &mut usize,
        twist: (usize, usize),
        value: &mut dyn FnMut(&str, &Json) -> Vec<u8>,
    ) {
        match json {
            Json::Object(map) => {
                out.extend_from_slice(b"{ ");
                for (i, (key, v)) in map.iter().enumerate() {
                    *keys += 1;
                    let twisted = if *keys == twist.0 { twist.1 } else { 0 };
                    if twisted == 4 {
                        continue;
                    }
                    if i > 0 {
                        out.extend_from_slice(b",\n  ");
                    }
                    // Renamed to an unknown key of the same length, where it can be.
                    let name = match (twisted, key.chars().next()) {
                        (1, Some(c)) if c.is_ascii() => {
                            format!("{}{}", if c == 'X' { 'Y' } else { 'X' }, &key[1..])
                        }
                        (1, _) => format!("{key}x"),
                        _ => key.clone(),
                    };
                    out.extend_from_slice(Json::String(name).to_string().as_bytes());
                    out.extend_from_slice(if twisted == 3 { b" :" } else { b": " });
                    write(v, &format!("{path}/{key}"), out, keys, twist, value);
                    if twisted == 2 {
                        out.extend_from_slice(b", ");
                        out.extend_from_slice(Json::String(key.clone()).to_string().as_bytes());
                        out.extend_from_slice(b": ");
                        out.extend(value(path, v));
                    }
                }
                out.extend_from_slice(b"}");
            }
            v => out.extend(value(path, v)),
        }
    }
    let at = |json: &Json, path: &str| json.pointer(path).cloned();
    let careful = |bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(text) => {
            regelverk::table::parse_json(text).and_then(|json| evaluator.decide_json(&json))
        }
        Err(_) => Err(RequestError::NotUtf8),
    };
    let mut first = Vec::new();
    write(request, "", &mut first, &mut 0, (0, 0), &mut |_, v| {
        v.to_string().into_bytes()
    });
    let mut scratch = regelverk::table::Scratch::default();
    let answer = evaluator.decide_bytes_with(&mut scratch, &first);
    assert_eq!(
        format!("{answer:?}"),
        format!("{:?}", careful(&first)),
        "{dir}"
    );
    // Each round changes the values the picks say, on the shape the round before kept.
    for round in 0..8 {
        let mut n = 0;
        let mut shaped = Vec::new();
        let pick = |i: usize| choices.get(i % choices.len()).map_or(0, |c| *c as usize);
        // Most rounds keep the shape; some twist one key, so it is read key by key.
        let twist = (
            pick(round + 3) % 12,
            if pick(round + 5) % 3 == 0 {
                1 + pick(round + 6) % 5
            } else {
                0
            },
        );
        // One value (perhaps none) is made anything; the others are this request's or the
        // other's, so the rest of the request is valid and the one value decides.
        let target = pick(round + 1) % 24;
        write(request, "", &mut shaped, &mut 0, twist, &mut |path, v| {
            n += 1;
            let mine = || v.to_string().into_bytes();
            if n != target {
                return match (pick(n + round) % 2, at(other, path)) {
                    (1, Some(o)) if !o.is_object() => o.to_string().into_bytes(),
                    _ => mine(),
                };
            }
            let text = v.as_str().unwrap_or("A");
            match pick(n + round * 7) % 12 {
                0 => mine(),
                1 => b"true".to_vec(),
                2 => b"12".to_vec(),
                3 => b"\"2026-02-30\"".to_vec(),
                4 => {
                    let escaped: String = text
                        .chars()
                        .map(|c| format!("\\u{:04x}", u32::from(c)))
                        .collect();
                    format!("\"{escaped}\"").into_bytes()
                }
                5 => Json::String(text.nfd().collect()).to_string().into_bytes(),
                6 => Json::String(text.to_lowercase()).to_string().into_bytes(),
                7 => [b"\"", text.as_bytes(), b"\xff\""].concat(),
                8 => b"\"x y\"".to_vec(),
                9 => b"null".to_vec(),
                10 => ["-0", "01", "1.0", "\"\""][(n + round) % 4]
                    .as_bytes()
                    .to_vec(),
                _ => b"\"2024-02-29\"".to_vec(),
            }
        });
        if twist.1 == 5 {
            shaped.extend_from_slice(b" x");
        }
        let answer = evaluator.decide_bytes_with(&mut scratch, &shaped);
        assert_eq!(
            format!("{answer:?}"),
            format!("{:?}", careful(&shaped)),
            "{dir}: {}",
            String::from_utf8_lossy(&shaped)
        );
    }
}

/// The full-size stress cases run when `REGEL_TEST_HEAVY` is set, as `.ci/run` does; a plain
/// `cargo test` runs the same tests on smaller inputs, so it stays within a minute.
fn heavy() -> bool {
    std::env::var_os("REGEL_TEST_HEAVY").is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if heavy() { 300 } else { 60 }))]

    #[test]
    fn national_table_agrees_with_naive_rules(choices in prop::collection::vec(any::<u32>(), 1..40), mask in any::<u64>()) {
        agree_with_naive("rules", &choices, mask);
    }

    #[test]
    fn rjh_table_agrees_with_naive_rules(choices in prop::collection::vec(any::<u32>(), 1..40), mask in any::<u64>()) {
        agree_with_naive("regions/jamtland-harjedalen", &choices, mask);
    }

    #[test]
    fn vgr_table_agrees_with_naive_rules(choices in prop::collection::vec(any::<u32>(), 1..40), mask in any::<u64>()) {
        agree_with_naive("regions/vastra-gotaland", &choices, mask);
    }

    /// Gävleborg's BUP periods touch: the table has no rows for days in both, and decides
    /// on each side of the boundary as the rules do.
    #[test]
    fn gavleborg_table_agrees_with_naive_rules(choices in prop::collection::vec(any::<u32>(), 1..40), mask in any::<u64>()) {
        agree_with_naive("regions/gavleborg", &choices, mask);
    }

    #[test]
    fn small_table_agrees_with_naive_rules(choices in prop::collection::vec(any::<u32>(), 1..40), mask in any::<u64>()) {
        agree_with_naive("tests/fixtures/compile/liten", &choices, mask);
    }
}

#[test]
fn too_many_columns_is_a_located_error() {
    let mut text =
        String::from("regelverk \"Stort\"\nbeslut b\n  utfall visa, dölj\n  standard dölj\n");
    for i in 0..1_001 {
        text.push_str(&format!("fakta f{i}: sant/falskt = falskt\n"));
    }
    text.push_str("regel R1 \"Läser allt\"\n  källa \"k\"\n  beslut b\n  om f0");
    for i in 1..1_001 {
        text.push_str(&format!(" och f{i}"));
    }
    text.push_str("\n  då visa\n");
    let p = Pipeline::from_checked(regelverk::check::check_texts(
        &[],
        &[("stort.regel", &text)],
    ));
    assert!(p.compiled.is_none());
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == regelverk::diagnostic::Code::TooLarge)
        .expect("R0203");
    assert!(d.message.contains("1001 olika villkor"), "{}", d.message);
    assert_eq!(p.sources.location(d.primary.span), "stort.regel:1006:7");
}

#[test]
fn too_many_cases_is_a_located_error_not_a_hang() {
    // Twenty-five unordered rules with different reasons: every combination is a case.
    let mut text =
        String::from("regelverk \"Många fall\"\nbeslut b\n  utfall visa, dölj\n  standard visa\n");
    for i in 0..25 {
        text.push_str(&format!("fakta f{i}: sant/falskt = falskt\n"));
    }
    for i in 0..25 {
        text.push_str(&format!(
            "regel R{i} \"r\"\n  källa \"k\"\n  beslut b\n  om f{i}\n  då dölj skäl s{i}\n"
        ));
    }
    let started = std::time::Instant::now();
    let p = Pipeline::from_checked(regelverk::check::check_texts(&[], &[("fall.regel", &text)]));
    assert!(started.elapsed().as_secs() < 60);
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.code == regelverk::diagnostic::Code::TooLarge),
        "{:?}",
        p.diagnostics
    );
    insta::assert_snapshot!("too_many_cases", render(&p.diagnostics, &p.sources));
}

#[test]
fn an_integer_cut_into_many_intervals_compiles_and_decides() {
    // Seventy thresholds: 72 intervals, past the one machine word a cell set once was.
    let mut text = String::from(
        "regelverk \"Många gränser\"\nfakta n: heltal 0..200\nbeslut b\n  utfall visa, dölj\n  standard visa\n  källa \"k\"\n",
    );
    for i in 1..=70 {
        text.push_str(&format!(
            "regel R{i:02} \"r\"\n  källa \"k\"\n  beslut b\n  om n = {i}\n  då dölj skäl s{}\n",
            i % 2
        ));
    }
    let p = Pipeline::from_checked(regelverk::check::check_texts(&[], &[("n.regel", &text)]));
    let compiled = p.compiled.expect("compiles");
    let table = compiled.table("b").unwrap();
    assert_eq!(table.columns[0].cells.len(), 72);
    let evaluator = Evaluator::new(table.clone()).unwrap();
    for n in 0..=200 {
        let d = evaluator.decide_json(&json!({ "n": n })).unwrap();
        let expected = match n {
            1..=70 => ("dölj", Some(if n % 2 == 0 { "s0" } else { "s1" })),
            _ => ("visa", None),
        };
        assert_eq!((d.outcome, d.reason), expected, "n = {n}");
    }
}

/// A ruleset over a type of `n` values `e0`…: rule D hides some of them, rules K1 and K2
/// clash on the last one when `clash` is set (each says something else of it).
fn wide_ruleset(n: usize, hidden: &[usize], clash: bool) -> String {
    let values: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
    let mut text = format!(
        "regelverk \"Brett\"\ntyp Enhet:\n  {}\nfakta post.enhet: Enhet\nfakta läsare: sant/falskt = falskt\n\
         beslut b\n  utfall visa, dölj\n  standard visa skäl öppen\n  källa \"k\"\n",
        values.join(",\n  ")
    );
    let set: Vec<String> = hidden.iter().map(|i| format!("e{i}")).collect();
    text.push_str(&format!(
        "regel D \"Dolda enheter\"\n  källa \"k\"\n  beslut b\n  om post.enhet i {{{}}}\n  då dölj skäl dold\n",
        set.join(", ")
    ));
    if clash {
        let last = n - 1;
        text.push_str(&format!(
            "regel K1 \"k1\"\n  källa \"k\"\n  beslut b\n  om post.enhet = e{last} och läsare\n  då dölj skäl k1\n\
             regel K2 \"k2\"\n  källa \"k\"\n  beslut b\n  om post.enhet = e{last} och läsare\n  då visa skäl k2\n"
        ));
    }
    text
}

fn check_text(text: &str) -> Pipeline {
    Pipeline::from_checked(regelverk::check::check_texts(&[], &[("brett.regel", text)]))
}

#[test]
fn enum_columns_of_any_width_compile_and_decide_every_value() {
    for n in [65, 200, 1_000] {
        let hidden = [0, 1, 63, 64, n / 2, n - 2];
        let p = check_text(&wide_ruleset(n, &hidden, false));
        let compiled = p
            .compiled
            .unwrap_or_else(|| panic!("{n}: {}", render(&p.diagnostics, &p.sources)));
        let table = compiled.table("b").unwrap();
        let evaluator = Evaluator::new(table.clone()).unwrap();
        for v in 0..n {
            let text = format!(r#"{{"post": {{"enhet": "e{v}"}}}}"#);
            let d = evaluator.decide_text(&text).unwrap();
            let expected = if hidden.contains(&v) { "dölj" } else { "visa" };
            assert_eq!(d.outcome, expected, "{n} values, e{v}");
            // The fast reader and the careful one agree.
            let slow = evaluator.decide_json(&serde_json::from_str(&text).unwrap());
            assert_eq!(slow, Ok(d), "{n} values, e{v}");
        }
        let unknown = evaluator.decide_text(&format!(r#"{{"post": {{"enhet": "e{n}"}}}}"#));
        assert!(
            matches!(unknown, Err(RequestError::UnknownValue { .. })),
            "{unknown:?}"
        );
        // The table states the hidden values by name, and reads back the same.
        let again = CompiledRuleset::parse(&compiled.to_ron().unwrap()).unwrap();
        assert_eq!(again, compiled);
    }
}

#[test]
fn a_clash_on_a_wide_value_is_reported_with_an_example_that_reaches_it() {
    for n in [65, 200, 1_000] {
        let p = check_text(&wide_ruleset(n, &[3], true));
        assert!(p.compiled.is_none(), "{n}: the clash must not compile");
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == regelverk::diagnostic::Code::Conflict)
            .expect("a conflict");
        let note = d
            .notes
            .iter()
            .find(|n| n.starts_with("exempel"))
            .expect("an example");
        let json: Json = serde_json::from_str(note.split_once(": ").unwrap().1).unwrap();
        assert_eq!(json["post"]["enhet"], format!("e{}", n - 1), "{n}: {note}");
    }
}

#[test]
fn the_diff_of_wide_rulesets_finds_the_one_value_that_changed() {
    for n in [65, 200, 1_000] {
        let old = check_text(&wide_ruleset(n, &[2, n - 1], false))
            .compiled
            .unwrap();
        let new = check_text(&wide_ruleset(n, &[2, n - 2], false))
            .compiled
            .unwrap();
        let diff = regelverk::diff::diff(old.table("b").unwrap(), new.table("b").unwrap()).unwrap();
        let found: Vec<String> = diff
            .differences
            .iter()
            .map(|x| x.example["post"]["enhet"].as_str().unwrap().to_owned())
            .collect();
        let mut found = found;
        found.sort();
        let mut expected = vec![format!("e{}", n - 2), format!("e{}", n - 1)];
        expected.sort();
        assert_eq!(found, expected, "{n}");
    }
}

#[test]
fn a_type_past_sixteen_bits_is_a_located_error() {
    let n = regelverk::check::model::MAX_VALUES + 1;
    let p = check_text(&wide_ruleset(n, &[0], false));
    assert!(p.compiled.is_none());
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == regelverk::diagnostic::Code::TooLarge)
        .expect("R0203");
    assert!(d.message.contains(&format!("{n} värden")), "{}", d.message);
    assert_eq!(p.sources.location(d.primary.span), "brett.regel:2:5");
}

// ------------------------------------------------------------------ periods of validity

const TIMED_NATIONAL: &str = r#"regelverk "Nationellt"
typ Läsare: patient, ombud
fakta datum: datum
fakta läsare: Läsare
fakta blockerad: sant/falskt = falskt
fakta post.datum: datum
härledd post.ny = post.datum > datum - 14 dagar

beslut b
  utfall visa, dölj
  standard dölj skäl ingen
  källa "k"

regel N0 "Blockerad ser ingenting"
  källa "k"
  beslut b
  går före N2, N1
  om blockerad
  då dölj skäl blockerad

regel N1 "Patienten ser"
  källa "k"
  beslut b
  om läsare = patient och inte post.ny
  då visa skäl egen

regel N2 "Ombud ser inte"
  källa "k"
  beslut b
  om läsare = ombud
  då dölj skäl ombud
"#;

const TIMED_REGION: &str = r#"regelverk "Region" bygger på "../nationellt"

avsteg R1 "Ombud ser från 2022-03-01"
  motivering "m"
  källa "k"
  gäller från 2022-03-01
  ersätter regel N2
  om läsare = ombud
  då visa skäl ombud

avsteg R2 "Patienten ser inget till och med 2020-12-31"
  motivering "m"
  källa "k"
  gäller till och med 2020-12-31
  stryker regel N1

avsteg R3 "Nytt är sju dagar under 2021"
  motivering "m"
  källa "k"
  gäller från 2021-01-01
  gäller till och med 2021-12-31
  omdefinierar post.ny = post.datum > datum - 7 dagar
"#;

fn timed_region() -> (Ruleset, Evaluator) {
    let p = Pipeline::from_checked(regelverk::check::check_texts(
        &[("nationellt.regel", TIMED_NATIONAL)],
        &[("region.regel", TIMED_REGION)],
    ));
    let compiled = p
        .compiled
        .unwrap_or_else(|| panic!("{}", render(&p.diagnostics, &p.sources)));
    let table = compiled.table("b").unwrap().clone();
    (p.ruleset.unwrap(), Evaluator::new(table).unwrap())
}

fn decide_timed(evaluator: &Evaluator, request: Json) -> (String, Option<String>) {
    let d = evaluator.decide_json(&request).unwrap();
    (d.outcome.to_owned(), d.reason.map(str::to_owned))
}

#[test]
fn a_deviation_with_a_period_changes_the_national_rules_only_inside_it() {
    let (ruleset, evaluator) = timed_region();
    let pair = |o: &str, r: &str| (o.to_owned(), Some(r.to_owned()));
    let ombud = |datum: &str| json!({"datum": datum, "läsare": "ombud"});
    // `ersätter regel` from 2022-03-01: the national N2 before, the region's rule after.
    assert_eq!(
        decide_timed(&evaluator, ombud("2022-02-28")),
        pair("dölj", "ombud")
    );
    assert_eq!(
        decide_timed(&evaluator, ombud("2022-03-01")),
        pair("visa", "ombud")
    );
    // A national rule that goes before N2 goes before the rule replacing it too.
    let blocked = json!({"datum": "2022-03-01", "läsare": "ombud", "blockerad": true});
    assert_eq!(decide_timed(&evaluator, blocked), pair("dölj", "blockerad"));
    // `stryker regel` through 2020-12-31: no N1 then, N1 again after.
    let patient =
        |datum: &str| json!({"datum": datum, "läsare": "patient", "post": {"datum": "2020-01-01"}});
    assert_eq!(
        decide_timed(&evaluator, patient("2020-12-31")),
        pair("dölj", "ingen")
    );
    assert_eq!(
        decide_timed(&evaluator, patient("2021-01-01")),
        pair("visa", "egen")
    );
    // `omdefinierar` during 2021: an entry of 10 days is not new then, new before and after.
    let ten_days = |datum: &str, post: &str| json!({"datum": datum, "läsare": "patient", "post": {"datum": post}});
    assert_eq!(
        decide_timed(&evaluator, ten_days("2021-06-11", "2021-06-01")),
        pair("visa", "egen")
    );
    assert_eq!(
        decide_timed(&evaluator, ten_days("2022-06-11", "2022-06-01")),
        pair("dölj", "ingen")
    );
    // The periods stay periods in the model and the table.
    let r1 = ruleset.rules.iter().find(|r| r.id == "R1").unwrap();
    assert_eq!(r1.period.unwrap().from, Date::parse("2022-03-01"));
    let n2 = ruleset.rules.iter().find(|r| r.id == "N2").unwrap();
    let suspender = ruleset.deviation(n2.suspended_by.unwrap());
    assert_eq!(suspender.id, "R1");
    let table = evaluator.table();
    let info = |id: &str| table.rules.iter().find(|r| r.id == id).unwrap();
    assert_eq!(info("R1").period.unwrap().from, Date::parse("2022-03-01"));
    assert_eq!(table.deviations[info("N2").suspended_by.unwrap()].id, "R1");
    assert!(
        table
            .columns
            .iter()
            .any(|c| c.name == "datum >= 2022-03-01"),
        "the period is a column on datum"
    );
}

#[test]
fn a_period_on_a_number_or_a_whole_decision_is_refused() {
    let national = TIMED_NATIONAL.replace(
        "härledd post.ny = post.datum > datum - 14 dagar",
        "härledd post.ny = post.datum > datum - 14 dagar\nhärledd gräns = datum - 14 dagar",
    );
    let region = r#"regelverk "Region" bygger på "../nationellt"

avsteg R4 "Gränsen flyttas"
  motivering "m"
  källa "k"
  gäller från 2022-01-01
  omdefinierar gräns = datum - 7 dagar

avsteg R5 "Hela beslutet"
  motivering "m"
  källa "k"
  gäller från 2022-01-01
  ersätter beslut b
"#;
    let checked = regelverk::check::check_texts(
        &[("nationellt.regel", &national)],
        &[("region.regel", region)],
    );
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "R0114").count(),
        2,
        "{}",
        render(&checked.diagnostics, &checked.sources)
    );
}

/// Issue 14: periods that touch (`gäller till och med 2019-08-31`, `gäller från
/// 2019-09-01`) never hold on the same day, so their rules need no order between them; the
/// table decides by the one in force on each side of the boundary.
#[test]
fn touching_periods_are_no_conflict() {
    let p = load("tests/fixtures/compile/perioder-som-mots");
    let compiled = p
        .compiled
        .unwrap_or_else(|| panic!("{}", render(&p.diagnostics, &p.sources)));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let evaluator = Evaluator::new(compiled.table("direktåtkomst").unwrap().clone()).unwrap();
    let decide = |datum: &str| {
        let d = evaluator
            .decide_json(&json!({"läsare": "vårdnadshavare", "datum": datum}))
            .unwrap();
        (d.outcome.to_owned(), d.reason.map(str::to_owned))
    };
    assert_eq!(
        decide("2019-08-31"),
        ("dölj".to_owned(), Some("före_perioden".to_owned()))
    );
    assert_eq!(
        decide("2019-09-01"),
        ("visa".to_owned(), Some("vårdnadshavare".to_owned()))
    );
    // No row stands for a day in both periods.
    let table = compiled.table("direktåtkomst").unwrap();
    let both = table.rows.iter().any(|row| {
        ["datum <= 2019-08-31", "datum >= 2019-09-01"]
            .iter()
            .all(|c| {
                row.when
                    .iter()
                    .any(|w| w.column == *c && w.values == ["sant"])
            })
    });
    assert!(!both, "{:#?}", table.rows);
}

/// Periods that share days are a conflict, with an example request on one of those days.
#[test]
fn overlapping_periods_are_a_conflict_with_a_real_example() {
    let p = load("tests/fixtures/compile/perioder-som-overlappar");
    assert!(p.compiled.is_none());
    let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["R0201"]);
    let note = p.diagnostics[0]
        .notes
        .iter()
        .find(|n| n.starts_with("exempel"))
        .unwrap_or_else(|| panic!("no example: {:?}", p.diagnostics[0].notes));
    let json: Json = serde_json::from_str(note.split_once(": ").unwrap().1).unwrap();
    assert_eq!(json["läsare"], "vårdnadshavare");
    let datum = json["datum"].as_str().unwrap();
    assert!(("2019-08-25"..="2019-08-31").contains(&datum), "{datum}");
    insta::assert_snapshot!(
        "perioder_som_overlappar",
        render(&p.diagnostics, &p.sources)
    );
}
