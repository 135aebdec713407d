//! Rules of trainings: who manages a partner's trainings, who sees a draft,
//! and who sees a session's online link.
//!
//! Managers of a partner's trainings are its ADMIN and PROGRAM_MANAGER
//! members, and platform admins. A DRAFT training (and its sessions) exists
//! only for them; PUBLISHED and ARCHIVED ones are public. A session's online
//! link is for its managers and its REGISTERED participants (not the
//! waitlisted, not the cancelled: [`SessionLinkFacts::registered`]).
//!
//! Registrations: a verified user registers themself (on behalf of an
//! organization only when they hold a role in it); a registration is seen
//! and cancelled by its person and by the training's managers, who alone
//! list a session's registrations and mark attendance.
//!
//! Calendars: a session's public feed is anonymous (never its link); a
//! private calendar feed is its user's alone, made and revoked by them
//! signed in, and read through its secret URL.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, forbidden, role_in, sign_in};
use crate::{auth::Caller, error::ApiError};

/// Partner roles that manage the partner's trainings.
const TRAINING_MANAGERS: [Role; 2] = [Role::Admin, Role::ProgramManager];

/// Whose drafts a caller sees, as SQL can filter it: every partner's, or
/// those of `partners`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrainingReader {
    /// Every partner's drafts (platform admins, the system).
    pub all: bool,
    /// The partners whose trainings the caller manages.
    pub partners: Vec<Uuid>,
}

impl TrainingReader {
    /// True when the caller manages `partner`'s trainings.
    pub fn manages(&self, partner: Uuid) -> bool {
        self.all || self.partners.contains(&partner)
    }
}

/// What the rule about a session's online link needs to know.
#[derive(Clone, Copy, Debug)]
pub struct SessionLinkFacts {
    /// The partner organizing the session's training.
    pub partner: Uuid,
    /// The caller holds a REGISTERED registration for the session.
    pub registered: bool,
}

/// What the rules about one registration need to know.
#[derive(Clone, Copy, Debug)]
pub struct RegistrationFacts {
    /// The person registered.
    pub user: Uuid,
    /// The partner organizing the session's training.
    pub partner: Uuid,
}

