//! Shared helpers of the wasm-bindgen-test suites (`support::wasm`, used by each `wasm_*.rs`).
//!
//! The suites drive real emulators started by `scripts/test-wasm.sh`, which passes their addresses and the
//! demo secrets at build time. Without them every test fails with a message saying so: nothing is skipped.

use js_sys::{Array, Function, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

// The package's error classes, its argument encoder and `can`/`explain`, compiled from js/src by `scripts/test-wasm.sh` (tsc), which
// copies them into js/dist/wasm-tests before the suites are built.
#[wasm_bindgen(module = "/js/dist/wasm-tests/errors.js")]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = "ApiError")]
    pub static API_ERROR: Function;
    #[wasm_bindgen(thread_local_v2, js_name = "PolicyError")]
    pub static POLICY_ERROR: Function;
    #[wasm_bindgen(thread_local_v2, js_name = "encodeArgument")]
    static ENCODE_ARGUMENT: Function;
}

// The package's entry points make `Principal.prototype.can` and `explain` remember the answers they gave; the
// suites do the same, from the same source, so that they ask what a user's call asks.
#[wasm_bindgen(module = "/js/dist/wasm-tests/decision.js")]
extern "C" {
    #[wasm_bindgen(js_name = "installDecisions")]
    fn install_decisions(principal_class: &JsValue);
}

#[wasm_bindgen(inline_js = r#"
export function isInstance(value, cls) { return value instanceof cls; }
export function now() { return Date.now(); }
export function callMethod(target, name, args) { return target[name](...args); }
/** A fetch that answers from a script of [status, body] pairs (or "network" to throw), recording calls. */
export function scriptedFetch(script) {
  const calls = [];
  const fetch = (url, init) => {
    calls.push({ url, method: init.method, at: Date.now(), headers: init.headers });
    if (init.signal && init.signal.aborted) return Promise.reject(new DOMException("aborted", "AbortError"));
    const step = script.length > 1 ? script.shift() : script[0];
    if (step === "hang") {
      return new Promise((_, reject) => {
        if (init.signal) init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }
    if (step === "network") return Promise.reject(new TypeError("fetch failed"));
    const body = [204, 205, 304].includes(step[0]) ? null : step[1];
    return Promise.resolve(new Response(body, { status: step[0], headers: step[2] || {} }));
  };
  return { fetch, calls };
}
/** Wraps the global fetch, recording each response's status, rate-limit headers, and when it was sent and answered. */
export function recordingFetch() {
  const calls = [];
  const fetch = async (url, init) => {
    const sent = Date.now();
    const response = await globalThis.fetch(url, init);
    const received = Date.now();
    const headers = response.headers;
    calls.push({ url, method: init.method, sent, received, status: response.status, reset: headers.get("x-ratelimit-reset"), retryAfter: headers.get("retry-after") });
    return response;
  };
  return { fetch, calls };
}
// The suites' own timers use the setTimeout there was at load, so that `spyOnTimers` sees only the client's.
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
export function abortController() { return new AbortController(); }
export function abortLater(controller, ms) { realSetTimeout(() => controller.abort(), ms); }
export function sleep(ms) { return new Promise((resolve) => realSetTimeout(resolve, ms)); }
/**
 * The waits the client chooses, as it asks for them: it waits with the global `setTimeout`, looked up at each wait,
 * so a wrapper sees each delay (`ms`), when it was asked for (`at`) and whether it ran out (`fired`). What a test
 * checks is then the client's own choice, not how long anything took on a busy machine. `restore()` ends it. With
 * `hold`, the waits are recorded and never scheduled: they never run out, so only an abort can end one.
 */
export function spyOnTimers(hold) {
  const original = globalThis.setTimeout;
  const waits = [];
  globalThis.setTimeout = function (callback, ms, ...rest) {
    // The client's waits time out a promise's own resolve function (built in: no name, no source); other timers set
    // meanwhile (Node's fetch sets its own) pass through unrecorded.
    // (Engines lay the source of a built-in out differently: Firefox puts it on three lines.)
    if (!/^function\s*\(\)\s*\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(callback))) {
      return original.call(globalThis, callback, ms, ...rest);
    }
    const wait = { ms: Number(ms ?? 0), at: Date.now(), fired: false };
    waits.push(wait);
    if (hold) return 0;
    return original.call(globalThis, (...args) => { wait.fired = true; return callback(...args); }, ms, ...rest);
  };
  return { waits, restore: () => { globalThis.setTimeout = original; } };
}
export async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}
export async function takeThenBreak(iterable, n) {
  const out = [];
  for await (const item of iterable) { out.push(item); if (out.length === n) break; }
  return out;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = "isInstance")]
    pub fn is_instance(value: &JsValue, class: &JsValue) -> bool;
    pub fn now() -> f64;
    #[wasm_bindgen(js_name = "callMethod", catch)]
    fn call_method_raw(target: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = "scriptedFetch")]
    pub fn scripted_fetch(script: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = "recordingFetch")]
    pub fn recording_fetch() -> JsValue;
    #[wasm_bindgen(js_name = "abortController")]
    pub fn abort_controller() -> JsValue;
    #[wasm_bindgen(js_name = "abortLater")]
    pub fn abort_later(controller: &JsValue, ms: u32);
    #[wasm_bindgen(js_name = "spyOnTimers")]
    pub fn spy_on_timers(hold: bool) -> JsValue;
    #[wasm_bindgen(js_name = "sleep")]
    fn sleep_promise(ms: u32) -> Promise;
    #[wasm_bindgen(js_name = "collect")]
    fn collect_promise(iterable: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = "takeThenBreak")]
    fn take_then_break_promise(iterable: &JsValue, n: u32) -> Promise;
}

