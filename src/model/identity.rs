use super::{Links, UnixMillis};
use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Role attributes of a member: attribute key to its values, used by `${roleAttribute/key}` in policies.
pub type RoleAttributes = BTreeMap<String, Vec<String>>;

/// The member who created a token, as embedded in it (`MemberSummary` schema).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberSummary {
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default)]
    pub links: Links,
    /// The member's ID (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The member's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The member's last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The member's base role, in effect when the member has no additional roles.
    pub role: String,
    /// The member's email address.
    pub email: String,
}

/// An account member (`Member` schema). Fields this project does not use beyond display are kept as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default)]
    pub links: Links,
    /// The member's ID (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// The member's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The member's last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Base role: `reader`, `writer`, `admin`, `owner` or `no_access`.
    pub role: String,
    /// The member's email address.
    pub email: String,
    /// Whether the member has a pending invitation.
    #[serde(rename = "_pendingInvite", default)]
    pub pending_invite: bool,
    /// Whether the member's email address has been verified.
    #[serde(rename = "_verified", default)]
    pub verified: bool,
    /// The member's email address before it is verified, on accounts that require verification.
    #[serde(
        rename = "_pendingEmail",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pending_email: Option<String>,
    /// Custom role ids (LaunchDarkly returns ids here).
    #[serde(default)]
    pub custom_roles: Vec<String>,
    /// Whether multi-factor authentication is enabled for the member.
    #[serde(default)]
    pub mfa: String,
    /// Default dashboards the member has chosen to ignore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_dashboards: Option<Vec<String>>,
    /// When the member's last session was, in Unix milliseconds (`_lastSeen`).
    #[serde(rename = "_lastSeen", default)]
    pub last_seen: UnixMillis,
    /// Metadata of the member's last session, such as the ID of the token used; kept as JSON.
    #[serde(
        rename = "_lastSeenMetadata",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_seen_metadata: Option<serde_json::Value>,
    /// Details on the member in an external source, when the member is provisioned externally; kept as JSON.
    #[serde(
        rename = "_integrationMetadata",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub integration_metadata: Option<serde_json::Value>,
    /// The teams the member is assigned to, each with the keys of the custom roles it grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<MemberTeamSummary>>,
    /// Permission grants, which give the member specific actions on one resource without a custom role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_grants: Option<Vec<PermissionGrant>>,
    /// When the member was created, in Unix milliseconds.
    #[serde(default)]
    pub creation_date: UnixMillis,
    /// OAuth providers of the member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_providers: Option<Vec<String>>,
    /// Version of the member's current configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The member's role attributes, which `${roleAttribute/key}` in a policy expands to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_attributes: Option<RoleAttributes>,
}

/// A team a member belongs to, as the member shows it (`MemberTeamSummaryRep` schema).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberTeamSummary {
    /// Keys of the custom roles the team grants its members.
    pub custom_role_keys: Vec<String>,
    /// The team key.
    pub key: String,
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// The team name.
    pub name: String,
}

/// Actions granted to a member on one resource without a custom role (`MemberPermissionGrantSummaryRep`
/// schema). A grant has either `actions` or a named `actionSet`, not both; LaunchDarkly does not publish
/// what an action set contains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionGrant {
    /// The name of the group of related actions allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_set: Option<String>,
    /// The actions allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    /// The resource the actions are allowed on, such as `team/qa-team`.
    pub resource: String,
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
    /// ID of the caller's account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// ID of the environment the caller's credential belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    /// ID of the project the caller's credential belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Name of the environment the caller's credential belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_name: Option<String>,
    /// Name of the project the caller's credential belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// How the caller authenticated. The schema leaves the values open; the emulator answers `token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_kind: Option<String>,
    /// Kind of the calling token. The schema leaves the values open; the emulator answers `personal` or `service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_kind: Option<String>,
    /// ID of the OAuth client the caller authenticated through, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Name of the calling token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
    /// ID of the calling token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// ID of the member who created the calling token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    /// Whether the calling token is a service token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    /// Scopes granted to the caller's credential, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}

impl FromJson for MemberSummary {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(MemberSummary {
            links: o.or_default("_links"),
            id: o.required("_id"),
            first_name: o.optional("firstName"),
            last_name: o.optional("lastName"),
            role: o.required("role"),
            email: o.required("email"),
        })
    }
}

