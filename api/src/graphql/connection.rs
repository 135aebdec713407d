//! Relay cursor connections built from service pages. The types are generic:
//! an area names the connection of its type by implementing [`Listed`]
//! (`OrganizationConnection`, `OrganizationEdge`).

use std::borrow::Cow;

use async_graphql::{Object, OutputType, Result, SimpleObject, TypeName, futures_util::future::BoxFuture};

use crate::{error::ApiError, pagination::Page};

/// A type listed in pages: the names of its connection and edge types.
pub trait Listed: OutputType {
    /// The connection's GraphQL name, e.g. `OrganizationConnection`.
    const CONNECTION: &'static str;
    /// The edge's GraphQL name, e.g. `OrganizationEdge`.
    const EDGE: &'static str;
}

type CountFn = Box<dyn Fn() -> BoxFuture<'static, Result<u64>> + Send + Sync>;

/// The `totalCount` of a connection: counted only when asked for.
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
        Self(Box::new(move || {
            let fut = f();
            Box::pin(async move { fut.await.map_err(Into::into) })
        }))
    }

    /// A count from a DataLoader (or anything answering a GraphQL result).
    pub fn lazy_graphql<F>(f: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, Result<u64>> + Send + Sync + 'static,
    {
        Self(Box::new(f))
    }
}

/// Where a page stands in its list.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// More items follow `endCursor` (page on with `first` and `after: endCursor`).
    pub has_next_page: bool,
    /// Items precede `startCursor` (page back with `last` and `before: startCursor`).
    pub has_previous_page: bool,
    /// Cursor of the first item of this page.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of this page.
    pub end_cursor: Option<String>,
}

/// An item of a page with its cursor.
pub struct Edge<N> {
    cursor: String,
    node: N,
}

impl<N: Listed> TypeName for Edge<N> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(N::EDGE)
    }
}

/// One item of a page and its cursor.
#[Object(name_type)]
impl<N: Listed> Edge<N> {
    /// Opaque cursor of this item, for `after` and `before`.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The item.
    async fn node(&self) -> &N {
        &self.node
    }
}

/// One page of a list, with cursors to move on.
pub struct Conn<N> {
    edges: Vec<Edge<N>>,
    page_info: PageInfo,
    total: TotalCount,
}

impl<N: Listed> TypeName for Conn<N> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(N::CONNECTION)
    }
}

/// One page of a list (`first`/`after` or `last`/`before`, at most 100 items),
/// with cursors to move on and the total across pages.
#[Object(name_type)]
impl<N: Listed> Conn<N> {
    /// The items of this page with their cursors.
    async fn edges(&self) -> &[Edge<N>] {
        &self.edges
    }

    /// The items of this page, without cursors (a shortcut for `edges { node }`).
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// Where this page stands in the list.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// Number of items matching the arguments across all pages (not just this one).
    async fn total_count(&self) -> Result<u64> {
        (self.total.0)().await
    }
}

/// Turns a service page into a connection.
pub fn from_page<T, N>(page: Page<T>, total: TotalCount, map: impl Fn(T) -> N) -> Conn<N> {
    let edges: Vec<Edge<N>> = page.items.into_iter().map(|(cursor, item)| Edge { cursor, node: map(item) }).collect();
    let page_info = PageInfo {
        has_next_page: page.has_next_page,
        has_previous_page: page.has_previous_page,
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Conn { edges, page_info, total }
}
