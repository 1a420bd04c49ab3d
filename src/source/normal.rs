//! NFC normalisation that remembers where each piece of the normalised text came from, so a
//! span in the text the parser reads can be shown where it is in the file as written (a
//! file saved with decomposed characters, `a` + ring, is one byte longer per `å`: without
//! the map, every location after it would drift to the right, and onto later lines).
//!
//! The text is cut before every character that never combines with what precedes it (a
//! starter whose NFC quick check is "yes"); normalisation never reaches across such a cut,
//! so each piece is normalised on its own and the normalised text is the pieces joined.
//! Only the pieces that change are recorded.

use std::ops::Range;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// One piece of text that normalisation changed: its range in the normalised text and in
/// the text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Change {
    nfc: Range<usize>,
    written: Range<usize>,
}

/// Where the pieces of a normalised text are in the text as written.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    /// INVARIANT: in text order, not overlapping, each range non-empty, on character
    /// boundaries of both texts.
    changes: Vec<Change>,
}

/// Which way an offset inside a changed piece moves: to the piece's start (where a span
/// starts) or its end (where a span ends), so a span always covers what it covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Start,
    End,
}

impl OffsetMap {
    /// The text normalised to NFC, and the map back to `written`; `None` for the map when
    /// `written` is already normalised (the common case, checked quickly).
    pub fn normalize(written: &str) -> (String, Option<OffsetMap>) {
        if is_nfc_quick(written.chars()) == IsNormalized::Yes {
            return (written.to_owned(), None);
        }
        let mut text = String::with_capacity(written.len());
        let mut map = OffsetMap::default();
        let mut piece_start = 0;
        let cuts = written
            .char_indices()
            .filter(|&(i, c)| i > 0 && never_combines_backwards(c))
            .map(|(i, _)| i)
            .chain(std::iter::once(written.len()));
        for cut in cuts {
            let Some(piece) = written.get(piece_start..cut) else {
                continue;
            };
            let start = text.len();
            text.extend(piece.nfc());
            if text.get(start..) != Some(piece) {
                map.changes.push(Change {
                    nfc: start..text.len(),
                    written: piece_start..cut,
                });
            }
            piece_start = cut;
        }
        if map.changes.is_empty() {
            (text, None)
        } else {
            (text, Some(map))
        }
    }

    /// The offset in the text as written of an offset in the normalised text.
    pub fn to_written(&self, offset: usize, side: Side) -> usize {
        self.map(offset, side, |c| (&c.nfc, &c.written))
    }

    /// The offset in the normalised text of an offset in the text as written.
    pub fn to_nfc(&self, offset: usize, side: Side) -> usize {
        self.map(offset, side, |c| (&c.written, &c.nfc))
    }

    fn map(
        &self,
        offset: usize,
        side: Side,
        ends: impl Fn(&Change) -> (&Range<usize>, &Range<usize>),
    ) -> usize {
        // The last change that starts at or before the offset.
        let after = self.changes.partition_point(|c| ends(c).0.start <= offset);
        let Some(change) = after.checked_sub(1).and_then(|i| self.changes.get(i)) else {
            return offset;
        };
        let (from, to) = ends(change);
        if offset == from.start {
            to.start
        } else if offset < from.end {
            match side {
                Side::Start => to.start,
                Side::End => to.end,
            }
        } else {
            to.end + (offset - from.end)
        }
    }
}

/// Whether normalisation can never join `c` to the characters before it: a starter
/// (combining class 0) that is never the second part of a composition.
fn never_combines_backwards(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail by panicking")]
    use super::*;

    #[test]
    fn normalised_text_needs_no_map() {
        let (text, map) = OffsetMap::normalize("fakta åäö: datum");
        assert_eq!(text, "fakta åäö: datum");
        assert!(map.is_none());
    }

    #[test]
    fn decomposed_characters_map_back_to_where_they_were_written() {
        let written = "fakta a\u{30a}a\u{308}o\u{308}: datum";
        let (text, map) = OffsetMap::normalize(written);
        assert_eq!(text, "fakta åäö: datum");
        assert_eq!(text, written.nfc().collect::<String>());
        let map = map.unwrap();
        let colon = text.find(':').unwrap();
        assert_eq!(
            map.to_written(colon, Side::Start),
            written.find(':').unwrap()
        );
        assert_eq!(map.to_nfc(written.find(':').unwrap(), Side::Start), colon);
        // `ä` in the normalised text covers `a` + diaeresis as written.
        let a = text.find('ä').unwrap();
        let wa = map.to_written(a, Side::Start);
        assert_eq!(map.to_written(a + 'ä'.len_utf8(), Side::End), wa + 3);
        // Inside a changed piece: a start moves to its start, an end to its end.
        assert_eq!(map.to_written(a + 1, Side::Start), wa);
        assert_eq!(map.to_written(a + 1, Side::End), wa + 3);
        assert_eq!(map.to_written(0, Side::Start), 0);
        assert_eq!(map.to_written(text.len(), Side::End), written.len());
    }

    #[test]
    fn pieces_joined_are_the_whole_text_normalised() {
        for written in [
            "e\u{301}\u{327}x",
            "\u{1100}\u{1161}\u{11a8}a",
            "\u{212b}ngström a\u{30a}",
            "\u{f0}\u{fffd}o\u{308}\n\u{fffd}a\u{30a}",
            "\u{301}början",
        ] {
            let (text, _) = OffsetMap::normalize(written);
            assert_eq!(text, written.nfc().collect::<String>(), "{written:?}");
        }
    }

    proptest::proptest! {
        /// For any mix of letters, combining marks, Hangul jamo and line breaks: the pieces
        /// normalise to the whole text's NFC, the map is monotone, and an offset as written
        /// maps back to an offset that maps to it again.
        #[test]
        fn the_map_is_monotone_and_round_trips(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'o', 'e', 'x', '\n', '\u{30a}', '\u{308}', '\u{301}', '\u{327}',
                '\u{1100}', '\u{1161}', '\u{11a8}', '\u{212b}', '\u{fffd}', '\u{b47}',
                '\u{b3e}',
            ]), 0..40)
        ) {
            let written: String = chars.into_iter().collect();
            let (text, map) = OffsetMap::normalize(&written);
            proptest::prop_assert_eq!(&text, &written.nfc().collect::<String>());
            let map = map.unwrap_or_default();
            let mut last = 0;
            for (o, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                let start = map.to_written(o, Side::Start);
                let end = map.to_written(o, Side::End);
                proptest::prop_assert!(last <= start && start <= end && end <= written.len());
                proptest::prop_assert!(written.is_char_boundary(start));
                proptest::prop_assert_eq!(map.to_written(map.to_nfc(start, Side::Start), Side::Start), start);
                last = start;
            }
        }
    }
}
