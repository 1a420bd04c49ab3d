//! The checker's terms in the protocol's: spans to ranges, diagnostics, hover text and
//! completion items.

use super::index::{Index, Symbol};
use super::paths;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::source::Sources;
use lsp_types::{
    CompletionItem, CompletionItemKind, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range,
};

pub fn range(span: Span, sources: &Sources) -> Range {
    let file = sources.file(span.file);
    let start = file.utf16_position(span.start);
    let end = file.utf16_position(span.end);
    Range {
        start: Position::new(start.line, start.character),
        end: Position::new(end.line, end.character),
    }
}

pub fn location(span: Span, sources: &Sources) -> Option<Location> {
    let path = paths::absolute(&sources.file(span.file).name);
    Some(Location {
        uri: paths::uri_of(&path)?,
        range: range(span, sources),
    })
}

/// The position just after the last character of a text.
pub fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count();
    let last = text.rsplit('\n').next().unwrap_or("");
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(last.encode_utf16().count()).unwrap_or(u32::MAX),
    )
}

/// A diagnostic as `regel check` says it: code, message, the help line and notes below it,
/// and the other places that matter.
pub fn diagnostic(d: &Diagnostic, sources: &Sources) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        message.push_str(&format!(" ({})", d.primary.message));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhjälp: {help}"));
    }
    for note in &d.notes {
        message.push_str(&format!("\n{note}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: location(label.span, sources)?,
                message: label.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(d.primary.span, sources),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some("regel".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

/// The comment lines right above a declaration, without a blank line between: a section's
/// heading further up is not the declaration's comment. Rulers (`# ----`) are left out.
fn comment_above(sources: &Sources, span: Span) -> String {
    let text = &sources.file(span.file).text;
    let before = text.get(..span.start as usize).unwrap_or("");
    let above = before
        .trim_end_matches([' ', '\t'])
        .strip_suffix('\n')
        .unwrap_or("");
    if above.ends_with('\n') || above.is_empty() {
        return String::new();
    }
    let mut lines: Vec<&str> = above
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with('#'))
        .map(|l| l.trim_start().trim_start_matches('#').trim())
        .filter(|l| !l.chars().all(|c| matches!(c, '-' | '=' | '*')) || l.is_empty())
        .collect();
    lines.reverse();
    lines.join("\n")
}

/// Hover text: the declaration as written, with its comment and where it is.
pub fn describe(symbol: &Symbol, index: &Index, sources: &Sources) -> Option<String> {
    let declarations: Vec<_> = index.of(symbol).filter(|o| o.declaration).collect();
    match symbol {
        Symbol::Group(name) => {
            return Some(format!(
                "grupp `{name}`: {} regler går med i gruppen",
                declarations.len()
            ));
        }
        Symbol::Reason(name) => {
            let uses = index.of(symbol).count();
            return Some(format!("skäl `{name}`, används {uses} gånger"));
        }
        _ => {}
    }
    let mut parts = Vec::new();
    for d in declarations {
        let item = d.item?;
        let text = sources.slice(item)?;
        let (line, _) = sources.line_col(item.file, item.start);
        let file = &sources.file(item.file).name;
        let mut part = format!("```regel\n{text}\n```\n");
        let comment = comment_above(sources, item);
        if !comment.is_empty() {
            part.push_str(&format!("\n{comment}\n"));
        }
        part.push_str(&format!("\n*{file}:{line}*"));
        parts.push(part);
    }
    (!parts.is_empty()).then(|| parts.join("\n\n---\n\n"))
}

const KEYWORDS: &[&str] = &[
    "regelverk",
    "bygger på",
    "typ",
    "fakta",
    "härledd",
    "beslut",
    "utfall",
    "standard",
    "skäl",
    "regel",
    "källa",
    "grupp",
    "går före",
    "om",
    "då",
    "avsteg",
    "motivering",
    "ersätter regel",
    "ersätter beslut",
    "stryker regel",
    "ny regel",
    "omdefinierar",
    "utökar",
    "invariant",
    "alltid",
    "aldrig",
    "när",
    "exempel",
    "förväntat",
    "och",
    "eller",
    "inte",
    "sant",
    "falskt",
    "ålder",
    "tolkning",
    "gäller från",
    "gäller till och med",
    "kräver",
    "kan saknas",
    "finns",
    "saknas",
    "visas från",
    "(läses av regioner)",
];

fn items(
    names: impl IntoIterator<Item = String>,
    kind: CompletionItemKind,
    detail: &str,
) -> Vec<CompletionItem> {
    names
        .into_iter()
        .map(|label| CompletionItem {
            label,
            kind: Some(kind),
            detail: Some(detail.to_owned()),
            ..CompletionItem::default()
        })
        .collect()
}

/// What may be written after `before` (the line up to the cursor): rule ids after `går
/// före`, decisions after `beslut`, values after `=`, otherwise facts and keywords.
pub fn completions(before: &str, index: &Index) -> Vec<CompletionItem> {
    let words: Vec<&str> = before.split_whitespace().collect();
    let typing = !before.ends_with(char::is_whitespace);
    // The word being typed does not say what is wanted; the one before it does.
    let previous = if typing {
        words.iter().rev().nth(1)
    } else {
        words.last()
    };
    let facts = || items(index.names(as_fact), CompletionItemKind::VARIABLE, "faktum");
    let values = || {
        items(
            index.names(as_value),
            CompletionItemKind::ENUM_MEMBER,
            "värde",
        )
    };
    let rules = || items(index.names(as_rule), CompletionItemKind::FUNCTION, "regel");
    let decisions = || {
        items(
            index.names(as_decision),
            CompletionItemKind::MODULE,
            "beslut",
        )
    };
    let groups = || items(index.names(as_group), CompletionItemKind::FOLDER, "grupp");
    let keywords = || {
        items(
            KEYWORDS.iter().map(|k| (*k).to_owned()),
            CompletionItemKind::KEYWORD,
            "nyckelord",
        )
    };
    match previous.copied() {
        Some("före" | "regel") => [rules(), groups()].concat(),
        Some("beslut") => decisions(),
        Some("grupp") => groups(),
        Some("=" | "≠" | "!=") => [values(), facts()].concat(),
        Some(w) if w.ends_with('{') || w.ends_with(',') => values(),
        _ => [facts(), keywords()].concat(),
    }
}

fn as_fact(s: &Symbol) -> Option<&str> {
    matches!(s, Symbol::Fact(_)).then(|| super::symbol_name(s))
}
fn as_value(s: &Symbol) -> Option<&str> {
    matches!(s, Symbol::Value(_)).then(|| super::symbol_name(s))
}
fn as_rule(s: &Symbol) -> Option<&str> {
    matches!(s, Symbol::Rule(_)).then(|| super::symbol_name(s))
}
fn as_decision(s: &Symbol) -> Option<&str> {
    matches!(s, Symbol::Decision(_)).then(|| super::symbol_name(s))
}
fn as_group(s: &Symbol) -> Option<&str> {
    matches!(s, Symbol::Group(_)).then(|| super::symbol_name(s))
}
