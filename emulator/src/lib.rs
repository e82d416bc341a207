//! A local emulator of LaunchDarkly's Access Tokens API (plus caller identity, custom roles and members),
//! enforcing token permissions with the tokengate core so that a client's predictions and the server's
//! answers come from the same rules.

pub mod access;
pub mod account;
pub mod cli;
pub mod clock;
pub mod conn;
pub mod error;
pub mod fixture;
pub mod http;
pub mod ids;
pub mod log;
pub mod persist;
pub mod ratelimit;
pub mod secrets;
pub mod server;
pub mod store;
