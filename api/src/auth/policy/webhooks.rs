//! Rules of webhooks: who registers a partner's or donor's endpoints, which
//! event types each kind of owner may subscribe to, and which owners an
//! event goes to. An endpoint receives what its owner's staff may read:
//!
//! - a donor: the requests to its programs and its programs' changes, and
//!   the validation decisions (approved, expired, revoked) of organizations
//!   that have requested from it — "is this organization still eligible?";
//! - a partner: the validation cases and the organizations of the countries
//!   it serves (hidden ones included, as its staff read them).
//!
//! Payloads name things by global ID and status only; details are read
//! through the API, where the policy applies again.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, forbidden, role_in, sign_in};
use crate::{
    auth::{ApiScope, Caller},
    error::ApiError,
    events::DomainEvent,
};

const DONORS: &[MembershipScope] = &[MembershipScope::Donor];
const PARTNERS: &[MembershipScope] = &[MembershipScope::Partner];
const BOTH: &[MembershipScope] = &[MembershipScope::Donor, MembershipScope::Partner];

/// The event types an endpoint may subscribe to (wire names), and the kinds
/// of owner each is offered to.
pub const WEBHOOK_EVENT_TYPES: &[(&str, &[MembershipScope])] = &[
    ("donation_request.submitted", DONORS),
    ("donation_request.approved", DONORS),
    ("donation_request.rejected", DONORS),
    ("donation_request.fulfilled", DONORS),
    ("donation_request.cancelled", DONORS),
    ("program.created", DONORS),
    ("program.updated", DONORS),
    ("program.archived", DONORS),
    ("validation.opened", PARTNERS),
    ("validation.submitted", PARTNERS),
    ("validation.review_started", PARTNERS),
    ("validation.approval_recorded", PARTNERS),
    ("validation.information_requested", PARTNERS),
    ("validation.rejected", PARTNERS),
    ("validation.approved", BOTH),
    ("validation.expired", BOTH),
    ("validation.revoked", BOTH),
    ("organization.created", PARTNERS),
    ("organization.updated", PARTNERS),
    ("organization.archived", PARTNERS),
];

/// Whose endpoints an event may go to (each still filtered by the event
/// types the endpoint chose).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookAudience {
    /// This donor.
    Donor(Uuid),
    /// The partners serving this country.
    PartnersServing(String),
    /// The donors to whose programs this organization has requested.
    DonorsRequestedBy(Uuid),
}

