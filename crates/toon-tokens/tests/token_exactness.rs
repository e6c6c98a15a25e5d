//! `toon_tokens` against its oracle, `tiktoken-rs` (tiktoken's own Rust core), on a
//! deterministic generated corpus: English-like prose, code, JSON and TOON from our
//! encoder, CJK, emoji with ZWJ sequences, other scripts and combining marks, whitespace
//! runs, long digit strings and Unicode digits, special-token text, random scalars, and
//! adversarial mixes of the characters the split patterns treat specially.
//!
//! For each encoding, every document's token ids (`encode`), count (`count`, through the
//! piece memo) and the parallel `count_batch` must equal tiktoken's, and the pieces must
//! equal the spans `fancy-regex` finds with tiktoken's split pattern. The full corpus is
//! 24 MiB (run in release: `cargo test --release -p toon-tokens --test
//! token_exactness`); a debug build checks the first 3 MiB of the same corpus.
//! `TOON_EXACTNESS_MB` overrides the size.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use fancy_regex::Regex;
use toon_tokens::{Encoding, TokenCounter, pieces};

/// tiktoken's cl100k_base split pattern, as tiktoken-rs compiles it.
const CL100K_PATTERN: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";

fn corpus_bytes() -> usize {
    let default_mb = if cfg!(debug_assertions) { 3 } else { 24 };
    let mb = std::env::var("TOON_EXACTNESS_MB")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default_mb);
    mb << 20
}

// --- A small deterministic generator ------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn char_in(&mut self, low: u32, high: u32) -> char {
        loop {
            let cp = low + (self.next() % u64::from(high - low + 1)) as u32;
            if let Some(c) = char::from_u32(cp) {
                return c;
            }
        }
    }

    /// A size between 16 bytes and `max`, log-uniform.
    fn size(&mut self, max: usize) -> usize {
        let bits = self.range(4, max.ilog2() as usize);
        self.range(1 << (bits - 1), 1 << bits)
    }
}

#[path = "common/words.rs"]
mod words;
use words::WORDS;

const CONTRACTIONS: &[&str] = &[
    "don't",
    "I'm",
    "we're",
    "they've",
    "it'll",
    "he'd",
    "she's",
    "can't",
    "won't",
    "Y'all",
    "DON'T",
    "I'M",
    "WE'RE",
    "THEY'VE",
    "IT'LL",
    "HE'D",
    "John's",
    "JOHN'S",
    "O'Neil",
    "rock'n'roll",
    "'tis",
    "'Twas",
    "ma'am",
    "o'clock",
    "you'Re",
    "We'vE",
    "it'LL",
    "I'D",
    "don’t",
    "it’s",
    "'s",
    "'S",
    "'t",
    "'re",
    "'ve",
    "'m",
    "'ll",
    "'d",
    "'ſ",
    "x'ſ",
    "'Ll",
];

const PUNCTUATION: &[&str] = &[
    ",", ".", ";", ":", "!", "?", "...", " —", "–", "(", ")", "\"", "“", "”", "‘", "’", "«", "»",
    "¿", "¡", " -", "/", " /", "//", "&", "%", "$", "#", "@", "*", "**", "_", "~", "`",
];

fn prose(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    let mut sentence_start = true;
    while text.len() < size {
        let word = match rng.below(20) {
            0 => rng.pick(CONTRACTIONS).to_string(),
            1 => rng.range(0, 100_000).to_string(),
            2 => format!("{}.{}", rng.range(0, 999), rng.range(0, 99)),
            3 => format!("{}%", rng.range(0, 100)),
            4 => format!("${}", rng.range(1, 10_000)),
            5 => rng.pick(WORDS).to_uppercase(),
            _ => rng.pick(WORDS).to_string(),
        };
        let word = if sentence_start {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        } else {
            word
        };
        text.push_str(&word);
        sentence_start = false;
        match rng.below(30) {
            0 => {
                text.push_str(rng.pick(&[". ", "? ", "! ", ".\n", ".\n\n", ".  ", ". \n"]));
                sentence_start = true;
            }
            1 => text.push_str(rng.pick(PUNCTUATION)),
            2 => text.push_str(", "),
            3 => text.push_str("  "),
            4 => text.push_str(" \""),
            _ => text.push(' '),
        }
    }
    text
}

