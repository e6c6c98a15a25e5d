//! The round-trip property: Markdown → TOON → Markdown → TOON gives the same TOON the
//! second time. Checked on a fixed corpus of varied documents (the golden inputs
//! included), on documents generated from a grammar of the supported blocks, and on
//! random soups of Markdown-special characters.

use markdown_to_toon::MarkdownToToonOptions;
use proptest::prelude::*;
use toon_to_markdown::ToonToMarkdownOptions;

/// The first TOON, and the second one when it differs (with the Markdown between).
fn round_trip(markdown: &str) -> Result<String, String> {
    let toon_options = MarkdownToToonOptions::default();
    let first = markdown_to_toon::convert(markdown, &toon_options)
        .map_err(|e| format!("markdown → toon: {e}"))?;
    let rendered = toon_to_markdown::convert(&first, &ToonToMarkdownOptions::default())
        .map_err(|e| format!("toon → markdown: {e}\n--- toon:\n{first}"))?;
    let second = markdown_to_toon::convert(&rendered, &toon_options)
        .map_err(|e| format!("markdown → toon (2): {e}"))?;
    if first == second {
        Ok(first)
    } else {
        Err(format!(
            "not stable\n--- markdown:\n{markdown}\n--- toon:\n{first}\n--- markdown (2):\n{rendered}\n--- toon (2):\n{second}"
        ))
    }
}

fn assert_round_trip(markdown: &str) {
    if let Err(why) = round_trip(markdown) {
        panic!("{why}");
    }
}

const CORPUS: &[&str] = &[
    "",
    "Just one paragraph.",
    "# Title\n\nIntro text with *emphasis*, **bold**, `code` and a [link](https://example.com).\n",
    "---\ntitle: Demo\ntags: [a, b]\n---\n\n# Demo\n\nBody.\n",
    "# A\n\n## B\n\n### C\n\ntext\n\n## D\n\n- x\n- y\n",
    "- **name**: toon\n- **version**: 0.1.0\n\n# Install\n\n```sh\ncargo install toon\n```\n",
    "# Tasks\n\n- [x] write the parser\n- [ ] write the tests\n- [ ] ship\n",
    "| id | name |\n|---|---|\n| 1 | Ada |\n| 2 | Bo \\| Al |\n",
    "|  | host | port |\n|---|---|---|\n| a | x.com | 80 |\n| b | y.com | 443 |\n",
    "1. first\n2. second\n   - nested\n   - more\n3. third\n",
    "- a\n  - b\n    - c\n      - d\n- e\n",
    "> a quote\n> over two lines\n\nafter\n",
    "<div align=\"center\">\n  <b>html</b>\n</div>\n\ntext\n",
    "# Same\n\none\n\n# Same\n\ntwo\n\n# content\n\nthree\n",
    "- **content**: a field\n\nand a paragraph\n",
    "Setext title\n============\n\nSub\n---\n\nbody\n",
    "line one  \nline two\\\nline three<br>line four\n",
    "# Code\n\n````md\n```rust\nfn main() {}\n```\n````\n\n    indented code\n    block\n",
    "- loose item\n\n- another\n\n  with a second paragraph\n",
    "# Empty\n\n# Next\n\n## Also empty\n",
    "Escapes: \\*not emphasis\\*, \\# not a heading, 1\\. not a list, a \\| pipe, C:\\\\path\n",
    "| a | b |\n|---|---|\n",
    "- [x] done with a list\n\n  - sub 1\n  - sub 2\n- [ ] open\n",
    "# T\n\n| lang | code |\n|---|---|\n| rust | fn x() {} |\n",
    "- **a**:\n\n  - x\n  - y\n- **b**: text\n\nparagraph\n",
    "-\n  - nested only\n- \n- after empty\n",
    "# H1\n###### H6\n\n- **deep**: field\n\n####### not a heading\n",
    "text\n\n---\n\nmore text after a rule\n",
    "# Emoji 🎉\n\nUnicode: é, 日本語, and tabs\tinside.\n",
    "- **k1**: v1\n* **k2**: v2\n\n+ plain\n+ list\n",
];

#[test]
fn corpus_round_trips() {
    let mut failures = Vec::new();
    for markdown in CORPUS {
        if let Err(why) = round_trip(markdown) {
            failures.push(why);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n========\n\n"));
}

#[test]
fn golden_inputs_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            assert_round_trip(&std::fs::read_to_string(&path).unwrap());
            count += 1;
        }
    }
    assert!(count >= 5, "golden inputs missing");
}

/// Inline text with every kind of special character in it.
fn inline() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => "[a-zA-Z0-9]{1,8}",
        1 => Just("*em*".to_owned()),
        1 => Just("**strong**".to_owned()),
        1 => Just("`code`".to_owned()),
        1 => Just("[link](http://x.y)".to_owned()),
        1 => Just("\\*".to_owned()),
        1 => Just("a|b".to_owned()),
        1 => Just("<br>".to_owned()),
        1 => Just("&amp;".to_owned()),
        1 => Just("_x_".to_owned()),
        1 => Just("#".to_owned()),
        1 => Just("1.".to_owned()),
        1 => Just("-".to_owned()),
        1 => Just("é日".to_owned()),
        1 => Just("\\".to_owned()),
        1 => Just("~~".to_owned()),
        1 => Just("**k**:".to_owned()),
    ];
    prop::collection::vec(word, 1..6).prop_map(|words| words.join(" "))
}

