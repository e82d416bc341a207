//! The `unreachable_deny` lint: a deny statement that overlaps no allow statement of its policy.
//!
//! Comparing every deny with every allow is quadratic, which made a 100,000-statement policy take minutes.
//! Instead the allows are indexed by the two things overlap needs to agree on exactly: the sequence of
//! resource types of a specifier (`proj/*:env/*` has the shape `proj, env`) and literal action names. A
//! deny is then compared only with the allows that share one of its shapes or one of its literal actions,
//! plus the allows that overlap anything on that side (`*`, `notResources`, `notActions`, action globs).
//! The index is exact: it never leaves out an allow that could overlap, so every warning of the pairwise
//! check is still raised.
//!
//! Some policies defeat any index (thousands of denies and allows that all use `*` actions on the same
//! resource shape but disjoint name globs). For those the work is capped by [`OVERLAP_BUDGET`]: once it is
//! spent the remaining denies go unchecked and one `overlap_check_skipped` warning says so. A missing
//! `unreachable_deny` warning is harmless (the lint is advice); a wrong one, or an unbounded run, is not.

use super::Diagnostic;
use crate::policy::glob::globs_intersect;
use std::collections::HashMap;

/// The most glob comparisons the lint may make on one policy. Any policy of up to about 2,000 single-entry
/// statements is checked in full whatever its shape, in well under a second natively; policies that would
/// need more are the adversarial ones described in the module comment.
pub(super) const OVERLAP_BUDGET: usize = 4_000_000;

/// What the linter needs of a statement that passed the checks.
#[derive(Clone, Debug)]
pub(super) struct LintStatement {
    pub(super) index: usize,
    pub(super) deny: bool,
    pub(super) resources_negated: bool,
    pub(super) resources: Vec<LintResource>,
    pub(super) actions_negated: bool,
    pub(super) actions: Vec<String>,
}

/// A resource specifier reduced to what decides overlap: types and name globs (role attributes read as `*`,
/// since they may expand to anything; tags ignored, since a resource may carry any tags).
#[derive(Clone, Debug)]
pub(super) enum LintResource {
    Any,
    Segments(Vec<(String, Option<String>)>),
}

impl LintResource {
    /// The resource types in order, which two specifiers must share to overlap; `None` for `*`.
    fn shape(&self) -> Option<Vec<&str>> {
        match self {
            LintResource::Any => None,
            LintResource::Segments(segments) => {
                Some(segments.iter().map(|(ty, _)| ty.as_str()).collect())
            }
        }
    }
}

/// A deny only ever takes away what an allow of the same policy gives (other roles' allows are untouched,
/// and anything not allowed is denied anyway), so a deny that overlaps no allow changes nothing.
pub(super) fn lint_unreachable_denies(
    statements: &[LintStatement],
    budget: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let index = AllowIndex::new(statements);
    let mut spent = 0usize;
    let denies: Vec<&LintStatement> = statements.iter().filter(|s| s.deny).collect();
    for (checked, deny) in denies.iter().enumerate() {
        match index.find_overlapping_allow(deny, budget.saturating_sub(spent)) {
            Search::Found { cost } => spent += cost,
            Search::NotFound { cost } => {
                spent += cost;
                diagnostics.push(Diagnostic::warning(
                    "unreachable_deny",
                    format!("/{}", deny.index),
                    format!(
                        "deny statement {} overlaps no allow statement of this policy, so it changes nothing: anything not allowed is already denied, and a deny never limits other roles",
                        deny.index
                    ),
                ));
            }
            Search::OutOfBudget => {
                let unchecked = denies.len() - checked;
                diagnostics.push(Diagnostic::warning(
                    "overlap_check_skipped",
                    String::new(),
                    format!(
                        "the policy is too large to compare every deny statement with every allow statement: {unchecked} of {} deny statements were not checked for overlapping no allow",
                        denies.len()
                    ),
                ));
                return;
            }
        }
    }
}

