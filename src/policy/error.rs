//! The policy engine's errors and diagnostics, a leaf of the module: the specifier parser, the linter and the
//! compiled policies all report through these types, and none of them is read back from here.

use crate::json::{JsonOut, ObjectBuilder, ToJson};
use serde::Serialize;
use std::fmt;

/// A range of characters (not bytes) in a specifier string, `end` exclusive, so that an editor can underline it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Offset of the first character, in characters (not bytes) from the start of the specifier.
    pub start: usize,
    /// Offset just past the last character (exclusive); equal to `start` for an empty span.
    pub end: usize,
}

impl ToJson for Span {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("start", &self.start)
            .field("end", &self.end)
            .end()
    }
}

impl ToJson for SpecifierError {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("code", self.code)
            .field("message", &self.message)
            .field("span", &self.span)
            .end()
    }
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
    /// Stable code for programs, such as `missing_name` or `bad_character`.
    pub code: &'static str,
    /// Explanation for people.
    pub message: String,
    /// The characters at fault in the specifier.
    pub span: Span,
}

impl PolicyError {
    /// The span of the characters at fault, for a resource or an action that was refused.
    pub fn span(&self) -> Option<Span> {
        match self {
            PolicyError::InvalidResource { error } | PolicyError::InvalidAction { error } => {
                Some(error.span)
            }
            _ => None,
        }
    }
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

/// Why the policy engine cannot answer: a policy that does not compile, a resource that does not parse, or a
/// question that is not one question (an action or a resource holding a wildcard).
/// The message is built from the parts, so it never disagrees with them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// A policy with at least one error-severity problem (`invalid_policy`).
    InvalidPolicy {
        /// Which policy, for people: `policy`, `custom role "Flag editor" (flag-editor)`, `inline policy`.
        source: String,
        /// Every problem found, not just the first, each with its location in the policy.
        diagnostics: Vec<Diagnostic>,
    },
    /// A resource string that does not parse (`invalid_resource`).
    InvalidResource {
        /// What is wrong, with the characters at fault.
        error: SpecifierError,
    },
    /// An action asked about that is not one action (`invalid_action`): it holds `*` (a check asks about one
    /// action, and a wildcard would be matched as a name, answering for an action nobody has) or a control
    /// character, or it is empty.
    InvalidAction {
        /// What is wrong, with the characters at fault in the action.
        error: SpecifierError,
    },
    /// A comparison of two policies that would pass its work budget (`comparison_too_large`): see
    /// `compare_policies`.
    ComparisonTooLarge {
        /// The step that passed a limit, such as `action names` or `resources of depth 3`, and which limit when it
        /// is a bound on states or representatives rather than the work budget.
        stage: String,
        /// The work budget, in units of about one automaton position stepped (see `COMPARISON_WORK_BUDGET`).
        budget: u64,
    },
}

impl PolicyError {
    /// Stable, for programs: `invalid_policy`, `invalid_resource`, `invalid_action` or `comparison_too_large`.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::InvalidPolicy { .. } => "invalid_policy",
            PolicyError::InvalidResource { .. } => "invalid_resource",
            PolicyError::InvalidAction { .. } => "invalid_action",
            PolicyError::ComparisonTooLarge { .. } => "comparison_too_large",
        }
    }

    /// Every problem found, each with its location: the policy's diagnostics, or the resource's or the
    /// action's error (its path `""`, its span the characters at fault), or for a comparison too large one error
    /// at path `""`.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            PolicyError::InvalidPolicy { diagnostics, .. } => diagnostics.clone(),
            PolicyError::InvalidResource { error } | PolicyError::InvalidAction { error } => {
                vec![Diagnostic::specifier(String::new(), error)]
            }
            PolicyError::ComparisonTooLarge { .. } => {
                vec![Diagnostic::error(
                    self.code(),
                    String::new(),
                    self.to_string(),
                )]
            }
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::InvalidPolicy {
                source,
                diagnostics,
            } => {
                let Some(first) = diagnostics.first() else {
                    return write!(f, "{source} is invalid");
                };
                write!(
                    f,
                    "{source} is invalid: {} at {}",
                    first.message, first.path
                )?;
                match diagnostics.len() {
                    1 => Ok(()),
                    n => write!(f, " (and {} more problems)", n - 1),
                }
            }
            PolicyError::InvalidResource { error } => write!(f, "invalid resource: {error}"),
            PolicyError::InvalidAction { error } => write!(f, "invalid action: {error}"),
            PolicyError::ComparisonTooLarge { stage, budget } => write!(
                f,
                "the comparison is too large: it stopped at {stage} (work budget {budget} units)"
            ),
        }
    }
}

impl std::error::Error for PolicyError {}

/// How bad a problem is: errors make a policy unusable (LaunchDarkly would reject it), warnings flag a policy
/// that works but probably not as meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The policy is unusable: LaunchDarkly would reject it.
    Error,
    /// The policy works, but probably not as meant.
    Warning,
}

/// One problem found in a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad the problem is.
    pub severity: Severity,
    /// Stable, for programs: `missing_effect`, `unknown_action`, `missing_name`...
    pub code: String,
    /// Explanation for people.
    pub message: String,
    /// JSON pointer into the policy, such as `/2/resources/0` (`""` is the policy itself).
    pub path: String,
    /// For specifier syntax errors: the characters at fault in the string at `path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl ToJson for Severity {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
        .write_json(out)
    }
}

impl ToJson for Diagnostic {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("severity", &self.severity)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("path", &self.path)
            .optional("span", &self.span)
            .end()
    }
}

impl Diagnostic {
    fn new(severity: Severity, code: &str, path: String, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            path,
            span: None,
        }
    }

    pub(crate) fn error(code: &str, path: String, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    pub(crate) fn warning(code: &str, path: String, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    /// A specifier syntax error at `path`, keeping its code and span.
    pub(crate) fn specifier(path: String, err: &SpecifierError) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: err.code.to_string(),
            message: err.message.clone(),
            path,
            span: Some(err.span),
        }
    }

    pub(crate) fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
}
