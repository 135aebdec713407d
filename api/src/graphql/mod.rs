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
pub mod shared_streams;
pub mod subscription;
pub mod user_error;
pub mod ws;

use async_graphql::{MergedObject, MergedSubscription, SDLExportOptions, Schema};
use futures_util::StreamExt;
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
    /// A validation case (for its readers).
    Validation(crate::validations::types::Validation),
    /// A donor company.
    Donor(crate::donors::types::Donor),
    /// A donation program.
    Program(crate::programs::types::Program),
    /// A donation request (for its readers).
    DonationRequest(crate::programs::request_types::DonationRequest),
    /// A training (a draft for its managers only).
    Training(crate::trainings::types::Training),
    /// A session of a training.
    TrainingSession(crate::trainings::types::TrainingSession),
    /// A registration for a training session (for its person and the training's managers).
    TrainingRegistration(crate::trainings::registration_types::TrainingRegistration),
}

/// The types `node(id:)` knows: each area registers its own.
fn node_registry() -> node::NodeRegistry {
    let mut registry = node::NodeRegistry::default();
    crate::accounts::query::register_nodes(&mut registry);
    crate::api_keys::query::register_nodes(&mut registry);
    crate::webhooks::query::register_nodes(&mut registry);
    crate::countries::query::register_nodes(&mut registry);
    crate::donors::query::register_nodes(&mut registry);
    crate::focus_areas::query::register_nodes(&mut registry);
    crate::organizations::query::register_nodes(&mut registry);
    crate::partners::query::register_nodes(&mut registry);
    crate::validations::query::register_nodes(&mut registry);
    crate::programs::query::register_nodes(&mut registry);
    crate::trainings::query::register_nodes(&mut registry);
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
    crate::validations::query::ValidationQuery,
    crate::validations::lookup_query::ValidationLookupQuery,
    crate::programs::query::ProgramQuery,
    crate::programs::query::DonationRequestQuery,
    crate::programs::report_types::ImpactReportQuery,
    crate::needs::query::NeedsQuery,
    crate::trainings::query::TrainingQuery,
    crate::trainings::registration_mutation::TrainingRegistrationQuery,
    crate::trainings::calendar_query::CalendarFeedQuery,
    crate::trainings::figures_types::TrainingFiguresQuery,
    crate::notifications::query::NotificationQuery,
    crate::webhooks::query::WebhookQuery,
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
    crate::validations::mutation::ValidationMutation,
    crate::validations::evidence_types::EvidenceMutation,
    crate::validations::sharing_mutation::ValidationSharingMutation,
    crate::programs::mutation::ProgramMutation,
    crate::programs::request_types::DonationRequestMutation,
    crate::needs::mutation::NeedsMutation,
    crate::trainings::mutation::TrainingMutation,
    crate::trainings::registration_mutation::TrainingRegistrationMutation,
    crate::trainings::calendar_mutation::CalendarFeedMutation,
    crate::trainings::feedback_types::TrainingFeedbackMutation,
    crate::notifications::mutation::NotificationMutation,
    crate::webhooks::mutation::WebhookMutation,
);

/// Every subscription root, merged.
#[derive(MergedSubscription, Default)]
pub struct SubscriptionRoot(
    crate::trainings::subscription::TrainingSubscription,
    crate::notifications::subscription::NotificationSubscription,
    crate::validations::subscription::ValidationSubscription,
    crate::programs::subscription::DonationRequestSubscription,
);

type Inner = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot::default())
        // `limits` enforces depth 12 (16 inside introspection) before validation;
        // async-graphql's own count stays as a backstop at the larger value.
        .limit_depth(limits::MAX_INTROSPECTION_DEPTH as usize)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
}

/// The SDL of the bare schema: what introspection can return, for `limits`.
fn unlimited_sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot::default()).finish().sdl()
}

