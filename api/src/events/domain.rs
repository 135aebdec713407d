//! Typed domain events: what a write changed, as the rest of the system (history,
//! subscriptions, webhooks, notifications) will read it. Payloads never carry
//! secrets (tokens, keys) nor contact values: an event says *that* a contact
//! field changed, not what it now holds.

use serde::Serialize;
use uuid::Uuid;

use crate::graphql::relay::{NodeKind, encode_uuid};

/// Something that happened, with its payload. Serialized as
/// `{"type": "organization.created", "payload": {...}}`; the payload alone is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "payload", rename_all_fields = "camelCase")]
pub enum DomainEvent {
    /// An organization was added.
    #[serde(rename = "organization.created")]
    OrganizationCreated {
        /// The organization.
        organization: Uuid,
        /// Its country.
        country: String,
        /// Its visibility (`public`, `network`, `hidden`).
        visibility: String,
    },
    /// An organization changed.
    #[serde(rename = "organization.updated")]
    OrganizationUpdated {
        /// The organization.
        organization: Uuid,
        /// Its country after the change.
        country: String,
        /// The fields that changed (API names, e.g. `legalName`, `contactEmail`), never their values.
        changed: Vec<String>,
    },
    /// An organization was archived.
    #[serde(rename = "organization.archived")]
    OrganizationArchived {
        /// The organization.
        organization: Uuid,
        /// Its country.
        country: String,
    },
    /// An organization saved its ranked list of challenges (the needs map).
    /// Their titles stay out of the event: what a group lacks is for its
    /// readers only.
    #[serde(rename = "organization.challenges_set")]
    OrganizationChallengesSet {
        /// The organization.
        organization: Uuid,
        /// Its country.
        country: String,
        /// How many challenges the list holds now.
        challenges: u32,
    },
    /// A partner was added.
    #[serde(rename = "partner.created")]
    PartnerCreated {
        /// The partner.
        partner: Uuid,
        /// The countries it serves.
        countries: Vec<String>,
    },
    /// A partner's details changed.
    #[serde(rename = "partner.updated")]
    PartnerUpdated {
        /// The partner.
        partner: Uuid,
        /// The fields that changed (API names), never their values.
        changed: Vec<String>,
    },
    /// The countries a partner serves changed.
    #[serde(rename = "partner.countries_changed")]
    PartnerCountriesChanged {
        /// The partner.
        partner: Uuid,
        /// Countries it now serves and did not.
        added: Vec<String>,
        /// Countries it no longer serves.
        removed: Vec<String>,
    },
    /// A partner was archived.
    #[serde(rename = "partner.archived")]
    PartnerArchived {
        /// The partner.
        partner: Uuid,
    },
    /// A user took a role (an invitation was accepted).
    #[serde(rename = "membership.granted")]
    MembershipGranted(MembershipChange),
    /// A user gave up a role.
    #[serde(rename = "membership.left")]
    MembershipLeft(MembershipChange),
    /// An invitation was sent (its token went to the invitee only).
    #[serde(rename = "invitation.sent")]
    InvitationSent {
        /// The invitation.
        invitation: Uuid,
        /// `organization`, `partner` or `donor`.
        scope: String,
        /// Which one.
        scope_id: Uuid,
        /// The role offered.
        role: String,
    },
    /// An API key was created (the key itself is never recorded).
    #[serde(rename = "api_key.created")]
    ApiKeyCreated {
        /// The key.
        api_key: Uuid,
        /// `partner` or `donor`.
        owner_scope: String,
        /// Which one.
        owner_id: Uuid,
        /// Its scopes.
        scopes: Vec<String>,
    },
    /// An API key was revoked.
    #[serde(rename = "api_key.revoked")]
    ApiKeyRevoked {
        /// The key.
        api_key: Uuid,
        /// `partner` or `donor`.
        owner_scope: String,
        /// Which one.
        owner_id: Uuid,
    },
    /// A webhook endpoint was registered (its secret is never recorded).
    #[serde(rename = "webhook_endpoint.created")]
    WebhookEndpointCreated {
        /// The endpoint.
        endpoint: Uuid,
        /// `partner` or `donor`.
        owner_scope: String,
        /// Which one.
        owner_id: Uuid,
        /// The event types it receives.
        event_types: Vec<String>,
    },
    /// A webhook endpoint changed: its URL, description, event types, secret
    /// or state (the fields named, never their values).
    #[serde(rename = "webhook_endpoint.updated")]
    WebhookEndpointUpdated {
        /// The endpoint.
        endpoint: Uuid,
        /// `partner` or `donor`.
        owner_scope: String,
        /// Which one.
        owner_id: Uuid,
        /// The fields changed (API names: `url`, `eventTypes`, `secret`, `enabled`, ...).
        changed: Vec<String>,
    },
    /// A webhook endpoint was disabled after its deliveries failed for a day.
    #[serde(rename = "webhook_endpoint.disabled")]
    WebhookEndpointDisabled {
        /// The endpoint.
        endpoint: Uuid,
        /// `partner` or `donor`.
        owner_scope: String,
        /// Which one.
        owner_id: Uuid,
    },
    /// A webhook endpoint was deleted with its log.
    #[serde(rename = "webhook_endpoint.deleted")]
    WebhookEndpointDeleted {
        /// The endpoint.
        endpoint: Uuid,
        /// `partner` or `donor`.
        owner_scope: String,
        /// Which one.
        owner_id: Uuid,
    },
    /// A donor company was added.
    #[serde(rename = "donor.created")]
    DonorCreated {
        /// The donor.
        donor: Uuid,
        /// Its slug.
        slug: String,
    },
    /// A donor's profile changed.
    #[serde(rename = "donor.updated")]
    DonorUpdated {
        /// The donor.
        donor: Uuid,
    },
    /// A partner set its validation criteria for a country.
    #[serde(rename = "validation_criteria.set")]
    ValidationCriteriaSet {
        /// The partner.
        partner: Uuid,
        /// The country.
        country: String,
    },
    /// An organization opened a validation case.
    #[serde(rename = "validation.opened")]
    ValidationOpened(ValidationChange),
    /// A case was submitted to its partner.
    #[serde(rename = "validation.submitted")]
    ValidationSubmitted(ValidationChange),
    /// A validator took a case into review.
    #[serde(rename = "validation.review_started")]
    ValidationReviewStarted(ValidationChange),
    /// The first of two approvals (four eyes) was given.
    #[serde(rename = "validation.approval_recorded")]
    ValidationApprovalRecorded(ValidationChange),
    /// A case was approved.
    #[serde(rename = "validation.approved")]
    ValidationApproved(ValidationChange),
    /// A case was rejected.
    #[serde(rename = "validation.rejected")]
    ValidationRejected(ValidationChange),
    /// A case was sent back for more information.
    #[serde(rename = "validation.information_requested")]
    ValidationInformationRequested(ValidationChange),
    /// An approval ended with its validity.
    #[serde(rename = "validation.expired")]
    ValidationExpired(ValidationChange),
    /// An approval was withdrawn.
    #[serde(rename = "validation.revoked")]
    ValidationRevoked(ValidationChange),
    /// A donor added a program to its catalogue.
    #[serde(rename = "program.created")]
    ProgramCreated {
        /// The program.
        program: Uuid,
        /// Its donor.
        donor: Uuid,
        /// Its slug.
        slug: String,
        /// Where it is available.
        countries: Vec<String>,
    },
    /// A donor changed a program of its catalogue.
    #[serde(rename = "program.updated")]
    ProgramUpdated {
        /// The program.
        program: Uuid,
        /// Its donor.
        donor: Uuid,
        /// The fields given (API names, e.g. `stock`, `translations`), never their values.
        changed: Vec<String>,
    },
    /// A donor withdrew a program from its catalogue (its requests stay).
    #[serde(rename = "program.archived")]
    ProgramArchived {
        /// The program.
        program: Uuid,
        /// Its donor.
        donor: Uuid,
    },
    /// A partner created a training (a draft).
    #[serde(rename = "training.created")]
    TrainingCreated {
        /// The training.
        training: Uuid,
        /// Its organizing partner.
        partner: Uuid,
        /// Its slug.
        slug: String,
    },
    /// A training changed.
    #[serde(rename = "training.updated")]
    TrainingUpdated {
        /// The training.
        training: Uuid,
        /// Its organizing partner.
        partner: Uuid,
        /// The fields given (API names, e.g. `title`, `topics`), never their values.
        changed: Vec<String>,
    },
    /// A training was published.
    #[serde(rename = "training.published")]
    TrainingPublished {
        /// The training.
        training: Uuid,
        /// Its organizing partner.
        partner: Uuid,
    },
    /// A training was archived.
    #[serde(rename = "training.archived")]
    TrainingArchived {
        /// The training.
        training: Uuid,
        /// Its organizing partner.
        partner: Uuid,
    },
    /// A session of a training was scheduled.
    #[serde(rename = "training_session.scheduled")]
    TrainingSessionScheduled {
        /// The session.
        session: Uuid,
        /// Its training.
        training: Uuid,
        /// The training's organizing partner.
        partner: Uuid,
    },
    /// A session changed.
    #[serde(rename = "training_session.updated")]
    TrainingSessionUpdated {
        /// The session.
        session: Uuid,
        /// Its training.
        training: Uuid,
        /// The training's organizing partner.
        partner: Uuid,
        /// The fields given (API names, e.g. `startsAt`), never their values.
        changed: Vec<String>,
    },
    /// A session was cancelled.
    #[serde(rename = "training_session.cancelled")]
    TrainingSessionCancelled {
        /// The session.
        session: Uuid,
        /// Its training.
        training: Uuid,
        /// The training's organizing partner.
        partner: Uuid,
    },
    /// A session's end passed: it took place (the sessions job).
    #[serde(rename = "training_session.completed")]
    TrainingSessionCompleted {
        /// The session.
        session: Uuid,
        /// Its training.
        training: Uuid,
        /// The training's organizing partner.
        partner: Uuid,
    },
    /// A person registered for a session (a seat, or a place on the waitlist).
    #[serde(rename = "training_registration.created")]
    TrainingRegistered(TrainingRegistrationChange),
    /// A registration was cancelled (by its person or the training's managers).
    #[serde(rename = "training_registration.cancelled")]
    TrainingRegistrationCancelled(TrainingRegistrationChange),
    /// A waitlisted registration got a seat that became free.
    #[serde(rename = "training_registration.promoted")]
    TrainingRegistrationPromoted(TrainingRegistrationChange),
    /// An organizer marked a registration's attendance.
    #[serde(rename = "training_registration.attendance_marked")]
    TrainingAttendanceMarked(TrainingRegistrationChange),
    /// An attendee's certificate was issued.
    #[serde(rename = "training_registration.certificate_issued")]
    TrainingCertificateIssued(TrainingRegistrationChange),
    /// An attendee gave feedback on a session. Neither the rating, the
    /// comment nor the feedback's id is part of the event, so that its
    /// readers (who see its actor) cannot tie them to the person who gave
    /// them.
    #[serde(rename = "training_feedback.given")]
    TrainingFeedbackGiven {
        /// The session.
        session: Uuid,
        /// Its training.
        training: Uuid,
        /// The training's organizing partner.
        partner: Uuid,
    },
    /// A user made a private calendar feed of their sessions (its secret is
    /// never recorded).
    #[serde(rename = "calendar_feed.created")]
    CalendarFeedCreated {
        /// The feed.
        feed: Uuid,
        /// Its user.
        user: Uuid,
    },
    /// A calendar feed was revoked: its URL answers 404 from now on.
    #[serde(rename = "calendar_feed.revoked")]
    CalendarFeedRevoked {
        /// The feed.
        feed: Uuid,
        /// Its user.
        user: Uuid,
        /// True when a newer feed replaced it (else its user revoked it).
        replaced: bool,
    },
    /// An organization requested units of a program.
    #[serde(rename = "donation_request.submitted")]
    DonationRequested(DonationChange),
    /// A request was approved (stock and cap reserved).
    #[serde(rename = "donation_request.approved")]
    DonationRequestApproved(DonationChange),
    /// A request was rejected.
    #[serde(rename = "donation_request.rejected")]
    DonationRequestRejected(DonationChange),
    /// A request was delivered (the details are not in the event).
    #[serde(rename = "donation_request.fulfilled")]
    DonationRequestFulfilled(DonationChange),
    /// The organization withdrew a request.
    #[serde(rename = "donation_request.cancelled")]
    DonationRequestCancelled(DonationChange),
    /// The organization attached a document to its case (the file name is not
    /// recorded: it may say more than the kind does).
    #[serde(rename = "validation_evidence.attached")]
    ValidationEvidenceAttached {
        /// The document's record.
        evidence: Uuid,
        /// The case.
        validation: Uuid,
        /// The organization.
        organization: Uuid,
        /// Its kind, as the API writes it (`REGISTRATION_CERTIFICATE`, ...).
        kind: String,
        /// SHA-256 of its bytes.
        sha256: String,
    },
    /// The organization removed a document from its case.
    #[serde(rename = "validation_evidence.removed")]
    ValidationEvidenceRemoved {
        /// The document's record.
        evidence: Uuid,
        /// The case.
        validation: Uuid,
        /// The organization.
        organization: Uuid,
        /// Its kind.
        kind: String,
    },
    /// An organization issued a share token (the token itself is never recorded).
    #[serde(rename = "validation_share_token.created")]
    ValidationShareTokenCreated {
        /// The token's record.
        share_token: Uuid,
        /// The organization sharing itself.
        organization: Uuid,
        /// When the token stops working.
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    /// An organization revoked a share token.
    #[serde(rename = "validation_share_token.revoked")]
    ValidationShareTokenRevoked {
        /// The token's record.
        share_token: Uuid,
        /// The organization.
        organization: Uuid,
        /// The donor that had redeemed it, if one had.
        donor: Option<Uuid>,
    },
    /// A donor redeemed a share token: its lookups see the organization.
    #[serde(rename = "validation_share_token.redeemed")]
    ValidationShareTokenRedeemed {
        /// The token's record.
        share_token: Uuid,
        /// The organization.
        organization: Uuid,
        /// The donor.
        donor: Uuid,
    },
}

/// A step of a validation case: the case's history is made of these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationChange {
    /// The case.
    pub validation: Uuid,
    /// The organization vetted.
    pub organization: Uuid,
    /// Its country.
    pub country: String,
    /// The reviewing partner, once submitted.
    pub partner: Option<Uuid>,
    /// The status before (none when opened), as the API writes it (`IN_REVIEW`).
    pub from: Option<String>,
    /// The status after.
    pub to: String,
    /// Reason codes given (`DOCUMENTS_MISSING`, ...).
    pub reasons: Vec<String>,
    /// The note given with the step, if any (the case's readers see it).
    pub note: Option<String>,
    /// For an approval: when it ends.
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// A step of a donation request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DonationChange {
    /// The request.
    pub request: Uuid,
    /// The program.
    pub program: Uuid,
    /// Its donor.
    pub donor: Uuid,
    /// The requesting organization.
    pub organization: Uuid,
    /// Units.
    pub quantity: i32,
    /// The status before (none when made), as the API writes it.
    pub from: Option<String>,
    /// The status after.
    pub to: String,
    /// Reason codes of a rejection.
    pub reasons: Vec<String>,
}

