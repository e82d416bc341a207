//! The grammar of resource specifiers, shared by patterns (what policies say) and concrete resources (what is
//! checked): `type/name;modifier,modifier:child/name...`, where each modifier after `;` is a tag (`beta`), a
//! property-based selector (`{critical:true}`) or a view (`view:web`), all ANDed (LaunchDarkly's docs "Using
//! resources" and "Views").
//!
//! Parsing works on characters, not bytes, so that every error span is a character range a person (or a
//! JavaScript string) can use directly.

use super::SpecifierError;

/// Resource types that have no name part (`acct`, not `acct/x`).
pub(crate) const NAMELESS_TYPES: &[&str] = &["acct", "ip-allowlist"];

/// The literal prefix of a role-attribute reference inside a name.
const ATTRIBUTE_PREFIX: &str = "${roleAttribute/";

/// Whether `*` and `${roleAttribute/...}` are syntax (a pattern) or just characters (a concrete resource).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Pattern,
    Concrete,
}

/// One piece of a name: literal text (may hold `*` globs in a pattern) or a role-attribute reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NamePart<'a> {
    Text(&'a str),
    Attribute(&'a str),
}

/// A parsed text with its character span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Spanned<'a> {
    pub text: &'a str,
    /// Byte range in the specifier (for slicing without re-scanning).
    pub bytes: (usize, usize),
    /// Character range in the specifier (for error reports).
    pub chars: (usize, usize),
}

/// A property-based selector, `{key:value}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawProperty<'a> {
    pub key: Spanned<'a>,
    /// May hold `*` globs in a pattern.
    pub value: Spanned<'a>,
    /// The whole selector, braces included, for messages.
    pub whole: Spanned<'a>,
}

/// A view selector, `view:key`; in a pattern the key may hold `*` and role attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawView<'a> {
    pub key: Spanned<'a>,
    pub parts: Vec<NamePart<'a>>,
}

/// One `type/name;modifiers` segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawSegment<'a> {
    pub ty: Spanned<'a>,
    /// `None` for nameless types such as `acct`.
    pub name: Option<Spanned<'a>>,
    pub name_parts: Vec<NamePart<'a>>,
    pub tags: Vec<Spanned<'a>>,
    pub properties: Vec<RawProperty<'a>>,
    pub views: Vec<RawView<'a>>,
}

/// What follows a segment's `;`, sorted by kind.
#[derive(Default)]
struct Modifiers<'a> {
    tags: Vec<Spanned<'a>>,
    properties: Vec<RawProperty<'a>>,
    views: Vec<RawView<'a>>,
}

/// A parsed specifier: either the bare `*` (every resource) or a chain of segments, parent first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RawSpecifier<'a> {
    AnyResource,
    Segments(Vec<RawSegment<'a>>),
}

/// Parses a resource specifier. In `Mode::Pattern` a lone `*` means "every resource".
pub(crate) fn parse(spec: &str, mode: Mode) -> Result<RawSpecifier<'_>, SpecifierError> {
    if spec.is_empty() {
        return Err(SpecifierError::new(
            "empty_specifier",
            "the resource specifier is empty",
            0,
            0,
        ));
    }
    if mode == Mode::Pattern && spec == "*" {
        return Ok(RawSpecifier::AnyResource);
    }
    let mut cursor = Cursor::new(spec);
    let mut segments = Vec::new();
    loop {
        segments.push(parse_segment(&mut cursor, mode)?);
        match cursor.peek() {
            None => break,
            Some(':') => {
                cursor.bump();
                if cursor.at_end() {
                    let at = cursor.char_pos;
                    return Err(SpecifierError::new(
                        "missing_type",
                        "a `:` must be followed by a child resource such as `env/production`",
                        at - 1,
                        at,
                    ));
                }
            }
            // parse_segment stops only at `:` or the end.
            Some(_) => unreachable_stop(&cursor)?,
        }
    }
    Ok(RawSpecifier::Segments(segments))
}

/// Defensive: reports an unexpected stop instead of panicking should the segment parser ever stop early.
/// Most characters of the input an error message quotes: the span already says where the problem is, and a
/// message that echoed an 8 MB specifier would be 8 MB (or twice that) itself.
const QUOTE_LIMIT: usize = 64;

