//! A partner's work: its queue of cases by status, oldest submission first,
//! the counts per status, and how long decisions take (turnaround). Reads
//! only; who may read them is `Policy::may_work_queue`.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use entity::{enums::ValidationStatus as Status, event, validation};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select, Value};
use uuid::Uuid;

use crate::{
    error::ApiError,
    graphql::relay::encode_uuid,
    pagination::{Keyset, Page, PageRequest, paginate},
};

/// Which cases of a partner's queue.
#[derive(Clone, Debug)]
pub struct QueueFilter {
    /// The partner reviewing them.
    pub partner: Uuid,
    /// Their status.
    pub status: Status,
    /// Only this country's.
    pub country: Option<String>,
    /// Only those submitted before this time.
    pub older_than: Option<DateTime<Utc>>,
}

fn filtered(filter: &QueueFilter) -> Select<validation::Entity> {
    let mut select = validation::Entity::find()
        .filter(validation::Column::PartnerId.eq(filter.partner))
        .filter(validation::Column::Status.eq(filter.status));
    if let Some(country) = &filter.country {
        select = select.filter(validation::Column::CountryCode.eq(country.as_str()));
    }
    if let Some(before) = filter.older_than {
        select = select.filter(validation::Column::SubmittedAt.lt(before));
    }
    select
}

/// One page of the queue, oldest submission first.
pub async fn page(db: &impl ConnectionTrait, filter: &QueueFilter, request: &PageRequest) -> Result<Page<validation::Model>, ApiError> {
    let keyset = Keyset {
        tag: "validation-queue:submitted:asc".to_owned(),
        sort: validation::Column::SubmittedAt,
        id: validation::Column::Id,
        ascending: true,
    };
    let key_of = |m: &validation::Model| (m.submitted_at.map(|t| t.to_rfc3339()).unwrap_or_default(), m.id);
    let value_of = |k: &str| DateTime::parse_from_rfc3339(k).ok().map(|t| Value::from(t.to_utc()));
    paginate(db, filtered(filter), &keyset, request, key_of, value_of).await
}

/// How many cases the queue holds.
pub async fn count(db: &impl ConnectionTrait, filter: &QueueFilter) -> Result<u64, ApiError> {
    Ok(filtered(filter).count(db).await?)
}

/// How many of a partner's cases are in each status (statuses without any are absent).
pub async fn counts(db: &impl ConnectionTrait, partner: Uuid, country: Option<&str>) -> Result<Vec<(Status, u64)>, ApiError> {
    let mut select = validation::Entity::find()
        .select_only()
        .column(validation::Column::Status)
        .column_as(validation::Column::Id.count(), "n")
        .filter(validation::Column::PartnerId.eq(partner))
        .group_by(validation::Column::Status);
    if let Some(country) = country {
        select = select.filter(validation::Column::CountryCode.eq(country));
    }
    let rows: Vec<(Status, i64)> = select.into_tuple().all(db).await?;
    let mut counts: Vec<(Status, u64)> = rows.into_iter().map(|(s, n)| (s, u64::try_from(n).unwrap_or(0))).collect();
    counts.sort_by_key(|(s, _)| super::state::STATUSES.iter().position(|x| x == s));
    Ok(counts)
}

/// Decisions of one month.
#[derive(Clone, Debug, PartialEq)]
pub struct Turnaround {
    /// The month, `YYYY-MM` (UTC).
    pub month: String,
    /// Cases decided (approved or rejected) that month.
    pub decided: u64,
    /// Median days from the last submission to the decision.
    pub median_days: f64,
}

/// The start (UTC) of the window of `months` months ending with the current
/// one: the first day of the month `months - 1` months before `now`.
pub fn turnaround_since(now: DateTime<Utc>, months: i32) -> Result<DateTime<Utc>, ApiError> {
    if !(1..=36).contains(&months) {
        return Err(ApiError::BadUserInput("months: between 1 and 36".to_owned()));
    }
    let back = now.checked_sub_months(chrono::Months::new(u32::try_from(months - 1).unwrap_or(0))).unwrap_or(now);
    Ok(back.date_naive().with_day0(0).and_then(|d| d.and_hms_opt(0, 0, 0)).map_or(back, |d| d.and_utc()))
}

/// Median days from submission to decision (approval or rejection) of a
/// partner's cases, per month of the decision, from `since`, oldest month
/// first. Read from the cases' events (a revocation later does not change
/// when the case was decided). Two statements whatever the number of cases.
pub async fn turnaround(db: &impl ConnectionTrait, partner: Uuid, since: DateTime<Utc>) -> Result<Vec<Turnaround>, ApiError> {
    let cases: Vec<Uuid> = validation::Entity::find()
        .select_only()
        .column(validation::Column::Id)
        .filter(validation::Column::PartnerId.eq(partner))
        .filter(validation::Column::SubmittedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let subjects: HashMap<String, Uuid> = cases.iter().map(|id| (encode_uuid(super::types::Validation::KIND, *id).0, *id)).collect();
    let mut rows = Vec::new();
    // Bounded IN lists: a partner may have thousands of cases.
    let keys: Vec<String> = subjects.keys().cloned().collect();
    for chunk in keys.chunks(500) {
        rows.extend(
            event::Entity::find()
                .filter(event::Column::Subject.is_in(chunk.iter().cloned()))
                .filter(event::Column::EventType.is_in(["validation.submitted", "validation.approved", "validation.rejected"]))
                .all(db)
                .await?,
        );
    }
    rows.sort_by_key(|e| (e.occurred_at, e.id));
    let mut submitted: HashMap<&str, DateTime<Utc>> = HashMap::new();
    let mut by_month: HashMap<String, Vec<f64>> = HashMap::new();
    for row in &rows {
        if row.event_type == "validation.submitted" {
            submitted.insert(row.subject.as_str(), row.occurred_at);
        } else if let Some(start) = submitted.get(row.subject.as_str())
            && row.occurred_at >= since
        {
            let days = (row.occurred_at - *start).num_seconds() as f64 / 86_400.0;
            let month = format!("{:04}-{:02}", row.occurred_at.year(), row.occurred_at.month());
            by_month.entry(month).or_default().push(days);
        }
    }
    let mut months: Vec<Turnaround> = by_month
        .into_iter()
        .map(|(month, mut days)| {
            days.sort_by(f64::total_cmp);
            let n = days.len();
            let median = if n % 2 == 1 { days[n / 2] } else { (days[n / 2 - 1] + days[n / 2]) / 2.0 };
            Turnaround { month, decided: n as u64, median_days: (median * 10.0).round() / 10.0 }
        })
        .collect();
    months.sort_by(|a, b| a.month.cmp(&b.month));
    Ok(months)
}
