//! `TokensClient`: the REST client for JavaScript. Each method returns a promise that resolves with plain
//! objects shaped like the API's JSON, or rejects with an `ApiError`.

use super::call::{call, decodes_as, CallContext, ExpectedBody};
use super::convert::{from_js, from_js_or_default, property, string_arg};
use super::errors::api_error;
use super::fetch::FetchFn;
use super::pages::TokenPages;
use super::principal::{Basis, JsPrincipal};
use crate::api::{ApiError, ApiRequest, Client, ClientConfig, ListParams, RoleListParams};
use crate::json::{At, FromJson, JsonError, Object};
use crate::model::{
    AccessTokenPost, CallerIdentity, CustomRole, CustomRoles, Member, PatchRequest, Secret, Team,
    Token, Tokens,
};
use js_sys::Promise;
use serde_json::Value;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

struct ClientOptions {
    token: Secret,
    base_url: Option<String>,
    api_version: Option<String>,
    max_retries: Option<u32>,
    user_agent: Option<String>,
}

#[derive(Default)]
struct ResetOptions {
    expiry: Option<i64>,
}

/// `apiVersion`, given as the number LaunchDarkly documents (`20240415`) or a string (`"beta"`): a string as it
/// is, a number that fits 32 bits as its digits (the header's text), `null` as none.
fn version_of(value: &Value, at: At<'_>) -> Result<Option<String>, JsonError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        Value::Number(n) => match n.as_u64().map(u32::try_from) {
            Some(Ok(n)) => Ok(Some(n.to_string())),
            _ => Err(JsonError::new(
                at,
                format!("invalid value {n}, expected a version number or string"),
            )),
        },
        other => Err(JsonError::expected(at, "a version number or string", other)),
    }
}

impl FromJson for ClientOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        let api_version = match object.get("apiVersion") {
            Some(version) => version_of(version, at.key("apiVersion"))?,
            None => None,
        };
        object.finish(ClientOptions {
            token: object.required("token"),
            base_url: object.optional("baseUrl"),
            api_version,
            max_retries: object.optional("maxRetries"),
            user_agent: object.optional("userAgent"),
        })
    }
}

impl FromJson for ResetOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(ResetOptions {
            expiry: object.optional("expiry"),
        })
    }
}

/// A client for LaunchDarkly's Access Tokens API (and the identity and role reads it needs).
#[wasm_bindgen(js_name = "TokensClient")]
pub struct TokensClient {
    shared: Rc<CallContext>,
}

const TOKEN: ExpectedBody = ExpectedBody::Object(decodes_as::<Token>, "Token");

/// Runs `work` as a promise; an `ApiError` becomes the rejection.
fn promise<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, ApiError>> + 'static,
{
    future_to_promise(async move { work.await.map_err(|e| api_error(&e)) })
}

/// A string argument; a rejection with `invalid_argument` otherwise.
fn api_string_arg(value: &JsValue, what: &str) -> Result<String, ApiError> {
    string_arg(value, what).map_err(ApiError::invalid_argument)
}

fn arg<T: crate::json::FromJson>(value: JsValue, what: &str) -> Result<T, ApiError> {
    from_js(value, what).map_err(ApiError::invalid_argument)
}

fn opt_arg<T: crate::json::FromJson + Default>(value: &JsValue, what: &str) -> Result<T, ApiError> {
    from_js_or_default(value.clone(), what).map_err(ApiError::invalid_argument)
}

/// A page as the `Tokens` type promises it: the schema does not require `items`, so `{}` is a valid empty
/// page, and a caller writing `page.items.length` must not fail on it.
fn with_items(page: JsValue) -> JsValue {
    if property(&page, "items").is_undefined() {
        let _ = js_sys::Reflect::set(&page, &JsValue::from_str("items"), &js_sys::Array::new());
    }
    page
}

fn options_or_undefined(options: Option<JsValue>) -> JsValue {
    options.unwrap_or(JsValue::UNDEFINED)
}

impl TokensClient {
    /// What most methods are: build the request (from the call's options, for those that carry parameters),
    /// send it, and settle the promise with the checked body. A bad argument rejects the promise rather than
    /// throwing, like every other failure of the call.
    fn send(
        &self,
        options: Option<JsValue>,
        request: impl FnOnce(&JsValue) -> Result<ApiRequest, ApiError>,
        expect: ExpectedBody,
    ) -> Promise {
        let options = options_or_undefined(options);
        let request = request(&options);
        promise(call(self.shared.clone(), options, request, expect))
    }
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
        let config = ClientConfig::new(
            parsed.token,
            parsed.base_url.as_deref(),
            parsed.api_version.as_deref(),
            parsed.max_retries,
            parsed.user_agent.as_deref(),
        )
        .map_err(|e| api_error(&ApiError::invalid_argument(e.message)))?;
        Ok(TokensClient {
            shared: Rc::new(CallContext {
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
        #[wasm_bindgen(unchecked_optional_param_type = "ListOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        let request =
            opt_arg::<ListParams>(&options, "list options").map(|p| ApiRequest::list_tokens(&p));
        promise(async move {
            let page = call(
                shared,
                options,
                request,
                ExpectedBody::Object(decodes_as::<Tokens>, "Tokens"),
            )
            .await?;
            Ok(with_items(page))
        })
    }

    /// Every token, fetched page by page as the iteration proceeds.
    #[wasm_bindgen(
        js_name = "listAll",
        unchecked_return_type = "AsyncIterableIterator<Token>"
    )]
    pub fn list_all(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListAllOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options = options_or_undefined(options);
        TokenPages::start(self.shared.clone(), &options).map_err(|e| api_error(&e))
    }

    /// One token (`GET /api/v2/tokens/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request =
            |_: &JsValue| api_string_arg(&id, "token id").and_then(|id| ApiRequest::get_token(&id));
        self.send(options, request, TOKEN)
    }

