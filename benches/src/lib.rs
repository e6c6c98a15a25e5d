//! Deterministic benchmark corpora, shared by the criterion benches and the comparison
//! scripts, so every tool measures the same data.

use std::fmt::Write as _;

/// A 1,000-row uniform table as compact JSON: `{"users":[{"id":..,"name":..,..},..]}`.
pub fn tabular_json(rows: usize) -> String {
    let mut json = String::from("{\"users\":[");
    for i in 0..rows {
        if i > 0 {
            json.push(',');
        }
        let _ = write!(
            json,
            "{{\"id\":{i},\"name\":\"User {i}\",\"email\":\"user{i}@example.com\",\"active\":{},\"score\":{}.{},\"role\":\"{}\"}}",
            i % 3 != 0,
            (i * 37) % 100,
            (i * 7) % 10,
            ["admin", "editor", "viewer"][i % 3]
        );
    }
    json.push_str("]}");
    json
}
