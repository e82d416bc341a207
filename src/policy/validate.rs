//! Policy validation and lint: every problem of a policy, each with a stable code, a JSON pointer and, for
//! specifier syntax, a character span. Works on raw JSON so that it can report what typed decoding would
//! only fail on (a missing `effect`, a number where a list belongs).

use super::catalog::{KNOWN_ACTIONS, KNOWN_RESOURCE_TYPES};
use super::error::{Diagnostic, Severity, Span};
use super::glob::Glob;
use super::specifier::{self, check_action, Mode, NamePart, RawSpecifier};
use crate::json::kind_of;
use crate::model::{keep_lists, ListPresence, Statement};
use serde_json::{Map, Value};

mod duplicates;
mod overlap;

use duplicates::lint_duplicates;
use overlap::{lint_unreachable_denies, LintResource, LintStatement, OVERLAP_BUDGET};

/// A `resources`-like field of a statement as found.
pub(crate) enum ListValue<'a> {
    Absent,
    /// Present but unusable; the problem has been reported already.
    Invalid,
    List(&'a [String]),
}

impl ListValue<'_> {
    fn presence(&self) -> ListPresence {
        match self {
            ListValue::Absent => ListPresence::Absent,
            ListValue::List([]) => ListPresence::Empty,
            ListValue::Invalid | ListValue::List(_) => ListPresence::Given,
        }
    }
}

/// A named list field of a statement.
pub(crate) struct ListField<'a> {
    name: &'static str,
    value: ListValue<'a>,
}

impl<'a> ListField<'a> {
    pub(crate) fn from_option(name: &'static str, value: Option<&'a Vec<String>>) -> Self {
        ListField {
            name,
            value: value.map_or(ListValue::Absent, |list| ListValue::List(list)),
        }
    }
}

/// Checks that exactly one of a pair (`resources`/`notResources`, `actions`/`notActions`) is given and not
/// empty. Returns the field used, whether it is the `not` one, and its entries.
pub(crate) fn check_list_pair<'a>(
    index: usize,
    positive: ListField<'a>,
    negative: ListField<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(&'static str, bool, &'a [String])> {
    // An empty list beside its counterpart is an absent one, as LaunchDarkly's own examples write statements
    // (`"notResources": []` next to `resources`): the same rule the model decodes them by.
    let (mut positive, mut negative) = (positive, negative);
    let (keep_positive, keep_negative) =
        keep_lists(positive.value.presence(), negative.value.presence());
    if !keep_positive {
        positive.value = ListValue::Absent;
    }
    if !keep_negative {
        negative.value = ListValue::Absent;
    }
    let (chosen, negated) = match (&positive.value, &negative.value) {
        (ListValue::Absent, ListValue::Absent) => {
            diagnostics.push(Diagnostic::error(
                &format!("missing_{}", positive.name),
                format!("/{index}"),
                format!(
                    "statement {index} needs `{}` or `{}`",
                    positive.name, negative.name
                ),
            ));
            return None;
        }
        (ListValue::Absent, _) => (negative, true),
        (_, ListValue::Absent) => (positive, false),
        _ => {
            diagnostics.push(Diagnostic::error(
                &format!("conflicting_{}", positive.name),
                format!("/{index}"),
                format!(
                    "statement {index} has both `{}` and `{}`; use one",
                    positive.name, negative.name
                ),
            ));
            return None;
        }
    };
    match chosen.value {
        ListValue::List([]) => {
            diagnostics.push(Diagnostic::error(
                "empty_list",
                format!("/{index}/{}", chosen.name),
                format!("`{}` of statement {index} is empty", chosen.name),
            ));
            None
        }
        ListValue::List(list) => Some((chosen.name, negated, list)),
        _ => None,
    }
}

/// Validates and lints typed statements (see [`validate_policy`]).
pub fn validate_statements(statements: &[Statement]) -> Vec<Diagnostic> {
    match serde_json::to_value(statements) {
        Ok(value) => validate_policy(&value),
        Err(err) => vec![Diagnostic::error(
            "not_serializable",
            String::new(),
            format!("the statements cannot be written as JSON: {err}"),
        )],
    }
}

/// Validates and lints a policy given as JSON: errors for what LaunchDarkly would reject, warnings for what
/// is probably a mistake. An empty result means the policy is clean.
pub fn validate_policy(value: &Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let Some(statements) = value.as_array() else {
        diagnostics.push(Diagnostic::error(
            "not_an_array",
            String::new(),
            format!("a policy is an array of statements, not {}", kind_of(value)),
        ));
        return diagnostics;
    };
    if statements.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "empty_policy",
            String::new(),
            "the policy has no statements: it allows nothing",
        ));
    }
    let mut linted = Vec::with_capacity(statements.len());
    let mut all_valid = true;
    for (index, statement) in statements.iter().enumerate() {
        match check_statement(index, statement, &mut diagnostics) {
            Some(statement) => linted.push(statement),
            None => all_valid = false,
        }
    }
    lint_duplicates(statements, &mut diagnostics);
    // Reachability needs every statement: an allow we could not read might be the one a deny overlaps.
    if all_valid {
        lint_unreachable_denies(&linted, OVERLAP_BUDGET, &mut diagnostics);
    }
    in_statement_order(diagnostics, statements.len())
}

