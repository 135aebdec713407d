//! The command line: `serve` (default), `worker`, `migrate`, `seed`, `schema`, `admin`.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

use crate::{
    app::{AppState, Application},
    config::{AppEnv, ENV_VARS, LogFormat, Settings},
    db, graphql,
    jobs::Runner,
    seed::{
        self,
        bench::{BenchOutcome, BenchReport, BenchScale},
    },
    telemetry,
};

fn env_help() -> String {
    let mut text = String::from("Environment variables:\n");
    for (name, default, meaning) in ENV_VARS {
        text.push_str(&format!("  {name:<26} {meaning}\n  {:<26} default: {default}\n", ""));
    }
    text
}

// No doc comment and no `about` here: the header of `--help` is the binary's
// package description, given by `main` to `run` (`env!` here would read this
// library crate's, and a doc comment would replace it in `--help`).
#[derive(Parser, Debug)]
#[command(name = "civic-graph", version, after_help = env_help())]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the API (the default): GraphQL at /graphql, GraphiQL at /, probes at /healthz and /readyz.
    #[command(after_help = env_help())]
    Serve {
        /// Seed the demo network first when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply or inspect database migrations.
    #[command(after_help = env_help())]
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Fill the database with data: the demo network, or the benchmark's data set.
    #[command(after_help = env_help(), group = clap::ArgGroup::new("data").required(true).args(["demo", "bench"]))]
    Seed {
        /// The fictional demo network (partners, ~50 organizations). Idempotent.
        #[arg(long)]
        demo: bool,
        /// The benchmark's deterministic data set (bench/README.md): 60 partners in 100
        /// countries, 20,000 organizations at scale 1, accounts whose password it prints.
        /// Into an empty database only; says so when the data is there already.
        #[arg(long)]
        bench: bool,
        /// With --bench: multiplies the organizations, from 0.01 (for tests) to 100.
        #[arg(long, requires = "bench", default_value = "1", value_name = "N")]
        scale: BenchScale,
    },
    /// Run background jobs only (no HTTP) until SIGINT/SIGTERM: for instances
    /// dedicated to jobs when web instances set JOBS_ENABLED=false.
    #[command(after_help = env_help())]
    Worker,
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    Schema,
    /// Manage platform administrators.
    #[command(after_help = env_help())]
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Subcommand, Debug)]
enum AdminAction {
    /// Create a platform admin (or promote an existing account). The password is
    /// read from ADMIN_PASSWORD, or generated and printed once.
    Create {
        /// The admin's e-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "Platform admin")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Revert the last migrations.
    Down {
        /// How many to revert.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
    /// Roll back every migration and apply them all again (destroys data).
    Fresh,
}

/// Runs the command line; returns the process exit code
/// (0 success, 1 runtime failure, 2 bad usage or configuration). `about` is the
/// one-line description `--help` shows (the binary's package description).
pub fn run(about: &'static str) -> ExitCode {
    let cli = match Cli::from_arg_matches(&Cli::command().about(about).get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if let Command::Schema = command {
        print_line(&graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let mut settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("civic-graph: {e}");
            return ExitCode::from(2);
        }
    };
    if settings.env == AppEnv::Production {
        let refused = match command {
            Command::Seed { bench: true, .. } => Some("--bench writes fictional benchmark data"),
            Command::Seed { demo: true, .. } | Command::Serve { demo: true } => Some("--demo writes fictional data"),
            _ => None,
        };
        if let Some(what) = refused {
            eprintln!("civic-graph: {what} and is refused when APP_ENV=production");
            return ExitCode::from(2);
        }
    }
    telemetry::init(&settings);
    if !matches!(command, Command::Serve { .. } | Command::Worker) {
        // Commands other than serve and worker manage migrations themselves.
        settings.migrate_on_start = matches!(command, Command::Seed { .. } | Command::Admin { .. });
    }
    let settings_log_format = settings.log_format;
    let result = actix_web::rt::System::new().block_on(execute(command, settings));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Pretty logs already go to stderr: print the failure there once.
            // JSON logs go to stdout for a shipper, which gets it as an event too.
            if settings_log_format == LogFormat::Json {
                tracing::error!("{message}");
            }
            eprintln!("civic-graph: {message}");
            ExitCode::from(1)
        }
    }
}

fn print_line(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error worth a panic.
    let _ = writeln!(out, "{}", text.trim_end());
}

async fn execute(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::Serve { demo } => {
            let state = AppState::connect(&settings).await.map_err(|e| e.to_string())?;
            if demo && seed::is_empty(&state.db).await.map_err(|e| e.to_string())? {
                let report = seed::seed_demo(&state.db, &state.evidence).await.map_err(|e| e.to_string())?;
                tracing::info!(partners = report.partners_created, organizations = report.organizations_created, "seeded the demo network");
            }
            if demo && settings.env == crate::config::AppEnv::Development {
                let accounts = seed::seed_demo_accounts(&state.db).await.map_err(|e| e.to_string())?;
                // Printed, not logged: these are demo passwords, never real ones.
                print_line(&format!("Demo accounts (development only), password {}:", seed::DEMO_PASSWORD));
                for (email, what) in accounts {
                    print_line(&format!("  {email:<40} {what}"));
                }
            }
            let app = Application::with_state(&settings, state).map_err(|e| e.to_string())?;
            tracing::info!(address = %settings.bind.ip(), port = app.port(), "civic-graph listening: GraphiQL at http://{}:{}/", settings.bind.ip(), app.port());
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
        Command::Migrate { action } => {
            let (conn, _) = db::connect(&settings).await.map_err(|e| format!("cannot connect to the database (DATABASE_URL): {e}"))?;
            match action {
                MigrateAction::Up => Migrator::up(&conn, None).await,
                MigrateAction::Down { steps } => Migrator::down(&conn, Some(steps)).await,
                // Every migration has a real `down`: rolling all back in order keeps
                // foreign keys satisfied (SeaORM's `fresh` drops tables in any order,
                // which SQLite refuses once rows reference each other).
                MigrateAction::Fresh => match Migrator::reset(&conn).await {
                    Ok(()) => Migrator::up(&conn, None).await,
                    Err(e) => Err(e),
                },
                MigrateAction::Status => {
                    let applied = Migrator::get_applied_migrations(&conn).await.map_err(|e| e.to_string())?;
                    let pending = Migrator::get_pending_migrations(&conn).await.map_err(|e| e.to_string())?;
                    for m in applied {
                        print_line(&format!("applied  {}", m.name()));
                    }
                    for m in pending {
                        print_line(&format!("pending  {}", m.name()));
                    }
                    Ok(())
                }
            }
            .map_err(|e| format!("migration failed: {e}"))
        }
        Command::Seed { bench: true, scale, .. } => {
            let state = AppState::connect(&settings).await.map_err(|e| e.to_string())?;
            let started = std::time::Instant::now();
            match seed::bench::seed_bench(&state.db, scale).await.map_err(seed_failure)? {
                BenchOutcome::AlreadySeeded { version, scale } => {
                    print_line(&format!("the database holds the benchmark data v{version} at scale {scale} already: nothing to do"));
                }
                BenchOutcome::Seeded(report) => print_bench_report(&report, started.elapsed()),
            }
            Ok(())
        }
        Command::Seed { .. } => {
            let state = AppState::connect(&settings).await.map_err(|e| e.to_string())?;
            let report = seed::seed_demo(&state.db, &state.evidence).await.map_err(|e| e.to_string())?;
            print_line(&format!(
                "seeded {} partners and {} organizations (existing records left alone)",
                report.partners_created, report.organizations_created
            ));
            Ok(())
        }
        Command::Admin { action: AdminAction::Create { email, name } } => {
            let state = AppState::connect(&settings).await.map_err(|e| e.to_string())?;
            let (password, generated) = match std::env::var("ADMIN_PASSWORD").ok().filter(|p| !p.is_empty()) {
                Some(p) => (p, false),
                None => (crate::auth::tokens::random_token(), true),
            };
            match crate::accounts::service::ensure_user_at(&state.db, &state.clock, &email, password.clone(), &name, true).await {
                Ok((user, created)) => {
                    print_line(&format!("platform admin: {}", user.email));
                    if generated && created {
                        print_line(&format!("password (shown once, change it with changePassword): {password}"));
                    }
                    Ok(())
                }
                Err(crate::user_errors::WriteError::Invalid(errors)) => Err(errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field.last().map(String::as_str).unwrap_or("input"), e.message))
                    .collect::<Vec<_>>()
                    .join("; ")),
                // The operator sees the cause (a client never would).
                Err(crate::user_errors::WriteError::Api(e)) => Err(crate::error::cause_chain(&e)),
            }
        }
        Command::Worker => {
            let state = AppState::connect(&settings).await.map_err(|e| e.to_string())?;
            let runner = Runner::new(state.db.clone(), state.clock.clone(), state.jobs()).spawn(settings.jobs_poll_interval);
            shutdown_signal().await;
            tracing::info!("stopping: finishing the job in hand");
            runner.stop().await;
            Ok(())
        }
        Command::Schema => Ok(()),
    }
}

