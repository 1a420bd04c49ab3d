//! The evaluator's decision tree, rebuilt once from the table's rows and laid out flat for
//! the few dependent loads a step may cost: a split says how to read its column (a plain
//! fact straight from its slot) and where its branches are in one array of one-word
//! targets. A split of a column of up to 64 cells has a branch per cell, found by
//! indexing; a wider one has a branch per stretch of consecutive cells that lead to the
//! same place, found by a binary search, so a column of a thousand values costs a few
//! steps more, not a thousand. No cell set is consulted while deciding.

use super::eval::TableError;
use super::schema::FactSlot;
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

/// Where a branch leads: a split, a leaf, or nowhere, in one word. Made only by
/// [`Builder`] from positions in the tree it builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Target(u32);

impl Target {
    /// A cell no row covers: nothing is decided.
    const NO_ROW: Target = Target(u32::MAX);
    /// Set for a leaf; the rest is its position in `leaves`.
    const LEAF: u32 = 1 << 31;
}

/// What a split reads: an enumeration or truth-valued fact straight from its slot (one
/// load, the common case), or any column through the evaluator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Enum(FactSlot),
    Bool(FactSlot),
    Column(ColumnId),
}

/// A test of one column. Its branches are `targets[start..start + len]`: one per cell
/// (`dense`), or one per stretch of cells that lead to the same place, each starting at
/// `firsts[i]`.
pub(crate) struct Split {
    pub(crate) read: Read,
    start: usize,
    len: usize,
    dense: bool,
    /// The cells (below 64) whose branch is the split laid out right after this one.
    fall: u64,
}

/// Splits wider than this many cells keep their branches as stretches of cells.
const DENSE: usize = 64;

pub(crate) struct Tree {
    root: Target,
    splits: Vec<Split>,
    /// The column of each split, in the order of `splits`: read only to show the tree
    /// ([`Tree::nested`]), kept apart so deciding loads nothing more per split.
    columns: Vec<ColumnId>,
    /// INVARIANT: every split's branches are within `targets` (and `firsts`); the stretches
    /// of a split are not empty, the first starts at cell 0, and they ascend.
    targets: Vec<Target>,
    firsts: Vec<usize>,
    leaves: Vec<(RowId, Option<RuleIndex>)>,
}

impl Tree {
    /// The tree of a table's rows: rows are in depth-first order and each row's conditions
    /// are its path, so rows that share a first condition form a subtree. Rows that overlap
    /// or stray from that shape make the table unusable. `read` says how a column is read.
    pub(crate) fn new(
        table: &DecisionTable,
        read: impl Fn(ColumnId) -> Read,
    ) -> Result<Tree, TableError> {
        let paths = paths(table)?;
        let mut builder = Builder {
            table,
            read: &read,
            tree: Tree {
                root: Target::NO_ROW,
                splits: Vec::new(),
                columns: Vec::new(),
                targets: Vec::new(),
                firsts: Vec::new(),
                leaves: Vec::new(),
            },
        };
        let members: Vec<Member<'_>> = paths
            .iter()
            .enumerate()
            .map(|(row, path)| Member {
                row: RowId(row),
                path,
            })
            .collect();
        if members.is_empty() {
            return Err(TableError("tabellen har inga rader".into()));
        }
        let root = builder.subtree(&members, 0)?;
        let mut tree = builder.tree;
        tree.root = root;
        Ok(tree)
    }

    /// The row a request's path leads to, reading each split's column with `read`; `None`
    /// when the path ends in a cell no row covers.
    ///
    /// A split's first child split is laid out right after it, and the cells that lead
    /// there are a bit mask in the split: that step is a branch on the cell read, which the
    /// processor predicts and runs ahead of, not a load of the target it must wait for.
    #[inline]
    pub(crate) fn walk<E>(
        &self,
        mut read: impl FnMut(Read) -> Result<usize, E>,
    ) -> Result<Option<(RowId, Option<RuleIndex>)>, E> {
        let mut at = self.root;
        loop {
            let Some(split) = self.splits.get(at.0 as usize) else {
                return Ok(self.leaf(at));
            };
            let cell = read(split.read)?;
            if cell < 64 && split.fall & (1u64 << cell) != 0 {
                at = Target(at.0 + 1);
            } else {
                at = self.branch(split, cell);
            }
        }
    }

