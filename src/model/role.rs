use super::{Links, Statement};
use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A custom role (`CustomRole` schema).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomRole {
    /// ID of the custom role (`_id`).
    #[serde(rename = "_id")]
    pub id: String,
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default)]
    pub links: Links,
    /// LaunchDarkly's explanation of this role's allowed and denied actions, passed through untouched.
    #[serde(rename = "_access", default, skip_serializing_if = "Option::is_none")]
    pub access: Option<serde_json::Value>,
    /// Description of the custom role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Key of the custom role, as used in `GET /api/v2/roles/{customRoleKey}`.
    pub key: String,
    /// Name of the custom role.
    pub name: String,
    /// The policy statements that make up the role.
    pub policy: Vec<Statement>,
    /// `reader` or `no_access` (the default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_permissions: Option<String>,
    /// Category of resources the role is meant to manage: `organization`, `project` or `any`; fixed once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_category: Option<String>,
    /// Number of teams and members the role is assigned to; kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<serde_json::Value>,
    /// Preset bundle version, if the role was created from a preset.
    #[serde(
        rename = "_presetBundleVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub preset_bundle_version: Option<i64>,
    /// Read-only statements copied from the preset, if the role was created from one.
    #[serde(
        rename = "_presetStatements",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub preset_statements: Option<Vec<Statement>>,
}

/// A page of custom roles (`CustomRoles` schema).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomRoles {
    /// Location and content type of related resources (`_links`).
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// The custom roles on this page.
    pub items: Vec<CustomRole>,
    /// Total number of custom roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

impl FromJson for CustomRole {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(CustomRole {
            id: o.required("_id"),
            links: o.or_default("_links"),
            access: o.optional("_access"),
            description: o.optional("description"),
            key: o.required("key"),
            name: o.required("name"),
            policy: o.required("policy"),
            base_permissions: o.optional("basePermissions"),
            resource_category: o.optional("resourceCategory"),
            assigned_to: o.optional("assignedTo"),
            preset_bundle_version: o.optional("_presetBundleVersion"),
            preset_statements: o.optional("_presetStatements"),
        })
    }
}

impl ToJson for CustomRole {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("_id", &self.id)
            .field("_links", &self.links)
            .optional("_access", &self.access)
            .optional("description", &self.description)
            .field("key", &self.key)
            .field("name", &self.name)
            .field("policy", &self.policy)
            .optional("basePermissions", &self.base_permissions)
            .optional("resourceCategory", &self.resource_category)
            .optional("assignedTo", &self.assigned_to)
            .optional("_presetBundleVersion", &self.preset_bundle_version)
            .optional("_presetStatements", &self.preset_statements)
            .end()
    }
}

impl FromJson for CustomRoles {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(CustomRoles {
            links: o.optional("_links"),
            items: o.required("items"),
            total_count: o.optional("totalCount"),
        })
    }
}

impl ToJson for CustomRoles {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("_links", &self.links)
            .field("items", &self.items)
            .optional("totalCount", &self.total_count)
            .end()
    }
}
