//! `Number`: exact 64-bit integers or a float, compared by numeric value.

use std::fmt;

/// A TOON number. Integers that fit `i64` (or `u64` above `i64::MAX`) stay exact; every
/// other number is an `f64`.
#[derive(Clone, Copy)]
pub struct Number(pub(crate) N);

#[derive(Clone, Copy, Debug)]
pub(crate) enum N {
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Number {
    /// A float. NaN and infinities are kept here and encode as `null`, like the reference.
    pub fn from_f64(f: f64) -> Self {
        Number(N::Float(f))
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
            N::Float(_) => None,
        }
    }

    /// The value as `u64` if it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::Int(i) => u64::try_from(i).ok(),
            N::UInt(u) => Some(u),
            N::Float(_) => None,
        }
    }

    /// The value as `f64` (rounded for integers above 2^53).
    pub fn as_f64(&self) -> f64 {
        match self.0 {
            N::Int(i) => i as f64,
            N::UInt(u) => u as f64,
            N::Float(f) => f,
        }
    }
}

impl PartialEq for Number {
    /// Numeric equality. Two integers compare exactly; when either side is a float both
    /// compare as `f64`, as JSON consumers do — so `Int(3) == Float(3.0)`, `-0.0 == 0`,
    /// and a whole float above 2^53 equals the integer its shortest digits spell. NaN
    /// equals NaN, so a value always equals itself.
    fn eq(&self, other: &Self) -> bool {
        match (self.0, other.0) {
            (N::Int(a), N::Int(b)) => a == b,
            (N::UInt(a), N::UInt(b)) => a == b,
            (N::Int(_), N::UInt(_)) | (N::UInt(_), N::Int(_)) => false,
            _ => {
                let (a, b) = (self.as_f64(), other.as_f64());
                a == b || (a.is_nan() && b.is_nan())
            }
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            N::Int(i) => write!(f, "{i}"),
            N::UInt(u) => write!(f, "{u}"),
            N::Float(x) => write!(f, "{x:?}"),
        }
    }
}

impl fmt::Display for Number {
    /// The canonical TOON spelling (the reference's `Number#toString`; non-finite as `null`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        crate::encode::number::write_number(&mut out, self);
        f.write_str(&out)
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
