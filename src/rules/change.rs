//! What a change of permissions does, before it is made: what a token or caller gains and loses, whether the
//! caller locks itself out of what it manages, and whether a token asks for more than its creator has.
//!
//! Each answer is the policy engine's exact comparison (`policy::compare`) run over a token's layers instead of
//! one list of statements: several custom roles combine role by role, the view rule reads a holder's roles
//! together, and the creator's cap ANDs with the token's own roles. Pairs a missing role or team makes unknown
//! on either side are left out, and the answer names what is missing.

use super::layer::{asked_permissions, own_layer, permissions_layer, Layer};
use super::principal::decide_layers;
use super::token_patch::apply_token_patch;
use super::Principal;
use crate::json::{JsonOut, ObjectBuilder, ToJson};
use crate::model::{AccessTokenPost, CustomRole, PatchOperation, RoleAttributes, Statement, Token};
use crate::policy::{
    compare_sides, confirmed, ComparedSide, CompiledPolicy, Decision, Differences,
    PolicyComparison, PolicyError, PolicySource, Resource, Truth, COMPARISON_WORK_BUDGET,
    PERSONAL_TOKEN_ACTIONS, SERVICE_TOKEN_ACTIONS,
};
use serde::Serialize;

/// What a change grants and revokes, with what could not be read. Serialized with `equivalent`
/// ([`PermissionChange::is_equivalent`]) beside its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PermissionChange {
    /// Allowed after, not before.
    pub granted: Differences,
    /// Allowed before, not after.
    pub revoked: Differences,
    /// Roles (`<id or key>`), teams (`team/<key>`), creators (`member/<id>`) and action sets (`actionSet/<name>`)
    /// that were not supplied or are not published, when some pair they make unknown on either side was left
    /// out of `granted` and `revoked`. Empty when the comparison is exact.
    pub missing: Vec<String>,
}

impl PermissionChange {
    /// Whether both sides allow the same pairs (among those both decide).
    pub fn is_equivalent(&self) -> bool {
        self.granted.is_empty() && self.revoked.is_empty()
    }
}

impl Serialize for PermissionChange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("PermissionChange", 4)?;
        out.serialize_field("granted", &self.granted)?;
        out.serialize_field("revoked", &self.revoked)?;
        out.serialize_field("missing", &self.missing)?;
        out.serialize_field("equivalent", &self.is_equivalent())?;
        out.end()
    }
}

impl ToJson for PermissionChange {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("granted", &self.granted)
            .field("revoked", &self.revoked)
            .field("missing", &self.missing)
            .field("equivalent", &self.is_equivalent())
            .end()
    }
}

/// Witnesses per direction in the preview and guards of a patch, create or reset check: enough to show what
/// changes, few enough to confirm at once on every keystroke of a form.
pub const CHECK_WITNESSES: usize = 10;

/// A check of a patch, create or reset with what the change does: the decision's fields, and beside them the
/// `preview` and `guards` when they were worked out (each absent when asked not to, or when its comparison ran
/// past the work budget: nothing rather than a partial answer).
#[derive(Clone, Debug, Serialize)]
pub struct CheckedChange {
    /// The decision (flattened: its fields are the check's own).
    #[serde(flatten)]
    pub decision: Decision,
    /// What the change grants and revokes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<PermissionChange>,
    /// The lockout and escalation guards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guards: Option<ChangeGuards>,
}

impl ToJson for CheckedChange {
    fn write_json(&self, out: &mut JsonOut) {
        self.decision
            .members(out)
            .optional("preview", &self.preview)
            .optional("guards", &self.guards)
            .end()
    }
}

impl CheckedChange {
    /// `decision` alone.
    pub fn decision(decision: Decision) -> Self {
        CheckedChange {
            decision,
            preview: None,
            guards: None,
        }
    }

    /// `decision` with what `report` worked out.
    pub fn with_report(decision: Decision, report: ChangeReport) -> Self {
        CheckedChange {
            decision,
            preview: report.preview.ok(),
            guards: report.guards.ok(),
        }
    }
}

/// A change's preview and guards, worked out together; each fails on its own when the comparison runs past its
/// work budget.
#[derive(Clone, Debug)]
pub struct ChangeReport {
    /// What the change grants and revokes (see [`Principal::patch_preview`], [`Principal::create_preview`]).
    pub preview: Result<PermissionChange, PolicyError>,
    /// What it does to its caller and asks beyond its creator.
    pub guards: Result<ChangeGuards, PolicyError>,
}

