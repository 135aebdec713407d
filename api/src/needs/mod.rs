//! The needs map (issue 12, item 9): each organization's challenges, ranked,
//! with a category, an urgency and the level of technology each takes
//! (`setOrganizationChallenges`, `Organization.challenges`), and per country
//! the map partners read to decide what to teach (`needsMap`), its small
//! cells suppressed (rules: `auth/policy/needs_map.rs`), and the upcoming
//! sessions that answer an organization's most urgent challenges
//! (`Organization.recommendedTrainings`, [`recommend`]).

pub mod mutation;
pub mod query;
pub mod recommend;
pub mod seed;
pub mod service;
pub mod types;
