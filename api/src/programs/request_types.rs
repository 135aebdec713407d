//! GraphQL of donation requests: the request, inputs, payloads, and the
//! mutations that make and move them.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;
use uuid::Uuid;

use super::{
    request_state::RequestStep,
    requests::{self, MAX_BULK, RequestInput, StepInput},
    types::{Program, ProgramById},
};
use crate::{
    auth::{Caller, OrgScope, ReadableOrganizations, RequestFacts},
    error::ApiError,
    events::published,
    graphql::{
        context::{bus, clock, db, loader, policy, request},
        enums::mirror_enum,
        loader::batch_loader,
        relay::{NodeKind, decode_uuid, encode_uuid},
        scalars::MoneyValue,
        user_error::{UserError, outcome, payload},
    },
    organizations::{loader::OrganizationById, types::Organization},
};

mirror_enum! {
    /// Where a donation request stands.
    ///
    /// SUBMITTED → APPROVED (by the donor, or at once when the program
    /// approves eligible requests automatically; stock and cap are reserved)
    /// → FULFILLED (delivered). SUBMITTED or APPROVED → REJECTED (by the
    /// donor, with a reason) or CANCELLED (by the organization, before
    /// fulfilment); an approved request gives its units back. A step the
    /// status does not allow is the user error INVALID_TRANSITION naming it.
    DonationRequestStatus => enums::DonationRequestStatus {
        /// Made, waiting for the donor.
        Submitted,
        /// Approved: stock and cap reserved.
        Approved,
        /// Delivered.
        Fulfilled,
        /// Refused by the donor.
        Rejected,
        /// Withdrawn by the organization.
        Cancelled,
    }
}

/// An organization's request for units of a program. Read by the
/// organization's members, the donor's staff and keys (`requests:read`) and
/// platform admins.
#[derive(Clone, Debug)]
pub struct DonationRequest(pub entity::donation_request::Model, pub Option<Program>);

impl From<entity::donation_request::Model> for DonationRequest {
    fn from(m: entity::donation_request::Model) -> Self {
        Self(m, None)
    }
}

impl DonationRequest {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("DonationRequest");

    /// Its program: read with its list, else through the loader.
    async fn program_model(&self, ctx: &Context<'_>) -> Result<std::sync::Arc<entity::program::Model>> {
        match &self.1 {
            Some(program) => Ok(program.0.clone()),
            None => program_of(ctx, self.0.program_id).await,
        }
    }
}

impl crate::graphql::connection::Listed for DonationRequest {
    const CONNECTION: &'static str = "DonationRequestConnection";
    const EDGE: &'static str = "DonationRequestEdge";
}

batch_loader! {
    /// Organizations that made requests, whatever their visibility (the
    /// field asks the policy first: a request shares the organization's
    /// profile with the donor).
    RequestingOrganizations: Uuid => entity::organization::Model,
    |db, keys| crate::organizations::service::by_ids(db, &OrgScope::all(), keys)
        .await
        .map(|rows| rows.into_iter().map(|m| (m.id, m)).collect())
}

/// `error` of one decision of a bulk decision, its field path under
/// `["input", "decisions", at]` (the step's paths start at its own `input`).
fn within_decision(mut error: UserError, at: usize) -> UserError {
    let rest = match error.field.first().map(String::as_str) {
        Some("input") => error.field.split_off(1),
        _ => std::mem::take(&mut error.field),
    };
    error.field = ["input".to_owned(), "decisions".to_owned(), at.to_string()].into_iter().chain(rest).collect();
    error
}

async fn program_of(ctx: &Context<'_>, id: Uuid) -> Result<std::sync::Arc<entity::program::Model>> {
    loader::<ProgramById>(ctx)?.load_one(id).await?.ok_or_else(|| ApiError::NotFound("program").into())
}

/// An organization's request for units of a program.
#[Object]
impl DonationRequest {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// The program.
    async fn program(&self, ctx: &Context<'_>) -> Result<Program> {
        if let Some(program) = &self.1 {
            return Ok(program.clone());
        }
        Ok(Program::from(self.program_model(ctx).await?))
    }

