use super::identity::MemberSummary;
use super::links::{Links, UnixMillis};
use super::lists::{absent_as_empty, empty_as_absent, given, is_absent, non_empty};
use super::secret::Secret;
use super::statement::Statement;
use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An access token (`Token` schema). `Debug` shows only the secret's last four characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// ID of the access token (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// ID of the owner of the account the token belongs to.
    pub owner_id: String,
    /// ID of the member who created the token.
    pub member_id: String,
    /// Details on the member who created the token (`_member`).
    #[serde(rename = "_member", default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberSummary>,
    /// Human-friendly name of the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description of the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the token was created, in Unix milliseconds.
    pub creation_date: UnixMillis,
    /// When the token was last modified, in Unix milliseconds.
    pub last_modified: UnixMillis,
    /// IDs of the custom roles that limit the token's access. `None` when the token has none: `[]` is read as
    /// `None`, and `None` is written as `[]`, as LaunchDarkly's responses always carry the list.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        serialize_with = "absent_as_empty"
    )]
    pub custom_role_ids: Option<Vec<String>>,
    /// Policy statements used in place of a role; `[]` and absent alike are `None`, written as `[]`.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        serialize_with = "absent_as_empty"
    )]
    pub inline_role: Option<Vec<Statement>>,
    /// Base role of the token; absent when the token uses custom roles or an inline role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The whole secret after create and reset; otherwise its last four characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    /// Whether this is a service token rather than a personal one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    /// Location and content type of related resources (`_links`): `self` and `parent`.
    #[serde(rename = "_links", default)]
    pub links: Links,
    /// API version used when a request sends no `LD-API-Version` header, such as `20240415`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
    /// When the token was last used, in Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<UnixMillis>,
}

impl Token {
    /// Whether this is a service token (absent means personal).
    pub fn is_service(&self) -> bool {
        self.service_token.unwrap_or(false)
    }
}

/// A page of tokens (`Tokens` schema).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// The tokens on this page.
    #[serde(default)]
    pub items: Vec<Token>,
    /// Pagination links (`_links`): `self` and, where they exist, `first`, `prev`, `next` and `last`.
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Number of tokens the caller can see, across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

/// The body of a create (`AccessTokenPost` schema).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenPost {
    /// Human-friendly name for the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description of the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `reader`, `writer` or `admin`; validated by the token rules rather than by decoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// IDs (or keys) of the custom roles that limit the token's access; `[]` is read as not given.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        skip_serializing_if = "is_absent"
    )]
    pub custom_role_ids: Option<Vec<String>>,
    /// Policy statements to use in place of a role; `[]` is read as not given.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        skip_serializing_if = "is_absent"
    )]
    pub inline_role: Option<Vec<Statement>>,
    /// Whether to create a service token rather than a personal one (default `false`); fixed after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    /// API version used when a request sends no `LD-API-Version` header; fixed after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
}

impl AccessTokenPost {
    /// The custom roles asked for, if any: an empty list is an absent one, also in a body built in code.
    pub fn custom_roles_asked(&self) -> Option<&[String]> {
        self.custom_role_ids
            .as_deref()
            .filter(|ids| !ids.is_empty())
    }

    /// The inline policy asked for, if any: an empty list is an absent one, also in a body built in code.
    pub fn inline_role_asked(&self) -> Option<&[Statement]> {
        self.inline_role
            .as_deref()
            .filter(|statements| !statements.is_empty())
    }
}

/// The lists read as `empty_as_absent` does (`null`, `[]` and absent are `None`) and written as
/// `absent_as_empty` does (always present).
impl FromJson for Token {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(Token {
            id: o.required("_id"),
            owner_id: o.required("ownerId"),
            member_id: o.required("memberId"),
            member: o.optional("_member"),
            name: o.optional("name"),
            description: o.optional("description"),
            creation_date: o.required("creationDate"),
            last_modified: o.required("lastModified"),
            custom_role_ids: non_empty(o.optional("customRoleIds")),
            inline_role: non_empty(o.optional("inlineRole")),
            role: o.optional("role"),
            token: o.optional("token"),
            service_token: o.optional("serviceToken"),
            links: o.or_default("_links"),
            default_api_version: o.optional("defaultApiVersion"),
            last_used: o.optional("lastUsed"),
        })
    }
}

impl ToJson for Token {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("_id", &self.id)
            .field("ownerId", &self.owner_id)
            .field("memberId", &self.member_id)
            .optional("_member", &self.member)
            .optional("name", &self.name)
            .optional("description", &self.description)
            .field("creationDate", &self.creation_date)
            .field("lastModified", &self.last_modified)
            .field(
                "customRoleIds",
                self.custom_role_ids.as_deref().unwrap_or(&[]),
            )
            .field("inlineRole", self.inline_role.as_deref().unwrap_or(&[]))
            .optional("role", &self.role)
            .optional("token", &self.token)
            .optional("serviceToken", &self.service_token)
            .field("_links", &self.links)
            .optional("defaultApiVersion", &self.default_api_version)
            .optional("lastUsed", &self.last_used)
            .end()
    }
}

impl FromJson for Tokens {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(Tokens {
            items: o.or_default("items"),
            links: o.optional("_links"),
            total_count: o.optional("totalCount"),
        })
    }
}

impl ToJson for Tokens {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("items", &self.items)
            .optional("_links", &self.links)
            .optional("totalCount", &self.total_count)
            .end()
    }
}

/// The lists read as `empty_as_absent` does and left out when absent or empty, as `is_absent` skips them.
impl FromJson for AccessTokenPost {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(AccessTokenPost {
            name: o.optional("name"),
            description: o.optional("description"),
            role: o.optional("role"),
            custom_role_ids: non_empty(o.optional("customRoleIds")),
            inline_role: non_empty(o.optional("inlineRole")),
            service_token: o.optional("serviceToken"),
            default_api_version: o.optional("defaultApiVersion"),
        })
    }
}

impl ToJson for AccessTokenPost {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("name", &self.name)
            .optional("description", &self.description)
            .optional("role", &self.role)
            .optional("customRoleIds", &given(&self.custom_role_ids))
            .optional("inlineRole", &given(&self.inline_role))
            .optional("serviceToken", &self.service_token)
            .optional("defaultApiVersion", &self.default_api_version)
            .end()
    }
}