/// `text` for quoting in a message: whole when short, else its first [`QUOTE_LIMIT`] characters and `…`.
fn quoted_prefix(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

fn unreachable_stop(cursor: &Cursor<'_>) -> Result<(), SpecifierError> {
    let at = cursor.char_pos;
    Err(SpecifierError::new(
        "bad_character",
        "unexpected character",
        at,
        at + 1,
    ))
}

fn parse_segment<'a>(c: &mut Cursor<'a>, mode: Mode) -> Result<RawSegment<'a>, SpecifierError> {
    let ty = parse_type(c)?;
    let name = match c.peek() {
        Some('/') => {
            c.bump();
            Some(parse_name(c, mode)?)
        }
        _ if NAMELESS_TYPES.contains(&ty.text) => None,
        _ => {
            return Err(SpecifierError::new(
                "missing_name",
                {
                    let shown = quoted_prefix(ty.text);
                    format!(
                        "resource type `{shown}` must be followed by `/` and a name, such as `{shown}/*`"
                    )
                },
                ty.chars.0,
                ty.chars.1,
            ))
        }
    };
    let name_parts = match &name {
        Some((_, parts)) => parts.clone(),
        None => Vec::new(),
    };
    let modifiers = if c.peek() == Some(';') {
        c.bump();
        parse_modifiers(c, mode)?
    } else {
        Modifiers::default()
    };
    Ok(RawSegment {
        ty,
        name: name.map(|(spanned, _)| spanned),
        name_parts,
        tags: modifiers.tags,
        properties: modifiers.properties,
        views: modifiers.views,
    })
}

fn parse_type<'a>(c: &mut Cursor<'a>) -> Result<Spanned<'a>, SpecifierError> {
    let start = c.mark();
    while let Some(ch) = c.peek() {
        if matches!(ch, '/' | ':' | ';') {
            break;
        }
        if !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            let at = c.char_pos;
            let message = if ch == '*' {
                "resource types cannot be globbed; write the type, such as `proj/*`".to_string()
            } else {
                format!("`{}` is not allowed in a resource type", ch.escape_debug())
            };
            return Err(SpecifierError::new("bad_character", message, at, at + 1));
        }
        c.bump();
    }
    let ty = c.since(start);
    if ty.text.is_empty() {
        let at = c.char_pos;
        return Err(SpecifierError::new(
            "missing_type",
            "expected a resource type such as `proj`",
            at,
            at + usize::from(!c.at_end()),
        ));
    }
    Ok(ty)
}

fn parse_name<'a>(
    c: &mut Cursor<'a>,
    mode: Mode,
) -> Result<(Spanned<'a>, Vec<NamePart<'a>>), SpecifierError> {
    let (name, parts) = parse_key_with_attributes(c, mode, &[':', ';'], "a name")?;
    if name.text.is_empty() {
        let at = c.char_pos;
        return Err(SpecifierError::new(
            "missing_name",
            "expected a name after `/`, such as `*`",
            at - 1,
            at,
        ));
    }
    Ok((name, parts))
}

/// Reads text up to one of `stops` (or the end), splitting out `${roleAttribute/...}` references in a pattern.
/// Names and view keys share this.
fn parse_key_with_attributes<'a>(
    c: &mut Cursor<'a>,
    mode: Mode,
    stops: &[char],
    what: &str,
) -> Result<(Spanned<'a>, Vec<NamePart<'a>>), SpecifierError> {
    let start = c.mark();
    let mut parts = Vec::new();
    let mut text_start = c.mark();
    while let Some(ch) = c.peek() {
        if stops.contains(&ch) {
            break;
        }
        if ch == '$' && mode == Mode::Pattern {
            let literal = c.since(text_start);
            if !literal.text.is_empty() {
                parts.push(NamePart::Text(literal.text));
            }
            parts.push(NamePart::Attribute(parse_attribute(c)?));
            text_start = c.mark();
            continue;
        }
        check_name_char(c, ch, what)?;
        c.bump();
    }
    let literal = c.since(text_start);
    if !literal.text.is_empty() {
        parts.push(NamePart::Text(literal.text));
    }
    Ok((c.since(start), parts))
}