    /// Where a cell of the split's column leads.
    fn branch(&self, split: &Split, cell: usize) -> Target {
        let target = if split.dense {
            if cell < split.len {
                self.targets.get(split.start + cell).copied()
            } else {
                None
            }
        } else {
            let firsts = self
                .firsts
                .get(split.start..split.start + split.len)
                .unwrap_or_default();
            let i = firsts.partition_point(|first| *first <= cell);
            i.checked_sub(1)
                .and_then(|i| self.targets.get(split.start + i).copied())
        };
        // INVARIANT: the builder made every branch of a split; none is missing.
        target.unwrap_or(Target::NO_ROW)
    }

    /// The row of a target that is no split: a leaf, or `None` for no row.
    fn leaf(&self, target: Target) -> Option<(RowId, Option<RuleIndex>)> {
        if target.0 & Target::LEAF == 0 || target == Target::NO_ROW {
            return None;
        }
        self.leaves
            .get((target.0 & !Target::LEAF) as usize)
            .copied()
    }
}

/// The evaluator's decision tree in nested form, as the evaluator walks it: for code that
/// decides the same way without a table (`regel compile --format rust`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeNode {
    /// A test of the column at `column` (a position in the table's `columns`). Each branch
    /// holds the cells that lead to it, ascending, and the branches ascend by their first
    /// cell; together they hold every cell of the column once.
    Split {
        column: usize,
        branches: Vec<(Vec<usize>, TreeNode)>,
    },
    /// The row at this position in the table's `rows` decides, with its rule (a position
    /// in the table's `rules`) or `None` for the decision's default.
    Leaf { row: usize, rule: Option<usize> },
    /// No row covers the cells on this path: nothing is decided.
    NoRow,
}

impl Tree {
    /// The tree in nested form; `widths` gives each column's cell count by position.
    pub(crate) fn nested(&self, widths: &[usize]) -> Result<TreeNode, TableError> {
        self.node(self.root, widths)
    }