const IDENTS: &[&str] = &[
    "x",
    "i",
    "len",
    "value",
    "count_tokens",
    "TokenCounter",
    "HTTP_STATUS",
    "parseJSON",
    "__init__",
    "self",
    "this",
    "Vec",
    "HashMap",
    "Option",
    "None",
    "Some",
    "Ok",
    "Err",
    "async",
    "await",
    "fn",
    "let",
    "mut",
    "const",
    "impl",
    "return",
    "def",
    "class",
    "lambda",
    "function",
    "var",
    "println",
    "console",
    "log",
    "std",
    "io",
    "fmt",
    "u32",
    "usize",
    "i64",
];

fn code(rng: &mut Rng, size: usize) -> String {
    let newline = if rng.chance(25) { "\r\n" } else { "\n" };
    let tabs = rng.chance(30);
    let mut text = String::new();
    let mut depth: usize = 0;
    while text.len() < size {
        let indent = if tabs {
            "\t".repeat(depth)
        } else {
            " ".repeat(depth * rng.range(2, 4))
        };
        let a = rng.pick(IDENTS);
        let b = rng.pick(IDENTS);
        let line = match rng.below(16) {
            0 => format!("fn {a}_{b}(&mut self, {b}: usize) -> Result<{a}, Error> {{"),
            1 => format!("def {a}({b}, *args, **kwargs):"),
            2 => format!(
                "const {a} = ({b}) => {{ return {b} * 0x{:X}; }};",
                rng.next() >> 40
            ),
            3 => format!("// {}", prose(rng, 40).trim_end()),
            4 => format!("/* {a} {b} */ if ({a} != {b} && {a}->{b} >= 1e-9) {{"),
            5 => format!(
                "let {a}: Vec<{b}> = vec![{}, {}, {}];",
                rng.below(10),
                rng.next() % 1000,
                rng.below(7)
            ),
            6 => format!("printf(\"%s: %d\\n\", \"{a}\", {});", rng.below(100)),
            7 => format!("    #[derive(Debug)] // {a}::{b}"),
            8 => format!(
                "url = \"https://example.com/{a}/{b}?q={}&lang=en\"",
                rng.below(1000)
            ),
            9 => format!("}} else {{ {a}.{b}(); }}"),
            10 => format!(
                "{a}[{}] = {b}[{}] + {a}[{}];",
                rng.below(9),
                rng.below(9),
                rng.below(9)
            ),
            11 => "}".to_owned(),
            12 => String::new(),
            13 => format!("import {a}.{b} as {a}_{b}  # noqa: E501"),
            14 => format!("<div class=\"{a}\">{b}</div>"),
            _ => format!("{a} := {b}({a}, {}) ;; ", rng.below(1 << 20)),
        };
        text.push_str(&indent);
        text.push_str(&line);
        if rng.chance(5) {
            text.push_str("   ");
        }
        text.push_str(newline);
        if line.ends_with('{') || line.ends_with(':') {
            depth = (depth + 1).min(8);
        } else if line.starts_with('}') {
            depth = depth.saturating_sub(1);
        }
    }
    text
}

