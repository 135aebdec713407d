//! One pass over a parsed document, memoized per fragment, that measures what
//! validation and execution would walk: async-graphql's validation re-expands a
//! fragment at every spread, so a document whose fragments spread the previous
//! one twice costs 2^levels. Here each fragment is measured once, with saturating
//! arithmetic, and cycles are refused instead of recursed into.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, FragmentDefinition, Selection, SelectionSet};
use async_graphql::{Name, Positioned};

use super::{
    MAX_ALIASES, MAX_DEPTH, MAX_FIELDS, MAX_FRAGMENT_NESTING, MAX_INTROSPECTION_DEPTH, MAX_ROOT_FIELDS, Refusal, is_introspection_root,
};

/// What a selection set (or a fragment) expands to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Measure {
    /// Fields, every spread expanded.
    pub fields: u64,
    /// Aliased fields, every spread expanded.
    pub aliases: u64,
    /// Fields at the top level of the set (through spreads and inline fragments).
    pub top_fields: u64,
    /// Deepest path of fields.
    pub depth: u64,
    /// Deepest path of fields that does not enter `__schema` or `__type`.
    pub data_depth: u64,
    /// Longest chain of fragment spreads.
    pub spread_height: u64,
}

impl Measure {
    /// Adds what a spread or an inline fragment contributes at the same level.
    fn merge(&mut self, other: Measure) {
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.top_fields = self.top_fields.saturating_add(other.top_fields);
        self.depth = self.depth.max(other.depth);
        self.data_depth = self.data_depth.max(other.data_depth);
        self.spread_height = self.spread_height.max(other.spread_height);
    }
}

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

struct Analyzer<'a> {
    fragments: &'a Fragments,
    memo: HashMap<&'a str, Measure>,
    in_progress: HashSet<&'a str>,
}

impl<'a> Analyzer<'a> {
    fn fragment(&mut self, name: &'a str, spread_depth: u64) -> Result<Measure, Refusal> {
        if let Some(measure) = self.memo.get(name) {
            return Ok(*measure);
        }
        if self.in_progress.contains(name) {
            return Err(Refusal::FragmentCycle(name.to_owned()));
        }
        // Checked on the way down too, so the recursion itself stays shallow.
        if spread_depth > MAX_FRAGMENT_NESTING {
            return Err(Refusal::FragmentsTooNested);
        }
        // An unknown fragment measures nothing: validation names it.
        let Some(definition) = self.fragments.get(name) else {
            return Ok(Measure::default());
        };
        self.in_progress.insert(name);
        let mut measure = self.selection_set(&definition.node.selection_set.node, spread_depth)?;
        self.in_progress.remove(name);
        measure.spread_height = measure.spread_height.saturating_add(1);
        if measure.spread_height > MAX_FRAGMENT_NESTING {
            return Err(Refusal::FragmentsTooNested);
        }
        self.memo.insert(name, measure);
        Ok(measure)
    }

    fn selection_set(&mut self, set: &'a SelectionSet, spread_depth: u64) -> Result<Measure, Refusal> {
        let mut total = Measure::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let child = self.selection_set(&field.selection_set.node, spread_depth)?;
                    total.fields = total.fields.saturating_add(child.fields).saturating_add(1);
                    total.aliases = total.aliases.saturating_add(child.aliases).saturating_add(u64::from(field.alias.is_some()));
                    total.top_fields = total.top_fields.saturating_add(1);
                    total.depth = total.depth.max(child.depth.saturating_add(1));
                    if !is_introspection_root(field.name.node.as_str()) {
                        total.data_depth = total.data_depth.max(child.data_depth.saturating_add(1));
                    }
                    total.spread_height = total.spread_height.max(child.spread_height);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    total.merge(self.fragment(name, spread_depth.saturating_add(1))?);
                }
                Selection::InlineFragment(inline) => {
                    total.merge(self.selection_set(&inline.node.selection_set.node, spread_depth)?);
                }
            }
        }
        Ok(total)
    }
}

