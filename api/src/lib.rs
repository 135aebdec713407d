//! civic-graph: the GraphQL API of a global network connecting civil-society
//! organizations with technology donations, vetting, training, funding and
//! volunteers, through partner organizations in each country.
//!
//! Shared machinery first (settings, errors, database, backends, GraphQL),
//! then one module per area of the domain, each with its types, roots,
//! service (rules and SQL, no GraphQL) and loaders.

// The merged query root nests one level per area root: past 18 roots its
// resolver's layout needs more than the default 128.
#![recursion_limit = "256"]

pub mod app;
pub mod auth;
pub mod cli;
pub mod client_ip;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod health;
pub mod i18n;
pub mod identity;
pub mod jobs;
pub mod mail;
pub mod pagination;
pub mod ratelimit;
pub mod seed;
pub mod store;
pub mod telemetry;
pub mod user_errors;

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod countries;
pub mod donors;
pub mod focus_areas;
pub mod memberships;
pub mod needs;
pub mod notifications;
pub mod organizations;
pub mod partners;
pub mod programs;
pub mod trainings;
pub mod validations;
pub mod webhooks;
