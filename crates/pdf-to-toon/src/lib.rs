//! PDF → TOON: a document's metadata and the text of its pages.
//!
//! Text comes from [`pdf-extract`](https://crates.io/crates/pdf-extract) (pure Rust, on
//! top of `lopdf`), one page at a time, with pages extracted in parallel on rayon's pool.
//! The output is one TOON object:
//!
//! | field | from |
//! |---|---|
//! | `title`, `author`, `subject`, `keywords`, `creator`, `producer` | the trailer's `/Info` dictionary (text strings decoded from PDFDocEncoding or UTF-16BE) |
//! | `created`, `modified` | `/CreationDate`, `/ModDate`, as RFC 3339 when they parse (`D:YYYYMMDDHHmmSSOHH'mm`), verbatim otherwise |
//! | `pdf_version` | the header (`%PDF-1.7`) |
//! | `page_count` | the page tree |
//! | `pages[N]{page,text}` | one row per page: its 1-based number and its text |
//!
//! Metadata fields appear only when the document has them (and
//! [`PdfToToonOptions::metadata`] is on). A page's text keeps its line breaks as one
//! string (TOON quotes and escapes it); whitespace at both ends is trimmed.
//!
//! ```
//! # #[cfg(feature = "fixtures")] {
//! use pdf_to_toon::{PdfToToonOptions, convert, fixtures};
//!
//! let pdf = fixtures::text_pdf(&[&["Hello", "world"], &["Page two"]], &[("Title", "Greetings")]);
//! let toon = convert(&pdf, &PdfToToonOptions::default())?;
//! assert_eq!(
//!     toon,
//!     "title: Greetings\npdf_version: \"1.5\"\npage_count: 2\npages[2]{page,text}:\n  1,\"Hello\\nworld\"\n  2,Page two"
//! );
//! # }
//! # Ok::<(), pdf_to_toon::Error>(())
//! ```
//!
//! # Failures are errors, never panics
//!
//! `pdf-extract` can panic on unusual fonts and malformed objects, and recurses without
//! bound through self-referencing form XObjects and cyclic `/Parent` chains. Loading and
//! every page run under [`std::panic::catch_unwind`] (a panic becomes
//! [`Error::Extraction`] or [`Error::Corrupt`]); before a page is extracted its `/Parent`
//! chain and its XObject graph are checked for cycles and depth (a cycle is
//! [`Error::Corrupt`]). The input size and page count are bounded by
//! [`PdfToToonOptions::max_bytes`] and [`PdfToToonOptions::max_pages`].
//!
//! - Encrypted documents that need a password are [`Error::Encrypted`] (the trailer still
//!   has `/Encrypt` after loading). Documents encrypted with an empty user password (only
//!   an owner password, to restrict printing or copying) open in every viewer; they are
//!   decrypted and extracted like any other.
//! - A document without pages is [`Error::NoPages`]. A document whose pages have no text
//!   at all is [`Error::NoText`] by default (usually a scan); with
//!   [`PdfToToonOptions::require_text`] off it gives rows with empty text.
//! - Bytes that are not a PDF, or that `lopdf` cannot load, are [`Error::Corrupt`].
//!
//! # Out of scope: OCR
//!
//! Only text drawn with PDF text operators is extracted. Scanned pages (images of text)
//! carry no text; recognising it (OCR) is out of scope for this crate. Layout (columns,
//! tables) is not reconstructed either: text comes in content-stream order, with line
//! breaks where the baseline moves.

use std::hash::Hasher as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Document, ObjectId};
use rayon::prelude::*;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};
use toon::{EncodeOptions, Map, Value};

/// Small PDFs built in memory for tests and benches (feature `fixtures`; not part of the
/// converter's API).
#[cfg(feature = "fixtures")]
#[doc(hidden)]
pub mod fixtures;
mod guard;
mod info;

pub use info::Metadata;

