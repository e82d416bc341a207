//! Resource patterns compiled once (role attributes expanded, globs compiled) and matched without allocation.

use super::glob::Glob;
use super::resource::{SegmentSpans, TypeId};
use super::specifier::{self, Mode, NamePart, RawSegment, RawSpecifier};
use super::{Resource, SpecifierError, Truth};
use crate::model::RoleAttributes;

/// Upper bound on the names one specifier segment may expand to through role attributes, so that a
/// member with many attribute values cannot make a policy explode in size.
pub(crate) const MAX_EXPANSIONS: usize = 1024;

/// A compiled resource specifier.
#[derive(Clone, Debug)]
pub(crate) enum ResourcePattern {
    /// The bare `*`: every resource of every type and depth.
    Any,
    Segments(Box<[SegmentPattern]>),
}

#[derive(Clone, Debug)]
pub(crate) struct SegmentPattern {
    ty: Box<str>,
    ty_id: TypeId,
    name: NamePattern,
    /// Each must match at least one of the resource segment's tags (tags are AND).
    tags: Box<[Glob]>,
    /// `{property:value}` selectors: each must hold (AND); unknown when the resource does not state it.
    properties: Box<[(Box<str>, Glob)]>,
    /// `view:key` selectors: each must hold (AND); each is one or more alternatives (a role attribute
    /// expands to one per value), any of which may match one of the views the resource states.
    views: Box<[Box<[Glob]>]>,
}

#[derive(Clone, Debug)]
enum NamePattern {
    /// Nameless types (`acct`) match only nameless segments.
    Nameless,
    /// Any alternative may match (role attributes expand to one alternative per value). Empty when an
    /// attribute is missing: then the pattern matches nothing.
    OneOf(Box<[Glob]>),
}

impl ResourcePattern {
    /// Compiles a resource specifier, expanding `${roleAttribute/key}` from `attrs`.
    pub(crate) fn compile(spec: &str, attrs: &RoleAttributes) -> Result<Self, SpecifierError> {
        match specifier::parse(spec, Mode::Pattern)? {
            RawSpecifier::AnyResource => Ok(ResourcePattern::Any),
            RawSpecifier::Segments(segments) => segments
                .iter()
                .map(|segment| SegmentPattern::compile(segment, attrs))
                .collect::<Result<Vec<_>, _>>()
                .map(|segments| ResourcePattern::Segments(segments.into())),
        }
    }

    /// How many segments a matching resource has; `None` for the bare `*`, which matches every depth.
    pub(crate) fn depth(&self) -> Option<usize> {
        match self {
            ResourcePattern::Any => None,
            ResourcePattern::Segments(segments) => Some(segments.len()),
        }
    }

    /// The segments of the pattern, parent first; `None` for the bare `*`.
    pub(crate) fn segments(&self) -> Option<&[SegmentPattern]> {
        match self {
            ResourcePattern::Any => None,
            ResourcePattern::Segments(segments) => Some(segments),
        }
    }

    /// The bit of the last segment's type (see [`Resource::last_type_bit`]); every bit for the bare `*`.
    pub(crate) fn last_type_bits(&self) -> u64 {
        match self {
            ResourcePattern::Any => u64::MAX,
            ResourcePattern::Segments(segments) => segments
                .last()
                .map_or(u64::MAX, |segment| segment.ty_id.bit()),
        }
    }

    /// Whether the pattern matches every project whatever it states (`proj/*`, or the bare `*`): lets the view
    /// rule's check be settled once per policy instead of on every check.
    pub(crate) fn covers_every_project(&self) -> bool {
        match self {
            ResourcePattern::Any => true,
            ResourcePattern::Segments(segments) => match &segments[..] {
                [only] => {
                    only.ty_id == TypeId::PROJ
                        && only.tags.is_empty()
                        && only.properties.is_empty()
                        && only.views.is_empty()
                        && matches!(&only.name, NamePattern::OneOf(globs) if globs.contains(&Glob::Any))
                }
                _ => false,
            },
        }
    }

    /// Whether the pattern matches the first `depth` segments of the resource (all of them, usually; the
    /// project alone for the view rule): same depth, same types, names and tags matching, and each selector
    /// holding, or unknown where the resource does not state what a selector asks.
    #[inline]
    pub(crate) fn matches(&self, resource: &Resource, depth: usize) -> Truth {
        match self {
            ResourcePattern::Any => Truth::Yes,
            ResourcePattern::Segments(patterns) => {
                let segments = resource.raw_segments();
                let Some(segments) = segments.get(..depth) else {
                    return Truth::No;
                };
                if patterns.len() != segments.len() {
                    return Truth::No;
                }
                let mut truth = Truth::Yes;
                for (pattern, segment) in patterns.iter().zip(segments) {
                    truth = truth.and(pattern.matches(segment, resource));
                    if truth == Truth::No {
                        break;
                    }
                }
                truth
            }
        }
    }

