//! 429 handling against an emulator limited to 3 requests per route per 10-second window: the client waits
//! for `X-Ratelimit-Reset` plus bounded jitter, gives up after `maxRetries` with `retryAfterMs`, retries a
//! create (the server refused it), and an abort ends the wait at once.
//!
//! What is checked is the wait the client chose (seen through `spyOnTimers`) against the reset the server
//! announced, and which requests it sent, never how long something took: a busy machine's late timers change
//! neither.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

/// Longest jitter the client adds to a rate-limit wait (`min(1000, 100 + wait/10)`).
const MAX_JITTER_MS: f64 = 1_000.0;

/// Spends the route's budget for the current window with a client that never retries; returns once a 429
/// has been seen, with the wait it asked for (`retryAfterMs`).
async fn exhaust(call_once: impl Fn() -> js_sys::Promise) -> f64 {
    for _ in 0..10 {
        if let Err(error) = wait(call_once()).await {
            assert_api_error(&error, 429, "rate_limited");
            return get(&error, "retryAfterMs").as_f64().unwrap_or(0.0);
        }
    }
    panic!("the route limit never answered 429");
}

fn calls(recorder: &JsValue) -> Vec<serde_json::Value> {
    json(&get(recorder, "calls")).as_array().unwrap().clone()
}

/// The waits the client asked for while `spy` watched, ended.
fn waits(spy: &JsValue) -> Vec<serde_json::Value> {
    call(spy, "restore", &[]).unwrap();
    json(&get(spy, "waits")).as_array().unwrap().clone()
}

#[wasm_bindgen_test]
async fn a_429_is_waited_out_until_the_reset_then_retried() {
    let url = env().limited_url;
    let eager = client_with(url, secret(1), json!({ "maxRetries": 0 }));
    exhaust(|| eager.caller_identity(None)).await;

    let recorder = recording_fetch();
    let patient = client_with_fetch(url, secret(1), &get(&recorder, "fetch"), 3);
    let spy = spy_on_timers(false);
    let identity = wait(patient.caller_identity(None)).await;
    let waits = waits(&spy);
    assert!(get(&identity.unwrap(), "tokenId").as_string().is_some());

    let calls = calls(&recorder);
    assert!(calls.len() >= 2, "{calls:?}");
    let limited = &calls[0];
    assert_eq!(limited["status"], 429);
    assert_eq!(calls.last().unwrap()["status"], 200);
    // The one wait before the retry: asked for once the 429 was in, before the retry went out.
    let received = limited["received"].as_f64().unwrap();
    let retried = calls[1]["sent"].as_f64().unwrap();
    let before_retry: Vec<_> = waits
        .iter()
        .filter(|w| (received..=retried).contains(&w["at"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        before_retry.len(),
        1,
        "one wait before the retry: {waits:?}"
    );
    let (ms, at) = (
        before_retry[0]["ms"].as_f64().unwrap(),
        before_retry[0]["at"].as_f64().unwrap(),
    );
    let reset: f64 = limited["reset"].as_str().unwrap().parse().unwrap();
    // Not before the reset: the wait, from when it was asked for, reaches the reset.
    assert!(
        at + ms >= reset - 1.0,
        "a wait of {ms} ms asked for at {at} ends before the reset at {reset}"
    );
    // And no longer than what the server asked for (the later of the reset and `Retry-After`, counted from when the
    // 429 came in) plus the jitter: not an exponential backoff or a fixed sleep.
    let retry_after_ms = limited["retryAfter"]
        .as_str()
        .and_then(|s| s.parse::<f64>().ok())
        .map_or(0.0, |secs| secs * 1000.0);
    let asked = (reset - received).max(retry_after_ms).max(0.0).ceil();
    assert!(
        ms <= asked + MAX_JITTER_MS,
        "a wait of {ms} ms where the server asked for {asked} ms"
    );
}

#[wasm_bindgen_test]
async fn without_retries_a_429_reports_how_long_to_wait() {
    let url = env().limited_url;
    let eager = client_with(url, secret(2), json!({ "maxRetries": 0 }));
    let mut last = None;
    for _ in 0..10 {
        match wait(eager.list_roles(None)).await {
            Ok(_) => continue,
            Err(error) => {
                last = Some(error);
                break;
            }
        }
    }
    let error = assert_api_error(&last.expect("a 429"), 429, "rate_limited");
    let wait_ms = get(&error, "retryAfterMs")
        .as_f64()
        .expect("retryAfterMs on a 429");
    assert!((0.0..=10_000.0).contains(&wait_ms), "{wait_ms}");
}

#[wasm_bindgen_test]
async fn a_create_refused_with_429_is_retried_once_the_window_resets() {
    let url = env().limited_url;
    let eager = client_with(url, secret(1), json!({ "maxRetries": 0 }));
    let body = || js(&json!({ "name": "rate limited create" }));
    exhaust(|| eager.create(body(), None)).await;

    let recorder = recording_fetch();
    let patient = client_with_fetch(url, secret(1), &get(&recorder, "fetch"), 3);
    let created = wait(patient.create(body(), None)).await.unwrap();
    assert_eq!(
        get(&created, "name").as_string().as_deref(),
        Some("rate limited create")
    );
    let calls = calls(&recorder);
    assert_eq!(calls.first().unwrap()["status"], 429);
    assert_eq!(calls.last().unwrap()["status"], 201);
    assert_eq!(
        calls.iter().filter(|c| c["status"] == 201).count(),
        1,
        "created exactly once"
    );
}

#[wasm_bindgen_test]
async fn an_abort_during_the_wait_ends_the_call_at_once() {
    let url = env().limited_url;
    let eager = client_with(url, secret(3), json!({ "maxRetries": 0 }));
    exhaust(|| eager.get_member("me".into(), None)).await;

    let recorder = recording_fetch();
    let patient = client_with_fetch(url, secret(3), &get(&recorder, "fetch"), 3);
    let controller = abort_controller();
    // The client's wait is held: it never runs out, so nothing but the abort can end the call.
    let spy = spy_on_timers(true);
    let pending = wait(patient.get_member("me".into(), Some(with_signal(&controller))));
    // Abort once the client is waiting: when it has asked for its wait (polled; the bound is a hang guard).
    let (watched, abort) = (spy.clone(), controller.clone());
    wasm_bindgen_futures::spawn_local(async move {
        for _ in 0..2_000 {
            if json(&get(&watched, "waits"))
                .as_array()
                .is_some_and(|w| !w.is_empty())
            {
                call(&abort, "abort", &[]).unwrap();
                return;
            }
            sleep(5).await;
        }
        panic!("the client never waited");
    });
    let result = pending.await;
    let waits = waits(&spy);
    assert_api_error(&result.unwrap_err(), 0, "aborted");
    // It was waiting out the window (one wait, as long as the window had left), and sent no retry.
    assert_eq!(waits.len(), 1, "{waits:?}");
    let calls = calls(&recorder);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["status"], 429);
    let reset: f64 = calls[0]["reset"].as_str().unwrap().parse().unwrap();
    let ms = waits[0]["ms"].as_f64().unwrap();
    assert!(
        waits[0]["at"].as_f64().unwrap() + ms >= reset - 1.0,
        "a wait of {ms} ms ends before the reset at {reset}"
    );
}
