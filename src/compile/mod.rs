//! Step three: a checked ruleset to one canonical decision table per decision.
//!
//! `lower` turns conditions into formulas over columns; `tree` splits the input space
//! until each part has one winner, by the `går före` priorities alone; the leaves become
//! rows (`rows`). Two rules that clash without a priority, or an input nothing decides, is
//! a diagnostic with an example request (`report`).

mod days;
mod lower;
mod priority;
mod report;
mod rows;
mod tree;

use crate::check::model::{Decision, DecisionId, RuleId, Ruleset};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::table::{
    Cells, Column, CompiledRuleset, DecisionTable, DeviationInfo, FORMAT_VERSION, FactSchema,
    FactType, Period, RuleInfo, SourceRef,
};
use lower::{Columns, Formula};
use priority::Priorities;
use tree::{Node, TreeRule};

/// Compiles every decision of a checked ruleset. Returns the tables when there were no
/// errors, and every diagnostic found.
pub fn compile(ruleset: &Ruleset) -> (Option<CompiledRuleset>, Vec<Diagnostic>) {
    let mut tables = Vec::new();
    let mut diagnostics = Vec::new();
    for d in ruleset.decision_ids() {
        let (table, mut found) = compile_decision(ruleset, d);
        diagnostics.append(&mut found);
        tables.push(table);
    }
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    let compiled = CompiledRuleset {
        format: FORMAT_VERSION,
        ruleset: ruleset.name.clone(),
        source_hash: ruleset.source_hash.clone(),
        tables,
    };
    (ok.then_some(compiled), diagnostics)
}

/// One decision's table, or `None` when compiling it finds an error (a conflict, a gap,
/// too large). For analyses that compile a changed ruleset.
pub fn decision_table(ruleset: &Ruleset, decision: DecisionId) -> Option<DecisionTable> {
    let (table, diagnostics) = compile_decision(ruleset, decision);
    (!diagnostics.iter().any(Diagnostic::is_error)).then_some(table)
}

/// One decision's table: its rules' conditions as formulas over columns, a tree split by
/// priority, the tree's leaves as rows. A decision too large to compile gets an empty
/// table and a diagnostic.
fn compile_decision(ruleset: &Ruleset, decision: DecisionId) -> (DecisionTable, Vec<Diagnostic>) {
    let d = ruleset.decision(decision);
    let rules = decision_rules(ruleset, decision);
    let priorities = priority::priorities(ruleset, &rules);
    let mut columns = Columns::new(ruleset);
    for &r in &priorities.order {
        columns.gather(&ruleset.applies_when(ruleset.rule(at(&rules, r))));
    }
    let tree_rules = tree_rules(ruleset, &rules, &priorities.order, &mut columns);
    // A decision reading very many columns makes a very deep tree: refuse it before building.
    if columns.columns.len() > MAX_COLUMNS {
        return (
            empty_table(ruleset, &d.name),
            vec![too_many_columns(ruleset, d, &rules, &columns)],
        );
    }
    let Some((root, problems)) = build_tree(d, &tree_rules, &priorities, &columns) else {
        return (empty_table(ruleset, &d.name), vec![too_many_cases(d)]);
    };
    let mut table = empty_table(ruleset, &d.name);
    table.outcomes = d.outcomes.clone();
    table.default_sources = sources(ruleset, &d.sources);
    table.columns = columns.columns;
    rows::rows(&root, &table.columns, d, &mut Vec::new(), &mut table.rows);
    table.rules = rules.iter().map(|&r| rule_info(ruleset, r)).collect();
    let diagnostics = if problems.is_empty() {
        Vec::new()
    } else {
        report::report(ruleset, &rules, d, &table, problems)
    };
    (table, diagnostics)
}

