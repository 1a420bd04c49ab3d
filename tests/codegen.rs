//! Code generation (`regel compile --format rust`): the committed module for VGR
//! `direktåtkomst` is exactly what the generator writes today, and decides as the table does
//! (outcome, reason, rule, row and `visas från`, or a refusal) on 10,000 generated requests
//! and on hand-picked boundaries: 29 February, 2019-10-01, 2022-02-28, identifiers in
//! another case or with a space, a missing fact.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and bench code: a failure should stop with the value that caused it"
)]

mod common;

#[allow(
    dead_code,
    unused_imports,
    reason = "shared with the peers crate, which uses all of it (and its tests' imports)"
)]
#[path = "../benches/peers/src/date.rs"]
mod date;
#[allow(
    dead_code,
    unused_imports,
    reason = "shared with the peers crate, which uses all of it (and its tests' imports)"
)]
#[path = "../benches/peers/src/generate.rs"]
mod generate;
#[allow(
    dead_code,
    reason = "shared with the peers crate, which uses all of it"
)]
#[path = "../benches/peers/src/request.rs"]
mod request;
#[allow(
    dead_code,
    reason = "the generated module's whole API; the test uses part of it"
)]
#[path = "../benches/generated/vastra_gotaland.rs"]
mod vgr;

use regelverk::table::{DecisionTable, Evaluator, RequestError};
use regelverk::time::Unit;
use serde_json::Value as Json;
use std::path::Path;

/// How the committed module is made: its header says so, and a stale one names it.
const ORIGIN: &str = "regel compile regions/vastra-gotaland --format rust --decision direktåtkomst";
const MODULE: &str = "benches/generated/vastra_gotaland.rs";

fn table() -> DecisionTable {
    let pipeline = regelverk::Pipeline::load(Path::new("regions/vastra-gotaland")).unwrap();
    let compiled = pipeline.compiled.expect("the ruleset compiles");
    compiled.table("direktåtkomst").unwrap().clone()
}

#[test]
fn the_committed_module_is_what_the_generator_writes() {
    let written = regelverk::codegen::rust(&table(), ORIGIN).unwrap();
    let committed = std::fs::read_to_string(MODULE).unwrap();
    assert!(
        written == committed,
        "{MODULE} is stale: generate it again with `{ORIGIN} -o {MODULE}`"
    );
}

/// A decision, or why there is none, as both deciders can say it.
type Outcome = Result<
    (
        String,
        Option<String>,
        Option<String>,
        usize,
        Option<String>,
    ),
    String,
>;

fn by_table(evaluator: &Evaluator, text: &str) -> Outcome {
    match evaluator.decide_text(text) {
        Ok(d) => Ok((
            d.outcome.to_owned(),
            d.reason.map(str::to_owned),
            d.rule.map(|r| r.id.clone()),
            d.row,
            d.shown_from.map(|d| d.to_string()),
        )),
        Err(RequestError::Missing { fact, .. }) => Err(format!("missing {fact}")),
        Err(RequestError::InvalidId { fact, .. }) => Err(format!("invalid id {fact}")),
        Err(e) => Err(format!("other: {e}")),
    }
}

/// A fact of a nested JSON request, by its dotted name.
fn lookup<'a>(json: &'a Json, name: &str) -> Option<vgr::Value<'a>> {
    let mut at = json;
    for part in name.split('.') {
        at = at.get(part)?;
    }
    Some(value(name, at))
}

fn value<'a>(name: &str, json: &'a Json) -> vgr::Value<'a> {
    match json {
        Json::Bool(b) => vgr::Value::Bool(*b),
        Json::Number(n) => vgr::Value::Int(n.as_i64().unwrap()),
        Json::String(s) => vgr::Value::Text(s),
        other => panic!("`{name}` is {other}"),
    }
}

