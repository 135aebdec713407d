//! What introspection costs. async-graphql counts `__schema { types { ... } }` as
//! a handful of fields whatever the schema's size, so 2,000 aliases of it fit the
//! complexity limit and answer 100 MB. Here every field under `__schema` or
//! `__type` costs as many values as it can produce: the schema's real count of
//! the list it sits in (all types, all fields, all arguments...).
//!
//! Only the shape tools use is allowed: at most one of `types`/`directives`,
//! then one type-level list (`fields`, `inputFields`, `interfaces`,
//! `possibleTypes`, `enumValues`), then `args`. A path that goes round
//! (`fields { type { fields { type ... } } }`) multiplies with every turn and is
//! refused: no introspection tool asks for it.

use std::collections::HashMap;

use async_graphql::parser::types::{BaseType, ExecutableDocument, Selection, SelectionSet, Type, TypeKind, TypeSystemDefinition};

use super::{Refusal, is_introspection_root};

/// Introspection lists, in the order a path may enter them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum List {
    /// Not in a list yet.
    None,
    Types,
    Directives,
    Fields,
    InputFields,
    Interfaces,
    PossibleTypes,
    EnumValues,
    FieldArgs,
    DirectiveArgs,
}

/// How many values each introspection list holds in the whole schema.
#[derive(Clone, Debug, Default)]
pub struct SchemaTotals {
    types: u64,
    directives: u64,
    fields: u64,
    input_fields: u64,
    interfaces: u64,
    possible_types: u64,
    enum_values: u64,
    field_args: u64,
    directive_args: u64,
    /// Most wrappers (`!`, `[]`) around one type: `ofType` deeper is null.
    max_wrapping: u64,
}

/// The introspection types themselves (not in the SDL): 8 types, their 38
/// fields, 6 arguments, 27 enum values; 5 built-in scalars; 5 built-in
/// directives with 4 arguments. Rounded up.
const BUILT_IN: SchemaTotals = SchemaTotals {
    types: 16,
    directives: 6,
    fields: 40,
    input_fields: 0,
    interfaces: 0,
    possible_types: 0,
    enum_values: 30,
    field_args: 8,
    directive_args: 6,
    max_wrapping: 3,
};

fn wrapping(ty: &Type) -> u64 {
    let own = u64::from(!ty.nullable);
    match &ty.base {
        BaseType::Named(_) => own,
        BaseType::List(inner) => own + 1 + wrapping(inner),
    }
}

impl SchemaTotals {
    /// Counts a schema from its SDL (built-in and introspection types added).
    pub fn from_sdl(sdl: &str) -> Self {
        let mut totals = BUILT_IN;
        let Ok(doc) = async_graphql::parser::parse_schema(sdl) else {
            return totals;
        };
        for definition in &doc.definitions {
            match definition {
                TypeSystemDefinition::Schema(_) => {}
                TypeSystemDefinition::Directive(d) => {
                    totals.directives += 1;
                    totals.directive_args += d.node.arguments.len() as u64;
                }
                TypeSystemDefinition::Type(t) => {
                    totals.types += 1;
                    let fields = match &t.node.kind {
                        TypeKind::Scalar => &[][..],
                        TypeKind::Object(o) => {
                            totals.interfaces += o.implements.len() as u64;
                            totals.possible_types += o.implements.len() as u64;
                            &o.fields[..]
                        }
                        TypeKind::Interface(i) => {
                            totals.interfaces += i.implements.len() as u64;
                            &i.fields[..]
                        }
                        TypeKind::Union(u) => {
                            totals.possible_types += u.members.len() as u64;
                            &[][..]
                        }
                        TypeKind::Enum(e) => {
                            totals.enum_values += e.values.len() as u64;
                            &[][..]
                        }
                        TypeKind::InputObject(i) => {
                            totals.input_fields += i.fields.len() as u64;
                            for f in &i.fields {
                                totals.max_wrapping = totals.max_wrapping.max(wrapping(&f.node.ty.node));
                            }
                            &[][..]
                        }
                    };
                    totals.fields += fields.len() as u64;
                    for f in fields {
                        totals.field_args += f.node.arguments.len() as u64;
                        totals.max_wrapping = totals.max_wrapping.max(wrapping(&f.node.ty.node));
                        for a in &f.node.arguments {
                            totals.max_wrapping = totals.max_wrapping.max(wrapping(&a.node.ty.node));
                        }
                    }
                }
            }
        }
        totals
    }