fn json_value(rng: &mut Rng, depth: usize) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let scalar = |rng: &mut Rng| -> Value {
        match rng.below(8) {
            0 => json!(rng.range(0, 1_000_000)),
            1 => json!(rng.next() as i64),
            2 => json!((rng.next() % 100_000) as f64 / 7.0),
            3 => json!(rng.chance(50)),
            4 => Value::Null,
            5 => json!(cjk(rng, 12)),
            6 => json!(format!("{} {}", rng.pick(WORDS), rng.pick(CONTRACTIONS))),
            _ => json!(rng.pick(WORDS)),
        }
    };
    if depth == 0 {
        return scalar(rng);
    }
    match rng.below(4) {
        0 => {
            // A uniform array of objects: TOON's tabular form.
            let keys: Vec<&str> = (0..rng.range(2, 6)).map(|_| rng.pick(WORDS)).collect();
            let rows = (0..rng.range(1, 30))
                .map(|_| {
                    let mut row = Map::new();
                    for key in &keys {
                        row.insert((*key).to_owned(), scalar(rng));
                    }
                    Value::Object(row)
                })
                .collect();
            Value::Array(rows)
        }
        1 => Value::Array(
            (0..rng.range(0, 8))
                .map(|_| json_value(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let mut object = Map::new();
            for _ in 0..rng.range(1, 8) {
                let key = if rng.chance(10) {
                    format!("{} key", rng.pick(WORDS))
                } else {
                    (rng.pick(WORDS)).to_owned()
                };
                object.insert(key, json_value(rng, depth - 1));
            }
            Value::Object(object)
        }
    }
}

fn json_or_toon(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        let depth = rng.range(1, 4);
        let value = json_value(rng, depth);
        let json = serde_json::to_string(&value).expect("json");
        let piece = match rng.below(4) {
            0 => json,
            1 => serde_json::to_string_pretty(&value).expect("json"),
            _ => {
                let value: toon::Value<'_> = serde_json::from_str(&json).expect("toon value");
                let delimiter = rng.pick(&[
                    toon::Delimiter::Comma,
                    toon::Delimiter::Comma,
                    toon::Delimiter::Tab,
                    toon::Delimiter::Pipe,
                ]);
                let options = toon::EncodeOptions::new().with_delimiter(delimiter);
                toon::encode(&value, &options).expect("toon")
            }
        };
        text.push_str(&piece);
        text.push('\n');
    }
    text
}

fn cjk(rng: &mut Rng, size: usize) -> String {
    const COMMON: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音";
    const PUNCT: &[&str] = &[
        "。", "、", "，", "！", "？", "「", "」", "（", "）", "：", "；", "…", "　",
    ];
    let common: Vec<char> = COMMON.chars().collect();
    let mut text = String::new();
    while text.len() < size {
        match rng.below(12) {
            0 => text.push(rng.char_in(0x4E00, 0x9FFF)),
            1 => text.push(rng.char_in(0x3041, 0x3096)),
            2 => text.push(rng.char_in(0x30A1, 0x30FA)),
            3 => {
                text.push(rng.char_in(0xAC00, 0xD7A3));
                if rng.chance(30) {
                    text.push(' ');
                }
            }
            4 => text.push_str(rng.pick(PUNCT)),
            5 => text.push(rng.char_in(0xFF10, 0xFF19)),
            6 => text.push(rng.char_in(0xFF21, 0xFF3A)),
            7 if rng.chance(30) => {
                text.push(' ');
                text.push_str(rng.pick(WORDS));
                text.push(' ');
            }
            8 if rng.chance(10) => text.push('\n'),
            _ => text.push(rng.pick(&common)),
        }
    }
    text
}

const EMOJI: &[&str] = &[
    "😀",
    "😂",
    "🥲",
    "❤️",
    "👍",
    "👍🏽",
    "👋🏿",
    "🙏",
    "🔥",
    "✨",
    "🎉",
    "🚀",
    "👨‍👩‍👧‍👦",
    "👩🏽‍💻",
    "🏳️‍🌈",
    "🏴‍☠️",
    "🧑‍🤝‍🧑",
    "🇺🇸",
    "🇯🇵",
    "🇩🇪",
    "1️⃣",
    "#️⃣",
    "©️",
    "™️",
    "☺",
    "☺️",
    "🫠",
    "🪿",
    "👁️‍🗨️",
    "❤️‍🔥",
    "🐈‍⬛",
    "🤷‍♀️",
    "💁🏻‍♂️",
    "\u{200D}",
    "\u{FE0F}",
    "\u{20E3}",
];

fn emoji(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        match rng.below(6) {
            0 => text.push(' '),
            1 => text.push_str(rng.pick(WORDS)),
            2 => text.push_str(rng.pick(PUNCTUATION)),
            _ => text.push_str(rng.pick(EMOJI)),
        }
    }
    text
}

