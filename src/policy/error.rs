use super::Diagnostic;
use serde::Serialize;
use std::fmt;

/// A range of characters (not bytes) in a specifier string, `end` exclusive, so that an editor can underline it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The characters `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Why a resource or action specifier could not be parsed.
///
/// `code` is stable (callers may match on it); `message` is for people; `span` points into the specifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpecifierError {
    pub code: &'static str,
    pub message: String,
    pub span: Span,
}

impl SpecifierError {
    pub(crate) fn new(
        code: &'static str,
        message: impl Into<String>,
        start: usize,
        end: usize,
    ) -> Self {
        SpecifierError {
            code,
            message: message.into(),
            span: Span::new(start, end),
        }
    }
}

impl fmt::Display for SpecifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (characters {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for SpecifierError {}

/// A policy that cannot be compiled or evaluated; `diagnostics` lists every problem found, not just the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    pub code: String,
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PolicyError {}
