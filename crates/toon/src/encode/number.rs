//! Canonical number text: integers as-is, floats as ECMAScript `Number#toString` prints
//! them (shortest round-trip digits, exponent form outside [1e-6, 1e21)), which is what
//! the reference encoder writes. `-0` becomes `0`; NaN and infinities become `null`.

use crate::value::Number;
use crate::value::number::N;

/// Scratch space for formatting one number without allocating.
#[derive(Default)]
pub(crate) struct NumberBuffer {
    int: itoa::Buffer,
    float: ryu_js::Buffer,
}

impl NumberBuffer {
    /// The canonical text of `n`.
    pub(crate) fn format(&mut self, n: &Number) -> &str {
        match n.0 {
            N::Int(i) => self.int.format(i),
            N::UInt(u) => self.int.format(u),
            N::Float(f) => {
                if !f.is_finite() {
                    "null"
                } else if f == 0.0 {
                    "0"
                } else {
                    self.float.format_finite(f)
                }
            }
        }
    }
}

/// Appends the canonical text of `n` to `out`.
pub(crate) fn write_number(out: &mut String, n: &Number) {
    out.push_str(NumberBuffer::default().format(n));
}
