//! Reading a ruleset directory and the ruleset it builds on.

use super::Checked;
use super::build::{Builder, ParsedFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Sources, rule_files};
use crate::syntax::{self, ast};
use std::path::{Component, Path, PathBuf};

/// A problem that is not in the rule files: the directory cannot be read or holds none.
#[derive(Debug)]
pub enum LoadError {
    NotFound(String),
    NotADirectory(String),
    Empty(String),
    Io(String, String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound(p) => write!(
                f,
                "hittar inte `{p}`: ange katalogen med regelfiler, t.ex. `rules` eller `regions/vastra-gotaland`"
            ),
            LoadError::NotADirectory(p) => write!(
                f,
                "`{p}` är ingen katalog: ett regelverk är en katalog med `.regel`-filer"
            ),
            LoadError::Empty(p) => write!(f, "katalogen `{p}` innehåller inga `.regel`-filer"),
            LoadError::Io(p, e) => write!(f, "kan inte läsa `{p}`: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// A path as shown to users: relative to the working directory when possible, with `.` and
/// `..` resolved, so the same files give the same names on every machine.
pub fn display_path(path: &Path) -> String {
    let path = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in path.components() {
        match c {
            Component::RootDir => absolute = true,
            Component::CurDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

fn read_dir_files(
    dir: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<ParsedFile>, LoadError> {
    let shown = display_path(dir);
    if !dir.exists() {
        return Err(LoadError::NotFound(shown));
    }
    if !dir.is_dir() {
        return Err(LoadError::NotADirectory(shown));
    }
    let paths = rule_files(dir).map_err(|e| LoadError::Io(shown.clone(), e.to_string()))?;
    if paths.is_empty() {
        return Err(LoadError::Empty(shown));
    }
    let mut files = Vec::new();
    for path in paths {
        let name = display_path(&path);
        let bytes = std::fs::read(&path).map_err(|e| LoadError::Io(name.clone(), e.to_string()))?;
        let (id, problem) = sources.add_bytes(name, &bytes);
        let text = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
        let ast = match problem {
            Some(d) => {
                diagnostics.push(d);
                ast::File::default()
            }
            None => {
                let (ast, mut found) = syntax::parse_file(id, &text);
                diagnostics.append(&mut found);
                ast
            }
        };
        files.push(ParsedFile { id, ast });
    }
    Ok(files)
}

/// Why the ruleset named in `bygger på` could not be read, in the header's terms.
fn base_problem(error: &LoadError) -> String {
    match error {
        LoadError::NotFound(p) => format!("regelverket som det byggs på finns inte: `{p}`"),
        LoadError::NotADirectory(p) => format!("`{p}` är ingen katalog med regelfiler"),
        LoadError::Empty(p) => format!("katalogen `{p}` innehåller inga `.regel`-filer"),
        LoadError::Io(p, e) => format!("kan inte läsa `{p}`: {e}"),
    }
}

/// The `bygger på` of the first header in `files`.
fn base_of(files: &[ParsedFile]) -> Option<&ast::Header> {
    files
        .iter()
        .flat_map(|f| &f.ast.items)
        .find_map(|item| match item {
            ast::Item::Header(h) if h.base.is_some() => Some(h),
            _ => None,
        })
}

/// Reads, parses and checks the ruleset in `dir` (and the ruleset it builds on).
pub fn check_dir(dir: &Path) -> Result<Checked, LoadError> {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let own = read_dir_files(dir, &mut sources, &mut diagnostics)?;
    let mut national = Vec::new();
    if let Some(header) = base_of(&own)
        && let Some(base) = &header.base
    {
        let base_dir: PathBuf = dir.join(&base.value);
        match read_dir_files(&base_dir, &mut sources, &mut diagnostics) {
            Ok(files) => {
                if let Some(h) = base_of(&files).and_then(|h| h.base.as_ref()) {
                    diagnostics.push(
                        Diagnostic::error(Code::Header, "regelverket som det byggs på bygger i sin tur på ett annat", h.span, "bygger också på ett annat")
                            .with_label(base.span, "det här regelverket")
                            .with_help("en region bygger direkt på det nationella ramverket: ta bort `bygger på` i det nationella"),
                    );
                }
                national = files;
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(
                    Code::Header,
                    base_problem(&e),
                    base.span,
                    "den här sökvägen",
                )
                .with_help(
                    "skriv sökvägen relativt regionens katalog, t.ex. `bygger på \"../../rules\"`",
                ),
            ),
        }
    }
    Ok(finish(sources, diagnostics, national, own))
}

/// Checks rule texts given in memory: `national` files, then the region's `own` files (an
/// empty `national` makes `own` a standalone ruleset). For tests and tools.
pub fn check_texts(national: &[(&str, &str)], own: &[(&str, &str)]) -> Checked {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let mut parse = |files: &[(&str, &str)], sources: &mut Sources| {
        files
            .iter()
            .map(|(name, text)| {
                let id = sources.add(*name, text);
                let normalised = sources.get(id).map(|f| f.text.clone()).unwrap_or_default();
                let (ast, mut found) = syntax::parse_file(id, &normalised);
                diagnostics.append(&mut found);
                ParsedFile { id, ast }
            })
            .collect::<Vec<_>>()
    };
    let own_files = parse(own, &mut sources);
    let national_files = parse(national, &mut sources);
    finish(sources, diagnostics, national_files, own_files)
}

fn finish(
    sources: Sources,
    mut diagnostics: Vec<Diagnostic>,
    national: Vec<ParsedFile>,
    own: Vec<ParsedFile>,
) -> Checked {
    let (national, region) = if national.is_empty() {
        (own, Vec::new())
    } else {
        (national, own)
    };
    let (ruleset, mut found) = Builder::build(&sources, &national, &region);
    // A file that did not parse, or a clause dropped for an error, would make the facts it
    // reads look unused: the warning would only be noise next to the real error.
    if diagnostics.iter().any(Diagnostic::is_error) {
        found.retain(|d| d.code != Code::UnusedFact);
    }
    diagnostics.append(&mut found);
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.code));
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    Checked {
        sources,
        diagnostics,
        ruleset: if ok { ruleset } else { None },
    }
}
