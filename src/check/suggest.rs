//! "Did you mean": the closest known name to a misspelt one (shared with request checking in
//! the table crate, which owns it).

pub use crate::table::suggest_name as did_you_mean;
