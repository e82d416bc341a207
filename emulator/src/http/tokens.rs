//! The six Access Tokens endpoints.

use super::auth::CallerId;
use super::body;
use super::links::page_links;
use super::query::Query;
use super::state::AppState;
use super::version::{self, ApiVersion};
use crate::access;
use crate::account::{Account, TokenMeta};
use crate::clock::now_ms;
use crate::error::ErrorResponse;
use crate::fixture::API_VERSION;
use crate::ids;
use crate::persist::TokenRow;
use crate::secrets::hash_secret;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokengate::{
    AccessTokenPost, CustomRole, Effect, Link, Links, Member, PatchOperation, Secret, Token, Tokens,
};
use tokengate::{DELETE_ACTION, RESET_ACTION};

/// Default page size of `GET /api/v2/tokens`.
const DEFAULT_LIMIT: usize = 25;
const COLLECTION: &str = "/api/v2/tokens";

/// A token as the wire shows it: `_member` from the current member, `lastUsed` from the last use.
fn render(account: &Account, token: &Token, meta: &TokenMeta) -> Token {
    let mut out = token.clone();
    out.member = account.member(&token.member_id).map(Member::summary);
    out.last_used = meta.last_used();
    out
}

/// A single-token response with its version as the `ETag`.
fn token_response(status: StatusCode, token: Token, version: u64) -> Response {
    let mut response = (status, Json(token)).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

fn not_found(_id: &str) -> ErrorResponse {
    access::token_not_found()
}

/// `GET /api/v2/tokens?showAll&limit&offset`. Under the versions before `20240415` the list is not paginated:
/// `limit` and `offset` are ignored and every visible token comes at once.
pub async fn list(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorResponse> {
    let query = Query::parse(raw.as_deref())?;
    let page = if caller.api_version.paginates_token_list() {
        Some(query.page(DEFAULT_LIMIT)?)
    } else {
        None
    };
    let show_all = query.flag("showAll")?;
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    let visible = me.principal.visible(account.tokens(), show_all);
    let (skip, take) = page.map_or((0, visible.len()), |p| (p.offset, p.limit));
    let items = visible
        .iter()
        .skip(skip)
        .take(take)
        .filter_map(|t| {
            account
                .token(&t.id)
                .map(|(token, meta)| render(&account, token, meta))
        })
        .collect();
    let links = match page {
        Some(page) => {
            let extra = if show_all { "&showAll=true" } else { "" };
            page_links(COLLECTION, page, visible.len(), extra)
        }
        None => {
            let mut links = Links::new();
            let href = if show_all {
                format!("{COLLECTION}?showAll=true")
            } else {
                COLLECTION.to_owned()
            };
            links.insert("self".into(), Link::json(href));
            links
        }
    };
    let body = Tokens {
        items,
        links: Some(links),
        total_count: Some(visible.len() as u64),
    };
    Ok(Json(body).into_response())
}

/// `GET /api/v2/tokens/{id}`.
pub async fn get_one(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(id): Path<String>,
) -> Result<Response, ErrorResponse> {
    let account = app.store.read();
    let me = access::caller(&account, &caller.token_id)?;
    let (token, meta) = account.token(&id).ok_or_else(|| not_found(&id))?;
    let sight = me.principal.see(token);
    access::require(sight.allowed, &sight)?;
    Ok(token_response(
        StatusCode::OK,
        render(&account, token, meta),
        meta.version,
    ))
}

/// `POST /api/v2/tokens`.
pub async fn create(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    headers: HeaderMap,
    raw_body: Body,
) -> Result<Response, ErrorResponse> {
    let bytes = body::read(&headers, raw_body, app.body_timeout).await?;
    let post: AccessTokenPost = body::json(&bytes)?;
    let now = now_ms();
    let mut writer = app.store.write();
    let (token, meta, secret) = {
        let account = &*writer.account;
        let me = access::caller(account, &caller.token_id)?;
        me.principal
            .authorize_create(&post, account.roles())
            .map_err(access::rule_error)?;
        let service = post.service_token.unwrap_or(false);
        if service && account.service_token_count() >= app.store.service_token_limit {
            return Err(ErrorResponse::bad_request(format!(
                "The account already has {} service tokens, the most it may have",
                app.store.service_token_limit
            )));
        }
        if let Some(version) = post.default_api_version {
            if ApiVersion::known(version).is_none() {
                return Err(ErrorResponse::bad_request(format!(
                    "defaultApiVersion {version} is not supported: give one of {}",
                    version::supported()
                )));
            }
        }
        let secret = ids::secret();
        let id = ids::object_id();
        let has_policy =
            post.role.is_some() || post.custom_role_ids.is_some() || post.inline_role.is_some();
        let token = Token {
            id: id.clone(),
            owner_id: account.owner_id.clone(),
            member_id: me.token.member_id.clone(),
            member: None,
            name: post.name.clone(),
            description: post.description.clone(),
            creation_date: now,
            last_modified: now,
            custom_role_ids: post
                .custom_role_ids
                .as_deref()
                .map(|ids| access::resolve_role_ids(ids, account.roles()))
                .transpose()?,
            inline_role: post.inline_role.clone(),
            role: if has_policy {
                post.role.clone()
            } else {
                Some("reader".into())
            },
            token: Some(Secret::new(secret.last_four())),
            service_token: Some(service),
            links: token_links(&id),
            default_api_version: Some(post.default_api_version.unwrap_or(API_VERSION)),
            last_used: None,
        };
        // A service token's cap is its creator as they are now, kept for the token's whole life.
        let snapshot = service.then(|| me.cap_member.clone());
        let meta = TokenMeta::new(hash_secret(secret.expose()), snapshot);
        (token, meta, secret)
    };
    writer.persist(|db| {
        db.put_token(&TokenRow {
            token: &token,
            secret_hash: &meta.secret_hash,
            creator: meta.creator_snapshot.as_ref(),
            version: meta.version,
            last_used: 0,
        })
    })?;
    let id = token.id.clone();
    writer.account.insert_token(token, meta);
    let account = &*writer.account;
    let (token, meta) = account
        .token(&id)
        .ok_or_else(|| ErrorResponse::internal("token vanished"))?;
    let mut out = render(account, token, meta);
    out.token = Some(secret);
    Ok(token_response(StatusCode::CREATED, out, meta.version))
}

fn token_links(id: &str) -> Links {
    let mut links = Links::new();
    links.insert("self".into(), Link::json(format!("{COLLECTION}/{id}")));
    links.insert("parent".into(), Link::json(COLLECTION));
    links
}

/// The patch body: a JSON Patch array, or `{ "comment": "...", "patch": [...] }`.
fn patch_operations(bytes: &[u8]) -> Result<Vec<PatchOperation>, ErrorResponse> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Wrapper {
        #[serde(default)]
        #[allow(dead_code)]
        comment: Option<String>,
        patch: Vec<PatchOperation>,
    }
    let value: Value = body::json(bytes)?;
    match value {
        Value::Array(_) => body::json(bytes),
        Value::Object(ref map) if map.contains_key("patch") => {
            body::json::<Wrapper>(bytes).map(|w| w.patch)
        }
        Value::Object(_) => Err(ErrorResponse::bad_request(
            "Invalid request body: expected a JSON Patch array or {\"comment\", \"patch\"}; semantic patch is not supported for tokens",
        )),
        _ => Err(ErrorResponse::bad_request(
            "Invalid request body: expected a JSON Patch array",
        )),
    }
}

/// `If-Match`: the version the client last saw (the `ETag`), checked so a stale write fails with 409.
fn check_if_match(headers: &HeaderMap, version: u64) -> Result<(), ErrorResponse> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let value = value.to_str().unwrap_or("").trim();
    let current = format!("\"{version}\"");
    if value == "*"
        || value
            .split(',')
            .any(|v| v.trim().trim_start_matches("W/") == current)
    {
        Ok(())
    } else {
        Err(ErrorResponse::conflict(
            "Conflict. Optimistic lock error. Try again later. (the token changed since the ETag given in If-Match)",
        ))
    }
}