/// Options of the PDF → TOON conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfToToonOptions {
    /// Extract pages in parallel on rayon's global pool (default `true`). The output is
    /// the same either way.
    pub parallel: bool,
    /// The largest input accepted, in bytes (default 256 MiB); larger is
    /// [`Error::TooLarge`].
    pub max_bytes: usize,
    /// The most pages accepted (default 10 000); more is [`Error::TooManyPages`].
    pub max_pages: usize,
    /// Write the `/Info` metadata fields and `pdf_version` (default `true`).
    pub metadata: bool,
    /// Make a document without any text [`Error::NoText`] (default `true`); when `false`
    /// it converts to rows with empty text.
    pub require_text: bool,
}

impl Default for PdfToToonOptions {
    fn default() -> Self {
        PdfToToonOptions {
            parallel: true,
            max_bytes: 256 << 20,
            max_pages: 10_000,
            metadata: true,
            require_text: true,
        }
    }
}

impl PdfToToonOptions {
    /// A stable fingerprint of the options that change the output (all but `parallel`):
    /// FNV-1a over their values, the same on every platform and run.
    pub fn key(&self) -> u64 {
        let mut hash = StableHasher::new();
        hash.write(b"pdf-to-toon/1");
        hash.write(&(self.max_bytes as u64).to_le_bytes());
        hash.write(&(self.max_pages as u64).to_le_bytes());
        hash.write(&[u8::from(self.metadata), u8::from(self.require_text)]);
        hash.finish()
    }
}

/// A failed PDF → TOON conversion.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Encoding the TOON output failed.
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading the input failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The document is encrypted and needs a password.
    #[error("the PDF is encrypted and needs a password (decrypt it first)")]
    Encrypted,
    /// The bytes are not a PDF, or one too damaged to load.
    #[error("not a readable PDF: {0}")]
    Corrupt(String),
    /// The document has no pages.
    #[error("the PDF has no pages")]
    NoPages,
    /// None of the pages has extractable text (a scan: OCR is out of scope).
    #[error(
        "no extractable text in {pages} page(s); scanned pages need OCR, which is out of scope"
    )]
    NoText {
        /// The number of pages.
        pages: usize,
    },
    /// Extracting the text of a page failed (or `pdf-extract` panicked on it).
    #[error("text extraction failed on page {page}: {message}")]
    Extraction {
        /// The 1-based page number.
        page: u32,
        /// What went wrong.
        message: String,
    },
    /// The input exceeds [`PdfToToonOptions::max_bytes`].
    #[error("the PDF has {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// The input's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The document exceeds [`PdfToToonOptions::max_pages`].
    #[error("the PDF has {pages} pages, more than the limit of {limit}")]
    TooManyPages {
        /// The document's page count.
        pages: usize,
        /// The limit.
        limit: usize,
    },
}

impl LocatedError for Error {
    fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::Toon(e) => e.location(),
            _ => None,
        }
    }

    fn toon_error(&self) -> Option<&toon::Error> {
        match self {
            Error::Toon(error) => Some(error),
            _ => None,
        }
    }
}

/// The text and metadata of a PDF, before encoding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PdfText {
    /// The `/Info` fields that are present, and the header's version.
    pub metadata: Metadata,
    /// The text of each page, in page order (trimmed; empty for a page without text).
    pub pages: Vec<String>,
}

impl PdfText {
    /// The TOON value: metadata fields, `page_count`, then `pages[N]{page,text}`.
    pub fn to_value(&self, with_metadata: bool) -> Value<'_> {
        let mut root = Map::with_capacity(12);
        if with_metadata {
            self.metadata.write_fields(&mut root);
        }
        root.insert("page_count", Value::from(self.pages.len() as u64));
        let rows = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut row = Map::with_capacity(2);
                row.insert("page", Value::from(i as u64 + 1));
                row.insert("text", Value::from(text.as_str()));
                Value::Object(row)
            })
            .collect();
        root.insert("pages", Value::Array(rows));
        Value::Object(root)
    }

    /// The TOON text (see the crate docs for its shape).
    pub fn to_toon(&self, with_metadata: bool) -> Result<String, Error> {
        Ok(toon::encode(
            &self.to_value(with_metadata),
            &EncodeOptions::default(),
        )?)
    }
}

