//! What a token may do to tokens (spec §3, the seed's third restriction and the creation caps): resources,
//! the actions an operation needs, and the checks themselves.

use super::Principal;
use crate::model::{AccessTokenPost, PatchOperation, Token};
use crate::patch::{classify_token_path, OpKind, Pointer, TokenField};
use crate::policy::{
    at_a_glance, ActionCheck, BaseRole, DecidedBy, Decision, DecisionEffect, DecisionLayer,
    Resource, PERSONAL_TOKEN_ACTIONS, SERVICE_TOKEN_ACTIONS,
};

/// The action that creates tokens.
pub const CREATE_ACTION: &str = "createAccessToken";
/// The action that deletes a token.
pub const DELETE_ACTION: &str = "deleteAccessToken";
/// The action that resets a token's secret.
pub const RESET_ACTION: &str = "resetAccessToken";
/// The action a patch of `/role`, `/customRoleIds` or `/inlineRole` needs (personal tokens only).
pub const UPDATE_POLICY_ACTION: &str = "updateAccessTokenPolicy";
/// The action a patch of `/name` needs.
pub const UPDATE_NAME_ACTION: &str = "updateAccessTokenName";
/// The action a patch of `/description` needs.
pub const UPDATE_DESCRIPTION_ACTION: &str = "updateAccessTokenDescription";

/// The resource a token is, for policies: `member/<memberId>:token/<id>` for a personal token (a child of the
/// member who made it), `service-token/<id>` for a service token.
pub fn token_resource(token: &Token) -> String {
    if token.is_service() {
        format!("service-token/{}", token.id)
    } else {
        format!("member/{}:token/{}", token.member_id, token.id)
    }
}

/// The resource a create is checked against: `service-token/*`, or `member/<creatorId>:token/*`.
pub fn create_resource(member_id: &str, service: bool) -> String {
    if service {
        "service-token/*".to_string()
    } else {
        format!("member/{member_id}:token/*")
    }
}

/// The action a change to `field` needs.
pub fn field_action(field: TokenField) -> &'static str {
    match field {
        TokenField::Name => UPDATE_NAME_ACTION,
        TokenField::Description => UPDATE_DESCRIPTION_ACTION,
        TokenField::Role | TokenField::CustomRoleIds | TokenField::InlineRole => {
            UPDATE_POLICY_ACTION
        }
    }
}

/// Every action a patch of `token` needs, each once, in the order first needed.
///
/// Each operation needs the action of the field at its `path` (a `test` needs none, it changes nothing); a
/// `move` also needs the action of the field at its `from`, which it removes. Operations the patch itself
/// refuses with a 400 (a path that cannot be patched, a change to a service token's permissions, a malformed
/// pointer) need no action here: the patch fails as a bad request whoever sends it.
pub fn patch_actions(token: &Token, ops: &[PatchOperation]) -> Vec<&'static str> {
    let mut actions = Vec::new();
    let mut need = |pointer: Option<&str>| {
        let field = pointer
            .and_then(|text| Pointer::parse(text).ok())
            .and_then(|p| classify_token_path(&p));
        if let Some(field) = field {
            if token.is_service() && field.is_policy() {
                return;
            }
            let action = field_action(field);
            if !actions.contains(&action) {
                actions.push(action);
            }
        }
    };
    for op in ops {
        match OpKind::parse(&op.op) {
            Some(OpKind::Test) | None => {}
            Some(kind) => {
                need(Some(&op.path));
                if kind == OpKind::Move {
                    need(op.from.as_deref());
                }
            }
        }
    }
    actions
}

impl Principal {
    /// Whether the token may do `action` to `token`, and why: `token` must be visible, then the action is
    /// checked on [`token_resource`] against the token's roles and its creator's cap. Delete is
    /// `deleteAccessToken`, reset `resetAccessToken`. `checks` holds the one action checked.
    pub fn check_action(&self, token: &Token, action: &str) -> Decision {
        let see = self.see(token);
        if !see.allowed {
            return not_visible(see);
        }
        let resource = token_resource(token);
        let decision = if token.is_service() && action == UPDATE_POLICY_ACTION {
            Decision {
                decided_by: DecidedBy::layer(DecisionLayer::Request),
                ..Decision::denied("a service token's permissions are fixed when it is created")
            }
        } else {
            self.decide_resource_text(action, &resource)
        };
        let check = check_of(action, &resource, &decision);
        Decision {
            checks: vec![check],
            ..decision
        }
    }

