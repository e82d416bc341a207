//! Account fixtures: the JSON file given with `--fixture`, and the built-in `demo` seed, which is the
//! same format compiled in (one loader for both).
//!
//! Format: `{ "accountId"?, "members": [Member + roleAttributes], "formerMembers"?: [Member],
//! "roles": [CustomRole], "teams"?: [FixtureTeam], "tokens": [Token + "secret"] }`. Fields the server makes
//! (`_id`, `_links`, `creationDate`, `lastModified`, `ownerId`, the obfuscated `token`, `_member`) may be
//! left out and are filled in. A token's `memberId` may name a member by `_id` or by email; an object id that
//! is no member stands for a member who has left the account. `customRoles` and `customRoleIds` accept role
//! keys or ids.
//!
//! A team is `{ "key", "name", "description"?, "customRoleKeys": [role key or id], "roleAttributes"? }`,
//! and a member names its teams by key (`"teams": ["mobile-team"]`); the loader turns both into the API's
//! shapes (`Team`, `MemberTeamSummaryRep`).
//!
//! `formerMembers` are members who have left the account, as they were: a personal token of theirs
//! authenticates nothing, and a service token they made keeps working, capped by them as they were then
//! (docs "API access tokens": only personal tokens are deactivated when their member leaves).

use crate::access;
use crate::account::{Account, TokenMeta};
use crate::clock::now_ms;
use crate::ids;
use crate::secrets::hash_secret;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;
use tokengate::KNOWN_API_VERSIONS;
use tokengate::{
    AccessTokenPost, CustomRole, Link, Links, Member, MemberTeamSummary, Secret, Team,
    TeamCustomRole, TeamCustomRoles, Token,
};

/// The built-in demo account.
pub const DEMO_SEED: &str = include_str!("../fixtures/demo.json");

/// The API version a fixture token gets when it names none (the newest; [`KNOWN_API_VERSIONS`] lists all).
pub const API_VERSION: i64 = KNOWN_API_VERSIONS[0];

/// A fixture that cannot be loaded, with the JSON path of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for FixtureError {}

fn fail<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, FixtureError> {
    Err(FixtureError {
        path: path.into(),
        message: message.into(),
    })
}

/// A secret to show on startup: the fixture did not say it (or it is the demo seed).
pub struct SeedSecret {
    pub token_name: String,
    pub member: String,
    pub kind: &'static str,
    pub secret: Secret,
}

/// A loaded account and the secrets worth printing.
pub struct Seeded {
    pub account: Account,
    pub secrets: Vec<SeedSecret>,
}

/// Loads a fixture. With `print_all_secrets`, every token's secret is listed for printing (the demo);
/// otherwise only secrets the loader generated are.
pub fn load(text: &str, print_all_secrets: bool) -> Result<Seeded, FixtureError> {
    let root: Value = serde_json::from_str(text).map_err(|e| FixtureError {
        path: "$".into(),
        message: format!("not valid JSON: {e}"),
    })?;
    let Value::Object(mut root) = root else {
        return fail(
            "$",
            "a fixture is a JSON object with members, roles and tokens",
        );
    };
    for key in root.keys() {
        if !matches!(
            key.as_str(),
            "accountId" | "members" | "formerMembers" | "roles" | "teams" | "tokens"
        ) {
            return fail(
                format!("$.{key}"),
                "unknown field (expected accountId, members, formerMembers, roles, teams, tokens)",
            );
        }
    }
    let account_id = match root.remove("accountId") {
        None => ids::object_id(),
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(_) => return fail("$.accountId", "must be a non-empty string"),
    };
    let roles = load_roles(take_array(&mut root, "roles")?)?;
    let teams = load_teams(take_array(&mut root, "teams")?, &roles)?;
    let mut ids_seen = HashSet::new();
    let mut emails_seen = HashSet::new();
    let members = load_members(
        take_array(&mut root, "members")?,
        "$.members",
        &roles,
        &teams,
        (&mut ids_seen, &mut emails_seen),
    )?;
    let former = load_members(
        take_array(&mut root, "formerMembers")?,
        "$.formerMembers",
        &roles,
        &teams,
        (&mut ids_seen, &mut emails_seen),
    )?;
    let owner_id = members
        .iter()
        .find(|m| m.role == "owner")
        .or_else(|| members.first())
        .map(|m| m.id.clone())
        .ok_or(FixtureError {
            path: "$.members".into(),
            message: "a fixture needs at least one member".into(),
        })?;
    let mut account = Account::new(account_id, owner_id, members, roles);
    account.set_teams(teams);
    let secrets = load_tokens(
        take_array(&mut root, "tokens")?,
        &mut account,
        &former,
        print_all_secrets,
    )?;
    Ok(Seeded { account, secrets })
}

