//! The Access Tokens API's patch rules over arbitrary patches (input: a JSON patch body, bare or wrapped) on
//! a personal token with a base role, one with custom roles, one with an inline policy, and a service token.
//! Checks: no panic; 400/422 only; a failure never shows the secret; a success keeps every fixed field, leaves
//! exactly one kind of permission that is valid, and never changes a service token's permissions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokengate::{CustomRole, PatchRequest, RoleAttributes, Statement, Token};
use tokengate::apply_token_patch;
use tokengate::{CompiledPolicy, PolicySource};

const SECRET: &str = "api-0f8b6c1e-2d4a-4b7e-9c3f-5a6d7e8f9a0b";

fn token(id: &str, extra: serde_json::Value) -> Token {
    let mut value = serde_json::json!({
        "_id": id,
        "ownerId": "owner1",
        "memberId": "member1",
        "name": "ci",
        "description": "deploys",
        "creationDate": 1_700_000_000_000_i64,
        "lastModified": 1_700_000_000_000_i64,
        "token": SECRET,
        "defaultApiVersion": 20240415,
        "_links": {"self": {"href": format!("/api/v2/tokens/{id}"), "type": "application/json"}}
    });
    if let (Some(base), serde_json::Value::Object(extra)) = (value.as_object_mut(), extra) {
        base.extend(extra);
    }
    serde_json::from_value(value).expect("fixture token")
}

fn roles() -> Vec<CustomRole> {
    serde_json::from_value(serde_json::json!([
        {"_id": "r1", "key": "token-managers", "name": "Token managers",
         "policy": [{"effect": "allow", "resources": ["member/*:token/*"], "actions": ["*"]}]},
        {"_id": "r2", "key": "flags", "name": "Flags",
         "policy": [{"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["update*"]}]}
    ]))
    .expect("fixture roles")
}

fn permission_kinds(token: &Token) -> usize {
    usize::from(token.role.is_some())
        + usize::from(token.custom_role_ids.is_some())
        + usize::from(token.inline_role.is_some())
}

fuzz_target!(|data: &[u8]| {
    let Ok(request) = serde_json::from_slice::<PatchRequest>(data) else {
        return;
    };
    let roles = roles();
    let tokens = [
        token(
            "aaaaaaaaaaaaaaaaaaaaaaa1",
            serde_json::json!({"role": "writer"}),
        ),
        token(
            "aaaaaaaaaaaaaaaaaaaaaaa2",
            serde_json::json!({"customRoleIds": ["r1", "r2"]}),
        ),
        token(
            "aaaaaaaaaaaaaaaaaaaaaaa3",
            serde_json::json!({"inlineRole": [{"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]}),
        ),
        token(
            "aaaaaaaaaaaaaaaaaaaaaaa4",
            serde_json::json!({"role": "reader", "serviceToken": true}),
        ),
    ];
    for original in &tokens {
        match apply_token_patch(original, request.operations(), &roles) {
            Err(err) => {
                assert!(
                    !err.message().contains(&SECRET[4..]),
                    "secret in {}",
                    err.message()
                );
            }
            Ok(patched) => {
                assert_eq!(patched.id, original.id);
                assert_eq!(patched.owner_id, original.owner_id);
                assert_eq!(patched.member_id, original.member_id);
                assert_eq!(patched.creation_date, original.creation_date);
                assert_eq!(patched.token, original.token);
                assert_eq!(patched.service_token, original.service_token);
                assert_eq!(patched.default_api_version, original.default_api_version);
                assert_eq!(patched.links, original.links);
                assert_eq!(permission_kinds(&patched), 1, "{patched:?}");
                if original.is_service() {
                    assert_eq!(patched.role, original.role);
                    assert_eq!(patched.custom_role_ids, original.custom_role_ids);
                    assert_eq!(patched.inline_role, original.inline_role);
                }
                if let Some(role) = &patched.role {
                    assert!(
                        ["reader", "writer", "admin"].contains(&role.as_str()),
                        "{role}"
                    );
                }
                if let Some(ids) = &patched.custom_role_ids {
                    if ids != original.custom_role_ids.as_ref().unwrap_or(&Vec::new()) {
                        assert!(
                            ids.iter().all(|id| roles.iter().any(|r| &r.id == id)),
                            "{ids:?}"
                        );
                    }
                }
                if let Some(statements) = &patched.inline_role {
                    if Some(statements) != original.inline_role.as_ref() {
                        compiles(statements);
                    }
                }
            }
        }
    }
});

fn compiles(statements: &[Statement]) {
    if let Err(err) =
        CompiledPolicy::compile(PolicySource::inline(), statements, &RoleAttributes::new())
    {
        panic!("a patch produced an invalid inline policy: {err}");
    }
}
