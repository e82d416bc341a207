//! `TokensClient`: the REST client for JavaScript. Each method returns a promise that resolves with plain
//! objects shaped like the API's JSON, or rejects with an `ApiError`.

use super::convert::{from_js, from_js_or_default, property, to_js};
use super::errors::api_error;
use super::fetch::{signal_of, FetchFn, FetchTransport};
use super::pages::TokenPages;
use super::principal::JsPrincipal;
use crate::api::{ApiError, Client, ClientConfig, ListParams, RoleListParams};
use crate::model::{AccessTokenPost, PatchRequest, Secret};
use crate::rules::Principal;
use js_sys::Promise;
use serde::Deserialize;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// `apiVersion` may be given as the number LaunchDarkly documents (`20240415`) or a string (`"beta"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum ApiVersion {
    Text(String),
    Number(u32),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientOptions {
    token: Secret,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    api_version: Option<ApiVersion>,
    #[serde(default)]
    max_retries: Option<u32>,
    #[serde(default)]
    user_agent: Option<String>,
}

#[derive(Deserialize, Default)]
struct ResetOptions {
    #[serde(default)]
    expiry: Option<i64>,
}

/// What every call shares: the configured client and the `fetch` to use.
pub(super) struct Shared {
    pub client: Client,
    pub fetch: FetchFn,
}

impl Shared {
    /// A transport for one call, carrying the `signal` of `options` if any.
    pub fn transport(&self, options: &JsValue) -> Result<FetchTransport, ApiError> {
        let signal = signal_of(options).map_err(ApiError::invalid_argument)?;
        Ok(FetchTransport::new(self.fetch.clone(), signal))
    }
}

/// A client for LaunchDarkly's Access Tokens API (and the identity and role reads it needs).
#[wasm_bindgen(js_name = "TokensClient")]
pub struct TokensClient {
    shared: Rc<Shared>,
}

/// Runs `work` as a promise; an `ApiError` becomes the rejection.
fn promise<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, ApiError>> + 'static,
{
    future_to_promise(async move { work.await.map_err(|e| api_error(&e)) })
}

fn string_arg(value: &JsValue, what: &str) -> Result<String, ApiError> {
    value
        .as_string()
        .ok_or_else(|| ApiError::invalid_argument(format!("{what} must be a string")))
}

fn arg<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, ApiError> {
    from_js(value, what).map_err(ApiError::invalid_argument)
}

fn opt_arg<T: serde::de::DeserializeOwned + Default>(
    value: &JsValue,
    what: &str,
) -> Result<T, ApiError> {
    from_js_or_default(value.clone(), what).map_err(ApiError::invalid_argument)
}

fn output<T: serde::Serialize>(value: &T) -> Result<JsValue, ApiError> {
    to_js(value).map_err(|e| ApiError::unexpected_response(200, e))
}

fn options_or_undefined(options: Option<JsValue>) -> JsValue {
    options.unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen(js_class = "TokensClient")]
