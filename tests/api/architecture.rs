//! The shape DESIGN.md draws, checked on the source: shared machinery
//! (`api/src/auth/`, `api/src/graphql/`, `api/src/domain/`, `pagination.rs`)
//! never names an area module, except the schema assembly (`graphql/mod.rs`),
//! the one file that lists the areas. Areas build their own loaders, fill the
//! node registry and name their connections; scopes come from the policy.

use std::path::{Path, PathBuf};

fn api_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("api").join("src")
}

/// Areas: the folders of `api/src` with a `service.rs`.
fn areas() -> Vec<String> {
    let mut areas: Vec<String> = std::fs::read_dir(api_src())
        .expect("api/src readable")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("service.rs").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    areas.sort();
    areas
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn shared_machinery_names_no_area_outside_the_schema_assembly() {
    let areas = areas();
    assert!(areas.len() >= 9 && areas.iter().any(|a| a == "organizations"), "{areas:?}");
    let root = api_src();
    let mut files = Vec::new();
    for shared in ["auth", "graphql", "domain"] {
        rust_files(&root.join(shared), &mut files);
    }
    files.push(root.join("pagination.rs"));
    let mut naming: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("source readable");
            areas.iter().any(|area| {
                text.match_indices(&format!("{area}::")).any(|(at, _)| {
                    // A whole module name: not the tail of a longer identifier.
                    text[..at].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                })
            })
        })
        .map(|path| path.strip_prefix(&root).expect("under api/src").to_string_lossy().replace('\\', "/"))
        .filter(|name| name != "graphql/mod.rs")
        .collect();
    naming.sort();
    assert_eq!(naming, Vec::<String>::new(), "shared files naming an area module");
}
