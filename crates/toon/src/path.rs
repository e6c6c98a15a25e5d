//! Value paths as errors, parts and reports write them: `users[3].email`,
//! `["full name"]`, `[0].tags`.
//!
//! ```
//! let mut path = String::new();
//! toon::path::push_key(&mut path, "users");
//! toon::path::push_index(&mut path, 3);
//! toon::path::push_key(&mut path, "email");
//! toon::path::push_key(&mut path, "full name");
//! assert_eq!(path, r#"users[3].email["full name"]"#);
//! ```

use std::fmt::Write as _;

/// Appends `key` to a value path: `.key` (bare at the start) when it is an identifier,
/// `["key"]` otherwise.
pub fn push_key(out: &mut String, key: &str) {
    let identifier = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !identifier {
        let _ = write!(out, "[{key:?}]");
    } else if out.is_empty() {
        out.push_str(key);
    } else {
        let _ = write!(out, ".{key}");
    }
}

/// Appends an array index to a value path: `[index]`.
pub fn push_index(out: &mut String, index: usize) {
    let _ = write!(out, "[{index}]");
}