    fn count(&self, list: List) -> u64 {
        match list {
            List::None => 1,
            List::Types => self.types,
            List::Directives => self.directives,
            List::Fields => self.fields,
            List::InputFields => self.input_fields,
            List::Interfaces => self.interfaces,
            List::PossibleTypes => self.possible_types,
            List::EnumValues => self.enum_values,
            List::FieldArgs => self.field_args,
            List::DirectiveArgs => self.directive_args,
        }
        .max(1)
    }
}

/// Where a selection sits: at the operation's root, or inside introspection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Place {
    Root,
    Introspection { list: List, of_type: u64 },
}

/// The list a field enters, or a refusal when the path goes round.
fn enter(list: List, field: &str) -> Result<List, Refusal> {
    let type_level = match field {
        "types" | "directives" => {
            return match list {
                List::None => Ok(if field == "types" { List::Types } else { List::Directives }),
                _ => Err(Refusal::CircularIntrospection(field.to_owned())),
            };
        }
        "fields" => List::Fields,
        "inputFields" => List::InputFields,
        "interfaces" => List::Interfaces,
        "possibleTypes" => List::PossibleTypes,
        "enumValues" => List::EnumValues,
        "args" => {
            return match list {
                List::Directives => Ok(List::DirectiveArgs),
                List::None | List::Types | List::Fields => Ok(List::FieldArgs),
                _ => Err(Refusal::CircularIntrospection(field.to_owned())),
            };
        }
        _ => return Ok(list),
    };
    match list {
        List::None | List::Types => Ok(type_level),
        _ => Err(Refusal::CircularIntrospection(field.to_owned())),
    }
}

struct Coster<'a> {
    doc: &'a ExecutableDocument,
    totals: &'a SchemaTotals,
    memo: HashMap<(&'a str, Place), u64>,
}

impl<'a> Coster<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet, place: Place) -> Result<u64, Refusal> {
        let mut cost: u64 = 0;
        for item in &set.items {
            let part = match &item.node {
                Selection::Field(field) => self.field(&field.node.name.node, &field.node.selection_set.node, place)?,
                Selection::InlineFragment(inline) => self.selection_set(&inline.node.selection_set.node, place)?,
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    match self.memo.get(&(name, place)) {
                        Some(cost) => *cost,
                        None => {
                            // Cycles and chain length were refused by `analysis` first.
                            let part = match self.doc.fragments.get(name) {
                                Some(fragment) => self.selection_set(&fragment.node.selection_set.node, place)?,
                                None => 0,
                            };
                            self.memo.insert((name, place), part);
                            part
                        }
                    }
                }
            };
            cost = cost.saturating_add(part);
        }
        Ok(cost)
    }

    fn field(&mut self, name: &str, children: &'a SelectionSet, place: Place) -> Result<u64, Refusal> {
        match place {
            // async-graphql counts data fields; only introspection is added here.
            Place::Root if is_introspection_root(name) => {
                let inside = Place::Introspection { list: List::None, of_type: 0 };
                Ok(self.selection_set(children, inside)?.saturating_add(1))
            }
            Place::Root => Ok(0),
            Place::Introspection { list, of_type } => {
                let values = self.totals.count(list);
                let of_type = match name {
                    "ofType" => of_type.saturating_add(1),
                    "type" => 0,
                    _ => of_type,
                };
                if of_type > self.totals.max_wrapping {
                    // Past the deepest wrapping, `ofType` is null.
                    return Ok(values);
                }
                let inside = Place::Introspection { list: enter(list, name)?, of_type };
                Ok(self.selection_set(children, inside)?.saturating_add(values))
            }
        }
    }
}

