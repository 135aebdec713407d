//! Refuses introspection with a clear error when it is disabled. async-graphql's
//! `disable_introspection` alone answers `{"__schema": null}` without an error,
//! which tools (and people) read as a broken server rather than a policy.

use async_graphql::{
    Pos, ServerError,
    parser::types::{ExecutableDocument, Selection},
};

use crate::error::ErrorCode;

/// The refusal of a document that introspects where introspection is off.
pub fn refusal(pos: Pos) -> ServerError {
    super::errors::coded_error("introspection (__schema, __type) is disabled on this server", Some(pos), ErrorCode::GraphqlValidationFailed)
}

/// Where the document selects `__schema` or `__type`, if it does. Each selection
/// set is visited once (fragment spreads are not followed: their definitions are
/// visited themselves), so the walk is linear in the document's size.
pub fn first_introspection_field(document: &ExecutableDocument) -> Option<Pos> {
    let mut stack: Vec<_> = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set)
        .chain(document.fragments.values().map(|f| &f.node.selection_set))
        .collect();
    while let Some(set) = stack.pop() {
        for selection in &set.node.items {
            match &selection.node {
                Selection::Field(field) => {
                    if matches!(field.node.name.node.as_str(), "__schema" | "__type") {
                        return Some(field.pos);
                    }
                    stack.push(&field.node.selection_set);
                }
                Selection::InlineFragment(inline) => stack.push(&inline.node.selection_set),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str) -> bool {
        first_introspection_field(&async_graphql::parser::parse_query(query).expect("parses")).is_some()
    }

    #[test]
    fn introspection_is_found_anywhere_in_a_document() {
        assert!(finds("{ __schema { types { name } } }"));
        assert!(finds(r#"{ __type(name: "Organization") { name } }"#));
        assert!(finds("query { ...F } fragment F on QueryRoot { ... on QueryRoot { s: __schema { queryType { name } } } }"));
        assert!(finds("query A { __typename } query B { __schema { description } }"));
        assert!(!finds("{ __typename countries { code __typename } }"));
    }
}
