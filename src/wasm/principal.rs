//! `Principal`: what one token may see and do, compiled once from the token, its creator and the custom
//! roles, then asked many times (`can` is a few comparisons; `explain` also works out why).

use super::convert::{bounded, decode, from_js, from_js_or_default, to_js, to_json};
use super::errors::{from_policy_error, from_specifier_error};
use super::policy::{bad_argument, evaluated_action};
use crate::json::{At, FromJson, JsonError, Object};
use crate::model::{CustomRole, Member, Team, Token};
use crate::policy::{check_action_asked, Resource};
use crate::rules::{Principal, Verdict};
use serde_json::Value;
use std::cell::RefCell;

use wasm_bindgen::prelude::*;

/// Most actions and resources remembered per principal. `js/src/decision.mts` forgets them all well before
/// this (at 512); the bound is only there so that misuse of the internal methods cannot grow memory forever.
const SLOT_LIMIT: usize = 4096;

#[derive(Default)]
struct PrincipalOptions {
    roles: Option<Vec<CustomRole>>,
    member: Option<Member>,
    teams: Option<Vec<Team>>,
}

impl FromJson for PrincipalOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        Ok(PrincipalOptions {
            roles: object.optional("roles")?,
            member: object.optional("member")?,
            teams: object.optional("teams")?,
        })
    }
}

/// A calling token with its roles and its creator's cap, compiled. Its methods throw a `TypeError` (`code`
/// `"invalid_argument"`) for an argument of the wrong type or shape.
#[wasm_bindgen(js_name = "Principal")]
pub struct JsPrincipal {
    inner: Principal,
    /// What `can` remembers: actions and parsed resources, numbered, so that a repeated check crosses the
    /// boundary as two numbers. Parsing, copying strings into the module and hashing them cost far more
    /// than the check itself, and callers ask the same questions again and again (a list re-rendered, a
    /// menu of actions). The JavaScript side keeps the numbers by string and decides when to forget.
    slots: RefCell<Slots>,
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
            slots: RefCell::new(Slots::default()),
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

/// Actions and parsed resources remembered by a principal, by number.
#[derive(Default)]
struct Slots {
    actions: Vec<String>,
    resources: Vec<Resource>,
}

impl Slots {
    fn ensure_room(&self) -> Result<(), JsValue> {
        if self.actions.len() + self.resources.len() >= SLOT_LIMIT {
            return Err(bad_argument(
                "too many remembered actions and resources; forget them first".to_owned(),
            ));
        }
        Ok(())
    }
}

/// What `__checkSlots` answers for a number it did not hand out (the package's `can` never asks).
const NO_SUCH_SLOT: u32 = u32::MAX;

/// The numbers `__checkSlots` answers with; `js/src/decision.mts` reads them with the same meaning.
fn answer_code(answer: Verdict) -> u8 {
    match answer {
        Verdict::Allowed => 0,
        Verdict::Denied => 1,
        Verdict::DefaultDenied => 2,
        Verdict::Indeterminate => 3,
    }
}

/// `can` and `explain` are defined in TypeScript (`js/src/decision.mts`) on the generated class, from the internal
/// methods below, which it then removes; their declarations merge in.
#[wasm_bindgen(typescript_custom_section)]
const CAN_TYPE: &str = r#"
export interface Principal {
    /**
     * Whether the token may do `action` on `resource`: `allowed`, `effect` and `indeterminate`, without the
     * explanation, so that asking costs a few hundred nanoseconds (the principal remembers the actions and
     * resources it was asked about). An indeterminate answer (it depends on a custom role, creator, property
     * or view that was not supplied) is not allowed. A plain object.
     * @throws {PolicyError} for a resource that does not parse, and for an action or a resource that holds `*` or
     * a control character (a check asks about one action on one resource): `code` `"invalid_action"`, or the
     * resource's `"wildcard"` or `"bad_character"`, with the `span` at fault.
     * @throws {TypeError} (`code` `"invalid_argument"`) for an argument that is not a string.
     */
    can(action: string, resource: string): Verdict;
    /**
     * The same answer as `can`, with why: the statements that matched, a sentence, the roles and facts that
     * were missing, the project that could not be viewed. Many times slower than `can` the first time; the
     * principal keeps what it worked out, and asked again hands out a fresh copy of it. A plain object.
     * @throws {PolicyError} for a resource that does not parse, and for an action or a resource that `can`
     * refuses.
     * @throws {TypeError} (`code` `"invalid_argument"`) for an argument that is not a string.
     */
    explain(action: string, resource: string): Decision;
}
"#;

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

