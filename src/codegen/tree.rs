//! The decision tree as nested `if` and `match` (subtrees deep in it as functions of their
//! own), and the module put together around it.

use super::module::WIDTH;
use super::{Gen, Truth, Ty, line};
use crate::table::{ColumnKind, TreeNode};
use std::fmt::Write as _;

/// A subtree that would start deeper than this is a function of its own, so no line runs
/// past the width however deep the tree.
const DEEPEST: usize = 40;

/// A subtree as Rust: a one-line expression, or lines at a given indent.
enum Body {
    Line(String),
    /// Lines starting with `match` (so a match arm holds it without a block).
    Match(String),
    /// Lines of a block: an `if`, or statements before the result.
    Block(String),
}

impl Body {
    /// The lines of the body at `indent`, where a line body is its own line.
    fn lines(self, indent: usize) -> String {
        match self {
            Body::Line(text) => {
                let mut out = String::new();
                line(&mut out, indent, &text);
                out
            }
            Body::Match(lines) | Body::Block(lines) => lines,
        }
    }
}

impl Gen<'_> {
    /// The `decide` function and the functions it calls.
    pub(super) fn module(mut self, tree: &TreeNode, origin: &str) -> Result<String, String> {
        // The code first: it says which accessors, days and runtime parts the module needs.
        let decide = self.body(tree, 4)?.lines(4);
        let columns = self.columns()?;
        let shown_from = self.shown_from_fns()?;
        let mut out = String::new();
        self.header(&mut out, origin);
        self.facts_type(&mut out);
        self.decision_type(&mut out);
        let facts = self.facts_arg();
        // A decision with one row reads nothing.
        let f = if reads_facts(&decide) { "f" } else { "_f" };
        let _ = write!(
            out,
            "\n/// Decides a request as the compiled table does: `Err` where the table refuses it.\n\
             pub fn decide({f}: &{facts}) -> Result<Decision, Error> {{\n{decide}}}\n"
        );
        for node in std::mem::take(&mut self.nodes) {
            out.push_str(&node);
        }
        out.push_str(&columns);
        out.push_str(&shown_from);
        self.constants(&mut out)?;
        self.runtime(&mut out);
        Ok(out)
    }

    pub(super) fn facts_arg(&self) -> &'static str {
        if self.borrowed { "Facts<'_>" } else { "Facts" }
    }

    /// The code deciding `node`, at `indent`.
    fn body(&mut self, node: &TreeNode, indent: usize) -> Result<Body, String> {
        let (column, branches) = match node {
            TreeNode::NoRow => return Ok(Body::Line("Err(Error::NoRow)".into())),
            TreeNode::Leaf { row, rule } => return self.leaf(*row, *rule).map(Body::Line),
            TreeNode::Split { column, branches } => (*column, branches),
        };
        if indent > DEEPEST {
            let name = format!("node_{}", self.nodes.len() + 1);
            // Reserve the place, so nested functions number after this one.
            self.nodes.push(String::new());
            let at = self.nodes.len() - 1;
            let body = match self.body(node, 4)? {
                // A subtree that reads nothing that can fail is its one expression.
                Body::Line(expr) => {
                    self.nodes.pop();
                    return Ok(Body::Line(expr));
                }
                body => body.lines(4),
            };
            let text = format!(
                "\nfn {name}(f: &{}) -> Result<Decision, Error> {{\n{body}}}\n",
                self.facts_arg()
            );
            if let Some(place) = self.nodes.get_mut(at) {
                *place = text;
            }
            return Ok(Body::Line(format!("{name}(f)")));
        }
        let kind = super::column(self.table, column)?.kind.clone();
        match kind {
            ColumnKind::Enum(f) => {
                let read = self.value(&f)?;
                if let [(_, only)] = branches.as_slice() {
                    return self.after(
                        read.fallible.then(|| format!("{};", read.q())),
                        only,
                        indent,
                    );
                }
                let (_, fact) = self.fact(&f)?;
                let Ty::Enum(name, variants) = &fact.ty else {
                    return Err(format!("`{f}` är inte uppräknat"));
                };
                let (name, variants) = (name.clone(), variants.clone());
                let arms = branches
                    .iter()
                    .map(|(cells, child)| {
                        let patterns = cells
                            .iter()
                            .map(|c| {
                                variants
                                    .get(*c)
                                    .map(|(_, v)| format!("{name}::{v}"))
                                    .ok_or_else(|| format!("`{f}` har ingen cell {c}"))
                            })
                            .collect::<Result<Vec<_>, String>>()?;
                        Ok((patterns, child))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                self.match_on(&read.q(), arms, None, indent)
            }
            ColumnKind::Int { intervals, term } => {
                let age = !matches!(term, crate::table::IntExpr::Fact(_));
                let read = format!("{}(f)?", self.column_fn(column)?);
                let arms = branches
                    .iter()
                    .map(|(cells, child)| (ranges(cells, &intervals), child))
                    .collect::<Vec<_>>();
                let covered = covers_all(&intervals);
                let rest = (!covered)
                    .then(|| format!("value => Err(Error::Outside {{ value, age: {age} }}),"));
                self.match_on(&read, arms, rest, indent)
            }
            ColumnKind::Bool(f) => {
                let read = self.value(&f)?;
                self.truth(Truth::Cond(read.q()), branches, indent)
            }
            ColumnKind::Presence(f) => {
                let read = self.presence(&f)?;
                self.truth(read, branches, indent)
            }
            ColumnKind::Predicate(_) => {
                let read = format!("{}(f)?", self.column_fn(column)?);
                self.truth(Truth::Cond(read), branches, indent)
            }
        }
    }

    /// A statement, then the subtree: the split has one branch, but its column is still
    /// read (a fact it needs may be missing).
    fn after(
        &mut self,
        statement: Option<String>,
        child: &TreeNode,
        indent: usize,
    ) -> Result<Body, String> {
        let Some(statement) = statement else {
            return self.body(child, indent);
        };
        let mut out = String::new();
        line(&mut out, indent, &statement);
        out.push_str(&self.body(child, indent)?.lines(indent));
        Ok(Body::Block(out))
    }

    /// A split on a truth-valued column: `if`, chained with `else if` where the `else`
    /// branch is another such split.
    fn truth(
        &mut self,
        read: Truth,
        branches: &[(Vec<usize>, TreeNode)],
        indent: usize,
    ) -> Result<Body, String> {
        let branch = |cell: usize| {
            branches
                .iter()
                .find(|(cells, _)| cells.contains(&cell))
                .map(|(_, child)| child)
                .ok_or_else(|| format!("cell {cell} saknar gren"))
        };
        let cond = match read {
            Truth::Always(statement) => return self.after(statement, branch(1)?, indent),
            Truth::Cond(cond) => cond,
        };
        if let [(_, only)] = branches {
            // Both cells lead to one place: the column is read only for its errors.
            let statement = cond.contains('?').then(|| format!("{cond};"));
            return self.after(statement, only, indent);
        }
        let mut out = String::new();
        line(&mut out, indent, &format!("if {cond} {{"));
        let yes = self.body(branch(1)?, indent + 4)?.lines(indent + 4);
        out.push_str(&yes);
        let mut no = branch(0)?;
        // `else if` while the other branch is a two-way split on a truth-valued column.
        while let Some((cond, yes_child, no_child)) = self.chainable(no, indent)? {
            line(&mut out, indent, &format!("}} else if {cond} {{"));
            let yes = self.body(yes_child, indent + 4)?.lines(indent + 4);
            out.push_str(&yes);
            no = no_child;
        }
        line(&mut out, indent, "} else {");
        out.push_str(&self.body(no, indent + 4)?.lines(indent + 4));
        line(&mut out, indent, "}");
        Ok(Body::Block(out))
    }

    /// The condition and branches of a node that can continue an `else if` chain.
    fn chainable<'n>(
        &mut self,
        node: &'n TreeNode,
        indent: usize,
    ) -> Result<Option<(String, &'n TreeNode, &'n TreeNode)>, String> {
        let TreeNode::Split { column, branches } = node else {
            return Ok(None);
        };
        if indent > DEEPEST || branches.len() != 2 {
            return Ok(None);
        }
        let kind = super::column(self.table, *column)?.kind.clone();
        let cond = match kind {
            ColumnKind::Bool(f) => self.value(&f)?.q(),
            ColumnKind::Predicate(_) => format!("{}(f)?", self.column_fn(*column)?),
            ColumnKind::Presence(f) => match self.presence(&f)? {
                Truth::Cond(e) => e,
                Truth::Always(_) => return Ok(None),
            },
            _ => return Ok(None),
        };
        let find = |cell: usize| {
            branches
                .iter()
                .find(|(cells, _)| cells.contains(&cell))
                .map(|(_, child)| child)
        };
        Ok(match (find(1), find(0)) {
            (Some(yes), Some(no)) => Some((cond, yes, no)),
            _ => None,
        })
    }

    /// `match read { arms }`, each arm's patterns leading to its subtree, and a last arm.
    fn match_on(
        &mut self,
        read: &str,
        arms: Vec<(Vec<String>, &TreeNode)>,
        rest: Option<String>,
        indent: usize,
    ) -> Result<Body, String> {
        let mut out = String::new();
        line(&mut out, indent, &format!("match {read} {{"));
        let inner = indent + 4;
        for (patterns, child) in arms {
            let one_line = patterns.join(" | ");
            let fits = |text: &str| inner + text.chars().count() <= WIDTH;
            // The patterns on one line if they fit, else one per line.
            let head = if fits(&format!("{one_line} => {{")) {
                vec![one_line]
            } else {
                patterns
                    .iter()
                    .enumerate()
                    .map(|(i, p)| if i == 0 { p.clone() } else { format!("| {p}") })
                    .collect()
            };
            let Some((last, first)) = head.split_last() else {
                return Err("en gren utan celler".into());
            };
            for p in first {
                line(&mut out, inner, p);
            }
            // A match sits on the arm's line, its arms one step in (made at this indent),
            // when that line fits; else it is the arm's block.
            let at = match self.match_read(child, inner)? {
                Some(read) if fits(&format!("{last} => match {read} {{")) => inner,
                _ => inner + 4,
            };
            match self.body(child, at)? {
                Body::Line(expr) if fits(&format!("{last} => {expr},")) => {
                    line(&mut out, inner, &format!("{last} => {expr},"));
                }
                Body::Line(expr) => {
                    line(&mut out, inner, &format!("{last} => {{"));
                    line(&mut out, inner + 4, &expr);
                    line(&mut out, inner, "}");
                }
                Body::Match(lines) if at == inner => {
                    let text = lines.trim_start().trim_end_matches('\n');
                    let _ = writeln!(out, "{:inner$}{last} => {text},", "");
                }
                Body::Match(lines) | Body::Block(lines) => {
                    line(&mut out, inner, &format!("{last} => {{"));
                    out.push_str(&lines);
                    line(&mut out, inner, "}");
                }
            }
        }
        if let Some(rest) = rest {
            line(&mut out, inner, &rest);
        }
        line(&mut out, indent, "}");
        Ok(Body::Match(out))
    }

    /// What `node`, made at `indent`, matches on, if it is a `match`.
    fn match_read(&mut self, node: &TreeNode, indent: usize) -> Result<Option<String>, String> {
        let TreeNode::Split { column, branches } = node else {
            return Ok(None);
        };
        if indent > DEEPEST {
            return Ok(None);
        }
        let kind = super::column(self.table, *column)?.kind.clone();
        Ok(match kind {
            ColumnKind::Enum(f) if branches.len() > 1 => Some(self.value(&f)?.q()),
            ColumnKind::Int { .. } => Some(format!("{}(f)?", self.column_fn(*column)?)),
            _ => None,
        })
    }
}

/// The patterns of an integer column's cells: their intervals, neighbours joined.
fn ranges(cells: &[usize], intervals: &[(i64, i64)]) -> Vec<String> {
    let mut joined: Vec<(i64, i64)> = Vec::new();
    for &(lo, hi) in cells.iter().filter_map(|c| intervals.get(*c)) {
        match joined.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(lo) => *end = hi,
            _ => joined.push((lo, hi)),
        }
    }
    joined
        .into_iter()
        .map(|(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}..={hi}")
            }
        })
        .collect()
}

/// Whether the intervals cover every `i64`, so no number is outside them.
fn covers_all(intervals: &[(i64, i64)]) -> bool {
    let mut next = Some(i64::MIN);
    for &(lo, hi) in intervals {
        if next != Some(lo) {
            return false;
        }
        next = hi.checked_add(1);
    }
    next.is_none()
}

/// Whether code uses the facts `f`: passes them on (`(f)`) or reads a field (`f.`).
fn reads_facts(code: &str) -> bool {
    code.contains("(f)")
        || code.match_indices("f.").any(|(i, _)| {
            code.get(..i)
                .and_then(|before| before.chars().last())
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
}
