use super::{Links, UnixMillis};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Role attributes of a member: attribute key to its values, used by `${roleAttribute/key}` in policies.
pub type RoleAttributes = BTreeMap<String, Vec<String>>;

/// The member who created a token, as embedded in it (`MemberSummary` schema).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberSummary {
    #[serde(rename = "_links", default)]
    pub links: Links,
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    pub role: String,
    pub email: String,
}

/// An account member (`Member` schema). Fields this project does not use beyond display are kept as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    #[serde(rename = "_links", default)]
    pub links: Links,
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Base role: `reader`, `writer`, `admin`, `owner` or `no_access`.
    pub role: String,
    pub email: String,
    #[serde(rename = "_pendingInvite", default)]
    pub pending_invite: bool,
    #[serde(rename = "_verified", default)]
    pub verified: bool,
    #[serde(
        rename = "_pendingEmail",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pending_email: Option<String>,
    /// Custom role ids (LaunchDarkly returns ids here).
    #[serde(default)]
    pub custom_roles: Vec<String>,
    #[serde(default)]
    pub mfa: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_dashboards: Option<Vec<String>>,
    #[serde(rename = "_lastSeen", default)]
    pub last_seen: UnixMillis,
    #[serde(
        rename = "_lastSeenMetadata",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_seen_metadata: Option<serde_json::Value>,
    #[serde(
        rename = "_integrationMetadata",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub integration_metadata: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_grants: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub creation_date: UnixMillis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_providers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_attributes: Option<RoleAttributes>,
}

impl Member {
    /// The summary embedded in the member's tokens as `_member`.
    pub fn summary(&self) -> MemberSummary {
        MemberSummary {
            links: self.links.clone(),
            id: self.id.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            role: self.role.clone(),
            email: self.email.clone(),
        }
    }
}

/// `GET /api/v2/caller-identity` (`CallerIdentityRep` schema): every field is optional.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}
