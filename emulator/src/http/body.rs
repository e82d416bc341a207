//! Request bodies: read with a 1 MiB limit (413 past it) and a deadline (408 past it), and decoded with the JSON
//! path of any problem.

use crate::error::ErrorResponse;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The largest body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How much of an oversized body is read and thrown away before answering 413, so that a client still
/// sending receives the answer instead of a reset connection. Past this the connection is simply closed.
const DRAIN_BYTES: usize = 16 * 1024 * 1024;

/// The declared `Content-Length`, when there is one that parses.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Reads the whole body, or fails with 413 when it is larger than [`MAX_BODY_BYTES`], or with 408 when it has
/// not all arrived within `timeout` (a stalled or dripping client must not hold a handler forever).
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    timeout: Duration,
) -> Result<Bytes, ErrorResponse> {
    match tokio::time::timeout(timeout, read_all(headers, body)).await {
        Ok(read) => read,
        Err(_) => Err(ErrorResponse::request_timeout(format!(
            "The request body did not arrive within {} ms",
            timeout.as_millis()
        ))),
    }
}

async fn read_all(headers: &HeaderMap, mut body: Body) -> Result<Bytes, ErrorResponse> {
    // A declared length over the limit is normally refused before the handler (see `frame`); checked here too
    // so that this function's answer does not depend on where it is called.
    let mut too_large = declared_length(headers).is_some_and(|len| len > MAX_BODY_BYTES as u64);
    let mut collected = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ErrorResponse::bad_request(format!("Could not read the request body: {e}"))
        })?;
        let Ok(chunk) = frame.into_data() else {
            continue; // trailers carry no body bytes
        };
        seen = seen.saturating_add(chunk.len());
        too_large |= seen > MAX_BODY_BYTES;
        if too_large {
            collected = Vec::new();
            if seen > DRAIN_BYTES {
                break;
            }
        } else {
            collected.extend_from_slice(&chunk);
        }
    }
    if too_large {
        return Err(too_large_error());
    }
    Ok(Bytes::from(collected))
}

/// The 413 for a body over [`MAX_BODY_BYTES`].
pub fn too_large_error() -> ErrorResponse {
    ErrorResponse::too_large(format!(
        "Request body too large: the limit is {MAX_BODY_BYTES} bytes"
    ))
}

/// Whether a body is absent or only whitespace.
pub fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Decodes JSON into `T`; a failure is 400 naming the JSON path and the problem.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ErrorResponse> {
    if is_blank(bytes) {
        return Err(ErrorResponse::bad_request(
            "Invalid request body: the body is empty; expected JSON",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            ErrorResponse::bad_request(format!("Invalid request body: {inner}"))
        } else {
            ErrorResponse::bad_request(format!("Invalid request body at {path}: {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| ErrorResponse::bad_request(format!("Invalid request body: {e}")))?;
    Ok(value)
}
