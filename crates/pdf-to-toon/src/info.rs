//! Document metadata: the trailer's `/Info` dictionary and the header version.

use lopdf::{Dictionary, Document, Object};
use toon::{Map, Value};

/// The metadata of a PDF: `/Info` text fields that are present, and the PDF version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Metadata {
    /// `/Title`.
    pub title: Option<String>,
    /// `/Author`.
    pub author: Option<String>,
    /// `/Subject`.
    pub subject: Option<String>,
    /// `/Keywords`.
    pub keywords: Option<String>,
    /// `/Creator` (the authoring application).
    pub creator: Option<String>,
    /// `/Producer` (the application that wrote the PDF).
    pub producer: Option<String>,
    /// `/CreationDate`, RFC 3339 when it parses, verbatim otherwise.
    pub created: Option<String>,
    /// `/ModDate`, RFC 3339 when it parses, verbatim otherwise.
    pub modified: Option<String>,
    /// The version in the header (`1.7`).
    pub pdf_version: Option<String>,
}

impl Metadata {
    /// Reads the metadata of a loaded document; missing or malformed entries are `None`.
    pub fn read(doc: &Document) -> Metadata {
        let info = doc
            .trailer
            .get(b"Info")
            .ok()
            .and_then(|info| deref(doc, info).as_dict().ok());
        let text = |key: &[u8]| info.and_then(|info| text_field(doc, info, key));
        let date = |key: &[u8]| text(key).map(|raw| pdf_date_to_rfc3339(&raw).unwrap_or(raw));
        Metadata {
            title: text(b"Title"),
            author: text(b"Author"),
            subject: text(b"Subject"),
            keywords: text(b"Keywords"),
            creator: text(b"Creator"),
            producer: text(b"Producer"),
            created: date(b"CreationDate"),
            modified: date(b"ModDate"),
            pdf_version: (!doc.version.is_empty()).then(|| doc.version.clone()),
        }
    }

    pub(crate) fn write_fields<'a>(&'a self, map: &mut Map<'a>) {
        let fields = [
            ("title", &self.title),
            ("author", &self.author),
            ("subject", &self.subject),
            ("keywords", &self.keywords),
            ("creator", &self.creator),
            ("producer", &self.producer),
            ("created", &self.created),
            ("modified", &self.modified),
            ("pdf_version", &self.pdf_version),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                map.insert(key, Value::from(value.as_str()));
            }
        }
    }
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        _ => object,
    }
}

fn text_field(doc: &Document, info: &Dictionary, key: &[u8]) -> Option<String> {
    let bytes = deref(doc, info.get(key).ok()?).as_str().ok()?;
    let text = decode_text_string(bytes);
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!text.is_empty()).then(|| text.to_owned())
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 with a byte-order mark, PDFDocEncoding
/// otherwise.
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units = utf16
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]));
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding (PDF 32000-1, Annex D): Latin-1 except for these code points.
fn pdf_doc_char(byte: u8) -> char {
    let code: u32 = match byte {
        0x18 => 0x02d8,
        0x19 => 0x02c7,
        0x1a => 0x02c6,
        0x1b => 0x02d9,
        0x1c => 0x02dd,
        0x1d => 0x02db,
        0x1e => 0x02da,
        0x1f => 0x02dc,
        0x80 => 0x2022,
        0x81 => 0x2020,
        0x82 => 0x2021,
        0x83 => 0x2026,
        0x84 => 0x2014,
        0x85 => 0x2013,
        0x86 => 0x0192,
        0x87 => 0x2044,
        0x88 => 0x2039,
        0x89 => 0x203a,
        0x8a => 0x2212,
        0x8b => 0x2030,
        0x8c => 0x201e,
        0x8d => 0x201c,
        0x8e => 0x201d,
        0x8f => 0x2018,
        0x90 => 0x2019,
        0x91 => 0x201a,
        0x92 => 0x2122,
        0x93 => 0xfb01,
        0x94 => 0xfb02,
        0x95 => 0x0141,
        0x96 => 0x0152,
        0x97 => 0x0160,
        0x98 => 0x0178,
        0x99 => 0x017d,
        0x9a => 0x0131,
        0x9b => 0x0142,
        0x9c => 0x0153,
        0x9d => 0x0161,
        0x9e => 0x017e,
        0xa0 => 0x20ac,
        0x7f | 0x9f | 0xad => 0xfffd,
        b => u32::from(b),
    };
    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// `D:YYYYMMDDHHmmSSOHH'mm'` (every part after the year optional) → RFC 3339; `None`
/// when it does not parse. A missing zone is written as `Z`, as is `Z`.
pub(crate) fn pdf_date_to_rfc3339(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let bytes = s.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(4..=14).contains(&digits) || digits % 2 != 0 {
        return None;
    }
    let part = |at: usize, default: u32| -> u32 {
        if at + 2 <= digits {
            s[at..at + 2].parse().unwrap_or(default)
        } else {
            default
        }
    };
    let year: u32 = s[..4].parse().ok()?;
    let (month, day) = (part(4, 1), part(6, 1));
    let (hour, minute, second) = (part(8, 0), part(10, 0), part(12, 0));
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let zone = &s[digits..];
    let offset = match zone.as_bytes().first() {
        None | Some(b'Z') => "Z".to_owned(),
        Some(&sign @ (b'+' | b'-')) => {
            let rest: Vec<&str> = zone[1..].split('\'').filter(|p| !p.is_empty()).collect();
            let hh: u32 = rest.first()?.parse().ok()?;
            let mm: u32 = rest.get(1).map_or(Some(0), |m| m.parse().ok())?;
            if hh > 23 || mm > 59 {
                return None;
            }
            format!("{}{hh:02}:{mm:02}", sign as char)
        }
        Some(_) => return None,
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{offset}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            pdf_date_to_rfc3339("D:20240131120500+01'00'").as_deref(),
            Some("2024-01-31T12:05:00+01:00")
        );
        assert_eq!(
            pdf_date_to_rfc3339("D:20240131120500Z").as_deref(),
            Some("2024-01-31T12:05:00Z")
        );
        assert_eq!(
            pdf_date_to_rfc3339("D:2024").as_deref(),
            Some("2024-01-01T00:00:00Z")
        );
        assert_eq!(
            pdf_date_to_rfc3339("D:19991231235959-08'30").as_deref(),
            Some("1999-12-31T23:59:59-08:30")
        );
        assert_eq!(pdf_date_to_rfc3339("yesterday"), None);
        assert_eq!(pdf_date_to_rfc3339("D:20241301"), None);
        assert_eq!(pdf_date_to_rfc3339("D:2024+xx"), None);
    }

    #[test]
    fn text_strings() {
        assert_eq!(decode_text_string(b"Plain"), "Plain");
        assert_eq!(
            decode_text_string(&[0xfe, 0xff, 0x00, 0x48, 0x00, 0xe9]),
            "Hé"
        );
        assert_eq!(decode_text_string(&[0x80, 0xa0, 0xe9]), "•€é");
        assert_eq!(decode_text_string(&[0xef, 0xbb, 0xbf, b'o', b'k']), "ok");
        // An odd trailing byte and a lone surrogate do not panic.
        assert_eq!(
            decode_text_string(&[0xfe, 0xff, 0xd8, 0x00, 0x41]),
            "\u{fffd}\u{4100}"
        );
    }
}
