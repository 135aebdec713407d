//! `partner.organizations` for many partners at once: the first page of each
//! partner in one statement (a window function partitioned by partner) and the
//! totals in one grouped statement, so a list of partners with their
//! organizations costs the same whatever its length.

use std::collections::HashMap;

use entity::{organization, partner_country};
use sea_orm::{
    ConnectionTrait, FromQueryResult, QueryTrait,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Order, Query, WindowStatement},
};
use uuid::Uuid;

use super::service::{OrganizationFilter, OrganizationOrder, filtered};
use crate::{
    auth::OrgScope,
    error::ApiError,
    pagination::{Cursor, Page},
};

fn partner_column() -> (partner_country::Entity, partner_country::Column) {
    (partner_country::Entity, partner_country::Column::PartnerId)
}

fn join_partner_countries(select: &mut sea_orm::sea_query::SelectStatement, partner_ids: &[Uuid]) {
    select
        .inner_join(
            partner_country::Entity,
            Expr::col((partner_country::Entity, partner_country::Column::CountryCode))
                .equals((organization::Entity, organization::Column::CountryCode)),
        )
        .and_where(Expr::col(partner_column()).is_in(partner_ids.iter().copied()));
}

/// The first `limit` organizations of each partner's countries (within the
/// caller's scope and the filter), with cursors compatible with `service::list`.
pub async fn first_pages(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    filter: &OrganizationFilter,
    order: OrganizationOrder,
    limit: u64,
    partner_ids: &[Uuid],
) -> Result<HashMap<Uuid, Page<organization::Model>>, ApiError> {
    let mut inner = filtered(db, scope, filter).await?.into_query();
    join_partner_countries(&mut inner, partner_ids);
    let direction = if order.ascending { Order::Asc } else { Order::Desc };
    let mut window = WindowStatement::partition_by(partner_column());
    window
        .order_by((organization::Entity, order.sort_column()), direction.clone())
        .order_by((organization::Entity, organization::Column::Id), direction);
    inner.expr_as(Expr::col(partner_column()), Alias::new("page_partner_id")).expr_window_as(
        Func::cust("ROW_NUMBER"),
        window,
        Alias::new("page_row"),
    );
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner, Alias::new("pages"))
        .and_where(Expr::col(Alias::new("page_row")).lte(limit + 1))
        .order_by(Alias::new("page_partner_id"), Order::Asc)
        .order_by(Alias::new("page_row"), Order::Asc)
        .to_owned();
    let rows = db.query_all(&outer).await?;
    let mut fetched: HashMap<Uuid, Vec<(String, organization::Model)>> = HashMap::new();
    for row in rows {
        let partner: Uuid = row.try_get("", "page_partner_id")?;
        let model = organization::Model::from_query_result(&row, "")?;
        let cursor = Cursor { order: order.tag(), key: order.sort_key(&model), id: Some(model.id) }.encode();
        fetched.entry(partner).or_default().push((cursor, model));
    }
    let request = crate::pagination::PageRequest { limit, direction: crate::pagination::Direction::Forward, cursor: None };
    Ok(partner_ids.iter().map(|id| (*id, Page::from_fetched(fetched.remove(id).unwrap_or_default(), &request))).collect())
}

/// The number of organizations of each partner's countries (scope and filter applied).
pub async fn counts(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    filter: &OrganizationFilter,
    partner_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, ApiError> {
    let mut select = filtered(db, scope, filter).await?.into_query();
    join_partner_countries(&mut select, partner_ids);
    select
        .clear_selects()
        .expr_as(Expr::col(partner_column()), Alias::new("page_partner_id"))
        .expr_as(Expr::col((organization::Entity, organization::Column::Id)).count(), Alias::new("total"))
        .group_by_col(partner_column());
    let rows = db.query_all(&select).await?;
    let mut totals: HashMap<Uuid, u64> = partner_ids.iter().map(|id| (*id, 0)).collect();
    for row in rows {
        let partner: Uuid = row.try_get("", "page_partner_id")?;
        let total: i64 = row.try_get("", "total")?;
        totals.insert(partner, u64::try_from(total).unwrap_or(0));
    }
    Ok(totals)
}