fn scripts(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        let word_len = rng.range(1, 9);
        match rng.below(12) {
            0 => (0..word_len).for_each(|_| text.push(rng.char_in(0x0391, 0x03C9))), // Greek
            1 => (0..word_len).for_each(|_| text.push(rng.char_in(0x0410, 0x044F))), // Cyrillic
            2 => (0..word_len).for_each(|_| {
                text.push(rng.char_in(0x0627, 0x064A)); // Arabic + harakat
                if rng.chance(40) {
                    text.push(rng.char_in(0x064B, 0x0652));
                }
            }),
            3 => (0..word_len).for_each(|_| {
                text.push(rng.char_in(0x05D0, 0x05EA)); // Hebrew + niqqud
                if rng.chance(40) {
                    text.push(rng.char_in(0x05B0, 0x05BC));
                }
            }),
            4 => (0..word_len).for_each(|_| {
                text.push(rng.char_in(0x0915, 0x0939)); // Devanagari + matras
                if rng.chance(50) {
                    text.push(rng.char_in(0x093E, 0x094D));
                }
            }),
            5 => (0..word_len).for_each(|_| text.push(rng.char_in(0x0E01, 0x0E4E))), // Thai
            6 => (0..word_len).for_each(|_| {
                text.push(rng.char_in(0x61, 0x7A)); // Latin + combining marks
                for _ in 0..rng.below(3) {
                    text.push(rng.char_in(0x0300, 0x036F));
                }
            }),
            7 => (0..word_len).for_each(|_| {
                text.push(rng.char_in(0x41, 0x5A)); // zalgo
                for _ in 0..rng.below(12) {
                    text.push(rng.char_in(0x0300, 0x036F));
                }
            }),
            8 => (0..word_len).for_each(|_| {
                text.push(rng.pick(&[
                    'ǅ', 'ǈ', 'ǋ', 'ǲ', 'ᾈ', 'ᾼ', 'ʰ', 'ʲ', 'ˈ', 'ˆ', 'ᵃ', 'ꜰ', 'ß', 'ﬀ', 'İ', 'ı',
                    'ǆ', 'Ǆ',
                ]))
            }),
            9 => (0..word_len).for_each(|_| text.push(rng.char_in(0x10A0, 0x10FF))), // Georgian
            10 => (0..word_len).for_each(|_| text.push(rng.char_in(0x13A0, 0x13F5))), // Cherokee
            _ => (0..word_len).for_each(|_| text.push(rng.char_in(0x1F00, 0x1FFC))), // Greek ext
        }
        text.push_str(rng.pick(&[" ", " ", " ", ", ", ". ", "\n", "-", "'s ", "’", "'LL "]));
    }
    text
}

const SPACES: &[&str] = &[
    " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\u{A0}", "\u{3000}", "\u{2003}", "\u{85}",
    "\u{2028}", "\u{2029}", "\u{B}", "\u{C}", "\u{1680}", "\u{202F}", "\u{205F}", " \t ",
];

fn whitespace(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        for _ in 0..rng.range(1, 12) {
            text.push_str(rng.pick(SPACES));
        }
        match rng.below(6) {
            0 => text.push_str(rng.pick(WORDS)),
            1 => text.push_str(rng.pick(PUNCTUATION)),
            2 => text.push_str(&rng.below(10_000).to_string()),
            3 => text.push(rng.char_in(0x4E00, 0x9FFF)),
            4 => text.push_str(rng.pick(CONTRACTIONS)),
            _ => text.push('x'),
        }
    }
    if rng.chance(50) {
        for _ in 0..rng.range(1, 6) {
            text.push_str(rng.pick(SPACES));
        }
    }
    text
}

fn digits(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        match rng.below(10) {
            0 => (0..rng.range(1, 3000))
                .for_each(|_| text.push(char::from(b'0' + rng.below(10) as u8))),
            1 => text.push_str(&format!(
                "{},{:03},{:03}.{:02}",
                rng.below(1000),
                rng.below(1000),
                rng.below(1000),
                rng.below(100)
            )),
            2 => text.push_str(&format!(
                "+1 ({}) {}-{:04}",
                rng.range(200, 999),
                rng.range(200, 999),
                rng.below(10_000)
            )),
            3 => text.push_str(&format!(
                "{}.{}.{}.{}",
                rng.below(256),
                rng.below(256),
                rng.below(256),
                rng.below(256)
            )),
            4 => (0..rng.range(1, 12)).for_each(|_| text.push(rng.char_in(0x0660, 0x0669))),
            5 => (0..rng.range(1, 12)).for_each(|_| text.push(rng.char_in(0x0966, 0x096F))),
            6 => (0..rng.range(1, 12)).for_each(|_| text.push(rng.char_in(0xFF10, 0xFF19))),
            7 => (0..rng.range(1, 8)).for_each(|_| {
                text.push(rng.pick(&[
                    'Ⅻ', 'ⅳ', '½', '⅓', '¹', '²', '³', '⁴', '①', '⑳', '𝟎', '𝟗', '〇', '௰',
                ]))
            }),
            8 => text.push_str(&format!("{}e-{}", rng.next() % 10_000, rng.below(300))),
            _ => text.push_str(&format!(
                "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                rng.range(1900, 2100),
                rng.range(1, 12),
                rng.range(1, 28),
                rng.below(24),
                rng.below(60),
                rng.below(60)
            )),
        }
        text.push_str(rng.pick(&[" ", "", "\n", ", ", "x", "a1", "_"]));
    }
    text
}

