use super::lists::{empty_as_absent, is_absent};
use serde::{Deserialize, Serialize};

/// Whether a policy statement allows or denies what it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Matching actions are allowed, unless a matching `deny` in the same policy denies them.
    Allow,
    /// Matching actions are denied; within one policy this beats any matching `allow`.
    Deny,
}

impl Effect {
    /// The wire spelling: `"allow"` or `"deny"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        }
    }
}

/// One policy statement (`Statement` / `StatementPost` in the schemas; both have the same fields).
///
/// The "exactly one of `resources`/`notResources`" rules are checked by policy validation, not by decoding,
/// so that a bad statement can be reported with its path instead of failing a whole response. An empty list
/// reads as an absent one (`notResources: []` beside `resources` is simply a `resources` statement), and
/// neither is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// Resource specifiers the statement applies to, such as `proj/*:env/*:flag/*`.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        skip_serializing_if = "is_absent"
    )]
    pub resources: Option<Vec<String>>,
    /// Resource specifiers the statement does not apply to: it applies to every other resource.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        skip_serializing_if = "is_absent"
    )]
    pub not_resources: Option<Vec<String>>,
    /// Actions the statement applies to: names or globs such as `*` or `update*`.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        skip_serializing_if = "is_absent"
    )]
    pub actions: Option<Vec<String>>,
    /// Actions the statement does not apply to: it applies to every other action.
    #[serde(
        default,
        deserialize_with = "empty_as_absent",
        skip_serializing_if = "is_absent"
    )]
    pub not_actions: Option<Vec<String>>,
    /// Whether the statement allows or denies the actions it matches.
    pub effect: Effect,
}

/// `StatementPost` is the request-side name of the same shape.
pub type StatementPost = Statement;

impl Statement {
    /// An `allow` statement over `resources` and `actions`.
    pub fn allow<R: Into<String>, A: Into<String>>(
        resources: impl IntoIterator<Item = R>,
        actions: impl IntoIterator<Item = A>,
    ) -> Self {
        Self::with_effect(Effect::Allow, resources, actions)
    }

    /// A `deny` statement over `resources` and `actions`.
    pub fn deny<R: Into<String>, A: Into<String>>(
        resources: impl IntoIterator<Item = R>,
        actions: impl IntoIterator<Item = A>,
    ) -> Self {
        Self::with_effect(Effect::Deny, resources, actions)
    }

    fn with_effect<R: Into<String>, A: Into<String>>(
        effect: Effect,
        resources: impl IntoIterator<Item = R>,
        actions: impl IntoIterator<Item = A>,
    ) -> Self {
        Statement {
            resources: Some(resources.into_iter().map(Into::into).collect()),
            not_resources: None,
            actions: Some(actions.into_iter().map(Into::into).collect()),
            not_actions: None,
            effect,
        }
    }
}
