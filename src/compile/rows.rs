//! The tree's leaves as table rows, each with the path of conditions that leads to it.

use super::tree::{Leaf, Node};
use crate::check::model::Decision;
use crate::table::{Cells, Column, Condition, Row};

/// The cells of `cells` by their labels.
pub(super) fn labels(cells: &Cells, column: &Column) -> Vec<String> {
    cells
        .iter()
        .filter_map(|i| column.cells.get(i))
        .cloned()
        .collect()
}

/// The leaves in depth-first order, each with its path as conditions.
pub(super) fn rows(
    node: &Node,
    columns: &[Column],
    decision: &Decision,
    path: &mut Vec<(usize, Cells)>,
    out: &mut Vec<Row>,
) {
    match node {
        Node::Split { column, branches } => {
            for (cells, child) in branches {
                path.push((*column, cells.clone()));
                rows(child, columns, decision, path, out);
                path.pop();
            }
        }
        Node::Leaf(leaf) => out.push(row(leaf, columns, decision, path)),
    }
}

/// The paths (column, cells) to the leaves a rule decides with `outcome`, depth first.
pub(super) fn boxes(
    node: &Node,
    outcome: usize,
    path: &mut Vec<(usize, Cells)>,
    out: &mut Vec<Vec<(usize, Cells)>>,
) {
    match node {
        Node::Split { column, branches } => {
            for (cells, child) in branches {
                path.push((*column, cells.clone()));
                boxes(child, outcome, path, out);
                path.pop();
            }
        }
        Node::Leaf(Leaf::Decided {
            outcome: o,
            rule: Some(_),
            ..
        }) if *o == outcome => out.push(path.clone()),
        Node::Leaf(_) => {}
    }
}

#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: the tree splits only on columns of this decision"
)]
fn row(leaf: &Leaf, columns: &[Column], decision: &Decision, path: &[(usize, Cells)]) -> Row {
    let when = path
        .iter()
        .map(|(c, cells)| Condition {
            column: columns[*c].name.clone(),
            values: labels(cells, &columns[*c]),
        })
        .collect();
    // A conflict or a gap makes the compilation fail; its row only serves the report.
    let (outcome, reason, rule, mut overridden) = match leaf {
        Leaf::Decided {
            outcome,
            reason,
            rule,
            overridden,
        } => (
            decision.outcome_name(*outcome).to_owned(),
            reason.clone(),
            *rule,
            overridden.clone(),
        ),
        Leaf::Conflict { a, .. } => ("?".to_owned(), None, Some(*a), Vec::new()),
        Leaf::Gap => ("?".to_owned(), None, None, Vec::new()),
    };
    overridden.sort_unstable();
    Row {
        when,
        outcome,
        reason,
        rule,
        overridden,
    }
}