/// `PATCH /api/v2/tokens/{id}`.
pub async fn patch(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw_body: Body,
) -> Result<Response, ErrorResponse> {
    let bytes = body::read(&headers, raw_body, app.body_timeout).await?;
    let ops = patch_operations(&bytes)?;
    let now = now_ms();
    let mut writer = app.store.write();
    let (position, updated, version, change) = {
        let account = &*writer.account;
        let me = access::caller(account, &caller.token_id)?;
        let position = account.position(&id).ok_or_else(|| not_found(&id))?;
        let (stored, meta) = account.entry(position);
        let visible = me.principal.can_see(stored);
        if !visible {
            return Err(not_found(&id));
        }
        check_if_match(&headers, meta.version)?;
        // The patch sees the token as the client does. The core answers in the API's order: a malformed
        // patch is 400 whoever asks; a patch the caller may not make is 403 before any 422 about its content.
        let shown = render(account, stored, meta);
        let (_, mut updated) = me
            .principal
            .authorize_patch(&shown, &ops, account.roles())
            .map_err(access::rule_error)?;
        // What the patch changed in the token's permissions, described (not compared: comparing two policies
        // can take seconds for a hostile one, and no request may wait on that) for the log line.
        let change = permission_change(stored, &updated, account.roles());
        // Fields the server owns stay as stored whatever the patch result says.
        updated.id = stored.id.clone();
        updated.owner_id = stored.owner_id.clone();
        updated.member_id = stored.member_id.clone();
        updated.member = None;
        updated.creation_date = stored.creation_date;
        updated.token = stored.token.clone();
        updated.service_token = stored.service_token;
        updated.links = stored.links.clone();
        updated.default_api_version = stored.default_api_version;
        updated.last_used = None;
        updated.last_modified = now.max(stored.last_modified);
        (position, updated, meta.version + 1, change)
    };
    {
        let (_, meta) = writer.account.entry(position);
        writer.persist(|db| {
            db.put_token(&TokenRow {
                token: &updated,
                secret_hash: &meta.secret_hash,
                creator: meta.creator_snapshot.as_ref(),
                version,
                last_used: meta.last_used.load(Ordering::Relaxed),
            })
        })?;
    }
    writer.account.replace_token(position, updated);
    let account = &*writer.account;
    let (token, meta) = account.entry(position);
    let response = token_response(StatusCode::OK, render(account, token, meta), meta.version);
    drop(writer);
    if let Some(change) = change {
        app.log
            .event(format!("token {id}: the patch changes {change}"));
    }
    Ok(response)
}

