//! The checks behind the fuzz targets, shared with the corpus replay test
//! (`crates/toon/tests/fuzz_corpus.rs` includes `checks.rs` by path).

#[path = "checks.rs"]
pub mod checks;
