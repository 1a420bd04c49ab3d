//! `regel fmt`: the formatter is sound (a formatted file parses to the same tree and
//! compiles to the same tables), idempotent, and loses no comment — on every rule file of the
//! repository and on 1,000 generated files with random layout and comments.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use regelverk::Pipeline;
use regelverk::check::check_texts;
use regelverk::diagnostic::Diagnostic;
use regelverk::format::format_text;
use regelverk::source::{Disk, Overlay, Sources};
use regelverk::syntax::parse_file;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The rule files under `dir`, recursively.
fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "regel") {
            out.push(path);
        }
    }
}

/// The comments of a text, as the formatter must keep them (text from `#`, trimmed).
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_string = false;
    let mut rest = text.char_indices();
    while let Some((i, c)) = rest.next() {
        if c == '"' {
            in_string = !in_string;
        } else if c == '#' && !in_string {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            found.push(text[i..end].trim_end().to_owned());
            for _ in rest.by_ref().take_while(|(j, _)| *j + 1 < end) {}
        }
    }
    found.sort();
    found
}

/// The text NFC-normalised, as the parser sees it.
fn normalised(text: &str) -> String {
    let mut sources = Sources::default();
    let id = sources.add("f", text);
    sources.file(id).text.clone()
}

/// Formats `text` and checks the three promises; returns the formatted text.
fn round_trip(name: &str, text: &str) -> String {
    let text = normalised(text);
    let formatted =
        format_text(0, &text).unwrap_or_else(|d| panic!("{name} does not format: {d:#?}\n{text}"));
    let (before, _) = parse_file(0, &text);
    let (after, problems) = parse_file(0, &formatted);
    assert!(
        problems.is_empty(),
        "{name}: the formatted text has problems: {problems:#?}\n{formatted}"
    );
    assert_eq!(
        before, after,
        "{name}: the formatted text parses to another tree\n--- before\n{text}\n--- after\n{formatted}"
    );
    let again = format_text(0, &formatted).unwrap();
    assert_eq!(
        again, formatted,
        "{name}: formatting twice changes the text\n--- once\n{formatted}\n--- twice\n{again}"
    );
    // A comment may be joined to another on one line (`a  # x  # y`), never lost.
    let joined = |t: &str| comments(t).join("").replace(' ', "");
    let mut expected: Vec<char> = joined(&text).chars().collect();
    let mut got: Vec<char> = joined(&formatted).chars().collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(
        expected, got,
        "{name}: comments changed\n{text}\n---\n{formatted}"
    );
    formatted
}

/// Diagnostics without their places, which formatting moves.
fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut m: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    m.sort();
    m
}

/// A compiled ruleset as JSON without the places and the hash of the source text, which
/// formatting changes by design.
fn tables(pipeline: &Pipeline) -> Option<Value> {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, _| {
                    !matches!(k.as_str(), "plats" | "location") && !k.contains("hash")
                });
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut json = serde_json::to_value(pipeline.compiled.as_ref()?).unwrap();
    strip(&mut json);
    Some(json)
}

#[test]
fn every_rule_file_of_the_repository_round_trips() {
    let mut files = Vec::new();
    for dir in ["rules", "regions", "tests/fixtures"] {
        rule_files(Path::new(dir), &mut files);
    }
    let mut formatted = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // the fixture that is not UTF-8
        };
        let (_, problems) = parse_file(0, &normalised(&text));
        if problems.is_empty() {
            round_trip(&path.display().to_string(), &text);
            formatted += 1;
        }
    }
    assert!(formatted > 70, "only {formatted} files were formatted");
}

#[test]
fn the_repository_is_formatted() {
    let mut files = Vec::new();
    for dir in ["rules", "regions"] {
        rule_files(Path::new(dir), &mut files);
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let formatted = format_text(0, &normalised(&text)).unwrap();
        assert!(
            formatted == text,
            "{} is not formatted: run `regel fmt {}`",
            path.display(),
            path.display()
        );
    }
}

