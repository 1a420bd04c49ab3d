//! Ruleset specs, read the same way by every command: a directory of rule files, a compiled
//! table (from `regel compile`), or either of them at a git revision, `git:REV:PATH`, read
//! from the repository in memory without touching the working tree.

use super::error::{CliError, describe_io};
use crate::Pipeline;
use crate::check::Ruleset;
use crate::diagnostic::render;
use crate::source::{Disk, Entry, FileProvider, GitRevision};
use crate::table::CompiledRuleset;
use std::path::PathBuf;
use std::rc::Rc;

/// A ruleset as the user named it on the command line.
pub struct Input {
    /// The spec as written, for messages.
    spec: String,
    files: Rc<dyn FileProvider>,
    path: PathBuf,
}

impl Input {
    /// Reads a spec: `git:REV:PATH`, or a path on disk.
    pub fn parse(spec: &str) -> Result<Input, CliError> {
        let Some(rest) = spec.strip_prefix("git:") else {
            return Ok(Input {
                spec: spec.to_owned(),
                files: Rc::new(Disk),
                path: PathBuf::from(spec),
            });
        };
        let Some((rev, path)) = rest.split_once(':') else {
            return Err(CliError::Input(format!(
                "`{spec}` saknar sökväg: skriv git:REVISION:SÖKVÄG, t.ex. git:origin/main:regions/vastra-gotaland"
            )));
        };
        let git = GitRevision::open(rev).map_err(|e| CliError::Input(e.to_string()))?;
        let path = PathBuf::from(path);
        if git.entry(&path) == Entry::Missing {
            return Err(CliError::Input(format!(
                "`{}` finns inte i git-revisionen `{rev}`",
                path.display()
            )));
        }
        Ok(Input {
            spec: spec.to_owned(),
            files: Rc::new(git),
            path,
        })
    }

    /// Another path read from the same files (the same disk or the same revision).
    pub fn at(&self, path: PathBuf) -> Input {
        Input {
            spec: self.files.name(&path),
            files: Rc::clone(&self.files),
            path,
        }
    }

    /// The ruleset directory read, checked and compiled, with every diagnostic. A spec that
    /// names a file is an error here: a ruleset is a directory.
    pub fn pipeline(&self) -> Result<Pipeline, CliError> {
        Ok(Pipeline::load_from(self.files.as_ref(), &self.path)?)
    }

    /// The directory the ruleset builds on (`bygger på`), from the same files.
    pub fn base(&self) -> Result<Option<Input>, CliError> {
        let base = crate::check::base_dir(self.files.as_ref(), &self.path)?;
        Ok(base.map(|path| self.at(path)))
    }

    /// The checked and compiled ruleset of a directory; its errors, rendered, when it has any.
    pub fn ruleset(&self) -> Result<(Ruleset, CompiledRuleset), CliError> {
        self.checked(self.pipeline()?)
    }

    /// The checked ruleset and its tables from a pipeline, or its errors.
    fn checked(&self, pipeline: Pipeline) -> Result<(Ruleset, CompiledRuleset), CliError> {
        match (pipeline.ruleset, pipeline.compiled) {
            (Some(ruleset), Some(compiled)) => Ok((ruleset, compiled)),
            _ => {
                let errors: Vec<_> = pipeline
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.is_error())
                    .collect();
                Err(CliError::Rules {
                    spec: self.spec.clone(),
                    rendered: render(&errors, &pipeline.sources),
                    errors: errors.len(),
                })
            }
        }
    }

    /// The decision tables: read from a compiled table file, or compiled from a directory.
    /// A directory whose only errors are broken invariants still gives its tables, with a
    /// warning: they show what the rules decide, so a counterexample can be confirmed.
    pub fn compiled(&self) -> Result<CompiledRuleset, CliError> {
        if self.files.entry(&self.path) != Entry::File {
            let pipeline = self.pipeline()?;
            if let Some(tables) = pipeline.breaking_invariants {
                eprintln!(
                    "varning: `{}` håller inte sina invarianter (se `regel check`); svaren visar vad reglerna ger",
                    self.spec
                );
                return Ok(tables);
            }
            return Ok(self.checked(pipeline)?.1);
        }
        let bytes = self.files.read(&self.path).map_err(|e| {
            CliError::Input(format!(
                "kan inte läsa `{}`: {}",
                self.spec,
                describe_io(&e)
            ))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::Input(format!(
                "`{}` är inte giltig UTF-8-text: ange en tabell från `regel compile`",
                self.spec
            ))
        })?;
        CompiledRuleset::parse(&text).map_err(|e| CliError::Input(format!("`{}`: {e}", self.spec)))
    }
}

/// The tables of every spec, in order. Every spec is read even when an earlier one fails,
/// so the user sees every problem at once: all errors but the last are printed here.
pub(super) fn compiled_all(specs: &[&str]) -> Result<Vec<CompiledRuleset>, CliError> {
    let mut tables = Vec::new();
    let mut errors = Vec::new();
    for spec in specs {
        match Input::parse(spec).and_then(|input| input.compiled()) {
            Ok(c) => tables.push(c),
            Err(e) => errors.push(e),
        }
    }
    match errors.pop() {
        None => Ok(tables),
        Some(last) => {
            errors.iter().for_each(CliError::print);
            Err(last)
        }
    }
}
