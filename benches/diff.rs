//! Semantic diff on generated large tables (being written; see issue "Semantic diff").
fn main() {}