/// The outcome of looking for an allow that a deny overlaps, with the work it took.
enum Search {
    Found { cost: usize },
    NotFound { cost: usize },
    OutOfBudget,
}

/// The allow statements of a policy, indexed by what overlap must agree on.
struct AllowIndex<'a> {
    allows: Vec<&'a LintStatement>,
    /// Positions (in `allows`) of allows that overlap any resource: `notResources`, or a `*` entry.
    any_resource: Vec<usize>,
    /// Positions of allows with a specifier of each resource shape, each allow at most once per shape.
    by_shape: HashMap<Vec<&'a str>, Vec<usize>>,
    /// Positions of allows that may overlap any literal action: `notActions`, or an entry with `*`.
    any_action: Vec<usize>,
    /// Positions of allows naming each literal action, each allow at most once per action.
    by_action: HashMap<&'a str, Vec<usize>>,
}

impl<'a> AllowIndex<'a> {
    fn new(statements: &'a [LintStatement]) -> Self {
        let mut index = AllowIndex {
            allows: statements.iter().filter(|s| !s.deny).collect(),
            any_resource: Vec::new(),
            by_shape: HashMap::new(),
            any_action: Vec::new(),
            by_action: HashMap::new(),
        };
        for (position, allow) in index.allows.iter().enumerate() {
            let shapes: Option<Vec<_>> = if allow.resources_negated {
                None
            } else {
                allow.resources.iter().map(LintResource::shape).collect()
            };
            match shapes {
                None => index.any_resource.push(position),
                Some(shapes) => {
                    for shape in shapes {
                        add_once(index.by_shape.entry(shape).or_default(), position);
                    }
                }
            }
            if allow.actions_negated || allow.actions.iter().any(|a| a.contains('*')) {
                index.any_action.push(position);
            } else {
                for action in &allow.actions {
                    add_once(index.by_action.entry(action).or_default(), position);
                }
            }
        }
        index
    }

    /// Looks for an allow that `deny` may overlap, within `budget` glob comparisons. Only the allows of
    /// whichever side (resources or actions) narrows the choice more are visited; both sides are exact
    /// supersets of the overlapping allows, so either one will do.
    fn find_overlapping_allow(&self, deny: &LintStatement, budget: usize) -> Search {
        let by_resource = self.resource_lists(deny);
        let by_action = self.action_lists(deny);
        let size = |lists: &Option<Vec<&[usize]>>| {
            lists.as_ref().map_or(self.allows.len(), |lists| {
                lists.iter().map(|list| list.len()).sum()
            })
        };
        let narrowest = if size(&by_resource) <= size(&by_action) {
            by_resource
        } else {
            by_action
        };
        match narrowest {
            None => self.search(deny, 0..self.allows.len(), budget),
            Some(lists) => self.search(deny, lists.into_iter().flatten().copied(), budget),
        }
    }

    /// Compares `deny` with the allows at `positions` until one overlaps or the budget runs out. A position
    /// may come twice (an allow listed under two of the deny's shapes); that costs a comparison, not a result.
    fn search(
        &self,
        deny: &LintStatement,
        positions: impl Iterator<Item = usize>,
        budget: usize,
    ) -> Search {
        let mut cost = 0usize;
        for position in positions {
            let allow = self.allows[position];
            cost = cost.saturating_add(comparisons(deny, allow));
            if cost > budget {
                return Search::OutOfBudget;
            }
            if may_overlap(deny, allow) {
                return Search::Found { cost };
            }
        }
        Search::NotFound { cost }
    }

