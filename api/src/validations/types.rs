//! GraphQL types of validations.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;
use sea_orm::ActiveEnum;

use super::{loader::ValidationHistory, state::Step};
use crate::{
    auth::CaseFacts,
    countries::types::Country,
    graphql::{
        context::{loader, policy, request},
        enums::mirror_enum,
        relay::{NodeKind, encode_uuid},
        scalars::CountryCode,
        user_error::payload,
    },
    organizations::types::{Organization, OrganizationType},
    partners::{loader::PartnerById, types::Partner},
};

mirror_enum! {
    /// Where a validation case stands.
    ///
    /// DRAFT → SUBMITTED (the organization submits) → IN_REVIEW (a validator
    /// of the reviewing partner takes it) → APPROVED, REJECTED or
    /// NEEDS_INFORMATION (→ SUBMITTED again when the organization answers).
    /// APPROVED → EXPIRED when its validity ends, or REVOKED by the partner or
    /// a platform admin, with a reason. A step the status does not allow is
    /// refused with the user error INVALID_TRANSITION naming the status.
    ValidationStatus => enums::ValidationStatus {
        /// Opened by the organization; evidence being gathered.
        Draft,
        /// Sent to the reviewing partner, waiting for a validator.
        Submitted,
        /// A validator is reviewing it (under four eyes: until a second approval).
        InReview,
        /// Sent back to the organization, which answers and submits again.
        NeedsInformation,
        /// Vetted: the organization is validated until `validUntil`.
        Approved,
        /// Not vetted (the reasons say why).
        Rejected,
        /// The approval's validity ended; a new case renews it.
        Expired,
        /// The approval was withdrawn (the reasons say why).
        Revoked,
    }
}

mirror_enum! {
    /// A kind of evidence an organization attaches to its case.
    EvidenceKind => enums::EvidenceKind {
        /// A certificate of registration with the national registry.
        RegistrationCertificate,
        /// A letter granting tax exemption.
        TaxExemptionLetter,
        /// Statutes, constitution or bylaws.
        GoverningDocument,
        /// The latest annual report.
        AnnualReport,
        /// Financial statements.
        FinancialStatement,
        /// A reference letter from a validated organization (unregistered groups).
        ReferenceLetter,
        /// Anything else the partner asked for.
        Other,
    }
}

/// Why a validator decided as they did (rejecting, asking for information,
/// revoking). Stable codes: translate them, don't parse the note.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationReason {
    /// Required evidence is missing.
    DocumentsMissing,
    /// Evidence cannot be read (blurred, cut, wrong file).
    DocumentsUnreadable,
    /// Evidence is out of date.
    DocumentsExpired,
    /// The organization's type is not eligible under the partner's criteria.
    NotEligibleType,
    /// The registration number is not in the national registry.
    RegistrationNotFound,
    /// Details disagree between the profile and the evidence.
    InformationInconsistent,
    /// Not a civil-society organization (e.g. a company or a government body).
    NotCivilSociety,
    /// The organization has been dissolved or stopped its activities.
    Dissolved,
    /// Donations or the network's trust were misused.
    Misuse,
    /// Anything else (the note says what).
    Other,
}

impl ValidationReason {
    /// The stored and published code, e.g. `DOCUMENTS_MISSING`.
    pub fn code(self) -> &'static str {
        match self {
            Self::DocumentsMissing => "DOCUMENTS_MISSING",
            Self::DocumentsUnreadable => "DOCUMENTS_UNREADABLE",
            Self::DocumentsExpired => "DOCUMENTS_EXPIRED",
            Self::NotEligibleType => "NOT_ELIGIBLE_TYPE",
            Self::RegistrationNotFound => "REGISTRATION_NOT_FOUND",
            Self::InformationInconsistent => "INFORMATION_INCONSISTENT",
            Self::NotCivilSociety => "NOT_CIVIL_SOCIETY",
            Self::Dissolved => "DISSOLVED",
            Self::Misuse => "MISUSE",
            Self::Other => "OTHER",
        }
    }

    /// Every reason.
    pub const ALL: [Self; 10] = [
        Self::DocumentsMissing,
        Self::DocumentsUnreadable,
        Self::DocumentsExpired,
        Self::NotEligibleType,
        Self::RegistrationNotFound,
        Self::InformationInconsistent,
        Self::NotCivilSociety,
        Self::Dissolved,
        Self::Misuse,
        Self::Other,
    ];

    /// The reason with this code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What a partner requires to vet organizations in one of its countries.
/// Public: organizations read them before they apply.
#[derive(Clone, Debug)]
pub struct ValidationCriteria(pub entity::validation_criteria::Model);

