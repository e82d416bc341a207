//! Exact comparison of two policies: every kind of (action, resource) pair the two decide differently, each
//! shown by a concrete witness that `evaluate` confirms.
//!
//! A decision on a fully stated resource depends only on which action globs match the action and which resource
//! patterns match the resource. So instead of sampling, the comparison builds one representative action per
//! realizable set of matching action globs (a walk over the globs' automata) and one representative resource per
//! realizable set of matching resource patterns (segment by segment), and evaluates both policies on every pair.
//! `docs/decisions.md` ("Comparing policies") states the method and its limits.

mod bits;
mod budget;
mod resources;
mod walk;

pub use budget::COMPARISON_WORK_BUDGET;
pub use walk::MAX_WALK_STATES;

use super::compiled::{is_view_action, view_rule_applies, VIEW_PROJECT};
use super::{
    evaluate, CompiledPolicy, Decision, PolicyError, PolicySet, PolicySource, Resource, Truth,
    KNOWN_ACTIONS,
};
use crate::json::{JsonOut, ObjectBuilder, ToJson};
use crate::model::{Effect, RoleAttributes, Statement};
use budget::Budget;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One (action, resource) pair that two policies decide differently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The action, a plain name (letters and digits).
    pub action: String,
    /// A concrete resource that states every tag, property and view the decisions depend on, so that neither
    /// is indeterminate.
    pub resource: String,
    /// `evaluate(before, action, resource)`.
    pub before: Decision,
    /// `evaluate(after, action, resource)`.
    pub after: Decision,
}

/// The differences of one direction (granted or revoked): one witness per region of change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Differences {
    /// At most the comparison's `limit` witnesses, in the order found (shorter resources first).
    pub witnesses: Vec<Difference>,
    /// How many regions of change there are in all: pairs of action and resource whose statements match the
    /// same way in both policies (the same statements, and the same for `viewProject` on the project when the
    /// view rule applies) form one region.
    pub total: usize,
}

impl Differences {
    /// Whether there is no difference in this direction.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// What changes from one policy to another. Serialized with `equivalent` ([`PolicyComparison::is_equivalent`])
/// beside the two directions, so that every reader of the wire form gets the answer without working it out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyComparison {
    /// Allowed after, not before.
    pub granted: Differences,
    /// Allowed before, not after.
    pub revoked: Differences,
}

impl PolicyComparison {
    /// Whether the two policies allow exactly the same (action, fully stated resource) pairs.
    pub fn is_equivalent(&self) -> bool {
        self.granted.is_empty() && self.revoked.is_empty()
    }
}

impl Serialize for PolicyComparison {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("PolicyComparison", 3)?;
        out.serialize_field("granted", &self.granted)?;
        out.serialize_field("revoked", &self.revoked)?;
        out.serialize_field("equivalent", &self.is_equivalent())?;
        out.end()
    }
}

impl ToJson for Difference {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("action", &self.action)
            .field("resource", &self.resource)
            .field("before", &self.before)
            .field("after", &self.after)
            .end()
    }
}

impl ToJson for Differences {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("witnesses", &self.witnesses)
            .field("total", &self.total)
            .end()
    }
}

impl ToJson for PolicyComparison {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("granted", &self.granted)
            .field("revoked", &self.revoked)
            .field("equivalent", &self.is_equivalent())
            .end()
    }
}

/// How many witnesses of each direction a comparison returns unless told.
pub const DEFAULT_WITNESSES: usize = 20;

/// The most witnesses of each direction a caller may ask for: each is confirmed with two evaluations, so the
/// limit bounds that work whatever the caller asks.
pub const MAX_WITNESSES: usize = 1000;

/// The witnesses per direction for `asked` ([`DEFAULT_WITNESSES`] when not asked), or `None` past
/// [`MAX_WITNESSES`].
pub fn witness_limit(asked: Option<usize>) -> Option<usize> {
    let limit = asked.unwrap_or(DEFAULT_WITNESSES);
    (limit <= MAX_WITNESSES).then_some(limit)
}

/// Compares two policies (bare lists of statements, role attributes expanded from `attrs`): every region of
/// (action, resource) pairs that `before` and `after` decide differently, as at most `limit` witnesses per
/// direction with the count of all regions.
///
/// Exact over fully stated resources (every property and view a pattern asks about stated): if any such pair is
/// allowed by one policy and not the other, the direction it belongs to is not empty. Every witness is
/// confirmed with [`evaluate`] on its strings. Answers [`PolicyError::InvalidPolicy`] when either policy does
/// not compile, and [`PolicyError::ComparisonTooLarge`] past [`COMPARISON_WORK_BUDGET`] work units or
/// [`MAX_WALK_STATES`] automaton states in one walk or representatives of one kind, never a hang.
pub fn compare_policies(
    before: &[Statement],
    after: &[Statement],
    attrs: &RoleAttributes,
    limit: usize,
) -> Result<PolicyComparison, PolicyError> {
    compare_with_budget(before, after, attrs, limit, COMPARISON_WORK_BUDGET)
}

