//! Parse, don't validate: small value types with a `parse` returning `Result`.
//! Past the edge the code trusts them.

pub mod country;
pub mod money;
pub mod text;

pub use country::CountryCode;
pub use money::{CurrencyCode, Money};
