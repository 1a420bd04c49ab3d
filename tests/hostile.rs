//! Hostile input from the outside (issue 15): requests and rule files as an attacker, a
//! careless script or a broken disk would give them, run against the `regel` binary.
//!
//! Which binary: `REGEL_BIN` names it — `.ci/run` builds the release binary and runs this
//! suite on it, since that is the one shipped — and without it cargo's debug build.
//! `HOSTILE_REQUESTS` sets how many generated requests each ruleset gets (7,000 by default:
//! 21,000 over the three rulesets).
//!
//! Every run of the binary here, whatever the case, must end with exit code 0, 1 or 2 and
//! no panic message. Beyond that each test states its own promise: one answer per request
//! line, every malformed request `fel` (and the binary answering exactly as the library's
//! evaluator does), no rule file skipped or read from outside its ruleset, writes that
//! never follow a planted link, locations in the file as written, the whole calendar.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers, like tests, fail by panicking"
)]

use regelverk::render::explain::response;
use regelverk::table::{CompiledRuleset, Evaluator, FactSchema, FactType, insert_dotted};
use serde_json::{Map, Value as Json, json};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// ------------------------------------------------------------------ running the binary

/// The binary under test.
fn bin() -> PathBuf {
    match std::env::var_os("REGEL_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_regel")),
    }
}

/// The repository root: rulesets are named relative to it, as users name them.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// No single run may take longer: a hang is a failure, not a stuck CI job.
const TIMEOUT: Duration = Duration::from_secs(120);

