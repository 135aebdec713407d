//! Black-box tests: each spawns the application on port 0 against a fresh
//! database and speaks HTTP to it. One test binary, one module per area.

#![expect(clippy::expect_used, reason = "a broken fixture should fail the test loudly, with its reason")]

mod helpers;
mod limits;
mod memberships;

mod account_abuse;
mod accounts;
mod api_keys;
mod architecture;
mod authorization;
mod bench_seed;
mod cli;
mod clock;
mod countries;
mod document_limits;
mod donation_reports;
mod donation_requests;
mod events;
mod graphql_http;
mod health;
mod i18n;
mod impact_report;
mod jobs;
mod list_plans;
mod needs;
mod nodes;
mod notifications;
mod organization_requests;
mod organizations;
mod pagination;
mod partners;
mod production;
mod program_catalogue;
mod programs;
mod schema;
mod statements;
mod subscriptions;
mod training_calendars;
mod training_feedback;
mod training_registrations;
mod trainings;
mod validation_evidence;
mod validation_lookup;
mod validations;
mod webhooks;