/// A condition compiled on its own, for analyses: a table with outcomes `falskt` and
/// `sant` whose `sant` rows are disjoint boxes that together are exactly the requests where
/// the condition holds (reading columns left to right, as rules do). Its columns are made
/// the way a decision's are, so an analysis can line them up with a decision table's.
/// `None` when the condition is too large to compile.
pub fn condition_table(
    ruleset: &Ruleset,
    condition: &crate::check::Expr,
    name: &str,
    span: Span,
) -> Option<DecisionTable> {
    let mut columns = Columns::new(ruleset);
    columns.gather(condition);
    let rule = TreeRule {
        formula: columns.formula(condition),
        outcome: 1,
        reason: None,
    };
    if columns.columns.len() > MAX_COLUMNS {
        return None;
    }
    let decision = Decision {
        name: name.to_owned(),
        outcomes: vec!["falskt".to_owned(), "sant".to_owned()],
        default: Some(crate::check::Outcome {
            value: 0,
            reason: None,
        }),
        sources: Vec::new(),
        span,
        replaced_by: None,
    };
    let priorities = Priorities::alone();
    let rules = [rule];
    let (root, _) = build_tree(&decision, &rules, &priorities, &columns)?;
    let mut table = empty_table(ruleset, name);
    table.outcomes = decision.outcomes.clone();
    table.columns = columns.columns;
    rows::rows(
        &root,
        &table.columns,
        &decision,
        &mut Vec::new(),
        &mut table.rows,
    );
    table.rules = vec![RuleInfo {
        id: name.to_owned(),
        title: name.to_owned(),
        sources: Vec::new(),
        location: place(ruleset, span),
        origin: crate::table::Origin::National,
        deviation: None,
        tolkning: Vec::new(),
        period: None,
        suspended_by: None,
        shown_from: None,
    }];
    Some(table)
}

/// Conditions compiled together over one set of columns, for analyses that ask of many pairs
/// whether they can hold at once: each condition as the boxes (a row's conditions: column,
/// cells) that together are exactly the requests where it holds, as [`condition_table`]'s
/// `sant` rows are. One set of columns serves them all, so the cost grows with the
/// conditions, not with conditions × the width of the types they read.
pub struct ConditionBoxes {
    pub columns: Vec<Column>,
    /// By condition, in the order given; `None` for one too large to compile.
    pub boxes: Vec<Option<Vec<ConditionBox>>>,
}

/// A box of a condition: (column, cells) for each column its path reads.
pub type ConditionBox = Vec<(usize, Cells)>;

/// The conditions compiled together (see [`ConditionBoxes`]); `None` when they read more
/// columns than a decision may.
pub fn condition_boxes(
    ruleset: &Ruleset,
    conditions: &[&crate::check::Expr],
) -> Option<ConditionBoxes> {
    let mut columns = Columns::new(ruleset);
    for c in conditions {
        columns.gather(c);
    }
    let formulas: Vec<Formula> = conditions.iter().map(|c| columns.formula(c)).collect();
    if columns.columns.len() > MAX_COLUMNS {
        return None;
    }
    let decision = Decision {
        name: String::new(),
        outcomes: vec!["falskt".to_owned(), "sant".to_owned()],
        default: Some(crate::check::Outcome {
            value: 0,
            reason: None,
        }),
        sources: Vec::new(),
        span: Span::default(),
        replaced_by: None,
    };
    let priorities = Priorities::alone();
    let boxes = formulas
        .into_iter()
        .map(|formula| {
            let rules = [TreeRule {
                formula,
                outcome: 1,
                reason: None,
            }];
            let (root, _) = build_tree(&decision, &rules, &priorities, &columns)?;
            let mut boxes = Vec::new();
            rows::boxes(&root, 1, &mut Vec::new(), &mut boxes);
            Some(boxes)
        })
        .collect();
    Some(ConditionBoxes {
        columns: columns.columns,
        boxes,
    })
}

/// The decision's rules, canonically ordered by id.
fn decision_rules(ruleset: &Ruleset, decision: DecisionId) -> Vec<RuleId> {
    let mut rules: Vec<RuleId> = ruleset.rules_of(decision).collect();
    rules.sort_by(|&a, &b| ruleset.rule(a).id.cmp(&ruleset.rule(b).id));
    rules
}

/// The rule at a position in one decision's rules.
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: positions come from `order` and the tree, both over this decision's rules"
)]
fn at(rules: &[RuleId], position: usize) -> RuleId {
    rules[position]
}

