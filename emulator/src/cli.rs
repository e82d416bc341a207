//! Command-line flags.

use clap::{ArgGroup, Parser};
use std::net::SocketAddr;
use std::path::PathBuf;

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
}
