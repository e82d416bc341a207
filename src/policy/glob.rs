//! `*` globs over names, tags and actions, compiled once so that matching needs no allocation.

/// A cheap summary of a string, computed once per string checked, that settles most comparisons without
/// touching the string again: its length, its first 8 bytes and its last 8 bytes. For strings of up to 16
/// bytes, two equal keys mean two equal strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Key {
    len: usize,
    /// Bytes `0..8` (zero-padded), byte `i` in bits `8i..8i+8`.
    head: u64,
    /// The last 8 bytes, aligned to the top: the last byte is always in bits `56..64`.
    tail: u64,
}

impl Key {
    /// The key of `text`.
    #[inline]
    pub(crate) fn of(text: &str) -> Key {
        // Little-endian words assembled byte by byte: copying the bytes into a buffer first makes the size-
        // optimised WebAssembly module call `memcpy` twice per key.
        fn word(bytes: &[u8]) -> u64 {
            bytes
                .iter()
                .enumerate()
                .fold(0, |word, (i, byte)| word | u64::from(*byte) << (8 * i))
        }
        let bytes = text.as_bytes();
        let len = bytes.len();
        let head = word(bytes.get(..8).unwrap_or(bytes));
        let tail = match bytes.get(len.saturating_sub(8)..) {
            Some(last) if len >= 8 => word(last),
            _ if len == 0 => 0,
            _ => head << (8 * (8 - len)),
        };
        Key { len, head, tail }
    }
}

impl Key {
    /// The bit of a [`Glob::prefilter`] length mask for this string.
    #[inline]
    pub(crate) fn length_bit(&self) -> u64 {
        length_bit(self.len)
    }

    /// The bit of a [`Glob::prefilter`] first-byte mask for this string.
    #[inline]
    pub(crate) fn first_byte_bit(&self) -> u64 {
        1 << (self.head & 63)
    }
}

/// Bit `len` (lengths of 63 and up share bit 63).
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// Every length bit from `len` up.
fn lengths_from(len: usize) -> u64 {
    !(length_bit(len) - 1)
}

/// The first-byte bit of a non-empty literal start, or every bit when the start is free.
fn first_byte_bits(start: &str) -> u64 {
    if start.is_empty() {
        u64::MAX
    } else {
        Key::of(start).first_byte_bit()
    }
}

/// The low `len` bytes (at most 8) of a `u64`.
fn low_mask(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    }
}

/// The high `len` bytes (at most 8) of a `u64`.
fn high_mask(len: usize) -> u64 {
    !low_mask(8usize.saturating_sub(len))
}

