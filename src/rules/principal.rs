//! A token as a caller: what it may do, as the AND of its own roles and its creator's cap.

use super::layer::{cap_layer, own_layer, Layer, LayerDecision, MemberBaseRole};
use crate::model::{CustomRole, Member, RoleAttributes, Team, Token};
use crate::policy::{
    at_a_glance, check_action_asked, first_and_count, BaseRole, DecidedBy, Decision,
    DecisionEffect, DecisionLayer, PolicyError, Resource, Truth,
};

/// A calling token with everything needed to decide what it may do (spec §3).
///
/// Built once per caller: every role is compiled up front, so each check is a few comparisons.
#[derive(Clone, Debug)]
pub struct Principal {
    pub(crate) token_id: String,
    pub(crate) member_id: String,
    pub(crate) service: bool,
    /// The token's own `role`, when it has one.
    pub(crate) token_role: Option<String>,
    /// The creator's base role and whether it is in effect; `None` exactly when the creator was not supplied.
    pub(crate) creator_base: Option<MemberBaseRole>,
    pub(crate) creator_label: String,
    pub(crate) own: Layer,
    pub(crate) cap: Layer,
    /// The creator's role attributes, which fill `${roleAttribute/...}` in every policy of this principal.
    pub(crate) attrs: RoleAttributes,
}

impl Principal {
    /// A principal for `token`.
    ///
    /// `member` is the token's creator: for a personal token the member as they are now (a downgraded member
    /// downgrades their tokens); for a service token the creator as they were when the token was made (the
    /// emulator keeps that snapshot; a client passes the current member, its best knowledge). `None` means
    /// the creator is not known, which leaves every answer the token's own roles allow indeterminate.
    ///
    /// `roles` are the custom roles the caller knows (any superset of the ones referenced will do); a role
    /// referenced but absent makes the decisions it could change indeterminate, naming it in `missing_roles`.
    /// The creator's role attributes fill `${roleAttribute/...}` in the token's roles and the creator's own.
    ///
    /// The same as [`Principal::with_teams`] with no teams supplied: roles the creator holds through teams
    /// still count when `roles` has them and they read no role attributes; the others make the answers they
    /// could change indeterminate.
    pub fn new(token: &Token, member: Option<&Member>, roles: &[CustomRole]) -> Principal {
        Principal::with_teams(token, member, roles, &[])
    }

    /// [`Principal::new`], with the creator's teams (`GET /api/v2/teams/{key}?expand=roles,roleAttributes`).
    ///
    /// The roles a team grants join the creator's cap, filled with that team's role attributes; the
    /// creator's permission grants join it too (a grant of a named `actionSet` makes what it could allow
    /// indeterminate, naming `actionSet/<name>`). Teams the creator does not belong to (`member.teams`) are
    /// ignored; a team it belongs to that is not in `teams`, when its roles read role attributes, is missing
    /// (`team/<key>`).
    pub fn with_teams(
        token: &Token,
        member: Option<&Member>,
        roles: &[CustomRole],
        teams: &[Team],
    ) -> Principal {
        let attrs: RoleAttributes = member
            .and_then(|m| m.role_attributes.clone())
            .unwrap_or_default();
        let cap = cap_layer(token, member, roles, teams);
        Principal {
            token_id: token.id.clone(),
            member_id: token.member_id.clone(),
            service: token.is_service(),
            token_role: token.role.clone(),
            creator_base: member.map(MemberBaseRole::of),
            creator_label: cap.label().trim_start_matches("its creator ").to_string(),
            own: own_layer(token, roles, &attrs),
            cap,
            attrs,
        }
    }

    /// The calling token's id.
    pub fn token_id(&self) -> &str {
        &self.token_id
    }

    /// The id of the member who created the calling token.
    pub fn member_id(&self) -> &str {
        &self.member_id
    }

    /// Whether the calling token is a service token.
    pub fn is_service(&self) -> bool {
        self.service
    }

    /// The creator's base role as written, if the creator is known and their role is one of the five, whether
    /// or not it is in effect (see [`Principal::creator_base_role`]).
    pub fn creator_role(&self) -> Option<BaseRole> {
        self.creator_base.and_then(MemberBaseRole::written)
    }

