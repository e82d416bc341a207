//! Command-line flags.

use crate::conn::ConnLimits;
use clap::{ArgGroup, Parser};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A local emulator of LaunchDarkly's Access Tokens API, enforcing the same token rules as the tokengate
/// client. For local development and tests only: never expose it or its secrets to untrusted users.
#[derive(Parser, Debug, Clone)]
#[command(name = "tokengate-emulator", version, about, long_about = None)]
#[command(group(ArgGroup::new("source").args(["fixture", "seed"])))]
pub struct Args {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// Account fixture to start from (JSON: members, roles, tokens); see README.md.
    #[arg(long, value_name = "FILE")]
    pub fixture: Option<PathBuf>,

    /// Built-in account to start from: `demo`.
    #[arg(long, value_name = "NAME")]
    pub seed: Option<String>,

    /// Keep the account in SQLite in this directory; a later start resumes from it.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Serve this directory at `/` (same origin as the API, for a demo page).
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Requests per 10-second window for the whole account.
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub rate_limit_global: u64,

    /// Requests per 10-second window for each route.
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub rate_limit_route: u64,

    /// Most service tokens the account may hold.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub service_token_limit: usize,

    /// Milliseconds a client has to send a whole request head (line and headers), counted from the
    /// connection (first request) or the first byte (later ones); past it the connection is closed.
    #[arg(long, default_value_t = 10_000, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_ms: u64,

    /// Milliseconds a keep-alive connection may sit idle between requests before it is closed.
    #[arg(long, default_value_t = 60_000, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_ms: u64,

    /// Milliseconds a request body has to arrive whole; past it the answer is 408 and the connection closes.
    #[arg(long, default_value_t = 30_000, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_ms: u64,

    /// Most connections served at once; one more is answered 503 and closed, the open ones carry on.
    #[arg(long, default_value_t = 512, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
}

impl Args {
    /// The connection limits the flags set.
    pub fn conn_limits(&self) -> ConnLimits {
        ConnLimits {
            header_timeout: Duration::from_millis(self.header_timeout_ms),
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
            body_timeout: Duration::from_millis(self.body_timeout_ms),
            max_connections: self.max_connections as usize,
        }
    }
}
