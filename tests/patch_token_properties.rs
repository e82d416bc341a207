//! Properties of token patches over generated operations: never a panic, only 400 or 422, and any result is
//! a valid token whose fixed fields did not move.

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};
use support::builders::*;
use tokengate::apply_token_patch;
use tokengate::{PatchOperation, Statement, Token};

const SECRET: &str = "api-5b2f1c9e-0d3a-4e7b-9c1f-2a6d8e4b7c30";

const PATHS: &[&str] = &[
    "/name",
    "/description",
    "/role",
    "/customRoleIds",
    "/customRoleIds/0",
    "/customRoleIds/-",
    "/customRoleIds/1",
    "/inlineRole",
    "/inlineRole/0",
    "/inlineRole/-",
    "/inlineRole/0/actions",
    "/inlineRole/0/actions/0",
    "/inlineRole/0/effect",
    "/_id",
    "/token",
    "/serviceToken",
    "",
    "/name/x",
    "/~",
    "name",
];

fn value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("reader"),
        json!("writer"),
        json!("admin"),
        json!("owner"),
        json!("r1"),
        json!("viewers"),
        json!("ghost"),
        json!(["r1"]),
        json!(["viewers", "r1"]),
        json!([]),
        json!(null),
        json!(7),
        json!("deny"),
        json!({"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}),
        json!([{"effect": "deny", "notResources": ["proj/x"], "actions": ["update*"]}]),
        json!({"effect": "allow"}),
    ])
}

fn operation() -> impl Strategy<Value = PatchOperation> {
    (
        prop::sample::select(&["add", "remove", "replace", "move", "copy", "test", "merge"][..]),
        prop::sample::select(PATHS),
        prop::option::of(value()),
        prop::option::of(prop::sample::select(PATHS)),
    )
        .prop_map(|(op, path, value, from)| PatchOperation {
            op: op.into(),
            path: path.into(),
            value,
            from: from.map(str::to_string),
        })
}

fn token() -> impl Strategy<Value = Token> {
    (0..4usize, any::<bool>()).prop_map(|(kind, svc)| {
        let perm = match kind {
            0 => Perm::Role("reader"),
            1 => Perm::Custom(&["r1"]),
            2 => Perm::Inline(vec![Statement::allow(
                ["proj/*"],
                ["viewProject", "updateOn"],
            )]),
            _ => Perm::Role("admin"),
        };
        if svc {
            service("t", "ada", perm)
        } else {
            personal("t", "ada", perm)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_patch_gives_a_valid_token_or_a_400_or_422(original in token(), ops in prop::collection::vec(operation(), 0..4)) {
        let roles = [
            role("r1", "editors", vec![Statement::allow(["proj/*"], ["*"])], None),
            role("r2", "viewers", vec![], Some("reader")),
        ];
        match apply_token_patch(&original, &ops, &roles) {
            Err(err) => {
                prop_assert!(matches!(err.code(), "invalid_request" | "patch_failed"), "{}", err);
                prop_assert!(!err.message().contains(SECRET));
            }
            Ok(patched) => {
                let kinds = [patched.role.is_some(), patched.custom_role_ids.is_some(), patched.inline_role.is_some()];
                prop_assert_eq!(kinds.iter().filter(|k| **k).count(), 1, "{:?}", patched);
                if let Some(role) = &patched.role {
                    prop_assert!(["reader", "writer", "admin"].contains(&role.as_str()));
                }
                if let Some(ids) = &patched.custom_role_ids {
                    prop_assert!(ids.iter().all(|id| roles.iter().any(|r| &r.id == id)), "{:?}", ids);
                }
                if original.is_service() {
                    prop_assert_eq!(&patched.role, &original.role);
                    prop_assert_eq!(&patched.custom_role_ids, &original.custom_role_ids);
                    prop_assert_eq!(&patched.inline_role, &original.inline_role);
                }
                // Only the five patchable fields may differ.
                let unchanged = Token {
                    name: original.name.clone(),
                    description: original.description.clone(),
                    role: original.role.clone(),
                    custom_role_ids: original.custom_role_ids.clone(),
                    inline_role: original.inline_role.clone(),
                    ..patched
                };
                prop_assert_eq!(unchanged, original);
            }
        }
    }
}