/// Measures every operation and fragment of `doc` once and refuses a document
/// past any limit.
pub(super) fn check(doc: &ExecutableDocument) -> Result<(), Refusal> {
    let mut analyzer = Analyzer { fragments: &doc.fragments, memo: HashMap::new(), in_progress: HashSet::new() };
    // Validation visits every fragment definition on its own as well as at
    // every spread, so both count.
    let mut fields: u64 = 0;
    for name in doc.fragments.keys() {
        fields = fields.saturating_add(analyzer.fragment(name.as_str(), 1)?.fields);
    }
    let mut aliases: u64 = 0;
    let mut widest = Measure::default();
    for (_, operation) in doc.operations.iter() {
        let measure = analyzer.selection_set(&operation.node.selection_set.node, 0)?;
        fields = fields.saturating_add(measure.fields);
        aliases = aliases.saturating_add(measure.aliases);
        widest.top_fields = widest.top_fields.max(measure.top_fields);
        widest.data_depth = widest.data_depth.max(measure.data_depth);
        widest.depth = widest.depth.max(measure.depth);
    }
    // The total first: it is what bounds the work of every later step.
    if fields > MAX_FIELDS {
        return Err(Refusal::TooManyFields(fields));
    }
    if aliases > MAX_ALIASES {
        return Err(Refusal::TooManyAliases(aliases));
    }
    if widest.top_fields > MAX_ROOT_FIELDS {
        return Err(Refusal::TooManyRootFields(widest.top_fields));
    }
    if widest.data_depth > MAX_DEPTH {
        return Err(Refusal::TooDeep { depth: widest.data_depth, limit: MAX_DEPTH });
    }
    if widest.depth > MAX_INTROSPECTION_DEPTH {
        return Err(Refusal::TooDeep { depth: widest.depth, limit: MAX_INTROSPECTION_DEPTH });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn checked(query: &str) -> Result<(), Refusal> {
        check(&parse_query(query).expect("parses"))
    }

    /// Level 0 spreads nothing; level n spreads level n-1 twice.
    fn bomb(levels: usize) -> String {
        let mut doc = String::from("query { ...F0 } fragment F0 on QueryRoot { __typename }");
        for level in 1..=levels {
            doc.push_str(&format!(" fragment F{level} on QueryRoot {{ ...F{p} ...F{p} }}", p = level - 1));
        }
        doc.replace("query { ...F0 }", &format!("query {{ ...F{levels} }}"))
    }

    #[test]
    fn a_doubling_fragment_chain_is_measured_once_per_fragment_and_refused() {
        let started = std::time::Instant::now();
        // Fragments alone: 2^31 - 1 fields; the operation: 2^30 more.
        assert_eq!(checked(&bomb(30)), Err(Refusal::TooManyFields(3_221_225_471)));
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        assert!(checked(&bomb(5)).is_ok());
    }

    #[test]
    fn fragment_cycles_are_refused_not_recursed() {
        assert_eq!(checked("{ ...A } fragment A on Q { ...A }"), Err(Refusal::FragmentCycle("A".to_owned())));
        assert!(matches!(
            checked("{ ...A } fragment A on Q { x { ...B } } fragment B on X { y { ...A } }"),
            Err(Refusal::FragmentCycle(_))
        ));
    }

    #[test]
    fn long_fragment_chains_are_refused_in_any_order() {
        let mut doc = String::from("{ ...F0 }");
        for i in 0..200 {
            doc.push_str(&format!(" fragment F{i} on Q {{ a ...F{} }}", i + 1));
        }
        doc.push_str(" fragment F200 on Q { a }");
        assert_eq!(checked(&doc), Err(Refusal::FragmentsTooNested));
    }

    #[test]
    fn aliases_root_fields_and_depth_count_after_expansion() {
        let aliases: String = (0..=MAX_ALIASES).map(|i| format!(" a{i}: x")).collect();
        assert_eq!(checked(&format!("{{ y {{ ...F }} }} fragment F on Y {{{aliases} }}")), Err(Refusal::TooManyAliases(MAX_ALIASES + 1)));
        let roots: String = (0..=MAX_ROOT_FIELDS).map(|i| format!(" f{i}")).collect();
        assert_eq!(checked(&format!("{{ ...F }} fragment F on Q {{{roots} }}")), Err(Refusal::TooManyRootFields(MAX_ROOT_FIELDS + 1)));
        let nested = |n: usize| format!("{}x{}", "a { ".repeat(n - 1), " }".repeat(n - 1));
        assert!(checked(&format!("{{ {} }}", nested(12))).is_ok());
        assert_eq!(checked(&format!("{{ {} }}", nested(13))), Err(Refusal::TooDeep { depth: 13, limit: MAX_DEPTH }));
        assert!(checked(&format!("{{ __schema {{ {} }} }}", nested(15))).is_ok());
        assert_eq!(
            checked(&format!("{{ __type(name: \"Q\") {{ {} }} }}", nested(MAX_INTROSPECTION_DEPTH as usize))),
            Err(Refusal::TooDeep { depth: MAX_INTROSPECTION_DEPTH + 1, limit: MAX_INTROSPECTION_DEPTH })
        );
    }
}
