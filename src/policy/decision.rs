//! Decisions with their reasons: which statements of which roles allowed or denied, in words and in
//! LaunchDarkly's `_access` shape.

use super::compiled::{
    view_rule_applies, CompiledPolicy, PolicyOutcome, PolicySet, PolicySource, SourceKind,
    VIEW_PROJECT,
};

use super::base_role::BaseRole;
use super::{PolicyError, Resource, Truth};
use crate::json::{JsonOut, ObjectBuilder, ToJson};
use crate::model::{Effect, RoleAttributes, Statement};
use serde::Serialize;

/// How a decision came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub enum DecisionEffect {
    /// Some policy allowed.
    #[serde(rename = "allow")]
    Allow,
    /// No policy allowed and at least one denied explicitly.
    #[serde(rename = "deny")]
    Deny,
    /// Nothing matched at all.
    #[default]
    #[serde(rename = "default-deny")]
    DefaultDeny,
}

impl DecisionEffect {
    /// The name JavaScript sees: `allow`, `deny` or `default-deny` (what it serializes as).
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionEffect::Allow => "allow",
            DecisionEffect::Deny => "deny",
            DecisionEffect::DefaultDeny => "default-deny",
        }
    }
}

/// Which part of an answer decided it, as a person would ask "who said no?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DecisionLayer {
    /// The statements of one policy, as [`evaluate`] checks them.
    #[default]
    Policy,
    /// A token's own permissions: its role, its custom roles or its inline policy.
    TokenRoles,
    /// The cap the token's creator puts on it: the creator's base role, custom roles, teams and grants.
    CreatorCap,
    /// The view rule: modifying anything in a project needs `viewProject` on it.
    ViewRule,
    /// Whether the caller may see the token at all.
    Visibility,
    /// The request itself, wrong whoever sends it, or a rule of the API that no role changes.
    Request,
}

/// What decided an answer: the layer, and where a statement did, the role and the statement's index.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct DecidedBy {
    /// The layer that decided.
    pub layer: DecisionLayer,
    /// The role whose statement decided; absent for a bare list of statements or when no statement did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleRef>,
    /// The index of the statement that decided, in its policy as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    /// When the creator's cap refused, and the creator's base role would have allowed it but is not in
    /// effect because roles assigned to the member directly replace it: that base role (`writer`, ...).
    #[serde(
        rename = "replacedBaseRole",
        skip_serializing_if = "Option::is_none",
        serialize_with = "base_role_name"
    )]
    pub replaced_base_role: Option<BaseRole>,
}

fn base_role_name<S: serde::Serializer>(
    role: &Option<BaseRole>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match role {
        Some(role) => serializer.serialize_str(role.as_str()),
        None => serializer.serialize_none(),
    }
}

impl DecidedBy {
    /// Decided by `layer` as a whole, not by one statement.
    pub fn layer(layer: DecisionLayer) -> Self {
        DecidedBy {
            layer,
            ..DecidedBy::default()
        }
    }
}

/// The longest [`Decision::summary`], in characters: what fits a tooltip.
pub const SUMMARY_MAX_CHARS: usize = 120;

/// `text` cut to [`SUMMARY_MAX_CHARS`], with an ellipsis where it was cut.
pub(crate) fn at_a_glance(text: String) -> String {
    if text.chars().count() <= SUMMARY_MAX_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(SUMMARY_MAX_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The role a statement belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct RoleRef {
    /// The role's key: a custom role's key, a base role's wire name, or the member id for a member cap.
    pub key: String,
    /// The role's name as shown to people.
    pub name: String,
    /// What kind of policy the role is.
    pub kind: SourceKind,
}

/// A statement that matched the action and resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchedStatement {
    /// The role it belongs to; `None` for a bare list of statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleRef>,
    /// Its index in the policy as written.
    pub statement: usize,
    /// Whether the statement allows or denies.
    pub effect: Effect,
    /// An allow beaten by a deny of the same policy.
    #[serde(skip_serializing_if = "is_false")]
    pub overridden: bool,
    /// Whether the statement applies depends on a property or view the resource does not state.
    #[serde(skip_serializing_if = "is_false")]
    pub uncertain: bool,
    /// The statement itself, as written.
    pub body: Statement,
}

/// One action of a compound operation (a patch touching several fields needs several actions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionCheck {
    /// The action checked, such as `updateAccessTokenName`.
    pub action: String,
    /// The resource it was checked on, such as `member/<id>:token/<id>`.
    pub resource: String,
    /// Whether the action is allowed.
    pub allowed: bool,
    /// The answer depends on roles that were not supplied.
    #[serde(skip_serializing_if = "is_false")]
    pub indeterminate: bool,
    /// One sentence for people saying why.
    pub reason: String,
}

