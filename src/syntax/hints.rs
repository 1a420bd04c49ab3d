//! Hints for the mistakes people make, tried before the general "förväntade …" message:
//! English keywords (`and` → `och`), a unit after an age (`>= 18 år`), and a text where a
//! clause keyword belongs (a `källa` without its keyword).

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::FileId;

/// English words people write for the language's keywords.
const ENGLISH: &[(&str, &str)] = &[
    ("and", "och"),
    ("or", "eller"),
    ("not", "inte"),
    ("if", "om"),
    ("then", "då"),
    ("when", "när"),
    ("true", "sant"),
    ("false", "falskt"),
    ("in", "i"),
    ("rule", "regel"),
    ("source", "källa"),
];

const UNITS: &[&str] = &["år", "dag", "dagar", "månad", "månader"];

fn span(file: FileId, start: usize, end: usize) -> Span {
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span::new(file, at(start), at(end))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The word starting at `pos`, if one does.
fn word_at(text: &str, pos: usize) -> Option<&str> {
    let rest = text.get(pos..)?;
    let len = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
    rest.get(..len).filter(|w| !w.is_empty())
}

/// The word just before `pos` (spaces between), with where it starts.
fn word_before(text: &str, pos: usize) -> Option<(usize, &str)> {
    let before = text.get(..pos)?.trim_end_matches([' ', '\t']);
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map(|(i, _)| i)?;
    Some((start, before.get(start..)?))
}

/// Tries every hint for a parse that failed at `pos`.
pub(super) fn hint(text: &str, pos: usize, file: FileId, wants_clause: bool) -> Option<Diagnostic> {
    english(text, pos, file)
        .or_else(|| unit_after_age(text, pos, file))
        .or_else(|| text_without_keyword(text, pos, file, wants_clause))
}

/// `and`, `or`, `not`, `if`, `then`: at the error, or just before it (`om not a` reads
/// `not` as a name and fails at `a`).
fn english(text: &str, pos: usize, file: FileId) -> Option<Diagnostic> {
    let at = word_at(text, pos).map(|w| (pos, w));
    let candidates = at.into_iter().chain(word_before(text, pos));
    for (start, word) in candidates {
        if let Some((english, swedish)) = ENGLISH.iter().find(|(e, _)| e.eq_ignore_ascii_case(word))
        {
            return Some(
                Diagnostic::error(
                    Code::Syntax,
                    format!("`{word}` är engelska: regelspråket skrivs på svenska"),
                    span(file, start, start + english.len()),
                    format!("här står `{word}`"),
                )
                .with_help(format!("menade du `{swedish}`?")),
            );
        }
    }
    None
}

/// `patient.ålder >= 18 år`: an age is a number of years already.
fn unit_after_age(text: &str, pos: usize, file: FileId) -> Option<Diagnostic> {
    let unit = word_at(text, pos).filter(|w| UNITS.contains(w))?;
    let (number_start, number) = word_before(text, pos)?;
    if !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let before = text.get(..number_start)?.trim_end();
    let op = ["<=", ">=", "!=", "≤", "≥", "≠", "<", ">", "="]
        .into_iter()
        .find(|op| before.ends_with(op))?;
    let left = before.get(..before.len() - op.len())?.trim_end();
    let name_start = left
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c) || *c == '.' || *c == ')')
        .last()
        .map_or(left.len(), |(i, _)| i);
    let name = left.get(name_start..).unwrap_or("");
    let fixed = if name.is_empty() {
        format!("{op} {number}")
    } else {
        format!("{name} {op} {number}")
    };
    Some(
        Diagnostic::error(
            Code::Syntax,
            format!("`{number} {unit}`: en ålder jämförs med ett tal, utan enhet"),
            span(file, number_start, pos + unit.len()),
            "talet räknas redan i år",
        )
        .with_help(format!("skriv bara talet: `{fixed}`")),
    )
}

/// A text on its own where a clause belongs: most often a `källa` without its keyword.
fn text_without_keyword(
    text: &str,
    pos: usize,
    file: FileId,
    wants_clause: bool,
) -> Option<Diagnostic> {
    if !wants_clause || !text.get(pos..)?.starts_with('"') {
        return None;
    }
    let rest = text.get(pos + 1..)?;
    let end = rest
        .find(['"', '\n'])
        .map_or(text.len(), |n| pos + 1 + n + 1);
    let written = text.get(pos..end).unwrap_or("\"");
    Some(
        Diagnostic::error(
            Code::Syntax,
            "en text utan nyckelord",
            span(file, pos, end),
            "vad är texten?",
        )
        .with_help(format!(
            "menade du `källa {written}`? en källa och en motivering skrivs med sitt nyckelord först"
        )),
    )
}
