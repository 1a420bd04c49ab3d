//! Reading a ruleset directory and the ruleset it builds on, through a [`FileProvider`]:
//! from the disk, a git revision or an editor's buffers alike.
//!
//! Every `*.regel` entry of the directory is read or the load fails naming it (a file the
//! check never saw could be the one that hides an entry), and a `bygger på` is a relative
//! path that stays inside the repository (see [`crate::source::FileProvider`] for what the
//! repository is, and what counts as a rule file).

use super::Checked;
use super::build::{Builder, ParsedFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Disk, Entry, FileProvider, InvalidUtf8, Sources, describe_io};
use crate::syntax::{self, ast};
use std::path::{Path, PathBuf};

/// A problem that is not in the rule files: the directory cannot be read or holds none.
#[derive(Debug)]
pub enum LoadError {
    NotFound(String),
    NotADirectory(String),
    Empty(String),
    Io(String, String),
    /// Rule files that cannot be read as rule files: each by name, with the reason.
    Unreadable(Vec<(String, String)>),
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
            LoadError::Unreadable(files) => {
                let lines: Vec<String> = files
                    .iter()
                    .map(|(p, e)| format!("kan inte läsa regelfilen `{p}`: {e}"))
                    .collect();
                // One line each, as the command line prints every error (`fel: …`).
                write!(f, "{}", lines.join("\nfel: "))
            }
        }
    }
}

impl std::error::Error for LoadError {}

fn read_dir_files(
    files: &dyn FileProvider,
    dir: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<ParsedFile>, LoadError> {
    let shown = files.name(dir);
    match files.entry(dir) {
        Entry::Missing => return Err(LoadError::NotFound(shown)),
        Entry::File => return Err(LoadError::NotADirectory(shown)),
        Entry::Dir => {}
    }
    let paths = files
        .rule_files(dir)
        .map_err(|e| LoadError::Io(shown.clone(), describe_io(&e)))?;
    if paths.is_empty() {
        return Err(LoadError::Empty(shown));
    }
    let mut read = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        let name = files.name(&path);
        match files.read_rule_file(dir, &path) {
            Ok(bytes) => read.push((name, bytes)),
            Err(e) => unreadable.push((name, describe_io(&e))),
        }
    }
    if !unreadable.is_empty() {
        return Err(LoadError::Unreadable(unreadable));
    }
    let mut parsed = Vec::new();
    for (name, bytes) in read {
        let (id, invalid) = sources.add_bytes(name, &bytes);
        let ast = match invalid {
            Some(InvalidUtf8 { span }) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidUtf8,
                        "filen är inte giltig UTF-8-text",
                        span,
                        "tecknet här går inte att läsa",
                    )
                    .with_help(
                        "spara filen som UTF-8 (i de flesta redigerare: Spara som … → Kodning: UTF-8)",
                    ),
                );
                ast::File::default()
            }
            None => {
                let (ast, mut found) = syntax::parse_file(id, &sources.file(id).text);
                diagnostics.append(&mut found);
                ast
            }
        };
        parsed.push(ParsedFile { id, ast });
    }
    Ok(parsed)
}

/// Why the ruleset named in `bygger på` could not be read, in the header's terms.
fn base_problem(error: &LoadError) -> String {
    match error {
        LoadError::NotFound(p) => format!("regelverket som det byggs på finns inte: `{p}`"),
        LoadError::NotADirectory(p) => format!("`{p}` är ingen katalog med regelfiler"),
        LoadError::Empty(p) => format!("katalogen `{p}` innehåller inga `.regel`-filer"),
        LoadError::Io(p, e) => format!("kan inte läsa `{p}`: {e}"),
        LoadError::Unreadable(files) => match files.as_slice() {
            [(p, e)] => format!("kan inte läsa regelfilen `{p}`: {e}"),
            _ => {
                let each: Vec<String> = files.iter().map(|(p, e)| format!("`{p}` {e}")).collect();
                format!("regelfilerna går inte att läsa: {}", each.join("; "))
            }
        },
    }
}

/// Why a `bygger på` path is refused before anything is read from it.
enum Escape {
    Absolute,
    /// It leads out of the repository (named, as shown to users).
    Outside(String),
}

/// The directory a `bygger på "path"` in the ruleset `dir` names: `path` joined to `dir`,
/// when it is relative and stays inside the repository. A directory that cannot be found
/// is left for reading to report.
fn resolve_base(files: &dyn FileProvider, dir: &Path, path: &str) -> Result<PathBuf, Escape> {
    let relative = Path::new(path);
    if relative.has_root() || relative.is_absolute() {
        return Err(Escape::Absolute);
    }
    let base = dir.join(relative);
    let (Ok(repository), Ok(located)) = (files.repository(dir), files.locate(&base)) else {
        return Ok(base);
    };
    if located.starts_with(&repository) {
        Ok(base)
    } else {
        Err(Escape::Outside(repository.display().to_string()))
    }
}