impl Policy {
    /// Creating and changing a partner's trainings and their sessions: its
    /// ADMIN and PROGRAM_MANAGER members and platform admins.
    pub fn authorize_training_write(&self, caller: &Caller, partner: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(_) => Err(forbidden("manage trainings with an API key")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u)
                if u.is_platform_admin || role_in(u, MembershipScope::Partner, partner).is_some_and(|r| TRAINING_MANAGERS.contains(&r)) =>
            {
                Ok(())
            }
            Caller::User(_) => Err(forbidden("manage this partner's trainings: ask one of its admins or program managers")),
        }
    }

    /// Whose trainings the caller manages (and so whose drafts it sees).
    pub fn training_reader(&self, caller: &Caller) -> TrainingReader {
        match caller {
            Caller::System => TrainingReader { all: true, partners: Vec::new() },
            Caller::User(u) if u.email_verified && u.is_platform_admin => TrainingReader { all: true, partners: Vec::new() },
            Caller::User(u) if u.email_verified => TrainingReader {
                all: false,
                partners: u
                    .grants
                    .iter()
                    .filter(|g| g.scope == MembershipScope::Partner && TRAINING_MANAGERS.contains(&g.role))
                    .map(|g| g.scope_id)
                    .collect(),
            },
            _ => TrainingReader::default(),
        }
    }

    /// Making or revoking a private calendar feed: signed-in users, for
    /// themselves (an unverified account too: it changes only itself). Answers
    /// the user whose feed it is.
    pub fn authorize_calendar_feed(&self, caller: &Caller) -> Result<Uuid, ApiError> {
        match caller {
            Caller::User(u) => Ok(u.user_id),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(_) => Err(forbidden("manage a calendar feed with an API key: it belongs to a person")),
            Caller::System => Err(forbidden("manage a calendar feed as the system: it belongs to a person")),
        }
    }

    /// Revoking a calendar feed: its user alone (anyone else is told it does
    /// not exist).
    pub fn may_revoke_calendar_feed(&self, user: Uuid, owner: Uuid) -> bool {
        user == owner
    }

    /// Seeing a session's online link: the managers of its training's
    /// partner, and its REGISTERED participants.
    pub fn may_see_session_link(&self, reader: &TrainingReader, session: SessionLinkFacts) -> bool {
        session.registered || reader.manages(session.partner)
    }

    /// Registering for a session: a verified user, for themself (the
    /// registration is theirs); answers who registers.
    pub fn authorize_training_registration(&self, caller: &Caller) -> Result<Uuid, ApiError> {
        match caller {
            Caller::Anonymous => Err(sign_in()),
            Caller::System | Caller::ApiKey(_) => Err(forbidden("register for a training session other than as a signed-in person")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) => Ok(u.user_id),
        }
    }

    /// Registering on behalf of an organization: its members (any role).
    pub fn may_register_for_organization(&self, caller: &Caller, organization: Uuid) -> bool {
        caller.user().is_some_and(|u| role_in(u, MembershipScope::Organization, organization).is_some())
    }

    /// Seeing (and cancelling) a registration: its person and the managers
    /// of the training's partner.
    pub fn may_see_registration(&self, caller: &Caller, reader: &TrainingReader, registration: RegistrationFacts) -> bool {
        caller.user().is_some_and(|u| u.email_verified && u.user_id == registration.user) || reader.manages(registration.partner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::testing::{api_key, holding, outcome, platform_admin, unverified};

    #[test]
    fn who_manages_a_partners_trainings() {
        let partner = Uuid::now_v7();
        let other = Uuid::now_v7();
        let cases: Vec<(&str, Caller, &str)> = vec![
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
            ("system", Caller::System, "ok"),
            ("platform admin", platform_admin(), "ok"),
            ("partner admin", holding(MembershipScope::Partner, partner, Role::Admin), "ok"),
            ("program manager", holding(MembershipScope::Partner, partner, Role::ProgramManager), "ok"),
            ("validator", holding(MembershipScope::Partner, partner, Role::Validator), "FORBIDDEN"),
            ("another partner's manager", holding(MembershipScope::Partner, other, Role::ProgramManager), "FORBIDDEN"),
            ("organization admin", holding(MembershipScope::Organization, partner, Role::Admin), "FORBIDDEN"),
            ("unverified manager", unverified(holding(MembershipScope::Partner, partner, Role::ProgramManager)), "EMAIL_NOT_VERIFIED"),
            ("partner key", api_key(&["organizations:read"]), "FORBIDDEN"),
        ];
        for (who, caller, expected) in cases {
            assert_eq!(outcome(Policy.authorize_training_write(&caller, partner)), expected, "{who}");
            let sees = Policy.may_see_session_link(&Policy.training_reader(&caller), SessionLinkFacts { partner, registered: false });
            assert_eq!(sees, expected == "ok", "{who} and the online link");
            let registered = Policy.may_see_session_link(&Policy.training_reader(&caller), SessionLinkFacts { partner, registered: true });
            assert!(registered, "{who} registered sees the link");
        }
    }

    #[test]
    fn who_registers_and_sees_a_registration() {
        let partner = Uuid::now_v7();
        let organization = Uuid::now_v7();
        let member = holding(MembershipScope::Organization, organization, Role::Member);
        let someone = holding(MembershipScope::Organization, Uuid::now_v7(), Role::Owner);
        let manager = holding(MembershipScope::Partner, partner, Role::ProgramManager);
        assert_eq!(outcome(Policy.authorize_training_registration(&Caller::Anonymous).map(|_| ())), "UNAUTHENTICATED");
        assert_eq!(outcome(Policy.authorize_training_registration(&api_key(&["organizations:read"])).map(|_| ())), "FORBIDDEN");
        assert_eq!(outcome(Policy.authorize_training_registration(&unverified(member.clone())).map(|_| ())), "EMAIL_NOT_VERIFIED");
        assert_eq!(outcome(Policy.authorize_training_registration(&member).map(|_| ())), "ok");
        assert!(Policy.may_register_for_organization(&member, organization));
        assert!(!Policy.may_register_for_organization(&someone, organization));
        assert!(!Policy.may_register_for_organization(&platform_admin(), organization), "admins are no members");
        let Some(user) = member.user().map(|u| u.user_id) else { panic!("a user") };
        let facts = RegistrationFacts { user, partner };
        let sees = |caller: &Caller| Policy.may_see_registration(caller, &Policy.training_reader(caller), facts);
        assert!(sees(&member), "its person");
        assert!(sees(&manager), "the training's managers");
        assert!(sees(&platform_admin()));
        assert!(!sees(&someone), "anyone else");
        assert!(!sees(&Caller::Anonymous));
    }

    #[test]
    fn who_manages_a_calendar_feed() {
        let cases: Vec<(&str, Caller, &str)> = vec![
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
            ("system", Caller::System, "FORBIDDEN"),
            ("user", holding(MembershipScope::Organization, Uuid::now_v7(), Role::Member), "ok"),
            ("unverified user", unverified(holding(MembershipScope::Organization, Uuid::now_v7(), Role::Member)), "ok"),
            ("platform admin", platform_admin(), "ok"),
            ("key", api_key(&["organizations:read"]), "FORBIDDEN"),
        ];
        for (who, caller, expected) in cases {
            let decided = Policy.authorize_calendar_feed(&caller);
            if let (Ok(user), Some(u)) = (&decided, caller.user()) {
                assert_eq!(*user, u.user_id, "{who}: their own feed");
            }
            assert_eq!(outcome(decided.map(|_| ())), expected, "{who}");
        }
        let (me, other) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(Policy.may_revoke_calendar_feed(me, me));
        assert!(!Policy.may_revoke_calendar_feed(other, me), "another user's feed is not theirs to revoke");
    }
}
