//! A region's "Avsteg från ramverket", generated: every deviation with its motivering and
//! sources, and the decisions it changes.

use super::diff::{code, md, md_side, side_text};
use crate::diff::DeviationRef;
use crate::diff::deviations::Attributed;
use serde_json::{Value as Json, json};
use std::fmt::Write;

fn heading(a: &Attributed<'_>) -> (String, String) {
    match &a.deviation {
        Some(d) => (
            format!("{} \"{}\" ({})", d.id, d.title, a.change),
            d.location.clone(),
        ),
        None => (
            "Skillnader som inget avsteg förklarar".to_owned(),
            String::new(),
        ),
    }
}

/// `från och med 2022-03-01 till och med …`, or `alltid` (the framework is changed on every
/// day).
fn period(d: &DeviationRef) -> String {
    d.period.clone().unwrap_or_else(|| "alltid".to_owned())
}

/// A `tolkning` as the listing shows it: what it is written on, the text, and where.
pub struct Interpretation {
    pub on: String,
    pub text: String,
    pub location: String,
}

/// Text: every interpretation the ruleset makes, after the deviations.
pub fn interpretations_text(list: &[Interpretation]) -> String {
    let mut out = String::new();
    let _ = writeln!(out);
    let _ = writeln!(out, "Tolkningar ({})", list.len());
    for i in list {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} {}", i.on, i.location);
        let _ = writeln!(out, "  {}", i.text);
    }
    out
}

/// Markdown: every interpretation the ruleset makes, after the deviations.
pub fn interpretations_markdown(list: &[Interpretation]) -> String {
    let mut out = String::new();
    let _ = writeln!(out);
    let _ = writeln!(out, "### Tolkningar");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Där källorna är tysta eller tvetydiga gör regelfilerna ett val. Varje val står här, med regeln det gäller."
    );
    for (n, i) in list.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}. {} ({})", n + 1, md(&i.on), code(&i.location));
        let _ = writeln!(out, "   > {}", md(&i.text));
    }
    out
}

/// JSON: the interpretations.
pub fn interpretations_json(list: &[Interpretation]) -> Json {
    json!(
        list.iter()
            .map(|i| json!({"gäller": i.on, "tolkning": i.text, "plats": i.location}))
            .collect::<Vec<_>>()
    )
}

/// Text for people.
pub fn text(region: &str, base: &str, groups: &[Attributed<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Avsteg från ramverket: {region}");
    let _ = writeln!(out, "(jämfört med {base})");
    for a in groups {
        let (title, location) = heading(a);
        let _ = writeln!(out);
        let _ = writeln!(out, "{title} {location}");
        if let Some(d) = &a.deviation {
            let _ = writeln!(out, "  gäller: {}", period(d));
            let _ = writeln!(out, "  motivering: {}", d.motivering);
            let _ = writeln!(out, "  källor: {}", d.sources.join("; "));
        }
        if a.differences.is_empty() {
            let _ = writeln!(out, "  ändrar inget beslut på egen hand");
            continue;
        }
        for (i, (decision, x)) in a.differences.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {decision}: {}: {}",
                i + 1,
                x.situation_text(),
                x.change_text()
            );
            for (label, s) in ["nationellt:", "regionen:  "].iter().zip(&x.sides) {
                let _ = writeln!(out, "     {label} {}", side_text(s));
            }
            let _ = writeln!(out, "     exempel: {}", x.example);
        }
    }
    out
}

/// Markdown: the region's deviation document.
pub fn markdown(region: &str, base: &str, groups: &[Attributed<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Avsteg från ramverket: {}", md(region));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Genererat av `regel deviations` ur regelfilerna, jämfört med {}.",
        md(base)
    );
    for a in groups {
        let (title, location) = heading(a);
        let _ = writeln!(out);
        let _ = writeln!(out, "### {}", md(&title));
        let _ = writeln!(out);
        if let Some(d) = &a.deviation {
            let _ = writeln!(out, "> {}", md(&d.motivering));
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Gäller {}. Källor: {}. Skrivet i {}.",
                md(&period(d)),
                md(&d.sources.join("; ")),
                code(&location)
            );
            let _ = writeln!(out);
        }
        if a.differences.is_empty() {
            let _ = writeln!(out, "Ändrar inget beslut på egen hand.");
            continue;
        }
        for (i, (decision, x)) in a.differences.iter().enumerate() {
            let conditions: Vec<String> = std::iter::once(x.situation_text())
                .map(|c| code(&c))
                .collect();
            let _ = writeln!(
                out,
                "{}. {}: **{}** när {}",
                i + 1,
                code(decision),
                md(&x.change_text()),
                conditions.join("")
            );
            for (label, s) in ["nationellt", "regionen"].iter().zip(&x.sides) {
                let _ = writeln!(out, "   - {label}: {}", md_side(s));
            }
            let _ = writeln!(out, "   - exempel: {}", code(&x.example.to_string()));
        }
    }
    out
}

/// JSON for tools.
pub fn json(region: &str, base: &str, groups: &[Attributed<'_>]) -> Json {
    json!({
        "region": region,
        "bygger_på": base,
        "avsteg": groups.iter().map(|a| json!({
            "avsteg": a.deviation,
            "ändring": a.change,
            "skillnader": a.differences.iter().map(|(d, x)| json!({"beslut": d, "skillnad": x})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
