//! Going on after a syntax error, so one run reports every problem in every file.
//!
//! The broken part is blanked out (each character but line breaks replaced by spaces, so
//! every offset stays where it was) from the line of the error to the next line that starts
//! with a declaration keyword, and the text is parsed again. When the lines of the broken
//! declaration before the error do not parse on their own (the error line continues an
//! unfinished condition), the whole declaration is blanked. Lines before the error that do
//! parse stay in the tree, so a rule with a misspelt `om` keeps its name.
//!
//! The checker then sees a tree with parts missing. What it says about a skipped part
//! follows from the syntax error, not from the rules: [`is_follow_on`] tells such
//! diagnostics apart so they are not reported.

use super::ast::{File, Skipped};
use super::grammar::{self, Rule};
use super::{errors, lower};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::{FileId, Sources};

/// The most syntax errors reported for one file; after them the rest of the file is
/// skipped with a note.
const MAX_ERRORS: usize = 50;

/// The words that start a declaration at the left margin.
const DECLARATIONS: &[&str] = &[
    "regelverk",
    "typ",
    "fakta",
    "härledd",
    "beslut",
    "regel",
    "avsteg",
    "invariant",
    "exempel",
];

/// The declaration keyword a line starts with, if any.
fn declaration_keyword(line: &str) -> Option<&'static str> {
    let word: String = line
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    DECLARATIONS.iter().copied().find(|k| *k == word)
}

