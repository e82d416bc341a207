//! Roles referenced but not supplied: never a wrong yes or no. Roles add up, so what the known roles allow
//! stays allowed, and what they do not becomes indeterminate, naming what is missing.

mod support;

use support::builders::*;
use tokengate::Principal;
use tokengate::Statement;

fn flags_role() -> tokengate::CustomRole {
    role(
        "r-flags",
        "flag-editors",
        vec![
            Statement::allow(["proj/*:env/*:flag/*"], ["updateOn"]),
            Statement::allow(["proj/*"], ["viewProject"]),
        ],
        None,
    )
}

#[test]
fn a_missing_token_role_leaves_allowed_answers_allowed_and_others_indeterminate() {
    let token = personal("t", "ada", Perm::Custom(&["r-flags", "r-gone"]));
    let caller = Principal::new(&token, Some(&member("ada", "writer", &[])), &[flags_role()]);

    let known = caller.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(known.allowed && !known.indeterminate, "{}", known.reason);

    let unknown = caller.can("deleteFlag", "proj/p:env/e:flag/f").unwrap();
    assert!(!unknown.allowed && unknown.indeterminate);
    assert_eq!(unknown.missing_roles, ["r-gone"]);
    assert!(
        unknown.reason.contains("whether the token's custom roles \"flag-editors\", \"r-gone\" allows it cannot be told")
            && unknown.reason.contains("custom role \"r-gone\" was not supplied"),
        "{}",
        unknown.reason
    );
    // The creator's cap refuses member changes outright, so a missing token role cannot matter there.
    let capped = caller.can("updateMemberRole", "member/bob").unwrap();
    assert!(
        !capped.allowed && !capped.indeterminate,
        "{}",
        capped.reason
    );
    assert!(capped.missing_roles.is_empty());
    // Permitted actions list only what is certain.
    assert!(caller.permitted_actions(&token).is_empty());
}

#[test]
fn a_missing_creator_role_makes_cap_dependent_answers_indeterminate() {
    let token = personal("t", "ada", Perm::Role("admin"));
    let ada = member("ada", "writer", &["r-unknown"]);
    let caller = Principal::new(&token, Some(&ada), &[]);
    // The custom role replaces the writer base role (spec §4), so whether flags may change depends on it.
    let flag = caller.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(!flag.allowed && flag.indeterminate, "{}", flag.reason);
    assert_eq!(flag.missing_roles, ["r-unknown"]);
    // Service tokens: not in a writer's cap, but the missing role might add them.
    let svc = service("svc", "root", Perm::Role("reader"));
    let decision = caller.check_action(&svc, "deleteAccessToken");
    assert!(!decision.allowed && decision.indeterminate);
    assert_eq!(decision.missing_roles, ["r-unknown"]);
    assert!(decision.checks[0].indeterminate);
    assert!(
        decision
            .reason
            .starts_with("the token's role \"admin\" allows it, but whether its creator"),
        "{}",
        decision.reason
    );
    // The token's own role refuses: definite, whatever the creator holds.
    let reader_token = personal("t2", "ada", Perm::Role("reader"));
    let reader = Principal::new(&reader_token, Some(&ada), &[]);
    let refused = reader.check_action(&svc, "deleteAccessToken");
    assert!(!refused.allowed && !refused.indeterminate);
}

#[test]
fn an_unknown_creator_leaves_everything_the_token_allows_indeterminate() {
    let token = personal("t", "ada", Perm::Role("admin"));
    let caller = Principal::new(&token, None, &[]);
    assert!(!caller.is_admin());
    let decision = caller.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(decision.indeterminate);
    assert_eq!(decision.missing_roles, ["member/ada"]);
    assert!(
        decision
            .reason
            .contains("the creator, member ada, was not supplied"),
        "{}",
        decision.reason
    );
    // Whether it is Admin, and so sees others' tokens, cannot be told either.
    let bobs = personal("b", "bob", Perm::Role("reader"));
    let see = caller.see(&bobs);
    assert!(!see.allowed && see.indeterminate);
    assert!(
        see.reason.contains("whether it is Admin cannot be told"),
        "{}",
        see.reason
    );
    assert!(!caller.can_see(&bobs));
    // But own tokens and service tokens are visible whoever the creator is.
    assert!(caller.can_see(&token));
}

#[test]
fn a_role_that_cannot_be_compiled_counts_as_missing_and_is_reported() {
    let broken = role(
        "r-broken",
        "broken",
        vec![Statement::allow(["proj/*:"], ["updateOn"])],
        None,
    );
    let token = personal("t", "ada", Perm::Custom(&["r-broken"]));
    let caller = Principal::new(&token, Some(&member("ada", "writer", &[])), &[broken]);
    assert_eq!(caller.problems().len(), 1);
    let decision = caller.can("updateOn", "proj/p").unwrap();
    assert!(decision.indeterminate);
    assert_eq!(decision.missing_roles, ["broken"]);
    assert!(
        decision.reason.contains("could not be read"),
        "{}",
        decision.reason
    );
}

#[test]
fn an_unparsable_resource_is_an_error_not_a_decision() {
    let token = personal("t", "ada", Perm::Role("admin"));
    let caller = Principal::new(&token, Some(&member("ada", "admin", &[])), &[]);
    let err = caller.can("updateOn", "proj/").unwrap_err();
    assert_eq!(err.code(), "invalid_resource");
}

#[test]
fn an_unparsable_resource_reads_the_same_from_a_principal_and_from_evaluate() {
    // One error for one mistake: the message and the span at fault do not depend on which call found it.
    let token = personal("t", "ada", Perm::Role("admin"));
    let caller = Principal::new(&token, Some(&member("ada", "admin", &[])), &[]);
    let from_principal = caller.can("updateOn", "proj/").unwrap_err();
    let from_evaluate =
        tokengate::evaluate(&[], "updateOn", "proj/", &Default::default()).unwrap_err();
    assert_eq!(from_principal, from_evaluate);
    assert_eq!(from_principal.diagnostics().len(), 1);
    assert!(from_principal.diagnostics()[0].span.is_some());
}
