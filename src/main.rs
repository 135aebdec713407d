//! The `civic-graph` binary: everything lives in the `api` crate.

/// mimalloc instead of glibc's allocator: a profile of a page of 50
/// organizations spent about 30 % of the server's time in malloc, free and
/// their consolidation (`bench/README.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    api::cli::run(env!("CARGO_PKG_DESCRIPTION"))
}
