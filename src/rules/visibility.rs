//! Which tokens a token may see (spec §3, the seed's first two restrictions). There is no "view" action for
//! tokens: sight is decided here, not by policies.
//!
//! - Every token sees every service token.
//! - A personal token sees its own member's personal tokens.
//! - An Admin token (see [`Principal::is_admin`]) sees every personal token: by id always, in a list only
//!   with `showAll=true`.
//! - **Decision:** a service token's list shows personal tokens only with `showAll=true` too, so that
//!   `showAll` means the same for every caller ("include other members' personal tokens"); a service token
//!   has no member of its own whose tokens it would see by default.

use super::Principal;
use crate::model::Token;
use crate::policy::{DecidedBy, Decision, DecisionEffect, DecisionLayer};

impl Principal {
    /// Whether the token may see `token` (by id).
    pub fn can_see(&self, token: &Token) -> bool {
        self.see(token).allowed
    }

    /// Whether the token may see `token` (by id), and why.
    pub fn see(&self, token: &Token) -> Decision {
        if token.is_service() {
            return seen("every token sees every service token");
        }
        if !self.service && token.member_id == self.member_id {
            return seen("a personal token sees the personal tokens of its own member");
        }
        if self.is_admin() {
            return seen(&format!(
                "the token has the Admin role (role \"admin\", created by {}), so it sees every member's personal tokens",
                self.creator_label
            ));
        }
        let rule = if self.service {
            "a service token sees only service tokens unless it has the Admin role"
        } else {
            "a personal token sees only service tokens and its own member's personal tokens unless it has the Admin role"
        };
        let mut decision = Decision::denied(format!("{rule}; {}", self.why_not_admin()));
        decision.summary = if self.service {
            "Hidden: a service token sees only service tokens unless it is Admin".to_string()
        } else {
            "Hidden: only its own member's tokens and service tokens are visible".to_string()
        };
        decision.decided_by = DecidedBy::layer(DecisionLayer::Visibility);
        // With an admin role but no known creator, whether the token is Admin cannot be told.
        if self.token_role.as_deref() == Some("admin") && self.creator_base.is_none() {
            decision.indeterminate = true;
            decision.missing_roles = self.cap.missing().to_vec();
        }
        decision
    }

    /// The tokens of `tokens` the token may list, in the order given: others' personal tokens only with
    /// `show_all` (and the Admin role).
    pub fn visible<'a>(&self, tokens: &'a [Token], show_all: bool) -> Vec<&'a Token> {
        let admin = self.is_admin();
        tokens
            .iter()
            .filter(|token| {
                token.is_service()
                    || (!self.service && token.member_id == self.member_id)
                    || (admin && show_all)
            })
            .collect()
    }

    fn why_not_admin(&self) -> String {
        match (self.token_role.as_deref(), self.creator_role()) {
            (Some("admin"), Some(base))
                if self.creator_role_in_effect().is_none() && base.rank() >= 3 =>
            {
                format!(
                    "its role is \"admin\", but it is not Admin because its creator's base role {} is replaced by the member's custom roles ({})",
                    base.as_str(),
                    self.creator_label
                )
            }
            (Some("admin"), Some(_)) => format!(
                "its role is \"admin\", but it is not Admin because its creator {} is not an admin or owner",
                self.creator_label
            ),
            (Some("admin"), None) if self.creator_base.is_none() => format!(
                "its role is \"admin\", but whether it is Admin cannot be told: {}",
                self.cap.missing_notes().join("; ")
            ),
            (Some("admin"), None) => format!(
                "its role is \"admin\", but it is not Admin because its creator {} has no known base role",
                self.creator_label
            ),
            (Some(role), _) => format!("its role is \"{role}\""),
            (None, _) => "it has custom roles or an inline policy, not the admin role".to_string(),
        }
    }
}

fn seen(reason: &str) -> Decision {
    Decision {
        allowed: true,
        effect: DecisionEffect::Allow,
        reason: reason.to_string(),
        summary: "Visible".to_string(),
        decided_by: DecidedBy::layer(DecisionLayer::Visibility),
        ..Decision::default()
    }
}