/// The emulators and secrets handed over by `scripts/test-wasm.sh`.
pub struct Env {
    /// A demo-seeded emulator shared by the client tests (they only mutate tokens they create).
    pub url: &'static str,
    /// A demo-seeded emulator with a route limit of 3 requests per window.
    pub limited_url: &'static str,
    /// One fresh demo-seeded emulator per token number 01..15, for the destructive prediction matrix (13, the
    /// departed member's token, is never a caller there).
    pub matrix_urls: Vec<&'static str>,
    /// The demo secrets, token 01 first.
    pub secrets: Vec<&'static str>,
}

/// A build-time setting of the runner. Read with `option_env!` so that the suites still build without the
/// runner (`wasm-pack test` builds every test target), and fail, not skip, when run without it.
fn required(value: Option<&'static str>, name: &str) -> &'static str {
    match value {
        Some(value) => value,
        None => panic!("{name} is not set: run the suites through scripts/test-wasm.sh, which starts the emulators"),
    }
}

pub fn env() -> Env {
    let url = required(
        option_env!("TOKENGATE_EMULATOR_URL"),
        "TOKENGATE_EMULATOR_URL",
    );
    let limited_url = required(
        option_env!("TOKENGATE_LIMITED_URL"),
        "TOKENGATE_LIMITED_URL",
    );
    let matrix = required(
        option_env!("TOKENGATE_MATRIX_URLS"),
        "TOKENGATE_MATRIX_URLS",
    );
    let secrets = required(option_env!("TOKENGATE_SECRETS"), "TOKENGATE_SECRETS");
    let env = Env {
        url,
        limited_url,
        matrix_urls: matrix.split(',').collect(),
        secrets: secrets.split(',').collect(),
    };
    assert_eq!(env.secrets.len(), 15, "the demo seed has 15 tokens");
    assert_eq!(
        env.matrix_urls.len(),
        15,
        "one matrix emulator per token number"
    );
    assert!(env.url.starts_with("http://"), "absolute URLs only");
    env
}

/// The demo secret of token `n` (1-based, as the seed numbers them).
pub fn secret(n: usize) -> &'static str {
    env().secrets[n - 1]
}

/// A plain JS object or array from JSON.
pub fn js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

/// A JS value as JSON, for assertions.
pub fn json(value: &JsValue) -> serde_json::Value {
    if value.is_undefined() {
        return serde_json::Value::Null;
    }
    serde_wasm_bindgen::from_value(value.clone()).unwrap()
}

pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &JsValue::from_str(key), value).unwrap();
}

