//! GraphQL of training feedback: `giveTrainingFeedback`, an attendee's own
//! feedback (`TrainingRegistration.feedback`) and a session's summary for
//! its managers (`TrainingSession.feedback`), which never names who said what.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{training_feedback, training_registration as registration, training_session};
use uuid::Uuid;

use super::{
    feedback::{self, FeedbackInput, Summary},
    loader::TrainingById,
    registration_types::TrainingRegistration,
};
use crate::{
    events::published,
    graphql::{
        connection::{Conn, Listed, TotalCount, from_page},
        context::{bus, clock, db, loader, policy, request},
        loader::batch_loader,
        relay::decode_uuid,
        scalars::Date,
        user_error::{outcome, payload},
    },
    pagination::PageRequest,
};

batch_loader! {
    /// The feedback summary of each session (sessions without feedback absent).
    FeedbackSummaryBySession: Uuid => Summary,
    |db, keys| feedback::summaries(db, keys).await
}

batch_loader! {
    /// The feedback given on each registration (for its person only: the
    /// resolver asks the policy).
    FeedbackByRegistration: Uuid => training_feedback::Model,
    |db, keys| feedback::of_registrations(db, keys).await
}

/// Your feedback on a session you attended.
#[derive(Clone, Debug)]
pub struct TrainingFeedback(pub training_feedback::Model);

/// Your feedback on a session you attended: seen by you alone.
#[Object]
impl TrainingFeedback {
    /// 1 (poor) to 5 (excellent).
    async fn rating(&self) -> i32 {
        self.0.rating
    }

    /// Your comment, if you gave one.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }

    /// When you gave it.
    async fn given_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A comment on a session, without its author.
#[derive(Clone, Debug)]
pub struct TrainingFeedbackComment(training_feedback::Model);

impl Listed for TrainingFeedbackComment {
    const CONNECTION: &'static str = "TrainingFeedbackCommentConnection";
    const EDGE: &'static str = "TrainingFeedbackCommentEdge";
}

/// A comment on a session with the rating that came with it, and nothing
/// about who gave it (no person, registration or organization; its day,
/// not its time).
#[Object]
impl TrainingFeedbackComment {
    /// The rating given with the comment (1 to 5).
    async fn rating(&self) -> i32 {
        self.0.rating
    }

    /// The comment.
    async fn comment(&self) -> &str {
        self.0.comment.as_deref().unwrap_or_default()
    }

    /// The day (UTC) it was given.
    async fn given_on(&self) -> Date {
        Date(self.0.created_at.date_naive())
    }
}

/// How many gave one rating.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct TrainingRatingCount {
    /// The rating (1 to 5).
    pub rating: i32,
    /// How many gave it.
    pub count: i32,
}

/// What the attendees of a session said, for the training's managers:
/// figures and comments, never who gave them.
pub struct TrainingSessionFeedback {
    session: Uuid,
    summary: Summary,
}

fn small(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// What the attendees of a session said, for the training's managers:
/// figures and comments, never who gave them.
#[Object]
impl TrainingSessionFeedback {
    /// How many attendees gave feedback.
    async fn count(&self) -> i32 {
        small(self.summary.count())
    }

    /// The mean of their ratings (1 to 5); null without feedback.
    async fn average_rating(&self) -> Option<f64> {
        self.summary.average()
    }

    /// How many gave each rating, from 1 to 5 (all five, zeros included).
    async fn ratings(&self) -> Vec<TrainingRatingCount> {
        (1..).zip(self.summary.histogram).map(|(rating, n)| TrainingRatingCount { rating, count: small(n) }).collect()
    }

    /// The comments, in a fixed order that says nothing of when or by whom
    /// they were given.
    #[graphql(complexity = "first.clamp(0, 100) as usize * child_complexity + 5")]
    async fn comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: i32,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Conn<TrainingFeedbackComment>> {
        let page = PageRequest::from_args(Some(first), after.as_deref(), None, None)?;
        let (db, session) = (db(ctx)?.clone(), self.session);
        let rows = feedback::comment_page(&db, session, &page).await?;
        let total = TotalCount::lazy(move || {
            let db = db.clone();
            Box::pin(async move { feedback::comment_count(&db, session).await })
        });
        Ok(from_page(rows, total, TrainingFeedbackComment))
    }
}

/// `TrainingSession.feedback`: the summary for the managers of the
/// session's training, null for everyone else.
pub async fn session_feedback(ctx: &Context<'_>, session: &training_session::Model) -> Result<Option<TrainingSessionFeedback>> {
    let Some(training) = loader::<TrainingById>(ctx)?.load_one(session.training_id).await? else { return Ok(None) };
    if !policy(ctx)?.may_read_session_feedback(&request(ctx)?.caller, training.partner_id) {
        return Ok(None);
    }
    let summary = loader::<FeedbackSummaryBySession>(ctx)?.load_one(session.id).await?.unwrap_or_default();
    Ok(Some(TrainingSessionFeedback { session: session.id, summary }))
}

/// `TrainingRegistration.feedback`: the feedback given on it, for its
/// person alone (null for everyone else, the training's managers included).
pub async fn registration_feedback(ctx: &Context<'_>, row: &registration::Model) -> Result<Option<TrainingFeedback>> {
    if !policy(ctx)?.may_read_own_feedback(&request(ctx)?.caller, row.user_id) {
        return Ok(None);
    }
    Ok(loader::<FeedbackByRegistration>(ctx)?.load_one(row.id).await?.map(TrainingFeedback))
}

/// Input of `giveTrainingFeedback`.
#[derive(InputObject)]
pub struct GiveTrainingFeedbackInput {
    /// Your registration for the session, marked ATTENDED by the organizers.
    pub registration: ID,
    /// 1 (poor) to 5 (excellent), else OUT_OF_RANGE.
    pub rating: i32,
    /// A comment (up to 2,000 characters; blank: none). The organizers read
    /// it without your name.
    pub comment: Option<String>,
}

payload! {
    /// Result of `giveTrainingFeedback`.
    GiveTrainingFeedbackPayload { feedback: TrainingFeedback, "Your feedback" }
}

/// Mutations of training feedback.
#[derive(Default)]
pub struct TrainingFeedbackMutation;

#[Object]
impl TrainingFeedbackMutation {
    /// Gives your feedback on a session you attended (your registration
    /// marked ATTENDED, the session started), once. The training's managers
    /// see the rating and comment among the others, never with your name;
    /// no other participant sees it. Every user error at once (NOT_FOUND,
    /// INVALID_TRANSITION when not ATTENDED, SESSION_NOT_STARTED,
    /// ALREADY_GIVEN, OUT_OF_RANGE, TOO_LONG, INVALID); nothing is written on any.
    async fn give_training_feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration, the rating and the comment.")] input: GiveTrainingFeedbackInput,
    ) -> Result<GiveTrainingFeedbackPayload> {
        let asked = FeedbackInput {
            registration: decode_uuid(&input.registration, TrainingRegistration::KIND)?,
            rating: input.rating,
            comment: input.comment,
        };
        let written = feedback::give(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, asked).await;
        let (feedback, user_errors) = outcome(published(bus(ctx)?, written).await, TrainingFeedback)?;
        Ok(GiveTrainingFeedbackPayload { feedback, user_errors })
    }
}
