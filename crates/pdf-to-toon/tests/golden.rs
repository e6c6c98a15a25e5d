//! Golden outputs and error cases of PDF → TOON, on PDFs generated here with lopdf.

#[allow(dead_code, unreachable_pub)]
#[path = "../src/fixtures.rs"]
mod fixtures;

use fixtures::{numbered_pdf, save, text_document, text_pdf};
use lopdf::content::{Content, Operation};
use lopdf::{
    Document, EncryptionState, EncryptionVersion, Object, Permissions, Stream, dictionary,
};
use pdf_to_toon::{Error, PdfToToon, PdfToToonOptions, convert, extract};
use toon::convert::{Converter, Format, Input};

fn three_pages() -> Vec<u8> {
    text_pdf(
        &[
            &["Quarterly report", "Revenue grew 12%, costs fell."],
            &[
                "Section 2: Outlook",
                "Hiring: 3 engineers",
                "Risks - none, really",
            ],
            &["Appendix", "id,name", "1,Ada"],
        ],
        &[
            ("Title", "Q3 report"),
            ("Author", "Ada Lovelace"),
            ("Subject", "Finance"),
            ("Keywords", "report, q3"),
            ("Creator", "toon tests"),
            ("Producer", "lopdf"),
            ("CreationDate", "D:20240131120500+01'00'"),
            ("ModDate", "D:20240201080000Z"),
        ],
    )
}

#[test]
fn golden_three_pages() {
    let toon = convert(&three_pages(), &PdfToToonOptions::default()).unwrap();
    insta::assert_snapshot!("three_pages", toon);
    // The output is TOON that decodes back to the same page texts.
    let value = toon::decode(&toon, &toon::DecodeOptions::default()).unwrap();
    let pages = value.get("pages").unwrap().as_array().unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[1].get("text").unwrap().as_str(),
        Some("Section 2: Outlook\nHiring: 3 engineers\nRisks - none, really")
    );
}

#[test]
fn golden_without_metadata() {
    let pdf = text_pdf(&[&["Only text"], &["More text"]], &[]);
    let toon = convert(&pdf, &PdfToToonOptions::default()).unwrap();
    insta::assert_snapshot!("no_info_dictionary", toon);
    assert!(!toon.contains("title"));
}

#[test]
fn metadata_present_and_absent() {
    let text = extract(&three_pages(), &PdfToToonOptions::default()).unwrap();
    let meta = &text.metadata;
    assert_eq!(meta.title.as_deref(), Some("Q3 report"));
    assert_eq!(meta.author.as_deref(), Some("Ada Lovelace"));
    assert_eq!(meta.created.as_deref(), Some("2024-01-31T12:05:00+01:00"));
    assert_eq!(meta.modified.as_deref(), Some("2024-02-01T08:00:00Z"));
    assert_eq!(meta.pdf_version.as_deref(), Some("1.5"));

    // Only some fields, one of them UTF-16 (non-ASCII) and one an unparseable date.
    let pdf = text_pdf(
        &[&["x"]],
        &[
            ("Title", "Café – ünïcode"),
            ("CreationDate", "last tuesday"),
        ],
    );
    let text = extract(&pdf, &PdfToToonOptions::default()).unwrap();
    assert_eq!(text.metadata.title.as_deref(), Some("Café – ünïcode"));
    assert_eq!(text.metadata.created.as_deref(), Some("last tuesday"));
    assert_eq!(text.metadata.author, None);
    let toon = text.to_toon(true).unwrap();
    insta::assert_snapshot!("partial_metadata", toon);

    // Metadata off: no fields at all, only the count and the pages.
    let options = PdfToToonOptions {
        metadata: false,
        ..PdfToToonOptions::default()
    };
    let toon = convert(&three_pages(), &options).unwrap();
    assert!(
        toon.starts_with("page_count: 3\npages[3]{page,text}:"),
        "{toon}"
    );
}

#[test]
fn parallel_and_sequential_agree() {
    let pdf = numbered_pdf(40, 6);
    let parallel = convert(&pdf, &PdfToToonOptions::default()).unwrap();
    let sequential = convert(
        &pdf,
        &PdfToToonOptions {
            parallel: false,
            ..PdfToToonOptions::default()
        },
    )
    .unwrap();
    assert_eq!(parallel, sequential);
    assert!(parallel.contains("pages[40]{page,text}:"));
    assert!(parallel.contains("Page 40, line 6: the quick brown fox"));
}

fn encrypt(doc: &mut Document, user_password: &str) {
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ]),
    );
    let version = EncryptionVersion::V2 {
        document: doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
}