#[derive(Debug, Clone)]
enum Gen {
    Heading(usize, String),
    Para(Vec<String>),
    List(bool, Vec<Vec<Gen>>),
    Tasks(Vec<(bool, String)>),
    Fields(Vec<(String, String)>),
    Table(Vec<String>, Vec<Vec<String>>),
    Code(String, Vec<String>),
    Quote(String),
}

fn leaf() -> impl Strategy<Value = Gen> {
    prop_oneof![
        3 => prop::collection::vec(inline(), 1..3).prop_map(Gen::Para),
        1 => prop::collection::vec((any::<bool>(), inline()), 1..4).prop_map(Gen::Tasks),
        2 => prop::collection::vec((inline(), inline()), 1..4).prop_map(Gen::Fields),
        1 => (1usize..4, 0usize..4).prop_flat_map(|(cols, rows)| (
            prop::collection::vec(prop_oneof![3 => inline(), 1 => Just(String::new())], cols),
            prop::collection::vec(prop::collection::vec(prop_oneof![3 => inline(), 1 => Just(String::new())], cols), rows),
        )).prop_map(|(head, rows)| Gen::Table(head, rows)),
        1 => ("[a-z]{0,4}", prop::collection::vec("[ a-z{}();*#`-]{0,12}", 0..4))
            .prop_map(|(lang, lines)| Gen::Code(lang, lines)),
        1 => inline().prop_map(Gen::Quote),
    ]
}

fn block() -> impl Strategy<Value = Gen> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        (
            any::<bool>(),
            prop::collection::vec(prop::collection::vec(inner, 0..3), 1..4),
        )
            .prop_map(|(ordered, items)| Gen::List(ordered, items))
    })
}

fn document() -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(
        prop_oneof![
            3 => block(),
            1 => (1usize..7, prop_oneof![3 => inline(), 1 => Just(String::new())])
                .prop_map(|(level, text)| Gen::Heading(level, text)),
        ],
        0..10,
    )
}

fn write(out: &mut String, block: &Gen, indent: usize) {
    let pad = " ".repeat(indent);
    match block {
        Gen::Heading(level, text) => {
            out.push_str(&format!("{pad}{} {text}\n", "#".repeat(*level)));
        }
        Gen::Para(lines) => {
            for line in lines {
                out.push_str(&format!("{pad}{line}\n"));
            }
        }
        Gen::List(ordered, items) => {
            for (i, item) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{}.", i + 1)
                } else {
                    "-".to_owned()
                };
                out.push_str(&format!("{pad}{marker}"));
                let inner = indent + marker.len() + 1;
                if item.is_empty() {
                    out.push('\n');
                    continue;
                }
                out.push('\n');
                for (j, b) in item.iter().enumerate() {
                    if j > 0 {
                        out.push('\n');
                    }
                    write(out, b, inner);
                }
            }
        }
        Gen::Tasks(tasks) => {
            for (done, text) in tasks {
                out.push_str(&format!(
                    "{pad}- [{}] {text}\n",
                    if *done { "x" } else { " " }
                ));
            }
        }
        Gen::Fields(fields) => {
            for (key, value) in fields {
                out.push_str(&format!("{pad}- **{key}**: {value}\n"));
            }
        }
        Gen::Table(head, rows) => {
            let row = |cells: &[String]| format!("{pad}| {} |\n", cells.join(" | "));
            out.push_str(&row(head));
            out.push_str(&format!("{pad}|{}\n", "---|".repeat(head.len())));
            for cells in rows {
                out.push_str(&row(cells));
            }
        }
        Gen::Code(lang, lines) => {
            out.push_str(&format!("{pad}```{lang}\n"));
            for line in lines {
                out.push_str(&format!("{pad}{line}\n"));
            }
            out.push_str(&format!("{pad}```\n"));
        }
        Gen::Quote(text) => out.push_str(&format!("{pad}> {text}\n")),
    }
}

fn render(blocks: &[Gen]) -> String {
    let mut out = String::new();
    for block in blocks {
        write(&mut out, block, 0);
        out.push('\n');
    }
    out
}

/// Pieces of Markdown syntax, concatenated at random.
fn token() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "# ",
        "## ",
        "#### ",
        "> ",
        "```",
        "~~~",
        "```rust",
        "|",
        " | ",
        "|---|",
        "---",
        "===",
        "\n",
        "\n",
        "\n",
        "\n\n",
        "  ",
        "    ",
        "\t",
        "[x] ",
        "[ ] ",
        "**k**: ",
        "**",
        "*",
        "_",
        "`",
        "<br>",
        "<div>",
        "\\",
        "\\*",
        "&amp;",
        "a",
        "b c",
        "é",
        "content",
        "front_matter",
        "lang",
        "code",
        ".",
        "a.b",
        "(2)",
        "[l](u)",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_documents_round_trip(blocks in document()) {
        let markdown = render(&blocks);
        if let Err(why) = round_trip(&markdown) {
            return Err(TestCaseError::fail(why));
        }
    }

    #[test]
    fn character_soup_round_trips(markdown in "[-*_#>|`\\[\\]()!\\\\ \t\n1.ab:~<&+=){}]{0,80}") {
        if let Err(why) = round_trip(&markdown) {
            return Err(TestCaseError::fail(why));
        }
    }

    #[test]
    fn token_soup_round_trips(tokens in prop::collection::vec(token(), 0..40)) {
        let markdown = tokens.concat();
        if let Err(why) = round_trip(&markdown) {
            return Err(TestCaseError::fail(why));
        }
    }
}
