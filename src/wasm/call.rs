//! One call of the JavaScript client, from a request to the object handed back: the transport for the call,
//! retries, the status, and a check that the body has the documented shape. Both the client's methods and
//! the pages of `listAll()` go through here.

use super::convert::bounded;
use super::fetch::{parse_object, signal_of, FetchFn, FetchTransport};
use crate::api::{decode_error, execute, expect_empty, ApiError, ApiRequest, Client, Transport};
use crate::api::{parse_body, JsonParser};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What every call of one client shares: the configured client and the `fetch` to use.
pub(super) struct CallContext {
    pub client: Client,
    pub fetch: FetchFn,
}

impl CallContext {
    /// A transport for one call, carrying the `signal` of `options` if any.
    pub fn transport(&self, options: &JsValue) -> Result<FetchTransport, ApiError> {
        let signal = signal_of(options).map_err(ApiError::invalid_argument)?;
        Ok(FetchTransport::new(self.fetch.clone(), signal))
    }
}

/// Checks that `json` decodes as `T` (the documented type), without keeping the result: callers get the
/// server's object itself.
pub(super) fn decodes_as<T: crate::json::FromJson>(json: &serde_json::Value) -> Result<(), String> {
    T::from_json(json, crate::json::At::Root)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// What a successful response should hold.
#[derive(Clone, Copy)]
pub(super) enum ExpectedBody {
    /// A JSON object that passes the check; `what` names the type in errors.
    Object(fn(&serde_json::Value) -> Result<(), String>, &'static str),
    /// Nothing (delete): the body is ignored.
    Empty,
}

/// Sends `request` with retries and returns the parsed body. One non-generic path for every operation, so
/// the module holds one copy of the request future rather than one per method.
pub(super) async fn call(
    context: Rc<CallContext>,
    options: JsValue,
    request: Result<ApiRequest, ApiError>,
    expect: ExpectedBody,
) -> Result<JsValue, ApiError> {
    match expect {
        ExpectedBody::Empty => {
            let request = request?;
            let transport = context.transport(&options)?;
            let response = execute(&transport, context.client.config(), &request).await?;
            expect_empty(&transport, &response, transport.now_ms())?;
            Ok(JsValue::UNDEFINED)
        }
        ExpectedBody::Object(check, what) => {
            let (value, _) = call_object(context, options, request, check, what).await?;
            Ok(value)
        }
    }
}

/// Sends `request` and returns the response's object twice: as the JavaScript value `JSON.parse` makes for the
/// caller, and as read by the crate's parser (which `check` and any decoding use).
pub(super) async fn call_object(
    context: Rc<CallContext>,
    options: JsValue,
    request: Result<ApiRequest, ApiError>,
    check: fn(&serde_json::Value) -> Result<(), String>,
    what: &'static str,
) -> Result<(JsValue, serde_json::Value), ApiError> {
    let request = request?;
    let transport = context.transport(&options)?;
    let response = execute(&transport, context.client.config(), &request).await?;
    if !(200..300).contains(&response.status) {
        return Err(decode_error(&transport, &response, transport.now_ms()));
    }
    let unexpected = |reason: String| {
        let mut error = ApiError::unexpected_response(
            response.status,
            bounded(&format!("The response is not a valid {what}: {reason}")),
        );
        error.request_id = response.request_id.clone();
        error
    };
    // The module's parser reads the body for the check; `JSON.parse` builds the caller's object (faster than
    // building it from the parsed value, and exactly the server's).
    let json = parse_body(&response.body, transport.float_reader()).map_err(unexpected)?;
    check(&json).map_err(unexpected)?;
    let value = parse_object(&response.body).map_err(unexpected)?;
    Ok((value, json))
}
