//! Times toon, serde_json (as the build's features make it: plain by default) and the
//! peer TOON crates on the corpora of `benches/src/corpus.rs` plus `deep-random`, a deep,
//! non-uniform random document only this comparison uses, all in one run, and prints
//! Markdown tables of best-of-N times and ratios against serde_json measured side by side.
//!
//! The summary has one row per corpus. Its first four ratios are the serde paths Rust
//! users call (issue 20), each over serde_json doing the same: `toon::to_string` and
//! `toon::from_str` through `serde_json::Value`, then through `T`, the corpus's derive
//! structs (tabular, github, twitter and checkpoint have them; deep-random has no struct
//! shape). Then serde_toon's `from_str::<T>` on the same text, toon's native
//! `encode`/`decode` of a `toon::Value`, and the peers on the value types. The detail
//! tables below it give every line's absolute time.
//!
//! ```text
//! cargo run --release --manifest-path benches/compare/Cargo.toml [-- OPTIONS]
//!   --budget-ms N     time spent measuring each case, all rounds together (default 600)
//!   --rounds N        interleaved rounds over all cases of a corpus (default 3)
//!   --corpus NAME     only corpora whose name contains NAME (repeatable)
//!   --dump DIR        write each corpus as DIR/NAME.json and DIR/NAME.toon, then exit
//!   --json FILE       also write the times as a bench result file (drawn by
//!                     `cargo run -p toon-benches --bin bench-charts -- FILE`)
//! ```
//!
//! Features: `toon-format` adds that peer (and turns serde_json's `preserve_order` and
//! `float_roundtrip` on for the whole build); `toon-serde-api` (on by default) adds
//! `toon::to_string` and `toon::from_str`.
//!
//! To add a case, push one more `Case` in `value_cases` or `typed_cases`.

#[path = "../../src/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use corpus::{Checkpoint, Corpus, SearchResult, Tabular, Twitter, loosely_equal};
use serde::{Serialize, de::DeserializeOwned};
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: toon-compare [--budget-ms N] [--rounds N] [--corpus NAME]... [--dump DIR] [--json FILE]
  --budget-ms N   time spent measuring each line, all rounds together (default 600)
  --rounds N      interleaved rounds over all lines of a corpus (default 3)
  --corpus NAME   only corpora whose name contains NAME (repeatable)
  --dump DIR      write each corpus as DIR/NAME.json and DIR/NAME.toon, then exit
  --json FILE     also write the times as a bench result file (bench-charts draws it)
Prints Markdown tables on stdout, progress on stderr.";

/// The measured closure; it black-boxes its own result.
type Job<'a> = Box<dyn FnMut() + 'a>;

/// One line of a table: a library doing one operation on one input kind.
struct Case<'a> {
    /// `encode` or `decode`.
    op: &'static str,
    /// `Value` (the dynamic value types) or the typed structs.
    input: &'static str,
    /// What is timed, as a call: `toon::encode(&toon::Value)`.
    lib: String,
    /// Whether this is the serde_json line the others are divided by.
    baseline: bool,
    /// The job, or why the library cannot do it on this corpus.
    job: Result<Job<'a>, String>,
    /// Anything the reader should know (input used, conformance).
    note: String,
}

impl<'a> Case<'a> {
    fn new(op: &'static str, input: &'static str, lib: &str, job: Job<'a>) -> Self {
        Case {
            op,
            input,
            lib: lib.to_string(),
            baseline: false,
            job: Ok(job),
            note: String::new(),
        }
    }

    fn baseline(mut self) -> Self {
        self.baseline = true;
        self
    }

    fn failed(op: &'static str, input: &'static str, lib: &str, why: String) -> Self {
        Case {
            op,
            input,
            lib: lib.to_string(),
            baseline: false,
            job: Err(why),
            note: String::new(),
        }
    }

    fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

/// The JSON form of anything serializable, for loose comparisons.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| format!("to_value: {e}"))
}

/// Checks a decoder's result against the expected JSON value.
fn check<T: Serialize, E: std::fmt::Display>(
    decoded: Result<T, E>,
    expected: &serde_json::Value,
) -> Result<(), String> {
    let decoded = decoded.map_err(|e| format!("error: {}", first_line(&e.to_string())))?;
    if loosely_equal(&to_json(&decoded)?, expected) {
        Ok(())
    } else {
        Err("decodes to a different value".to_string())
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    if line.len() > 90 {
        let mut end = 90;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &line[..end])
    } else {
        line.to_string()
    }
}

