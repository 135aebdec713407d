//! Partner figures (issue 12, item 8): what trainings reached, grouped by
//! training, partner, country and month, in one grouped statement on either
//! backend. No GraphQL types.
//!
//! Definitions, over the REGISTERED registrations (not waitlisted, not
//! cancelled) of the sessions (not cancelled) starting in the period:
//! participants are the distinct people; organizations reached, the
//! distinct organizations those registrations were made on behalf of;
//! the attendance rate, ATTENDED / (ATTENDED + NO_SHOW) among those marked
//! (none when none is); the average rating, the mean of their feedback's
//! ratings (none without feedback). A session's country is its venue's
//! (none for an online session without one); its month, that of its start
//! in UTC.

use chrono::{DateTime, Datelike, Months, Utc};
use entity::{
    enums::{TrainingAttendance, TrainingRegistrationStatus, TrainingSessionStatus},
    training, training_feedback as feedback, training_registration as registration, training_session as session,
};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DbBackend, QueryResult,
    sea_query::{Alias, Expr, ExprTrait, Func, NullOrdering, Order, Query, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use crate::{auth::policy::training_feedback::FiguresScope, error::ApiError};

/// Most rows one question answers: beyond, the caller narrows it.
pub const MAX_GROUPS: usize = 2_000;
/// The longest period asked at once, in months (five years).
pub const MAX_PERIOD_MONTHS: u32 = 60;

/// What figures are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// The training.
    Training,
    /// The training's organizing partner.
    Partner,
    /// The session's venue country.
    Country,
    /// The month (UTC) of the session's start.
    Month,
}

impl Dimension {
    fn alias(self) -> &'static str {
        match self {
            Self::Training => "g_training",
            Self::Partner => "g_partner",
            Self::Country => "g_country",
            Self::Month => "g_month",
        }
    }

    fn expr(self, backend: DbBackend) -> SimpleExpr {
        match self {
            Self::Training => Expr::col((training::Entity, training::Column::Id)),
            Self::Partner => Expr::col((training::Entity, training::Column::PartnerId)),
            Self::Country => Expr::col((session::Entity, session::Column::CountryCode)),
            // Timestamps are UTC: SQLite keeps them as ISO 8601 text, whose
            // first seven characters are the month; PostgreSQL formats the
            // instant in UTC whatever the session's time zone setting.
            Self::Month => {
                let starts = Expr::col((session::Entity, session::Column::StartsAt));
                match backend {
                    DbBackend::Sqlite => Expr::cust_with_exprs("substr(?, 1, 7)", [starts]),
                    _ => Expr::cust_with_exprs("to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM')", [starts]),
                }
            }
        }
    }
}

/// Which registrations figures count (the period is required and bounded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiguresFilter {
    /// Trainings of this partner.
    pub partner: Option<Uuid>,
    /// Sessions in this country.
    pub country: Option<String>,
    /// Sessions starting at or after this time.
    pub from: DateTime<Utc>,
    /// Sessions starting before this time.
    pub to: DateTime<Utc>,
}

/// The values of a row's dimensions (those grouped by; the others none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FiguresKey {
    /// Training.
    pub training: Option<Uuid>,
    /// Partner.
    pub partner: Option<Uuid>,
    /// Country code (none also for online sessions without a country).
    pub country: Option<String>,
    /// `YYYY-MM`.
    pub month: Option<String>,
}

/// One row of figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Its dimensions' values.
    pub key: FiguresKey,
    /// Distinct people REGISTERED.
    pub participants: i64,
    /// Distinct organizations they registered on behalf of.
    pub organizations: i64,
    /// Registrations marked ATTENDED.
    pub attended: i64,
    /// Registrations marked NO_SHOW.
    pub no_shows: i64,
    /// Feedback given.
    pub feedback_count: i64,
    /// The sum of the feedback's ratings.
    pub rating_sum: i64,
}

impl Figures {
    /// ATTENDED / (ATTENDED + NO_SHOW); none when nobody was marked.
    #[expect(clippy::cast_precision_loss, reason = "counts of people are far below 2^52")]
    pub fn attendance_rate(&self) -> Option<f64> {
        let marked = self.attended + self.no_shows;
        (marked > 0).then(|| self.attended as f64 / marked as f64)
    }

