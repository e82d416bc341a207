//! Roles held together: permissions add up, and a deny in one role does not cancel another role's allow.

use super::*;

#[test]
fn roles_are_cumulative_and_a_deny_does_not_cancel_another_roles_allow() {
    let denier = policy(&[
        Statement::allow(["proj/*"], ["viewProject"]),
        Statement::deny(["proj/secret"], ["*"]),
    ]);
    let granter = CompiledPolicy::compile(
        PolicySource::new(SourceKind::CustomRole, "secret-keepers", "Secret keepers"),
        &[Statement::allow(["proj/secret"], ["viewProject"])],
        &RoleAttributes::new(),
    )
    .unwrap();
    let secret = res("proj/secret");
    assert!(!PolicySet::new(vec![denier.clone()]).is_allowed("viewProject", &secret));
    let set = PolicySet::new(vec![denier, granter]);
    assert!(set.is_allowed("viewProject", &secret));
    let decision = set.decide("viewProject", &secret);
    assert!(decision.allowed);
    assert_eq!(decision.effect, DecisionEffect::Allow);
    assert_eq!(
        decision.reason,
        "allowed by statement 0 of custom role \"Secret keepers\" (secret-keepers)"
    );
    // Both the overridden deny of the first role and the allow of the second are listed.
    assert_eq!(decision.matched.len(), 3);
}
