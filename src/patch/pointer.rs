//! JSON Pointers (RFC 6901): parsing a pointer into its reference tokens and resolving them in a document.

use super::PatchError;
use serde_json::Value;

/// A parsed JSON Pointer: the unescaped reference tokens, outermost first. The empty pointer (`""`) is the
/// whole document and has no tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pointer {
    tokens: Vec<String>,
}

impl Pointer {
    /// Parses `text`. A pointer is empty or starts with `/`; `~0` stands for `~` and `~1` for `/`, and any other
    /// `~` is malformed. A malformed pointer is the request's fault, so the error is 400 `invalid_request`.
    pub fn parse(text: &str) -> Result<Pointer, PatchError> {
        if text.is_empty() {
            return Ok(Pointer { tokens: Vec::new() });
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(PatchError::invalid(format!(
                "\"{text}\" is not a JSON Pointer: it must be empty or start with \"/\""
            )));
        };
        let tokens = rest
            .split('/')
            .map(|raw| unescape(raw, text))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pointer { tokens })
    }

    /// The reference tokens, outermost first.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// Whether this is the whole document.
    pub fn is_root(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Whether `self` is a proper prefix of `other` (`/a` of `/a/b`, not of `/a` or `/ab`).
    pub fn is_proper_prefix_of(&self, other: &Pointer) -> bool {
        self.tokens.len() < other.tokens.len() && other.tokens.starts_with(&self.tokens)
    }

    /// The parent pointer and the last token, or `None` for the root.
    pub fn split_last(&self) -> Option<(&[String], &str)> {
        self.tokens
            .split_last()
            .map(|(last, parent)| (parent, last.as_str()))
    }
}

fn unescape(raw: &str, whole: &str) -> Result<String, PatchError> {
    // `~01` must become `~1`, not `/`: decoding left to right, one escape at a time, gets that right where two
    // global replaces in the wrong order would not.
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            _ => {
                return Err(PatchError::invalid(format!(
                    "\"{whole}\" is not a JSON Pointer: \"~\" must be followed by 0 or 1"
                )))
            }
        }
    }
    Ok(out)
}

/// An array index token as RFC 6901 allows it: `0`, or digits without a leading zero.
pub fn parse_index(token: &str) -> Option<usize> {
    let digits_only = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// The value `tokens` lead to, if there is one.
pub fn resolve<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(doc, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => parse_index(token).and_then(|i| items.get(i)),
        _ => None,
    })
}

/// The value `tokens` lead to, mutably, if there is one.
pub fn resolve_mut<'a>(doc: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(doc, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => parse_index(token).and_then(move |i| items.get_mut(i)),
        _ => None,
    })
}

/// Renders tokens back into pointer text, escaping `~` and `/`, for messages.
pub fn render(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}
