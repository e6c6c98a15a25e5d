//! Deterministic benchmark corpora as compact JSON text, the typed Rust structs of the four
//! that have a struct shape, and a loose equality used to sanity-check decoders.
//!
//! This file depends only on `std`, `serde` and `serde_json`, because it is shared by two
//! packages: the workspace crate `toon-benches` (as its module `corpus`) and the standalone
//! `benches/compare` package (through `#[path]`), which must not see the workspace's
//! `serde_json` features.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// One named corpus: its JSON text.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Short name used in bench group names and tables (`tabular-1000`, ...).
    pub name: &'static str,
    /// Compact JSON text.
    pub json: String,
}

/// The four corpora of the speed comparison, in report order, at their report sizes.
pub fn corpora() -> Vec<Corpus> {
    vec![
        Corpus {
            name: "tabular-1000",
            json: tabular_json(1_000),
        },
        Corpus {
            name: "github-100",
            json: github_repos_json(100),
        },
        Corpus {
            name: "twitter-100",
            json: twitter_json(100),
        },
        Corpus {
            name: "checkpoint",
            json: checkpoint_json(),
        },
    ]
}

// ---------------------------------------------------------------------------------------
// Random numbers and a tiny JSON writer
// ---------------------------------------------------------------------------------------

/// SplitMix64: deterministic, dependency-free, good enough to vary shapes.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, uniformly.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// `len` lowercase hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            let _ = write!(s, "{:016x}", self.next_u64());
        }
        s.truncate(len);
        s
    }

    /// A date-time in 2012..2025 as `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn timestamp(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.range(2012, 2025),
            self.range(1, 12),
            self.range(1, 28),
            self.below(24),
            self.below(60),
            self.below(60)
        )
    }

    /// A sentence of `words` words from `vocabulary`.
    pub fn sentence(&mut self, vocabulary: &[&str], words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.pick(vocabulary));
        }
        s
    }
}

/// Appends compact JSON, inserting commas itself: call `key` then one value inside an
/// object, values alone inside an array.
struct Json {
    out: String,
    /// True right after `{`, `[` or a key: the next item needs no comma.
    fresh: bool,
}

impl Json {
    fn new() -> Self {
        Json {
            out: String::with_capacity(1 << 16),
            fresh: true,
        }
    }

    fn sep(&mut self) {
        if !self.fresh {
            self.out.push(',');
        }
        self.fresh = false;
    }

    fn begin_object(&mut self) {
        self.sep();
        self.out.push('{');
        self.fresh = true;
    }

    fn end_object(&mut self) {
        self.out.push('}');
        self.fresh = false;
    }

    fn begin_array(&mut self) {
        self.sep();
        self.out.push('[');
        self.fresh = true;
    }

    fn end_array(&mut self) {
        self.out.push(']');
        self.fresh = false;
    }

    fn key(&mut self, key: &str) {
        self.sep();
        write_json_string(&mut self.out, key);
        self.out.push(':');
        self.fresh = true;
    }

    fn string(&mut self, s: &str) {
        self.sep();
        write_json_string(&mut self.out, s);
    }

    fn uint(&mut self, n: u64) {
        self.sep();
        let _ = write!(self.out, "{n}");
    }

    fn int(&mut self, n: i64) {
        self.sep();
        let _ = write!(self.out, "{n}");
    }

    /// A decimal literal `whole.frac` written as is (`frac` keeps its digits).
    fn decimal(&mut self, whole: i64, frac: &str) {
        self.sep();
        let _ = write!(self.out, "{whole}.{frac}");
    }

    fn float(&mut self, f: f64) {
        self.sep();
        let _ = write!(self.out, "{f:?}");
    }

    fn bool(&mut self, b: bool) {
        self.sep();
        self.out.push_str(if b { "true" } else { "false" });
    }

    fn null(&mut self) {
        self.sep();
        self.out.push_str("null");
    }

    fn opt_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.null(),
        }
    }

    fn field_str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    fn field_uint(&mut self, key: &str, value: u64) {
        self.key(key);
        self.uint(value);
    }

    fn field_bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.bool(value);
    }

    fn field_null(&mut self, key: &str) {
        self.key(key);
        self.null();
    }

    fn field_opt_str(&mut self, key: &str, value: Option<&str>) {
        self.key(key);
        self.opt_string(value);
    }

    fn uint_pair(&mut self, key: &str, a: u64, b: u64) {
        self.key(key);
        self.begin_array();
        self.uint(a);
        self.uint(b);
        self.end_array();
    }

    fn finish(self) -> String {
        self.out
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------
// tabular
// ---------------------------------------------------------------------------------------

/// A uniform table as compact JSON: `{"users":[{"id":..,"name":..,..},..]}` (~80 KB for
/// 1,000 rows). Its typed form is [`Tabular`].
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

/// The typed form of [`tabular_json`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tabular {
    /// The rows.
    pub users: Vec<User>,
}

/// One row of [`Tabular`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Row id.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Whether the account is active.
    pub active: bool,
    /// A score with one decimal.
    pub score: f64,
    /// `admin`, `editor` or `viewer`.
    pub role: String,
}

// ---------------------------------------------------------------------------------------
// github
// ---------------------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "fast",
    "small",
    "safe",
    "async",
    "runtime",
    "parser",
    "library",
    "framework",
    "tool",
    "for",
    "the",
    "and",
    "with",
    "a",
    "web",
    "server",
    "client",
    "data",
    "engine",
    "simple",
    "modern",
    "minimal",
    "zero-copy",
    "streaming",
    "embedded",
    "compiler",
    "database",
    "terminal",
    "UI",
    "API",
    "CLI",
    "JSON",
    "TOON",
    "LLM",
    "tokens",
    "cache",
    "graph",
];

const LANGUAGES: &[&str] = &[
    "Rust",
    "Go",
    "TypeScript",
    "Python",
    "C++",
    "C",
    "JavaScript",
    "Zig",
    "Kotlin",
    "Java",
];

const TOPICS: &[&str] = &[
    "rust",
    "cli",
    "parser",
    "serde",
    "json",
    "llm",
    "async",
    "web",
    "database",
    "compiler",
    "wasm",
    "embedded",
    "machine-learning",
    "devtools",
    "hacktoberfest",
    "performance",
];

const LICENSES: &[(&str, &str, &str)] = &[
    ("mit", "MIT License", "MIT"),
    ("apache-2.0", "Apache License 2.0", "Apache-2.0"),
    (
        "bsd-3-clause",
        "BSD 3-Clause \"New\" or \"Revised\" License",
        "BSD-3-Clause",
    ),
    ("gpl-3.0", "GNU General Public License v3.0", "GPL-3.0"),
    ("mpl-2.0", "Mozilla Public License 2.0", "MPL-2.0"),
];

const OWNERS: &[&str] = &[
    "octocat",
    "rust-lang",
    "tokio-rs",
    "serde-rs",
    "BurntSushi",
    "dtolnay",
    "toon-format",
    "ziglang",
    "golang",
    "microsoft",
    "torvalds",
    "sindresorhus",
    "tj",
    "antirez",
];

