//! Roles assigned to a member directly replace its base role; team roles add on top (spec §3 and §4).
//!
//! Sources: docs "Managing role assignments",
//! https://launchdarkly.com/docs/home/account/roles/manage-role-assignments ("If an account member has a both a
//! base role and a custom role assigned, then the custom role takes precedence over the base role"); support
//! article "Common misconceptions about Custom Roles",
//! https://support.launchdarkly.com/hc/en-us/articles/40618352898203-Common-misconceptions-about-Custom-Roles
//! ("If a member has one or more custom or preset roles, they replace their built-in role. Team Roles always add
//! on top of either built-in or custom/preset roles", and "assigning a custom or preset role overrides built-in
//! (base permissions)").

mod support;

use support::builders::*;
use tokengate::{AccessTokenPost, BaseRole, DecisionLayer, MemberBaseRole, Principal, Statement};

fn production_toggler() -> tokengate::CustomRole {
    role(
        "r-prod",
        "production-toggler",
        vec![
            Statement::allow(["proj/*"], ["viewProject"]),
            Statement::allow(["proj/*:env/production:flag/*"], ["updateOn"]),
        ],
        None,
    )
}

#[test]
fn a_writer_given_a_role_is_refused_what_the_writer_base_would_allow_and_is_told_why() {
    let roles = [production_toggler()];
    let writer = member("wes", "writer", &["r-prod"]);
    let token = personal("t1", "wes", Perm::Role("writer"));
    let principal = Principal::new(&token, Some(&writer), &roles);

    let staging = principal
        .can("updateOn", "proj/web:env/staging:flag/checkout")
        .unwrap();
    assert!(
        !staging.allowed && !staging.indeterminate,
        "{}",
        staging.reason
    );
    assert_eq!(staging.decided_by.layer, DecisionLayer::CreatorCap);
    assert_eq!(
        staging.decided_by.replaced_base_role,
        Some(BaseRole::Writer)
    );
    assert_eq!(
        staging.summary,
        "Denied: base role writer is replaced by the member's custom roles"
    );
    assert!(
        staging
            .reason
            .contains("base role writer is replaced by the member's custom roles"),
        "{}",
        staging.reason
    );

    let production = principal
        .can("updateOn", "proj/web:env/production:flag/checkout")
        .unwrap();
    assert!(production.allowed, "{}", production.reason);
    assert_eq!(production.decided_by.replaced_base_role, None);

    // The writer's own tokens' actions came from the replaced row too: now only the role could give them.
    let own = principal
        .can("deleteAccessToken", "member/wes:token/t1")
        .unwrap();
    assert!(!own.allowed, "{}", own.reason);
    assert_eq!(
        own.decided_by.replaced_base_role, None,
        "a writer token cannot manage tokens anyway"
    );

    assert_eq!(principal.creator_role(), Some(BaseRole::Writer));
    assert_eq!(principal.creator_role_in_effect(), None);
    assert_eq!(
        principal.creator_base_role(),
        Some(MemberBaseRole::Replaced(BaseRole::Writer))
    );
}

#[test]
fn a_refusal_the_base_role_would_not_have_allowed_either_does_not_blame_the_replacement() {
    let roles = [production_toggler()];
    let writer = member("wes", "writer", &["r-prod"]);
    let token = personal("t1", "wes", Perm::Role("admin"));
    let principal = Principal::new(&token, Some(&writer), &roles);
    // Writers cannot delete members: the base role would have refused too.
    let decision = principal.can("deleteMember", "member/ada").unwrap();
    assert!(!decision.allowed);
    assert_eq!(decision.decided_by.replaced_base_role, None);
    assert!(
        !decision.summary.contains("replaced"),
        "{}",
        decision.summary
    );
}

#[test]
fn an_admin_or_owner_given_a_role_is_not_admin() {
    let roles = [production_toggler()];
    for base in ["admin", "owner"] {
        let creator = member("ada", base, &["r-prod"]);
        let token = personal("t1", "ada", Perm::Role("admin"));
        let principal = Principal::new(&token, Some(&creator), &roles);
        assert!(!principal.is_admin(), "{base} with a custom role");
        let other = personal("t2", "bob", Perm::Role("reader"));
        let sight = principal.see(&other);
        assert!(!sight.allowed);
        assert!(
            sight.reason.contains(&format!(
                "its creator's base role {base} is replaced by the member's custom roles"
            )),
            "{}",
            sight.reason
        );
        let delete = principal.can("deleteMember", "member/bob").unwrap();
        assert!(!delete.allowed, "{base}: {}", delete.reason);
        assert_eq!(delete.decided_by.replaced_base_role, BaseRole::parse(base));

        // Without the custom role, the same member's admin token is Admin.
        let plain = member("ada", base, &[]);
        assert!(Principal::new(&token, Some(&plain), &roles).is_admin());
    }
}

#[test]
fn a_reader_given_a_role_is_not_limited_to_reader_tokens() {
    let own_tokens = role(
        "r-own",
        "own-tokens",
        vec![Statement::allow(["member/rita:token/*"], ["*"])],
        None,
    );
    let token = personal("t1", "rita", Perm::Role("admin"));
    let writer_token: AccessTokenPost =
        serde_json::from_value(serde_json::json!({ "name": "flags", "role": "writer" })).unwrap();

    let with_role = member("rita", "reader", &["r-own"]);
    let decision = Principal::new(&token, Some(&with_role), std::slice::from_ref(&own_tokens))
        .check_create(&writer_token);
    assert!(decision.allowed, "{}", decision.reason);

    // A plain reader is still held to reader tokens.
    let plain = member("rita", "reader", &[]);
    let decision = Principal::new(&token, Some(&plain), &[own_tokens]).check_create(&writer_token);
    assert!(!decision.allowed, "{}", decision.reason);
}

#[test]
fn a_direct_role_that_was_not_supplied_leaves_the_base_role_out_and_the_answer_open() {
    let writer = member("wes", "writer", &["r-missing"]);
    let token = personal("t1", "wes", Perm::Role("writer"));
    let decision = Principal::new(&token, Some(&writer), &[])
        .can("updateOn", "proj/web:env/staging:flag/checkout")
        .unwrap();
    assert!(decision.indeterminate, "{}", decision.reason);
    assert_eq!(decision.missing_roles, vec!["r-missing".to_string()]);
}

#[test]
fn a_token_action_the_replaced_writer_row_would_allow_is_refused_with_the_reason_in_its_summary() {
    let roles = [production_toggler()];
    let writer = member("wes", "writer", &["r-prod"]);
    let token = personal("t1", "wes", Perm::Role("admin"));
    let principal = Principal::new(&token, Some(&writer), &roles);
    let decision = principal.check_action(&token, "deleteAccessToken");
    assert!(
        !decision.allowed && !decision.indeterminate,
        "{}",
        decision.reason
    );
    assert_eq!(
        decision.decided_by.replaced_base_role,
        Some(BaseRole::Writer)
    );
    assert!(
        decision
            .summary
            .contains("base role writer is replaced by the member's custom roles"),
        "{}",
        decision.summary
    );
}
