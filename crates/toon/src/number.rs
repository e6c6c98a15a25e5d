//! `Number`, the one number type of the value model, and its canonical text, which the
//! encoder writes and `Display` prints. It sits at the crate root, below both the value
//! model and the encoder, because both use it.
//!
//! Canonical number text: integers as-is, floats as ECMAScript `Number#toString` prints
//! them (shortest round-trip digits, exponent form outside [1e-6, 1e21)), which is what
//! the reference encoder writes. `-0` becomes `0`; NaN and infinities become `null`.
//!
//! Integers beyond 64 bits are floats unless asked for: [`Number::from_integer_text`] and
//! decoding with [`DecodeOptions::with_big_integers`](crate::DecodeOptions::with_big_integers)
//! keep their digits (the Python binding uses both, so a Python `int` of any size survives
//! a round trip). They are rare, so they are boxed: `Number` stays 16 bytes.
//!
//! Floats go through `zmij` (shortest digits, about 4× fewer instructions than a
//! ECMAScript-specific formatter here), whose output differs from JavaScript's only in
//! where exponent form starts and in a trailing `.0`; [`NumberBuffer::format`] rewrites
//! those cases. Exactness against an ECMAScript formatter is tested on random doubles.

use std::fmt;

/// A TOON number. Integers that fit `i64` (or `u64` above `i64::MAX`) stay exact; every
/// other number is an `f64`, except integers beyond 64 bits built on request
/// ([`Number::from_integer_text`], [`DecodeOptions::with_big_integers`](crate::DecodeOptions::with_big_integers)),
/// which keep their digits and are written as them.
#[derive(Clone)]
pub struct Number(pub(crate) N);

/// How a [`Number`] is held: an exact integer of one of three ranges, or a float.
#[derive(Clone, Debug)]
pub(crate) enum N {
    /// An integer that fits `i64`.
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// An integer beyond `i64` and `u64`: its canonical digits (`-?[1-9][0-9]*`). Boxed
    /// twice so that the pointer is thin and `Number` stays 16 bytes.
    Big(Box<Box<str>>),
}

/// The newtype-struct name under which `Serialize for Number` hands over the digits of a
/// [`N::Big`] (serde has no arbitrary-size integer; serde_json's `arbitrary_precision`
/// uses the same trick). This crate's serializers write the digits as a bare number;
/// any other serializer sees a newtype around a string and writes the string.
pub(crate) const BIG_INTEGER: &str = "$toon::private::BigInteger";

impl Number {
    /// A float. NaN and infinities are kept here and encode as `null`, like the reference.
    pub fn from_f64(f: f64) -> Self {
        Number(N::Float(f))
    }

    /// An exact integer of any size from its decimal text, `-?(0|[1-9][0-9]*)` (the TOON
    /// and JSON integer grammar: no `+`, no leading zeros); `None` for any other text.
    ///
    /// ```
    /// let big = toon::Number::from_integer_text("-100000000000000000000").unwrap();
    /// assert_eq!(big.as_big_integer(), Some("-100000000000000000000"));
    /// assert_eq!(big.to_string(), "-100000000000000000000");
    /// assert_eq!(toon::Number::from_integer_text("42").unwrap().as_i64(), Some(42));
    /// assert!(toon::Number::from_integer_text("007").is_none());
    /// ```
    pub fn from_integer_text(text: &str) -> Option<Self> {
        let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
        let canonical = match digits {
            [b'0'] => true,
            [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
            _ => false,
        };
        if !canonical {
            return None;
        }
        Some(Number::integer_unchecked(text))
    }

    /// A number from JSON's number text, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    /// (what a TOON decoder reads as a number): integers exact at any size, decimals as
    /// `f64`; `None` for any other text and for values beyond `f64`'s range.
    ///
    /// ```
    /// use toon::Number;
    /// assert_eq!(Number::from_json_text("-12").unwrap().as_i64(), Some(-12));
    /// assert_eq!(Number::from_json_text("1.5e3").unwrap().as_f64(), 1500.0);
    /// assert!(Number::from_json_text("18446744073709551616").unwrap().as_big_integer().is_some());
    /// for text in ["007", "+1", ".5", "1.", "1e400", "NaN", "0x10", ""] {
    ///     assert!(Number::from_json_text(text).is_none(), "{text}");
    /// }
    /// ```
    pub fn from_json_text(text: &str) -> Option<Self> {
        Number::parse(text, true)
    }

    /// A number if `token` matches `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` exactly. Integers
    /// that fit `i64`/`u64` stay exact; larger integers and decimals become `f64`; a value
    /// that overflows `f64` is not a number (it stays a string, like the reference's `1e400`).
    /// With `big_integers`, larger integers keep their digits (only this cold branch reads it).
    #[inline]
    pub(crate) fn parse(token: &str, big_integers: bool) -> Option<Number> {
        let bytes = token.as_bytes();
        let mut i = usize::from(bytes.first() == Some(&b'-'));
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            _ => return None,
        }
        let int_end = i;
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
            i += 1;
            if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if i != bytes.len() {
            return None;
        }
        if int_end == bytes.len() {
            if let Ok(n) = token.parse::<i64>() {
                return Some(Number::from(n));
            }
            if let Ok(n) = token.parse::<u64>() {
                return Some(Number::from(n));
            }
            if big_integers {
                return Some(Number::integer_unchecked(token));
            }
        }
        let f: f64 = token.parse().ok()?;
        if !f.is_finite() {
            return None;
        }
        // -0.0 decodes as 0, like the reference.
        Some(Number::from_f64(if f == 0.0 { 0.0 } else { f }))
    }

