//! Startup and shutdown: load or seed the account, bind, print the address, serve until SIGINT/SIGTERM,
//! then save what is pending.

use crate::account::Account;
use crate::cli::Args;
use crate::conn;
use crate::fixture::{self, SeedSecret, DEMO_SEED};
use crate::http::{self, AppState};
use crate::ids::RequestIds;
use crate::log::RequestLog;
use crate::persist::{self, DataLock, Db};
use crate::ratelimit::RateLimiter;
use crate::store::Store;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// How often `lastUsed` stamps are written to disk.
const LAST_USED_FLUSH: Duration = Duration::from_secs(1);

/// Why the emulator could not start.
#[derive(Debug)]
pub struct StartupError(pub String);

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartupError {}

fn seed_account(args: &Args) -> Result<(Account, Vec<SeedSecret>, bool), StartupError> {
    let (text, is_demo) = match (&args.fixture, args.seed.as_deref()) {
        (Some(path), _) => (
            std::fs::read_to_string(path).map_err(|e| {
                StartupError(format!("cannot read fixture {}: {e}", path.display()))
            })?,
            false,
        ),
        (None, Some("demo")) => (DEMO_SEED.to_owned(), true),
        (None, Some(other)) => {
            return Err(StartupError(format!(
                "unknown seed {other:?}: the built-in seed is \"demo\""
            )))
        }
        (None, None) => {
            return Err(StartupError(
                "nothing to serve: give --fixture FILE or --seed demo (or a --data directory that already holds an account)".into(),
            ))
        }
    };
    let seeded = fixture::load(&text, is_demo).map_err(|e| {
        let source = args
            .fixture
            .as_ref()
            .map_or_else(|| "demo seed".to_owned(), |p| p.display().to_string());
        StartupError(format!("invalid fixture {source}: {e}"))
    })?;
    Ok((seeded.account, seeded.secrets, is_demo))
}

/// Opens the data directory (locking it), resuming its account or seeding it.
fn open_store(
    args: &Args,
) -> Result<(Store, Option<DataLock>, Vec<SeedSecret>, bool), StartupError> {
    let Some(dir) = &args.data else {
        let (account, secrets, demo) = seed_account(args)?;
        return Ok((
            Store::new(account, None, args.service_token_limit),
            None,
            secrets,
            demo,
        ));
    };
    let lock = persist::lock_dir(dir).map_err(|e| StartupError(e.0))?;
    let mut db = Db::open(dir).map_err(|e| StartupError(e.0))?;
    match db.load().map_err(|e| StartupError(e.0))? {
        Some(account) => {
            if args.fixture.is_some() || args.seed.is_some() {
                eprintln!(
                    "resuming the account saved in {} (the fixture/seed is used only for an empty directory)",
                    db.path().display()
                );
            }
            Ok((
                Store::new(account, Some(db), args.service_token_limit),
                Some(lock),
                Vec::new(),
                false,
            ))
        }
        None => {
            let (account, secrets, demo) = seed_account(args)?;
            db.save_account(&account).map_err(|e| StartupError(e.0))?;
            Ok((
                Store::new(account, Some(db), args.service_token_limit),
                Some(lock),
                secrets,
                demo,
            ))
        }
    }
}

fn print_secrets(secrets: &[SeedSecret], demo: bool) {
    if secrets.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let heading = if demo {
        "demo secrets"
    } else {
        "generated secrets"
    };
    let _ = writeln!(out, "{heading} (for local use only; never ship a token secret to a browser you do not control):");
    for s in secrets {
        let _ = writeln!(
            out,
            "  {:<10} {:<28} {:<36} {}",
            s.kind,
            s.token_name,
            s.member,
            s.secret.expose()
        );
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Runs the emulator until a shutdown signal.
pub async fn run(args: Args) -> Result<(), StartupError> {
    if let Some(dir) = &args.static_dir {
        if !dir.is_dir() {
            return Err(StartupError(format!(
                "--static {} is not a directory",
                dir.display()
            )));
        }
    }
    let (store, lock, secrets, demo) = open_store(&args)?;
    let store = Arc::new(store);
    let log = Arc::new(RequestLog::start());
    let state = Arc::new(AppState {
        store: store.clone(),
        limiter: RateLimiter::new(args.rate_limit_global, args.rate_limit_route),
        log: log.clone(),
        ids: RequestIds::new(),
        body_timeout: Duration::from_millis(args.body_timeout_ms),
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| StartupError(format!("cannot listen on {}: {e}", args.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartupError(format!("cannot read the bound address: {e}")))?;
    print_secrets(&secrets, demo);
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }
    let flusher = {
        let store = store.clone();
        let log = log.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(LAST_USED_FLUSH);
            loop {
                tick.tick().await;
                if let Err(e) = store.flush_last_used() {
                    log.event(format!("could not save lastUsed: {e}"));
                }
            }
        })
    };
    let app = http::router(state, args.static_dir.clone());
    conn::serve(listener, app, args.conn_limits(), shutdown_signal()).await;
    flusher.abort();
    if let Err(e) = store.flush_last_used() {
        log.event(format!("could not save lastUsed: {e}"));
    }
    log.event("shut down");
    log.stop();
    drop(lock);
    Ok(())
}
