//! `regel fmt`: one canonical layout for rule files, written from the syntax tree.
//!
//! A file that does not parse is never formatted: its diagnostics are returned instead. Of a
//! file that parses, the tree is written back declaration by declaration (see `items`),
//! conditions broken over lines only when they do not fit (see `expr`), and every comment
//! is put back beside the node it was written at (see `comments`). The result parses to an
//! equal tree (spans aside), formatting it again changes nothing, and no comment is lost:
//! a comment that finds no place is an error, never dropped.

mod anchors;
mod comments;
mod expr;
mod items;
mod lines;

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::FileId;
use crate::syntax;

/// Formats the text of one rule file (`file` names it in diagnostics). The text should be
/// NFC-normalised, as [`crate::source::Sources`] holds it.
pub fn format_text(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let (tree, diagnostics) = syntax::parse_file(file, text);
    // Lowering may drop a clause written twice or stand in for an invalid literal: a
    // formatted file would then lose text. Only a file without syntax problems is written.
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut walk = anchors::Walk::default();
    walk.file(&tree);
    let comments = comments::attach(text, &walk.anchors);
    let mut printer = items::Printer {
        lines: lines::Lines::new(comments),
        text,
    };
    printer.file(&tree);
    printer.lines.finish().map_err(|lost| {
        let texts: Vec<String> = lost.into_iter().map(|c| c.text).collect();
        vec![
            Diagnostic::error(
                Code::Syntax,
                "formateraren hittade ingen plats för en kommentar",
                Span::new(file, 0, 0),
                "filen lämnas som den är",
            )
            .with_help(format!(
                "rapportera gärna felet med filen; kommentarerna: {}",
                texts.join(" ")
            )),
        ]
    })
}