/// The cost of every introspection field of every operation, fragments expanded.
pub(super) fn cost(doc: &ExecutableDocument, totals: &SchemaTotals) -> Result<u64, Refusal> {
    let mut coster = Coster { doc, totals, memo: HashMap::new() };
    let mut cost: u64 = 0;
    for (_, operation) in doc.operations.iter() {
        cost = cost.saturating_add(coster.selection_set(&operation.node.selection_set.node, Place::Root)?);
    }
    Ok(cost)
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    const SDL: &str = "type Query { a(x: Int, y: [ID!]!): A! b: [A!]! } type A implements N { id: ID! n: Int } interface N { id: ID! }
        enum E { X Y Z } input I { p: Int q: String } directive @d(r: Int) on FIELD";

    fn cost_of(query: &str) -> Result<u64, Refusal> {
        cost(&parse_query(query).expect("parses"), &SchemaTotals::from_sdl(SDL))
    }

    #[test]
    fn the_schema_is_counted_with_the_built_in_types() {
        let totals = SchemaTotals::from_sdl(SDL);
        assert_eq!(totals.types, BUILT_IN.types + 5);
        assert_eq!(totals.fields, BUILT_IN.fields + 5);
        assert_eq!(totals.field_args, BUILT_IN.field_args + 2);
        assert_eq!(totals.enum_values, BUILT_IN.enum_values + 3);
        assert_eq!((totals.interfaces, totals.possible_types, totals.input_fields), (1, 1, 2));
        assert_eq!(totals.max_wrapping, 3);
    }

    #[test]
    fn each_introspection_field_costs_what_its_list_can_hold() {
        let totals = SchemaTotals::from_sdl(SDL);
        assert_eq!(cost_of("{ a { id } __typename }"), Ok(0), "data fields are async-graphql's to count");
        assert_eq!(cost_of("{ __schema { types { name } } }"), Ok(1 + 1 + totals.types));
        assert_eq!(cost_of("{ __schema { types { fields { name } } } }"), Ok(1 + 1 + totals.types + totals.fields));
        let two = cost_of("{ x: __schema { types { name } } y: __schema { types { name } } }");
        assert_eq!(two, Ok(2 * (2 + totals.types)), "aliases pay again");
        let via_fragment = cost_of("{ __schema { types { ...T } } } fragment T on __Type { name }");
        assert_eq!(via_fragment, Ok(1 + 1 + totals.types));
    }

    #[test]
    fn of_type_past_the_deepest_wrapping_costs_its_null_only() {
        let deep = cost_of("{ __type(name: \"A\") { ofType { ofType { ofType { ofType { ofType { name } } } } } } }");
        assert_eq!(deep, Ok(1 + 3 + 1), "the fourth ofType is null: it costs one value, nothing below it");
    }

    #[test]
    fn circular_introspection_is_refused() {
        let circular = cost_of("{ __schema { types { fields { type { fields { name } } } } } }");
        assert_eq!(circular, Err(Refusal::CircularIntrospection("fields".to_owned())));
        assert!(cost_of("{ __type(name: \"A\") { interfaces { possibleTypes { name } } } }").is_err());
        assert!(cost_of("{ __schema { directives { args { type { name ofType { name } } } } } }").is_ok());
    }
}

#[cfg(test)]
mod schema_tests {
    use async_graphql::parser::parse_query;

    use super::*;

    #[test]
    fn graphql_js_standard_introspection_costs_well_under_the_complexity_limit() {
        let totals = SchemaTotals::from_sdl(&crate::graphql::sdl());
        assert!(totals.types > 50 && totals.fields > 100, "the real schema is counted: {totals:?}");
        let query = include_str!("../../../../tests/fixtures/graphql-js-16-introspection-query.graphql");
        let cost = cost(&parse_query(query).expect("parses"), &totals).expect("the standard shape");
        // When the schema outgrows this, raise MAX_INTROSPECTION_COST.
        assert!(cost < (super::super::MAX_INTROSPECTION_COST / 2) as u64, "{cost} for {totals:?}");
    }
}