    /// The mean rating; none without feedback.
    #[expect(clippy::cast_precision_loss, reason = "sums of ratings are far below 2^52")]
    pub fn average_rating(&self) -> Option<f64> {
        (self.feedback_count > 0).then(|| self.rating_sum as f64 / self.feedback_count as f64)
    }
}

fn bigint(e: SimpleExpr) -> SimpleExpr {
    Func::cast_as(e, Alias::new("BIGINT")).into()
}

fn count_if(column: registration::Column, value: TrainingAttendance) -> SimpleExpr {
    let when = Expr::col((registration::Entity, column)).eq(value.to_value());
    bigint(Func::sum(Expr::case(when, 1).finally(0)).into())
}

fn base(scope: &FiguresScope, filter: &FiguresFilter) -> SelectStatement {
    let mut select = Query::select();
    select
        .from(registration::Entity)
        .inner_join(
            session::Entity,
            Expr::col((session::Entity, session::Column::Id)).equals((registration::Entity, registration::Column::SessionId)),
        )
        .inner_join(
            training::Entity,
            Expr::col((training::Entity, training::Column::Id)).equals((session::Entity, session::Column::TrainingId)),
        )
        .left_join(
            feedback::Entity,
            Expr::col((feedback::Entity, feedback::Column::RegistrationId)).equals((registration::Entity, registration::Column::Id)),
        )
        .and_where(Expr::col((registration::Entity, registration::Column::Status)).eq(TrainingRegistrationStatus::Registered.to_value()))
        .and_where(Expr::col((session::Entity, session::Column::Status)).ne(TrainingSessionStatus::Cancelled.to_value()))
        .and_where(Expr::col((session::Entity, session::Column::StartsAt)).gte(filter.from))
        .and_where(Expr::col((session::Entity, session::Column::StartsAt)).lt(filter.to));
    if let FiguresScope::Partners(partners) = scope {
        select.and_where(Expr::col((training::Entity, training::Column::PartnerId)).is_in(partners.iter().copied()));
    }
    if let Some(partner) = filter.partner {
        select.and_where(Expr::col((training::Entity, training::Column::PartnerId)).eq(partner));
    }
    if let Some(country) = &filter.country {
        select.and_where(Expr::col((session::Entity, session::Column::CountryCode)).eq(country.as_str()));
    }
    select
}

fn key_of(row: &QueryResult, dimensions: &[Dimension]) -> Result<FiguresKey, ApiError> {
    let mut key = FiguresKey::default();
    for d in dimensions {
        let alias = d.alias();
        match d {
            Dimension::Training => key.training = row.try_get("", alias)?,
            Dimension::Partner => key.partner = row.try_get("", alias)?,
            Dimension::Country => key.country = row.try_get("", alias)?,
            Dimension::Month => key.month = row.try_get("", alias)?,
        }
    }
    Ok(key)
}

/// Refuses a question that is not bounded: no dimension, one twice, a
/// period outside the years 1970 to 9999 (which both backends store),
/// empty, or longer than [`MAX_PERIOD_MONTHS`].
pub fn check(dimensions: &[Dimension], filter: &FiguresFilter) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::BadUserInput(m.to_owned()));
    if dimensions.is_empty() {
        return bad("`groupBy` names at least one of TRAINING, PARTNER, COUNTRY, MONTH");
    }
    if dimensions.iter().enumerate().any(|(at, d)| dimensions[..at].contains(d)) {
        return bad("`groupBy` names each dimension once");
    }
    let years = 1970..=9999;
    if !years.contains(&filter.from.year()) || !years.contains(&filter.to.year()) {
        return bad("the period lies between the years 1970 and 9999");
    }
    if filter.from >= filter.to {
        return bad("the period's `from` must come before its `to`");
    }
    if filter.from.checked_add_months(Months::new(MAX_PERIOD_MONTHS)).is_some_and(|end| filter.to > end) {
        return bad("the period spans at most 5 years: ask for several");
    }
    Ok(())
}

