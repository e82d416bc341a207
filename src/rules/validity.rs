//! What makes a token's permissions well formed (§2 Create of the spec), shared by create and patch.

use super::RuleError;
use crate::model::{AccessTokenPost, CustomRole, Statement};
use crate::policy::{validate_statements, Severity};

/// The roles a token's own `role` may take.
pub const TOKEN_ROLES: &[&str] = &["reader", "writer", "admin"];

/// Checks a token `role`: one of `reader`, `writer`, `admin`.
pub fn validate_token_role(role: &str) -> Result<(), RuleError> {
    if TOKEN_ROLES.contains(&role) {
        Ok(())
    } else {
        Err(RuleError::invalid(format!(
            "role must be one of reader, writer or admin, not \"{role}\""
        )))
    }
}

/// Finds a custom role by id or by key (tokens carry ids; requests may give either).
pub fn find_custom_role<'a>(roles: &'a [CustomRole], id_or_key: &str) -> Option<&'a CustomRole> {
    roles
        .iter()
        .find(|role| role.id == id_or_key)
        .or_else(|| roles.iter().find(|role| role.key == id_or_key))
}

/// Resolves role ids or keys to ids, in the order given and without repeats. Any unknown role is a 400 that
/// names every unknown one.
pub fn resolve_custom_role_ids(
    ids_or_keys: &[String],
    roles: &[CustomRole],
) -> Result<Vec<String>, RuleError> {
    let mut ids: Vec<String> = Vec::with_capacity(ids_or_keys.len());
    let mut unknown = Vec::new();
    for given in ids_or_keys {
        match find_custom_role(roles, given) {
            Some(role) if !ids.contains(&role.id) => ids.push(role.id.clone()),
            Some(_) => {}
            None => unknown.push(format!("\"{given}\"")),
        }
    }
    if unknown.is_empty() {
        Ok(ids)
    } else {
        Err(RuleError::invalid(format!(
            "unknown custom role{} {} in customRoleIds",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", ")
        )))
    }
}

/// Checks an inline policy with the policy engine's validation. Errors (not warnings) are a 400 whose message
/// names each bad statement by its JSON pointer under `field` (such as `/inlineRole/1/actions/0`).
pub fn validate_inline_role(statements: &[Statement], field: &str) -> Result<(), RuleError> {
    let errors: Vec<String> = validate_statements(statements)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{field}{}: {}", d.path, d.message))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RuleError::invalid(format!(
            "{field} is not a valid policy: {}",
            errors.join("; ")
        )))
    }
}

/// The 400 rules of a create (§2 Create): at most one of `role`, `customRoleIds`, `inlineRole`; a known
/// `role`; existing custom roles (by id or key); valid statements.
///
/// An empty `customRoleIds` or `inlineRole` is the same as an absent one (decoding already reads `[]` as
/// `None`; a body built in code with an empty list gets the same answer). (The service-token limit needs the
/// account's state and is checked where that lives.)
pub fn validate_create(body: &AccessTokenPost, roles: &[CustomRole]) -> Result<(), RuleError> {
    let custom_role_ids = body.custom_roles_asked();
    let inline_role = body.inline_role_asked();
    let given: Vec<&str> = [
        body.role.as_ref().map(|_| "role"),
        custom_role_ids.map(|_| "customRoleIds"),
        inline_role.map(|_| "inlineRole"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if given.len() > 1 {
        return Err(RuleError::invalid(format!(
            "give at most one of role, customRoleIds and inlineRole; this request gives {}",
            given.join(" and ")
        )));
    }
    if let Some(role) = &body.role {
        validate_token_role(role)?;
    }
    if let Some(ids) = custom_role_ids {
        resolve_custom_role_ids(ids, roles)?;
    }
    if let Some(statements) = inline_role {
        validate_inline_role(statements, "/inlineRole")?;
    }
    Ok(())
}