/// A GitHub search-API-like result: `{"total_count":..,"incomplete_results":false,
/// "items":[repo,..]}` with `repos` repositories of mixed, nearly uniform fields (nested
/// owner and license, nullable fields, topic arrays of varying length); ~100 KB for 100.
/// Its typed form is [`SearchResult`].
pub fn github_repos_json(repos: usize) -> String {
    let mut rng = Rng::new(0x6769_7468_7562);
    let mut j = Json::new();
    j.begin_object();
    j.field_uint("total_count", 48_213);
    j.field_bool("incomplete_results", false);
    j.key("items");
    j.begin_array();
    for i in 0..repos {
        let owner = rng.pick(OWNERS);
        let owner_id = 1_000 + rng.below(90_000_000);
        let name = format!("{}-{}", rng.pick(WORDS).to_lowercase(), rng.pick(TOPICS));
        let full_name = format!("{owner}/{name}");
        let id = 10_000_000 + (i as u64) * 7_919 + rng.below(7_919);
        j.begin_object();
        j.field_uint("id", id);
        j.field_str("node_id", &format!("R_kgDO{}", rng.hex(8).to_uppercase()));
        j.field_str("name", &name);
        j.field_str("full_name", &full_name);
        j.field_bool("private", false);
        j.key("owner");
        j.begin_object();
        j.field_str("login", owner);
        j.field_uint("id", owner_id);
        j.field_str(
            "avatar_url",
            &format!("https://avatars.githubusercontent.com/u/{owner_id}?v=4"),
        );
        j.field_str("html_url", &format!("https://github.com/{owner}"));
        j.field_str(
            "type",
            if rng.chance(30) {
                "Organization"
            } else {
                "User"
            },
        );
        j.field_bool("site_admin", rng.chance(3));
        j.end_object();
        j.field_str("html_url", &format!("https://github.com/{full_name}"));
        let description = if rng.chance(15) {
            None
        } else {
            let words = rng.range(4, 18) as usize;
            let mut d = rng.sentence(WORDS, words);
            match rng.below(5) {
                0 => d.push_str(" 🚀"),
                1 => d.push_str(", written in Rust: fast, safe"),
                2 => d.push_str(" (\"blazingly\" fast)"),
                _ => {}
            }
            Some(d)
        };
        j.field_opt_str("description", description.as_deref());
        j.field_bool("fork", rng.chance(10));
        j.field_str("url", &format!("https://api.github.com/repos/{full_name}"));
        j.field_str("created_at", &rng.timestamp());
        j.field_str("updated_at", &rng.timestamp());
        j.field_str("pushed_at", &rng.timestamp());
        let homepage = match rng.below(10) {
            0..=3 => None,
            4..=5 => Some(String::new()),
            _ => Some(format!("https://{name}.dev")),
        };
        j.field_opt_str("homepage", homepage.as_deref());
        j.field_uint("size", rng.below(500_000));
        let stars = rng.below(90_000);
        j.field_uint("stargazers_count", stars);
        j.field_uint("watchers_count", stars);
        let language = if rng.chance(12) {
            None
        } else {
            Some(rng.pick(LANGUAGES))
        };
        j.field_opt_str("language", language);
        j.field_bool("has_issues", rng.chance(90));
        j.field_bool("archived", rng.chance(5));
        j.field_uint("forks_count", stars / (rng.range(5, 40)));
        j.field_uint("open_issues_count", rng.below(1_500));
        j.key("license");
        if rng.chance(20) {
            j.null();
        } else {
            let (key, lname, spdx) = LICENSES[rng.below(LICENSES.len() as u64) as usize];
            j.begin_object();
            j.field_str("key", key);
            j.field_str("name", lname);
            j.field_str("spdx_id", spdx);
            j.end_object();
        }
        j.key("topics");
        j.begin_array();
        for _ in 0..rng.below(9) {
            j.string(rng.pick(TOPICS));
        }
        j.end_array();
        j.field_str("visibility", "public");
        j.field_str(
            "default_branch",
            if rng.chance(75) { "main" } else { "master" },
        );
        j.key("score");
        j.decimal(
            rng.range(1, 200) as i64,
            &format!("{:03}", rng.range(1, 999)),
        );
        j.end_object();
    }
    j.end_array();
    j.end_object();
    j.finish()
}

/// The typed form of [`github_repos_json`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    /// Total matches on the server.
    pub total_count: u64,
    /// Whether the search timed out.
    pub incomplete_results: bool,
    /// This page of repositories.
    pub items: Vec<Repo>,
}

/// One repository of [`SearchResult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repo {
    /// Numeric id.
    pub id: u64,
    /// GraphQL node id.
    pub node_id: String,
    /// Repository name.
    pub name: String,
    /// `owner/name`.
    pub full_name: String,
    /// Private repository.
    pub private: bool,
    /// The owning account.
    pub owner: Owner,
    /// Web address.
    pub html_url: String,
    /// Free text, sometimes null.
    pub description: Option<String>,
    /// Is a fork.
    pub fork: bool,
    /// API address.
    pub url: String,
    /// Creation time.
    pub created_at: String,
    /// Last update.
    pub updated_at: String,
    /// Last push.
    pub pushed_at: String,
    /// Homepage, often null or empty.
    pub homepage: Option<String>,
    /// Size in KB.
    pub size: u64,
    /// Stars.
    pub stargazers_count: u64,
    /// Watchers.
    pub watchers_count: u64,
    /// Main language, sometimes null.
    pub language: Option<String>,
    /// Issues enabled.
    pub has_issues: bool,
    /// Archived.
    pub archived: bool,
    /// Forks.
    pub forks_count: u64,
    /// Open issues.
    pub open_issues_count: u64,
    /// License, sometimes null.
    pub license: Option<License>,
    /// Topics, 0 to 8.
    pub topics: Vec<String>,
    /// `public`.
    pub visibility: String,
    /// `main` or `master`.
    pub default_branch: String,
    /// Search score.
    pub score: f64,
}

/// The owner of a [`Repo`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    /// Login name.
    pub login: String,
    /// Numeric id.
    pub id: u64,
    /// Avatar address.
    pub avatar_url: String,
    /// Profile address.
    pub html_url: String,
    /// `User` or `Organization`.
    #[serde(rename = "type")]
    pub kind: String,
    /// GitHub staff.
    pub site_admin: bool,
}

/// The license of a [`Repo`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct License {
    /// Short key.
    pub key: String,
    /// Full name.
    pub name: String,
    /// SPDX identifier.
    pub spdx_id: String,
}

// ---------------------------------------------------------------------------------------
// twitter
// ---------------------------------------------------------------------------------------

const TWEET_WORDS: &[&str] = &[
    "just",
    "shipped",
    "the",
    "new",
    "release",
    "of",
    "our",
    "app",
    "today",
    "is",
    "a",
    "great",
    "day",
    "for",
    "coffee",
    "☕",
    "🚀",
    "🎉",
    "😂",
    "❤️",
    "東京",
    "ラーメン",
    "美味しい",
    "今日は",
    "雨",
    "你好",
    "世界",
    "한국어",
    "Привет",
    "café",
    "naïve",
    "über",
    "\"quoted\"",
    "50%",
    "#rustlang",
    "a,b",
    "x: y",
    "- dash",
    "[brackets]",
    "line\nbreak",
    "tab\there",
    "RT",
    "@someone",
    "https://t.co/abc123",
    "&amp;",
    "->",
    "42",
];

const SCREEN_NAMES: &[&str] = &[
    "ada_lovelace",
    "graceh",
    "linus",
    "tanaka_taro",
    "li_wei",
    "kim_minji",
    "ivan_petrov",
    "maria.garcia",
    "noodle_lover",
    "rustacean",
    "coffee_bot",
    "news_jp",
    "devnull",
];

const TIME_ZONES: &[&str] = &[
    "Tokyo",
    "Seoul",
    "Beijing",
    "Pacific Time (US & Canada)",
    "Berlin",
];

fn tweet_text(rng: &mut Rng) -> String {
    let n = rng.range(4, 24) as usize;
    rng.sentence(TWEET_WORDS, n)
}

fn twitter_created_at(rng: &mut Rng) -> String {
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} +0000 {}",
        rng.pick(&["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        rng.pick(&[
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"
        ]),
        rng.range(1, 28),
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.range(2009, 2014)
    )
}

fn twitter_url_entity(j: &mut Json, rng: &mut Rng) {
    let slug = rng.hex(10);
    j.begin_object();
    j.field_str("url", &format!("http://t.co/{slug}"));
    j.field_str(
        "expanded_url",
        &format!("https://example.com/{}/{}", rng.pick(TOPICS), rng.hex(6)),
    );
    j.field_str("display_url", &format!("example.com/{}…", rng.pick(TOPICS)));
    let a = rng.below(100);
    j.uint_pair("indices", a, a + 22);
    j.end_object();
}

fn twitter_user(j: &mut Json, rng: &mut Rng) {
    let id = rng.range(10_000, 3_000_000_000);
    let screen_name = rng.pick(SCREEN_NAMES);
    j.begin_object();
    j.field_uint("id", id);
    j.field_str("id_str", &id.to_string());
    j.field_str(
        "name",
        &format!(
            "{} {}",
            rng.pick(&["Ada", "たろう", "小明", "민지", "Иван", "María"]),
            rng.pick(&["🐱", "", "(official)", "✨"])
        ),
    );
    j.field_str("screen_name", screen_name);
    j.field_str(
        "location",
        rng.pick(&["", "東京", "Seoul, Korea", "Berlin", "somewhere, earth 🌍"]),
    );
    j.field_str("description", &tweet_text(rng));
    let has_url = rng.chance(40);
    if has_url {
        j.field_str("url", &format!("http://t.co/{}", rng.hex(10)));
    } else {
        j.field_null("url");
    }
    j.key("entities");
    j.begin_object();
    if has_url {
        j.key("url");
        j.begin_object();
        j.key("urls");
        j.begin_array();
        twitter_url_entity(j, rng);
        j.end_array();
        j.end_object();
    }
    j.key("description");
    j.begin_object();
    j.key("urls");
    j.begin_array();
    for _ in 0..rng.below(2) {
        twitter_url_entity(j, rng);
    }
    j.end_array();
    j.end_object();
    j.end_object();
    j.field_bool("protected", rng.chance(5));
    j.field_uint("followers_count", rng.below(2_000_000));
    j.field_uint("friends_count", rng.below(5_000));
    j.field_uint("listed_count", rng.below(500));
    j.field_str("created_at", &twitter_created_at(rng));
    j.field_uint("favourites_count", rng.below(50_000));
    j.key("utc_offset");
    if rng.chance(40) {
        j.null();
    } else {
        j.int(rng.range(0, 24) as i64 * 3_600 - 36_000);
    }
    let tz = if rng.chance(40) {
        None
    } else {
        Some(rng.pick(TIME_ZONES))
    };
    j.field_opt_str("time_zone", tz);
    j.field_bool("geo_enabled", rng.chance(30));
    j.field_bool("verified", rng.chance(5));
    j.field_uint("statuses_count", rng.below(300_000));
    j.field_str("lang", rng.pick(&["ja", "en", "zh", "ko", "ru", "es"]));
    j.field_bool("contributors_enabled", false);
    j.field_bool("is_translator", false);
    j.field_str("profile_background_color", &rng.hex(6).to_uppercase());
    j.field_str(
        "profile_image_url_https",
        &format!(
            "https://pbs.twimg.com/profile_images/{}/{}_normal.jpeg",
            rng.range(1, 999_999_999),
            rng.hex(8)
        ),
    );
    if rng.chance(50) {
        j.field_str(
            "profile_banner_url",
            &format!(
                "https://pbs.twimg.com/profile_banners/{id}/{}",
                rng.range(1_300_000_000, 1_410_000_000)
            ),
        );
    }
    j.field_str("profile_link_color", &rng.hex(6).to_uppercase());
    j.field_bool("profile_use_background_image", rng.chance(70));
    j.field_bool("default_profile", rng.chance(40));
    j.field_bool("following", false);
    j.field_bool("follow_request_sent", false);
    j.field_bool("notifications", false);
    j.end_object();
}

