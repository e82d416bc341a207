//! One constructor per operation of spec §2: method, path and query, and JSON body.

use super::ApiError;
use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use crate::model::{AccessTokenPost, PatchRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Write as _;

/// The HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`: list and read.
    Get,
    /// `POST`: create and reset.
    Post,
    /// `PATCH`: update a token with a JSON Patch.
    Patch,
    /// `DELETE`: delete a token.
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the call cannot change the outcome, so that a network error or 5xx may be retried
    /// even though the first attempt may have reached the server. PATCH is not: a patch with `test` or `add`
    /// on an array element can succeed once and then fail, or apply twice.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Delete)
    }
}

/// A request before transport: method, path with query (relative to the base URL), optional JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// Path with query, relative to the base URL, such as `/api/v2/tokens?limit=25`.
    pub path: String,
    /// JSON body, for the operations that send one.
    pub body: Option<String>,
}

/// Query of `GET /api/v2/tokens`. Absent fields are left to the server's defaults (limit 25, offset 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    /// `showAll`: with an Admin-role caller, also list other members' personal tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_all: Option<bool>,
    /// `limit`: page size, 1 to 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `offset`: how many tokens to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// Query of `GET /api/v2/roles`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleListParams {
    /// `limit`: page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `offset`: how many roles to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl ToJson for ListParams {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("showAll", &self.show_all)
            .optional("limit", &self.limit)
            .optional("offset", &self.offset)
            .end()
    }
}

impl FromJson for ListParams {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(ListParams {
            show_all: object.optional("showAll"),
            limit: object.optional("limit"),
            offset: object.optional("offset"),
        })
    }
}

impl ToJson for RoleListParams {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("limit", &self.limit)
            .optional("offset", &self.offset)
            .end()
    }
}

impl FromJson for RoleListParams {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(RoleListParams {
            limit: object.optional("limit"),
            offset: object.optional("offset"),
        })
    }
}

const TOKENS: &str = "/api/v2/tokens";

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters, so that an id can never
/// climb out of its segment (`../`) or start a query.
fn encode_segment(out: &mut String, segment: &str) {
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// `prefix/<segment>` with the segment encoded; an empty id is refused rather than silently turning a
/// get into a list.
fn item_path(prefix: &str, what: &str, id: &str) -> Result<String, ApiError> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(ApiError::invalid_argument(format!(
            "{what} must be a non-empty identifier"
        )));
    }
    let mut path = String::with_capacity(prefix.len() + 1 + id.len());
    path.push_str(prefix);
    path.push('/');
    encode_segment(&mut path, id);
    Ok(path)
}

fn push_query(path: &mut String, name: &str, value: impl std::fmt::Display) {
    path.push(if path.contains('?') { '&' } else { '?' });
    let _ = write!(path, "{name}={value}");
}

/// A request body as JSON text, through the model's own writer.
fn json_body<T: crate::json::ToJson>(value: &T) -> String {
    crate::json::to_text(value)
}

impl ApiRequest {
    fn get(path: String) -> Self {
        ApiRequest {
            method: Method::Get,
            path,
            body: None,
        }
    }

    /// `GET /api/v2/tokens?showAll&limit&offset` (only the parameters given).
    pub fn list_tokens(params: &ListParams) -> Self {
        let mut path = TOKENS.to_owned();
        if let Some(show_all) = params.show_all {
            push_query(&mut path, "showAll", show_all);
        }
        if let Some(limit) = params.limit {
            push_query(&mut path, "limit", limit);
        }
        if let Some(offset) = params.offset {
            push_query(&mut path, "offset", offset);
        }
        Self::get(path)
    }

    /// `POST /api/v2/tokens`.
    pub fn create_token(body: &AccessTokenPost) -> Result<Self, ApiError> {
        Ok(ApiRequest {
            method: Method::Post,
            path: TOKENS.to_owned(),
            body: Some(json_body(body)),
        })
    }

    /// `GET /api/v2/tokens/{id}`.
    pub fn get_token(id: &str) -> Result<Self, ApiError> {
        Ok(Self::get(item_path(TOKENS, "token id", id)?))
    }

    /// `PATCH /api/v2/tokens/{id}` with a JSON Patch array or the `{ comment, patch }` wrapper.
    pub fn patch_token(id: &str, patch: &PatchRequest) -> Result<Self, ApiError> {
        Ok(ApiRequest {
            method: Method::Patch,
            path: item_path(TOKENS, "token id", id)?,
            body: Some(json_body(patch)),
        })
    }

    /// `DELETE /api/v2/tokens/{id}`.
    pub fn delete_token(id: &str) -> Result<Self, ApiError> {
        Ok(ApiRequest {
            method: Method::Delete,
            path: item_path(TOKENS, "token id", id)?,
            body: None,
        })
    }

    /// `POST /api/v2/tokens/{id}/reset[?expiry=<epoch ms>]`: the old secret stays valid until `expiry`.
    pub fn reset_token(id: &str, expiry: Option<i64>) -> Result<Self, ApiError> {
        let mut path = item_path(TOKENS, "token id", id)?;
        path.push_str("/reset");
        if let Some(expiry) = expiry {
            push_query(&mut path, "expiry", expiry);
        }
        Ok(ApiRequest {
            method: Method::Post,
            path,
            body: None,
        })
    }

    /// `GET /api/v2/caller-identity`.
    pub fn caller_identity() -> Self {
        Self::get("/api/v2/caller-identity".to_owned())
    }

