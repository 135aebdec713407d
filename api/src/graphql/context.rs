//! Per-request data: the caller, what they may see, and the DataLoaders.
//! Loaders are created per request, so nothing one caller loads is served to another.

use std::sync::Arc;

use async_graphql::{Context, dataloader::DataLoader};
use sea_orm::DatabaseConnection;

use crate::{
    auth::{Action, Caller, OrgScope, Policy, UserCaller, sessions::SessionManager},
    countries::loader::OrganizationCountsByCountry,
    error::ApiError,
    focus_areas::loader::{FocusAreaById, FocusAreasByOrganization},
    mail::Mailer,
    organizations::loader::{
        OrganizationById, PartnerFirstPages, PartnerOrganizationCounts, PossibleDuplicates, RegistrationsByOrganization,
    },
    partners::loader::{CountriesByPartner, PartnerById, PartnersByCountry},
    store::KeyValueStore,
};

/// Every DataLoader of a request.
pub struct Loaders {
    /// Organizations by id (scoped).
    pub organization_by_id: DataLoader<OrganizationById>,
    /// Registrations by organization.
    pub registrations_by_organization: DataLoader<RegistrationsByOrganization>,
    /// Focus areas by organization.
    pub focus_areas_by_organization: DataLoader<FocusAreasByOrganization>,
    /// Focus areas by id.
    pub focus_area_by_id: DataLoader<FocusAreaById>,
    /// Partners by id.
    pub partner_by_id: DataLoader<PartnerById>,
    /// Partners by country code.
    pub partners_by_country: DataLoader<PartnersByCountry>,
    /// Country codes by partner.
    pub countries_by_partner: DataLoader<CountriesByPartner>,
    /// Visible organization counts by country code.
    pub organization_counts_by_country: DataLoader<OrganizationCountsByCountry>,
    /// First pages of `partner.organizations`.
    pub partner_first_pages: DataLoader<PartnerFirstPages>,
    /// Totals of `partner.organizations`.
    pub partner_organization_counts: DataLoader<PartnerOrganizationCounts>,
    /// Possible duplicates by organization (scoped).
    pub possible_duplicates: DataLoader<PossibleDuplicates>,
}

fn spawn(fut: async_graphql::futures_util::future::BoxFuture<'static, ()>) {
    tokio::spawn(fut);
}

impl Loaders {
    /// Fresh loaders for one request.
    pub fn new(db: &DatabaseConnection, scope: &OrgScope) -> Self {
        Self {
            organization_by_id: DataLoader::new(OrganizationById { db: db.clone(), scope: scope.clone() }, spawn),
            registrations_by_organization: DataLoader::new(RegistrationsByOrganization(db.clone()), spawn),
            focus_areas_by_organization: DataLoader::new(FocusAreasByOrganization(db.clone()), spawn),
            focus_area_by_id: DataLoader::new(FocusAreaById(db.clone()), spawn),
            partner_by_id: DataLoader::new(PartnerById(db.clone()), spawn),
            partners_by_country: DataLoader::new(PartnersByCountry(db.clone()), spawn),
            countries_by_partner: DataLoader::new(CountriesByPartner(db.clone()), spawn),
            organization_counts_by_country: DataLoader::new(OrganizationCountsByCountry { db: db.clone(), scope: scope.clone() }, spawn),
            partner_first_pages: DataLoader::new(PartnerFirstPages { db: db.clone(), scope: scope.clone() }, spawn),
            partner_organization_counts: DataLoader::new(PartnerOrganizationCounts { db: db.clone(), scope: scope.clone() }, spawn),
            possible_duplicates: DataLoader::new(PossibleDuplicates { db: db.clone(), scope: scope.clone() }, spawn),
        }
    }
}

/// Where a request comes from.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    /// The peer's IP address.
    pub ip: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

/// What the edge decided about a request.
pub struct RequestContext {
    /// Who is calling.
    pub caller: Caller,
    /// Where the request comes from.
    pub client: ClientInfo,
    /// Organizations they may read.
    pub org_scope: OrgScope,
    /// Organizations they may change.
    pub org_write_scope: OrgScope,
    /// Organizations they may archive.
    pub org_archive_scope: OrgScope,
    /// DataLoaders (shared with lazily computed fields such as `totalCount`).
    pub loaders: Arc<Loaders>,
    /// Set by the request's one password operation (see [`claim_password_operation`]).
    password_operation: std::sync::atomic::AtomicBool,
}

