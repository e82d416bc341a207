//! Decisions with their reasons: which statements of which roles allowed or denied, in words and in
//! LaunchDarkly's `_access` shape.

use super::compiled::{CompiledPolicy, Outcome, PolicySet, PolicySource, SourceKind};
use super::validate::Diagnostic;
use super::{PolicyError, Resource};
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
    /// One sentence for people, such as `denied by statement 2 of inline policy`.
    pub reason: String,
    /// The answer depends on roles that were not supplied.
    #[serde(skip_serializing_if = "is_false")]
    pub indeterminate: bool,
    /// Keys or ids of the roles that were referenced but not supplied or not compiled; empty unless
    /// `indeterminate`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_roles: Vec<String>,
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
    pub reason: AccessReason,
}

/// A statement as LaunchDarkly shows it in `_access`, with the name of the role it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessReason {
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

impl Decision {
    /// A decision that denies with the given reason and nothing matched (for callers that decide early).
    pub fn denied(reason: impl Into<String>) -> Self {
        Decision {
            reason: reason.into(),
            ..Decision::default()
        }
    }

    /// The statements behind this decision in LaunchDarkly's `_access` shape: when allowed, the allows that
    /// counted; when denied, the denies that matched (none for a default deny).
    pub fn to_access(&self, action: &str) -> Access {
        let entry = |m: &MatchedStatement| AccessEntry {
            action: action.to_string(),
            reason: AccessReason {
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
    /// Checks `action` on `resource` and says why. Same answer as [`PolicySet::is_allowed`].
    pub fn decide(&self, action: &str, resource: &Resource) -> Decision {
        let mut matched = Vec::new();
        // The first statement that decided, per effect, and how many did.
        let mut first_allow: Option<(usize, &CompiledPolicy)> = None;
        let mut allow_count = 0;
        let mut first_deny: Option<(usize, &CompiledPolicy, Option<usize>)> = None;
        let mut deny_count = 0;
        for policy in self.policies() {
            let hits = policy.matching_statements(action, resource);
            let deny_hit = hits
                .iter()
                .find(|(_, e)| *e == Effect::Deny)
                .map(|(i, _)| *i);
            let allow_hit = hits
                .iter()
                .find(|(_, e)| *e == Effect::Allow)
                .map(|(i, _)| *i);
            match (deny_hit, allow_hit) {
                (Some(deny), beaten) => {
                    deny_count += hits.iter().filter(|(_, e)| *e == Effect::Deny).count();
                    first_deny.get_or_insert((deny, policy, beaten));
                }
                (None, Some(allow)) => {
                    allow_count += hits.len();
                    first_allow.get_or_insert((allow, policy));
                }
                (None, None) => {}
            }
            let role = role_ref(policy.source());
            for (index, effect) in hits {
                matched.push(MatchedStatement {
                    role: role.clone(),
                    statement: index,
                    effect,
                    overridden: effect == Effect::Allow && deny_hit.is_some(),
                    body: policy.statements()[index].clone(),
                });
            }
        }
        debug_assert_eq!(first_allow.is_some(), self.is_allowed(action, resource));
        let (allowed, effect, reason) = if let Some((index, policy)) = first_allow {
            let reason = format!(
                "allowed by statement {index} of {}{}",
                policy.source().describe(),
                and_more(allow_count)
            );
            (true, DecisionEffect::Allow, reason)
        } else if let Some((index, policy, beaten)) = first_deny {
            let beaten = beaten
                .map(|allow| format!(", which beats the allow of statement {allow}"))
                .unwrap_or_default();
            let reason = format!(
                "denied by statement {index} of {}{beaten}{}",
                policy.source().describe(),
                and_more(deny_count)
            );
            (false, DecisionEffect::Deny, reason)
        } else {
            let reason = if self.policies().is_empty() {
                "no policy applies: default deny".to_string()
            } else {
                "no statement matched: default deny".to_string()
            };
            (false, DecisionEffect::DefaultDeny, reason)
        };
        Decision {
            allowed,
            effect,
            matched,
            reason,
            ..Decision::default()
        }
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
pub fn evaluate(
    statements: &[Statement],
    action: &str,
    resource: &str,
    attrs: &RoleAttributes,
) -> Result<Decision, PolicyError> {
    let resource = Resource::parse(resource).map_err(|err| PolicyError {
        code: "invalid_resource".to_string(),
        message: format!("invalid resource: {err}"),
        diagnostics: vec![Diagnostic::specifier(String::new(), &err)],
    })?;
    let policy = CompiledPolicy::compile(PolicySource::statements(), statements, attrs)?;
    Ok(PolicySet::new(vec![policy]).decide(action, &resource))
}

/// The outcome of one policy, as an explanation would name it.
impl Outcome {
    /// `allowed`, `denied` or `no-match`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::NoMatch => "no-match",
        }
    }
}