/// The guards of a create or patch: what the result would do to its caller and what it asks beyond its creator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChangeGuards {
    /// What the caller may manage now (any action but a view on a token or a role) and could not after the
    /// change: set only when the change touches the caller's own permissions (a patch of the calling token).
    pub lockout: Option<Differences>,
    /// For a create or patch: what the resulting token's own permissions allow that its creator's permissions
    /// do not: the token will be refused it at use (its cap). Set when the creator is the caller's creator,
    /// whose permissions the caller knows; `None` when they are someone else's. For a reset
    /// ([`Principal::reset_guards`]): what the reset token may do that the caller may not, which its new secret
    /// hands to the caller.
    pub escalation: Option<Differences>,
    /// What could not be read, as in [`PermissionChange::missing`].
    pub missing: Vec<String>,
}

impl ToJson for ChangeGuards {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("lockout", &self.lockout)
            .field("escalation", &self.escalation)
            .field("missing", &self.missing)
            .end()
    }
}

impl ChangeGuards {
    /// Whether either guard found something.
    pub fn flagged(&self) -> bool {
        self.lockout.as_ref().is_some_and(|d| !d.is_empty())
            || self.escalation.as_ref().is_some_and(|d| !d.is_empty())
    }
}

/// Whether `action` on `resource` manages a token or a role: one of the token actions on a personal token
/// (`member/<id>:token/<id>`) or a service token (`service-token/<id>`), the actions spec §3 lists for them,
/// or anything but a view action on a role (`role/<key>`).
pub fn is_management(action: &str, resource: &Resource) -> bool {
    let types: Vec<&str> = resource.segments().map(|s| s.resource_type()).collect();
    match types.as_slice() {
        ["member", "token"] => PERSONAL_TOKEN_ACTIONS.contains(&action),
        ["service-token"] => SERVICE_TOKEN_ACTIONS.contains(&action),
        ["role"] => !action.starts_with("view"),
        _ => false,
    }
}

/// A policy whose patterns tell managed resources and their actions apart from the rest, so that a comparison
/// kept to management finds each kind even when neither side names it. One statement per kind, so that each
/// is a region of its own with a witness of its own.
fn management_probe() -> Result<CompiledPolicy, PolicyError> {
    let statements = [
        Statement::allow(["member/*:token/*"], PERSONAL_TOKEN_ACTIONS.iter().copied()),
        Statement::allow(["service-token/*"], SERVICE_TOKEN_ACTIONS.iter().copied()),
        Statement::allow(["role/*"], ["*"]),
    ];
    CompiledPolicy::compile(
        PolicySource::statements(),
        &statements,
        &RoleAttributes::new(),
    )
}

/// A token's two layers, borrowed: what a comparison of principals reads, so that a principal with other own
/// roles is compared without copying its cap.
struct Layers<'a> {
    own: &'a Layer,
    cap: &'a Layer,
}

impl<'a> Layers<'a> {
    fn of(principal: &'a Principal) -> Self {
        Layers {
            own: &principal.own,
            cap: &principal.cap,
        }
    }

    fn missing(&self) -> impl Iterator<Item = &'a String> + 'a {
        self.own.all_missing().chain(self.cap.all_missing())
    }
}

impl ComparedSide for Layers<'_> {
    fn compared_policies(&self) -> Vec<&CompiledPolicy> {
        let mut policies = self.own.compared_policies();
        policies.extend(self.cap.compared_policies());
        policies
    }

    fn compared_truth(&self, action: &str, resource: &Resource) -> Truth {
        self.own
            .truth(action, resource)
            .and(self.cap.truth(action, resource))
    }
}

/// Compares two sides, confirming each witness with the sides' own decisions, over the pairs `include` keeps,
/// within `work` units; with the units spent.
#[allow(clippy::too_many_arguments)]
fn compare<S: ComparedSide>(
    before: &S,
    after: &S,
    probes: &[&CompiledPolicy],
    include: &dyn Fn(&str, &Resource) -> bool,
    limit: usize,
    work: u64,
    decide: &dyn Fn(&S, &str, &Resource) -> crate::policy::Decision,
    missing: impl FnOnce() -> Vec<String>,
) -> Result<(PermissionChange, u64), PolicyError> {
    let mut confirm = |action: &str, text: &str, granted: bool| {
        let resource = Resource::parse(text).ok()?;
        let was = decide(before, action, &resource);
        let is = decide(after, action, &resource);
        confirmed(action, text, was, is, granted)
    };
    let compared = compare_sides(before, after, probes, include, limit, work, &mut confirm)?;
    let PolicyComparison { granted, revoked } = compared.comparison;
    let change = PermissionChange {
        granted,
        revoked,
        missing: if compared.undecided {
            missing()
        } else {
            Vec::new()
        },
    };
    Ok((change, compared.work))
}

