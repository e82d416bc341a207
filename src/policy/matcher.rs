//! Resource patterns compiled once (role attributes expanded, globs compiled) and matched without allocation.

use super::glob::Glob;
use super::resource::{SegmentSpans, TypeId};
use super::specifier::{self, Mode, NamePart, RawSegment, RawSpecifier};
use super::{Resource, SpecifierError};
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

    /// The bit of the last segment's type (see [`Resource::last_type_bit`]); every bit for the bare `*`.
    pub(crate) fn last_type_bits(&self) -> u64 {
        match self {
            ResourcePattern::Any => u64::MAX,
            ResourcePattern::Segments(segments) => segments
                .last()
                .map_or(u64::MAX, |segment| segment.ty_id.bit()),
        }
    }

    /// Whether the pattern matches the resource: same depth, same types, names and tags matching.
    #[inline]
    pub(crate) fn matches(&self, resource: &Resource) -> bool {
        match self {
            ResourcePattern::Any => true,
            ResourcePattern::Segments(patterns) => {
                let segments = resource.raw_segments();
                patterns.len() == segments.len()
                    && patterns
                        .iter()
                        .zip(segments)
                        .all(|(pattern, segment)| pattern.matches(segment, resource))
            }
        }
    }
}

impl SegmentPattern {
    /// Whether this pattern segment matches `segment` of `resource`: integers first, text only if needed.
    #[inline]
    fn matches(&self, segment: &SegmentSpans, resource: &Resource) -> bool {
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
            Some(spanned) => {
                let names = expand_name(&raw.name_parts, attrs).map_err(|count| {
                    SpecifierError::new(
                        "too_many_expansions",
                        format!(
                            "role attributes expand this name to {count} or more names; at most {MAX_EXPANSIONS} are allowed"
                        ),
                        spanned.chars.0,
                        spanned.chars.1,
                    )
                })?;
                NamePattern::OneOf(names.iter().map(|name| Glob::new(name)).collect())
            }
        };
        Ok(SegmentPattern {
            ty: raw.ty.text.into(),
            ty_id: TypeId::of(raw.ty.text),
            name,
            tags: raw.tags.iter().map(|tag| Glob::new(tag.text)).collect(),
        })
    }
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

    fn matches(pattern: &str, resource: &str) -> bool {
        ResourcePattern::compile(pattern, &RoleAttributes::new())
            .unwrap()
            .matches(&Resource::parse(resource).unwrap())
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
        assert!(pattern.matches(&Resource::parse("proj/web-1:env/prod").unwrap()));
        assert!(pattern.matches(&Resource::parse("proj/api-2:env/prod").unwrap()));
        assert!(!pattern.matches(&Resource::parse("proj/ios-1:env/prod").unwrap()));
        assert!(!pattern.matches(&Resource::parse("proj/web-1:env/dev").unwrap()));
    }

    #[test]
    fn missing_attribute_matches_nothing() {
        let pattern =
            ResourcePattern::compile("proj/${roleAttribute/none}", &RoleAttributes::new()).unwrap();
        assert!(!pattern.matches(&Resource::parse("proj/x").unwrap()));
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
