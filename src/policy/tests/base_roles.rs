//! Base roles: parsing and rank, their policies as a token's role and as a member's cap, and a custom
//! role's base permissions.

use super::*;

#[test]
fn base_role_parse_rank_and_names() {
    for role in [
        BaseRole::NoAccess,
        BaseRole::Reader,
        BaseRole::Writer,
        BaseRole::Admin,
        BaseRole::Owner,
    ] {
        assert_eq!(BaseRole::parse(role.as_str()), Some(role));
    }
    assert_eq!(BaseRole::parse("Admin"), None);
    assert!(BaseRole::NoAccess.rank() < BaseRole::Reader.rank());
    assert!(BaseRole::Reader.rank() < BaseRole::Writer.rank());
    assert!(BaseRole::Writer.rank() < BaseRole::Admin.rank());
    assert_eq!(BaseRole::Admin.rank(), BaseRole::Owner.rank());
}

fn allows(statements: Vec<Statement>, action: &str, resource: &str) -> bool {
    PolicySet::new(vec![policy(&statements)]).is_allowed(action, &res(resource))
}

#[test]
fn base_roles_as_a_tokens_role() {
    for admin in [BaseRole::Admin, BaseRole::Owner] {
        for (action, resource) in [
            ("deleteAccessToken", "member/other:token/t"),
            ("updateAccessTokenPolicy", "service-token/s"),
            ("createRole", "role/r"),
            ("updateOn", "proj/a:env/b:flag/c"),
            ("updateBillingContact", "acct"),
        ] {
            assert!(
                allows(admin.token_policy(), action, resource),
                "{admin} {action} {resource}"
            );
        }
    }
    let writer = || BaseRole::Writer.token_policy();
    for resource in [
        "proj/a",
        "proj/a:env/b",
        "proj/a:env/b:flag/c",
        "proj/a:env/b:segment/c",
        "proj/a:env/b:destination/c",
        "proj/a:metric/m",
    ] {
        assert!(
            allows(writer(), "anyAction", resource),
            "writer on {resource}"
        );
    }
    for resource in [
        "member/m:token/t",
        "service-token/s",
        "role/r",
        "team/t",
        "member/m",
        "acct",
    ] {
        assert!(!allows(writer(), "*", resource), "writer on {resource}");
        assert!(
            !allows(writer(), "deleteAccessToken", resource),
            "writer on {resource}"
        );
    }
    let reader = || BaseRole::Reader.token_policy();
    assert!(allows(reader(), "viewProject", "proj/a"));
    assert!(!allows(reader(), "updateName", "proj/a"));
    assert!(!allows(reader(), "viewProject", "proj/a:env/b"));
    for action in PERSONAL_TOKEN_ACTIONS {
        assert!(!allows(reader(), action, "member/m:token/t"));
    }
    assert!(BaseRole::NoAccess.token_policy().is_empty());
}

#[test]
fn base_roles_as_the_members_cap() {
    for role in [BaseRole::Reader, BaseRole::Writer] {
        for action in PERSONAL_TOKEN_ACTIONS {
            assert!(
                allows(role.member_policy("m1"), action, "member/m1:token/t"),
                "{role} {action}"
            );
            assert!(
                allows(role.member_policy("m1"), action, "member/m1:token/*"),
                "{role} create"
            );
            assert!(
                !allows(role.member_policy("m1"), action, "member/m2:token/t"),
                "{role} {action} other"
            );
            assert!(
                !allows(role.member_policy("m1"), action, "service-token/s"),
                "{role} service"
            );
        }
    }
    assert!(allows(
        BaseRole::Writer.member_policy("m1"),
        "updateOn",
        "proj/a:env/b:flag/c"
    ));
    assert!(!allows(
        BaseRole::Reader.member_policy("m1"),
        "updateOn",
        "proj/a:env/b:flag/c"
    ));
    assert!(allows(
        BaseRole::Admin.member_policy("m1"),
        "deleteAccessToken",
        "member/m2:token/t"
    ));
    assert!(allows(
        BaseRole::Owner.member_policy("m1"),
        "deleteAccessToken",
        "service-token/s"
    ));
    assert!(BaseRole::NoAccess.member_policy("m1").is_empty());
    // An id that is not a plain key must not widen the grant.
    assert_eq!(
        BaseRole::Reader.member_policy("*"),
        BaseRole::Reader.token_policy()
    );
    assert_eq!(
        BaseRole::Writer.member_policy("a:b"),
        BaseRole::Writer.token_policy()
    );
    assert!(validate_statements(&BaseRole::Writer.member_policy("m1")).is_empty());
}

#[test]
fn token_action_lists() {
    assert_eq!(PERSONAL_TOKEN_ACTIONS.len(), 6);
    assert_eq!(
        SERVICE_TOKEN_ACTIONS,
        PERSONAL_TOKEN_ACTIONS
            .iter()
            .copied()
            .filter(|a| *a != "updateAccessTokenPolicy")
            .collect::<Vec<_>>()
            .as_slice()
    );
    for action in PERSONAL_TOKEN_ACTIONS {
        assert!(KNOWN_ACTIONS.contains(action));
    }
}

#[test]
fn reader_base_permissions_of_a_custom_role() {
    let mut r = role("r", "R", vec![]);
    assert!(base_permissions_policy(&r).is_empty());
    r.base_permissions = Some("no_access".into());
    assert!(base_permissions_policy(&r).is_empty());
    r.base_permissions = Some("reader".into());
    let extra = base_permissions_policy(&r);
    assert!(allows(extra.clone(), "viewProject", "proj/a"));
    assert!(!allows(extra, "deleteAccessToken", "member/m:token/t"));
}