    /// An integer from text already known to match `-?(0|[1-9][0-9]*)`.
    #[cold]
    pub(crate) fn integer_unchecked(text: &str) -> Self {
        if let Ok(i) = text.parse::<i64>() {
            return Number(N::Int(i));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Number(N::UInt(u));
        }
        Number(N::Big(Box::new(text.into())))
    }

    /// True when the number is an exact integer (not a float).
    pub fn is_integer(&self) -> bool {
        !matches!(self.0, N::Float(_))
    }

    /// The value as `i64` if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            N::Int(i) => Some(i),
            N::UInt(u) => i64::try_from(u).ok(),
            N::Float(_) | N::Big(_) => None,
        }
    }

    /// The value as `u64` if it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::Int(i) => u64::try_from(i).ok(),
            N::UInt(u) => Some(u),
            N::Float(_) | N::Big(_) => None,
        }
    }

    /// The digits of an integer beyond `i64` and `u64` (see [`Number::from_integer_text`]);
    /// `None` for every other number.
    pub fn as_big_integer(&self) -> Option<&str> {
        match &self.0 {
            N::Big(digits) => Some(digits),
            _ => None,
        }
    }

    /// The value as `f64` (rounded for integers above 2^53; infinite for integers beyond
    /// the `f64` range).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            N::Int(i) => *i as f64,
            N::UInt(u) => *u as f64,
            N::Float(f) => *f,
            N::Big(digits) => digits.parse().unwrap_or(f64::NAN),
        }
    }
}

impl PartialEq for Number {
    /// Numeric equality. Two integers compare exactly; when either side is a float both
    /// compare as `f64`, as JSON consumers do — so `Int(3) == Float(3.0)`, `-0.0 == 0`,
    /// and a whole float above 2^53 equals the integer its shortest digits spell. NaN
    /// equals NaN, so a value always equals itself.
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (N::Int(a), N::Int(b)) => a == b,
            (N::UInt(a), N::UInt(b)) => a == b,
            (N::Big(a), N::Big(b)) => a == b,
            // Each integer has one representation, so integers of two kinds differ.
            (N::Int(_) | N::UInt(_) | N::Big(_), N::Int(_) | N::UInt(_) | N::Big(_)) => false,
            _ => {
                let (a, b) = (self.as_f64(), other.as_f64());
                a == b || (a.is_nan() && b.is_nan())
            }
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            N::Int(i) => write!(f, "{i}"),
            N::UInt(u) => write!(f, "{u}"),
            N::Float(x) => write!(f, "{x:?}"),
            N::Big(digits) => f.write_str(digits),
        }
    }
}

impl fmt::Display for Number {
    /// The canonical TOON spelling (the reference's `Number#toString`; non-finite as `null`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(NumberBuffer::default().format(self))
    }
}

macro_rules! from_signed {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(i: $t) -> Self {
                Number(N::Int(i64::from(i)))
            }
        }
    )*};
}
from_signed!(i8 i16 i32 i64);

macro_rules! from_unsigned {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(u: $t) -> Self {
                let u = u64::from(u);
                match i64::try_from(u) {
                    Ok(i) => Number(N::Int(i)),
                    Err(_) => Number(N::UInt(u)),
                }
            }
        }
    )*};
}
from_unsigned!(u8 u16 u32 u64);

impl From<f64> for Number {
    fn from(f: f64) -> Self {
        Number::from_f64(f)
    }
}

impl From<f32> for Number {
    fn from(f: f32) -> Self {
        Number::from_f64(f64::from(f))
    }
}

