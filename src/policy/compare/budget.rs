//! The work a comparison may do before it gives up with [`PolicyError::ComparisonTooLarge`], and what its steps
//! cost.
//!
//! Work is counted in units of about one position of one glob automaton stepped on one character: a few
//! nanoseconds natively. Each step is charged for what it really reads (every position of every automaton in a
//! walk, the text it copies, the patterns a candidate is matched against, the statements a pair is decided on),
//! not one unit per step, so that globs with many stars, which make every step of a walk and every match
//! longer, reach the bound as soon in time as many plain globs do.

use crate::policy::glob::Glob;
use crate::policy::matcher::{ResourcePattern, SegmentPattern};
use crate::policy::{CompiledPolicy, PolicyError};

/// Work units one comparison may spend before it answers `comparison_too_large` (see the module's units).
///
/// Chosen so that the policies people write stay well below it: the 50-statement roles of `benches/compare.rs`
/// spend about 5.5 million units, the largest policy of the conformance corpus (a project administrator's
/// hundred literal actions) about 7.4 million, every other test less. Reaching it takes about 50 ms natively
/// and 0.4 s in the release WebAssembly module, so a check that runs up to three comparisons (a patch's
/// preview, lockout and escalation) still answers within about a second; `benches/compare.rs` and
/// `bench/js/compare.mjs` print the time to reach it.
pub const COMPARISON_WORK_BUDGET: u64 = 40_000_000;

/// The fixed part of a step that builds, hashes and keeps a state, a set or a string (a few allocations).
pub(super) const STEP_UNITS: u64 = 32;

/// What matching one candidate against a glob costs: nothing for `*`, one unit for the shapes a key settles
/// (`abc`, `abc*`, `*abc`), and each literal piece searched for in turn for the others.
pub(super) fn glob_units(glob: &Glob) -> u64 {
    match glob.pieces() {
        0 => 0,
        1 => 1,
        pieces => 4 * pieces as u64,
    }
}

/// What matching one segment against a pattern segment costs: every glob it may read.
pub(super) fn segment_units(segment: &SegmentPattern) -> u64 {
    let names: u64 = segment
        .name_globs()
        .unwrap_or_default()
        .iter()
        .map(glob_units)
        .sum();
    let tags: u64 = segment.tag_globs().iter().map(glob_units).sum();
    let properties: u64 = segment
        .property_globs()
        .iter()
        .map(|(_, glob)| glob_units(glob))
        .sum();
    let views: u64 = segment
        .view_globs()
        .iter()
        .flat_map(|views| views.iter())
        .map(glob_units)
        .sum();
    1 + names + tags + properties + views
}

/// What deciding one pair of an action and a resource costs a policy: each statement is looked at (its
/// prefilters), and its globs are read when they pass.
pub(super) fn policy_units(policy: &CompiledPolicy) -> u64 {
    let statements = policy.statements().len() as u64;
    let actions: u64 = policy.action_globs().map(glob_units).sum();
    let resources: u64 = policy
        .resource_patterns()
        .map(|pattern| match pattern {
            ResourcePattern::Any => 1,
            ResourcePattern::Segments(segments) => segments.iter().map(segment_units).sum(),
        })
        .sum();
    statements + (actions + resources) / 2
}

/// Work units spent so far, against a limit.
pub(super) struct Budget {
    used: u64,
    limit: u64,
}

impl Budget {
    pub(super) fn new(limit: u64) -> Budget {
        Budget { used: 0, limit }
    }

    /// The units spent so far.
    pub(super) fn used(&self) -> u64 {
        self.used
    }

    /// Spends `units`, or fails once the limit is passed, naming the step (`stage`) that passed it.
    pub(super) fn spend(&mut self, units: u64, stage: &str) -> Result<(), PolicyError> {
        self.used = self.used.saturating_add(units);
        if self.used > self.limit {
            return Err(self.too_large(stage));
        }
        Ok(())
    }

    /// The error for a comparison that passed a limit at `stage`.
    pub(super) fn too_large(&self, stage: &str) -> PolicyError {
        PolicyError::ComparisonTooLarge {
            stage: stage.to_string(),
            budget: self.limit,
        }
    }
}
