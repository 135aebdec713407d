//! The command line, run as a user would: the real binary, its exit codes and output.

use std::process::{Command, Output};

use migration::MigratorTrait;

const BIN: &str = env!("CARGO_BIN_EXE_civic-graph");

fn migration_count() -> usize {
    migration::Migrator::migrations().len()
}

fn run(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("binary runs")
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("civic-graph-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_documents_every_command_and_environment_variable() {
    let dir = temp_dir();
    let out = run(&["--help"], &[], &dir);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for command in ["serve", "worker", "migrate", "seed", "schema"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
    for (name, _, _) in api::config::ENV_VARS {
        assert!(help.contains(name), "{name} missing from --help");
    }
}

#[test]
fn a_wrong_setting_exits_2_with_one_line_naming_the_variable() {
    let dir = temp_dir();
    let out = run(&["migrate", "status"], &[("APP_ENV", "staging")], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("APP_ENV") && !err.contains("panicked"), "{err}");
}

#[test]
fn a_wrong_database_url_is_refused_without_printing_it() {
    let dir = temp_dir();
    let out = run(&["serve"], &[("DATABASE_URL", "mysql://admin:hunter2@db/civic")], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("DATABASE_URL") && !err.contains("hunter2"), "{err}");
}

#[test]
fn production_refuses_to_start_on_embedded_defaults() {
    let dir = temp_dir();
    let out = run(&["serve"], &[("APP_ENV", "production")], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("DATABASE_URL"));
}

#[test]
fn schema_prints_the_sdl() {
    let dir = temp_dir();
    let out = run(&["schema"], &[], &dir);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).trim_end(), api::graphql::sdl().trim_end());
}

