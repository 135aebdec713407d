//! Relay cursor connections built from service pages.

use async_graphql::{
    Object, Result,
    connection::{Connection, Edge},
    futures_util::future::BoxFuture,
};

use crate::{error::ApiError, pagination::Page};

/// A connection of `N` with cursors as strings and a lazily counted `totalCount`.
pub type Conn<N> = Connection<String, N, TotalCount>;

type CountFn = Box<dyn Fn() -> BoxFuture<'static, Result<u64, ApiError>> + Send + Sync>;

/// The `totalCount` field of a connection: counted only when asked for.
pub struct TotalCount(CountFn);

impl TotalCount {
    /// A count already known.
    pub fn known(n: usize) -> Self {
        let n = n as u64;
        Self(Box::new(move || Box::pin(async move { Ok(n) })))
    }

    /// A count computed on demand.
    pub fn lazy<F>(f: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, Result<u64, ApiError>> + Send + Sync + 'static,
    {
        Self(Box::new(f))
    }
}

#[Object]
impl TotalCount {
    /// Number of items matching the arguments across all pages (not just this one).
    async fn total_count(&self) -> Result<u64> {
        Ok((self.0)().await?)
    }
}

/// Turns a service page into a connection.
pub fn from_page<T, N>(page: Page<T>, total: TotalCount, map: impl Fn(T) -> N) -> Conn<N>
where
    N: async_graphql::OutputType,
{
    let mut connection = Connection::with_additional_fields(page.has_previous_page, page.has_next_page, total);
    connection.edges.extend(page.items.into_iter().map(|(cursor, item)| Edge::new(cursor, map(item))));
    connection
}