    /// The lists holding every allow whose resources may overlap the deny's; `None` when that is all of them.
    fn resource_lists<'s>(&'s self, deny: &'s LintStatement) -> Option<Vec<&'s [usize]>> {
        if deny.resources_negated {
            return None;
        }
        let mut shapes = deny
            .resources
            .iter()
            .map(LintResource::shape)
            .collect::<Option<Vec<_>>>()?;
        shapes.sort_unstable();
        shapes.dedup();
        let mut lists = vec![self.any_resource.as_slice()];
        lists.extend(
            shapes
                .iter()
                .filter_map(|shape| self.by_shape.get(shape))
                .map(Vec::as_slice),
        );
        Some(lists)
    }

    /// The lists holding every allow whose actions may overlap the deny's; `None` when that is all of them.
    fn action_lists<'s>(&'s self, deny: &'s LintStatement) -> Option<Vec<&'s [usize]>> {
        if deny.actions_negated || deny.actions.iter().any(|a| a.contains('*')) {
            return None;
        }
        let mut actions: Vec<&str> = deny.actions.iter().map(String::as_str).collect();
        actions.sort_unstable();
        actions.dedup();
        let mut lists = vec![self.any_action.as_slice()];
        lists.extend(
            actions
                .iter()
                .filter_map(|action| self.by_action.get(action))
                .map(Vec::as_slice),
        );
        Some(lists)
    }
}

/// Appends `position` unless it is already the last entry (positions are added in increasing order).
fn add_once(list: &mut Vec<usize>, position: usize) {
    if list.last() != Some(&position) {
        list.push(position);
    }
}

/// The glob comparisons [`may_overlap`] makes at most for this pair (at least one, for the call itself).
fn comparisons(a: &LintStatement, b: &LintStatement) -> usize {
    let actions = a.actions.len().saturating_mul(b.actions.len());
    let resources = a.resources.len().saturating_mul(b.resources.len());
    actions.saturating_add(resources).max(1)
}

/// Whether some (action, resource) might match both statements. `not` lists are taken to overlap anything:
/// a false "may overlap" only hides a warning, a false "disjoint" would raise a wrong one.
pub(super) fn may_overlap(a: &LintStatement, b: &LintStatement) -> bool {
    let actions = a.actions_negated
        || b.actions_negated
        || a.actions
            .iter()
            .any(|x| b.actions.iter().any(|y| globs_intersect(x, y)));
    let resources = a.resources_negated
        || b.resources_negated
        || a.resources
            .iter()
            .any(|x| b.resources.iter().any(|y| resources_overlap(x, y)));
    actions && resources
}

