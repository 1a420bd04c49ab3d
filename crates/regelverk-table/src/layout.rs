//! The evaluator's decision tree, rebuilt once from the table's rows and laid out flat: a
//! split names its column and a run of branches in one array, each branch the first cell
//! of a stretch of consecutive cells that lead to the same place. Finding the branch for a
//! cell is a search over those stretches, so a column of a thousand values is read as fast
//! as one of two, and no cell set is consulted while deciding.

use super::eval::TableError;
use super::{Cells, Column, DecisionTable};
use std::collections::HashMap;

/// A column of the evaluator's table: its position in `columns` (the table's and the
/// compiled ones alike), made only by [`crate::Evaluator`] and [`Tree::new`], which check
/// it against the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ColumnId(pub(crate) usize);

/// A row of the table, made only by [`Tree::new`] from the rows' positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RowId(pub(crate) usize);

/// A rule of the table, made only by [`RuleIndex::new`], which checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RuleIndex(pub(crate) usize);

impl RuleIndex {
    pub(crate) fn new(
        table: &DecisionTable,
        rule: usize,
        row: usize,
    ) -> Result<RuleIndex, TableError> {
        if rule < table.rules.len() {
            Ok(RuleIndex(rule))
        } else {
            Err(TableError(format!(
                "rad {row} nämner regel {rule}, men tabellen har {} regler",
                table.rules.len()
            )))
        }
    }
}

/// Where a branch leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    Split(SplitId),
    /// The row that decides, and its winning rule (`None` for the default).
    Leaf(RowId, Option<RuleIndex>),
    /// A cell no row covers: nothing is decided.
    NoRow,
}

/// A split of the tree, made only by [`Builder::split`] as the position of the split it
/// pushes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SplitId(usize);

/// A test of one column, with its branches `runs[start..end]`.
pub(crate) struct Split {
    pub(crate) column: ColumnId,
    start: usize,
    end: usize,
}

/// Cells from `first` up to the next run's first cell lead to `next`.
#[derive(Clone, Copy)]
struct Run {
    first: usize,
    next: Next,
}

pub(crate) struct Tree {
    pub(crate) root: Next,
    splits: Vec<Split>,
    /// INVARIANT: each split's runs are not empty, the first starts at cell 0, and they
    /// ascend.
    runs: Vec<Run>,
}

impl Tree {
    /// The tree of a table's rows: rows are in depth-first order and each row's conditions
    /// are its path, so rows that share a first condition form a subtree. Rows that overlap
    /// or stray from that shape make the table unusable.
    pub(crate) fn new(table: &DecisionTable) -> Result<Tree, TableError> {
        let paths = paths(table)?;
        let mut builder = Builder {
            table,
            splits: Vec::new(),
            runs: Vec::new(),
        };
        let all: Vec<usize> = (0..paths.len()).collect();
        if all.is_empty() {
            return Err(TableError("tabellen har inga rader".into()));
        }
        let members: Vec<Member<'_>> = all
            .iter()
            .zip(&paths)
            .map(|(&row, path)| Member {
                row: RowId(row),
                path,
            })
            .collect();
        let root = builder.subtree(&members, 0)?;
        Ok(Tree {
            root,
            splits: builder.splits,
            runs: builder.runs,
        })
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a SplitId is the position of a split Builder::split pushed, and \
                  the tree never changes after it is built"
    )]
    pub(crate) fn split(&self, split: SplitId) -> &Split {
        &self.splits[split.0]
    }

    /// Where a cell of the split's column leads.
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a split's runs are `runs[start..end]`, not empty, the first from \
                  cell 0, so the search finds at least one run whose first cell is at most \
                  `cell`"
    )]
    pub(crate) fn next(&self, split: &Split, cell: usize) -> Next {
        let runs = &self.runs[split.start..split.end];
        let i = runs.partition_point(|r| r.first <= cell);
        runs[i - 1].next
    }
}

/// A row's conditions as (column, cells), in the order of its path through the tree.
type Path = Vec<(ColumnId, Cells)>;