/// Whether something is allowed, and why.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Whether it is allowed; `false` when the answer is indeterminate.
    pub allowed: bool,
    /// What decided: an allow, an explicit deny, or the default deny.
    pub effect: DecisionEffect,
    /// Every matching statement of every policy, policy by policy, in written order.
    pub matched: Vec<MatchedStatement>,
    /// Every reason in full, for people, such as `denied by statement 2 of inline policy`.
    pub reason: String,
    /// One line a person reads at a glance (at most [`SUMMARY_MAX_CHARS`] characters), such as
    /// `Denied by inline policy, statement 2`.
    pub summary: String,
    /// Which layer decided, and by which role and statement.
    pub decided_by: DecidedBy,
    /// The answer depends on roles that were not supplied.
    #[serde(skip_serializing_if = "is_false")]
    pub indeterminate: bool,
    /// Keys or ids of the roles that were referenced but not supplied or not compiled; empty unless
    /// `indeterminate`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_roles: Vec<String>,
    /// What the resource string leaves out that the answer depends on, such as
    /// `property "critical" of proj/p:env/production` or `views of proj/p:env/e:flag/f`; empty unless
    /// `indeterminate`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_facts: Vec<String>,
    /// Set when the view rule refused: the project (`proj/<key>` as written in the resource) on which nothing
    /// allows `viewProject`, though the action itself was allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view_required: Option<String>,
    /// Each action an operation on a token needed, with its own answer; empty for a single plain check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<ActionCheck>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// LaunchDarkly's `_access` shape: the statements that allow, or deny, an action.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Access {
    /// The statements that allowed; filled only when the decision allows.
    pub allowed: Vec<AccessEntry>,
    /// The statements that denied; filled only when the decision denies (empty for a default deny).
    pub denied: Vec<AccessEntry>,
}

/// One `_access` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    /// The action the entry is about.
    pub action: String,
    /// The statement that allowed or denied it.
    pub reason: AccessStatement,
}

/// A statement as LaunchDarkly shows it in `_access`, with the name of the role it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessStatement {
    /// The statement's `resources`, when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// The statement's `notResources`, when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_resources: Option<Vec<String>>,
    /// The statement's `actions`, when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    /// The statement's `notActions`, when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_actions: Option<Vec<String>>,
    /// Whether the statement allows or denies.
    pub effect: Effect,
    /// The name of the role the statement belongs to; absent for a bare list of statements.
    #[serde(rename = "role_name", skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
}

impl ToJson for DecisionEffect {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            DecisionEffect::Allow => "allow",
            DecisionEffect::Deny => "deny",
            DecisionEffect::DefaultDeny => "default-deny",
        }
        .write_json(out)
    }
}

impl ToJson for DecisionLayer {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            DecisionLayer::Policy => "policy",
            DecisionLayer::TokenRoles => "tokenRoles",
            DecisionLayer::CreatorCap => "creatorCap",
            DecisionLayer::ViewRule => "viewRule",
            DecisionLayer::Visibility => "visibility",
            DecisionLayer::Request => "request",
        }
        .write_json(out)
    }
}

impl ToJson for DecidedBy {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("layer", &self.layer)
            .optional("role", &self.role)
            .optional("statement", &self.statement)
            .optional(
                "replacedBaseRole",
                &self.replaced_base_role.map(BaseRole::as_str),
            )
            .end()
    }
}

impl ToJson for RoleRef {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("key", &self.key)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .end()
    }
}

/// `Some(true)` for `true`, so that [`ObjectBuilder::optional`] leaves a `false` out (serde's
/// `skip_serializing_if = "is_false"`).
pub(crate) fn if_true(value: bool) -> Option<bool> {
    value.then_some(true)
}

/// `Some(items)` unless empty (serde's `skip_serializing_if = "Vec::is_empty"`).
pub(crate) fn if_any<T>(items: &[T]) -> Option<&[T]> {
    (!items.is_empty()).then_some(items)
}

impl ToJson for MatchedStatement {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("role", &self.role)
            .field("statement", &self.statement)
            .field("effect", &self.effect)
            .optional("overridden", &if_true(self.overridden))
            .optional("uncertain", &if_true(self.uncertain))
            .field("body", &self.body)
            .end()
    }
}

