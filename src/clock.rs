//! The one place the engine reads the clock. `SOURCE_DATE_EPOCH` (seconds since 1970)
//! replaces the real time so identical input gives identical output.

use chrono::{DateTime, NaiveDate, Utc};

/// The time of this run.
pub fn now() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now)
}

/// The date of this run.
pub fn today() -> NaiveDate {
    now().date_naive()
}
