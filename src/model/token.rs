use super::identity::MemberSummary;
use super::links::{Links, UnixMillis};
use super::lists::{absent_as_empty, empty_as_absent, is_absent};
use super::secret::Secret;
use super::statement::Statement;
use serde::{Deserialize, Serialize};

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
