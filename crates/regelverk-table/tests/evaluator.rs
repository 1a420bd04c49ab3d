//! The evaluator on its own: a stored table edited by hand is refused when it is loaded,
//! never half-used when deciding, and a request is read only by an evaluator of its facts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop with the value that caused it"
)]
use regelverk_table::time::Date;
use regelverk_table::witness::{self, Constraint};
use regelverk_table::{
    BoolExpr, Cells, Column, ColumnKind, CompareOp, CompiledRuleset, DateExpr, DecisionTable,
    Evaluator, FactSchema, FactType, RequestError,
};
use serde_json::json;

fn table() -> DecisionTable {
    let compiled = CompiledRuleset::parse(include_str!("data/liten.ron")).unwrap();
    compiled.table("direktåtkomst").unwrap().clone()
}

fn fact(table: &DecisionTable, name: &str) -> usize {
    table.facts.iter().position(|f| f.name == name).unwrap()
}

fn column(table: &DecisionTable, name: &str) -> usize {
    table.columns.iter().position(|c| c.name == name).unwrap()
}

/// `edit` applied to the table, which must then be refused with a message holding `says`.
fn refused(edit: impl FnOnce(&mut DecisionTable), says: &str) {
    let mut t = table();
    edit(&mut t);
    match Evaluator::new(t) {
        Ok(_) => panic!("a table edited to fail with `{says}` was accepted"),
        Err(e) => assert!(e.to_string().contains(says), "`{e}` does not say `{says}`"),
    }
}

#[test]
fn the_committed_table_loads() {
    let t = table();
    let rows = t.rows.len();
    let evaluator = Evaluator::new(t).unwrap();
    assert_eq!(evaluator.table().rows.len(), rows);
}

/// The stored form survives a round trip: read back, the table is the same and is written
/// byte for byte as it was, in RON and in JSON.
#[test]
fn the_stored_form_round_trips() {
    let text = include_str!("data/liten.ron");
    let compiled = CompiledRuleset::parse(text).unwrap();
    assert_eq!(compiled.to_ron().unwrap(), text);
    let json = compiled.to_json().unwrap();
    let again = CompiledRuleset::parse(&json).unwrap();
    assert_eq!(again, compiled);
    assert_eq!(again.to_json().unwrap(), json);
}

/// A table of an earlier format version is refused as such, before any key it does not
/// share with this version is read. `data/format-2.json` is a table in version 2 (Swedish
/// keys: `utfall`, `när`, `källor`, …), which regel at that version loads and decides.
#[test]
fn a_table_of_an_earlier_format_version_is_refused() {
    let refusal = "tabellen har formatversion 2; kompilera om med `regel compile`";
    assert_eq!(
        CompiledRuleset::parse(include_str!("data/format-2.json")),
        Err(refusal.to_owned())
    );
    // Only the version differs: the same table with this version's keys is read.
    let current = include_str!("data/liten.ron");
    let marked = format!("format: {}", regelverk_table::FORMAT_VERSION);
    assert_eq!(
        current.matches(&marked).count(),
        2,
        "the file and its one table"
    );
    let earlier = current.replace(&marked, "format: 2");
    assert_eq!(CompiledRuleset::parse(&earlier), Err(refusal.to_owned()));
    // A text that is no table at all still says what is wrong with it.
    let error = CompiledRuleset::parse("{\"tables\": []}").unwrap_err();
    assert!(error.starts_with("ogiltig JSON-tabell"), "{error}");
}

/// A key the format does not have (misspelt, or from another version) is refused, never
/// skipped: a skipped `deviation` would cite a rule without the deviation it comes from.
#[test]
fn a_key_the_format_does_not_have_is_refused() {
    let compiled = CompiledRuleset::parse(include_str!("data/liten.ron")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&compiled.to_json().unwrap()).unwrap();
    json["tables"][0]["rules"][0]["deviaton"] = json!(0);
    let error = CompiledRuleset::parse(&json.to_string()).unwrap_err();
    assert!(error.contains("unknown field `deviaton`"), "{error}");
    let ron = compiled
        .to_ron()
        .unwrap()
        .replacen("outcome:", "utfall:", 1);
    let error = CompiledRuleset::parse(&ron).unwrap_err();
    assert!(error.contains("utfall"), "{error}");
}