    /// Whether the token may apply `ops` to `token`: visibility first, then every action the patch needs
    /// (see [`patch_actions`]), each listed in `checks`. Allowed only if every action is.
    pub fn check_patch(&self, token: &Token, ops: &[PatchOperation]) -> Decision {
        let see = self.see(token);
        if !see.allowed {
            return not_visible(see);
        }
        let resource = token_resource(token);
        let mut matched = Vec::new();
        let mut checks = Vec::new();
        let mut missing_roles: Vec<String> = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut effect = DecisionEffect::Allow;
        // The action whose answer stands for the whole patch at a glance: the first refused, else the
        // first unknown, else the first allowed.
        let mut glance: Option<(u8, String, DecidedBy)> = None;
        for action in patch_actions(token, ops) {
            let decision = self.decide_resource_text(action, &resource);
            let rank = if decision.indeterminate {
                1
            } else if decision.allowed {
                0
            } else {
                2
            };
            if glance.as_ref().map_or(true, |(best, _, _)| rank > *best) {
                let summary = format!("{action}: {}", decision.summary);
                glance = Some((rank, summary, decision.decided_by.clone()));
            }
            if decision.indeterminate {
                unknown.push(format!("{action} ({})", decision.reason));
                for role in &decision.missing_roles {
                    if !missing_roles.contains(role) {
                        missing_roles.push(role.clone());
                    }
                }
            } else if !decision.allowed {
                refused.push(format!("{action} ({})", decision.reason));
                if effect != DecisionEffect::Deny {
                    effect = decision.effect;
                }
            }
            checks.push(check_of(action, &resource, &decision));
            matched.extend(decision.matched);
        }
        let needed: Vec<&str> = checks.iter().map(|c| c.action.as_str()).collect();
        let (allowed, indeterminate, reason) = if checks.is_empty() {
            (
                true,
                false,
                "the patch changes nothing that needs a permission".to_string(),
            )
        } else if !refused.is_empty() {
            (
                false,
                false,
                format!(
                    "the patch needs {}; refused: {}",
                    needed.join(", "),
                    refused.join("; ")
                ),
            )
        } else if !unknown.is_empty() {
            effect = DecisionEffect::DefaultDeny;
            (
                false,
                true,
                format!(
                    "the patch needs {}; cannot be told: {}",
                    needed.join(", "),
                    unknown.join("; ")
                ),
            )
        } else {
            (
                true,
                false,
                format!("the patch needs {}, and each is allowed", needed.join(", ")),
            )
        };
        let (summary, decided_by) = match glance {
            Some((_, summary, decided_by)) => (at_a_glance(summary), decided_by),
            None => (
                "Allowed: the patch changes nothing that needs a permission".to_string(),
                DecidedBy::layer(DecisionLayer::Request),
            ),
        };
        Decision {
            allowed,
            effect,
            matched,
            reason,
            summary,
            decided_by,
            indeterminate,
            missing_roles: if indeterminate {
                missing_roles
            } else {
                Vec::new()
            },
            checks,
            ..Decision::default()
        }
    }

    /// Whether the token may create the token `body` describes.
    ///
    /// `createAccessToken` is checked on `member/<creatorId>:token/*` (or `service-token/*`) against the
    /// token's roles and its creator's cap (base role, custom roles, team roles, grants). Then what the new
    /// token asks for, by the creator's base role (spec §3):
    /// - `admin`, `owner`: anything.
    /// - `writer`: anything but `role: "admin"` for a personal token (403, saying so); custom roles and inline
    ///   policies are fine, since the writer's own rights cap the token at every use.
    /// - `reader`: a personal token only as `role: "reader"` (or none, which is reader): a higher role,
    ///   custom roles or an inline policy are refused, since any of them could grant more than reading.
    /// - `no_access`: anything, given the create permission (which only custom roles or teams can give):
    ///   "by default, all account members can create access tokens limited to their existing permissions"
    ///   (docs "API access tokens"), and the cap limits the token at every use.
    ///
    /// A service token is never refused for asking more than its creator has: it is created, and capped at
    /// use by the snapshot of its creator (docs "API access tokens": "the service token will fail to perform
    /// actions"). 400 rules (an unknown role...) are [`super::validate_create`]'s.
    pub fn check_create(&self, body: &AccessTokenPost) -> Decision {
        let service = body.service_token.unwrap_or(false);
        let resource = create_resource(&self.member_id, service);
        let permission = self.decide_create(&resource, service);
        let cap_refusal = self.create_cap_refusal(body);
        let check = check_of(CREATE_ACTION, &resource, &permission);
        let Some((cap_reason, summary)) = cap_refusal else {
            return Decision {
                checks: vec![check],
                ..permission
            };
        };
        let reason = if permission.allowed || permission.indeterminate {
            cap_reason
        } else {
            format!("{cap_reason}; and {}", permission.reason)
        };
        Decision {
            allowed: false,
            effect: DecisionEffect::Deny,
            matched: permission.matched,
            reason,
            summary,
            decided_by: DecidedBy::layer(DecisionLayer::CreatorCap),
            indeterminate: false,
            missing_roles: Vec::new(),
            checks: vec![ActionCheck {
                allowed: false,
                indeterminate: false,
                ..check
            }],
            ..Decision::default()
        }
    }

