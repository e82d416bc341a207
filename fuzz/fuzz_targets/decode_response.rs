//! Arbitrary server responses decoded into the model and through the client's response decoding.
//! Input: two bytes of status (little endian), then a line for `X-Ratelimit-Reset`, a line for `Retry-After`,
//! and the body. Checks: no panic; a decode either fails or round-trips through JSON unchanged; a secret never
//! shows in `Debug`; every error is typed, keeps the status, and its message carries no whole secret.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::{de::DeserializeOwned, Serialize};
use std::fmt::Debug;
use tokengate::json::FromJson;
use tokengate::{
    decode_body, decode_error, expect_empty, redact_secrets, ApiError, HttpResponse, JsonText,
};
use tokengate::{
    CallerIdentity, CustomRole, CustomRoles, ErrorBody, Member, PatchRequest, Token, Tokens,
};

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(body: &str) -> Option<T> {
    let value: T = serde_json::from_str(body).ok()?;
    let text = serde_json::to_string(&value).expect("a decoded value must serialize");
    let again: T = serde_json::from_str(&text).expect("a serialized value must decode");
    assert_eq!(again, value, "round trip changed the value");
    Some(value)
}

fn check_token_debug(token: &Token) {
    if let Some(secret) = &token.token {
        let exposed = secret.expose();
        if secret.is_full() && exposed.starts_with("api-") {
            let mut hidden = token.clone();
            hidden.token = None;
            let with = format!("{token:?}").matches(exposed).count();
            let without = format!("{hidden:?}").matches(exposed).count();
            assert!(with <= without, "Debug shows a token's secret");
            assert!(!format!("{secret:?}").contains(exposed));
            assert!(!format!("{secret}").contains(exposed));
        }
    }
}

fn check_error(err: &ApiError, status: u16) {
    assert_eq!(err.status, status);
    assert!(!err.code.is_empty() && !err.message.is_empty());
    assert_eq!(
        redact_secrets(&err.message),
        err.message,
        "unredacted secret: {}",
        err.message
    );
}

fn check_decode<T: FromJson>(response: &HttpResponse, what: &str) -> Option<T> {
    match decode_body::<T, _>(&JsonText, response, what, 1_700_000_000_000.0) {
        Ok(value) => {
            assert!((200..300).contains(&response.status));
            Some(value)
        }
        Err(err) => {
            check_error(&err, response.status);
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]);
    let Ok(rest) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let mut lines = rest.splitn(3, '\n');
    let header = |line: Option<&str>| line.filter(|l| !l.is_empty()).map(str::to_owned);
    let rate_limit_reset = header(lines.next());
    let retry_after = header(lines.next());
    let body = lines.next().unwrap_or_default();

    // The model alone.
    if let Some(token) = round_trip::<Token>(body) {
        check_token_debug(&token);
    }
    if let Some(tokens) = round_trip::<Tokens>(body) {
        tokens.items.iter().for_each(check_token_debug);
    }
    round_trip::<CustomRole>(body);
    round_trip::<CustomRoles>(body);
    round_trip::<Member>(body);
    round_trip::<ErrorBody>(body);
    round_trip::<CallerIdentity>(body);
    round_trip::<PatchRequest>(body);

    // Through the client's decoding, as a response with this status and these headers.
    let response = HttpResponse {
        status,
        body: body.to_owned(),
        rate_limit_reset,
        retry_after,
        ..HttpResponse::default()
    };
    check_decode::<Token>(&response, "Token");
    check_decode::<Tokens>(&response, "Tokens");
    check_decode::<CustomRole>(&response, "CustomRole");
    check_decode::<CustomRoles>(&response, "CustomRoles");
    check_decode::<Member>(&response, "Member");
    check_decode::<CallerIdentity>(&response, "CallerIdentity");
    if let Err(err) = expect_empty(&JsonText, &response, 0.0) {
        check_error(&err, status);
    }
    if !(200..300).contains(&status) {
        let err = decode_error(&JsonText, &response, f64::MAX);
        check_error(&err, status);
        assert!(err.retry_after_ms.is_none() || status == 429);
    }
});
