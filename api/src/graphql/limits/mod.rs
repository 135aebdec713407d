//! Limits on what one document may ask, checked before async-graphql walks it.
//!
//! async-graphql's own checks (depth, complexity) run inside validation, which
//! expands every fragment at every spread (exponential in crafted documents) and
//! counts introspection as a few fields whatever it returns. [`DocumentLimits`]
//! measures the parsed document once, before async-graphql sees it
//! ([`analysis`], memoized per fragment), refuses it past the limits below, and
//! [`AddIntrospectionCost`] adds what introspection really returns
//! ([`introspection`]) to the complexity validation computes.

mod analysis;
mod introspection;
pub mod response;

use std::{
    num::NonZeroUsize,
    sync::{Arc, Mutex},
};

use async_graphql::{
    Request, ServerError, ValidationResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation},
    parser::types::ExecutableDocument,
};

pub use introspection::SchemaTotals;

use super::MAX_COMPLEXITY;
use crate::error::ErrorCode;

/// Deepest nesting of data fields (the schema's `MAX_DEPTH`).
pub const MAX_DEPTH: u64 = super::MAX_DEPTH as u64;
/// Deepest nesting inside `__schema`/`__type`: graphql-js's standard
/// introspection query needs 15 (nine `ofType` levels), one more is spare.
pub const MAX_INTROSPECTION_DEPTH: u64 = 16;
/// Most fields a document may expand to, counting every fragment at every
/// spread and once on its own (as validation visits them). graphql-js's
/// standard introspection query expands to about 470.
pub const MAX_FIELDS: u64 = 5_000;
/// Most aliased fields in a document, fragments expanded.
pub const MAX_ALIASES: u64 = 100;
/// Most fields at the root of an operation, fragments expanded.
pub const MAX_ROOT_FIELDS: u64 = 50;
/// Longest chain of fragments spreading fragments.
pub const MAX_FRAGMENT_NESTING: u64 = 32;

/// True for the fields whose subtrees are introspection.
fn is_introspection_root(name: &str) -> bool {
    matches!(name, "__schema" | "__type")
}

/// Why a document is refused before validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    TooManyFields(u64),
    TooManyAliases(u64),
    TooManyRootFields(u64),
    FragmentsTooNested,
    FragmentCycle(String),
    TooDeep { depth: u64, limit: u64 },
    CircularIntrospection(String),
}

impl Refusal {
    fn code(&self) -> ErrorCode {
        match self {
            Self::TooManyFields(_) | Self::TooManyAliases(_) | Self::TooManyRootFields(_) | Self::FragmentsTooNested => {
                ErrorCode::DocumentTooLarge
            }
            Self::FragmentCycle(_) | Self::TooDeep { .. } | Self::CircularIntrospection(_) => ErrorCode::GraphqlValidationFailed,
        }
    }

    fn message(&self) -> String {
        match self {
            Self::TooManyFields(n) => {
                format!("the document expands to {n} fields (fragments counted at every spread); at most {MAX_FIELDS} are allowed")
            }
            Self::TooManyAliases(n) => format!("the document has {n} aliased fields; at most {MAX_ALIASES} are allowed"),
            Self::TooManyRootFields(n) => format!("an operation selects {n} root fields; at most {MAX_ROOT_FIELDS} are allowed"),
            Self::FragmentsTooNested => format!("fragments spread fragments more than {MAX_FRAGMENT_NESTING} levels deep"),
            Self::FragmentCycle(name) => format!("fragment \"{name}\" spreads itself, directly or through other fragments"),
            Self::TooDeep { depth, limit } => format!("Query is nested too deep: {depth} levels, at most {limit} are allowed"),
            Self::CircularIntrospection(field) => {
                format!("introspection goes round through `{field}`: ask for the schema's types once, as introspection tools do")
            }
        }
    }

    fn into_server_error(self) -> ServerError {
        super::errors::coded_error(self.message(), None, self.code())
    }
}

/// How many parsed documents are kept (clients send the same few again and again).
const CACHED_DOCUMENTS: usize = 256;
/// Longer documents are parsed each time: they are rare, and a parsed document
/// takes several times its text, so this bounds what a client sending many
/// distinct documents can make the cache hold (256 × 8 KiB of text).
const MAX_CACHED_QUERY_BYTES: usize = 8 * 1024;

/// What a document's introspection asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Introspection {
    /// The first `__schema` or `__type` field, if any.
    pub at: Option<async_graphql::Pos>,
    /// What it returns, in complexity points (0 without introspection).
    pub cost: u64,
}

/// A document that passed the limits, parsed, with its introspection.
struct Measured {
    document: ExecutableDocument,
    introspection: Introspection,
}

