//! Canonical number text: integers as-is, floats as ECMAScript `Number#toString` prints
//! them (shortest round-trip digits, exponent form outside [1e-6, 1e21)), which is what
//! the reference encoder writes. `-0` becomes `0`; NaN and infinities become `null`.
//!
//! Floats go through `zmij` (shortest digits, about 4× fewer instructions than a
//! ECMAScript-specific formatter here), whose output differs from JavaScript's only in
//! where exponent form starts and in a trailing `.0`; [`NumberBuffer::format`] rewrites
//! those cases. Exactness against an ECMAScript formatter is tested on random doubles.

use crate::value::Number;
use crate::value::number::N;

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
    pub(crate) fn format(&mut self, n: &Number) -> &str {
        match n.0 {
            N::Int(i) => self.int.format(i),
            N::UInt(u) => self.int.format(u),
            N::Float(f) => self.float(f),
        }
    }

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

/// Appends the canonical text of `n` to `out`.
pub(crate) fn write_number(out: &mut String, n: &Number) {
    out.push_str(NumberBuffer::default().format(n));
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
