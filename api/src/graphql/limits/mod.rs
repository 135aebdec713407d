//! Limits on what one document may ask, checked before async-graphql walks it.
//!
//! async-graphql's own checks (depth, complexity) run inside validation, which
//! expands every fragment at every spread (exponential in crafted documents) and
//! counts introspection as a few fields whatever it returns. This extension
//! measures the parsed document once (in the `prepare_request` hook) ([`analysis`], memoized per fragment),
//! refuses it past the limits below, and adds what introspection really returns
//! ([`introspection`]) to the complexity validation computes.

mod analysis;
mod introspection;
pub mod response;

use std::{
    num::NonZeroUsize,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use async_graphql::{
    Request, ServerError, ServerResult, ValidationResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation},
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

/// A document that passed the limits, parsed, with what introspection in it costs.
struct Measured {
    document: ExecutableDocument,
    introspection_cost: u64,
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

    fn put(&self, query: &str, measured: Measured) {
        if query.len() <= MAX_CACHED_QUERY_BYTES {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).put(query.to_owned(), Arc::new(measured));
        }
    }
}

/// The extension factory to register on the schema (after `ErrorCodes`).
pub struct DocumentLimits {
    totals: Arc<SchemaTotals>,
    cache: Arc<DocumentCache>,
}

impl DocumentLimits {
    /// Limits for a schema whose SDL is `sdl` (introspection costs its size).
    pub fn new(sdl: &str) -> Self {
        Self { totals: Arc::new(SchemaTotals::from_sdl(sdl)), cache: Arc::new(DocumentCache::new()) }
    }
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentLimitsExtension {
            totals: Arc::clone(&self.totals),
            cache: Arc::clone(&self.cache),
            introspection_cost: AtomicU64::new(0),
        })
    }
}

/// One per request: keeps the introspection cost for the validation hook.
struct DocumentLimitsExtension {
    totals: Arc<SchemaTotals>,
    cache: Arc<DocumentCache>,
    introspection_cost: AtomicU64,
}

#[async_graphql::async_trait::async_trait]
impl Extension for DocumentLimitsExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // A cached document is handed over before the later extensions run,
        // so nothing parses it again.
        let cached = self.cache.get(&request.query);
        if let Some(hit) = &cached {
            request.set_parsed_query(hit.document.clone());
        }
        let mut request = next.run(ctx, request).await?;
        if let Some(hit) = cached {
            self.introspection_cost.store(hit.introspection_cost, Ordering::Relaxed);
            return Ok(request);
        }
        // Measured here, before async-graphql's own recursion check, which
        // (like validation) walks every spread without memoizing. A document
        // that does not parse is left to async-graphql to report.
        if let Ok(doc) = request.parsed_query() {
            analysis::check(doc).map_err(Refusal::into_server_error)?;
            let cost = introspection::cost(doc, &self.totals).map_err(Refusal::into_server_error)?;
            self.introspection_cost.store(cost, Ordering::Relaxed);
            let measured = Measured { document: doc.clone(), introspection_cost: cost };
            self.cache.put(&request.query, measured);
        }
        Ok(request)
    }

    async fn validation(&self, ctx: &ExtensionContext<'_>, next: NextValidation<'_>) -> Result<ValidationResult, Vec<ServerError>> {
        let mut result = next.run(ctx).await?;
        let extra = usize::try_from(self.introspection_cost.load(Ordering::Relaxed)).unwrap_or(usize::MAX);
        result.complexity = result.complexity.saturating_add(extra);
        if result.complexity > MAX_COMPLEXITY {
            let message = format!(
                "Query is too complex: {} (page sizes, `nodes(ids:)` and introspection count), at most {MAX_COMPLEXITY} is allowed",
                result.complexity
            );
            return Err(vec![ServerError::new(message, None)]);
        }
        Ok(result)
    }
}