/// Checks an encoder's output by decoding it with toon.
fn encoder_check<E: std::fmt::Display>(
    text: Result<String, E>,
    expected: &serde_json::Value,
) -> Result<(), String> {
    let text = text.map_err(|e| format!("error: {}", first_line(&e.to_string())))?;
    check(
        toon::decode(&text, &toon::DecodeOptions::default()),
        expected,
    )
    .map_err(|e| format!("its output, decoded by toon: {e}"))
}

/// A case whose output was checked: timed if the check passed, else reported.
fn checked<'a>(
    check: Result<(), String>,
    op: &'static str,
    input: &'static str,
    lib: &str,
    job: Job<'a>,
) -> Case<'a> {
    match check {
        Ok(()) => Case::new(op, input, lib, job),
        Err(why) => Case::failed(op, input, lib, why),
    }
}

/// Picks the TOON text a peer decoder is timed on: ours if it decodes it correctly,
/// else its own encoding if that round-trips; `Err` when neither works.
fn peer_decode_input(
    ours: &str,
    own: Option<&str>,
    decode: impl Fn(&str) -> Result<(), String>,
) -> Result<(String, String), String> {
    match decode(ours) {
        Ok(()) => Ok((ours.to_string(), String::new())),
        Err(on_ours) => match own {
            Some(own) => match decode(own) {
                Ok(()) => Ok((
                    own.to_string(),
                    format!("on its own encoding; on toon's text: {on_ours}"),
                )),
                Err(on_own) => Err(format!("toon's text: {on_ours}; own text: {on_own}")),
            },
            None => Err(format!("toon's text: {on_ours}")),
        },
    }
}

/// Notes how a peer's encoding fares: decoded by toon and by the peer itself.
fn peer_encode_note(
    text: &str,
    ours: &str,
    expected: &serde_json::Value,
    self_decode: impl Fn(&str) -> Result<(), String>,
) -> String {
    let mut notes = Vec::new();
    if text == ours {
        notes.push("output identical to toon's".to_string());
    } else {
        notes.push(format!(
            "output differs from toon's ({} B vs {} B)",
            text.len(),
            ours.len()
        ));
        match check(
            toon::decode(text, &toon::DecodeOptions::default()),
            expected,
        ) {
            Ok(()) => notes.push("toon decodes it".to_string()),
            Err(e) => notes.push(format!("toon::decode: {e}")),
        }
    }
    if let Err(e) = self_decode(text) {
        notes.push(format!("own decode: {e}"));
    }
    notes.join("; ")
}

