//! The base-role table of §4 against `BaseRole`'s policies.

use crate::generator::BASE_ROLES;
use crate::reference;
use tokengate::{BaseRole, CompiledPolicy, PolicyOutcome, PolicySource, Resource, RoleAttributes};

/// Actions and resources that exercise the base-role table.
const TABLE_ACTIONS: &[&str] = &[
    "viewProject",
    "updateOn",
    "createAccessToken",
    "updateAccessTokenPolicy",
    "deleteAccessToken",
    "createMember",
];
const TABLE_RESOURCES: &[&str] = &[
    "proj/a",
    "proj/a:env/b",
    "proj/a:env/b:flag/c",
    "proj/a:env/b:segment/c",
    "proj/a:env/b:destination/c",
    "proj/a:metric/c",
    "proj/a:env/b:user/c",
    "proj/a:view/v",
    "proj/a:env/b:experiment/e",
    "proj/a:env/b:holdout/h",
    "proj/a:env/b:aiconfig/c",
    "proj/a:release-pipeline/r",
    "integration/i",
    "webhook/w",
    "proj/a:env/b:flag/c:x/d",
    "member/m1:token/t1",
    "member/m2:token/t1",
    // Not `member/m1:token/*`, the resource a create is checked on: a question with `*` in it is refused, and
    // the create check on that pattern is tested by `tests/rules_caps.rs` and the other `rules_*` suites.
    "member/m1",
    "service-token/t1",
    "role/r",
    "acct",
];

// A plain function in the wasm build: `tests/wasm_differential.rs` runs it as a wasm-bindgen test.
#[cfg_attr(not(target_arch = "wasm32"), test)]
pub fn base_roles_agree_with_the_table_of_the_spec() {
    let none = RoleAttributes::new();
    let mut compared = 0;
    for role in BASE_ROLES {
        let base = BaseRole::parse(role).expect("a base role of the table");
        for member in [None, Some("m1")] {
            let statements = match member {
                None => base.token_policy(),
                Some(id) => base.member_policy(id),
            };
            let policy = CompiledPolicy::compile(PolicySource::statements(), &statements, &none)
                .expect("base role policies compile");
            for action in TABLE_ACTIONS {
                for resource in TABLE_RESOURCES {
                    let expected = reference::base_role_allows(role, member, action, resource);
                    let got = policy.outcome(action, &Resource::parse(resource).unwrap())
                        == PolicyOutcome::Allowed;
                    assert_eq!(
                        got, expected,
                        "base role {role} (member {member:?}): {action} on {resource}"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(
        compared,
        BASE_ROLES.len() * 2 * TABLE_ACTIONS.len() * TABLE_RESOURCES.len()
    );
}
