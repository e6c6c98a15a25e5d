//! Dates, times and timestamps as ISO-8601 text, written as Python's `isoformat` writes
//! them (what `toon.encode` gives a `datetime` that `pyarrow`'s `to_pylist` produced):
//! `2024-05-06`, `12:30:00`, `2024-05-06T12:30:00.250000+02:00`; a fraction only when
//! it is not zero, six digits, nine when the value has nanoseconds.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};

/// `YYYY-MM-DD`.
pub(crate) fn write_date(out: &mut String, date: NaiveDate) {
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    );
}

/// `HH:MM:SS[.ffffff]`.
pub(crate) fn write_time(out: &mut String, time: NaiveTime) {
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    );
    // A leap second is kept in the nanoseconds past 1e9 by chrono; isoformat has none.
    let nanos = time.nanosecond() % 1_000_000_000;
    if !nanos.is_multiple_of(1000) {
        let _ = write!(out, ".{nanos:09}");
    } else if nanos != 0 {
        let _ = write!(out, ".{:06}", nanos / 1000);
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]`, without an offset.
pub(crate) fn write_naive(out: &mut String, at: NaiveDateTime) {
    write_date(out, at.date());
    out.push('T');
    write_time(out, at.time());
}

/// The local time of `at` in `zone` with its offset (`+00:00` for UTC).
pub(crate) fn write_zoned<Z: TimeZone>(out: &mut String, at: NaiveDateTime, zone: &Z) {
    let local = zone.from_utc_datetime(&at);
    write_naive(out, local.naive_local());
    let seconds = local.offset().fix().local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let _ = write!(out, "{sign}{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
    if !seconds.is_multiple_of(60) {
        let _ = write!(out, ":{:02}", seconds % 60);
    }
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    fn naive(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    #[test]
    fn fractions_appear_only_when_not_zero() {
        let mut out = String::new();
        write_naive(&mut out, naive("2024-05-06T12:30:00"));
        assert_eq!(out, "2024-05-06T12:30:00");
        out.clear();
        write_naive(&mut out, naive("2024-05-06T12:30:00.25"));
        assert_eq!(out, "2024-05-06T12:30:00.250000");
        out.clear();
        write_naive(&mut out, naive("2024-05-06T12:30:00.000000007"));
        assert_eq!(out, "2024-05-06T12:30:00.000000007");
    }

    #[test]
    fn zoned_times_are_local_with_their_offset() {
        let mut out = String::new();
        let zone = FixedOffset::east_opt(-(5 * 3600 + 30 * 60)).unwrap();
        write_zoned(&mut out, naive("2024-05-06T12:00:00"), &zone);
        assert_eq!(out, "2024-05-06T06:30:00-05:30");
    }
}