impl Policy {
    /// Registering, changing, listing and redelivering the webhooks of a
    /// partner or donor: its admins, its API keys holding `webhooks:write`,
    /// and platform admins.
    pub fn authorize_webhook_admin(&self, caller: &Caller, scope: MembershipScope, owner_id: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(key) if key.owner_scope == scope && key.owner_id == owner_id && key.has(ApiScope::WebhooksWrite) => Ok(()),
            Caller::ApiKey(_) => {
                Err(forbidden("manage these webhooks with this key: it needs webhooks:write and to belong to their owner"))
            }
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin || role_in(u, scope, owner_id) == Some(Role::Admin) => Ok(()),
            Caller::User(_) => Err(forbidden("manage these webhooks: ask one of their owner's admins")),
        }
    }

    /// True when an owner of this kind may subscribe to the event type.
    pub fn webhook_event_offered(&self, scope: MembershipScope, event_type: &str) -> bool {
        WEBHOOK_EVENT_TYPES.iter().any(|(name, owners)| *name == event_type && owners.contains(&scope))
    }

    /// Whose endpoints `event` may go to; empty for the events no webhook carries.
    pub fn webhook_audiences(&self, event: &DomainEvent) -> Vec<WebhookAudience> {
        if !WEBHOOK_EVENT_TYPES.iter().any(|(name, _)| *name == event.type_name()) {
            return Vec::new();
        }
        match event {
            DomainEvent::DonationRequested(d)
            | DomainEvent::DonationRequestApproved(d)
            | DomainEvent::DonationRequestRejected(d)
            | DomainEvent::DonationRequestFulfilled(d)
            | DomainEvent::DonationRequestCancelled(d) => vec![WebhookAudience::Donor(d.donor)],
            DomainEvent::ProgramCreated { donor, .. }
            | DomainEvent::ProgramUpdated { donor, .. }
            | DomainEvent::ProgramArchived { donor, .. } => {
                vec![WebhookAudience::Donor(*donor)]
            }
            DomainEvent::ValidationApproved(v) | DomainEvent::ValidationExpired(v) | DomainEvent::ValidationRevoked(v) => {
                vec![WebhookAudience::PartnersServing(v.country.clone()), WebhookAudience::DonorsRequestedBy(v.organization)]
            }
            DomainEvent::OrganizationCreated { country, .. }
            | DomainEvent::OrganizationUpdated { country, .. }
            | DomainEvent::OrganizationArchived { country, .. } => vec![WebhookAudience::PartnersServing(country.clone())],
            other => other.validation().map(|v| vec![WebhookAudience::PartnersServing(v.country.clone())]).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{holding, outcome, platform_admin, unverified};
    use super::*;
    use crate::auth::ApiKeyCaller;

    fn key(scope: MembershipScope, owner_id: Uuid, scopes: &[ApiScope]) -> Caller {
        Caller::ApiKey(ApiKeyCaller { key_id: Uuid::now_v7(), owner_scope: scope, owner_id, scopes: scopes.to_vec() })
    }

    #[test]
    fn an_owners_admins_its_keys_with_webhooks_write_and_platform_admins_manage_its_webhooks() {
        let policy = Policy;
        let donor = Uuid::now_v7();
        for (who, caller, want) in [
            ("platform admin", platform_admin(), "ok"),
            ("donor admin", holding(MembershipScope::Donor, donor, Role::Admin), "ok"),
            ("donor integrator", holding(MembershipScope::Donor, donor, Role::Integrator), "FORBIDDEN"),
            ("admin of another donor", holding(MembershipScope::Donor, Uuid::now_v7(), Role::Admin), "FORBIDDEN"),
            ("admin of a partner with the same id", holding(MembershipScope::Partner, donor, Role::Admin), "FORBIDDEN"),
            ("unverified donor admin", unverified(holding(MembershipScope::Donor, donor, Role::Admin)), "EMAIL_NOT_VERIFIED"),
            ("the donor's key with webhooks:write", key(MembershipScope::Donor, donor, &[ApiScope::WebhooksWrite]), "ok"),
            ("the donor's key without it", key(MembershipScope::Donor, donor, &[ApiScope::RequestsWrite]), "FORBIDDEN"),
            ("another donor's key", key(MembershipScope::Donor, Uuid::now_v7(), &[ApiScope::WebhooksWrite]), "FORBIDDEN"),
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
        ] {
            assert_eq!(outcome(policy.authorize_webhook_admin(&caller, MembershipScope::Donor, donor)), want, "{who}");
        }
    }

    #[test]
    fn donors_are_offered_their_requests_and_partners_their_countries_cases() {
        let policy = Policy;
        assert!(policy.webhook_event_offered(MembershipScope::Donor, "donation_request.approved"));
        assert!(!policy.webhook_event_offered(MembershipScope::Partner, "donation_request.approved"));
        assert!(policy.webhook_event_offered(MembershipScope::Partner, "validation.submitted"));
        assert!(!policy.webhook_event_offered(MembershipScope::Donor, "validation.submitted"), "a case in review is the partner's");
        assert!(policy.webhook_event_offered(MembershipScope::Donor, "validation.approved"));
        assert!(!policy.webhook_event_offered(MembershipScope::Donor, "membership.granted"), "not a webhook event");
        assert!(!policy.webhook_event_offered(MembershipScope::Organization, "validation.approved"));
    }

    #[test]
    fn an_event_goes_to_its_donor_or_the_partners_of_its_country_and_others_to_nobody() {
        let policy = Policy;
        let (org, donor) = (Uuid::now_v7(), Uuid::now_v7());
        let request = crate::events::DonationChange {
            request: Uuid::now_v7(),
            program: Uuid::now_v7(),
            donor,
            organization: org,
            quantity: 1,
            from: None,
            to: "SUBMITTED".to_owned(),
            reasons: vec![],
        };
        assert_eq!(policy.webhook_audiences(&DomainEvent::DonationRequested(request)), vec![WebhookAudience::Donor(donor)]);
        let case = crate::events::ValidationChange {
            validation: Uuid::now_v7(),
            organization: org,
            country: "KE".to_owned(),
            partner: None,
            from: Some("IN_REVIEW".to_owned()),
            to: "APPROVED".to_owned(),
            reasons: vec![],
            note: None,
            valid_until: None,
        };
        assert_eq!(
            policy.webhook_audiences(&DomainEvent::ValidationApproved(case.clone())),
            vec![WebhookAudience::PartnersServing("KE".to_owned()), WebhookAudience::DonorsRequestedBy(org)]
        );
        assert_eq!(
            policy.webhook_audiences(&DomainEvent::ValidationSubmitted(case)),
            vec![WebhookAudience::PartnersServing("KE".to_owned())]
        );
        assert_eq!(policy.webhook_audiences(&DomainEvent::PartnerArchived { partner: Uuid::now_v7() }), vec![]);
    }
}
