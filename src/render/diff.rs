//! A diff as `regel diff` prints it: text for people, Markdown for a pull-request comment,
//! JSON for tools. The text is Swedish, for jurists.

use crate::diff::{DeviationRef, Diff, Difference, RuleRef, Side};
use serde_json::{Value as Json, json};
use std::fmt::Write;

/// `N2 "Titel" (källa; källa) plats`.
pub fn rule_text(r: &RuleRef) -> String {
    let mut s = if r.id == "standard" {
        r.title.clone()
    } else {
        format!("{} \"{}\"", r.id, r.title)
    };
    if !r.sources.is_empty() {
        let _ = write!(s, " ({})", r.sources.join("; "));
    }
    if !r.location.is_empty() {
        let _ = write!(s, " {}", r.location);
    }
    if let Some(d) = &r.deviation {
        let _ = write!(s, ", avsteg {}", d.id);
    }
    s
}

/// How one side decides: `dölj (skäl bup) enligt VGR-BUP "…"`, or why it refuses.
pub fn side_text(side: &Side) -> String {
    match &side.refused {
        Some(r) if r.absent => format!("fel: `{}` måste anges i det här regelverket", r.fact),
        Some(r) => format!(
            "fel: `{}` kan inte vara {} i det här regelverket",
            r.fact,
            r.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" eller ")
        ),
        None => format!(
            "{} enligt {}",
            side.outcome_text(true),
            side.rules
                .iter()
                .map(rule_text)
                .collect::<Vec<_>>()
                .join(" eller ")
        ),
    }
}

/// The deviations of the diff, each once: those the later rulesets add, then any other
/// cited by a deciding rule.
pub fn deviations(diff: &Diff) -> Vec<&DeviationRef> {
    let mut out: Vec<&DeviationRef> = diff.deviations.iter().collect();
    for d in &diff.decisions {
        for x in &d.differences {
            for side in &x.sides {
                for r in &side.rules {
                    if let Some(dv) = &r.deviation
                        && !out.iter().any(|o| o.id == dv.id)
                    {
                        out.push(dv);
                    }
                }
            }
        }
    }
    out
}

/// The example of a difference, and per side where a side knows fewer facts.
fn examples(d: &Difference, labels: &[&str]) -> Vec<(String, String)> {
    let mut out = vec![("exempel".to_owned(), d.example.to_string())];
    for (e, label) in d.examples.iter().zip(labels) {
        if *e != d.example {
            out.push((format!("exempel för {label}"), e.to_string()));
        }
    }
    out
}

/// Text. An empty diff prints nothing, like `diff`.
pub fn text(diff: &Diff, old: &str, new: &str) -> String {
    let mut out = String::new();
    if diff.is_empty() {
        return out;
    }
    let named: Vec<String> = diff
        .rulesets
        .iter()
        .zip([old, new])
        .map(|(title, spec)| format!("{title} ({spec})"))
        .collect();
    let _ = writeln!(out, "Ändrade beslut: {}", named.join(" → "));
    for d in &diff.decisions {
        if d.differences.is_empty() && d.notes.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}: {}",
            d.decision,
            count(d.differences.len() + d.notes.len())
        );
        for note in &d.notes {
            let _ = writeln!(out, "  - {note}");
        }
        for (i, x) in d.differences.iter().enumerate() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{:>3}. {}: {}",
                i + 1,
                x.conditions_text(),
                x.change_text()
            );
            for (label, s) in ["före: ", "efter:"].iter().zip(&x.sides) {
                let _ = writeln!(out, "     {label} {}", side_text(s));
            }
            for (label, line) in examples(x, &["före", "efter"]) {
                let _ = writeln!(out, "     {label}: {line}");
            }
        }
    }
    let devs = deviations(diff);
    if !devs.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Avsteg:");
        for d in devs {
            let _ = writeln!(out, "  {} \"{}\" {}", d.id, d.title, d.location);
            let _ = writeln!(out, "    motivering: {}", d.motivering);
            let _ = writeln!(out, "    källor: {}", d.sources.join("; "));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}.", summary(diff));
    out
}

/// The rulesets' titles, as Markdown text.
fn md_titles(diff: &Diff) -> Vec<String> {
    diff.rulesets.iter().map(|t| md(t)).collect()
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 skillnad".to_owned()
    } else {
        format!("{n} skillnader")
    }
}