    /// The creator's base role and whether it is in effect (roles assigned to the member directly replace
    /// it), if the creator is known.
    pub fn creator_base_role(&self) -> Option<MemberBaseRole> {
        self.creator_base
    }

    /// The creator's base role **in effect**: `None` when the creator is unknown, when its role is not a base
    /// role, or when roles assigned to it directly replace it.
    pub fn creator_role_in_effect(&self) -> Option<BaseRole> {
        self.creator_base.and_then(MemberBaseRole::in_effect)
    }

    /// Spec §3 "Admin": the token's `role` is `admin` and its creator's base role **in effect** is `admin` or
    /// `owner`. An admin token made by a writer is not Admin: the cap brings it down to what the writer may
    /// do; nor is one made by an admin who was given custom or preset roles, which replace the base role.
    pub fn is_admin(&self) -> bool {
        self.token_role.as_deref() == Some("admin")
            && self.creator_role_in_effect().is_some_and(|r| r.rank() >= 3)
    }

    /// Roles that were supplied but could not be compiled (they count as missing in decisions).
    pub fn problems(&self) -> Vec<&PolicyError> {
        self.own
            .problems()
            .iter()
            .chain(self.cap.problems())
            .collect()
    }

    /// Whether the token may do `action` on `resource`: its own roles must allow it **and** its creator's cap
    /// must allow it. The reason says which layer refused.
    ///
    /// Errors for a question that is not one question: an action that is empty or holds `*` or a control
    /// character (`invalid_action`), and a resource that holds either or does not parse (`invalid_resource`),
    /// each with the characters at fault. A `*` is refused rather than matched as a name, which would answer
    /// "every environment" with what holds for one named `*`.
    pub fn can(&self, action: &str, resource: &str) -> Result<Decision, PolicyError> {
        check_action_asked(action)?;
        let parsed =
            Resource::parse(resource).map_err(|error| PolicyError::InvalidResource { error })?;
        Ok(decide_layers(&self.own, &self.cap, action, &parsed))
    }

    /// [`Principal::can`] on a resource parsed already. An action [`Principal::can`] would refuse is denied,
    /// the reason saying why (this answer has no error to give).
    pub fn decide(&self, action: &str, resource: &Resource) -> Decision {
        if let Err(error) = check_action_asked(action) {
            return Decision {
                decided_by: DecidedBy::layer(DecisionLayer::Request),
                ..Decision::denied(error.to_string())
            };
        }
        decide_layers(&self.own, &self.cap, action, resource)
    }

    /// Whether the token may certainly do `action` on `resource` (allocation-free; indeterminate is `false`).
    /// `false` for an action [`Principal::can`] would refuse.
    pub fn is_allowed(&self, action: &str, resource: &Resource) -> bool {
        check_action_asked(action).is_ok()
            && self.own.truth(action, resource) == Truth::Yes
            && self.cap.truth(action, resource) == Truth::Yes
    }

    /// What [`Principal::decide`] answers in `allowed`, `effect` and `indeterminate`, without the explanation
    /// and without allocating: for callers that want the answer now and the reasons only if asked. An action
    /// [`Principal::can`] would refuse is [`Verdict::DefaultDenied`], as [`Principal::decide`] denies it.
    pub fn verdict(&self, action: &str, resource: &Resource) -> Verdict {
        if check_action_asked(action).is_err() {
            return Verdict::DefaultDenied;
        }
        let (own, own_effect) = self.own.truth_and_effect(action, resource);
        let (cap, cap_effect) = self.cap.truth_and_effect(action, resource);
        // The same table as `combine`, reduced to its first three columns.
        let effect = match (own, cap) {
            (Truth::Yes, Truth::Yes) => return Verdict::Allowed,
            (Truth::No, Truth::No) => stricter(own_effect, cap_effect),
            (Truth::No, _) => own_effect,
            (_, Truth::No) => cap_effect,
            _ => return Verdict::Indeterminate,
        };
        if effect == DecisionEffect::Deny {
            Verdict::Denied
        } else {
            Verdict::DefaultDenied
        }
    }
}

