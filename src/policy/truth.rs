//! Three-valued answers: a resource string may leave out a property or a view that a policy selects on, and
//! then whether a statement matches is neither yes nor no but unknown. Kleene's logic keeps every definite
//! answer definite: `no AND unknown` is `no`, `yes OR unknown` is `yes`.

use crate::json::{JsonOut, ToJson};
use serde::Serialize;

/// Whether something holds: yes, no, or unknown because the resource leaves out what it depends on.
///
/// Ordered `No < Unknown < Yes`, so AND is the minimum and OR the maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Truth {
    /// Certainly not.
    No = 0,
    /// It depends on a property or view the resource string does not state.
    Unknown = 1,
    /// Certainly.
    Yes = 2,
}

impl ToJson for Truth {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Truth::No => "no",
            Truth::Unknown => "unknown",
            Truth::Yes => "yes",
        }
        .write_json(out)
    }
}

impl Truth {
    /// `Yes` for `true`, `No` for `false`.
    #[inline]
    pub fn from_bool(value: bool) -> Truth {
        if value {
            Truth::Yes
        } else {
            Truth::No
        }
    }

    /// Both hold.
    #[inline]
    pub fn and(self, other: Truth) -> Truth {
        self.min(other)
    }

    /// Either holds.
    #[inline]
    pub fn or(self, other: Truth) -> Truth {
        self.max(other)
    }

    /// The opposite; unknown stays unknown.
    #[inline]
    pub fn negate(self) -> Truth {
        match self {
            Truth::No => Truth::Yes,
            Truth::Unknown => Truth::Unknown,
            Truth::Yes => Truth::No,
        }
    }

    /// `not` when `negate` (a `notResources` or `notActions` list).
    #[inline]
    pub fn negated_if(self, negate: bool) -> Truth {
        if negate {
            self.negate()
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, *};

    #[test]
    fn kleene_tables() {
        let all = [No, Unknown, Yes];
        for a in all {
            assert_eq!(a.and(No), No);
            assert_eq!(a.or(Yes), Yes);
            assert_eq!(a.and(Yes), a);
            assert_eq!(a.or(No), a);
            assert_eq!(a.negate().negate(), a);
            for b in all {
                // De Morgan holds in Kleene's logic.
                assert_eq!(a.and(b).negate(), a.negate().or(b.negate()));
            }
        }
        assert_eq!(Unknown.and(Unknown), Unknown);
        assert_eq!(Truth::from_bool(true), Yes);
    }
}
