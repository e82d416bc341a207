//! Concrete resources: what a check is about, such as `proj/mobile;beta:env/production;{critical:true}:flag/new-ui;view:web`.
//!
//! A concrete resource states what it carries: its tags, its properties (`{critical:true}`) and the views it is
//! linked to (`view:web`). Tags not written are absent. Properties and views not written are *unknown*: a
//! policy that selects on them gets an indeterminate answer, never a guess. A segment that names at least one
//! view names all of its views.

use super::glob::Key;
use super::specifier::{self, Mode, RawSpecifier};
use super::{SpecifierError, KNOWN_RESOURCE_TYPES};
use crate::json::{JsonOut, ObjectBuilder, ToJson};
use serde::Serialize;

/// One segment of a parsed specifier, for display and for JavaScript (`parseResource`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSegment {
    /// The segment's type, such as `proj` or `env`; `*` for the specifier that matches any resource.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Empty for nameless types such as `acct`.
    pub name: String,
    /// The tags written after `;`, in written order.
    pub tags: Vec<String>,
    /// The property selectors (`{critical:true}`), in written order.
    pub properties: Vec<PropertySelector>,
    /// The views (`view:web`), in written order.
    pub views: Vec<String>,
}

/// A property-based selector of a segment: `{key:value}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PropertySelector {
    /// The property, such as `critical`.
    pub key: String,
    /// The value it must have (a pattern's may hold `*` globs), such as `true`.
    pub value: String,
}

impl ToJson for ResourceSegment {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("type", &self.resource_type)
            .field("name", &self.name)
            .field("tags", &self.tags)
            .field("properties", &self.properties)
            .field("views", &self.views)
            .end()
    }
}

impl ToJson for PropertySelector {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("key", &self.key)
            .field("value", &self.value)
            .end()
    }
}

/// Parses a resource specifier (pattern syntax: globs and role attributes allowed) into its segments.
pub fn parse_resource(spec: &str) -> Result<Vec<ResourceSegment>, SpecifierError> {
    match specifier::parse(spec, Mode::Pattern)? {
        RawSpecifier::AnyResource => Ok(vec![ResourceSegment {
            resource_type: "*".to_string(),
            name: String::new(),
            tags: Vec::new(),
            properties: Vec::new(),
            views: Vec::new(),
        }]),
        RawSpecifier::Segments(segments) => Ok(segments
            .iter()
            .map(|segment| ResourceSegment {
                resource_type: segment.ty.text.to_string(),
                name: segment.name.map(|n| n.text.to_string()).unwrap_or_default(),
                tags: segment.tags.iter().map(|t| t.text.to_string()).collect(),
                properties: segment
                    .properties
                    .iter()
                    .map(|p| PropertySelector {
                        key: p.key.text.to_string(),
                        value: p.value.text.to_string(),
                    })
                    .collect(),
                views: segment
                    .views
                    .iter()
                    .map(|v| v.key.text.to_string())
                    .collect(),
            })
            .collect()),
    }
}

/// Byte range into `Resource::text`; `u32` keeps a segment small (resource strings are short).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ByteRange {
    start: u32,
    end: u32,
}

impl ByteRange {
    fn new(range: (usize, usize)) -> Self {
        ByteRange {
            start: range.0 as u32,
            end: range.1 as u32,
        }
    }
}

/// A resource type as a small number when it is one of [`KNOWN_RESOURCE_TYPES`], so that comparing two
/// types is comparing two integers. Unknown types share [`TypeId::UNKNOWN`] and are compared as strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TypeId(u16);

impl TypeId {
    pub(crate) const UNKNOWN: TypeId = TypeId(u16::MAX);
    /// `proj`, the first of [`KNOWN_RESOURCE_TYPES`] (a test checks it stays first).
    pub(crate) const PROJ: TypeId = TypeId(0);

    /// One bit per known type (types past the 63rd, and unknown ones, share bit 63).
    #[inline]
    pub(crate) fn bit(self) -> u64 {
        1 << self.0.min(63)
    }

    pub(crate) fn of(ty: &str) -> TypeId {
        // The three types nearly every resource is made of, without the search (a test checks the numbers).
        match ty {
            "proj" => return TypeId(0),
            "env" => return TypeId(1),
            "flag" => return TypeId(2),
            _ => {}
        }
        KNOWN_RESOURCE_TYPES
            .iter()
            .position(|known| *known == ty)
            .map_or(TypeId::UNKNOWN, |index| TypeId(index as u16))
    }
}