/// A failed seed as the operator should read it (with its causes).
fn seed_failure(err: seed::SeedError) -> String {
    match err {
        seed::SeedError::Api(e) => crate::error::cause_chain(&e),
        other => other.to_string(),
    }
}

fn print_bench_report(r: &BenchReport, took: std::time::Duration) {
    let (public, network, hidden) = r.visibilities;
    print_line(&format!(
        "seeded the benchmark data v{} at scale {} in {:.1} s: {} partners serving {} countries, {} organizations ({public} public, {network} network-only, {hidden} hidden), {} accounts with {} roles, {} validation cases under {} criteria, {} donors, {} programs, {} donation requests, {} trainings with {} sessions and {} registrations",
        r.version,
        r.scale,
        took.as_secs_f64(),
        r.partners,
        r.countries,
        r.organizations,
        r.accounts,
        r.memberships,
        r.validations,
        r.validation_criteria,
        r.donors,
        r.programs,
        r.donation_requests,
        r.trainings.trainings,
        r.trainings.sessions,
        r.trainings.registrations
    ));
    // Printed, not logged: fictional accounts for load tests, never real ones.
    print_line(&format!("benchmark accounts (fictional; password {}):", seed::bench::BENCH_PASSWORD));
    let domain = seed::bench::BENCH_EMAIL_DOMAIN;
    for (email, what) in [
        (format!("admin@{domain}"), "platform admin".to_owned()),
        (format!("admin-NN@{domain}"), format!("admin of partner NN (01 to {:02})", r.partners)),
        (
            format!("validator-NN@{domain}"),
            format!("validator of partner NN; partner 01 serves {}, the largest country", r.largest_country),
        ),
        (format!("programs-NN@{domain}"), "program manager of partner NN".to_owned()),
        (format!("owner-NNNNN@{domain}"), "owner of every 20th organization (00001 on)".to_owned()),
        (format!("member-NNNNN@{domain}"), "member of every 100th organization (00001 on)".to_owned()),
    ] {
        print_line(&format!("  {email:<40} {what}"));
    }
}

/// Waits for SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    // Without a SIGTERM handler, SIGINT alone; if even that fails, stop now.
    tokio::signal::ctrl_c().await.ok();
}