/// Scratch space for formatting one number without allocating.
pub(crate) struct NumberBuffer {
    int: itoa::Buffer,
    float: zmij::Buffer,
    /// Room for a rewritten float: at most 17 digits, 20 zeros, a sign and a point.
    text: [u8; 48],
}

impl Default for NumberBuffer {
    fn default() -> Self {
        NumberBuffer {
            int: itoa::Buffer::new(),
            float: zmij::Buffer::new(),
            text: [0; 48],
        }
    }
}

impl NumberBuffer {
    /// The canonical text of `n`.
    #[inline]
    pub(crate) fn format<'s>(&'s mut self, n: &'s Number) -> &'s str {
        match &n.0 {
            N::Int(i) => self.int.format(*i),
            N::UInt(u) => self.int.format(*u),
            N::Float(f) => self.float(*f),
            N::Big(digits) => digits,
        }
    }

    /// The canonical text of a float: `zmij`'s shortest digits, respelled where
    /// JavaScript's differ.
    #[inline]
    fn float(&mut self, f: f64) -> &str {
        if !f.is_finite() {
            return "null";
        }
        if f == 0.0 {
            return "0";
        }
        if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
            // Whole floats below 2^53 print as the integer they are.
            return self.int.format(f as i64);
        }
        let shortest = self.float.format_finite(f);
        let Some(e) = shortest.find('e') else {
            // Plain decimal: the same as JavaScript, except a trailing `.0`.
            return shortest.strip_suffix(".0").unwrap_or(shortest);
        };
        let exponent: i32 = shortest[e + 1..].parse().unwrap_or(0);
        if !(-7 < exponent && exponent < 21) {
            return shortest; // JavaScript uses exponent form here too, spelled alike.
        }
        // Expand `d.ddde±x` to plain decimal, as JavaScript does in [1e-7, 1e21).
        let (negative, mantissa) = match shortest[..e].strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, &shortest[..e]),
        };
        let mut digits = [0u8; 17];
        let mut count = 0;
        for &b in mantissa.as_bytes() {
            if b != b'.' && count < digits.len() {
                digits[count] = b;
                count += 1;
            }
        }
        let out = &mut self.text;
        let mut len = 0;
        let mut push = |b: u8| {
            out[len] = b;
            len += 1;
        };
        if negative {
            push(b'-');
        }
        if exponent < 0 {
            push(b'0');
            push(b'.');
            for _ in 0..(-exponent - 1) {
                push(b'0');
            }
            for &d in &digits[..count] {
                push(d);
            }
        } else {
            let int_len = exponent as usize + 1;
            let padded = digits[..count]
                .iter()
                .copied()
                .chain(std::iter::repeat(b'0'));
            for (i, digit) in padded.take(int_len.max(count)).enumerate() {
                if i == int_len {
                    push(b'.');
                }
                push(digit);
            }
        }
        // Every byte written is ASCII.
        std::str::from_utf8(&self.text[..len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(f: f64) -> String {
        if !f.is_finite() {
            return "null".into();
        }
        if f == 0.0 {
            return "0".into();
        }
        ryu_js::Buffer::new().format_finite(f).to_owned()
    }

    fn ours(f: f64) -> String {
        NumberBuffer::default()
            .format(&Number::from_f64(f))
            .to_owned()
    }

    #[test]
    fn boundaries_match_ecmascript() {
        for f in [
            0.1,
            1.5,
            1e21,
            1e20,
            1e-7,
            1e-6,
            5e-324,
            1.5e300,
            1.2345678901234568e20,
            0.30000000000000004,
            1e16,
            1.2e16,
            12345.678,
            1e-5,
            1.234e-6,
            9.999999e20,
            f64::MAX,
            f64::MIN_POSITIVE,
            100.0,
            9007199254740993.0,
            -1e-7,
            -0.0,
            123e-20,
            1.0000000000000002,
            -9.999999999999999e20,
            2.5e-7,
            4.35,
        ] {
            assert_eq!(ours(f), js(f), "{f:e}");
            assert_eq!(ours(-f), js(-f), "{:e}", -f);
        }
    }

    #[test]
    fn random_doubles_match_ecmascript() {
        // splitmix64 over raw bit patterns and over decimal-ish magnitudes.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        for _ in 0..300_000 {
            let bits = f64::from_bits(next());
            assert_eq!(ours(bits), js(bits), "{bits:e}");
            let scaled = (next() % 1_000_000_007) as f64 * 10f64.powi((next() % 60) as i32 - 30);
            assert_eq!(ours(scaled), js(scaled), "{scaled:e}");
        }
    }
}
