//! What a change of permissions does, asked of a `Principal` (`compare`, `lockout`, the `preview` and `guards` of
//! `checkPatch` and `checkCreate`, the `guards` of `checkReset`) or of a token list (`auditTokens`): the rules' analyses (`rules::change`,
//! `rules::audit`), converted. Only in a module built with the `analysis` feature.

use super::convert::{from_js, from_js_or_default, is_array, to_js};
use super::errors::from_policy_error;
use super::policy::{bad_argument, statements_arg};
use super::principal::{decision_out, token_arg, Basis, JsPrincipal};
use crate::json::{At, FromJson, JsonError, Object};
use crate::model::{
    AccessTokenPost, CustomRole, Member, PatchRequest, RoleAttributes, Statement, Team, Token,
};
use crate::policy::{self, PolicyError};
use crate::rules::{
    audit_tokens, CheckedChange, PermissionChange, Principal, CHECK_WITNESSES, RESET_ACTION,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The parts of a principal to replace: each one given replaces what the principal was built from.
#[derive(Default)]
struct PrincipalChange {
    token: Option<Token>,
    /// `null` makes the creator unknown; absent keeps it.
    member: Option<Option<Member>>,
    roles: Option<Vec<CustomRole>>,
    teams: Option<Vec<Team>>,
}

impl FromJson for PrincipalChange {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        // A `null` creator is a change to an unknown one, an absent one no change.
        let member = match object.get("member") {
            None => None,
            Some(member) => Some(Option::<Member>::from_json(member, at.key("member"))?),
        };
        object.finish(PrincipalChange {
            token: object.optional("token"),
            member,
            roles: object.optional("roles"),
            teams: object.optional("teams"),
        })
    }
}

#[derive(Default)]
struct ChangeOptions {
    limit: Option<usize>,
}

impl FromJson for ChangeOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(ChangeOptions {
            limit: object.optional("limit"),
        })
    }
}

/// How much `checkPatch` and `checkCreate` work out.
#[derive(Default)]
struct CheckOptions {
    /// `false`: the decision alone, without the `preview` and `guards`, which compare policies and can cost
    /// far more than the decision (what a server or an edge on its request path wants). `true` unless given.
    analyse: Option<bool>,
}

impl FromJson for CheckOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(CheckOptions {
            analyse: object.optional("analyse"),
        })
    }
}

impl CheckOptions {
    fn analyse(&self) -> bool {
        self.analyse.unwrap_or(true)
    }
}

/// Who made the token to reset, for `checkReset`.
#[derive(Default)]
struct ResetOptions {
    member: Option<Member>,
    teams: Option<Vec<Team>>,
}

impl FromJson for ResetOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(ResetOptions {
            member: object.optional("member"),
            teams: object.optional("teams"),
        })
    }
}

#[derive(Default)]
struct AuditOptions {
    members: Option<Vec<Member>>,
    roles: Option<Vec<CustomRole>>,
    teams: Option<Vec<Team>>,
    now: Option<f64>,
    limit: Option<usize>,
}

impl FromJson for AuditOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(AuditOptions {
            members: object.optional("members"),
            roles: object.optional("roles"),
            teams: object.optional("teams"),
            now: object.optional("now"),
            limit: object.optional("limit"),
        })
    }
}

fn options<T: FromJson + Default>(value: Option<JsValue>, what: &str) -> Result<T, JsValue> {
    from_js_or_default(value.unwrap_or(JsValue::UNDEFINED), what).map_err(bad_argument)
}

#[derive(Default)]
struct CompareOptions {
    role_attributes: Option<RoleAttributes>,
    limit: Option<usize>,
}

impl FromJson for CompareOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(CompareOptions {
            role_attributes: object.optional("roleAttributes"),
            limit: object.optional("limit"),
        })
    }
}

/// A `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
/// A side of `comparePolicies`: a list of statements, or a custom role (an object with a `policy`), read as its
/// statements with what its `basePermissions` adds.
fn policy_or_role_arg(value: JsValue, what: &str) -> Result<Vec<Statement>, JsValue> {
    if let Ok(false) = is_array(&value) {
        if value.is_object() {
            let role: CustomRole = from_js(value, what).map_err(|message| {
                bad_argument(format!(
                    "{what} must be an array of statements or a custom role: {message}"
                ))
            })?;
            return Ok(policy::role_statements(&role).into_owned());
        }
    }
    statements_arg(value, what)
}