/// The generated module's decision of a request, its facts given as pairs by dotted name.
fn by_module(text: &str) -> Outcome {
    let json: Json = serde_json::from_str(text).unwrap();
    let mut flat = serde_json::Map::new();
    flatten(&json, "", &mut flat);
    let pairs: Vec<(&str, vgr::Value<'_>)> = flat
        .iter()
        .map(|(name, v)| (name.as_str(), value(name, v)))
        .collect();
    let by_name = vgr::Facts::from_fn(|name| lookup(&json, name));
    let decided = vgr::Facts::from_pairs(&pairs).and_then(|f| vgr::decide(&f));
    // Read by name from the nested request, the same facts.
    assert_eq!(by_name, vgr::Facts::from_pairs(&pairs));
    match decided {
        Ok(d) => Ok((
            d.outcome.as_str().to_owned(),
            d.reason.map(|r| r.as_str().to_owned()),
            d.rule.map(|r| r.id().to_owned()),
            d.row,
            d.shown_from.map(|d| d.to_string()),
        )),
        Err(vgr::Error::Missing(fact)) => Err(format!("missing {fact}")),
        Err(vgr::Error::InvalidId(fact)) => Err(format!("invalid id {fact}")),
        Err(e) => Err(format!("other: {e}")),
    }
}

#[test]
fn the_module_decides_as_the_table_on_generated_requests() {
    let evaluator = Evaluator::new(table()).unwrap();
    let (mut shown, mut rows) = (0, std::collections::BTreeSet::new());
    for text in generate::requests(29, 10_000) {
        let table = by_table(&evaluator, &text);
        assert_eq!(by_module(&text), table, "{text}");
        let decided = table.expect("generated requests are valid");
        shown += usize::from(decided.4.is_some());
        rows.insert(decided.3);
    }
    // The requests reach the rule that hides an entry until a day, and many rows.
    assert!(
        shown > 10,
        "{shown} decisions with a day the entry is shown"
    );
    assert!(rows.len() > 100, "{} rows reached", rows.len());
}

/// A request: a patient or guardian reading an entry of a unit (a diagnosis, unless `extra`
/// says otherwise).
fn request(reader: &str, born: &str, date: &str, entry: &str, extra: &str) -> String {
    let extra = if extra.is_empty() {
        r#", "kategori": "diagnos""#
    } else {
        extra
    };
    format!(
        r#"{{"datum": "{date}", "läsare": "{reader}", "patient": {{"födelsedatum": "{born}"}},
            "post": {{"datum": "{entry}", "vårdenhet": "SE2321000131-VC7"{extra}}}}}"#
    )
}

