//! Where rule files are read from. The checker asks a [`FileProvider`] for a directory's rule
//! files and their bytes, so the same check runs on the disk ([`Disk`]), on a git revision
//! read in memory ([`super::GitRevision`]), or on an editor's unsaved buffers laid over
//! another provider ([`Overlay`]). A region's `bygger på "../../rules"` is resolved through
//! the same provider, so it is read from the same revision or the same editor.
//!
//! # What is read, and what is refused
//!
//! A ruleset is the `*.regel` entries directly in its directory, and every one of them is
//! read or is an error: nothing is skipped in silence, since a rule file missing from the
//! check could hide a hiding rule. An entry is read only as a regular file inside the
//! ruleset's directory: a symbolic link is followed only when it leads to such a file
//! (never to `/proc/self/environ`, whose text would end up in diagnostics and CI logs),
//! and a dangling or looping link, a directory, a pipe (FIFO), a device or a socket named
//! `*.regel` is an error. A pipe is opened without waiting, so it cannot hang the check.
//!
//! A `bygger på` may not leave **the repository**: the git work tree the ruleset is in (the
//! nearest directory above it, or itself, that holds `.git`). A ruleset in no git work tree
//! has the working directory as its repository when it is inside it, and otherwise only its
//! own directory. In a git revision the repository is the revision's tree. See
//! [`crate::check`] for the check.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Missing,
    File,
    Dir,
}

/// A tree of files the checker reads. Paths are the ones the user gave (relative to the
/// working directory, or absolute) joined with the relative paths of `bygger på`.
pub trait FileProvider {
    /// What `path` names.
    fn entry(&self, path: &Path) -> Entry;

