use super::{MemberSummary, Secret, Statement, UnixMillis};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A link to a related resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
}

impl Link {
    /// A JSON link to `href`, as LaunchDarkly writes them.
    pub fn json(href: impl Into<String>) -> Self {
        Link {
            href: Some(href.into()),
            link_type: Some("application/json".into()),
        }
    }
}

/// `_links`: link name to link.
pub type Links = BTreeMap<String, Link>;

/// An access token (`Token` schema). `Debug` shows only the secret's last four characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    #[serde(rename = "_id")]
    pub id: String,
    pub owner_id: String,
    pub member_id: String,
    #[serde(rename = "_member", default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub creation_date: UnixMillis,
    pub last_modified: UnixMillis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_role: Option<Vec<Statement>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The whole secret after create and reset; otherwise its last four characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    #[serde(rename = "_links", default)]
    pub links: Links,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
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
    #[serde(default)]
    pub items: Vec<Token>,
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

/// The body of a create (`AccessTokenPost` schema).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenPost {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `reader`, `writer` or `admin`; validated by the token rules rather than by decoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_role: Option<Vec<Statement>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
}
