//! What every handler shares, apart from the router that hands it to them, so that the handlers and the
//! router do not read each other.

use crate::ids::RequestIds;
use crate::log::RequestLog;
use crate::ratelimit::RateLimiter;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Everything a request needs.
pub struct AppState {
    pub store: Arc<Store>,
    pub limiter: RateLimiter,
    pub log: Arc<RequestLog>,
    pub ids: RequestIds,
    /// How long a request body may take to arrive, whole (`--body-timeout-ms`).
    pub body_timeout: Duration,
}
