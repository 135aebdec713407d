//! What every ordering input shares.

use async_graphql::Enum;

/// Sort direction.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Ascending (A to Z, oldest first).
    #[default]
    Asc,
    /// Descending.
    Desc,
}