const SPECIALS: &[&str] = &[
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|endofprompt|>",
    "<|startoftext|>",
    "<|reserved_200000|>",
    "<|",
    "|>",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n",
];

fn specials(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        text.push_str(rng.pick(SPECIALS));
        if rng.chance(50) {
            let size = rng.range(1, 60);
            text.push_str(&prose(rng, size));
        }
    }
    text
}

fn random_scalars(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        let c = if rng.chance(50) {
            rng.char_in(0, 0x10_FFFF)
        } else if rng.chance(50) {
            rng.char_in(0x80, 0xFFFF)
        } else {
            rng.char_in(0, 0x7F)
        };
        text.push(c);
    }
    text
}

/// The characters the two split patterns treat specially, densely mixed.
const TRICKY: &[char] = &[
    'a',
    'z',
    'A',
    'Z',
    's',
    'S',
    't',
    'T',
    'l',
    'L',
    'e',
    'E',
    'r',
    'R',
    'v',
    'm',
    'd',
    'ſ',
    'ǅ',
    'ʰ',
    '中',
    'ㄱ',
    '\u{301}',
    '\u{903}',
    '\u{20DD}',
    '\u{64B}',
    '1',
    '9',
    '٣',
    'Ⅻ',
    '½',
    ' ',
    ' ',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{A0}',
    '\u{3000}',
    '\u{85}',
    '\u{2028}',
    '\u{B}',
    '\'',
    '\'',
    '\'',
    '’',
    '/',
    '/',
    '!',
    '.',
    '-',
    '"',
    '\u{200D}',
    '\u{FE0F}',
    '\u{0}',
    '\u{7F}',
    '😀',
    'ß',
    'İ',
    'ﬀ',
    'ᾈ',
    '\u{E000}',
    '\u{10FFFF}',
    '𝐀',
    '𝐚',
];

fn tricky(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    let alphabet: Vec<char> = (0..rng.range(3, 12)).map(|_| rng.pick(TRICKY)).collect();
    while text.len() < size {
        text.push(rng.pick(&alphabet));
    }
    text
}

/// Long pieces: BPE's heap path and tiktoken's worst cases.
fn long_pieces(rng: &mut Rng, size: usize) -> String {
    let mut text = String::new();
    while text.len() < size {
        let len = rng.range(50, 4000);
        match rng.below(6) {
            0 => (0..len).for_each(|_| text.push(char::from(b'a' + rng.below(26) as u8))),
            1 => text.push_str(&"a".repeat(len)),
            2 => text.push_str(
                &rng.pick(&["=", "-", "*", "#", ".", "_", "~", "^_^"])
                    .repeat(len / 2),
            ),
            3 => (0..len / 3).for_each(|_| text.push(rng.char_in(0x4E00, 0x9FFF))),
            4 => text.push_str(&rng.pick(SPACES).repeat(len / 4)),
            _ => (0..len).for_each(|_| {
                text.push(char::from(if rng.chance(50) {
                    b'A' + rng.below(26) as u8
                } else {
                    b'a' + rng.below(26) as u8
                }))
            }),
        }
        text.push_str(rng.pick(&[" ", "\n", ".", ""]));
    }
    text
}

type Generator = fn(&mut Rng, usize) -> String;

/// The generators and their share of the corpus, in percent.
const KINDS: &[(&str, Generator, usize)] = &[
    ("prose", prose, 22),
    ("code", code, 14),
    ("json+toon", json_or_toon, 20),
    ("cjk", cjk, 8),
    ("emoji", emoji, 5),
    ("scripts", scripts, 6),
    ("whitespace", whitespace, 5),
    ("digits", digits, 5),
    ("specials", specials, 2),
    ("random-scalars", random_scalars, 4),
    ("tricky", tricky, 6),
    ("long-pieces", long_pieces, 3),
];

