//! The pest parser generated from `grammar/regel.pest`, and the one place that runs it.
//!
//! pest's error detail (the punctuation a failed parse wanted) is switched on and off for
//! the whole process with `pest::set_error_detail`. Only [`parse`] touches the switch, and
//! only inside [`DETAIL`]'s lock, so a detailed parse on one thread can never have it switched
//! off under it by another. A plain parse that happens to run while the switch is on gives
//! the same tree, only more slowly.

use pest::Parser;
use pest::error::Error;
use pest::iterators::Pairs;
use std::sync::{Mutex, PoisonError};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/regel.pest"]
struct RegelParser;

/// Held while pest's error detail is switched on.
static DETAIL: Mutex<()> = Mutex::new(());

/// Parses a whole file. A file that does not parse is parsed again with pest's detailed
/// tracking, which also records the punctuation (`:`, `=`, `)`) it wanted; only failing
/// files pay for it.
pub(super) fn parse(text: &str) -> Result<Pairs<'_, Rule>, Error<Rule>> {
    let error = match RegelParser::parse(Rule::file, text) {
        Ok(pairs) => return Ok(pairs),
        Err(error) => error,
    };
    // The guard protects no data, so a panic elsewhere while it was held changes nothing.
    let _detail = DETAIL.lock().unwrap_or_else(PoisonError::into_inner);
    pest::set_error_detail(true);
    let detailed = RegelParser::parse(Rule::file, text).err();
    pest::set_error_detail(false);
    Err(detailed.unwrap_or(error))
}

/// Whether `text` parses as a file, without the detail a failing parse pays for.
pub(super) fn parses(text: &str) -> bool {
    RegelParser::parse(Rule::file, text).is_ok()
}
