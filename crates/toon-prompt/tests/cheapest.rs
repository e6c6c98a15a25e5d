//! `cheapest`: the choice and counts agree with counting every rendering to the end.

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../../../benches/src/corpus.rs"]
mod corpus;

use serde_json::{Value as Json, json};
use toon::Value;
use toon_prompt::{CheapestOptions, Counting, PromptFormat, cheapest, cheapest_sections};
use toon_tokens::{Encoding, LimitedCount, TokenCounter};

fn documents() -> Vec<(&'static str, Json)> {
    vec![
        (
            "tabular",
            serde_json::from_str(&corpus::tabular_json(200)).unwrap(),
        ),
        (
            "github",
            serde_json::from_str(&corpus::github_repos_json(20)).unwrap(),
        ),
        (
            "twitter",
            serde_json::from_str(&corpus::twitter_json(10)).unwrap(),
        ),
        (
            "checkpoint",
            serde_json::from_str(&corpus::checkpoint_json()).unwrap(),
        ),
        ("flat", json!({"a": 1, "b": "two", "c": {"d": true}})),
        ("deep", json!([[[[1]]], {"x": [{"y": [1, {"z": 2}]}]}, "s"])),
        (
            "commas",
            json!({"rows": [{"t": "a, b", "n": 1}, {"t": "c, d", "n": 2}]}),
        ),
    ]
}

#[test]
fn the_choice_is_the_least_exact_count_and_stopped_counts_are_lower_bounds() {
    for encoding in [Encoding::O200kBase, Encoding::Cl100kBase, Encoding::Qwen2] {
        let counter = TokenCounter::new(encoding);
        for (name, json) in documents() {
            let value = Value::from(&json);
            let exact_options = CheapestOptions {
                counting: Counting::Exact,
                ..CheapestOptions::default()
            };
            let exact = cheapest(&value, &counter, &exact_options).unwrap();
            let fast = cheapest(&value, &counter, &CheapestOptions::default()).unwrap();
            let mut least = usize::MAX;
            let mut expected = None;
            for (candidate, quick) in exact.candidates.iter().zip(&fast.candidates) {
                let text = candidate.format.render(&value, 2).unwrap();
                let tokens = counter.count(&text);
                assert_eq!(
                    candidate.tokens,
                    LimitedCount::Exact(tokens),
                    "{name} {encoding}"
                );
                match quick.tokens {
                    LimitedCount::Exact(count) => assert_eq!(count, tokens),
                    LimitedCount::MoreThan(seen) => {
                        assert!(seen <= tokens && seen > fast.tokens, "{name} {encoding}");
                    }
                }
                if tokens < least {
                    least = tokens;
                    expected = Some((candidate.format, text));
                }
            }
            let (format, text) = expected.unwrap();
            for choice in [&exact, &fast] {
                assert_eq!(choice.format, format, "{name} {encoding}");
                assert_eq!(choice.tokens, least, "{name} {encoding}");
                assert_eq!(choice.text, text, "{name} {encoding}");
            }
        }
    }
}

#[test]
fn toon_wins_tables_and_json_can_win_deep_documents() {
    let counter = TokenCounter::default();
    let table = Value::from(documents().swap_remove(0).1);
    assert!(
        cheapest(&table, &counter, &CheapestOptions::default())
            .unwrap()
            .format
            != PromptFormat::Json
    );
    let deep = Value::from(json!([[[[1]]], [[[2]]], {"x": [{"y": [1, {"z": [[3]]}]}]}]));
    let choice = cheapest(&deep, &counter, &CheapestOptions::default()).unwrap();
    assert_eq!(choice.format, PromptFormat::Json, "{choice}");
}

#[test]
fn identical_renderings_share_one_count_and_ties_go_to_the_first_format() {
    let counter = TokenCounter::default();
    let value = Value::from(json!({"name": "Ada", "age": 36}));
    let choice = cheapest(&value, &counter, &CheapestOptions::default()).unwrap();
    assert_eq!(choice.format, PromptFormat::ToonComma);
    let counts: Vec<LimitedCount> = choice.candidates.iter().map(|c| c.tokens).collect();
    assert_eq!(counts[0], counts[1]);
    assert_eq!(counts[1], counts[2]);
    let line = choice.to_string();
    assert!(
        line.starts_with(&format!(
            "chosen: toon-comma, {} tokens (toon-comma ",
            choice.tokens
        )),
        "{line}"
    );
}

#[test]
fn only_the_listed_formats_are_compared_in_their_order() {
    let counter = TokenCounter::default();
    let value = Value::from(documents().swap_remove(0).1);
    let options = CheapestOptions {
        formats: vec![PromptFormat::Json, PromptFormat::ToonPipe],
        ..CheapestOptions::default()
    };
    let choice = cheapest(&value, &counter, &options).unwrap();
    let formats: Vec<PromptFormat> = choice.candidates.iter().map(|c| c.format).collect();
    assert_eq!(formats, [PromptFormat::Json, PromptFormat::ToonPipe]);
    assert_eq!(choice.format, PromptFormat::ToonPipe);
}

#[test]
fn each_section_is_chosen_on_its_own() {
    let counter = TokenCounter::default();
    let table = Value::from(documents().swap_remove(0).1);
    let deep = Value::from(json!([[[[1]]], [[[2]]], {"x": [{"y": [1, {"z": [[3]]}]}]}]));
    let sections = cheapest_sections(
        [("users", &table), ("config", &deep)],
        &counter,
        &CheapestOptions::default(),
    )
    .unwrap();
    assert_eq!(sections[0].name, "users");
    assert_ne!(sections[0].choice.format, PromptFormat::Json);
    assert_eq!(sections[1].choice.format, PromptFormat::Json);
}