/// Parsed documents by their exact text, least recently used dropped first.
/// Parsing is a large part of what a small query costs; a document is only
/// cached once it passed the limits, and async-graphql's own checks (depth of
/// recursion, directives, validation) still run on every request.
struct DocumentCache(Mutex<lru::LruCache<String, Arc<Measured>>>);

impl DocumentCache {
    fn new() -> Self {
        Self(Mutex::new(lru::LruCache::new(NonZeroUsize::new(CACHED_DOCUMENTS).unwrap_or(NonZeroUsize::MIN))))
    }

    fn get(&self, query: &str) -> Option<Arc<Measured>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(query).cloned()
    }

    fn put(&self, query: &str, measured: Arc<Measured>) {
        if query.len() <= MAX_CACHED_QUERY_BYTES {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).put(query.to_owned(), measured);
        }
    }
}

/// The checks every document passes before async-graphql executes it, run by
/// [`super::AppSchema::execute`] (for every transport), with the cache of
/// documents that passed them.
pub struct DocumentLimits {
    totals: SchemaTotals,
    cache: DocumentCache,
    introspection_enabled: bool,
}

impl DocumentLimits {
    /// Limits for a schema whose SDL is `sdl` (introspection costs its size);
    /// with `introspection_enabled` false, documents that introspect are refused.
    pub fn new(sdl: &str, introspection_enabled: bool) -> Self {
        Self { totals: SchemaTotals::from_sdl(sdl), cache: DocumentCache::new(), introspection_enabled }
    }

    /// Parses the request's document (or takes it from the cache), refuses it
    /// past the limits, and hands it to the request parsed. Measured here,
    /// before async-graphql's own recursion check, which (like validation)
    /// walks every spread without memoizing.
    pub fn check(&self, request: &mut Request) -> Result<Introspection, ServerError> {
        let measured = match self.cache.get(&request.query) {
            Some(hit) => hit,
            None => {
                let document = async_graphql::parser::parse_query(&request.query).map_err(|e| {
                    let mut error = ServerError::from(e);
                    super::errors::set_code(&mut error, ErrorCode::GraphqlParseFailed);
                    error
                })?;
                let at = super::introspection::first_introspection_field(&document);
                if let Some(pos) = at.filter(|_| !self.introspection_enabled) {
                    return Err(super::introspection::refusal(pos));
                }
                analysis::check(&document).map_err(Refusal::into_server_error)?;
                let cost = introspection::cost(&document, &self.totals).map_err(Refusal::into_server_error)?;
                let measured = Arc::new(Measured { document, introspection: Introspection { at, cost } });
                self.cache.put(&request.query, Arc::clone(&measured));
                measured
            }
        };
        request.set_parsed_query(measured.document.clone());
        Ok(measured.introspection)
    }
}

/// Largest cost of what a document's introspection returns, priced apart
/// from its data (which [`MAX_COMPLEXITY`] bounds): it grows with the
/// schema, and graphql-js's standard introspection query must stay well under
/// it (a test in `introspection.rs` says when to raise it).
pub const MAX_INTROSPECTION_COST: usize = 100_000;

/// Request data: what the document's introspection costs (see [`AddIntrospectionCost`]).
pub struct IntrospectionCost(pub u64);

/// Prices what introspection returns apart from the data async-graphql's
/// validation counts: the introspection past [`MAX_INTROSPECTION_COST`], the
/// rest past [`MAX_COMPLEXITY`], are refused.
/// Registered only on the schema that runs documents with introspection: any
/// extension wraps the resolution of every field, which costs plain queries
/// about a sixth of their server time (bench/README.md).
pub struct AddIntrospectionCost;

impl ExtensionFactory for AddIntrospectionCost {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AddIntrospectionCost)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for AddIntrospectionCost {
    async fn validation(&self, ctx: &ExtensionContext<'_>, next: NextValidation<'_>) -> Result<ValidationResult, Vec<ServerError>> {
        let mut result = next.run(ctx).await?;
        let extra = ctx.data_opt::<IntrospectionCost>().map_or(0, |c| usize::try_from(c.0).unwrap_or(usize::MAX));
        if extra > MAX_INTROSPECTION_COST {
            let message = format!("Query is too complex: its introspection costs {extra}, at most {MAX_INTROSPECTION_COST} is allowed");
            return Err(vec![super::errors::coded_error(message, None, ErrorCode::GraphqlValidationFailed)]);
        }
        if result.complexity > MAX_COMPLEXITY {
            let message = format!(
                "Query is too complex: {} (page sizes and `nodes(ids:)` count), at most {MAX_COMPLEXITY} is allowed",
                result.complexity
            );
            return Err(vec![super::errors::coded_error(message, None, ErrorCode::GraphqlValidationFailed)]);
        }
        result.complexity = result.complexity.saturating_add(extra);
        Ok(result)
    }
}
