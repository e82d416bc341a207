//! Teams (`teams.openapi.json`): a team gives its members custom roles and its own role attributes.

use super::{Links, RoleAttributes, UnixMillis};
use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A team (`Team` schema, `GET /api/v2/teams/{teamKey}`). `roles`, `roleAttributes`, `members`, `projects`
/// and `maintainers` are present only when asked for with `expand`.
///
/// The schema requires no field; `key` is required here all the same, since a team is known to its members
/// (`Member.teams[].key`) and to the API only by it, and a team without one could be matched to nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    /// A description of the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The team key.
    pub key: String,
    /// A human-friendly name for the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// LaunchDarkly's explanation of the caller's allowed and denied actions on the team, passed through.
    #[serde(rename = "_access", default, skip_serializing_if = "Option::is_none")]
    pub access: Option<serde_json::Value>,
    /// When the team was created, in Unix milliseconds.
    #[serde(
        rename = "_creationDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub creation_date: Option<UnixMillis>,
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// When the team was last modified, in Unix milliseconds.
    #[serde(
        rename = "_lastModified",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified: Option<UnixMillis>,
    /// The team version.
    #[serde(rename = "_version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Whether the team is synced with an external identity provider.
    #[serde(
        rename = "_idpSynced",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub idp_synced: Option<bool>,
    /// The team's role attributes (`expand=roleAttributes`): they fill `${roleAttribute/...}` in the roles
    /// the team grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_attributes: Option<RoleAttributes>,
    /// The custom roles assigned to the team (`expand=roles`), one page of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<TeamCustomRoles>,
    /// How many members the team has (`expand=members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<TeamMembers>,
    /// Projects the team has write access to (`expand=projects`); kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<serde_json::Value>,
    /// The team's maintainers (`expand=maintainers`); kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintainers: Option<serde_json::Value>,
}

impl Team {
    /// The keys of the custom roles the team grants, when its roles were expanded; `None` when they were
    /// not (the team was fetched without `expand=roles`).
    pub fn role_keys(&self) -> Option<Vec<&str>> {
        let roles = self.roles.as_ref()?;
        Some(
            roles
                .items
                .iter()
                .flatten()
                .map(|role| role.key.as_str())
                .collect(),
        )
    }

    /// How many of the team's roles the expanded page leaves out (`totalCount` beyond its `items`).
    pub fn roles_left_out(&self) -> u64 {
        self.roles.as_ref().map_or(0, |roles| {
            let listed = roles.items.as_ref().map_or(0, Vec::len) as u64;
            roles.total_count.unwrap_or(listed).saturating_sub(listed)
        })
    }
}

/// The custom roles assigned to a team (`TeamCustomRoles` schema).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCustomRoles {
    /// The number of custom roles assigned to the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The custom roles assigned to the team, on this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<TeamCustomRole>>,
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

/// One custom role assigned to a team (`TeamCustomRole` schema). Its policy is the custom role's, read from
/// `GET /api/v2/roles/{key}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCustomRole {
    /// The key of the custom role (required here: it is how the role's policy is found).
    pub key: String,
    /// The name of the custom role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Projects the role applies to; kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<serde_json::Value>,
    /// When the role was applied to the team, in Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_on: Option<UnixMillis>,
}

/// How many members a team has (`TeamMembers` schema).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMembers {
    /// The total count of members that belong to the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

impl FromJson for Team {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(Team {
            description: o.optional("description"),
            key: o.required("key"),
            name: o.optional("name"),
            access: o.optional("_access"),
            creation_date: o.optional("_creationDate"),
            links: o.optional("_links"),
            last_modified: o.optional("_lastModified"),
            version: o.optional("_version"),
            idp_synced: o.optional("_idpSynced"),
            role_attributes: o.optional("roleAttributes"),
            roles: o.optional("roles"),
            members: o.optional("members"),
            projects: o.optional("projects"),
            maintainers: o.optional("maintainers"),
        })
    }
}

impl ToJson for Team {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("description", &self.description)
            .field("key", &self.key)
            .optional("name", &self.name)
            .optional("_access", &self.access)
            .optional("_creationDate", &self.creation_date)
            .optional("_links", &self.links)
            .optional("_lastModified", &self.last_modified)
            .optional("_version", &self.version)
            .optional("_idpSynced", &self.idp_synced)
            .optional("roleAttributes", &self.role_attributes)
            .optional("roles", &self.roles)
            .optional("members", &self.members)
            .optional("projects", &self.projects)
            .optional("maintainers", &self.maintainers)
            .end()
    }
}

impl FromJson for TeamCustomRoles {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(TeamCustomRoles {
            total_count: o.optional("totalCount"),
            items: o.optional("items"),
            links: o.optional("_links"),
        })
    }
}

impl ToJson for TeamCustomRoles {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("totalCount", &self.total_count)
            .optional("items", &self.items)
            .optional("_links", &self.links)
            .end()
    }
}

impl FromJson for TeamCustomRole {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(TeamCustomRole {
            key: o.required("key"),
            name: o.optional("name"),
            projects: o.optional("projects"),
            applied_on: o.optional("appliedOn"),
        })
    }
}

impl ToJson for TeamCustomRole {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("key", &self.key)
            .optional("name", &self.name)
            .optional("projects", &self.projects)
            .optional("appliedOn", &self.applied_on)
            .end()
    }
}

impl FromJson for TeamMembers {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(TeamMembers {
            total_count: o.optional("totalCount"),
        })
    }
}

impl ToJson for TeamMembers {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("totalCount", &self.total_count)
            .end()
    }
}
