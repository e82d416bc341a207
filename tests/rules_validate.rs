//! The 400 rules of a create (spec §2 Create), and the HTTP outcome of a refusal.

mod support;

use support::builders::*;
use tokengate::Decision;
use tokengate::{outcome_of, resolve_custom_role_ids, validate_create, RuleError};
use tokengate::{AccessTokenPost, Effect, Statement};

fn body() -> AccessTokenPost {
    AccessTokenPost {
        name: Some("n".into()),
        ..AccessTokenPost::default()
    }
}

fn message(post: AccessTokenPost) -> String {
    let roles = [role(
        "r1",
        "editors",
        vec![Statement::allow(["proj/*"], ["*"])],
        None,
    )];
    let err = validate_create(&post, &roles).expect_err("must be refused");
    assert_eq!(err.code(), "invalid_request");
    err.message()
}

#[test]
fn valid_creates_pass() {
    let roles = [role("r1", "editors", vec![], None)];
    for post in [
        body(),
        AccessTokenPost {
            role: Some("admin".into()),
            ..body()
        },
        AccessTokenPost {
            custom_role_ids: Some(vec!["r1".into()]),
            ..body()
        },
        AccessTokenPost {
            custom_role_ids: Some(vec!["editors".into()]),
            ..body()
        },
        AccessTokenPost {
            inline_role: Some(vec![Statement::allow(["proj/*"], ["viewProject"])]),
            ..body()
        },
        AccessTokenPost {
            service_token: Some(true),
            role: Some("reader".into()),
            ..body()
        },
    ] {
        assert_eq!(validate_create(&post, &roles), Ok(()), "{post:?}");
    }
}

#[test]
fn more_than_one_kind_of_permission_is_refused_naming_them() {
    let msg = message(AccessTokenPost {
        role: Some("reader".into()),
        inline_role: Some(vec![Statement::allow(["proj/*"], ["viewProject"])]),
        ..body()
    });
    assert!(
        msg.contains("this request gives role and inlineRole"),
        "{msg}"
    );
}

#[test]
fn role_must_be_one_of_the_three() {
    for bad in ["owner", "no_access", "Admin", ""] {
        let msg = message(AccessTokenPost {
            role: Some(bad.into()),
            ..body()
        });
        assert!(msg.contains(&format!("not \"{bad}\"")), "{msg}");
    }
}

#[test]
fn unknown_custom_roles_are_named() {
    let msg = message(AccessTokenPost {
        custom_role_ids: Some(vec!["r1".into(), "ghost".into(), "phantom".into()]),
        ..body()
    });
    assert_eq!(
        msg,
        "unknown custom roles \"ghost\", \"phantom\" in customRoleIds"
    );
}

#[test]
fn empty_lists_are_not_given() {
    // Spec §2: an empty list is an absent one, as LaunchDarkly's own examples send them beside a `role`.
    let roles = [role("r1", "editors", vec![], None)];
    for post in [
        AccessTokenPost {
            role: Some("writer".into()),
            custom_role_ids: Some(vec![]),
            inline_role: Some(vec![]),
            ..body()
        },
        AccessTokenPost {
            custom_role_ids: Some(vec![]),
            ..body()
        },
        AccessTokenPost {
            inline_role: Some(vec![]),
            custom_role_ids: Some(vec!["editors".into()]),
            ..body()
        },
    ] {
        assert_eq!(validate_create(&post, &roles), Ok(()), "{post:?}");
    }
    // Decoding reads them the same way.
    let decoded: AccessTokenPost =
        serde_json::from_str(r#"{"role": "reader", "customRoleIds": [], "inlineRole": []}"#)
            .unwrap();
    assert_eq!((decoded.custom_role_ids, decoded.inline_role), (None, None));
}

#[test]
fn keys_resolve_to_ids_without_repeats() {
    let roles = [
        role("r1", "editors", vec![], None),
        role("r2", "viewers", vec![], None),
    ];
    let ids = resolve_custom_role_ids(&["viewers".into(), "r1".into(), "editors".into()], &roles)
        .unwrap();
    assert_eq!(ids, ["r2", "r1"]);
}

#[test]
fn invalid_statements_are_named_by_pointer() {
    let bad = Statement {
        resources: Some(vec!["proj/*".into()]),
        not_resources: Some(vec!["proj/x".into()]),
        actions: Some(vec!["*".into()]),
        not_actions: None,
        effect: Effect::Allow,
    };
    let msg = message(AccessTokenPost {
        inline_role: Some(vec![Statement::allow(["proj/*"], ["viewProject"]), bad]),
        ..body()
    });
    assert!(
        msg.starts_with("/inlineRole is not a valid policy: /inlineRole/1"),
        "{msg}"
    );
}

#[test]
fn refusals_are_not_found_when_hidden_and_forbidden_with_the_reason_when_visible() {
    let refused = Decision::denied("the token's role \"reader\" does not allow it");
    let hidden = outcome_of(false, &refused).unwrap_err();
    assert_eq!(
        (hidden.code(), hidden.message().as_str()),
        ("not_found", "Invalid resource identifier")
    );
    let forbidden = outcome_of(true, &refused).unwrap_err();
    assert_eq!(forbidden.code(), "forbidden");
    assert!(forbidden
        .message()
        .ends_with("the token's role \"reader\" does not allow it"));
    assert_eq!(forbidden.to_error_body().code, "forbidden");
    let allowed = Decision {
        allowed: true,
        ..Decision::default()
    };
    assert!(outcome_of(true, &allowed).is_ok());
    assert_eq!(
        outcome_of(false, &allowed).unwrap_err(),
        RuleError::NotFound,
        "sight comes first"
    );
}