/// What a partner requires to vet organizations in one of its countries.
/// Public: organizations read them before they apply.
#[Object]
impl ValidationCriteria {
    /// The partner that applies them.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        Ok(loader::<PartnerById>(ctx)?.load_one(self.0.partner_id).await?.map(Partner::from))
    }

    /// The country they apply in.
    async fn country(&self) -> Option<Country> {
        Country::of(&self.0.country_code)
    }

    /// Organization types that may be validated.
    async fn eligible_types(&self) -> Vec<OrganizationType> {
        self.0.eligible_types.0.iter().filter_map(|t| enums::OrganizationType::try_from_value(t).ok()).map(Into::into).collect()
    }

    /// Evidence every registered organization attaches.
    async fn required_evidence(&self) -> Vec<EvidenceKind> {
        self.0.required_evidence.0.iter().filter_map(|e| enums::EvidenceKind::try_from_value(e).ok()).map(Into::into).collect()
    }

    /// How many reference letters from validated organizations stand in for
    /// registration evidence for unregistered groups (0: they are not eligible).
    async fn references_for_unregistered(&self) -> i32 {
        self.0.references_for_unregistered
    }

    /// How long an approval lasts, in months.
    async fn validity_months(&self) -> i32 {
        self.0.validity_months
    }

    /// An approval needs two validators (four eyes).
    async fn four_eyes(&self) -> bool {
        self.0.four_eyes
    }

    /// Changes with every update (optimistic concurrency).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When they last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// An organization's validation case: its vetting by a partner serving its
/// country. Read by the organization's members, staff of the partners serving
/// its country and platform admins.
#[derive(Clone, Debug)]
pub struct Validation(pub entity::validation::Model);

impl Validation {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("Validation");

    /// The facts the policy asks about.
    pub fn facts(&self) -> CaseFacts<'_> {
        CaseFacts { organization: self.0.organization_id, country: &self.0.country_code, partner: self.0.partner_id }
    }
}

impl crate::graphql::connection::Listed for Validation {
    const CONNECTION: &'static str = "ValidationConnection";
    const EDGE: &'static str = "ValidationEdge";
}

/// How many of a partner's cases are in one status.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationStatusCount {
    /// The status.
    pub status: ValidationStatus,
    /// How many cases.
    pub count: i32,
}

/// How long a partner's decisions took in one month.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationTurnaround {
    /// The month of the decisions, `YYYY-MM` (UTC).
    pub month: String,
    /// Cases approved or rejected that month.
    pub decided: i32,
    /// Median days from the last submission to the decision (one decimal).
    pub median_days: f64,
}

/// A step in a case's history.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationHistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// The status before (null when the case was opened).
    pub from: Option<ValidationStatus>,
    /// The status after.
    pub to: ValidationStatus,
    /// The step, as the event names it (`validation.submitted`, `validation.approved`, ...).
    pub event: String,
    /// Who took it: `USER`, `API_KEY` or `SYSTEM` (the expiry job).
    pub actor_kind: String,
    /// The reason codes given.
    pub reasons: Vec<ValidationReason>,
    /// The note given.
    pub note: Option<String>,
}

fn status_of(name: &str) -> Option<ValidationStatus> {
    super::state::STATUSES.into_iter().find(|s| super::state::status_name(*s) == name).map(Into::into)
}

fn history_entry(row: &entity::event::Model) -> Option<ValidationHistoryEntry> {
    let payload: serde_json::Value = serde_json::from_str(&row.payload).ok()?;
    let reasons = payload["reasons"].as_array().map(|a| a.iter().filter_map(|r| r.as_str().and_then(ValidationReason::parse)).collect());
    Some(ValidationHistoryEntry {
        at: row.occurred_at,
        from: payload["from"].as_str().and_then(status_of),
        to: payload["to"].as_str().and_then(status_of)?,
        event: row.event_type.clone(),
        actor_kind: row.actor_kind.to_ascii_uppercase(),
        reasons: reasons.unwrap_or_default(),
        note: payload["note"].as_str().map(str::to_owned),
    })
}

/// An organization's validation case: its vetting by a partner serving its
/// country. Read by the organization's members, staff of the partners serving
/// its country and platform admins.
#[Object]
impl Validation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// The organization vetted (null if you may no longer see it).
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        let found = loader::<crate::organizations::loader::OrganizationById>(ctx)?.load_one(self.0.organization_id).await?;
        Ok(found.map(Organization::from))
    }

    /// Where it stands.
    async fn status(&self) -> ValidationStatus {
        self.0.status.into()
    }

    /// The partner reviewing it (null until submitted).
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        let Some(id) = self.0.partner_id else { return Ok(None) };
        Ok(loader::<PartnerById>(ctx)?.load_one(id).await?.map(Partner::from))
    }

    /// The organization's country when the case was opened.
    async fn country(&self) -> Option<Country> {
        Country::of(&self.0.country_code)
    }

    /// When it was opened.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was last submitted.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }

    /// When the last decision was made (approved, rejected, sent back, revoked).
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }

    /// For an approval: when it ends.
    async fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.0.valid_until
    }

    /// Under four eyes: one validator approved, a second must.
    async fn awaiting_second_approval(&self) -> bool {
        self.0.status == enums::ValidationStatus::InReview && self.0.first_approved_by.is_some()
    }

    /// Reason codes of the last decision.
    async fn reasons(&self) -> Vec<ValidationReason> {
        self.0.reasons.0.iter().filter_map(|r| ValidationReason::parse(r)).collect()
    }

    /// The reviewer's note on the last decision.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The approved case this one renews, if any.
    async fn renewal_of(&self) -> Option<ID> {
        self.0.renewal_of.map(|id| encode_uuid(Self::KIND, id))
    }

    /// The documents attached, oldest first: seen by the organization's
    /// owners and admins, the reviewing partner's validators and platform
    /// admins; null for everyone else who reads the case.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Option<Vec<super::evidence_types::ValidationEvidence>>> {
        if !policy(ctx)?.may_see_evidence(&request(ctx)?.caller, self.facts()) {
            return Ok(None);
        }
        let rows = loader::<super::evidence_types::EvidenceOfCase>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(Some(rows.into_iter().map(super::evidence_types::ValidationEvidence).collect()))
    }

    /// Every step, oldest first: who (the kind of actor), when, from, to,
    /// reasons and note.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ValidationHistoryEntry>> {
        let rows = loader::<ValidationHistory>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(rows.iter().filter_map(history_entry).collect())
    }

    /// Changes with every step (optimistic concurrency: pass it as `expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Public proof that an organization is vetted: a partner serving its