fn compare_layers(
    before: &Layer,
    after: &Layer,
    limit: usize,
) -> Result<PermissionChange, PolicyError> {
    compare_layers_within(before, after, limit, COMPARISON_WORK_BUDGET).map(|(change, _)| change)
}

/// [`compare_layers`] within `work` units, with the units spent.
fn compare_layers_within(
    before: &Layer,
    after: &Layer,
    limit: usize,
    work: u64,
) -> Result<(PermissionChange, u64), PolicyError> {
    compare(
        before,
        after,
        &[],
        &everything,
        limit,
        work,
        &|layer, action, resource| layer.decide(action, resource).decision,
        || union([before.all_missing(), after.all_missing()]),
    )
}

/// Compares two principals' layers, each witness confirmed with both layers' decisions ANDed as
/// [`Principal::decide`] ANDs them.
fn compare_principals(
    before: Layers<'_>,
    after: Layers<'_>,
    probes: &[&CompiledPolicy],
    include: &dyn Fn(&str, &Resource) -> bool,
    limit: usize,
) -> Result<PermissionChange, PolicyError> {
    compare(
        &before,
        &after,
        probes,
        include,
        limit,
        COMPARISON_WORK_BUDGET,
        &|side, action, resource| decide_layers(side.own, side.cap, action, resource),
        || union([before.missing(), after.missing()]),
    )
    .map(|(change, _)| change)
}

/// [`compare_principals`] kept to management: a non-empty `revoked` is a lockout.
fn lockout_between(
    before: Layers<'_>,
    after: Layers<'_>,
    limit: usize,
) -> Result<PermissionChange, PolicyError> {
    let probe = management_probe()?;
    compare_principals(before, after, &[&probe], &is_management, limit)
}

fn union<'a>(lists: impl IntoIterator<Item = impl Iterator<Item = &'a String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in lists.into_iter().flatten() {
        if !out.contains(key) {
            out.push(key.clone());
        }
    }
    out
}

fn everything(_: &str, _: &Resource) -> bool {
    true
}

impl Principal {
    /// What changes from this principal to `after` (the same token with other roles, say, or after a role
    /// it holds was edited): both layers, the token's own roles and its creator's cap, ANDed as every answer
    /// ANDs them. At most `limit` witnesses per direction; every witness is confirmed with
    /// [`Principal::decide`] on both sides.
    pub fn compare(
        &self,
        after: &Principal,
        limit: usize,
    ) -> Result<PermissionChange, PolicyError> {
        compare_principals(Layers::of(self), Layers::of(after), &[], &everything, limit)
    }

    /// What this principal may manage (see [`is_management`]) that `after` may not: a change that takes it
    /// away locks the caller out.
    pub fn lockout(
        &self,
        after: &Principal,
        limit: usize,
    ) -> Result<PermissionChange, PolicyError> {
        lockout_between(Layers::of(self), Layers::of(after), limit)
    }

    /// What `ops` would grant and revoke in `token`'s own permissions (its role, custom roles or inline
    /// policy; several custom roles combine role by role), at most `limit` witnesses per direction. `Ok(None)`
    /// when the patch does not apply or changes no permissions. The creator's cap is left out: it limits the
    /// token alike before and after, so what the own permissions gain is the most the token can gain. Role
    /// attributes are the caller's creator's, as for every answer of this principal.
    pub fn patch_preview(
        &self,
        token: &Token,
        ops: &[PatchOperation],
        roles: &[CustomRole],
        limit: usize,
    ) -> Result<Option<PermissionChange>, PolicyError> {
        let Some(patched) = patched_permissions(token, ops, roles) else {
            return Ok(None);
        };
        let before = own_layer(token, roles, &self.attrs);
        let after = own_layer(&patched, roles, &self.attrs);
        compare_layers(&before, &after, limit).map(Some)
    }

    /// What a patch of `token` does, the patch applied and the token's own permissions compiled once: the
    /// preview (as [`Principal::patch_preview`]) and the guards: the lockout when `token` is the calling token,
    /// and the escalation when the caller's creator made it. `None` when the patch does not apply or changes no
    /// permissions.
    pub fn patch_report(
        &self,
        token: &Token,
        ops: &[PatchOperation],
        roles: &[CustomRole],
        limit: usize,
    ) -> Option<ChangeReport> {
        let patched = patched_permissions(token, ops, roles)?;
        let before = own_layer(token, roles, &self.attrs);
        let after = own_layer(&patched, roles, &self.attrs);
        Some(ChangeReport {
            preview: compare_layers(&before, &after, limit),
            guards: self.patch_guards(token, &after, limit),
        })
    }