/// The ASCII bytes a set holds, as a table (a table rather than a 128-bit mask: WebAssembly has no 128-bit
/// shift, and the module would call a helper for each byte).
const fn byte_set(bytes: &[u8]) -> [bool; 128] {
    let mut set = [false; 128];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// Whether `byte` is in `set` (never for a byte past ASCII).
#[inline]
fn in_set(set: &[bool; 128], byte: u8) -> bool {
    set.get(usize::from(byte)).copied().unwrap_or(false)
}

/// What the parser accepts in a resource type: ASCII letters, digits, `-` and `_`.
const TYPE_BYTES: [bool; 128] =
    byte_set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

/// What the parser accepts in a concrete name, of ASCII: printable characters other than the separators
/// (`:`, `;`) and those it refuses in a name (`/`, `,`, `$`, `{`, `}`); no space or control character.
const NAME_BYTES: [bool; 128] = byte_set(
    b"!\"#%&'()*+-.0123456789<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz|~",
);

/// One segment of a [`Resource`]: where its parts are in the text, and what the matcher compares first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SegmentSpans {
    ty: ByteRange,
    pub(crate) ty_id: TypeId,
    /// `None` for nameless types.
    pub(crate) name: Option<ByteRange>,
    pub(crate) name_key: Key,
    /// Index range into `Resource::tags`.
    tags_from: u32,
    tags_to: u32,
    /// Index range into `Resource::properties`.
    props_from: u32,
    props_to: u32,
    /// Index range into `Resource::views`; empty when the segment states no views (they are unknown).
    views_from: u32,
    views_to: u32,
}

/// A concrete resource, parsed once into spans of its own text so that checking it never allocates.
///
/// A resource a caller asks about ([`Resource::parse`]) holds no `*` and no control character: a check answers
/// for one resource, and a `*` here would be matched as an ordinary character (a policy's `env/*` matches an
/// environment named `*`), answering "every environment" with what holds for one. The core builds a few
/// resources with a `*` name on purpose (a create is checked against `member/<id>:token/*`, where the `*` is
/// a name that a policy's `member/*:token/*` matches); those take [`Resource::parse_allowing_stars`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    text: Box<str>,
    segments: Box<[SegmentSpans]>,
    tags: Box<[(ByteRange, Key)]>,
    /// `(property, value, key of the value)` of every segment.
    properties: Box<[(ByteRange, ByteRange, Key)]>,
    views: Box<[(ByteRange, Key)]>,
    /// [`TypeId::bit`] of the last segment's type, for a quick "which statements could apply".
    last_type_bit: u64,
}

/// A borrowed view of one segment of a [`Resource`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentRef<'r> {
    resource: &'r Resource,
    index: usize,
}

impl Resource {
    /// Parses a concrete resource: what a check is about. `*` (`wildcard`) and control characters
    /// (`bad_character`) are refused wherever they are, with their span. Resource strings longer than 4 GiB are
    /// rejected (spans are 32-bit).
    pub fn parse(spec: &str) -> Result<Resource, SpecifierError> {
        specifier::refuse_wildcards(spec, "resource")?;
        Resource::parse_allowing_stars(spec)
    }

    /// [`Resource::parse`] of a string the caller hands over: the resource keeps it as its text rather than
    /// a copy (a resource received from JavaScript is copied into the module once, not twice).
    pub fn parse_owned(spec: String) -> Result<Resource, SpecifierError> {
        specifier::refuse_wildcards(&spec, "resource")?;
        match Resource::plain_segments(&spec) {
            Some(segments) => Ok(Resource::plain(spec.into_boxed_str(), segments)),
            None => Resource::parse_allowing_stars(&spec),
        }
    }

    /// A resource the core builds itself, in which `*` is an ordinary name character: `member/<id>:token/*`,
    /// checked for a create. Never for a resource a caller gives (see [`Resource`]).
    pub(crate) fn parse_allowing_stars(spec: &str) -> Result<Resource, SpecifierError> {
        if spec.len() > u32::MAX as usize {
            return Err(SpecifierError::new(
                "too_long",
                "the resource is too long",
                0,
                0,
            ));
        }
        match Resource::plain_segments(spec) {
            Some(segments) => Ok(Resource::plain(spec.into(), segments)),
            None => Resource::parse_general(spec),
        }
    }