fn take_array(root: &mut Map<String, Value>, key: &str) -> Result<Vec<Value>, FixtureError> {
    match root.remove(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => fail(format!("$.{key}"), "must be an array"),
    }
}

fn object(value: Value, path: &str) -> Result<Map<String, Value>, FixtureError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => fail(path, "must be an object"),
    }
}

fn decode<T: DeserializeOwned>(map: Map<String, Value>, path: &str) -> Result<T, FixtureError> {
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let inner = e.path().to_string();
        FixtureError {
            path: if inner == "." {
                path.to_owned()
            } else {
                format!("{path}.{inner}")
            },
            message: e.into_inner().to_string(),
        }
    })
}

fn string_field<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<&'a str>, FixtureError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => fail(format!("{path}.{key}"), "must be a string"),
    }
}

fn ensure_id(
    map: &mut Map<String, Value>,
    path: &str,
    seen: &mut HashSet<String>,
) -> Result<String, FixtureError> {
    let id = match string_field(map, "_id", path)? {
        Some(id) if ids::is_object_id(id) => id.to_owned(),
        Some(_) => return fail(format!("{path}._id"), "must be 24 hex characters"),
        None => ids::object_id(),
    };
    if !seen.insert(id.clone()) {
        return fail(format!("{path}._id"), format!("duplicate id {id}"));
    }
    map.insert("_id".into(), Value::String(id.clone()));
    Ok(id)
}

fn links(pairs: &[(&str, String)]) -> Value {
    let links: Links = pairs
        .iter()
        .map(|(name, href)| ((*name).to_owned(), Link::json(href.clone())))
        .collect();
    serde_json::to_value(links).unwrap_or(Value::Null)
}

fn load_roles(items: Vec<Value>) -> Result<Vec<CustomRole>, FixtureError> {
    let mut ids_seen = HashSet::new();
    let mut keys_seen = HashSet::new();
    let mut roles = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("$.roles[{i}]");
        let mut map = object(item, &path)?;
        ensure_id(&mut map, &path, &mut ids_seen)?;
        let key = string_field(&map, "key", &path)?
            .ok_or(FixtureError {
                path: format!("{path}.key"),
                message: "required".into(),
            })?
            .to_owned();
        if !keys_seen.insert(key.clone()) {
            return fail(format!("{path}.key"), format!("duplicate role key {key}"));
        }
        map.insert(
            "_links".into(),
            links(&[
                ("self", format!("/api/v2/roles/{key}")),
                ("parent", "/api/v2/roles".into()),
            ]),
        );
        let role: CustomRole = decode(map, &path)?;
        if let Some(bp) = role.base_permissions.as_deref() {
            if bp != "reader" && bp != "no_access" {
                return fail(
                    format!("{path}.basePermissions"),
                    "must be reader or no_access",
                );
            }
        }
        if let Err(problem) = access::validate_statements(&role.policy) {
            return fail(format!("{path}.policy{}", problem.path), problem.message);
        }
        roles.push(role);
    }
    Ok(roles)
}

fn resolve_role_ids(
    values: &mut Value,
    roles: &[CustomRole],
    path: &str,
) -> Result<(), FixtureError> {
    let Value::Array(items) = values else {
        return fail(path, "must be an array of role keys or ids");
    };
    for (i, item) in items.iter_mut().enumerate() {
        let Value::String(name) = item else {
            return fail(format!("{path}[{i}]"), "must be a role key or id");
        };
        let role = roles
            .iter()
            .find(|r| r.key == *name || r.id == *name)
            .ok_or(FixtureError {
                path: format!("{path}[{i}]"),
                message: format!("no custom role {name}"),
            })?;
        *item = Value::String(role.id.clone());
    }
    Ok(())
}