/// The cases on the dynamic value types: `serde_json::Value`, `toon::Value`, the peers'.
fn value_cases<'a>(
    json: &'a str,
    json_value: &'a serde_json::Value,
    value: &'a toon::Value<'a>,
    text: &'a str,
) -> Vec<Case<'a>> {
    let enc = toon::EncodeOptions::default();
    let dec = toon::DecodeOptions::default();
    let mut cases = vec![
        Case::new(
            "encode",
            "Value",
            "serde_json::to_string(&serde_json::Value)",
            Box::new(move || {
                black_box(serde_json::to_string(black_box(json_value)).unwrap());
            }),
        )
        .baseline(),
        Case::new(
            "encode",
            "Value",
            "toon::encode(&toon::Value)",
            Box::new(move || {
                black_box(toon::encode(black_box(value), &enc).unwrap());
            }),
        ),
    ];
    #[cfg(feature = "toon-serde-api")]
    cases.push(checked(
        encoder_check(toon::to_string(json_value), json_value),
        "encode",
        "Value",
        "toon::to_string(&serde_json::Value)",
        Box::new(move || {
            black_box(toon::to_string(black_box(json_value)).unwrap());
        }),
    ));

    // What toon writes for `json_value` itself (whose key order depends on serde_json's
    // features), so peers' encodings of it compare byte for byte.
    let reordered = serde_json::to_string(json_value).unwrap();
    let reordered: toon::Value = serde_json::from_str(&reordered).unwrap();
    let ours_same_order = toon::encode(&reordered, &enc).unwrap();
    let ours_same_order = ours_same_order.as_str();

    // serde_toon 0.3
    let serde_toon_self = |t: &str| check(serde_toon::from_str::<serde_toon::Value>(t), json_value);
    let serde_toon_text = serde_toon::to_string(json_value);
    cases.push(match &serde_toon_text {
        Ok(own) => Case::new(
            "encode",
            "Value",
            "serde_toon::to_string(&serde_json::Value)",
            Box::new(move || {
                black_box(serde_toon::to_string(black_box(json_value)).unwrap());
            }),
        )
        .with_note(peer_encode_note(
            own,
            ours_same_order,
            json_value,
            serde_toon_self,
        )),
        Err(e) => Case::failed(
            "encode",
            "Value",
            "serde_toon::to_string(&serde_json::Value)",
            first_line(&e.to_string()),
        ),
    });

    // toon-format 0.7
    #[cfg(feature = "toon-format")]
    let toon_format_self = |t: &str| {
        check(
            toon_format::decode::<serde_json::Value>(t, &toon_format::DecodeOptions::default()),
            json_value,
        )
    };
    #[cfg(feature = "toon-format")]
    let toon_format_text = toon_format::encode(json_value, &toon_format::EncodeOptions::default());
    #[cfg(feature = "toon-format")]
    cases.push(match &toon_format_text {
        Ok(own) => Case::new(
            "encode",
            "Value",
            "toon_format::encode(&serde_json::Value)",
            Box::new(move || {
                let options = toon_format::EncodeOptions::default();
                black_box(toon_format::encode(black_box(json_value), &options).unwrap());
            }),
        )
        .with_note(peer_encode_note(
            own,
            ours_same_order,
            json_value,
            toon_format_self,
        )),
        Err(e) => Case::failed(
            "encode",
            "Value",
            "toon_format::encode(&serde_json::Value)",
            first_line(&e.to_string()),
        ),
    });

    cases.push(
        Case::new(
            "decode",
            "Value",
            "serde_json::from_str::<serde_json::Value>",
            Box::new(move || {
                black_box(serde_json::from_str::<serde_json::Value>(black_box(json)).unwrap());
            }),
        )
        .baseline(),
    );
    cases.push(Case::new(
        "decode",
        "Value",
        "toon::decode -> toon::Value",
        Box::new(move || {
            black_box(toon::decode(black_box(text), &dec).unwrap());
        }),
    ));
    #[cfg(feature = "toon-serde-api")]
    cases.push(checked(
        check(toon::from_str::<toon::Value>(text), json_value),
        "decode",
        "Value",
        "toon::from_str::<toon::Value>",
        Box::new(move || {
            black_box(toon::from_str::<toon::Value>(black_box(text)).unwrap());
        }),
    ));
    #[cfg(feature = "toon-serde-api")]
    cases.push(checked(
        check(toon::from_str::<serde_json::Value>(text), json_value),
        "decode",
        "Value",
        "toon::from_str::<serde_json::Value>",
        Box::new(move || {
            black_box(toon::from_str::<serde_json::Value>(black_box(text)).unwrap());
        }),
    ));

    let lib = "serde_toon::from_str::<serde_toon::Value>";
    let own = serde_toon_text.as_deref().ok();
    cases.push(match peer_decode_input(text, own, serde_toon_self) {
        Ok((input, note)) => Case::new(
            "decode",
            "Value",
            lib,
            Box::new(move || {
                black_box(serde_toon::from_str::<serde_toon::Value>(black_box(&input)).unwrap());
            }),
        )
        .with_note(note),
        Err(why) => Case::failed("decode", "Value", lib, why),
    });

    #[cfg(feature = "toon-format")]
    {
        let lib = "toon_format::decode::<serde_json::Value>";
        let own = toon_format_text.as_deref().ok();
        cases.push(match peer_decode_input(text, own, toon_format_self) {
            Ok((input, note)) => Case::new(
                "decode",
                "Value",
                lib,
                Box::new(move || {
                    let options = toon_format::DecodeOptions::default();
                    black_box(
                        toon_format::decode::<serde_json::Value>(black_box(&input), &options)
                            .unwrap(),
                    );
                }),
            )
            .with_note(note),
            Err(why) => Case::failed("decode", "Value", lib, why),
        });
    }
    cases
}