/// A compiled glob. `*` matches any run of characters (including none); everything else is literal and
/// case-sensitive. The common shapes get their own variant so that matching is a comparison or two of
/// [`Key`]s, and reads the strings themselves only when they are longer than the key covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Glob {
    /// `*` (or `**`...): matches everything.
    Any,
    /// No `*` at all.
    Exact { text: Box<str>, key: Key },
    /// `abc*`: `head` is the prefix's first bytes under `mask`.
    Prefix {
        text: Box<str>,
        head: u64,
        mask: u64,
    },
    /// `*abc`: `tail` is the suffix's last bytes under `mask` (aligned to the top, as in [`Key`]).
    Suffix {
        text: Box<str>,
        tail: u64,
        mask: u64,
    },
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
        if pattern == "*" {
            return Glob::Any;
        }
        if !pattern.contains('*') {
            return Glob::Exact {
                text: pattern.into(),
                key: Key::of(pattern),
            };
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
            (false, true, true) => {
                let mask = low_mask(first.len());
                Glob::Prefix {
                    text: first.into(),
                    head: Key::of(first).head & mask,
                    mask,
                }
            }
            (true, true, false) => {
                let mask = high_mask(last.len());
                Glob::Suffix {
                    text: last.into(),
                    tail: Key::of(last).tail & mask,
                    mask,
                }
            }
            _ => Glob::Pieces {
                first: first.into(),
                middle: middle.into(),
                last: last.into(),
            },
        }
    }

    /// The glob written back as text (consecutive `*`s as one), for analyses that rebuild its automaton.
    pub(crate) fn pattern(&self) -> String {
        match self {
            Glob::Any => "*".to_string(),
            Glob::Exact { text, .. } => text.to_string(),
            Glob::Prefix { text, .. } => format!("{text}*"),
            Glob::Suffix { text, .. } => format!("*{text}"),
            Glob::Pieces {
                first,
                middle,
                last,
            } => {
                let mut out = format!("{first}*");
                for piece in middle.iter() {
                    out.push_str(piece);
                    out.push('*');
                }
                out.push_str(last);
                out
            }
        }
    }

    /// How many literal pieces matching reads in turn (the runs of text between stars; a `*` alone has
    /// none): what one match of a general glob costs beyond its fixed part, for analyses that bound their work.
    pub(crate) fn pieces(&self) -> usize {
        match self {
            Glob::Any => 0,
            Glob::Exact { .. } | Glob::Prefix { .. } | Glob::Suffix { .. } => 1,
            Glob::Pieces { middle, .. } => 2 + middle.len(),
        }
    }

    /// Two masks that every string the glob matches fits: which lengths it can have (see [`Key::length_bit`])
    /// and which first bytes (see [`Key::first_byte_bit`]). ORed over a list of globs, they let a check
    /// rule out the whole list with two `and`s.
    pub(crate) fn prefilter(&self) -> (u64, u64) {
        match self {
            Glob::Any => (u64::MAX, u64::MAX),
            Glob::Exact { text, .. } => (length_bit(text.len()), first_byte_bits(text)),
            Glob::Prefix { text, .. } => (lengths_from(text.len()), first_byte_bits(text)),
            Glob::Suffix { text, .. } => (lengths_from(text.len()), u64::MAX),
            Glob::Pieces {
                first,
                middle,
                last,
            } => {
                let least = first.len()
                    + last.len()
                    + middle.iter().map(|piece| piece.len()).sum::<usize>();
                (lengths_from(least), first_byte_bits(first))
            }
        }
    }

    /// Whether the glob matches the whole of `text`.
    pub(crate) fn matches(&self, text: &str) -> bool {
        self.matches_keyed(text, &Key::of(text))
    }

    /// Whether the glob matches the whole of `text`, whose key is `key` (computed once by the caller, so that
    /// checking one string against many globs reads it once).
    #[inline(always)]
    pub(crate) fn matches_keyed(&self, text: &str, key: &Key) -> bool {
        self.matches_lazy(key, || text)
    }

    /// Like [`Glob::matches_keyed`], but the text is fetched only when the key cannot settle the question
    /// (strings longer than the key covers, general globs), which most checks never need.
    ///
    /// Always inlined: the common shapes are a few integer comparisons, and a call would cost more than
    /// them; the rare long comparisons and general globs live out of line.
    #[inline(always)]
    pub(crate) fn matches_lazy<'t>(&self, key: &Key, text: impl FnOnce() -> &'t str) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact {
                text: exact,
                key: exact_key,
            } => {
                *key == *exact_key
                    && (key.len <= 16 || same_bytes(text().as_bytes(), exact.as_bytes()))
            }
            Glob::Prefix {
                text: prefix,
                head,
                mask,
            } => {
                key.len >= prefix.len()
                    && key.head & mask == *head
                    && (prefix.len() <= 8 || long_prefix(text(), prefix))
            }
            Glob::Suffix {
                text: suffix,
                tail,
                mask,
            } => {
                key.len >= suffix.len()
                    && key.tail & mask == *tail
                    && (suffix.len() <= 8 || long_suffix(text(), suffix))
            }
            Glob::Pieces {
                first,
                middle,
                last,
            } => matches_pieces(first, middle, last, text()),
        }
    }
}

/// Whether `text` starts with `prefix`, given that their first 8 bytes already agree.
#[inline(never)]
fn long_prefix(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(8..prefix.len()) == prefix.as_bytes().get(8..)
}