fn load_teams(items: Vec<Value>, roles: &[CustomRole]) -> Result<Vec<Team>, FixtureError> {
    let base = now_ms();
    let mut keys_seen = HashSet::new();
    let mut teams = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("$.teams[{i}]");
        let mut map = object(item, &path)?;
        for key in map.keys() {
            if !matches!(
                key.as_str(),
                "key" | "name" | "description" | "customRoleKeys" | "roleAttributes"
            ) {
                return fail(
                    format!("{path}.{key}"),
                    "unknown field (expected key, name, description, customRoleKeys, roleAttributes)",
                );
            }
        }
        let key = string_field(&map, "key", &path)?
            .filter(|k| !k.is_empty())
            .ok_or(FixtureError {
                path: format!("{path}.key"),
                message: "required".into(),
            })?
            .to_owned();
        if !keys_seen.insert(key.clone()) {
            return fail(format!("{path}.key"), format!("duplicate team key {key}"));
        }
        let mut role_keys = map
            .remove("customRoleKeys")
            .unwrap_or(Value::Array(Vec::new()));
        let role_path = format!("{path}.customRoleKeys");
        resolve_role_ids(&mut role_keys, roles, &role_path)?;
        let items: Vec<TeamCustomRole> = role_keys
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|id| roles.iter().find(|r| r.id == id))
            .map(|role| TeamCustomRole {
                key: role.key.clone(),
                name: Some(role.name.clone()),
                projects: None,
                applied_on: None,
            })
            .collect();
        map.entry("roleAttributes")
            .or_insert(Value::Object(Map::new()));
        map.insert("_creationDate".into(), Value::from(base));
        map.insert("_lastModified".into(), Value::from(base));
        map.insert("_version".into(), Value::from(1));
        map.insert("_idpSynced".into(), Value::Bool(false));
        map.insert(
            "_links".into(),
            links(&[
                ("self", format!("/api/v2/teams/{key}")),
                ("parent", "/api/v2/teams".into()),
            ]),
        );
        let mut team: Team = decode(map, &path)?;
        team.roles = Some(TeamCustomRoles {
            total_count: Some(items.len() as u64),
            items: Some(items),
            links: None,
        });
        teams.push(team);
    }
    Ok(teams)
}

/// A member's `teams`, given as team keys, as the API shows them (`MemberTeamSummaryRep`).
fn team_summaries(value: &Value, teams: &[Team], path: &str) -> Result<Value, FixtureError> {
    let Value::Array(keys) = value else {
        return fail(path, "must be an array of team keys");
    };
    let mut summaries = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let team = key
            .as_str()
            .and_then(|k| teams.iter().find(|t| t.key == k))
            .ok_or(FixtureError {
                path: format!("{path}[{i}]"),
                message: format!("no team {key}"),
            })?;
        let summary = MemberTeamSummary {
            custom_role_keys: team
                .role_keys()
                .unwrap_or_default()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            key: team.key.clone(),
            links: Some(
                [(
                    "self".to_owned(),
                    Link::json(format!("/api/v2/teams/{}", team.key)),
                )]
                .into_iter()
                .collect(),
            ),
            name: team.name.clone().unwrap_or_else(|| team.key.clone()),
        };
        summaries.push(serde_json::to_value(summary).unwrap_or(Value::Null));
    }
    Ok(Value::Array(summaries))
}

fn load_members(
    items: Vec<Value>,
    list: &str,
    roles: &[CustomRole],
    teams: &[Team],
    (ids_seen, emails_seen): (&mut HashSet<String>, &mut HashSet<String>),
) -> Result<Vec<Member>, FixtureError> {
    let base = now_ms();
    let mut members = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("{list}[{i}]");
        let mut map = object(item, &path)?;
        let id = ensure_id(&mut map, &path, ids_seen)?;
        map.insert(
            "_links".into(),
            links(&[("self", format!("/api/v2/members/{id}"))]),
        );
        map.entry("_verified").or_insert(Value::Bool(true));
        map.entry("mfa").or_insert(Value::String("disabled".into()));
        map.entry("creationDate").or_insert(Value::from(base));
        map.entry("customRoles").or_insert(Value::Array(Vec::new()));
        if let Some(custom) = map.get_mut("customRoles") {
            resolve_role_ids(custom, roles, &format!("{path}.customRoles"))?;
        }
        if let Some(keys) = map.get("teams") {
            let summaries = team_summaries(keys, teams, &format!("{path}.teams"))?;
            map.insert("teams".into(), summaries);
        }
        let member: Member = decode(map, &path)?;
        if !access::is_base_role(&member.role) {
            return fail(
                format!("{path}.role"),
                "must be reader, writer, admin, owner or no_access",
            );
        }
        if !emails_seen.insert(member.email.clone()) {
            return fail(
                format!("{path}.email"),
                format!("duplicate email {}", member.email),
            );
        }
        members.push(member);
    }
    Ok(members)
}