/// The cases on typed structs (`T` is what the corpus deserializes to).
fn typed_cases<'a, T>(
    json: &'a str,
    typed: &'a T,
    expected: &'a serde_json::Value,
    text: &'a str,
) -> Vec<Case<'a>>
where
    T: Serialize + DeserializeOwned,
{
    let mut cases = vec![
        Case::new(
            "encode",
            "typed",
            "serde_json::to_string(&T)",
            Box::new(move || {
                black_box(serde_json::to_string(black_box(typed)).unwrap());
            }),
        )
        .baseline(),
    ];
    #[cfg(feature = "toon-serde-api")]
    cases.push(checked(
        encoder_check(toon::to_string(typed), expected),
        "encode",
        "typed",
        "toon::to_string(&T)",
        Box::new(move || {
            black_box(toon::to_string(black_box(typed)).unwrap());
        }),
    ));
    cases.push(checked(
        encoder_check(serde_toon::to_string(typed), expected),
        "encode",
        "typed",
        "serde_toon::to_string(&T)",
        Box::new(move || {
            black_box(serde_toon::to_string(black_box(typed)).unwrap());
        }),
    ));
    #[cfg(feature = "toon-format")]
    cases.push(checked(
        encoder_check(
            toon_format::encode(typed, &toon_format::EncodeOptions::default()),
            expected,
        ),
        "encode",
        "typed",
        "toon_format::encode(&T)",
        Box::new(move || {
            let options = toon_format::EncodeOptions::default();
            black_box(toon_format::encode(black_box(typed), &options).unwrap());
        }),
    ));

    cases.push(
        Case::new(
            "decode",
            "typed",
            "serde_json::from_str::<T>",
            Box::new(move || {
                black_box(serde_json::from_str::<T>(black_box(json)).unwrap());
            }),
        )
        .baseline(),
    );
    #[cfg(feature = "toon-serde-api")]
    {
        let lib = "toon::from_str::<T>";
        cases.push(match check(toon::from_str::<T>(text), expected) {
            Ok(()) => Case::new(
                "decode",
                "typed",
                lib,
                Box::new(move || {
                    black_box(toon::from_str::<T>(black_box(text)).unwrap());
                }),
            ),
            Err(why) => Case::failed("decode", "typed", lib, why),
        });
    }
    let lib = "serde_toon::from_str::<T>";
    let own = serde_toon::to_string(typed).ok();
    cases.push(
        match peer_decode_input(text, own.as_deref(), |t| {
            check(serde_toon::from_str::<T>(t), expected)
        }) {
            Ok((input, note)) => Case::new(
                "decode",
                "typed",
                lib,
                Box::new(move || {
                    black_box(serde_toon::from_str::<T>(black_box(&input)).unwrap());
                }),
            )
            .with_note(note),
            Err(why) => Case::failed("decode", "typed", lib, why),
        },
    );
    #[cfg(feature = "toon-format")]
    {
        let lib = "toon_format::decode::<T>";
        let own = toon_format::encode(typed, &toon_format::EncodeOptions::default()).ok();
        let decode = |t: &str| {
            check(
                toon_format::decode::<T>(t, &toon_format::DecodeOptions::default()),
                expected,
            )
        };
        cases.push(match peer_decode_input(text, own.as_deref(), decode) {
            Ok((input, note)) => Case::new(
                "decode",
                "typed",
                lib,
                Box::new(move || {
                    let options = toon_format::DecodeOptions::default();
                    black_box(toon_format::decode::<T>(black_box(&input), &options).unwrap());
                }),
            )
            .with_note(note),
            Err(why) => Case::failed("decode", "typed", lib, why),
        });
    }
    cases
}

/// Best per-iteration time over batches of ~5 ms, measured for about `budget` after a
/// warm-up of a fifth of it.
fn measure(budget: Duration, job: &mut Job<'_>) -> Duration {
    let warm = Instant::now();
    let mut iterations = 0u32;
    while iterations == 0 || warm.elapsed() < budget / 5 {
        job();
        iterations += 1;
    }
    let per = warm.elapsed() / iterations;
    let batch =
        (Duration::from_millis(5).as_nanos() / per.as_nanos().max(1)).clamp(1, 1_000_000) as u32;
    let start = Instant::now();
    let mut best = Duration::MAX;
    let mut samples = 0;
    while samples < 5 || start.elapsed() < budget {
        let t = Instant::now();
        for _ in 0..batch {
            job();
        }
        best = best.min(t.elapsed() / batch);
        samples += 1;
    }
    best
}