fn twitter_status(j: &mut Json, rng: &mut Rng, retweet_allowed: bool) {
    let id = 505_874_924_095_815_681 + rng.below(1_000_000_000);
    j.begin_object();
    j.key("metadata");
    j.begin_object();
    j.field_str("result_type", "recent");
    j.field_str("iso_language_code", rng.pick(&["ja", "en", "zh", "ko"]));
    j.end_object();
    j.field_str("created_at", &twitter_created_at(rng));
    j.field_uint("id", id);
    j.field_str("id_str", &id.to_string());
    j.field_str("text", &tweet_text(rng));
    j.field_str(
        "source",
        "<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>",
    );
    j.field_bool("truncated", false);
    if rng.chance(25) {
        let reply = id - rng.range(1, 1_000_000);
        let reply_user = rng.range(10_000, 3_000_000_000);
        j.field_uint("in_reply_to_status_id", reply);
        j.field_str("in_reply_to_status_id_str", &reply.to_string());
        j.field_uint("in_reply_to_user_id", reply_user);
        j.field_str("in_reply_to_user_id_str", &reply_user.to_string());
        j.field_str("in_reply_to_screen_name", rng.pick(SCREEN_NAMES));
    } else {
        for key in [
            "in_reply_to_status_id",
            "in_reply_to_status_id_str",
            "in_reply_to_user_id",
            "in_reply_to_user_id_str",
            "in_reply_to_screen_name",
        ] {
            j.field_null(key);
        }
    }
    j.key("user");
    twitter_user(j, rng);
    j.field_null("geo");
    j.key("coordinates");
    if rng.chance(15) {
        j.begin_object();
        j.field_str("type", "Point");
        j.key("coordinates");
        j.begin_array();
        j.float(-180.0 + rng.below(36_000_000) as f64 / 100_000.0);
        j.float(-90.0 + rng.below(18_000_000) as f64 / 100_000.0);
        j.end_array();
        j.end_object();
    } else {
        j.null();
    }
    j.field_null("place");
    j.field_null("contributors");
    if retweet_allowed && rng.chance(35) {
        j.key("retweeted_status");
        twitter_status(j, rng, false);
    }
    j.field_uint("retweet_count", rng.below(20_000));
    j.field_uint("favorite_count", rng.below(5_000));
    j.key("entities");
    j.begin_object();
    j.key("hashtags");
    j.begin_array();
    for _ in 0..rng.below(4) {
        j.begin_object();
        j.field_str(
            "text",
            rng.pick(&["rustlang", "東京", "TOON", "json", "今日のご飯", "fail"]),
        );
        let a = rng.below(120);
        j.uint_pair("indices", a, a + rng.range(3, 12));
        j.end_object();
    }
    j.end_array();
    j.key("symbols");
    j.begin_array();
    j.end_array();
    j.key("urls");
    j.begin_array();
    for _ in 0..rng.below(3) {
        twitter_url_entity(j, rng);
    }
    j.end_array();
    j.key("user_mentions");
    j.begin_array();
    for _ in 0..rng.below(4) {
        let uid = rng.range(10_000, 3_000_000_000);
        j.begin_object();
        j.field_str("screen_name", rng.pick(SCREEN_NAMES));
        j.field_str(
            "name",
            rng.pick(&["Ada", "たろう", "小明 🐼", "민지", "Иван"]),
        );
        j.field_uint("id", uid);
        j.field_str("id_str", &uid.to_string());
        let a = rng.below(100);
        j.uint_pair("indices", a, a + rng.range(5, 16));
        j.end_object();
    }
    j.end_array();
    if rng.chance(20) {
        let mid = id + rng.below(1000);
        j.key("media");
        j.begin_array();
        j.begin_object();
        j.field_uint("id", mid);
        j.field_str("id_str", &mid.to_string());
        let a = rng.below(100);
        j.uint_pair("indices", a, a + 22);
        j.field_str(
            "media_url_https",
            &format!("https://pbs.twimg.com/media/{}.jpg", rng.hex(15)),
        );
        j.field_str("url", &format!("http://t.co/{}", rng.hex(10)));
        j.field_str("type", "photo");
        j.key("sizes");
        j.begin_object();
        for (size, w, h, resize) in [
            ("medium", 600, 450, "fit"),
            ("small", 340, 255, "fit"),
            ("thumb", 150, 150, "crop"),
            ("large", 1024, 768, "fit"),
        ] {
            j.key(size);
            j.begin_object();
            j.field_uint("w", w);
            j.field_uint("h", h);
            j.field_str("resize", resize);
            j.end_object();
        }
        j.end_object();
        j.end_object();
        j.end_array();
    }
    j.end_object();
    j.field_bool("favorited", false);
    j.field_bool("retweeted", false);
    if rng.chance(30) {
        j.field_bool("possibly_sensitive", false);
    }
    j.field_str("lang", rng.pick(&["ja", "en", "zh", "ko", "und"]));
    j.end_object();
}

/// A twitter-search-like document: `{"statuses":[..],"search_metadata":{..}}` with
/// `statuses` deeply nested, non-uniform statuses (user objects, entity arrays of varying
/// shape, optional retweeted statuses, nulls, emoji/CJK text, big ids, coordinates);
/// ~400 KB for 100.
/// Its typed form is [`Twitter`].
pub fn twitter_json(statuses: usize) -> String {
    let mut rng = Rng::new(0x0074_7769_7474_6572);
    let mut j = Json::new();
    j.begin_object();
    j.key("statuses");
    j.begin_array();
    for _ in 0..statuses {
        twitter_status(&mut j, &mut rng, true);
    }
    j.end_array();
    j.key("search_metadata");
    j.begin_object();
    j.key("completed_in");
    j.float(0.087);
    j.field_uint("max_id", 505_874_924_095_815_681);
    j.field_str("max_id_str", "505874924095815681");
    j.field_str(
        "next_results",
        "?max_id=505874847260352512&q=%E4%B8%80&count=100&include_entities=1",
    );
    j.field_str("query", "%E4%B8%80");
    j.field_str(
        "refresh_url",
        "?since_id=505874924095815681&q=%E4%B8%80&include_entities=1",
    );
    j.field_uint("count", statuses as u64);
    j.field_uint("since_id", 0);
    j.field_str("since_id_str", "0");
    j.end_object();
    j.end_object();
    j.finish()
}

/// The typed form of [`twitter_json`], field for field: `serde_json::to_value` of it equals
/// the corpus's value, and `serde_json::to_string` writes the corpus's keys in its order
/// (only a float's last digits may differ). Keys that are sometimes absent are `Option`s
/// skipped when `None`; always-null keys whose real shape the corpus never shows are `()`,
/// as in serde's own json-benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Twitter {
    /// The matching statuses.
    pub statuses: Vec<Status>,
    /// Paging and timing of the search.
    pub search_metadata: SearchMetadata,
}