    fn node(&self, at: Target, widths: &[usize]) -> Result<TreeNode, TableError> {
        let (Some(split), Some(column)) = (
            self.splits.get(at.0 as usize),
            self.columns.get(at.0 as usize),
        ) else {
            return Ok(match self.leaf(at) {
                Some((row, rule)) => TreeNode::Leaf {
                    row: row.0,
                    rule: rule.map(|r| r.0),
                },
                None => TreeNode::NoRow,
            });
        };
        let width = widths
            .get(column.0)
            .copied()
            .ok_or_else(|| TableError(format!("trädet nämner kolumn {}", column.0)))?;
        // Cells that lead to the same target form one branch, in the order of their first cell.
        let mut branches: Vec<(Target, Vec<usize>)> = Vec::new();
        for cell in 0..width {
            let target = self.branch(split, cell);
            match branches.iter_mut().find(|(t, _)| *t == target) {
                Some((_, cells)) => cells.push(cell),
                None => branches.push((target, vec![cell])),
            }
        }
        let branches = branches
            .into_iter()
            .map(|(target, cells)| Ok((cells, self.node(target, widths)?)))
            .collect::<Result<Vec<_>, TableError>>()?;
        Ok(TreeNode::Split {
            column: column.0,
            branches,
        })
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
    let mut cell_indexes: HashMap<usize, HashMap<&str, usize>> = HashMap::new();
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
            // Each column's cells by label, made once per column: rows on a wide column
            // (thousands of units) cost their own values, not the column's width each.
            let cell_index = cell_indexes
                .entry(id.0)
                .or_insert_with(|| first_positions(&column.cells));
            let mut set = Cells::EMPTY;
            for v in &cond.values {
                let p = cell_index.get(v.as_str()).copied().ok_or_else(|| {
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

/// Each label's first position among `cells`, as a search from the start finds it.
fn first_positions(cells: &[String]) -> HashMap<&str, usize> {
    let mut positions = HashMap::with_capacity(cells.len());
    for (i, c) in cells.iter().enumerate() {
        positions.entry(c.as_str()).or_insert(i);
    }
    positions
}

/// A row with its path.
#[derive(Clone, Copy)]
struct Member<'p> {
    row: RowId,
    path: &'p Path,
}

struct Builder<'t, 'r> {
    table: &'t DecisionTable,
    read: &'r dyn Fn(ColumnId) -> Read,
    tree: Tree,
}

/// A position in the tree as a [`Target`], if it fits.
fn position(i: usize) -> Result<u32, TableError> {
    u32::try_from(i)
        .ok()
        .filter(|i| i & Target::LEAF == 0)
        .ok_or_else(|| TableError("tabellen är för stor".into()))
}

impl Builder<'_, '_> {
    /// The subtree of rows that agree on their first `depth` conditions (never none).
    fn subtree(&mut self, rows: &[Member<'_>], depth: usize) -> Result<Target, TableError> {
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
        // The split goes before its children, so its first child split comes right after it.
        let me = self.tree.splits.len();
        let at = Target(position(me)?);
        self.tree.columns.push(column);
        self.tree.splits.push(Split {
            read: (self.read)(column),
            start: 0,
            len: 0,
            dense: false,
            fall: 0,
        });
        let mut seen = Cells::EMPTY;
        for (cells, _, _) in &groups {
            if seen.intersects(cells) {
                return Err(TableError(format!(
                    "raderna överlappar i kolumnen `{}`",
                    self.column(column).name
                )));
            }
            seen |= *cells;
        }
        // The branch with the most rows is built first, so it is the one laid out right
        // after this split: the step a request most likely takes is the predicted one.
        if let Some(most) = (0..groups.len()).max_by_key(|&g| {
            groups
                .get(g)
                .map(|(_, start, end)| (end - start, std::cmp::Reverse(g)))
        }) {
            groups.swap(0, most);
        }
        let mut owner = vec![Target::NO_ROW; width];
        for (cells, start, end) in groups {
            let next = self.subtree(rows.get(start..end).unwrap_or_default(), depth + 1)?;
            for cell in cells.iter() {
                // INVARIANT: `paths` made every cell from a position in the column's cells.
                if let Some(o) = owner.get_mut(cell) {
                    *o = next;
                }
            }
        }
        self.branches(me, &owner)?;
        Ok(at)
    }

    /// The branches of split `me`, given cell by cell.
    fn branches(&mut self, me: usize, owner: &[Target]) -> Result<(), TableError> {
        let tree = &mut self.tree;
        let start = tree.targets.len();
        let dense = owner.len() <= DENSE;
        for (cell, next) in owner.iter().enumerate() {
            if dense || tree.targets.len() == start || tree.targets.last() != Some(next) {
                tree.targets.push(*next);
                tree.firsts.push(cell);
            }
        }
        if tree.targets.len() == start {
            // A column without cells: nothing can be decided through it.
            tree.targets.push(Target::NO_ROW);
            tree.firsts.push(0);
        }
        let after = Target(position(me + 1)?);
        let fall = owner
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, t)| **t == after)
            .fold(0u64, |mask, (cell, _)| mask | (1u64 << cell));
        let len = tree.targets.len() - start;
        let Some(split) = tree.splits.get_mut(me) else {
            unreachable!("INVARIANT: split `me` was pushed before its children")
        };
        split.start = start;
        split.len = len;
        split.dense = dense;
        split.fall = fall;
        Ok(())
    }

    /// The end of a path: exactly one row may end here.
    fn leaf(&mut self, rows: &[Member<'_>]) -> Result<Target, TableError> {
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
        self.tree.leaves.push((row, rule));
        Ok(Target(position(self.tree.leaves.len() - 1)? | Target::LEAF))
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a ColumnId is the position of a column of this table (paths)"
    )]
    fn column(&self, column: ColumnId) -> &Column {
        &self.table.columns[column.0]
    }
}