    /// What the resource leaves out that this pattern asks about, as phrases for explanations: meaningful
    /// when [`ResourcePattern::matches`] is `Unknown`.
    pub(crate) fn unstated(&self, resource: &Resource, depth: usize, out: &mut Vec<String>) {
        let ResourcePattern::Segments(patterns) = self else {
            return;
        };
        for (index, (pattern, segment)) in patterns.iter().zip(resource.raw_segments()).enumerate()
        {
            let at = resource.prefix_text((index + 1).min(depth));
            for (property, _) in pattern.properties.iter() {
                if resource.property_of(segment, property).is_none() {
                    push_unique(out, format!("property \"{property}\" of {at}"));
                }
            }
            if !pattern.views.is_empty() && resource.views_of(segment).is_empty() {
                push_unique(out, format!("views of {at}"));
            }
        }
    }
}

fn push_unique(out: &mut Vec<String>, phrase: String) {
    if !out.contains(&phrase) {
        out.push(phrase);
    }
}

impl SegmentPattern {
    /// The type this segment matches, as written.
    pub(crate) fn resource_type(&self) -> &str {
        &self.ty
    }

    /// The name's alternatives; `None` for a nameless segment (`acct`).
    pub(crate) fn name_globs(&self) -> Option<&[Glob]> {
        match &self.name {
            NamePattern::Nameless => None,
            NamePattern::OneOf(globs) => Some(globs),
        }
    }

    /// The tag globs, each of which must match one of the segment's tags.
    pub(crate) fn tag_globs(&self) -> &[Glob] {
        &self.tags
    }

    /// The `{property:value}` selectors, as (property, value glob).
    pub(crate) fn property_globs(&self) -> &[(Box<str>, Glob)] {
        &self.properties
    }

    /// The view selectors, each a list of alternatives.
    pub(crate) fn view_globs(&self) -> &[Box<[Glob]>] {
        &self.views
    }

    /// Whether this pattern segment matches segment `index` of `resource` (`No` when there is none).
    pub(crate) fn matches_segment(&self, resource: &Resource, index: usize) -> Truth {
        match resource.raw_segments().get(index) {
            Some(segment) => self.matches(segment, resource),
            None => Truth::No,
        }
    }
}

impl SegmentPattern {
    /// Whether this pattern segment matches `segment` of `resource`: integers first, text only if needed,
    /// selectors last.
    #[inline]
    fn matches(&self, segment: &SegmentSpans, resource: &Resource) -> Truth {
        if !self.matches_plain(segment, resource) {
            return Truth::No;
        }
        if self.properties.is_empty() && self.views.is_empty() {
            return Truth::Yes;
        }
        let mut truth = Truth::Yes;
        for (property, value) in self.properties.iter() {
            match resource.property_of(segment, property) {
                Some((stated, key)) => {
                    if !value.matches_keyed(stated, key) {
                        return Truth::No;
                    }
                }
                None => truth = Truth::Unknown,
            }
        }
        if !self.views.is_empty() {
            let stated = resource.views_of(segment);
            if stated.is_empty() {
                return truth.and(Truth::Unknown);
            }
            for alternatives in self.views.iter() {
                let linked = alternatives.iter().any(|glob| {
                    stated
                        .iter()
                        .any(|(range, key)| glob.matches_lazy(key, || resource.text_at(*range)))
                });
                if !linked {
                    return Truth::No;
                }
            }
        }
        truth
    }

    /// Type, name and tags: what a resource always states.
    #[inline]
    fn matches_plain(&self, segment: &SegmentSpans, resource: &Resource) -> bool {
        self.ty_id == segment.ty_id
            && (self.ty_id != TypeId::UNKNOWN || *self.ty == *resource.type_text(segment))
            && match (&self.name, segment.name) {
                (NamePattern::Nameless, None) => true,
                (NamePattern::OneOf(globs), Some(range)) => globs
                    .iter()
                    .any(|glob| glob.matches_lazy(&segment.name_key, || resource.text_at(range))),
                _ => false,
            }
            && self.tags.iter().all(|tag| {
                resource
                    .tags_of(segment)
                    .iter()
                    .any(|(range, key)| tag.matches_lazy(key, || resource.text_at(*range)))
            })
    }
}