/// One tweet of [`Twitter`], or the retweeted one inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Why the search returned it.
    pub metadata: StatusMetadata,
    /// `Mon Jan 01 12:00:00 +0000 2013`.
    pub created_at: String,
    /// Numeric id (above 2^53).
    pub id: u64,
    /// The id as a string.
    pub id_str: String,
    /// The tweet.
    pub text: String,
    /// The posting client as an HTML link.
    pub source: String,
    /// Always false here.
    pub truncated: bool,
    /// The status replied to, or null.
    pub in_reply_to_status_id: Option<u64>,
    /// The same as a string, or null.
    pub in_reply_to_status_id_str: Option<String>,
    /// The user replied to, or null.
    pub in_reply_to_user_id: Option<u64>,
    /// The same as a string, or null.
    pub in_reply_to_user_id_str: Option<String>,
    /// Their screen name, or null.
    pub in_reply_to_screen_name: Option<String>,
    /// The author.
    pub user: TwitterUser,
    /// Always null here.
    pub geo: (),
    /// A point, sometimes.
    pub coordinates: Option<Point>,
    /// Always null here.
    pub place: (),
    /// Always null here.
    pub contributors: (),
    /// The retweeted status, present on about a third of the top-level ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retweeted_status: Option<Box<Status>>,
    /// Retweets.
    pub retweet_count: u64,
    /// Likes.
    pub favorite_count: u64,
    /// Hashtags, links, mentions and media in the text.
    pub entities: StatusEntities,
    /// Always false here.
    pub favorited: bool,
    /// Always false here.
    pub retweeted: bool,
    /// Present on about a third of the statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possibly_sensitive: Option<bool>,
    /// Language code.
    pub lang: String,
}

/// The search metadata of a [`Status`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusMetadata {
    /// `recent`.
    pub result_type: String,
    /// Language code.
    pub iso_language_code: String,
}

/// The author of a [`Status`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwitterUser {
    /// Numeric id.
    pub id: u64,
    /// The id as a string.
    pub id_str: String,
    /// Display name (CJK, emoji).
    pub name: String,
    /// Handle.
    pub screen_name: String,
    /// Free text, often empty.
    pub location: String,
    /// Profile text.
    pub description: String,
    /// Profile link, or null.
    pub url: Option<String>,
    /// Links in the profile.
    pub entities: UserEntities,
    /// Protected account.
    pub protected: bool,
    /// Followers.
    pub followers_count: u64,
    /// Followed accounts.
    pub friends_count: u64,
    /// Lists it is on.
    pub listed_count: u64,
    /// Account creation time.
    pub created_at: String,
    /// Likes given.
    pub favourites_count: u64,
    /// Seconds from UTC (negative west of it), or null.
    pub utc_offset: Option<i64>,
    /// Time zone name, or null.
    pub time_zone: Option<String>,
    /// Geotagging on.
    pub geo_enabled: bool,
    /// Verified account.
    pub verified: bool,
    /// Tweets posted.
    pub statuses_count: u64,
    /// Language code.
    pub lang: String,
    /// Always false here.
    pub contributors_enabled: bool,
    /// Always false here.
    pub is_translator: bool,
    /// Hex colour.
    pub profile_background_color: String,
    /// Avatar address.
    pub profile_image_url_https: String,
    /// Banner address, present on about half the users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_banner_url: Option<String>,
    /// Hex colour.
    pub profile_link_color: String,
    /// Background image on.
    pub profile_use_background_image: bool,
    /// Default profile.
    pub default_profile: bool,
    /// Always false here.
    pub following: bool,
    /// Always false here.
    pub follow_request_sent: bool,
    /// Always false here.
    pub notifications: bool,
}

/// The links of a [`TwitterUser`]'s profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserEntities {
    /// The profile link, present when the user has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<UrlList>,
    /// Links in the profile text.
    pub description: UrlList,
}

/// `{"urls": [..]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrlList {
    /// The links.
    pub urls: Vec<UrlEntity>,
}

/// A shortened link and where it sits in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrlEntity {
    /// The t.co address.
    pub url: String,
    /// The real address.
    pub expanded_url: String,
    /// What is shown.
    pub display_url: String,
    /// Start and end offsets in the text.
    pub indices: [u64; 2],
}

/// A geographic point of a [`Status`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// `Point`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Longitude and latitude.
    pub coordinates: Vec<f64>,
}

/// The entities of a [`Status`]'s text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusEntities {
    /// `#tags`.
    pub hashtags: Vec<Hashtag>,
    /// `$cashtags`, shaped like hashtags; always empty here.
    pub symbols: Vec<Hashtag>,
    /// Links.
    pub urls: Vec<UrlEntity>,
    /// `@mentions`.
    pub user_mentions: Vec<UserMention>,
    /// Attached photos, present on about a fifth of the statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Vec<Media>>,
}

/// A hashtag of [`StatusEntities`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hashtag {
    /// The tag without `#`.
    pub text: String,
    /// Start and end offsets in the text.
    pub indices: [u64; 2],
}

/// A mention of [`StatusEntities`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserMention {
    /// Handle.
    pub screen_name: String,
    /// Display name.
    pub name: String,
    /// Numeric id.
    pub id: u64,
    /// The id as a string.
    pub id_str: String,
    /// Start and end offsets in the text.
    pub indices: [u64; 2],
}

/// A photo of [`StatusEntities`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Media {
    /// Numeric id.
    pub id: u64,
    /// The id as a string.
    pub id_str: String,
    /// Start and end offsets in the text.
    pub indices: [u64; 2],
    /// Image address.
    pub media_url_https: String,
    /// The t.co address.
    pub url: String,
    /// `photo`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The rendered sizes.
    pub sizes: MediaSizes,
}

/// The sizes of a [`Media`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaSizes {
    /// 600×450.
    pub medium: MediaSize,
    /// 340×255.
    pub small: MediaSize,
    /// 150×150, cropped.
    pub thumb: MediaSize,
    /// 1024×768.
    pub large: MediaSize,
}

/// One size of [`MediaSizes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaSize {
    /// Width.
    pub w: u64,
    /// Height.
    pub h: u64,
    /// `fit` or `crop`.
    pub resize: String,
}

/// The search metadata of [`Twitter`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchMetadata {
    /// Seconds the search took.
    pub completed_in: f64,
    /// Newest id returned.
    pub max_id: u64,
    /// The same as a string.
    pub max_id_str: String,
    /// Query string of the next page.
    pub next_results: String,
    /// The URL-encoded query.
    pub query: String,
    /// Query string of a refresh.
    pub refresh_url: String,
    /// Statuses returned.
    pub count: u64,
    /// Oldest id asked for.
    pub since_id: u64,
    /// The same as a string.
    pub since_id_str: String,
}

// ---------------------------------------------------------------------------------------
// checkpoint
// ---------------------------------------------------------------------------------------