/// The declaration keyword a line at the left margin most likely starts with, when it is
/// misspelt (`regl N1 "…"`): the name after it is still what the line declares.
fn misspelt_declaration(line: &str) -> Option<&'static str> {
    let word: String = line
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if word.is_empty() || declaration_keyword(line).is_some() {
        return None;
    }
    let limit = (word.chars().count() / 3).max(1);
    DECLARATIONS
        .iter()
        .copied()
        .map(|k| (strsim::levenshtein(&word, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// The byte offsets where lines start.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

/// The start of the line `pos` is on.
fn line_start(text: &str, pos: usize) -> usize {
    text.get(..pos)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Replaces every character in `range` but line breaks with spaces of the same length.
fn blank(text: &mut String, from: usize, to: usize) {
    let Some(part) = text.get(from..to) else {
        return;
    };
    let spaces: String = part
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(from..to, &spaces);
}

/// What to skip for an error at `pos`.
struct Part {
    /// The declaration the error is in (or the error's line, between declarations).
    declaration: usize,
    /// Where blanking starts.
    from: usize,
    /// The next declaration (or the end of the text).
    to: usize,
}

fn part(text: &str, pos: usize) -> Part {
    let error_line = line_start(text, pos);
    let is_declaration = |s: &usize| {
        text.get(*s..)
            .is_some_and(|l| declaration_keyword(l).is_some())
    };
    let before = text.get(..error_line).unwrap_or("");
    // An error at the keyword of a declaration: the one before it is unfinished
    // (`härledd c = (a och b` followed by `härledd d = a`).
    if pos == error_line && is_declaration(&error_line) && !grammar::parses(before) {
        let declaration = line_starts(text)
            .take_while(|s| *s < error_line)
            .filter(is_declaration)
            .last()
            .unwrap_or(0);
        let last_line = line_starts(text)
            .take_while(|s| *s < error_line)
            .filter(|s| {
                text.get(*s..error_line)
                    .is_some_and(|l| !l.trim().is_empty())
            })
            .last()
            .unwrap_or(declaration);
        let keep = last_line > declaration && text.get(..last_line).is_some_and(grammar::parses);
        return Part {
            declaration,
            from: if keep { last_line } else { declaration },
            to: error_line,
        };
    }
    let declaration = line_starts(text)
        .take_while(|s| *s <= error_line)
        .filter(is_declaration)
        .last()
        .unwrap_or(error_line);
    let to = line_starts(text)
        .filter(|s| *s > error_line)
        .find(is_declaration)
        .unwrap_or(text.len());
    // Keep the lines before the error when they parse: a rule keeps its name and sources.
    let from = if error_line > declaration && grammar::parses(before) {
        error_line
    } else {
        declaration
    };
    Part {
        declaration,
        from,
        to,
    }
}

/// What a skipped part declares, read from its first line: `fakta NAME`, `regel ID`, …
fn skipped(file: FileId, original: &str, part: &Part) -> Skipped {
    let line = original.get(part.from..).unwrap_or("");
    let misspelt = misspelt_declaration(line);
    let keyword = (part.from == part.declaration)
        .then(|| declaration_keyword(line))
        .flatten()
        .or(misspelt);
    let declares = keyword.and_then(|k| {
        // After the keyword as written, which a misspelt one is not.
        let rest = line
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
            .trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
            .collect();
        let name = name.trim_end_matches('.').to_owned();
        (!name.is_empty() && k != "regelverk").then_some(name)
    });
    // A misspelt keyword starts a declaration of its own, not the one before it.
    let start = if misspelt.is_some() {
        part.from
    } else {
        part.declaration
    };
    Skipped {
        span: Span::new(file, offset(start), offset(part.to)),
        declares,
        header: keyword == Some("regelverk"),
    }
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reports `error` and every later one, skipping each broken part, and lowers what parses.
pub(super) fn recover(
    file: FileId,
    text: &str,
    first: pest::error::Error<Rule>,
) -> (File, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut skips = Vec::new();
    let mut blanked = text.to_owned();
    let mut error = first;
    loop {
        let diagnostic = errors::parse_error(&error, file, &blanked);
        let pos = diagnostic.primary.span.start as usize;
        diagnostics.push(diagnostic);
        let mut part = part(&blanked, pos);
        // Blanking nothing but spaces would meet the same error again.
        if blanked
            .get(part.from..part.to)
            .is_none_or(|p| p.trim().is_empty())
        {
            part.from = part.declaration;
        }
        let nothing_left = blanked
            .get(part.from..part.to)
            .is_none_or(|p| p.trim().is_empty());
        if nothing_left || diagnostics.len() >= MAX_ERRORS {
            if !nothing_left {
                diagnostics.push(too_many(file, part.from));
            }
            part.to = blanked.len();
            skips.push(skipped(file, text, &part));
            return (
                File {
                    items: Vec::new(),
                    skipped: skips,
                },
                diagnostics,
            );
        }
        skips.push(skipped(file, text, &part));
        blank(&mut blanked, part.from, part.to);
        match grammar::parse(&blanked) {
            Ok(pairs) => {
                let (mut tree, mut found) = lower::lower_file(file, pairs);
                tree.skipped = skips;
                diagnostics.append(&mut found);
                return (tree, diagnostics);
            }
            Err(next) => error = next,
        }
    }
}

fn too_many(file: FileId, at: usize) -> Diagnostic {
    let span = Span::new(file, offset(at), offset(at));
    Diagnostic::error(
        Code::Syntax,
        format!("fler än {MAX_ERRORS} syntaxfel: resten av filen läses inte"),
        span,
        "härifrån",
    )
    .with_help("rätta felen ovan och kör igen")
}

/// Whether a diagnostic of the checker follows from a skipped part rather than from the
/// rules: it points into the skipped part (a rule missing the `om` that was skipped), or it
/// names a name that a skipped declaration declares (a use of a fact whose declaration had
/// a syntax error), or the skipped part held the header, without which a region's national
/// names are all unknown.
pub fn is_follow_on(diagnostic: &Diagnostic, skipped: &[&Skipped], sources: &Sources) -> bool {
    if diagnostic.code == Code::Syntax || skipped.is_empty() {
        return false;
    }
    let span = diagnostic.primary.span;
    let inside = skipped.iter().any(|s| {
        s.span.file == span.file && s.span.start <= span.start && span.start < s.span.end.max(1)
    });
    let unknown = matches!(
        diagnostic.code,
        Code::UnknownName | Code::UnknownValue | Code::UnknownNationalRule
    );
    let named = unknown
        && sources.slice(span).is_some_and(|used| {
            skipped
                .iter()
                .filter_map(|s| s.declares.as_deref())
                .any(|declared| declared == used)
        });
    let headless = unknown && skipped.iter().any(|s| s.header);
    inside || named || headless
}
