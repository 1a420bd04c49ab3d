//! Where a request falls in the shared space of a diff: the label of its cell in every
//! shared column, so a printed situation can be checked against a concrete request (the
//! property tests sample requests and ask which situations they are in).

use super::model::{Condition, DiffError, Difference};
use super::product::project;
use super::space::{Cells, Kind, Space};
use crate::table::{DecisionTable, Evaluator, Request, RequestError};
use serde_json::Value as Json;

/// The shared space of some tables, with an evaluator per table.
pub struct Locator<'t> {
    space: Space,
    tables: Vec<&'t DecisionTable>,
    evaluators: Vec<Evaluator>,
}

impl<'t> Locator<'t> {
    /// The same space `diff`/`compare` build for these tables.
    pub fn new(tables: &[&'t DecisionTable]) -> Result<Locator<'t>, DiffError> {
        let space = Space::new(tables)?;
        let evaluators = tables
            .iter()
            .map(|t| Evaluator::new((*t).clone()).map_err(|e| DiffError(e.to_string())))
            .collect::<Result<_, _>>()?;
        Ok(Locator {
            space,
            tables: tables.to_vec(),
            evaluators,
        })
    }

    /// Where a request falls: its cell in every shared column, found once, so that many
    /// conditions can be checked against it cheaply.
    pub fn place(&self, request: &Json) -> Placed {
        let parsed: Vec<Result<Request, RequestError>> = self
            .tables
            .iter()
            .zip(&self.evaluators)
            .map(|(table, evaluator)| evaluator.request(&project(request, table)))
            .collect();
        let labels = self
            .space
            .columns
            .iter()
            .enumerate()
            .map(|(j, s)| self.label_of(j, s, request, &parsed))
            .collect();
        Placed {
            names: self.space.columns.iter().map(|s| s.name.clone()).collect(),
            labels,
            requests: parsed,
        }
    }

    /// The label of the request's cell in shared column `j`; `None` when no table can place
    /// it (a fact left out, a value every table refuses).
    fn label_of(
        &self,
        j: usize,
        s: &super::space::Shared,
        request: &Json,
        parsed: &[Result<Request, RequestError>],
    ) -> Option<String> {
        if let Kind::Enum(f) | Kind::Bool(f) = &s.kind {
            let given = get_dotted(request, f).cloned().or_else(|| {
                self.tables
                    .iter()
                    .find_map(|t| t.facts.iter().find(|x| x.name == *f)?.default.clone())
            })?;
            return match given {
                Json::String(v) => Some(v),
                Json::Bool(true) => Some("sant".to_owned()),
                Json::Bool(false) => Some("falskt".to_owned()),
                _ => None,
            };
        }
        let mut cells: Cells = s.full();
        let mut placed = false;
        for (t, (evaluator, req)) in self.evaluators.iter().zip(parsed).enumerate() {
            let Ok(req) = req else {
                continue;
            };
            for (c, local) in self.space.locals(t).iter().enumerate() {
                if local.shared != j {
                    continue;
                }
                if let Some(image) = evaluator
                    .cell(c, req)
                    .ok()
                    .and_then(|cell| local.images.get(cell))
                {
                    cells = &cells & image;
                    placed = true;
                }
            }
        }
        if !placed || cells.len() != 1 {
            return None;
        }
        s.labels.get(cells.first()?).cloned()
    }
}

/// A request placed in the shared space: its cell's label in every shared column, and the
/// request as each table checked it (without the facts it does not know).
pub struct Placed {
    names: Vec<String>,
    labels: Vec<Option<String>>,
    requests: Vec<Result<Request, RequestError>>,
}

impl Placed {
    /// The request as table `t` (in the order given to [`Locator::new`]) checked it.
    pub fn request(&self, t: usize) -> Option<&Result<Request, RequestError>> {
        self.requests.get(t)
    }

    /// The label of the request's cell in the column named `column`.
    pub fn label(&self, column: &str) -> Option<&str> {
        let j = self.names.iter().position(|n| n == column)?;
        self.labels.get(j)?.as_deref()
    }

    /// Whether the request meets the condition; `None` when it cannot be placed.
    pub fn meets(&self, condition: &Condition) -> Option<bool> {
        let label = self.label(&condition.column)?;
        Some(condition.values.iter().any(|v| v == label))
    }

    /// Whether the request meets every condition of the difference (its exceptions aside);
    /// `None` when some condition cannot be decided.
    pub fn inside(&self, d: &Difference) -> Option<bool> {
        for c in &d.conditions {
            if !self.meets(c)? {
                return Some(false);
            }
        }
        Some(true)
    }
}

fn get_dotted<'j>(json: &'j Json, name: &str) -> Option<&'j Json> {
    let mut here = json;
    for part in name.split('.') {
        here = here.get(part)?;
    }
    Some(here)
}
