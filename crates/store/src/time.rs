//! Timestamps are stored as UTC microseconds since the Unix epoch in a BIGINT, on both backends.

use chrono::{DateTime, Utc};

pub fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub fn from_micros(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or(DateTime::UNIX_EPOCH)
}
