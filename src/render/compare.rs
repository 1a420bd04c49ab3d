//! `regel compare` as the national picture: each region against the framework (the first
//! ruleset), the situations grouped by the regions and deviations that cause them, and each
//! region's deviations with their periods and sources. Text, Markdown, and a self-contained
//! HTML page (inline CSS and a small filter script).

use super::diff::{code, fact_text, md, md_link, md_rule, side_text, text_subject};
use crate::diff::overview::{Group, Overview, OverviewDecision, RegionInfo, Row};
use crate::diff::{RuleRef, Side};
use std::fmt::Write;

/// The regions of a row: `Region Blekinge, Region Halland`.
fn row_regions(row: &Row) -> String {
    row.regions()
        .map(|x| x.region.title.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the rulesets were named on the command line: `rules`, `regions/blekinge`, ….
#[derive(Clone, Copy)]
pub struct Labels<'a> {
    pub framework: &'a str,
    /// One per region, in the order compared.
    pub regions: &'a [String],
}

/// Each region beside its label.
fn region_labels<'a>(
    o: &'a Overview,
    labels: &Labels<'a>,
) -> impl Iterator<Item = (&'a RegionInfo, &'a str)> {
    o.regions
        .iter()
        .zip(labels.regions.iter().map(String::as_str))
}

/// How the regions of a row decide, without the rules (their deviations head the group):
/// `dölj (skäl osignerad)`, or why they refuse.
fn regional_outcome(side: &Side) -> String {
    match &side.refused {
        Some(_) => side_text(side),
        None => side.outcome_text(true),
    }
}

/// `RBL-OS "Titel", avsteg RBL-OS, från och med 2019-09-01`: a group's cause in one region.
fn cause_text(r: &RuleRef) -> String {
    let mut s = if r.id == "standard" || r.id == "fel" {
        r.title.clone()
    } else {
        format!("{} \"{}\"", r.id, r.title)
    };
    if let Some(d) = &r.deviation {
        if d.id != r.id {
            let _ = write!(s, ", avsteg {}", d.id);
        }
        if let Some(p) = &d.period {
            let _ = write!(s, ", gäller {p}");
        }
    }
    if !r.location.is_empty() {
        let _ = write!(s, " {}", r.location);
    }
    s
}

fn situations(o: &Overview) -> usize {
    o.decisions.iter().map(OverviewDecision::situations).sum()
}

fn count_regions(n: usize) -> String {
    if n == 1 {
        "1 region".to_owned()
    } else {
        format!("{n} regioner")
    }
}

fn count_situations(n: usize) -> String {
    if n == 1 {
        "1 situation".to_owned()
    } else {
        format!("{n} situationer")
    }
}

/// Text: the regions and their deviations, then per decision the groups of situations.
pub fn text(o: &Overview, labels: &Labels<'_>) -> String {
    let mut out = String::new();
    let framework = labels.framework;
    let _ = writeln!(
        out,
        "Nationell bild: {} jämförda med {} ({framework}), {} där en region avgör annorlunda",
        count_regions(o.regions.len()),
        o.framework,
        count_situations(situations(o))
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "Regionernas avsteg:");
    for (info, label) in region_labels(o, labels) {
        let devs = &info.deviations;
        let _ = writeln!(
            out,
            "  {} ({label}): {} avsteg",
            info.region.title,
            devs.len()
        );
        for d in devs {
            let when = d
                .period
                .as_ref()
                .map_or(String::new(), |p| format!(", gäller {p}"));
            let _ = writeln!(out, "    {} \"{}\"{when} {}", d.id, d.title, d.location);
            let _ = writeln!(out, "      källor: {}", d.sources.join("; "));
        }
    }
    for d in &o.decisions {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}: {}", d.decision, count_situations(d.situations()));
        for note in &d.notes {
            let _ = writeln!(out, "  - {note}");
        }
        let mut i = 0;
        for g in &d.groups {
            let _ = writeln!(out);
            for (r, cause) in &g.causes {
                let _ = writeln!(out, "  {}: {}", r.title, cause_text(cause));
            }
            if let Some(h) = g.shared.heading_text() {
                let _ = writeln!(out, "  {h}:");
            }
            for row in &g.rows {
                i += 1;
                let _ = writeln!(out, "  {i:>3}. {}: {}", g.rest_text(row), row.change_text());
                let _ = writeln!(out, "       ramverket: {}", side_text(&row.national));
                if !row.more.is_empty() {
                    let _ = writeln!(
                        out,
                        "       {}: {}",
                        row_regions(row),
                        regional_outcome(&row.regional)
                    );
                }
                let _ = writeln!(
                    out,
                    "       exempel ({}): {}",
                    row.first.region.title, row.first.difference.example
                );
            }
        }
    }
    text_and_facts(&mut out, o);
    out
}