/// The schema as every transport executes it: each document passes
/// [`limits::DocumentLimits`] first (parsed once, cached), then runs on one of
/// two builds of the same schema. Neither registers an extension for plain
/// documents: any async-graphql extension wraps the resolution of every field
/// (a boxed future and a registry lookup each), about a sixth of the server's
/// time on a page of fifty (bench/README.md). Documents that introspect run
/// where [`limits::AddIntrospectionCost`] counts what introspection returns.
#[derive(Clone)]
pub struct AppSchema {
    plain: Inner,
    introspective: Inner,
    limits: Arc<limits::DocumentLimits>,
    /// Subscriptions executed once for all the operations that ask the same.
    shared: Arc<shared_streams::SharedStreams>,
}

impl AppSchema {
    /// Checks, executes and codes the errors of one request.
    pub async fn execute(&self, mut request: async_graphql::Request) -> async_graphql::Response {
        let mut response = match self.limits.check(&mut request) {
            Err(error) => async_graphql::Response::from_errors(vec![error]),
            Ok(introspection) if introspection.at.is_some() => {
                self.introspective.execute(request.data(limits::IntrospectionCost(introspection.cost))).await
            }
            Ok(_) => self.plain.execute(request).await,
        };
        for error in &mut response.errors {
            errors::finish_error(error);
        }
        response
    }
}

/// The WebSocket transport runs operations (subscriptions, and queries and
/// mutations sent over the socket) through the same limits and error codes.
impl async_graphql::Executor for AppSchema {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        AppSchema::execute(self, request).await
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        let stream = match self.limits.check(&mut request) {
            Err(error) => return futures_util::stream::once(async move { async_graphql::Response::from_errors(vec![error]) }).boxed(),
            Ok(introspection) if introspection.at.is_some() => async_graphql::Executor::execute_stream(
                &self.introspective,
                request.data(limits::IntrospectionCost(introspection.cost)),
                session_data,
            ),
            Ok(_) => match shared_streams::key(&request, session_data.as_deref()) {
                Some(key) => {
                    let plain = self.plain.clone();
                    self.shared.join(key, move || async_graphql::Executor::execute_stream(&plain, request, session_data))
                }
                None => async_graphql::Executor::execute_stream(&self.plain, request, session_data),
            },
        };
        stream
            .map(|mut response| {
                for error in &mut response.errors {
                    errors::finish_error(error);
                }
                response
            })
            .boxed()
    }
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
    /// Where subscriptions read events.
    pub hub: crate::events::Hub,
    /// Where evidence documents are kept.
    pub evidence: crate::validations::evidence::EvidenceSettings,
    /// Where webhooks may be sent (SSRF rules of the deployment).
    pub webhook_targets: crate::webhooks::target::TargetRules,
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
    let reports = Arc::new(crate::programs::report_cache::ReportCache::default());
    let shared_reads = Arc::new(subscription::SharedReads::default());
    let build = |extension: Option<limits::AddIntrospectionCost>| {
        let mut builder = builder()
            .data(shared.db.clone())
            .data(shared.policy)
            .data(shared.sessions.clone())
            .data(Arc::clone(&shared.mailer))
            .data(Arc::clone(&shared.store))
            .data(shared.clock.clone())
            .data(Arc::clone(&shared.bus))
            .data(shared.hub.clone())
            .data(shared.evidence.clone())
            .data(shared.webhook_targets)
            .data(Arc::clone(&reports))
            .data(Arc::clone(&shared_reads))
            .data(Arc::new(node_registry()));
        if let Some(extension) = extension {
            builder = builder.extension(extension);
        }
        if !options.introspection {
            // A backstop: `limits` refuses such documents with a clear error first.
            builder = builder.disable_introspection();
        }
        if !options.suggestions {
            builder = builder.disable_suggestions();
        }
        builder.finish()
    };
    AppSchema {
        plain: build(None),
        introspective: build(Some(limits::AddIntrospectionCost)),
        limits: Arc::new(limits::DocumentLimits::new(&unlimited_sdl(), options.introspection)),
        shared: Arc::default(),
    }
}

/// The SDL, sorted so `schema.graphql` diffs stay readable.
pub fn sdl() -> String {
    builder().finish().sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items())
}