/// A step of a registration for a training session. Its person is named
/// by id only; the certificate's code is never part of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingRegistrationChange {
    /// The registration.
    pub registration: Uuid,
    /// The session.
    pub session: Uuid,
    /// Its training.
    pub training: Uuid,
    /// The training's organizing partner.
    pub partner: Uuid,
    /// The person registered.
    pub user: Uuid,
    /// The organization they registered on behalf of.
    pub organization: Option<Uuid>,
    /// The status before (none when made), as the API writes it (`WAITLISTED`).
    pub from: Option<String>,
    /// The status after.
    pub to: String,
    /// The attendance marked (`ATTENDED`, `NO_SHOW`), if any.
    pub attendance: Option<String>,
}

/// A role taken or given up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipChange {
    /// The user.
    pub user: Uuid,
    /// `organization`, `partner` or `donor`.
    pub scope: String,
    /// Which one.
    pub scope_id: Uuid,
    /// The role.
    pub role: String,
}

fn scope_node(scope: &str) -> NodeKind {
    match scope {
        "organization" => crate::organizations::types::Organization::KIND,
        "partner" => crate::partners::types::Partner::KIND,
        _ => crate::donors::types::Donor::KIND,
    }
}

impl DomainEvent {
    /// The stored type, e.g. `organization.created`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::OrganizationCreated { .. } => "organization.created",
            Self::OrganizationUpdated { .. } => "organization.updated",
            Self::OrganizationArchived { .. } => "organization.archived",
            Self::OrganizationChallengesSet { .. } => "organization.challenges_set",
            Self::PartnerCreated { .. } => "partner.created",
            Self::PartnerUpdated { .. } => "partner.updated",
            Self::PartnerCountriesChanged { .. } => "partner.countries_changed",
            Self::PartnerArchived { .. } => "partner.archived",
            Self::MembershipGranted(_) => "membership.granted",
            Self::MembershipLeft(_) => "membership.left",
            Self::InvitationSent { .. } => "invitation.sent",
            Self::ApiKeyCreated { .. } => "api_key.created",
            Self::ApiKeyRevoked { .. } => "api_key.revoked",
            Self::WebhookEndpointCreated { .. } => "webhook_endpoint.created",
            Self::WebhookEndpointUpdated { .. } => "webhook_endpoint.updated",
            Self::WebhookEndpointDisabled { .. } => "webhook_endpoint.disabled",
            Self::WebhookEndpointDeleted { .. } => "webhook_endpoint.deleted",
            Self::DonorCreated { .. } => "donor.created",
            Self::DonorUpdated { .. } => "donor.updated",
            Self::ValidationCriteriaSet { .. } => "validation_criteria.set",
            Self::ValidationOpened(_) => "validation.opened",
            Self::ValidationSubmitted(_) => "validation.submitted",
            Self::ValidationReviewStarted(_) => "validation.review_started",
            Self::ValidationApprovalRecorded(_) => "validation.approval_recorded",
            Self::ValidationApproved(_) => "validation.approved",
            Self::ValidationRejected(_) => "validation.rejected",
            Self::ValidationInformationRequested(_) => "validation.information_requested",
            Self::ValidationExpired(_) => "validation.expired",
            Self::ValidationRevoked(_) => "validation.revoked",
            Self::ProgramCreated { .. } => "program.created",
            Self::ProgramUpdated { .. } => "program.updated",
            Self::ProgramArchived { .. } => "program.archived",
            Self::TrainingCreated { .. } => "training.created",
            Self::TrainingUpdated { .. } => "training.updated",
            Self::TrainingPublished { .. } => "training.published",
            Self::TrainingArchived { .. } => "training.archived",
            Self::TrainingSessionScheduled { .. } => "training_session.scheduled",
            Self::TrainingSessionUpdated { .. } => "training_session.updated",
            Self::TrainingSessionCancelled { .. } => "training_session.cancelled",
            Self::TrainingSessionCompleted { .. } => "training_session.completed",
            Self::TrainingRegistered(_) => "training_registration.created",
            Self::TrainingRegistrationCancelled(_) => "training_registration.cancelled",
            Self::TrainingRegistrationPromoted(_) => "training_registration.promoted",
            Self::TrainingAttendanceMarked(_) => "training_registration.attendance_marked",
            Self::TrainingCertificateIssued(_) => "training_registration.certificate_issued",
            Self::TrainingFeedbackGiven { .. } => "training_feedback.given",
            Self::CalendarFeedCreated { .. } => "calendar_feed.created",
            Self::CalendarFeedRevoked { .. } => "calendar_feed.revoked",
            Self::DonationRequested(_) => "donation_request.submitted",
            Self::DonationRequestApproved(_) => "donation_request.approved",
            Self::DonationRequestRejected(_) => "donation_request.rejected",
            Self::DonationRequestFulfilled(_) => "donation_request.fulfilled",
            Self::DonationRequestCancelled(_) => "donation_request.cancelled",
            Self::ValidationEvidenceAttached { .. } => "validation_evidence.attached",
            Self::ValidationEvidenceRemoved { .. } => "validation_evidence.removed",
            Self::ValidationShareTokenCreated { .. } => "validation_share_token.created",
            Self::ValidationShareTokenRevoked { .. } => "validation_share_token.revoked",
            Self::ValidationShareTokenRedeemed { .. } => "validation_share_token.redeemed",
        }
    }

    /// Relay global ID of the object it happened to (for memberships and
    /// invitations: the organization, partner or donor).
    pub fn subject(&self) -> String {
        let id = match self {
            Self::OrganizationCreated { organization, .. }
            | Self::OrganizationUpdated { organization, .. }
            | Self::OrganizationArchived { organization, .. }
            | Self::OrganizationChallengesSet { organization, .. }
            | Self::ValidationShareTokenCreated { organization, .. }
            | Self::ValidationShareTokenRevoked { organization, .. }
            | Self::ValidationShareTokenRedeemed { organization, .. } => {
                encode_uuid(crate::organizations::types::Organization::KIND, *organization)
            }
            Self::PartnerCreated { partner, .. }
            | Self::PartnerUpdated { partner, .. }
            | Self::PartnerCountriesChanged { partner, .. }
            | Self::PartnerArchived { partner } => encode_uuid(crate::partners::types::Partner::KIND, *partner),
            Self::MembershipGranted(m) | Self::MembershipLeft(m) => encode_uuid(scope_node(&m.scope), m.scope_id),
            Self::InvitationSent { scope, scope_id, .. } => encode_uuid(scope_node(scope), *scope_id),
            Self::ApiKeyCreated { api_key, .. } | Self::ApiKeyRevoked { api_key, .. } => {
                encode_uuid(crate::api_keys::types::ApiKey::KIND, *api_key)
            }
            Self::DonorCreated { donor, .. } | Self::DonorUpdated { donor } => encode_uuid(crate::donors::types::Donor::KIND, *donor),
            Self::WebhookEndpointCreated { endpoint, .. }
            | Self::WebhookEndpointUpdated { endpoint, .. }
            | Self::WebhookEndpointDisabled { endpoint, .. }
            | Self::WebhookEndpointDeleted { endpoint, .. } => encode_uuid(crate::webhooks::types::WebhookEndpoint::KIND, *endpoint),
            Self::ProgramCreated { program, .. } | Self::ProgramUpdated { program, .. } | Self::ProgramArchived { program, .. } => {
                encode_uuid(crate::programs::types::Program::KIND, *program)
            }
            Self::TrainingCreated { training, .. }
            | Self::TrainingUpdated { training, .. }
            | Self::TrainingPublished { training, .. }
            | Self::TrainingArchived { training, .. } => encode_uuid(crate::trainings::types::Training::KIND, *training),
            Self::TrainingSessionScheduled { session, .. }
            | Self::TrainingSessionUpdated { session, .. }
            | Self::TrainingSessionCancelled { session, .. }
            | Self::TrainingSessionCompleted { session, .. }
            | Self::TrainingFeedbackGiven { session, .. } => encode_uuid(crate::trainings::types::TrainingSession::KIND, *session),
            Self::TrainingRegistered(r)
            | Self::TrainingRegistrationCancelled(r)
            | Self::TrainingRegistrationPromoted(r)
            | Self::TrainingAttendanceMarked(r)
            | Self::TrainingCertificateIssued(r) => {
                encode_uuid(crate::trainings::registration_types::TrainingRegistration::KIND, r.registration)
            }
            Self::CalendarFeedCreated { user, .. } | Self::CalendarFeedRevoked { user, .. } => {
                encode_uuid(crate::accounts::types::User::KIND, *user)
            }
            Self::DonationRequested(d)
            | Self::DonationRequestApproved(d)
            | Self::DonationRequestRejected(d)
            | Self::DonationRequestFulfilled(d)
            | Self::DonationRequestCancelled(d) => encode_uuid(crate::programs::request_types::DonationRequest::KIND, d.request),
            Self::ValidationCriteriaSet { partner, .. } => encode_uuid(crate::partners::types::Partner::KIND, *partner),
            Self::ValidationOpened(v)
            | Self::ValidationSubmitted(v)
            | Self::ValidationReviewStarted(v)
            | Self::ValidationApprovalRecorded(v)
            | Self::ValidationApproved(v)
            | Self::ValidationRejected(v)
            | Self::ValidationInformationRequested(v)
            | Self::ValidationExpired(v)
            | Self::ValidationRevoked(v) => encode_uuid(crate::validations::types::Validation::KIND, v.validation),
            Self::ValidationEvidenceAttached { validation, .. } | Self::ValidationEvidenceRemoved { validation, .. } => {
                encode_uuid(crate::validations::types::Validation::KIND, *validation)
            }
        };
        id.0
    }

    /// The organization it concerns, if any.
    pub fn organization_id(&self) -> Option<Uuid> {
        match self {
            Self::OrganizationCreated { organization, .. }
            | Self::OrganizationUpdated { organization, .. }
            | Self::OrganizationArchived { organization, .. }
            | Self::OrganizationChallengesSet { organization, .. }
            | Self::ValidationShareTokenCreated { organization, .. }
            | Self::ValidationShareTokenRevoked { organization, .. }
            | Self::ValidationShareTokenRedeemed { organization, .. }
            | Self::ValidationEvidenceAttached { organization, .. }
            | Self::ValidationEvidenceRemoved { organization, .. } => Some(*organization),
            Self::DonationRequested(d)
            | Self::DonationRequestApproved(d)
            | Self::DonationRequestRejected(d)
            | Self::DonationRequestFulfilled(d)
            | Self::DonationRequestCancelled(d) => Some(d.organization),
            Self::TrainingRegistered(r)
            | Self::TrainingRegistrationCancelled(r)
            | Self::TrainingRegistrationPromoted(r)
            | Self::TrainingAttendanceMarked(r)
            | Self::TrainingCertificateIssued(r) => r.organization,
            Self::MembershipGranted(m) | Self::MembershipLeft(m) => (m.scope == "organization").then_some(m.scope_id),
            Self::InvitationSent { scope, scope_id, .. } => (scope == "organization").then_some(*scope_id),
            _ => self.validation().map(|v| v.organization),
        }
    }

    /// The country it concerns, if one (a partner serves several: none).
    pub fn country_code(&self) -> Option<&str> {
        match self {
            Self::OrganizationCreated { country, .. }
            | Self::OrganizationUpdated { country, .. }
            | Self::OrganizationArchived { country, .. }
            | Self::OrganizationChallengesSet { country, .. }
            | Self::ValidationCriteriaSet { country, .. } => Some(country),
            _ => self.validation().map(|v| v.country.as_str()),
        }
    }

    /// The step of a validation case it records, if it is one.
    pub fn validation(&self) -> Option<&ValidationChange> {
        match self {
            Self::ValidationOpened(v)
            | Self::ValidationSubmitted(v)
            | Self::ValidationReviewStarted(v)
            | Self::ValidationApprovalRecorded(v)
            | Self::ValidationApproved(v)
            | Self::ValidationRejected(v)
            | Self::ValidationInformationRequested(v)
            | Self::ValidationExpired(v)
            | Self::ValidationRevoked(v) => Some(v),
            _ => None,
        }
    }

    /// The payload as JSON text (what the `events` table stores).
    pub fn payload_json(&self) -> String {
        let value = serde_json::to_value(self).ok().and_then(|mut v| v.get_mut("payload").map(serde_json::Value::take));
        value.map_or_else(|| "{}".to_owned(), |v| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_name_is_the_serialized_tag_and_the_payload_is_the_content() {
        let event = DomainEvent::ApiKeyRevoked { api_key: Uuid::nil(), owner_scope: "donor".to_owned(), owner_id: Uuid::nil() };
        let value = serde_json::to_value(&event).expect("serializes");
        assert_eq!(value["type"], event.type_name());
        let payload: serde_json::Value = serde_json::from_str(&event.payload_json()).expect("JSON");
        assert_eq!(payload["ownerScope"], "donor");
        let membership = DomainEvent::MembershipLeft(MembershipChange {
            user: Uuid::nil(),
            scope: "organization".to_owned(),
            scope_id: Uuid::max(),
            role: "owner".to_owned(),
        });
        assert_eq!(serde_json::to_value(&membership).expect("serializes")["type"], membership.type_name());
        assert_eq!(membership.organization_id(), Some(Uuid::max()));
        assert_eq!(membership.subject(), encode_uuid(crate::organizations::types::Organization::KIND, Uuid::max()).0);
    }
}