impl SegmentPattern {
    fn compile(raw: &RawSegment<'_>, attrs: &RoleAttributes) -> Result<Self, SpecifierError> {
        let name = match raw.name {
            None => NamePattern::Nameless,
            Some(spanned) => NamePattern::OneOf(expand_globs(
                &raw.name_parts,
                attrs,
                spanned.chars,
                "this name",
                "names",
            )?),
        };
        let views = raw
            .views
            .iter()
            .map(|view| expand_globs(&view.parts, attrs, view.key.chars, "this view", "keys"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SegmentPattern {
            ty: raw.ty.text.into(),
            ty_id: TypeId::of(raw.ty.text),
            name,
            tags: raw.tags.iter().map(|tag| Glob::new(tag.text)).collect(),
            properties: raw
                .properties
                .iter()
                .map(|p| (p.key.text.into(), Glob::new(p.value.text)))
                .collect(),
            views: views.into(),
        })
    }
}

/// The globs a name or a view key expands to through role attributes, or `too_many_expansions` over
/// [`MAX_EXPANSIONS`] (with the span of the text, `chars`, and `what` and `unit` for the message).
fn expand_globs(
    parts: &[NamePart<'_>],
    attrs: &RoleAttributes,
    chars: (usize, usize),
    what: &str,
    unit: &str,
) -> Result<Box<[Glob]>, SpecifierError> {
    // A name without role attributes is its one glob.
    if let [NamePart::Text(text)] = parts {
        return Ok(Box::new([Glob::new(text)]));
    }
    let names = expand_name(parts, attrs).map_err(|count| {
        SpecifierError::new(
            "too_many_expansions",
            format!(
                "role attributes expand {what} to {count} or more {unit}; at most {MAX_EXPANSIONS} are allowed"
            ),
            chars.0,
            chars.1,
        )
    })?;
    Ok(names.iter().map(|name| Glob::new(name)).collect())
}

/// Every name the parts expand to: the cartesian product of the attributes' values (textual substitution,
/// so a value's own `*` is a glob too). A missing or empty attribute yields no names at all.
/// `Err(count)` when the product would exceed [`MAX_EXPANSIONS`].
fn expand_name(parts: &[NamePart<'_>], attrs: &RoleAttributes) -> Result<Vec<String>, usize> {
    let mut names = vec![String::new()];
    for part in parts {
        match part {
            NamePart::Text(text) => names.iter_mut().for_each(|name| name.push_str(text)),
            NamePart::Attribute(key) => {
                let values = attrs.get(*key).map(Vec::as_slice).unwrap_or_default();
                let count = names.len().saturating_mul(values.len());
                if count > MAX_EXPANSIONS {
                    return Err(count);
                }
                names = names
                    .iter()
                    .flat_map(|name| values.iter().map(move |value| format!("{name}{value}")))
                    .collect();
            }
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &[&str])]) -> RoleAttributes {
        pairs
            .iter()
            .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
            .collect()
    }

    fn truth(pattern: &str, resource: &str) -> Truth {
        let resource = Resource::parse(resource).unwrap();
        ResourcePattern::compile(pattern, &RoleAttributes::new())
            .unwrap()
            .matches(&resource, resource.depth())
    }

    fn matches(pattern: &str, resource: &str) -> bool {
        truth(pattern, resource) == Truth::Yes
    }

    #[test]
    fn property_selectors_hold_fail_or_are_unknown() {
        let p = "proj/*:env/*;{critical:true}:flag/*";
        assert_eq!(
            truth(p, "proj/a:env/prod;{critical:true}:flag/x"),
            Truth::Yes
        );
        assert_eq!(
            truth(p, "proj/a:env/dev;{critical:false}:flag/x"),
            Truth::No
        );
        assert_eq!(truth(p, "proj/a:env/prod:flag/x"), Truth::Unknown);
        // A definite mismatch elsewhere settles it whatever is unknown.
        assert_eq!(truth(p, "proj/a:env/prod:segment/x"), Truth::No);
        assert_eq!(
            truth("proj/*:env/*;{critical:t*}", "proj/a:env/p;{critical:true}"),
            Truth::Yes
        );
        // Tags, selectors and views are ANDed.
        let both = "proj/*:env/*;fedramp,{critical:true}";
        assert_eq!(
            truth(both, "proj/a:env/p;fedramp,{critical:true}"),
            Truth::Yes
        );
        assert_eq!(truth(both, "proj/a:env/p;{critical:true}"), Truth::No);
        assert_eq!(truth(both, "proj/a:env/p;fedramp"), Truth::Unknown);
    }

    #[test]
    fn view_selectors_need_a_stated_view() {
        let p = "proj/p:env/*:flag/*;view:web";
        assert_eq!(truth(p, "proj/p:env/e:flag/f;view:web"), Truth::Yes);
        assert_eq!(
            truth(p, "proj/p:env/e:flag/f;view:mobile,view:web"),
            Truth::Yes
        );
        assert_eq!(truth(p, "proj/p:env/e:flag/f;view:mobile"), Truth::No);
        assert_eq!(truth(p, "proj/p:env/e:flag/f"), Truth::Unknown);
        let attrs = attrs(&[("viewKeys", &["web", "api"])]);
        let pattern =
            ResourcePattern::compile("proj/p:env/*:flag/*;view:${roleAttribute/viewKeys}", &attrs)
                .unwrap();
        let api = Resource::parse("proj/p:env/e:flag/f;view:api").unwrap();
        assert_eq!(pattern.matches(&api, 3), Truth::Yes);
        let ios = Resource::parse("proj/p:env/e:flag/f;view:ios").unwrap();
        assert_eq!(pattern.matches(&ios, 3), Truth::No);
    }

    #[test]
    fn unstated_names_what_is_missing() {
        let resource = Resource::parse("proj/a:env/prod:flag/x").unwrap();
        let pattern = ResourcePattern::compile(
            "proj/*:env/*;{critical:true}:flag/*;view:web",
            &RoleAttributes::new(),
        )
        .unwrap();
        let mut out = Vec::new();
        pattern.unstated(&resource, 3, &mut out);
        assert_eq!(
            out,
            [
                "property \"critical\" of proj/a:env/prod",
                "views of proj/a:env/prod:flag/x"
            ]
        );
    }

    #[test]
    fn prefix_matching_for_the_project() {
        let resource = Resource::parse("proj/a;beta:env/prod:flag/x").unwrap();
        let pattern = ResourcePattern::compile("proj/*;beta", &RoleAttributes::new()).unwrap();
        assert_eq!(pattern.matches(&resource, 1), Truth::Yes);
        assert_eq!(pattern.matches(&resource, 3), Truth::No);
        assert_eq!(resource.prefix_text(1), "proj/a;beta");
    }

    #[test]
    fn same_depth_and_types_required() {
        assert!(matches("proj/*", "proj/mobile"));
        assert!(!matches("proj/*", "proj/mobile:env/production"));
        assert!(!matches("proj/*:env/*", "proj/mobile"));
        assert!(!matches("proj/*", "segment/mobile"));
        assert!(matches("proj/*:env/prod*", "proj/a:env/production"));
        assert!(!matches("proj/*:env/prod*", "proj/a:env/staging"));
        assert!(matches("*", "proj/a:env/b:flag/c"));
        assert!(matches("acct", "acct"));
        assert!(!matches("acct", "acct:proj/a"));
    }

    #[test]
    fn names_are_case_sensitive_and_globbed_anywhere() {
        assert!(!matches("proj/Mobile", "proj/mobile"));
        assert!(!matches("Proj/mobile", "proj/mobile"));
        assert!(matches("proj/mob*le", "proj/mobile"));
        assert!(matches("proj/*-web", "proj/shop-web"));
        assert!(!matches("proj/*-web", "proj/shop-webx"));
    }

    #[test]
    fn tags_are_and_and_globbed() {
        assert!(matches("proj/*;beta", "proj/a;beta"));
        assert!(matches("proj/*;beta", "proj/a;alpha,beta"));
        assert!(!matches("proj/*;beta", "proj/a"));
        assert!(!matches("proj/*;beta,ios", "proj/a;beta"));
        assert!(matches("proj/*;beta,ios", "proj/a;ios,beta"));
        assert!(matches("env/*;qa_*", "env/x;qa_team"));
        assert!(!matches("env/*;qa_*", "env/x;prod"));
        assert!(
            matches("proj/*", "proj/a;beta"),
            "untagged pattern accepts tags"
        );
        assert!(matches(
            "proj/mobile;beta:env/production",
            "proj/mobile;beta:env/production"
        ));
    }

    #[test]
    fn role_attributes_expand_to_each_value() {
        let attrs = attrs(&[("projects", &["web", "api"]), ("envs", &["prod"])]);
        let pattern = ResourcePattern::compile(
            "proj/${roleAttribute/projects}-*:env/${roleAttribute/envs}",
            &attrs,
        )
        .unwrap();
        let yes = |r: &str| pattern.matches(&Resource::parse(r).unwrap(), 2) == Truth::Yes;
        assert!(yes("proj/web-1:env/prod"));
        assert!(yes("proj/api-2:env/prod"));
        assert!(!yes("proj/ios-1:env/prod"));
        assert!(!yes("proj/web-1:env/dev"));
    }

    #[test]
    fn missing_attribute_matches_nothing() {
        let pattern =
            ResourcePattern::compile("proj/${roleAttribute/none}", &RoleAttributes::new()).unwrap();
        assert_eq!(
            pattern.matches(&Resource::parse("proj/x").unwrap(), 1),
            Truth::No
        );
    }

    #[test]
    fn expansion_is_bounded() {
        let many: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let mut attrs = RoleAttributes::new();
        attrs.insert("a".into(), many.clone());
        attrs.insert("b".into(), many);
        let err = ResourcePattern::compile("proj/${roleAttribute/a}${roleAttribute/b}", &attrs)
            .unwrap_err();
        assert_eq!(err.code, "too_many_expansions");
    }
}