fn fmt_time(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.1} µs")
    }
}

/// Results of one corpus.
struct Measured {
    corpus: &'static str,
    json_bytes: usize,
    toon_bytes: usize,
    rows: Vec<(Case<'static>, Option<Duration>)>,
}

/// serde_json's features as this build has them, found by behaviour where possible.
fn serde_json_features() -> String {
    let v: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
    let preserve_order = serde_json::to_string(&v).unwrap() == r#"{"b":1,"a":2}"#;
    let mut features = Vec::new();
    if preserve_order {
        features.push("preserve_order");
    }
    if cfg!(feature = "toon-format") {
        features.push("float_roundtrip");
    }
    if features.is_empty() {
        "defaults (no preserve_order, no float_roundtrip)".to_string()
    } else {
        format!("{} (forced by toon-format)", features.join(" + "))
    }
}

fn main() {
    let mut budget = Duration::from_millis(600);
    let mut rounds = 3u32;
    let mut filters: Vec<String> = Vec::new();
    let mut dump = None;
    let mut json_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--budget-ms" => {
                let ms = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--budget-ms N");
                budget = Duration::from_millis(ms);
            }
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--rounds N");
            }
            "--corpus" => filters.push(args.next().expect("--corpus NAME")),
            "--dump" => dump = Some(std::path::PathBuf::from(args.next().expect("--dump DIR"))),
            "--json" => {
                json_file = Some(std::path::PathBuf::from(args.next().expect("--json FILE")))
            }
            "--help" | "-h" => {
                eprintln!("{}", USAGE);
                return;
            }
            other => {
                eprintln!("unknown argument {other}\n{USAGE}");
                std::process::exit(2);
            }
        }
    }

    let corpora: Vec<Corpus> = compared_corpora()
        .into_iter()
        .filter(|c| filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str())))
        .collect();

    if let Some(dir) = dump {
        std::fs::create_dir_all(&dir).expect("create the dump directory");
        for corpus in &corpora {
            let value: toon::Value = serde_json::from_str(&corpus.json).unwrap();
            let text = toon::encode(&value, &toon::EncodeOptions::default()).unwrap();
            std::fs::write(dir.join(format!("{}.json", corpus.name)), &corpus.json).unwrap();
            std::fs::write(dir.join(format!("{}.toon", corpus.name)), text).unwrap();
        }
        eprintln!("wrote {} corpora to {}", corpora.len(), dir.display());
        return;
    }

    let mut results = Vec::new();
    for corpus in &corpora {
        eprintln!("== {}", corpus.name);
        results.push(run_corpus(corpus, budget, rounds));
    }
    print!("{}", report(&results, budget, rounds));
    if let Some(file) = json_file {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("create the --json directory");
        }
        std::fs::write(&file, result_file(&results)).expect("write the --json file");
        eprintln!("wrote {}", file.display());
    }
}

/// The corpora compared: the shared ones of `corpus::corpora()` (the criterion benches and
/// tests use that list too) and the deep random document, which only this comparison runs.
fn compared_corpora() -> Vec<Corpus> {
    let mut corpora = corpus::corpora();
    corpora.push(Corpus {
        name: "deep-random",
        json: corpus::deep_random_json(100_000),
    });
    corpora
}

/// A corpus's name without its size (`tabular-1000` → `tabular`; `deep-random` stays
/// whole): what picks its typed form, and its chart group, so runs at other sizes share
/// groups.
fn corpus_base(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((base, size)) if size.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => name,
    }
}

/// The series a timed call belongs to in the chart: the crate, with toon's serde API
/// (`to_string`/`from_str`) apart from its `encode`/`decode`.
fn series_name(case: &Case<'_>) -> String {
    if case.baseline {
        return "serde_json".to_string();
    }
    let krate = case.lib.split("::").next().unwrap_or(&case.lib);
    if krate == "toon" && (case.lib.contains("to_string") || case.lib.contains("from_str")) {
        "toon (serde API)".to_string()
    } else {
        krate.to_string()
    }
}

