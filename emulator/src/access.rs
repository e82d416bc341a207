//! Every permission and patch decision, delegated to the tokengate core (its token rules, token patch and
//! policy engine), so that what a client predicts with the same core is what this
//! server enforces. This module only adapts: it looks up the caller, builds the core's `Principal`, and turns
//! core errors and denials into HTTP errors.

use crate::account::{Account, TokenMeta};
use crate::error::ErrorResponse;
use axum::http::StatusCode;
use std::sync::Arc;
use tokengate::{AccessTokenPost, CustomRole, Member, Statement, Token};
use tokengate::{Decision, Principal, RuleError, Severity};

/// The first error a policy validation found: where (JSON pointer) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementProblem {
    pub path: String,
    pub message: String,
}

/// Validates policy statements with the core; warnings are not failures.
pub fn validate_statements(statements: &[Statement]) -> Result<(), StatementProblem> {
    match tokengate::validate_statements(statements)
        .into_iter()
        .find(|d| d.severity == Severity::Error)
    {
        None => Ok(()),
        Some(d) => Err(StatementProblem {
            path: d.path,
            message: format!("{} ({})", d.message, d.code),
        }),
    }
}

/// Whether `role` names a base role.
pub fn is_base_role(role: &str) -> bool {
    tokengate::BaseRole::parse(role).is_some()
}

/// The 400 rules of a create body (role fields, unknown roles, statements), from the core.
pub fn validate_create(body: &AccessTokenPost, roles: &[CustomRole]) -> Result<(), ErrorResponse> {
    tokengate::validate_create(body, roles).map_err(rule_error)
}

/// The authenticated caller, resolved against the account as it is now.
pub struct CallerView<'a> {
    pub token: &'a Token,
    /// The member whose role caps the token: the current member for a personal token, the creator as they
    /// were at creation for a service token.
    pub cap_member: &'a Member,
    pub principal: Arc<Principal>,
}

/// The member whose rights cap `token`: for a personal token its member as they are now, for a service
/// token its creator as they were when it was made. `None` when there is none: a personal token whose
/// member has left the account (a service token is independent of its creator and outlives them).
pub fn cap_member<'a>(
    account: &'a Account,
    token: &Token,
    meta: &'a TokenMeta,
) -> Option<&'a Member> {
    if token.is_service() {
        meta.creator_snapshot
            .as_ref()
            .or_else(|| account.member(&token.member_id))
    } else {
        account.member(&token.member_id)
    }
}

/// The 401 of a token whose member has left the account.
pub fn member_left() -> ErrorResponse {
    ErrorResponse::unauthorized(
        "Invalid access token: the member who created it has left the account",
    )
}

/// Resolves the caller's token: 401 when it no longer exists, or when it is a personal token whose member
/// has left the account.
pub fn caller<'a>(account: &'a Account, token_id: &str) -> Result<CallerView<'a>, ErrorResponse> {
    let (token, meta) = account
        .token(token_id)
        .ok_or_else(|| ErrorResponse::unauthorized("Invalid access token"))?;
    let cap_member = cap_member(account, token, meta).ok_or_else(member_left)?;
    let principal = account.principal(token_id, || {
        Principal::with_teams(token, Some(cap_member), account.roles(), account.teams())
    });
    Ok(CallerView {
        token,
        cap_member,
        principal,
    })
}

/// The HTTP status of each of the core's refusals. The core names the refusal; the status is chosen here,
/// at the edge, as LaunchDarkly answers it.
pub fn rule_error(e: RuleError) -> ErrorResponse {
    let status = match &e {
        RuleError::InvalidRequest { .. } => StatusCode::BAD_REQUEST,
        RuleError::Forbidden { .. } => StatusCode::FORBIDDEN,
        RuleError::NotFound => StatusCode::NOT_FOUND,
        RuleError::PatchFailed { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ErrorResponse::new(status, e.code(), e.message())
}

/// The core's answer for a token the caller wants to act on: 404 when the caller cannot see it (its
/// existence is not revealed), 403 with the decision's reason when it may not act on it.
pub fn require(visible: bool, decision: &Decision) -> Result<(), ErrorResponse> {
    tokengate::outcome_of(visible, decision).map_err(rule_error)
}

/// 404 exactly as for a token the caller cannot see.
pub fn token_not_found() -> ErrorResponse {
    rule_error(RuleError::NotFound)
}

/// `customRoleIds` as given (ids or keys) resolved to ids by the core.
pub fn resolve_role_ids(
    given: &[String],
    roles: &[CustomRole],
) -> Result<Vec<String>, ErrorResponse> {
    tokengate::resolve_custom_role_ids(given, roles).map_err(rule_error)
}

/// Whether the caller may read the account's custom roles, members and teams.
///
/// The spec leaves reading roles and members to LaunchDarkly's base roles ("reader: view everything"), and
/// the core has no rule for it: the emulator allows it unless the capping member has no read access at all
/// (no base role in effect other than `no_access`, and no custom role with `basePermissions: reader`,
/// directly or through a team).
pub fn may_read_account(account: &Account, cap_member: &Member) -> bool {
    let reads = |key_or_id: &str| {
        account
            .role(key_or_id)
            .is_some_and(|r| r.base_permissions.as_deref() == Some("reader"))
    };
    // Roles assigned directly replace the base role (spec §4), so only a base role in effect reads.
    let base_reads = tokengate::MemberBaseRole::of(cap_member)
        .in_effect()
        .is_some_and(|base| base != tokengate::BaseRole::NoAccess);
    base_reads
        || cap_member.custom_roles.iter().any(|id| reads(id))
        || cap_member
            .teams
            .iter()
            .flatten()
            .flat_map(|team| &team.custom_role_keys)
            .any(|key| reads(key))
}