/// What changes from `before` to `after` (each a list of statements, or a custom role with what its
/// `basePermissions` adds): every region of (action, resource) pairs one allows and the other
/// does not, as witnesses (at most `limit` per direction, 20 unless told) with the count of all regions,
/// and whether the two are equivalent. `revoked` is empty exactly when `after` allows everything `before`
/// allows. Throws a `PolicyError` when a policy does not compile or the comparison is past its work budget
/// (`comparison_too_large`), and a `TypeError` for an argument of the wrong type.
#[wasm_bindgen(
    js_name = "comparePolicies",
    unchecked_return_type = "PolicyComparison"
)]
pub fn compare_policies(
    #[wasm_bindgen(unchecked_param_type = "Statement[] | CustomRole")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Statement[] | CustomRole")] after: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CompareOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let before = policy_or_role_arg(before, "before")?;
    let after = policy_or_role_arg(after, "after")?;
    let options: CompareOptions =
        from_js_or_default(options.unwrap_or(JsValue::UNDEFINED), "compare options")
            .map_err(bad_argument)?;
    let limit = comparison_limit(options.limit)?;
    let attrs = options.role_attributes.unwrap_or_default();
    let comparison = policy::compare_policies(&before, &after, &attrs, limit)
        .map_err(|e| from_policy_error(&e))?;
    to_js(&comparison).map_err(bad_argument)
}

/// The witnesses per direction a caller asked for (the core's [`policy::witness_limit`]); a `TypeError` past
/// the most it allows.
pub(super) fn comparison_limit(asked: Option<usize>) -> Result<usize, JsValue> {
    policy::witness_limit(asked)
        .ok_or_else(|| bad_argument(format!("limit must be at most {}", policy::MAX_WITNESSES)))
}

impl JsPrincipal {
    /// Runs `comparison` from this principal to the one `change` describes, with the witnesses `options`
    /// asks for.
    fn compare_with(
        &self,
        change: JsValue,
        options: Option<JsValue>,
        comparison: fn(&Principal, &Principal, usize) -> Result<PermissionChange, PolicyError>,
    ) -> Result<JsValue, JsValue> {
        let after = self.changed(change)?.principal();
        let options: ChangeOptions = self::options(options, "change options")?;
        let limit = comparison_limit(options.limit)?;
        let change = comparison(self.inner(), &after, limit).map_err(|e| from_policy_error(&e))?;
        decision_out(&change)
    }

    /// This principal's parts with those `change` gives replaced.
    fn changed(&self, change: JsValue) -> Result<Basis, JsValue> {
        let change: PrincipalChange = options(Some(change), "change")?;
        let basis = &self.basis;
        Ok(Basis {
            token: change.token.unwrap_or_else(|| basis.token.clone()),
            member: change.member.unwrap_or_else(|| basis.member.clone()),
            roles: change.roles.unwrap_or_else(|| basis.roles.clone()),
            teams: change.teams.unwrap_or_else(|| basis.teams.clone()),
        })
    }
}

