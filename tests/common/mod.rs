//! Helpers the integration tests share: running the `regel` binary, and reading what a
//! fixture folder expects.

#![allow(
    dead_code,
    reason = "each test binary includes this module and uses a part of it"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `regel` with `args` and, when given, `stdin` as its standard input: the exit code,
/// standard out and standard error.
pub fn regel(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_regel"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The ruleset of a fixture folder: its `region/` when it has one (whose files say
/// `bygger på "../national"`), else the folder itself.
pub fn fixture_ruleset(fixture: &Path) -> PathBuf {
    let region = fixture.join("region");
    if region.is_dir() {
        region
    } else {
        fixture.to_path_buf()
    }
}

/// The codes a fixture's ruleset must give, named on the first line of its first file:
/// `# förväntat: R0101, W0101`.
pub fn expected_codes(ruleset: &Path) -> BTreeSet<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(ruleset)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "regel"))
        .collect();
    files.sort();
    let first = files
        .first()
        .unwrap_or_else(|| panic!("{} has no .regel file", ruleset.display()));
    // Some fixtures hold invalid UTF-8 on purpose, after the first line.
    let bytes = std::fs::read(first).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().next().unwrap_or("");
    line.strip_prefix("# förväntat:")
        .unwrap_or_else(|| panic!("{}: first line must be `# förväntat: KOD`", first.display()))
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}
