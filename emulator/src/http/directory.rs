//! The read-only endpoints that tell a client who it is and what its roles say: caller identity, custom
//! roles, members and teams.

use super::auth::CallerId;
use super::links::page_links;
use super::query::Query;
use super::state::AppState;
use crate::access::{self, CallerView};
use crate::account::Account;
use crate::error::ErrorResponse;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use std::sync::Arc;
use tokengate::{CallerIdentity, CustomRoles, TeamMembers};

/// Default page size of `GET /api/v2/roles` (LaunchDarkly's).
const DEFAULT_ROLE_LIMIT: usize = 20;

/// `GET /api/v2/caller-identity`.
pub async fn caller_identity(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
) -> Result<Response, ErrorResponse> {
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    let service = me.token.is_service();
    let identity = CallerIdentity {
        account_id: Some(account.account_id.clone()),
        auth_kind: Some("token".into()),
        token_kind: Some(if service { "service" } else { "personal" }.into()),
        token_name: me.token.name.clone(),
        token_id: Some(me.token.id.clone()),
        member_id: Some(me.token.member_id.clone()),
        service_token: Some(service),
        ..CallerIdentity::default()
    };
    Ok(Json(identity).into_response())
}

fn require_read(account: &Account, me: &CallerView<'_>) -> Result<(), ErrorResponse> {
    if access::may_read_account(account, me.cap_member) {
        Ok(())
    } else {
        Err(ErrorResponse::forbidden(
            "Forbidden. Access to the requested resource was denied. The token's member has no read access (base role no_access and no custom role with basePermissions reader, directly or through a team).",
        ))
    }
}

/// `GET /api/v2/roles?limit&offset`.
pub async fn list_roles(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorResponse> {
    let page = Query::parse(raw.as_deref())?.page(DEFAULT_ROLE_LIMIT)?;
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    require_read(&account, &me)?;
    let roles = account.roles();
    let body = CustomRoles {
        links: Some(page_links("/api/v2/roles", page, roles.len(), "")),
        items: roles
            .iter()
            .skip(page.offset)
            .take(page.limit)
            .cloned()
            .collect(),
        total_count: Some(roles.len() as u64),
    };
    Ok(Json(body).into_response())
}

/// `GET /api/v2/roles/{customRoleKey}` (a key or an id).
pub async fn get_role(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(key): Path<String>,
) -> Result<Response, ErrorResponse> {
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    require_read(&account, &me)?;
    let role = account.role(&key).ok_or_else(|| {
        ErrorResponse::not_found(format!("Invalid resource identifier: no custom role {key}"))
    })?;
    Ok(Json(role).into_response())
}

/// `GET /api/v2/members/{id}?expand=roleAttributes` (`me` is the caller's member).
pub async fn get_member(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorResponse> {
    let query = Query::parse(raw.as_deref())?;
    let expand_attributes = query
        .get("expand")
        .is_some_and(|v| v.split(',').any(|f| f.trim() == "roleAttributes"));
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    let member_id = if id == "me" {
        me.token.member_id.as_str()
    } else {
        id.as_str()
    };
    // Anyone may read their own member; other members need read access.
    if member_id != me.token.member_id {
        require_read(&account, &me)?;
    }
    let mut member = account
        .member(member_id)
        .ok_or_else(|| {
            ErrorResponse::not_found(format!("Invalid resource identifier: no member {id}"))
        })?
        .clone();
    if !expand_attributes {
        member.role_attributes = None;
    }
    Ok(Json(member).into_response())
}

/// The fields of `expand` (comma-separated), trimmed.
fn expanded(query: &Query) -> Vec<String> {
    query
        .get("expand")
        .map(|v| v.split(',').map(|f| f.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// `GET /api/v2/teams/{teamKey}?expand=roles,roleAttributes,members`.
///
/// Without `expand` the team has neither `roles` nor `roleAttributes` (as LaunchDarkly documents: "By
/// default, these fields are not included"); `members` expands to the member count. `projects` and
/// `maintainers` are not emulated and stay absent. A member may read the teams it belongs to; other teams
/// need read access, as members do.
pub async fn get_team(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorResponse> {
    let expand = expanded(&Query::parse(raw.as_deref())?);
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    let own_team = account
        .member(&me.token.member_id)
        .unwrap_or(me.cap_member)
        .teams
        .iter()
        .flatten()
        .any(|t| t.key == key);
    if !own_team {
        require_read(&account, &me)?;
    }
    let mut team = account
        .team(&key)
        .ok_or_else(|| {
            ErrorResponse::not_found(format!("Invalid resource identifier: no team {key}"))
        })?
        .clone();
    let wants = |field: &str| expand.iter().any(|f| f == field);
    if !wants("roles") {
        team.roles = None;
    }
    if !wants("roleAttributes") {
        team.role_attributes = None;
    }
    if wants("members") {
        let count = account
            .members()
            .filter(|m| m.teams.iter().flatten().any(|t| t.key == key))
            .count();
        team.members = Some(TeamMembers {
            total_count: Some(count as u64),
        });
    }
    Ok(Json(team).into_response())
}
