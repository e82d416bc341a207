//! JSON Patch on an access token, with the Access Tokens API's rules (§2 "Get, patch, delete, reset").

use super::json_patch::{apply_parsed, parse_operations, OpKind, ParsedOperation};
use super::pointer::{render, Pointer};
use super::PatchError;
use crate::model::{CustomRole, PatchOperation, Statement, Token};
use crate::rules::{resolve_custom_role_ids, validate_inline_role, validate_token_role, RuleError};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// The fields of a token a patch may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenField {
    /// The token's `name`.
    Name,
    /// The token's `description`.
    Description,
    /// The token's base `role`.
    Role,
    /// `customRoleIds`: the custom roles the token holds, by id.
    CustomRoleIds,
    /// `inlineRole`: the token's own policy statements.
    InlineRole,
}

impl TokenField {
    /// Whether the field is part of the token's permissions (`role`, `customRoleIds`, `inlineRole`).
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            TokenField::Role | TokenField::CustomRoleIds | TokenField::InlineRole
        )
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenField::Name => "name",
            TokenField::Description => "description",
            TokenField::Role => "role",
            TokenField::CustomRoleIds => "customRoleIds",
            TokenField::InlineRole => "inlineRole",
        }
    }
}

/// Statement members that `/inlineRole/<i>/<member>` may name.
const STATEMENT_MEMBERS: &[&str] = &[
    "resources",
    "notResources",
    "actions",
    "notActions",
    "effect",
];

/// Which patchable field a path is in, or `None` if the path is not patchable.
///
/// Patchable: `/name`, `/description`, `/role`; `/customRoleIds` and its elements; `/inlineRole`, its
/// statements, their members and the members' elements (`/inlineRole/0/actions/1`). Anything deeper or
/// elsewhere is refused before the patch is tried, so that it is a 400 whatever the token holds.
pub fn classify_token_path(path: &Pointer) -> Option<TokenField> {
    let tokens = path.tokens();
    let (first, rest) = tokens.split_first()?;
    match (first.as_str(), rest) {
        ("name", []) => Some(TokenField::Name),
        ("description", []) => Some(TokenField::Description),
        ("role", []) => Some(TokenField::Role),
        ("customRoleIds", [] | [_]) => Some(TokenField::CustomRoleIds),
        ("inlineRole", [] | [_]) => Some(TokenField::InlineRole),
        ("inlineRole", [_, member]) if STATEMENT_MEMBERS.contains(&member.as_str()) => {
            Some(TokenField::InlineRole)
        }
        ("inlineRole", [_, member, _])
            if member != "effect" && STATEMENT_MEMBERS.contains(&member.as_str()) =>
        {
            Some(TokenField::InlineRole)
        }
        _ => None,
    }
}

/// Applies a JSON Patch to a token and returns the patched token; `token` itself is never changed.
///
/// - A malformed operation, an unknown op, a path (or a `from`) outside the patchable fields, or a change to a
///   service token's permissions is 400 `invalid_request`, before anything is applied.
/// - A remove of an absent path, a failed `test` or an index out of range is 422 `patch_failed`.
/// - The result must still be a valid token, else 400: values of the right type; exactly one of `role`,
///   `customRoleIds` and `inlineRole` (to switch kinds, remove the old one in the same patch); a role of
///   reader, writer or admin; custom roles that exist in `roles` (keys are resolved to ids); valid
///   statements. Permissions the patch does not touch are not re-checked, so that renaming a token never
///   fails because one of its roles has since changed.
///
/// An emptied `customRoleIds` or `inlineRole` counts as removed. `test` operations may read any patchable
/// path, service tokens' permissions included. `lastModified` is left to the caller, which owns the clock.
pub fn apply_token_patch(
    token: &Token,
    ops: &[PatchOperation],
    roles: &[CustomRole],
) -> Result<Token, PatchError> {
    let parsed = parse_operations(ops)?;
    for (index, op) in parsed.iter().enumerate() {
        check_paths(token, op).map_err(|e| e.at(index, &op.describe()))?;
    }
    // The secret is kept out of the document being patched: no path can reach it, and it cannot end up in a
    // message.
    let mut document = token.clone();
    document.token = None;
    let mut doc = serde_json::to_value(&document).map_err(|err| {
        PatchError::invalid(format!("the token cannot be written as JSON: {err}"))
    })?;
    apply_parsed(&mut doc, &parsed)?;
    let mut patched = token.clone();
    patched.name = field(&doc, "name")?;
    patched.description = field(&doc, "description")?;
    patched.role = field(&doc, "role")?;
    patched.custom_role_ids =
        field::<Vec<String>>(&doc, "customRoleIds")?.filter(|ids| !ids.is_empty());
    patched.inline_role = statements(&doc)?.filter(|list| !list.is_empty());
    check_result(token, &mut patched, roles)?;
    Ok(patched)
}