/// The diagnostic for a `bygger på` that is refused.
fn escape_diagnostic(escape: &Escape, span: crate::source::Span) -> Diagnostic {
    let message = match escape {
        Escape::Absolute => "`bygger på` är en absolut sökväg".to_owned(),
        Escape::Outside(repository) => {
            format!("`bygger på` leder ut ur förrådet `{repository}`")
        }
    };
    Diagnostic::error(Code::Header, message, span, "den här sökvägen läses inte").with_help(
        "skriv sökvägen relativt regionens katalog och inom förrådet (git-arbetskatalogen regionen ligger i), t.ex. `bygger på \"../../rules\"`",
    )
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

/// Reads, parses and checks the ruleset in the directory `dir` on disk (and the ruleset it
/// builds on).
pub fn check_dir(dir: &Path) -> Result<Checked, LoadError> {
    check_in(&Disk, dir)
}

/// Reads, parses and checks the ruleset in the directory `dir` of `files` (and the ruleset
/// it builds on, from the same files).
pub fn check_in(files: &dyn FileProvider, dir: &Path) -> Result<Checked, LoadError> {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let own = read_dir_files(files, dir, &mut sources, &mut diagnostics)?;
    let mut national = Vec::new();
    if let Some(header) = base_of(&own)
        && let Some(base) = &header.base
    {
        let base_dir = match resolve_base(files, dir, &base.value) {
            Ok(base_dir) => base_dir,
            Err(escape) => {
                diagnostics.push(escape_diagnostic(&escape, base.span));
                return Ok(unchecked(sources, diagnostics));
            }
        };
        match read_dir_files(files, &base_dir, &mut sources, &mut diagnostics) {
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
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::Header,
                        base_problem(&e),
                        base.span,
                        "den här sökvägen",
                    )
                    .with_help(
                        "skriv sökvägen relativt regionens katalog, t.ex. `bygger på \"../../rules\"`",
                    ),
                );
                return Ok(unchecked(sources, diagnostics));
            }
        }
    }
    Ok(finish(sources, diagnostics, national, own))
}

/// A region whose national rules could not be read: its own rules cannot be checked
/// against them (every national name would be unknown), so only what was found so far is
/// reported.
fn unchecked(sources: Sources, mut diagnostics: Vec<Diagnostic>) -> Checked {
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.code));
    Checked {
        sources,
        diagnostics,
        ruleset: None,
        variants: super::Variants::default(),
    }
}

/// The directory the ruleset in `dir` builds on (its `bygger på`, joined to `dir`), or
/// `None` for a ruleset that builds on none. A `bygger på` that is absolute or leaves the
/// repository is an error here as in the check.
pub fn base_dir(files: &dyn FileProvider, dir: &Path) -> Result<Option<PathBuf>, LoadError> {
    let mut sources = Sources::default();
    // Problems in the files are the check's to report; only the header is wanted here.
    let parsed = read_dir_files(files, dir, &mut sources, &mut Vec::new())?;
    let Some(base) = base_of(&parsed).and_then(|h| h.base.as_ref()) else {
        return Ok(None);
    };
    resolve_base(files, dir, &base.value)
        .map(Some)
        .map_err(|escape| {
            let d = escape_diagnostic(&escape, base.span);
            LoadError::Io(files.name(dir), format!("{}: {}", d.message, base.value))
        })
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
                let (ast, mut found) = syntax::parse_file(id, &sources.file(id).text);
                diagnostics.append(&mut found);
                ParsedFile { id, ast }
            })
            .collect::<Vec<_>>()
    };
    let own_files = parse(own, &mut sources);
    let national_files = parse(national, &mut sources);
    finish(sources, diagnostics, national_files, own_files)
}

/// The note for an unknown name when syntax errors left parts of other files unread.
fn unread_note(d: &Diagnostic, skipped: &[&ast::Skipped], sources: &Sources) -> Option<String> {
    let mut files: Vec<String> = skipped
        .iter()
        .filter(|s| s.span.file != d.primary.span.file)
        .filter_map(|s| sources.get(s.span.file))
        .map(|f| format!("`{}`", f.name))
        .collect();
    files.dedup();
    (!files.is_empty()).then(|| {
        format!(
            "{} har syntaxfel och lästes inte helt: namnet kan stå där; rätta syntaxfelet först",
            files.join(", ")
        )
    })
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
    // What the checker says about a part skipped after a syntax error follows from that error.
    let skipped: Vec<&ast::Skipped> = national
        .iter()
        .chain(&region)
        .flat_map(|f| &f.ast.skipped)
        .collect();
    found.retain(|d| !syntax::is_follow_on(d, &skipped, &sources));
    // An unknown name may still be declared in what a syntax error left unread in another
    // file: say where. (In the same file, the syntax error is right above it.)
    for d in &mut found {
        if matches!(
            d.code,
            Code::UnknownName | Code::UnknownValue | Code::UnknownNationalRule
        ) && let Some(note) = unread_note(d, &skipped, &sources)
        {
            d.notes.push(note);
        }
    }
    // A file that did not parse, or a clause dropped for an error, would make the facts it
    // reads look unused: the warning would only be noise next to the real error.
    if diagnostics.iter().any(Diagnostic::is_error) {
        found.retain(|d| d.code != Code::UnusedFact);
    }
    diagnostics.append(&mut found);
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.code));
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    let variants = if ok {
        super::Variants::new(sources.clone(), national, region)
    } else {
        super::Variants::default()
    };
    Checked {
        sources,
        diagnostics,
        ruleset: if ok { ruleset } else { None },
        variants,
    }
}
