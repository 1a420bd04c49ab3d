//! Diagnostic snapshots: every folder in `tests/fixtures/diagnostics/` is a small ruleset
//! that must produce the codes its first file names on its first line
//! (`# förväntat: R0101`), and its rendered diagnostics are snapshotted.
//!
//! A fixture with a `region/` folder is a region (its files say `bygger på "../national"`);
//! otherwise the fixture folder itself is the ruleset. Paths are relative to the crate root,
//! where cargo runs tests, so the snapshots show `tests/fixtures/...` on every machine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers, like tests, fail by panicking"
)]

use regelverk::check::{Checked, check_dir};
use regelverk::diagnostic::{Code, render, render_json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/diagnostics";

/// Codes the compiler and the analyses, not the checker, report; their fixtures live with
/// the compiler (`tests/compile.rs`) and the analyses (`tests/fixtures/analyze`,
/// `tests/analyze.rs`).
const COMPILE_CODES: &[Code] = &[
    Code::Conflict,
    Code::Gap,
    Code::TooLarge,
    Code::InvariantBroken,
    Code::InvariantUndecided,
    Code::DeadRule,
    Code::RedundantDeviation,
    Code::ReasonTypo,
    Code::PriorityNeverMatters,
];

mod common;
use common::fixture_ruleset as ruleset_dir;

/// The codes named on the first line of the fixture ruleset's first file.
fn expected_codes(fixture: &Path) -> BTreeSet<String> {
    common::expected_codes(&ruleset_dir(fixture))
}

/// A fixture path relative to the crate root, cargo's working directory for tests.
fn relative(path: &Path) -> PathBuf {
    Path::new(FIXTURES).join(path.file_name().unwrap())
}

fn check(fixture: &Path) -> Checked {
    check_dir(&ruleset_dir(&relative(fixture)))
        .unwrap_or_else(|e| panic!("{}: {e}", fixture.display()))
}

#[test]
fn diagnostics() {
    let mut wrong = Vec::new();
    insta::glob!("fixtures/diagnostics/*", |fixture| {
        if !fixture.is_dir() {
            return;
        }
        let checked = check(fixture);
        let found: BTreeSet<String> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str().to_owned())
            .collect();
        let expected = expected_codes(fixture);
        let rendered = render(&checked.diagnostics, &checked.sources);
        if found != expected {
            wrong.push(format!(
                "{}: expected {expected:?}, found {found:?}\n{rendered}",
                relative(fixture).display()
            ));
        }
        insta::assert_snapshot!(rendered);
    });
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn diagnostics_as_json() {
    for name in [
        "R0101-felstavat-faktum",
        "R0109-regler-i-ring",
        "R0108-nationellt-faktum-igen",
    ] {
        let checked = check(&Path::new(FIXTURES).join(name));
        let json = render_json(&checked.diagnostics, &checked.sources);
        for line in json.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            for key in ["code", "file", "line", "column", "help"] {
                assert!(
                    value.get(key).is_some(),
                    "{name}: `{key}` missing in {line}"
                );
            }
        }
        insta::assert_snapshot!(format!("json_{name}"), json);
    }
}

#[test]
fn every_code_has_a_fixture() {
    let mut covered = BTreeSet::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            covered.extend(expected_codes(&path));
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let prefix = name.split('-').next().unwrap_or("").to_owned();
            assert!(
                Code::ALL.iter().any(|c| c.as_str() == prefix),
                "fixture `{name}` must start with a known code"
            );
        }
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !COMPILE_CODES.contains(c))
        .map(|c| c.as_str())
        .filter(|c| !covered.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture in {FIXTURES} for {missing:?}"
    );
}

// ------------------------------------------------------------------ sources

/// A small standalone ruleset; `{villkor}` is the condition of its one rule.
fn ruleset_with(condition: &str) -> String {
    format!(
        r#"regelverk "Test"

typ Läsare: patient, vårdnadshavare
fakta läsare: Läsare
fakta post.anteckning: text = ""
fakta datum: datum

beslut direktåtkomst
  utfall visa, dölj
  standard dölj skäl ingen_behörighet
  källa "RJH ramverk 1.1"

regel N1 "Patienten ser sina egna uppgifter"
  källa "RJH ramverk 1.1"
  beslut direktåtkomst
  om {condition}
  då visa skäl egen_åtkomst
"#
    )
}

