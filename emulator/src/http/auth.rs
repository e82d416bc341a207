//! Authentication, rate limiting and API-version negotiation for every API route.
//!
//! Order: the raw secret in `Authorization` (401), then the rate limits (429), then `LD-API-Version` (400,
//! see [`super::version`]).
//! Every response after a successful authentication carries the `X-Ratelimit-*` headers; a 429 also carries
//! `Retry-After`, in whole seconds until `X-Ratelimit-Reset`.

use super::state::AppState;
use super::version::ApiVersion;
use crate::access;
use crate::clock::now_ms;
use crate::error::ErrorResponse;
use crate::ratelimit::Quota;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The authenticated token's id, for handlers (they look it up again under their own lock, so a token
/// deleted meanwhile is caught there), and the API version the request speaks.
#[derive(Clone, Debug)]
pub struct CallerId {
    pub token_id: String,
    pub api_version: ApiVersion,
}

/// See the module docs.
pub async fn authenticate(
    State(app): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let now = now_ms();
    let (token_id, default_version) = match identify(&app, req.headers(), now) {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let route = format!(
        "{} {}",
        req.method(),
        req.extensions()
            .get::<MatchedPath>()
            .map_or_else(|| req.uri().path(), |m| m.as_str())
    );
    let quota = app.limiter.check(&route, now);
    let mut response = if !quota.allowed {
        let mut refused = ErrorResponse::rate_limited().into_response();
        refused.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(quota.retry_after_secs(now)),
        );
        refused
    } else {
        match ApiVersion::negotiate(req.headers(), default_version) {
            Err(e) => e.into_response(),
            Ok(api_version) => {
                req.extensions_mut().insert(CallerId {
                    token_id,
                    api_version,
                });
                next.run(req).await
            }
        }
    };
    add_quota_headers(response.headers_mut(), quota);
    response
}

/// Finds the token a secret authenticates (its id and `defaultApiVersion`) and stamps its `lastUsed`.
fn identify(
    app: &AppState,
    headers: &HeaderMap,
    now: i64,
) -> Result<(String, Option<i64>), ErrorResponse> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            ErrorResponse::unauthorized("Invalid access token: no Authorization header")
        })?
        .to_str()
        .map_err(|_| ErrorResponse::unauthorized("Invalid access token"))?;
    if secret.is_empty() {
        return Err(ErrorResponse::unauthorized("Invalid access token"));
    }
    let account = app.store.read();
    let token_id = account
        .authenticate(secret, now)
        .ok_or_else(|| ErrorResponse::unauthorized("Invalid access token"))?;
    let (token, meta) = account
        .token(token_id)
        .ok_or_else(|| ErrorResponse::unauthorized("Invalid access token"))?;
    if access::cap_member(&account, token, meta).is_none() {
        return Err(access::member_left());
    }
    meta.last_used.fetch_max(now, Ordering::Relaxed);
    Ok((token.id.clone(), token.default_api_version))
}

fn add_quota_headers(headers: &mut HeaderMap, quota: Quota) {
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    put(
        "x-ratelimit-global-remaining",
        quota.global_remaining.to_string(),
    );
    put(
        "x-ratelimit-route-remaining",
        quota.route_remaining.to_string(),
    );
    put("x-ratelimit-reset", quota.reset_ms.to_string());
}
