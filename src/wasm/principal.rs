//! `Principal`: what one token may see and do, compiled once from the token, its creator and the custom
//! roles, then asked many times (`can` is a few comparisons; `explain` also works out why).
//!
//! A principal keeps nothing but what it was compiled to: each question's action is checked and its resource
//! parsed when it is asked (both cost less than copying the strings into the module). The package's JavaScript
//! remembers the answers it was given, by the exact strings asked about (`js/src/decision.mts`).

use super::convert::{bounded, decode, from_js, from_js_or_default, to_js, to_json};
use super::errors::from_specifier_error;
use super::policy::{bad_argument, evaluated_action, question};
use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use crate::model::{CustomRole, Member, Team, Token};
use crate::policy::{Decision, DecisionEffect};
use crate::rules::{Principal, Verdict};
use serde_json::Value;
use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

#[derive(Default)]
struct PrincipalOptions {
    roles: Option<Vec<CustomRole>>,
    member: Option<Member>,
    teams: Option<Vec<Team>>,
}

impl FromJson for PrincipalOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(PrincipalOptions {
            roles: object.optional("roles"),
            member: object.optional("member"),
            teams: object.optional("teams"),
        })
    }
}

/// A calling token with its roles and its creator's cap, compiled. Its methods throw a `TypeError` (`code`
/// `"invalid_argument"`) for an argument of the wrong type or shape.
#[wasm_bindgen(js_name = "Principal")]
pub struct JsPrincipal {
    inner: Principal,
    /// What it was built from: a patch or a create is also checked for validity against the roles, and
    /// `compare` builds the changed principal from these with the changed parts replaced. Only those read it.
    #[cfg(feature = "analysis")]
    pub(super) basis: Basis,
}

/// What a principal was built from.
#[derive(Clone)]
pub(super) struct Basis {
    pub token: Token,
    pub member: Option<Member>,
    pub roles: Vec<CustomRole>,
    pub teams: Vec<Team>,
}

impl Basis {
    /// The principal these parts make.
    pub fn principal(&self) -> Principal {
        Principal::with_teams(&self.token, self.member.as_ref(), &self.roles, &self.teams)
    }
}

impl JsPrincipal {
    /// Builds the principal of `basis`.
    pub(super) fn new(basis: Basis) -> Self {
        JsPrincipal {
            inner: basis.principal(),
            #[cfg(feature = "analysis")]
            basis,
        }
    }

    /// The compiled principal.
    #[cfg(feature = "analysis")]
    pub(super) fn inner(&self) -> &Principal {
        &self.inner
    }
}

thread_local! {
    /// The verdicts `can` has answered, made once each and frozen: a verdict is built on every `can` the
    /// package's memo has not seen, and building one field by field crosses into JavaScript four times, more
    /// than the check costs. The package hands out copies; the frozen original cannot be changed by anyone.
    static VERDICTS: RefCell<[Option<JsValue>; 12]> = RefCell::new(Default::default());
}

/// `verdict` as the plain object `can` answers (`Verdict` in `types.rs`): `{ allowed, effect, indeterminate }`.
fn verdict_out(verdict: Verdict) -> JsValue {
    let effect = match verdict.effect() {
        DecisionEffect::Allow => 0,
        DecisionEffect::Deny => 1,
        DecisionEffect::DefaultDeny => 2,
    };
    let slot =
        effect * 4 + usize::from(verdict.allowed()) * 2 + usize::from(verdict.indeterminate());
    VERDICTS.with(|made| {
        made.borrow_mut()[slot]
            .get_or_insert_with(|| {
                let object = js_sys::Object::new();
                let set = |key: &str, value: &JsValue| {
                    // Setting a data property on a fresh plain object cannot fail.
                    let _ = Reflect::set(&object, &JsValue::from_str(key), value);
                };
                set("allowed", &JsValue::from_bool(verdict.allowed()));
                set("effect", &JsValue::from_str(verdict.effect().as_str()));
                set(
                    "indeterminate",
                    &JsValue::from_bool(verdict.indeterminate()),
                );
                js_sys::Object::freeze(&object).into()
            })
            .clone()
    })
}

