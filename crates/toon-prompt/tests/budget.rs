//! `fit_to_budget` on the bench corpora and on edge shapes: the text fits, is valid TOON
//! of the value with the cut arrays shortened, says what it cut, and leaves no room for
//! another row.

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../../../benches/src/corpus.rs"]
mod corpus;

use serde_json::{Value as Json, json};
use toon::{DecodeOptions, Delimiter, EncodeOptions, Value};
use toon_prompt::{Cut, PromptError, fit_to_budget};
use toon_tokens::{Encoding, TokenCounter};

fn corpora() -> Vec<(&'static str, Json)> {
    vec![
        (
            "tabular",
            serde_json::from_str(&corpus::tabular_json(300)).unwrap(),
        ),
        (
            "github",
            serde_json::from_str(&corpus::github_repos_json(30)).unwrap(),
        ),
        (
            "twitter",
            serde_json::from_str(&corpus::twitter_json(20)).unwrap(),
        ),
        ("mixed", mixed()),
    ]
}

/// Several cuttable arrays of different lengths and forms, nested through objects.
fn mixed() -> Json {
    let rows: Vec<Json> = (0..120)
        .map(|i| json!({"id": i, "name": format!("user {i}"), "tags": ["a", "b"]}))
        .collect();
    json!({
        "title": "report",
        "users": rows,
        "scores": (0..200).map(|i| i * 7 % 13).collect::<Vec<_>>(),
        "notes": ["a, b", "c|d", "e\tf", "x: y", "\"quoted\""],
        "data": {"points": (0..40).map(|i| json!({"x": i, "y": i * i})).collect::<Vec<_>>(),
                 "empty": [], "name": "inner"},
        "tail": (0..30).map(|i| json!({"k": i})).collect::<Vec<_>>()
    })
}

/// `value` with each cut array truncated to its kept rows.
fn truncated(value: &Json, cuts: &[Cut]) -> Json {
    let mut value = value.clone();
    for cut in cuts {
        let pointer = pointer_of(&cut.path);
        let array = value
            .pointer_mut(&pointer)
            .and_then(Json::as_array_mut)
            .unwrap();
        array.truncate(cut.kept);
    }
    value
}

/// A JSON pointer for the identifier paths of these corpora (`data.points`).
fn pointer_of(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    path.split('.').map(|key| format!("/{key}")).collect()
}

fn check_fitted(
    name: &str,
    json: &Json,
    budget: usize,
    counter: &TokenCounter,
    options: &EncodeOptions,
) {
    let value = Value::from(json);
    let full = toon::encode(&value, options).unwrap();
    let full_tokens = counter.count(&full);
    let fitted = match fit_to_budget(&value, budget, counter, options) {
        Ok(fitted) => fitted,
        Err(PromptError::SkeletonTooLarge {
            skeleton_tokens, ..
        }) => {
            assert!(skeleton_tokens > budget, "{name} {budget}");
            return;
        }
        Err(error) => panic!("{name} {budget}: {error}"),
    };
    let context = format!("{name}, {} budget {budget}", counter.encoding());
    assert_eq!(fitted.tokens, counter.count(&fitted.text), "{context}");
    assert!(
        fitted.tokens <= budget,
        "{context}: {} tokens",
        fitted.tokens
    );
    if full_tokens <= budget {
        assert_eq!(fitted.text, full, "{context}");
        assert!(fitted.cuts.is_empty(), "{context}");
        return;
    }
    assert!(!fitted.cuts.is_empty(), "{context}");
    let decode_options = DecodeOptions::default().with_indent(options.indent());
    let decoded = toon::decode(&fitted.text, &decode_options)
        .unwrap_or_else(|error| panic!("{context}: {error}\n{}", fitted.text));
    assert!(
        corpus::loosely_equal(&Json::from(decoded), &truncated(json, &fitted.cuts)),
        "{context}\n{}",
        fitted.text
    );
    for cut in &fitted.cuts {
        assert!(cut.kept < cut.rows, "{context}: {cut}");
        let comment = format!("# {} ", cut.rows);
        assert!(
            fitted.text.contains(&comment),
            "{context}: no comment for {cut}"
        );
    }
}

fn budgets(counter: &TokenCounter, json: &Json, options: &EncodeOptions) -> Vec<usize> {
    let full = counter.count(&toon::encode(&Value::from(json), options).unwrap());
    let mut budgets: Vec<usize> = (1..=12).map(|step| full * step / 12).collect();
    budgets.extend([0, 1, 20, 50, 100, full - 1, full, full + 1]);
    budgets
}

#[test]
fn fitted_text_fits_decodes_and_reports_its_cuts() {
    for encoding in [Encoding::O200kBase, Encoding::Cl100kBase, Encoding::Llama3] {
        let counter = TokenCounter::new(encoding);
        for (name, json) in corpora() {
            let options = EncodeOptions::default();
            for budget in budgets(&counter, &json, &options) {
                check_fitted(name, &json, budget, &counter, &options);
            }
        }
    }
}

#[test]
fn other_delimiters_and_indents_fit_too() {
    let counter = TokenCounter::default();
    let json = mixed();
    for options in [
        EncodeOptions::new().with_delimiter(Delimiter::Tab),
        EncodeOptions::new()
            .with_delimiter(Delimiter::Pipe)
            .with_indent(4),
    ] {
        for budget in budgets(&counter, &json, &options) {
            check_fitted("mixed", &json, budget, &counter, &options);
        }
    }
}