/// Orders diagnostics by statement, keeping the order found within one statement: a counting sort, since
/// statement indexes are small and dense (and the module then needs no stable-sort routine for this).
fn in_statement_order(diagnostics: Vec<Diagnostic>, statements: usize) -> Vec<Diagnostic> {
    let mut buckets: Vec<Vec<Diagnostic>> = Vec::new();
    buckets.resize_with(statements.max(1), Vec::new);
    let last = buckets.len() - 1;
    for diagnostic in diagnostics {
        let index = statement_index(&diagnostic.path).min(last);
        buckets[index].push(diagnostic);
    }
    buckets.into_iter().flatten().collect()
}

/// The statement a diagnostic's path points into (`/3/actions/0` is statement 3; the document itself, 0).
fn statement_index(path: &str) -> usize {
    path.split('/')
        .nth(1)
        .and_then(|index| index.parse().ok())
        .unwrap_or(0)
}

const STATEMENT_FIELDS: &[&str] = &[
    "effect",
    "resources",
    "notResources",
    "actions",
    "notActions",
];

fn check_statement(
    index: usize,
    value: &Value,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<LintStatement> {
    let Some(object) = value.as_object() else {
        diagnostics.push(Diagnostic::error(
            "statement_not_object",
            format!("/{index}"),
            format!(
                "statement {index} must be an object, not {}",
                kind_of(value)
            ),
        ));
        return None;
    };
    // Only this statement's diagnostics are counted: counting all of them again for each statement would
    // make validation quadratic in the number of statements.
    let first_diagnostic = diagnostics.len();
    for key in object.keys() {
        if !STATEMENT_FIELDS.contains(&key.as_str()) {
            diagnostics.push(Diagnostic::warning(
                "unknown_field",
                format!("/{index}/{}", escape_pointer(key)),
                format!("statement {index} has an unknown field `{key}`, which is ignored"),
            ));
        }
    }
    let deny = check_effect(index, object, diagnostics);
    let resources = read_list(index, object, "resources", diagnostics);
    let not_resources = read_list(index, object, "notResources", diagnostics);
    let actions = read_list(index, object, "actions", diagnostics);
    let not_actions = read_list(index, object, "notActions", diagnostics);
    let resource_pair = check_list_pair(
        index,
        resources.field("resources"),
        not_resources.field("notResources"),
        diagnostics,
    );
    let action_pair = check_list_pair(
        index,
        actions.field("actions"),
        not_actions.field("notActions"),
        diagnostics,
    );
    let lint_resources = resource_pair
        .map(|(field, negated, specs)| check_resources(index, field, negated, specs, diagnostics));
    let lint_actions = action_pair.map(|(field, negated, specs)| {
        check_actions(index, field, negated, specs, diagnostics);
        (negated, specs.to_vec())
    });
    if has_error(&diagnostics[first_diagnostic..]) {
        return None;
    }
    let ((resources_negated, resources), (actions_negated, actions), Some(deny)) =
        (lint_resources?, lint_actions?, deny)
    else {
        return None;
    };
    Some(LintStatement {
        index,
        deny,
        resources_negated,
        resources,
        actions_negated,
        actions,
    })
}

fn has_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// `Some(true)` for deny, `Some(false)` for allow, `None` when missing or bad (reported).
fn check_effect(
    index: usize,
    object: &Map<String, Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<bool> {
    match object.get("effect") {
        None | Some(Value::Null) => {
            diagnostics.push(Diagnostic::error(
                "missing_effect",
                format!("/{index}"),
                format!("statement {index} needs an `effect`: \"allow\" or \"deny\""),
            ));
            None
        }
        Some(Value::String(effect)) if effect == "allow" => Some(false),
        Some(Value::String(effect)) if effect == "deny" => Some(true),
        Some(Value::String(effect)) => {
            let hint = match effect.to_ascii_lowercase().as_str() {
                "allow" | "deny" => " (effects are lowercase)",
                _ => "",
            };
            diagnostics.push(Diagnostic::error(
                "bad_effect",
                format!("/{index}/effect"),
                format!("effect must be \"allow\" or \"deny\", not {effect:?}{hint}"),
            ));
            None
        }
        Some(other) => {
            diagnostics.push(Diagnostic::error(
                "wrong_type",
                format!("/{index}/effect"),
                format!(
                    "effect must be the string \"allow\" or \"deny\", not {}",
                    kind_of(other)
                ),
            ));
            None
        }
    }
}

/// A list field read from JSON, owning its strings.
enum ReadList {
    Absent,
    Invalid,
    List(Vec<String>),
}

impl ReadList {
    fn field(&self, name: &'static str) -> ListField<'_> {
        ListField {
            name,
            value: match self {
                ReadList::Absent => ListValue::Absent,
                ReadList::Invalid => ListValue::Invalid,
                ReadList::List(list) => ListValue::List(list),
            },
        }
    }
}

fn read_list(
    index: usize,
    object: &Map<String, Value>,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> ReadList {
    match object.get(key) {
        // `null` decodes as absent, as the typed model does.
        None | Some(Value::Null) => ReadList::Absent,
        Some(Value::Array(items)) => {
            let mut list = Vec::with_capacity(items.len());
            let mut valid = true;
            for (j, item) in items.iter().enumerate() {
                match item {
                    Value::String(text) => list.push(text.clone()),
                    other => {
                        valid = false;
                        diagnostics.push(Diagnostic::error(
                            "wrong_type",
                            format!("/{index}/{key}/{j}"),
                            format!("entries of `{key}` must be strings, not {}", kind_of(other)),
                        ));
                    }
                }
            }
            if valid {
                ReadList::List(list)
            } else {
                ReadList::Invalid
            }
        }
        Some(other) => {
            diagnostics.push(Diagnostic::error(
                "wrong_type",
                format!("/{index}/{key}"),
                format!(
                    "`{key}` must be an array of strings, not {}",
                    kind_of(other)
                ),
            ));
            ReadList::Invalid
        }
    }
}

fn check_resources(
    index: usize,
    field: &str,
    negated: bool,
    specs: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> (bool, Vec<LintResource>) {
    let mut lint = Vec::with_capacity(specs.len());
    for (j, spec) in specs.iter().enumerate() {
        let path = format!("/{index}/{field}/{j}");
        let raw = match specifier::parse(spec, Mode::Pattern) {
            Ok(raw) => raw,
            Err(err) => {
                diagnostics.push(Diagnostic::specifier(path, &err));
                continue;
            }
        };
        match raw {
            RawSpecifier::AnyResource => {
                if negated {
                    diagnostics.push(Diagnostic::warning(
                        "never_matches",
                        path,
                        "`notResources` with `*` excludes every resource: this statement never matches",
                    ));
                }
                lint.push(LintResource::Any);
            }
            RawSpecifier::Segments(segments) => {
                let mut reduced = Vec::with_capacity(segments.len());
                for segment in &segments {
                    if !KNOWN_RESOURCE_TYPES.contains(&segment.ty.text) {
                        diagnostics.push(
                            Diagnostic::warning(
                                "unknown_resource_type",
                                path.clone(),
                                format!("`{}` is not a known resource type", segment.ty.text),
                            )
                            .with_span(Span::new(segment.ty.chars.0, segment.ty.chars.1)),
                        );
                    }
                    check_selectors(segment, &path, diagnostics);
                    check_costly_globs(segment, &path, diagnostics);
                    let has_attribute = segment
                        .name_parts
                        .iter()
                        .any(|part| matches!(part, NamePart::Attribute(_)));
                    if negated && has_attribute {
                        diagnostics.push(Diagnostic::warning(
                            "attribute_in_not_resources",
                            path.clone(),
                            "for a member without this role attribute the entry matches nothing, so the statement applies to every resource",
                        ));
                    }
                    let name = segment.name.map(|_| {
                        segment
                            .name_parts
                            .iter()
                            .map(|part| match part {
                                NamePart::Text(text) => *text,
                                NamePart::Attribute(_) => "*",
                            })
                            .collect::<String>()
                    });
                    reduced.push((segment.ty.text.to_string(), name));
                }
                lint.push(LintResource::Segments(reduced));
            }
        }
    }
    (negated, lint)
}

/// Properties LaunchDarkly documents for `{property:value}` selectors, with the resource type that has each
/// and its values: environments are `critical` or not ("Example roles and policies",
/// https://launchdarkly.com/docs/home/account/roles/example-roles).
const KNOWN_PROPERTIES: &[(&str, &str, &[&str])] = &[("critical", "env", &["true", "false"])];

/// Resource types a view links ("Views", https://launchdarkly.com/docs/home/account/views: flags and segments;
/// AI Configs since `linkAIConfigToView`).
const VIEW_LINKED_TYPES: &[&str] = &["flag", "segment", "aiconfig"];

/// Warnings for selectors LaunchDarkly does not document: an unknown property, a property on another type, a
/// value it does not take, a view selector on a type views do not link. Warnings only: LaunchDarkly adds
/// properties and linked types over time.
fn check_selectors(
    segment: &specifier::RawSegment<'_>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let ty = segment.ty.text;
    for property in &segment.properties {
        let span = Span::new(property.whole.chars.0, property.whole.chars.1);
        let warning = match KNOWN_PROPERTIES
            .iter()
            .find(|(key, _, _)| *key == property.key.text)
        {
            None => Some((
                "unknown_property",
                format!(
                    "`{}` is not a property LaunchDarkly documents for selectors",
                    property.key.text
                ),
            )),
            Some((key, owner, _)) if *owner != ty => Some((
                "property_on_other_type",
                format!("`{key}` is a property of `{owner}` resources, not of `{ty}`"),
            )),
            Some((key, _, values))
                if !property.value.text.contains('*') && !values.contains(&property.value.text) =>
            {
                Some((
                    "unknown_property_value",
                    format!(
                        "`{key}` is one of {}, not `{}`",
                        values.join(", "),
                        property.value.text
                    ),
                ))
            }
            Some(_) => None,
        };
        if let Some((code, message)) = warning {
            diagnostics.push(Diagnostic::warning(code, path.to_string(), message).with_span(span));
        }
    }
    if !segment.views.is_empty() && !VIEW_LINKED_TYPES.contains(&ty) {
        let view = &segment.views[0];
        diagnostics.push(
            Diagnostic::warning(
                "view_on_unlinked_type",
                path.to_string(),
                format!(
                    "views link {} resources, not `{ty}`: this selector matches nothing LaunchDarkly links",
                    VIEW_LINKED_TYPES.join(", ")
                ),
            )
            .with_span(Span::new(view.key.chars.0.saturating_sub(5), view.key.chars.1)),
        );
    }
}

/// Most `*` one glob may hold before the linter warns that it makes comparisons costly (`costly_glob`).
///
/// A comparison walks the automata of all the globs at one place together; each `*` keeps a position of its
/// automaton live after it is reached, so globs with many stars multiply the states of the walk and lengthen
/// every step. The globs people write hold one to three; the hostile ones that reach the comparison's budget
/// (`COMPARISON_WORK_BUDGET`) hold dozens.
pub(crate) const MAX_GLOB_STARS: usize = 8;

/// The `*`s of a glob that matching reads: a run of them counts once.
fn glob_stars(glob: &str) -> usize {
    let mut runs = 0;
    let mut previous = false;
    for ch in glob.chars() {
        let star = ch == '*';
        if star && !previous {
            runs += 1;
        }
        previous = star;
    }
    runs
}

/// Warns about a glob with more than [`MAX_GLOB_STARS`] stars, with its span.
fn check_costly_glob(
    glob: &str,
    chars: (usize, usize),
    path: &str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let stars = glob_stars(glob);
    if stars > MAX_GLOB_STARS {
        diagnostics.push(
            Diagnostic::warning(
                "costly_glob",
                path.to_string(),
                format!(
                    "this {what} holds {stars} `*` (more than {MAX_GLOB_STARS}): comparisons of the policy (previews, guards, audits) may be refused as too large"
                ),
            )
            .with_span(Span::new(chars.0, chars.1)),
        );
    }
}

/// [`check_costly_glob`] for every glob of a resource segment: its name, tags, property values and view keys.
fn check_costly_globs(
    segment: &specifier::RawSegment<'_>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(name) = &segment.name {
        check_costly_glob(name.text, name.chars, path, "name", diagnostics);
    }
    for tag in &segment.tags {
        check_costly_glob(tag.text, tag.chars, path, "tag", diagnostics);
    }
    for property in &segment.properties {
        check_costly_glob(
            property.value.text,
            property.value.chars,
            path,
            "property value",
            diagnostics,
        );
    }
    for view in &segment.views {
        check_costly_glob(view.key.text, view.key.chars, path, "view key", diagnostics);
    }
}

fn check_actions(
    index: usize,
    field: &str,
    negated: bool,
    specs: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (j, action) in specs.iter().enumerate() {
        let path = format!("/{index}/{field}/{j}");
        if let Err(err) = check_action(action) {
            diagnostics.push(Diagnostic::specifier(path, &err));
            continue;
        }
        check_costly_glob(
            action,
            (0, action.chars().count()),
            &path,
            "action",
            diagnostics,
        );
        let glob = Glob::new(action);
        if negated && glob == Glob::Any {
            diagnostics.push(Diagnostic::warning(
                "never_matches",
                path,
                "`notActions` with `*` excludes every action: this statement never matches",
            ));
        } else if !KNOWN_ACTIONS.iter().any(|known| glob.matches(known)) {
            let message = if action.contains('*') {
                format!("`{action}` matches no known action")
            } else {
                format!("`{action}` is not a known action")
            };
            diagnostics.push(Diagnostic::warning("unknown_action", path, message));
        }
    }
}

/// RFC 6901 escaping of one pointer token.
fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
