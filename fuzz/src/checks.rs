//! What every fuzz input must satisfy. Each check panics on a violation, which the fuzzer
//! reports as a crash and the replay test reports as a failing input.
//!
//! - [`decode`]: decoding arbitrary bytes never panics, in strict and non-strict mode, and
//!   every error but an options error has a location.
//! - [`roundtrip`]: whatever decodes encodes (each delimiter, indent 2 and 4) to text that
//!   decodes to an equal value, re-encoding that is a fixed point, and `to_string` (the
//!   serde path, which writes as the value serializes) and `transcode` of the value's JSON
//!   text give the same text as `encode`.
//! - [`repair`]: reading any bytes as a model's reply never panics, errors and cuts carry
//!   a location, and a text that strict decoding accepts and extraction keeps whole
//!   comes back as the same value with no repair and no cut.
//! - [`chunked`]: decoding in chunks of any size never panics and agrees with decoding
//!   the whole text, but for text that ends early (a cut, not an error).
//! - [`typed`]: typed deserialization into a few derived types never panics, agrees with
//!   `toon::decode` when the target is `toon::Value`, and what it produces serializes and
//!   deserializes back to itself.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use toon::{Category, DecodeOptions, Delimiter, EncodeOptions, Value};

const DELIMITERS: [Delimiter; 3] = [Delimiter::Comma, Delimiter::Tab, Delimiter::Pipe];

fn modes() -> [DecodeOptions; 4] {
    [
        DecodeOptions::new(),
        DecodeOptions::new().with_strict(false),
        DecodeOptions::new().with_indent(4),
        DecodeOptions::new().with_indent(1).with_strict(false),
    ]
}

fn check_error(error: &toon::Error, input: &[u8]) {
    assert!(
        error.category() == Category::Options || error.line() >= 1,
        "error without a location: {error:?} for {:?}",
        String::from_utf8_lossy(input)
    );
    // Rendering the snippet and caret must not panic either.
    let _ = error.to_string();
}

/// Decoding never panics; errors carry a location.
pub fn decode(input: &[u8]) {
    for options in modes() {
        if let Err(error) = toon::decode_slice(input, &options) {
            check_error(&error, input);
        }
    }
}

/// Repair never panics; a document strict decoding accepts is read unchanged.
pub fn repair(input: &[u8]) {
    for indent in [2, 4] {
        let decode = DecodeOptions::new().with_indent(indent);
        let options = toon::RepairOptions::new().with_decode(decode);
        let repaired = match toon::repair_slice(input, &options) {
            Ok(repaired) => repaired,
            Err(error) => {
                check_error(&error, input);
                continue;
            }
        };
        if let Some(cut) = &repaired.truncated {
            assert!(
                cut.line >= 1 && cut.column >= 1,
                "cut without a place: {cut:?}"
            );
            assert!(!cut.missing.is_empty());
        }
        for fix in &repaired.repairs {
            assert!(
                fix.line >= 1 && fix.column >= 1,
                "repair without a place: {fix:?}"
            );
        }
        let Ok(text) = std::str::from_utf8(input) else {
            continue;
        };
        let Ok(strict) = toon::decode(text, &decode) else {
            continue;
        };
        if toon::extract(text, None).text == text {
            assert_eq!(
                repaired.value, strict,
                "repair changed a valid document: {text:?}"
            );
            assert!(
                repaired.repairs.is_empty(),
                "{:?} for {text:?}",
                repaired.repairs
            );
            assert!(repaired.truncated.is_none(), "cut found in {text:?}");
        }
    }
}

/// Feeds `input` to a chunk decoder in pieces of `size` bytes.
fn feed_chunks(
    mut decoder: toon::ChunkDecoder,
    input: &[u8],
    size: usize,
) -> toon::Result<toon::Repaired<'static>> {
    let mut parts = 0usize;
    for chunk in input.chunks(size) {
        decoder.feed(chunk, |_| parts += 1)?;
    }
    decoder.finish(|_| parts += 1)
}

