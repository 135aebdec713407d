//! `organization.donationRequests` for many organizations at once: the first
//! page of each organization's requests in one statement (on PostgreSQL a
//! `LATERAL ... LIMIT` per organization on `idx_donation_requests_organization`,
//! on SQLite a window function partitioned by organization) and
//! the totals in one grouped statement, so a list of organizations with their
//! requests costs the same number of statements whatever its length. Other
//! pages (a cursor, or `last`) are read for one organization with
//! `requests::page`, whose cursors these first pages share.

use std::collections::HashMap;

use async_graphql::{Context, Result};
use entity::{donation_request, enums::DonationRequestStatus as Status};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryTrait, Statement,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Order, Query, WindowStatement},
};
use uuid::Uuid;

use super::{
    request_types::{DonationRequest, DonationRequestStatus},
    requests::{self, RequestFilter},
    types::{Prefetched, Program},
};
use crate::{
    error::ApiError,
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::{db, loader, policy, request},
        loader::batch_loader,
    },
    pagination::{Cursor, Direction, Page, PageRequest},
};

/// The ordering tag of `requests::page` (newest first): these first pages'
/// cursors continue there.
const ORDER_TAG: &str = "donation-requests:created:desc";

fn organization_column() -> (donation_request::Entity, donation_request::Column) {
    (donation_request::Entity, donation_request::Column::OrganizationId)
}

fn of_organizations(organization_ids: &[Uuid], status: Option<Status>) -> sea_orm::Select<donation_request::Entity> {
    let mut select = donation_request::Entity::find().filter(Expr::col(organization_column()).is_in(organization_ids.iter().copied()));
    if let Some(status) = status {
        select = select.filter(Expr::col((donation_request::Entity, donation_request::Column::Status)).eq(status));
    }
    select
}

/// The `limit` newest requests of each organization (in `status` when
/// given), with one more read to tell whether a next page exists; cursors
/// compatible with `requests::page`.
pub async fn first_pages(
    db: &impl ConnectionTrait,
    organization_ids: &[Uuid],
    status: Option<Status>,
    limit: u64,
) -> Result<HashMap<Uuid, Page<donation_request::Model>>, ApiError> {
    let rows = if db.get_database_backend() == DbBackend::Postgres {
        db.query_all_raw(lateral_pages(organization_ids, status, limit)).await?
    } else {
        db.query_all(&windowed_pages(organization_ids, status, limit)).await?
    };
    let mut fetched: HashMap<Uuid, Vec<(String, donation_request::Model)>> = HashMap::new();
    for row in rows {
        let model = donation_request::Model::from_query_result(&row, "")?;
        let cursor = Cursor { order: ORDER_TAG.to_owned(), key: model.created_at.to_rfc3339(), id: Some(model.id) }.encode();
        fetched.entry(model.organization_id).or_default().push((cursor, model));
    }
    let request = PageRequest { limit, direction: Direction::Forward, cursor: None };
    Ok(organization_ids.iter().map(|id| (*id, Page::from_fetched(fetched.remove(id).unwrap_or_default(), &request))).collect())
}

/// PostgreSQL: `limit + 1` rows per organization, each a backward scan of
/// `idx_donation_requests_organization` that stops there (`LATERAL ... LIMIT`).
fn lateral_pages(organization_ids: &[Uuid], status: Option<Status>, limit: u64) -> Statement {
    // One array parameter: the same statement (prepared once per
    // connection) whatever the number of organizations (`crate::db::id_in`).
    let mut values: Vec<sea_orm::Value> = vec![organization_ids.to_vec().into()];
    let status_filter = match status {
        Some(status) => {
            values.push(status.to_value().into());
            format!(" AND r.status = ${}", values.len())
        }
        None => String::new(),
    };
    values.push(i64::try_from(limit + 1).unwrap_or(i64::MAX).into());
    let sql = format!(
        "SELECT r.* FROM unnest($1::uuid[]) AS o(id) CROSS JOIN LATERAL (SELECT * FROM donation_requests r \
         WHERE r.organization_id = o.id{status_filter} ORDER BY r.created_at DESC, r.id DESC LIMIT ${}) r",
        values.len()
    );
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// SQLite (no `LATERAL`): every request of the organizations, numbered per
/// organization by a window function, the first `limit + 1` kept.
fn windowed_pages(organization_ids: &[Uuid], status: Option<Status>, limit: u64) -> sea_orm::sea_query::SelectStatement {
    let mut inner = of_organizations(organization_ids, status).into_query();
    let mut window = WindowStatement::partition_by(organization_column());
    window
        .order_by((donation_request::Entity, donation_request::Column::CreatedAt), Order::Desc)
        .order_by((donation_request::Entity, donation_request::Column::Id), Order::Desc);
    inner.expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new("page_row"));
    Query::select()
        .column(Asterisk)
        .from_subquery(inner, Alias::new("pages"))
        .and_where(Expr::col(Alias::new("page_row")).lte(limit + 1))
        .order_by(Alias::new("organization_id"), Order::Asc)
        .order_by(Alias::new("page_row"), Order::Asc)
        .to_owned()
}

