//! The formatter's output: lines with their indentation, and the comments that go before
//! and after each one.

use super::comments::{Attached, Comment, Comments};
use crate::diagnostic::Span;

/// The widest a line of conditions may be (in characters) before `och`/`eller` break it.
pub(super) const WIDTH: usize = 80;

#[derive(Debug, Default)]
struct Line {
    indent: usize,
    text: String,
    blank_before: bool,
    before: Vec<Comment>,
    after: Vec<Comment>,
}

/// Lines being written, and the comments still to place.
pub(super) struct Lines {
    lines: Vec<Line>,
    comments: Comments,
}

impl Lines {
    pub fn new(comments: Comments) -> Lines {
        Lines {
            lines: Vec::new(),
            comments,
        }
    }

    /// Starts a new line at `indent`.
    pub fn line(&mut self, indent: usize) {
        self.lines.push(Line {
            indent,
            ..Line::default()
        });
    }

    /// Marks the current line as following an empty line.
    pub fn blank_before(&mut self) {
        if let Some(line) = self.lines.last_mut() {
            line.blank_before = true;
        }
    }

    fn current(&mut self) -> &mut Line {
        if self.lines.is_empty() {
            self.line(0);
        }
        // INVARIANT: a line was just pushed if there was none.
        let last = self.lines.len() - 1;
        #[expect(
            clippy::indexing_slicing,
            reason = "`last` indexes the non-empty vector"
        )]
        &mut self.lines[last]
    }

    pub fn write(&mut self, text: &str) {
        self.current().text.push_str(text);
    }

    /// Removes spaces at the end of the current line.
    pub fn trim_end(&mut self) {
        let line = self.current();
        let len = line.text.trim_end().len();
        line.text.truncate(len);
    }

    /// The column (in characters) where the next text on the current line goes.
    pub fn column(&mut self) -> usize {
        let line = self.current();
        line.indent + line.text.chars().count()
    }

    /// The comments hung on the node with this span, if it has any left.
    pub fn peek(&self, span: Span) -> Option<&Attached> {
        self.comments.attached.get(&(span.start, span.end))
    }

    /// Enters a node: its comments before the line it starts on. Empty lines between
    /// comments are kept only between declarations (`top`).
    pub fn enter(&mut self, span: Span, top: bool) {
        if let Some(attached) = self.comments.attached.get_mut(&(span.start, span.end)) {
            let mut leading = std::mem::take(&mut attached.leading);
            if !top {
                leading.iter_mut().for_each(|c| c.blank_before = false);
            }
            self.current().before.extend(leading);
        }
    }

    /// Leaves a node: its comments after the line it ends on.
    pub fn leave(&mut self, span: Span) {
        if let Some(attached) = self.comments.attached.remove(&(span.start, span.end)) {
            self.place(attached);
        }
    }

    fn place(&mut self, attached: Attached) {
        let Attached {
            mut leading,
            trailing,
        } = attached;
        leading.iter_mut().for_each(|c| c.blank_before = false);
        self.current().before.extend(leading);
        self.current().after.extend(trailing);
    }

    /// Places every comment hung on a node inside `span` that was written on one line
    /// without entering it.
    pub fn drain(&mut self, span: Span) {
        let inside: Vec<(u32, u32)> = self
            .comments
            .attached
            .keys()
            .filter(|(s, e)| *s >= span.start && *e <= span.end)
            .copied()
            .collect();
        let mut inside = inside;
        inside.sort_unstable();
        for key in inside {
            if let Some(attached) = self.comments.attached.remove(&key) {
                self.place(attached);
            }
        }
    }

    /// The text, or the comments that found no place (a bug: nothing may be lost).
    pub fn finish(mut self) -> Result<String, Vec<Comment>> {
        let mut lost: Vec<Comment> = self
            .comments
            .attached
            .drain()
            .flat_map(|(_, a)| a.leading.into_iter().chain(a.trailing))
            .collect();
        if !lost.is_empty() {
            lost.sort_by(|a, b| a.text.cmp(&b.text));
            return Err(lost);
        }
        let mut out = String::new();
        let mut first = true;
        let blank = |out: &mut String, wanted: bool, first: &mut bool| {
            if wanted && !*first {
                out.push('\n');
            }
            *first = false;
        };
        for line in &self.lines {
            let pad = " ".repeat(line.indent);
            for c in &line.before {
                blank(&mut out, c.blank_before, &mut first);
                out.push_str(&pad);
                out.push_str(&c.text);
                out.push('\n');
            }
            blank(&mut out, line.blank_before, &mut first);
            out.push_str(&pad);
            out.push_str(&line.text);
            for c in &line.after {
                out.push_str("  ");
                out.push_str(&c.text);
            }
            out.push('\n');
        }
        for c in &self.comments.end {
            blank(&mut out, c.blank_before, &mut first);
            out.push_str(&c.text);
            out.push('\n');
        }
        Ok(out)
    }
}