/// Whether `b` allows everything `a` allows (on fully stated resources): nothing is revoked going from `a` to
/// `b`. `b` may allow more. Two policies are equivalent when each implies the other.
pub fn implies(
    a: &[Statement],
    b: &[Statement],
    attrs: &RoleAttributes,
) -> Result<bool, PolicyError> {
    Ok(compare_policies(a, b, attrs, 1)?.revoked.is_empty())
}

/// [`compare_policies`] with a given work budget.
pub(crate) fn compare_with_budget(
    before: &[Statement],
    after: &[Statement],
    attrs: &RoleAttributes,
    limit: usize,
    work: u64,
) -> Result<PolicyComparison, PolicyError> {
    let old = PolicySet::new(vec![CompiledPolicy::compile(
        PolicySource::statements(),
        before,
        attrs,
    )?]);
    let new = PolicySet::new(vec![CompiledPolicy::compile(
        PolicySource::statements(),
        after,
        attrs,
    )?]);
    let mut confirm = |action: &str, resource: &str, granted: bool| {
        confirm(before, after, attrs, action, resource, granted)
    };
    let compared = compare_sides(&old, &new, &[], &|_, _| true, limit, work, &mut confirm)?;
    Ok(compared.comparison)
}

/// Both decisions on the witness's strings, when they disagree as `granted` says.
fn confirm(
    before: &[Statement],
    after: &[Statement],
    attrs: &RoleAttributes,
    action: &str,
    resource: &str,
    granted: bool,
) -> Option<Difference> {
    let was = evaluate(before, action, resource, attrs).ok()?;
    let is = evaluate(after, action, resource, attrs).ok()?;
    confirmed(action, resource, was, is, granted)
}

/// The difference the two decisions show, when they disagree as `granted` says and neither is indeterminate.
pub(crate) fn confirmed(
    action: &str,
    resource: &str,
    was: Decision,
    is: Decision,
    granted: bool,
) -> Option<Difference> {
    let agrees =
        was.allowed != granted && is.allowed == granted && !was.indeterminate && !is.indeterminate;
    agrees.then(|| Difference {
        action: action.to_string(),
        resource: resource.to_string(),
        before: was,
        after: is,
    })
}

/// One side of a comparison: whatever decides from compiled policies, so that its answer on a fully stated
/// resource depends only on which of their statements match (a policy, a holder's roles taken together, the
/// two layers of a token).
pub(crate) trait ComparedSide {
    /// Every policy whose statements can change this side's answers.
    fn compared_policies(&self) -> Vec<&CompiledPolicy>;
    /// This side's answer; `Unknown` where a role it refers to was not supplied.
    fn compared_truth(&self, action: &str, resource: &Resource) -> Truth;
}

impl ComparedSide for PolicySet {
    fn compared_policies(&self) -> Vec<&CompiledPolicy> {
        self.policies().iter().collect()
    }

    fn compared_truth(&self, action: &str, resource: &Resource) -> Truth {
        self.truth(action, resource)
    }
}

/// What [`compare_sides`] found.
pub(crate) struct SidesCompared {
    pub comparison: PolicyComparison,
    /// Whether some representative pair was answered `Unknown` by either side (so left out of the
    /// differences).
    pub undecided: bool,
    /// The work units spent (see [`COMPARISON_WORK_BUDGET`]).
    pub work: u64,
}

