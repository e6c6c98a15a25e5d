//! CSV and TSV → TOON on generated and hand-written tables: the TOON decodes to the
//! typed rows the cells spell, errors point at their line and column, and the converter
//! answers through the registry's trait.

use serde_json::{Value as Json, json};
use table_to_toon::{Dialect, Table, TableToToon, TableToToonOptions, convert};
use toon::convert::{Converter, Format, Input, LocatedError};
use toon::{DecodeOptions, Delimiter, EncodeOptions};

fn decoded(toon_text: &str) -> Json {
    let value = toon::decode(toon_text, &DecodeOptions::default()).unwrap();
    serde_json::to_value(&value).unwrap()
}

fn csv_to_json(text: &str) -> Json {
    decoded(&convert(text, Dialect::Csv, &TableToToonOptions::default()).unwrap())
}

fn error(text: &str, dialect: Dialect) -> (Option<(usize, usize)>, String) {
    let error = convert(text, dialect, &TableToToonOptions::default()).unwrap_err();
    (error.location(), error.message())
}

/// A deterministic generator (xorshift), so a failing table can be rebuilt.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> usize {
        (self.next() % n) as usize
    }
}

/// A random cell of a column of `kind` (0 numbers, 1 booleans, 2 text), sometimes empty,
/// and the value it must become.
fn cell(rng: &mut Rng, kind: usize) -> (String, Json) {
    if rng.below(6) == 0 {
        return (String::new(), Json::Null);
    }
    match kind {
        0 => {
            let text = match rng.below(2) {
                0 => (rng.next() as i64 >> rng.below(60)).to_string(),
                _ => format!("{}", (rng.next() % 1_000_000) as f64 / 64.0 - 5000.0),
            };
            // JSON's reading of the same digits.
            let value = serde_json::from_str(&text).unwrap();
            (text, value)
        }
        1 => {
            let b = rng.below(2) == 0;
            let text = match rng.below(3) {
                0 => b.to_string(),
                1 => b.to_string().to_uppercase(),
                _ => if b { "True" } else { "False" }.to_owned(),
            };
            (text, json!(b))
        }
        _ => {
            const PIECES: [&str; 9] = ["a", "Zoë", " ", ",", "\"", "\n", "x:y", "-", "null"];
            let text: String = (0..1 + rng.below(4))
                .map(|_| PIECES[rng.below(PIECES.len() as u64)])
                .collect();
            (text.clone(), json!(text))
        }
    }
}

#[test]
fn generated_tables_decode_to_their_typed_cells() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..200 {
        let columns = 1 + rng.below(6);
        let kinds: Vec<usize> = (0..columns).map(|_| rng.below(3)).collect();
        let names: Vec<String> = (0..columns).map(|c| format!("c{c}")).collect();
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&names).unwrap();
        let mut expected = Vec::new();
        for _ in 0..rng.below(20) {
            let (cells, values): (Vec<String>, Vec<Json>) =
                kinds.iter().map(|&kind| cell(&mut rng, kind)).unzip();
            writer.write_record(&cells).unwrap();
            let row: serde_json::Map<String, Json> = names.iter().cloned().zip(values).collect();
            expected.push(Json::Object(row));
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        // A text column whose cells all happen to spell numbers or booleans is typed as
        // such; the generator's text pieces always include a letter or a sign, except
        // "-", which no number is.
        assert_eq!(
            csv_to_json(&text),
            Json::Array(expected),
            "round {round}:\n{text}"
        );
    }
}

#[test]
fn without_inference_every_cell_is_its_text() {
    let options = TableToToonOptions {
        infer_types: false,
        ..Default::default()
    };
    let toon = convert("a,b,c\n1,,true\n", Dialect::Csv, &options).unwrap();
    assert_eq!(decoded(&toon), json!([{"a": "1", "b": "", "c": "true"}]));
}

#[test]
fn columns_are_typed_as_a_whole() {
    let text = "zip,score,flag,mixed\n02134,1,true,1\n10001,2.5,,yes\n";
    assert_eq!(
        csv_to_json(text),
        json!([
            {"zip": "02134", "score": 1, "flag": true, "mixed": "1"},
            {"zip": "10001", "score": 2.5, "flag": null, "mixed": "yes"},
        ])
    );
}

#[test]
fn quoting_line_endings_and_byte_order_mark() {
    let text = "\u{feff}id,note\r\n1,\"two\r\nlines, and \"\"quotes\"\"\"\r\n2,plain\r\n";
    assert_eq!(
        csv_to_json(text),
        json!([{"id": 1, "note": "two\r\nlines, and \"quotes\""}, {"id": 2, "note": "plain"}])
    );
}

