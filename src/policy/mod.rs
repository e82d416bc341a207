//! A client-side copy of LaunchDarkly's custom-role policy engine: resource and action specifiers, statement
//! semantics, several roles held at once, the base roles as policies, explanations, and a policy linter.
//!
//! Policies are compiled once ([`CompiledPolicy::compile`]) so that checks ([`CompiledPolicy::outcome`],
//! [`PolicySet::is_allowed`]) are plain comparisons that never allocate; [`PolicySet::decide`] answers the
//! same question with the statements and a sentence that explain it.

mod base_role;
mod catalog;
mod compare;
mod compiled;
mod decision;
mod error;
mod glob;
mod matcher;
mod resource;
mod specifier;
mod truth;
mod validate;

pub use base_role::{
    base_permissions_policy, role_statements, BaseRole, PERSONAL_TOKEN_ACTIONS,
    SERVICE_TOKEN_ACTIONS,
};
pub use catalog::{KNOWN_ACTIONS, KNOWN_RESOURCE_TYPES};
pub use compare::{
    compare_policies, implies, witness_limit, Difference, Differences, PolicyComparison,
    COMPARISON_WORK_BUDGET, DEFAULT_WITNESSES, MAX_WALK_STATES, MAX_WITNESSES,
};
pub(crate) use compare::{compare_sides, confirmed, ComparedSide};
pub(crate) use compiled::view_rule_applies;
pub use compiled::{CompiledPolicy, PolicyOutcome, PolicySet, PolicySource, SourceKind};
pub(crate) use decision::{at_a_glance, first_and_count};
pub use decision::{
    check_action_asked, evaluate, Access, AccessEntry, AccessStatement, ActionCheck, DecidedBy,
    Decision, DecisionEffect, DecisionLayer, MatchedStatement, RoleRef, SUMMARY_MAX_CHARS,
};
pub use error::{Diagnostic, PolicyError, Severity, Span, SpecifierError};
pub use resource::{parse_resource, PropertySelector, Resource, ResourceSegment, SegmentRef};
pub use truth::Truth;
pub use validate::{validate_policy, validate_statements};

/// Checks an action specifier (`updateOn`, `*`, `update*`): letters, digits and `*` only.
pub fn parse_action(action: &str) -> Result<(), SpecifierError> {
    specifier::check_action(action)
}

#[cfg(test)]
mod tests;