    /// [`Resource::parse`] by the grammar's parser, for every resource (and every error).
    fn parse_general(spec: &str) -> Result<Resource, SpecifierError> {
        let RawSpecifier::Segments(raw) = specifier::parse(spec, Mode::Concrete)? else {
            // Concrete mode never yields AnyResource; report rather than panic should that change.
            return Err(SpecifierError::new(
                "bad_character",
                "`*` alone is a pattern, not a resource",
                0,
                1,
            ));
        };
        let mut tags = Vec::new();
        let mut properties = Vec::new();
        let mut views = Vec::new();
        let mut segments = Vec::with_capacity(raw.len());
        for segment in &raw {
            let tags_from = tags.len() as u32;
            tags.extend(
                segment
                    .tags
                    .iter()
                    .map(|tag| (ByteRange::new(tag.bytes), Key::of(tag.text))),
            );
            let props_from = properties.len() as u32;
            for (i, property) in segment.properties.iter().enumerate() {
                // A resource has one value per property: two different ones say nothing true.
                if let Some(other) = segment.properties[..i]
                    .iter()
                    .find(|earlier| earlier.key.text == property.key.text)
                {
                    if other.value.text != property.value.text {
                        return Err(SpecifierError::new(
                            "conflicting_property",
                            format!("the property `{}` is given two values", property.key.text),
                            property.whole.chars.0,
                            property.whole.chars.1,
                        ));
                    }
                }
                properties.push((
                    ByteRange::new(property.key.bytes),
                    ByteRange::new(property.value.bytes),
                    Key::of(property.value.text),
                ));
            }
            let views_from = views.len() as u32;
            views.extend(
                segment
                    .views
                    .iter()
                    .map(|view| (ByteRange::new(view.key.bytes), Key::of(view.key.text))),
            );
            segments.push(SegmentSpans {
                ty: ByteRange::new(segment.ty.bytes),
                ty_id: TypeId::of(segment.ty.text),
                name: segment.name.map(|name| ByteRange::new(name.bytes)),
                name_key: segment
                    .name
                    .map(|name| Key::of(name.text))
                    .unwrap_or_default(),
                tags_from,
                tags_to: tags.len() as u32,
                props_from,
                props_to: properties.len() as u32,
                views_from,
                views_to: views.len() as u32,
            });
        }
        let last_type_bit = segments
            .last()
            .map_or(u64::MAX, |segment| segment.ty_id.bit());
        Ok(Resource {
            last_type_bit,
            text: spec.into(),
            segments: segments.into(),
            tags: tags.into(),
            properties: properties.into(),
            views: views.into(),
        })
    }

    /// The common case without the general parser: ASCII `type/name` segments joined by `:`, with no
    /// modifiers (`;`). `None` for anything else, valid or not, which the general parser then reads, so the
    /// answers (and every error) are the parser's. Two allocations: the text and the segments.
    fn plain_segments(spec: &str) -> Option<Vec<SegmentSpans>> {
        if spec.len() > u32::MAX as usize {
            return None;
        }
        let bytes = spec.as_bytes();
        let mut segments = Vec::with_capacity(bytes.iter().filter(|b| **b == b':').count() + 1);
        let mut at = 0;
        loop {
            let ty_start = at;
            at += bytes[at..]
                .iter()
                .take_while(|b| in_set(&TYPE_BYTES, **b))
                .count();
            let ty = ByteRange::new((ty_start, at));
            let ty_text = spec.get(ty_start..at)?;
            let name = if bytes.get(at) == Some(&b'/') {
                at += 1;
                let name_start = at;
                at += bytes[at..]
                    .iter()
                    .take_while(|b| in_set(&NAME_BYTES, **b))
                    .count();
                if at == name_start {
                    return None;
                }
                Some(ByteRange::new((name_start, at)))
            } else if specifier::NAMELESS_TYPES.contains(&ty_text) {
                None
            } else {
                return None;
            };
            if ty_text.is_empty() {
                return None;
            }
            segments.push(SegmentSpans {
                ty,
                ty_id: TypeId::of(ty_text),
                name,
                name_key: name.map_or_else(Key::default, |range| {
                    Key::of(
                        spec.get(range.start as usize..range.end as usize)
                            .unwrap_or_default(),
                    )
                }),
                tags_from: 0,
                tags_to: 0,
                props_from: 0,
                props_to: 0,
                views_from: 0,
                views_to: 0,
            });
            match bytes.get(at) {
                None => break,
                // A `:` must be followed by another segment; an empty one is refused by the parser.
                Some(b':') if at + 1 < bytes.len() => at += 1,
                Some(_) => return None,
            }
        }
        Some(segments)
    }

