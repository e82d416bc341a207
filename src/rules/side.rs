//! One side of a token's permission: the token's own roles, or the cap its creator puts on it. The two are
//! kept apart so that an explanation can say which side refused.

use crate::model::{CustomRole, Member, RoleAttributes, Token};
use crate::policy::{
    base_permissions_policy, BaseRole, CompiledPolicy, Decision, DecisionEffect, PolicyError,
    PolicySet, PolicySource, Resource, Truth,
};

use super::validity::find_custom_role;

/// What one side says about an (action, resource).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed,
    Denied,
    /// Not allowed by the roles at hand, but a role that was not supplied (or could not be read) might allow
    /// it: roles add up, so only a missing role can turn a "no" into a "yes".
    Unknown,
}

/// A side's verdict with its explanation.
pub(crate) struct Judged {
    pub verdict: Verdict,
    pub decision: Decision,
}

/// The policies of one side, what is missing from it, and how explanations name it.
#[derive(Clone, Debug)]
pub(crate) struct Side {
    set: PolicySet,
    /// Keys or ids of roles that were referenced but not supplied, or could not be compiled.
    missing: Vec<String>,
    /// One phrase per missing entry, for explanations.
    missing_notes: Vec<String>,
    /// Roles that were supplied but failed to compile.
    problems: Vec<PolicyError>,
    /// `the token's role "admin"`, `its creator ada@example.com (writer)`.
    label: String,
}

impl Side {
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    pub fn missing_notes(&self) -> &[String] {
        &self.missing_notes
    }

    pub fn problems(&self) -> &[PolicyError] {
        &self.problems
    }

    /// Checks `action` on `resource` against this side alone.
    pub fn judge(&self, action: &str, resource: &Resource) -> Judged {
        let decision = self.set.decide(action, resource);
        let verdict = if decision.allowed {
            Verdict::Allowed
        } else if decision.indeterminate || !self.missing.is_empty() {
            Verdict::Unknown
        } else {
            Verdict::Denied
        };
        Judged { verdict, decision }
    }

    /// Alloc-free form of [`Side::judge`] for filters.
    pub fn verdict(&self, action: &str, resource: &Resource) -> Verdict {
        self.verdict_of(self.set.truth(action, resource))
    }

    /// A side's verdict from its policies' answer: a missing role can turn a "no" into a "maybe", never the
    /// reverse.
    fn verdict_of(&self, truth: Truth) -> Verdict {
        match truth {
            Truth::Yes => Verdict::Allowed,
            Truth::Unknown => Verdict::Unknown,
            Truth::No if self.missing.is_empty() => Verdict::Denied,
            Truth::No => Verdict::Unknown,
        }
    }

    /// [`Side::verdict`] with the effect [`Side::judge`]'s decision would carry (`Allow`; `Deny` when a
    /// matching `deny` refused; else `DefaultDeny`), still without allocating.
    pub fn verdict_and_effect(
        &self,
        action: &str,
        resource: &Resource,
    ) -> (Verdict, DecisionEffect) {
        let verdict = self.verdict_of(self.set.truth(action, resource));
        if verdict == Verdict::Allowed {
            return (verdict, DecisionEffect::Allow);
        }
        (verdict, self.set.refusal_effect(action, resource))
    }

    fn empty(label: String) -> Self {
        Side {
            set: PolicySet::default(),
            missing: Vec::new(),
            missing_notes: Vec::new(),
            problems: Vec::new(),
            label,
        }
    }

    fn add(
        &mut self,
        source: PolicySource,
        statements: &[crate::model::Statement],
        attrs: &RoleAttributes,
    ) {
        match CompiledPolicy::compile(source.clone(), statements, attrs) {
            Ok(policy) => self.set.push(policy),
            Err(err) => {
                self.missing.push(source.key.clone());
                self.missing_notes.push(format!(
                    "{} could not be read ({})",
                    source.describe(),
                    err.message
                ));
                self.problems.push(err);
            }
        }
    }