#[test]
fn tsv_cells_are_never_quoted() {
    let toon = convert(
        "a\tb\n\"x\t5\n",
        Dialect::Tsv,
        &TableToToonOptions::default(),
    )
    .unwrap();
    assert_eq!(decoded(&toon), json!([{"a": "\"x", "b": 5}]));
}

#[test]
fn empty_input_and_header_only_are_empty_tables() {
    for text in ["", "a,b\n"] {
        assert_eq!(csv_to_json(text), json!([]), "{text:?}");
    }
    let table = Table::read("a,b\n", Dialect::Csv).unwrap();
    assert!(table.is_empty());
    assert_eq!(table.header().collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn encoder_options_pass_through() {
    let options = TableToToonOptions {
        encode: EncodeOptions::new().with_delimiter(Delimiter::Pipe),
        ..Default::default()
    };
    let toon = convert("a,b\n1,x|y\n", Dialect::Csv, &options).unwrap();
    assert_eq!(toon, "[1|]{a|b}:\n  1|\"x|y\"\n");
}

#[test]
fn errors_point_at_their_line_and_column() {
    assert_eq!(
        error("a,b\n1,2\n3,4,5\n", Dialect::Csv),
        (
            Some((3, 1)),
            "this row has 3 cells, the header has 2".into()
        )
    );
    // The row after a quoted line break starts on line 4.
    assert_eq!(error("a,b\n1,\"x\ny\"\n2\n", Dialect::Csv).0, Some((4, 1)));
    assert_eq!(
        error("id,\"x,y\",id\n", Dialect::Csv),
        (Some((1, 10)), "the header names column \"id\" twice".into())
    );
    assert_eq!(error("é\té\n", Dialect::Tsv).0, Some((1, 3)));
}

#[test]
fn ill_formed_utf8_is_located_through_the_converter() {
    let converter = TableToToon::new(Dialect::Csv, TableToToonOptions::default());
    assert_eq!(converter.name(), "csv-to-toon");
    assert_eq!(converter.source(), Format::Csv);
    assert_eq!(converter.target(), Format::Toon);
    let error = converter
        .convert(Input::Bytes(b"a,b\n1,\xff\n"))
        .unwrap_err();
    assert_eq!(error.location(), Some((2, 3)));
    let ok = converter.convert(Input::Bytes(b"a,b\n1,2\n")).unwrap();
    assert_eq!(ok, "[1]{a,b}:\n  1,2\n");
    let tsv = TableToToon::new(Dialect::Tsv, TableToToonOptions::default());
    assert_eq!((tsv.name(), tsv.source()), ("tsv-to-toon", Format::Tsv));
}

/// Mutated tables (bytes replaced, inserted, removed; quotes, delimiters, line breaks and
/// invalid UTF-8 favoured) never panic: each converts to TOON that decodes to one row
/// per record, or fails with a located error.
#[test]
fn mutated_tables_convert_or_fail_located() {
    const SEEDS: [&str; 3] = [
        "id,name,score\n1,Ada,9.5\n2,\"Bo, Jr.\",\n",
        "a\tb\tc\n1\ttrue\tx\n\t\t\n",
        "\u{feff}k,\"v\"\"w\"\r\n\"multi\nline\",1e3\r\n",
    ];
    const BYTES: [u8; 9] = [b',', b'\t', b'"', b'\n', b'\r', b'1', b'a', 0xff, 0xc3];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let options = [
        TableToToonOptions::default(),
        TableToToonOptions {
            infer_types: false,
            ..Default::default()
        },
    ];
    for _ in 0..4000 {
        let mut bytes = SEEDS[rng.below(3)].as_bytes().to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len() as u64 + 1);
            let byte = BYTES[rng.below(BYTES.len() as u64)];
            match rng.below(3) {
                0 if at < bytes.len() => bytes[at] = byte,
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, byte),
            }
        }
        for dialect in [Dialect::Csv, Dialect::Tsv] {
            for options in &options {
                let converter = TableToToon::new(dialect, *options);
                match converter.convert(Input::Bytes(&bytes)) {
                    Ok(toon_text) => {
                        let rows = match decoded(&toon_text) {
                            Json::Array(rows) => rows.len(),
                            other => panic!("not a table: {other}"),
                        };
                        let text = std::str::from_utf8(&bytes).unwrap();
                        let table = Table::read(text, dialect).unwrap();
                        assert_eq!(rows, table.len());
                    }
                    Err(error) => {
                        let (line, column) = error
                            .location()
                            .unwrap_or_else(|| panic!("no location: {error} for {bytes:?}"));
                        assert!(line >= 1 && column >= 1, "{error} for {bytes:?}");
                    }
                }
            }
        }
    }
}