/// The rules as the tree sees them. Formulas are made in priority order, which fixes the
/// order of the columns.
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: `order` is a permutation of the positions in `rules`"
)]
fn tree_rules(
    ruleset: &Ruleset,
    rules: &[RuleId],
    order: &[usize],
    columns: &mut Columns,
) -> Vec<TreeRule> {
    let mut formulas: Vec<Option<Formula>> = vec![None; rules.len()];
    for &r in order {
        formulas[r] = Some(columns.formula(&ruleset.applies_when(ruleset.rule(rules[r]))));
    }
    rules
        .iter()
        .zip(formulas)
        .map(|(&r, formula)| {
            let rule = ruleset.rule(r);
            let Some(formula) = formula else {
                unreachable!("INVARIANT: `order` places every rule, so every rule has a formula")
            };
            TreeRule {
                formula,
                outcome: rule.outcome.value,
                reason: rule.outcome.reason.clone(),
            }
        })
        .collect()
}

/// The decision tree, and the conflicts and gaps at its leaves; `None` if the tree grows
/// past [`tree::MAX_NODES`].
fn build_tree(
    d: &Decision,
    rules: &[TreeRule],
    priorities: &Priorities,
    columns: &Columns,
) -> Option<(Node, Vec<tree::Problem>)> {
    let mut state = tree::State {
        cells: columns.possible.clone(),
        read: vec![false; columns.columns.len()],
    };
    let days = days::Days::new(&columns.columns);
    let mut builder = tree::Builder {
        rules,
        priorities,
        default: d.default.as_ref().map(|o| (o.value, o.reason.clone())),
        days: &days,
        problems: Vec::new(),
        nodes: 0,
        exhausted: false,
    };
    let root = builder.build(&mut state, &priorities.order);
    (!builder.exhausted).then_some((root, builder.problems))
}

fn too_many_cases(d: &Decision) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        format!(
            "beslutet `{}` har fler än {} fall att skilja åt",
            d.name,
            tree::MAX_NODES
        ),
        d.span,
        "för många kombinationer",
    )
    .with_help("ordna reglerna med `går före` (eller samla dem i grupper som går före varandra), så att färre kombinationer behöver prövas")
}

/// The most columns one decision may read; keeps the tree's depth, and so the compiler's
/// stack, bounded whatever the rule files say.
const MAX_COLUMNS: usize = 1_000;

fn too_many_columns(
    ruleset: &Ruleset,
    d: &Decision,
    rules: &[RuleId],
    columns: &Columns,
) -> Diagnostic {
    let widest = rules
        .iter()
        .map(|&r| ruleset.rule(r))
        .max_by_key(|r| formula_size(&ruleset.applies_when(r)))
        .map_or(d.span, |r| r.span);
    Diagnostic::error(
        Code::TooLarge,
        format!("beslutet `{}` läser {} olika villkor; högst {MAX_COLUMNS} går att kompilera", d.name, columns.columns.len()),
        widest,
        "regeln med längst villkor",
    )
    .with_label(d.span, "beslutet")
    .with_help("samla villkor i härledda fakta (`härledd namn = …`): ett härlett faktum är ett villkor i tabellen")
}

/// How many conditions a rule tests, to point at the longest one.
fn formula_size(e: &crate::check::Expr) -> usize {
    use crate::check::Expr;
    match e {
        Expr::Not(inner) => formula_size(inner),
        Expr::And(es) | Expr::Or(es) => es.iter().map(formula_size).sum(),
        _ => 1,
    }
}

/// Every cell of a column with `cells` cells.
fn full(cells: usize) -> Cells {
    Cells::full(cells)
}

/// `file:line` of a span.
fn place(ruleset: &Ruleset, span: Span) -> String {
    let (line, _) = ruleset.sources.line_col(span.file, span.start);
    let Some(file) = ruleset.sources.get(span.file) else {
        unreachable!("INVARIANT: every span of a checked ruleset is in its sources")
    };
    format!("{}:{line}", file.name)
}

fn sources(ruleset: &Ruleset, citations: &[crate::check::Citation]) -> Vec<SourceRef> {
    citations
        .iter()
        .map(|c| SourceRef {
            text: c.text.clone(),
            location: place(ruleset, c.span),
        })
        .collect()
}

