//! LaunchDarkly's base roles written as policies (the table of §4 of the spec), and the token action lists.

use crate::model::{CustomRole, Statement};

/// Actions on personal tokens (`member/<id>:token/<id>`).
pub const PERSONAL_TOKEN_ACTIONS: &[&str] = &[
    "createAccessToken",
    "updateAccessTokenPolicy",
    "updateAccessTokenName",
    "updateAccessTokenDescription",
    "deleteAccessToken",
    "resetAccessToken",
];

/// Actions on service tokens (`service-token/<id>`): a service token's policy never changes.
pub const SERVICE_TOKEN_ACTIONS: &[&str] = &[
    "createAccessToken",
    "updateAccessTokenName",
    "updateAccessTokenDescription",
    "deleteAccessToken",
    "resetAccessToken",
];

/// What a `writer` may change: projects and everything inside them. The first seven are the project resources
/// of LaunchDarkly's own Writer template ("Template: built-in Writer role replication", docs "Example
/// policies and templates", https://docs.launchdarkly.com/home/members/example-policies); the rest are the
/// project and environment children LaunchDarkly added since ("Using resources",
/// https://launchdarkly.com/docs/home/account/roles/role-resources). The template's `integration/*`,
/// `webhook/*`, `code-reference-repository/*` and `member/*:token/*` lie outside projects: the base-role
/// table of the contract keeps writers' tokens to projects, and token actions to the member's own tokens.
pub(crate) const WRITER_RESOURCES: &[&str] = &[
    "proj/*",
    "proj/*:env/*",
    "proj/*:metric/*",
    "proj/*:env/*:flag/*",
    "proj/*:env/*:segment/*",
    "proj/*:env/*:destination/*",
    "proj/*:env/*:user/*",
    "proj/*:context-kind/*",
    "proj/*:metric-group/*",
    "proj/*:layer/*",
    "proj/*:release-pipeline/*",
    "proj/*:view/*",
    "proj/*:aiconfig/*",
    "proj/*:env/*:experiment/*",
    "proj/*:env/*:holdout/*",
    "proj/*:env/*:aiconfig/*",
    "proj/*:env/*:product-analytics-dashboard/*",
];

/// A base role: a member's `role`, or a token's `role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BaseRole {
    /// `no_access`: nothing.
    NoAccess,
    /// `reader`: views everything, changes nothing.
    Reader,
    /// `writer`: changes projects and everything inside them; not members, roles or tokens.
    Writer,
    /// `admin`: anything.
    Admin,
    /// `owner`: anything, like `admin`.
    Owner,
}

impl BaseRole {
    /// Parses the wire spelling (`reader`, `writer`, `admin`, `owner`, `no_access`).
    pub fn parse(role: &str) -> Option<BaseRole> {
        match role {
            "no_access" => Some(BaseRole::NoAccess),
            "reader" => Some(BaseRole::Reader),
            "writer" => Some(BaseRole::Writer),
            "admin" => Some(BaseRole::Admin),
            "owner" => Some(BaseRole::Owner),
            _ => None,
        }
    }

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BaseRole::NoAccess => "no_access",
            BaseRole::Reader => "reader",
            BaseRole::Writer => "writer",
            BaseRole::Admin => "admin",
            BaseRole::Owner => "owner",
        }
    }

    /// A display name (`Reader`, `No access`...).
    pub fn display_name(self) -> &'static str {
        match self {
            BaseRole::NoAccess => "No access",
            BaseRole::Reader => "Reader",
            BaseRole::Writer => "Writer",
            BaseRole::Admin => "Admin",
            BaseRole::Owner => "Owner",
        }
    }

    /// For comparisons: `no_access` (0) < `reader` (1) < `writer` (2) < `admin` = `owner` (3).
    pub fn rank(self) -> u8 {
        match self {
            BaseRole::NoAccess => 0,
            BaseRole::Reader => 1,
            BaseRole::Writer => 2,
            BaseRole::Admin | BaseRole::Owner => 3,
        }
    }

    /// The role as a token's own `role`: no token actions below admin.
    pub fn token_policy(self) -> Vec<Statement> {
        match self {
            BaseRole::NoAccess => Vec::new(),
            BaseRole::Reader => vec![Statement::allow(["proj/*"], ["viewProject"])],
            BaseRole::Writer => vec![Statement::allow(WRITER_RESOURCES.iter().copied(), ["*"])],
            BaseRole::Admin | BaseRole::Owner => vec![Statement::allow(["*"], ["*"])],
        }
    }

    /// The role as the member's base role, capping that member's tokens: the token row plus, for `reader`
    /// and `writer`, every personal-token action on the member's own tokens.
    ///
    /// A `member_id` that is not a plain key (letters, digits, `-`, `_`, `.`) gets no token statement: pasted
    /// into a specifier, a `*` or a `:` in it would widen or break the grant.
    pub fn member_policy(self, member_id: &str) -> Vec<Statement> {
        let mut policy = self.token_policy();
        if matches!(self, BaseRole::Reader | BaseRole::Writer) && is_plain_key(member_id) {
            policy.push(Statement::allow(
                [format!("member/{member_id}:token/*")],
                PERSONAL_TOKEN_ACTIONS.iter().copied(),
            ));
        }
        policy
    }
}

impl std::fmt::Display for BaseRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a custom role's `basePermissions` adds on top of its policy: `reader` adds the reader policy
/// (reading tokens stays governed by the token visibility rules only); `no_access` or absent adds nothing.
pub fn base_permissions_policy(role: &CustomRole) -> Vec<Statement> {
    match role.base_permissions.as_deref() {
        Some("reader") => BaseRole::Reader.token_policy(),
        _ => Vec::new(),
    }
}

/// A custom role's statements with what its `basePermissions: reader` adds, as one policy: the role's own
/// denies reach its base permissions. LaunchDarkly's docs: "All custom role recipients can view all projects in
/// your LaunchDarkly instance unless specifically denied" ("Using policies",
/// https://docs.launchdarkly.com/home/members/role-policies/), and a private project is made with a role that
/// denies `viewProject` on it ("Creating private projects with custom roles",
/// https://launchdarkly.com/docs/home/account/private-projects).
pub fn role_statements(role: &CustomRole) -> std::borrow::Cow<'_, [Statement]> {
    let extra = base_permissions_policy(role);
    if extra.is_empty() {
        std::borrow::Cow::Borrowed(&role.policy)
    } else {
        std::borrow::Cow::Owned(role.policy.iter().cloned().chain(extra).collect())
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'))
}