impl TokensClient {
    /// Creates a client. Throws an `ApiError` (`invalid_argument`) for a missing token or a malformed option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TokensClientOptions")] options: JsValue,
    ) -> Result<TokensClient, JsValue> {
        let fetch = FetchFn::new(property(&options, "fetch"))
            .map_err(|m| api_error(&ApiError::invalid_argument(m)))?;
        let parsed: ClientOptions = from_js(options, "TokensClient options")
            .map_err(|m| api_error(&ApiError::invalid_argument(m)))?;
        let api_version = parsed.api_version.map(|v| match v {
            ApiVersion::Text(text) => text,
            ApiVersion::Number(n) => n.to_string(),
        });
        let config = ClientConfig::new(
            parsed.token,
            parsed.base_url.as_deref(),
            api_version.as_deref(),
            parsed.max_retries,
            parsed.user_agent.as_deref(),
        )
        .map_err(|e| api_error(&ApiError::invalid_argument(e.message)))?;
        Ok(TokensClient {
            shared: Rc::new(Shared {
                client: Client::new(config),
                fetch,
            }),
        })
    }

    /// The base URL requests go to.
    #[wasm_bindgen(getter, js_name = "baseUrl")]
    pub fn base_url(&self) -> String {
        self.shared.client.config().base_url().to_owned()
    }

    /// One page of tokens (`GET /api/v2/tokens`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Tokens>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let params: ListParams = opt_arg(&options, "list options")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.list(&transport, &params).await?)
        })
    }

    /// Every token, fetched page by page as the iteration proceeds.
    #[wasm_bindgen(
        js_name = "listAll",
        unchecked_return_type = "AsyncIterableIterator<Token>"
    )]
    pub fn list_all(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListAllOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options = options_or_undefined(options);
        TokenPages::start(self.shared.clone(), &options).map_err(|e| api_error(&e))
    }

    /// One token (`GET /api/v2/tokens/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let id = string_arg(&id, "token id")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.get(&transport, &id).await?)
        })
    }

    /// Creates a token (`POST /api/v2/tokens`); the result holds the whole secret, this once.
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AccessTokenPost")] body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let body: AccessTokenPost = arg(body, "token body")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.create(&transport, &body).await?)
        })
    }

    /// Patches a token with JSON Patch, bare or as `{ comment, patch }` (`PATCH /api/v2/tokens/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PatchRequest")] patch: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let id = string_arg(&id, "token id")?;
            let patch: PatchRequest = arg(patch, "patch")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.update(&transport, &id, &patch).await?)
        })
    }

    /// Deletes a token (`DELETE /api/v2/tokens/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let id = string_arg(&id, "token id")?;
            let transport = shared.transport(&options)?;
            shared.client.delete(&transport, &id).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Issues a new secret (`POST /api/v2/tokens/{id}/reset`); the old one works until `expiry` (epoch ms).
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ResetOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let id = string_arg(&id, "token id")?;
            let reset: ResetOptions = opt_arg(&options, "reset options")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.reset(&transport, &id, reset.expiry).await?)
        })
    }

    /// Who the token is (`GET /api/v2/caller-identity`).
    #[wasm_bindgen(
        js_name = "callerIdentity",
        unchecked_return_type = "Promise<CallerIdentity>"
    )]
    pub fn caller_identity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let transport = shared.transport(&options)?;
            output(&shared.client.caller_identity(&transport).await?)
        })
    }

    /// One page of custom roles (`GET /api/v2/roles`).
    #[wasm_bindgen(js_name = "listRoles", unchecked_return_type = "Promise<CustomRoles>")]
    pub fn list_roles(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RoleListOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let params: RoleListParams = opt_arg(&options, "role list options")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.list_roles(&transport, &params).await?)
        })
    }

    /// One custom role by key or id (`GET /api/v2/roles/{key}`).
    #[wasm_bindgen(js_name = "getRole", unchecked_return_type = "Promise<CustomRole>")]
    pub fn get_role(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key_or_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let key = string_arg(&key_or_id, "role key or id")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.get_role(&transport, &key).await?)
        })
    }

    /// One member (`GET /api/v2/members/{id}`).
    #[wasm_bindgen(js_name = "getMember", unchecked_return_type = "Promise<Member>")]
    pub fn get_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let id = string_arg(&id, "member id")?;
            let transport = shared.transport(&options)?;
            output(&shared.client.get_member(&transport, &id).await?)
        })
    }

    /// The calling token as a `Principal`: caller identity → the token → its creator → the custom roles of
    /// both. A creator or role the token may not read is left out, making the answers it affects
    /// `indeterminate` rather than failing the call.
    #[wasm_bindgen(unchecked_return_type = "Promise<Principal>")]
    pub fn principal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let transport = shared.transport(&options)?;
            let parts = shared.client.principal_parts(&transport).await?;
            let principal = Principal::new(&parts.token, parts.member.as_ref(), &parts.roles);
            Ok(JsPrincipal::new(principal).into())
        })
    }
}