    /// The `.regel` files directly inside the directory `dir`, as `dir` joined with each
    /// file's name, in name order.
    fn rule_files(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;

    /// The bytes of the file at `path` (a table, a request: any file the user names, a pipe
    /// included).
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// The bytes of a rule file `rule_files(dir)` listed: an error unless it is a regular
    /// file inside `dir` (see the module's documentation), with the reason in Swedish.
    fn read_rule_file(&self, dir: &Path, path: &Path) -> io::Result<Vec<u8>>;

    /// Where the directory or file `path` really is (links and `..` resolved), to compare
    /// with [`FileProvider::repository`].
    fn locate(&self, path: &Path) -> io::Result<PathBuf>;

    /// The repository the ruleset directory `dir` is in, as [`FileProvider::locate`] names
    /// it: a `bygger på` may not lead out of it.
    fn repository(&self, dir: &Path) -> io::Result<PathBuf>;

    /// How `path` is named in messages and in a compiled table's locations:
    /// `regions/vastra-gotaland/barn.regel`, or `HEAD:rules/barn.regel` from git.
    fn name(&self, path: &Path) -> String;
}

/// The file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl FileProvider for Disk {
    fn entry(&self, path: &Path) -> Entry {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Entry::Dir,
            Ok(_) => Entry::File,
            Err(_) => Entry::Missing,
        }
    }

    /// Every entry named `*.regel`, whatever it is: [`Disk::read_rule_file`] decides.
    fn rule_files(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if is_rule_file(&path) {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn read_rule_file(&self, dir: &Path, path: &Path) -> io::Result<Vec<u8>> {
        let meta = std::fs::symlink_metadata(path)?;
        let target = if meta.file_type().is_symlink() {
            let target = std::fs::canonicalize(path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => {
                    refused("är en symbolisk länk till något som inte finns")
                }
                _ if is_loop(&e) => refused("är en symbolisk länk i en slinga"),
                _ => e,
            })?;
            let inside = std::fs::canonicalize(dir)?;
            if !target.starts_with(&inside) {
                return Err(refused(&format!(
                    "är en symbolisk länk till `{}`, utanför regelverkets katalog",
                    display_path(&target)
                )));
            }
            target
        } else {
            path.to_path_buf()
        };
        read_regular(&target)
    }

    fn locate(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn repository(&self, dir: &Path) -> io::Result<PathBuf> {
        let dir = std::fs::canonicalize(dir)?;
        if let Some(work_tree) = dir.ancestors().find(|a| a.join(".git").exists()) {
            return Ok(work_tree.to_path_buf());
        }
        match std::env::current_dir().and_then(std::fs::canonicalize) {
            Ok(cwd) if dir.starts_with(&cwd) => Ok(cwd),
            _ => Ok(dir),
        }
    }

    fn name(&self, path: &Path) -> String {
        display_path(path)
    }
}

/// A chain of symbolic links that never ends.
pub const LOOP: &str = "symboliska länkar i en slinga";

/// Why reading or writing failed, in words for people: the common causes by name, anything
/// else as the system says it.
pub fn describe_io(e: &std::io::Error) -> String {
    if e.get_ref().is_some() {
        // Made here with its own words.
        return e.to_string();
    }
    let known = match e.kind() {
        io::ErrorKind::StorageFull => "disken är full",
        io::ErrorKind::QuotaExceeded => "diskkvoten är slut",
        io::ErrorKind::PermissionDenied => "behörighet saknas",
        io::ErrorKind::ReadOnlyFilesystem => "filsystemet är skrivskyddat",
        io::ErrorKind::NotFound => "finns inte",
        io::ErrorKind::IsADirectory => "är en katalog",
        io::ErrorKind::NotADirectory => "en del av sökvägen är ingen katalog",
        io::ErrorKind::FileTooLarge => "filen blir för stor",
        io::ErrorKind::CrossesDevices => "ligger på ett annat filsystem",
        io::ErrorKind::BrokenPipe => "mottagaren slutade läsa",
        _ if is_loop(e) => LOOP,
        _ => return e.to_string(),
    };
    known.to_owned()
}

/// A rule file refused for what it is, not for a failure to read it.
fn refused(why: &str) -> io::Error {
    io::Error::other(why.to_owned())
}

/// Whether an error is Linux's ELOOP (`ErrorKind::FilesystemLoop` is not stable yet).
pub(super) fn is_loop(e: &io::Error) -> bool {
    cfg!(unix) && e.raw_os_error() == Some(ELOOP)
}

#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

/// The bytes of `path` if it is a regular file. It is opened without following a last link
/// (the caller resolved links) and without waiting (a pipe put there after the caller
/// looked cannot hang the check), and what was opened is what is checked.
fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NONBLOCK | libc::O_NOFOLLOW,
    );
    let mut file = options.open(path).map_err(|e| {
        if is_loop(&e) {
            refused("är en symbolisk länk som byttes ut under läsningen")
        } else {
            e
        }
    })?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(refused(&format!(
            "är ingen vanlig fil utan {}",
            kind_name(kind)
        )));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What a file that is not a regular file is, in Swedish.
fn kind_name(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "en namngiven rörledning (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "en enhetsfil";
        }
        if kind.is_socket() {
            return "ett uttag (socket)";
        }
    }
    if kind.is_dir() {
        "en katalog"
    } else {
        "något annat än en fil"
    }
}

/// Whether a path names a rule file (`*.regel`).
pub fn is_rule_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "regel")
}

/// Files held in memory (an editor's unsaved buffers) laid over another provider: a buffer
/// replaces the file at its path, and a buffer for a file that does not exist yet adds it.
/// Paths are compared after making them absolute and resolving `.` and `..`, so
/// `regions/x/../x/a.regel` and `/repo/regions/x/a.regel` are one buffer.
#[derive(Clone, Debug, Default)]
pub struct Overlay<P = Disk> {
    base: P,
    buffers: BTreeMap<PathBuf, String>,
}

impl<P: FileProvider> Overlay<P> {
    pub fn new(base: P) -> Overlay<P> {
        Overlay {
            base,
            buffers: BTreeMap::new(),
        }
    }

    /// Sets the text of the file at `path` (an unsaved edit).
    pub fn set(&mut self, path: &Path, text: impl Into<String>) {
        self.buffers.insert(absolute(path), text.into());
    }