    /// The requesting organization, with its public profile and validation
    /// badge. A request shares them with the program's donor even when the
    /// organization is HIDDEN: the donor's staff see who asks (its contact,
    /// validation case and evidence keep their own rules).
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        if let Some(visible) = loader::<OrganizationById>(ctx)?.load_one(self.0.organization_id).await? {
            return Ok(Some(visible.into()));
        }
        let program = self.program_model(ctx).await?;
        let facts = RequestFacts { organization: self.0.organization_id, donor: program.donor_id };
        if !policy(ctx)?.may_see_requesting_organization(&request(ctx)?.caller, facts) {
            return Ok(None);
        }
        Ok(loader::<RequestingOrganizations>(ctx)?.load_one(self.0.organization_id).await?.map(Organization::from))
    }

    /// Units asked for.
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }

    /// Where it stands.
    async fn status(&self) -> DonationRequestStatus {
        self.0.status.into()
    }

    /// The organization's note to the donor.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// Reason codes of a rejection.
    async fn reasons(&self) -> &[String] {
        &self.0.reasons.0
    }

    /// Admin fees for the request: the program's fee per unit times the units.
    async fn admin_fee_total(&self, ctx: &Context<'_>) -> Result<MoneyValue> {
        let program = self.program_model(ctx).await?;
        Ok(MoneyValue { amount: requests::times(program.admin_fee, self.0.quantity)?, currency: program.currency.clone() })
    }

    /// Retail value of the units.
    async fn retail_value_total(&self, ctx: &Context<'_>) -> Result<MoneyValue> {
        let program = self.program_model(ctx).await?;
        Ok(MoneyValue { amount: requests::times(program.unit_value, self.0.quantity)?, currency: program.currency.clone() })
    }

    /// What was delivered (license keys, a shipment reference): only the
    /// organization's members and the donor's staff and keys see it.
    async fn fulfilment(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let program = self.program_model(ctx).await?;
        let facts = RequestFacts { organization: self.0.organization_id, donor: program.donor_id };
        Ok(policy(ctx)?.may_read_fulfilment(&request(ctx)?.caller, facts).then(|| self.0.fulfilment.clone()).flatten())
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was approved.
    async fn approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.approved_at
    }

    /// When the donor decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }

    /// Changes with every step (pass it as `expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Input of `requestDonation`.
#[derive(InputObject)]
pub struct RequestDonationInput {
    /// The program.
    pub program: ID,
    /// The organization asking (you are one of its members).
    pub organization: ID,
    /// Units (1 to 100,000; at most what `program.eligibility` says is available).
    pub quantity: i32,
    /// A note for the donor.
    pub note: Option<String>,
    /// Your key for this request (up to 200 characters): sending it again with
    /// the same input gives the same request back instead of a second one;
    /// with another input, CONFLICT.
    pub idempotency_key: Option<String>,
}

/// A donor's decision on a request.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DonationDecision {
    /// Approve: stock and cap are reserved (refused with NOT_ELIGIBLE if they ran out).
    Approve,
    /// Reject, with at least one reason.
    Reject,
}

/// One decision of `decideDonationRequests`.
#[derive(InputObject)]
pub struct DonationDecisionInput {
    /// The request.
    pub request: ID,
    /// The decision.
    pub decision: DonationDecision,
    /// Why (required to reject): up to 10 reason codes of your own, each 2
    /// to 40 capital letters, digits and underscores, e.g. `NOT_A_FIT` (else
    /// the item's user error INVALID or TOO_MANY).
    #[graphql(default)]
    pub reasons: Vec<String>,
    /// The version you read; when given and stale, this item changes nothing.
    pub expected_version: Option<i32>,
}

/// Input of `decideDonationRequests`.
#[derive(InputObject)]
pub struct DecideDonationRequestsInput {
    /// Up to 100 decisions, each taken on its own.
    pub decisions: Vec<DonationDecisionInput>,
}

/// The outcome of one decision.
#[derive(SimpleObject)]
pub struct DonationDecisionResult {
    /// The request as given.
    pub request_id: ID,
    /// The request after the decision; null when it was refused.
    pub request: Option<DonationRequest>,
    /// Why this one was refused (user errors); empty when it was taken.
    pub user_errors: Vec<UserError>,
    /// A refusal that is not the caller's to fix (NOT_FOUND, FORBIDDEN, CONFLICT), by its code.
    pub error_code: Option<String>,
}

/// Result of `decideDonationRequests`: one result per decision, in order.
#[derive(SimpleObject)]
pub struct DecideDonationRequestsPayload {
    /// The results, in the order of the decisions.
    pub results: Vec<DonationDecisionResult>,
    /// How many were taken.
    pub decided: i32,
    /// Problems with the whole input (too many decisions); nothing was decided then.
    pub user_errors: Vec<UserError>,
}

/// Input of `fulfillDonationRequest`.
#[derive(InputObject)]
pub struct FulfillDonationRequestInput {
    /// The request, APPROVED.
    pub request: ID,
    /// What was delivered: license keys, a shipment reference, ... (only the organization and the donor see it).
    pub fulfilment: String,
    /// The version you read.
    pub expected_version: Option<i32>,
}

/// Input of `cancelDonationRequest`.
#[derive(InputObject)]
pub struct CancelDonationRequestInput {
    /// The request, SUBMITTED or APPROVED.
    pub request: ID,
    /// The version you read.
    pub expected_version: Option<i32>,
}

payload! {
    /// Result of a step of a donation request.
    DonationRequestPayload { request: DonationRequest, "The request" }
}

async fn take(ctx: &Context<'_>, input: StepInput) -> Result<DonationRequestPayload> {
    let locale = crate::graphql::context::locale(ctx, None)?;
    let written = requests::step(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, input, locale).await;
    let (request, user_errors) = outcome(published(bus(ctx)?, written).await, DonationRequest::from)?;
    Ok(DonationRequestPayload { request, user_errors })
}

/// Mutations of donation requests.
#[derive(Default)]
pub struct DonationRequestMutation;

