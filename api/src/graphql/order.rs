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

/// Declares a list's ordering input (a field and a direction) and its
/// conversion to the service's order (`{ field, ascending }`):
/// `order_input! { /// doc  ThingOrder { field: ThingOrderField } => service::ThingOrder }`.
#[macro_export]
#[doc(hidden)]
macro_rules! __order_input {
    ($(#[$meta:meta])* $name:ident { field: $field:ty } => $service:path) => {
        $(#[$meta])*
        #[derive(async_graphql::InputObject)]
        pub struct $name {
            /// Field to sort by.
            pub field: $field,
            /// Direction (ascending by default).
            #[graphql(default)]
            pub direction: $crate::graphql::order::OrderDirection,
        }

        impl From<$name> for $service {
            fn from(o: $name) -> Self {
                Self { field: o.field.into(), ascending: o.direction == $crate::graphql::order::OrderDirection::Asc }
            }
        }
    };
}

pub use crate::__order_input as order_input;