    /// The guards of a patch of `token` whose own permissions become `own`.
    fn patch_guards(
        &self,
        token: &Token,
        own: &Layer,
        limit: usize,
    ) -> Result<ChangeGuards, PolicyError> {
        let mut guards = ChangeGuards::default();
        if token.id == self.token_id {
            // The caller after the patch: its own roles replaced, its creator's cap the same.
            let after = Layers {
                own,
                cap: &self.cap,
            };
            let lockout = lockout_between(Layers::of(self), after, limit)?;
            merge_missing(&mut guards.missing, lockout.missing);
            guards.lockout = Some(lockout.revoked);
        }
        if token.member_id == self.member_id {
            guards.escalation = Some(self.escalation_of(own, limit, &mut guards.missing)?);
        }
        Ok(guards)
    }

    /// What a create by this caller of the token `body` describes does, the asked permissions compiled once.
    /// The preview: what the new token could do, its own permissions ANDed with the cap of its creator (the
    /// caller's creator), as what it gains from nothing (`granted`; `revoked` is empty), one witness per kind of
    /// request. The guard: the escalation, what its own permissions allow that its creator may not. At most
    /// `limit` witnesses each.
    pub fn create_report(
        &self,
        body: &AccessTokenPost,
        roles: &[CustomRole],
        limit: usize,
    ) -> ChangeReport {
        let own = permissions_layer(asked_permissions(body), roles, &self.attrs);
        let nothing = Layer::empty(String::new());
        let before = Layers {
            own: &nothing,
            cap: &self.cap,
        };
        let after = Layers {
            own: &own,
            cap: &self.cap,
        };
        let mut missing = Vec::new();
        let escalation = self.escalation_of(&own, limit, &mut missing);
        ChangeReport {
            preview: compare_principals(before, after, &[], &everything, limit),
            guards: escalation.map(|escalation| ChangeGuards {
                lockout: None,
                escalation: Some(escalation),
                missing,
            }),
        }
    }

    /// The guard of a reset of `target` (the token to reset, as a principal: its own roles under its creator's
    /// cap): a reset answers with the token's new secret, so whoever resets it can act as it from then on.
    /// `escalation` is what `target` may do that this principal may not; `lockout` is `None` (a reset changes no
    /// permissions). At most `limit` witnesses. LaunchDarkly lets any holder of `resetAccessToken` reset a
    /// token, whoever made it; this only says what the caller would come to hold.
    pub fn reset_guards(
        &self,
        target: &Principal,
        limit: usize,
    ) -> Result<ChangeGuards, PolicyError> {
        let gained = compare_principals(
            Layers::of(self),
            Layers::of(target),
            &[],
            &everything,
            limit,
        )?;
        Ok(ChangeGuards {
            lockout: None,
            escalation: Some(gained.granted),
            missing: gained.missing,
        })
    }

    /// What `own` allows that this principal's creator may not.
    fn escalation_of(
        &self,
        own: &Layer,
        limit: usize,
        missing: &mut Vec<String>,
    ) -> Result<Differences, PolicyError> {
        let (escalation, unread) = escalation_between(&self.cap, own, limit)?;
        merge_missing(missing, unread);
        Ok(escalation)
    }
}

/// What `own` allows that `cap` does not (granted going from the cap to the own permissions), with what
/// could not be read.
fn escalation_between(
    cap: &Layer,
    own: &Layer,
    limit: usize,
) -> Result<(Differences, Vec<String>), PolicyError> {
    let change = compare_layers(cap, own, limit)?;
    Ok((change.granted, change.missing))
}

/// [`escalation_between`] within `work` units, with the units spent.
pub(crate) fn escalation_within(
    cap: &Layer,
    own: &Layer,
    limit: usize,
    work: u64,
) -> Result<(Differences, Vec<String>, u64), PolicyError> {
    let (change, units) = compare_layers_within(cap, own, limit, work)?;
    Ok((change.granted, change.missing, units))
}

/// `token` after `ops`, when the patch applies and changes its permissions.
fn patched_permissions(
    token: &Token,
    ops: &[PatchOperation],
    roles: &[CustomRole],
) -> Option<Token> {
    let patched = apply_token_patch(token, ops, roles).ok()?;
    let unchanged = patched.role == token.role
        && patched.custom_role_ids == token.custom_role_ids
        && patched.inline_role == token.inline_role;
    (!unchanged).then_some(patched)
}

fn merge_missing(into: &mut Vec<String>, more: Vec<String>) {
    for key in more {
        if !into.contains(&key) {
            into.push(key);
        }
    }
}
