//! The datasets of the token-efficiency report: deterministic generators (seeded
//! [`Rng`], no clock) for the shapes prompts carry, the GitHub and Twitter corpora of the
//! speed benches, and one file of real JSON that a registry package ships.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::corpus::{Rng, github_repos_json, twitter_json};

/// One dataset of the report.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Short name used in tables and charts (`employees`, `event-logs`, ...).
    pub name: &'static str,
    /// One line saying what the data is and where it comes from.
    pub description: String,
    /// The data.
    pub value: Value,
}

/// How large the generated datasets are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// Prompt-sized: 1–100 KB of compact JSON each (the published report).
    Full,
    /// A tenth of the rows, for CI runs that only check the generator works.
    Small,
}

impl Size {
    /// `full` rows at [`Size::Full`], a tenth (at least 2) at [`Size::Small`].
    fn rows(self, full: usize) -> usize {
        match self {
            Size::Full => full,
            Size::Small => (full / 10).max(2),
        }
    }
}

const FIRST: &[&str] = &[
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Niklaus",
    "Radia", "Tony", "Shafi", "Leslie", "Hedy", "Dennis",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Hamilton",
    "Thompson",
    "Allen",
    "Wirth",
    "Perlman",
    "Hoare",
    "Goldwasser",
    "Lamport",
    "Lamarr",
    "Ritchie",
];
const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "Support",
    "Operations",
];
const WORDS: &[&str] = &[
    "request",
    "cache",
    "timeout",
    "user",
    "retry",
    "token",
    "payload",
    "upstream",
    "queue",
    "session",
    "limit",
    "invalid",
    "connection",
    "schema",
    "deadline",
    "worker",
];

/// Every dataset at `size`, in report order. `real_json` is the real file (see
/// [`real_json_path`]); `None` leaves that dataset out.
pub fn datasets(size: Size, real_json: Option<&Path>) -> anyhow::Result<Vec<Dataset>> {
    let mut all = vec![
        Dataset {
            name: "employees",
            description: "flat table: employee records (7 fields: ids, names, emails, salaries)"
                .into(),
            value: employees(size.rows(250)),
        },
        Dataset {
            name: "orders",
            description: "flat table: e-commerce orders (dates, statuses, totals)".into(),
            value: orders(size.rows(300)),
        },
        Dataset {
            name: "metrics",
            description: "flat table: daily analytics metrics (numbers only, besides the date)"
                .into(),
            value: metrics(size.rows(365)),
        },
        Dataset {
            name: "time-series",
            description: "nested: three sensors, each a table of timestamped readings".into(),
            value: time_series(size.rows(200)),
        },
        Dataset {
            name: "event-logs",
            description: "semi-uniform: log events, a nested error object on some".into(),
            value: event_logs(size.rows(300)),
        },
        Dataset {
            name: "github-repos",
            description: "nearly uniform: GitHub search API-like repositories (nested owner and licence, topic lists)"
                .into(),
            value: parse(&github_repos_json(size.rows(60)))?,
        },
        Dataset {
            name: "config",
            description: "nested configuration: services, each with deep settings".into(),
            value: config(size.rows(12)),
        },
        Dataset {
            name: "api-response",
            description: "deep, non-uniform: Twitter search API-like statuses (users, entities, retweets)"
                .into(),
            value: parse(&twitter_json(size.rows(20)))?,
        },
        Dataset {
            name: "mixed-document",
            description: "a document mixing metadata, a user table, posts with nested comments"
                .into(),
            value: mixed_document(size.rows(40)),
        },
    ];
    if let Some(path) = real_json {
        all.push(real_dataset(path, size)?);
    }
    Ok(all)
}

fn parse(text: &str) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(text)?)
}

/// A date `days` after 2025-01-01, as `YYYY-MM-DD` (2025 is not a leap year; later
/// years are treated alike, which is fine for made-up data).
fn date(days: u64) -> String {
    const MONTHS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut year = 2025 + days / 365;
    let mut day = days % 365;
    let mut month = 0;
    while day >= MONTHS[month] {
        day -= MONTHS[month];
        month += 1;
        if month == 12 {
            month = 0;
            year += 1;
        }
    }
    format!("{year}-{:02}-{:02}", month + 1, day + 1)
}

/// A price or amount with two decimals, from cents.
fn money(cents: u64) -> Value {
    json!((cents as f64) / 100.0)
}

fn employees(rows: usize) -> Value {
    let mut rng = Rng::new(0x656d_706c);
    let employees: Vec<Value> = (0..rows)
        .map(|i| {
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            json!({
                "id": i + 1,
                "name": format!("{first} {last}"),
                "email": format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase()),
                "department": rng.pick(DEPARTMENTS),
                "salary": rng.range(45, 180) * 1000,
                "yearsExperience": rng.range(0, 30),
                "active": rng.chance(85),
            })
        })
        .collect();
    json!({ "employees": employees })
}