    /// The token actions the token may certainly do to `token` (none if it cannot see it). Creation is not
    /// an action on an existing token and is not listed; a service token's policy is never updatable.
    pub fn permitted_actions(&self, token: &Token) -> Vec<&'static str> {
        if !self.can_see(token) {
            return Vec::new();
        }
        let actions = if token.is_service() {
            SERVICE_TOKEN_ACTIONS
        } else {
            PERSONAL_TOKEN_ACTIONS
        };
        let Ok(resource) = Resource::parse(&token_resource(token)) else {
            return Vec::new();
        };
        actions
            .iter()
            .copied()
            .filter(|action| *action != CREATE_ACTION && self.is_allowed(action, &resource))
            .collect()
    }

    /// Why the creator's base role does not allow the permissions asked for, if it does not (see
    /// [`Principal::check_create`] for the table).
    /// The second text is the one-line summary.
    fn create_cap_refusal(&self, body: &AccessTokenPost) -> Option<(String, String)> {
        // Unknown creator: the permission check above is already indeterminate or denied. A creator whose
        // directly assigned roles replace its base role is limited by those roles, capped at use (spec §3),
        // not by its base role's row.
        let creator = self.creator_role_in_effect()?;
        if body.service_token.unwrap_or(false) || creator == BaseRole::NoAccess {
            return None;
        }
        let who = &self.creator_label;
        let asked_role = match (
            &body.role,
            body.custom_roles_asked(),
            body.inline_role_asked(),
        ) {
            (Some(role), _, _) => BaseRole::parse(role),
            (None, None, None) => Some(BaseRole::Reader),
            _ => None,
        };
        match asked_role {
            Some(asked) if asked.rank() > creator.rank() => Some((format!(
                "asking for a \"{}\" token is more than the creator's own base role allows: {who} can create tokens up to \"{}\"",
                asked.as_str(),
                creator.as_str()
            ), format!(
                "Denied: a {} member can create tokens up to \"{}\"",
                creator.as_str(),
                creator.as_str()
            ))),
            None if body.role.is_none() && creator == BaseRole::Reader => Some((format!(
                "a member whose base role is \"reader\" can create only reader tokens, and custom roles or an inline policy could grant more; {who} asked for {}",
                if body.custom_roles_asked().is_some() { "custom roles" } else { "an inline policy" }
            ), "Denied: a reader member can create only reader tokens".to_string())),
            _ => None,
        }
    }

    /// `createAccessToken` on [`create_resource`]: a resource the core builds with a `*` name on purpose,
    /// standing for the token not made yet, so it is read with `*` as an ordinary character. The creator's
    /// id, which comes with the token, is held to what any resource asked about is.
    fn decide_create(&self, resource: &str, service: bool) -> Decision {
        let creator = if service {
            Ok(())
        } else {
            Resource::parse(&format!("member/{}", self.member_id)).map(drop)
        };
        let parsed = creator.and_then(|()| Resource::parse_allowing_stars(resource));
        match parsed {
            Ok(parsed) => self.decide(CREATE_ACTION, &parsed),
            Err(err) => Decision::denied(format!(
                "\"{resource}\" cannot be checked: the creator's id is not a valid resource name ({err})"
            )),
        }
    }

    /// `action` on a resource built from a token's ids, which come with the token: read as any resource
    /// asked about is, so that an id holding `*` is denied rather than matched as a wildcard.
    fn decide_resource_text(&self, action: &str, resource: &str) -> Decision {
        match Resource::parse(resource) {
            Ok(parsed) => self.decide(action, &parsed),
            Err(err) => Decision::denied(format!(
                "\"{resource}\" cannot be checked: the token id is not a valid resource name ({err})"
            )),
        }
    }
}

fn check_of(action: &str, resource: &str, decision: &Decision) -> ActionCheck {
    ActionCheck {
        action: action.to_string(),
        resource: resource.to_string(),
        allowed: decision.allowed,
        indeterminate: decision.indeterminate,
        reason: decision.reason.clone(),
    }
}

fn not_visible(see: Decision) -> Decision {
    Decision {
        reason: format!("the token cannot see that token: {}", see.reason),
        summary: at_a_glance(format!("{} (the token cannot see that token)", see.summary)),
        ..see
    }
}
