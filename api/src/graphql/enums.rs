//! GraphQL mirrors of the entity crate's enums (which carry no GraphQL derives,
//! so a new database value never reaches the API by accident).

/// Mirrors an entity enum as a GraphQL enum, with conversions both ways.
#[macro_export]
#[doc(hidden)]
macro_rules! __mirror_enum {
    ($(#[$meta:meta])* $name:ident => $entity:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$entity> for $name {
            fn from(v: $entity) -> Self {
                match v { $(<$entity>::$variant => Self::$variant),+ }
            }
        }

        impl From<$name> for $entity {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => Self::$variant),+ }
            }
        }
    };
}

/// Mirrors an entity enum as a GraphQL enum, with `From` conversions both ways:
/// `mirror_enum! { /// doc  Name => entity::enums::Name { /// doc  A, B } }`.
pub use crate::__mirror_enum as mirror_enum;
