//! What a change of a token's permissions grants and revokes, before it is sent: the token's own permissions
//! before and after, compared exactly with the policy engine's comparison.
//!
//! The comparison takes two lists of statements, so a preview is given when each side is one policy: a base
//! role's token policy, one custom role (with what its `basePermissions` adds), or an inline policy. Several
//! custom roles combine role by role (an allow in one is not undone by a deny in another), which one list does not
//! express, and a role that was not supplied cannot be read: for those there is no preview rather than a guess.
//! The creator's cap is left out: it limits the token equally before and after, so what the token's own
//! permissions gain is the most the token can gain.

use super::layer::{own_permissions, role_statements, OwnPermissions};
use super::token_patch::apply_token_patch;
use super::validity::find_custom_role;
use super::Principal;
use crate::model::{CustomRole, PatchOperation, Statement, Token};
use crate::policy::{compare_policies, BaseRole, PolicyComparison, PolicyError};

/// The statements of a token's own permissions when they are one policy, else `None`.
fn own_policy(token: &Token, roles: &[CustomRole]) -> Option<Vec<Statement>> {
    match own_permissions(token) {
        OwnPermissions::Role(role) => BaseRole::parse(role).map(BaseRole::token_policy),
        OwnPermissions::CustomRoles([only]) => {
            find_custom_role(roles, only).map(|role| role_statements(role).into_owned())
        }
        OwnPermissions::CustomRoles(_) => None,
        OwnPermissions::Inline(statements) => Some(statements.to_vec()),
        OwnPermissions::DefaultReader => Some(BaseRole::Reader.token_policy()),
    }
}

impl Principal {
    /// What `ops` would grant and revoke in `token`'s own permissions, at most `limit` witnesses per direction:
    /// `Ok(None)` when the patch does not apply, changes no permissions, or either side is not one policy (see the
    /// module's notes). Role attributes are the caller's creator's, as for every answer of this principal.
    pub fn patch_preview(
        &self,
        token: &Token,
        ops: &[PatchOperation],
        roles: &[CustomRole],
        limit: usize,
    ) -> Result<Option<PolicyComparison>, PolicyError> {
        let Ok(patched) = apply_token_patch(token, ops, roles) else {
            return Ok(None);
        };
        let unchanged = patched.role == token.role
            && patched.custom_role_ids == token.custom_role_ids
            && patched.inline_role == token.inline_role;
        if unchanged {
            return Ok(None);
        }
        match (own_policy(token, roles), own_policy(&patched, roles)) {
            (Some(before), Some(after)) => {
                compare_policies(&before, &after, &self.attrs, limit).map(Some)
            }
            _ => Ok(None),
        }
    }
}