/// A decision as `explain` answers it: every field a `can` answer has, `indeterminate` and the lists of
/// missing roles and facts even when false or empty, in this order; `viewRequired` and `checks` only when
/// set. (`evaluate` leaves out what is false or empty.)
struct Explanation<'a>(&'a Decision);

impl ToJson for Explanation<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        let d = self.0;
        let object = ObjectBuilder::new(out)
            .field("allowed", &d.allowed)
            .field("effect", &d.effect)
            .field("indeterminate", &d.indeterminate)
            .field("matched", &d.matched)
            .field("reason", &d.reason)
            .field("summary", &d.summary)
            .field("decidedBy", &d.decided_by)
            .field("missingRoles", &d.missing_roles)
            .field("missingFacts", &d.missing_facts)
            .optional("viewRequired", &d.view_required);
        if d.checks.is_empty() {
            object.end()
        } else {
            object.field("checks", &d.checks).end()
        }
    }
}

pub(super) fn token_arg(value: JsValue) -> Result<Token, JsValue> {
    from_js(value, "token").map_err(bad_argument)
}

pub(super) fn decision_out<T: crate::json::ToJson>(value: &T) -> Result<JsValue, JsValue> {
    to_js(value).map_err(bad_argument)
}

#[wasm_bindgen(js_class = "Principal")]
impl JsPrincipal {
    /// Compiles a principal for `token`. `member` is its creator (for a service token, as they were when
    /// the token was made, if known); `roles` are the custom roles known (a superset is fine); `teams` are
    /// the creator's teams as `getTeam` returns them (their roles join the cap, filled with the team's role
    /// attributes). Roles or teams that are referenced but not given make the answers they could change
    /// `indeterminate`.
    #[wasm_bindgen(js_name = "fromToken")]
    pub fn from_token(
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PrincipalOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<JsPrincipal, JsValue> {
        let token = token_arg(token)?;
        let options: PrincipalOptions =
            from_js_or_default(options.unwrap_or(JsValue::UNDEFINED), "principal options")
                .map_err(bad_argument)?;
        Ok(JsPrincipal::new(Basis {
            token,
            member: options.member,
            roles: options.roles.unwrap_or_default(),
            teams: options.teams.unwrap_or_default(),
        }))
    }

    /// The calling token's id.
    #[wasm_bindgen(getter, js_name = "tokenId")]
    pub fn token_id(&self) -> String {
        self.inner.token_id().to_owned()
    }

    /// The id of the member who created the calling token.
    #[wasm_bindgen(getter, js_name = "memberId")]
    pub fn member_id(&self) -> String {
        self.inner.member_id().to_owned()
    }

    /// Whether the calling token is a service token.
    #[wasm_bindgen(getter, js_name = "isService")]
    pub fn is_service(&self) -> bool {
        self.inner.is_service()
    }

    /// Whether the token has the "Admin" role: role `admin` and a creator whose base role in effect is admin
    /// or owner (roles assigned to the member directly replace its base role).
    #[wasm_bindgen(getter, js_name = "isAdmin")]
    pub fn is_admin(&self) -> bool {
        self.inner.is_admin()
    }

    /// The creator's base role as written (`"writer"`, ...), whether or not it is in effect; `undefined`
    /// when the creator is unknown or its role is not a base role.
    #[wasm_bindgen(
        getter,
        js_name = "creatorRole",
        unchecked_return_type = "MemberRole | undefined"
    )]
    pub fn creator_role(&self) -> Option<String> {
        self.inner
            .creator_role()
            .map(|role| role.as_str().to_owned())
    }

    /// Whether the creator's base role is in effect: `false` when roles assigned to the member directly
    /// replace it (and when the creator is unknown).
    #[wasm_bindgen(getter, js_name = "creatorRoleInEffect")]
    pub fn creator_role_in_effect(&self) -> bool {
        self.inner.creator_role_in_effect().is_some()
    }

    /// Whether the token may do `action` on `resource`: `allowed`, `effect` and `indeterminate`, without the
    /// explanation, so that asking costs a few hundred nanoseconds. An indeterminate answer (it depends on a
    /// custom role, creator, property or view that was not supplied) is not allowed. A plain object; the
    /// package remembers the answers it was given, so asking again does not call into the module.
    /// @throws {PolicyError} for a resource that does not parse, and for an action or a resource that holds `*`
    /// or a control character (a check asks about one action on one resource): `code` `"invalid_action"`, or
    /// the resource's `"wildcard"` or `"bad_character"`, with the `span` at fault.
    /// @throws {TypeError} (`code` `"invalid_argument"`) for an argument that is not a string.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (action, resource) = question(&action, &resource, |e| from_specifier_error(&e))?;
        Ok(verdict_out(self.inner.verdict(&action, &resource)))
    }

    /// The same answer as `can`, with why: the statements that matched, a sentence, the roles and facts that
    /// were missing, the project that could not be viewed. Many times slower than `can` the first time; the
    /// package remembers what it was given, and asked again hands out a fresh copy of it. A plain object.
    /// @throws {PolicyError} for a resource that does not parse, and for an action or a resource that `can`
    /// refuses.
    /// @throws {TypeError} (`code` `"invalid_argument"`) for an argument that is not a string.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (action, resource) = question(&action, &resource, |e| from_specifier_error(&e))?;
        let decision = self.inner.decide(&action, &resource);
        decision_out(&Explanation(&decision))
    }

    /// Whether the token may see `token` (get it by id).
    #[wasm_bindgen(js_name = "canSee")]
    pub fn can_see(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
    ) -> Result<bool, JsValue> {
        Ok(self.inner.can_see(&token_arg(token)?))
    }

    /// `canSee` with the reason.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn see(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
    ) -> Result<JsValue, JsValue> {
        decision_out(&self.inner.see(&token_arg(token)?))
    }

    /// The token actions the token may certainly do to `token` (none when it cannot see it).
    #[wasm_bindgen(js_name = "permittedActions", unchecked_return_type = "TokenAction[]")]
    pub fn permitted_actions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
    ) -> Result<JsValue, JsValue> {
        decision_out(&self.inner.permitted_actions(&token_arg(token)?))
    }

    /// Whether the token may do one token action (`deleteAccessToken`, `resetAccessToken`, ...) to `token`.
    /// Throws a `PolicyError` (`invalid_action`) for an action that is empty or holds `*` or a control character.
    #[wasm_bindgen(js_name = "checkAction", unchecked_return_type = "Decision")]
    pub fn check_action(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token")] token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TokenAction")] action: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = token_arg(token)?;
        let action = evaluated_action(&action)?;
        decision_out(&self.inner.check_action(&token, &action))
    }

    /// The tokens of `tokens` the token may list (the same objects, in order); other members' personal
    /// tokens only with `showAll` and the Admin role, as `GET /api/v2/tokens?showAll=true` does.
    #[wasm_bindgen(unchecked_return_type = "Token[]")]
    pub fn visible(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Token[]")] tokens: JsValue,
        #[wasm_bindgen(js_name = "showAll", unchecked_optional_param_type = "boolean")]
        show_all: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let json = to_json(&tokens)
            .map_err(|reason| bad_argument(bounded(&format!("tokens is not valid: {reason}"))))?;
        if !json.is_array() {
            return Err(bad_argument("tokens must be an array".to_owned()));
        }
        let decoded: Vec<Token> = decode(&json, "tokens").map_err(bad_argument)?;
        let shown = self.inner.visible(&decoded, show_all.unwrap_or(false));
        let out = js_sys::Array::new();
        let mut shown = shown.into_iter().peekable();
        for (index, token) in decoded.iter().enumerate() {
            if shown.peek().is_some_and(|s| std::ptr::eq(*s, token)) {
                shown.next();
                // Read again under a catch: a proxy may throw now although it answered the walk.
                let original = js_sys::Reflect::get_u32(&tokens, index as u32)
                    .map_err(|_| bad_argument(format!("tokens: reading `/{index}` threw")))?;
                out.push(&original);
            }
        }
        Ok(out.into())
    }
}
