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

/// Codes the compiler, not the checker, reports; their fixtures live with the compiler.
const COMPILE_CODES: &[Code] = &[Code::Conflict, Code::Gap, Code::TooLarge];

/// The ruleset to check in a fixture folder.
fn ruleset_dir(fixture: &Path) -> PathBuf {
    let region = fixture.join("region");
    if region.is_dir() {
        region
    } else {
        fixture.to_path_buf()
    }
}

/// The codes named on the first line of the ruleset's first file.
fn expected_codes(fixture: &Path) -> BTreeSet<String> {
    let dir = ruleset_dir(fixture);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "regel"))
        .collect();
    files.sort();
    let first = files
        .first()
        .unwrap_or_else(|| panic!("{} has no .regel file", dir.display()));
    let bytes = std::fs::read(first).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().next().unwrap_or("");
    let codes = line
        .strip_prefix("# förväntat:")
        .unwrap_or_else(|| panic!("{}: first line must be `# förväntat: KOD`", first.display()));
    codes
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect()
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
