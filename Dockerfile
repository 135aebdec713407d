# civic-graph container image.
#
# Build:
#   docker build -t civic-graph .
# Run:
#   docker run -p 8080:8080 \
#     -e DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB \
#     -e REDIS_URL=redis://HOST:6379/ \
#     civic-graph
#
# The image runs in production mode (APP_ENV=production): DATABASE_URL and
# REDIS_URL must then be set explicitly; the embedded defaults (SQLite file,
# in-process cache) are for development only. The server listens on
# BIND=0.0.0.0:8080 and the HEALTHCHECK probes http://127.0.0.1:8080/healthz,
# so keep the port 8080 inside the container if you override BIND.
# Other arguments replace the default `serve` command, e.g.
#   docker run --rm civic-graph --help

# ---------------------------------------------------------------------------
# Builder
# ---------------------------------------------------------------------------
FROM rust:1.95-bookworm AS builder
WORKDIR /src
ENV CARGO_TARGET_DIR=/src/target \
    CARGO_TERM_COLOR=never

# Dependencies first, with stub sources, so that this layer stays cached
# while only the workspace's own code changes.
COPY Cargo.toml Cargo.lock ./
COPY api/Cargo.toml api/Cargo.toml
COPY entity/Cargo.toml entity/Cargo.toml
COPY migration/Cargo.toml migration/Cargo.toml
RUN mkdir -p src api/src entity/src migration/src tests/api \
    && echo 'fn main() {}' > src/main.rs \
    && touch api/src/lib.rs entity/src/lib.rs migration/src/lib.rs tests/api/main.rs \
    && cargo build --release --locked --bin civic-graph

# The real sources. COPY keeps the build context's mtimes, which can be older
# than the stub build above: touch the crate roots so cargo rebuilds the
# workspace crates instead of reusing the stubs.
COPY . .
RUN touch src/main.rs api/src/lib.rs entity/src/lib.rs migration/src/lib.rs \
    && cargo build --release --locked --bin civic-graph \
    && install -m 0755 target/release/civic-graph /usr/local/bin/civic-graph

# ---------------------------------------------------------------------------
# Runtime
# ---------------------------------------------------------------------------
FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 civic \
    && useradd --system --uid 10001 --gid civic \
        --home-dir /var/lib/civic-graph --no-create-home \
        --shell /usr/sbin/nologin civic \
    && mkdir -p /var/lib/civic-graph \
    && chown civic:civic /var/lib/civic-graph

COPY --from=builder /usr/local/bin/civic-graph /usr/local/bin/civic-graph

# The default SQLite file (development mode only) lands here.
WORKDIR /var/lib/civic-graph

ENV BIND=0.0.0.0:8080 \
    APP_ENV=production \
    LOG_FORMAT=json \
    RUST_LOG=info

EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

USER civic

ENTRYPOINT ["/usr/local/bin/civic-graph"]
CMD ["serve"]