impl ToJson for MemberSummary {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("_links", &self.links)
            .field("_id", &self.id)
            .optional("firstName", &self.first_name)
            .optional("lastName", &self.last_name)
            .field("role", &self.role)
            .field("email", &self.email)
            .end()
    }
}

impl FromJson for Member {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(Member {
            links: o.or_default("_links"),
            id: o.required("_id"),
            first_name: o.optional("firstName"),
            last_name: o.optional("lastName"),
            role: o.required("role"),
            email: o.required("email"),
            pending_invite: o.or_default("_pendingInvite"),
            verified: o.or_default("_verified"),
            pending_email: o.optional("_pendingEmail"),
            custom_roles: o.or_default("customRoles"),
            mfa: o.or_default("mfa"),
            excluded_dashboards: o.optional("excludedDashboards"),
            last_seen: o.or_default("_lastSeen"),
            last_seen_metadata: o.optional("_lastSeenMetadata"),
            integration_metadata: o.optional("_integrationMetadata"),
            teams: o.optional("teams"),
            permission_grants: o.optional("permissionGrants"),
            creation_date: o.or_default("creationDate"),
            oauth_providers: o.optional("oauthProviders"),
            version: o.optional("version"),
            role_attributes: o.optional("roleAttributes"),
        })
    }
}

impl ToJson for Member {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("_links", &self.links)
            .field("_id", &self.id)
            .optional("firstName", &self.first_name)
            .optional("lastName", &self.last_name)
            .field("role", &self.role)
            .field("email", &self.email)
            .field("_pendingInvite", &self.pending_invite)
            .field("_verified", &self.verified)
            .optional("_pendingEmail", &self.pending_email)
            .field("customRoles", &self.custom_roles)
            .field("mfa", &self.mfa)
            .optional("excludedDashboards", &self.excluded_dashboards)
            .field("_lastSeen", &self.last_seen)
            .optional("_lastSeenMetadata", &self.last_seen_metadata)
            .optional("_integrationMetadata", &self.integration_metadata)
            .optional("teams", &self.teams)
            .optional("permissionGrants", &self.permission_grants)
            .field("creationDate", &self.creation_date)
            .optional("oauthProviders", &self.oauth_providers)
            .optional("version", &self.version)
            .optional("roleAttributes", &self.role_attributes)
            .end()
    }
}

impl FromJson for MemberTeamSummary {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(MemberTeamSummary {
            custom_role_keys: o.required("customRoleKeys"),
            key: o.required("key"),
            links: o.optional("_links"),
            name: o.required("name"),
        })
    }
}

impl ToJson for MemberTeamSummary {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("customRoleKeys", &self.custom_role_keys)
            .field("key", &self.key)
            .optional("_links", &self.links)
            .field("name", &self.name)
            .end()
    }
}

impl FromJson for PermissionGrant {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(PermissionGrant {
            action_set: o.optional("actionSet"),
            actions: o.optional("actions"),
            resource: o.required("resource"),
        })
    }
}

impl ToJson for PermissionGrant {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("actionSet", &self.action_set)
            .optional("actions", &self.actions)
            .field("resource", &self.resource)
            .end()
    }
}

impl FromJson for CallerIdentity {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(CallerIdentity {
            account_id: o.optional("accountId"),
            environment_id: o.optional("environmentId"),
            project_id: o.optional("projectId"),
            environment_name: o.optional("environmentName"),
            project_name: o.optional("projectName"),
            auth_kind: o.optional("authKind"),
            token_kind: o.optional("tokenKind"),
            client_id: o.optional("clientId"),
            token_name: o.optional("tokenName"),
            token_id: o.optional("tokenId"),
            member_id: o.optional("memberId"),
            service_token: o.optional("serviceToken"),
            scopes: o.optional("scopes"),
        })
    }
}

impl ToJson for CallerIdentity {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("accountId", &self.account_id)
            .optional("environmentId", &self.environment_id)
            .optional("projectId", &self.project_id)
            .optional("environmentName", &self.environment_name)
            .optional("projectName", &self.project_name)
            .optional("authKind", &self.auth_kind)
            .optional("tokenKind", &self.token_kind)
            .optional("clientId", &self.client_id)
            .optional("tokenName", &self.token_name)
            .optional("tokenId", &self.token_id)
            .optional("memberId", &self.member_id)
            .optional("serviceToken", &self.service_token)
            .optional("scopes", &self.scopes)
            .end()
    }
}
