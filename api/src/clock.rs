//! The one source of "now". Services, writes and jobs ask the [`Clock`] in the
//! application state instead of the system clock, so tests set and advance
//! time instead of sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// Tells the time: the system clock in production, a manual one in tests.
#[derive(Clone, Debug)]
pub struct Clock(Source);

#[derive(Clone, Debug)]
enum Source {
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(Source::System)
    }

    /// A clock that stands still at `start` until [`Clock::set`] or
    /// [`Clock::advance`] moves it. Clones share the same time.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self(Source::Manual(Arc::new(Mutex::new(start))))
    }

    /// The current time (UTC).
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => Utc::now(),
            Source::Manual(time) => *time.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    }

    /// Seconds since the Unix epoch (for counters in fixed windows).
    pub fn unix_secs(&self) -> u64 {
        u64::try_from(self.now().timestamp()).unwrap_or(0)
    }

    /// True for a manual clock.
    pub fn is_manual(&self) -> bool {
        matches!(self.0, Source::Manual(_))
    }

    /// Moves a manual clock to `time`; a system clock ignores it.
    pub fn set(&self, time: DateTime<Utc>) {
        if let Source::Manual(current) = &self.0 {
            *current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = time;
        }
    }

    /// Moves a manual clock forward by `by`; a system clock ignores it.
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(current) = &self.0 {
            let mut time = current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *time += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved_and_its_clones_share_the_time() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc);
        let clock = Clock::manual(start);
        let clone = clock.clone();
        assert_eq!(clock.now(), start);
        clone.advance(Duration::minutes(5));
        assert_eq!(clock.now(), start + Duration::minutes(5));
        clock.set(start);
        assert_eq!(clone.now(), start);
        assert!(Clock::system().now() > start - Duration::days(3650));
    }
}
