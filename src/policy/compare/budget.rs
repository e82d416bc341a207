//! The work a comparison may do before it gives up with [`PolicyError::ComparisonTooLarge`].

use crate::policy::PolicyError;

/// Work units a comparison may spend (automaton states walked, segment combinations built, pairs of an action
/// and a resource evaluated) before it answers `comparison_too_large`.
pub const COMPARISON_WORK_BUDGET: u64 = 20_000_000;

/// Work units spent so far, against a limit.
pub(super) struct Budget {
    used: u64,
    limit: u64,
}

impl Budget {
    pub(super) fn new(limit: u64) -> Budget {
        Budget { used: 0, limit }
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