/// Each row's conditions resolved to columns and cells.
fn paths(table: &DecisionTable) -> Result<Vec<Path>, TableError> {
    let mut column_index: HashMap<&str, (ColumnId, &Column)> = HashMap::new();
    for (i, c) in table.columns.iter().enumerate() {
        if column_index
            .insert(c.name.as_str(), (ColumnId(i), c))
            .is_some()
        {
            return Err(TableError(format!(
                "kolumnen `{}` finns två gånger",
                c.name
            )));
        }
    }
    let mut paths = Vec::with_capacity(table.rows.len());
    for (r, row) in table.rows.iter().enumerate() {
        let mut path = Vec::with_capacity(row.when.len());
        for cond in &row.when {
            let &(id, column) = column_index.get(cond.column.as_str()).ok_or_else(|| {
                TableError(format!(
                    "rad {} nämner den okända kolumnen `{}`",
                    r + 1,
                    cond.column
                ))
            })?;
            let cell_index: HashMap<&str, usize> = if cond.values.len() > 8 {
                column
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.as_str(), i))
                    .collect()
            } else {
                HashMap::new()
            };
            let mut set = Cells::EMPTY;
            for v in &cond.values {
                let p = match cell_index.get(v.as_str()) {
                    Some(p) => Some(*p),
                    None => column.cells.iter().position(|x| x == v),
                };
                let p = p.ok_or_else(|| {
                    TableError(format!(
                        "rad {}: kolumnen `{}` har ingen cell `{v}`",
                        r + 1,
                        cond.column
                    ))
                })?;
                set.insert(p);
            }
            path.push((id, set));
        }
        paths.push(path);
    }
    Ok(paths)
}

/// A row with its path.
#[derive(Clone, Copy)]
struct Member<'p> {
    row: RowId,
    path: &'p Path,
}

struct Builder<'t> {
    table: &'t DecisionTable,
    splits: Vec<Split>,
    runs: Vec<Run>,
}

impl Builder<'_> {
    /// The subtree of rows that agree on their first `depth` conditions (never none).
    fn subtree(&mut self, rows: &[Member<'_>], depth: usize) -> Result<Next, TableError> {
        let Some(first) = rows.first() else {
            return Err(TableError("tabellen har inga rader".into()));
        };
        let Some((column, _)) = first.path.get(depth) else {
            return self.leaf(rows);
        };
        let column = *column;
        // Consecutive rows with the same cells at this depth take the same branch.
        let mut groups: Vec<(&Cells, usize, usize)> = Vec::new();
        for (i, m) in rows.iter().enumerate() {
            match m.path.get(depth) {
                Some((c, cells)) if *c == column => match groups.last_mut() {
                    Some((s, _, end)) if *s == cells => *end = i + 1,
                    _ => groups.push((cells, i, i + 1)),
                },
                _ => {
                    return Err(TableError(format!(
                        "rad {} avviker från trädets form",
                        m.row.0 + 1
                    )));
                }
            }
        }
        let width = self.column(column).cells.len();
        let mut seen = Cells::EMPTY;
        let mut owner = vec![Next::NoRow; width];
        for (cells, start, end) in groups {
            if seen.intersects(cells) {
                return Err(TableError(format!(
                    "raderna överlappar i kolumnen `{}`",
                    self.column(column).name
                )));
            }
            seen |= cells;
            let next = self.subtree(rows.get(start..end).unwrap_or_default(), depth + 1)?;
            for cell in cells.iter() {
                // INVARIANT: `paths` made every cell from a position in the column's cells.
                if let Some(o) = owner.get_mut(cell) {
                    *o = next;
                }
            }
        }
        Ok(self.split(column, &owner))
    }

    /// A split over `column`, its branches given cell by cell.
    fn split(&mut self, column: ColumnId, owner: &[Next]) -> Next {
        let start = self.runs.len();
        for (cell, next) in owner.iter().enumerate() {
            if self.runs.len() == start || self.runs.last().map(|r| r.next) != Some(*next) {
                self.runs.push(Run {
                    first: cell,
                    next: *next,
                });
            }
        }
        if self.runs.len() == start {
            // A column without cells: nothing can be decided through it.
            self.runs.push(Run {
                first: 0,
                next: Next::NoRow,
            });
        }
        self.splits.push(Split {
            column,
            start,
            end: self.runs.len(),
        });
        Next::Split(SplitId(self.splits.len() - 1))
    }

    /// The end of a path: exactly one row may end here.
    fn leaf(&mut self, rows: &[Member<'_>]) -> Result<Next, TableError> {
        let [only] = rows else {
            return Err(TableError(format!(
                "raderna {} överlappar",
                rows.iter()
                    .map(|m| (m.row.0 + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let row = only.row;
        let rule = match self.table.rows.get(row.0).and_then(|r| r.rule) {
            Some(i) => Some(RuleIndex::new(self.table, i, row.0 + 1)?),
            None => None,
        };
        Ok(Next::Leaf(row, rule))
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a ColumnId is the position of a column of this table (paths)"
    )]
    fn column(&self, column: ColumnId) -> &Column {
        &self.table.columns[column.0]
    }
}
