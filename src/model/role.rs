use super::{Links, Statement};
use serde::{Deserialize, Serialize};

/// A custom role (`CustomRole` schema).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomRole {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_links", default)]
    pub links: Links,
    /// LaunchDarkly's explanation of this role's allowed and denied actions, passed through untouched.
    #[serde(rename = "_access", default, skip_serializing_if = "Option::is_none")]
    pub access: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub key: String,
    pub name: String,
    pub policy: Vec<Statement>,
    /// `reader` or `no_access` (the default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_permissions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<serde_json::Value>,
    #[serde(
        rename = "_presetBundleVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub preset_bundle_version: Option<i64>,
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
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    pub items: Vec<CustomRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}