/// What a hand-picked request gives: outcome, reason and the day the entry is shown, or
/// why it is refused.
type Expected = Result<(&'static str, &'static str, Option<&'static str>), &'static str>;

#[test]
fn the_module_decides_as_the_table_on_the_boundaries() {
    let evaluator = Evaluator::new(table()).unwrap();
    let sealed = |unit: &str| {
        format!(
            r#"{{"datum": "2026-05-01", "läsare": "patient",
                "patient": {{"födelsedatum": "1980-01-01"}},
                "vårdförsegling": {{"finns": true, "omfattning": "enhet", "enhet": "{unit}"}},
                "post": {{"datum": "2026-04-01", "vårdenhet": "SE2321000131-VC7", "kategori": "diagnos"}}}}"#
        )
    };
    let cases: Vec<(String, Expected)> = vec![
        // Born on 29 February: 16 on 1 March in a year without one, on the day in a leap year.
        (
            request("patient", "2008-02-29", "2024-02-28", "2024-01-10", ""),
            Ok(("dölj", "ingen_behörighet", None)),
        ),
        (
            request("patient", "2008-02-29", "2024-02-29", "2024-01-10", ""),
            Ok(("visa", "egen_åtkomst", None)),
        ),
        (
            request("patient", "2009-02-28", "2025-02-28", "2024-01-10", ""),
            Ok(("visa", "egen_åtkomst", None)),
        ),
        (
            request(
                "vårdnadshavare",
                "2012-02-29",
                "2025-02-28",
                "2024-01-10",
                "",
            ),
            Ok(("visa", "vårdnadshavare", None)),
        ),
        (
            request(
                "vårdnadshavare",
                "2012-02-29",
                "2025-03-01",
                "2024-01-10",
                "",
            ),
            Ok(("dölj", "ingen_behörighet", None)),
        ),
        // Children's records were connected on 2019-10-01 (VGR-ANS).
        (
            request(
                "vårdnadshavare",
                "2018-05-01",
                "2020-05-01",
                "2019-09-30",
                "",
            ),
            Ok(("dölj", "före_anslutning", None)),
        ),
        (
            request(
                "vårdnadshavare",
                "2018-05-01",
                "2020-05-01",
                "2019-10-01",
                "",
            ),
            Ok(("visa", "vårdnadshavare", None)),
        ),
        // Unsigned notes were held back until 2022-02-28 (VGR-OS), at the latest to 1 March.
        (
            request(
                "patient",
                "1980-01-01",
                "2022-02-28",
                "2022-02-20",
                r#", "signerad": false, "kategori": "anteckning""#,
            ),
            Ok(("dölj", "osignerad", Some("2022-03-01"))),
        ),
        (
            request(
                "patient",
                "1980-01-01",
                "2022-02-20",
                "2022-02-10",
                r#", "signerad": false, "kategori": "anteckning""#,
            ),
            Ok(("dölj", "osignerad", Some("2022-02-24"))),
        ),
        (
            request(
                "patient",
                "1980-01-01",
                "2022-03-01",
                "2022-02-20",
                r#", "signerad": false, "kategori": "anteckning""#,
            ),
            Ok(("visa", "egen_åtkomst", None)),
        ),
        // A unit id in another case is the same unit; one with a space is refused.
        (
            sealed("se2321000131-vc7"),
            Ok(("dölj", "vårdförseglad", None)),
        ),
        (
            sealed("SE2321000131-VC7"),
            Ok(("dölj", "vårdförseglad", None)),
        ),
        (
            sealed("SE2321000131-VC8"),
            Ok(("visa", "egen_åtkomst", None)),
        ),
        (
            sealed("SE2321000131-VC7 "),
            Err("invalid id vårdförsegling.enhet"),
        ),
        // A fact the path needs, left out.
        (
            r#"{"läsare": "patient", "patient": {"födelsedatum": "1980-01-01"},
                "post": {"datum": "2026-04-01", "vårdenhet": "SE-A", "kategori": "diagnos"}}"#
                .to_owned(),
            Err("missing datum"),
        ),
    ];
    for (text, expected) in cases {
        let table = by_table(&evaluator, &text);
        assert_eq!(by_module(&text), table, "{text}");
        match (expected, table) {
            (Ok((outcome, reason, shown)), Ok(got)) => assert_eq!(
                (outcome, Some(reason), shown),
                (got.0.as_str(), got.1.as_deref(), got.4.as_deref()),
                "{text}"
            ),
            (Err(why), Err(got)) => assert_eq!(why, got, "{text}"),
            (expected, got) => panic!("{text}: expected {expected:?}, got {got:?}"),
        }
    }
}

/// The module accepts only identifiers it can compare as the table does: ASCII, compared
/// without regard to case; anything the table would fold (another script, a compatibility
/// form) is refused, never compared as it came.
#[test]
fn identifiers_the_module_cannot_fold_are_refused() {
    assert!(vgr::Id::new("se-a") == vgr::Id::new("SE-A"));
    assert!(vgr::Id::new("SE-A").unwrap().is("SE-A"));
    assert!(!vgr::Id::new("SE-A").unwrap().is("SE-B"));
    for refused in [
        "",
        "SE A",
        "SE-A\t",
        "\u{ff33}\u{ff25}-A",
        "VÅRD",
        "SE-A\u{200b}",
    ] {
        assert_eq!(vgr::Id::new(refused), None, "{refused:?}");
    }
    let facts = vgr::Facts::from_fn(|name| match name {
        "post.vårdenhet" => Some(vgr::Value::Text("\u{ff33}\u{ff25}-A")),
        _ => None,
    });
    assert_eq!(facts, Err(vgr::Error::InvalidId("post.vårdenhet")));
}