fn orders(rows: usize) -> Value {
    let mut rng = Rng::new(0x6f72_6465);
    let statuses = ["pending", "paid", "shipped", "delivered", "refunded"];
    let orders: Vec<Value> = (0..rows)
        .map(|i| {
            json!({
                "orderId": format!("ORD-{:06}", 100_000 + i * 7),
                "customerId": rng.range(1000, 9999),
                "date": date(rng.below(365)),
                "status": rng.pick(&statuses),
                "items": rng.range(1, 9),
                "total": money(rng.range(500, 250_000)),
                "currency": rng.pick(&["USD", "EUR", "GBP"]),
            })
        })
        .collect();
    json!({ "orders": orders })
}

fn metrics(rows: usize) -> Value {
    let mut rng = Rng::new(0x6d65_7472);
    let metrics: Vec<Value> = (0..rows)
        .map(|day| {
            let views = rng.range(2_000, 9_000);
            let clicks = views / rng.range(8, 30);
            json!({
                "date": date(day as u64),
                "views": views,
                "clicks": clicks,
                "conversions": clicks / rng.range(5, 20),
                "revenue": money(rng.range(10_000, 900_000)),
                "bounceRate": (rng.range(200, 800) as f64) / 1000.0,
            })
        })
        .collect();
    json!({ "metrics": metrics })
}

fn time_series(points: usize) -> Value {
    let mut rng = Rng::new(0x7469_6d65);
    let sensors: Vec<Value> = ["temperature", "humidity", "pressure"]
        .iter()
        .enumerate()
        .map(|(index, &kind)| {
            let (unit, base) = [("celsius", 20.0), ("percent", 45.0), ("hPa", 1013.0)][index];
            let readings: Vec<Value> = (0..points)
                .map(|minute| {
                    let noise = (rng.range(0, 400) as f64 - 200.0) / 100.0;
                    json!({
                        "t": format!("2025-03-01T{:02}:{:02}:00Z", minute / 60 % 24, minute % 60),
                        "value": ((base + noise) * 100.0_f64).round() / 100.0,
                        "ok": !rng.chance(3),
                    })
                })
                .collect();
            json!({
                "sensor": format!("{kind}-{:02}", index + 1),
                "unit": unit,
                "location": {"building": "B2", "floor": index + 1},
                "readings": readings,
            })
        })
        .collect();
    json!({ "sensors": sensors })
}