/// What a patch changed in a token's own permissions, for the log, when it changed them: the kind of
/// permissions before and after (base role, custom role keys, or an inline policy's statement count). A
/// description, never a comparison of the two policies, and never a secret.
fn permission_change(before: &Token, after: &Token, roles: &[CustomRole]) -> Option<String> {
    let same = before.role == after.role
        && before.custom_role_ids == after.custom_role_ids
        && before.inline_role == after.inline_role;
    if same {
        return None;
    }
    let (was, now) = (
        permissions_summary(before, roles),
        permissions_summary(after, roles),
    );
    Some(if was == now {
        format!("its permissions, still {now}")
    } else {
        format!("its permissions from {was} to {now}")
    })
}

/// A token's own permissions in a few words.
fn permissions_summary(token: &Token, roles: &[CustomRole]) -> String {
    if let Some(ids) = token
        .custom_role_ids
        .as_deref()
        .filter(|ids| !ids.is_empty())
    {
        let keys: Vec<&str> = ids
            .iter()
            .map(|id| {
                roles
                    .iter()
                    .find(|r| r.id == *id)
                    .map_or(id.as_str(), |r| r.key.as_str())
            })
            .collect();
        return format!("custom roles [{}]", keys.join(", "));
    }
    if let Some(statements) = token.inline_role.as_deref().filter(|s| !s.is_empty()) {
        let count = |effect: Effect| statements.iter().filter(|s| s.effect == effect).count();
        return format!(
            "an inline policy of {} statements ({} allow, {} deny)",
            statements.len(),
            count(Effect::Allow),
            count(Effect::Deny)
        );
    }
    match &token.role {
        Some(role) => format!("role \"{role}\""),
        None => "no permissions".to_owned(),
    }
}

