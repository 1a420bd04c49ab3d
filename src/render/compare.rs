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
            let _ = writeln!(out, "{:>3}. {}", i + 1, x.situation_text());
            let _ = writeln!(out, "     orsak: {} {}", x.cause.id, x.cause.title);
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
                md(&x.situation_text()),
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

/// What the page says about the rulesets compared, for audit: each one's spec and the hash
/// of its sources, and when the page was made.
pub struct Audit<'a> {
    pub labels: &'a [String],
    pub hashes: &'a [String],
    /// `2026-05-01`.
    pub generated: &'a str,
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:0 auto;padding:1em;max-width:1280px;color:#1b1b1b;line-height:1.35;font-size:15px}\
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em}\
nav,fieldset,.legend{background:#f5f7fa;border:1px solid #ccd;border-radius:4px;padding:.5em .8em;margin:.5em 0}\
fieldset label{margin-right:1.2em;white-space:nowrap}\
table{border-collapse:collapse;width:100%;table-layout:fixed;margin-bottom:1.5em}\
th,td{border:1px solid #bbb;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}\
thead th{position:sticky;top:0;background:#e3e8ef;z-index:1}\
th.nr{width:2.6em}th.sit{width:30%}\
.visa,.verkställ{background:#e3f4e6}.dölj,.neka{background:#eeeeee}.fel{background:#fde3e3}.annat{background:#fff4d6}\
.utfall{font-weight:bold}.regel{font-size:.85em;color:#333;display:block;margin-top:.2em}\
.utom{font-size:.85em;color:#444}.orsak td{background:#fafafa;font-weight:bold}\
details{font-size:.8em}summary{cursor:pointer;color:#225}code{font-size:.9em;overflow-wrap:anywhere}\
.swatch{display:inline-block;width:1em;height:1em;border:1px solid #999;vertical-align:middle;margin:0 .3em 0 1em}\
a{color:#1a4fa0}[hidden]{display:none}";

const SCRIPT: &str = "function f(){var d=document.getElementById('f-beslut').value,\
l=document.getElementById('f-lasare').value,o=document.getElementById('f-avviker').checked,\
r=[].slice.call(document.querySelectorAll('.f-rv')).filter(function(x){return x.checked}).map(function(x){return x.value});\
document.querySelectorAll('section.beslut').forEach(function(s){s.hidden=d!==''&&s.dataset.beslut!==d});\
document.querySelectorAll('[data-kol]').forEach(function(c){c.hidden=r.indexOf(c.dataset.kol)<0});\
document.querySelectorAll('tr.sit').forEach(function(t){var ls=t.dataset.lasare,av=t.dataset.avviker.split(' ');\
var okl=l===''||ls===''||ls.split(' ').indexOf(l)>=0;var oka=!o||av.some(function(k){return r.indexOf(k)>=0});t.hidden=!(okl&&oka)})}\
document.querySelectorAll('select,input').forEach(function(e){e.addEventListener('change',f)});";

/// The class of an outcome cell: its outcome when it is a plain word, `fel`, or `annat`.
fn class(side: &Side) -> &'static str {
    match side.outcome.as_deref() {
        None => "fel",
        Some("visa") => "visa",
        Some("dölj") => "dölj",
        Some("verkställ") => "verkställ",
        Some("neka") => "neka",
        Some(_) => "annat",
    }
}

/// The readers (`läsare`) a situation is about; empty when it names none (all of them).
fn readers(x: &crate::diff::Difference) -> String {
    x.conditions
        .iter()
        .filter(|c| c.column == "läsare")
        .flat_map(|c| c.values.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn link(location: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&super::diff::href(location)),
        escape(location)
    )
}

fn html_cell(side: &Side) -> String {
    let what = match &side.refused {
        Some(r) if r.absent => format!("fel: {} måste anges", r.fact),
        Some(r) => format!("fel: okänt värde för {}", r.fact),
        None => side.outcome_text(true),
    };
    let mut out = format!("<span class=\"utfall\">{}</span>", escape(&what));
    for r in side.rules.iter().take(4) {
        let mut line = format!("{} {}", escape(&r.id), escape(&r.title));
        if !r.sources.is_empty() {
            let _ = write!(line, " <i>({})</i>", escape(&r.sources.join("; ")));
        }
        if !r.location.is_empty() {
            let _ = write!(line, " {}", link(&r.location));
        }
        let _ = write!(out, "<span class=\"regel\">{line}</span>");
    }
    if side.rules.len() > 4 {
        let _ = write!(
            out,
            "<span class=\"regel\">och {} regler till</span>",
            side.rules.len() - 4
        );
    }
    out
}

/// A self-contained HTML page: a legend, a table of contents, filters (decision, reader,
/// rulesets, only where a ruleset differs from the first), one table per decision with
/// sticky headers, the situations grouped by cause, and the examples folded away.
pub fn html(diff: &Diff, audit: &Audit<'_>) -> String {
    let mut out = String::new();
    let n = diff.rulesets.len();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>Jämförelse av regelverk</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>Jämförelse av regelverk</h1>\n<p>{} situationer där minst ett regelverk avgör annorlunda än de andra. Varje situation är exakt: varje begäran som uppfyller villkoren (utom där en namngiven regel avgör) avgörs som cellerna säger.</p>\n",
        situations(diff)
    );
    let _ = writeln!(
        out,
        "<p>Skapad {}. Jämförda regelverk:</p>\n<ol>",
        escape(audit.generated)
    );
    for ((title, label), hash) in diff.rulesets.iter().zip(audit.labels).zip(audit.hashes) {
        let _ = writeln!(
            out,
            "<li>{} (<code>{}</code>), källornas hash <code>{}</code></li>",
            escape(title),
            escape(label),
            escape(hash)
        );
    }
    let _ = writeln!(out, "</ol>\n</header>");
    // Legend.
    let _ = writeln!(
        out,
        "<div class=\"legend\" role=\"note\"><b>Teckenförklaring:</b>\
<span class=\"swatch visa\"></span>visa, verkställ\
<span class=\"swatch dölj\"></span>dölj, neka\
<span class=\"swatch annat\"></span>annat utfall\
<span class=\"swatch fel\"></span>fel: regelverket vägrar begäran (okänt värde, eller ett faktum som måste anges saknas)\
<br>Under utfallet står regeln som avgör, med titel, källa och fil:rad. \
<i>utom där N6 avgör</i>: begäranden som regeln N6 avgör i något av regelverken hör inte till situationen.</div>"
    );
    // Table of contents.
    let _ = writeln!(out, "<nav aria-label=\"Innehåll\"><b>Innehåll:</b><ul>");
    for d in &diff.decisions {
        let _ = writeln!(
            out,
            "<li><a href=\"#beslut-{0}\">{0}</a>: {1} situationer</li>",
            escape(&d.decision),
            d.differences.len()
        );
    }
    let _ = writeln!(out, "</ul></nav>");
    // Filters.
    let mut readers_all: Vec<String> = Vec::new();
    for x in diff.decisions.iter().flat_map(|d| &d.differences) {
        for r in readers(x).split(' ').filter(|r| !r.is_empty()) {
            if !readers_all.iter().any(|x| x == r) {
                readers_all.push(r.to_owned());
            }
        }
    }
    let _ = write!(
        out,
        "<fieldset><legend>Filter</legend><label>Beslut <select id=\"f-beslut\"><option value=\"\">alla</option>"
    );
    for d in &diff.decisions {
        let _ = write!(out, "<option>{}</option>", escape(&d.decision));
    }
    let _ = write!(
        out,
        "</select></label><label>Läsare <select id=\"f-lasare\"><option value=\"\">alla</option>"
    );
    for r in &readers_all {
        let _ = write!(out, "<option>{}</option>", escape(r));
    }
    let _ = write!(out, "</select></label>");
    for (i, label) in audit.labels.iter().enumerate().take(n) {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" class=\"f-rv\" value=\"{i}\" checked> {}</label>",
            escape(label)
        );
    }
    let first = audit.labels.first().map_or("", String::as_str);
    let _ = writeln!(
        out,
        "<label><input type=\"checkbox\" id=\"f-avviker\"> bara där ett valt regelverk avviker från {}</label></fieldset>",
        escape(first)
    );
    for d in &diff.decisions {
        let _ = writeln!(
            out,
            "<section class=\"beslut\" data-beslut=\"{0}\" id=\"beslut-{0}\">\n<h2>{0}</h2>",
            escape(&d.decision)
        );
        for note in &d.notes {
            let _ = writeln!(out, "<p>{}</p>", escape(note));
        }
        if d.differences.is_empty() {
            if d.notes.is_empty() {
                let _ = writeln!(out, "<p>Alla regelverk avgör lika.</p>");
            }
            let _ = writeln!(out, "</section>");
            continue;
        }
        let _ = write!(
            out,
            "<table>\n<thead><tr><th class=\"nr\" scope=\"col\">#</th><th class=\"sit\" scope=\"col\">Situation</th>"
        );
        for (i, (r, l)) in diff.rulesets.iter().zip(audit.labels).enumerate() {
            let _ = write!(
                out,
                "<th scope=\"col\" data-kol=\"{i}\">{}<br><code>{}</code></th>",
                escape(r),
                escape(l)
            );
        }
        let _ = writeln!(out, "</tr></thead>\n<tbody>");
        let mut i = 0;
        for g in crate::diff::by_cause(&d.differences) {
            let mut heading = format!("Orsak: {} {}", escape(&g.cause.id), escape(&g.cause.title));
            if let Some(dv) = &g.cause.deviation {
                let _ = write!(
                    heading,
                    " (avsteg {}: {})",
                    escape(&dv.id),
                    escape(&dv.motivering)
                );
            }
            if !g.shared.is_empty() {
                let shared: Vec<&str> = g.shared.iter().map(|c| c.text.as_str()).collect();
                let _ = write!(heading, ". När {}:", escape(&shared.join(" och ")));
            }
            let _ = writeln!(
                out,
                "<tr class=\"orsak\"><td colspan=\"{}\">{heading}</td></tr>",
                n + 2
            );
            for x in &g.differences {
                i += 1;
                let first = x.sides.first();
                let differs: Vec<String> = x
                    .sides
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter(|(_, s)| Some(*s) != first)
                    .map(|(k, _)| k.to_string())
                    .collect();
                let rest: Vec<&str> = x
                    .conditions
                    .iter()
                    .filter(|c| !g.shared.contains(c))
                    .map(|c| c.text.as_str())
                    .collect();
                let when = if rest.is_empty() {
                    "i alla dessa fall".to_owned()
                } else {
                    rest.join(" och ")
                };
                let except = x.except_text();
                let _ = write!(
                    out,
                    "<tr class=\"sit\" data-lasare=\"{}\" data-avviker=\"{}\"><td>{i}</td><td>{}",
                    escape(&readers(x)),
                    differs.join(" "),
                    escape(&when)
                );
                if !except.is_empty() {
                    let _ = write!(out, "<br><span class=\"utom\">{}</span>", escape(&except));
                }
                let _ = write!(
                    out,
                    "<details><summary>exempel</summary><code>{}</code></details></td>",
                    escape(&x.example.to_string())
                );
                for (k, side) in x.sides.iter().enumerate() {
                    let _ = write!(
                        out,
                        "<td class=\"{}\" data-kol=\"{k}\">{}</td>",
                        class(side),
                        html_cell(side)
                    );
                }
                let _ = writeln!(out, "</tr>");
            }
        }
        let _ = writeln!(out, "</tbody></table>\n</section>");
    }
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}
