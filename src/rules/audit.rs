//! An audit of a token list: for each token, what its own permissions allow that its creator may not (refused
//! at use by the cap, so either a mistake or a token that will fail), the roles it refers to that are missing,
//! and how long since it was last used.
//!
//! Tokens that hold the same permissions and share a creator get the same answer, so each distinct pair is
//! compared once: an account's thousands of tokens are mostly a few base roles made by a few members. The
//! comparisons together spend at most [`AUDIT_WORK_BUDGET`] units; a token whose pair is not reached within it
//! says so instead of failing the audit.

use super::change::escalation_within;
use super::layer::{own_permissions, OwnPermissions};
use super::Principal;
use crate::json::{JsonOut, ObjectBuilder, ToJson};
use crate::model::{CustomRole, Member, Statement, Team, Token, UnixMillis};
use crate::policy::{Differences, COMPARISON_WORK_BUDGET};
use serde::Serialize;
use std::collections::HashMap;

/// Milliseconds in a day, for [`TokenAudit::idle_days`].
const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// Work units one audit may spend on its comparisons in all (the units of [`COMPARISON_WORK_BUDGET`]): eight
/// comparisons that each reach their own bound. Distinct pairs of permissions and creator are compared in the
/// order of their first token, each within what is left (at most a comparison's budget); once it is spent,
/// the tokens of pairs not compared yet are reported as not reached (`audit_too_large`), so that an audit of
/// thousands of tokens with hostile policies ends in about eight times the time one refused comparison takes.
pub const AUDIT_WORK_BUDGET: u64 = 8 * COMPARISON_WORK_BUDGET;

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
    /// Why `beyond_creator` is `None`: the creator was not supplied, the comparison is too large, or the audit
    /// spent its work budget before it reached this token.
    pub unchecked: Option<String>,
    /// The same, for programs: `creator_missing`, `comparison_too_large` (this token's comparison passed its
    /// own budget) or `audit_too_large` (the audit's budget ran out before or while this token was compared).
    pub unchecked_code: Option<&'static str>,
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

impl ToJson for TokenAudit {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("tokenId", &self.token_id)
            .field("name", &self.name)
            .field("service", &self.service)
            .field("beyondCreator", &self.beyond_creator)
            .field("unchecked", &self.unchecked)
            .field("uncheckedCode", &self.unchecked_code)
            .field("missingRoles", &self.missing_roles)
            .field("missing", &self.missing)
            .field("lastUsed", &self.last_used)
            .field("idleDays", &self.idle_days)
            .end()
    }
}

/// Audits `tokens` at `now` (milliseconds since the epoch): `members` are the account's members (a token's
/// creator is found by its `memberId`; a service token's creator as they are now, the best a client knows),
/// `roles` and `teams` as for [`Principal::with_teams`], at most `limit` witnesses per token.
///
/// A service token whose creator has more now than when it was made is compared with the creator as now:
/// what it shows beyond them is beyond them for certain (creators gain rather than lose in the common case),
/// but a downgrade since makes the list longer than LaunchDarkly's snapshot would.
///
/// Each distinct pair of a token's permissions and its creator is compared once, within
/// [`AUDIT_WORK_BUDGET`] in all: see [`TokenAudit::unchecked_code`] for the tokens it did not reach.
pub fn audit_tokens(
    tokens: &[Token],
    members: &[Member],
    roles: &[CustomRole],
    teams: &[Team],
    now: UnixMillis,
    limit: usize,
) -> Vec<TokenAudit> {
    let context = Context {
        members,
        roles,
        teams,
        limit,
    };
    audit_within(tokens, &context, now, AUDIT_WORK_BUDGET).0
}

/// What every token of an audit is read against.
pub(crate) struct Context<'a> {
    pub members: &'a [Member],
    pub roles: &'a [CustomRole],
    pub teams: &'a [Team],
    pub limit: usize,
}

/// The work an audit did: comparisons run and the units they spent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AuditWork {
    pub comparisons: usize,
    pub units: u64,
}