    /// `GET /api/v2/roles?limit&offset`.
    pub fn list_roles(params: &RoleListParams) -> Self {
        let mut path = "/api/v2/roles".to_owned();
        if let Some(limit) = params.limit {
            push_query(&mut path, "limit", limit);
        }
        if let Some(offset) = params.offset {
            push_query(&mut path, "offset", offset);
        }
        Self::get(path)
    }

    /// `GET /api/v2/roles/{customRoleKey}` (a key or an id).
    pub fn get_role(key_or_id: &str) -> Result<Self, ApiError> {
        Ok(Self::get(item_path(
            "/api/v2/roles",
            "role key or id",
            key_or_id,
        )?))
    }

    /// `GET /api/v2/members/{id}`.
    pub fn get_member(id: &str) -> Result<Self, ApiError> {
        Ok(Self::get(item_path("/api/v2/members", "member id", id)?))
    }

    /// `GET /api/v2/members/{id}?expand=roleAttributes`: the member with the role attributes that fill
    /// `${roleAttribute/...}` in the roles assigned to it, which the member is shown without by default.
    pub fn get_member_with_role_attributes(id: &str) -> Result<Self, ApiError> {
        let mut path = item_path("/api/v2/members", "member id", id)?;
        path.push_str("?expand=roleAttributes");
        Ok(Self::get(path))
    }

    /// `GET /api/v2/teams/{teamKey}?expand=roles,roleAttributes`: a team with what it means for its members'
    /// permissions (the roles it grants and its role attributes).
    pub fn get_team(key: &str) -> Result<Self, ApiError> {
        let mut path = item_path("/api/v2/teams", "team key", key)?;
        path.push_str("?expand=roles,roleAttributes");
        Ok(Self::get(path))
    }

    /// The absolute URL on `base_url` (which has no trailing slash).
    pub fn url(&self, base_url: &str) -> String {
        let mut url = String::with_capacity(base_url.len() + self.path.len());
        url.push_str(base_url);
        url.push_str(&self.path);
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PatchOperation;

    #[test]
    fn list_query_carries_only_what_was_given() {
        assert_eq!(
            ApiRequest::list_tokens(&ListParams::default()).path,
            "/api/v2/tokens"
        );
        let r = ApiRequest::list_tokens(&ListParams {
            show_all: Some(true),
            limit: Some(5),
            offset: Some(10),
        });
        assert_eq!(r.path, "/api/v2/tokens?showAll=true&limit=5&offset=10");
        assert_eq!(r.method, Method::Get);
        let r = ApiRequest::list_tokens(&ListParams {
            offset: Some(3),
            ..ListParams::default()
        });
        assert_eq!(r.path, "/api/v2/tokens?offset=3");
    }

    #[test]
    fn ids_are_encoded_and_empty_ids_refused() {
        assert_eq!(
            ApiRequest::get_token("a/../b?x=1").unwrap().path,
            "/api/v2/tokens/a%2F..%2Fb%3Fx%3D1"
        );
        for id in ["", ".", ".."] {
            let e = ApiRequest::delete_token(id).unwrap_err();
            assert_eq!(e.code, "invalid_argument");
        }
        assert_eq!(
            ApiRequest::get_role("dev ops").unwrap().path,
            "/api/v2/roles/dev%20ops"
        );
        assert_eq!(
            ApiRequest::get_member("m1").unwrap().path,
            "/api/v2/members/m1"
        );
        assert_eq!(
            ApiRequest::get_team("qa team").unwrap().path,
            "/api/v2/teams/qa%20team?expand=roles,roleAttributes"
        );
        assert_eq!(
            ApiRequest::get_team("").unwrap_err().code,
            "invalid_argument"
        );
    }

    #[test]
    fn bodies_and_methods() {
        let c = ApiRequest::create_token(&AccessTokenPost {
            name: Some("ci".into()),
            role: Some("reader".into()),
            ..AccessTokenPost::default()
        })
        .unwrap();
        assert_eq!(c.method, Method::Post);
        assert_eq!(c.body.as_deref(), Some(r#"{"name":"ci","role":"reader"}"#));

        let p = PatchRequest::WithComment {
            comment: Some("rename".into()),
            patch: vec![PatchOperation {
                op: "replace".into(),
                path: "/name".into(),
                value: Some(serde_json::json!("x")),
                from: None,
            }],
        };
        let r = ApiRequest::patch_token("t1", &p).unwrap();
        assert_eq!(r.method, Method::Patch);
        assert_eq!(
            r.body.as_deref(),
            Some(r#"{"comment":"rename","patch":[{"op":"replace","path":"/name","value":"x"}]}"#)
        );

        let r = ApiRequest::reset_token("t1", Some(1_700_000_000_000)).unwrap();
        assert_eq!(r.path, "/api/v2/tokens/t1/reset?expiry=1700000000000");
        assert_eq!(r.body, None);
        assert_eq!(
            ApiRequest::reset_token("t1", None).unwrap().path,
            "/api/v2/tokens/t1/reset"
        );
        assert_eq!(
            ApiRequest::list_roles(&RoleListParams {
                limit: Some(2),
                offset: None
            })
            .path,
            "/api/v2/roles?limit=2"
        );
        assert_eq!(
            ApiRequest::caller_identity().url("http://h:1"),
            "http://h:1/api/v2/caller-identity"
        );
    }

    #[test]
    fn only_get_and_delete_are_idempotent() {
        assert!(Method::Get.is_idempotent());
        assert!(Method::Delete.is_idempotent());
        assert!(!Method::Post.is_idempotent());
        assert!(!Method::Patch.is_idempotent());
    }
}