/// The number of requests of each organization (in `status` when given).
pub async fn counts(db: &impl ConnectionTrait, organization_ids: &[Uuid], status: Option<Status>) -> Result<HashMap<Uuid, u64>, ApiError> {
    let mut select = of_organizations(organization_ids, status).into_query();
    select
        .clear_selects()
        .expr_as(Expr::col(organization_column()), Alias::new("organization_id"))
        .expr_as(Expr::col((donation_request::Entity, donation_request::Column::Id)).count(), Alias::new("total"))
        .group_by_col(organization_column());
    let mut totals: HashMap<Uuid, u64> = organization_ids.iter().map(|id| (*id, 0)).collect();
    for row in db.query_all(&select).await? {
        let organization: Uuid = row.try_get("", "organization_id")?;
        let total: i64 = row.try_get("", "total")?;
        totals.insert(organization, u64::try_from(total).unwrap_or(0));
    }
    Ok(totals)
}

/// An organization's requests as one field asks for them (the same for every
/// organization of a list): a first page of `limit`, or a count with 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrganizationRequestsKey {
    /// The organization.
    pub organization_id: Uuid,
    /// Only requests in this status.
    pub status: Option<Status>,
    /// Page size (0 for a count).
    pub limit: u64,
    /// What the page's requests carry.
    pub with: Prefetch,
}

/// What a page's requests carry, read with the page for the whole list at
/// once (one statement each): the parts of their program the query asks
/// for. Their fields then need no loader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Prefetch {
    /// `program`.
    pub programs: bool,
    /// `program { name }` or `program { description }`.
    pub texts: bool,
    /// `program { donor }`.
    pub donors: bool,
}

impl Prefetch {
    /// What the selection under the connection field asks for, through
    /// `nodes` or `edges { node }`.
    fn asked(ctx: &Context<'_>) -> Self {
        let look = ctx.look_ahead();
        let programs = [look.field("nodes").field("program"), look.field("edges").field("node").field("program")];
        Self {
            programs: programs.iter().any(|p| p.exists()),
            texts: programs.iter().any(|p| p.field("name").exists() || p.field("description").exists()),
            donors: programs.iter().any(|p| p.field("donor").exists()),
        }
    }
}

/// The keys' organizations, grouped by the field's arguments: one statement per group.
fn by_args(keys: &[OrganizationRequestsKey]) -> HashMap<(Option<Status>, u64, Prefetch), Vec<Uuid>> {
    let mut groups: HashMap<(Option<Status>, u64, Prefetch), Vec<Uuid>> = HashMap::new();
    for key in keys {
        groups.entry((key.status, key.limit, key.with)).or_default().push(key.organization_id);
    }
    groups
}

type RequestPage = Page<DonationRequest>;