struct Out {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Out {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The JSON answers, one per line.
    fn answers(&self) -> Vec<Json> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// Waits for a child at most [`TIMEOUT`], and checks the promise every run keeps: exit
/// code 0, 1 or 2, never a signal, never a panic message.
fn finish(mut child: Child, what: &str) -> i32 {
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let Some(code) = status.code() else {
        panic!("{what}: ended by a signal: {status:?}");
    };
    assert!(
        (0..=2).contains(&code),
        "{what}: exit code {code}, outside 0/1/2"
    );
    code
}

/// Runs `regel ARGS` in `dir` with `stdin`, and checks the promise every run keeps.
fn run_in<S: AsRef<OsStr>>(dir: &Path, args: &[S], stdin: &[u8]) -> Out {
    let what = format!(
        "regel {}",
        args.iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("REGEL_HEMLIGHET", SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", bin().display()));
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    // The binary may stop reading early (it refused the run): a broken pipe here is fine.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        out.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        err.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let code = finish(child, &what);
    writer.join().unwrap();
    let stdout = reader.join().unwrap();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(
        !stderr.contains(SECRET),
        "{what} printed the secret: {stderr}"
    );
    assert!(
        !String::from_utf8_lossy(&stdout).contains(SECRET),
        "{what} printed the secret"
    );
    Out {
        code,
        stdout,
        stderr,
    }
}

fn run<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Out {
    run_in(root(), args, stdin)
}

/// An environment variable every run gets: no output may ever hold it (a rule file linked
/// to `/proc/self/environ` would print it into CI logs).
const SECRET: &str = "hemligt-värde-4711";

/// A fresh directory, removed when dropped.
fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ------------------------------------------------------------------ tables and requests

const RULESETS: [&str; 3] = [
    "rules",
    "regions/jamtland-harjedalen",
    "regions/vastra-gotaland",
];
const DECISIONS: [&str; 3] = ["direktåtkomst", "upplåsning", "försegling"];

/// A ruleset compiled by the binary into `dir`, and read back by the library.
fn compile(ruleset: &str, dir: &Path) -> (PathBuf, CompiledRuleset) {
    let file = dir.join(format!("{}.ron", ruleset.replace('/', "_")));
    let out = run(
        &[
            OsStr::new("compile"),
            OsStr::new(ruleset),
            OsStr::new("-o"),
            file.as_os_str(),
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let compiled = CompiledRuleset::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
    (file, compiled)
}

/// SplitMix64: a small, fixed pseudo-random sequence, so every run sends the same requests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Dates near the boundaries the rules use: 2026-05-01 moved by whole years and a day,
/// and the ends of the calendar.
fn dates() -> Vec<String> {
    let mut out = vec!["0001-01-01".to_owned(), "9999-12-31".to_owned()];
    for year in 2005..=2027 {
        for (month, day) in [(4, 30), (5, 1), (5, 2), (4, 17), (10, 1), (9, 30)] {
            out.push(format!("{year:04}-{month:02}-{day:02}"));
        }
    }
    out
}

/// A request that names only facts of the table, each with a value of its type (whether
/// the decision then needs a fact it left out is for the evaluator to say).
fn valid_request(rng: &mut Rng, facts: &[FactSchema], dates: &[String]) -> Map<String, Json> {
    let mut map = Map::new();
    for f in facts {
        if rng.chance(if f.default.is_some() { 60 } else { 5 }) {
            continue;
        }
        let value = match &f.ty {
            FactType::Bool => json!(rng.chance(50)),
            FactType::Int { min, max } => {
                let span = (max - min).unsigned_abs().saturating_add(1);
                json!(min + (rng.next() % span.max(1)) as i64)
            }
            FactType::Date if f.name == "datum" => json!(rng.pick(&dates[dates.len() - 30..])),
            FactType::Date => json!(rng.pick(dates)),
            FactType::Text | FactType::Id => json!(rng.pick(&["SE-A", "SE-B", "se-a"])),
            FactType::Enum(values) => json!(rng.pick(values)),
        };
        insert_dotted(&mut map, &f.name, value);
    }
    map
}

/// Why a request line must be refused, or that it need not be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Well-formed: the answer is whatever the library's evaluator says.
    Valid,
    /// Malformed: the answer must be `fel`.
    Malformed,
}

/// One hostile request line (no line break inside) made from a valid request.
fn hostile_line(rng: &mut Rng, facts: &[FactSchema], valid: &Map<String, Json>) -> (Vec<u8>, Kind) {
    let text = Json::Object(valid.clone()).to_string();
    let present: Vec<&FactSchema> = facts
        .iter()
        .filter(|f| lookup(valid, &f.name).is_some())
        .collect();
    let with = |name: &str, value: Json| {
        let mut map = valid.clone();
        remove_dotted(&mut map, name);
        insert_dotted(&mut map, name, value);
        Json::Object(map).to_string().into_bytes()
    };
    let malformed = |b: Vec<u8>| (b, Kind::Malformed);
    match rng.below(24) {
        // Unchanged, and the same request written otherwise: answered as the library does.
        0..=5 => (text.into_bytes(), Kind::Valid),
        6 => (format!("  {text}\r").into_bytes(), Kind::Valid),
        7 => {
            let mut dotted = Map::new();
            for f in &present {
                dotted.insert(f.name.clone(), lookup(valid, &f.name).unwrap().clone());
            }
            (Json::Object(dotted).to_string().into_bytes(), Kind::Valid)
        }
        // A fact the ruleset does not know (a misspelling must never fall back to a default).
        8 => {
            let mut map = valid.clone();
            let name = match present.first() {
                Some(f) if rng.chance(70) => format!("{}x", f.name),
                _ => "vårdnadshavare.blokerad".to_owned(),
            };
            insert_dotted(&mut map, &name, json!(true));
            malformed(Json::Object(map).to_string().into_bytes())
        }
        // The same fact twice: a repeated key, or a dotted key beside the nested one.
        9 => match text.strip_prefix('{') {
            Some(rest) if !valid.is_empty() => {
                let (key, value) = valid.iter().nth(rng.below(valid.len())).unwrap();
                let other = match value {
                    Json::Bool(b) => json!(!b),
                    _ => json!("annat"),
                };
                let key = Json::String(key.clone());
                malformed(format!("{{{key}:{other},{rest}").into_bytes())
            }
            _ => malformed(b"{\"datum\":\"2026-05-01\",\"datum\":\"2026-05-02\"}".to_vec()),
        },
        10 => match present.iter().find(|f| f.name.contains('.')) {
            Some(f) => {
                let mut map = valid.clone();
                let value = lookup(valid, &f.name).unwrap().clone();
                map.insert(f.name.clone(), value);
                malformed(Json::Object(map).to_string().into_bytes())
            }
            None => malformed(
                b"{\"patient\":{\"reservnummer\":true},\"patient.reservnummer\":false}".to_vec(),
            ),
        },
        // A value of the wrong type or an impossible one.
        11 | 12 => match present.get(rng.below(present.len().max(1))) {
            Some(f) => {
                let wrong = match &f.ty {
                    FactType::Bool => rng
                        .pick(&[json!("sant"), json!(1), json!(null), json!([true])])
                        .clone(),
                    FactType::Int { max, .. } => rng
                        .pick(&[
                            json!("1"),
                            json!(1.5),
                            json!(max.saturating_add(1)),
                            json!(18_446_744_073_709_551_615u64),
                        ])
                        .clone(),
                    FactType::Date => rng
                        .pick(&[
                            json!("2026-02-30"),
                            json!("2026-5-1"),
                            json!("20260501"),
                            json!("0000-01-01"),
                            json!("10000-01-01"),
                            json!("+2026-05-01"),
                            json!(" 2026-05-01"),
                            json!(20260501),
                            json!("2026-05-01T00:00"),
                        ])
                        .clone(),
                    FactType::Text => rng
                        .pick(&[json!(1), json!(true), json!({"a": 1}), json!(null)])
                        .clone(),
                    FactType::Id => rng
                        .pick(&[
                            json!("SE-A "),
                            json!(""),
                            json!("se a"),
                            json!("SE\u{200b}A"),
                            json!("SE-A\n"),
                            json!(1),
                        ])
                        .clone(),
                    FactType::Enum(values) => {
                        let first = values.first().cloned().unwrap_or_default();
                        rng.pick(&[
                            json!(first.to_uppercase()),
                            json!(format!(" {first}")),
                            json!("tidig_hypotes_x"),
                            json!(true),
                            json!(values),
                        ])
                        .clone()
                    }
                };
                malformed(with(&f.name, wrong))
            }
            None => malformed(b"{\"datum\":true}".to_vec()),
        },
        // Not an object, or not JSON (complete lines: nothing here waits for more).
        13 => malformed(
            rng.pick(&[
                "[]",
                "1",
                "\"x\"",
                "null",
                "true",
                "nul",
                "{]",
                "{\"a\":}",
                "{'datum':1}",
                "{\"a\":1,}",
                "{\"a\":1}{\"b\":2}",
                "NaN",
                "{\"a\":Infinity}",
                "{\"a\":1e999999}",
                "}",
            ])
            .as_bytes()
            .to_vec(),
        ),
        14 => {
            let mut line = "\u{feff}".as_bytes().to_vec();
            line.extend_from_slice(text.as_bytes());
            malformed(line)
        }
        // Bytes that are not UTF-8, and a NUL.
        15 => {
            let mut line = text.clone().into_bytes();
            let at = rng.below(line.len());
            line.insert(at, 0xff);
            malformed(line)
        }
        16 if text.contains(':') => malformed(text.replacen(':', ":\u{0}", 1).into_bytes()),
        16 => malformed(b"{\"datum\":\0\"2026-05-01\"}".to_vec()),
        // Deep nesting on one line, closed: the parser's depth limit, not the stack.
        17 => {
            let depth = 200 + rng.below(20_000);
            let mut line = "{\"a\":".to_owned();
            line.push_str(&"[".repeat(depth));
            line.push_str(&"]".repeat(depth));
            line.push('}');
            malformed(line.into_bytes())
        }
        // Long keys and values. Keys stay short of what makes suggestions slow today: the
        // cost of long ones is `oversized_requests_are_refused_briefly`'s.
        18 => {
            let mut map = valid.clone();
            map.insert("x".repeat(1 + rng.below(300)), json!(1));
            malformed(Json::Object(map).to_string().into_bytes())
        }
        19 => match present.iter().find(|f| matches!(f.ty, FactType::Date)) {
            Some(f) => malformed(with(&f.name, json!("9".repeat(1 + rng.below(10_000))))),
            None => malformed(b"{\"datum\":\"99999999999\"}".to_vec()),
        },
        // A missing fact: refused when the decision needs it, answered when it does not.
        20 | 21 => match present.get(rng.below(present.len().max(1))) {
            Some(f) => {
                let mut map = valid.clone();
                remove_dotted(&mut map, &f.name);
                (Json::Object(map).to_string().into_bytes(), Kind::Valid)
            }
            None => (b"{}".to_vec(), Kind::Valid),
        },
        // A nested object where a value belongs, and a value where an object belongs.
        22 => match present.iter().find(|f| f.name.contains('.')) {
            Some(f) => {
                let head = f.name.split('.').next().unwrap();
                let mut map = valid.clone();
                map.insert(head.to_owned(), json!(true));
                malformed(Json::Object(map).to_string().into_bytes())
            }
            None => malformed(b"{\"patient\":1}".to_vec()),
        },
        _ => match present.iter().find(|f| !f.name.contains('.')) {
            Some(f) => malformed(with(&f.name, json!({"värde": 1}))),
            None => malformed(b"{\"datum\":{}}".to_vec()),
        },
    }
}

/// The value at a dotted name in nested objects.
fn lookup<'a>(map: &'a Map<String, Json>, name: &str) -> Option<&'a Json> {
    let mut parts = name.split('.');
    let mut value = map.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

fn remove_dotted(map: &mut Map<String, Json>, name: &str) {
    match name.split_once('.') {
        None => {
            map.remove(name);
        }
        Some((head, rest)) => {
            if let Some(Json::Object(inner)) = map.get_mut(head) {
                remove_dotted(inner, rest);
                if inner.is_empty() {
                    map.remove(head);
                }
            }
        }
    }
}

/// What the library's evaluator answers for a line read the careful way (`parse_json`,
/// then the schema's check: none of the fast reader the binary uses): the same JSON as
/// `regel decide`, but only the fact of an error, not its words (the binary adds the line
/// number).
fn expected(evaluator: &Evaluator, line: &[u8]) -> Json {
    let Ok(text) = std::str::from_utf8(line) else {
        return json!("fel");
    };
    let careful = regelverk::table::parse_json(text).and_then(|json| evaluator.decide_json(&json));
    let answer = response(evaluator, careful, false);
    if answer.get("fel").is_some() {
        json!("fel")
    } else {
        answer
    }
}

fn shape(answer: &Json) -> Json {
    if answer.get("fel").is_some() {
        json!("fel")
    } else {
        answer.clone()
    }
}

/// Requests per ruleset: `HOSTILE_REQUESTS` if set, 7,000 when `REGEL_TEST_HEAVY` is set (as
/// `.ci/run` does), and 1,500 for a plain `cargo test`, so it stays quick.
fn request_count() -> usize {
    let default = if std::env::var_os("REGEL_TEST_HEAVY").is_some() {
        7_000
    } else {
        1_500
    };
    std::env::var("HOSTILE_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

// ------------------------------------------------------------------ requests

/// Thousands of hostile requests per ruleset, one per line through one `regel decide` each
/// decision: one answer per line in order, every malformed request `fel`, and every answer
/// the one the library's evaluator gives (so nothing the binary adds — line reading, size
/// limits — changes a decision).
#[test]
fn hostile_requests_get_one_answer_each_and_malformed_ones_fel() {
    let dir = tempdir();
    let dates = dates();
    let mut rng = Rng(15);
    let mut total = 0;
    for ruleset in RULESETS {
        let (file, compiled) = compile(ruleset, dir.path());
        for (decision, share) in DECISIONS.iter().zip([5, 1, 1]) {
            let table = compiled.table(decision).unwrap();
            let evaluator = Evaluator::new(table.clone()).unwrap();
            let n = request_count() * share / 7;
            let mut input = Vec::new();
            let mut lines = Vec::new();
            for _ in 0..n {
                let valid = valid_request(&mut rng, &table.facts, &dates);
                let (line, kind) = hostile_line(&mut rng, &table.facts, &valid);
                assert!(!line.contains(&b'\n'));
                input.extend_from_slice(&line);
                input.push(b'\n');
                lines.push((line, kind));
            }
            let out = run(
                &[
                    OsStr::new("decide"),
                    file.as_os_str(),
                    OsStr::new("--decision"),
                    OsStr::new(decision),
                ],
                &input,
            );
            let answers = out.answers();
            assert_eq!(
                answers.len(),
                lines.len(),
                "{ruleset} {decision}: one answer per line"
            );
            let mut refused = false;
            for (i, ((line, kind), answer)) in lines.iter().zip(&answers).enumerate() {
                let shown = String::from_utf8_lossy(line);
                let shown: String = shown.chars().take(300).collect();
                if *kind == Kind::Malformed {
                    assert!(
                        answer.get("fel").is_some(),
                        "{ruleset} {decision} line {}: {shown}\n→ {answer}",
                        i + 1
                    );
                }
                assert_eq!(
                    shape(answer),
                    expected(&evaluator, line),
                    "{ruleset} {decision} line {}: {shown}",
                    i + 1
                );
                refused |= answer.get("fel").is_some();
            }
            assert_eq!(out.code, if refused { 2 } else { 0 });
            total += lines.len();
        }
    }
    assert!(
        total >= request_count() * 3 * 6 / 7,
        "{total} requests sent"
    );
}

/// Sealed accounts, requested in every hostile way at once: never `visa`.
fn sealed(datum: &str) -> String {
    json!({
        "datum": datum,
        "läsare": "patient",
        "patient": {"födelsedatum": "1980-01-01", "försegling": "av_patienten"},
        "post": {"datum": "2026-01-01", "vårdenhet": "SE-A", "kategori": "provsvar"}
    })
    .to_string()
}

/// Lines that are not requests at all, between sealed requests: each line gets its own
/// answer in its own place, a broken one `fel` with its line number, so no `visa` ever
/// stands opposite a sealed request.
#[test]
fn every_line_gets_its_own_answer_whatever_it_holds() {
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Json>(&sealed("2026-05-01")).unwrap())
            .unwrap();
    let mut lines: Vec<(String, bool)> = Vec::new();
    let broken = [
        "",
        "   ",
        "[",
        "{",
        "{\"datum\": \"2026-05-01\",",
        "\"läsare\": \"patient\"",
        "}",
        "]",
        "{\"a\":",
        "\t",
    ];
    for (i, b) in broken.iter().enumerate() {
        lines.push((b.to_string(), false));
        lines.push((sealed(&format!("2026-05-{:02}", i + 1)), true));
    }
    // Pretty JSON mixed into the stream: every line of it is a line of its own.
    for l in pretty.lines() {
        lines.push((l.to_owned(), false));
    }
    lines.push((sealed("2026-06-01"), true));
    // An open bracket followed by 5,005 requests: 5,006 answers.
    lines.push(("[".to_owned(), false));
    for _ in 0..5_005 {
        lines.push((sealed("2026-06-02"), true));
    }
    let input: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
    let out = run(
        &["decide", "rules", "--decision", "direktåtkomst"],
        input.as_bytes(),
    );
    let answers = out.answers();
    assert_eq!(answers.len(), lines.len(), "one answer per line");
    for (i, ((line, is_request), answer)) in lines.iter().zip(&answers).enumerate() {
        if *is_request {
            assert_eq!(answer["utfall"], "dölj", "line {}: {answer}", i + 1);
        } else {
            let fel = answer["fel"]
                .as_str()
                .unwrap_or_else(|| panic!("line {} `{line}`: {answer}", i + 1));
            assert!(
                fel.contains(&format!("rad {}", i + 1)),
                "line {}: {fel}",
                i + 1
            );
        }
    }
    assert_eq!(out.code, 2);
}

/// With several jobs the answers are the same, in the same order, as with one: lines of
/// every kind, more than one chunk of them, and an interactive client still gets each
/// answer at once.
#[test]
fn parallel_jobs_answer_in_order() {
    let broken = ["", "[", "{\"a\":", "\u{7f}", "{}"];
    let mut input = String::new();
    for i in 0..12_000 {
        if i % 7 == 3 {
            input.push_str(broken[i % broken.len()]);
        } else {
            input.push_str(&sealed(&format!("2026-05-{:02}", i % 28 + 1)));
        }
        input.push('\n');
    }
    let args = ["decide", "rules", "--decision", "direktåtkomst"];
    let one = run(&args, input.as_bytes());
    let three = run(&[&args[..], &["--jobs", "3"]].concat(), input.as_bytes());
    assert_eq!(one.answers().len(), 12_000);
    assert_eq!(one.code, 2);
    assert_eq!(three.code, 2);
    assert!(one.stdout == three.stdout, "--jobs 3 answers differently");

    let mut child = Command::new(bin())
        .args([
            "decide",
            "rules",
            "--decision",
            "direktåtkomst",
            "--jobs",
            "2",
        ])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut answers = BufReader::new(child.stdout.take().unwrap()).lines();
    for n in 1..=3 {
        writeln!(stdin, "{}", sealed("2026-05-01")).unwrap();
        stdin.flush().unwrap();
        let answer = answers.next().unwrap().unwrap();
        assert!(answer.contains("dölj"), "request {n}: {answer}");
    }
    drop(stdin);
    finish(child, "interactive decide --jobs 2");
}

/// A whole document from standard in with `--request -`: pretty JSON over many lines is
/// one request, decided once.
#[test]
fn a_pretty_request_is_read_whole_with_request_dash() {
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Json>(&sealed("2026-05-01")).unwrap())
            .unwrap();
    let out = run(
        &[
            "decide",
            "rules",
            "--decision",
            "direktåtkomst",
            "--request",
            "-",
        ],
        pretty.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout(), out.stderr);
    let answers = out.answers();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["utfall"], "dölj");
    let huge = format!("{{\"datum\": \"{}\"}}", "x".repeat(2_000_000));
    let out = run(
        &[
            "decide",
            "rules",
            "--decision",
            "direktåtkomst",
            "--request",
            "-",
        ],
        huge.as_bytes(),
    );
    assert_eq!(out.code, 2);
    assert!(out.stdout.len() < 200, "{}", out.stdout());
    assert!(out.stdout().contains("längre än"), "{}", out.stdout());
}

/// A client that writes one request and waits for its answer gets it, without closing its
/// end first.
#[test]
fn an_interactive_client_gets_each_answer_at_once() {
    let mut child = Command::new(bin())
        .args(["decide", "rules", "--decision", "direktåtkomst"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let output = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(output).lines();
        while let Some(Ok(line)) = lines.next() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    for n in 1..=3 {
        writeln!(input, "{}", sealed("2026-05-01")).unwrap();
        input.flush().unwrap();
        let answer = rx.recv_timeout(Duration::from_secs(20));
        assert!(
            answer.is_ok(),
            "no answer to request {n} while the client waits"
        );
    }
    drop(input);
    finish(child, "interactive decide");
}

/// A file of requests that cannot be read (a directory) ends the run: one message, exit 2,
/// not an error line for ever.
#[test]
fn an_unreadable_request_file_ends_the_run() {
    let dir = tempdir();
    let out = run(
        &[
            OsStr::new("decide"),
            OsStr::new("rules"),
            OsStr::new("--decision"),
            OsStr::new("direktåtkomst"),
            OsStr::new("--requests"),
            dir.path().as_os_str(),
        ],
        b"",
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.len() < 1_000,
        "{} bytes of output",
        out.stdout.len()
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

/// A request over the size limit is refused as such, single line or not, and no error
/// echoes megabytes of input or searches a megabyte key for suggestions.
#[test]
fn oversized_requests_are_refused_briefly() {
    let huge_value = format!("{{\"datum\":\"{}\"}}\n", "x".repeat(2_000_000));
    let huge_key = format!("{{\"{}\":1}}\n", "x".repeat(200_000));
    let long_key = format!("{{\"{}\":1}}\n", "x".repeat(10_000));
    let no_newline = "[".repeat(3_000_000);
    for input in [huge_value, huge_key, long_key, no_newline] {
        let out = run(
            &["decide", "rules", "--decision", "direktåtkomst"],
            input.as_bytes(),
        );
        let answers = out.answers();
        assert_eq!(answers.len(), 1);
        assert!(answers[0].get("fel").is_some());
        assert!(
            out.stdout.len() < 2_000,
            "an answer of {} bytes",
            out.stdout.len()
        );
        assert_eq!(out.code, 2);
    }
}

/// Requests that are broken in ways a stream cannot show one line at a time (an open
/// bracket, a request cut short, an empty file), and files that are not files: each given
/// as the one request with `--request`, each refused.
#[test]
fn broken_single_requests_are_refused() {
    let dir = tempdir();
    let (table, _) = compile("rules", dir.path());
    let whole = sealed("2026-05-01");
    let chars = whole.chars().count();
    let cut: Vec<String> = [1, chars / 3, chars / 2, chars - 1]
        .iter()
        .map(|n| whole.chars().take(*n).collect())
        .collect();
    let mut cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\n\n".to_vec(),
        b"[".to_vec(),
        b"{".to_vec(),
        "[".repeat(1_000_000).into_bytes(),
        "{\"a\":".repeat(100_000).into_bytes(),
        format!("{whole}\n{whole}").into_bytes(),
        vec![0xff, 0xfe, b'{', b'}'],
    ];
    cases.extend(cut.into_iter().map(String::into_bytes));
    for (i, case) in cases.iter().enumerate() {
        let file = dir.path().join(format!("fråga-{i}.json"));
        std::fs::write(&file, case).unwrap();
        let out = run(
            &[
                OsStr::new("decide"),
                table.as_os_str(),
                OsStr::new("--decision"),
                OsStr::new("direktåtkomst"),
                OsStr::new("--request"),
                file.as_os_str(),
            ],
            b"",
        );
        assert_eq!(out.code, 2, "case {i}: {}", out.stdout());
        assert!(
            !out.stdout().contains("\"utfall\""),
            "case {i}: {}",
            out.stdout()
        );
    }
    // Not a file: a directory, and nothing at all.
    for path in [dir.path().to_path_buf(), dir.path().join("finns-inte.json")] {
        let out = run(
            &[
                OsStr::new("decide"),
                table.as_os_str(),
                OsStr::new("--decision"),
                OsStr::new("direktåtkomst"),
                OsStr::new("--request"),
                path.as_os_str(),
            ],
            b"",
        );
        assert_eq!(out.code, 2);
        assert!(out.stderr.starts_with("fel: "), "{}", out.stderr);
    }
}

/// Types wider than a table column's 64 cells: compiled so every value decides right, or
/// refused by `check` with an error on the type (never a table with values missing).
#[test]
fn wide_types_compile_right_or_are_refused_where_written() {
    for width in [65, 70, 200, 1_000] {
        let dir = tempdir();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let values: Vec<String> = (0..width).map(|i| format!("e{i}")).collect();
        let last = values.last().unwrap().clone();
        std::fs::write(
            dir.path().join("regler.regel"),
            format!(
                "regelverk \"Bred\"\n\ntyp Enhet: {}\nfakta post.enhet: Enhet\n\n\
                 beslut direktåtkomst\n  utfall visa, dölj\n  standard dölj skäl ingen_behörighet\n  källa \"RJH ramverk 1.1\"\n\n\
                 regel N1 \"Den sista enheten visas\"\n  källa \"RJH ramverk 1.1\"\n  beslut direktåtkomst\n  om post.enhet = {last}\n  då visa skäl enhet\n",
                values.join(", ")
            ),
        )
        .unwrap();
        let check = run_in(dir.path(), &["check", "."], b"");
        if check.code == 1 {
            assert!(
                check.stderr.contains("regler.regel:3:"),
                "{width}: {}",
                check.stderr
            );
            continue;
        }
        assert_eq!(check.code, 0, "{width}: {}", check.stderr);
        let input: String = values
            .iter()
            .map(|v| format!("{}\n", json!({"post": {"enhet": v}})))
            .collect();
        let out = run_in(
            dir.path(),
            &["decide", ".", "--decision", "direktåtkomst"],
            input.as_bytes(),
        );
        for (v, answer) in values.iter().zip(out.answers()) {
            let want = if *v == last { "visa" } else { "dölj" };
            assert_eq!(answer["utfall"], want, "{width} values, {v}: {answer}");
        }
    }
}

// ------------------------------------------------------------------ rule files

/// A copy of the national rules in a repository of its own (a `.git` marks it).
fn national_copy() -> tempfile::TempDir {
    let repo = tempdir();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let rules = repo.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
    }
    repo
}

/// A sealed account read by its patient, which `dölj.regel` hides.
fn sealed_request() -> String {
    format!("{}\n", sealed("2026-05-01"))
}

/// `rules/dölj.regel` replaced by something that is not a regular file in the ruleset:
/// `check`, `compile` and `decide` all refuse with exit 2 and name the file; the sealed
/// account is never shown; nothing from outside is printed.
#[test]
fn rule_files_that_cannot_be_read_as_rule_files_are_errors() {
    use std::os::unix::fs::symlink;
    type Make = fn(&Path, &Path);
    let cases: Vec<(&str, Make)> = vec![
        ("dangling link", |file, _| {
            symlink("finns-inte.regel", file).unwrap()
        }),
        ("looping link", |file, _| {
            symlink("dölj.regel", file).unwrap()
        }),
        ("link to the environment", |file, _| {
            symlink("/proc/self/environ", file).unwrap()
        }),
        ("link out of the ruleset", |file, repo| {
            std::fs::copy(root().join("rules/dölj.regel"), repo.join("utanför.regel")).unwrap();
            symlink("../utanför.regel", file).unwrap();
        }),
        ("link to a device", |file, _| {
            symlink("/dev/zero", file).unwrap()
        }),
        ("directory", |file, _| std::fs::create_dir(file).unwrap()),
        ("fifo", |file, _| {
            let status = Command::new("mkfifo").arg(file).status().unwrap();
            assert!(status.success());
        }),
    ];
    for (what, make) in cases {
        let repo = national_copy();
        let rules = repo.path().join("rules");
        let file = rules.join("dölj.regel");
        std::fs::remove_file(&file).unwrap();
        make(&file, repo.path());
        for args in [
            vec!["check", "rules"],
            vec!["compile", "rules"],
            vec!["decide", "rules", "--decision", "direktåtkomst"],
        ] {
            let out = run_in(repo.path(), &args, sealed_request().as_bytes());
            assert_eq!(out.code, 2, "{what}: {args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains("rules/dölj.regel"),
                "{what}: {}",
                out.stderr
            );
            assert!(!out.stdout().contains("visa"), "{what}: {}", out.stdout());
        }
    }
    // A device node itself, where this user may make one.
    let repo = national_copy();
    let file = repo.path().join("rules/dölj.regel");
    std::fs::remove_file(&file).unwrap();
    let made = Command::new("mknod")
        .arg(&file)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status();
    if made.is_ok_and(|s| s.success()) {
        let out = run_in(repo.path(), &["check", "rules"], b"");
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("enhetsfil"), "{}", out.stderr);
    }
    // A link inside the ruleset to a regular file in it is read.
    let repo = national_copy();
    let rules = repo.path().join("rules");
    std::fs::rename(rules.join("dölj.regel"), rules.join("dölj.txt")).unwrap();
    symlink("dölj.txt", rules.join("dölj.regel")).unwrap();
    let out = run_in(
        repo.path(),
        &["decide", "rules", "--decision", "direktåtkomst"],
        sealed_request().as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.answers()[0]["utfall"], "dölj");
}

/// A region whose `bygger på` is absolute or climbs out of its repository is refused at
/// the header, and nothing there is read.
#[test]
fn bygger_på_may_not_leave_the_repository() {
    let outside = national_copy();
    for base in [
        format!("{}", outside.path().join("rules").display()),
        "../../../../../../../../../../rules".to_owned(),
        "../../../rules".to_owned(),
        "/etc".to_owned(),
        "../länk".to_owned(),
    ] {
        let repo = national_copy();
        let region = repo.path().join("regions/test");
        std::fs::create_dir_all(&region).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("rules"),
            repo.path().join("regions/länk"),
        )
        .unwrap();
        std::fs::write(
            region.join("regelverk.regel"),
            format!("regelverk \"Testregion\" bygger på \"{base}\"\n"),
        )
        .unwrap();
        let out = run_in(
            repo.path(),
            &["check", "--error-format", "json", "regions/test"],
            b"",
        );
        assert_eq!(out.code, 1, "{base}: {}", out.stderr);
        let d: Json = serde_json::from_str(out.stdout().lines().next().unwrap()).unwrap();
        assert_eq!(d["code"], "R0112", "{base}: {d}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(1), Some(34)),
            "{d}"
        );
        assert_eq!(
            out.stdout().lines().count(),
            1,
            "{base}: only the header: {}",
            out.stdout()
        );
        // Commands that read the base on their own refuse it too.
        let out = run_in(repo.path(), &["deviations", "regions/test"], b"");
        assert_eq!(out.code, 2, "{base}: {}", out.stderr);
    }
    // Inside the repository, through `..`, is fine.
    let repo = national_copy();
    let region = repo.path().join("regions/test");
    std::fs::create_dir_all(&region).unwrap();
    std::fs::write(
        region.join("regelverk.regel"),
        "regelverk \"Testregion\" bygger på \"../../regions/../rules\"\n",
    )
    .unwrap();
    let out = run_in(repo.path(), &["check", "regions/test"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// At a git revision the base is read from the same revision, whatever the working tree
/// holds, and a link committed in the revision is followed only inside the ruleset.
#[test]
fn a_git_revision_reads_its_base_there_and_no_link_out_of_it() {
    let repo = tempdir();
    let top = repo.path();
    std::fs::create_dir_all(top.join("regions/test")).unwrap();
    std::fs::create_dir_all(top.join("rules")).unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, top.join("rules").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        top.join("regions/test/regelverk.regel"),
        "regelverk \"Testregion\" bygger på \"../../rules\"\n",
    )
    .unwrap();
    git(top, &["init", "--quiet"]);
    git(top, &["add", "."]);
    git(top, &["commit", "--quiet", "-m", "regler"]);
    // The working tree's national rules are broken; the revision's are not.
    std::fs::write(top.join("rules/dölj.regel"), "det här är ingen regelfil\n").unwrap();
    let out = run_in(top, &["check", "git:HEAD:regions/test"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run_in(top, &["check", "regions/test"], b"");
    assert_eq!(out.code, 1, "{}", out.stderr);
    // Committed links out of the ruleset and out of the repository.
    git(top, &["checkout", "--quiet", "--", "rules/dölj.regel"]);
    std::os::unix::fs::symlink("/etc/passwd", top.join("rules/lösenord.regel")).unwrap();
    std::os::unix::fs::symlink(
        "../regions/test/regelverk.regel",
        top.join("rules/region.regel"),
    )
    .unwrap();
    git(top, &["add", "."]);
    git(top, &["commit", "--quiet", "-m", "länkar"]);
    let out = run_in(top, &["check", "git:HEAD:rules"], b"");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("HEAD:rules/lösenord.regel"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("HEAD:rules/region.regel"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("root:"), "{}", out.stderr);
}

// ------------------------------------------------------------------ writes

/// `compile -o` through a link writes the file it points to and keeps the link; a file's
/// mode is kept; links planted under the names a predictable temporary file would have
/// lead nowhere; a directory, a full disk and a full standard output are told.
#[test]
fn compiled_tables_are_written_safely() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempdir();
    let real = dir.path().join("tabell.ron");
    let link = dir.path().join("länk.ron");
    std::fs::write(&real, "gammal").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&real, &link).unwrap();
    // Someone else's file, and links to it under every name `.NAME.PID.tmp` could have.
    let victim = dir.path().join("offer.txt");
    std::fs::write(&victim, "orörd").unwrap();
    let last_pid: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0);
    for pid in last_pid..last_pid + 200 {
        for name in ["tabell.ron", "länk.ron"] {
            let _ = symlink(&victim, dir.path().join(format!(".{name}.{pid}.tmp")));
        }
    }
    let out = run(
        &[
            OsStr::new("compile"),
            OsStr::new("rules"),
            OsStr::new("-o"),
            link.as_os_str(),
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains(&format!("format: {}", regelverk::table::FORMAT_VERSION))
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "orörd");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".regel-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");

    // A directory as the target.
    let out = run(
        &[
            OsStr::new("compile"),
            OsStr::new("rules"),
            OsStr::new("-o"),
            dir.path().as_os_str(),
        ],
        b"",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("är en katalog"), "{}", out.stderr);
    // A full disk, through `-o` and through standard output.
    let out = run(&["compile", "rules", "-o", "/dev/full"], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("disken är full"), "{}", out.stderr);
    let code = finish(
        Command::new(bin())
            .args(["compile", "rules"])
            .current_dir(root())
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        "compile > /dev/full",
    );
    assert_eq!(code, 2);
    // `-o /dev/stdout` writes to the output, whatever it is.
    let out = run(&["compile", "rules", "-o", "/dev/stdout"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout()
            .contains(&format!("format: {}", regelverk::table::FORMAT_VERSION))
    );
}

// ------------------------------------------------------------------ exit codes

/// Closed and full streams end a command with 0, 1 or 2, never a panic (101) or a signal.
#[test]
fn closed_and_full_streams_keep_exit_codes_in_range() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for (args, stdout_full, want) in [
        (vec!["check", "rules"], false, 0),
        // A warning to write (the repository's rulesets have none).
        (
            vec![
                "check",
                "--error-format",
                "json",
                "tests/fixtures/diagnostics/W0101-oanvant-faktum",
            ],
            true,
            2,
        ),
        (vec!["test", "rules"], true, 2),
        (vec!["deviations", "regions/vastra-gotaland"], true, 2),
        (vec!["check", "finns-inte"], false, 2),
    ] {
        let mut command = Command::new(bin());
        command.args(&args).current_dir(root()).stderr(full());
        command.stdout(if stdout_full {
            Stdio::from(full())
        } else {
            Stdio::null()
        });
        let code = finish(command.spawn().unwrap(), &format!("{args:?} to /dev/full"));
        assert_eq!(code, want, "{args:?}");
    }
    // A reader that stops after one answer (`regel decide … | head -1`).
    let mut child = Command::new(bin())
        .args(["decide", "rules", "--decision", "direktåtkomst"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = sealed_request();
        for _ in 0..200_000 {
            if input.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("dölj"), "{first}");
    // The reader is gone now.
    let mut err = child.stderr.take().unwrap();
    let code = finish(child, "decide | head -1");
    writer.join().unwrap();
    let mut stderr = String::new();
    err.read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(code == 0 || code == 2, "{code}");
}

// ------------------------------------------------------------------ locations

/// An invalid byte after decomposed characters, forty lines down, is reported where it is
/// in the file as written.
#[test]
fn locations_are_in_the_file_as_written() {
    let dir = tempdir();
    let filler = "# a\u{30a}a\u{308}o\u{308}\n".repeat(40);
    let mut bytes =
        format!("regelverk \"Test\"\n{filler}fakta a\u{30a}a\u{308}o\u{308}").into_bytes();
    bytes.push(0xff);
    bytes.extend_from_slice(b": datum\n");
    std::fs::write(dir.path().join("a.regel"), bytes).unwrap();
    let out = run(
        &[
            OsStr::new("check"),
            OsStr::new("--error-format"),
            OsStr::new("json"),
            dir.path().as_os_str(),
        ],
        b"",
    );
    assert_eq!(out.code, 1);
    let d: Json = serde_json::from_str(out.stdout().lines().next().unwrap()).unwrap();
    assert_eq!(d["code"], "R0002");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(42), Some(13)),
        "{d}"
    );
}

// ------------------------------------------------------------------ dates

/// The ends of the calendar: rådrum in the first days of year 1, a decision signed in year
/// 9999, an age over 1000. Each gets the brief's answer, not `fel`.
#[test]
fn the_whole_calendar_is_decided() {
    let patient = |datum: &str, born: &str, post: &str, rådrum: bool| {
        json!({
            "datum": datum, "läsare": "patient", "läsarval": {"rådrum": rådrum},
            "patient": {"födelsedatum": born},
            "post": {"datum": post, "vårdenhet": "SE-A", "kategori": "provsvar"}
        })
    };
    let cases = [
        // Entries newer than 14 days are hidden from a reader who chose rådrum.
        (
            "rules",
            patient("0001-01-05", "0001-01-01", "0001-01-02", true),
            "dölj",
        ),
        (
            "rules",
            patient("0001-01-14", "0001-01-01", "0001-01-01", true),
            "dölj",
        ),
        (
            "rules",
            patient("0001-01-15", "0001-01-01", "0001-01-01", true),
            "dölj",
        ),
        (
            "rules",
            patient("0017-01-15", "0001-01-01", "0001-01-01", true),
            "visa",
        ),
        (
            "rules",
            patient("0017-01-14", "0001-01-01", "0017-01-01", true),
            "dölj",
        ),
        (
            "rules",
            patient("0017-01-15", "0001-01-01", "0017-01-01", true),
            "visa",
        ),
        // Aged 2025, and 9998.
        (
            "rules",
            patient("2026-05-01", "0001-01-01", "2026-01-01", false),
            "visa",
        ),
        (
            "rules",
            patient("9999-12-31", "0001-01-01", "9999-12-31", true),
            "dölj",
        ),
        (
            "rules",
            patient("9999-12-31", "0001-01-01", "9999-12-17", true),
            "visa",
        ),
        // An extension signed in 9999 holds until 10000.
        (
            "regions/jamtland-harjedalen",
            json!({
                "datum": "9999-12-31", "läsare": "vårdnadshavare",
                "patient": {"födelsedatum": "9985-01-01"},
                "vårdnadshavare": {"förlängning": {"finns": true, "signerad": "9999-06-01", "enhet": "SE-A"}},
                "post": {"datum": "9999-01-02", "vårdenhet": "SE-A", "kategori": "provsvar"}
            }),
            "visa",
        ),
    ];
    for (ruleset, request, want) in cases {
        let out = run(
            &["decide", ruleset, "--decision", "direktåtkomst"],
            format!("{request}\n").as_bytes(),
        );
        let answers = out.answers();
        assert_eq!(
            answers[0]["utfall"], want,
            "{ruleset} {request}: {}",
            answers[0]
        );
    }
}
