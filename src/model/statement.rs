use crate::json::{one_of, At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
/// so that a bad statement can be reported with its path instead of failing a whole response. Decoding does
/// read an empty list beside its counterpart as absent, as LaunchDarkly writes them (see [`StatementPair`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "StatementWire")]
pub struct Statement {
    /// Resource specifiers the statement applies to, such as `proj/*:env/*:flag/*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// Resource specifiers the statement does not apply to: it applies to every other resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_resources: Option<Vec<String>>,
    /// Actions the statement applies to: names or globs such as `*` or `update*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    /// Actions the statement does not apply to: it applies to every other action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_actions: Option<Vec<String>>,
    /// Whether the statement allows or denies the actions it matches.
    pub effect: Effect,
}

/// A statement as it arrives, before [`StatementPair::settle`] has read its empty lists.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatementWire {
    #[serde(default)]
    resources: Option<Vec<String>>,
    #[serde(default)]
    not_resources: Option<Vec<String>>,
    #[serde(default)]
    actions: Option<Vec<String>>,
    #[serde(default)]
    not_actions: Option<Vec<String>>,
    effect: Effect,
}

impl From<StatementWire> for Statement {
    fn from(wire: StatementWire) -> Self {
        let resources = StatementPair::settle(wire.resources, wire.not_resources);
        let actions = StatementPair::settle(wire.actions, wire.not_actions);
        Statement {
            resources: resources.positive,
            not_resources: resources.negative,
            actions: actions.positive,
            not_actions: actions.negative,
            effect: wire.effect,
        }
    }
}

/// `resources` with `notResources`, or `actions` with `notActions`: the two lists of which a statement uses one.
///
/// LaunchDarkly's statements carry the unused list as `[]` beside the used one (`"resources": [...],
/// "notResources": []`; the schema's `notResources` says "The `resources` field must be empty to use this
/// field"), so an empty list beside a non-empty counterpart is read as absent. When both are empty, the
/// `not` list is dropped, so that validation reports the plain list as empty. An empty list on its own is
/// kept, for validation to name.
pub struct StatementPair {
    /// `resources` or `actions`.
    pub positive: Option<Vec<String>>,
    /// `notResources` or `notActions`.
    pub negative: Option<Vec<String>>,
}

impl StatementPair {
    /// The pair with its empty lists read as LaunchDarkly means them.
    pub fn settle(positive: Option<Vec<String>>, negative: Option<Vec<String>>) -> Self {
        let presence = |list: &Option<Vec<String>>| match list {
            None => ListPresence::Absent,
            Some(items) if items.is_empty() => ListPresence::Empty,
            Some(_) => ListPresence::Given,
        };
        let (keep_positive, keep_negative) = keep_lists(presence(&positive), presence(&negative));
        StatementPair {
            positive: positive.filter(|_| keep_positive),
            negative: negative.filter(|_| keep_negative),
        }
    }
}

/// How one list of a pair is written, for [`keep_lists`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListPresence {
    Absent,
    Empty,
    /// Non-empty (or, to the linter, present but of the wrong type: still a list that was meant).
    Given,
}

/// Which lists of a pair stand, `(positive, negative)`: an empty list beside its counterpart is an absent one,
/// the empty `not` list first, so that two empty lists leave the plain one for validation to call empty. The
/// one rule for typed statements ([`StatementPair::settle`]) and for the linter over raw JSON.
pub(crate) fn keep_lists(positive: ListPresence, negative: ListPresence) -> (bool, bool) {
    use ListPresence::{Absent, Empty, Given};
    match (positive, negative) {
        (Absent, _) | (_, Absent) | (Given, Given) => (true, true),
        (_, Empty) => (true, false),
        (Empty, Given) => (false, true),
    }
}

impl FromJson for Effect {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        one_of(
            value,
            at,
            &[("allow", Effect::Allow), ("deny", Effect::Deny)],
        )
    }
}

impl ToJson for Effect {
    fn write_json(&self, out: &mut JsonOut) {
        self.as_str().write_json(out)
    }
}

/// Through [`StatementWire`] and its `From`, as serde's `from = "StatementWire"` reads it.
impl FromJson for Statement {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        let wire = o.finish(StatementWire {
            resources: o.optional("resources"),
            not_resources: o.optional("notResources"),
            actions: o.optional("actions"),
            not_actions: o.optional("notActions"),
            effect: o.required_or("effect", Effect::Deny),
        })?;
        Ok(Statement::from(wire))
    }
}

impl ToJson for Statement {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("resources", &self.resources)
            .optional("notResources", &self.not_resources)
            .optional("actions", &self.actions)
            .optional("notActions", &self.not_actions)
            .field("effect", &self.effect)
            .end()
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(value: serde_json::Value) -> Statement {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn an_empty_list_beside_its_counterpart_is_absent() {
        let plain = Statement::allow(["proj/*"], ["viewProject"]);
        assert_eq!(
            decode(
                json!({"effect": "allow", "resources": ["proj/*"], "notResources": [],
                          "actions": ["viewProject"], "notActions": []})
            ),
            plain
        );
        let negated = decode(
            json!({"effect": "deny", "resources": [], "notResources": ["proj/a"],
                                    "notActions": ["viewProject"], "actions": []}),
        );
        assert_eq!(
            (
                negated.resources,
                negated.not_resources,
                negated.actions,
                negated.not_actions
            ),
            (
                None,
                Some(vec!["proj/a".to_owned()]),
                None,
                Some(vec!["viewProject".to_owned()])
            )
        );
        // Both empty: the plain list stays, so validation can say it is empty. Alone, an empty list stays too.
        let both =
            decode(json!({"effect": "allow", "resources": [], "notResources": [], "actions": []}));
        assert_eq!(
            (both.resources, both.not_resources, both.actions),
            (Some(vec![]), None, Some(vec![]))
        );
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            json!({"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]})
        );
    }
}