#[test]
fn migrations_and_the_demo_seed_work_on_a_fresh_sqlite_file_and_the_seed_is_idempotent() {
    let dir = temp_dir();
    let env = [("DATABASE_URL", "sqlite://cli.db?mode=rwc")];

    let up = run(&["migrate", "up"], &env, &dir);
    assert!(up.status.success(), "{}", text(&up.stderr));
    let status = text(&run(&["migrate", "status"], &env, &dir).stdout);
    assert_eq!(status.lines().filter(|l| l.starts_with("applied")).count(), migration_count(), "{status}");

    let first = run(&["seed", "--demo"], &env, &dir);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("seeded 6 partners and 52 organizations"), "{}", text(&first.stdout));
    let second = run(&["seed", "--demo"], &env, &dir);
    assert!(text(&second.stdout).contains("seeded 0 partners and 0 organizations"), "{}", text(&second.stdout));

    let down = run(&["migrate", "down"], &env, &dir);
    assert!(down.status.success(), "{}", text(&down.stderr));
    let status = text(&run(&["migrate", "status"], &env, &dir).stdout);
    assert_eq!(status.lines().filter(|l| l.starts_with("pending")).count(), 1, "{status}");

    let fresh = run(&["migrate", "fresh"], &env, &dir);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
    let status = text(&run(&["migrate", "status"], &env, &dir).stdout);
    assert_eq!(status.lines().filter(|l| l.starts_with("applied")).count(), migration_count(), "{status}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn worker_runs_due_jobs_without_http_and_stops_on_sigterm() {
    use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
    let dir = temp_dir();
    let url = format!("sqlite://{}?mode=rwc", dir.join("worker.db").display());
    let mut child = Command::new(BIN)
        .args(["worker"])
        .current_dir(&dir)
        .env_clear()
        .env("DATABASE_URL", &url)
        .env("JOBS_POLL_INTERVAL_MS", "50")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // The daily purge is due at first sight: the worker migrates, fires and runs it.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let purged = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        rt.block_on(async {
            let Ok(db) = Database::connect(&url).await else { return false };
            let done = entity::job::Entity::find()
                .filter(entity::job::Column::Kind.eq(api::jobs::PURGE_KIND))
                .filter(entity::job::Column::Status.eq("done"))
                .count(&db)
                .await
                .unwrap_or(0);
            db.close().await.ok();
            done == 1
        })
    });
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("exits");
    assert!(purged, "the worker never ran the purge");
    assert!(status.success(), "a worker stops cleanly on SIGTERM: {status:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn serve_starts_answers_and_stops_gracefully_on_sigterm() {
    let dir = temp_dir();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        listener.local_addr().expect("addr").port()
    };
    let mut child = Command::new(BIN)
        .args(["serve", "--demo"])
        .current_dir(&dir)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", "sqlite://serve.db?mode=rwc")
        .env("RUST_LOG", "warn")
        .env("SHUTDOWN_TIMEOUT_SECS", "5")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut up = false;
    for _ in 0..100 {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("write");
            let mut answer = String::new();
            stream.read_to_string(&mut answer).ok();
            up = answer.starts_with("HTTP/1.1 200");
            if up {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("exits");
    assert!(up, "the server never answered /healthz");
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn admin_create_makes_a_platform_admin_and_prints_a_generated_password_once() {
    let dir = temp_dir();
    let env = [("DATABASE_URL", "sqlite://admin.db?mode=rwc")];
    let out = run(&["admin", "create", "--email", "Root@Example.org"], &env, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("platform admin: Root@Example.org"), "{stdout}");
    let password_line = stdout.lines().find(|l| l.starts_with("password")).expect("a generated password is shown");
    assert!(password_line.rsplit(' ').next().is_some_and(|p| p.len() >= 40), "{password_line}");

    let again = run(
        &["admin", "create", "--email", "root@example.org"],
        &[("DATABASE_URL", "sqlite://admin.db?mode=rwc"), ("ADMIN_PASSWORD", "x")],
        &dir,
    );
    assert!(again.status.success(), "an existing account is kept as it is: {}", text(&again.stderr));
    assert!(!text(&again.stdout).contains("password"), "a given password is never printed");

    let weak = run(
        &["admin", "create", "--email", "new@example.org"],
        &[("DATABASE_URL", "sqlite://admin.db?mode=rwc"), ("ADMIN_PASSWORD", "short")],
        &dir,
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(text(&weak.stderr).contains("password"), "{}", text(&weak.stderr));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn admin_create_on_an_existing_account_never_prints_a_password() {
    let dir = temp_dir();
    let env = [("DATABASE_URL", "sqlite://again.db?mode=rwc"), ("ADMIN_PASSWORD", "correct horse battery staple")];
    assert!(run(&["admin", "create", "--email", "ops@example.org"], &env, &dir).status.success());
    let again = run(&["admin", "create", "--email", "ops@example.org"], &[("DATABASE_URL", "sqlite://again.db?mode=rwc")], &dir);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(!text(&again.stdout).contains("password"), "the generated password is not the account's: {}", text(&again.stdout));
    std::fs::remove_dir_all(&dir).ok();
}

/// POSTs a GraphQL request over a plain TCP connection; returns the body.
fn post(port: u16, query: &str) -> String {
    use std::io::{Read, Write};
    let body = serde_json::json!({ "query": query }).to_string();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default()
}

#[test]
fn passwords_and_tokens_never_reach_the_logs_even_at_debug_level() {
    // Arrange: a server logging everything at debug level, as JSON.
    let dir = temp_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let outbox = dir.join("outbox");
    let child = Command::new(BIN)
        .arg("serve")
        .current_dir(&dir)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", "sqlite://logs.db?mode=rwc")
        .env("RUST_LOG", "debug")
        .env("LOG_FORMAT", "json")
        .env("MAIL_OUTBOX_DIR", &outbox)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let up = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(up, "the server started");

    // Act: every kind of secret goes through the API once.
    let password = "SecretHorseBatteryStaple42";
    post(
        port,
        &format!(r#"mutation {{ signUp(input: {{email: "logs@example.org", password: "{password}"}}) {{ userErrors {{ code }} }} }}"#),
    );
    let login = post(
        port,
        &format!(r#"mutation {{ logIn(input: {{email: "logs@example.org", password: "{password}"}}) {{ accessToken refreshToken }} }}"#),
    );
    let login: serde_json::Value = serde_json::from_str(&login).expect("JSON");
    let access = login["data"]["logIn"]["accessToken"].as_str().expect("access token").to_owned();
    let refresh = login["data"]["logIn"]["refreshToken"].as_str().expect("refresh token").to_owned();
    post(port, &format!(r#"mutation {{ refreshSession(input: {{refreshToken: "{refresh}"}}) {{ accessToken }} }}"#));
    post(port, r#"mutation { requestPasswordReset(input: {email: "logs@example.org"}) { ok } }"#);
    post(port, r#"mutation { logIn(input: {email: "logs@example.org", password: "WrongHorseBatteryStaple42"}) { userErrors { code } } }"#);
    let mails: Vec<String> =
        std::fs::read_dir(&outbox).expect("outbox").filter_map(Result::ok).filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect();
    let mailed: Vec<String> =
        mails.iter().flat_map(|m| m.lines().filter(|l| l.len() == 43).map(str::to_owned).collect::<Vec<_>>()).collect();
    assert_eq!(mailed.len(), 2, "a verification and a reset token were mailed");
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let output = child.wait_with_output().expect("exits");
    let logs = format!("{}{}", text(&output.stdout), text(&output.stderr));

    // Assert
    assert!(logs.contains("logIn") || logs.contains("graphql"), "the logs hold the requests: {}", &logs[..logs.len().min(500)]);
    let secret_part = refresh.split_once('.').map(|(_, s)| s.to_owned()).unwrap_or_default();
    for (what, secret) in [
        ("password", password),
        ("wrong password", "WrongHorseBatteryStaple42"),
        ("access token", &access),
        ("refresh token", &secret_part),
    ] {
        assert!(!logs.contains(secret), "the {what} is in the logs");
    }
    for token in &mailed {
        assert!(!logs.contains(token.as_str()), "an e-mailed token is in the logs");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_shows_the_binarys_description_and_that_production_requires_jwt_secret() {
    let dir = temp_dir();
    let out = run(&["--help"], &[], &dir);
    assert!(out.status.success());
    let help = text(&out.stdout);
    let header = help.lines().next().unwrap_or_default();
    assert_eq!(header, env!("CARGO_PKG_DESCRIPTION"), "the binary's description");
    assert!(!help.contains("settings, HTTP, GraphQL schema"), "the library crate's description: {header}");
    let app_env = help.split("APP_ENV").nth(1).and_then(|rest| rest.split("default:").next()).unwrap_or_default();
    assert!(app_env.contains("JWT_SECRET") && app_env.contains("production"), "APP_ENV's help: {app_env}");
    for name in ["TRUSTED_PROXIES", "INTROSPECTION", "GRAPHIQL", "GRAPHIQL_ASSETS_URL"] {
        assert!(help.contains(name), "{name} missing from --help");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn demo_data_is_refused_in_production_with_exit_2_and_one_line() {
    let dir = temp_dir();
    // Complete production settings; the Redis port is closed, so getting past the
    // refusal to connect anywhere would fail differently (exit 1).
    let secret = "p".repeat(40);
    let env = [
        ("APP_ENV", "production"),
        ("DATABASE_URL", "sqlite://prod.db?mode=rwc"),
        ("REDIS_URL", "redis://127.0.0.1:1/"),
        ("JWT_SECRET", secret.as_str()),
    ];
    for args in [&["seed", "--demo"][..], &["serve", "--demo"][..]] {
        let out = run(args, &env, &dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("--demo") && err.contains("production"), "{err}");
    }
    assert!(!dir.join("prod.db").exists(), "the database was never opened");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unreachable_postgres_fails_within_seconds_naming_the_cause_once() {
    let dir = temp_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    // Nothing listens there once the listener above is dropped.
    let url = format!("postgres://civic:hunter2@127.0.0.1:{port}/civic");
    let started = std::time::Instant::now();
    let out = run(&["migrate", "status"], &[("DATABASE_URL", &url)], &dir);
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(elapsed < std::time::Duration::from_secs(4), "took {elapsed:?}: {err}");
    assert!(err.to_lowercase().contains("connection refused"), "{err}");
    assert!(!err.contains("pool timed out") && !err.contains("hunter2"), "{err}");
    assert_eq!(err.matches("connection refused").count() + err.matches("Connection refused").count(), 1, "printed once: {err}");
    let serve = run(&["serve"], &[("DATABASE_URL", &url)], &dir);
    assert_eq!(serve.status.code(), Some(1));
    let err = text(&serve.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("DATABASE_URL") && err.to_lowercase().contains("connection refused"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