/// Every budget from the skeleton to the whole: the fitted count never exceeds it, and
/// only a row that does not fit is left out (one more row in any cut array is over).
#[test]
fn each_budget_is_filled_as_far_as_a_row_allows() {
    let counter = TokenCounter::default();
    let rows: Vec<Json> = (0..40)
        .map(|i| json!({"id": i, "name": format!("name {i}")}))
        .collect();
    let json = json!({"a": rows, "b": (0..25).collect::<Vec<_>>(), "c": {"d": rows[..10]}});
    let value = Value::from(&json);
    let options = EncodeOptions::default();
    let full = counter.count(&toon::encode(&value, &options).unwrap());
    for budget in 0..=full + 2 {
        let Ok(fitted) = fit_to_budget(&value, budget, &counter, &options) else {
            continue;
        };
        assert!(fitted.tokens <= budget);
        // One more row in any cut array: the same text with that row spliced in is over.
        for cut in &fitted.cuts {
            let mut more = truncated(&json, &fitted.cuts);
            let source = json
                .pointer(&pointer_of(&cut.path))
                .and_then(Json::as_array)
                .unwrap();
            more.pointer_mut(&pointer_of(&cut.path))
                .and_then(Json::as_array_mut)
                .unwrap()
                .push(source[cut.kept].clone());
            let grown = fit_to_budget(&Value::from(&more), usize::MAX, &counter, &options).unwrap();
            // The grown document without comments costs at most the fitted one with
            // them plus the row; the fitted one must be within a row of the budget.
            let row_tokens = counter.count(&grown.text)
                - counter.count(
                    &toon::encode(&Value::from(&truncated(&json, &fitted.cuts)), &options).unwrap(),
                );
            assert!(
                fitted.tokens + row_tokens > budget,
                "budget {budget}: {cut} leaves room for a row of {row_tokens} tokens ({} used)",
                fitted.tokens
            );
        }
    }
}

#[test]
fn arrays_of_like_rows_share_the_budget_evenly() {
    let counter = TokenCounter::default();
    let table = |name: &str| -> Vec<Json> {
        (0..100)
            .map(|i| json!({"id": i, "label": format!("{name} {i}")}))
            .collect()
    };
    let json = json!({"first": table("alpha"), "second": table("beta"), "short": table("x")[..5]});
    let value = Value::from(&json);
    for budget in [60, 150, 400, 900] {
        let fitted = fit_to_budget(&value, budget, &counter, &EncodeOptions::default()).unwrap();
        let kept = |path: &str| {
            fitted
                .cuts
                .iter()
                .find(|cut| cut.path == path)
                .map_or(usize::MAX, |cut| cut.kept)
        };
        assert!(
            kept("first").abs_diff(kept("second")) <= 1,
            "{budget}: {:?}",
            fitted.cuts
        );
        // The short table keeps all its rows once the others keep more than it has.
        if kept("first") >= 5 {
            assert_eq!(kept("short"), usize::MAX, "{budget}: {:?}", fitted.cuts);
        }
    }
}

#[test]
fn a_skeleton_over_the_budget_is_an_error_naming_its_size() {
    let counter = TokenCounter::default();
    let json = json!({"title": "a fairly long title that costs tokens", "rows": [1, 2, 3]});
    let error =
        fit_to_budget(&Value::from(&json), 3, &counter, &EncodeOptions::default()).unwrap_err();
    let PromptError::SkeletonTooLarge {
        skeleton_tokens,
        max_tokens,
    } = error
    else {
        panic!("{error}");
    };
    assert_eq!(max_tokens, 3);
    assert!(skeleton_tokens > 3);
    assert!(error.to_string().contains("more than the budget of 3"));
}

#[test]
fn root_arrays_quoted_keys_and_quoted_values_are_cut_where_they_should_be() {
    let counter = TokenCounter::default();
    let options = EncodeOptions::default();
    // A root table.
    let rows: Vec<Json> = (0..50)
        .map(|i| json!({"id": i, "ok": i % 2 == 0}))
        .collect();
    let fitted = fit_to_budget(&Value::from(&json!(rows)), 40, &counter, &options).unwrap();
    assert!(fitted.text.starts_with('['), "{}", fitted.text);
    assert_eq!(fitted.cuts[0].path, "");
    assert_eq!(
        fitted.cuts[0].to_string(),
        format!("root: 50 rows, {} kept", fitted.cuts[0].kept)
    );
    // A key with brackets and an inline array whose values hold the delimiter.
    let json = json!({"a[1]": (0..60).collect::<Vec<_>>(), "b c": ["x,y", "z", "w,v", "u"]});
    let value = Value::from(&json);
    let full = counter.count(&toon::encode(&value, &options).unwrap());
    for budget in 10..full {
        let Ok(fitted) = fit_to_budget(&value, budget, &counter, &options) else {
            continue;
        };
        let decoded = Json::from(toon::decode(&fitted.text, &DecodeOptions::default()).unwrap());
        for (key, original) in json.as_object().unwrap() {
            let kept = decoded[key].as_array().unwrap();
            assert_eq!(
                kept[..],
                original.as_array().unwrap()[..kept.len()],
                "{budget}"
            );
        }
    }
}