const EXAMPLE: &str = r#"exempel "Patienten läser"
  beslut direktåtkomst
  datum = 2026-05-01
  läsare = patient
  förväntat visa skäl egen_åtkomst
"#;

/// What an editor holds but has not saved replaces the file on disk, a buffer for a file
/// that does not exist yet adds it, and the disk is left as it was.
#[test]
fn unsaved_buffers_override_files_on_disk() {
    use regelverk::source::{Disk, Overlay};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("regler.regel");
    std::fs::write(&file, ruleset_with("läsar = patient")).unwrap();

    let on_disk = check_dir(dir.path()).unwrap();
    assert!(
        on_disk
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownName)
    );

    let mut editor = Overlay::new(Disk);
    editor.set(&file, ruleset_with("läsare = patient"));
    editor.set(&dir.path().join("exempel.regel"), EXAMPLE);
    let edited = regelverk::check::check_in(&editor, dir.path()).unwrap();
    assert!(
        !edited.has_errors(),
        "{}",
        render(&edited.diagnostics, &edited.sources)
    );
    let ruleset = edited.ruleset.expect("checked");
    assert_eq!(ruleset.examples.len(), 1, "the unsaved new file is read");
    let names: Vec<&str> = ruleset
        .sources
        .iter()
        .map(|(_, f)| f.name.as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("exempel.regel")),
        "{names:?}"
    );

    // Saved or closed: the disk speaks again.
    editor.remove(&file);
    let reverted = regelverk::check::check_in(&editor, dir.path()).unwrap();
    assert!(reverted.has_errors());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("läsar = patient")
    );
}

/// A region's `bygger på` is read through the same buffers: an unsaved edit of the national
/// rules is what the region builds on.
#[test]
fn a_region_builds_on_the_unsaved_national_rules() {
    use regelverk::source::{Disk, Overlay};
    let fixture = Path::new(FIXTURES).join("R0107-okand-nationell-regel");
    let region = fixture.join("region");
    let national = fixture.join("national/regler.regel");
    assert!(
        check_dir(&region)
            .unwrap()
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownNationalRule)
    );
    // The national rules, edited to have the rule N11 the region strikes.
    let text = std::fs::read_to_string(&national).unwrap();
    let mut editor = Overlay::new(Disk);
    editor.set(&national, format!("{text}\n{}", national_rule_n11()));
    let checked = regelverk::check::check_in(&editor, &region).unwrap();
    assert!(
        !checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownNationalRule),
        "{}",
        render(&checked.diagnostics, &checked.sources)
    );
}

fn national_rule_n11() -> &'static str {
    r#"regel N11 "Ombud ser uppgifterna"
  källa "RJH ramverk 1.1"
  beslut direktåtkomst
  om läsare = ombud
  då visa skäl ombud
"#
}

/// An editor counts columns in UTF-16 code units, people in characters: `å` is one of
/// each, an emoji one character and two units. The error after both is placed right for
/// each.
#[test]
fn columns_in_utf16_for_editors_and_characters_for_people() {
    let before = r#"  om post.anteckning = "å😀" och "#;
    let text = ruleset_with(&format!(
        "{}läsar = patient",
        before.trim_start_matches("  om ")
    ));
    let checked = regelverk::check::check_texts(&[], &[("test.regel", &text)]);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownName)
        .unwrap_or_else(|| panic!("{}", render(&checked.diagnostics, &checked.sources)));
    let file = checked.sources.file(d.primary.span.file);
    let line = text.lines().position(|l| l.starts_with(before)).unwrap();

    let (people_line, people_column) = file.line_col(d.primary.span.start);
    assert_eq!(people_line, line + 1);
    assert_eq!(people_column, before.chars().count() + 1);

    let editor = file.utf16_position(d.primary.span.start);
    assert_eq!(editor.line as usize, line);
    assert_eq!(editor.character as usize, before.encode_utf16().count());
    assert_eq!(editor.character as usize, before.chars().count() + 1);
    // And back: the editor's position is the span's start.
    assert_eq!(file.offset_of(editor), Some(d.primary.span.start));

    // The JSON for tools keeps counting characters, 1-based.
    let json = render_json(&checked.diagnostics, &checked.sources);
    let expected = format!(r#""column":{}"#, before.chars().count() + 1);
    assert!(json.contains(&expected), "{json}");
}

