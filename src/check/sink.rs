//! Where the checker's passes report problems. One mistake should give one diagnostic: a
//! declaration that failed poisons its name, and uses of a poisoned name report nothing
//! more.

use crate::diagnostic::{Code, Diagnostic, Span};
use std::collections::HashSet;

#[derive(Debug, Default)]
pub struct Diagnostics {
    found: Vec<Diagnostic>,
    /// Facts whose declaration failed.
    poisoned: HashSet<String>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.found.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.found.iter().any(Diagnostic::is_error)
    }

    /// Marks a fact whose declaration failed: uses of it report nothing more.
    pub fn poison(&mut self, name: &str) {
        self.poisoned.insert(name.to_owned());
    }

    pub fn is_poisoned(&self, name: &str) -> bool {
        self.poisoned.contains(name)
    }

    /// `what` `name` declared again at `again`, first at `first`.
    pub fn duplicate(&mut self, what: &str, name: &str, again: Span, first: Span) {
        self.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("{what} `{name}` finns redan"),
                again,
                "deklareras en gång till här",
            )
            .with_label(first, "först här")
            .with_help("ta bort den ena deklarationen eller ge den ett eget namn"),
        );
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.found
    }
}
