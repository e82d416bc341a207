//! The caps on what a token can do (spec §3): the creator's rights now (personal) or at creation (service),
//! and what a member may create.

mod support;

use support::builders::*;
use tokengate::DecisionEffect;
use tokengate::Principal;
use tokengate::{AccessTokenPost, Statement};

fn create(role: Option<&str>) -> AccessTokenPost {
    AccessTokenPost {
        name: Some("new".into()),
        role: role.map(str::to_string),
        ..AccessTokenPost::default()
    }
}

#[test]
fn downgraded_member_downgrades_token() {
    let token = personal("root-admin", "root", Perm::Role("admin"));
    let bobs = personal("bob-1", "bob", Perm::Role("writer"));

    let before = Principal::new(&token, Some(&member("root", "admin", &[])), &[]);
    assert!(before.is_admin());
    assert!(before.check_action(&bobs, "deleteAccessToken").allowed);

    // Same token, member now a writer: no longer Admin, cannot see bob's token, manages only root's own.
    let after = Principal::new(&token, Some(&member("root", "writer", &[])), &[]);
    assert!(!after.is_admin());
    let decision = after.check_action(&bobs, "deleteAccessToken");
    assert!(
        !decision.allowed && decision.reason.contains("cannot see"),
        "{}",
        decision.reason
    );
    let flag = after.can("deleteFlag", "proj/p:env/e:flag/f").unwrap();
    assert!(
        flag.allowed,
        "a writer cap still allows flags: {}",
        flag.reason
    );
    let member_change = after.can("updateMemberRole", "member/bob").unwrap();
    assert!(!member_change.allowed);
    assert_eq!(
        member_change.reason,
        format!(
            "the token's role \"admin\" allows it, but its creator root@example.com (writer) may not: {}",
            "no statement matched: default deny"
        )
    );
    assert_eq!(member_change.effect, DecisionEffect::DefaultDeny);

    // And down to no_access: nothing at all, even on its own tokens.
    let none = Principal::new(&token, Some(&member("root", "no_access", &[])), &[]);
    assert!(!none.check_action(&token, "resetAccessToken").allowed);
    assert!(none.permitted_actions(&token).is_empty());
}

#[test]
fn service_token_is_capped_by_the_creator_snapshot_it_is_given() {
    let svc = service("svc", "root", Perm::Role("admin"));
    let bobs = personal("bob-1", "bob", Perm::Role("writer"));
    // The emulator passes the creator as they were when the token was made; the member's later downgrade
    // does not reach the service token.
    let snapshot = member("root", "admin", &[]);
    let principal = Principal::new(&svc, Some(&snapshot), &[]);
    assert!(principal.is_admin());
    assert!(principal.check_action(&bobs, "resetAccessToken").allowed);
    // A snapshot of a writer caps the token to a writer's rights, without the personal-token rights of a
    // member on their own tokens reaching service tokens.
    let writer_snapshot = member("root", "writer", &[]);
    let capped = Principal::new(&svc, Some(&writer_snapshot), &[]);
    let decision = capped.check_action(&svc, "resetAccessToken");
    assert!(!decision.allowed);
    assert!(
        decision
            .reason
            .contains("its creator root@example.com (writer) may not"),
        "{}",
        decision.reason
    );
}