/// The figures of `scope`'s trainings matching `filter`, grouped by
/// `dimensions` (checked by [`check`]), ordered by their values (nulls
/// first): one grouped statement. A partner outside the scope is FORBIDDEN.
pub async fn figures(
    db: &impl ConnectionTrait,
    scope: &FiguresScope,
    dimensions: &[Dimension],
    filter: &FiguresFilter,
) -> Result<Vec<Figures>, ApiError> {
    check(dimensions, filter)?;
    if let Some(partner) = filter.partner
        && !scope.covers(partner)
    {
        return Err(ApiError::Forbidden("you may read the figures of your own partners' trainings only".to_owned()));
    }
    let backend = db.get_database_backend();
    let mut select = base(scope, filter);
    for d in dimensions {
        select.expr_as(d.expr(backend), Alias::new(d.alias()));
        select.add_group_by([d.expr(backend)]);
        select.order_by_expr_with_nulls(d.expr(backend), Order::Asc, NullOrdering::First);
    }
    let user = Expr::col((registration::Entity, registration::Column::UserId));
    let organization = Expr::col((registration::Entity, registration::Column::OrganizationId));
    select
        .expr_as(bigint(Func::count_distinct(user).into()), Alias::new("participants"))
        .expr_as(bigint(Func::count_distinct(organization).into()), Alias::new("organizations"))
        .expr_as(count_if(registration::Column::Attendance, TrainingAttendance::Attended), Alias::new("attended"))
        .expr_as(count_if(registration::Column::Attendance, TrainingAttendance::NoShow), Alias::new("no_shows"))
        .expr_as(bigint(Func::count(Expr::col((feedback::Entity, feedback::Column::Id))).into()), Alias::new("feedback_count"))
        .expr_as(bigint(Func::sum(Expr::col((feedback::Entity, feedback::Column::Rating))).into()), Alias::new("rating_sum"))
        .limit(u64::try_from(MAX_GROUPS + 1).unwrap_or(u64::MAX));
    let rows = db.query_all(&select).await?;
    if rows.len() > MAX_GROUPS {
        return Err(ApiError::BadUserInput(format!(
            "the figures have more than {MAX_GROUPS} rows: narrow the filter or group by fewer dimensions"
        )));
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(Figures {
            key: key_of(row, dimensions)?,
            participants: row.try_get("", "participants")?,
            organizations: row.try_get("", "organizations")?,
            attended: row.try_get::<Option<i64>>("", "attended")?.unwrap_or(0),
            no_shows: row.try_get::<Option<i64>>("", "no_shows")?.unwrap_or(0),
            feedback_count: row.try_get("", "feedback_count")?,
            rating_sum: row.try_get::<Option<i64>>("", "rating_sum")?.unwrap_or(0),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(from: &str, to: &str) -> FiguresFilter {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.to_utc()).unwrap_or_default();
        FiguresFilter { partner: None, country: None, from: at(from), to: at(to) }
    }

    #[test]
    fn a_question_is_bounded() {
        let year = period("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
        assert!(check(&[Dimension::Month], &year).is_ok());
        assert!(check(&[], &year).is_err(), "no dimension");
        assert!(check(&[Dimension::Month, Dimension::Country, Dimension::Month], &year).is_err(), "twice");
        assert!(check(&[Dimension::Month], &period("2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z")).is_err(), "empty");
        assert!(check(&[Dimension::Month], &period("2027-01-01T00:00:00Z", "2032-01-01T00:00:00Z")).is_ok(), "five years");
        assert!(check(&[Dimension::Month], &period("2027-01-01T00:00:00Z", "2032-01-01T00:00:01Z")).is_err(), "more");
        assert!(check(&[Dimension::Month], &period("-0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z")).is_err(), "BC");
    }

    #[test]
    fn rates_are_null_without_marks_or_feedback() {
        let none = Figures::default();
        assert_eq!((none.attendance_rate(), none.average_rating()), (None, None));
        let some = Figures { attended: 3, no_shows: 1, feedback_count: 2, rating_sum: 7, ..Figures::default() };
        assert_eq!((some.attendance_rate(), some.average_rating()), (Some(0.75), Some(3.5)));
    }
}