fn summary(diff: &Diff) -> String {
    let changed = diff
        .decisions
        .iter()
        .filter(|d| !d.differences.is_empty() || !d.notes.is_empty())
        .count();
    format!(
        "{} i {changed} av {} beslut",
        count(diff.count()),
        diff.decisions.len()
    )
}

/// Inline code that survives any content.
pub fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Markdown text outside code: characters Markdown would read as markup are escaped.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn md_conditions(x: &Difference) -> String {
    let join = |cs: &[crate::diff::Condition]| {
        cs.iter()
            .map(|c| code(&c.text))
            .collect::<Vec<_>>()
            .join(" och ")
    };
    let common = join(&x.common);
    let alts: Vec<String> = x.alternatives.iter().map(|a| join(a)).collect();
    match (common.is_empty(), alts.is_empty()) {
        (true, true) => "alltid".to_owned(),
        (false, true) => common,
        (true, false) => alts.join(" *eller* "),
        (false, false) => format!("{common} och ({})", alts.join(" *eller* ")),
    }
}

fn md_rule(r: &RuleRef) -> String {
    let mut s = if r.id == "standard" {
        md(&r.title)
    } else {
        format!("{} {}", code(&r.id), md(&r.title))
    };
    if !r.sources.is_empty() {
        let _ = write!(s, " ({})", md(&r.sources.join("; ")));
    }
    if let Some(d) = &r.deviation {
        let _ = write!(s, ", avsteg {}", code(&d.id));
    }
    s
}

pub fn md_side(side: &Side) -> String {
    match &side.refused {
        Some(r) if r.absent => format!("**fel**: {} måste anges", code(&r.fact)),
        Some(r) => format!(
            "**fel**: {} kan inte vara {}",
            code(&r.fact),
            r.values
                .iter()
                .map(|v| code(v))
                .collect::<Vec<_>>()
                .join(" eller ")
        ),
        None => format!(
            "**{}** enligt {}",
            md(&side.outcome_text(true)),
            side.rules
                .iter()
                .map(md_rule)
                .collect::<Vec<_>>()
                .join(" eller ")
        ),
    }
}

/// Markdown for a pull-request comment.
pub fn markdown(diff: &Diff, old: &str, new: &str) -> String {
    let mut out = String::new();
    let titles = md_titles(diff);
    let _ = writeln!(out, "### Ändrade beslut: {} → {}", code(old), code(new));
    let _ = writeln!(out);
    if diff.is_empty() {
        let _ = writeln!(
            out,
            "Inga beslut ändras: {} avgör varje begäran lika.",
            titles.join(" och ")
        );
        return out;
    }
    let _ = writeln!(out, "{}: **{}**.", titles.join(" → "), summary(diff));
    for d in &diff.decisions {
        if d.differences.is_empty() && d.notes.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "#### {} ({})",
            md(&d.decision),
            d.differences.len() + d.notes.len()
        );
        let _ = writeln!(out);
        for note in &d.notes {
            let _ = writeln!(out, "- {}", md(note));
        }
        for (i, x) in d.differences.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **{}** när {}",
                i + 1,
                md(&x.change_text()),
                md_conditions(x)
            );
            for (label, s) in ["före", "efter"].iter().zip(&x.sides) {
                let _ = writeln!(out, "   - {label}: {}", md_side(s));
            }
            for (label, line) in examples(x, &["före", "efter"]) {
                let _ = writeln!(out, "   - {label}: {}", code(&line));
            }
        }
    }
    let devs = deviations(diff);
    if !devs.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "#### Avsteg");
        let _ = writeln!(out);
        for d in devs {
            let _ = writeln!(
                out,
                "- {} **{}**: {} ({})",
                code(&d.id),
                md(&d.title),
                md(&d.motivering),
                md(&d.sources.join("; "))
            );
        }
    }
    out
}

/// JSON for tools: stable keys, one object.
pub fn json(diff: &Diff, old: &str, new: &str) -> Json {
    json!({
        "före": old,
        "efter": new,
        "ändrat": !diff.is_empty(),
        "antal": diff.count(),
        "regelverk": diff.rulesets,
        "beslut": diff.decisions,
    })
}