#[test]
fn reader_creates_reader_only() {
    // ada was a writer when she made this custom-role token, and has since been made a reader.
    let creators = role(
        "r-create",
        "token-creators",
        vec![Statement::allow(
            ["member/*:token/*"],
            ["createAccessToken"],
        )],
        None,
    );
    let roles = [creators];
    let token = personal("ada-custom", "ada", Perm::Custom(&["r-create"]));
    let ada = member("ada", "reader", &[]);
    let caller = Principal::new(&token, Some(&ada), &roles);

    let reader = caller.check_create(&create(Some("reader")));
    assert!(reader.allowed, "{}", reader.reason);
    assert_eq!(reader.checks[0].resource, "member/ada:token/*");
    assert!(
        caller.check_create(&create(None)).allowed,
        "no role means a reader token"
    );

    for asked in ["writer", "admin"] {
        let refused = caller.check_create(&create(Some(asked)));
        assert!(!refused.allowed);
        assert_eq!(refused.effect, DecisionEffect::Deny);
        assert!(
            refused.reason.contains(&format!(
                "asking for a \"{asked}\" token is more than the creator's own base role"
            )) && refused
                .reason
                .contains("ada@example.com (reader) can create tokens up to \"reader\""),
            "{}",
            refused.reason
        );
        let err = caller
            .authorize_create(&create(Some(asked)), &[])
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    let custom = AccessTokenPost {
        custom_role_ids: Some(vec!["r-create".into()]),
        ..AccessTokenPost::default()
    };
    let refused = caller.check_create(&custom);
    assert!(!refused.allowed);
    assert!(
        refused.reason.contains("can create only reader tokens")
            && refused.reason.contains("custom roles"),
        "{}",
        refused.reason
    );
    let inline = AccessTokenPost {
        inline_role: Some(vec![Statement::allow(["proj/*"], ["viewProject"])]),
        ..AccessTokenPost::default()
    };
    assert!(caller
        .check_create(&inline)
        .reason
        .contains("an inline policy"));
}

#[test]
fn writer_created_admin_token_is_not_admin() {
    let ada = member("ada", "writer", &[]);
    let token = personal("ada-admin", "ada", Perm::Role("admin"));
    let caller = Principal::new(&token, Some(&ada), &[]);
    assert!(!caller.is_admin());

    // It manages ada's own personal tokens (the writer cap allows that) ...
    let own = personal("ada-2", "ada", Perm::Role("reader"));
    assert!(caller.check_action(&own, "updateAccessTokenPolicy").allowed);
    // ... creates writer tokens but not admin ones ...
    assert!(caller.check_create(&create(Some("writer"))).allowed);
    let refused = caller.check_create(&create(Some("admin")));
    assert!(!refused.allowed);
    assert!(
        refused.reason.contains("up to \"writer\""),
        "{}",
        refused.reason
    );
    // ... and no service tokens at all: the cap refuses, and says it is the creator that may not.
    let service_body = AccessTokenPost {
        service_token: Some(true),
        ..create(Some("reader"))
    };
    let refused = caller.check_create(&service_body);
    assert!(!refused.allowed);
    assert_eq!(refused.checks[0].resource, "service-token/*");
    assert!(
        refused.reason.contains("the token's role \"admin\" allows it, but its creator ada@example.com (writer) may not"),
        "{}",
        refused.reason
    );
}

#[test]
fn admins_and_owners_create_anything() {
    for base in ["admin", "owner"] {
        let boss = member("boss", base, &[]);
        let token = personal("boss-admin", "boss", Perm::Role("admin"));
        let caller = Principal::new(&token, Some(&boss), &[]);
        assert!(caller.is_admin());
        for asked in ["reader", "writer", "admin"] {
            for service in [false, true] {
                let body = AccessTokenPost {
                    service_token: Some(service),
                    ..create(Some(asked))
                };
                assert!(
                    caller.check_create(&body).allowed,
                    "{base} creating {asked} (service: {service})"
                );
            }
        }
    }
}

#[test]
fn custom_role_base_permissions_reader_adds_reading_only() {
    let viewer = role("r-view", "viewer", vec![], Some("reader"));
    let token = personal("ada-view", "ada", Perm::Custom(&["r-view"]));
    let caller = Principal::new(&token, Some(&member("ada", "writer", &[])), &[viewer]);
    assert!(caller.can("viewProject", "proj/mobile").unwrap().allowed);
    assert!(
        !caller
            .can("updateOn", "proj/mobile:env/prod:flag/f")
            .unwrap()
            .allowed
    );
}

#[test]
fn role_attributes_of_the_creator_fill_custom_roles() {
    let scoped = role(
        "r-scoped",
        "scoped",
        vec![
            Statement::allow(
                ["proj/${roleAttribute/projects}:env/*:flag/*"],
                ["updateOn"],
            ),
            // Acting in a project needs viewing it.
            Statement::allow(["proj/${roleAttribute/projects}"], ["viewProject"]),
        ],
        None,
    );
    let mut ada = member("ada", "writer", &[]);
    ada.role_attributes = Some(
        [("projects".to_string(), vec!["mobile".to_string()])]
            .into_iter()
            .collect(),
    );
    let token = personal("ada-scoped", "ada", Perm::Custom(&["r-scoped"]));
    let caller = Principal::new(&token, Some(&ada), &[scoped]);
    assert!(
        caller
            .can("updateOn", "proj/mobile:env/prod:flag/f")
            .unwrap()
            .allowed
    );
    assert!(
        !caller
            .can("updateOn", "proj/web:env/prod:flag/f")
            .unwrap()
            .allowed
    );
}

/// Docs "API access tokens" (https://launchdarkly.com/docs/home/account/api): "By default, all account
/// members can create access tokens limited to their existing permissions." A `no_access` member whose
/// rights come from custom roles creates whatever token it likes, given `createAccessToken`; the cap limits
/// what the token can do.
#[test]
fn no_access_member_creates_tokens_through_its_roles() {
    let creators = role(
        "r-create",
        "token-creators",
        vec![Statement::allow(
            ["member/*:token/*", "service-token/*"],
            ["createAccessToken"],
        )],
        None,
    );
    let roles = [creators];
    let casey = member("casey", "no_access", &["r-create"]);
    let token = personal("casey-custom", "casey", Perm::Custom(&["r-create"]));
    let caller = Principal::new(&token, Some(&casey), &roles);

    let asks = [
        create(Some("reader")),
        create(Some("writer")),
        create(Some("admin")),
        create(None),
        AccessTokenPost {
            custom_role_ids: Some(vec!["r-create".into()]),
            ..AccessTokenPost::default()
        },
        AccessTokenPost {
            inline_role: Some(vec![Statement::allow(["*"], ["*"])]),
            ..AccessTokenPost::default()
        },
    ];
    for service in [false, true] {
        for ask in &asks {
            let body = AccessTokenPost {
                service_token: Some(service),
                ..ask.clone()
            };
            let decision = caller.check_create(&body);
            assert!(
                decision.allowed,
                "service {service}, {body:?}: {}",
                decision.reason
            );
        }
    }

    // The admin token it makes is capped by Casey's roles at every use: it can create tokens, nothing more.
    let made = personal("casey-admin", "casey", Perm::Role("admin"));
    let used = Principal::new(&made, Some(&casey), &roles);
    assert!(!used.is_admin());
    let flag = used.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(!flag.allowed);
    assert!(
        flag.reason.contains(
            "its creator casey@example.com (custom role token-creators in place of base role no_access) may not"
        ),
        "{}",
        flag.reason
    );

    // Without the create permission the refusal is the permission's, not a role limit.
    let nadia = member("nadia", "no_access", &[]);
    let plain = personal("nadia-r", "nadia", Perm::Role("reader"));
    let refused = Principal::new(&plain, Some(&nadia), &[]).check_create(&create(Some("reader")));
    assert!(!refused.allowed);
    assert!(
        !refused.reason.contains("base role allows"),
        "{}",
        refused.reason
    );
}

/// Docs "API access tokens" (https://launchdarkly.com/docs/home/account/api): "If you create a service
/// token and give it more access than you have, the service token will fail to perform actions." So the
/// create succeeds, and the token is capped at use by its creator as they were when it was made.
#[test]
fn service_token_asking_more_than_its_creator_is_created_and_capped_at_use() {
    let creators = role(
        "r-svc",
        "service-creators",
        vec![Statement::allow(["service-token/*"], ["createAccessToken"])],
        None,
    );
    let roles = [creators];
    for base in ["reader", "writer"] {
        let ada = member("ada", base, &["r-svc"]);
        let token = personal("ada-custom", "ada", Perm::Custom(&["r-svc"]));
        let caller = Principal::new(&token, Some(&ada), &roles);
        for asked in [
            create(Some("admin")),
            AccessTokenPost {
                inline_role: Some(vec![Statement::allow(["*"], ["*"])]),
                ..AccessTokenPost::default()
            },
        ] {
            let body = AccessTokenPost {
                service_token: Some(true),
                ..asked
            };
            let decision = caller.check_create(&body);
            assert!(decision.allowed, "{base}: {}", decision.reason);
        }
        // The same ask as a personal token is refused outright.
        let personal_body = AccessTokenPost {
            service_token: Some(false),
            ..create(Some("admin"))
        };
        assert!(!caller.check_create(&personal_body).allowed);

        // At use, the service token does no more than its creator's snapshot allows.
        let made = service("svc-admin", "ada", Perm::Role("admin"));
        let used = Principal::new(&made, Some(&ada), &roles);
        assert!(!used.is_admin());
        let members = used.can("updateMemberRole", "member/bob").unwrap();
        assert!(!members.allowed, "{}", members.reason);
        assert!(
            members.reason.contains(&format!(
                "its creator ada@example.com (custom role service-creators in place of base role {base}) may not"
            )),
            "{}",
            members.reason
        );
    }
}
