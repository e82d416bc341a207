//! 429 handling against an emulator limited to 3 requests per route per 10-second window: the client waits
//! for `X-Ratelimit-Reset` plus bounded jitter, gives up after `maxRetries` with `retryAfterMs`, retries a
//! create (the server refused it), and an abort ends the wait at once.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

/// Longest jitter the client adds to a wait (`min(1000, 100 + wait/10)`), plus scheduling slack. A headless
/// browser on a busy two-core machine was seen firing a timer 400 ms late, so the slack is generous; the bound
/// still tells a wait-for-the-reset apart from an exponential backoff or a fixed 10-second sleep.
const JITTER_AND_SLACK_MS: f64 = 1_000.0 + 1_500.0;

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

/// Like [`exhaust`], but in a window with at least `at_least_ms` left: a window about to reset is waited out
/// and the next one spent, so that what follows really waits.
async fn exhaust_with_time_left(call_once: impl Fn() -> js_sys::Promise, at_least_ms: f64) {
    for _ in 0..3 {
        let left = exhaust(&call_once).await;
        if left >= at_least_ms {
            return;
        }
        sleep(left as u32 + 100).await;
    }
    panic!("no rate-limit window with {at_least_ms} ms left in three tries");
}

fn calls(recorder: &JsValue) -> Vec<serde_json::Value> {
    json(&get(recorder, "calls")).as_array().unwrap().clone()
}

#[wasm_bindgen_test]
async fn a_429_is_waited_out_until_the_reset_then_retried() {
    let url = env().limited_url;
    let eager = client_with(url, secret(1), json!({ "maxRetries": 0 }));
    exhaust(|| eager.caller_identity(None)).await;

    let recorder = recording_fetch();
    let patient = client_with_fetch(url, secret(1), &get(&recorder, "fetch"), 3);
    let identity = wait(patient.caller_identity(None)).await.unwrap();
    assert!(get(&identity, "tokenId").as_string().is_some());

    let calls = calls(&recorder);
    assert!(calls.len() >= 2, "{calls:?}");
    let limited = &calls[0];
    assert_eq!(limited["status"], 429);
    let reset: f64 = limited["reset"].as_str().unwrap().parse().unwrap();
    let retried_at = calls[1]["sent"].as_f64().unwrap();
    assert!(
        retried_at >= reset - 5.0,
        "retried {} ms before the reset",
        reset - retried_at
    );
    assert!(
        retried_at <= reset + JITTER_AND_SLACK_MS,
        "retried {} ms after the reset",
        retried_at - reset
    );
    assert_eq!(calls.last().unwrap()["status"], 200);
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
    // The abort fires after 150 ms; the wait it interrupts must be longer than that.
    exhaust_with_time_left(|| eager.get_member("me".into(), None), 1_000.0).await;

    let patient = client_with(url, secret(3), json!({ "maxRetries": 3 }));
    let controller = abort_controller();
    abort_later(&controller, 150);
    let started = now();
    let error = wait(patient.get_member("me".into(), Some(with_signal(&controller))))
        .await
        .unwrap_err();
    let elapsed = now() - started;
    assert_api_error(&error, 0, "aborted");
    assert!(
        elapsed < 1_500.0,
        "the abort took {elapsed} ms to end the wait"
    );
}