#[wasm_bindgen(js_class = "Principal")]
impl JsPrincipal {
    /// Whether the token may apply `patch` to `token` and the patch would succeed: every action it needs
    /// (listed in `checks`), then the patch itself applied to a copy (a path that cannot be patched, a
    /// service token's fixed permissions, a failed `test`... refuse it as the API would, with 400 or 422).
    /// When the patch changes `token`'s permissions, `preview` says what the change grants and revokes in the
    /// token's own permissions, and `guards` whether it locks the caller out of what it manages (a patch of
    /// the calling token) or asks more than the token's creator has (at most 10 witnesses per direction).
    /// With `options.analyse` `false`, the decision alone.
    #[wasm_bindgen(js_name = "checkPatch", unchecked_return_type = "PatchDecision")]
    pub fn check_patch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PatchRequest")] patch: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let token = token_arg(token)?;
        let patch: PatchRequest = from_js(patch, "patch").map_err(bad_argument)?;
        let options: CheckOptions = self::options(options, "check options")?;
        let ops = patch.operations();
        let roles = &self.basis.roles;
        let decision = self.inner().check_patch_request(&token, ops, roles);
        let report = if options.analyse() {
            self.inner()
                .patch_report(&token, ops, roles, CHECK_WITNESSES)
        } else {
            None
        };
        decision_out(&match report {
            Some(report) => CheckedChange::with_report(decision, report),
            None => CheckedChange::decision(decision),
        })
    }

    /// Whether the token may create the token `body` describes: a valid body (one kind of permissions,
    /// known roles, valid statements), the permission, and the creator's role cap. `preview.granted` says
    /// what the new token could do (its own permissions under its creator's cap), and `guards.escalation`
    /// what it would be allowed by its own permissions but refused at use by its creator's (at most 10
    /// witnesses each). With `options.analyse` `false`, the decision alone.
    #[wasm_bindgen(js_name = "checkCreate", unchecked_return_type = "CreateDecision")]
    pub fn check_create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AccessTokenPost")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let body: AccessTokenPost = from_js(body, "token body").map_err(bad_argument)?;
        let options: CheckOptions = self::options(options, "check options")?;
        let roles = &self.basis.roles;
        let decision = self.inner().check_create_request(&body, roles);
        decision_out(&if options.analyse() {
            let report = self.inner().create_report(&body, roles, CHECK_WITNESSES);
            CheckedChange::with_report(decision, report)
        } else {
            CheckedChange::decision(decision)
        })
    }

    /// Whether the token may reset `token` (`resetAccessToken`, as `checkAction` answers it), and what the
    /// reset would hand it: a reset answers with the token's new secret, so `guards.escalation` lists what
    /// `token` may do (its own roles under its creator's cap) that the calling token may not (at most 10
    /// witnesses). `options.member` is `token`'s creator; without it, the caller's own creator when it made
    /// `token`, else unknown (what depends on it is left out and named in `guards.missing`). `options.teams`
    /// are that creator's teams.
    #[wasm_bindgen(js_name = "checkReset", unchecked_return_type = "ResetDecision")]
    pub fn check_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ResetOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let token = token_arg(token)?;
        let options: ResetOptions = self::options(options, "reset options")?;
        let basis = &self.basis;
        let (member, teams) = match options.member {
            Some(member) => (Some(member), options.teams.unwrap_or_default()),
            None if basis
                .member
                .as_ref()
                .is_some_and(|m| m.id == token.member_id) =>
            {
                (basis.member.clone(), basis.teams.clone())
            }
            None => (None, Vec::new()),
        };
        let target = Principal::with_teams(&token, member.as_ref(), &basis.roles, &teams);
        decision_out(&CheckedChange {
            decision: self.inner().check_action(&token, RESET_ACTION),
            preview: None,
            guards: self.inner().reset_guards(&target, CHECK_WITNESSES).ok(),
        })
    }

    /// What would change if this principal were built with the parts `change` gives instead (a role edited,
    /// the creator downgraded, the token's own roles replaced): what it would gain (`granted`) and lose
    /// (`revoked`), both layers (the token's roles and its creator's cap) taken into account, with a witness
    /// per region of change (at most `limit`, 20 unless told) that the two principals' `explain` confirms.
    /// `missing` names roles, teams or action sets not supplied when pairs they make unknown were left out.
    /// Throws a `PolicyError` (`comparison_too_large`) past the work budget.
    #[wasm_bindgen(unchecked_return_type = "PermissionChange")]
    pub fn compare(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PrincipalChange")] change: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ChangeOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.compare_with(change, options, Principal::compare)
    }

    /// [`compare`](JsPrincipal::compare) kept to what the principal manages: the token actions on personal
    /// and service tokens, and any action but a view on roles. A non-empty `revoked` is a lockout: the change
    /// takes away management the principal has now.
    #[wasm_bindgen(unchecked_return_type = "PermissionChange")]
    pub fn lockout(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PrincipalChange")] change: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ChangeOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.compare_with(change, options, Principal::lockout)
    }
}

/// Audits a token list: for each token, what its own permissions allow that its creator's do not (refused at
/// use), the roles it refers to that were not supplied, and whole days since it was last used. Creators are
/// found in `options.members` by `memberId`; `now` is `Date.now()` unless given. Tokens with the same
/// permissions and creator are compared once, all within the audit's work budget; `uncheckedCode` names the
/// tokens without an answer and why.
#[wasm_bindgen(js_name = "auditTokens", unchecked_return_type = "TokenAudit[]")]
pub fn audit(
    #[wasm_bindgen(unchecked_param_type = "Token[]")] tokens: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AuditOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let tokens: Vec<Token> = from_js(tokens, "tokens").map_err(bad_argument)?;
    let options: AuditOptions = self::options(options, "audit options")?;
    let limit = comparison_limit(options.limit)?;
    let now = match options.now {
        Some(now) if now.is_finite() => now as i64,
        Some(_) => return Err(bad_argument("now must be a finite number".to_owned())),
        None => js_sys::Date::now() as i64,
    };
    let audit = audit_tokens(
        &tokens,
        options.members.as_deref().unwrap_or_default(),
        options.roles.as_deref().unwrap_or_default(),
        options.teams.as_deref().unwrap_or_default(),
        now,
        limit,
    );
    to_js(&audit).map_err(bad_argument)
}