struct Document {
    kind: &'static str,
    text: String,
}

/// The corpus: documents of every kind, interleaved, `corpus_bytes()` in total. The
/// sequence is the same whatever the size, so a smaller corpus is a prefix.
fn corpus() -> &'static [Document] {
    static CORPUS: OnceLock<Vec<Document>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let total = corpus_bytes();
        let mut rng = Rng(0x746F_6F6E_746F_6B73);
        let mut documents = Vec::new();
        let mut bytes = 0;
        while bytes < total {
            let mut roll = rng.below(100);
            let &(kind, generate, _) = KINDS
                .iter()
                .find(|&&(_, _, share)| {
                    if roll < share {
                        true
                    } else {
                        roll -= share;
                        false
                    }
                })
                .expect("shares add up to 100");
            let size = rng.size(48 << 10);
            let text = generate(&mut rng, size);
            bytes += text.len();
            documents.push(Document { kind, text });
        }
        documents
    })
}

/// Where two token sequences first differ, with the text around it.
fn describe_mismatch(counter: &TokenCounter, text: &str, expected: &[u32], got: &[u32]) -> String {
    let oracle = tiktoken(counter.encoding());
    let first = expected
        .iter()
        .zip(got)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let offset: usize = oracle
        .decode_bytes(&expected[..first])
        .map(|bytes| bytes.len())
        .unwrap_or(0);
    let mut start = offset.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (offset + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let ours: Vec<&str> = pieces(counter.encoding(), &text[start..end])
        .expect("an encoding of our own engine")
        .collect();
    format!(
        "{} tokens expected, {} counted; first difference at token {first} (byte {offset}): \
         expected {:?}, got {:?}; text {:?}; our pieces there {:?}",
        expected.len(),
        got.len(),
        expected.get(first..first + 5),
        got.get(first..first + 5),
        &text[start..end],
        ours
    )
}

fn tiktoken(encoding: Encoding) -> &'static tiktoken_rs::CoreBPE {
    match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        other => panic!("{other} is not counted by our own engine: no tiktoken-rs oracle"),
    }
}

fn check(encoding: Encoding) {
    let documents = corpus();
    let oracle = tiktoken(encoding);
    let counter = TokenCounter::uncached(encoding);
    let mut mismatches = Vec::new();
    let mut bytes_by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    // Per kind: (tiktoken-rs seconds, toon seconds).
    let mut time_by_kind: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let (mut oracle_time, mut our_time) = (0.0, 0.0);
    let mut expected_counts = Vec::with_capacity(documents.len());
    for (index, document) in documents.iter().enumerate() {
        *bytes_by_kind.entry(document.kind).or_default() += document.text.len();
        let start = Instant::now();
        let expected = oracle.encode_ordinary(&document.text);
        let oracle_seconds = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let count = counter.count(&document.text);
        let our_seconds = start.elapsed().as_secs_f64();
        oracle_time += oracle_seconds;
        our_time += our_seconds;
        let times = time_by_kind.entry(document.kind).or_default();
        times.0 += oracle_seconds;
        times.1 += our_seconds;
        let ids = counter.encode(&document.text);
        if ids != expected || count != expected.len() {
            mismatches.push(format!(
                "document {index} ({}, {} bytes): count {count}; {}",
                document.kind,
                document.text.len(),
                describe_mismatch(&counter, &document.text, &expected, &ids)
            ));
        }
        expected_counts.push(expected.len());
    }
    let texts: Vec<&str> = documents
        .iter()
        .map(|document| document.text.as_str())
        .collect();
    let batch = TokenCounter::new(encoding).count_batch(&texts);
    let batch_mismatches = batch
        .iter()
        .zip(&expected_counts)
        .filter(|(got, expected)| got != expected)
        .count();
    let bytes: usize = bytes_by_kind.values().sum();
    let tokens: usize = expected_counts.iter().sum();
    eprintln!(
        "exactness {encoding}: {} documents, {bytes} bytes ({:.1} MiB), {tokens} tokens, \
         {} mismatches, {batch_mismatches} count_batch mismatches; tiktoken-rs {oracle_time:.2} s, \
         toon {our_time:.3} s (first-time counts, memo warming)",
        documents.len(),
        bytes as f64 / f64::from(1 << 20),
        mismatches.len(),
    );
    eprintln!("  bytes by kind: {bytes_by_kind:?}");
    let ratios: Vec<String> = time_by_kind
        .iter()
        .map(|(kind, (oracle, ours))| format!("{kind} {:.1}x", oracle / ours.max(1e-9)))
        .collect();
    eprintln!(
        "  tiktoken-rs time / toon time by kind: {}",
        ratios.join(", ")
    );
    for mismatch in mismatches.iter().take(10) {
        eprintln!("  MISMATCH {mismatch}");
    }
    assert!(bytes >= corpus_bytes());
    assert_eq!(
        mismatches.len(),
        0,
        "{encoding}: token mismatches against tiktoken-rs"
    );
    assert_eq!(batch_mismatches, 0, "{encoding}: count_batch mismatches");
}

