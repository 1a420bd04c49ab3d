//! The `regel` binary from the outside: exit codes, help, JSON output, and no panic on any
//! input, however broken, big or deep.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers, like tests, fail by panicking"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system's temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("regel-cli-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    /// A directory holding one rule file with these bytes.
    fn with_file(name: &str, bytes: &[u8]) -> TempDir {
        let dir = TempDir::new(name);
        std::fs::write(dir.0.join("regler.regel"), bytes).unwrap();
        dir
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn regel<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = Command::new(env!("CARGO_BIN_EXE_regel"))
        .args(args)
        .output()
        .unwrap();
    Run {
        // A signal (a stack overflow, an abort) has no code: -1 fails every check below.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn check(dir: &Path) -> Run {
    regel([Path::new("check"), dir])
}

/// The run ended with one of the documented exit codes and without a panic.
fn assert_graceful(run: &Run, what: &str) {
    assert!(
        matches!(run.code, 0..=2),
        "{what}: exit code {}\n{}",
        run.code,
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "{what}: panicked\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("avbröts oväntat"),
        "{what}: the worker died\n{}",
        run.stderr
    );
}

const CLEAN: &str = r#"regelverk "Test"

typ Läsare: patient, vårdnadshavare
fakta läsare: Läsare
fakta patient.födelsedatum: datum
fakta datum: datum

härledd patient.ålder = ålder(patient.födelsedatum, datum)

beslut direktåtkomst
  utfall visa, dölj
  standard dölj skäl ingen_behörighet
  källa "RJH ramverk 1.1"

regel N1 "Patienten ser sina egna uppgifter från 16 år"
  källa "RJH ramverk 1.1"
  beslut direktåtkomst
  om läsare = patient och patient.ålder >= 16
  då visa skäl egen_åtkomst

exempel "Patienten fyller 16 i dag"
  beslut direktåtkomst
  datum = 2026-05-01
  läsare = patient
  patient.födelsedatum = 2010-05-01
  förväntat visa skäl egen_åtkomst
"#;

// ------------------------------------------------------------------ exit codes

#[test]
fn a_clean_ruleset_exits_0() {
    let dir = TempDir::with_file("clean", CLEAN.as_bytes());
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn broken_rules_exit_1() {
    let dir = TempDir::with_file(
        "broken",
        CLEAN
            .replace("läsare = patient och", "läsar = patient och")
            .as_bytes(),
    );
    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("R0101"), "{}", run.stderr);
    assert!(run.stderr.contains("menade du `läsare`?"), "{}", run.stderr);
}

#[test]
fn a_missing_directory_exits_2() {
    let dir = TempDir::new("missing");
    let run = check(&dir.path().join("finns-inte"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("hittar inte"), "{}", run.stderr);
}

#[test]
fn an_empty_directory_exits_2() {
    let dir = TempDir::new("empty");
    std::fs::write(dir.path().join("läsmig.txt"), "inte en regelfil").unwrap();
    let run = check(dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("inga `.regel`-filer"), "{}", run.stderr);
}

#[test]
fn a_file_instead_of_a_directory_exits_2() {
    let dir = TempDir::with_file("file", CLEAN.as_bytes());
    let run = check(&dir.path().join("regler.regel"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ingen katalog"), "{}", run.stderr);
}

#[test]
fn no_arguments_is_a_usage_error() {
    let run = regel(["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = regel(["gör-något"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

// ------------------------------------------------------------------ help and formats

#[test]
fn help_says_what_the_commands_do() {
    let run = regel(["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("regel"), "{}", run.stdout);
    assert!(run.stdout.contains("check"), "{}", run.stdout);
    assert!(run.stdout.contains("kontrollera"), "{}", run.stdout);
    let run = regel(["check", "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Kontrollera regelverk"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--error-format"), "{}", run.stdout);
}

#[test]
fn json_errors_are_one_object_per_line() {
    let broken = CLEAN
        .replace("läsare = patient och", "läsar = patient och")
        .replace("utfall visa, dölj", "utfall visa, dölj\n  standard vis");
    let dir = TempDir::with_file("json", broken.as_bytes());
    let run = regel([
        Path::new("check"),
        Path::new("--error-format"),
        Path::new("json"),
        dir.path(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() >= 2, "{}", run.stdout);
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        for key in ["code", "file", "line", "column", "help", "message"] {
            assert!(value.get(key).is_some(), "`{key}` missing: {line}");
        }
        assert!(
            value["file"].as_str().unwrap().ends_with("regler.regel"),
            "{line}"
        );
        assert!(value["line"].as_u64().unwrap() >= 1, "{line}");
        assert!(value["column"].as_u64().unwrap() >= 1, "{line}");
    }
    assert!(run.stdout.contains(r#""code":"R0101""#), "{}", run.stdout);
    assert!(run.stdout.contains(r#""code":"R0102""#), "{}", run.stdout);
}

// ------------------------------------------------------------------ hostile input

#[test]
fn invalid_utf8_is_reported_not_a_panic() {
    let mut bytes = CLEAN.as_bytes().to_vec();
    bytes.extend_from_slice(b"\nfakta tr\xe4sk: sant/falskt\n\xff\xfe\x80");
    let dir = TempDir::with_file("utf8", &bytes);
    let run = check(dir.path());
    assert_graceful(&run, "invalid UTF-8");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("R0002"), "{}", run.stderr);
}

/// The full-size stress cases run when `REGEL_TEST_HEAVY` is set, as `.ci/run` does; a plain
/// `cargo test` runs the same tests on smaller inputs, so it stays within a minute.
fn heavy() -> bool {
    std::env::var_os("REGEL_TEST_HEAVY").is_some()
}

/// Megabytes of input for the stress cases: 10 in CI, 1 in a plain `cargo test`.
fn megabytes() -> usize {
    if heavy() { 10 } else { 1 }
}

#[test]
fn a_ten_megabyte_comment() {
    let mut text = String::from(CLEAN);
    text.push('#');
    text.push_str(&"x".repeat(megabytes() * 1024 * 1024));
    let dir = TempDir::with_file("comment", text.as_bytes());
    let run = check(dir.path());
    assert_graceful(&run, "10 MB comment");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_ten_megabyte_file_of_facts() {
    let mut text = String::from(CLEAN);
    let mut i = 0;
    while text.len() < megabytes() * 1024 * 1024 {
        text.push_str(&format!("fakta f{i}: heltal 0..10 = 0\n"));
        i += 1;
    }
    let dir = TempDir::with_file("facts", text.as_bytes());
    let run = check(dir.path());
    assert_graceful(&run, "10 MB of facts");
    // Unused facts are warnings: the ruleset is still fine.
    assert_eq!(
        run.code,
        0,
        "{}",
        run.stderr.get(..2000).unwrap_or(&run.stderr)
    );
    assert!(run.stderr.contains("W0101"));
}

/// One rule reading 20 000 different facts: refused with a located R0203 (too large to
/// compile) in about a second, instead of a deep tree that exhausts the stack.
#[test]
fn one_rule_with_twenty_thousand_conditions() {
    let mut text = String::from(CLEAN);
    for i in 0..20_000 {
        text.push_str(&format!("fakta f{i}: heltal 0..10 = 0\n"));
    }
    text.push_str("regel N2 \"Många fakta\"\n  källa \"k\"\n  beslut direktåtkomst\n  om läsare = vårdnadshavare");
    for i in 0..20_000 {
        text.push_str(&format!(" och f{i} = 0"));
    }
    text.push_str("\n  då dölj skäl många\n");
    let dir = TempDir::with_file("conditions", text.as_bytes());
    let started = std::time::Instant::now();
    let run = check(dir.path());
    assert_graceful(&run, "20 000 conditions");
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn ten_thousand_nested_parentheses() {
    let deep = format!(
        "{CLEAN}\nhärledd djup = {}sant{}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let dir = TempDir::with_file("parens", deep.as_bytes());
    let run = check(dir.path());
    assert_graceful(&run, "10 000 parentheses");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("R0003"), "{}", run.stderr);
    // Unbalanced, and inside a string and a comment, too.
    for text in [
        format!("{CLEAN}\nhärledd djup = {}", "(".repeat(10_000)),
        format!("{CLEAN}\nhärledd djup = sant{}", ")".repeat(10_000)),
        format!(
            "{CLEAN}\n# {}\nregel X \"{}\"",
            "(".repeat(10_000),
            "(".repeat(10_000)
        ),
        format!(
            "{CLEAN}\nhärledd djup = {}sant{}",
            "ålder(".repeat(10_000),
            ", datum)".repeat(10_000)
        ),
    ] {
        let dir = TempDir::with_file("parens", text.as_bytes());
        assert_graceful(&check(dir.path()), "unbalanced parentheses");
    }
}

#[test]
fn ten_thousand_inte() {
    for text in [
        format!("{CLEAN}\nhärledd många = {}sant\n", "inte ".repeat(10_000)),
        format!("{CLEAN}\nhärledd många = {}sant\n", "inte (".repeat(10_000)),
        format!("{CLEAN}\nhärledd många = {}\n", "inte ".repeat(10_000)),
        format!(
            "{CLEAN}\nhärledd många = datum{} < datum\n",
            " + 1 dag".repeat(10_000)
        ),
        format!(
            "{CLEAN}\nhärledd många = sant{}\n",
            " och sant eller inte sant".repeat(10_000)
        ),
    ] {
        let dir = TempDir::with_file("inte", text.as_bytes());
        assert_graceful(&check(dir.path()), "10 000 inte");
    }
}

#[test]
fn an_empty_file() {
    let dir = TempDir::with_file("emptyfile", b"");
    assert_graceful(&check(dir.path()), "empty file");
    let dir = TempDir::with_file("blank", b"\n\n   \t\n# bara kommentarer\n");
    assert_graceful(&check(dir.path()), "blank file");
}

/// A small, fixed-seed generator, so a failure can be reproduced.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Runs `regel check` on many small rulesets at once, one directory each.
fn check_all(name: &str, inputs: &[Vec<u8>]) {
    for (batch, chunk) in inputs.chunks(50).enumerate() {
        let dirs: Vec<TempDir> = chunk
            .iter()
            .map(|bytes| TempDir::with_file(name, bytes))
            .collect();
        let mut args = vec![PathBuf::from("check")];
        args.extend(dirs.iter().map(|d| d.path().to_path_buf()));
        let run = regel(&args);
        assert_graceful(&run, &format!("{name}, batch {batch}"));
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    let inputs: Vec<Vec<u8>> = (0..300)
        .map(|_| {
            let len = rng.below(400);
            (0..len).map(|_| rng.next() as u8).collect()
        })
        .collect();
    check_all("bytes", &inputs);
}

#[test]
fn random_token_soup_never_panics() {
    // Words and symbols of the language, shuffled: far likelier than random bytes to get
    // past the parser's first token and into lowering and checking.
    const TOKENS: &[&str] = &[
        "regelverk",
        "\"T\"",
        "bygger",
        "på",
        "\"..\"",
        "typ",
        "L",
        ":",
        "a",
        "b",
        ",",
        "fakta",
        "x",
        "y.z",
        "sant/falskt",
        "heltal",
        "0",
        "..",
        "16",
        "datum",
        "text",
        "=",
        "härledd",
        "beslut",
        "d",
        "utfall",
        "standard",
        "skäl",
        "regel",
        "N1",
        "källa",
        "\"k\"",
        "grupp",
        "g",
        "går före",
        "om",
        "då",
        "avsteg",
        "motivering",
        "ersätter",
        "stryker",
        "ny",
        "omdefinierar",
        "utökar",
        "med",
        "invariant",
        "alltid",
        "aldrig",
        "när",
        "exempel",
        "förväntat",
        "fel",
        "och",
        "eller",
        "inte",
        "i",
        "{",
        "}",
        "(",
        ")",
        "sant",
        "falskt",
        "ålder(",
        "+",
        "-",
        "dagar",
        "år",
        "månader",
        "<",
        "<=",
        "≥",
        "≠",
        "!=",
        "2026-05-01",
        "2026-02-30",
        "99999999999",
        "\n",
        "#",
        "å",
        "\u{30a}",
        "\u{feff}",
    ];
    let mut rng = XorShift(0x0ddb_a11c_afe0_0042);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..rng.below(60) {
            text.push_str(TOKENS[rng.below(TOKENS.len())]);
            text.push(' ');
        }
        inputs.push(text.into_bytes());
    }
    // And mutations of a valid ruleset: one token dropped, or two swapped.
    let words: Vec<&str> = CLEAN.split(' ').collect();
    for _ in 0..200 {
        let mut w = words.clone();
        let i = rng.below(w.len());
        if rng.below(2) == 0 {
            w.remove(i);
        } else {
            let j = rng.below(w.len());
            w.swap(i, j);
        }
        inputs.push(w.join(" ").into_bytes());
    }
    check_all("soup", &inputs);
}

// ------------------------------------------------------------------ decide: fail closed

fn regel_with_stdin(args: &[&str], input: &str) -> Run {
    regel_in(Path::new("."), args, input)
}

/// VGR: an unsealing that would be executed were coercion not suspected, with the
/// suspicion given twice (true, then false): read as "the last one wins" it executes.
const TWICE_ONE_LINE: &str = r#"{"begäran": {"från": "patienten", "blankett_undertecknad": true, "inlämning": "personligen_på_vårdenhet", "identitet_styrkt": true, "fall": "misstag", "misstanke_om_tvång": true, "misstanke_om_tvång": false}}"#;

const TWICE_PRETTY: &str = r#"{
  "begäran": {
    "från": "patienten",
    "blankett_undertecknad": true,
    "inlämning": "personligen_på_vårdenhet",
    "identitet_styrkt": true,
    "fall": "misstag",
    "misstanke_om_tvång": true,
    "misstanke_om_tvång": false
  }
}
"#;

#[test]
fn a_key_given_twice_is_refused_on_every_input_path() {
    let dir = TempDir::new("twice");
    let one = dir.path().join("en.json");
    let pretty = dir.path().join("snygg.json");
    let lines = dir.path().join("många.jsonl");
    std::fs::write(&one, TWICE_ONE_LINE).unwrap();
    std::fs::write(&pretty, TWICE_PRETTY).unwrap();
    std::fs::write(&lines, format!("{TWICE_ONE_LINE}\n")).unwrap();
    let base = [
        "decide",
        "regions/vastra-gotaland",
        "--decision",
        "upplåsning",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter()
            .chain(extra)
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
    };
    let runs = [
        (
            "--request",
            regel(with(&["--request", one.to_str().unwrap()])),
        ),
        (
            "--request, pretty",
            regel(with(&["--request", pretty.to_str().unwrap()])),
        ),
        (
            "--requests",
            regel(with(&["--requests", lines.to_str().unwrap()])),
        ),
        (
            "stdin",
            regel_with_stdin(&base, &format!("{TWICE_ONE_LINE}\n")),
        ),
        (
            "stdin, pretty, --request -",
            regel_with_stdin(
                &with(&["--request", "-"])
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                TWICE_PRETTY,
            ),
        ),
    ];
    for (path, run) in runs {
        assert_eq!(run.code, 2, "{path}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("nyckeln `misstanke_om_tvång` anges två gånger"),
            "{path}: {}",
            run.stdout
        );
        assert!(!run.stdout.contains("verkställ"), "{path}: {}", run.stdout);
    }
    // The same request with the key once is executed: the refusal above is the duplicate.
    let once = TWICE_ONE_LINE.replace(r#", "misstanke_om_tvång": true"#, "");
    let run = regel_with_stdin(&base, &format!("{once}\n"));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("\"verkställ\""), "{}", run.stdout);
}

#[test]
fn a_care_sealing_hides_whatever_the_form_of_the_unit_id() {
    let request = |unit: &str| {
        format!(
            r#"{{"datum": "2026-05-01", "läsare": "patient", "patient": {{"födelsedatum": "1990-01-01"}}, "vårdförsegling": {{"finns": true, "omfattning": "enhet", "enhet": {unit}, "slutdatum": "2027-01-01"}}, "post": {{"kategori": "provsvar", "datum": "2026-01-01", "vårdenhet": "SE-A"}}}}"#
        )
    };
    let args = ["decide", "rules", "--decision", "direktåtkomst"];
    for unit in [r#""SE-A""#, r#""se-a""#, r#""Se-A""#] {
        let run = regel_with_stdin(&args, &format!("{}\n", request(unit)));
        assert_eq!(run.code, 0, "{unit}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("\"dölj\""), "{unit}: {}", run.stdout);
    }
    for unit in [
        r#""SE-A ""#,
        r#"" SE-A""#,
        r#""SE-\tA""#,
        r#""""#,
        r#""SE-A\u200b""#,
    ] {
        let run = regel_with_stdin(&args, &format!("{}\n", request(unit)));
        assert_eq!(run.code, 2, "{unit}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("är ingen giltig identitet"),
            "{unit}: {}",
            run.stdout
        );
    }
}

// ------------------------------------------------------------------ git:REV:PATH

/// Runs git in `dir`, failing the test when git does.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=regel",
            "-c",
            "user.email=regel@example.invalid",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

fn regel_in(dir: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_regel"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A repository whose committed national rules let a patient read from 16, while the working
/// tree has changed it to 18; the region builds on the national rules and changes nothing
/// (it has one example of its own).
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    std::fs::create_dir_all(root.join("national")).unwrap();
    std::fs::create_dir_all(root.join("region")).unwrap();
    std::fs::write(root.join("national/regler.regel"), CLEAN).unwrap();
    std::fs::write(
        root.join("region/regler.regel"),
        // An adult patient sees from 16 or 18 alike: the one example decides by N1 at both
        // revisions, so `regel test` finds every rule exercised.
        "regelverk \"Testregion\" bygger på \"../national\"\n\n\
         exempel \"En vuxen patient ser sina uppgifter\"\n  beslut direktåtkomst\n  \
         datum = 2026-05-01\n  läsare = patient\n  patient.födelsedatum = 1990-01-01\n  \
         förväntat visa skäl egen_åtkomst\n",
    )
    .unwrap();
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "regler"]);
    // Still valid, example and all: the patient of the example is 16 on the day.
    let changed = CLEAN
        .replace("patient.ålder >= 16", "patient.ålder >= 18")
        .replace(
            "förväntat visa skäl egen_åtkomst",
            "förväntat dölj skäl ingen_behörighet",
        );
    std::fs::write(root.join("national/regler.regel"), changed).unwrap();
    repo
}

/// A 17-year-old patient reads: `visa` from 16, `dölj` from 18.
const SEVENTEEN: &str =
    r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2009-01-01"}}"#;

#[test]
fn a_git_revision_is_read_with_the_ruleset_it_builds_on_at_that_revision() {
    let repo = repository();
    let root = repo.path();
    let run = regel_in(root, &["diff", "git:HEAD:region", "region"], "");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("HEAD:national/regler.regel"),
        "{}",
        run.stdout
    );
    let run = regel_in(root, &["diff", "git:HEAD:region", "git:HEAD:region"], "");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // From inside the repository, paths are read from the working directory, as git does.
    let run = regel_in(&root.join("region"), &["diff", "git:HEAD:.", "."], "");
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    // Nothing was written into the repository.
    let run = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=all"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "M national/regler.regel"
    );
}

#[test]
fn every_command_reads_a_git_spec() {
    let repo = repository();
    let root = repo.path();
    let decide = ["decide", "--decision", "direktåtkomst"];
    let at_head = regel_in(
        root,
        &[&decide[..], &["git:HEAD:national"]].concat(),
        SEVENTEEN,
    );
    assert_eq!(at_head.code, 0, "{}", at_head.stderr);
    assert!(at_head.stdout.contains("\"visa\""), "{}", at_head.stdout);
    let now = regel_in(root, &[&decide[..], &["national"]].concat(), SEVENTEEN);
    assert_eq!(now.code, 0, "{}", now.stderr);
    assert!(now.stdout.contains("\"dölj\""), "{}", now.stdout);

    for args in [
        &["check", "git:HEAD:region"][..],
        &["test", "git:HEAD:region", "region"],
        &[
            "compare",
            "git:HEAD:national",
            "national",
            "git:HEAD:region",
        ],
    ] {
        let run = regel_in(root, args, "");
        assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
    }
    // A compiled table at a revision is a spec too.
    let table = regel_in(root, &["compile", "git:HEAD:national"], "");
    assert_eq!(table.code, 0, "{}", table.stderr);
    std::fs::write(root.join("tabell.ron"), &table.stdout).unwrap();
    git(root, &["add", "tabell.ron"]);
    git(root, &["commit", "--quiet", "-m", "tabell"]);
    let run = regel_in(
        root,
        &[&decide[..], &["git:HEAD:tabell.ron"]].concat(),
        SEVENTEEN,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"visa\""), "{}", run.stdout);

    for (spec, message) in [
        ("git:HEAD:finns-inte", "finns inte i git-revisionen `HEAD`"),
        ("git:ingen-sådan-gren:national", "okänd git-revision"),
        ("git:HEAD", "saknar sökväg"),
    ] {
        let run = regel_in(root, &[&decide[..], &[spec]].concat(), SEVENTEEN);
        assert_eq!(run.code, 2, "{spec}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{spec}: {}", run.stderr);
    }
}

/// A table edited by hand to name a deviation it does not have is refused when it is
/// loaded, by every command that reads it, rather than explained with a quiet omission.
#[test]
fn a_table_naming_a_missing_deviation_is_refused_where_it_is_read() {
    let dir = TempDir::with_file("broken-table", CLEAN.as_bytes());
    let run = regel([
        "compile".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut table: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = table
        .pointer_mut("/tables/0/rules")
        .and_then(|r| r.as_array_mut())
        .unwrap_or_else(|| panic!("{}", run.stdout));
    rules[0]["deviation"] = serde_json::json!(7);
    let path = dir.path().join("tabell.json");
    std::fs::write(&path, table.to_string()).unwrap();
    let spec = path.to_str().unwrap();

    let request = r#"{"datum": "2026-05-01", "läsare": "patient", "patient": {"födelsedatum": "2000-01-01"}}"#;
    let plain = regel_with_stdin(&["decide", spec, "--decision", "direktåtkomst"], request);
    assert_eq!(plain.code, 2, "{}{}", plain.stdout, plain.stderr);
    assert!(!plain.stdout.contains("\"visa\""), "{}", plain.stdout);
    assert!(
        plain
            .stderr
            .contains("nämner ett avsteg som tabellen inte har"),
        "{}",
        plain.stderr
    );

    let diff = regel(["diff", spec, dir.path().to_str().unwrap()]);
    assert_eq!(diff.code, 2, "{}{}", diff.stdout, diff.stderr);
    assert!(
        diff.stderr
            .contains("nämner ett avsteg som tabellen inte har"),
        "{}",
        diff.stderr
    );
}

/// `--format text` explains one decision in Swedish sentences, the day a hidden entry will
/// be shown included; it needs one request and says so when given none.
#[test]
fn decide_explains_a_decision_in_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("fråga.json");
    std::fs::write(
        &request,
        r#"{"datum": "2022-02-20", "läsare": "patient",
            "patient": {"födelsedatum": "1979-07-22"},
            "post": {"kategori": "anteckning", "signerad": false, "datum": "2022-02-10"}}"#,
    )
    .unwrap();
    let region = Path::new(env!("CARGO_MANIFEST_DIR")).join("regions/vastra-gotaland");
    let decide = |extra: &[&std::ffi::OsStr]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "decide".as_ref(),
            region.as_os_str(),
            "--decision".as_ref(),
            "direktåtkomst".as_ref(),
            "--format".as_ref(),
            "text".as_ref(),
        ];
        args.extend_from_slice(extra);
        regel(args)
    };
    let run = decide(&["--request".as_ref(), request.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "Beslut om direktåtkomst: dölj (skäl osignerad).",
        "Uppgiften visas från 2022-02-24.",
        "Regeln VGR-OS",
        "Motivering:",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    let none = decide(&[]);
    assert_eq!(none.code, 2, "{}", none.stdout);
    assert!(
        none.stderr.contains("ange den med --request FIL"),
        "{}",
        none.stderr
    );
}
