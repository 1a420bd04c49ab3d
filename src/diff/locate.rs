//! Where a request falls in the shared space of a diff: the label of its cell in every
//! shared column, so a printed situation can be checked against a concrete request (the
//! property tests sample requests and ask which situations they are in).

use super::model::{Condition, DiffError, Difference};
use super::product::project;
use super::space::{Cells, Kind, Space};
use crate::table::{DecisionTable, Evaluator};
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

    /// The label of the request's cell in the shared column named `column`; `None` when no
    /// table can place it (a fact left out, a value every table refuses).
    pub fn label(&self, column: &str, request: &Json) -> Option<String> {
        let (j, s) = self
            .space
            .columns
            .iter()
            .enumerate()
            .find(|(_, s)| s.name == column)?;
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
        for (t, (table, evaluator)) in self.tables.iter().zip(&self.evaluators).enumerate() {
            let Ok(req) = evaluator.request(&project(request, table)) else {
                continue;
            };
            for (c, local) in self.space.locals(t).iter().enumerate() {
                if local.shared != j {
                    continue;
                }
                if let Some(image) = evaluator
                    .cell(c, &req)
                    .ok()
                    .and_then(|cell| local.images.get(cell))
                {
                    cells &= image;
                    placed = true;
                }
            }
        }
        if !placed || cells.count_ones() != 1 {
            return None;
        }
        s.labels.get(cells.trailing_zeros() as usize).cloned()
    }

    /// Whether the request meets the condition; `None` when it cannot be placed.
    pub fn meets(&self, condition: &Condition, request: &Json) -> Option<bool> {
        let label = self.label(&condition.column, request)?;
        Some(condition.values.contains(&label))
    }

    /// Whether the request meets every condition of the difference (its exceptions aside);
    /// `None` when some condition cannot be decided.
    pub fn inside(&self, d: &Difference, request: &Json) -> Option<bool> {
        for c in &d.conditions {
            if !self.meets(c, request)? {
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
