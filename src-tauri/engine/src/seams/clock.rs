//! The clock seam. Expiry, skew and cache freshness all depend on "now"; logic
//! takes a [`Clock`] so tests can pin time instead of sleeping.

use std::time::{SystemTime, UNIX_EPOCH};

/// Unix time in seconds.
pub type UnixTime = i64;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> UnixTime;

    /// Milliseconds since the Unix epoch, for timestamps shown to the
    /// millisecond (the HTTP log). A fake clock's seconds, by default.
    fn now_ms(&self) -> i64 {
        self.now() * 1000
    }
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixTime {
        self.now_ms().div_euclid(1000)
    }

    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock fixed at a given instant, for tests.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub UnixTime);

impl Clock for FixedClock {
    fn now(&self) -> UnixTime {
        self.0
    }
}

/// Formats Unix seconds as an RFC 3339 UTC timestamp (`2026-11-23T01:02:03Z`).
pub fn format_utc(t: UnixTime) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_utc_renders_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_795_395_723), "2026-11-23T01:02:03Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z", "leap day");
    }
}