    /// Forgets the buffer for `path` (saved or closed): the file is read from the base again.
    pub fn remove(&mut self, path: &Path) {
        self.buffers.remove(&absolute(path));
    }

    /// The buffers directly inside `dir`, by file name.
    fn buffers_in(&self, dir: &Path) -> impl Iterator<Item = &std::ffi::OsStr> {
        let dir = absolute(dir);
        self.buffers
            .keys()
            .filter(move |p| p.parent() == Some(dir.as_path()))
            .filter_map(|p| p.file_name())
    }
}

impl<P: FileProvider> FileProvider for Overlay<P> {
    fn entry(&self, path: &Path) -> Entry {
        let wanted = absolute(path);
        if self.buffers.contains_key(&wanted) {
            return Entry::File;
        }
        match self.base.entry(path) {
            Entry::Missing if self.buffers.keys().any(|p| p.starts_with(&wanted)) => Entry::Dir,
            found => found,
        }
    }

    fn rule_files(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut files = match self.base.entry(dir) {
            Entry::Dir => self.base.rule_files(dir)?,
            // A directory that exists only in buffers.
            _ => Vec::new(),
        };
        for name in self.buffers_in(dir) {
            let path = dir.join(name);
            if is_rule_file(&path) && !files.contains(&path) {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.buffers.get(&absolute(path)) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => self.base.read(path),
        }
    }

    /// An editor's buffer is the file's text, whatever is on the disk at that path.
    fn read_rule_file(&self, dir: &Path, path: &Path) -> io::Result<Vec<u8>> {
        match self.buffers.get(&absolute(path)) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => self.base.read_rule_file(dir, path),
        }
    }

    /// A directory that exists only in buffers is where its path says.
    fn locate(&self, path: &Path) -> io::Result<PathBuf> {
        match self.base.locate(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let wanted = absolute(path);
                if self.buffers.keys().any(|p| p.starts_with(&wanted)) {
                    // Its nearest ancestor that exists, located, with the rest appended.
                    let existing = wanted.ancestors().find_map(|a| {
                        Some(self.base.locate(a).ok()?.join(wanted.strip_prefix(a).ok()?))
                    });
                    Ok(existing.unwrap_or(wanted))
                } else {
                    Err(e)
                }
            }
            other => other,
        }
    }

    fn repository(&self, dir: &Path) -> io::Result<PathBuf> {
        let wanted = absolute(dir);
        match wanted
            .ancestors()
            .find(|a| self.base.entry(a) == Entry::Dir)
        {
            Some(existing) => self.base.repository(existing),
            None => self.base.repository(dir),
        }
    }

    fn name(&self, path: &Path) -> String {
        self.base.name(path)
    }
}

/// `path` made absolute against the working directory, with `.` and `..` resolved in the
/// text of the path (an editor names files by their absolute path).
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    normalize(&path)
}

/// `.` and `..` resolved in the text of a path; a `..` above the start is kept.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path as shown to users: relative to the working directory when possible, with `.` and
/// `..` resolved and `/` between parts, so the same files give the same names on every
/// machine.
pub fn display_path(path: &Path) -> String {
    let path = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let normal = normalize(&path);
    let parts: Vec<String> = normal
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            _ => None,
        })
        .collect();
    let joined = parts.join("/");
    if normal.has_root() {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_in_the_text() {
        assert_eq!(
            normalize(Path::new("regions/vg/../../rules")),
            Path::new("rules")
        );
        assert_eq!(normalize(Path::new("./a/./b/..")), Path::new("a"));
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
        assert_eq!(normalize(Path::new("/../x")), Path::new("/x"));
    }

    #[test]
    fn display_path_uses_slashes_and_no_dots() {
        assert_eq!(
            display_path(Path::new("regions/vg/../../rules/a.regel")),
            "rules/a.regel"
        );
        assert_eq!(display_path(Path::new("./rules")), "rules");
    }
}