fn load_tokens(
    items: Vec<Value>,
    account: &mut Account,
    former: &[Member],
    print_all: bool,
) -> Result<Vec<SeedSecret>, FixtureError> {
    let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
    // Tokens without a creationDate keep their fixture order, one millisecond apart, ending now.
    let base = now_ms().saturating_sub(count);
    let mut ids_seen = HashSet::new();
    let mut secrets_seen = HashSet::new();
    let mut printed = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("$.tokens[{i}]");
        let mut map = object(item, &path)?;
        let id = ensure_id(&mut map, &path, &mut ids_seen)?;
        let member_ref = string_field(&map, "memberId", &path)?
            .ok_or(FixtureError {
                path: format!("{path}.memberId"),
                message: "required (a member id or email)".into(),
            })?
            .to_owned();
        let member = account
            .member(&member_ref)
            .or_else(|| account.members().find(|m| m.email == member_ref))
            .cloned();
        let departed = former
            .iter()
            .find(|m| m.id == member_ref || m.email == member_ref);
        let member_id = match (&member, departed) {
            (Some(m), _) | (None, Some(m)) => m.id.clone(),
            (None, None) if ids::is_object_id(&member_ref) => member_ref,
            (None, None) => {
                return fail(
                    format!("{path}.memberId"),
                    format!("no member {member_ref}"),
                )
            }
        };
        let (secret, generated) = match map.remove("secret") {
            Some(Value::String(s)) if !s.trim().is_empty() => (Secret::new(s), false),
            Some(_) => return fail(format!("{path}.secret"), "must be a non-empty string"),
            None => (ids::secret(), true),
        };
        if !secrets_seen.insert(hash_secret(secret.expose())) {
            return fail(format!("{path}.secret"), "two tokens share a secret");
        }
        map.remove("_member");
        map.insert("memberId".into(), Value::String(member_id.clone()));
        map.insert("ownerId".into(), Value::String(account.owner_id.clone()));
        map.insert("token".into(), Value::String(secret.last_four().to_owned()));
        map.insert(
            "_links".into(),
            links(&[
                ("self", format!("/api/v2/tokens/{id}")),
                ("parent", "/api/v2/tokens".into()),
            ]),
        );
        let created = base + i64::try_from(i).unwrap_or(0);
        map.entry("creationDate").or_insert(Value::from(created));
        if !map.contains_key("lastModified") {
            let created = map
                .get("creationDate")
                .cloned()
                .unwrap_or(Value::from(created));
            map.insert("lastModified".into(), created);
        }
        map.entry("serviceToken").or_insert(Value::Bool(false));
        map.entry("defaultApiVersion")
            .or_insert(Value::from(API_VERSION));
        if let Some(custom) = map.get_mut("customRoleIds") {
            resolve_role_ids(custom, account.roles(), &format!("{path}.customRoleIds"))?;
        }
        let last_used = match map.remove("lastUsed") {
            None | Some(Value::Null) => 0,
            Some(v) => v.as_i64().ok_or(FixtureError {
                path: format!("{path}.lastUsed"),
                message: "must be epoch milliseconds".into(),
            })?,
        };
        let mut token: Token = decode(map, &path)?;
        // Decoding reads an empty list as none, so this sees `customRoleIds: []` as no custom roles.
        if token.role.is_none() && token.custom_role_ids.is_none() && token.inline_role.is_none() {
            token.role = Some("reader".into());
        }
        if !token
            .default_api_version
            .is_some_and(|v| KNOWN_API_VERSIONS.contains(&v))
        {
            return fail(
                format!("{path}.defaultApiVersion"),
                format!("the emulator serves API versions {KNOWN_API_VERSIONS:?} only"),
            );
        }
        let as_post = AccessTokenPost {
            name: token.name.clone(),
            description: token.description.clone(),
            role: token.role.clone(),
            custom_role_ids: token.custom_role_ids.clone(),
            inline_role: token.inline_role.clone(),
            service_token: token.service_token,
            default_api_version: token.default_api_version,
        };
        if let Err(e) = access::validate_create(&as_post, account.roles()) {
            return fail(path, e.message);
        }
        if print_all || generated {
            printed.push(SeedSecret {
                token_name: token.name.clone().unwrap_or_else(|| token.id.clone()),
                member: match (&member, departed) {
                    (Some(m), _) => m.email.clone(),
                    (None, Some(m)) => format!("{} (left the account)", m.email),
                    (None, None) => format!("{member_id} (left the account)"),
                },
                kind: if token.is_service() {
                    "service"
                } else {
                    "personal"
                },
                secret: secret.clone(),
            });
        }
        // A service token is capped by its creator as they were when it was made: for one whose creator has
        // left, the former member as the fixture describes them.
        let snapshot = if token.is_service() {
            let snapshot = member.clone().or_else(|| departed.cloned());
            if snapshot.is_none() {
                return fail(
                    format!("{path}.memberId"),
                    format!("{member_id} is no member: a service token's creator must be in members or formerMembers, since it caps the token"),
                );
            }
            snapshot
        } else {
            None
        };
        let meta = TokenMeta::new(hash_secret(secret.expose()), snapshot);
        meta.last_used
            .store(last_used, std::sync::atomic::Ordering::Relaxed);
        meta.last_used_saved
            .store(last_used, std::sync::atomic::Ordering::Relaxed);
        account.insert_token(token, meta);
    }
    Ok(printed)
}
