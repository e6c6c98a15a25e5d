//! Strings across the boundary. V8 keeps a string with any character above U+00FF as
//! UTF-16, and napi's UTF-8 routes transcode such strings one character at a time on
//! the JS thread (99 KB of JSON with 26 non-ASCII characters: 133 µs in, 430 µs for the
//! 108 KB of TOON out). As UTF-16 V8 only copies, and the transcoding happens here with
//! `encoding_rs`'s vectorised loops; ASCII results leave as Latin-1, which V8 copies
//! without the scan its UTF-8 decoder makes first.

use napi::{Env, JsString, Result};

/// The text of a JS string, copied as UTF-16 and transcoded here. (Asking V8 for the
/// UTF-8 length first, to copy ASCII as Latin-1, costs more than it saves: 87 µs on
/// github's TOON, where the whole UTF-16 route takes 56 µs and napi's UTF-8 one 204 µs;
/// on ASCII text the UTF-16 route costs 3–13 µs more per 100 KB.)
pub(crate) fn rust_string(text: JsString<'_>) -> Result<String> {
    let len = text
        .utf16_len()
        .map_err(|_| napi::Error::new(napi::Status::StringExpected, "expected a string"))?;
    // napi-rs's slice ends with the terminating NUL: only the first `len` units are text.
    Ok(utf8_of(&text.into_utf16()?[..len]))
}

/// The UTF-8 text of UTF-16 code units (an unpaired surrogate becomes U+FFFD, as
/// napi's UTF-8 route does).
pub(crate) fn utf8_of(units: &[u16]) -> String {
    // ASCII needs one byte a unit: start with that much room and grow only if needed.
    let mut text = "\0".repeat(units.len());
    let (mut read, mut written) = (0, 0);
    loop {
        let (r, w) =
            encoding_rs::mem::convert_utf16_to_str_partial(&units[read..], &mut text[written..]);
        read += r;
        written += w;
        if read == units.len() {
            break;
        }
        // Room for the rest at half again a byte a unit (at least 16 bytes, since one
        // unit may need three): non-ASCII text grows a few times at most, each time a
        // copy, while the conversion resumes where it stopped.
        let room = (units.len() - read) / 2 * 3 + 16;
        text.push_str(&"\0".repeat(room));
    }
    text.truncate(written);
    text
}

/// A JS string of `text`: copied as Latin-1 when it is ASCII, else as UTF-16.
pub(crate) fn js_string<'env>(env: &'env Env, text: &str) -> Result<JsString<'env>> {
    if text.is_ascii() {
        return env.create_string_latin1(text.as_bytes());
    }
    let mut units = vec![0; text.len()];
    let len = encoding_rs::mem::convert_str_to_utf16(text, &mut units);
    env.create_string_utf16(&units[..len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use napi::bindgen_prelude::Utf16String;

    #[test]
    fn utf8_of_transcodes_every_width_and_replaces_lone_surrogates() {
        for text in [
            "",
            "plain ascii",
            "café",
            "naïve → 東京 🎉 done",
            &"é🎉".repeat(500),
        ] {
            let units = Utf16String::from(text.to_owned());
            assert_eq!(utf8_of(&units), text);
        }
        // Wherever the room runs out (every offset of a run of pairs and 3-byte units),
        // no pair is split.
        for ascii in 0..40 {
            let text = "a".repeat(ascii) + &"🎉東".repeat(60);
            assert_eq!(utf8_of(&Utf16String::from(text.clone())), text);
        }
        let lone = Utf16String::from(vec![0x61, 0xD800, 0x62, 0xDC00]);
        assert_eq!(utf8_of(&lone), "a\u{FFFD}b\u{FFFD}");
    }
}
