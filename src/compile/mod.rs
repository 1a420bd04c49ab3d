//! Step three: a checked ruleset to one canonical decision table per decision.
//!
//! [`lower`] turns conditions into formulas over columns; [`tree`] splits the input space
//! until each part has one winner, by the `går före` priorities alone; the leaves become
//! rows. Two rules that clash without a priority, or an input nothing decides, is a
//! diagnostic with an example request.

mod lower;
mod priority;
mod tree;

use crate::check::model::Ruleset;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::table::witness::{self, Constraint};
use crate::table::{
    CompiledRuleset, Condition, DecisionTable, DeviationInfo, Evaluator, FORMAT_VERSION,
    FactSchema, FactType, Row, RuleInfo, SourceRef,
};
use lower::Columns;
use std::collections::BTreeSet;
use tree::{Leaf, Node, TreeRule};

/// Compiles every decision of a checked ruleset. Returns the tables when there were no
/// errors, and every diagnostic found.
pub fn compile(ruleset: &Ruleset) -> (Option<CompiledRuleset>, Vec<Diagnostic>) {
    let mut tables = Vec::new();
    let mut diagnostics = Vec::new();
    for d in 0..ruleset.decisions.len() {
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

/// `file:line` of a span.
fn place(ruleset: &Ruleset, span: Span) -> String {
    let (line, _) = ruleset.sources.line_col(span.file, span.start);
    let name = ruleset
        .sources
        .get(span.file)
        .map_or("?", |f| f.name.as_str());
    format!("{name}:{line}")
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

fn fact_schemas(ruleset: &Ruleset) -> Vec<FactSchema> {
    use crate::check::model::{Type, Value};
    let mut facts: Vec<FactSchema> = ruleset
        .facts
        .iter()
        .map(|f| {
            let values: Vec<String> = match f.ty {
                Type::Enum(t) => ruleset
                    .types
                    .get(t)
                    .map(|t| t.values.iter().map(|v| v.name.clone()).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let ty = match f.ty {
                Type::Bool => FactType::Bool,
                Type::Int { min, max } => FactType::Int { min, max },
                Type::Date => FactType::Date,
                Type::Text => FactType::Text,
                Type::Id => FactType::Id,
                Type::Enum(_) => FactType::Enum(values.clone()),
            };
            let default = f.default.as_ref().map(|v| match v {
                Value::Bool(b) => serde_json::Value::Bool(*b),
                Value::Int(n) => serde_json::Value::from(*n),
                Value::Date(d) => serde_json::Value::String(d.to_string()),
                Value::Text(t) => serde_json::Value::String(t.clone()),
                Value::Enum(i) => serde_json::Value::String(
                    values.get(usize::from(*i)).cloned().unwrap_or_default(),
                ),
            });
            FactSchema {
                name: f.name.clone(),
                ty,
                default,
            }
        })
        .collect();
    facts.sort_by(|a, b| a.name.cmp(&b.name));
    facts
}

fn compile_decision(ruleset: &Ruleset, decision: usize) -> (DecisionTable, Vec<Diagnostic>) {
    let Some(d) = ruleset.decisions.get(decision) else {
        return (empty_table(ruleset, ""), Vec::new());
    };
    // The decision's rules, canonically ordered by id.
    let mut global: Vec<usize> = ruleset
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.decision == decision)
        .map(|(i, _)| i)
        .collect();
    global.sort_by(|a, b| {
        let id = |i: &usize| ruleset.rules.get(*i).map(|r| r.id.as_str());
        id(a).cmp(&id(b))
    });
    let n = global.len();
    let priority::Priorities { beats, order } = priority::priorities(ruleset, &global);

    let mut columns = Columns::new(ruleset);
    for &r in &order {
        if let Some(rule) = global.get(r).and_then(|&g| ruleset.rules.get(g)) {
            columns.gather(&rule.condition);
        }
    }
    let mut tree_rules: Vec<TreeRule> = Vec::with_capacity(n);
    let mut formulas: Vec<Option<lower::Formula>> = vec![None; n];
    for &r in &order {
        if let Some(rule) = global.get(r).and_then(|&g| ruleset.rules.get(g))
            && let Some(slot) = formulas.get_mut(r)
        {
            *slot = Some(columns.formula(&rule.condition));
        }
    }
    for (r, &g) in global.iter().enumerate() {
        let rule = ruleset.rules.get(g);
        tree_rules.push(TreeRule {
            formula: formulas
                .get(r)
                .cloned()
                .flatten()
                .unwrap_or(lower::Formula::Const(false)),
            outcome: rule.map_or(0, |r| r.outcome.value),
            reason: rule.and_then(|r| r.outcome.reason.clone()),
        });
    }
    // A decision reading very many columns makes a very deep tree: refuse it before building.
    if columns.columns.len() > MAX_COLUMNS {
        let widest = global
            .iter()
            .filter_map(|&g| ruleset.rules.get(g))
            .max_by_key(|r| formula_size(&r.condition))
            .map_or(d.span, |r| r.span);
        let diagnostic = Diagnostic::error(
            Code::TooLarge,
            format!("beslutet `{}` läser {} olika villkor; högst {MAX_COLUMNS} går att kompilera", d.name, columns.columns.len()),
            widest,
            "regeln med längst villkor",
        )
        .with_label(d.span, "beslutet")
        .with_help("samla villkor i härledda fakta (`härledd namn = …`): ett härlett faktum är ett villkor i tabellen");
        return (empty_table(ruleset, &d.name), vec![diagnostic]);
    }
    let mut state = tree::State {
        cells: columns
            .columns
            .iter()
            .map(|c| full(c.cells.len()))
            .collect(),
        read: vec![false; columns.columns.len()],
    };
    let mut builder = tree::Builder {
        rules: &tree_rules,
        order: &order,
        beats: &beats,
        default: d.default.as_ref().map(|o| (o.value, o.reason.clone())),
        problems: Vec::new(),
        nodes: 0,
        exhausted: false,
    };
    let root = builder.build(&mut state);
    if builder.exhausted {
        let diagnostic = Diagnostic::error(
            Code::TooLarge,
            format!("beslutet `{}` har fler än {} fall att skilja åt", d.name, tree::MAX_NODES),
            d.span,
            "för många kombinationer",
        )
        .with_help("ordna reglerna med `går före` (eller samla dem i grupper som går före varandra), så att färre kombinationer behöver prövas");
        return (empty_table(ruleset, &d.name), vec![diagnostic]);
    }
    let problems = std::mem::take(&mut builder.problems);

    let mut table = empty_table(ruleset, &d.name);
    table.outcomes = d.outcomes.clone();
    table.default_sources = sources(ruleset, &d.sources);
    table.columns = columns.columns;
    let mut path = Vec::new();
    rows(
        &root,
        &table.columns,
        &d.outcomes,
        &mut path,
        &mut table.rows,
    );
    table.rules = global
        .iter()
        .filter_map(|&g| ruleset.rules.get(g))
        .map(|r| RuleInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            sources: match r.deviation.and_then(|dv| ruleset.deviations.get(dv)) {
                Some(dev) if r.sources.is_empty() => sources(ruleset, &dev.sources),
                _ => sources(ruleset, &r.sources),
            },
            location: place(ruleset, r.span),
            origin: r.origin,
            deviation: r.deviation,
        })
        .collect();

    let diagnostics = if problems.is_empty() {
        Vec::new()
    } else {
        report(ruleset, &global, d, &table, problems)
    };
    (table, diagnostics)
}

/// The most columns one decision may read; keeps the tree's depth, and so the compiler's
/// stack, bounded whatever the rule files say.
const MAX_COLUMNS: usize = 1_000;

/// How many conditions a rule tests, to point at the longest one.
fn formula_size(e: &crate::check::Expr) -> usize {
    use crate::check::Expr;
    match e {
        Expr::Not(inner) => formula_size(inner),
        Expr::And(es) | Expr::Or(es) => es.iter().map(formula_size).sum(),
        _ => 1,
    }
}

fn full(cells: usize) -> u64 {
    if cells >= 64 {
        u64::MAX
    } else {
        (1u64 << cells) - 1
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
            .map(|dv| DeviationInfo {
                id: dv.id.clone(),
                title: dv.title.clone(),
                motivering: dv.motivation.clone(),
                sources: sources(ruleset, &dv.sources),
                location: place(ruleset, dv.span),
            })
            .collect(),
    }
}

fn labels(cells: u64, column: &crate::table::Column) -> Vec<String> {
    column
        .cells
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 64 && cells & (1u64 << i) != 0)
        .map(|(_, l)| l.clone())
        .collect()
}

/// The leaves in depth-first order, each with its path as conditions.
fn rows(
    node: &Node,
    columns: &[crate::table::Column],
    outcomes: &[String],
    path: &mut Vec<(usize, u64)>,
    out: &mut Vec<Row>,
) {
    match node {
        Node::Split { column, branches } => {
            for (cells, child) in branches {
                path.push((*column, *cells));
                rows(child, columns, outcomes, path, out);
                path.pop();
            }
        }
        Node::Leaf(leaf) => {
            let when = path
                .iter()
                .filter_map(|(c, cells)| {
                    columns.get(*c).map(|col| Condition {
                        column: col.name.clone(),
                        values: labels(*cells, col),
                    })
                })
                .collect();
            let (outcome, reason, rule, overridden) = match leaf {
                Leaf::Decided {
                    outcome,
                    reason,
                    rule,
                    overridden,
                } => (
                    outcomes.get(*outcome).cloned().unwrap_or_default(),
                    reason.clone(),
                    *rule,
                    overridden.clone(),
                ),
                Leaf::Conflict { a, .. } => ("?".to_owned(), None, Some(*a), Vec::new()),
                Leaf::Gap => ("?".to_owned(), None, None, Vec::new()),
            };
            let mut overridden = overridden;
            overridden.sort_unstable();
            out.push(Row {
                when,
                outcome,
                reason,
                rule,
                overridden,
            });
        }
    }
}

/// Diagnostics for conflicts and gaps, each with an example request.
fn report(
    ruleset: &Ruleset,
    global: &[usize],
    d: &crate::check::Decision,
    table: &DecisionTable,
    problems: Vec<tree::Problem>,
) -> Vec<Diagnostic> {
    let evaluator = Evaluator::new(table.clone()).ok();
    let mut out = Vec::new();
    let mut gaps = 0;
    let mut seen_conflicts: BTreeSet<(usize, usize)> = BTreeSet::new();
    for problem in problems {
        let situation = describe(&problem.state, table);
        let example = evaluator.as_ref().and_then(|e| {
            let constraints: Vec<Constraint> = problem
                .state
                .iter()
                .enumerate()
                .filter(|(c, cells)| {
                    table
                        .columns
                        .get(*c)
                        .is_some_and(|col| **cells != full(col.cells.len()))
                })
                .map(|(column, cells)| Constraint {
                    evaluator: e,
                    column,
                    cells: *cells,
                })
                .collect();
            witness::find(&constraints)
        });
        let example_note = match &example {
            Some(json) => format!("exempel på en sådan begäran: {json}"),
            None => "ingen exempelbegäran hittades; kombinationen kan vara omöjlig i praktiken"
                .to_owned(),
        };
        match problem.leaf {
            Leaf::Conflict { a, b } => {
                if !seen_conflicts.insert((a, b)) {
                    continue;
                }
                let (Some(ra), Some(rb)) = (
                    global.get(a).and_then(|&g| ruleset.rules.get(g)),
                    global.get(b).and_then(|&g| ruleset.rules.get(g)),
                ) else {
                    continue;
                };
                let show = |r: &crate::check::Rule| {
                    let value = d.outcomes.get(r.outcome.value).map_or("?", String::as_str);
                    match &r.outcome.reason {
                        Some(reason) => format!("{value} (skäl {reason})"),
                        None => value.to_owned(),
                    }
                };
                out.push(
                    Diagnostic::error(
                        Code::Conflict,
                        format!("reglerna `{}` och `{}` kan gälla samtidigt men ger olika utfall", ra.id, rb.id),
                        ra.span,
                        format!("ger {}", show(ra)),
                    )
                    .with_label(rb.span, format!("ger {}", show(rb)))
                    .with_help(format!(
                        "bestäm vilken som väger tyngst: skriv `går före {}` i regel `{}` (eller tvärtom), eller gör villkoren uteslutande",
                        rb.id, ra.id
                    ))
                    .with_note(format!("när {situation}"))
                    .with_note(example_note),
                );
            }
            Leaf::Gap => {
                gaps += 1;
                if gaps > 3 {
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        Code::Gap,
                        format!("beslutet `{}` saknar utfall för vissa begäranden", d.name),
                        d.span,
                        "ingen regel och inget standardutfall avgör",
                    )
                    .with_help(format!(
                        "lägg till en regel som täcker fallet, eller ett standardutfall i beslutet: `standard UTFALL skäl …` med det försiktigaste av {}",
                        d.outcomes.join(", ")
                    ))
                    .with_note(format!("när {situation}"))
                    .with_note(example_note),
                );
            }
            Leaf::Decided { .. } => {}
        }
    }
    out
}

/// The restricted columns of a state, as a jurist reads them.
fn describe(state: &[u64], table: &DecisionTable) -> String {
    let parts: Vec<String> = state
        .iter()
        .enumerate()
        .filter_map(|(c, cells)| {
            let col = table.columns.get(c)?;
            if *cells == full(col.cells.len()) {
                return None;
            }
            let values = labels(*cells, col);
            Some(match values.as_slice() {
                [one] => format!("{} = {one}", col.name),
                many => format!("{} i {{{}}}", col.name, many.join(", ")),
            })
        })
        .collect();
    if parts.is_empty() {
        "alltid".to_owned()
    } else {
        parts.join(", ")
    }
}