/// country approved it, and the approval is in force. Nothing else of the
/// case (no status history, evidence or notes) is public.
#[derive(Clone, Debug)]
pub struct ValidationBadge(pub entity::validation::Model);

/// Public proof that an organization is vetted: a partner serving its
/// country approved it, and the approval is in force.
#[Object]
impl ValidationBadge {
    /// When the approval ends (the organization renews it before).
    async fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.0.valid_until
    }

    /// The partner that vetted it.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        let Some(id) = self.0.partner_id else { return Ok(None) };
        Ok(loader::<PartnerById>(ctx)?.load_one(id).await?.map(Partner::from))
    }
}

/// The case of an organization, when the caller may read it.
pub async fn readable(ctx: &Context<'_>, case: entity::validation::Model) -> Result<Option<Validation>> {
    let case = Validation(case);
    Ok(policy(ctx)?.may_read_case(&request(ctx)?.caller, case.facts()).then_some(case))
}

/// Input of `setValidationCriteria`.
#[derive(InputObject)]
pub struct SetValidationCriteriaInput {
    /// The partner (its admins set its criteria).
    pub partner: ID,
    /// A country the partner serves.
    pub country: CountryCode,
    /// Organization types that may be validated (at least one).
    pub eligible_types: Vec<OrganizationType>,
    /// Evidence every registered organization attaches.
    pub required_evidence: Vec<EvidenceKind>,
    /// Reference letters that stand in for registration (0 to 5; 0: unregistered groups are not eligible).
    #[graphql(default = 0)]
    pub references_for_unregistered: i32,
    /// How long an approval lasts, in months (1 to 60).
    pub validity_months: i32,
    /// An approval needs two validators.
    #[graphql(default = false)]
    pub four_eyes: bool,
}

/// Input of `openValidation`.
#[derive(InputObject)]
pub struct OpenValidationInput {
    /// The organization (its owners and admins open its case).
    pub organization: ID,
}

/// Input of the steps that need nothing but the case.
#[derive(InputObject)]
pub struct ValidationStepInput {
    /// The case.
    pub validation: ID,
    /// The version you read; when given and stale, nothing changes (STALE_VERSION).
    pub expected_version: Option<i32>,
}

/// A validator's decision on a case in review.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationDecision {
    /// Vetted (under four eyes, the first approval keeps the case in review).
    Approve,
    /// Not vetted: at least one reason.
    Reject,
    /// Back to the organization: a reason or a note says what is missing.
    RequestInformation,
}

impl From<ValidationDecision> for Step {
    fn from(d: ValidationDecision) -> Self {
        match d {
            ValidationDecision::Approve => Self::Approve,
            ValidationDecision::Reject => Self::Reject,
            ValidationDecision::RequestInformation => Self::RequestInformation,
        }
    }
}

/// Input of `decideValidation`.
#[derive(InputObject)]
pub struct DecideValidationInput {
    /// The case, IN_REVIEW.
    pub validation: ID,
    /// The decision.
    pub decision: ValidationDecision,
    /// Why (required to reject; a reason or a note to ask for information).
    #[graphql(default)]
    pub reasons: Vec<ValidationReason>,
    /// A note the organization and the reviewers read (at most 2,000 characters).
    pub note: Option<String>,
    /// The version you read; when given and stale, nothing changes (STALE_VERSION).
    pub expected_version: Option<i32>,
}

/// Input of `revokeValidation`.
#[derive(InputObject)]
pub struct RevokeValidationInput {
    /// The case, APPROVED.
    pub validation: ID,
    /// Why (at least one).
    pub reasons: Vec<ValidationReason>,
    /// A note the organization and the reviewers read.
    pub note: Option<String>,
    /// The version you read; when given and stale, nothing changes (STALE_VERSION).
    pub expected_version: Option<i32>,
}

payload! {
    /// Result of `setValidationCriteria`.
    SetValidationCriteriaPayload { criteria: ValidationCriteria, "The criteria as saved" }
    /// Result of a step of a validation case.
    ValidationPayload { validation: Validation, "The case after the step" }
}
