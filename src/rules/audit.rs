//! An audit of a token list: for each token, what its own permissions allow that its creator may not (refused
//! at use by the cap, so either a mistake or a token that will fail), the roles it refers to that are missing,
//! and how long since it was last used.

use super::change::escalation_between;
use super::Principal;
use crate::model::{CustomRole, Member, Team, Token, UnixMillis};
use crate::policy::Differences;
use serde::Serialize;

/// Milliseconds in a day, for [`TokenAudit::idle_days`].
const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// What the audit found about one token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenAudit {
    /// The token's id.
    pub token_id: String,
    /// The token's name, if it has one.
    pub name: Option<String>,
    /// Whether it is a service token.
    pub service: bool,
    /// What the token's own permissions allow that its creator's do not (the cap refuses it at use), as
    /// witnesses; `None` when that could not be told (see `unchecked`).
    pub beyond_creator: Option<Differences>,
    /// Why `beyond_creator` is `None`: the creator was not supplied, or the comparison is too large.
    pub unchecked: Option<String>,
    /// Roles the token itself refers to that were not supplied (a deleted role, or one the caller cannot
    /// read).
    pub missing_roles: Vec<String>,
    /// Whatever else was not supplied (the creator's roles or teams, action sets) that leaves some pairs out
    /// of `beyond_creator`.
    pub missing: Vec<String>,
    /// When the token was last used, if ever.
    pub last_used: Option<UnixMillis>,
    /// Whole days from `last_used` to the audit's `now`; `None` for a token never used.
    pub idle_days: Option<i64>,
}

/// Audits `tokens` at `now` (milliseconds since the epoch): `members` are the account's members (a token's
/// creator is found by its `memberId`; a service token's creator as they are now, the best a client knows),
/// `roles` and `teams` as for [`Principal::with_teams`], at most `limit` witnesses per token.
///
/// A service token whose creator has more now than when it was made is compared with the creator as now:
/// what it shows beyond them is beyond them for certain (creators gain rather than lose in the common case),
/// but a downgrade since makes the list longer than LaunchDarkly's snapshot would.
pub fn audit_tokens(
    tokens: &[Token],
    members: &[Member],
    roles: &[CustomRole],
    teams: &[Team],
    now: UnixMillis,
    limit: usize,
) -> Vec<TokenAudit> {
    tokens
        .iter()
        .map(|token| audit_token(token, members, roles, teams, now, limit))
        .collect()
}

fn audit_token(
    token: &Token,
    members: &[Member],
    roles: &[CustomRole],
    teams: &[Team],
    now: UnixMillis,
    limit: usize,
) -> TokenAudit {
    let creator = members.iter().find(|member| member.id == token.member_id);
    let principal = Principal::with_teams(token, creator, roles, teams);
    let missing_roles: Vec<String> = principal.own.missing().to_vec();
    let (beyond_creator, unchecked, missing) = match creator {
        None => (
            None,
            Some(format!(
                "its creator, member {}, was not supplied",
                token.member_id
            )),
            Vec::new(),
        ),
        Some(_) => match escalation_between(&principal.cap, &principal.own, limit) {
            Ok((differences, missing)) => (Some(differences), None, missing),
            Err(error) => (None, Some(error.to_string()), Vec::new()),
        },
    };
    TokenAudit {
        token_id: token.id.clone(),
        name: token.name.clone(),
        service: token.is_service(),
        beyond_creator,
        unchecked,
        missing_roles,
        missing,
        last_used: token.last_used,
        idle_days: token
            .last_used
            .map(|used| now.saturating_sub(used).max(0) / DAY_MILLIS),
    }
}