    /// Remembers `action` for `__checkSlots` and `__explainSlots` and returns its number. Throws a
    /// `PolicyError` (`invalid_action`) for an action that is empty or holds `*` or a control character.
    #[wasm_bindgen(js_name = "__slotAction", skip_typescript)]
    pub fn slot_action(&self, action: String) -> Result<u32, JsValue> {
        check_action_asked(&action).map_err(|e| from_policy_error(&e))?;
        let mut slots = self.slots.borrow_mut();
        slots.ensure_room()?;
        slots.actions.push(action);
        Ok((slots.actions.len() - 1) as u32)
    }

    /// Parses and remembers `resource` for `__checkSlots` and returns its number. Throws a `PolicyError` for
    /// a resource that does not parse.
    #[wasm_bindgen(js_name = "__slotResource", skip_typescript)]
    pub fn slot_resource(&self, resource: String) -> Result<u32, JsValue> {
        let parsed = Resource::parse_owned(resource).map_err(|e| from_specifier_error(&e))?;
        let mut slots = self.slots.borrow_mut();
        slots.ensure_room()?;
        slots.resources.push(parsed);
        Ok((slots.resources.len() - 1) as u32)
    }

    /// Forgets every remembered action and resource; their numbers mean nothing afterwards.
    #[wasm_bindgen(js_name = "__forgetSlots", skip_typescript)]
    pub fn forget_slots(&self) {
        *self.slots.borrow_mut() = Slots::default();
    }

    /// The answer for a remembered action on a remembered resource, as a number (see [`answer_code`]), or
    /// [`NO_SUCH_SLOT`]: what the package's `can` builds its answer from. Allocation-free, and a plain
    /// number rather than a `Result`, which the glue would return through an array on every call.
    #[wasm_bindgen(js_name = "__checkSlots", skip_typescript)]
    pub fn check_slots(&self, action: u32, resource: u32) -> u32 {
        let slots = self.slots.borrow();
        match (
            slots.actions.get(action as usize),
            slots.resources.get(resource as usize),
        ) {
            (Some(action), Some(resource)) => {
                u32::from(answer_code(self.inner.verdict(action, resource)))
            }
            _ => NO_SUCH_SLOT,
        }
    }

    /// Parses and remembers `resource`, and answers for the remembered action `action` on it, in one call:
    /// `number * 4 + answer` (see [`answer_code`]), what `can` does for a resource it has not seen. The
    /// string handed over becomes the resource's text, so it is copied into the module once. Throws a
    /// `PolicyError` for a resource that does not parse.
    #[wasm_bindgen(js_name = "__checkResource", skip_typescript)]
    pub fn check_resource(&self, action: u32, resource: String) -> Result<u32, JsValue> {
        let parsed = Resource::parse_owned(resource).map_err(|e| from_specifier_error(&e))?;
        let mut slots = self.slots.borrow_mut();
        let Some(action) = slots.actions.get(action as usize) else {
            return Err(bad_argument("no such remembered action".to_owned()));
        };
        let answer = answer_code(self.inner.verdict(action, &parsed));
        slots.ensure_room()?;
        slots.resources.push(parsed);
        Ok(((slots.resources.len() - 1) as u32) << 2 | u32::from(answer))
    }

    /// The whole decision for a remembered action on a remembered resource, with which statements of
    /// which roles decided and why: what the package's `explain` answers.
    #[wasm_bindgen(js_name = "__explainSlots", skip_typescript)]
    pub fn explain_slots(&self, action: u32, resource: u32) -> Result<JsValue, JsValue> {
        let slots = self.slots.borrow();
        match (
            slots.actions.get(action as usize),
            slots.resources.get(resource as usize),
        ) {
            (Some(action), Some(resource)) => decision_out(&self.inner.decide(action, resource)),
            _ => Err(bad_argument(
                "no such remembered action or resource".to_owned(),
            )),
        }
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