    /// A resource read by [`Resource::plain_segments`] (never empty), over its text.
    fn plain(text: Box<str>, segments: Vec<SegmentSpans>) -> Resource {
        Resource {
            last_type_bit: segments
                .last()
                .map_or(u64::MAX, |segment| segment.ty_id.bit()),
            text,
            segments: segments.into(),
            tags: Box::default(),
            properties: Box::default(),
            views: Box::default(),
        }
    }

    /// The resource as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How many segments (`proj/a:env/b` has two).
    pub fn depth(&self) -> usize {
        self.segments.len()
    }

    /// The bit of the type of segment `depth - 1`: [`Resource::last_type_bit`] of the first `depth` segments.
    #[inline]
    pub(crate) fn type_bit_at(&self, depth: usize) -> u64 {
        if depth == self.segments.len() {
            return self.last_type_bit;
        }
        depth
            .checked_sub(1)
            .and_then(|last| self.segments.get(last))
            .map_or(u64::MAX, |segment| segment.ty_id.bit())
    }

    /// Whether the resource is a project or lies under one (`proj/<key>...`): the view rule applies.
    #[inline]
    pub(crate) fn is_in_project(&self) -> bool {
        self.segments
            .first()
            .is_some_and(|segment| segment.ty_id == TypeId::PROJ)
    }

    /// The segments as the matcher reads them.
    #[inline]
    pub(crate) fn raw_segments(&self) -> &[SegmentSpans] {
        &self.segments
    }

    /// The type of a segment of this resource, as text.
    #[inline]
    pub(crate) fn type_text(&self, segment: &SegmentSpans) -> &str {
        self.slice(segment.ty)
    }

    /// A part of this resource's text.
    #[inline]
    pub(crate) fn text_at(&self, range: ByteRange) -> &str {
        self.slice(range)
    }

    /// The tags of a segment of this resource, with their keys.
    #[inline]
    pub(crate) fn tags_of(&self, segment: &SegmentSpans) -> &[(ByteRange, Key)] {
        self.tags
            .get(segment.tags_from as usize..segment.tags_to as usize)
            .unwrap_or_default()
    }

    /// The value a segment states for `property`; `None` when it does not say.
    #[inline]
    pub(crate) fn property_of(
        &self,
        segment: &SegmentSpans,
        property: &str,
    ) -> Option<(&str, &Key)> {
        self.properties_of(segment)
            .iter()
            .find(|(key, _, _)| self.slice(*key) == property)
            .map(|(_, value, value_key)| (self.slice(*value), value_key))
    }

    /// The properties a segment states, as `(property, value, key of the value)`.
    #[inline]
    fn properties_of(&self, segment: &SegmentSpans) -> &[(ByteRange, ByteRange, Key)] {
        self.properties
            .get(segment.props_from as usize..segment.props_to as usize)
            .unwrap_or_default()
    }

    /// The views a segment states it is linked to; empty when it does not say.
    #[inline]
    pub(crate) fn views_of(&self, segment: &SegmentSpans) -> &[(ByteRange, Key)] {
        self.views
            .get(segment.views_from as usize..segment.views_to as usize)
            .unwrap_or_default()
    }

    /// The resource's first `depth` segments as text (`proj/p:env/e` of `proj/p:env/e:flag/f`), for
    /// explanations.
    pub(crate) fn prefix_text(&self, depth: usize) -> &str {
        match self.segments.get(depth) {
            // The `:` before the next segment's type ends the prefix.
            Some(next) => self
                .text
                .get(..(next.ty.start as usize).saturating_sub(1))
                .unwrap_or_default(),
            None => &self.text,
        }
    }