/// Facts given as pairs: a name the ruleset does not declare, or one given twice, is
/// refused before anything is read, as the table refuses them.
#[test]
fn a_misspelt_or_repeated_fact_is_refused() {
    let pairs = [
        ("datum", vgr::Value::Text("2026-05-01")),
        ("vårdnadshavare.blokerad", vgr::Value::Bool(true)),
    ];
    assert_eq!(
        vgr::Facts::from_pairs(&pairs),
        Err(vgr::Error::UnknownFact(1))
    );
    let pairs = [
        ("läsare", vgr::Value::Text("vårdnadshavare")),
        ("vårdnadshavare.blockerad", vgr::Value::Bool(true)),
        ("vårdnadshavare.blockerad", vgr::Value::Bool(false)),
    ];
    assert_eq!(
        vgr::Facts::from_pairs(&pairs),
        Err(vgr::Error::Duplicate(2))
    );
    // A fact of the ruleset the decision does not read is no error.
    let pairs = [("ombud.förordnande", vgr::Value::Bool(true))];
    assert!(vgr::Facts::from_pairs(&pairs).is_ok());
    assert_eq!(vgr::FACTS.len(), table().facts.len());
}

#[test]
fn compile_writes_rust_for_one_decision() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vgr.rs");
    let (code, _, err) = common::regel(
        &[
            "compile",
            "regions/vastra-gotaland",
            "--format",
            "rust",
            "--decision",
            "direktåtkomst",
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, std::fs::read_to_string(MODULE).unwrap());
    // Several decisions: which one must be said.
    let (code, _, err) = common::regel(
        &["compile", "regions/vastra-gotaland", "--format", "rust"],
        None,
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!(err, @"fel: ange beslutet med `--decision NAMN`: regelverket har `direktåtkomst`, `försegling`, `upplåsning`");
    let (code, _, err) = common::regel(
        &[
            "compile",
            "regions/vastra-gotaland",
            "--decision",
            "direktåtkomst",
        ],
        None,
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!(err, @"fel: `--decision` gäller bara `--format rust`: ron och json skriver alla beslut");
}

/// The example of the README's section on `--format rust`, as written there.
#[test]
fn the_readme_example_decides() {
    let decide = || -> Result<vgr::Decision, vgr::Error> {
        let facts = vgr::Facts::from_pairs(&[
            ("datum", vgr::Value::Text("2026-05-01")),
            ("läsare", vgr::Value::Text("patient")),
            ("patient.födelsedatum", vgr::Value::Text("2008-03-14")),
        ])?;
        let decision = vgr::decide(&facts)?;
        assert_eq!(decision.outcome.as_str(), "visa");
        assert_eq!(decision.rule.map(vgr::Rule::id), Some("N1"));
        Ok(decision)
    };
    decide().unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(readme.contains(r#"    ("patient.födelsedatum", vgr::Value::Text("2008-03-14")),"#));
}

/// The program the heavy test compiles around a generated module: it reads requests, one a
/// line as `name TAB kind TAB value` triples (kind `B`, `I` or `T`), and writes one line
/// per request, as [`line_of_table`] writes the table's decision.
const DRIVER: &str = r#"
#[allow(dead_code, reason = "the module's whole API; the driver uses part of it")]
mod generated;

use std::fmt::Write as _;
use std::io::BufRead as _;

fn main() {
    let mut out = String::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("a line");
        let fields: Vec<&str> = line.split('\t').collect();
        let mut facts = Vec::new();
        for triple in fields.chunks(3) {
            if let [name, kind, value] = triple {
                let value = match *kind {
                    "B" => generated::Value::Bool(*value == "true"),
                    "I" => generated::Value::Int(value.parse().expect("a number")),
                    _ => generated::Value::Text(value),
                };
                facts.push((*name, value));
            }
        }
        let decided = generated::Facts::from_pairs(&facts).and_then(|f| generated::decide(&f));
        let _ = match decided {
            Ok(d) => writeln!(
                out,
                "ok {} {} {} {} {}",
                d.outcome.as_str(),
                d.reason.map_or("-", |r| r.as_str()),
                d.rule.map_or("-", |r| r.id()),
                d.row,
                d.shown_from.map_or("-".to_owned(), |d| d.to_string())
            ),
            Err(generated::Error::Missing(fact)) => writeln!(out, "missing {fact}"),
            Err(_) => writeln!(out, "error"),
        };
    }
    print!("{out}");
}
"#;

/// The table's decision of a request (facts by dotted name), as the driver writes it.
fn line_of_table(evaluator: &Evaluator, facts: &serde_json::Map<String, Json>) -> String {
    match evaluator.decide_json(&Json::Object(facts.clone())) {
        Ok(d) => format!(
            "ok {} {} {} {} {}",
            d.outcome,
            d.reason.unwrap_or("-"),
            d.rule.map_or("-", |r| r.id.as_str()),
            d.row,
            d.shown_from.map_or("-".to_owned(), |d| d.to_string())
        ),
        Err(RequestError::Missing { fact, .. }) => format!("missing {fact}"),
        Err(_) => "error".to_owned(),
    }
}

/// A request's facts by dotted name, from nested or dotted JSON.
fn flatten(json: &Json, prefix: &str, out: &mut serde_json::Map<String, Json>) {
    if let Json::Object(map) = json {
        for (k, v) in map {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if v.is_object() {
                flatten(v, &name, out);
            } else {
                out.insert(name, v.clone());
            }
        }
    }
}

/// Requests that reach every row of a table the witness search finds a request for, and
/// each of them changed at one fact: a date a day or a year either way, an identifier in
/// lower case, a truth value flipped, the fact left out.
fn requests(evaluator: &Evaluator) -> Vec<serde_json::Map<String, Json>> {
    use regelverk::table::witness::{Constraint, find};
    let table = evaluator.table();
    let mut found = Vec::new();
    for row in &table.rows {
        let constraints: Vec<Constraint<'_>> = row
            .when
            .iter()
            .map(|c| {
                let column = table
                    .columns
                    .iter()
                    .position(|k| k.name == c.column)
                    .unwrap();
                let mut cells = regelverk::table::Cells::EMPTY;
                for v in &c.values {
                    let cell = table.columns[column]
                        .cells
                        .iter()
                        .position(|x| x == v)
                        .unwrap();
                    cells.insert(cell);
                }
                Constraint {
                    evaluator,
                    column,
                    cells,
                }
            })
            .collect();
        if let Some(json) = find(&constraints) {
            let mut facts = serde_json::Map::new();
            flatten(&json, "", &mut facts);
            found.push(facts);
        }
    }
    let mut all = found.clone();
    for facts in &found {
        for (name, value) in facts {
            let mut changed = |v: Option<Json>| {
                let mut variant = facts.clone();
                match v {
                    Some(v) => variant.insert(name.clone(), v),
                    None => variant.remove(name),
                };
                all.push(variant);
            };
            changed(None);
            match value {
                Json::Bool(b) => changed(Some(Json::Bool(!b))),
                Json::String(s) => {
                    if let Some(date) = regelverk::time::Date::parse(s) {
                        for (n, unit) in [
                            (-1, Unit::Days),
                            (1, Unit::Days),
                            (-1, Unit::Years),
                            (1, Unit::Years),
                        ] {
                            if let Some(d) = date.shift(n, unit).filter(|d| d.is_writable()) {
                                changed(Some(Json::String(d.to_string())));
                            }
                        }
                    } else if s.to_lowercase() != *s {
                        changed(Some(Json::String(s.to_lowercase())));
                    }
                }
                _ => {}
            }
        }
    }
    all
}

/// Every decision of every ruleset in the repository (and of two fixtures), generated,
/// formatted, linted,
/// compiled with rustc and run: it decides as the table on requests that reach every row,
/// and on each of them changed at one fact. Heavy (rustc per decision): only when
/// `REGEL_TEST_HEAVY` is set, as `.ci/run` does.
#[test]
fn every_decision_of_every_ruleset_compiles_and_decides_as_its_table() {
    if std::env::var_os("REGEL_TEST_HEAVY").is_none() {
        eprintln!("skipped: set REGEL_TEST_HEAVY=1 to generate and compile every decision");
        return;
    }
    let mut rulesets = vec![std::path::PathBuf::from("rules")];
    let mut regions: Vec<_> = std::fs::read_dir("regions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    regions.sort();
    rulesets.extend(regions);
    // Fixtures with what the repository's rulesets lack: text facts, whole numbers.
    rulesets.push("tests/fixtures/compile/liten".into());
    rulesets.push("tests/fixtures/compile/perioder-som-mots".into());
    let dir = tempfile::tempdir().unwrap();
    let (mut decisions, mut checked) = (0, 0);
    for ruleset in &rulesets {
        let pipeline = regelverk::Pipeline::load(ruleset).unwrap();
        let compiled = pipeline
            .compiled
            .unwrap_or_else(|| panic!("{}", ruleset.display()));
        for table in &compiled.tables {
            let what = format!("{} {}", ruleset.display(), table.decision);
            let code = regelverk::codegen::rust(table, &what).unwrap();
            let module = dir.path().join("generated.rs");
            std::fs::write(&module, &code).unwrap();
            std::fs::write(dir.path().join("main.rs"), DRIVER).unwrap();
            let run = |program: &str, args: &[&str]| {
                let out = std::process::Command::new(program)
                    .args(args)
                    .current_dir(dir.path())
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{what}: {program} {args:?}:\n{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            run("rustfmt", &["--edition", "2024", "--check", "generated.rs"]);
            let lib = [
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--emit",
                "metadata",
            ];
            run(
                "clippy-driver",
                &[&lib[..], &["-D", "warnings", "generated.rs"]].concat(),
            );
            run(
                "rustc",
                &[
                    "--edition",
                    "2024",
                    "-D",
                    "warnings",
                    "main.rs",
                    "-o",
                    "decide",
                ],
            );

            let evaluator = Evaluator::new(table.clone()).unwrap();
            let requests = requests(&evaluator);
            let mut input = String::new();
            for facts in &requests {
                let fields: Vec<String> = facts
                    .iter()
                    .map(|(name, v)| match v {
                        Json::Bool(b) => format!("{name}\tB\t{b}"),
                        Json::Number(n) => format!("{name}\tI\t{n}"),
                        Json::String(s) => format!("{name}\tT\t{s}"),
                        other => panic!("{what}: `{name}` is {other}"),
                    })
                    .collect();
                input.push_str(&fields.join("\t"));
                input.push('\n');
            }
            let mut child = std::process::Command::new(dir.path().join("decide"))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || {
                use std::io::Write as _;
                stdin.write_all(input.as_bytes()).unwrap();
            });
            let out = child.wait_with_output().unwrap();
            writer.join().unwrap();
            assert!(out.status.success(), "{what}: the driver failed");
            let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
            assert_eq!(lines.len(), requests.len(), "{what}");
            for (facts, line) in requests.iter().zip(lines) {
                assert_eq!(
                    line,
                    line_of_table(&evaluator, facts),
                    "{what}: {}",
                    Json::Object(facts.clone())
                );
            }
            decisions += 1;
            checked += requests.len();
        }
    }
    eprintln!("{decisions} decisions generated, compiled and run on {checked} requests");
    assert!(decisions >= 13 * 3 + 2, "{decisions} decisions");
}
