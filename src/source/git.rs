//! A git revision as a [`FileProvider`]: the tree is listed once (`git ls-tree`) and each
//! file is read from the object store when asked for (`git cat-file blob`), in memory. The
//! index and the working tree are never read, and nothing is written.

use super::provider::{Entry, FileProvider, is_rule_file, normalize};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a revision cannot be opened, in words for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

/// The files of one commit. Relative paths are read as from the working directory the
/// revision was opened in, as `git show REV:./PATH` does.
#[derive(Clone, Debug)]
pub struct GitRevision {
    /// Where git runs: the working directory given.
    workdir: PathBuf,
    /// The revision as the user wrote it, for names (`origin/main:rules/a.regel`).
    rev: String,
    /// The repository's top level.
    top: PathBuf,
    /// The working directory inside the repository (`regions/` when run there).
    prefix: PathBuf,
    /// Every file of the commit by its path in the repository, with its object id.
    blobs: BTreeMap<PathBuf, String>,
    /// Every directory of the commit, the top level as the empty path.
    dirs: BTreeSet<PathBuf>,
}

impl GitRevision {
    /// The revision `rev` of the repository the working directory is in.
    pub fn open(rev: &str) -> Result<GitRevision, GitError> {
        let cwd = std::env::current_dir()
            .map_err(|e| GitError(format!("kan inte läsa arbetskatalogen: {e}")))?;
        GitRevision::open_in(&cwd, rev)
    }

    /// The revision `rev` of the repository `workdir` is in; relative paths are read from
    /// `workdir`.
    pub fn open_in(workdir: &Path, rev: &str) -> Result<GitRevision, GitError> {
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).trim().to_owned();
        let top = git(workdir, &["rev-parse", "--show-toplevel"])
            .map(text)
            .map_err(|_| GitError("git:-sökvägar fungerar bara i ett git-förråd".to_owned()))?;
        let prefix = text(git(workdir, &["rev-parse", "--show-prefix"]).map_err(GitError)?);
        let commit = git(
            workdir,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map(text)
        .map_err(|_| {
            GitError(format!(
                "okänd git-revision `{rev}`: ange en gren, tagg eller commit, t.ex. origin/main"
            ))
        })?;
        let listing =
            git(workdir, &["ls-tree", "-r", "-z", "--full-tree", &commit]).map_err(GitError)?;
        let mut blobs = BTreeMap::new();
        let mut dirs = BTreeSet::from([PathBuf::new()]);
        // Each entry is `MODE TYPE OID\tPATH`; paths that are not UTF-8 cannot be named in a
        // spec and are left out.
        for entry in listing.split(|b| *b == 0) {
            let Ok(entry) = std::str::from_utf8(entry) else {
                continue;
            };
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(_mode), Some("blob"), Some(oid)) = (meta.next(), meta.next(), meta.next())
            else {
                continue;
            };
            let path = PathBuf::from(path);
            dirs.extend(path.ancestors().skip(1).map(Path::to_path_buf));
            blobs.insert(path, oid.to_owned());
        }
        Ok(GitRevision {
            workdir: workdir.to_path_buf(),
            rev: rev.to_owned(),
            top: PathBuf::from(top),
            prefix: PathBuf::from(prefix),
            blobs,
            dirs,
        })
    }

    /// The revision as written by the user.
    pub fn rev(&self) -> &str {
        &self.rev
    }

    /// The path in the repository of a path as the user gave it; `None` outside it.
    fn in_repo(&self, path: &Path) -> Option<PathBuf> {
        let joined = if path.is_absolute() {
            path.strip_prefix(&self.top).ok()?.to_path_buf()
        } else {
            self.prefix.join(path)
        };
        let inside = normalize(&joined);
        match inside.components().next() {
            Some(Component::ParentDir | Component::RootDir | Component::Prefix(_)) => None,
            _ => Some(inside),
        }
    }
}

impl FileProvider for GitRevision {
    fn entry(&self, path: &Path) -> Entry {
        match self.in_repo(path) {
            Some(p) if self.blobs.contains_key(&p) => Entry::File,
            Some(p) if self.dirs.contains(&p) => Entry::Dir,
            _ => Entry::Missing,
        }
    }

    fn rule_files(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let Some(inside) = self.in_repo(dir).filter(|p| self.dirs.contains(p)) else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("finns inte i git-revisionen `{}`", self.rev),
            ));
        };
        // The map is sorted by path, so the files come in name order.
        Ok(self
            .blobs
            .keys()
            .filter(|p| p.parent() == Some(inside.as_path()) && is_rule_file(p))
            .filter_map(|p| p.file_name())
            .map(|name| dir.join(name))
            .collect())
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let oid = self
            .in_repo(path)
            .and_then(|p| self.blobs.get(&p))
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("finns inte i git-revisionen `{}`", self.rev),
                )
            })?;
        git(&self.workdir, &["cat-file", "blob", oid]).map_err(io::Error::other)
    }

    fn name(&self, path: &Path) -> String {
        let shown = match self.in_repo(path) {
            Some(p) => p
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            None => path.display().to_string(),
        };
        format!("{}:{shown}", self.rev)
    }
}

/// Runs git in `dir`; its standard error is the error.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("kan inte köra git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}