#[test]
fn every_ruleset_compiles_to_the_same_tables_formatted() {
    let mut dirs = vec![PathBuf::from("rules")];
    let mut regions: Vec<PathBuf> = std::fs::read_dir("regions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    regions.sort();
    dirs.extend(regions);
    assert!(dirs.len() >= 13, "{dirs:?}");
    for dir in &dirs {
        let dir = dir.to_str().unwrap();
        let mut overlay = Overlay::new(Disk);
        let mut files = Vec::new();
        rule_files(Path::new("rules"), &mut files);
        rule_files(Path::new(dir), &mut files);
        for path in files {
            let text = normalised(&std::fs::read_to_string(&path).unwrap());
            // Every line moves: a formatted file must not be the one on disk.
            let formatted = format_text(0, &text).unwrap().replace('\n', "\n\n");
            overlay.set(&path, formatted);
        }
        let original = Pipeline::load(Path::new(dir)).unwrap();
        let formatted = Pipeline::load_from(&overlay, Path::new(dir)).unwrap();
        assert_eq!(
            messages(&original.diagnostics),
            messages(&formatted.diagnostics)
        );
        let tables_before = tables(&original).expect("the ruleset compiles");
        assert!(
            Some(tables_before) == tables(&formatted),
            "{dir}: other tables"
        );
    }
}

/// Comments, blank lines and awkward breaks everywhere they may go.
#[test]
fn comments_stay_where_they_were() {
    let text = "\
# Filens rubrik

regelverk \"Test\"   # efter rubriken


# Typer
typ Läsare: patient, # mitt i listan
  vårdnadshavare
fakta läsare: Läsare
fakta datum: datum
fakta f: datum # om f
härledd nytt = (datum > f - 14 dagar) # efter
beslut b utfall visa, dölj standard dölj
regel R1 \"Titel\"
  # före om
  om läsare = patient # efter första
     # före andra
     och datum > f och (nytt
     eller nytt) och inte nytt
  # före då
  då visa # efter då
  källa \"K\" beslut b
exempel \"E\"
  beslut b
  läsare = patient  # patienten
  datum = 2026-01-01
  förväntat visa
# sist i filen
";
    let formatted = round_trip("comments", text);
    insta::assert_snapshot!(formatted);
}

// ------------------------------------------------------------------ generated files

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A rule file written token by token, with random spaces, line breaks and comments
/// between the tokens.
struct Gen {
    random: Random,
    tokens: Vec<String>,
}

const BOOLS: &[&str] = &["a", "b", "c.d"];
const DATES: &[&str] = &["datum", "e.datum"];
const VALUES: &[&str] = &["x", "y", "z"];

impl Gen {
    fn t(&mut self, token: &str) {
        self.tokens.push(token.to_owned());
    }

    fn one_of(&mut self, tokens: &[&str]) {
        let token = self.random.pick(tokens);
        self.t(token);
    }

    fn text(&self) -> String {
        let mut random = Random(self.random.0 ^ 0x9e37_79b9);
        let mut out = String::new();
        for (i, token) in self.tokens.iter().enumerate() {
            if i > 0 {
                out.push_str(match random.below(12) {
                    0 => "\n",
                    1 => "\n\n",
                    2 => "  ",
                    3 => "\n    ",
                    4 => "\t",
                    5 => "  # kommentar\n",
                    6 => "\n# egen rad\n  ",
                    7 => " #\n",
                    _ => " ",
                });
            }
            out.push_str(token);
        }
        if random.chance(50) {
            out.push_str("\n# sist\n");
        }
        out
    }

    fn condition(&mut self, depth: usize) {
        let choice = if depth > 3 {
            5 + self.random.below(6)
        } else {
            self.random.below(11)
        };
        match choice {
            0 | 1 => {
                let op = if choice == 0 { "och" } else { "eller" };
                let n = 2 + self.random.below(3);
                for i in 0..n {
                    if i > 0 {
                        self.t(op);
                    }
                    self.condition(depth + 1);
                }
            }
            2 => {
                self.t("(");
                self.condition(depth + 1);
                self.t(")");
            }
            3 => {
                self.t("inte");
                self.condition(depth + 1);
            }
            4 => {
                self.t("(");
                self.condition(depth + 1);
                self.t(")");
                self.one_of(&["och", "eller"]);
                self.condition(depth + 1);
            }
            5 | 6 => {
                let name = self.random.pick(BOOLS);
                self.t(name);
            }
            7 => {
                self.t("v");
                if self.random.chance(50) {
                    let op = self.random.pick(&["=", "≠", "!="]);
                    self.t(op);
                    let v = self.random.pick(VALUES);
                    self.t(v);
                } else {
                    if self.random.chance(50) {
                        self.t("inte");
                    }
                    self.t("i");
                    self.t("{");
                    let n = 1 + self.random.below(3);
                    for (i, v) in VALUES.iter().enumerate().take(n) {
                        if i > 0 {
                            self.t(",");
                        }
                        self.t(v);
                    }
                    self.t("}");
                }
            }
            8 => {
                self.date_term();
                let op = self.random.pick(&["<", "<=", ">", ">=", "≤", "≥", "="]);
                self.t(op);
                self.date_term();
            }
            9 => {
                // The optional fact: tested alone, or guarding a read of its value.
                self.t("o");
                if self.random.chance(70) {
                    self.one_of(&["finns", "saknas"]);
                } else {
                    self.t("saknas");
                    self.t("eller");
                    self.t("o");
                    self.one_of(&["<=", ">"]);
                    self.date_term();
                }
            }
            _ => {
                self.t("ålder(");
                let d = self.random.pick(DATES);
                self.t(d);
                self.t(",");
                self.t("datum");
                self.t(")");
                let op = self.random.pick(&["<", ">=", "="]);
                self.t(op);
                let n = self.random.below(30).to_string();
                self.t(&n);
            }
        }
    }

    fn date_term(&mut self) {
        if self.random.chance(30) {
            self.t("2026-03-01");
        } else {
            let d = self.random.pick(DATES);
            self.t(d);
        }
        for _ in 0..self.random.below(3) {
            let op = self.random.pick(&["+", "-"]);
            self.t(op);
            let n = self.random.below(20).to_string();
            self.t(&n);
            let unit = self
                .random
                .pick(&["dag", "dagar", "månad", "månader", "år"]);
            self.t(unit);
        }
    }

    fn file(&mut self) {
        self.t("regelverk");
        self.t("\"Genererat\"");
        self.t("typ");
        self.t("V");
        self.t(":");
        self.t("x");
        self.t(",");
        self.t("y");
        self.t(",");
        self.t("z");
        for (name, ty) in [
            ("a", "sant/falskt"),
            ("b", "sant/falskt"),
            ("c.d", "sant/falskt"),
            ("datum", "datum"),
            ("e.datum", "datum"),
            ("v", "V"),
            ("o", "datum"),
        ] {
            self.t("fakta");
            self.t(name);
            self.t(":");
            self.t(ty);
            if name == "o" {
                self.t(",");
                self.t("kan");
                self.t("saknas");
            } else if ty == "sant/falskt" && self.random.chance(50) {
                self.t("=");
                self.t("falskt");
            }
            if self.random.chance(10) {
                self.t("(");
                self.t("läses");
                self.t("av");
                self.t("regioner");
                self.t(")");
            }
        }
        self.t("fakta");
        self.t("n");
        self.t(":");
        self.t("heltal");
        self.t("0");
        self.t("..");
        self.t("120");
        self.t("=");
        self.t("0");
        self.t("beslut");
        self.t("b");
        self.t("utfall");
        self.t("visa");
        self.t(",");
        self.t("dölj");
        self.t("standard");
        self.t("dölj");
        self.t("skäl");
        self.t("standard_skäl");
        self.t("källa");
        self.t("\"K # inte en kommentar\"");
        if self.random.chance(50) {
            self.t("härledd");
            self.t("h");
            self.t("=");
            self.condition(0);
            self.interpretations();
        }
        let rules = 1 + self.random.below(4);
        for r in 0..rules {
            self.t("regel");
            self.t(&format!("R{r}"));
            self.t(&format!("\"Regel {r}\""));
            // Clauses in any order: the formatter writes them in one.
            let mut clauses = vec![0, 1, 2, 3, 4, 5, 6, 7];
            for i in (1..clauses.len()).rev() {
                let j = self.random.below(i + 1);
                clauses.swap(i, j);
            }
            for clause in clauses {
                match clause {
                    0 => {
                        self.t("källa");
                        self.t("\"Källa\"");
                    }
                    1 => {
                        self.t("beslut");
                        self.t("b");
                    }
                    2 => {
                        self.t("om");
                        self.condition(0);
                    }
                    3 => {
                        self.t("då");
                        if self.random.chance(30) {
                            self.t("dölj");
                            self.t("skäl");
                            self.t(&format!("s{r}"));
                            self.t("visas");
                            self.t("från");
                            self.date_term();
                        } else {
                            self.t("visa");
                            self.t("skäl");
                            self.t(&format!("s{r}"));
                        }
                    }
                    5 => self.interpretations(),
                    6 if self.random.chance(40) => {
                        self.t("gäller");
                        self.t("från");
                        self.t("2025-01-01");
                    }
                    7 if self.random.chance(40) => {
                        self.t("gäller");
                        self.t("till");
                        self.t("och");
                        self.t("med");
                        self.t("2026-12-31");
                    }
                    6 | 7 => {}
                    _ => {
                        if r > 0 {
                            self.t("går före");
                            self.t(&format!("R{}", r - 1));
                        } else {
                            self.t("grupp");
                            self.t("g");
                        }
                    }
                }
            }
        }
        if self.random.chance(50) {
            self.t("invariant");
            self.t("\"Inv\"");
            self.interpretations();
            self.t("beslut");
            self.t("b");
            self.one_of(&["aldrig", "alltid"]);
            self.t("visa");
            self.t("när");
            self.condition(0);
        }
        if self.random.chance(50) {
            self.t("exempel");
            self.t("\"Ex\"");
            self.t("beslut");
            self.t("b");
            self.t("a");
            self.t("=");
            self.t("sant");
            self.t("datum");
            self.t("=");
            self.t("2026-01-01");
            self.t("v");
            self.t("=");
            self.t("x");
            self.t("förväntat");
            match self.random.below(3) {
                0 => self.t("visa"),
                1 => self.t("fel"),
                _ => {
                    self.t("dölj");
                    self.t("skäl");
                    self.t("s0");
                    self.t("visas");
                    self.t("från");
                    self.t("2026-03-01");
                }
            }
        }
    }

    /// Zero to two `tolkning` clauses, one with a `#` that is no comment.
    fn interpretations(&mut self) {
        for i in 0..self.random.below(3) {
            self.t("tolkning");
            self.t(&format!("\"Tolkning {i} # inte en kommentar\""));
        }
    }
}

/// The full-size stress cases run when `REGEL_TEST_HEAVY` is set, as `.ci/run` does; a plain
/// `cargo test` runs the same tests on smaller inputs, so it stays within a minute.
fn heavy() -> bool {
    std::env::var_os("REGEL_TEST_HEAVY").is_some()
}

#[test]
fn a_thousand_generated_files_round_trip_and_compile_the_same() {
    let files: u64 = if heavy() { 1000 } else { 200 };
    let mut compiled = 0;
    // Compiled rulesets that use each clause of the second wave, so the tables compared
    // hold periods, presence columns and days of showing.
    let clauses = [
        "gäller från",
        "gäller till och med",
        "saknas",
        "visas från",
        "tolkning",
    ];
    let mut compiled_with = [0; 5];
    for seed in 1..=files {
        let mut generator = Gen {
            random: Random(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1),
            tokens: Vec::new(),
        };
        generator.file();
        let text = generator.text();
        let words = generator.tokens.join(" ").replace(" ,", ",");
        let formatted = round_trip(&format!("seed {seed}"), &text);
        let before = Pipeline::from_checked(check_texts(&[], &[("g.regel", &text)]));
        let after = Pipeline::from_checked(check_texts(&[], &[("g.regel", &formatted)]));
        assert_eq!(
            messages(&before.diagnostics),
            messages(&after.diagnostics),
            "seed {seed}"
        );
        assert!(
            tables(&before) == tables(&after),
            "seed {seed}: other tables"
        );
        compiled += usize::from(before.compiled.is_some());
        for (count, clause) in compiled_with.iter_mut().zip(clauses) {
            let uses = words.replace(", kan saknas", "").contains(clause);
            *count += usize::from(before.compiled.is_some() && uses);
        }
    }
    for (count, clause) in compiled_with.iter().zip(clauses) {
        assert!(
            *count >= 10,
            "only {count} compiled rulesets use `{clause}`"
        );
    }
    // The generator must reach the compiler, not only the parser (a generated invariant
    // the rules break is an error, so not every ruleset compiles).
    assert!(
        compiled * 4 > files as usize,
        "only {compiled} of {files} generated rulesets compiled"
    );
}

/// `regel fmt --check` changes nothing, prints a diff and exits 1; `regel fmt` rewrites the
/// file, after which `--check` passes; a file with a syntax error is left as it is.
#[test]
fn regel_fmt_and_its_check() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("regel-fmt");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let untidy = "regelverk   \"T\"\nfakta a:sant/falskt   # a\n";
    let broken = "regelverk \"T\"\nfakta b sant/falskt\n";
    std::fs::write(dir.join("a.regel"), untidy).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_regel"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let path = dir.to_str().unwrap();
    let (code, stdout, _) = run(&["fmt", "--check", path]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("-fakta a:sant/falskt   # a"), "{stdout}");
    assert!(stdout.contains("+fakta a: sant/falskt  # a"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.join("a.regel")).unwrap(),
        untidy
    );
    let (code, _, stderr) = run(&["fmt", path]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("a.regel")).unwrap(),
        "regelverk \"T\"\nfakta a: sant/falskt  # a\n"
    );
    let (code, stdout, _) = run(&["fmt", "--check", path]);
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
    std::fs::write(dir.join("b.regel"), broken).unwrap();
    let (code, _, stderr) = run(&["fmt", path]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("R0001") && stderr.contains("formateras inte"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("b.regel")).unwrap(),
        broken
    );
}
