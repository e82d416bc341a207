//! [`Transport`] over the platform's `fetch`, `setTimeout` and `AbortSignal`: one implementation for
//! browsers, workers, Node 18+, Deno and workerd, or over a `fetch` the caller supplies.

use super::convert::{describe_js_error, property};
use crate::api::{HttpRequest, HttpResponse, JsonParser, Transport, TransportError};
use js_sys::{Function, Object, Promise, Reflect};
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Response};

/// Which `fetch` to call, and with which `this`.
#[derive(Clone)]
pub struct FetchFn {
    function: Function,
    this: JsValue,
}

impl FetchFn {
    /// The caller's `fetch` when given (called with `this` undefined, like a bare function), else the global
    /// one (called on `globalThis`: browsers throw "Illegal invocation" for any other receiver).
    pub fn new(custom: JsValue) -> Result<Self, String> {
        if let Some(function) = custom.dyn_ref::<Function>() {
            return Ok(FetchFn {
                function: function.clone(),
                this: JsValue::UNDEFINED,
            });
        }
        if !custom.is_undefined() && !custom.is_null() {
            return Err("`fetch` must be a function".to_owned());
        }
        let global: JsValue = js_sys::global().into();
        match property(&global, "fetch").dyn_into::<Function>() {
            Ok(function) => Ok(FetchFn {
                function,
                this: global,
            }),
            Err(_) => Err(
                "this environment has no global `fetch`; pass one as the `fetch` option".to_owned(),
            ),
        }
    }
}

/// One call's transport: the fetch to use and the call's abort signal.
pub struct FetchTransport {
    fetch: FetchFn,
    signal: Option<AbortSignal>,
}

/// Reads `signal` from an options object; anything that is not an object with an `aborted` flag is ignored.
pub fn signal_of(options: &JsValue) -> Result<Option<AbortSignal>, String> {
    let signal = property(options, "signal");
    if signal.is_undefined() || signal.is_null() {
        return Ok(None);
    }
    if !signal.is_object() || property(&signal, "aborted").as_bool().is_none() {
        return Err("`signal` must be an AbortSignal".to_owned());
    }
    Ok(Some(signal.unchecked_into()))
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Plain fresh objects accept any property.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).ok().flatten()
}

impl FetchTransport {
    /// A transport for one call.
    pub fn new(fetch: FetchFn, signal: Option<AbortSignal>) -> Self {
        FetchTransport { fetch, signal }
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(|s| s.aborted())
    }

    /// A rejected promise is an abort when our signal fired, otherwise a network error.
    fn failure(&self, error: &JsValue) -> TransportError {
        if self.aborted() {
            TransportError::Aborted
        } else {
            TransportError::Network(describe_js_error(error))
        }
    }

    fn init(&self, request: &HttpRequest) -> Object {
        let headers = Object::new();
        set(
            &headers,
            "Authorization",
            &JsValue::from_str(request.authorization.expose()),
        );
        set(
            &headers,
            "LD-API-Version",
            &JsValue::from_str(&request.api_version),
        );
        set(&headers, "Accept", &JsValue::from_str("application/json"));
        if let Some(agent) = &request.user_agent {
            set(&headers, "User-Agent", &JsValue::from_str(agent));
        }
        let init = Object::new();
        set(&init, "method", &JsValue::from_str(request.method.as_str()));
        if let Some(body) = &request.body {
            set(
                &headers,
                "Content-Type",
                &JsValue::from_str("application/json"),
            );
            set(&init, "body", &JsValue::from_str(body));
        }
        set(&init, "headers", &headers);
        if let Some(signal) = &self.signal {
            set(&init, "signal", signal);
        }
        init
    }

    async fn exchange(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.aborted() {
            return Err(TransportError::Aborted);
        }
        let init = self.init(request);
        let returned = self
            .fetch
            .function
            .call2(&self.fetch.this, &JsValue::from_str(&request.url), &init)
            .map_err(|e| self.failure(&e))?;
        // `Promise.resolve` also accepts a custom fetch that returns a plain value.
        let response = JsFuture::from(Promise::resolve(&returned))
            .await
            .map_err(|e| self.failure(&e))?;
        if !response.is_object() {
            return Err(TransportError::Network(
                "`fetch` did not return a Response".to_owned(),
            ));
        }
        let response: Response = response.unchecked_into();
        let text = response.text().map_err(|e| self.failure(&e))?;
        let body = JsFuture::from(text).await.map_err(|e| self.failure(&e))?;
        Ok(HttpResponse {
            status: response.status(),
            body: body.as_string().unwrap_or_default(),
            rate_limit_reset: header(&response, "x-ratelimit-reset"),
            retry_after: header(&response, "retry-after"),
            request_id: header(&response, "x-request-id"),
        })
    }

    async fn wait(&self, ms: u64) -> Result<(), TransportError> {
        if self.aborted() {
            return Err(TransportError::Aborted);
        }
        let global: JsValue = js_sys::global().into();
        let set_timeout: Function = property(&global, "setTimeout").dyn_into().map_err(|_| {
            TransportError::Network("this environment has no setTimeout".to_owned())
        })?;
        // The promise's own resolve/reject serve as the timer callback and the abort listener, so no Rust
        // closure is created (and none can leak).
        let mut reject_fn: Option<Function> = None;
        let promise = Promise::new(&mut |resolve, reject| {
            let _ = set_timeout.call2(&global, &resolve, &JsValue::from(ms as f64));
            if let Some(signal) = &self.signal {
                let _ = signal.add_event_listener_with_callback("abort", &reject);
            }
            reject_fn = Some(reject);
        });
        let outcome = JsFuture::from(promise).await;
        if let (Some(signal), Some(reject)) = (&self.signal, &reject_fn) {
            let _ = signal.remove_event_listener_with_callback("abort", reject);
        }
        outcome.map(|_| ()).map_err(|_| TransportError::Aborted)
    }
}

/// `JSON.parse`, requiring an object (every documented body is one).
pub fn parse_object(text: &str) -> Result<JsValue, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "the body is not JSON".to_owned())?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err("expected a JSON object".to_owned());
    }
    Ok(value)
}

/// The module's own parser, as natively (a response nested too deep is an error, not a trap), with
/// JavaScript reading the floats.
impl JsonParser for FetchTransport {
    fn float_reader(&self) -> crate::json::FloatReader {
        super::convert::js_number
    }
}

impl Transport for FetchTransport {
    fn send(
        &self,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.exchange(request)
    }

    fn sleep(&self, ms: u64) -> impl Future<Output = Result<(), TransportError>> {
        self.wait(ms)
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
