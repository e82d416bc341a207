//! Builders for the token-rule and token-patch tests: members, tokens and custom roles as the API sends them.

use serde_json::{json, Value};
use tokengate::{CustomRole, Member, Statement, Token};

/// A member with a base role and custom role ids.
pub fn member(id: &str, role: &str, custom_roles: &[&str]) -> Member {
    serde_json::from_value(json!({
        "_id": id,
        "email": format!("{id}@example.com"),
        "role": role,
        "customRoles": custom_roles,
    }))
    .expect("member fixture decodes")
}

/// What a token holds as its permissions.
pub enum Perm<'a> {
    Role(&'a str),
    Custom(&'a [&'a str]),
    Inline(Vec<Statement>),
}

fn token_json(id: &str, member_id: &str, perm: Perm<'_>, service: bool) -> Value {
    let mut token = json!({
        "_id": id,
        "ownerId": member_id,
        "memberId": member_id,
        "creationDate": 1_700_000_000_000_i64,
        "lastModified": 1_700_000_000_000_i64,
        "name": format!("token {id}"),
        "token": "api-5b2f1c9e-0d3a-4e7b-9c1f-2a6d8e4b7c30",
        "serviceToken": service,
        "_links": { "self": { "href": format!("/api/v2/tokens/{id}"), "type": "application/json" } },
    });
    match perm {
        Perm::Role(role) => token["role"] = json!(role),
        Perm::Custom(ids) => token["customRoleIds"] = json!(ids),
        Perm::Inline(statements) => token["inlineRole"] = json!(statements),
    }
    token
}

/// A personal token of `member_id`.
pub fn personal(id: &str, member_id: &str, perm: Perm<'_>) -> Token {
    serde_json::from_value(token_json(id, member_id, perm, false)).expect("token fixture decodes")
}

/// A service token created by `member_id`.
pub fn service(id: &str, member_id: &str, perm: Perm<'_>) -> Token {
    serde_json::from_value(token_json(id, member_id, perm, true)).expect("token fixture decodes")
}

/// A custom role.
pub fn role(
    id: &str,
    key: &str,
    policy: Vec<Statement>,
    base_permissions: Option<&str>,
) -> CustomRole {
    let mut value = json!({
        "_id": id,
        "key": key,
        "name": format!("Role {key}"),
        "policy": policy,
    });
    if let Some(base) = base_permissions {
        value["basePermissions"] = json!(base);
    }
    serde_json::from_value(value).expect("role fixture decodes")
}

/// Every personal-token action.
pub const PERSONAL_ACTIONS: [&str; 6] = [
    "createAccessToken",
    "updateAccessTokenPolicy",
    "updateAccessTokenName",
    "updateAccessTokenDescription",
    "deleteAccessToken",
    "resetAccessToken",
];

/// Ids of the tokens, for comparing lists.
pub fn ids(tokens: &[&Token]) -> Vec<String> {
    tokens.iter().map(|t| t.id.clone()).collect()
}
