//! The `civic-graph` binary: everything lives in the `api` crate.

fn main() -> std::process::ExitCode {
    api::cli::run(env!("CARGO_PKG_DESCRIPTION"))
}