/// The times as a bench result file (`toon_benches::report::results::BenchResults`):
/// one row per timed call, grouped by corpus, operation and input.
fn result_file(results: &[Measured]) -> String {
    let rows: Vec<serde_json::Value> = results
        .iter()
        .flat_map(|m| {
            m.rows.iter().filter_map(move |(case, time)| {
                Some(serde_json::json!({
                    "group": format!("{} {} {}", corpus_base(m.corpus), case.op, case.input),
                    "series": series_name(case),
                    "value": time.as_ref()?.as_secs_f64(),
                }))
            })
        })
        .collect();
    let file = serde_json::json!({
        "title": "Rust: speed against serde_json (benches/compare)",
        "unit": "seconds",
        "higher_is_better": false,
        "baselines": ["serde_json"],
        "rows": rows,
    });
    serde_json::to_string_pretty(&file).expect("JSON of plain values")
}

fn run_corpus(corpus: &Corpus, budget: Duration, rounds: u32) -> Measured {
    // Everything the cases borrow lives for the rest of the program.
    let json: &'static str = Box::leak(corpus.json.clone().into_boxed_str());
    let json_value: &'static serde_json::Value =
        Box::leak(Box::new(serde_json::from_str(json).unwrap()));
    let value: &'static toon::Value<'static> =
        Box::leak(Box::new(serde_json::from_str(json).unwrap()));
    let text: &'static str = Box::leak(
        toon::encode(value, &toon::EncodeOptions::default())
            .unwrap()
            .into_boxed_str(),
    );
    if let Err(e) = check(
        toon::decode(text, &toon::DecodeOptions::default()),
        json_value,
    ) {
        panic!(
            "{}: toon does not round-trip its own encoding: {e}",
            corpus.name
        );
    }

    let mut cases = value_cases(json, json_value, value, text);
    let typed = match corpus_base(corpus.name) {
        "tabular" => typed_form::<Tabular>(corpus.name, json, json_value, text),
        "github" => typed_form::<SearchResult>(corpus.name, json, json_value, text),
        "twitter" => typed_form::<Twitter>(corpus.name, json, json_value, text),
        "checkpoint" => typed_form::<Checkpoint>(corpus.name, json, json_value, text),
        _ => Vec::new(),
    };
    cases.extend(typed);

    // Rounds interleave the cases, so a burst of load from elsewhere on the machine
    // hits every line alike; each line keeps its best time over all rounds.
    let mut times: Vec<Option<Duration>> = vec![None; cases.len()];
    for round in 0..rounds {
        for (case, best) in cases.iter_mut().zip(&mut times) {
            if let Ok(job) = case.job.as_mut() {
                let t = measure(budget / rounds, job);
                *best = Some(best.map_or(t, |b| b.min(t)));
            }
        }
        eprintln!("  round {}/{rounds} done", round + 1);
    }
    for (case, time) in cases.iter().zip(&times) {
        let t = time.map_or("n/a".to_string(), fmt_time);
        eprintln!("  {:<6} {:<5} {:<45} {t}", case.op, case.input, case.lib);
    }
    let rows = cases.into_iter().zip(times).collect();
    Measured {
        corpus: corpus.name,
        json_bytes: json.len(),
        toon_bytes: text.len(),
        rows,
    }
}

/// The typed cases of a corpus whose derive structs are `T`. `T` must hold the corpus
/// field for field: serialized, it gives back the corpus's JSON value exactly, so the
/// typed lines measure the same data as the value lines.
fn typed_form<T>(
    name: &str,
    json: &'static str,
    json_value: &'static serde_json::Value,
    text: &'static str,
) -> Vec<Case<'static>>
where
    T: Serialize + DeserializeOwned + 'static,
{
    let typed: T = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{name}: the corpus does not parse as its typed form: {e}"));
    assert!(
        to_json(&typed).as_ref() == Ok(json_value),
        "{name}: the typed form drops or changes fields of the corpus"
    );
    typed_cases(json, Box::leak(Box::new(typed)), json_value, text)
}

/// The time of the serde_json line of the same operation and input.
fn baseline_of(m: &Measured, op: &str, input: &str) -> Option<Duration> {
    m.rows
        .iter()
        .find(|(c, _)| c.baseline && c.op == op && c.input == input)
        .and_then(|(_, t)| *t)
}