/// The decision of a token's two layers, ANDed: what [`Principal::decide`] answers.
pub(super) fn decide_layers(
    own_layer: &Layer,
    cap_layer: &Layer,
    action: &str,
    resource: &Resource,
) -> Decision {
    let own = own_layer.decide(action, resource);
    let cap = cap_layer.decide(action, resource);
    combine(own_layer, own, cap_layer, cap, action, resource)
}

/// A decision without its explanation (see [`Principal::verdict`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Allowed: `allowed: true`, effect `allow`.
    Allowed,
    /// Refused, and a matching `deny` statement is why: effect `deny`.
    Denied,
    /// Refused because nothing allows it: effect `default-deny`.
    DefaultDenied,
    /// Not allowed by the roles at hand, but a role that was not supplied could allow it: effect
    /// `default-deny`, `indeterminate: true`.
    Indeterminate,
}

impl Verdict {
    /// `Decision::allowed`.
    pub fn allowed(self) -> bool {
        self == Verdict::Allowed
    }

    /// `Decision::effect`.
    pub fn effect(self) -> DecisionEffect {
        match self {
            Verdict::Allowed => DecisionEffect::Allow,
            Verdict::Denied => DecisionEffect::Deny,
            Verdict::DefaultDenied | Verdict::Indeterminate => DecisionEffect::DefaultDeny,
        }
    }

    /// `Decision::indeterminate`.
    pub fn indeterminate(self) -> bool {
        self == Verdict::Indeterminate
    }
}

/// ANDs the two layers. A definite "no" from either layer is a "no" whatever is missing elsewhere; a "yes"
/// needs both; anything else depends on a missing role and is indeterminate.
fn combine(
    own_layer: &Layer,
    own: LayerDecision,
    cap_layer: &Layer,
    cap: LayerDecision,
    action: &str,
    resource: &Resource,
) -> Decision {
    let own_label = own_layer.label();
    let cap_label = cap_layer.label();
    let mut matched = own.decision.matched.clone();
    matched.extend(cap.decision.matched.iter().cloned());
    // Why a layer's answer cannot be told: roles that were not supplied, or what the resource leaves out.
    let unknown = |layer: &Layer, layer_decision: &LayerDecision| {
        let mut why: Vec<String> = layer.missing_notes_for(action, resource);
        if layer_decision.decision.indeterminate {
            why.push(format!(
                "the resource does not state {}",
                layer_decision.decision.missing_facts.join(", ")
            ));
        }
        format!(
            "whether {} allows it cannot be told: {}",
            layer.label(),
            why.join("; ")
        )
    };
    let facts_of = |layer_decision: &LayerDecision| layer_decision.decision.missing_facts.clone();
    let (allowed, indeterminate, effect, reason, missing, deciding) = match (own.truth, cap.truth) {
        (Truth::Yes, Truth::Yes) => (
            true,
            false,
            DecisionEffect::Allow,
            format!(
                "{own_label} allows it ({}), and so may {cap_label} ({})",
                own.decision.reason, cap.decision.reason
            ),
            Vec::new(),
            Deciding::Own,
        ),
        (Truth::No, Truth::No) => (
            false,
            false,
            stricter(own.decision.effect, cap.decision.effect),
            format!(
                "{own_label} does not allow it ({}), nor may {cap_label} ({})",
                own.decision.reason, cap.decision.reason
            ),
            Vec::new(),
            Deciding::Own,
        ),
        (Truth::No, _) => (
            false,
            false,
            own.decision.effect,
            format!("{own_label} does not allow it: {}", own.decision.reason),
            Vec::new(),
            Deciding::Own,
        ),
        (Truth::Yes, Truth::No) => (
            false,
            false,
            cap.decision.effect,
            format!(
                "{own_label} allows it, but {cap_label} may not: {}",
                cap.decision.reason
            ),
            Vec::new(),
            Deciding::Cap,
        ),
        (Truth::Unknown, Truth::No) => (
            false,
            false,
            cap.decision.effect,
            format!("{cap_label} may not: {}", cap.decision.reason),
            Vec::new(),
            Deciding::Cap,
        ),
        (Truth::Yes, Truth::Unknown) => (
            false,
            true,
            DecisionEffect::DefaultDeny,
            format!("{own_label} allows it, but {}", unknown(cap_layer, &cap)),
            cap_layer.missing_for(action, resource),
            Deciding::Cap,
        ),
        (Truth::Unknown, Truth::Yes) => (
            false,
            true,
            DecisionEffect::DefaultDeny,
            format!("{cap_label} may, but {}", unknown(own_layer, &own)),
            own_layer.missing_for(action, resource),
            Deciding::Own,
        ),
        (Truth::Unknown, Truth::Unknown) => (
            false,
            true,
            DecisionEffect::DefaultDeny,
            format!(
                "{}; and {}",
                unknown(own_layer, &own),
                unknown(cap_layer, &cap)
            ),
            own_layer
                .missing_for(action, resource)
                .into_iter()
                .chain(cap_layer.missing_for(action, resource))
                .collect(),
            Deciding::Own,
        ),
    };
    let (missing_facts, view_required) = if indeterminate {
        let mut facts = facts_of(&own);
        for fact in facts_of(&cap) {
            if !facts.contains(&fact) {
                facts.push(fact);
            }
        }
        (facts, None)
    } else if allowed {
        (Vec::new(), None)
    } else {
        // A refusal by the view rule is reported from the layer that refused (the token's own roles first).
        let refusing = [&own, &cap].into_iter().find(|layer_decision| {
            layer_decision.truth == Truth::No && layer_decision.decision.view_required.is_some()
        });
        (
            Vec::new(),
            refusing.and_then(|layer_decision| layer_decision.decision.view_required.clone()),
        )
    };
    let (mut summary, mut decided_by) = at_a_glance_of(deciding, &own, &cap, &missing);
    let mut reason = reason;
    // The cap refused what the creator's base role would have allowed: say that the base role is not in
    // effect (spec §4), the surprise a member given a custom role meets first.
    if matches!(deciding, Deciding::Cap) && cap.truth == Truth::No {
        if let Some(base) = cap_layer.replaced_base_allowing(action, resource) {
            let why = format!(
                "base role {} is replaced by the member's custom roles",
                base.as_str()
            );
            reason = format!("{reason} ({why}; it would have allowed this)");
            summary = at_a_glance(format!("Denied: {why}"));
            decided_by.replaced_base_role = Some(base);
        }
    }
    Decision {
        allowed,
        effect,
        matched,
        reason,
        summary,
        decided_by,
        indeterminate,
        missing_roles: missing,
        missing_facts,
        view_required,
        checks: Vec::new(),
    }
}

