//! How a command fails, and the one place that tells the user. Every command returns
//! `Result<Exit, CliError>`; [`report`] prints the error and gives the exit code.

pub use crate::source::{LOOP, describe_io};
use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// How a command ended: 0 fine, 1 findings in the rules (or a diff), 2 usage or input error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok = 0,
    Findings = 1,
    Error = 2,
}

impl Exit {
    /// The worse of two: an error outweighs findings, findings outweigh fine.
    pub fn worst(self, other: Exit) -> Exit {
        self.max(other)
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Why a command could not do its work.
#[derive(Debug)]
pub enum CliError {
    /// The input cannot be used: a directory or file that is missing or unreadable, a table
    /// that does not parse, an unknown decision. The message is for people, in Swedish.
    Input(String),
    /// A ruleset the command needs has errors: the rendered diagnostics, and the ruleset as
    /// the user named it.
    Rules {
        spec: String,
        rendered: String,
        errors: usize,
    },
    /// Standard output cannot be written. A closed pipe (`regel decide … | head -1`) is
    /// not worth a message, the reader has gone; anything else (a full disk) is told.
    Output(std::io::Error),
}

impl CliError {
    /// The exit code: every failure to do the work is 2. (`regel compile`, whose findings are
    /// the rules' errors, turns [`CliError::Rules`] into 1 itself.)
    pub fn exit(&self) -> Exit {
        Exit::Error
    }

    /// Prints the error to standard error.
    pub fn print(&self) {
        match self {
            CliError::Input(message) => eprint(&format!("fel: {message}\n")),
            CliError::Rules {
                spec,
                rendered,
                errors,
            } => eprint(&format!(
                "{rendered}{spec}: {errors} fel; kör `regel check {spec}` för alla detaljer\n"
            )),
            CliError::Output(e) if e.kind() == ErrorKind::BrokenPipe => {}
            CliError::Output(e) => eprint(&format!(
                "fel: kan inte skriva till standard ut: {}\n",
                describe_io(e)
            )),
        }
    }
}

impl From<crate::check::LoadError> for CliError {
    fn from(e: crate::check::LoadError) -> CliError {
        CliError::Input(e.to_string())
    }
}

impl From<crate::diff::DiffError> for CliError {
    fn from(e: crate::diff::DiffError) -> CliError {
        CliError::Input(e.to_string())
    }
}

/// Prints a command's error, if any, and gives its exit code.
pub fn report(result: Result<Exit, CliError>) -> Exit {
    match result {
        Ok(exit) => exit,
        Err(e) => {
            e.print();
            e.exit()
        }
    }
}

/// Writes to standard output; a failed write (a closed pipe, a full disk) is
/// [`CliError::Output`]. Never `print!`, which panics when the write fails.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(CliError::Output)
}

/// Writes to standard error, as far as it can be written: when standard error itself is
/// closed or full (`regel check rules 2>/dev/full`) there is no one left to tell, and the
/// exit code still says how the command ended. Never `eprint!`, which panics then.
pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    // Ignored on purpose: see above.
    let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
}
