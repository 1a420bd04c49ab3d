//! Comments are not in the syntax tree, so the formatter finds them in the text and hangs
//! each one on a node of the tree (an "anchor": a declaration, a clause, an operand of
//! `och`/`eller`, an example's fact). A comment on a line of its own goes before the next
//! anchor; a comment after code goes at the end of the line where the code before it ends.

use std::collections::HashMap;

/// A comment as written: its text from `#` to the end of the line, without trailing spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Comment {
    pub text: String,
    /// A blank line separates it from what came before (kept between declarations only).
    pub blank_before: bool,
}

/// A comment found in the text.
struct Found {
    start: usize,
    end: usize,
    /// Nothing but spaces before it on its line.
    own_line: bool,
    comment: Comment,
}

/// A node comments can hang on: its byte range in the text and how deep it is in the tree.
#[derive(Clone, Copy, Debug)]
pub(super) struct Anchor {
    pub start: u32,
    pub end: u32,
    pub depth: u32,
}

/// The comments hung on one anchor.
#[derive(Clone, Debug, Default)]
pub(super) struct Attached {
    /// Printed on lines of their own before the line where the anchor starts.
    pub leading: Vec<Comment>,
    /// Printed after the line where the anchor ends.
    pub trailing: Vec<Comment>,
}

/// Every comment of a file, hung on anchors by their byte range.
#[derive(Debug, Default)]
pub(super) struct Comments {
    pub attached: HashMap<(u32, u32), Attached>,
    /// Comments after the last declaration.
    pub end: Vec<Comment>,
}

/// Whether the text between two offsets holds an empty line.
pub(super) fn blank_line_before(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or("");
    let spaces = before.len() - before.trim_end().len();
    let gap = before.get(before.len() - spaces..).unwrap_or("");
    !before.trim_end().is_empty() && gap.matches('\n').count() >= 2
}

/// The comments of a text, in order. A `#` inside quotes is text, not a comment.
fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => {
                let end = text
                    .get(i..)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(text.len(), |n| i + n);
                let line_start = text
                    .get(..i)
                    .and_then(|b| b.rfind('\n'))
                    .map_or(0, |n| n + 1);
                let own_line = text.get(line_start..i).is_some_and(|b| b.trim().is_empty());
                found.push(Found {
                    start: i,
                    end,
                    own_line,
                    comment: Comment {
                        text: text.get(i..end).unwrap_or("#").trim_end().to_owned(),
                        blank_before: blank_line_before(text, i),
                    },
                });
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    found
}

/// Hangs every comment of `text` on one of `anchors`.
pub(super) fn attach(text: &str, anchors: &[Anchor]) -> Comments {
    let mut comments = Comments::default();
    for found in find(text) {
        let (start, end) = (offset(found.start), offset(found.end));
        let trailing = (!found.own_line)
            .then(|| {
                anchors
                    .iter()
                    .filter(|a| {
                        a.end <= start
                            && text
                                .get(a.end as usize..found.start)
                                .is_some_and(|between| !between.contains('\n'))
                    })
                    .max_by_key(|a| (a.end, a.depth))
            })
            .flatten();
        if let Some(a) = trailing {
            let slot = comments.attached.entry((a.start, a.end)).or_default();
            slot.trailing.push(found.comment);
            continue;
        }
        // The innermost anchor around the comment, and the first anchor after it inside
        // that one: a comment never leaves the declaration it is written in.
        let around = anchors
            .iter()
            .filter(|a| a.start < start && a.end > start)
            .max_by_key(|a| a.depth);
        let next = anchors
            .iter()
            .filter(|a| a.start >= end)
            .filter(|a| around.is_none_or(|p| a.depth > p.depth && a.start < p.end))
            .min_by_key(|a| (a.start, a.depth));
        match next.or(around) {
            Some(a) => comments
                .attached
                .entry((a.start, a.end))
                .or_default()
                .leading
                .push(found.comment),
            None => comments.end.push(found.comment),
        }
    }
    comments
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "tests fail by panicking")]
    use super::*;

    #[test]
    fn a_hash_in_quotes_is_text() {
        let found = find("källa \"a # b\" # c\n# d");
        let texts: Vec<&str> = found.iter().map(|f| f.comment.text.as_str()).collect();
        assert_eq!(texts, ["# c", "# d"]);
        assert!(!found[0].own_line);
        assert!(found[1].own_line);
    }

    #[test]
    fn blank_lines_are_seen() {
        assert!(blank_line_before("a\n\n# x", 3));
        assert!(!blank_line_before("a\n# x", 2));
        assert!(!blank_line_before("\n\n# x", 2));
    }
}
