//! Impact reports kept for a minute, and computed a few at a time.
//!
//! A report aggregates every fulfilled request of its period (a year is about
//! a third of the benchmark's 100,000): tens of milliseconds of PostgreSQL
//! for a question anyone may ask. So each instance keeps the reports it
//! computed for [`TTL`], per (the caller's readable organizations, the
//! dimensions, the filter), since suppression depends on who asks; and at
//! most [`CONCURRENT`] are computed at once, the other callers waiting their
//! turn (then finding the report kept if one computed it meanwhile). A flood
//! of distinct reports then costs the database at most that many statements
//! at a time, whatever the number of callers.
//!
//! Figures are up to [`TTL`] old, as the schema says. Time is the
//! application's clock (tests advance it).

use std::{num::NonZeroUsize, sync::Arc};

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use tokio::sync::Semaphore;

use super::report::{self, Dimension, Report, ReportFilter};
use crate::{auth::OrgScope, error::ApiError};

/// How long a computed report is answered again.
pub const TTL: Duration = Duration::seconds(60);

/// Reports kept per instance (each at most `report::MAX_GROUPS` groups).
const CAPACITY: usize = 256;

/// Reports computed at once per instance.
const CONCURRENT: usize = 2;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    scope: OrgScope,
    dimensions: Vec<Dimension>,
    filter: ReportFilter,
}

/// A report and when it was computed.
type Kept = (DateTime<Utc>, Arc<Report>);

/// The reports an instance computed in the last [`TTL`].
pub struct ReportCache {
    kept: std::sync::Mutex<lru::LruCache<Key, Kept>>,
    computing: Semaphore,
}

impl Default for ReportCache {
    fn default() -> Self {
        Self {
            kept: std::sync::Mutex::new(lru::LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN))),
            computing: Semaphore::new(CONCURRENT),
        }
    }
}

impl ReportCache {
    fn fresh(&self, key: &Key, now: DateTime<Utc>) -> Option<Arc<Report>> {
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match kept.get(key) {
            Some((at, report)) if now >= *at && now - *at < TTL => Some(Arc::clone(report)),
            Some(_) => {
                kept.pop(key);
                None
            }
            None => None,
        }
    }

    /// The report for `scope`, `dimensions` and `filter` as computed at most
    /// [`TTL`] before `now`, else computed now (see [`report::report`]).
    /// Errors (a bad period, too many groups) are not kept.
    pub async fn report(
        &self,
        db: &impl ConnectionTrait,
        scope: &OrgScope,
        dimensions: &[Dimension],
        filter: &ReportFilter,
        now: DateTime<Utc>,
    ) -> Result<Arc<Report>, ApiError> {
        let key = Key { scope: scope.clone(), dimensions: dimensions.to_vec(), filter: filter.clone() };
        if let Some(report) = self.fresh(&key, now) {
            return Ok(report);
        }
        let _turn = self.computing.acquire().await.map_err(ApiError::internal)?;
        // Another caller may have computed it while this one waited.
        if let Some(report) = self.fresh(&key, now) {
            return Ok(report);
        }
        let report = Arc::new(report::report(db, scope, dimensions, filter).await?);
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).put(key, (now, Arc::clone(&report)));
        Ok(report)
    }
}
