//! GraphQL of partner figures: `trainingFigures(groupBy, filter)`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    figures::{self, Dimension, Figures, FiguresFilter},
    loader::TrainingById,
    types::Training,
};
use crate::{
    countries::types::Country,
    graphql::{
        context::{db, loader, policy, request},
        relay::decode_uuid,
        scalars::CountryCode,
    },
    partners::{loader::PartnerById, types::Partner},
};

/// What training figures are grouped by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainingFiguresDimension {
    /// The training.
    Training,
    /// The training's organizing partner.
    Partner,
    /// The session's venue country (online sessions without one: the null country).
    Country,
    /// The month (UTC) of the session's start.
    Month,
}

impl From<TrainingFiguresDimension> for Dimension {
    fn from(d: TrainingFiguresDimension) -> Self {
        match d {
            TrainingFiguresDimension::Training => Self::Training,
            TrainingFiguresDimension::Partner => Self::Partner,
            TrainingFiguresDimension::Country => Self::Country,
            TrainingFiguresDimension::Month => Self::Month,
        }
    }
}

/// Which sessions training figures count: those starting in the period
/// (at most 5 years, between the years 1970 and 9999), not cancelled,
/// matching the other conditions given.
#[derive(InputObject)]
pub struct TrainingFiguresFilter {
    /// Trainings of this partner (one of yours, unless you are a platform admin: else FORBIDDEN).
    pub partner: Option<ID>,
    /// Sessions in this country.
    pub country: Option<CountryCode>,
    /// Sessions starting at or after this time.
    pub from: DateTime<Utc>,
    /// Sessions starting before this time (at most 5 years after `from`).
    pub to: DateTime<Utc>,
}

/// One row of training figures: the dimensions grouped by (the others
/// null) and what the group's sessions reached.
pub struct TrainingFiguresRow(Figures);

fn small(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// One row of training figures: the dimensions grouped by (the others
/// null) and what the group's sessions reached.
#[Object]
impl TrainingFiguresRow {
    /// TRAINING: the training (null also when you may not see it: a draft,
    /// for staff who do not manage the partner's trainings).
    async fn training(&self, ctx: &Context<'_>) -> Result<Option<Training>> {
        let Some(id) = self.0.key.training else { return Ok(None) };
        Ok(loader::<TrainingById>(ctx)?.load_one(id).await?.map(Training::from))
    }

    /// PARTNER: the organizing partner.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        let Some(id) = self.0.key.partner else { return Ok(None) };
        Ok(loader::<PartnerById>(ctx)?.load_one(id).await?.map(Partner::from))
    }

    /// COUNTRY: the sessions' venue country (null also for the group of
    /// online sessions without one).
    async fn country(&self) -> Option<Country> {
        self.0.key.country.as_deref().and_then(Country::of)
    }

    /// MONTH: the month (UTC) the sessions started, `YYYY-MM`.
    async fn month(&self) -> Option<&str> {
        self.0.key.month.as_deref()
    }

    /// Distinct people holding a REGISTERED registration (not waitlisted,
    /// not cancelled) in the group's sessions.
    async fn participants(&self) -> i32 {
        small(self.0.participants)
    }

    /// Distinct organizations those registrations were made on behalf of
    /// (registrations on behalf of none count for none).
    async fn organizations_reached(&self) -> i32 {
        small(self.0.organizations)
    }

    /// Registrations marked ATTENDED.
    async fn attended(&self) -> i32 {
        small(self.0.attended)
    }

    /// Registrations marked NO_SHOW.
    async fn no_shows(&self) -> i32 {
        small(self.0.no_shows)
    }

    /// ATTENDED / (ATTENDED + NO_SHOW) among the registrations marked,
    /// from 0 to 1; null when none was marked.
    async fn attendance_rate(&self) -> Option<f64> {
        self.0.attendance_rate()
    }

    /// The mean rating (1 to 5) of the feedback given; null without feedback.
    async fn average_rating(&self) -> Option<f64> {
        self.0.average_rating()
    }

    /// How many gave feedback.
    async fn feedback_count(&self) -> i32 {
        small(self.0.feedback_count)
    }
}

/// Training figures, grouped.
#[derive(SimpleObject)]
pub struct TrainingFigures {
    /// The dimensions grouped by, in the order asked.
    pub group_by: Vec<TrainingFiguresDimension>,
    /// The rows, ordered by their dimensions' values (nulls first).
    pub rows: Vec<TrainingFiguresRow>,
}

/// The query of partner figures.
#[derive(Default)]
pub struct TrainingFiguresQuery;

#[Object]
impl TrainingFiguresQuery {
    /// What trainings reached, grouped by `groupBy` (one to four distinct
    /// dimensions), over the sessions (not cancelled) starting in the
    /// filter's period (at most 5 years). Participants: distinct people
    /// with a REGISTERED registration; organizations reached: distinct
    /// organizations those registrations were made on behalf of; attendance
    /// rate: ATTENDED / (ATTENDED + NO_SHOW) among those marked; average
    /// rating: the mean of their feedback's ratings. Platform admins read
    /// every partner's figures, a partner's staff (any role) their own
    /// partners' only (UNAUTHENTICATED, FORBIDDEN for others). Small groups
    /// are not suppressed: the figures cover the caller's own trainings,
    /// whose attendees their organizers already see. At most 2,000 rows;
    /// an unbounded question is BAD_USER_INPUT.
    #[graphql(complexity = "50 + 20 * child_complexity")]
    async fn training_figures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dimensions to group by, in order (at least one, each once).")] group_by: Vec<TrainingFiguresDimension>,
        #[graphql(desc = "Which sessions: a period (required) and optional conditions.")] filter: TrainingFiguresFilter,
    ) -> Result<TrainingFigures> {
        let scope = policy(ctx)?.training_figures_scope(&request(ctx)?.caller)?;
        let asked = FiguresFilter {
            partner: filter.partner.map(|p| decode_uuid(&p, Partner::KIND)).transpose()?,
            country: filter.country.map(|c| c.0),
            from: filter.from,
            to: filter.to,
        };
        let dimensions: Vec<Dimension> = group_by.iter().map(|d| (*d).into()).collect();
        let rows = figures::figures(db(ctx)?, &scope, &dimensions, &asked).await?;
        Ok(TrainingFigures { group_by, rows: rows.into_iter().map(TrainingFiguresRow).collect() })
    }
}