/// Loads a PDF and extracts its metadata and the text of every page.
pub fn extract(bytes: &[u8], options: &PdfToToonOptions) -> Result<PdfText, Error> {
    if bytes.len() > options.max_bytes {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit: options.max_bytes,
        });
    }
    // lopdf is lenient; insist on the header so arbitrary bytes are reported as such.
    let header = &bytes[..bytes.len().min(1024)];
    if !header.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::Corrupt("no %PDF- header".into()));
    }
    let doc = load(bytes)?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(Error::Encrypted);
    }
    if doc.catalog().is_err() {
        return Err(Error::Corrupt("no document catalog (/Root)".into()));
    }
    let pages: Vec<(u32, ObjectId)> = guarded(|| doc.get_pages())
        .map_err(Error::Corrupt)?
        .into_iter()
        .collect();
    if pages.is_empty() {
        return Err(Error::NoPages);
    }
    if pages.len() > options.max_pages {
        return Err(Error::TooManyPages {
            pages: pages.len(),
            limit: options.max_pages,
        });
    }
    let texts: Vec<String> = if options.parallel && pages.len() > 1 {
        pages
            .par_iter()
            .map(|&(number, id)| page_text(&doc, number, id))
            .collect::<Result<_, _>>()?
    } else {
        pages
            .iter()
            .map(|&(number, id)| page_text(&doc, number, id))
            .collect::<Result<_, _>>()?
    };
    if options.require_text && texts.iter().all(String::is_empty) {
        return Err(Error::NoText { pages: texts.len() });
    }
    let metadata = if options.metadata {
        guarded(|| Metadata::read(&doc)).unwrap_or_default()
    } else {
        Metadata::default()
    };
    Ok(PdfText {
        metadata,
        pages: texts,
    })
}

/// Converts a PDF to TOON: metadata fields and `pages[N]{page,text}`.
pub fn convert(bytes: &[u8], options: &PdfToToonOptions) -> Result<String, Error> {
    extract(bytes, options)?.to_toon(options.metadata)
}

fn load(bytes: &[u8]) -> Result<Document, Error> {
    match guarded(|| Document::load_mem(bytes)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(
            lopdf::Error::Decryption(_)
            | lopdf::Error::InvalidPassword
            | lopdf::Error::UnsupportedSecurityHandler(_),
        )) => Err(Error::Encrypted),
        Ok(Err(e)) => Err(Error::Corrupt(e.to_string())),
        Err(panic) => Err(Error::Corrupt(panic)),
    }
}

fn page_text(doc: &Document, number: u32, id: ObjectId) -> Result<String, Error> {
    guard::check_page(doc, id).map_err(Error::Corrupt)?;
    let extracted = guarded(|| {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(doc, &mut output, number).map(|()| text)
    });
    match extracted {
        Ok(Ok(text)) => Ok(trim_owned(text)),
        Ok(Err(e)) => Err(Error::Extraction {
            page: number,
            message: e.to_string(),
        }),
        Err(message) => Err(Error::Extraction {
            page: number,
            message,
        }),
    }
}

fn trim_owned(text: String) -> String {
    let trimmed = text.trim();
    if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_owned()
    }
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        format!("pdf-extract panicked: {message}")
    })
}

/// The [`Converter`] for PDF → TOON.
#[derive(Debug, Clone, Default)]
pub struct PdfToToon {
    options: PdfToToonOptions,
}

impl PdfToToon {
    /// A converter with the given options.
    pub fn new(options: PdfToToonOptions) -> Self {
        PdfToToon { options }
    }

    /// Its options.
    pub fn options(&self) -> &PdfToToonOptions {
        &self.options
    }
}

impl Converter for PdfToToon {
    fn name(&self) -> &'static str {
        "pdf-to-toon"
    }

    fn source(&self) -> Format {
        Format::Pdf
    }

    fn target(&self) -> Format {
        Format::Toon
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        if let Input::Path(path) = input {
            // Refuse oversized files before reading them into memory.
            let size = std::fs::metadata(path).map_err(Error::from)?.len();
            if size > self.options.max_bytes as u64 {
                return Err(Error::TooLarge {
                    size: usize::try_from(size).unwrap_or(usize::MAX),
                    limit: self.options.max_bytes,
                }
                .into());
            }
        }
        let bytes = input.read().map_err(Error::from)?;
        Ok(convert(&bytes, &self.options)?)
    }
}
