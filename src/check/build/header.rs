//! The header pass: `regelverk "…"` once per ruleset, giving the names of the ruleset and
//! of the one it builds on.

use super::{ParsedFile, items};
use crate::check::sink::Diagnostics;
use crate::syntax::ast::{self, Item};

/// The ruleset's title and, for a region, the national title: `(region, Some(national))`
/// or `(national, None)`. A repeated header is reported.
pub(super) fn titles(
    national: &[ParsedFile],
    region: &[ParsedFile],
    out: &mut Diagnostics,
) -> (String, Option<String>) {
    let mut names = Vec::new();
    for files in [national, region] {
        let headers: Vec<&ast::Header> = items(files)
            .filter_map(|i| match i {
                Item::Header(h) => Some(h),
                _ => None,
            })
            .collect();
        if let [first, rest @ ..] = headers.as_slice() {
            for h in rest {
                out.duplicate("rubriken", "regelverk", h.span, first.span);
            }
            names.push(first.title.value.clone());
        } else if !files.is_empty() {
            names.push(String::new());
        }
    }
    match names.as_slice() {
        [national, region] => (region.clone(), Some(national.clone())),
        [only] => (only.clone(), None),
        _ => (String::new(), None),
    }
}