/// Whether `text` ends with `suffix`, given that their last 8 bytes already agree.
#[inline(never)]
fn long_suffix(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text
            .as_bytes()
            .get(text.len() - suffix.len()..text.len() - 8)
            == suffix.as_bytes().get(..suffix.len() - 8)
}

/// Byte equality, out of line so that the inlined fast path stays small.
#[inline(never)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a == b
}

#[inline(never)]
fn matches_pieces(first: &str, middle: &[Box<str>], last: &str, text: &str) -> bool {
    if text.len() < first.len() + last.len() || !text.starts_with(first) || !text.ends_with(last) {
        return false;
    }
    // Both ends are fixed; the middle pieces must appear in order in what is between. Taking the leftmost
    // occurrence of each piece is optimal for `*`-only globs, so no backtracking is needed.
    let mut rest = &text[first.len()..text.len() - last.len()];
    for piece in middle {
        match rest.find(&**piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
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
    fn key_is_the_first_and_last_eight_bytes() {
        let text = "abcdefghijklmnopqrstuvwxyzé";
        for end in 0..=text.len() {
            let Some(text) = text.get(..end) else {
                continue;
            };
            let bytes = text.as_bytes();
            let mut buffer = [0u8; 8];
            let n = bytes.len().min(8);
            buffer[..n].copy_from_slice(&bytes[..n]);
            let head = u64::from_le_bytes(buffer);
            let tail = if bytes.len() >= 8 {
                buffer.copy_from_slice(&bytes[bytes.len() - 8..]);
                u64::from_le_bytes(buffer)
            } else if bytes.is_empty() {
                0
            } else {
                head << (8 * (8 - bytes.len()))
            };
            let key = Key::of(text);
            assert_eq!(
                (key.len, key.head, key.tail),
                (bytes.len(), head, tail),
                "{text:?}"
            );
        }
    }

    #[test]
    fn shapes_compile_to_their_fast_variants() {
        assert_eq!(Glob::new("*"), Glob::Any);
        assert_eq!(Glob::new("***"), Glob::Any);
        assert!(matches!(Glob::new("abc"), Glob::Exact { .. }));
        assert!(matches!(Glob::new("ab*"), Glob::Prefix { .. }));
        assert!(matches!(Glob::new("**ab"), Glob::Suffix { .. }));
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
            // Keys cover 16 bytes; longer strings are compared in full.
            ("updateAccessTokenPolicy", "updateAccessTokenPolicy", true),
            ("updateAccessTokenPolicy", "updateAccessTokenPolicz", false),
            ("updateAccessTokenPolicy", "updateAccessTokenPolizy", false),
            ("updateAccessTokenPolicy", "updateAcXessTokenPolicy", false),
            ("updateAccessToken*", "updateAccessTokenName", true),
            ("updateAccessToken*", "updateAccessTokeN", false),
            ("updateAccessToken*", "updateAcXessTokenName", false),
            ("updateAccessToken*", "updateAccessToXenName", false),
            ("update*", "update", true),
            ("update*", "updat", false),
            ("updateA*", "updateAccess", true),
            ("updateA*", "updateB", false),
            ("u*", "u", true),
            ("u*", "", false),
            ("*Name", "updateAccessTokenName", true),
            ("*Name", "Name", true),
            ("*Name", "ame", false),
            ("*Name", "updateAccessTokenNamE", false),
            ("*AccessTokenName", "updateAccessTokenName", true),
            ("*AccessTokenName", "updateAXcessTokenName", false),
            ("*AccessTokenName", "AccessTokenName", true),
            ("*AccessTokenName", "ccessTokenName", false),
            ("*12345678", "x12345678", true),
            ("*12345678", "x02345678", false),
            ("12345678*", "12345678", true),
            ("12345678*", "1234567", false),
            ("*é", "café", true),
            ("*é", "cafe", false),
            ("", "", true),
            ("", "a", false),
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