/// Where token `id` sits in the account, once the caller may see it (else 404) and take `action` on it (else 403).
fn authorized_position(
    account: &Account,
    caller: &CallerId,
    id: &str,
    action: &str,
) -> Result<usize, ErrorResponse> {
    let me = access::caller(account, &caller.token_id)?;
    let position = account.position(id).ok_or_else(|| not_found(id))?;
    let (token, _) = account.entry(position);
    let decision = me.principal.check_action(token, action);
    access::require(me.principal.can_see(token), &decision)?;
    Ok(position)
}

/// `DELETE /api/v2/tokens/{id}`.
pub async fn delete(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(id): Path<String>,
) -> Result<Response, ErrorResponse> {
    let mut writer = app.store.write();
    let position = authorized_position(&writer.account, &caller, &id, DELETE_ACTION)?;
    writer.persist(|db| db.delete_token(&id))?;
    writer.account.remove_token(position);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The grace period of a reset: `?expiry=` or a JSON body `{"expiry": n}`; neither means none.
fn reset_expiry(query: &Query, bytes: &[u8]) -> Result<Option<i64>, ErrorResponse> {
    #[derive(Deserialize)]
    struct ResetBody {
        #[serde(default)]
        expiry: Option<i64>,
    }
    if let Some(expiry) = query.int("expiry")? {
        return Ok(Some(expiry));
    }
    if body::is_blank(bytes) {
        return Ok(None);
    }
    Ok(body::json::<ResetBody>(bytes)?.expiry)
}

/// `POST /api/v2/tokens/{id}/reset?expiry=`.
pub async fn reset(
    State(app): State<Arc<AppState>>,
    Extension(caller): Extension<CallerId>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    raw_body: Body,
) -> Result<Response, ErrorResponse> {
    let query = Query::parse(raw.as_deref())?;
    let bytes = body::read(&headers, raw_body, app.body_timeout).await?;
    let expiry = reset_expiry(&query, &bytes)?;
    let now = now_ms();
    let mut writer = app.store.write();
    let position = authorized_position(&writer.account, &caller, &id, RESET_ACTION)?;
    let secret = ids::secret();
    let last4 = Secret::new(secret.last_four());
    let grace = expiry.filter(|at| *at > now);
    {
        let (stored, meta) = writer.account.entry(position);
        let mut updated = stored.clone();
        updated.token = Some(last4.clone());
        updated.last_modified = now.max(stored.last_modified);
        let new_hash = hash_secret(secret.expose());
        writer.persist(|db| {
            db.put_reset(
                &TokenRow {
                    token: &updated,
                    secret_hash: &new_hash,
                    creator: meta.creator_snapshot.as_ref(),
                    version: meta.version + 1,
                    last_used: meta.last_used.load(Ordering::Relaxed),
                },
                &meta.secret_hash,
                grace,
                now,
            )
        })?;
    }
    writer
        .account
        .rotate_secret(position, &secret, last4, grace, now);
    let account = &*writer.account;
    let (token, meta) = account.entry(position);
    let mut out = render(account, token, meta);
    out.token = Some(secret);
    Ok(token_response(StatusCode::OK, out, meta.version))
}
