//! A diff as `regel diff` prints it: text for people, Markdown for a pull-request comment,
//! JSON for tools. The text is Swedish, for jurists.

use crate::diff::{DeviationRef, Diff, Difference, FactChange, RuleRef, Side, TextChange};
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
        None if side.rules.len() > MANY_RULES => format!(
            "{} beroende på övriga fakta, enligt {} regler: {}",
            side.outcome_text(true),
            side.rules.len(),
            rule_ids(side)
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

/// More deciding rules than this on one side (where the other side refuses, every rule that
/// decides somewhere in the situation) are named by id only: their titles would bury the
/// difference.
const MANY_RULES: usize = 3;

/// `N1, N10, VGR-S2`: the ids of a side's rules (`standard` for the default).
fn rule_ids(side: &Side) -> String {
    side.rules
        .iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
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
        let mut i = 0;
        for g in crate::diff::by_cause(&d.differences) {
            let _ = writeln!(out);
            let _ = writeln!(out, "  Orsak: {}", rule_text(g.cause));
            if let Some(h) = g.shared.heading_text() {
                let _ = writeln!(out, "  {h}:");
            }
            for x in &g.differences {
                i += 1;
                let _ = writeln!(out);
                let _ = writeln!(out, "{i:>3}. {}: {}", g.rest_text(x), x.change_text());
                for (label, s) in ["före: ", "efter:"].iter().zip(&x.sides) {
                    let _ = writeln!(out, "     {label} {}", side_text(s));
                }
                for (label, line) in examples(x, &["före", "efter"]) {
                    let _ = writeln!(out, "     {label}: {line}");
                }
            }
        }
    }
    if !diff.facts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Ändrade krav på fakta i en begäran:");
        for f in &diff.facts {
            let _ = writeln!(out, "  - {}", fact_text(f));
        }
    }
    if !diff.texts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Ändrade texter:");
        for t in &diff.texts {
            let _ = writeln!(out, "  {} {}", text_subject(t), t.location);
            let _ = writeln!(out, "    före:  {}", t.before);
            let _ = writeln!(out, "    efter: {}", t.after);
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
    let decided: usize = diff
        .decisions
        .iter()
        .map(|d| d.differences.len() + d.notes.len())
        .sum();
    let mut s = format!(
        "{} i {changed} av {} beslut",
        count(decided),
        diff.decisions.len()
    );
    if !diff.texts.is_empty() {
        let n = diff.texts.len();
        let _ = write!(
            s,
            ", {n} {}",
            if n == 1 {
                "ändrad text"
            } else {
                "ändrade texter"
            }
        );
    }
    if !diff.facts.is_empty() {
        let n = diff.facts.len();
        let _ = write!(
            s,
            ", {n} {}",
            if n == 1 {
                "ändrat faktakrav"
            } else {
                "ändrade faktakrav"
            }
        );
    }
    s
}

/// `avsteg VGR-ANS, motivering`: what a text change is about.
pub fn text_subject(t: &TextChange) -> String {
    format!("{} {}, {}", t.kind, t.id, t.field)
}

/// `post.kategori måste anges i `direktåtkomst` (förut: läses inte)`.
pub fn fact_text(f: &FactChange) -> String {
    format!(
        "{}: {} {} i {} (förut: {})",
        f.decision, f.fact, f.after, f.ruleset, f.before
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

pub fn md_rule(r: &RuleRef) -> String {
    let mut s = if r.id == "standard" {
        md(&r.title)
    } else {
        format!("{} {}", code(&r.id), md(&r.title))
    };
    if !r.sources.is_empty() {
        let _ = write!(s, " ({})", md(&r.sources.join("; ")));
    }
    if !r.location.is_empty() {
        let _ = write!(s, " {}", md_link(&r.location));
    }
    if let Some(d) = &r.deviation {
        let _ = write!(s, ", avsteg {}", code(&d.id));
    }
    s
}

/// `fil:rad` as a relative link GitHub opens at the line: `[fil:rad](fil#Lrad)`.
pub fn md_link(location: &str) -> String {
    format!("[{}]({})", md(location), href(location))
}

/// The relative address of `fil:rad`: `fil#Lrad`, with spaces escaped.
pub fn href(location: &str) -> String {
    let (file, line) = match location.rsplit_once(':') {
        Some((f, l)) if l.chars().all(|c| c.is_ascii_digit()) => (f, Some(l)),
        _ => (location, None),
    };
    let file = file
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29");
    match line {
        Some(l) => format!("{file}#L{l}"),
        None => file,
    }
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
        let mut i = 0;
        for g in crate::diff::by_cause(&d.differences) {
            let _ = writeln!(out);
            let _ = write!(out, "**Orsak: {}**", md_rule(g.cause));
            let shared: Vec<String> = g.shared.conditions.iter().map(|c| code(&c.text)).collect();
            let except = crate::diff::except_text(&g.shared.except);
            match (shared.is_empty(), except.is_empty()) {
                (true, true) => {
                    let _ = writeln!(out);
                }
                (true, false) => {
                    let _ = writeln!(out, ", {}:", md(&except));
                }
                (false, true) => {
                    let _ = writeln!(out, ", när {}:", shared.join(" och "));
                }
                (false, false) => {
                    let _ = writeln!(out, ", när {}, {}:", shared.join(" och "), md(&except));
                }
            }
            let _ = writeln!(out);
            for x in &g.differences {
                i += 1;
                let rest: Vec<String> = g
                    .shared
                    .rest_conditions(&x.conditions)
                    .into_iter()
                    .map(|c| code(&c.text))
                    .collect();
                let mut when = if rest.is_empty() {
                    "i alla dessa fall".to_owned()
                } else {
                    format!("när {}", rest.join(" och "))
                };
                let except = g.shared.rest_except_text(&x.except);
                if !except.is_empty() {
                    let _ = write!(when, ", {}", md(&except));
                }
                let _ = writeln!(out, "{i}. **{}** {when}", md(&x.change_text()));
                for (label, s) in ["före", "efter"].iter().zip(&x.sides) {
                    let _ = writeln!(out, "   - {label}: {}", md_side(s));
                }
                for (label, line) in examples(x, &["före", "efter"]) {
                    let _ = writeln!(out, "   - {label}: {}", code(&line));
                }
            }
        }
    }
    if !diff.facts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "#### Ändrade krav på fakta i en begäran");
        let _ = writeln!(out);
        for f in &diff.facts {
            let _ = writeln!(
                out,
                "- {}: {} **{}** i {} (förut: {})",
                md(&f.decision),
                code(&f.fact),
                md(&f.after),
                md(&f.ruleset),
                md(&f.before)
            );
        }
    }
    if !diff.texts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "#### Ändrade texter");
        let _ = writeln!(out);
        for t in &diff.texts {
            let place = if t.location.is_empty() {
                String::new()
            } else {
                format!(" {}", md_link(&t.location))
            };
            let _ = writeln!(
                out,
                "- {} {}, {}{place}",
                md(&t.kind),
                code(&t.id),
                md(&t.field)
            );
            let _ = writeln!(out, "  - före: {}", md(&t.before));
            let _ = writeln!(out, "  - efter: {}", md(&t.after));
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
                "- {} **{}**: {} ({}) {}",
                code(&d.id),
                md(&d.title),
                md(&d.motivering),
                md(&d.sources.join("; ")),
                md_link(&d.location)
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
        "ändrade_texter": diff.texts,
        "ändrade_faktakrav": diff.facts,
    })
}
