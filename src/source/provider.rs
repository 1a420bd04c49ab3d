//! Where rule files are read from. The checker asks a [`FileProvider`] for a directory's rule
//! files and their bytes, so the same check runs on the disk ([`Disk`]), on a git revision
//! read in memory ([`super::GitRevision`]), or on an editor's unsaved buffers laid over
//! another provider ([`Overlay`]). A region's `bygger på "../../rules"` is resolved through
//! the same provider, so it is read from the same revision or the same editor.

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

    /// The bytes of the file at `path`.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

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

    fn rule_files(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_file() && is_rule_file(&path) {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn name(&self, path: &Path) -> String {
        display_path(path)
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