    /// Creates a token (`POST /api/v2/tokens`); the result holds the whole secret, this once.
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AccessTokenPost")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |_: &JsValue| {
            arg::<AccessTokenPost>(body, "token body").and_then(|b| ApiRequest::create_token(&b))
        };
        self.send(options, request, TOKEN)
    }

    /// Patches a token with JSON Patch, bare or as `{ comment, patch }` (`PATCH /api/v2/tokens/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PatchRequest")] patch: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |_: &JsValue| {
            let id = api_string_arg(&id, "token id")?;
            let patch: PatchRequest = arg(patch, "patch")?;
            ApiRequest::patch_token(&id, &patch)
        };
        self.send(options, request, TOKEN)
    }

    /// Deletes a token (`DELETE /api/v2/tokens/{id}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |_: &JsValue| {
            api_string_arg(&id, "token id").and_then(|id| ApiRequest::delete_token(&id))
        };
        self.send(options, request, ExpectedBody::Empty)
    }

    /// Issues a new secret (`POST /api/v2/tokens/{id}/reset`); the old one works until `expiry` (epoch ms).
    #[wasm_bindgen(unchecked_return_type = "Promise<Token>")]
    pub fn reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ResetOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |options: &JsValue| {
            let id = api_string_arg(&id, "token id")?;
            let reset: ResetOptions = opt_arg(options, "reset options")?;
            ApiRequest::reset_token(&id, reset.expiry)
        };
        self.send(options, request, TOKEN)
    }

    /// Who the token is (`GET /api/v2/caller-identity`).
    #[wasm_bindgen(
        js_name = "callerIdentity",
        unchecked_return_type = "Promise<CallerIdentity>"
    )]
    pub fn caller_identity(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let expect = ExpectedBody::Object(decodes_as::<CallerIdentity>, "CallerIdentity");
        self.send(options, |_| Ok(ApiRequest::caller_identity()), expect)
    }

    /// One page of custom roles (`GET /api/v2/roles`).
    #[wasm_bindgen(js_name = "listRoles", unchecked_return_type = "Promise<CustomRoles>")]
    pub fn list_roles(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RoleListOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |options: &JsValue| {
            opt_arg::<RoleListParams>(options, "role list options")
                .map(|p| ApiRequest::list_roles(&p))
        };
        let expect = ExpectedBody::Object(decodes_as::<CustomRoles>, "CustomRoles");
        self.send(options, request, expect)
    }

    /// One custom role by key or id (`GET /api/v2/roles/{key}`).
    #[wasm_bindgen(js_name = "getRole", unchecked_return_type = "Promise<CustomRole>")]
    pub fn get_role(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key_or_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |_: &JsValue| {
            api_string_arg(&key_or_id, "role key or id").and_then(|k| ApiRequest::get_role(&k))
        };
        let expect = ExpectedBody::Object(decodes_as::<CustomRole>, "CustomRole");
        self.send(options, request, expect)
    }

    /// One member with its role attributes (`GET /api/v2/members/{id}?expand=roleAttributes`): without them
    /// the roles assigned to the member cannot be filled in, and a `Principal` built from it would refuse what
    /// `${roleAttribute/...}` grants.
    #[wasm_bindgen(js_name = "getMember", unchecked_return_type = "Promise<Member>")]
    pub fn get_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = |_: &JsValue| {
            api_string_arg(&id, "member id")
                .and_then(|id| ApiRequest::get_member_with_role_attributes(&id))
        };
        let expect = ExpectedBody::Object(decodes_as::<Member>, "Member");
        self.send(options, request, expect)
    }

    /// One team with its roles and role attributes (`GET /api/v2/teams/{teamKey}?expand=roles,roleAttributes`).
    #[wasm_bindgen(js_name = "getTeam", unchecked_return_type = "Promise<Team>")]
    pub fn get_team(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request =
            |_: &JsValue| api_string_arg(&key, "team key").and_then(|k| ApiRequest::get_team(&k));
        let expect = ExpectedBody::Object(decodes_as::<Team>, "Team");
        self.send(options, request, expect)
    }

    /// The calling token as a `Principal`: caller identity → the token → its creator → the creator's teams
    /// → the custom roles of the token, the creator and its teams. A creator, team or role the token may not
    /// read is left out, making the answers it affects `indeterminate` rather than failing the call.
    #[wasm_bindgen(unchecked_return_type = "Promise<Principal>")]
    pub fn principal(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let shared = self.shared.clone();
        let options = options_or_undefined(options);
        promise(async move {
            let transport = shared.transport(&options)?;
            let parts = shared.client.principal_parts(&transport).await?;
            Ok(JsPrincipal::new(Basis {
                token: parts.token,
                member: parts.member,
                roles: parts.roles,
                teams: parts.teams,
            })
            .into())
        })
    }
}