/// Chunked decoding never panics and, whatever the chunk size, agrees with decoding the
/// whole text: the same value, or the same error at the same place — except that text
/// ending early (short of a declared length, or on an unfinished last line) is a cut.
pub fn chunked(input: &[u8]) {
    for options in modes() {
        let whole = std::str::from_utf8(input)
            .map_err(|_| ())
            .and_then(|text| toon::decode(text, &options).map_err(|_| ()));
        let mut first: Option<toon::Value<'static>> = None;
        for size in [1, 3, input.len().max(1)] {
            let decoder = toon::ChunkDecoder::new(&options).expect("valid options");
            match (feed_chunks(decoder, input, size), &whole) {
                (Ok(end), Ok(value)) => {
                    assert_eq!(&end.value, value, "chunks of {size} differ: {input:?}");
                    assert!(
                        end.truncated.is_none() || !options.strict(),
                        "cut found in a valid text: {input:?}"
                    );
                }
                (Ok(end), Err(())) => {
                    // Only a cut, or bytes that are not UTF-8 only at the very end.
                    let utf8_cut = std::str::from_utf8(input).is_err();
                    assert!(
                        end.truncated.is_some() || utf8_cut,
                        "chunks read what decode refuses: {input:?}"
                    );
                }
                (Err(error), Ok(_)) => panic!("chunks refuse a valid text: {error} {input:?}"),
                (Err(error), Err(())) => check_error(&error, input),
            }
            if let Ok(end) = feed_chunks(toon::ChunkDecoder::new(&options).unwrap(), input, size) {
                match &first {
                    Some(value) => assert_eq!(&end.value, value, "chunkings differ: {input:?}"),
                    None => first = Some(end.value),
                }
            }
        }
        let repairing = toon::ChunkDecoder::repairing(&options).expect("valid options");
        match feed_chunks(repairing, input, 2) {
            Ok(end) => {
                if let Some(cut) = &end.truncated {
                    assert!(cut.line >= 1 && cut.column >= 1 && !cut.missing.is_empty());
                }
            }
            Err(error) => check_error(&error, input),
        }
    }
}

/// Whatever decodes round-trips through the encoder under every delimiter.
pub fn roundtrip(input: &[u8]) {
    for options in modes() {
        let Ok(value) = toon::decode_slice(input, &options) else {
            continue;
        };
        roundtrip_value(&value, input);
    }
}

