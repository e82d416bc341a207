//! A whole request, in the order the Access Tokens API answers it: a token the caller cannot see is
//! `not_found`; then a request wrong in itself is `invalid_request`, whoever sends it; then a caller without
//! the permission is `forbidden`; last, a patch that does not fit the token is `patch_failed`.
//!
//! Each rule is written once: the `authorize_*` methods give the API's answer (the emulator serves them), and
//! the `check_*_request` methods predict it as a [`Decision`] (the package's `checkPatch` and `checkCreate`).
//! A prediction is allowed exactly when the answer is `Ok` (`tests/rules_request.rs`).

use super::token_patch::apply_token_patch;
use super::validity::validate_create;
use super::{Principal, RuleError};
use crate::model::{AccessTokenPost, CustomRole, PatchOperation, Token};
use crate::patch::PatchError;
use crate::policy::{at_a_glance, DecidedBy, Decision, DecisionEffect, DecisionLayer};

/// Maps a permission check to the API's answer: a token the caller may not see is `not_found` (its existence
/// is not revealed); a visible one the caller may not act on is `forbidden` with the reason. An indeterminate
/// decision is refused too: it was not shown to be allowed.
pub fn outcome_of(visible: bool, decision: &Decision) -> Result<(), RuleError> {
    if !visible {
        Err(RuleError::NotFound)
    } else if !decision.allowed {
        Err(RuleError::forbidden(decision.reason.clone()))
    } else {
        Ok(())
    }
}

/// `decision`, refused definitely because the API would refuse the request with `error` whatever the
/// permissions say.
fn refused_by_request(decision: Decision, error: &RuleError) -> Decision {
    let permitted = if decision.allowed {
        "permitted, but "
    } else {
        ""
    };
    let reason = format!(
        "{permitted}the API would refuse the request as {}: {}",
        error.code(),
        error.message()
    );
    Decision {
        allowed: false,
        effect: DecisionEffect::Deny,
        summary: at_a_glance(format!("Refused as {}: {}", error.code(), error.message())),
        decided_by: DecidedBy::layer(DecisionLayer::Request),
        indeterminate: false,
        missing_roles: Vec::new(),
        missing_facts: Vec::new(),
        reason,
        ..decision
    }
}

impl Principal {
    /// [`Principal::check_action`] as the API answers it: `not_found`, `forbidden`, or the decision.
    pub fn authorize_action(&self, token: &Token, action: &str) -> Result<Decision, RuleError> {
        let decision = self.check_action(token, action);
        outcome_of(self.can_see(token), &decision).map(|()| decision)
    }

    /// A patch of `token` as the API answers it, in its order (`not_found`, `invalid_request`, `forbidden`,
    /// `patch_failed`): the permission decision and the patched token, or the error. `roles` are the
    /// account's custom roles, which a patch of `/customRoleIds` must name.
    pub fn authorize_patch(
        &self,
        token: &Token,
        ops: &[PatchOperation],
        roles: &[CustomRole],
    ) -> Result<(Decision, Token), RuleError> {
        if !self.can_see(token) {
            return Err(RuleError::NotFound);
        }
        let applied = apply_token_patch(token, ops, roles);
        if let Err(error @ PatchError::InvalidRequest { .. }) = applied {
            return Err(error.into());
        }
        let decision = self.check_patch(token, ops);
        outcome_of(true, &decision)?;
        Ok((decision, applied?))
    }

    /// What [`Principal::authorize_patch`] will answer, as a decision: allowed exactly when it would succeed.
    /// A patch wrong in itself is refused definitely, whatever the permissions; one that does not fit the
    /// token is refused once the permissions allow it, as the API reaches that check last.
    pub fn check_patch_request(
        &self,
        token: &Token,
        ops: &[PatchOperation],
        roles: &[CustomRole],
    ) -> Decision {
        let decision = self.check_patch(token, ops);
        if !self.can_see(token) {
            return decision;
        }
        match apply_token_patch(token, ops, roles) {
            Err(error @ PatchError::InvalidRequest { .. }) => {
                refused_by_request(decision, &error.into())
            }
            Err(error) if decision.allowed => refused_by_request(decision, &error.into()),
            _ => decision,
        }
    }

    /// A create as the API answers it: `invalid_request` for a body wrong in itself, then `forbidden`.
    pub fn authorize_create(
        &self,
        body: &AccessTokenPost,
        roles: &[CustomRole],
    ) -> Result<Decision, RuleError> {
        validate_create(body, roles)?;
        let decision = self.check_create(body);
        outcome_of(true, &decision).map(|()| decision)
    }

    /// What [`Principal::authorize_create`] will answer, as a decision: allowed exactly when it would
    /// succeed. A body wrong in itself is refused definitely, whatever the permissions.
    pub fn check_create_request(&self, body: &AccessTokenPost, roles: &[CustomRole]) -> Decision {
        let decision = self.check_create(body);
        match validate_create(body, roles) {
            Err(error) => refused_by_request(decision, &error),
            Ok(()) => decision,
        }
    }
}
