//! Deterministic benchmark corpora, shared by the criterion benches and the standalone
//! comparison binary (`benches/compare`), so every tool measures the same data.
//!
//! The corpora live in [`corpus`] (a file the comparison binary includes by path, because
//! it must not depend on this crate's workspace `serde_json` features); everything is
//! re-exported here. [`report`] holds the token-efficiency report and the speed charts.

pub mod corpus;
pub mod report;

pub use corpus::{
    Corpus, License, Owner, Repo, Rng, SearchResult, Tabular, User, checkpoint_json, corpora,
    github_repos_json, loosely_equal, tabular_json, twitter_json,
};