/// A rule as its table names it. A rule an `avsteg` made without a `källa` of its own
/// cites the deviation's.
fn rule_info(ruleset: &Ruleset, r: RuleId) -> RuleInfo {
    let rule = ruleset.rule(r);
    let cited = match rule.deviation {
        Some(dv) if rule.sources.is_empty() => &ruleset.deviation(dv).sources,
        _ => &rule.sources,
    };
    RuleInfo {
        id: rule.id.clone(),
        title: rule.title.clone(),
        sources: sources(ruleset, cited),
        location: place(ruleset, rule.span),
        origin: rule.origin,
        deviation: rule.deviation.map(|dv| dv.index()),
        tolkning: texts(&rule.interpretations),
        period: rule.period.map(period),
        suspended_by: rule.suspended_by.map(|dv| dv.index()),
        shown_from: rule
            .shown_from
            .as_ref()
            .map(|t| Columns::new(ruleset).date_expr(t)),
    }
}

fn texts(interpretations: &[crate::check::Interpretation]) -> Vec<String> {
    interpretations.iter().map(|i| i.text.clone()).collect()
}

fn period(p: crate::check::Period) -> Period {
    Period {
        from: p.from,
        until: p.until,
    }
}

fn empty_table(ruleset: &Ruleset, decision: &str) -> DecisionTable {
    DecisionTable {
        format: FORMAT_VERSION,
        ruleset: ruleset.name.clone(),
        decision: decision.to_owned(),
        source_hash: ruleset.source_hash.clone(),
        outcomes: Vec::new(),
        default_sources: Vec::new(),
        facts: fact_schemas(ruleset),
        columns: Vec::new(),
        rows: Vec::new(),
        rules: Vec::new(),
        deviations: ruleset
            .deviations
            .iter()
            .enumerate()
            .map(|(i, dv)| DeviationInfo {
                id: dv.id.clone(),
                title: dv.title.clone(),
                motivering: dv.motivation.clone(),
                sources: sources(ruleset, &dv.sources),
                location: place(ruleset, dv.span),
                struck_invariant: struck_invariant(ruleset, i),
                tolkning: texts(&dv.interpretations),
                period: dv.period.map(period),
            })
            .collect(),
    }
}

/// The national invariant the deviation at `index` strikes, as its table records it.
fn struck_invariant(ruleset: &Ruleset, index: usize) -> Option<crate::table::StruckInvariant> {
    ruleset
        .invariants
        .iter()
        .find(|i| i.struck_by.is_some_and(|dv| dv.index() == index))
        .map(|i| crate::table::StruckInvariant {
            title: i.title.clone(),
            decision: ruleset.decision(i.decision).name.clone(),
        })
}

fn fact_schemas(ruleset: &Ruleset) -> Vec<FactSchema> {
    use crate::check::model::{Type, Value};
    let mut facts: Vec<FactSchema> = ruleset
        .facts
        .iter()
        .map(|f| {
            let ty = match f.ty {
                Type::Bool => FactType::Bool,
                Type::Int { min, max } => FactType::Int { min, max },
                Type::Date => FactType::Date,
                Type::Text => FactType::Text,
                Type::Id => FactType::Id,
                Type::Enum(t) => {
                    FactType::Enum(ruleset.ty(t).values.iter().map(|v| v.name.clone()).collect())
                }
            };
            let default = f.default.as_ref().map(|v| match (v, f.ty) {
                (Value::Bool(b), _) => serde_json::Value::Bool(*b),
                (Value::Int(n), _) => serde_json::Value::from(*n),
                (Value::Date(d), _) => serde_json::Value::String(d.to_string()),
                (Value::Text(t), _) => serde_json::Value::String(t.clone()),
                (Value::Enum(i), Type::Enum(t)) => {
                    serde_json::Value::String(ruleset.ty(t).value(*i).name.clone())
                }
                (Value::Enum(_), other) => unreachable!(
                    "INVARIANT: the checker gives an enumeration value only to an enumeration fact, not {other:?}"
                ),
            });
            FactSchema {
                name: f.name.clone(),
                ty,
                default,
                kan_saknas: f.may_be_absent(),
            }
        })
        .collect();
    facts.sort_by(|a, b| a.name.cmp(&b.name));
    facts
}