impl RequestContext {
    /// Builds the context of a request from the caller.
    pub fn new(db: &DatabaseConnection, policy: &Policy, caller: Caller, client: ClientInfo) -> Self {
        let org_scope = policy.organization_scope(&caller);
        let org_write_scope = policy.organization_write_scope(&caller);
        let org_archive_scope = policy.organization_archive_scope(&caller);
        let loaders = Arc::new(Loaders::new(db, &org_scope));
        Self {
            caller,
            client,
            org_scope,
            org_write_scope,
            org_archive_scope,
            loaders,
            password_operation: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

fn missing(what: &str) -> ApiError {
    ApiError::internal(std::io::Error::other(format!("{what} missing from the GraphQL context")))
}

/// The database.
pub fn db<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseConnection, ApiError> {
    ctx.data::<DatabaseConnection>().map_err(|_| missing("database"))
}

/// The request's context.
pub fn request<'a>(ctx: &Context<'a>) -> Result<&'a RequestContext, ApiError> {
    ctx.data::<RequestContext>().map_err(|_| missing("request context"))
}

/// The request's loaders.
pub fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Arc<Loaders>, ApiError> {
    Ok(&request(ctx)?.loaders)
}

/// The session manager.
pub fn sessions<'a>(ctx: &Context<'a>) -> Result<&'a SessionManager, ApiError> {
    ctx.data::<SessionManager>().map_err(|_| missing("session manager"))
}

/// The mailer.
pub fn mailer<'a>(ctx: &Context<'a>) -> Result<&'a dyn Mailer, ApiError> {
    ctx.data::<Arc<dyn Mailer>>().map(AsRef::as_ref).map_err(|_| missing("mailer"))
}

/// The shared key-value store.
pub fn store<'a>(ctx: &Context<'a>) -> Result<&'a dyn KeyValueStore, ApiError> {
    ctx.data::<Arc<dyn KeyValueStore>>().map(AsRef::as_ref).map_err(|_| missing("store"))
}

/// The signed-in user of the request; UNAUTHENTICATED for anyone else.
pub fn signed_in<'a>(ctx: &Context<'a>) -> Result<&'a UserCaller, ApiError> {
    request(ctx)?.caller.user().ok_or_else(|| ApiError::Unauthenticated("sign in to do this".to_owned()))
}

/// The clock: every "now" of a resolver or the services it calls.
pub fn clock<'a>(ctx: &Context<'a>) -> Result<&'a crate::clock::Clock, ApiError> {
    ctx.data::<crate::clock::Clock>().map_err(|_| missing("clock"))
}

/// The event bus (events are published after their transaction commits).
pub fn bus<'a>(ctx: &Context<'a>) -> Result<&'a dyn crate::events::EventBus, ApiError> {
    ctx.data::<Arc<dyn crate::events::EventBus>>().map(AsRef::as_ref).map_err(|_| missing("event bus"))
}

/// The policy.
pub fn policy<'a>(ctx: &Context<'a>) -> Result<&'a Policy, ApiError> {
    ctx.data::<Policy>().map_err(|_| missing("policy"))
}

/// Asks the policy whether the caller may do `action`.
pub fn authorize(ctx: &Context<'_>, action: Action) -> Result<(), ApiError> {
    policy(ctx)?.authorize(&request(ctx)?.caller, action)
}

/// Claims the request's one password operation (checking or hashing a
/// password: `logIn`, `changePassword`, `signUp`, `resetPassword`). A second
/// one in the same request (aliases) is RATE_LIMITED: guesses and argon2's
/// CPU cost are counted per request, whatever the document asks.
pub fn claim_password_operation(ctx: &Context<'_>) -> Result<(), ApiError> {
    if request(ctx)?.password_operation.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return Err(ApiError::RateLimited(1));
    }
    Ok(())
}