impl ToJson for ActionCheck {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("action", &self.action)
            .field("resource", &self.resource)
            .field("allowed", &self.allowed)
            .optional("indeterminate", &if_true(self.indeterminate))
            .field("reason", &self.reason)
            .end()
    }
}

impl Decision {
    /// The decision's members, still open: a [`crate::rules::CheckedChange`] adds its own beside them (serde's
    /// `flatten`).
    pub(crate) fn members<'a>(&self, out: &'a mut JsonOut) -> ObjectBuilder<'a> {
        ObjectBuilder::new(out)
            .field("allowed", &self.allowed)
            .field("effect", &self.effect)
            .field("matched", &self.matched)
            .field("reason", &self.reason)
            .field("summary", &self.summary)
            .field("decidedBy", &self.decided_by)
            .optional("indeterminate", &if_true(self.indeterminate))
            .optional("missingRoles", &if_any(&self.missing_roles))
            .optional("missingFacts", &if_any(&self.missing_facts))
            .optional("viewRequired", &self.view_required)
            .optional("checks", &if_any(&self.checks))
    }
}

impl ToJson for Decision {
    fn write_json(&self, out: &mut JsonOut) {
        self.members(out).end()
    }
}

impl ToJson for Access {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("allowed", &self.allowed)
            .field("denied", &self.denied)
            .end()
    }
}

impl ToJson for AccessEntry {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("action", &self.action)
            .field("reason", &self.reason)
            .end()
    }
}

impl ToJson for AccessStatement {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .optional("resources", &self.resources)
            .optional("notResources", &self.not_resources)
            .optional("actions", &self.actions)
            .optional("notActions", &self.not_actions)
            .field("effect", &self.effect)
            .optional("role_name", &self.role_name)
            .end()
    }
}

impl Decision {
    /// A decision that denies with the given reason and nothing matched (for callers that decide early).
    pub fn denied(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Decision {
            summary: at_a_glance(format!("Denied: {reason}")),
            reason,
            ..Decision::default()
        }
    }

    /// The statements behind this decision in LaunchDarkly's `_access` shape: when allowed, the allows that
    /// counted; when denied, the denies that matched (none for a default deny).
    pub fn to_access(&self, action: &str) -> Access {
        let entry = |m: &MatchedStatement| AccessEntry {
            action: action.to_string(),
            reason: AccessStatement {
                resources: m.body.resources.clone(),
                not_resources: m.body.not_resources.clone(),
                actions: m.body.actions.clone(),
                not_actions: m.body.not_actions.clone(),
                effect: m.effect,
                role_name: m.role.as_ref().map(|role| role.name.clone()),
            },
        };
        let mut access = Access::default();
        if self.allowed {
            access.allowed = self
                .matched
                .iter()
                .filter(|m| m.effect == Effect::Allow && !m.overridden)
                .map(entry)
                .collect();
        } else {
            access.denied = self
                .matched
                .iter()
                .filter(|m| m.effect == Effect::Deny)
                .map(entry)
                .collect();
        }
        access
    }
}

impl PolicySet {
    /// Checks `action` on `resource` and says why. Same answer as [`PolicySet::truth`]: `allowed` when it is
    /// `Yes`, `indeterminate` when it is `Unknown`.
    pub fn decide(&self, action: &str, resource: &Resource) -> Decision {
        let mut decision = self.decide_statements(action, resource, resource.depth());
        if !decision.allowed && !decision.indeterminate {
            debug_assert_eq!(self.truth(action, resource), Truth::No);
            return decision;
        }
        if view_rule_applies(action, resource) {
            let project = resource.prefix_text(1);
            match self.project_view(resource) {
                Truth::Yes => {}
                Truth::No => {
                    decision.allowed = false;
                    decision.indeterminate = false;
                    decision.missing_facts.clear();
                    decision.reason = format!(
                        "{}, but viewing is required to modify: nothing allows {VIEW_PROJECT} on {project}",
                        decision.reason
                    );
                    decision.view_required = Some(project.to_string());
                    decision.summary =
                        at_a_glance(format!("Denied: viewing {project} is required"));
                    decision.decided_by = DecidedBy::layer(DecisionLayer::ViewRule);
                    if decision.effect == DecisionEffect::Allow {
                        decision.effect = if self.view_denied_explicitly(resource) {
                            DecisionEffect::Deny
                        } else {
                            DecisionEffect::DefaultDeny
                        };
                    }
                }
                Truth::Unknown => {
                    decision.allowed = false;
                    decision.indeterminate = true;
                    let mut facts = std::mem::take(&mut decision.missing_facts);
                    for policy in self.policies() {
                        policy.unstated(VIEW_PROJECT, resource, 1, &mut facts);
                    }
                    decision.missing_facts = facts;
                    decision.reason = format!(
                        "{}, but whether {VIEW_PROJECT} on {project} is allowed, as modifying requires, cannot be told: the resource does not state {}",
                        decision.reason,
                        decision.missing_facts.join(", ")
                    );
                    decision.summary =
                        at_a_glance(format!("Unknown: whether {project} may be viewed"));
                    decision.decided_by = DecidedBy::layer(DecisionLayer::ViewRule);
                    if decision.effect == DecisionEffect::Allow {
                        decision.effect = DecisionEffect::DefaultDeny;
                    }
                }
            }
        }
        debug_assert_eq!(
            (decision.allowed, decision.indeterminate),
            match self.truth(action, resource) {
                Truth::Yes => (true, false),
                Truth::Unknown => (false, true),
                Truth::No => (false, false),
            }
        );
        decision
    }