    /// Adds a custom role (and what its `basePermissions` add), or notes it as missing.
    fn add_custom_role(&mut self, id: &str, roles: &[CustomRole], attrs: &RoleAttributes) {
        match find_custom_role(roles, id) {
            Some(role) => {
                self.add(PolicySource::custom_role(role), &role.policy, attrs);
                let extra = base_permissions_policy(role);
                if !extra.is_empty() {
                    self.add(
                        PolicySource::custom_role_base_permissions(role),
                        &extra,
                        attrs,
                    );
                }
            }
            None => {
                self.missing.push(id.to_string());
                self.missing_notes
                    .push(format!("custom role \"{id}\" was not supplied"));
            }
        }
    }
}

/// The token's own roles: its `role`, or its custom roles, or its inline policy; `reader` when it names none
/// (as a create without any of them makes).
pub(crate) fn own_side(token: &Token, roles: &[CustomRole], attrs: &RoleAttributes) -> Side {
    if let Some(role) = &token.role {
        let mut side = Side::empty(format!("the token's role \"{role}\""));
        match BaseRole::parse(role) {
            Some(base) => side.add(PolicySource::base_role(base), &base.token_policy(), attrs),
            // An unknown role grants nothing; it cannot come from the API, which accepts only the three.
            None => {
                side.label =
                    format!("the token's role \"{role}\" (not a known role, so it grants nothing)")
            }
        }
        return side;
    }
    if let Some(ids) = token.custom_role_ids.as_ref().filter(|ids| !ids.is_empty()) {
        let names: Vec<String> = ids
            .iter()
            .map(|id| {
                find_custom_role(roles, id)
                    .map_or_else(|| format!("\"{id}\""), |role| format!("\"{}\"", role.key))
            })
            .collect();
        let noun = if ids.len() == 1 {
            "custom role"
        } else {
            "custom roles"
        };
        let mut side = Side::empty(format!("the token's {noun} {}", names.join(", ")));
        for id in ids {
            side.add_custom_role(id, roles, attrs);
        }
        return side;
    }
    if let Some(statements) = token.inline_role.as_ref().filter(|s| !s.is_empty()) {
        let mut side = Side::empty("the token's inline policy".to_string());
        side.add(PolicySource::inline(), statements, attrs);
        return side;
    }
    let mut side = Side::empty("the token's role \"reader\" (the default)".to_string());
    let reader = BaseRole::Reader;
    side.add(
        PolicySource::base_role(reader),
        &reader.token_policy(),
        attrs,
    );
    side
}

/// The cap: the creator's base role (as a member, with the rights on their own tokens) plus their custom
/// roles. Without the member, the cap is unknown, and so is every answer the token's own roles allow.
pub(crate) fn cap_side(
    token: &Token,
    member: Option<&Member>,
    roles: &[CustomRole],
    attrs: &RoleAttributes,
) -> Side {
    let Some(member) = member else {
        let mut side = Side::empty(format!("its creator (member {})", token.member_id));
        side.missing.push(format!("member/{}", token.member_id));
        side.missing_notes.push(format!(
            "the creator, member {}, was not supplied",
            token.member_id
        ));
        return side;
    };
    let mut label = format!("its creator {} ({}", member.email, member.role);
    if !member.custom_roles.is_empty() {
        let keys: Vec<String> = member
            .custom_roles
            .iter()
            .map(|id| {
                find_custom_role(roles, id).map_or_else(|| id.clone(), |role| role.key.clone())
            })
            .collect();
        label.push_str(&format!(" with custom roles {}", keys.join(", ")));
    }
    label.push(')');
    let mut side = Side::empty(label);
    match BaseRole::parse(&member.role) {
        Some(base) => side.add(
            PolicySource::member_cap(base, &member.id),
            &base.member_policy(&member.id),
            attrs,
        ),
        None => side
            .label
            .push_str(" (not a known base role, so it allows nothing)"),
    }
    for id in &member.custom_roles {
        side.add_custom_role(id, roles, attrs);
    }
    side
}
