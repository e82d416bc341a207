//! The map of a token's patchable paths: which field of a token a JSON pointer names, if any. The token rules
//! read it to choose the action a patch needs, and to refuse a path before anything is applied.

use super::pointer::Pointer;

/// The fields of a token a patch may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenField {
    /// The token's `name`.
    Name,
    /// The token's `description`.
    Description,
    /// The token's base `role`.
    Role,
    /// `customRoleIds`: the custom roles the token holds, by id.
    CustomRoleIds,
    /// `inlineRole`: the token's own policy statements.
    InlineRole,
}

impl TokenField {
    /// Whether the field is part of the token's permissions (`role`, `customRoleIds`, `inlineRole`).
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            TokenField::Role | TokenField::CustomRoleIds | TokenField::InlineRole
        )
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenField::Name => "name",
            TokenField::Description => "description",
            TokenField::Role => "role",
            TokenField::CustomRoleIds => "customRoleIds",
            TokenField::InlineRole => "inlineRole",
        }
    }
}

/// Statement members that `/inlineRole/<i>/<member>` may name.
const STATEMENT_MEMBERS: &[&str] = &[
    "resources",
    "notResources",
    "actions",
    "notActions",
    "effect",
];

/// Which patchable field a path is in, or `None` if the path is not patchable.
///
/// Patchable: `/name`, `/description`, `/role`; `/customRoleIds` and its elements; `/inlineRole`, its
/// statements, their members and the members' elements (`/inlineRole/0/actions/1`). Anything deeper or
/// elsewhere is refused before the patch is tried, so that it is a 400 whatever the token holds.
pub fn classify_token_path(path: &Pointer) -> Option<TokenField> {
    let tokens = path.tokens();
    let (first, rest) = tokens.split_first()?;
    match (first.as_str(), rest) {
        ("name", []) => Some(TokenField::Name),
        ("description", []) => Some(TokenField::Description),
        ("role", []) => Some(TokenField::Role),
        ("customRoleIds", [] | [_]) => Some(TokenField::CustomRoleIds),
        ("inlineRole", [] | [_]) => Some(TokenField::InlineRole),
        ("inlineRole", [_, member]) if STATEMENT_MEMBERS.contains(&member.as_str()) => {
            Some(TokenField::InlineRole)
        }
        ("inlineRole", [_, member, _])
            if member != "effect" && STATEMENT_MEMBERS.contains(&member.as_str()) =>
        {
            Some(TokenField::InlineRole)
        }
        _ => None,
    }
}
