//! The one place the engine reads the clock. `SOURCE_DATE_EPOCH` (seconds since 1970)
//! replaces the real time so identical input gives identical output.

use chrono::{DateTime, NaiveDate, Utc};

/// The time of this run.
/// An unusable `SOURCE_DATE_EPOCH` is warned about (once) and the real time used.
pub fn now() -> DateTime<Utc> {
    match std::env::var_os("SOURCE_DATE_EPOCH") {
        None => Utc::now(),
        Some(raw) => {
            let text = raw.to_string_lossy();
            match text
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|s| DateTime::from_timestamp(s, 0))
            {
                Some(t) => t,
                None => {
                    static WARNED: std::sync::Once = std::sync::Once::new();
                    WARNED.call_once(|| {
                        eprintln!(
                            "warning: SOURCE_DATE_EPOCH=\"{}\" is not a number of seconds since \
                             1970; using the current time",
                            crate::privacy::clip(&text, 40)
                        );
                    });
                    Utc::now()
                }
            }
        }
    }
}

/// The date of this run.
pub fn today() -> NaiveDate {
    now().date_naive()
}