fn check_paths(token: &Token, op: &ParsedOperation) -> Result<(), PatchError> {
    let target = patchable(&op.path)?;
    let source = op.from.as_ref().map(patchable).transpose()?;
    if token.is_service() {
        let changes_policy = (op.kind.writes_path() && target.is_policy())
            || (op.kind == OpKind::Move && source.is_some_and(TokenField::is_policy));
        if changes_policy {
            return Err(PatchError::invalid(
                "a service token's permissions are fixed when it is created: role, customRoleIds and inlineRole cannot be patched",
            ));
        }
    }
    Ok(())
}

fn patchable(path: &Pointer) -> Result<TokenField, PatchError> {
    classify_token_path(path).ok_or_else(|| {
        PatchError::invalid(format!(
            "\"{}\" cannot be patched; patchable paths are /name, /description, /role, /customRoleIds and /inlineRole",
            render(path.tokens())
        ))
    })
}

/// Reads one member of the patched document as `T`, where an absent member or `null` is `None`.
fn field<T: DeserializeOwned>(doc: &Value, name: &str) -> Result<Option<T>, PatchError> {
    match doc.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::deserialize(value)
            .map(Some)
            .map_err(|err| PatchError::invalid(format!("/{name} has the wrong type: {err}"))),
    }
}

/// Reads `inlineRole` statement by statement, so that a bad one is named by its index.
fn statements(doc: &Value) -> Result<Option<Vec<Statement>>, PatchError> {
    match doc.get("inlineRole") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                Statement::deserialize(item).map_err(|err| {
                    PatchError::invalid(format!("/inlineRole/{index} is not a statement: {err}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(PatchError::invalid(
            "/inlineRole has the wrong type: expected a list of statements",
        )),
    }
}

fn check_result(
    original: &Token,
    patched: &mut Token,
    roles: &[CustomRole],
) -> Result<(), PatchError> {
    let kinds: Vec<&str> = [
        patched.role.as_ref().map(|_| "role"),
        patched.custom_role_ids.as_ref().map(|_| "customRoleIds"),
        patched.inline_role.as_ref().map(|_| "inlineRole"),
    ]
    .into_iter()
    .flatten()
    .collect();
    match kinds.as_slice() {
        [] => {
            return Err(PatchError::invalid(
                "the patched token would have no permissions: it needs one of role, customRoleIds and inlineRole",
            ))
        }
        [_] => {}
        several => {
            let stale: Vec<String> = several
                .iter()
                .filter(|kind| was_present(original, kind))
                .map(|kind| format!("{{\"op\":\"remove\",\"path\":\"/{kind}\"}}"))
                .collect();
            return Err(PatchError::invalid(format!(
                "a token has exactly one of role, customRoleIds and inlineRole, but the patched token would have {}; remove the one it replaces in the same patch{}",
                several.join(" and "),
                if stale.is_empty() { String::new() } else { format!(" ({})", stale.join(", ")) }
            )));
        }
    }
    let rule = |err: RuleError| PatchError::invalid(err.message);
    if patched.role != original.role {
        if let Some(role) = &patched.role {
            validate_token_role(role).map_err(rule)?;
        }
    }
    if patched.custom_role_ids != original.custom_role_ids {
        if let Some(ids) = &patched.custom_role_ids {
            patched.custom_role_ids = Some(resolve_custom_role_ids(ids, roles).map_err(rule)?);
        }
    }
    if patched.inline_role != original.inline_role {
        if let Some(statements) = &patched.inline_role {
            validate_inline_role(statements, "/inlineRole").map_err(rule)?;
        }
    }
    Ok(())
}

fn was_present(token: &Token, kind: &str) -> bool {
    match kind {
        "role" => token.role.is_some(),
        "customRoleIds" => token.custom_role_ids.is_some(),
        _ => token.inline_role.is_some(),
    }
}