/// The texts and fact requirements the regions change, as text.
fn text_and_facts(out: &mut String, o: &Overview) {
    if !o.facts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Ändrade krav på fakta i en begäran:");
        for f in &o.facts {
            let _ = writeln!(out, "  - {}", fact_text(f));
        }
    }
    if !o.texts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Ändrade texter:");
        for (r, t) in &o.texts {
            let _ = writeln!(out, "  {}: {} {}", r.title, text_subject(t), t.location);
            let _ = writeln!(out, "    före:  {}", t.before);
            let _ = writeln!(out, "    efter: {}", t.after);
        }
    }
}

/// Markdown: a table of the regions' deviations, then per decision the groups, each a table.
pub fn markdown(o: &Overview, labels: &Labels<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Nationell bild");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} jämförda med {} ({}): {} där en region avgör annorlunda än ramverket. \
Varje situation är exakt för varje region den nämner: varje begäran som uppfyller villkoren \
(utom där en namngiven regel avgör) avgörs som raden säger, av ramverket och av regionen.",
        count_regions(o.regions.len()),
        md(&o.framework),
        code(labels.framework),
        count_situations(situations(o))
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "### Regionernas avsteg");
    let _ = writeln!(out);
    let _ = writeln!(out, "| region | avsteg | gäller | källor | plats |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for info in &o.regions {
        for d in &info.deviations {
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} | {} |",
                md(&info.region.title),
                code(&d.id),
                md(&d.title),
                md(d.period.as_deref().unwrap_or("alltid")),
                md(&d.sources.join("; ")),
                md_link(&d.location)
            );
        }
    }
    for d in &o.decisions {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "### {}: {}",
            md(&d.decision),
            count_situations(d.situations())
        );
        for note in &d.notes {
            let _ = writeln!(out);
            let _ = writeln!(out, "- {}", md(note));
        }
        let mut i = 0;
        for g in &d.groups {
            let _ = writeln!(out);
            for (r, cause) in &g.causes {
                let _ = writeln!(out, "- {}: {}", md(&r.title), md_rule(cause));
            }
            if let Some(h) = g.shared.heading_text() {
                let _ = writeln!(out);
                let _ = writeln!(out, "{}:", md(&h));
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "| # | situation | ramverket | regionerna |");
            let _ = writeln!(out, "|---|---|---|---|");
            for row in &g.rows {
                i += 1;
                let _ = writeln!(
                    out,
                    "| {i} | {} | {} | **{}** ({}) |",
                    md(&g.rest_text(row)),
                    md_national(&row.national),
                    md(&regional_outcome(&row.regional)),
                    md(&row_regions(row))
                );
            }
        }
    }
    if !o.facts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "### Ändrade krav på fakta i en begäran");
        let _ = writeln!(out);
        for f in &o.facts {
            let _ = writeln!(out, "- {}", md(&fact_text(f)));
        }
    }
    if !o.texts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "### Ändrade texter");
        let _ = writeln!(out);
        for (r, t) in &o.texts {
            let _ = writeln!(
                out,
                "- {}: {} {}: före \"{}\", efter \"{}\"",
                md(&r.title),
                md(&text_subject(t)),
                md_link(&t.location),
                md(&t.before),
                md(&t.after)
            );
        }
    }
    out
}