/// A git-repository snapshot: one object of ~200 keys of mixed primitives and small
/// nested objects and arrays (head commit, remotes/branches/submodules tables, file lists,
/// per-language counts, config); ~15 KB.
/// Its typed form is [`Checkpoint`].
pub fn checkpoint_json() -> String {
    let mut rng = Rng::new(0x636b_7074);
    let mut j = Json::new();
    j.begin_object();
    j.field_uint("schema_version", 3);
    j.field_str("repository", "toon");
    j.field_str("path", "/srv/git/toon");
    j.field_bool("bare", false);
    j.field_str("branch", "main");
    j.field_str("upstream", "origin/main");
    j.field_uint("ahead", 2);
    j.field_uint("behind", 0);
    j.field_bool("detached", false);
    j.field_bool("dirty", true);
    j.field_null("rebase_in_progress");
    j.field_null("merge_head");
    j.field_str("taken_at", "2026-04-14T09:30:00Z");
    j.key("head");
    j.begin_object();
    let head = rng.hex(40);
    j.field_str("sha", &head);
    j.field_str("short_sha", &head[..7]);
    for role in ["author", "committer"] {
        j.key(role);
        j.begin_object();
        j.field_str("name", "Ada Lovelace");
        j.field_str("email", "ada@example.com");
        j.field_str("date", "2026-04-13T22:10:05+02:00");
        j.end_object();
    }
    j.field_str(
        "message",
        "Decoder as a line-fed state machine\n\nScope stack, events, no recursion.",
    );
    j.key("parents");
    j.begin_array();
    j.string(&rng.hex(40));
    j.end_array();
    j.field_null("signature");
    j.end_object();
    j.key("remotes");
    j.begin_array();
    for (name, url) in [
        ("origin", "git@example.com:toon/toon.git"),
        ("upstream", "https://example.com/toon-format/toon.git"),
        ("mirror", "ssh://backup.local/srv/toon.git"),
    ] {
        j.begin_object();
        j.field_str("name", name);
        j.field_str("url", url);
        j.field_bool("fetch", true);
        j.field_bool("push", name != "upstream");
        j.end_object();
    }
    j.end_array();
    j.key("branches");
    j.begin_array();
    for name in [
        "main",
        "dev",
        "decoder-events",
        "bench-harness",
        "serde-api",
        "fuzz",
        "docs",
        "release/0.1",
    ] {
        j.begin_object();
        j.field_str("name", name);
        j.field_str("sha", &rng.hex(40));
        j.field_uint("ahead", rng.below(12));
        j.field_uint("behind", rng.below(30));
        j.field_bool("merged", rng.chance(30));
        j.end_object();
    }
    j.end_array();
    j.key("tags");
    j.begin_array();
    for t in [
        "v0.0.1",
        "v0.0.2",
        "v0.1.0-alpha.1",
        "v0.1.0-alpha.2",
        "spec-4.4",
    ] {
        j.string(t);
    }
    j.end_array();
    j.key("submodules");
    j.begin_array();
    for (path, url) in [
        ("vendor/spec", "https://example.com/toon-format/spec.git"),
        (
            "vendor/reference",
            "https://example.com/toon-format/toon.git",
        ),
        ("fuzz/corpus", "https://example.com/toon/fuzz-corpus.git"),
        ("docs/theme", "https://example.com/themes/plain.git"),
        (
            "examples/data/large",
            "https://example.com/toon/large-data.git",
        ),
        ("tools/tokenizer", "https://example.com/toon/tokenizer.git"),
    ] {
        j.begin_object();
        j.field_str("path", path);
        j.field_str("url", url);
        j.field_str("sha", &rng.hex(40));
        j.field_str("branch", "main");
        j.field_str("status", rng.pick(&["clean", "modified", "uninitialized"]));
        j.end_object();
    }
    j.end_array();
    let dirs = [
        "crates/toon/src",
        "crates/toon/tests",
        "crates/toon-cli/src",
        "benches",
        "docs",
        "fuzz",
    ];
    for list in ["staged", "modified", "untracked", "deleted"] {
        j.key(list);
        j.begin_array();
        for _ in 0..rng.below(9) {
            j.string(&format!(
                "{}/{}.rs",
                rng.pick(&dirs),
                rng.pick(WORDS).to_lowercase()
            ));
        }
        j.end_array();
    }
    j.key("conflicts");
    j.begin_array();
    j.end_array();
    j.key("stash");
    j.begin_array();
    for i in 0..3 {
        j.begin_object();
        j.field_uint("index", i);
        j.field_str(
            "message",
            &format!("WIP on main: {}", rng.sentence(WORDS, 5)),
        );
        j.field_str("sha", &rng.hex(40));
        j.end_object();
    }
    j.end_array();
    j.key("recent_commits");
    j.begin_array();
    for _ in 0..10 {
        j.begin_object();
        j.field_str("sha", &rng.hex(40));
        j.field_str(
            "author",
            rng.pick(&["Ada Lovelace", "Grace Hopper", "田中太郎", "Zoë Brontë"]),
        );
        j.field_str("date", &rng.timestamp());
        let words = rng.range(3, 10) as usize;
        j.field_str("subject", &rng.sentence(WORDS, words));
        j.field_uint("files_changed", rng.range(1, 40));
        j.field_uint("insertions", rng.below(2_000));
        j.field_uint("deletions", rng.below(800));
        j.end_object();
    }
    j.end_array();
    j.key("largest_files");
    j.begin_array();
    for _ in 0..15 {
        j.begin_object();
        j.field_str(
            "path",
            &format!("{}/{}.rs", rng.pick(&dirs), rng.pick(TOPICS)),
        );
        j.field_uint("bytes", rng.range(4_000, 400_000));
        j.field_uint("lines", rng.range(100, 9_000));
        j.field_str("blob", &rng.hex(40));
        j.end_object();
    }
    j.end_array();
    j.key("ignore");
    j.begin_array();
    for pattern in [
        "/target",
        "**/node_modules",
        "*.so",
        ".venv",
        "/fuzz/artifacts",
        "*.profraw",
    ] {
        j.string(pattern);
    }
    j.end_array();
    j.key("stats");
    j.begin_object();
    for key in [
        "commits",
        "contributors",
        "files",
        "lines",
        "lines_added_7d",
        "lines_removed_7d",
        "objects",
        "packs",
    ] {
        j.field_uint(key, rng.below(100_000));
    }
    j.key("pack_ratio");
    j.decimal(0, &format!("{:04}", rng.range(1000, 9999)));
    j.end_object();
    j.key("config");
    j.begin_object();
    for (k, v) in [
        ("core.editor", "nvim"),
        ("core.autocrlf", "input"),
        ("pull.rebase", "true"),
        ("init.defaultBranch", "main"),
        ("user.name", "Ada Lovelace"),
        ("user.email", "ada@example.com"),
        ("diff.algorithm", "histogram"),
        ("merge.conflictstyle", "zdiff3"),
    ] {
        j.field_str(k, v);
    }
    j.end_object();
    // Per-language counters: 3 keys for each of 24 languages.
    for lang in [
        "rust",
        "toml",
        "markdown",
        "json",
        "toon",
        "yaml",
        "shell",
        "python",
        "javascript",
        "typescript",
        "html",
        "css",
        "c",
        "cpp",
        "go",
        "zig",
        "java",
        "kotlin",
        "swift",
        "ruby",
        "lua",
        "sql",
        "dockerfile",
        "makefile",
    ] {
        j.field_uint(&format!("lang_{lang}_files"), rng.below(400));
        j.field_uint(&format!("lang_{lang}_lines"), rng.below(90_000));
        j.key(&format!("lang_{lang}_share"));
        j.decimal(0, &format!("{:03}", rng.range(1, 999)));
    }
    // Per-directory counters and last-touching commits.
    for dir in [
        "crates_toon_src",
        "crates_toon_src_decode",
        "crates_toon_src_encode",
        "crates_toon_src_value",
        "crates_toon_tests",
        "crates_toon_cli_src",
        "benches",
        "benches_compare",
        "docs",
        "examples_data",
        "fuzz",
        "scripts",
    ] {
        j.field_uint(&format!("dir_{dir}_files"), rng.below(60));
        j.field_uint(&format!("dir_{dir}_bytes"), rng.below(2_000_000));
        j.field_str(&format!("dir_{dir}_last_commit"), &rng.hex(40));
    }
    // Hooks and feature switches: booleans, strings and nulls.
    for hook in [
        "pre_commit",
        "prepare_commit_msg",
        "commit_msg",
        "post_commit",
        "pre_rebase",
        "post_checkout",
        "post_merge",
        "pre_push",
        "pre_receive",
        "update",
        "post_receive",
        "post_update",
        "push_to_checkout",
        "pre_auto_gc",
        "post_rewrite",
        "sendemail_validate",
    ] {
        j.field_bool(&format!("hook_{hook}_enabled"), rng.chance(40));
        match rng.below(3) {
            0 => j.field_null(&format!("hook_{hook}_script")),
            _ => j.field_str(&format!("hook_{hook}_script"), &format!(".githooks/{hook}")),
        }
    }
    // Timings of the last runs of each command: floats and ints.
    for cmd in [
        "status",
        "diff",
        "log",
        "fetch",
        "gc",
        "fsck",
        "repack",
        "blame",
        "grep",
        "ls_files",
        "rev_list",
        "for_each_ref",
        "describe",
        "shortlog",
        "cat_file",
        "count_objects",
    ] {
        j.key(&format!("timing_{cmd}_ms"));
        j.decimal(rng.below(900) as i64, &format!("{:02}", rng.range(1, 99)));
        j.field_uint(&format!("timing_{cmd}_runs"), rng.below(10_000));
    }
    j.end_object();
    j.finish()
}

