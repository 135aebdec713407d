//! Schema assembly: merged per-area roots, limits, and the SDL export.

pub mod connection;
pub mod context;
pub mod enums;
pub mod errors;
pub mod graphiql;
pub mod http;
pub mod introspection;
pub mod limits;
pub mod loader;
pub mod node;
pub mod order;
pub mod prepare;
pub mod relay;
pub mod scalars;
pub mod user_error;

use async_graphql::{EmptySubscription, MergedObject, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

use std::sync::Arc;

use crate::{
    accounts::{mutation::AccountMutation, query::AccountQuery},
    auth::{Policy, sessions::SessionManager},
    countries::query::CountryQuery,
    focus_areas::query::FocusAreaQuery,
    mail::Mailer,
    organizations::{mutation::OrganizationMutation, query::OrganizationQuery},
    partners::{mutation::PartnerMutation, query::PartnerQuery},
    store::KeyValueStore,
};

/// Deepest nesting a query may have.
pub const MAX_DEPTH: usize = 12;
/// Largest complexity (fields, multiplied by page sizes) a query may have.
pub const MAX_COMPLEXITY: usize = 50_000;

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(async_graphql::Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID", desc = "Global ID: opaque, stable, usable with `node(id:)`."))]
pub enum Node {
    /// A country.
    Country(crate::countries::types::Country),
    /// A network partner.
    Partner(crate::partners::types::Partner),
    /// An organization.
    Organization(crate::organizations::types::Organization),
    /// A focus area.
    FocusArea(crate::focus_areas::types::FocusArea),
}

/// The types `node(id:)` knows: each area registers its own.
fn node_registry() -> node::NodeRegistry {
    let mut registry = node::NodeRegistry::default();
    crate::accounts::query::register_nodes(&mut registry);
    crate::api_keys::query::register_nodes(&mut registry);
    crate::countries::query::register_nodes(&mut registry);
    crate::donors::query::register_nodes(&mut registry);
    crate::focus_areas::query::register_nodes(&mut registry);
    crate::organizations::query::register_nodes(&mut registry);
    crate::partners::query::register_nodes(&mut registry);
    registry
}

/// Every query root, merged.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    node::NodeQuery,
    AccountQuery,
    crate::audit::query::AuditQuery,
    crate::api_keys::query::ApiKeyQuery,
    crate::donors::query::DonorQuery,
    CountryQuery,
    PartnerQuery,
    OrganizationQuery,
    FocusAreaQuery,
);

/// Every mutation root, merged.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    AccountMutation,
    crate::api_keys::mutation::ApiKeyMutation,
    crate::donors::mutation::DonorMutation,
    crate::memberships::mutation::MembershipMutation,
    PartnerMutation,
    OrganizationMutation,
);

/// The schema type.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        // `limits` enforces depth 12 (16 inside introspection) before validation;
        // async-graphql's own count stays as a backstop at the larger value.
        .limit_depth(limits::MAX_INTROSPECTION_DEPTH as usize)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
        .extension(errors::ErrorCodes)
        .extension(limits::DocumentLimits::new(&unlimited_sdl()))
}

/// The SDL of the bare schema: what introspection can return, for `limits`.
fn unlimited_sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription).finish().sdl()
}

/// What every resolver may use, whoever calls.
pub struct SharedData {
    /// Database pool.
    pub db: DatabaseConnection,
    /// Who may see and do what.
    pub policy: Policy,
    /// Sessions and tokens.
    pub sessions: SessionManager,
    /// Outgoing e-mail.
    pub mailer: Arc<dyn Mailer>,
    /// Shared short-lived state.
    pub store: Arc<dyn KeyValueStore>,
    /// The one source of "now".
    pub clock: crate::clock::Clock,
    /// Where events are published after their transaction commits.
    pub bus: Arc<dyn crate::events::EventBus>,
}

/// What a deployment switches on or off in the schema (see `Settings`).
#[derive(Clone, Copy, Debug)]
pub struct SchemaOptions {
    /// Answer `__schema` and `__type`.
    pub introspection: bool,
    /// "Did you mean ...?" in validation errors (they reveal names without introspection).
    pub suggestions: bool,
}

/// The schema with its shared data. The options change what callers may ask, not
/// the types: [`sdl`] is the same whatever they are.
pub fn build_schema(shared: SharedData, options: SchemaOptions) -> AppSchema {
    let mut builder = builder()
        .data(shared.db)
        .data(shared.policy)
        .data(shared.sessions)
        .data(shared.mailer)
        .data(shared.store)
        .data(shared.clock)
        .data(shared.bus)
        .data(Arc::new(node_registry()));
    if !options.introspection {
        builder = builder.disable_introspection().extension(introspection::RefuseIntrospection);
    }
    if !options.suggestions {
        builder = builder.disable_suggestions();
    }
    builder.finish()
}

/// The SDL, sorted so `schema.graphql` diffs stay readable.
pub fn sdl() -> String {
    builder().finish().sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items())
}