#[test]
fn a_table_edited_by_hand_is_refused_when_it_is_loaded() {
    refused(|t| t.rows[0].rule = Some(99), "nämner regel 99");
    refused(|t| t.rows[0].overridden = vec![99], "nämner regel 99");
    refused(|t| t.rules[0].deviation = Some(99), "nämner ett avsteg");
    refused(
        |t| t.rows[0].when[0].column = "läsarval.rådrumm".into(),
        "okända kolumnen `läsarval.rådrumm`",
    );
    refused(
        |t| t.rows[0].when[0].values = vec!["kanske".into()],
        "har ingen cell `kanske`",
    );
    refused(
        |t| {
            let copy = t.columns[0].clone();
            t.columns.push(copy);
        },
        "finns två gånger",
    );
    refused(
        |t| {
            let copy = t.facts[0].clone();
            t.facts.push(copy);
        },
        "finns två gånger",
    );
    refused(
        |t| {
            let c = column(t, "läsare");
            t.columns[c].cells.pop();
        },
        "andra celler än värdena",
    );
    refused(
        |t| {
            let c = column(t, "antal_besök");
            t.columns[c].cells.push("101–200".into());
        },
        "intervall som inte motsvarar",
    );
    refused(
        |t| {
            let c = column(t, "antal_besök");
            if let ColumnKind::Int { intervals, .. } = &mut t.columns[c].kind {
                intervals.reverse();
            }
        },
        "intervall som inte motsvarar",
    );
    refused(
        |t| {
            let c = column(t, "post.ny");
            t.columns[c].cells.push("kanske".into());
        },
        "två celler",
    );
    refused(
        |t| {
            let c = column(t, "läsare");
            t.columns[c].kind = ColumnKind::Enum("antal_besök".into());
        },
        "fel typ",
    );
    refused(
        |t| {
            let copy = t.rows[0].clone();
            t.rows.insert(1, copy);
        },
        "överlappar",
    );
    refused(|t| t.rows.clear(), "inga rader");
    refused(
        |t| {
            let f = t
                .facts
                .iter_mut()
                .find(|f| f.name == "antal_besök")
                .unwrap();
            f.default = Some(json!("många"));
        },
        "standardvärdet för `antal_besök`",
    );
}

#[test]
fn a_request_is_decided_only_by_an_evaluator_of_its_facts() {
    let request = json!({"datum": "2026-05-01", "läsare": "patient",
                         "patient": {"födelsedatum": "2008-03-14"}});
    let a = Evaluator::new(table()).unwrap();
    // Another evaluator of the same facts reads the same slots the same way.
    let b = Evaluator::new(table()).unwrap();
    let checked = a.request(&request).unwrap();
    assert_eq!(b.decide(&checked).unwrap().outcome, "visa");
    // One with another fact first would read every slot as another fact.
    let mut other = table();
    other.facts.insert(
        0,
        FactSchema {
            name: "akut".into(),
            ty: FactType::Bool,
            default: Some(json!(false)),
            kan_saknas: false,
        },
    );
    let c = Evaluator::new(other).unwrap();
    assert_eq!(c.decide(&checked), Err(RequestError::OtherTable));
    assert_eq!(c.cell(0, &checked), Err(RequestError::OtherTable));
    assert_eq!(c.decide_json(&request).unwrap().outcome, "visa");
}

/// A request's shape kept by one evaluator is never used by an evaluator of other facts,
/// where its slots would be other facts: one `Scratch` for both, each request answered as
/// a fresh read answers it.
#[test]
fn a_shape_is_read_only_by_an_evaluator_of_its_facts() {
    let text = r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2008-03-14"}}"#;
    let a = Evaluator::new(table()).unwrap();
    // The two dates change places: a shape of `a` read by `b` would give the patient a
    // birthday after today.
    let mut swapped = table();
    let (today, born) = (
        fact(&swapped, "datum"),
        fact(&swapped, "patient.födelsedatum"),
    );
    swapped.facts.swap(today, born);
    let b = Evaluator::new(swapped).unwrap();
    let mut scratch = regelverk_table::Scratch::default();
    for round in 0..3 {
        for evaluator in [&a, &b] {
            let fresh = evaluator.decide_text(text);
            assert_eq!(fresh.as_ref().map(|d| d.outcome), Ok("visa"));
            let reused = evaluator.decide_text_with(&mut scratch, text);
            assert_eq!(reused, fresh, "round {round}");
        }
    }
}