fn event_logs(rows: usize) -> Value {
    let mut rng = Rng::new(0x6c6f_6773);
    let services = ["auth", "billing", "search", "gateway", "notifications"];
    let events: Vec<Value> = (0..rows)
        .map(|i| {
            let level = match rng.below(20) {
                0..=13 => "info",
                14..=17 => "warn",
                _ => "error",
            };
            let words = rng.range(3, 8) as usize;
            let message = rng.sentence(WORDS, words);
            let mut event = json!({
                "timestamp": format!("2025-06-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                    1 + i / 200, i / 60 % 24, i % 60, rng.below(60), rng.below(1000)),
                "level": level,
                "service": rng.pick(&services),
                "message": message,
                "requestId": rng.hex(12),
                "durationMs": rng.range(1, 2500),
            });
            if level == "error" {
                event["error"] = json!({
                    "code": rng.pick(&["E_TIMEOUT", "E_UPSTREAM", "E_SCHEMA", "E_LIMIT"]),
                    "retryable": rng.chance(50),
                    "stack": [format!("at {}.handle", rng.pick(&services)), "at worker.run".to_string()],
                });
            }
            event
        })
        .collect();
    json!({ "events": events })
}

fn config(services: usize) -> Value {
    let mut rng = Rng::new(0x636f_6e66);
    let services: Vec<(String, Value)> = (0..services)
        .map(|i| {
            let name = format!("{}-{}", rng.pick(WORDS), i + 1);
            let settings = json!({
                "image": format!("registry.example.com/{name}:{}.{}.{}", rng.below(4), rng.below(20), rng.below(10)),
                "replicas": rng.range(1, 6),
                "resources": {
                    "limits": {"cpu": format!("{}m", rng.range(1, 8) * 250), "memory": format!("{}Mi", rng.range(1, 16) * 128)},
                    "requests": {"cpu": "100m", "memory": "128Mi"},
                },
                "env": {
                    "LOG_LEVEL": rng.pick(&["debug", "info", "warn"]),
                    "TIMEOUT_SECONDS": rng.range(5, 120),
                    "FEATURE_FLAGS": (0..rng.range(1, 4)).map(|_| rng.pick(WORDS)).collect::<Vec<_>>(),
                },
                "healthCheck": {"path": "/healthz", "intervalSeconds": 10, "enabled": rng.chance(90)},
                "dependsOn": (0..rng.below(3)).map(|_| rng.pick(WORDS)).collect::<Vec<_>>(),
            });
            (name, settings)
        })
        .collect();
    json!({
        "version": 3,
        "cluster": {"name": "prod-eu-1", "region": "eu-west-1", "tls": {"enabled": true, "minVersion": "1.2"}},
        "services": services.into_iter().collect::<serde_json::Map<_, _>>(),
        "logging": {"sink": "loki", "retentionDays": 14, "sampling": {"info": 0.1, "warn": 1, "error": 1}},
    })
}

fn mixed_document(posts: usize) -> Value {
    let mut rng = Rng::new(0x6d69_7864);
    let users: Vec<Value> = (0..posts / 4 + 2)
        .map(|i| json!({"id": i + 1, "handle": format!("{}{}", rng.pick(FIRST).to_lowercase(), i), "karma": rng.range(0, 5000)}))
        .collect();
    let posts: Vec<Value> = (0..posts)
        .map(|i| {
            let comments: Vec<Value> = (0..rng.below(4))
                .map(|_| {
                    let author = rng.range(1, users.len() as u64);
                    let words = rng.range(4, 12) as usize;
                    json!({"author": author, "text": rng.sentence(WORDS, words)})
                })
                .collect();
            let words = rng.range(3, 7) as usize;
            let mut post = json!({
                "id": 1000 + i,
                "author": rng.range(1, users.len() as u64),
                "title": rng.sentence(WORDS, words),
                "tags": (0..rng.range(0, 4)).map(|_| rng.pick(WORDS)).collect::<Vec<_>>(),
                "comments": comments,
            });
            if rng.chance(30) {
                post["pinned"] = json!(true);
            }
            post
        })
        .collect();
    json!({
        "meta": {"title": "Community digest", "generated": "2025-06-30", "page": 1, "pageSize": posts.len()},
        "users": users,
        "posts": posts,
    })
}

/// The real JSON of the report: `tests/urltestdata.json` of the `url` crate (the Web
/// Platform Tests' URL parsing cases, which the crate ships in its package), found in
/// cargo's registry through `cargo metadata`. `None` when cargo cannot say where it is.
pub fn real_json_path() -> Option<PathBuf> {
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let metadata: Value = serde_json::from_slice(&output.stdout).ok()?;
    metadata["packages"]
        .as_array()?
        .iter()
        .filter(|package| package["name"] == "url")
        .find_map(|package| {
            let manifest = PathBuf::from(package["manifest_path"].as_str()?);
            let path = manifest.parent()?.join("tests/urltestdata.json");
            path.is_file().then_some(path)
        })
}

/// The real dataset: the URL test cases (objects of the same keys, the odd comment
/// string between them), the first 300 entries at [`Size::Full`].
fn real_dataset(path: &Path, size: Size) -> anyhow::Result<Dataset> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let Value::Array(mut cases) = parse(&text)? else {
        bail!("{}: not a JSON array", path.display());
    };
    cases.truncate(size.rows(300));
    let version = path
        .ancestors()
        .nth(2)
        .and_then(|dir| dir.file_name())
        .map_or("url".into(), |name| name.to_string_lossy().into_owned());
    Ok(Dataset {
        name: "url-tests (real)",
        description: format!(
            "real data: the first {} WPT URL parsing cases of `tests/urltestdata.json` in the `{version}` crate",
            cases.len()
        ),
        value: Value::Array(cases),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_roll_over_months_and_years() {
        assert_eq!(date(0), "2025-01-01");
        assert_eq!(date(31), "2025-02-01");
        assert_eq!(date(364), "2025-12-31");
        assert_eq!(date(365), "2026-01-01");
    }

    #[test]
    fn generators_are_deterministic_and_small_is_smaller() {
        let a = datasets(Size::Small, None).unwrap();
        let b = datasets(Size::Small, None).unwrap();
        let full = datasets(Size::Full, None).unwrap();
        for ((a, b), full) in a.iter().zip(&b).zip(&full) {
            assert_eq!(a.value, b.value, "{}", a.name);
            let (small, big) = (a.value.to_string().len(), full.value.to_string().len());
            assert!(small < big, "{}: {small} >= {big}", a.name);
            assert!((1_000..=110_000).contains(&big), "{}: {big} bytes", a.name);
        }
    }
}
