//! `*` globs over names, tags and actions, compiled once so that matching needs no allocation.

/// A compiled glob. `*` matches any run of characters (including none); everything else is literal and
/// case-sensitive. The common shapes get their own variant so that matching is a comparison or two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Glob {
    /// `*` (or `**`...): matches everything.
    Any,
    /// No `*` at all.
    Exact(Box<str>),
    /// `abc*`
    Prefix(Box<str>),
    /// `*abc`
    Suffix(Box<str>),
    /// Anything else: a literal start, literal pieces in order, and a literal end.
    Pieces {
        first: Box<str>,
        middle: Box<[Box<str>]>,
        last: Box<str>,
    },
}

impl Glob {
    /// Compiles a glob; consecutive `*`s are one `*`.
    pub(crate) fn new(pattern: &str) -> Glob {
        if !pattern.contains('*') {
            return Glob::Exact(pattern.into());
        }
        let pieces: Vec<&str> = pattern.split('*').collect();
        // `split` yields at least two pieces because the pattern holds a `*`.
        let first = pieces[0];
        let last = pieces[pieces.len() - 1];
        let middle: Vec<Box<str>> = pieces[1..pieces.len() - 1]
            .iter()
            .filter(|piece| !piece.is_empty())
            .map(|piece| Box::<str>::from(*piece))
            .collect();
        match (first.is_empty(), middle.is_empty(), last.is_empty()) {
            (true, true, true) => Glob::Any,
            (false, true, true) => Glob::Prefix(first.into()),
            (true, true, false) => Glob::Suffix(last.into()),
            _ => Glob::Pieces {
                first: first.into(),
                middle: middle.into(),
                last: last.into(),
            },
        }
    }

    /// Whether the glob matches the whole of `text`.
    #[inline]
    pub(crate) fn matches(&self, text: &str) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(exact) => **exact == *text,
            Glob::Prefix(prefix) => text.starts_with(&**prefix),
            Glob::Suffix(suffix) => text.ends_with(&**suffix),
            Glob::Pieces {
                first,
                middle,
                last,
            } => {
                if text.len() < first.len() + last.len()
                    || !text.starts_with(&**first)
                    || !text.ends_with(&**last)
                {
                    return false;
                }
                // Both ends are fixed; the middle pieces must appear in order in what is between. Taking the
                // leftmost occurrence of each piece is optimal for `*`-only globs, so no backtracking is needed.
                let mut rest = &text[first.len()..text.len() - last.len()];
                for piece in middle.iter() {
                    match rest.find(&**piece) {
                        Some(at) => rest = &rest[at + piece.len()..],
                        None => return false,
                    }
                }
                true
            }
        }
    }
}

/// Whether some string matches both globs (used by the linter to tell whether two statements can overlap).
///
/// If either pattern has no `*`, this is "does the other glob match that literal". If both have one, the
/// stars can absorb anything in between, so only the literal starts and the literal ends need to agree: a
/// string made of the longer start, every middle piece of both, and the longer end matches both.
pub(crate) fn globs_intersect(a: &str, b: &str) -> bool {
    match (a.contains('*'), b.contains('*')) {
        (false, false) => a == b,
        (true, false) => Glob::new(a).matches(b),
        (false, true) => Glob::new(b).matches(a),
        (true, true) => {
            let (a_start, a_end) = literal_ends(a);
            let (b_start, b_end) = literal_ends(b);
            (a_start.starts_with(b_start) || b_start.starts_with(a_start))
                && (a_end.ends_with(b_end) || b_end.ends_with(a_end))
        }
    }
}

/// The text before the first `*` and after the last one.
fn literal_ends(pattern: &str) -> (&str, &str) {
    let start = pattern.find('*').map_or(pattern, |at| &pattern[..at]);
    let end = pattern.rfind('*').map_or(pattern, |at| &pattern[at + 1..]);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_compile_to_their_fast_variants() {
        assert_eq!(Glob::new("*"), Glob::Any);
        assert_eq!(Glob::new("***"), Glob::Any);
        assert_eq!(Glob::new("abc"), Glob::Exact("abc".into()));
        assert_eq!(Glob::new("ab*"), Glob::Prefix("ab".into()));
        assert_eq!(Glob::new("**ab"), Glob::Suffix("ab".into()));
        assert!(matches!(Glob::new("a*b"), Glob::Pieces { .. }));
        assert!(matches!(Glob::new("*a*"), Glob::Pieces { .. }));
    }

    #[test]
    fn matching() {
        let cases = [
            ("*", "", true),
            ("*", "anything", true),
            ("abc", "abc", true),
            ("abc", "abC", false),
            ("mobile-*", "mobile-ios", true),
            ("mobile-*", "mobile-", true),
            ("mobile-*", "mobil", false),
            ("*-prod", "eu-prod", true),
            ("*-prod", "eu-production", false),
            ("a*b", "ab", true),
            ("a*b", "axxb", true),
            ("a*b", "axxbc", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*x*", "axb", true),
            ("*x*", "ab", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
            ("a*bc*bc", "abcbc", true),
            ("a*bc*bc", "abcbbc", true),
            ("é*ü", "éaü", true),
            ("*ü", "ü", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                Glob::new(pattern).matches(text),
                expected,
                "{pattern} vs {text}"
            );
        }
    }

    #[test]
    fn intersection() {
        assert!(globs_intersect("a*", "*b"));
        assert!(globs_intersect("abc*", "ab*"));
        assert!(!globs_intersect("abc*", "abd*"));
        assert!(!globs_intersect("*x", "*y"));
        assert!(globs_intersect("update*", "updateOn"));
        assert!(!globs_intersect("delete*", "updateOn"));
        assert!(globs_intersect("*", "anything"));
        assert!(!globs_intersect("abc", "abd"));
    }
}
