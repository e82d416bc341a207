//! The outermost layer: a request id for every request, CORS as LaunchDarkly's API answers it, every
//! failure turned into the JSON error body `{code, message, id}`, and one log line per request.
//!
//! CORS is the API's only. The static files (`--static`, the demo) are served without any CORS headers, so
//! that no other website can read them from a visitor's browser: the demo page's `/demo-tokens.json` holds
//! working secrets, and with them anyone could call the API.

use super::body::{self, MAX_BODY_BYTES};
use super::state::AppState;
use crate::error::{default_for_status, ErrorInfo, ErrorResponse};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Instant;
use tokengate::ErrorBody;

/// Headers a browser may send (the real API's list).
const ALLOW_HEADERS: &str =
    "Authorization, Content-Type, LD-API-Version, Accept, Accept-Language, Accept-Encoding";
/// Methods a browser may use.
const ALLOW_METHODS: &str = "GET, POST, PATCH, DELETE, OPTIONS";
/// Response headers a browser page may read: the rate-limit budget, the request id and the ETag.
const EXPOSE_HEADERS: &str =
    "X-Ratelimit-Global-Remaining, X-Ratelimit-Route-Remaining, X-Ratelimit-Reset, X-Request-Id, ETag, Retry-After";
/// Where the API lives; everything else is the static files (or a 404 without `--static`).
const API_PREFIX: &str = "/api/";
/// The longest error body from elsewhere (axum, the static file server) whose text becomes the message.
const MAX_FOREIGN_ERROR_TEXT: usize = 1024;

/// The outer layer; see the module docs.
pub async fn frame(State(app): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = app.ids.next_id();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let is_api = path.starts_with(API_PREFIX);
    // Only the API answers cross-origin requests; without these headers a browser keeps a static file's
    // contents from any page of another origin.
    let origin = if is_api {
        req.headers().get(header::ORIGIN).cloned()
    } else {
        None
    };
    // A preflight needs no authentication: browsers never send credentials with it.
    let preflight = is_api && method == Method::OPTIONS;
    // A body declared larger than the limit is refused before anything reads it (or authenticates the
    // request): the client learns at once, and a client that waits for `100 Continue` never sends it.
    let declared_too_large =
        body::declared_length(req.headers()).is_some_and(|len| len > MAX_BODY_BYTES as u64);
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else if declared_too_large {
        body::too_large_error().into_response()
    } else {
        next.run(req).await
    };
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        response = render_error(response, &request_id).await;
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-request-id", value);
    }
    apply_cors(headers, origin, preflight);
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    app.log
        .request(method.as_str(), &path, status.as_u16(), millis);
    response
}

fn apply_cors(headers: &mut HeaderMap, origin: Option<HeaderValue>, preflight: bool) {
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
    }
    if preflight {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("300"),
        );
    }
}

/// Gives a failed response LaunchDarkly's error body: from the handler's [`ErrorInfo`] when there is one,
/// otherwise from the status (and the text of a plain-text body, such as an axum rejection).
async fn render_error(response: Response, request_id: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let (code, message) = match parts.extensions.remove::<ErrorInfo>() {
        Some(info) => (info.code.to_owned(), info.message),
        None => {
            let (code, default_message) = default_for_status(parts.status);
            let is_text = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/plain"));
            let text = if is_text {
                axum::body::to_bytes(body, MAX_FOREIGN_ERROR_TEXT)
                    .await
                    .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
                    .unwrap_or_default()
            } else {
                String::new()
            };
            let message = if text.is_empty() {
                default_message.to_owned()
            } else {
                text
            };
            (code.to_owned(), message)
        }
    };
    let body = ErrorBody {
        code,
        message,
        id: Some(request_id.to_owned()),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// The fallback for paths no route matches (without `--static`).
pub async fn not_found() -> ErrorResponse {
    ErrorResponse::not_found("Invalid resource identifier: no such API route")
}
