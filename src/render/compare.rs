//! `regel compare` as a matrix: situations (rows) × rulesets (columns), the outcome in each
//! cell. Text, Markdown, and a self-contained HTML page (inline CSS, no script).

use super::diff::{code, md};
use crate::diff::{Diff, Side};
use std::fmt::Write;

/// `dölj (skäl bup) VGR-BUP`, or `fel`.
fn cell(side: &Side) -> String {
    match &side.refused {
        Some(r) if r.absent => format!("fel ({} saknas)", r.fact),
        Some(r) => format!("fel (okänt värde för {})", r.fact),
        None => {
            let rules: Vec<&str> = side.rules.iter().map(|r| r.id.as_str()).collect();
            format!("{} [{}]", side.outcome_text(true), rules.join(", "))
        }
    }
}

fn situations(diff: &Diff) -> usize {
    diff.decisions.iter().map(|d| d.differences.len()).sum()
}

/// Text: one block per situation, one line per ruleset.
pub fn text(diff: &Diff, labels: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Jämförelse av {} regelverk: {} situationer där de skiljer sig",
        diff.rulesets.len(),
        situations(diff)
    );
    let names: Vec<String> = diff
        .rulesets
        .iter()
        .zip(labels)
        .map(|(r, l)| format!("{r} ({l})"))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for d in &diff.decisions {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}:", d.decision);
        for note in &d.notes {
            let _ = writeln!(out, "  - {note}");
        }
        if d.differences.is_empty() && d.notes.is_empty() {
            let _ = writeln!(out, "  alla avgör lika");
        }
        for (i, x) in d.differences.iter().enumerate() {
            let _ = writeln!(out, "{:>3}. {}", i + 1, x.conditions_text());
            for (name, side) in names.iter().zip(&x.sides) {
                let pad = width - name.chars().count();
                let _ = writeln!(out, "     {name}{}  {}", " ".repeat(pad), cell(side));
            }
            let _ = writeln!(out, "     exempel: {}", x.example);
        }
    }
    out
}

/// Markdown: one table per decision.
pub fn markdown(diff: &Diff, labels: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Jämförelse av regelverk");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} situationer där minst ett regelverk avgör annorlunda.",
        situations(diff)
    );
    for d in &diff.decisions {
        let _ = writeln!(out);
        let _ = writeln!(out, "### {}", md(&d.decision));
        let _ = writeln!(out);
        for note in &d.notes {
            let _ = writeln!(out, "- {}", md(note));
        }
        if d.differences.is_empty() {
            if d.notes.is_empty() {
                let _ = writeln!(out, "Alla regelverk avgör lika.");
            }
            continue;
        }
        let mut header = "| # | Situation |".to_owned();
        let mut rule = "|---|---|".to_owned();
        for (r, l) in diff.rulesets.iter().zip(labels) {
            let _ = write!(header, " {} ({}) |", md(r), code(l));
            rule.push_str("---|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for (i, x) in d.differences.iter().enumerate() {
            let mut row = format!(
                "| {} | {}<br>exempel: {} |",
                i + 1,
                md(&x.conditions_text()),
                code(&x.example.to_string())
            );
            for side in &x.sides {
                let _ = write!(row, " {} |", md(&cell(side)));
            }
            let _ = writeln!(out, "{row}");
        }
    }
    out
}

/// HTML-escaped text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#1b1b1b}\
table{border-collapse:collapse;margin-bottom:2em}\
th,td{border:1px solid #bbb;padding:.4em .6em;vertical-align:top;text-align:left}\
th{background:#eef1f5}td.situation{max-width:40em}\
.fel{background:#fde8e8}.visa,.verkställ{background:#e6f4ea}.dölj,.neka{background:#f3f3f3}\
code{font-size:.85em;word-break:break-all}.regel{color:#555;font-size:.85em}";

/// A self-contained HTML page.
pub fn html(diff: &Diff, labels: &[String]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>Jämförelse av regelverk</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Jämförelse av regelverk</h1>\n<p>{} situationer där minst ett regelverk avgör annorlunda.</p>\n",
        situations(diff)
    );
    for d in &diff.decisions {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&d.decision));
        for note in &d.notes {
            let _ = writeln!(out, "<p>{}</p>", escape(note));
        }
        if d.differences.is_empty() {
            if d.notes.is_empty() {
                let _ = writeln!(out, "<p>Alla regelverk avgör lika.</p>");
            }
            continue;
        }
        let _ = write!(out, "<table>\n<tr><th>#</th><th>Situation</th>");
        for (r, l) in diff.rulesets.iter().zip(labels) {
            let _ = write!(out, "<th>{}<br><code>{}</code></th>", escape(r), escape(l));
        }
        let _ = writeln!(out, "</tr>");
        for (i, x) in d.differences.iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"situation\">{}<br><code>{}</code></td>",
                i + 1,
                escape(&x.conditions_text()),
                escape(&x.example.to_string())
            );
            for side in &x.sides {
                let class = side.outcome.clone().unwrap_or_else(|| "fel".to_owned());
                let what = match &side.refused {
                    Some(r) if r.absent => format!("fel: {} måste anges", r.fact),
                    Some(r) => format!("fel: okänt värde för {}", r.fact),
                    None => side.outcome_text(true),
                };
                let rules: Vec<String> = side
                    .rules
                    .iter()
                    .map(|r| {
                        format!(
                            "<span title=\"{}\">{}</span>",
                            escape(&format!("{} {}", r.title, r.sources.join("; "))),
                            escape(&r.id)
                        )
                    })
                    .collect();
                let _ = write!(
                    out,
                    "<td class=\"{}\">{}<br><span class=\"regel\">{}</span></td>",
                    escape(&class),
                    escape(&what),
                    rules.join(", ")
                );
            }
            let _ = writeln!(out, "</tr>");
        }
        let _ = writeln!(out, "</table>");
    }
    out.push_str("</body>\n</html>\n");
    out
}
