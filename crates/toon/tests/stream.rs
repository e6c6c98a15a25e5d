//! Streaming: the pull decoder's events (from `&str` and from `io::BufRead`), and the
//! line-by-line encoder.

use std::io::BufReader;

use toon::{DecodeOptions, EncodeOptions, Event, Value};

fn events(text: &str) -> Vec<Event<'_>> {
    toon::decode_events(text, &DecodeOptions::default())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn key(k: &str) -> Event<'_> {
    Event::Key(k.into())
}

fn num(n: i64) -> Event<'static> {
    Event::Primitive(Value::from(n))
}

#[test]
fn tabular_events_match_the_reference_example() {
    // The sequence the reference documents for `decodeStreamSync`.
    let expected = vec![
        Event::StartObject,
        key("a"),
        Event::StartArray { length: Some(2) },
        Event::StartObject,
        key("x"),
        num(1),
        Event::EndObject,
        Event::StartObject,
        key("x"),
        num(2),
        Event::EndObject,
        Event::EndArray,
        Event::EndObject,
    ];
    assert_eq!(events("a[2]{x}:\n  1\n  2"), expected);
}

#[test]
fn empty_input_is_one_empty_object_and_roots_stream_alike() {
    assert_eq!(events(""), [Event::StartObject, Event::EndObject]);
    assert_eq!(events("hello"), [Event::Primitive(Value::from("hello"))]);
    assert_eq!(
        events("[]"),
        [Event::StartArray { length: Some(0) }, Event::EndArray]
    );
    assert_eq!(
        events("k: []"),
        [
            Event::StartObject,
            key("k"),
            Event::StartArray { length: Some(0) },
            Event::EndArray,
            Event::EndObject
        ]
    );
}

#[test]
fn non_strict_length_is_the_declared_one() {
    let options = DecodeOptions::new().with_strict(false);
    let got: Vec<Event> = toon::decode_events("a[1]: x,y", &options)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got[2], Event::StartArray { length: Some(1) });
    assert_eq!(got.len(), 7);
}

#[test]
fn errors_end_the_stream() {
    let mut stream = toon::decode_events("a: 1\nb[2]: x", &DecodeOptions::default()).unwrap();
    let mut seen = 0;
    let mut error = None;
    for event in stream.by_ref() {
        match event {
            Ok(_) => seen += 1,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    assert_eq!(error.map(|e| e.line()), Some(2));
    assert!(seen >= 3);
    assert!(stream.next().is_none());
}

fn sample() -> String {
    let mut text =
        String::from("title: \"Quarterly, \\\"final\\\"\"\nrows[300]{id,name,geo{lat,lon}}:\n");
    for i in 0..300 {
        text.push_str(&format!("  {i},name {i},{}.5,-{i}\n", i % 90));
    }
    text.push_str("nested:\n  list[2]:\n    - a: 1\n      b[2]: x,y\n    - [2]: 1,2\n  keyed[2:]{v}:\n    p: 1\n    q: 2");
    text
}

#[test]
fn reader_events_equal_str_events() {
    let text = sample();
    let from_str: Vec<Event> = events(&text);
    // A tiny buffer forces many refills, exercising line assembly across reads.
    let reader = BufReader::with_capacity(7, text.as_bytes());
    let from_reader: Vec<Event<'static>> =
        toon::decode_reader_events(reader, &DecodeOptions::default())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(from_reader, from_str);

    let bad: &[u8] = b"a: 1\nb: \xff\n";
    let err = toon::decode_reader_events(bad, &DecodeOptions::default())
        .unwrap()
        .find_map(Result::err)
        .unwrap();
    assert_eq!((err.line(), err.column()), (2, 4));
}

#[test]
fn each_event_hands_out_the_pull_stream_s_events_and_error() {
    let text = sample();
    let mut pushed = Vec::new();
    toon::decode_each_event(&text, &DecodeOptions::default(), |event, at| {
        pushed.push((event, at));
    })
    .unwrap();
    let mut pulled = Vec::new();
    let mut stream = toon::decode_events(&text, &DecodeOptions::default()).unwrap();
    while let Some(event) = stream.next_event().unwrap() {
        pulled.push(event);
    }
    assert_eq!(pushed, pulled);

    // An error stops both with the same error; the pull stream drops the failing line's
    // events, the push form has handed them out already.
    let bad = "a: 1\nb[2]: x";
    let mut before = Vec::new();
    let error = toon::decode_each_event(bad, &DecodeOptions::default(), |event, _| {
        before.push(event);
    })
    .unwrap_err();
    let mut stream = toon::decode_events(bad, &DecodeOptions::default()).unwrap();
    let mut pulled = Vec::new();
    let pull_error = loop {
        match stream.next_event() {
            Ok(Some((event, _))) => pulled.push(event),
            Ok(None) => panic!("the pull stream ended without the error"),
            Err(e) => break e,
        }
    };
    assert!(before.starts_with(&pulled) && before.len() > pulled.len());
    assert_eq!(
        (error.line(), error.column(), error.to_string()),
        (
            pull_error.line(),
            pull_error.column(),
            pull_error.to_string()
        )
    );
}

#[test]
fn encode_lines_joins_to_encode() {
    let text = sample();
    let value = toon::decode(&text, &DecodeOptions::default()).unwrap();
    for options in [
        EncodeOptions::default(),
        EncodeOptions::new()
            .with_indent(4)
            .with_delimiter(toon::Delimiter::Tab),
    ] {
        let whole = toon::encode(&value, &options).unwrap();
        let lines: Vec<String> = toon::encode_lines(&value, &options).unwrap().collect();
        assert_eq!(lines.join("\n"), whole);
        assert!(lines.iter().all(|l| !l.contains('\n') && !l.ends_with(' ')));
        let mut count = 0;
        toon::encode_each_line(&value, &options, |_| count += 1).unwrap();
        assert_eq!(count, lines.len());
    }
    assert_eq!(
        toon::encode_lines(&Value::Object(toon::Map::new()), &EncodeOptions::default())
            .unwrap()
            .count(),
        0
    );
}