#[test]
fn encrypted_with_a_user_password_is_an_error() {
    let mut doc = text_document(&[&["secret text"]], &[("Title", "Secret")]);
    encrypt(&mut doc, "hunter2");
    let bytes = save(&mut doc);
    let err = convert(&bytes, &PdfToToonOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Encrypted), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the PDF is encrypted and needs a password (decrypt it first)"
    );
}

#[test]
fn encrypted_with_an_empty_user_password_is_read() {
    // Owner-password-only documents open in any viewer; lopdf decrypts them on load.
    let mut doc = text_document(&[&["open text"]], &[("Title", "Open")]);
    encrypt(&mut doc, "");
    let bytes = save(&mut doc);
    let text = extract(&bytes, &PdfToToonOptions::default()).unwrap();
    assert_eq!(text.pages, ["open text"]);
    assert_eq!(text.metadata.title.as_deref(), Some("Open"));
}

#[test]
fn empty_documents() {
    // No pages at all.
    let pdf = text_pdf(&[], &[]);
    let err = convert(&pdf, &PdfToToonOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NoPages), "{err:?}");

    // Pages without text: an error by default (a scan needs OCR, out of scope) ...
    let pdf = text_pdf(&[&[], &[]], &[("Title", "Blank")]);
    let err = convert(&pdf, &PdfToToonOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NoText { pages: 2 }), "{err:?}");
    assert!(err.to_string().contains("OCR"), "{err}");

    // ... and rows with empty text when text is not required.
    let options = PdfToToonOptions {
        require_text: false,
        ..PdfToToonOptions::default()
    };
    let toon = convert(&pdf, &options).unwrap();
    insta::assert_snapshot!("blank_pages", toon);
}

#[test]
fn limits() {
    let pdf = three_pages();
    let err = convert(
        &pdf,
        &PdfToToonOptions {
            max_bytes: 100,
            ..PdfToToonOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 100, .. }), "{err:?}");
    let err = convert(
        &pdf,
        &PdfToToonOptions {
            max_pages: 2,
            ..PdfToToonOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::TooManyPages { pages: 3, limit: 2 }),
        "{err:?}"
    );
}

#[test]
fn garbage_is_corrupt() {
    let valid = three_pages();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("text", b"hello, this is not a PDF".to_vec()),
        ("header only", b"%PDF-1.7\n".to_vec()),
        (
            "header and junk",
            b"%PDF-1.4\n\x00\x01\x02 obj << >> endobj".to_vec(),
        ),
        ("truncated to a quarter", valid[..valid.len() / 4].to_vec()),
        ("truncated by 10 bytes", valid[..valid.len() - 10].to_vec()),
        ("no startxref", {
            let end = valid.windows(9).rposition(|w| w == b"startxref").unwrap();
            valid[..end].to_vec()
        }),
    ];
    for (name, bytes) in cases {
        match convert(&bytes, &PdfToToonOptions::default()) {
            Err(Error::Corrupt(_) | Error::NoPages | Error::Extraction { .. }) => {}
            // lopdf can rebuild a lost xref table: then the text must still be right.
            Ok(toon) => assert!(toon.contains("Quarterly report"), "{name}: {toon}"),
            Err(other) => panic!("{name}: unexpected {other:?}"),
        }
    }
    let err = convert(b"not a pdf", &PdfToToonOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
}

/// A deterministic xorshift generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mutated_pdfs_never_panic() {
    let valid = three_pages();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut outcomes = [0usize; 2];
    for round in 0..200 {
        let mut bytes = valid.clone();
        match round % 4 {
            // Flip a few random bytes.
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next() as u8;
                }
            }
            // Truncate anywhere.
            1 => bytes.truncate(rng.below(bytes.len())),
            // Delete a run of bytes.
            2 => {
                let at = rng.below(bytes.len());
                let len = 1 + rng.below(64).min(bytes.len() - at - 1);
                bytes.drain(at..at + len);
            }
            // Overwrite a run with a copy of another part of the file.
            _ => {
                let from = rng.below(bytes.len() - 32);
                let to = rng.below(bytes.len() - 32);
                let run = bytes[from..from + 32].to_vec();
                bytes[to..to + 32].copy_from_slice(&run);
            }
        }
        // Whatever the damage, the answer is a value: text or an error, never a panic
        // escaping to the caller.
        let result = std::panic::catch_unwind(|| convert(&bytes, &PdfToToonOptions::default()));
        match result.unwrap_or_else(|_| panic!("round {round} panicked")) {
            Ok(_) => outcomes[0] += 1,
            Err(_) => outcomes[1] += 1,
        }
    }
    assert_eq!(outcomes[0] + outcomes[1], 200);
    assert!(
        outcomes[1] > 0,
        "some mutations must be errors: {outcomes:?}"
    );
}