/// `decode(encode(value)) == value` under each delimiter and indent 2 and 4, and the
/// encoding of the decoded value is the same text.
pub fn roundtrip_value(value: &Value<'_>, input: &[u8]) {
    // The JSON text does not depend on the encoding options: written once per value.
    let json = serde_json::to_string(value).expect("a decoded Value is JSON");
    for delimiter in DELIMITERS {
        for indent in [2, 4] {
            let encode_options = EncodeOptions::new()
                .with_delimiter(delimiter)
                .with_indent(indent);
            let text = match toon::encode(value, &encode_options) {
                Ok(text) => text,
                Err(e) => panic!(
                    "a decoded value does not encode ({delimiter}, indent {indent}): {e:?}\n\
                     input: {:?}",
                    String::from_utf8_lossy(input)
                ),
            };
            // The serde path writes while the value serializes: the same bytes.
            match toon::to_string_with_options(value, &encode_options) {
                Ok(pushed) => assert_eq!(
                    pushed,
                    text,
                    "to_string differs from encode ({delimiter}, indent {indent}); input: {:?}",
                    String::from_utf8_lossy(input)
                ),
                Err(e) => panic!(
                    "to_string failed where encode did not ({delimiter}, indent {indent}): {e}\n\
                     input: {:?}",
                    String::from_utf8_lossy(input)
                ),
            }
            transcode_matches(&json, &encode_options, &text, input);
            let decode_options = DecodeOptions::new().with_indent(indent);
            let back = match toon::decode(&text, &decode_options) {
                Ok(back) => back,
                Err(e) => panic!(
                    "encoder output does not decode ({delimiter}, indent {indent}): {e}\n\
                     encoded: {text:?}\ninput: {:?}",
                    String::from_utf8_lossy(input)
                ),
            };
            assert!(
                back == *value,
                "round trip changed the value ({delimiter}, indent {indent})\n\
                 encoded: {text:?}\nbefore: {value:?}\nafter: {back:?}\ninput: {:?}",
                String::from_utf8_lossy(input)
            );
            let again = toon::encode(&back, &encode_options).expect("re-encodes");
            assert_eq!(
                again,
                text,
                "re-encoding is not a fixed point ({delimiter}, indent {indent}); input: {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }
}

/// `transcode` of a value's JSON text (what the Node binding's `encode(value)` runs) gives
/// `text`, the value's `encode`, unless serde_json's own nesting limit (128) stops the
/// read first.
fn transcode_matches(json: &str, options: &EncodeOptions, text: &str, input: &[u8]) {
    let mut reader = serde_json::Deserializer::from_str(json);
    match toon::transcode(&mut reader, options) {
        Ok(transcoded) => assert_eq!(
            transcoded,
            text,
            "transcode of the JSON differs from encode; json: {json:?}; input: {:?}",
            String::from_utf8_lossy(input)
        ),
        Err(toon::TranscodeError::Input(e)) if e.to_string().contains("recursion limit") => {}
        Err(e) => panic!(
            "transcode failed where encode did not: {e}\njson: {json:?}\ninput: {:?}",
            String::from_utf8_lossy(input)
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Typed targets
// ---------------------------------------------------------------------------------------

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Role {
    Admin,
    Dev,
    Other(String),
    Pair(i32, i32),
    Named { x: i8, y: Option<bool> },
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct User {
    id: u64,
    name: String,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    role: Option<Role>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Point(i16, i16);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Meters(f32);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Doc<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(default)]
    users: Vec<User>,
    #[serde(default)]
    points: Vec<Point>,
    #[serde(default)]
    nested: Option<Box<Doc<'a>>>,
    #[serde(default)]
    counts: BTreeMap<String, u32>,
    #[serde(default)]
    length: Option<Meters>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Borrowed<'a> {
    name: &'a str,
    #[serde(borrow)]
    parts: Vec<&'a str>,
    unit: (),
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
enum Tagged {
    Circle { r: f64 },
    Rect { w: u16, h: u16 },
    Label { text: String },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Loose {
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Loose>),
    Map(BTreeMap<String, Loose>),
    Nothing(()),
}

#[derive(Debug, Serialize, Deserialize)]
struct WithFlatten {
    id: Option<u32>,
    #[serde(flatten)]
    rest: HashMap<String, Loose>,
}

/// Deserializes a `$t`; when that works, serializes it and deserializes the text again,
/// which must give an equal value. (A macro so borrowing types like `Doc<'_>` can borrow
/// from the re-serialized text.)
macro_rules! typed_roundtrip {
    ($t:ty, $text:expr, $options:expr) => {{
        let text: &str = $text;
        if let Ok(value) = toon::from_str_with_options::<$t>(text, $options) {
            let encoded = match toon::to_string(&value) {
                Ok(encoded) => encoded,
                Err(e) => panic!(
                    "{} deserialized but does not serialize: {e:?}\nvalue: {value:?}\n\
                     input: {text:?}",
                    stringify!($t)
                ),
            };
            let back: $t = match toon::from_str(&encoded) {
                Ok(back) => back,
                Err(e) => panic!(
                    "{}: serialized text does not deserialize: {e}\nencoded: {encoded:?}\n\
                     input: {text:?}",
                    stringify!($t)
                ),
            };
            // Equal, or at least the same text again: NaN and infinities (an f32 field
            // given 1e39) serialize as null by policy and cannot come back equal.
            let same = back == value || toon::to_string(&back).ok().as_deref() == Some(&encoded);
            assert!(
                same,
                "{}: typed round trip changed the value\nbefore: {value:?}\nafter: {back:?}\n\
                 encoded: {encoded:?}\ninput: {text:?}",
                stringify!($t)
            );
        }
    }};
}

/// Deserializes a `T` and drops it: no panic is all that is asked.
fn typed_only<'de, T: Deserialize<'de>>(text: &'de str, options: &DecodeOptions) {
    if let Ok(value) = toon::from_str_with_options::<T>(text, options) {
        drop(value);
    }
}

/// Typed deserialization never panics and agrees with the `Value` decoder.
pub fn typed(input: &[u8]) {
    // Ill-formed UTF-8 must be an error, not a panic.
    if let Err(e) = toon::from_slice::<Value<'_>>(input) {
        let _ = e.to_string();
    }
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    for options in [
        DecodeOptions::new(),
        DecodeOptions::new().with_strict(false),
    ] {
        // `toon::Value` through serde matches the direct decoder.
        let direct = toon::decode(text, &options);
        let via_serde = toon::from_str_with_options::<Value<'_>>(text, &options);
        match (&direct, &via_serde) {
            (Ok(a), Ok(b)) => assert!(
                a == b,
                "from_str::<Value> differs from decode\ndecode: {a:?}\nfrom_str: {b:?}\n\
                 input: {text:?}"
            ),
            (Err(a), Err(b)) => assert_eq!(
                a.category(),
                b.category(),
                "decode and from_str::<Value> fail differently: {a:?} vs {b:?}\ninput: {text:?}"
            ),
            (a, b) => panic!(
                "decode and from_str::<Value> disagree (strict {}): {:?} vs {:?}\ninput: {text:?}",
                options.strict(),
                a.as_ref().map(|_| "Ok"),
                b.as_ref().map(|_| "Ok"),
            ),
        }
        if let Ok(json) = toon::from_str_with_options::<serde_json::Value>(text, &options)
            && let Ok(value) = &direct
        {
            let expected = serde_json::to_value(value).expect("a decoded Value is JSON");
            assert!(
                json == expected,
                "from_str::<serde_json::Value> differs from decode\nserde: {json}\n\
                 decode: {expected}\ninput: {text:?}"
            );
        }

        typed_roundtrip!(User, text, &options);
        typed_roundtrip!(Vec<User>, text, &options);
        typed_roundtrip!(Doc<'_>, text, &options);
        typed_roundtrip!(Role, text, &options);
        typed_roundtrip!(BTreeMap<String, Role>, text, &options);
        typed_roundtrip!(Tagged, text, &options);
        typed_roundtrip!(Vec<Tagged>, text, &options);
        typed_roundtrip!((i64, String, bool), text, &options);
        typed_roundtrip!(Option<Vec<Option<u8>>>, text, &options);
        typed_roundtrip!(Vec<Vec<i32>>, text, &options);
        typed_roundtrip!(BTreeMap<String, Vec<Point>>, text, &options);
        typed_roundtrip!(char, text, &options);
        typed_roundtrip!(String, text, &options);
        typed_roundtrip!(u128, text, &options);
        typed_roundtrip!(i8, text, &options);
        typed_roundtrip!(f64, text, &options);
        typed_roundtrip!((), text, &options);
        typed_only::<Borrowed<'_>>(text, &options);
        typed_only::<Loose>(text, &options);
        typed_only::<WithFlatten>(text, &options);
        typed_only::<HashMap<String, Loose>>(text, &options);
        typed_only::<Vec<Loose>>(text, &options);
        typed_only::<serde::de::IgnoredAny>(text, &options);
        typed_only::<&str>(text, &options);
        typed_only::<Vec<u8>>(text, &options);
        typed_only::<HashMap<u32, bool>>(text, &options);
    }
}
