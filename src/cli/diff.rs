//! `regel diff`: the decisions two rulesets take differently. Also how `diff`, `deviations`
//! and `compare` read their inputs: a directory, a compiled table, or `git:REV:PATH`.

use super::{Exit, load_or_report};
use crate::render::diff as render;
use crate::table::CompiledRuleset;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Output format of `regel diff` and `regel deviations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Text for people.
    #[default]
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for tools.
    Json,
}

/// Visa var två regelverk avgör begäranden olika: en rad per verklig ändring.
///
/// Jämförelsen gäller besluten, inte texten: att byta namn på en regel, flytta den till en
/// annan fil eller formatera om ger inga skillnader. Varje skillnad visar villkoren, utfallet
/// före och efter med avgörande regel och källa, och en exempelbegäran (JSON) som går att köra
/// med `regel decide`.
///
/// GAMMALT och NYTT är regelverkskataloger, kompilerade tabeller (från `regel compile`) eller
/// `git:REV:SÖKVÄG`, ett regelverk vid en git-revision, läst ur förrådet utan att röra
/// arbetskatalogen.
///
/// Exempel:
///   regel diff rules regions/vastra-gotaland
///   regel diff git:origin/main:regions/vastra-gotaland regions/vastra-gotaland --format markdown
///
/// Slutkod 0 när inget beslut ändras, 1 när något gör det, 2 vid fel (som `diff`).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct DiffCmd {
    /// Det gamla regelverket.
    #[arg(value_name = "GAMMALT")]
    old: String,
    /// Det nya regelverket.
    #[arg(value_name = "NYTT")]
    new: String,
    /// Jämför bara det här beslutet, t.ex. `direktåtkomst`.
    #[arg(long, value_name = "BESLUT")]
    decision: Option<String>,
    /// Utdataformat.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl DiffCmd {
    pub fn run(self) -> Exit {
        let (old, new) = match (load(&self.old), load(&self.new)) {
            (Ok(o), Ok(n)) => (o, n),
            _ => return Exit::Error,
        };
        let diff = match crate::diff::diff_rulesets(&old, &new, self.decision.as_deref()) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("fel: {e}");
                return Exit::Error;
            }
        };
        let text = match self.format {
            Format::Text => render::text(&diff, &self.old, &self.new),
            Format::Markdown => render::markdown(&diff, &self.old, &self.new),
            Format::Json => pretty(&render::json(&diff, &self.old, &self.new)),
        };
        if !print(&text) {
            return Exit::Error;
        }
        if diff.is_empty() {
            Exit::Ok
        } else {
            Exit::Findings
        }
    }
}

pub(super) fn pretty(json: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(json).unwrap_or_default();
    s.push('\n');
    s
}

pub(super) fn print(text: &str) -> bool {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_ok()
}

/// Loads a ruleset directory, a compiled table or `git:REV:PATH`, printing problems.
pub(super) fn load(spec: &str) -> Result<CompiledRuleset, Exit> {
    with_dir(spec, |path, git| {
        let mut compiled = load_path(path)?;
        if let Some((root, rev)) = git {
            relabel(&mut compiled, root, rev);
        }
        Ok(compiled)
    })?
}

/// Places in a ruleset read from git read `REV:rules/x.regel:3`, not the temporary copy.
fn relabel(compiled: &mut CompiledRuleset, root: &Path, rev: &str) {
    let prefix = format!("{}/", root.display());
    let fix = |s: &mut String| {
        if let Some(rest) = s.strip_prefix(&prefix) {
            *s = format!("{rev}:{rest}");
        }
    };
    for t in &mut compiled.tables {
        for r in &mut t.rules {
            fix(&mut r.location);
            r.sources.iter_mut().for_each(|s| fix(&mut s.location));
        }
        for d in &mut t.deviations {
            fix(&mut d.location);
            d.sources.iter_mut().for_each(|s| fix(&mut s.location));
        }
    }
}

/// Runs `f` on the path `spec` names: itself, or a copy of the ruleset files at a git revision
/// (removed afterwards).
pub(super) fn with_dir<T>(
    spec: &str,
    f: impl FnOnce(&Path, Option<(&Path, &str)>) -> T,
) -> Result<T, Exit> {
    let Some(rest) = spec.strip_prefix("git:") else {
        return Ok(f(Path::new(spec), None));
    };
    let Some((rev, path)) = rest.split_once(':') else {
        eprintln!(
            "fel: `{spec}` saknar sökväg: skriv git:REVISION:SÖKVÄG, t.ex. git:origin/main:regions/vastra-gotaland"
        );
        return Err(Exit::Error);
    };
    let checkout = match GitCheckout::new(rev, path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fel: {e}");
            return Err(Exit::Error);
        }
    };
    Ok(f(&checkout.path, Some((&checkout.root, rev))))
}

fn load_path(path: &Path) -> Result<CompiledRuleset, Exit> {
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| {
            eprintln!("fel: kan inte läsa `{}`: {e}", path.display());
            Exit::Error
        })?;
        return CompiledRuleset::parse(&text).map_err(|e| {
            eprintln!("fel: `{}`: {e}", path.display());
            Exit::Error
        });
    }
    load_or_report(path).map_err(|_| Exit::Error)
}

/// The rule files of a git revision, copied to a temporary directory (removed on drop).
/// Reads the repository with `git ls-tree` and `git cat-file`; never the index or the
/// working tree.
pub(super) struct GitCheckout {
    root: PathBuf,
    pub path: PathBuf,
}

impl Drop for GitCheckout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn git(args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("kan inte köra git: {e}"))?;
    if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
        let data = data.to_vec();
        // Written on a thread so a large answer cannot block the question.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("git avbröts: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

impl GitCheckout {
    fn new(rev: &str, path: &str) -> Result<GitCheckout, String> {
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).trim().to_owned();
        git(&["rev-parse", "--show-toplevel"], None)
            .map_err(|_| "git:-sökvägar fungerar bara i ett git-förråd".to_owned())?;
        let prefix = text(git(&["rev-parse", "--show-prefix"], None)?);
        let commit = git(
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
            None,
        )
        .map(text)
        .map_err(|_| {
            format!(
                "okänd git-revision `{rev}`: ange en gren, tagg eller commit, t.ex. origin/main"
            )
        })?;
        let inside = format!("{prefix}{}", path.trim_start_matches("./"));
        let inside = inside.trim_end_matches('/').to_owned();
        let kind = git(&["cat-file", "-t", &format!("{commit}:{inside}")], None)
            .map(text)
            .map_err(|_| format!("`{path}` finns inte i git-revisionen `{rev}`"))?;
        let listing = git(&["ls-tree", "-r", "-z", "--name-only", &commit], None)?;
        let mut files: Vec<String> = listing
            .split(|b| *b == 0)
            .filter_map(|p| std::str::from_utf8(p).ok())
            .filter(|p| p.ends_with(".regel"))
            .map(str::to_owned)
            .collect();
        if kind == "blob" && !files.contains(&inside) {
            files.push(inside.clone());
        }
        let root = temp_dir()?;
        let checkout = GitCheckout {
            path: root.join(&inside),
            root,
        };
        let question: String = files.iter().map(|f| format!("{commit}:{f}\n")).collect();
        let answer = git(&["cat-file", "--batch"], Some(question.as_bytes()))?;
        let mut rest: &[u8] = &answer;
        for file in &files {
            let newline = rest
                .iter()
                .position(|b| *b == b'\n')
                .ok_or("oväntat svar från git cat-file")?;
            let header =
                String::from_utf8_lossy(rest.get(..newline).unwrap_or_default()).to_string();
            let size: usize = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("git hittar inte `{file}`: {header}"))?;
            let body = rest
                .get(newline + 1..newline + 1 + size)
                .ok_or("oväntat svar från git cat-file")?;
            let target = checkout.root.join(file);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&target, body).map_err(|e| e.to_string())?;
            rest = rest.get(newline + 1 + size + 1..).unwrap_or_default();
        }
        Ok(checkout)
    }
}

fn temp_dir() -> Result<PathBuf, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "regel-git-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("kan inte skapa en tillfällig katalog: {e}"))?;
    Ok(dir)
}