/// The typed form of [`checkpoint_json`], field for field: all ~200 keys of the one wide
/// object are fields, as a derive on a flat snapshot record has them, and
/// `serde_json::to_value` of it equals the corpus's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Version of this record's layout.
    pub schema_version: u64,
    /// Repository name.
    pub repository: String,
    /// Where it lives.
    pub path: String,
    /// Bare repository.
    pub bare: bool,
    /// Checked-out branch.
    pub branch: String,
    /// Its upstream.
    pub upstream: String,
    /// Commits ahead of the upstream.
    pub ahead: u64,
    /// Commits behind it.
    pub behind: u64,
    /// HEAD is detached.
    pub detached: bool,
    /// Uncommitted changes.
    pub dirty: bool,
    /// The rebase under way, null here.
    pub rebase_in_progress: Option<String>,
    /// The merge under way, null here.
    pub merge_head: Option<String>,
    /// When the snapshot was taken.
    pub taken_at: String,
    /// The HEAD commit.
    pub head: HeadCommit,
    /// Configured remotes.
    pub remotes: Vec<Remote>,
    /// Local branches.
    pub branches: Vec<Branch>,
    /// Tag names.
    pub tags: Vec<String>,
    /// Submodules.
    pub submodules: Vec<Submodule>,
    /// Staged paths.
    pub staged: Vec<String>,
    /// Modified paths.
    pub modified: Vec<String>,
    /// Untracked paths.
    pub untracked: Vec<String>,
    /// Deleted paths.
    pub deleted: Vec<String>,
    /// Conflicted paths, none here.
    pub conflicts: Vec<String>,
    /// Stash entries.
    pub stash: Vec<StashEntry>,
    /// The last commits.
    pub recent_commits: Vec<RecentCommit>,
    /// The biggest tracked files.
    pub largest_files: Vec<LargeFile>,
    /// `.gitignore` patterns.
    pub ignore: Vec<String>,
    /// Object-store counters.
    pub stats: RepoStats,
    /// Git configuration.
    pub config: GitConfig,
    /// Files in rust.
    pub lang_rust_files: u64,
    /// Lines of rust.
    pub lang_rust_lines: u64,
    /// Share of rust in the lines.
    pub lang_rust_share: f64,
    /// Files in toml.
    pub lang_toml_files: u64,
    /// Lines of toml.
    pub lang_toml_lines: u64,
    /// Share of toml in the lines.
    pub lang_toml_share: f64,
    /// Files in markdown.
    pub lang_markdown_files: u64,
    /// Lines of markdown.
    pub lang_markdown_lines: u64,
    /// Share of markdown in the lines.
    pub lang_markdown_share: f64,
    /// Files in json.
    pub lang_json_files: u64,
    /// Lines of json.
    pub lang_json_lines: u64,
    /// Share of json in the lines.
    pub lang_json_share: f64,
    /// Files in toon.
    pub lang_toon_files: u64,
    /// Lines of toon.
    pub lang_toon_lines: u64,
    /// Share of toon in the lines.
    pub lang_toon_share: f64,
    /// Files in yaml.
    pub lang_yaml_files: u64,
    /// Lines of yaml.
    pub lang_yaml_lines: u64,
    /// Share of yaml in the lines.
    pub lang_yaml_share: f64,
    /// Files in shell.
    pub lang_shell_files: u64,
    /// Lines of shell.
    pub lang_shell_lines: u64,
    /// Share of shell in the lines.
    pub lang_shell_share: f64,
    /// Files in python.
    pub lang_python_files: u64,
    /// Lines of python.
    pub lang_python_lines: u64,
    /// Share of python in the lines.
    pub lang_python_share: f64,
    /// Files in javascript.
    pub lang_javascript_files: u64,
    /// Lines of javascript.
    pub lang_javascript_lines: u64,
    /// Share of javascript in the lines.
    pub lang_javascript_share: f64,
    /// Files in typescript.
    pub lang_typescript_files: u64,
    /// Lines of typescript.
    pub lang_typescript_lines: u64,
    /// Share of typescript in the lines.
    pub lang_typescript_share: f64,
    /// Files in html.
    pub lang_html_files: u64,
    /// Lines of html.
    pub lang_html_lines: u64,
    /// Share of html in the lines.
    pub lang_html_share: f64,
    /// Files in css.
    pub lang_css_files: u64,
    /// Lines of css.
    pub lang_css_lines: u64,
    /// Share of css in the lines.
    pub lang_css_share: f64,
    /// Files in c.
    pub lang_c_files: u64,
    /// Lines of c.
    pub lang_c_lines: u64,
    /// Share of c in the lines.
    pub lang_c_share: f64,
    /// Files in cpp.
    pub lang_cpp_files: u64,
    /// Lines of cpp.
    pub lang_cpp_lines: u64,
    /// Share of cpp in the lines.
    pub lang_cpp_share: f64,
    /// Files in go.
    pub lang_go_files: u64,
    /// Lines of go.
    pub lang_go_lines: u64,
    /// Share of go in the lines.
    pub lang_go_share: f64,
    /// Files in zig.
    pub lang_zig_files: u64,
    /// Lines of zig.
    pub lang_zig_lines: u64,
    /// Share of zig in the lines.
    pub lang_zig_share: f64,
    /// Files in java.
    pub lang_java_files: u64,
    /// Lines of java.
    pub lang_java_lines: u64,
    /// Share of java in the lines.
    pub lang_java_share: f64,
    /// Files in kotlin.
    pub lang_kotlin_files: u64,
    /// Lines of kotlin.
    pub lang_kotlin_lines: u64,
    /// Share of kotlin in the lines.
    pub lang_kotlin_share: f64,
    /// Files in swift.
    pub lang_swift_files: u64,
    /// Lines of swift.
    pub lang_swift_lines: u64,
    /// Share of swift in the lines.
    pub lang_swift_share: f64,
    /// Files in ruby.
    pub lang_ruby_files: u64,
    /// Lines of ruby.
    pub lang_ruby_lines: u64,
    /// Share of ruby in the lines.
    pub lang_ruby_share: f64,
    /// Files in lua.
    pub lang_lua_files: u64,
    /// Lines of lua.
    pub lang_lua_lines: u64,
    /// Share of lua in the lines.
    pub lang_lua_share: f64,
    /// Files in sql.
    pub lang_sql_files: u64,
    /// Lines of sql.
    pub lang_sql_lines: u64,
    /// Share of sql in the lines.
    pub lang_sql_share: f64,
    /// Files in dockerfile.
    pub lang_dockerfile_files: u64,
    /// Lines of dockerfile.
    pub lang_dockerfile_lines: u64,
    /// Share of dockerfile in the lines.
    pub lang_dockerfile_share: f64,
    /// Files in makefile.
    pub lang_makefile_files: u64,
    /// Lines of makefile.
    pub lang_makefile_lines: u64,
    /// Share of makefile in the lines.
    pub lang_makefile_share: f64,
    /// Files under `crates_toon_src`.
    pub dir_crates_toon_src_files: u64,
    /// Bytes under `crates_toon_src`.
    pub dir_crates_toon_src_bytes: u64,
    /// Last commit touching `crates_toon_src`.
    pub dir_crates_toon_src_last_commit: String,
    /// Files under `crates_toon_src_decode`.
    pub dir_crates_toon_src_decode_files: u64,
    /// Bytes under `crates_toon_src_decode`.
    pub dir_crates_toon_src_decode_bytes: u64,
    /// Last commit touching `crates_toon_src_decode`.
    pub dir_crates_toon_src_decode_last_commit: String,
    /// Files under `crates_toon_src_encode`.
    pub dir_crates_toon_src_encode_files: u64,
    /// Bytes under `crates_toon_src_encode`.
    pub dir_crates_toon_src_encode_bytes: u64,
    /// Last commit touching `crates_toon_src_encode`.
    pub dir_crates_toon_src_encode_last_commit: String,
    /// Files under `crates_toon_src_value`.
    pub dir_crates_toon_src_value_files: u64,
    /// Bytes under `crates_toon_src_value`.
    pub dir_crates_toon_src_value_bytes: u64,
    /// Last commit touching `crates_toon_src_value`.
    pub dir_crates_toon_src_value_last_commit: String,
    /// Files under `crates_toon_tests`.
    pub dir_crates_toon_tests_files: u64,
    /// Bytes under `crates_toon_tests`.
    pub dir_crates_toon_tests_bytes: u64,
    /// Last commit touching `crates_toon_tests`.
    pub dir_crates_toon_tests_last_commit: String,
    /// Files under `crates_toon_cli_src`.
    pub dir_crates_toon_cli_src_files: u64,
    /// Bytes under `crates_toon_cli_src`.
    pub dir_crates_toon_cli_src_bytes: u64,
    /// Last commit touching `crates_toon_cli_src`.
    pub dir_crates_toon_cli_src_last_commit: String,
    /// Files under `benches`.
    pub dir_benches_files: u64,
    /// Bytes under `benches`.
    pub dir_benches_bytes: u64,
    /// Last commit touching `benches`.
    pub dir_benches_last_commit: String,
    /// Files under `benches_compare`.
    pub dir_benches_compare_files: u64,
    /// Bytes under `benches_compare`.
    pub dir_benches_compare_bytes: u64,
    /// Last commit touching `benches_compare`.
    pub dir_benches_compare_last_commit: String,
    /// Files under `docs`.
    pub dir_docs_files: u64,
    /// Bytes under `docs`.
    pub dir_docs_bytes: u64,
    /// Last commit touching `docs`.
    pub dir_docs_last_commit: String,
    /// Files under `examples_data`.
    pub dir_examples_data_files: u64,
    /// Bytes under `examples_data`.
    pub dir_examples_data_bytes: u64,
    /// Last commit touching `examples_data`.
    pub dir_examples_data_last_commit: String,
    /// Files under `fuzz`.
    pub dir_fuzz_files: u64,
    /// Bytes under `fuzz`.
    pub dir_fuzz_bytes: u64,
    /// Last commit touching `fuzz`.
    pub dir_fuzz_last_commit: String,
    /// Files under `scripts`.
    pub dir_scripts_files: u64,
    /// Bytes under `scripts`.
    pub dir_scripts_bytes: u64,
    /// Last commit touching `scripts`.
    pub dir_scripts_last_commit: String,
    /// Whether the pre_commit hook runs.
    pub hook_pre_commit_enabled: bool,
    /// The pre_commit hook's script, or null.
    pub hook_pre_commit_script: Option<String>,
    /// Whether the prepare_commit_msg hook runs.
    pub hook_prepare_commit_msg_enabled: bool,
    /// The prepare_commit_msg hook's script, or null.
    pub hook_prepare_commit_msg_script: Option<String>,
    /// Whether the commit_msg hook runs.
    pub hook_commit_msg_enabled: bool,
    /// The commit_msg hook's script, or null.
    pub hook_commit_msg_script: Option<String>,
    /// Whether the post_commit hook runs.
    pub hook_post_commit_enabled: bool,
    /// The post_commit hook's script, or null.
    pub hook_post_commit_script: Option<String>,
    /// Whether the pre_rebase hook runs.
    pub hook_pre_rebase_enabled: bool,
    /// The pre_rebase hook's script, or null.
    pub hook_pre_rebase_script: Option<String>,
    /// Whether the post_checkout hook runs.
    pub hook_post_checkout_enabled: bool,
    /// The post_checkout hook's script, or null.
    pub hook_post_checkout_script: Option<String>,
    /// Whether the post_merge hook runs.
    pub hook_post_merge_enabled: bool,
    /// The post_merge hook's script, or null.
    pub hook_post_merge_script: Option<String>,
    /// Whether the pre_push hook runs.
    pub hook_pre_push_enabled: bool,
    /// The pre_push hook's script, or null.
    pub hook_pre_push_script: Option<String>,
    /// Whether the pre_receive hook runs.
    pub hook_pre_receive_enabled: bool,
    /// The pre_receive hook's script, or null.
    pub hook_pre_receive_script: Option<String>,
    /// Whether the update hook runs.
    pub hook_update_enabled: bool,
    /// The update hook's script, or null.
    pub hook_update_script: Option<String>,
    /// Whether the post_receive hook runs.
    pub hook_post_receive_enabled: bool,
    /// The post_receive hook's script, or null.
    pub hook_post_receive_script: Option<String>,
    /// Whether the post_update hook runs.
    pub hook_post_update_enabled: bool,
    /// The post_update hook's script, or null.
    pub hook_post_update_script: Option<String>,
    /// Whether the push_to_checkout hook runs.
    pub hook_push_to_checkout_enabled: bool,
    /// The push_to_checkout hook's script, or null.
    pub hook_push_to_checkout_script: Option<String>,
    /// Whether the pre_auto_gc hook runs.
    pub hook_pre_auto_gc_enabled: bool,
    /// The pre_auto_gc hook's script, or null.
    pub hook_pre_auto_gc_script: Option<String>,
    /// Whether the post_rewrite hook runs.
    pub hook_post_rewrite_enabled: bool,
    /// The post_rewrite hook's script, or null.
    pub hook_post_rewrite_script: Option<String>,
    /// Whether the sendemail_validate hook runs.
    pub hook_sendemail_validate_enabled: bool,
    /// The sendemail_validate hook's script, or null.
    pub hook_sendemail_validate_script: Option<String>,
    /// Mean time of `git status`, ms.
    pub timing_status_ms: f64,
    /// Runs of `git status`.
    pub timing_status_runs: u64,
    /// Mean time of `git diff`, ms.
    pub timing_diff_ms: f64,
    /// Runs of `git diff`.
    pub timing_diff_runs: u64,
    /// Mean time of `git log`, ms.
    pub timing_log_ms: f64,
    /// Runs of `git log`.
    pub timing_log_runs: u64,
    /// Mean time of `git fetch`, ms.
    pub timing_fetch_ms: f64,
    /// Runs of `git fetch`.
    pub timing_fetch_runs: u64,
    /// Mean time of `git gc`, ms.
    pub timing_gc_ms: f64,
    /// Runs of `git gc`.
    pub timing_gc_runs: u64,
    /// Mean time of `git fsck`, ms.
    pub timing_fsck_ms: f64,
    /// Runs of `git fsck`.
    pub timing_fsck_runs: u64,
    /// Mean time of `git repack`, ms.
    pub timing_repack_ms: f64,
    /// Runs of `git repack`.
    pub timing_repack_runs: u64,
    /// Mean time of `git blame`, ms.
    pub timing_blame_ms: f64,
    /// Runs of `git blame`.
    pub timing_blame_runs: u64,
    /// Mean time of `git grep`, ms.
    pub timing_grep_ms: f64,
    /// Runs of `git grep`.
    pub timing_grep_runs: u64,
    /// Mean time of `git ls-files`, ms.
    pub timing_ls_files_ms: f64,
    /// Runs of `git ls-files`.
    pub timing_ls_files_runs: u64,
    /// Mean time of `git rev-list`, ms.
    pub timing_rev_list_ms: f64,
    /// Runs of `git rev-list`.
    pub timing_rev_list_runs: u64,
    /// Mean time of `git for-each-ref`, ms.
    pub timing_for_each_ref_ms: f64,
    /// Runs of `git for-each-ref`.
    pub timing_for_each_ref_runs: u64,
    /// Mean time of `git describe`, ms.
    pub timing_describe_ms: f64,
    /// Runs of `git describe`.
    pub timing_describe_runs: u64,
    /// Mean time of `git shortlog`, ms.
    pub timing_shortlog_ms: f64,
    /// Runs of `git shortlog`.
    pub timing_shortlog_runs: u64,
    /// Mean time of `git cat-file`, ms.
    pub timing_cat_file_ms: f64,
    /// Runs of `git cat-file`.
    pub timing_cat_file_runs: u64,
    /// Mean time of `git count-objects`, ms.
    pub timing_count_objects_ms: f64,
    /// Runs of `git count-objects`.
    pub timing_count_objects_runs: u64,
}