/// Parses `${roleAttribute/key}` starting at `$`, returning the key.
fn parse_attribute<'a>(c: &mut Cursor<'a>) -> Result<&'a str, SpecifierError> {
    let start = c.mark();
    let rest = &c.src[c.byte_pos..];
    let Some(close) = rest.find('}') else {
        let end = c.char_pos + rest.chars().count();
        return Err(SpecifierError::new(
            "unterminated_attribute",
            "a role attribute reference must end with `}`",
            c.char_pos,
            end,
        ));
    };
    let body = &rest[..close];
    let body_chars = body.chars().count();
    if !body.starts_with(ATTRIBUTE_PREFIX) {
        return Err(SpecifierError::new(
            "bad_attribute",
            "role attributes are written `${roleAttribute/key}`",
            c.char_pos,
            c.char_pos + body_chars + 1,
        ));
    }
    let key = &body[ATTRIBUTE_PREFIX.len()..];
    if key.is_empty() {
        return Err(SpecifierError::new(
            "empty_attribute_key",
            "the role attribute key is empty",
            c.char_pos,
            c.char_pos + body_chars + 1,
        ));
    }
    let key_start = c.char_pos + ATTRIBUTE_PREFIX.len();
    if let Some((offset, bad)) = key.chars().enumerate().find(|(_, ch)| {
        ch.is_whitespace() || ch.is_control() || matches!(ch, ':' | ';' | '$' | '{' | '*' | '/')
    }) {
        return Err(SpecifierError::new(
            "bad_character",
            format!(
                "`{}` is not allowed in a role attribute key",
                bad.escape_debug()
            ),
            key_start + offset,
            key_start + offset + 1,
        ));
    }
    // Move past the body and the closing brace.
    for _ in 0..=body_chars {
        c.bump();
    }
    debug_assert!(c.since(start).text.ends_with('}'));
    Ok(key)
}

/// Most modifiers one segment may carry: real roles use a handful, and a bound keeps every later step over
/// them (duplicate checks, matching) small whatever the input.
const MAX_MODIFIERS: usize = 256;

/// The prefix that makes a modifier a view selector rather than a tag.
const VIEW_PREFIX: &str = "view:";

/// Parses the comma-separated modifiers after `;`: tags, `{property:value}` selectors and `view:key` selectors.
/// A `:` ends the list (a child segment follows), except right after `view`, where it belongs to the selector.
fn parse_modifiers<'a>(c: &mut Cursor<'a>, mode: Mode) -> Result<Modifiers<'a>, SpecifierError> {
    let mut modifiers = Modifiers::default();
    let mut count = 0;
    loop {
        count += 1;
        if count > MAX_MODIFIERS {
            let at = c.char_pos;
            return Err(SpecifierError::new(
                "too_many_modifiers",
                format!("a segment may carry at most {MAX_MODIFIERS} tags, selectors and views"),
                at,
                at + 1,
            ));
        }
        let rest = &c.src[c.byte_pos..];
        if rest.starts_with('{') {
            modifiers.properties.push(parse_property(c)?);
        } else if rest.starts_with(VIEW_PREFIX) {
            modifiers.views.push(parse_view(c, mode)?);
        } else {
            modifiers.tags.push(parse_tag(c)?);
        }
        match c.peek() {
            Some(',') => c.bump(),
            Some('}') => {
                let at = c.char_pos;
                return Err(SpecifierError::new(
                    "unbalanced_selector",
                    "`}` without a matching `{`; property selectors are written `{property:value}`",
                    at,
                    at + 1,
                ));
            }
            _ => return Ok(modifiers),
        }
    }
}

fn parse_tag<'a>(c: &mut Cursor<'a>) -> Result<Spanned<'a>, SpecifierError> {
    let start = c.mark();
    while let Some(ch) = c.peek() {
        if matches!(ch, ',' | ':') {
            break;
        }
        if ch == '$' {
            let at = c.char_pos;
            return Err(SpecifierError::new(
                "bad_character",
                "role attributes can be used in names and views only, not in tags",
                at,
                at + 1,
            ));
        }
        if ch == '{' {
            let at = c.char_pos;
            return Err(SpecifierError::new(
                "bad_character",
                "a property selector `{property:value}` must be a modifier of its own, after `;` or `,`",
                at,
                at + 1,
            ));
        }
        if ch == '}' {
            break;
        }
        check_name_char(c, ch, "a tag")?;
        c.bump();
    }
    let tag = c.since(start);
    if tag.text.is_empty() {
        let at = c.char_pos;
        return Err(SpecifierError::new(
            "empty_tag",
            "a modifier is empty; write tags as `;tag1,tag2`",
            at.saturating_sub(1),
            at,
        ));
    }
    Ok(tag)
}

