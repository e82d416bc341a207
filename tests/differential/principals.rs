//! Tokens whose creators hold roles directly and through teams: `Principal::with_teams` against the
//! reference's AND of the token's side and the creator's cap.

use crate::generator::{attributes, case, describe, Case, Rng, BASE_ROLES};
use crate::{env_number, reference};
use tokengate::{BaseRole, RoleAttributes, Statement};

/// A token held by a member whose roles come directly and through teams: the token's own side is its inline
/// policy (filled with the member's attributes); the cap is the member's base role, the custom roles assigned
/// to it (the member's attributes) and each team's roles (that team's attributes), taken together. The answer
/// is the AND of the two sides, each under the view rule (spec §3 and §4).
fn compare_principal(case: &Case, base: &str, rng: &mut Rng) -> Option<bool> {
    let member_id = "m1";
    let member_attrs = case.roles[0].1.clone();
    let (own, cap_roles) = case.roles.split_first().expect("a case has a role");
    // Each remaining role is assigned directly (with the member's attributes) or through a team of its own.
    let mut assigned = Vec::new();
    let mut teams = Vec::new();
    let mut cap: Vec<(Vec<Statement>, RoleAttributes)> = vec![(
        BaseRole::parse(base).unwrap().member_policy(member_id),
        member_attrs.clone(),
    )];
    let mut custom_roles = Vec::new();
    for (i, (statements, _)) in cap_roles.iter().enumerate() {
        let key = format!("r{i}");
        custom_roles.push(serde_json::json!({
            "_id": format!("id{i}"), "key": key, "name": key, "policy": statements, "_links": {}
        }));
        if rng.chance(50) {
            assigned.push(format!("id{i}"));
            cap.push((statements.clone(), member_attrs.clone()));
        } else {
            let team_attrs = attributes(rng);
            teams.push(serde_json::json!({
                "key": format!("team{i}"), "customRoleKeys": [key], "roleAttributes": team_attrs
            }));
            cap.push((statements.clone(), team_attrs));
        }
    }
    let team_summaries: Vec<serde_json::Value> = teams
        .iter()
        .map(|t| serde_json::json!({ "key": t["key"], "name": t["key"], "customRoleKeys": t["customRoleKeys"] }))
        .collect();
    let member: tokengate::Member = serde_json::from_value(serde_json::json!({
        "_id": member_id, "email": "m1@example.com", "role": base, "customRoles": assigned,
        "teams": team_summaries, "roleAttributes": member_attrs, "_links": {}
    }))
    .expect("a generated member decodes");
    let token: tokengate::Token = serde_json::from_value(serde_json::json!({
        "_id": "t1", "ownerId": member_id, "memberId": member_id, "creationDate": 1, "lastModified": 1,
        "inlineRole": own.0, "_links": {}
    }))
    .expect("a generated token decodes");
    let roles: Vec<tokengate::CustomRole> =
        serde_json::from_value(serde_json::Value::Array(custom_roles))
            .expect("generated roles decode");
    let teams: Vec<tokengate::Team> =
        serde_json::from_value(serde_json::Value::Array(teams)).expect("generated teams decode");
    let principal = tokengate::Principal::with_teams(&token, Some(&member), &roles, &teams);
    let own_side = [(own.0.clone(), member_attrs)];
    let expected = reference::and3(
        reference::set_allows(&own_side, &case.action, &case.resource),
        reference::set_allows(&cap, &case.action, &case.resource),
    );
    let decision = principal
        .can(&case.action, &case.resource)
        .expect("the resource parses");
    assert_eq!(
        (decision.allowed, decision.indeterminate),
        (expected == Some(true), expected.is_none()),
        "DISAGREEMENT for a principal (member base role {base}, teams {})\n{}\n{}",
        serde_json::to_string(&teams).unwrap_or_default(),
        decision.reason,
        describe(case)
    );
    expected
}

#[test]
fn principals_with_teams_agree_with_the_naive_reading_of_the_spec() {
    let cases = env_number("DIFF_CASES", 10_000) / 4;
    let seed = env_number("DIFF_SEED", 0x7065_726d_6974) ^ 0x7465_616d;
    let mut rng = Rng(seed);
    let (mut allowed, mut unknown, mut refused) = (0u64, 0u64, 0u64);
    for _ in 0..cases {
        let case = case(&mut rng);
        let base = rng.pick(BASE_ROLES);
        match compare_principal(&case, base, &mut rng) {
            Some(true) => allowed += 1,
            None => unknown += 1,
            Some(false) => refused += 1,
        }
    }
    eprintln!(
        "differential: {cases} principals with teams (seed {seed}) agree: {allowed} allowed, {unknown} indeterminate, {refused} refused"
    );
    assert!(
        allowed * 50 >= cases && unknown * 400 >= cases,
        "the principal cases must exercise allowed and indeterminate answers"
    );
}
