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

/// What an entry of a commit's tree is (its mode), and its object id.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Blob {
    kind: BlobKind,
    oid: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BlobKind {
    /// A file (mode 100644 or 100755).
    File,
    /// A symbolic link (mode 120000): the blob holds the path it points to.
    Link,
    /// A submodule (a commit in another repository).
    Submodule,
}

/// How many links are followed before the path is taken to loop (as Linux's `ELOOP`).
const MAX_LINKS: usize = 40;

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
    /// Every file of the commit by its path in the repository: what it is, and its object id.
    blobs: BTreeMap<PathBuf, Blob>,
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
            let (Some(mode), Some(kind), Some(oid)) = (meta.next(), meta.next(), meta.next())
            else {
                continue;
            };
            let kind = match (mode, kind) {
                ("120000", "blob") => BlobKind::Link,
                (_, "blob") => BlobKind::File,
                (_, "commit") => BlobKind::Submodule,
                _ => continue,
            };
            let path = PathBuf::from(path);
            dirs.extend(path.ancestors().skip(1).map(Path::to_path_buf));
            blobs.insert(
                path,
                Blob {
                    kind,
                    oid: oid.to_owned(),
                },
            );
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

    /// A link is followed inside the revision, as the disk would follow it.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let inside = self.in_repo(path).ok_or_else(|| self.missing())?;
        let (_, blob) = self.follow(inside)?;
        match blob.kind {
            BlobKind::File => self.cat(blob),
            _ => Err(io::Error::other("är ingen vanlig fil")),
        }
    }

    fn read_rule_file(&self, dir: &Path, path: &Path) -> io::Result<Vec<u8>> {
        let (dir, path) = match (self.in_repo(dir), self.in_repo(path)) {
            (Some(dir), Some(path)) => (dir, path),
            _ => return Err(self.missing()),
        };
        let (target, blob) = self.follow(path.clone())?;
        if target != path && !target.starts_with(&dir) {
            return Err(io::Error::other(format!(
                "är en symbolisk länk till `{}`, utanför regelverkets katalog",
                slashed(&target)
            )));
        }
        match blob.kind {
            BlobKind::File => self.cat(blob),
            BlobKind::Submodule => Err(io::Error::other(
                "är ingen vanlig fil utan en undermodul (git submodule)",
            )),
            BlobKind::Link => Err(io::Error::other("är en symbolisk länk i en slinga")),
        }
    }

    /// Where the path would be on the disk: under the repository's top level when it is
    /// in the revision, elsewhere when it leads out (`..` resolved in its text, as git does).
    fn locate(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(match self.in_repo(path) {
            Some(inside) => self.top.join(inside),
            None => normalize(&self.top.join(&self.prefix).join(path)),
        })
    }

    /// The revision's whole tree.
    fn repository(&self, _dir: &Path) -> io::Result<PathBuf> {
        Ok(self.top.clone())
    }

    fn name(&self, path: &Path) -> String {
        let shown = match self.in_repo(path) {
            Some(p) => slashed(&p),
            None => path.display().to_string(),
        };
        format!("{}:{shown}", self.rev)
    }
}

impl GitRevision {
    fn missing(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("finns inte i git-revisionen `{}`", self.rev),
        )
    }

    /// The entry at `path` in the repository, links followed inside the revision: the path
    /// it ends at and what is there (a link only when the chain is too long).
    fn follow(&self, mut path: PathBuf) -> io::Result<(PathBuf, &Blob)> {
        for _ in 0..MAX_LINKS {
            let blob = self.blobs.get(&path).ok_or_else(|| self.missing())?;
            if blob.kind != BlobKind::Link {
                return Ok((path, blob));
            }
            let target = self.cat(blob)?;
            let target = PathBuf::from(String::from_utf8_lossy(&target).into_owned());
            let joined = match path.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            let inside = normalize(&joined);
            if !matches!(inside.components().next(), Some(Component::Normal(_))) {
                return Err(io::Error::other(format!(
                    "är en symbolisk länk till `{}`, utanför förrådet",
                    joined.display()
                )));
            }
            path = inside;
        }
        let blob = self.blobs.get(&path).ok_or_else(|| self.missing())?;
        Ok((path, blob))
    }

    fn cat(&self, blob: &Blob) -> io::Result<Vec<u8>> {
        git(&self.workdir, &["cat-file", "blob", &blob.oid]).map_err(io::Error::other)
    }
}

/// A path in the repository with `/` between its parts.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