    /// The effect [`PolicySet::decide`] reports for something it does not allow, without explaining or
    /// allocating: `Deny` when a deny matched the action for certain (or, when only the view rule refused, when
    /// a deny matched `viewProject` on the project); else `DefaultDeny`.
    pub fn refusal_effect(&self, action: &str, resource: &Resource) -> DecisionEffect {
        let allowed = self.allows_at_depth(action, resource, resource.depth());
        let denied = if allowed == Truth::Yes {
            view_rule_applies(action, resource)
                && self.project_view(resource) == Truth::No
                && self.view_denied_explicitly(resource)
        } else {
            self.policies()
                .iter()
                .any(|policy| policy.outcome(action, resource) == PolicyOutcome::Denied)
        };
        if denied {
            DecisionEffect::Deny
        } else {
            DecisionEffect::DefaultDeny
        }
    }

    /// Whether a `deny` statement matches `viewProject` on the project, for the effect a view-rule refusal
    /// reports.
    fn view_denied_explicitly(&self, resource: &Resource) -> bool {
        self.policies().iter().any(|policy| {
            policy
                .matching_statements_at(VIEW_PROJECT, resource, 1)
                .iter()
                .any(|(_, effect, truth)| *effect == Effect::Deny && *truth == Truth::Yes)
        })
    }

