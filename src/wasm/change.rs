//! What a change of permissions does, asked of a `Principal` (`compare`, `lockout`) or of a token list
//! (`auditTokens`): the rules' analyses (`rules::change`, `rules::audit`), converted.

use super::convert::{from_js_or_default, to_js};
use super::errors::from_policy_error;
use super::policy::{bad_argument, comparison_limit};
use super::principal::{change_out, Basis, JsPrincipal};
use crate::model::{CustomRole, Member, Team, Token};
use crate::policy::PolicyError;
use crate::rules::{audit_tokens, PermissionChange, Principal};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// The parts of a principal to replace: each one given replaces what the principal was built from.
#[derive(Deserialize, Default)]
struct PrincipalChange {
    #[serde(default)]
    token: Option<Token>,
    /// `null` makes the creator unknown; absent keeps it.
    #[serde(default, deserialize_with = "present")]
    member: Option<Option<Member>>,
    #[serde(default)]
    roles: Option<Vec<CustomRole>>,
    #[serde(default)]
    teams: Option<Vec<Team>>,
}

/// Reads a field that is present (even as `null`) as `Some`, so that absent and `null` differ.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Deserialize, Default)]
struct ChangeOptions {
    #[serde(default)]
    limit: Option<usize>,
}

#[derive(Deserialize, Default)]
struct AuditOptions {
    #[serde(default)]
    members: Option<Vec<Member>>,
    #[serde(default)]
    roles: Option<Vec<CustomRole>>,
    #[serde(default)]
    teams: Option<Vec<Team>>,
    #[serde(default)]
    now: Option<f64>,
    #[serde(default)]
    limit: Option<usize>,
}

fn options<T: for<'de> Deserialize<'de> + Default>(
    value: Option<JsValue>,
    what: &str,
) -> Result<T, JsValue> {
    from_js_or_default(value.unwrap_or(JsValue::UNDEFINED), what).map_err(bad_argument)
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
        change_out(&change)
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
/// found in `options.members` by `memberId`; `now` is `Date.now()` unless given.
#[wasm_bindgen(js_name = "auditTokens", unchecked_return_type = "TokenAudit[]")]
pub fn audit(
    #[wasm_bindgen(unchecked_param_type = "Token[]")] tokens: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AuditOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let tokens: Vec<Token> = super::convert::from_js(tokens, "tokens").map_err(bad_argument)?;
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
