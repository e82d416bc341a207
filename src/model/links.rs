//! What every resource of the API carries besides its own fields: `_links` and timestamps. A leaf, so that the
//! resource types can all use it without using each other.

use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Milliseconds since the Unix epoch, as every timestamp of the API is.
pub type UnixMillis = i64;

/// A link to a related resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Path of the related resource, such as `/api/v2/tokens`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Content type of the related resource, such as `application/json` (`type`).
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

impl FromJson for Link {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(Link {
            href: o.optional("href"),
            link_type: o.optional("type"),
        })
    }
}

impl ToJson for Link {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("href", &self.href)
            .optional("type", &self.link_type)
            .end()
    }
}