/// Parses `{key:value}` starting at `{`.
fn parse_property<'a>(c: &mut Cursor<'a>) -> Result<RawProperty<'a>, SpecifierError> {
    let open = c.mark();
    c.bump();
    let key = read_selector_part(c, open, SelectorPart::Key)?;
    if c.peek() != Some(':') {
        let end = c.char_pos + usize::from(!c.at_end());
        return Err(SpecifierError::new(
            "bad_selector",
            format!(
                "a property selector needs a value: write `{{{}:value}}`",
                quoted_prefix(key.text)
            ),
            open.char_pos,
            end,
        ));
    }
    c.bump();
    let value = read_selector_part(c, open, SelectorPart::Value)?;
    if c.peek() != Some('}') {
        let end = c.char_pos + usize::from(!c.at_end());
        return Err(SpecifierError::new(
            "bad_selector",
            "a property selector holds one `property:value` pair, then `}`",
            open.char_pos,
            end,
        ));
    }
    c.bump();
    Ok(RawProperty {
        key,
        value,
        whole: c.since(open),
    })
}

/// The two halves of a property selector, `{key:value}`: what the messages and codes about each say.
#[derive(Clone, Copy)]
enum SelectorPart {
    Key,
    Value,
}

impl SelectorPart {
    /// How a character message names the half.
    fn noun(self) -> &'static str {
        match self {
            SelectorPart::Key => "a property name",
            SelectorPart::Value => "a property value",
        }
    }

    /// The code and the word of the error for an empty half.
    fn empty(self) -> (&'static str, &'static str) {
        match self {
            SelectorPart::Key => ("empty_selector_key", "property"),
            SelectorPart::Value => ("empty_selector_value", "value"),
        }
    }
}

/// Reads a property selector's key or value: up to `:`, `}` or a separator; empty or unterminated is an error.
fn read_selector_part<'a>(
    c: &mut Cursor<'a>,
    open: Mark,
    part_of: SelectorPart,
) -> Result<Spanned<'a>, SpecifierError> {
    let start = c.mark();
    while let Some(ch) = c.peek() {
        if matches!(ch, ':' | '}' | ',' | ';') {
            break;
        }
        check_name_char(c, ch, part_of.noun())?;
        c.bump();
    }
    let part = c.since(start);
    if c.at_end() || matches!(c.peek(), Some(',' | ';')) {
        return Err(SpecifierError::new(
            "unterminated_selector",
            "a property selector must end with `}`",
            open.char_pos,
            c.char_pos,
        ));
    }
    if part.text.is_empty() {
        let at = c.char_pos;
        let (code, what) = part_of.empty();
        return Err(SpecifierError::new(
            code,
            format!("the {what} of a property selector is empty; write `{{property:value}}`"),
            open.char_pos,
            at + usize::from(!c.at_end()),
        ));
    }
    Ok(part)
}

/// Parses `view:key` starting at `view:`.
fn parse_view<'a>(c: &mut Cursor<'a>, mode: Mode) -> Result<RawView<'a>, SpecifierError> {
    let start = c.mark();
    for _ in 0..VIEW_PREFIX.len() {
        c.bump();
    }
    let (key, parts) = parse_key_with_attributes(c, mode, &[',', ':', ';', '}'], "a view key")?;
    if key.text.is_empty() {
        return Err(SpecifierError::new(
            "empty_view",
            "a view selector names its view: write `view:key`",
            start.char_pos,
            c.char_pos,
        ));
    }
    Ok(RawView { key, parts })
}