/// The HEAD commit of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadCommit {
    /// Full hash.
    pub sha: String,
    /// Abbreviated hash.
    pub short_sha: String,
    /// Who wrote it.
    pub author: Identity,
    /// Who committed it.
    pub committer: Identity,
    /// Subject and body.
    pub message: String,
    /// Parent hashes.
    pub parents: Vec<String>,
    /// GPG signature, null here.
    pub signature: Option<String>,
}

/// An author or committer of a [`HeadCommit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Date with offset.
    pub date: String,
}

/// A remote of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remote {
    /// Remote name.
    pub name: String,
    /// Its address.
    pub url: String,
    /// Fetched from.
    pub fetch: bool,
    /// Pushed to.
    pub push: bool,
}

/// A local branch of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// Branch name.
    pub name: String,
    /// Tip hash.
    pub sha: String,
    /// Commits ahead of main.
    pub ahead: u64,
    /// Commits behind main.
    pub behind: u64,
    /// Merged into main.
    pub merged: bool,
}

/// A submodule of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submodule {
    /// Where it is checked out.
    pub path: String,
    /// Its address.
    pub url: String,
    /// Recorded hash.
    pub sha: String,
    /// Tracked branch.
    pub branch: String,
    /// `clean`, `modified` or `uninitialized`.
    pub status: String,
}

/// A stash entry of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StashEntry {
    /// Position in the stash.
    pub index: u64,
    /// Its message.
    pub message: String,
    /// Its hash.
    pub sha: String,
}

/// One of the recent commits of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentCommit {
    /// Hash.
    pub sha: String,
    /// Author name.
    pub author: String,
    /// Commit time.
    pub date: String,
    /// Subject line.
    pub subject: String,
    /// Files touched.
    pub files_changed: u64,
    /// Lines added.
    pub insertions: u64,
    /// Lines removed.
    pub deletions: u64,
}

/// One of the largest files of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LargeFile {
    /// Path in the tree.
    pub path: String,
    /// Size.
    pub bytes: u64,
    /// Line count.
    pub lines: u64,
    /// Blob hash.
    pub blob: String,
}

/// The object-store counters of a [`Checkpoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepoStats {
    /// Commits.
    pub commits: u64,
    /// Distinct authors.
    pub contributors: u64,
    /// Tracked files.
    pub files: u64,
    /// Tracked lines.
    pub lines: u64,
    /// Lines added in the last week.
    pub lines_added_7d: u64,
    /// Lines removed in the last week.
    pub lines_removed_7d: u64,
    /// Loose and packed objects.
    pub objects: u64,
    /// Pack files.
    pub packs: u64,
    /// Compression ratio of the packs.
    pub pack_ratio: f64,
}

/// The git configuration of a [`Checkpoint`]: dotted keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GitConfig {
    /// `core.editor`.
    #[serde(rename = "core.editor")]
    pub core_editor: String,
    /// `core.autocrlf`.
    #[serde(rename = "core.autocrlf")]
    pub core_autocrlf: String,
    /// `pull.rebase`, as text.
    #[serde(rename = "pull.rebase")]
    pub pull_rebase: String,
    /// `init.defaultBranch`.
    #[serde(rename = "init.defaultBranch")]
    pub init_default_branch: String,
    /// `user.name`.
    #[serde(rename = "user.name")]
    pub user_name: String,
    /// `user.email`.
    #[serde(rename = "user.email")]
    pub user_email: String,
    /// `diff.algorithm`.
    #[serde(rename = "diff.algorithm")]
    pub diff_algorithm: String,
    /// `merge.conflictstyle`.
    #[serde(rename = "merge.conflictstyle")]
    pub merge_conflictstyle: String,
}