    /// The segments, parent first.
    pub fn segments(&self) -> impl ExactSizeIterator<Item = SegmentRef<'_>> + '_ {
        (0..self.segments.len()).map(move |index| SegmentRef {
            resource: self,
            index,
        })
    }

    /// Owned copies of the segments.
    pub fn to_segments(&self) -> Vec<ResourceSegment> {
        self.segments()
            .map(|segment| ResourceSegment {
                resource_type: segment.resource_type().to_string(),
                name: segment.name().unwrap_or_default().to_string(),
                tags: segment.tags().map(str::to_string).collect(),
                properties: segment.properties(),
                views: segment.views(),
            })
            .collect()
    }

    #[inline]
    fn slice(&self, range: ByteRange) -> &str {
        // Ranges come from the parser over this very text, so they lie on character boundaries.
        self.text
            .get(range.start as usize..range.end as usize)
            .unwrap_or_default()
    }
}

impl std::str::FromStr for Resource {
    type Err = SpecifierError;
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        Resource::parse(spec)
    }
}

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'r> SegmentRef<'r> {
    #[inline]
    fn spans(&self) -> &'r SegmentSpans {
        &self.resource.segments[self.index]
    }

    /// The segment's type, such as `proj`.
    #[inline]
    pub fn resource_type(&self) -> &'r str {
        self.resource.slice(self.spans().ty)
    }

    /// The segment's name; `None` for nameless types such as `acct`.
    #[inline]
    pub fn name(&self) -> Option<&'r str> {
        self.spans().name.map(|range| self.resource.slice(range))
    }

    /// The tags the segment carries.
    #[inline]
    pub fn tags(&self) -> impl Iterator<Item = &'r str> + 'r {
        self.keyed_tags().map(|(tag, _)| tag)
    }

    /// The property selectors the segment states.
    pub fn properties(&self) -> Vec<PropertySelector> {
        let resource = self.resource;
        resource
            .properties_of(self.spans())
            .iter()
            .map(|(key, value, _)| PropertySelector {
                key: resource.slice(*key).to_string(),
                value: resource.slice(*value).to_string(),
            })
            .collect()
    }

    /// The views the segment states it is linked to.
    pub fn views(&self) -> Vec<String> {
        self.resource
            .views_of(self.spans())
            .iter()
            .map(|(range, _)| self.resource.slice(*range).to_string())
            .collect()
    }

    /// The tags with their keys.
    #[inline]
    pub(crate) fn keyed_tags(&self) -> impl Iterator<Item = (&'r str, &'r Key)> + 'r {
        let spans = self.spans();
        let resource = self.resource;
        resource
            .tags
            .get(spans.tags_from as usize..spans.tags_to as usize)
            .unwrap_or_default()
            .iter()
            .map(move |(range, key)| (resource.slice(*range), key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_resource_keeps_spans_of_its_text() {
        let resource = Resource::parse("proj/mobile;beta,ios:env/production").unwrap();
        assert_eq!(resource.depth(), 2);
        let segments: Vec<_> = resource.segments().collect();
        assert_eq!(segments[0].resource_type(), "proj");
        assert_eq!(segments[0].name(), Some("mobile"));
        assert_eq!(segments[0].tags().collect::<Vec<_>>(), ["beta", "ios"]);
        assert_eq!(segments[1].resource_type(), "env");
        assert_eq!(segments[1].name(), Some("production"));
        assert_eq!(segments[1].tags().count(), 0);
        assert_eq!(resource.to_string(), "proj/mobile;beta,ios:env/production");
    }

    #[test]
    fn star_is_an_ordinary_character_in_a_resource_the_core_builds() {
        let resource = Resource::parse_allowing_stars("member/abc:token/*").unwrap();
        assert_eq!(resource.segments().nth(1).unwrap().name(), Some("*"));
        assert!(Resource::parse_allowing_stars("*").is_err());
        let err = Resource::parse("proj/${roleAttribute/x}").unwrap_err();
        assert_eq!(err.code, "bad_character");
    }

    #[test]
    fn a_resource_asked_about_holds_no_star_and_no_control_character() {
        for (spec, code, at) in [
            ("member/abc:token/*", "wildcard", 17),
            ("proj/mobile:env/*:flag/checkout", "wildcard", 16),
            ("proj/mobile-*", "wildcard", 12),
            ("proj/p;beta*", "wildcard", 11),
            ("proj/p:env/e;{critical:*}", "wildcard", 23),
            ("proj/p:flag/f;view:*", "wildcard", 19),
            ("*", "wildcard", 0),
            ("proj/é*", "wildcard", 6),
            ("proj/a\0b", "bad_character", 6),
            ("proj/a\nb", "bad_character", 6),
            ("proj/a:env/\u{7f}", "bad_character", 11),
        ] {
            for err in [
                Resource::parse(spec).unwrap_err(),
                Resource::parse_owned(spec.to_owned()).unwrap_err(),
            ] {
                assert_eq!(err.code, code, "{spec:?}: {err}");
                assert_eq!(err.span, crate::policy::Span::new(at, at + 1), "{spec:?}");
            }
        }
    }

    /// The short path reads exactly what the parser reads, and leaves everything else to it; a resource asked
    /// about is the same but for `*` and control characters, which it refuses first.
    fn plain_agrees_with_the_parser(spec: &str) {
        let general = Resource::parse_general(spec);
        match Resource::plain_segments(spec).map(|segments| Resource::plain(spec.into(), segments))
        {
            Some(plain) => assert_eq!(Ok(&plain), general.as_ref(), "{spec:?}"),
            None => assert!(
                general.is_err() || spec.contains(';') || !spec.is_ascii(),
                "{spec:?} is plain and valid but took the long way"
            ),
        }
        assert_eq!(Resource::parse_allowing_stars(spec), general, "{spec:?}");
        let refused = spec.contains('*') || spec.chars().any(char::is_control);
        for asked in [
            Resource::parse(spec),
            Resource::parse_owned(spec.to_owned()),
        ] {
            if refused {
                assert!(asked.is_err(), "{spec:?}");
            } else {
                assert_eq!(asked, general, "{spec:?}");
            }
        }
    }

    #[test]
    fn the_short_path_byte_sets() {
        for byte in 0..=255u8 {
            let name = (0x21..=0x7e).contains(&byte) && !b":;/,${}".contains(&byte);
            assert_eq!(in_set(&NAME_BYTES, byte), name, "{byte}");
            let ty = byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
            assert_eq!(in_set(&TYPE_BYTES, byte), ty, "{byte}");
        }
    }

    #[test]
    fn the_short_path_agrees_with_the_parser() {
        for spec in [
            "proj/mobile:env/production:flag/new-ui",
            "acct",
            "acct:proj/x",
            "ip-allowlist",
            "proj/a-b_c.d*e",
            "member/abc:token/*",
            "proj/x:unknown-type/y",
            "code-reference-repository/r",
            "",
            ":",
            "proj",
            "proj/",
            "proj/x:",
            "proj/x::env/y",
            "/x",
            "proj//x",
            "proj/x/y",
            "proj/a b",
            "proj/a\tb",
            "proj/$x",
            "proj/{x}",
            "proj/a,b",
            "proj/x;tag",
            "proj/é",
            "proj/x:acct",
            "pr*j/x",
            "proj/x:env",
            "acct/x",
            "proj/~!@#%^&*()+=",
            "proj/x\u{7f}",
            "proj/x:env/y:flag/z:segment/s:metric/m",
        ] {
            plain_agrees_with_the_parser(spec);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_short_path_agrees_with_the_parser_on_anything(spec in "[a-z:/;*$,{} \t\u{7f}é-]{0,12}") {
            plain_agrees_with_the_parser(&spec);
        }
    }

    #[test]
    fn proj_is_the_first_known_type() {
        assert_eq!(TypeId::of("proj"), TypeId::PROJ);
        for (index, ty) in KNOWN_RESOURCE_TYPES.iter().enumerate() {
            assert_eq!(TypeId::of(ty), TypeId(index as u16), "{ty}");
        }
    }

    #[test]
    fn concrete_resources_state_properties_and_views() {
        let resource =
            Resource::parse("proj/p:env/production;{critical:true}:flag/x;view:web,view:api")
                .unwrap();
        let segments = resource.to_segments();
        assert_eq!(
            segments[1].properties,
            [PropertySelector {
                key: "critical".into(),
                value: "true".into()
            }]
        );
        assert_eq!(segments[2].views, ["web", "api"]);
        assert!(segments[0].views.is_empty());
        let err = Resource::parse("proj/p:env/e;{critical:true},{critical:false}").unwrap_err();
        assert_eq!(err.code, "conflicting_property");
        assert_eq!(
            Resource::parse("proj/p;view:${roleAttribute/x}")
                .unwrap_err()
                .code,
            "bad_character"
        );
    }

    #[test]
    fn parse_resource_gives_selectors_and_views() {
        let segments =
            parse_resource("proj/*:env/*;{critical:true},qa:flag/*;view:${roleAttribute/viewKeys}")
                .unwrap();
        assert_eq!(segments[1].tags, ["qa"]);
        assert_eq!(segments[1].properties[0].key, "critical");
        assert_eq!(segments[2].views, ["${roleAttribute/viewKeys}"]);
    }

    #[test]
    fn nameless_types() {
        let resource = Resource::parse("acct").unwrap();
        assert_eq!(resource.segments().next().unwrap().name(), None);
        assert_eq!(Resource::parse("proj").unwrap_err().code, "missing_name");
    }

    #[test]
    fn parse_resource_gives_segments() {
        let segments = parse_resource("proj/mobile-*;beta:env/${roleAttribute/envs}").unwrap();
        assert_eq!(
            segments,
            vec![
                ResourceSegment {
                    resource_type: "proj".into(),
                    name: "mobile-*".into(),
                    tags: vec!["beta".into()],
                    properties: vec![],
                    views: vec![],
                },
                ResourceSegment {
                    resource_type: "env".into(),
                    name: "${roleAttribute/envs}".into(),
                    tags: vec![],
                    properties: vec![],
                    views: vec![],
                },
            ]
        );
        let json = serde_json::to_value(&segments[0]).unwrap();
        assert_eq!(json["type"], "proj");
    }

    #[test]
    fn syntax_errors_have_codes_and_character_spans() {
        let cases: &[(&str, &str, (usize, usize))] = &[
            ("", "empty_specifier", (0, 0)),
            ("/x", "missing_type", (0, 1)),
            ("proj/", "missing_name", (4, 5)),
            ("proj", "missing_name", (0, 4)),
            ("proj/a:", "missing_type", (6, 7)),
            ("proj/a::env/b", "missing_type", (7, 8)),
            ("proj/a b", "bad_character", (6, 7)),
            ("proj/a/b", "bad_character", (6, 7)),
            ("pr*j/a", "bad_character", (2, 3)),
            ("proj/a;", "empty_tag", (6, 7)),
            ("proj/a;x,,y", "empty_tag", (8, 9)),
            ("proj/${roleAttribute/x", "unterminated_attribute", (5, 22)),
            ("proj/${team/x}", "bad_attribute", (5, 14)),
            ("proj/${roleAttribute/}", "empty_attribute_key", (5, 22)),
            ("proj/a;${roleAttribute/x}", "bad_character", (7, 8)),
            ("prøj/é é", "bad_character", (2, 3)),
            ("proj/é é", "bad_character", (6, 7)),
            // Property-based selectors and views.
            ("env/x;{critical}", "bad_selector", (6, 16)),
            ("env/x;{:x}", "empty_selector_key", (6, 8)),
            ("env/x;{critical:}", "empty_selector_value", (6, 17)),
            ("env/x;{critical:true", "unterminated_selector", (6, 20)),
            (
                "env/x;{critical:true,beta}",
                "unterminated_selector",
                (6, 20),
            ),
            ("env/x;critical:true}", "bad_character", (19, 20)),
            ("env/x;beta}", "unbalanced_selector", (10, 11)),
            ("env/x;{a:b:c}", "bad_selector", (6, 11)),
            ("flag/x;view:", "empty_view", (7, 12)),
            ("flag/x;view:,beta", "empty_view", (7, 12)),
            ("flag/x;be{ta", "bad_character", (9, 10)),
        ];
        for (spec, code, (start, end)) in cases {
            let err = parse_resource(spec).unwrap_err();
            assert_eq!(err.code, *code, "{spec}: {err}");
            assert_eq!(
                err.span,
                crate::policy::Span::new(*start, *end),
                "{spec}: {err}"
            );
            assert!(!err.message.is_empty());
        }
    }
}