#[test]
fn o200k_base_matches_tiktoken() {
    check(Encoding::O200kBase);
}

#[test]
fn cl100k_base_matches_tiktoken() {
    check(Encoding::Cl100kBase);
}

/// A fresh counter sizes its memos from how fast they fill every 16 KiB of a text; the
/// longest documents, each counted by a counter of its own, cross those points with an
/// empty memo (the checks above reuse one counter, whose memo is already warm).
#[test]
fn fresh_counters_on_long_documents_match_tiktoken() {
    let mut long: Vec<&Document> = corpus()
        .iter()
        .filter(|document| document.text.len() > 32 << 10)
        .collect();
    long.sort_by_key(|document| std::cmp::Reverse(document.text.len()));
    assert!(long.len() >= 10, "the corpus has long documents");
    for encoding in Encoding::OWN_ENGINE {
        let oracle = tiktoken(encoding);
        for document in long.iter().take(24) {
            let expected = oracle.encode_ordinary(&document.text).len();
            let count = TokenCounter::uncached(encoding).count(&document.text);
            assert_eq!(
                count,
                expected,
                "{encoding}, {} document of {} bytes",
                document.kind,
                document.text.len()
            );
        }
    }
}

/// The pieces equal the regex's matches, span for span.
fn check_pieces(encoding: Encoding, pattern: &str) {
    let regex = Regex::new(pattern).expect("tiktoken pattern");
    let mut checked = 0;
    for (index, document) in corpus().iter().enumerate() {
        let expected: Vec<&str> = regex
            .find_iter(&document.text)
            .map(|found| found.expect("regex match").as_str())
            .collect();
        let ours: Vec<&str> = pieces(encoding, &document.text)
            .expect("an encoding of our own engine")
            .collect();
        if ours != expected {
            let first = ours
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{encoding}: document {index} ({}): piece {first} is {:?}, the regex finds {:?} (after {:?})",
                document.kind,
                ours.get(first),
                expected.get(first),
                &expected[first.saturating_sub(3)..first]
            );
        }
        checked += document.text.len();
    }
    eprintln!("pieces {encoding}: {checked} bytes split exactly as the regex splits them");
}

#[test]
fn o200k_base_pieces_match_the_regex() {
    check_pieces(Encoding::O200kBase, tiktoken_rs::O200K_BASE_PAT_STR);
}

#[test]
fn cl100k_base_pieces_match_the_regex() {
    check_pieces(Encoding::Cl100kBase, CL100K_PATTERN);
}

/// Every vocabulary entry round-trips: tiktoken's bytes for each rank count as one token.
#[test]
fn every_token_is_one_token() {
    for encoding in Encoding::OWN_ENGINE {
        let oracle = tiktoken(encoding);
        let counter = TokenCounter::uncached(encoding);
        for rank in 0..encoding.vocab_size() as u32 {
            let bytes = oracle.decode_bytes(&[rank]).expect("rank");
            if let Ok(text) = std::str::from_utf8(&bytes) {
                // A lone token may still split into several pieces (e.g. "\n\n\n  ");
                // when it is one piece it must be one token, of this rank.
                if pieces(encoding, text).expect("own engine").count() == 1 {
                    assert_eq!(
                        counter.encode(text),
                        [rank],
                        "{encoding} rank {rank} {text:?}"
                    );
                }
            }
        }
    }
}
