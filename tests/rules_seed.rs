//! The seed's three restrictions on tokens (spec §3), each as its own test.

mod support;

use support::builders::*;
use tokengate::{outcome_of, Principal};
use tokengate::{Statement, Token};

/// ada and bob are writers, root is an admin. Each has personal tokens; root made two service tokens.
struct World {
    tokens: Vec<Token>,
}

fn world() -> World {
    World {
        tokens: vec![
            personal("ada-writer", "ada", Perm::Role("writer")),
            personal("ada-reader", "ada", Perm::Role("reader")),
            personal("bob-writer", "bob", Perm::Role("writer")),
            personal("root-admin", "root", Perm::Role("admin")),
            service("svc-reader", "root", Perm::Role("reader")),
            service("svc-admin", "root", Perm::Role("admin")),
        ],
    }
}

impl World {
    fn get(&self, id: &str) -> &Token {
        self.tokens
            .iter()
            .find(|t| t.id == id)
            .expect("fixture token")
    }
}

#[test]
fn personal_token_sees_service_tokens_and_own_members_personal_tokens_only() {
    let w = world();
    let ada = member("ada", "writer", &[]);
    let root = member("root", "admin", &[]);

    // A writer's personal token: its own member's tokens and every service token, with or without showAll.
    let caller = Principal::new(w.get("ada-writer"), Some(&ada), &[]);
    let expected = ["ada-writer", "ada-reader", "svc-reader", "svc-admin"];
    assert_eq!(ids(&caller.visible(&w.tokens, false)), expected);
    assert_eq!(
        ids(&caller.visible(&w.tokens, true)),
        expected,
        "showAll is ignored without Admin"
    );
    assert!(caller.can_see(w.get("svc-admin")));
    assert!(caller.can_see(w.get("ada-reader")));
    let refused = caller.see(w.get("bob-writer"));
    assert!(!refused.allowed);
    assert!(
        refused.reason.contains("its own member's personal tokens")
            && refused.reason.contains("its role is \"writer\""),
        "{}",
        refused.reason
    );

    // An Admin personal token: others' personal tokens by id always, in a list only with showAll.
    let admin = Principal::new(w.get("root-admin"), Some(&root), &[]);
    assert!(admin.is_admin());
    assert_eq!(
        ids(&admin.visible(&w.tokens, false)),
        ["root-admin", "svc-reader", "svc-admin"]
    );
    assert_eq!(ids(&admin.visible(&w.tokens, true)).len(), w.tokens.len());
    let seen = admin.see(w.get("bob-writer"));
    assert!(seen.allowed);
    assert!(seen.reason.contains("Admin role"), "{}", seen.reason);

    // An admin-role token made by a writer is not Admin: it still sees only ada's tokens.
    let not_admin_token = personal("ada-admin", "ada", Perm::Role("admin"));
    let not_admin = Principal::new(&not_admin_token, Some(&ada), &[]);
    assert!(!not_admin.is_admin());
    assert_eq!(ids(&not_admin.visible(&w.tokens, true)), expected);
    let refused = not_admin.see(w.get("bob-writer"));
    assert!(
        refused.reason.contains("not Admin") && refused.reason.contains("ada@example.com (writer)"),
        "{}",
        refused.reason
    );
}

#[test]
fn service_token_sees_all_service_tokens_and_with_admin_all_personal() {
    let w = world();
    let root = member("root", "admin", &[]);
    let ada = member("ada", "writer", &[]);

    // A reader service token sees service tokens only, not even its creator's personal tokens.
    let reader = Principal::new(w.get("svc-reader"), Some(&root), &[]);
    assert!(reader.is_service() && !reader.is_admin());
    for show_all in [false, true] {
        assert_eq!(
            ids(&reader.visible(&w.tokens, show_all)),
            ["svc-reader", "svc-admin"]
        );
    }
    let refused = reader.see(w.get("root-admin"));
    assert!(!refused.allowed);
    assert!(
        refused
            .reason
            .contains("a service token sees only service tokens"),
        "{}",
        refused.reason
    );

    // With Admin it sees every personal token: by id always, in a list with showAll.
    let admin = Principal::new(w.get("svc-admin"), Some(&root), &[]);
    assert!(admin.is_admin());
    assert!(admin.can_see(w.get("bob-writer")) && admin.can_see(w.get("ada-reader")));
    assert_eq!(ids(&admin.visible(&w.tokens, true)).len(), w.tokens.len());
    assert_eq!(
        ids(&admin.visible(&w.tokens, false)),
        ["svc-reader", "svc-admin"]
    );

    // An admin service token made by a writer is not Admin.
    let by_writer = service("svc-by-ada", "ada", Perm::Role("admin"));
    let weak = Principal::new(&by_writer, Some(&ada), &[]);
    assert!(!weak.is_admin());
    assert!(
        !weak.can_see(w.get("ada-writer")),
        "a service token is not its creator's personal token"
    );
    assert!(weak.can_see(w.get("svc-reader")));
}

