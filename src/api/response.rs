//! From an HTTP response to a typed value or an [`ApiError`].

use super::redact::redact_secrets;
use super::retry::rate_limit_wait_ms;
use super::transport::{HttpResponse, JsonParser};
use super::{ApiError, ErrorCode};
use crate::json::FromJson;
use crate::model::ErrorBody;

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a 2xx body as `T` (`what` names it in the error, e.g. "Tokens"); any other status becomes the
/// server's error. A 2xx body of the wrong shape is `unexpected_response`, not a half-filled value.
pub fn decode_body<T: FromJson, P: JsonParser>(
    parser: &P,
    response: &HttpResponse,
    what: &str,
    now_ms: f64,
) -> Result<T, ApiError> {
    if !is_success(response.status) {
        return Err(decode_error(parser, response, now_ms));
    }
    parser.parse(&response.body).map_err(|e| {
        let mut error = ApiError::unexpected_response(
            response.status,
            redact_secrets(&format!("The response is not a valid {what}: {e}")),
        );
        error.request_id = response.request_id.clone();
        error
    })
}

/// Accepts any 2xx and ignores its body (delete answers 204 with none).
pub fn expect_empty<P: JsonParser>(
    parser: &P,
    response: &HttpResponse,
    now_ms: f64,
) -> Result<(), ApiError> {
    if is_success(response.status) {
        Ok(())
    } else {
        Err(decode_error(parser, response, now_ms))
    }
}

fn default_message(status: u16) -> &'static str {
    match status {
        400 => "Invalid request",
        401 => "Invalid access token",
        403 => "Forbidden. Access to the requested resource was denied.",
        404 => "Invalid resource identifier",
        409 => "Conflict. Optimistic lock error. Try again later.",
        422 => "Unprocessable entity. Could not apply patch.",
        429 => "You've exceeded the API rate limit. Try again later.",
        _ => "The server answered with an unexpected status",
    }
}

/// The [`ApiError`] for a non-2xx response: the server's `{ code, message, id }` when the body has that
/// shape; otherwise `unexpected_response` carrying the status (a 429 keeps `rate_limited`, since proxies
/// enforcing IP limits often answer with a bare body). A 429 also carries `retry_after_ms`.
pub fn decode_error<P: JsonParser>(parser: &P, response: &HttpResponse, now_ms: f64) -> ApiError {
    let status = response.status;
    let mut error = match parser.parse::<ErrorBody>(&response.body) {
        Ok(body) if !body.code.is_empty() => ApiError {
            status,
            code: body.code,
            message: redact_secrets(&body.message),
            request_id: body.id,
            retry_after_ms: None,
        },
        _ if status == 429 => ApiError {
            status,
            code: ErrorCode::RATE_LIMITED.to_owned(),
            message: default_message(429).to_owned(),
            request_id: None,
            retry_after_ms: None,
        },
        _ => ApiError::unexpected_response(
            status,
            format!(
                "HTTP {status} without a JSON error body ({})",
                default_message(status)
            ),
        ),
    };
    if error.request_id.is_none() {
        error.request_id = response.request_id.clone();
    }
    if status == 429 {
        error.retry_after_ms = rate_limit_wait_ms(
            response.rate_limit_reset.as_deref(),
            response.retry_after.as_deref(),
            now_ms,
        );
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::JsonText;
    use crate::model::Tokens;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            body: body.to_owned(),
            ..HttpResponse::default()
        }
    }

    #[test]
    fn success_bodies_decode_or_are_unexpected() {
        let ok: Tokens = decode_body(
            &JsonText,
            &response(200, r#"{"items":[],"totalCount":0}"#),
            "Tokens",
            0.0,
        )
        .unwrap();
        assert_eq!(ok.total_count, Some(0));
        for body in ["", "null", "[]", r#"{"items":7}"#, "<html>"] {
            let e = decode_body::<Tokens, _>(&JsonText, &response(200, body), "Tokens", 0.0)
                .unwrap_err();
            assert_eq!(
                (e.status, e.code.as_str()),
                (200, "unexpected_response"),
                "{body}"
            );
        }
    }

    #[test]
    fn error_bodies_become_api_errors() {
        let e = decode_error(
            &JsonText,
            &response(
                404,
                r#"{"code":"not_found","message":"Invalid resource identifier","id":"req-1"}"#,
            ),
            0.0,
        );
        assert_eq!(e.status, 404);
        assert_eq!(e.code, "not_found");
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
        assert_eq!(e.retry_after_ms, None);

        let mut r = response(403, r#"{"code":"forbidden","message":"no"}"#);
        r.request_id = Some("hdr-9".into());
        assert_eq!(
            decode_error(&JsonText, &r, 0.0).request_id.as_deref(),
            Some("hdr-9")
        );

        let e = decode_error(&JsonText, &response(502, "<html>bad gateway</html>"), 0.0);
        assert_eq!((e.status, e.code.as_str()), (502, "unexpected_response"));
        let e = decode_error(
            &JsonText,
            &response(400, r#"{"code":"","message":"x"}"#),
            0.0,
        );
        assert_eq!(e.code, "unexpected_response");
    }

    #[test]
    fn rate_limit_errors_carry_the_wait() {
        let mut r = response(429, r#"{"code":"rate_limited","message":"slow down"}"#);
        r.rate_limit_reset = Some("5000".into());
        let e = decode_error(&JsonText, &r, 4000.0);
        assert_eq!(
            (e.code.as_str(), e.retry_after_ms),
            ("rate_limited", Some(1000))
        );
        let mut r = response(429, "");
        r.retry_after = Some("3".into());
        let e = decode_error(&JsonText, &r, 0.0);
        assert_eq!(
            (e.code.as_str(), e.retry_after_ms),
            ("rate_limited", Some(3000))
        );
    }

    #[test]
    fn secrets_in_bodies_never_reach_messages() {
        let secret = "api-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
        let e = decode_error(
            &JsonText,
            &response(
                400,
                &format!(r#"{{"code":"invalid_request","message":"bad {secret}"}}"#),
            ),
            0.0,
        );
        assert!(!e.message.contains(secret));
        let body = format!(r#"{{"items":[{{"_id":"{secret}"}}]}}"#);
        let e =
            decode_body::<Tokens, _>(&JsonText, &response(200, &body), "Tokens", 0.0).unwrap_err();
        assert!(!e.message.contains(secret), "{}", e.message);
        assert!(expect_empty(&JsonText, &response(204, ""), 0.0).is_ok());
        assert_eq!(
            expect_empty(&JsonText, &response(401, "{}"), 0.0)
                .unwrap_err()
                .status,
            401
        );
    }
}
