//! "Did you mean": the closest known name to a misspelt one.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn suggest_name<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .filter(|c| *c != name)
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::suggest_name;

    #[test]
    fn finds_typos_not_strangers() {
        let names = ["vårdnadshavare.blockerad", "läsare", "datum"];
        assert_eq!(
            suggest_name("vårdnadshavare.blokerad", names.into_iter()),
            Some("vårdnadshavare.blockerad")
        );
        assert_eq!(suggest_name("läsar", names.into_iter()), Some("läsare"));
        assert_eq!(suggest_name("förmyndare", names.into_iter()), None);
    }
}