#[test]
fn token_manages_tokens_only_with_admin_or_explicit_custom_role() {
    let w = world();
    let ada = member("ada", "writer", &[]);
    let root = member("root", "admin", &[]);

    // reader and writer tokens manage no token, themselves included.
    for id in ["ada-writer", "ada-reader"] {
        let caller = Principal::new(w.get(id), Some(&ada), &[]);
        for target in ["ada-writer", "ada-reader", "svc-reader"] {
            for action in [
                "deleteAccessToken",
                "resetAccessToken",
                "updateAccessTokenName",
            ] {
                let decision = caller.check_action(w.get(target), action);
                assert!(!decision.allowed, "{id} must not {action} {target}");
                assert!(
                    decision.reason.contains("does not allow it"),
                    "the token's own role refuses: {}",
                    decision.reason
                );
            }
        }
        assert!(caller.permitted_actions(w.get(id)).is_empty());
    }

    // An Admin token manages everyone's tokens.
    let admin = Principal::new(w.get("root-admin"), Some(&root), &[]);
    for target in ["bob-writer", "ada-reader", "svc-reader", "root-admin"] {
        assert!(
            admin
                .check_action(w.get(target), "deleteAccessToken")
                .allowed,
            "{target}"
        );
    }
    assert_eq!(
        admin.permitted_actions(w.get("bob-writer")),
        [
            "updateAccessTokenPolicy",
            "updateAccessTokenName",
            "updateAccessTokenDescription",
            "deleteAccessToken",
            "resetAccessToken"
        ]
    );
    assert_eq!(
        admin.permitted_actions(w.get("svc-reader")),
        [
            "updateAccessTokenName",
            "updateAccessTokenDescription",
            "deleteAccessToken",
            "resetAccessToken"
        ],
        "a service token's policy is never updatable"
    );

    // An explicit custom-role permission manages tokens too, within the creator's cap.
    let managers = role(
        "r-managers",
        "token-managers",
        vec![
            Statement::allow(["member/*:token/*"], PERSONAL_ACTIONS),
            Statement::allow(["service-token/*"], ["resetAccessToken"]),
        ],
        None,
    );
    let roles = [managers];
    let custom = personal("ada-custom", "ada", Perm::Custom(&["r-managers"]));
    let caller = Principal::new(&custom, Some(&ada), &roles);
    let own = caller.check_action(w.get("ada-reader"), "deleteAccessToken");
    assert!(own.allowed, "{}", own.reason);
    assert!(
        own.reason.contains("custom role \"token-managers\""),
        "{}",
        own.reason
    );
    assert_eq!(own.checks.len(), 1);
    assert_eq!(own.checks[0].resource, "member/ada:token/ada-reader");

    // bob's token is out of its sight (404), not merely forbidden.
    let hidden = w.get("bob-writer");
    let decision = caller.check_action(hidden, "deleteAccessToken");
    assert!(!decision.allowed);
    let err = outcome_of(caller.can_see(hidden), &decision).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(
        !err.message().contains("bob"),
        "a 404 reveals nothing: {}",
        err.message()
    );

    // A service token is visible, and the role allows the reset, but ada's cap (writer) does not: 403.
    let svc = w.get("svc-reader");
    let decision = caller.check_action(svc, "resetAccessToken");
    assert!(!decision.allowed);
    assert!(
        decision
            .reason
            .contains("allows it, but its creator ada@example.com (writer) may not"),
        "{}",
        decision.reason
    );
    let err = caller
        .authorize_action(svc, "resetAccessToken")
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert!(
        err.message()
            .contains("its creator ada@example.com (writer) may not"),
        "{}",
        err.message()
    );

    // Once ada holds a custom role for service tokens herself, the cap allows it.
    let svc_role = role(
        "r-svc",
        "service-resetters",
        vec![Statement::allow(["service-token/*"], ["resetAccessToken"])],
        None,
    );
    let roles = [roles[0].clone(), svc_role];
    let ada_plus = member("ada", "writer", &["r-svc"]);
    let caller = Principal::new(&custom, Some(&ada_plus), &roles);
    let decision = caller.check_action(svc, "resetAccessToken");
    assert!(decision.allowed, "{}", decision.reason);
    assert!(caller.authorize_action(svc, "resetAccessToken").is_ok());
}
