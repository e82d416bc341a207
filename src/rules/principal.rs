//! A token as a caller: what it may do, as the AND of its own roles and its creator's cap.

use super::side::{cap_side, own_side, Judged, Side, Verdict};
use crate::model::{CustomRole, Member, RoleAttributes, Team, Token};
use crate::policy::{BaseRole, Decision, DecisionEffect, PolicyError, Resource};

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
    /// The creator's base role, when the creator is known.
    pub(crate) creator_role: Option<BaseRole>,
    /// Whether the creator was supplied at all.
    pub(crate) creator_known: bool,
    pub(crate) creator_label: String,
    pub(crate) own: Side,
    pub(crate) cap: Side,
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
        let cap = cap_side(token, member, roles, teams);
        Principal {
            token_id: token.id.clone(),
            member_id: token.member_id.clone(),
            service: token.is_service(),
            token_role: token.role.clone(),
            creator_role: member.and_then(|m| BaseRole::parse(&m.role)),
            creator_known: member.is_some(),
            creator_label: cap.label().trim_start_matches("its creator ").to_string(),
            own: own_side(token, roles, &attrs),
            cap,
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

    /// The creator's base role, if the creator is known and their role is one of the five.
    pub fn creator_role(&self) -> Option<BaseRole> {
        self.creator_role
    }

    /// Spec §3 "Admin": the token's `role` is `admin` and its creator's base role is `admin` or `owner`. An
    /// admin token made by a writer is not Admin: the cap brings it down to what the writer may do.
    pub fn is_admin(&self) -> bool {
        self.token_role.as_deref() == Some("admin")
            && self.creator_role.is_some_and(|r| r.rank() >= 3)
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
    /// must allow it. The reason says which side refused. Errors only for a resource that cannot be parsed.
    pub fn can(&self, action: &str, resource: &str) -> Result<Decision, PolicyError> {
        let parsed = Resource::parse(resource).map_err(|err| PolicyError {
            code: "invalid_resource".to_string(),
            message: format!("invalid resource \"{resource}\": {err}"),
            diagnostics: Vec::new(),
        })?;
        Ok(self.decide(action, &parsed))
    }

    /// [`Principal::can`] on a resource parsed already.
    pub fn decide(&self, action: &str, resource: &Resource) -> Decision {
        let own = self.own.judge(action, resource);
        let cap = self.cap.judge(action, resource);
        combine(&self.own, own, &self.cap, cap, action, resource)
    }

    /// Whether the token may certainly do `action` on `resource` (allocation-free; indeterminate is `false`).
    pub fn is_allowed(&self, action: &str, resource: &Resource) -> bool {
        self.own.verdict(action, resource) == Verdict::Allowed
            && self.cap.verdict(action, resource) == Verdict::Allowed
    }

    /// What [`Principal::decide`] answers in `allowed`, `effect` and `indeterminate`, without the explanation
    /// and without allocating: for callers that want the answer now and the reasons only if asked.
    pub fn answer(&self, action: &str, resource: &Resource) -> Answer {
        let (own, own_effect) = self.own.verdict_and_effect(action, resource);
        let (cap, cap_effect) = self.cap.verdict_and_effect(action, resource);
        // The same table as `combine`, reduced to its first three columns.
        let effect = match (own, cap) {
            (Verdict::Allowed, Verdict::Allowed) => return Answer::Allowed,
            (Verdict::Denied, Verdict::Denied) => stricter(own_effect, cap_effect),
            (Verdict::Denied, _) => own_effect,
            (_, Verdict::Denied) => cap_effect,
            _ => return Answer::Indeterminate,
        };
        if effect == DecisionEffect::Deny {
            Answer::Denied
        } else {
            Answer::DefaultDenied
        }
    }
}

/// A decision without its explanation (see [`Principal::answer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
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

impl Answer {
    /// `Decision::allowed`.
    pub fn allowed(self) -> bool {
        self == Answer::Allowed
    }

    /// `Decision::effect`.
    pub fn effect(self) -> DecisionEffect {
        match self {
            Answer::Allowed => DecisionEffect::Allow,
            Answer::Denied => DecisionEffect::Deny,
            Answer::DefaultDenied | Answer::Indeterminate => DecisionEffect::DefaultDeny,
        }
    }

    /// `Decision::indeterminate`.
    pub fn indeterminate(self) -> bool {
        self == Answer::Indeterminate
    }
}

/// ANDs the two sides. A definite "no" from either side is a "no" whatever is missing elsewhere; a "yes"
/// needs both; anything else depends on a missing role and is indeterminate.
fn combine(
    own_side: &Side,
    own: Judged,
    cap_side: &Side,
    cap: Judged,
    action: &str,
    resource: &Resource,
) -> Decision {
    let own_label = own_side.label();
    let cap_label = cap_side.label();
    let mut matched = own.decision.matched.clone();
    matched.extend(cap.decision.matched.iter().cloned());
    // Why a side's answer cannot be told: roles that were not supplied, or what the resource leaves out.
    let unknown = |side: &Side, judged: &Judged| {
        let mut why: Vec<String> = side.missing_notes_for(action, resource);
        if judged.decision.indeterminate {
            why.push(format!(
                "the resource does not state {}",
                judged.decision.missing_facts.join(", ")
            ));
        }
        format!(
            "whether {} allows it cannot be told: {}",
            side.label(),
            why.join("; ")
        )
    };
    let facts_of = |judged: &Judged| judged.decision.missing_facts.clone();
    let (allowed, indeterminate, effect, reason, missing) = match (own.verdict, cap.verdict) {
        (Verdict::Allowed, Verdict::Allowed) => (
            true,
            false,
            DecisionEffect::Allow,
            format!(
                "{own_label} allows it ({}), and so may {cap_label} ({})",
                own.decision.reason, cap.decision.reason
            ),
            Vec::new(),
        ),
        (Verdict::Denied, Verdict::Denied) => (
            false,
            false,
            stricter(own.decision.effect, cap.decision.effect),
            format!(
                "{own_label} does not allow it ({}), nor may {cap_label} ({})",
                own.decision.reason, cap.decision.reason
            ),
            Vec::new(),
        ),
        (Verdict::Denied, _) => (
            false,
            false,
            own.decision.effect,
            format!("{own_label} does not allow it: {}", own.decision.reason),
            Vec::new(),
        ),
        (Verdict::Allowed, Verdict::Denied) => (
            false,
            false,
            cap.decision.effect,
            format!(
                "{own_label} allows it, but {cap_label} may not: {}",
                cap.decision.reason
            ),
            Vec::new(),
        ),
        (Verdict::Unknown, Verdict::Denied) => (
            false,
            false,
            cap.decision.effect,
            format!("{cap_label} may not: {}", cap.decision.reason),
            Vec::new(),
        ),
        (Verdict::Allowed, Verdict::Unknown) => (
            false,
            true,
            DecisionEffect::DefaultDeny,
            format!("{own_label} allows it, but {}", unknown(cap_side, &cap)),
            cap_side.missing_for(action, resource),
        ),
        (Verdict::Unknown, Verdict::Allowed) => (
            false,
            true,
            DecisionEffect::DefaultDeny,
            format!("{cap_label} may, but {}", unknown(own_side, &own)),
            own_side.missing_for(action, resource),
        ),
        (Verdict::Unknown, Verdict::Unknown) => (
            false,
            true,
            DecisionEffect::DefaultDeny,
            format!(
                "{}; and {}",
                unknown(own_side, &own),
                unknown(cap_side, &cap)
            ),
            own_side
                .missing_for(action, resource)
                .into_iter()
                .chain(cap_side.missing_for(action, resource))
                .collect(),
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
        // A refusal by the view rule is reported from the side that refused (the token's own roles first).
        let refusing = [&own, &cap].into_iter().find(|judged| {
            judged.verdict == Verdict::Denied && judged.decision.view_required.is_some()
        });
        (
            Vec::new(),
            refusing.and_then(|judged| judged.decision.view_required.clone()),
        )
    };
    Decision {
        allowed,
        effect,
        matched,
        reason,
        indeterminate,
        missing_roles: missing,
        missing_facts,
        view_required,
        checks: Vec::new(),
    }
}

fn stricter(a: DecisionEffect, b: DecisionEffect) -> DecisionEffect {
    if a == DecisionEffect::Deny || b == DecisionEffect::Deny {
        DecisionEffect::Deny
    } else {
        DecisionEffect::DefaultDeny
    }
}