/// A file saved with decomposed characters (`a` + ring) is read as composed, but its
/// locations are those of the file as written: the column counts the characters an editor
/// counts there, and the rendered line shows what is in the file.
#[test]
fn locations_after_decomposed_characters_are_in_the_file_as_written() {
    let before = "  om post.anteckning = \"a\u{30a}a\u{308}o\u{308}\" och ";
    let decomposed = ruleset_with(&format!(
        "{}läsar = patient",
        before.trim_start_matches("  om ")
    ));
    // Many decomposed lines before it, so a drift would also change the line.
    let filler = "# a\u{30a}a\u{308}o\u{308}a\u{30a}a\u{308}o\u{308}\n".repeat(40);
    let text = format!("{filler}{decomposed}");
    let checked = regelverk::check::check_texts(&[], &[("test.regel", &text)]);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownName)
        .unwrap_or_else(|| panic!("{}", render(&checked.diagnostics, &checked.sources)));
    let file = checked.sources.file(d.primary.span.file);
    // The parser read composed text, and the span names the misspelt word in it.
    assert_eq!(checked.sources.slice(d.primary.span), Some("läsar"));
    let line = text.lines().position(|l| l.starts_with(before)).unwrap();
    assert_eq!(
        file.line_col(d.primary.span.start),
        (line + 1, before.chars().count() + 1)
    );
    let editor = file.utf16_position(d.primary.span.start);
    assert_eq!(
        (editor.line as usize, editor.character as usize),
        (line, before.encode_utf16().count())
    );
    assert_eq!(file.offset_of(editor), Some(d.primary.span.start));
    let json = render_json(&checked.diagnostics, &checked.sources);
    let expected = format!(
        r#""line":{},"column":{},"end_line":{},"end_column":{}"#,
        line + 1,
        before.chars().count() + 1,
        line + 1,
        before.chars().count() + 1 + "läsar".chars().count()
    );
    assert!(json.contains(&expected), "{expected} in {json}");
    // The rendered line is the line as written, with the caret under the word.
    let rendered = render(&checked.diagnostics, &checked.sources);
    let location = format!("test.regel:{}:{}", line + 1, before.chars().count() + 1);
    assert!(rendered.contains(&location), "{location} in {rendered}");
    assert!(rendered.contains(before.trim_start()), "{rendered}");
}

/// An invalid byte after decomposed characters, many lines down: reported where it is in
/// the file as written, not where the same offset lands in the composed text.
#[test]
fn an_invalid_byte_after_decomposed_characters_is_placed_right() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "# a\u{30a}a\u{308}o\u{308}a\u{30a}a\u{308}o\u{308}\n".repeat(40);
    let mut bytes =
        format!("regelverk \"Test\"\n{filler}fakta a\u{30a}a\u{308}o\u{308}").into_bytes();
    bytes.push(0xff);
    bytes.extend_from_slice(b": datum\n");
    std::fs::write(dir.path().join("a.regel"), &bytes).unwrap();
    let checked = check_dir(dir.path()).unwrap();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::InvalidUtf8)
        .unwrap_or_else(|| panic!("{}", render(&checked.diagnostics, &checked.sources)));
    let file = checked.sources.file(d.primary.span.file);
    // Line 42, after `fakta ` and three letters written as six characters.
    assert_eq!(file.line_col(d.primary.span.start), (42, 13));
    assert_eq!(checked.sources.slice(d.primary.span), Some("\u{fffd}"));
    let rendered = render(&checked.diagnostics, &checked.sources);
    assert!(rendered.contains(":42:13"), "{rendered}");
}