// ---------------------------------------------------------------------------------------
// deep-random
// ---------------------------------------------------------------------------------------

/// Keys of the deep-random corpus: plain ones, and ones TOON must quote (a delimiter, a
/// colon, a space, a leading hyphen, digits only) or that are not ASCII.
const DEEP_KEYS: &[&str] = &[
    "id",
    "name",
    "value",
    "type",
    "tags",
    "items",
    "meta",
    "data",
    "x",
    "y",
    "count",
    "enabled",
    "created_at",
    "children",
    "note",
    "kind",
    "score",
    "path",
    "config",
    "user_id",
    "a.b",
    "en-US",
    "with space",
    "k,v",
    "k:v",
    "-flag",
    "42",
    "ключ",
    "日本語",
    "🔑",
];

/// Strings of the deep-random corpus, half of which TOON must quote: delimiters, colons,
/// leading hyphens, numbers, literals, brackets, quotes, escapes, padding, empty.
const DEEP_STRINGS: &[&str] = &[
    "hello",
    "world",
    "ok",
    "Ada Lovelace",
    "a longer sentence of plain words that needs no quotes",
    "https://example.com/a?b=c&d=e",
    "東京",
    "ラーメン 🍜",
    "café",
    "🚀",
    "",
    " padded ",
    "a,b,c",
    "key: value",
    "- not a list item",
    "-",
    "-5",
    "42",
    "3.14",
    "1e6",
    "007",
    "true",
    "null",
    "[3]: x",
    "{x}",
    "say \"hi\"",
    "C:\\temp",
    "tab\there",
    "line\nbreak",
    "Привет, мир",
];

/// The deepest non-empty container of the deep-random corpus sits this many containers
/// below the root object: the document nests 12 levels (13 with an empty `[]` or `{}` at
/// the bottom).
const DEEP_MAX: u32 = 11;

/// A deep, non-uniform random document as compact JSON of about `target_bytes`: one
/// object whose entries are random trees, each forced down a spine of 1 to 11 containers
/// and branching at random around it. Objects of varying key sets, arrays mixing
/// primitives, objects and arrays, arrays of objects that look tabular until one row
/// breaks the pattern, arrays of arrays, empty containers, ints, floats, bools, nulls and
/// strings TOON must quote. No typed form: it has no struct shape.
pub fn deep_random_json(target_bytes: usize) -> String {
    let mut rng = Rng::new(0x6465_6570_7261_6e64);
    let mut j = Json::new();
    j.begin_object();
    let mut entry = 0;
    while j.out.len() < target_bytes {
        j.key(&format!("{}_{entry}", rng.pick(DEEP_KEYS)));
        let spine = rng.range(1, u64::from(DEEP_MAX)) as u32;
        deep_value(&mut j, &mut rng, 1, spine);
        entry += 1;
    }
    j.end_object();
    j.finish()
}

/// Writes one value `depth` containers below the root. Down to `spine` it is a container
/// and exactly one of its children carries the spine on; off the spine it nests with a
/// chance that falls with depth, so every tree stays small.
fn deep_value(j: &mut Json, rng: &mut Rng, depth: u32, spine: u32) {
    let on_spine = depth <= spine;
    let nest_chance = match depth {
        0..=2 => 45,
        3..=5 => 30,
        _ => 20,
    };
    if !on_spine && (depth > DEEP_MAX || !rng.chance(nest_chance)) {
        deep_primitive(j, rng);
        return;
    }
    // The child that carries the spine, if any, gets it; the others are free (spine 0).
    let spine_of = |is_spine_child: bool| if on_spine && is_spine_child { spine } else { 0 };
    // At the deepest level only objects and mixed arrays, whose children are primitives.
    let kind = rng.below(if depth >= DEEP_MAX { 65 } else { 100 });
    match kind {
        0..=39 => {
            let n = rng.range(u64::from(on_spine), 6) as usize;
            let spine_child = rng.below(n.max(1) as u64) as usize;
            let keys = distinct_keys(rng, n);
            j.begin_object();
            for (i, key) in keys.iter().enumerate() {
                j.key(key);
                deep_value(j, rng, depth + 1, spine_of(i == spine_child));
            }
            j.end_object();
        }
        40..=64 => {
            let n = rng.range(u64::from(on_spine), 7) as usize;
            let spine_child = rng.below(n.max(1) as u64) as usize;
            j.begin_array();
            for i in 0..n {
                deep_value(j, rng, depth + 1, spine_of(i == spine_child));
            }
            j.end_array();
        }
        65..=84 => deep_table(j, rng, depth, spine_of(true)),
        _ if !on_spine && rng.chance(50) => {
            j.begin_array();
            for _ in 0..rng.below(11) {
                deep_primitive(j, rng);
            }
            j.end_array();
        }
        _ => {
            // Arrays of arrays; on the spine one inner array nests further.
            let n = rng.range(1, 4);
            let spine_child = rng.below(n);
            j.begin_array();
            for i in 0..n {
                if on_spine && i == spine_child {
                    deep_value(j, rng, depth + 1, spine);
                } else {
                    j.begin_array();
                    for _ in 0..rng.below(6) {
                        deep_primitive(j, rng);
                    }
                    j.end_array();
                }
            }
            j.end_array();
        }
    }
}

/// An array of 2 to 6 objects on one key set with primitive values, which often breaks
/// the table: a row without a key, with one more, with a nested value (the one carrying
/// the spine, when there is one), or a trailing non-object.
fn deep_table(j: &mut Json, rng: &mut Rng, depth: u32, spine: u32) {
    let rows = rng.range(2, 6);
    let columns = rng.range(2, 5) as usize;
    let keys = distinct_keys(rng, columns);
    let broken_row = rng.below(rows);
    let nested_cell = spine > 0 || rng.chance(15);
    let missing_key = !nested_cell && rng.chance(15);
    let extra_key = !nested_cell && !missing_key && rng.chance(15);
    j.begin_array();
    for row in 0..rows {
        j.begin_object();
        let broken = row == broken_row;
        for (i, key) in keys.iter().enumerate() {
            if broken && missing_key && i == keys.len() - 1 {
                continue;
            }
            j.key(key);
            if broken && nested_cell && i == 0 {
                // The cell sits two containers below the array: it carries the spine on,
                // or is forced to be a container when there is room for one.
                let cell_spine = if spine >= depth + 2 || depth + 2 > DEEP_MAX {
                    spine
                } else {
                    depth + 2
                };
                deep_value(j, rng, depth + 2, cell_spine);
            } else {
                deep_primitive(j, rng);
            }
        }
        if broken && extra_key {
            j.key("extra");
            deep_primitive(j, rng);
        }
        j.end_object();
    }
    if spine == 0 && rng.chance(10) {
        deep_primitive(j, rng);
    }
    j.end_array();
}

/// `n` distinct keys of [`DEEP_KEYS`] (n ≤ its length), in random order.
fn distinct_keys(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::with_capacity(n);
    while keys.len() < n {
        let key = rng.pick(DEEP_KEYS);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// A primitive or an empty container: strings (often ones TOON must quote), small and
/// large ints of both signs, floats with 1 to 4 decimals, bools and nulls.
fn deep_primitive(j: &mut Json, rng: &mut Rng) {
    match rng.below(100) {
        0..=39 => j.string(rng.pick(DEEP_STRINGS)),
        40..=49 => j.uint(rng.below(100)),
        50..=54 => j.int(-(rng.below(1_000_000) as i64)),
        55..=59 => j.uint(rng.range(1 << 40, 1 << 62)),
        60..=74 => {
            let scale = [10.0, 100.0, 1_000.0, 10_000.0][rng.below(4) as usize];
            j.float((rng.below(2_000_000) as f64 - 1_000_000.0) / scale);
        }
        75..=84 => j.bool(rng.chance(50)),
        85..=93 => j.null(),
        94..=96 => {
            j.begin_array();
            j.end_array();
        }
        _ => {
            j.begin_object();
            j.end_object();
        }
    }
}

// ---------------------------------------------------------------------------------------
// sanity checks
// ---------------------------------------------------------------------------------------

/// Equality of two JSON values where numbers compare by their `f64` values (within a
/// relative 1e-15, so `1.0` equals `1` and a last-digit float parse difference is
/// ignored) and object keys in any order: what a TOON round trip is expected to preserve.
pub fn loosely_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                return x == y;
            }
            if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                return x == y;
            }
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| loosely_equal(x, y))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loosely_equal(v, w)))
        }
        _ => a == b,
    }
}