/// The comparison of any two sides, over the (action, resource) pairs `include` accepts: one representative
/// action per realizable set of matching action globs of every policy of both sides, one representative
/// resource per realizable set of matching resource patterns, each pair decided by both sides. `probes` are
/// policies of neither side whose patterns must be told apart as well: those `include` selects by, so that no
/// region holds both pairs it keeps and pairs it drops. `confirm` turns
/// a region's representative pair into its witness (with both sides' decisions), or `None` if they do not
/// disagree as expected (which would be a bug: the region is then left out).
pub(crate) fn compare_sides(
    before: &dyn ComparedSide,
    after: &dyn ComparedSide,
    probes: &[&CompiledPolicy],
    include: &dyn Fn(&str, &Resource) -> bool,
    limit: usize,
    work: u64,
    confirm: &mut dyn FnMut(&str, &str, bool) -> Option<Difference>,
) -> Result<SidesCompared, PolicyError> {
    let old = before.compared_policies();
    let new = after.compared_policies();
    let all: Vec<&CompiledPolicy> = old
        .iter()
        .chain(new.iter())
        .chain(probes.iter())
        .copied()
        .collect();
    let mut budget = Budget::new(work);
    let actions = representative_actions(&all, &mut budget)?;
    let resources = resources::representative_resources(
        all.iter().flat_map(|policy| policy.resource_patterns()),
        &mut budget,
    )?;
    // Deciding a pair reads the statements and globs of every policy, so large sides and globs with many
    // stars spend the budget faster: the bound is on time, not on pairs. A pair decided differently is then
    // matched again, statement by statement, to find its region.
    let pairs = (actions.len() as u64).saturating_mul(resources.len() as u64);
    let per_pair: u64 =
        budget::STEP_UNITS / 4 + all.iter().map(|p| budget::policy_units(p)).sum::<u64>();
    budget.spend(pairs.saturating_mul(per_pair), PAIRS_STAGE)?;

    // Regions in the order found: (granted?, key) -> witness pair.
    let mut regions: Vec<(bool, usize, usize)> = Vec::new();
    let mut seen: HashMap<(bool, Vec<Region>), ()> = HashMap::new();
    let mut undecided = false;
    for (r, representative) in resources.iter().enumerate() {
        for (a, action) in actions.iter().enumerate() {
            let resource = &representative.resource;
            if !include(action, resource) {
                continue;
            }
            let was = before.compared_truth(action, resource);
            let is = after.compared_truth(action, resource);
            if was == Truth::Unknown || is == Truth::Unknown {
                undecided = true;
                continue;
            }
            if was == is {
                continue;
            }
            budget.spend(budget::STEP_UNITS + per_pair, PAIRS_STAGE)?;
            let granted = is == Truth::Yes;
            let key = (
                granted,
                all.iter()
                    .map(|policy| region(policy, action, resource))
                    .collect(),
            );
            if seen.insert(key, ()).is_none() {
                regions.push((granted, a, r));
            }
        }
    }

    let mut comparison = PolicyComparison::default();
    for (granted, a, r) in regions {
        let side = if granted {
            &mut comparison.granted
        } else {
            &mut comparison.revoked
        };
        side.total += 1;
        if side.witnesses.len() >= limit {
            continue;
        }
        let action = &actions[a];
        let resource = &resources[r].text;
        match confirm(action, resource, granted) {
            Some(difference) => side.witnesses.push(difference),
            None => {
                debug_assert!(false, "unconfirmed witness {action} on {resource}");
                side.total -= 1;
            }
        }
    }
    Ok(SidesCompared {
        comparison,
        undecided,
        work: budget.used(),
    })
}

/// The stage that decides every pair of representatives, as a refusal names it.
const PAIRS_STAGE: &str = "pairs of action and resource";

/// How one policy's statements match one pair: the statements that match (index, deny?) and, when the view
/// rule applies, those that match `viewProject` on the project.
type Region = (Vec<(usize, bool)>, Option<Vec<(usize, bool)>>);

fn region(policy: &CompiledPolicy, action: &str, resource: &Resource) -> Region {
    let matched = |action: &str, depth: usize| -> Vec<(usize, bool)> {
        policy
            .matching_statements_at(action, resource, depth)
            .into_iter()
            .filter(|(_, _, truth)| *truth == Truth::Yes)
            .map(|(index, effect, _)| (index, effect == Effect::Deny))
            .collect()
    };
    let statements = matched(action, resource.depth());
    let view = view_rule_applies(action, resource).then(|| matched(VIEW_PROJECT, 1));
    (statements, view)
}

/// One action per realizable set of matching action globs (and view or not), known action names preferred.
fn representative_actions(
    policies: &[&CompiledPolicy],
    budget: &mut Budget,
) -> Result<Vec<String>, PolicyError> {
    // A set beside the list: a policy may hold a hundred thousand globs, so no quadratic search.
    let mut seen: HashSet<String> = HashSet::new();
    let mut globs: Vec<String> = Vec::new();
    for glob in policies.iter().flat_map(|policy| policy.action_globs()) {
        let pattern = glob.pattern();
        if seen.insert(pattern.clone()) {
            globs.push(pattern);
        }
    }
    // What the view rule tells apart: actions that begin with `view`.
    let view = "view*".to_string();
    debug_assert!(is_view_action("view") && !is_view_action("vie"));
    if !globs.contains(&view) {
        globs.push(view);
    }
    let mut seeds: Vec<&str> = vec![VIEW_PROJECT];
    seeds.extend(KNOWN_ACTIONS.iter().copied());
    let reps = walk::representatives(
        &globs,
        &seeds,
        |ch| ch.is_ascii_alphanumeric(),
        "action names",
        budget,
    )?;
    Ok(reps.into_iter().map(|(text, _)| text).collect())
}

#[cfg(test)]
mod tests;
