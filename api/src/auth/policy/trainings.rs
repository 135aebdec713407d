//! Rules of trainings: who manages a partner's trainings, who sees a draft,
//! and who sees a session's online link.
//!
//! Managers of a partner's trainings are its ADMIN and PROGRAM_MANAGER
//! members, and platform admins. A DRAFT training (and its sessions) exists
//! only for them; PUBLISHED and ARCHIVED ones are public. A session's online
//! link is for its managers (the registration slice adds its registered
//! participants as a fact of [`SessionLinkFacts`]).
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

    /// Seeing a session's online link: the managers of its training's partner.
    pub fn may_see_session_link(&self, reader: &TrainingReader, session: SessionLinkFacts) -> bool {
        reader.manages(session.partner)
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
            let sees = Policy.may_see_session_link(&Policy.training_reader(&caller), SessionLinkFacts { partner });
            assert_eq!(sees, expected == "ok", "{who} and the online link");
        }
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
