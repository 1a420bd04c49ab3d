//! Writing an output file (`regel compile -o FIL`) so that no reader ever sees half of it
//! and no one else's file is ever written by mistake.
//!
//! - The bytes go to a fresh temporary file beside the target, created exclusively under a
//!   random name (`tempfile`): a file or link planted under a predictable name cannot
//!   redirect the write. The file is synced, renamed over the target, and the directory is
//!   synced, so after a crash the target holds the old bytes or the new, never a mix.
//! - A target that exists keeps its permissions (a table kept `0600` stays `0600`). The
//!   owner becomes the writer, as with any editor's save.
//! - A symbolic link is followed on purpose: `-o tabell.ron` where `tabell.ron` is a link
//!   replaces the file the link points to, and the link stays a link (also when the link
//!   dangles: the file it names is created).
//! - A target that is not a regular file — a pipe, a terminal, `/dev/stdout`, anything
//!   under `/dev` or `/proc` — is written directly: there is no file to replace there, and
//!   renaming over `/dev/stdout` would destroy the link instead of writing to the output.
//! - Every failure says what failed and why (`disken är full`), and leaves the target as
//!   it was; the temporary file is removed.

use super::error::{LOOP, describe_io};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an output file could not be written: what was being done, and the system's reason.
#[derive(Debug)]
pub struct WriteError {
    /// The file as the user named it.
    pub path: PathBuf,
    /// What was being done, in Swedish (`skriva`, `byta ut`).
    pub step: &'static str,
    pub error: io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "kan inte {} `{}`: {}",
            self.step,
            self.path.display(),
            describe_io(&self.error)
        )
    }
}

impl std::error::Error for WriteError {}

/// How many links are followed before the path is taken to loop (as Linux's `ELOOP`).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` as described in the module documentation.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |step: &'static str| {
        move |error: io::Error| WriteError {
            path: path.to_path_buf(),
            step,
            error,
        }
    };
    match target(path).map_err(fail("hitta"))? {
        Target::Stream => write_directly(path, bytes).map_err(fail("skriva till")),
        Target::File { path: real, mode } => {
            replace(&real, mode, bytes).map_err(|(step, error)| fail(step)(error))
        }
    }
}

/// Where the bytes go.
enum Target {
    /// Not a regular file: written in place.
    Stream,
    /// The regular file to replace (links resolved), and its permissions if it exists.
    File {
        path: PathBuf,
        mode: Option<fs::Permissions>,
    },
}

fn target(path: &Path) -> io::Result<Target> {
    // `/dev/stdout` and `/proc/self/fd/1` lead to whatever the output is (a pipe, a terminal,
    // a file the shell opened): never a file of ours to rename over.
    if path.starts_with("/dev") || path.starts_with("/proc") {
        return Ok(Target::Stream);
    }
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::from(io::ErrorKind::IsADirectory)),
        Ok(meta) if meta.is_file() => Ok(Target::File {
            path: fs::canonicalize(path)?,
            mode: Some(meta.permissions()),
        }),
        Ok(_) => Ok(Target::Stream),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Target::File {
            path: resolve_links(path)?,
            mode: None,
        }),
        Err(e) => Err(e),
    }
}

/// The path a chain of links ends at, for a target that does not exist yet (a dangling link
/// names the file to create); `path` itself when it is no link.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) => dir.join(next),
                    None => next,
                };
            }
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(LOOP))
}

fn write_directly(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // Appending is right for a pipe or a terminal and for a file the shell opened with `>`
    // (empty) or `>>` alike; nothing is truncated behind the shell's back.
    let mut out = OpenOptions::new().append(true).open(path)?;
    out.write_all(bytes)?;
    out.flush()
}

/// Replaces the regular file `path` (or creates it) through a temporary file beside it.
fn replace(
    path: &Path,
    mode: Option<fs::Permissions>,
    bytes: &[u8],
) -> Result<(), (&'static str, io::Error)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".regel-").suffix(".tmp");
    // A new file is readable as one written the ordinary way would be (the umask applies),
    // not only by its owner as a temporary file is by default.
    #[cfg(unix)]
    if mode.is_none() {
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    }
    let mut file = builder
        .tempfile_in(dir)
        .map_err(|e| ("skapa en tillfällig fil för", e))?;
    // On any failure below, dropping `file` removes the temporary file.
    if let Some(mode) = mode {
        // Set on the open file, so the umask does not narrow it.
        file.as_file()
            .set_permissions(mode)
            .map_err(|e| ("behålla behörigheterna för", e))?;
    }
    file.write_all(bytes).map_err(|e| ("skriva", e))?;
    file.as_file().sync_all().map_err(|e| ("skriva", e))?;
    file.persist(path).map_err(|e| ("byta ut", e.error))?;
    // The rename is durable only once the directory is.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| ("spara katalogen för", e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail by panicking")]
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn replaces_a_file_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("t.ron");
        fs::write(&out, "gammal").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&out, b"ny").unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "ny");
        assert_eq!(mode(&out), 0o600);
        // Nothing left beside it.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_through_a_link_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        fs::write(&real, "gammal").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        symlink("real.ron", &link).unwrap();
        write_atomically(&link, b"ny").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "ny");
        assert_eq!(mode(&real), 0o640);
    }

    #[test]
    fn a_dangling_link_names_the_file_to_create() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.ron");
        symlink("sub/../real.ron", &link).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        write_atomically(&link, b"ny").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("real.ron")).unwrap(),
            "ny"
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_looping_link_and_a_directory_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        symlink("b", &a).unwrap();
        symlink("a", dir.path().join("b")).unwrap();
        let e = write_atomically(&a, b"x").unwrap_err();
        assert!(e.to_string().contains("slinga"), "{e}");
        let e = write_atomically(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("är en katalog"), "{e}");
    }

    #[test]
    fn a_full_disk_is_named_and_the_target_stays() {
        // /dev/full takes the direct path; its error is the one a full disk gives.
        let e = write_atomically(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "kan inte skriva till `/dev/full`: disken är full"
        );
    }
}
