//! What the benches share: the scale, the start of their clock, and texts.

use chrono::{DateTime, TimeZone, Utc};
use clientele::Text;

/// How many customers: `CLIENTELE_BENCH_CUSTOMERS`, 1,000,000 unless set.
pub fn customers() -> u128 {
    std::env::var("CLIENTELE_BENCH_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// Monday 2 March 2026, 08:00 UTC.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// A valid text.
pub fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|_| unreachable!())
}