/// A page whose form XObject draws itself: pdf-extract would recurse until the stack
/// overflows (an abort); the guard reports it instead.
#[test]
fn self_drawing_form_is_corrupt_not_an_abort() {
    let mut doc = text_document(&[&["before the form"]], &[]);
    let form_id = doc.new_object_id();
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "X1" => form_id } },
        },
        Content {
            operations: vec![Operation::new("Do", vec![Object::Name(b"X1".to_vec())])],
        }
        .encode()
        .unwrap(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let (_, page_id) = doc.get_pages().into_iter().next().unwrap();
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"/X1 Do".to_vec()));
    let page = doc.get_dictionary_mut(page_id).unwrap();
    page.set(
        "Contents",
        Object::Array(vec![
            page.get(b"Contents").unwrap().clone(),
            Object::Reference(content_id),
        ]),
    );
    page.set(
        "Resources",
        dictionary! {
            "Font" => dictionary! { "F1" => dictionary! {
                "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            } },
            "XObject" => dictionary! { "X1" => form_id },
        },
    );
    let bytes = save(&mut doc);
    let err = convert(&bytes, &PdfToToonOptions::default()).unwrap_err();
    match err {
        Error::Corrupt(message) => assert!(message.contains("draws itself"), "{message}"),
        other => panic!("unexpected {other:?}"),
    }
}

/// A page whose `/Parent` chain loops: pdf-extract's inherited-attribute lookup would
/// recurse forever.
#[test]
fn cyclic_parent_chain_is_corrupt() {
    let mut doc = text_document(&[&["loop"]], &[]);
    let (_, page_id) = doc.get_pages().into_iter().next().unwrap();
    let loop_a = doc.new_object_id();
    let loop_b = doc.new_object_id();
    doc.objects.insert(
        loop_a,
        Object::Dictionary(dictionary! { "Parent" => loop_b }),
    );
    doc.objects.insert(
        loop_b,
        Object::Dictionary(dictionary! { "Parent" => loop_a }),
    );
    // The page keeps its place in the tree (Kids) but points up into the loop.
    doc.get_dictionary_mut(page_id)
        .unwrap()
        .set("Parent", loop_a);
    let bytes = save(&mut doc);
    let err = convert(&bytes, &PdfToToonOptions::default()).unwrap_err();
    match err {
        Error::Corrupt(message) => assert!(message.contains("cyclic /Parent"), "{message}"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn converter_trait() {
    let converter = PdfToToon::default();
    assert_eq!(converter.name(), "pdf-to-toon");
    assert_eq!(converter.source(), Format::Pdf);
    assert_eq!(converter.target(), Format::Toon);
    assert!(converter.cacheable());
    let pdf = three_pages();
    let out = converter.convert(Input::Bytes(&pdf)).unwrap();
    assert_eq!(out, convert(&pdf, &PdfToToonOptions::default()).unwrap());

    // From a file, and errors surface through ConvertError.
    let dir = std::env::temp_dir().join(format!("pdf-to-toon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("three.pdf");
    std::fs::write(&path, &pdf).unwrap();
    assert_eq!(converter.convert(Input::Path(&path)).unwrap(), out);
    let err = converter.convert(Input::Bytes(b"junk")).unwrap_err();
    assert!(err.to_string().starts_with("not a readable PDF"), "{err}");
    assert_eq!(err.location(), None);
    let err = converter
        .convert(Input::Path(&dir.join("missing.pdf")))
        .unwrap_err();
    assert!(err.get_ref().to_string().contains("No such file"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();

    // The options key ignores `parallel` (same output) and follows everything else.
    let key = |options: PdfToToonOptions| PdfToToon::new(options).options_key();
    let base = key(PdfToToonOptions::default());
    assert_eq!(base, key(PdfToToonOptions::default()));
    assert_eq!(
        base,
        key(PdfToToonOptions {
            parallel: false,
            ..PdfToToonOptions::default()
        })
    );
    assert_ne!(
        base,
        key(PdfToToonOptions {
            metadata: false,
            ..PdfToToonOptions::default()
        })
    );
}

#[test]
fn converter_reads_bytes_and_paths() {
    let converter = PdfToToon::default();
    assert_eq!(
        (converter.name(), converter.source(), converter.target()),
        ("pdf-to-toon", Format::Pdf, Format::Toon)
    );
    let pdf = three_pages();
    let expected = convert(&pdf, &PdfToToonOptions::default()).unwrap();
    assert_eq!(converter.convert(Input::Bytes(&pdf)).unwrap(), expected);
    assert_eq!(
        Format::from_path(std::path::Path::new("report.PDF")),
        Some(Format::Pdf)
    );
}
