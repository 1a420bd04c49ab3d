//! Rust identifiers for the names of a ruleset: facts as fields (`patient.födelsedatum` →
//! `patient_fodelsedatum`), their types and values as Rust types and variants
//! (`post.kategori` → `PostKategori`, `av_patienten` → `AvPatienten`), rules as constants
//! (`VGR-13-15a` → `VGR_13_15A`). Identifiers are ASCII: a letter with a diacritic loses it
//! (`läsare` → `lasare`), so the code is typed on any keyboard and measured as `rustfmt`
//! measures it; names that then coincide are an error.

use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Rust's keywords, strict and reserved: a name that is one gets a trailing `_`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

fn unkeyword(mut name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The parts of a name between characters that cannot be in an ASCII identifier (and `_`),
/// letters without their diacritics.
fn parts(name: &str) -> Vec<String> {
    let ascii: String = name
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    ascii
        .split(' ')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `patient.födelsedatum` → `patient_födelsedatum`.
pub(super) fn snake(name: &str) -> String {
    let joined = parts(name)
        .iter()
        .map(|p| p.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    match joined.chars().next() {
        None => "fact".into(),
        Some(c) if c.is_numeric() => format!("f_{joined}"),
        Some(_) => unkeyword(joined),
    }
}

/// `post.kategori` → `PostKategori`, `VGR-OS` → `VgrOs`.
pub(super) fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in parts(name) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    match out.chars().next() {
        None => "V".into(),
        Some(c) if c.is_numeric() => format!("V{out}"),
        Some(_) => unkeyword(out),
    }
}

/// `VGR-13-15a` → `VGR_13_15A`.
pub(super) fn upper_snake(name: &str) -> String {
    let joined = parts(name)
        .iter()
        .map(|p| p.to_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    match joined.chars().next() {
        None => "RULE".into(),
        Some(c) if c.is_numeric() => format!("RULE_{joined}"),
        Some(_) => joined,
    }
}

/// Names that must differ, and what they were made from, for the error when two do not.
#[derive(Default)]
pub(super) struct Taken(HashSet<String>);

impl Taken {
    /// Claims `ident` for `what`; two names of a ruleset that give one identifier are an
    /// error, never a silent merge.
    pub(super) fn claim(&mut self, ident: String, what: &str) -> Result<String, String> {
        if self.0.insert(ident.clone()) {
            Ok(ident)
        } else {
            Err(format!(
                "{what} ger Rust-namnet `{ident}`, som ett annat namn redan har"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(snake("patient.födelsedatum"), "patient_fodelsedatum");
        assert_eq!(camel("vårdnadshavare"), "Vardnadshavare");
        assert_eq!(upper_snake("RGV-BUP-FÖRE"), "RGV_BUP_FORE");
        assert_eq!(snake("type"), "type_");
        assert_eq!(camel("post.kategori"), "PostKategori");
        assert_eq!(camel("av_patienten"), "AvPatienten");
        assert_eq!(camel("VGR-OS"), "VgrOs");
        assert_eq!(camel("18 eller mer"), "V18EllerMer");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(upper_snake("VGR-13-15a"), "VGR_13_15A");
        assert_eq!(upper_snake("1.2"), "RULE_1_2");
        let mut taken = Taken::default();
        assert!(taken.claim("A".into(), "a").is_ok());
        assert!(taken.claim("A".into(), "b").is_err());
    }
}