pub async fn wait(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

pub async fn sleep(ms: u32) {
    JsFuture::from(sleep_promise(ms)).await.unwrap();
}

pub async fn collect(iterable: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(collect_promise(iterable)).await
}

pub async fn take_then_break(iterable: &JsValue, n: u32) -> Result<JsValue, JsValue> {
    JsFuture::from(take_then_break_promise(iterable, n)).await
}

/// Calls `target.name(...args)` as JavaScript would.
pub fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let array = Array::new();
    for arg in args {
        array.push(arg);
    }
    call_method_raw(target, name, &array)
}

/// `call` on a method returning a promise, awaited.
pub async fn call_async(
    target: &JsValue,
    name: &str,
    args: &[JsValue],
) -> Result<JsValue, JsValue> {
    let promise: Promise = call(target, name, args)?.dyn_into().expect("a promise");
    wait(promise).await
}

/// Registers the package's error classes and argument encoder, as its entry modules do.
pub fn install_error_classes() {
    let api = API_ERROR.with(Function::clone);
    let policy = POLICY_ERROR.with(Function::clone);
    let encode = ENCODE_ARGUMENT.with(Function::clone);
    tokengate::wasm::set_host(api, policy, encode);
}

/// Completes the class of `principal` as the package's entry points do (the memo of `can` and `explain`), and
/// returns `principal`. Completing it again does nothing.
pub fn with_can(principal: JsValue) -> JsValue {
    install_error_classes();
    let class = get(&principal, "constructor");
    install_decisions(&class);
    principal
}

/// Checks that `error` is the `TypeError` thrown for an argument of the wrong type (`code`
/// `invalid_argument`, not a `PolicyError`), and returns it.
pub fn assert_argument_error(error: &JsValue) -> JsValue {
    install_error_classes();
    assert!(
        error.is_instance_of::<js_sys::TypeError>(),
        "not a TypeError: {error:?}"
    );
    assert!(
        !is_instance(error, &POLICY_ERROR.with(Function::clone)),
        "a PolicyError: {error:?}"
    );
    assert_eq!(get(error, "name").as_string().as_deref(), Some("TypeError"));
    assert_eq!(
        get(error, "code").as_string().as_deref(),
        Some("invalid_argument"),
        "{error:?}"
    );
    error.clone()
}

/// Checks that `error` is an `ApiError` (and an `Error`) with `status` and `code`, and returns it.
pub fn assert_api_error(error: &JsValue, status: u16, code: &str) -> JsValue {
    install_error_classes();
    let api = API_ERROR.with(Function::clone);
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert!(is_instance(error, &api), "not an ApiError: {error:?}");
    assert_eq!(get(error, "name").as_string().as_deref(), Some("ApiError"));
    assert_eq!(
        get(error, "code").as_string().as_deref(),
        Some(code),
        "{error:?}"
    );
    assert_eq!(
        get(error, "status").as_f64(),
        Some(f64::from(status)),
        "{error:?}"
    );
    let message = get(error, "message").as_string().unwrap();
    for secret in &env().secrets {
        assert!(
            !message.contains(secret),
            "a secret in an error message: {message}"
        );
    }
    error.clone()
}

/// A client for `url` with token `secret` and extra options.
pub fn client_with(
    url: &str,
    secret: &str,
    extra: serde_json::Value,
) -> tokengate::wasm::TokensClient {
    install_error_classes();
    let mut options = serde_json::json!({ "token": secret, "baseUrl": url });
    if let serde_json::Value::Object(extra) = extra {
        options.as_object_mut().unwrap().extend(extra);
    }
    tokengate::wasm::TokensClient::new(js(&options)).unwrap()
}

/// A client for the shared emulator as demo token `n`.
pub fn client(n: usize) -> tokengate::wasm::TokensClient {
    client_with(env().url, secret(n), serde_json::json!({}))
}

/// A client whose `fetch` is `fetch` (a JS function).
pub fn client_with_fetch(
    url: &str,
    secret: &str,
    fetch: &JsValue,
    max_retries: u32,
) -> tokengate::wasm::TokensClient {
    install_error_classes();
    let options =
        js(&serde_json::json!({ "token": secret, "baseUrl": url, "maxRetries": max_retries }));
    set(&options, "fetch", fetch);
    tokengate::wasm::TokensClient::new(options).unwrap()
}

/// `{ signal }` for a controller.
pub fn with_signal(controller: &JsValue) -> JsValue {
    let options = js_sys::Object::new();
    set(&options, "signal", &get(controller, "signal"));
    options.into()
}
