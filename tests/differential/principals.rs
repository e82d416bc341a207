//! Tokens whose creators hold roles directly and through teams: `Principal::with_teams` against the
//! reference's AND of the token's side and the creator's cap.

use crate::generator::{asks_a_wildcard, attributes, case, describe, Case, Rng, BASE_ROLES};
use crate::{env_number, reference};
use tokengate::{RoleAttributes, Statement};

/// A token held by a member whose roles come directly and through teams, with or without permission grants:
/// the token's own side is its inline policy (filled with the member's attributes); the cap is what §4 says the
/// member holds (the reference's [`reference::held_roles`]: its direct roles, or else its base role's row, plus
/// its teams' roles and its grants), never the engine's own base-role policies. The answer is the AND of the two
/// sides, each under the view rule (spec §3 and §4).
fn compare_principal(case: &Case, base: &str, rng: &mut Rng) -> Option<bool> {
    let member_id = "m1";
    let member_attrs = case.roles[0].1.clone();
    let (own, cap_roles) = case.roles.split_first().expect("a case has a role");
    // A third of the members hold no role directly, so that their base role is in effect; the others get each
    // remaining role directly (with the member's attributes) or through a team of its own, half and half.
    let direct_allowed = !rng.chance(33);
    let mut reference_member = reference::MemberRoles {
        base: base.to_string(),
        id: member_id.to_string(),
        attrs: member_attrs.clone(),
        direct: Vec::new(),
        through_teams: Vec::new(),
        grants: Vec::new(),
    };
    let mut assigned = Vec::new();
    let mut teams = Vec::new();
    let mut custom_roles = Vec::new();
    for (i, (statements, _)) in cap_roles.iter().enumerate() {
        let key = format!("r{i}");
        custom_roles.push(serde_json::json!({
            "_id": format!("id{i}"), "key": key, "name": key, "policy": statements, "_links": {}
        }));
        if direct_allowed && rng.chance(50) {
            assigned.push(format!("id{i}"));
            reference_member.direct.push(statements.clone());
        } else {
            let team_attrs = attributes(rng);
            teams.push(serde_json::json!({
                "key": format!("team{i}"), "customRoleKeys": [key], "roleAttributes": team_attrs
            }));
            reference_member
                .through_teams
                .push((statements.clone(), team_attrs));
        }
    }
    // Now and then a permission grant of the very action asked, on the very resource asked.
    let mut grants = Vec::new();
    if rng.chance(15) {
        grants.push(serde_json::json!({ "resource": case.resource, "actions": [case.action] }));
        reference_member.grants.push(Statement::allow(
            [case.resource.as_str()],
            [case.action.as_str()],
        ));
    }
    let team_summaries: Vec<serde_json::Value> = teams
        .iter()
        .map(|t| serde_json::json!({ "key": t["key"], "name": t["key"], "customRoleKeys": t["customRoleKeys"] }))
        .collect();
    let member: tokengate::Member = serde_json::from_value(serde_json::json!({
        "_id": member_id, "email": "m1@example.com", "role": base, "customRoles": assigned,
        "teams": team_summaries, "roleAttributes": member_attrs, "permissionGrants": grants, "_links": {}
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
    let cap = reference::held_roles(&reference_member);
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
        "DISAGREEMENT for a principal (member base role {base}, direct roles {:?}, teams {}, grants {})\n{}\n{}",
        member.custom_roles,
        serde_json::to_string(&teams).unwrap_or_default(),
        reference_member.grants.len(),
        decision.reason,
        describe(case)
    );
    // The creator's cap alone, against the reference's rights of the member: exactly its direct roles (or
    // else its base role) with its teams' roles and its grants.
    let allow_everything = [Statement::allow(["*"], ["*"])];
    let everything_token: tokengate::Token = serde_json::from_value(serde_json::json!({
        "_id": "t2", "ownerId": member_id, "memberId": member_id, "creationDate": 1, "lastModified": 1,
        "inlineRole": allow_everything, "_links": {}
    }))
    .expect("a generated token decodes");
    let rights = tokengate::Principal::with_teams(&everything_token, Some(&member), &roles, &teams)
        .can(&case.action, &case.resource)
        .expect("the resource parses");
    let expected_rights = reference::set_allows(&cap, &case.action, &case.resource);
    let expected_rights = reference::and3(
        expected_rights,
        reference::set_allows(
            &[(allow_everything.to_vec(), RoleAttributes::new())],
            &case.action,
            &case.resource,
        ),
    );
    assert_eq!(
        (rights.allowed, rights.indeterminate),
        (expected_rights == Some(true), expected_rights.is_none()),
        "DISAGREEMENT for a member's rights (base role {base}, direct roles {:?})\n{}\n{}",
        member.custom_roles,
        rights.reason,
        describe(case)
    );
    expected
}

// A plain function in the wasm build: `tests/wasm_differential.rs` runs it as a wasm-bindgen test.
#[cfg_attr(not(target_arch = "wasm32"), test)]
pub fn principals_with_teams_agree_with_the_naive_reading_of_the_spec() {
    let cases = env_number("DIFF_CASES", 10_000) / 4;
    let seed = env_number("DIFF_SEED", 0x7065_726d_6974) ^ 0x7465_616d;
    let mut rng = Rng(seed);
    let (mut allowed, mut unknown, mut refused) = (0u64, 0u64, 0u64);
    for _ in 0..cases {
        let case = case(&mut rng);
        let base = rng.pick(BASE_ROLES);
        // Refused before any role is read: `policies.rs` checks the refusal.
        if asks_a_wildcard(&case) {
            continue;
        }
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
