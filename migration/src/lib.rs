//! Database migrations of civic-graph.
//!
//! Append-only: one file per change, named `mYYYYMMDD_HHMMSS_<what>.rs`, each with
//! its own `Iden` enums and a real `down`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_partners;
mod m20261122_000002_create_focus_areas;
mod m20261122_000003_create_organizations;
mod m20261122_000004_create_users;
mod m20261122_000005_create_memberships;
mod m20261122_000006_create_api_keys;
mod m20261122_000007_create_invitations;
mod m20261122_000008_add_user_volunteer;
mod m20261201_000001_registrations_not_unique;
mod m20261201_000002_add_pending_sign_up;
mod m20261201_000003_create_jobs;
mod m20261201_000004_create_events;
mod m20261201_000005_organization_list_indexes;
mod m20261202_000001_create_validations;
mod m20261202_000002_create_validation_sharing;
mod m20261203_000001_create_programs;
mod m20261204_000001_donation_request_fulfilment;
mod m20261204_000002_program_catalogue;
mod m20261205_000001_impact_report_index;
mod m20261206_000001_create_trainings;
mod m20261206_000002_create_needs;
mod m20261207_000001_training_registrations;
mod m20261207_000002_calendar_feeds;
mod m20261208_000001_training_feedback;
mod m20261209_000001_notifications;
mod m20261210_000001_webhooks;

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_partners::Migration),
            Box::new(m20261122_000002_create_focus_areas::Migration),
            Box::new(m20261122_000003_create_organizations::Migration),
            Box::new(m20261122_000004_create_users::Migration),
            Box::new(m20261122_000005_create_memberships::Migration),
            Box::new(m20261122_000006_create_api_keys::Migration),
            Box::new(m20261122_000007_create_invitations::Migration),
            Box::new(m20261122_000008_add_user_volunteer::Migration),
            Box::new(m20261201_000001_registrations_not_unique::Migration),
            Box::new(m20261201_000002_add_pending_sign_up::Migration),
            Box::new(m20261201_000003_create_jobs::Migration),
            Box::new(m20261201_000004_create_events::Migration),
            Box::new(m20261201_000005_organization_list_indexes::Migration),
            Box::new(m20261202_000001_create_validations::Migration),
            Box::new(m20261202_000002_create_validation_sharing::Migration),
            Box::new(m20261203_000001_create_programs::Migration),
            Box::new(m20261204_000001_donation_request_fulfilment::Migration),
            Box::new(m20261204_000002_program_catalogue::Migration),
            Box::new(m20261205_000001_impact_report_index::Migration),
            Box::new(m20261206_000001_create_trainings::Migration),
            Box::new(m20261206_000002_create_needs::Migration),
            Box::new(m20261207_000001_training_registrations::Migration),
            Box::new(m20261207_000002_calendar_feeds::Migration),
            Box::new(m20261208_000001_training_feedback::Migration),
            Box::new(m20261209_000001_notifications::Migration),
            Box::new(m20261210_000001_webhooks::Migration),
        ]
    }
}