/// Names and tags are keys: anything printable except the separators of the grammar.
fn check_name_char(c: &Cursor<'_>, ch: char, what: &str) -> Result<(), SpecifierError> {
    if ch.is_whitespace() || ch.is_control() || matches!(ch, '/' | ',' | ';' | '$' | '{' | '}') {
        let at = c.char_pos;
        let shown = if ch.is_whitespace() || ch.is_control() {
            format!("{:?}", ch)
        } else {
            format!("`{}`", ch)
        };
        return Err(SpecifierError::new(
            "bad_character",
            format!("{} is not allowed in {}", shown, what),
            at,
            at + 1,
        ));
    }
    Ok(())
}

/// A position in the specifier, in bytes and characters at once.
struct Cursor<'a> {
    src: &'a str,
    byte_pos: usize,
    char_pos: usize,
}

#[derive(Clone, Copy)]
struct Mark {
    byte_pos: usize,
    char_pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(src: &'a str) -> Self {
        Cursor {
            src,
            byte_pos: 0,
            char_pos: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        // Specifiers are nearly all ASCII: a byte below 0x80 is its own character, without decoding.
        match self.src.as_bytes().get(self.byte_pos) {
            Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
            Some(_) => self.src.get(self.byte_pos..)?.chars().next(),
            None => None,
        }
    }

    fn at_end(&self) -> bool {
        self.byte_pos >= self.src.len()
    }

    fn bump(&mut self) {
        if let Some(ch) = self.peek() {
            self.byte_pos += ch.len_utf8();
            self.char_pos += 1;
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            byte_pos: self.byte_pos,
            char_pos: self.char_pos,
        }
    }

    fn since(&self, mark: Mark) -> Spanned<'a> {
        Spanned {
            text: &self.src[mark.byte_pos..self.byte_pos],
            bytes: (mark.byte_pos, self.byte_pos),
            chars: (mark.char_pos, self.char_pos),
        }
    }
}

/// Checks an action specifier: a name such as `updateOn`, or a glob such as `*` or `update*`.
pub(crate) fn check_action(action: &str) -> Result<(), SpecifierError> {
    if action.is_empty() {
        return Err(SpecifierError::new(
            "empty_action",
            "the action is empty",
            0,
            0,
        ));
    }
    if let Some((at, ch)) = action
        .chars()
        .enumerate()
        .find(|(_, ch)| !(ch.is_ascii_alphanumeric() || *ch == '*'))
    {
        return Err(SpecifierError::new(
            "bad_action",
            format!(
                "`{}` is not allowed in an action; actions are names such as `updateOn`, or globs such as `update*`",
                ch.escape_debug()
            ),
            at,
            at + 1,
        ));
    }
    Ok(())
}

/// Refuses what a question (a concrete resource or an action asked about) must not hold, wherever it is: `*`,
/// which would otherwise be matched as an ordinary character (a policy's `env/*` matches a name `*`, so asking
/// about `env/*` would be answered for one environment named `*` and read as "every environment"), and control
/// characters. `what` names the string in the message: `resource`, `action`. The span is in characters.
pub(crate) fn refuse_wildcards(text: &str, what: &str) -> Result<(), SpecifierError> {
    // Nearly every question is short and ASCII without either: one pass over the bytes finds none.
    if !text
        .bytes()
        .any(|b| b == b'*' || b.is_ascii_control() || b >= 0x80)
    {
        return Ok(());
    }
    let Some((at, ch)) = text
        .chars()
        .enumerate()
        .find(|(_, ch)| *ch == '*' || ch.is_control())
    else {
        return Ok(());
    };
    if ch == '*' {
        return Err(SpecifierError::new(
            "wildcard",
            format!(
                "`*` is not allowed in the {what} of a check: a check asks about one {what}, and a wildcard \
                 would be read as a name (ask about each {what} instead)"
            ),
            at,
            at + 1,
        ));
    }
    Err(SpecifierError::new(
        "bad_character",
        format!("{:?} is not allowed in the {what} of a check", ch),
        at,
        at + 1,
    ))
}

/// Checks an action asked about (by a check, not written in a policy): one action, not empty, without `*` or a
/// control character. Other characters are left alone: an action no policy names is simply not allowed.
pub(crate) fn check_requested_action(action: &str) -> Result<(), SpecifierError> {
    if action.is_empty() {
        return Err(SpecifierError::new(
            "empty_action",
            "the action is empty",
            0,
            0,
        ));
    }
    refuse_wildcards(action, "action")
}
