//! JSON Patch on an access token, with the Access Tokens API's rules (§2 "Get, patch, delete, reset").

use super::validity::{resolve_custom_role_ids, validate_inline_role, validate_token_role};
use super::RuleError;
use crate::json::{At, FromJson, JsonError, ToJson};
use crate::model::{non_empty, CustomRole, PatchOperation, Statement, Token};
use crate::patch::{
    apply_one, classify_token_path, parse_operations, render, OpKind, ParsedOperation, PatchError,
    Pointer, TokenField,
};
use serde_json::Value;

/// Applies a JSON Patch to a token and returns the patched token; `token` itself is never changed.
///
/// - A malformed operation, an unknown op, a path (or a `from`) outside the patchable fields, or a change to a
///   service token's permissions is 400 `invalid_request`, before anything is applied.
/// - The patch sees the token without its empty lists: a token made from a role has no `/customRoleIds` or
///   `/inlineRole` to remove, although responses show them as `[]`.
/// - `replace` of a patchable field the token does not carry at that point (`/description`, or `/role` on a
///   token made from custom roles) acts as `add`: LaunchDarkly's Terraform provider sends `replace /name` on
///   every update and `replace /role` when a role changes, whatever the token held before.
/// - A remove of an absent path, a failed `test` or an index out of range is 422 `patch_failed`.
/// - The result must still be a valid token, else 400: values of the right type; a role of reader, writer or
///   admin; custom roles that exist in `roles` (keys are resolved to ids); valid statements; and exactly one
///   of `role`, `customRoleIds` and `inlineRole`. A patch that gives the token a different one of these
///   switches it: the one it held before is dropped, whether or not the patch removes it. A patch that
///   writes two of them is 400. Permissions the patch does not touch are not re-checked, so that renaming a
///   token never fails because one of its roles has since changed.
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
    let mut doc = patch_document(token)?;
    for (index, op) in parsed.iter().enumerate() {
        let adjusted = replace_absent_as_add(&doc, op);
        apply_one(&mut doc, adjusted.as_ref().unwrap_or(op))
            .map_err(|e| e.at(index, &op.describe()))?;
    }
    let mut patched = token.clone();
    patched.name = field(&doc, "name")?;
    patched.description = field(&doc, "description")?;
    patched.role = field(&doc, "role")?;
    patched.custom_role_ids = non_empty(field::<Vec<String>>(&doc, "customRoleIds")?);
    patched.inline_role = non_empty(statements(&doc)?);
    check_result(token, &mut patched, roles)?;
    Ok(patched)
}

/// The token as the patch sees it: as JSON, without its secret and without empty lists.
fn patch_document(token: &Token) -> Result<Value, PatchError> {
    // The secret is kept out of the document being patched: no path can reach it, and it cannot end up in a
    // message.
    let mut document = token.clone();
    document.token = None;
    let mut doc = document.to_json();
    // Responses write an absent list as `[]`; to a patch it stays absent, as LaunchDarkly answers a remove of
    // a token's unused `/inlineRole` with 422.
    if let Value::Object(members) = &mut doc {
        members.retain(|_, value| !matches!(value, Value::Array(items) if items.is_empty()));
    }
    Ok(doc)
}

/// `replace` of a whole patchable field that `doc` does not carry, turned into the `add` it acts as.
fn replace_absent_as_add(doc: &Value, op: &ParsedOperation) -> Option<ParsedOperation> {
    let [name] = op.path.tokens() else {
        return None;
    };
    if op.kind != OpKind::Replace || doc.get(name).is_some() {
        return None;
    }
    Some(ParsedOperation {
        kind: OpKind::Add,
        ..op.clone()
    })
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
fn field<T: FromJson>(doc: &Value, name: &str) -> Result<Option<T>, PatchError> {
    match doc.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::from_json(value, At::Root.key(name))
            .map(Some)
            .map_err(|err| {
                PatchError::invalid(format!("/{name} has the wrong type: {}", within(&err, 1)))
            }),
    }
}

/// `err`'s message, with its pointer when it lies deeper than the `depth` segments the caller's message
/// already names (`/customRoleIds/2` rather than `/customRoleIds`).
fn within(err: &JsonError, depth: usize) -> String {
    if err.pointer.matches('/').count() > depth {
        err.to_string()
    } else {
        err.message.clone()
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
                let list = At::Root.key("inlineRole");
                Statement::from_json(item, list.index(index)).map_err(|err| {
                    let err = within(&err, 2);
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

/// The three fields that hold a token's permissions; a token has exactly one of them.
const PERMISSION_FIELDS: [TokenField; 3] = [
    TokenField::Role,
    TokenField::CustomRoleIds,
    TokenField::InlineRole,
];

/// Whether `token` holds permissions in `field` (one of [`PERMISSION_FIELDS`]).
fn holds(field: TokenField, token: &Token) -> bool {
    match field {
        TokenField::Role => token.role.is_some(),
        TokenField::CustomRoleIds => token.custom_role_ids.is_some(),
        TokenField::InlineRole => token.inline_role.is_some(),
        TokenField::Name | TokenField::Description => false,
    }
}

/// Whether `patched` holds `field` exactly as `original` did, so the patch did not write it.
fn is_carried_over(field: TokenField, original: &Token, patched: &Token) -> bool {
    holds(field, original)
        && match field {
            TokenField::Role => patched.role == original.role,
            TokenField::CustomRoleIds => patched.custom_role_ids == original.custom_role_ids,
            TokenField::InlineRole => patched.inline_role == original.inline_role,
            TokenField::Name | TokenField::Description => false,
        }
}

fn clear(field: TokenField, token: &mut Token) {
    match field {
        TokenField::Role => token.role = None,
        TokenField::CustomRoleIds => token.custom_role_ids = None,
        TokenField::InlineRole => token.inline_role = None,
        TokenField::Name | TokenField::Description => {}
    }
}

/// Leaves the patched token with exactly one kind of permissions: when the patch wrote one kind next to the
/// one the token held, the new one replaces it.
fn settle_kind(original: &Token, patched: &mut Token) -> Result<(), PatchError> {
    let present: Vec<TokenField> = PERMISSION_FIELDS
        .into_iter()
        .filter(|field| holds(*field, patched))
        .collect();
    if present.is_empty() {
        return Err(PatchError::invalid(
            "the patched token would have no permissions: it needs one of role, customRoleIds and inlineRole",
        ));
    }
    let written: Vec<TokenField> = present
        .iter()
        .copied()
        .filter(|field| !is_carried_over(*field, original, patched))
        .collect();
    match written.as_slice() {
        _ if present.len() == 1 => Ok(()),
        [new] => {
            for field in present.into_iter().filter(|field| field != new) {
                clear(field, patched);
            }
            Ok(())
        }
        _ => {
            let names: Vec<&str> = present.iter().map(|field| field.as_str()).collect();
            Err(PatchError::invalid(format!(
                "a token has exactly one of role, customRoleIds and inlineRole, but this patch gives it {}; write only the one it should have",
                names.join(" and ")
            )))
        }
    }
}

fn check_result(
    original: &Token,
    patched: &mut Token,
    roles: &[CustomRole],
) -> Result<(), PatchError> {
    settle_kind(original, patched)?;
    let rule = |err: RuleError| PatchError::invalid(err.message());
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