#[test]
fn positions_outside_the_table_are_errors_not_defaults() {
    let t = table();
    let columns = t.columns.len();
    let evaluator = Evaluator::new(t).unwrap();
    let request = evaluator.empty_request();
    assert_eq!(
        evaluator.cell(columns, &request),
        Err(RequestError::UnknownColumn(columns))
    );
    assert_eq!(evaluator.column_facts(columns), None);
    assert_eq!(
        evaluator.column_facts(column(evaluator.table(), "patient.ålder")),
        Some(vec!["datum".to_owned(), "patient.födelsedatum".to_owned()])
    );
    assert_eq!(evaluator.fact_index("ingen"), None);
    // A constraint on a column the table does not have is satisfied by no request.
    let constraint = Constraint {
        evaluator: &evaluator,
        column: columns,
        cells: Cells::single(0),
    };
    assert_eq!(witness::find(&[constraint]), None);
}

#[test]
fn a_witness_reaches_the_cells_it_was_asked_for() {
    let evaluator = Evaluator::new(table()).unwrap();
    let age = column(evaluator.table(), "patient.ålder");
    let undantag = column(evaluator.table(), "post.undantag");
    for (age_cell, undantag_cell) in [(0, 1), (1, 2), (2, 0)] {
        let constraints = [
            Constraint {
                evaluator: &evaluator,
                column: age,
                cells: Cells::single(age_cell),
            },
            Constraint {
                evaluator: &evaluator,
                column: undantag,
                cells: Cells::single(undantag_cell),
            },
        ];
        let found = witness::find(&constraints).expect("a request exists");
        let request = evaluator.request(&found).unwrap();
        assert_eq!(evaluator.cell(age, &request), Ok(age_cell), "{found}");
        assert_eq!(
            evaluator.cell(undantag, &request),
            Ok(undantag_cell),
            "{found}"
        );
    }
}

#[test]
fn an_evaluator_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Evaluator>();
}

/// The table with one more comparison of `datum` with a fixed day.
fn with_day_column(op: CompareOp, day: &str) -> (Evaluator, usize, usize) {
    let mut t = table();
    t.columns.push(Column {
        name: format!("datum {} {day}", op.symbol()),
        kind: ColumnKind::Predicate(BoolExpr::DateCmp(
            DateExpr::Fact("datum".into()),
            op,
            DateExpr::Literal(Date::parse(day).unwrap()),
        )),
        cells: vec!["falskt".into(), "sant".into()],
        tolkning: Vec::new(),
    });
    let evaluator = Evaluator::new(t).unwrap();
    let (until, added) = (
        column(evaluator.table(), "datum <= 2022-02-28"),
        evaluator.table().columns.len() - 1,
    );
    (evaluator, until, added)
}

#[test]
fn a_witness_is_found_for_days_that_exist_and_none_for_days_that_do_not() {
    let age = |e: &Evaluator| column(e.table(), "patient.ålder");
    // (the added comparison, its truth, the truth of `datum <= 2022-02-28`, a day exists)
    let cases = [
        (CompareOp::Ge, "2022-03-01", true, true, false),
        (CompareOp::Ge, "2022-03-01", true, false, true),
        (CompareOp::Ge, "2022-03-01", false, true, true),
        (CompareOp::Ge, "2022-02-28", true, true, true),
        (CompareOp::Gt, "2022-02-28", true, true, false),
        (CompareOp::Lt, "2022-02-28", false, false, true),
        (CompareOp::Lt, "2022-02-28", true, false, false),
    ];
    for (op, day, added_holds, until_holds, exists) in cases {
        let (evaluator, until, added) = with_day_column(op, day);
        let constraints = [
            Constraint {
                evaluator: &evaluator,
                column: added,
                cells: Cells::single(usize::from(added_holds)),
            },
            Constraint {
                evaluator: &evaluator,
                column: until,
                cells: Cells::single(usize::from(until_holds)),
            },
            // A birth date to choose too: without the days ruled out first, the search
            // would try every pair of dates before it gives up.
            Constraint {
                evaluator: &evaluator,
                column: age(&evaluator),
                cells: Cells::single(1),
            },
        ];
        let what = format!(
            "datum {} {day} {added_holds}, <= 2022-02-28 {until_holds}",
            op.symbol()
        );
        match witness::find(&constraints) {
            Some(found) => {
                assert!(exists, "{what}: {found} found where no day exists");
                let request = evaluator.request(&found).unwrap();
                for c in &constraints {
                    assert!(
                        c.cells
                            .contains(evaluator.cell(c.column, &request).unwrap()),
                        "{what}: {found}"
                    );
                }
            }
            None => assert!(!exists, "{what}: no request found"),
        }
    }
}
