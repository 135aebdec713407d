//! Rules of training feedback and partner figures.
//!
//! Feedback: an attendee gives it on their own registration only; it is
//! read back by its author alone (`TrainingRegistration.feedback`). The
//! managers of a training (see `trainings.rs`) read each session's summary
//! and comments, never who gave them: nobody, managers included, is shown
//! a rating or a comment next to its author.
//!
//! Partner figures: platform admins read every partner's; a partner's staff
//! (any role) read their own partners' trainings only; nobody else. Figures
//! are not suppressed when small: a partner's staff already see who attends
//! their own trainings, so a small group tells them nothing they may not
//! know.

use entity::enums::MembershipScope;
use uuid::Uuid;

use super::{Policy, forbidden, sign_in};
use crate::{auth::Caller, error::ApiError};

/// Whose trainings' figures a caller reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FiguresScope {
    /// Every partner's (platform admins, the system).
    All,
    /// These partners' (the caller's own).
    Partners(Vec<Uuid>),
}

impl FiguresScope {
    /// True when the scope holds `partner`'s trainings.
    pub fn covers(&self, partner: Uuid) -> bool {
        match self {
            Self::All => true,
            Self::Partners(partners) => partners.contains(&partner),
        }
    }
}

impl Policy {
    /// Giving feedback at all: a signed-in person with a confirmed address
    /// (answers who); whose registration it may be is [`Self::may_give_feedback`].
    pub fn authorize_feedback(&self, caller: &Caller) -> Result<Uuid, ApiError> {
        match caller {
            Caller::Anonymous => Err(sign_in()),
            Caller::System | Caller::ApiKey(_) => Err(forbidden("give feedback other than as the person who attended")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) => Ok(u.user_id),
        }
    }

    /// Giving feedback on a registration: its person, signed in with a
    /// confirmed address. Anyone else is told the registration does not
    /// exist (false).
    pub fn may_give_feedback(&self, caller: &Caller, registration_user: Uuid) -> bool {
        caller.user().is_some_and(|u| u.email_verified && u.user_id == registration_user)
    }

    /// Reading the feedback given on a registration (its rating and comment
    /// with the fact that it is theirs): its person alone.
    pub fn may_read_own_feedback(&self, caller: &Caller, registration_user: Uuid) -> bool {
        self.may_give_feedback(caller, registration_user)
    }

    /// Reading a session's feedback summary and comments (without authors):
    /// the managers of its training's partner.
    pub fn may_read_session_feedback(&self, caller: &Caller, partner: Uuid) -> bool {
        self.training_reader(caller).manages(partner)
    }

    /// Reading partner figures: platform admins (every partner), a partner's
    /// staff of any role (their partners), nobody else.
    pub fn training_figures_scope(&self, caller: &Caller) -> Result<FiguresScope, ApiError> {
        match caller {
            Caller::System => Ok(FiguresScope::All),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(_) => Err(forbidden("read training figures with an API key")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin => Ok(FiguresScope::All),
            Caller::User(u) => {
                let partners: Vec<Uuid> = u.grants.iter().filter(|g| g.scope == MembershipScope::Partner).map(|g| g.scope_id).collect();
                if partners.is_empty() {
                    Err(forbidden("read training figures: only a partner's staff and platform admins may"))
                } else {
                    Ok(FiguresScope::Partners(partners))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use entity::enums::Role;

    use super::*;
    use crate::auth::policy::testing::{api_key, holding, outcome, platform_admin, unverified};

    #[test]
    fn who_gives_and_reads_feedback_and_figures() {
        let partner = Uuid::now_v7();
        let validator = holding(MembershipScope::Partner, partner, Role::Validator);
        let manager = holding(MembershipScope::Partner, partner, Role::ProgramManager);
        let member = holding(MembershipScope::Organization, Uuid::now_v7(), Role::Member);
        let Some(person) = member.user().map(|u| u.user_id) else { panic!("a user") };
        assert_eq!(outcome(Policy.authorize_feedback(&Caller::Anonymous).map(|_| ())), "UNAUTHENTICATED");
        assert_eq!(outcome(Policy.authorize_feedback(&api_key(&["organizations:read"])).map(|_| ())), "FORBIDDEN");
        assert_eq!(outcome(Policy.authorize_feedback(&unverified(member.clone())).map(|_| ())), "EMAIL_NOT_VERIFIED");
        assert_eq!(Policy.authorize_feedback(&member).ok(), Some(person));
        assert!(Policy.may_give_feedback(&member, person), "its person");
        assert!(!Policy.may_give_feedback(&manager, person), "not the training's managers");
        assert!(!Policy.may_give_feedback(&platform_admin(), person), "not even platform admins");
        assert!(!Policy.may_give_feedback(&unverified(member.clone()), person));
        assert!(!Policy.may_give_feedback(&Caller::Anonymous, person));
        assert!(!Policy.may_read_own_feedback(&manager, person), "managers never see who said what");
        let sees = |caller: &Caller| Policy.may_read_session_feedback(caller, partner);
        assert!(sees(&manager) && sees(&platform_admin()));
        assert!(!sees(&validator) && !sees(&member) && !sees(&Caller::Anonymous));

        let cases: Vec<(&str, Caller, &str)> = vec![
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
            ("platform admin", platform_admin(), "ok"),
            ("validator", validator, "ok"),
            ("manager", manager, "ok"),
            ("organization member", member, "FORBIDDEN"),
            ("unverified manager", unverified(holding(MembershipScope::Partner, partner, Role::Admin)), "EMAIL_NOT_VERIFIED"),
            ("key", api_key(&["organizations:read"]), "FORBIDDEN"),
        ];
        for (who, caller, expected) in cases {
            let scope = Policy.training_figures_scope(&caller);
            if let Ok(FiguresScope::Partners(partners)) = &scope {
                assert_eq!(partners, &vec![partner], "{who}: their partner only");
                assert!(scope.as_ref().is_ok_and(|s| s.covers(partner) && !s.covers(Uuid::now_v7())));
            }
            assert_eq!(outcome(scope.map(|_| ())), expected, "{who}");
        }
    }
}