/// Which of the two layers decided an answer.
#[derive(Clone, Copy)]
enum Deciding {
    Own,
    Cap,
}

/// The one-line summary and the deciding layer of an answer: the deciding layer's own, named as the token's
/// roles or its creator's cap (a refusal by the view rule keeps that name), or the roles not supplied when
/// they are why the answer is unknown.
fn at_a_glance_of(
    deciding: Deciding,
    own: &LayerDecision,
    cap: &LayerDecision,
    missing: &[String],
) -> (String, DecidedBy) {
    let (from, layer) = match deciding {
        Deciding::Own => (own, DecisionLayer::TokenRoles),
        Deciding::Cap => (cap, DecisionLayer::CreatorCap),
    };
    let mut decided_by = from.decision.decided_by.clone();
    if decided_by.layer != DecisionLayer::ViewRule {
        decided_by.layer = layer;
    }
    let summary = if from.truth == Truth::Unknown && !from.decision.indeterminate {
        format!("Unknown: {} not supplied", first_and_count(missing))
    } else {
        match deciding {
            Deciding::Cap if from.truth == Truth::No => {
                format!("{} (the creator's cap)", from.decision.summary)
            }
            _ => from.decision.summary.clone(),
        }
    };
    (at_a_glance(summary), decided_by)
}

fn stricter(a: DecisionEffect, b: DecisionEffect) -> DecisionEffect {
    if a == DecisionEffect::Deny || b == DecisionEffect::Deny {
        DecisionEffect::Deny
    } else {
        DecisionEffect::DefaultDeny
    }
}