/// The ratio of the line whose call starts with `lib_prefix` to its baseline.
fn ratio(m: &Measured, op: &str, input: &str, lib_prefix: &str) -> String {
    let row = m
        .rows
        .iter()
        .find(|(c, _)| c.op == op && c.input == input && c.lib.starts_with(lib_prefix));
    match (row, baseline_of(m, op, input)) {
        (Some((_, Some(t))), Some(base)) => format!("{:.2}×", t.as_secs_f64() / base.as_secs_f64()),
        (Some((_, None)), _) => "fails".to_string(),
        _ => "–".to_string(),
    }
}

fn report(results: &[Measured], budget: Duration, rounds: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "serde_json features in effect: {}",
        serde_json_features()
    );
    let _ = writeln!(
        out,
        "toon serde API (`to_string`/`from_str`) benched: {}; toon-format peer: {}; {} ms per line in {} interleaved rounds, best of ~5 ms batches",
        if cfg!(feature = "toon-serde-api") {
            "yes"
        } else {
            "no (feature toon-serde-api off)"
        },
        if cfg!(feature = "toon-format") {
            "yes"
        } else {
            "no (feature toon-format off)"
        },
        budget.as_millis(),
        rounds
    );
    out.push('\n');

    // Summary: ratios (time ÷ serde_json's time on the same data, same run; < 1 is faster).
    let _ = writeln!(
        out,
        "Time ÷ serde_json's on the same data in this run (below 1.00× is faster). The first four are toon's serde API (issue 20); `T` is the corpus's derive structs.\n"
    );
    let _ = writeln!(
        out,
        "| corpus | JSON | TOON | `to_string(&serde_json::Value)` | `from_str::<serde_json::Value>` | `to_string(&T)` | `from_str::<T>` | serde_toon `from_str::<T>` | `toon::encode` | `toon::decode` | serde_toon enc | serde_toon dec | toon-format enc | toon-format dec |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for m in results {
        let _ = writeln!(
            out,
            "| {} | {:.1} KB | {:.1} KB ({:.0}%) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.corpus,
            m.json_bytes as f64 / 1000.0,
            m.toon_bytes as f64 / 1000.0,
            100.0 * m.toon_bytes as f64 / m.json_bytes as f64,
            ratio(m, "encode", "Value", "toon::to_string(&serde_json::Value)"),
            ratio(m, "decode", "Value", "toon::from_str::<serde_json::Value>"),
            ratio(m, "encode", "typed", "toon::to_string"),
            ratio(m, "decode", "typed", "toon::from_str"),
            ratio(m, "decode", "typed", "serde_toon::"),
            ratio(m, "encode", "Value", "toon::encode"),
            ratio(m, "decode", "Value", "toon::decode"),
            ratio(m, "encode", "Value", "serde_toon::"),
            ratio(m, "decode", "Value", "serde_toon::"),
            ratio(m, "encode", "Value", "toon_format::"),
            ratio(m, "decode", "Value", "toon_format::"),
        );
    }
    out.push('\n');

    // Detail: absolute times per corpus.
    for m in results {
        let _ = writeln!(
            out,
            "#### {} ({} B of JSON, {} B of TOON)\n",
            m.corpus, m.json_bytes, m.toon_bytes
        );
        let _ = writeln!(
            out,
            "| op | input | call | time | JSON MB/s | × serde_json | note |"
        );
        let _ = writeln!(out, "|---|---|---|---:|---:|---:|---|");
        for (case, time) in &m.rows {
            let (t, speed, r) = match (time, baseline_of(m, case.op, case.input)) {
                (Some(t), base) => (
                    fmt_time(*t),
                    format!("{:.0}", m.json_bytes as f64 / t.as_secs_f64() / 1e6),
                    base.map_or("–".to_string(), |b| {
                        format!("{:.2}", t.as_secs_f64() / b.as_secs_f64())
                    }),
                ),
                (None, _) => ("fails".to_string(), "–".to_string(), "–".to_string()),
            };
            let note = match &case.job {
                Err(why) => why.clone(),
                Ok(_) => case.note.clone(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} | {} |",
                case.op,
                case.input,
                case.lib,
                t,
                speed,
                r,
                note.replace('|', "\\|")
            );
        }
        out.push('\n');
    }
    out
}