/// Which permissions a token holds, as its own layer reads them (see [`own_permissions`]).
#[derive(PartialEq, Eq, Hash)]
enum OwnKey<'t> {
    Role(&'t str),
    CustomRoles(&'t [String]),
    Inline(&'t [Statement]),
    DefaultReader,
}

/// What a token's audit depends on besides the token's name and dates: its permissions and its creator (with
/// whether it is a service token, which the rules read beside them). Tokens with equal keys get equal
/// answers.
#[derive(PartialEq, Eq, Hash)]
struct PairKey<'t> {
    own: OwnKey<'t>,
    creator: &'t str,
    service: bool,
}

impl<'t> PairKey<'t> {
    fn of(token: &'t Token) -> Self {
        let own = match own_permissions(token) {
            OwnPermissions::Role(role) => OwnKey::Role(role),
            OwnPermissions::CustomRoles(ids) => OwnKey::CustomRoles(ids),
            OwnPermissions::Inline(statements) => OwnKey::Inline(statements),
            OwnPermissions::DefaultReader => OwnKey::DefaultReader,
        };
        PairKey {
            own,
            creator: &token.member_id,
            service: token.is_service(),
        }
    }
}

/// The part of a token's audit that its pair decides.
#[derive(Clone)]
struct PairAudit {
    beyond_creator: Option<Differences>,
    unchecked: Option<(&'static str, String)>,
    missing_roles: Vec<String>,
    missing: Vec<String>,
}

/// [`audit_tokens`] within `work` units in all, with the work done.
pub(crate) fn audit_within(
    tokens: &[Token],
    context: &Context<'_>,
    now: UnixMillis,
    work: u64,
) -> (Vec<TokenAudit>, AuditWork) {
    let mut done = AuditWork::default();
    let mut pairs: HashMap<PairKey<'_>, PairAudit> = HashMap::new();
    let audits = tokens
        .iter()
        .map(|token| {
            let pair = pairs
                .entry(PairKey::of(token))
                .or_insert_with(|| audit_pair(token, context, work, &mut done))
                .clone();
            let (unchecked_code, unchecked) = pair.unchecked.unzip();
            TokenAudit {
                token_id: token.id.clone(),
                name: token.name.clone(),
                service: token.is_service(),
                beyond_creator: pair.beyond_creator,
                unchecked,
                unchecked_code,
                missing_roles: pair.missing_roles,
                missing: pair.missing,
                last_used: token.last_used,
                idle_days: token
                    .last_used
                    .map(|used| now.saturating_sub(used).max(0) / DAY_MILLIS),
            }
        })
        .collect();
    (audits, done)
}

/// Compares `token`'s own permissions with its creator's, within what is left of `work` after `done`.
fn audit_pair(token: &Token, context: &Context<'_>, work: u64, done: &mut AuditWork) -> PairAudit {
    let creator = context
        .members
        .iter()
        .find(|member| member.id == token.member_id);
    let principal = Principal::with_teams(token, creator, context.roles, context.teams);
    let mut audit = PairAudit {
        beyond_creator: None,
        unchecked: None,
        missing_roles: principal.own.missing().to_vec(),
        missing: Vec::new(),
    };
    if creator.is_none() {
        audit.unchecked = Some((
            "creator_missing",
            format!("its creator, member {}, was not supplied", token.member_id),
        ));
        return audit;
    }
    let left = work.saturating_sub(done.units);
    if left == 0 {
        audit.unchecked = Some((
            "audit_too_large",
            format!("not reached: the audit spent its work budget ({work} units) on the tokens before it"),
        ));
        return audit;
    }
    // A comparison's own budget, or what is left of the audit's when that is less.
    let allowance = left.min(COMPARISON_WORK_BUDGET);
    done.comparisons += 1;
    match escalation_within(&principal.cap, &principal.own, context.limit, allowance) {
        Ok((differences, missing, units)) => {
            done.units = done.units.saturating_add(units);
            audit.beyond_creator = Some(differences);
            audit.missing = missing;
        }
        Err(error) => {
            done.units = done.units.saturating_add(allowance);
            audit.unchecked = Some(if allowance < COMPARISON_WORK_BUDGET {
                (
                    "audit_too_large",
                    format!("not reached: the audit's work budget ({work} units) ran out while comparing this token"),
                )
            } else {
                (error.code(), error.to_string())
            });
        }
    }
    audit
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(id: &str, member: &str, permissions: serde_json::Value) -> Token {
        let mut token = json!({
            "_id": id, "ownerId": member, "memberId": member, "creationDate": 1, "lastModified": 1,
        });
        for (key, value) in permissions.as_object().unwrap() {
            token[key] = value.clone();
        }
        serde_json::from_value(token).unwrap()
    }

    fn member(id: &str, role: &str) -> Member {
        serde_json::from_value(
            json!({"_id": id, "email": format!("{id}@example.com"), "role": role}),
        )
        .unwrap()
    }

    fn audit(tokens: &[Token], members: &[Member], work: u64) -> (Vec<TokenAudit>, AuditWork) {
        let context = Context {
            members,
            roles: &[],
            teams: &[],
            limit: 5,
        };
        audit_within(tokens, &context, 0, work)
    }

    #[test]
    fn each_pair_of_permissions_and_creator_is_compared_once() {
        let members = [member("m1", "writer"), member("m2", "reader")];
        let writer = json!({"role": "writer"});
        let one = audit(
            &[token("t0", "m2", writer.clone())],
            &members,
            AUDIT_WORK_BUDGET,
        );
        assert_eq!(one.1.comparisons, 1);
        assert!(one.1.units > 0);
        assert!(
            !one.0[0].beyond_creator.as_ref().unwrap().is_empty(),
            "a writer token of a reader"
        );

        // Five hundred writer tokens of the same reader: the same work as one.
        let tokens: Vec<Token> = (0..500)
            .map(|i| token(&format!("t{i}"), "m2", writer.clone()))
            .collect();
        let many = audit(&tokens, &members, AUDIT_WORK_BUDGET);
        assert_eq!(many.1, one.1);
        assert!(many
            .0
            .iter()
            .all(|a| a.beyond_creator == one.0[0].beyond_creator));
        assert_eq!(many.0[499].token_id, "t499");

        // Two creators and two kinds of permissions, interleaved over 2,000 tokens: four comparisons.
        let tokens: Vec<Token> = (0..2_000)
            .map(|i| {
                let permissions = if i % 2 == 0 {
                    json!({"role": "reader"})
                } else {
                    writer.clone()
                };
                token(&format!("t{i}"), ["m1", "m2"][i / 2 % 2], permissions)
            })
            .collect();
        let mixed = audit(&tokens, &members, AUDIT_WORK_BUDGET);
        assert_eq!(mixed.1.comparisons, 4);
        assert!(mixed.0.iter().all(|a| a.unchecked.is_none()));
    }

    #[test]
    fn tokens_past_the_audits_budget_are_named_not_reached() {
        let members = [member("m1", "writer")];
        let name = |piece: &str, n: usize| format!("proj/{}*", piece.repeat(n));
        // The four statements of the hostile sweep's stars policy, told apart by an action.
        let hostile = |i: usize| {
            json!({"inlineRole": [
                {"effect": "allow", "resources": [name("*a", 64)], "actions": ["*"]},
                {"effect": "deny", "resources": [name("*b", 64)], "actions": [format!("a{i}")]},
                {"effect": "allow", "resources": [name("*a", 63)], "actions": ["*"]},
                {"effect": "deny", "resources": [name("*ab", 64)], "actions": ["*"]},
            ]})
        };
        let mut tokens: Vec<Token> = (0..3)
            .map(|i| token(&format!("h{i}"), "m1", hostile(i)))
            .collect();
        tokens.push(token("plain", "m1", json!({"role": "reader"})));
        tokens.push(token("nobody", "m9", json!({"role": "reader"})));
        // Room for one refused comparison and a half: the first is refused by its own budget, the second by
        // what is left of the audit's, the third is not reached, nor is the plain token after it.
        let (audits, work) = audit(&tokens, &members, COMPARISON_WORK_BUDGET * 3 / 2);
        let codes: Vec<Option<&str>> = audits.iter().map(|a| a.unchecked_code).collect();
        assert_eq!(
            codes,
            [
                Some("comparison_too_large"),
                Some("audit_too_large"),
                Some("audit_too_large"),
                Some("audit_too_large"),
                Some("creator_missing"),
            ]
        );
        assert_eq!(work.comparisons, 2);
        assert_eq!(work.units, COMPARISON_WORK_BUDGET * 3 / 2);
        assert!(audits[2]
            .unchecked
            .as_ref()
            .unwrap()
            .starts_with("not reached"));
        // With the whole budget, the plain token is reached after three refusals.
        let (audits, _) = audit(&tokens, &members, AUDIT_WORK_BUDGET);
        assert_eq!(audits[3].unchecked, None);
        assert!(audits[3]
            .beyond_creator
            .as_ref()
            .is_some_and(Differences::is_empty));
    }
}