    /// The statements' answer for `action` on the first `depth` segments of `resource`, before the view rule.
    fn decide_statements(&self, action: &str, resource: &Resource, depth: usize) -> Decision {
        let mut matched = Vec::new();
        // The first statement that decided, per effect, and how many did.
        let mut first_allow: Option<(usize, &CompiledPolicy)> = None;
        let mut allow_count = 0;
        let mut first_deny: Option<(usize, &CompiledPolicy, Option<usize>)> = None;
        let mut deny_count = 0;
        let mut unknown = false;
        for policy in self.policies() {
            let hits = policy.matching_statements_at(action, resource, depth);
            let certain = |effect: Effect| {
                hits.iter()
                    .find(|(_, e, t)| *e == effect && *t == Truth::Yes)
                    .map(|(i, _, _)| *i)
            };
            let possible = |effect: Effect| {
                hits.iter()
                    .any(|(_, e, t)| *e == effect && *t == Truth::Unknown)
            };
            let deny_hit = certain(Effect::Deny);
            let allow_hit = certain(Effect::Allow);
            match (deny_hit, allow_hit) {
                (Some(deny), beaten) => {
                    deny_count += hits
                        .iter()
                        .filter(|(_, e, t)| *e == Effect::Deny && *t == Truth::Yes)
                        .count();
                    first_deny.get_or_insert((deny, policy, beaten));
                }
                (None, Some(allow)) if !possible(Effect::Deny) => {
                    allow_count += hits.iter().filter(|(_, _, t)| *t == Truth::Yes).count();
                    first_allow.get_or_insert((allow, policy));
                }
                (None, Some(_)) => unknown = true,
                (None, None) => unknown |= possible(Effect::Allow),
            }
            let role = role_ref(policy.source());
            for (index, effect, truth) in hits {
                matched.push(MatchedStatement {
                    role: role.clone(),
                    statement: index,
                    effect,
                    overridden: effect == Effect::Allow && deny_hit.is_some(),
                    uncertain: truth == Truth::Unknown,
                    body: policy.statements()[index].clone(),
                });
            }
        }
        let mut missing_facts = Vec::new();
        let by_statement = |index: usize, policy: &CompiledPolicy| DecidedBy {
            layer: DecisionLayer::Policy,
            role: role_ref(policy.source()),
            statement: Some(index),
            replaced_base_role: None,
        };
        let (allowed, indeterminate, effect, reason, summary, decided_by) =
            if let Some((index, policy)) = first_allow {
                let reason = format!(
                    "allowed by statement {index} of {}{}",
                    policy.source().describe(),
                    and_more(allow_count)
                );
                let summary = format!(
                    "Allowed by {}, statement {index}",
                    policy.source().describe()
                );
                let by = by_statement(index, policy);
                (true, false, DecisionEffect::Allow, reason, summary, by)
            } else if unknown {
                for policy in self.policies() {
                    policy.unstated(action, resource, depth, &mut missing_facts);
                }
                let reason = format!(
                    "cannot be told: it depends on what the resource does not state ({})",
                    missing_facts.join(", ")
                );
                let summary = format!(
                    "Unknown: the resource does not state {}",
                    first_and_count(&missing_facts)
                );
                let effect = if first_deny.is_some() {
                    DecisionEffect::Deny
                } else {
                    DecisionEffect::DefaultDeny
                };
                let by = DecidedBy::layer(DecisionLayer::Policy);
                (false, true, effect, reason, summary, by)
            } else if let Some((index, policy, beaten)) = first_deny {
                let beaten = beaten
                    .map(|allow| format!(", which beats the allow of statement {allow}"))
                    .unwrap_or_default();
                let reason = format!(
                    "denied by statement {index} of {}{beaten}{}",
                    policy.source().describe(),
                    and_more(deny_count)
                );
                let summary = format!(
                    "Denied by {}, statement {index}",
                    policy.source().describe()
                );
                let by = by_statement(index, policy);
                (false, false, DecisionEffect::Deny, reason, summary, by)
            } else {
                let (reason, summary) = if self.policies().is_empty() {
                    (
                        "no policy applies: default deny",
                        "Denied: no policy applies",
                    )
                } else {
                    (
                        "no statement matched: default deny",
                        "Denied: no statement allows it",
                    )
                };
                let by = DecidedBy::layer(DecisionLayer::Policy);
                let (reason, summary) = (reason.to_string(), summary.to_string());
                (
                    false,
                    false,
                    DecisionEffect::DefaultDeny,
                    reason,
                    summary,
                    by,
                )
            };
        Decision {
            allowed,
            effect,
            matched,
            reason,
            summary: at_a_glance(summary),
            decided_by,
            indeterminate,
            missing_facts,
            ..Decision::default()
        }
    }
}

/// `the first` or `the first and 2 more`, for a summary that names one of several things.
pub(crate) fn first_and_count(items: &[String]) -> String {
    match items {
        [] => "everything it needs".to_string(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
    }
}

fn and_more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 more statement)".to_string(),
        n => format!(" (and {} more statements)", n - 1),
    }
}

fn role_ref(source: &PolicySource) -> Option<RoleRef> {
    (source.kind != SourceKind::Statements).then(|| RoleRef {
        key: source.key.clone(),
        name: source.name.clone(),
        kind: source.kind,
    })
}

/// Checks `action` on `resource` against one bare list of statements, compiling them first.
///
/// The action and the resource are the question: one action and one resource. Either holding `*` or a control
/// character is refused (`invalid_action`, `invalid_resource`, with the span at fault), as is an empty action,
/// rather than matched as written; so is a resource that does not parse.
pub fn evaluate(
    statements: &[Statement],
    action: &str,
    resource: &str,
    attrs: &RoleAttributes,
) -> Result<Decision, PolicyError> {
    check_action_asked(action)?;
    let resource =
        Resource::parse(resource).map_err(|error| PolicyError::InvalidResource { error })?;
    let policy = CompiledPolicy::compile(PolicySource::statements(), statements, attrs)?;
    Ok(PolicySet::new(vec![policy]).decide(action, &resource))
}

/// Checks an action a caller asks about: one action, not empty, without `*` or a control character
/// (`invalid_action`, with the characters at fault). What every public check runs on its action before matching
/// it, since policies' action globs would match a `*` as a name.
pub fn check_action_asked(action: &str) -> Result<(), PolicyError> {
    super::specifier::check_requested_action(action)
        .map_err(|error| PolicyError::InvalidAction { error })
}

/// The outcome of one policy, as an explanation would name it.
impl PolicyOutcome {
    /// `allowed`, `denied`, `no-match` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyOutcome::Allowed => "allowed",
            PolicyOutcome::Denied => "denied",
            PolicyOutcome::NoMatch => "no-match",
            PolicyOutcome::Unknown => "unknown",
        }
    }
}
