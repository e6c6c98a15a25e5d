//! Helpers shared by the integration tests: locating `../shared/toon-spec`.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

/// The spec fixture folder: `$TOON_SPEC_DIR`, or `shared/toon-spec` beside the repository.
pub fn spec_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("TOON_SPEC_DIR") {
        return Some(PathBuf::from(dir)).filter(|p| p.is_dir());
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = repo.join("../shared/toon-spec");
    dir.is_dir().then_some(dir)
}