/// The framework's side in Markdown: the outcome, and the deciding rules by id and link.
fn md_national(side: &Side) -> String {
    if side.refused.is_some() {
        return md(&side_text(side));
    }
    let rules: Vec<String> = side
        .rules
        .iter()
        .map(|r| {
            if r.location.is_empty() {
                md(&r.title)
            } else {
                format!("{} {}", code(&r.id), md_link(&r.location))
            }
        })
        .collect();
    format!(
        "**{}** enligt {}",
        md(&side.outcome_text(true)),
        rules.join(" eller ")
    )
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

/// HTML-escaped text outside attributes: quotes stay as they are (an example request is
/// full of them).
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// What the page says about the rulesets compared, for audit: each one's spec and the hash
/// of its sources, and when the page was made.
pub struct Audit<'a> {
    pub labels: Labels<'a>,
    /// The hash of each ruleset's sources, the framework's first.
    pub hashes: &'a [String],
    /// `2026-05-01`.
    pub generated: &'a str,
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:0 auto;padding:1em;max-width:1280px;color:#1b1b1b;line-height:1.35;font-size:15px}\
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em}h3{font-size:1.05em;margin:1em 0 .3em}\
nav,fieldset,.legend{background:#f5f7fa;border:1px solid #ccd;border-radius:4px;padding:.5em .8em;margin:.5em 0}\
fieldset label{margin-right:1.2em;white-space:nowrap}nav ul{margin:.2em 0;columns:2}\
table{border-collapse:collapse;width:100%;table-layout:fixed;margin-bottom:1.2em}\
th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}\
thead th{position:sticky;top:0;background:#e3e8ef;z-index:1}\
th.nr{width:3.4em}th.sit{width:47%}th.rv{width:26%}\
.visa,.verkställ{background:#e3f4e6}.dölj,.neka{background:#eeeeee}.fel{background:#fde3e3}.annat{background:#fff4d6}\
.utfall{font-weight:bold}.regel{font-size:.85em;color:#333;display:block;margin-top:.2em}\
.utom{font-size:.85em;color:#444}.orsak td{background:#f3f3f8}.orsak ul{margin:0;padding-left:1.2em}\
details{font-size:.8em}summary{cursor:pointer;color:#225}code{font-size:.9em;overflow-wrap:anywhere}\
.swatch{display:inline-block;width:1em;height:1em;border:1px solid #999;vertical-align:middle;margin:0 .3em 0 1em}\
a{color:#1a4fa0}[hidden]{display:none}";

const SCRIPT: &str = "function f(){var d=document.getElementById('f-beslut').value,\
l=document.getElementById('f-lasare').value,g=document.getElementById('f-region').value;\
document.querySelectorAll('section.beslut').forEach(function(s){s.hidden=d!==''&&s.dataset.beslut!==d});\
document.querySelectorAll('tbody').forEach(function(b){var any=false;\
b.querySelectorAll('tr.sit').forEach(function(t){var ls=t.dataset.lasare;\
var ok=(l===''||ls===''||ls.split(' ').indexOf(l)>=0)&&(g===''||t.dataset.regioner.split(' ').indexOf(g)>=0);\
t.hidden=!ok;any=any||ok});b.hidden=!any})}\
document.querySelectorAll('select').forEach(function(e){e.addEventListener('change',f)});";

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

/// The readers (`läsare`) a row is about; empty when it names none (all of them).
fn readers(row: &Row) -> String {
    row.conditions
        .iter()
        .filter(|c| c.column == "läsare")
        .flat_map(|c| c.values.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn link(location: &str) -> String {
    if location.is_empty() {
        return String::new();
    }
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&super::diff::href(location)),
        escape(location)
    )
}

/// An id as part of an anchor: letters and digits kept, anything else `-`.
fn slug(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

/// The anchor of a region's deviation in the deviations section.
fn anchor(r: usize, id: &str) -> String {
    format!("r{r}-{}", slug(id))
}

/// The anchor of a framework rule in the section of the framework's rules; a decision's
/// default has one per decision.
fn anchor_rule(decision: &str, id: &str) -> String {
    if id == "standard" {
        format!("n-standard-{}", slug(decision))
    } else {
        format!("n-{}", slug(id))
    }
}

/// The framework's cell: the outcome, then the deciding rules by id, each linked to its
/// title and sources in the section of the framework's rules.
fn national_cell(decision: &str, side: &Side) -> String {
    let what = match &side.refused {
        Some(r) if r.absent => format!("fel: {} måste anges", r.fact),
        Some(r) => format!("fel: okänt värde för {}", r.fact),
        None => side.outcome_text(true),
    };
    let mut out = format!("<span class=\"utfall\">{}</span>", escape(&what));
    let rules: Vec<String> = side
        .rules
        .iter()
        .map(|r| {
            format!(
                "<a href=\"#{}\">{}</a>",
                anchor_rule(decision, &r.id),
                escape(if r.id == "standard" {
                    "standardutfallet"
                } else {
                    &r.id
                })
            )
        })
        .collect();
    if !rules.is_empty() {
        let _ = write!(
            out,
            "<span class=\"regel\">enligt {}</span>",
            rules.join(", ")
        );
    }
    out
}

/// The regions' cell: the outcome, then the regions, each linked to its deviation.
fn regional_cell(row: &Row) -> String {
    let mut out = format!(
        "<span class=\"utfall\">{}</span>",
        escape(&regional_outcome(&row.regional))
    );
    let names: Vec<String> = row
        .regions()
        .map(|x| match &x.difference.cause.deviation {
            Some(d) => format!(
                "{} (<a href=\"#{}\">{}</a>)",
                escape(&x.region.title),
                anchor(x.region.index, &d.id),
                escape(&d.id)
            ),
            None => escape(&x.region.title),
        })
        .collect();
    let _ = write!(out, "<span class=\"regel\">{}</span>", names.join(", "));
    out
}

/// A group's heading row: each region's cause, and the shared conditions.
fn group_heading(g: &Group) -> String {
    let mut out = String::from("<ul>");
    for (r, cause) in &g.causes {
        let mut line = format!("<b>{}</b>: ", escape(&r.title));
        if cause.id == "standard" || cause.id == "fel" {
            line.push_str(&escape(&cause.title));
        } else {
            let _ = write!(line, "{} {}", escape(&cause.id), escape(&cause.title));
        }
        if let Some(d) = &cause.deviation {
            let _ = write!(
                line,
                ", avsteg <a href=\"#{}\">{}</a>",
                anchor(r.index, &d.id),
                escape(&d.id)
            );
            if let Some(p) = &d.period {
                let _ = write!(line, ", gäller {}", escape(p));
            }
        }
        if !cause.location.is_empty() {
            let _ = write!(line, " {}", link(&cause.location));
        }
        let _ = write!(out, "<li>{line}</li>");
    }
    out.push_str("</ul>");
    if let Some(h) = g.shared.heading_text() {
        let _ = write!(out, "{}:", escape(&h));
    }
    out
}

/// A self-contained HTML page: audit, legend, table of contents, filters (decision, reader,
/// region), one table per decision with sticky headers and the situations grouped by cause,
/// the examples folded away, and each region's deviations with period and sources.
pub fn html(o: &Overview, audit: &Audit<'_>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>Nationell bild</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>Nationell bild: regionerna jämförda med {}</h1>\n<p>{} där minst en region avgör annorlunda än ramverket. Varje situation är exakt för varje region den nämner: varje begäran som uppfyller villkoren (utom där en namngiven regel avgör) avgörs av ramverket och av regionen som raden säger. Där flera regioner gör samma ändring i samma situation står den en gång.</p>\n",
        escape(&o.framework),
        count_situations(situations(o))
    );
    let _ = writeln!(
        out,
        "<p>Skapad {}. Jämförda regelverk:</p>\n<ol>",
        escape(audit.generated)
    );
    let titles = std::iter::once(&o.framework).chain(o.regions.iter().map(|r| &r.region.title));
    let labels = std::iter::once(audit.labels.framework)
        .chain(audit.labels.regions.iter().map(String::as_str));
    for ((title, label), hash) in titles.zip(labels).zip(audit.hashes) {
        let _ = writeln!(
            out,
            "<li>{} (<code>{}</code>), källornas hash <code>{}</code></li>",
            escape(title),
            escape(label),
            escape(hash)
        );
    }
    let _ = writeln!(out, "</ol>\n</header>");
    let _ = writeln!(
        out,
        "<div class=\"legend\" role=\"note\"><b>Teckenförklaring:</b>\
<span class=\"swatch visa\"></span>visa, verkställ\
<span class=\"swatch dölj\"></span>dölj, neka\
<span class=\"swatch annat\"></span>annat utfall\
<span class=\"swatch fel\"></span>fel: regelverket vägrar begäran (okänt värde, eller ett faktum som måste anges saknas)\
<br>Varje grupp börjar med de regioner och avsteg som orsakar den. Under ramverkets utfall står regeln som avgör, med fil:rad; \
under regionernas utfall står regionerna, med en länk till avsteget (motivering, källa, giltighet). \
<i>utom där N6 avgör</i>: begäranden som regeln N6 avgör i båda regelverken hör inte till situationen.</div>"
    );
    let _ = writeln!(out, "<nav aria-label=\"Innehåll\"><b>Innehåll:</b><ul>");
    for d in &o.decisions {
        let _ = writeln!(
            out,
            "<li><a href=\"#beslut-{0}\">{0}</a>: {1}</li>",
            escape(&d.decision),
            count_situations(d.situations())
        );
    }
    let _ = writeln!(
        out,
        "<li><a href=\"#avsteg\">Regionernas avsteg</a></li>\n<li><a href=\"#ramverket\">Ramverkets regler</a></li>\n</ul></nav>"
    );
    filters(&mut out, o);
    for d in &o.decisions {
        decision_html(&mut out, d);
    }
    deviations_html(&mut out, o, audit);
    framework_html(&mut out, o);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn filters(out: &mut String, o: &Overview) {
    let mut readers_all: Vec<String> = Vec::new();
    for row in o
        .decisions
        .iter()
        .flat_map(|d| &d.groups)
        .flat_map(|g| &g.rows)
    {
        for r in readers(row).split(' ').filter(|r| !r.is_empty()) {
            if !readers_all.iter().any(|x| x == r) {
                readers_all.push(r.to_owned());
            }
        }
    }
    let _ = write!(
        out,
        "<fieldset><legend>Filter</legend><label>Beslut <select id=\"f-beslut\"><option value=\"\">alla</option>"
    );
    for d in &o.decisions {
        let _ = write!(out, "<option>{}</option>", escape(&d.decision));
    }
    let _ = write!(
        out,
        "</select></label><label>Läsare <select id=\"f-lasare\"><option value=\"\">alla</option>"
    );
    for r in &readers_all {
        let _ = write!(out, "<option>{}</option>", escape(r));
    }
    let _ = write!(
        out,
        "</select></label><label>Region <select id=\"f-region\"><option value=\"\">alla</option>"
    );
    for info in &o.regions {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            info.region.index,
            escape(&info.region.title)
        );
    }
    let _ = writeln!(out, "</select></label></fieldset>");
}

fn decision_html(out: &mut String, d: &OverviewDecision) {
    let _ = writeln!(
        out,
        "<section class=\"beslut\" data-beslut=\"{0}\" id=\"beslut-{0}\">\n<h2>{0}: {1}</h2>",
        escape(&d.decision),
        count_situations(d.situations())
    );
    for note in &d.notes {
        let _ = writeln!(out, "<p>{}</p>", escape(note));
    }
    if d.groups.is_empty() {
        if d.notes.is_empty() {
            let _ = writeln!(out, "<p>Alla regioner avgör som ramverket.</p>");
        }
        let _ = writeln!(out, "</section>");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th class=\"nr\" scope=\"col\">#</th><th class=\"sit\" scope=\"col\">Situation</th>\
<th scope=\"col\">Ramverket</th><th class=\"rv\" scope=\"col\">Regionerna</th></tr></thead>"
    );
    let mut i = 0;
    for g in &d.groups {
        let _ = writeln!(
            out,
            "<tbody><tr class=\"orsak\"><td colspan=\"4\">{}</td></tr>",
            group_heading(g)
        );
        for row in &g.rows {
            i += 1;
            let regions: Vec<String> = row.regions().map(|x| x.region.index.to_string()).collect();
            let except = g.shared.rest_except_text(&row.first.difference.except);
            let example = &row.first.difference.example;
            let _ = write!(
                out,
                "<tr class=\"sit\" data-lasare=\"{}\" data-regioner=\"{}\"><td>{i}</td><td>{}",
                escape(&readers(row)),
                regions.join(" "),
                escape(&rest_conditions(g, row))
            );
            if !except.is_empty() {
                let _ = write!(out, "<br><span class=\"utom\">{}</span>", escape(&except));
            }
            let _ = write!(
                out,
                "<details><summary>exempel</summary><code>{}</code></details></td>",
                escape_text(&example.to_string())
            );
            let _ = writeln!(
                out,
                "<td class=\"{}\">{}</td><td class=\"{}\">{}</td></tr>",
                class(&row.national),
                national_cell(&d.decision, &row.national),
                class(&row.regional),
                regional_cell(row)
            );
        }
        let _ = writeln!(out, "</tbody>");
    }
    let _ = writeln!(out, "</table>\n</section>");
}

/// A row's conditions below the group's heading (no exceptions).
fn rest_conditions(g: &Group, row: &Row) -> String {
    let rest: Vec<&str> = g
        .shared
        .rest_conditions(&row.first.difference.conditions)
        .into_iter()
        .map(|c| c.text.as_str())
        .collect();
    if rest.is_empty() {
        "i alla dessa fall".to_owned()
    } else {
        rest.join(" och ")
    }
}

/// Each region's deviations: id, title, period, sources, place, and the motivering.
fn deviations_html(out: &mut String, o: &Overview, audit: &Audit<'_>) {
    let _ = writeln!(
        out,
        "<section id=\"avsteg\">\n<h2>Regionernas avsteg</h2>\n<p>Giltigheten läses mot begärans <code>datum</code>; <i>alltid</i> när källan inte anger någon tid.</p>"
    );
    for (info, label) in region_labels(o, &audit.labels) {
        let r = info.region.index;
        let _ = writeln!(
            out,
            "<h3>{} (<code>{}</code>)</h3>",
            escape(&info.region.title),
            escape(label)
        );
        let devs = &info.deviations;
        if devs.is_empty() {
            let _ = writeln!(out, "<p>Inga avsteg.</p>");
            continue;
        }
        let _ = writeln!(
            out,
            "<table><thead><tr><th scope=\"col\" style=\"width:22%\">Avsteg</th><th scope=\"col\" style=\"width:16%\">Gäller</th>\
<th scope=\"col\">Motivering</th><th scope=\"col\" style=\"width:24%\">Källor</th></tr></thead><tbody>"
        );
        for d in devs {
            let _ = writeln!(
                out,
                "<tr id=\"{}\"><td><b>{}</b> {}<br>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                anchor(r, &d.id),
                escape(&d.id),
                escape(&d.title),
                link(&d.location),
                escape(d.period.as_deref().unwrap_or("alltid")),
                escape(&d.motivering),
                escape(&d.sources.join("; "))
            );
        }
        let _ = writeln!(out, "</tbody></table>");
    }
    if !o.facts.is_empty() {
        let _ = writeln!(out, "<h3>Ändrade krav på fakta i en begäran</h3>\n<ul>");
        for f in &o.facts {
            let _ = writeln!(out, "<li>{}</li>", escape(&fact_text(f)));
        }
        let _ = writeln!(out, "</ul>");
    }
    if !o.texts.is_empty() {
        let _ = writeln!(out, "<h3>Ändrade texter</h3>\n<ul>");
        for (r, t) in &o.texts {
            let _ = writeln!(
                out,
                "<li>{}: {} {}<br>före: {}<br>efter: {}</li>",
                escape(&r.title),
                escape(&text_subject(t)),
                link(&t.location),
                escape(&t.before),
                escape(&t.after)
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

/// The framework's rules that decide some row: id, title, sources and place, each once.
fn framework_html(out: &mut String, o: &Overview) {
    let _ = writeln!(
        out,
        "<section id=\"ramverket\">\n<h2>Ramverkets regler</h2>\n<p>Reglerna i {} som avgör någon av situationerna ovan.</p>\n<table><thead><tr><th scope=\"col\" style=\"width:40%\">Regel</th><th scope=\"col\">Källor</th><th scope=\"col\" style=\"width:22%\">Plats</th></tr></thead><tbody>",
        escape(&o.framework)
    );
    let mut seen: Vec<String> = Vec::new();
    for d in &o.decisions {
        for row in d.groups.iter().flat_map(|g| &g.rows) {
            for r in &row.national.rules {
                let a = anchor_rule(&d.decision, &r.id);
                if seen.contains(&a) {
                    continue;
                }
                let title = if r.id == "standard" {
                    escape(&r.title)
                } else {
                    format!("<b>{}</b> {}", escape(&r.id), escape(&r.title))
                };
                let _ = writeln!(
                    out,
                    "<tr id=\"{a}\"><td>{title}</td><td>{}</td><td>{}</td></tr>",
                    escape(&r.sources.join("; ")),
                    link(&r.location)
                );
                seen.push(a);
            }
        }
    }
    let _ = writeln!(out, "</tbody></table>\n</section>");
}