fn resources_overlap(a: &LintResource, b: &LintResource) -> bool {
    match (a, b) {
        (LintResource::Any, _) | (_, LintResource::Any) => true,
        (LintResource::Segments(a), LintResource::Segments(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|((a_ty, a_name), (b_ty, b_name))| {
                    a_ty == b_ty
                        && match (a_name, b_name) {
                            (None, None) => true,
                            (Some(x), Some(y)) => globs_intersect(x, y),
                            _ => false,
                        }
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The pairwise check the index replaces: the reference it must agree with.
    fn pairwise_unreachable(statements: &[LintStatement]) -> Vec<usize> {
        statements
            .iter()
            .filter(|deny| deny.deny)
            .filter(|deny| {
                !statements
                    .iter()
                    .any(|allow| !allow.deny && may_overlap(deny, allow))
            })
            .map(|deny| deny.index)
            .collect()
    }

    fn indexed_unreachable(statements: &[LintStatement], budget: usize) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        lint_unreachable_denies(statements, budget, &mut diagnostics);
        diagnostics
    }

    fn unreachable_indices(diagnostics: &[Diagnostic]) -> Vec<usize> {
        diagnostics
            .iter()
            .filter(|d| d.code == "unreachable_deny")
            .map(|d| d.path[1..].parse().unwrap())
            .collect()
    }

    fn resource() -> impl Strategy<Value = LintResource> {
        let name = prop_oneof![
            Just(None),
            Just(Some("*".to_string())),
            "[ab*]{0,3}".prop_map(Some),
        ];
        prop_oneof![
            1 => Just(LintResource::Any),
            6 => proptest::collection::vec((prop_oneof![Just("proj"), Just("env"), Just("flag")], name), 1..=2)
                .prop_map(|segments| LintResource::Segments(
                    segments.into_iter().map(|(ty, name)| (ty.to_string(), name)).collect(),
                )),
        ]
    }

    fn statement() -> impl Strategy<Value = LintStatement> {
        (
            any::<bool>(),
            proptest::bool::weighted(0.1),
            proptest::collection::vec(resource(), 1..=3),
            proptest::bool::weighted(0.1),
            proptest::collection::vec("[xy*]{1,3}", 1..=3),
        )
            .prop_map(
                |(deny, resources_negated, resources, actions_negated, actions)| LintStatement {
                    index: 0,
                    deny,
                    resources_negated,
                    resources,
                    actions_negated,
                    actions,
                },
            )
    }

    fn policy() -> impl Strategy<Value = Vec<LintStatement>> {
        proptest::collection::vec(statement(), 0..=12).prop_map(|mut statements| {
            for (index, statement) in statements.iter_mut().enumerate() {
                statement.index = index;
            }
            statements
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_index_finds_exactly_what_the_pairwise_check_finds(statements in policy()) {
            let found = indexed_unreachable(&statements, OVERLAP_BUDGET);
            prop_assert_eq!(unreachable_indices(&found), pairwise_unreachable(&statements));
            prop_assert!(found.iter().all(|d| d.code == "unreachable_deny"));
        }

        #[test]
        fn a_spent_budget_says_so_and_raises_no_wrong_warning(statements in policy(), budget in 0usize..20) {
            let found = indexed_unreachable(&statements, budget);
            let reference = pairwise_unreachable(&statements);
            let reported = unreachable_indices(&found);
            prop_assert!(reported.iter().all(|index| reference.contains(index)));
            let skipped = found.iter().filter(|d| d.code == "overlap_check_skipped").count();
            prop_assert!(skipped <= 1);
            if skipped == 0 {
                prop_assert_eq!(reported, reference);
            }
        }
    }

    fn star_deny_against_disjoint_allows(n: usize) -> Vec<LintStatement> {
        // Every allow shares the deny's shape and `*` actions, yet no name meets: nothing narrows the search.
        (0..n)
            .map(|index| LintStatement {
                index,
                deny: index % 2 == 0,
                resources_negated: false,
                resources: vec![LintResource::Segments(vec![(
                    "proj".to_string(),
                    Some(format!(
                        "{}-{index}*",
                        if index % 2 == 0 { "deny" } else { "allow" }
                    )),
                )])],
                actions_negated: false,
                actions: vec!["*".to_string()],
            })
            .collect()
    }

    #[test]
    fn adversarial_policies_stop_at_the_budget_with_one_warning() {
        let statements = star_deny_against_disjoint_allows(10_000);
        let found = indexed_unreachable(&statements, OVERLAP_BUDGET);
        let skipped: Vec<_> = found
            .iter()
            .filter(|d| d.code == "overlap_check_skipped")
            .collect();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(skipped[0].path, "");
        let checked = unreachable_indices(&found).len();
        // 5,000 denies against 5,000 allows is 25,000,000 comparisons: the budget allows about 800 denies.
        assert!(checked > 0 && checked < 5_000, "{checked}");
        assert!(
            skipped[0]
                .message
                .contains(&format!("{} of 5000", 5_000 - checked)),
            "{}",
            skipped[0].message
        );
    }

    #[test]
    fn the_same_policy_small_enough_is_checked_in_full() {
        let statements = star_deny_against_disjoint_allows(2_000);
        let found = indexed_unreachable(&statements, OVERLAP_BUDGET);
        assert_eq!(unreachable_indices(&found).len(), 1_000);
        assert!(found.iter().all(|d| d.code == "unreachable_deny"));
    }
}