/// `pages` with what `with` asks read for all their requests at once: the
/// programs, then their texts and donors together.
async fn with_programs(
    db: &impl ConnectionTrait,
    pages: HashMap<Uuid, Page<donation_request::Model>>,
    with: Prefetch,
) -> Result<HashMap<Uuid, RequestPage>, ApiError> {
    let attach = |pages: HashMap<Uuid, Page<donation_request::Model>>, programs: &HashMap<Uuid, Program>| {
        pages
            .into_iter()
            .map(|(organization, page)| {
                let items = page
                    .items
                    .into_iter()
                    .map(|(cursor, row)| {
                        let program = programs.get(&row.program_id).cloned();
                        (cursor, DonationRequest(row, program))
                    })
                    .collect();
                (organization, Page { items, has_next_page: page.has_next_page, has_previous_page: page.has_previous_page })
            })
            .collect()
    };
    if !with.programs {
        return Ok(attach(pages, &HashMap::new()));
    }
    let mut ids: Vec<Uuid> = pages.values().flat_map(|p| p.items.iter().map(|(_, r)| r.program_id)).collect();
    ids.sort_unstable();
    ids.dedup();
    let models = super::service::by_ids(db, &ids).await?;
    let mut donor_ids: Vec<Uuid> = models.values().map(|m| m.donor_id).collect();
    donor_ids.sort_unstable();
    donor_ids.dedup();
    let texts = async { if with.texts { super::service::texts_of(db, &ids).await } else { Ok(HashMap::new()) } };
    let donors = async { if with.donors { crate::donors::service::by_ids(db, &donor_ids).await } else { Ok(HashMap::new()) } };
    let (mut texts, donors) = futures_util::try_join!(texts, donors)?;
    let donors: HashMap<Uuid, std::sync::Arc<entity::donor::Model>> = donors.into_iter().map(|(id, d)| (id, d.into())).collect();
    let programs: HashMap<Uuid, Program> = models
        .into_iter()
        .map(|(id, model)| {
            let prefetched = Prefetched {
                // A program without texts has none to read later either.
                texts: with.texts.then(|| texts.remove(&id).unwrap_or_default().into()),
                donor: donors.get(&model.donor_id).cloned(),
            };
            (id, Program(model.into(), prefetched))
        })
        .collect();
    Ok(attach(pages, &programs))
}

batch_loader! {
    /// First pages of `organization.donationRequests`, for all organizations of a list at once.
    OrganizationRequestPages: OrganizationRequestsKey => RequestPage,
    |db, keys| {
        let mut out = HashMap::new();
        for ((status, limit, with), ids) in by_args(keys) {
            let pages = with_programs(db, first_pages(db, &ids, status, limit).await?, with).await?;
            out.extend(pages.into_iter().map(|(organization_id, page)| (OrganizationRequestsKey { organization_id, status, limit, with }, page)));
        }
        Ok(out)
    }
}

batch_loader! {
    /// Totals of `organization.donationRequests`, for all organizations of a list at once.
    OrganizationRequestCounts: OrganizationRequestsKey => u64,
    |db, keys| {
        let mut out = HashMap::new();
        for ((status, limit, with), ids) in by_args(keys) {
            let totals = counts(db, &ids, status).await?;
            out.extend(totals.into_iter().map(|(organization_id, n)| (OrganizationRequestsKey { organization_id, status, limit, with }, n)));
        }
        Ok(out)
    }
}

/// Relay page arguments: first, after, last, before.
pub type PageArgs = (Option<i32>, Option<String>, Option<i32>, Option<String>);

/// The field `organization.donationRequests` (GraphQL glue): null unless the
/// policy lets the caller list the organization's requests; a first page is
/// batched across the organizations of a list, other pages are read alone.
pub async fn connection(
    ctx: &Context<'_>,
    organization_id: Uuid,
    status: Option<DonationRequestStatus>,
    (first, after, last, before): PageArgs,
) -> Result<Option<Conn<DonationRequest>>> {
    let req = request(ctx)?;
    if !policy(ctx)?.may_list_organization_requests(&req.caller, organization_id) {
        return Ok(None);
    }
    let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
    let status: Option<Status> = status.map(Into::into);
    if page.cursor.is_some() || page.direction != Direction::Forward {
        let filter = RequestFilter { organization: Some(organization_id), status, ..RequestFilter::default() };
        let rows = requests::page(db(ctx)?, &filter, &page).await?;
        let db = db(ctx)?.clone();
        let total = TotalCount::lazy(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { requests::count(&db, &filter).await })
        });
        return Ok(Some(from_page(rows, total, DonationRequest::from)));
    }
    let key = OrganizationRequestsKey { organization_id, status, limit: page.limit, with: Prefetch::asked(ctx) };
    let rows = loader::<OrganizationRequestPages>(ctx)?.load_one(key).await?.unwrap_or(Page {
        items: Vec::new(),
        has_next_page: false,
        has_previous_page: false,
    });
    let counts = loader::<OrganizationRequestCounts>(ctx)?;
    let count_key = OrganizationRequestsKey { limit: 0, with: Prefetch::default(), ..key };
    let total = TotalCount::lazy_graphql(move || {
        let counts = counts.clone();
        Box::pin(async move { Ok(counts.load_one(count_key).await?.unwrap_or(0)) })
    });
    Ok(Some(from_page(rows, total, std::convert::identity)))
}
