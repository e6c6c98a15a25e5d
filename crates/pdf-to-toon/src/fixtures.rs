//! Small PDFs built in memory, for tests, benches and examples (no files to download).
//!
//! Every page draws its lines in Helvetica (a standard Type1 font, so the PDF embeds no
//! font program) with one `BT … Tj T* … ET` content stream; a one-page document is about
//! 600 bytes.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};

/// A document with one page per entry of `pages`, each drawing its lines top to bottom,
/// and an `/Info` dictionary with the given `(key, value)` pairs (none when empty).
///
/// Values are written as PDFDocEncoding literals when ASCII and as UTF-16BE otherwise.
pub fn text_document(pages: &[&[&str]], info: &[(&str, &str)]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::with_capacity(pages.len());
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![72.into(), 770.into()]),
        ];
        for line in *lines {
            operations.push(Operation::new(
                "Tj",
                vec![Object::String(
                    line.as_bytes().to_vec(),
                    StringFormat::Literal,
                )],
            ));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }
            .encode()
            .expect("encoding a content stream of strings cannot fail");
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::Reference(page_id));
    }
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    if !info.is_empty() {
        let mut dict = Dictionary::new();
        for (key, value) in info {
            dict.set(key.as_bytes().to_vec(), text_string(value));
        }
        let info_id = doc.add_object(dict);
        doc.trailer.set("Info", info_id);
    }
    doc
}

/// The bytes of [`text_document`].
pub fn text_pdf(pages: &[&[&str]], info: &[(&str, &str)]) -> Vec<u8> {
    save(&mut text_document(pages, info))
}

/// A document of `pages` pages with `lines` numbered lines each (`Page 3, line 7: …`),
/// for benchmarks.
pub fn numbered_pdf(pages: usize, lines: usize) -> Vec<u8> {
    let text: Vec<Vec<String>> = (1..=pages)
        .map(|p| {
            (1..=lines)
                .map(|l| format!("Page {p}, line {l}: the quick brown fox jumps over the lazy dog"))
                .collect()
        })
        .collect();
    let borrowed: Vec<Vec<&str>> = text
        .iter()
        .map(|lines| lines.iter().map(String::as_str).collect())
        .collect();
    let pages: Vec<&[&str]> = borrowed.iter().map(Vec::as_slice).collect();
    text_pdf(&pages, &[("Title", "Numbered pages")])
}

/// Serializes a document.
pub fn save(doc: &mut Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .expect("writing a PDF into a Vec cannot fail");
    bytes
}

fn text_string(value: &str) -> Object {
    if value.is_ascii() {
        Object::String(value.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        bytes.extend(value.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}