#[Object]
impl DonationRequestMutation {
    /// Requests units of a program for an organization (its members). Checked
    /// against the program's eligibility (NOT_ELIGIBLE user errors start with
    /// the reason's code); approved at once when the program says so.
    async fn request_donation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to request.")] input: RequestDonationInput,
        #[graphql(desc = "Language of the user errors' messages (BCP 47, e.g. `fr`; else `Accept-Language`, else English).")]
        locale: Option<String>,
    ) -> Result<DonationRequestPayload> {
        let req = request(ctx)?;
        let asked = RequestInput {
            program: decode_uuid(&input.program, Program::KIND)?,
            organization: decode_uuid(&input.organization, Organization::KIND)?,
            quantity: input.quantity,
            note: input.note,
            idempotency_key: input.idempotency_key,
        };
        let locale = crate::graphql::context::locale(ctx, locale.as_deref())?;
        let written = requests::request(db(ctx)?, clock(ctx)?, &req.caller, &req.scope::<ReadableOrganizations>(), asked, locale).await;
        let (request, user_errors) = outcome(published(bus(ctx)?, written).await, DonationRequest::from)?;
        Ok(DonationRequestPayload { request, user_errors })
    }

    /// Decides up to 100 requests to the donor's programs (its admins, its
    /// keys with `requests:write`), each on its own: one refused does not stop
    /// the others. Each result says what happened to its decision.
    async fn decide_donation_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decisions.")] input: DecideDonationRequestsInput,
    ) -> Result<DecideDonationRequestsPayload> {
        if input.decisions.len() > MAX_BULK {
            let error = UserError::from(crate::user_errors::FieldError {
                field: vec!["input".to_owned(), "decisions".to_owned()],
                message: format!("at most {MAX_BULK} decisions at once"),
                code: crate::user_errors::UserErrorCode::TooMany,
            });
            return Ok(DecideDonationRequestsPayload { results: Vec::new(), decided: 0, user_errors: vec![error] });
        }
        let caller: &Caller = &request(ctx)?.caller;
        let mut results = Vec::with_capacity(input.decisions.len());
        for (at, decision) in input.decisions.into_iter().enumerate() {
            let id = decision.request.clone();
            let Ok(request_id) = decode_uuid(&decision.request, DonationRequest::KIND) else {
                results.push(DonationDecisionResult {
                    request_id: id,
                    request: None,
                    user_errors: Vec::new(),
                    error_code: Some("INVALID_ID".to_owned()),
                });
                continue;
            };
            let step = match decision.decision {
                DonationDecision::Approve => RequestStep::Approve,
                DonationDecision::Reject => RequestStep::Reject,
            };
            let written = requests::step(
                db(ctx)?,
                clock(ctx)?,
                caller,
                StepInput {
                    request: request_id,
                    step,
                    reasons: decision.reasons,
                    fulfilment: None,
                    expected_version: decision.expected_version,
                },
                crate::graphql::context::locale(ctx, None)?,
            )
            .await;
            let result = match outcome(published(bus(ctx)?, written).await, DonationRequest::from) {
                Ok((request, user_errors)) => {
                    // The step knows one decision as `input`: its errors
                    // point into this mutation's `input.decisions[at]`.
                    let user_errors = user_errors.into_iter().map(|e| within_decision(e, at)).collect();
                    DonationDecisionResult { request_id: id, request, user_errors, error_code: None }
                }
                Err(e) => {
                    if e.is_server_fault() {
                        tracing::error!(error = %e, "a decision of a bulk decision failed");
                    }
                    DonationDecisionResult {
                        request_id: id,
                        request: None,
                        user_errors: Vec::new(),
                        error_code: Some(e.code().as_str().to_owned()),
                    }
                }
            };
            results.push(result);
        }
        let decided = i32::try_from(results.iter().filter(|r| r.request.is_some()).count()).unwrap_or(i32::MAX);
        Ok(DecideDonationRequestsPayload { results, decided, user_errors: Vec::new() })
    }

    /// Records what was delivered for an approved request (the donor's admins and keys).
    async fn fulfill_donation_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What was delivered.")] input: FulfillDonationRequestInput,
    ) -> Result<DonationRequestPayload> {
        let id = decode_uuid(&input.request, DonationRequest::KIND)?;
        take(
            ctx,
            StepInput {
                request: id,
                step: RequestStep::Fulfil,
                reasons: Vec::new(),
                fulfilment: Some(input.fulfilment),
                expected_version: input.expected_version,
            },
        )
        .await
    }

    /// Withdraws a request before it is fulfilled (the organization's members);
    /// an approved request gives its units back.
    async fn cancel_donation_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which request.")] input: CancelDonationRequestInput,
    ) -> Result<DonationRequestPayload> {
        let id = decode_uuid(&input.request, DonationRequest::KIND)?;
        take(
            ctx,
            StepInput {
                request: id,
                step: RequestStep::Cancel,
                reasons: Vec::new(),
                fulfilment: None,
                expected_version: input.expected_version,
            },
        )
        .await
    }
}
