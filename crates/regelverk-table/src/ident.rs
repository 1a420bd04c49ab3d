//! Identifiers (facts of type `id`, such as the HSA-id of a care unit): one canonical form,
//! so that a hiding rule can never fail open because an id was written `"SE-A "` or
//! `"se-a"` instead of `"SE-A"`.
//!
//! The choice, as the README documents it: an identifier is compared without regard to
//! letter case or compatibility form (the canonical form is NFKC in upper case: `ＳＥ-ａ`
//! is `SE-A`), and may hold only letters, digits
//! and the separators `-`, `_`, `.`, `:` and `/`. One that is empty or holds anything else —
//! a space, a line break, a control or invisible character — is refused, never trimmed: a
//! malformed id is a sign of a broken integration, and guessing what it meant could show
//! the wrong entry.

use unicode_normalization::UnicodeNormalization;

/// The separators an identifier may hold besides letters and digits.
pub const SEPARATORS: &[char] = &['-', '_', '.', ':', '/'];

/// Why a text is not an identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdError {
    Empty,
    Whitespace,
    /// A character that is neither a letter, a digit nor one of [`SEPARATORS`].
    Character(char),
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdError::Empty => f.write_str("en identitet får inte vara tom"),
            IdError::Whitespace => {
                f.write_str("en identitet får inte innehålla mellanslag eller radbrytningar")
            }
            IdError::Character(c) => write!(
                f,
                "en identitet får bara innehålla bokstäver, siffror och - _ . : / (inte U+{:04X})",
                u32::from(*c)
            ),
        }
    }
}

/// The canonical form of an identifier, or why it is malformed.
pub fn canonical(text: &str) -> Result<String, IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        if c.is_whitespace() {
            return Err(IdError::Whitespace);
        }
        if !(c.is_alphanumeric() || SEPARATORS.contains(&c)) {
            return Err(IdError::Character(c));
        }
        out.extend(c.to_uppercase());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_normalisation_do_not_matter() {
        assert_eq!(canonical("se-a").as_deref(), Ok("SE-A"));
        assert_eq!(canonical("SE-A").as_deref(), Ok("SE-A"));
        assert_eq!(
            canonical("se2321000024-bup1").as_deref(),
            Ok("SE2321000024-BUP1")
        );
        assert_eq!(canonical("va\u{30a}rd").ok(), canonical("VÅRD").ok());
        assert_eq!(canonical("\u{ff33}\u{ff25}-a").as_deref(), Ok("SE-A"));
    }

    #[test]
    fn malformed_ids_are_refused() {
        assert_eq!(canonical(""), Err(IdError::Empty));
        assert_eq!(canonical("SE-A "), Err(IdError::Whitespace));
        assert_eq!(canonical(" SE-A"), Err(IdError::Whitespace));
        assert_eq!(canonical("SE A"), Err(IdError::Whitespace));
        assert_eq!(canonical("SE-A\u{a0}"), Err(IdError::Whitespace));
        assert_eq!(canonical("SE-A\t"), Err(IdError::Whitespace));
        assert_eq!(canonical("SE-A\u{0}"), Err(IdError::Character('\u{0}')));
        assert_eq!(
            canonical("SE-A\u{200b}"),
            Err(IdError::Character('\u{200b}'))
        );
        assert_eq!(canonical("SE-A\u{ad}"), Err(IdError::Character('\u{ad}')));
    }
}
