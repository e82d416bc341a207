//! LaunchDarkly's rules for who may see and manage which access token (spec §3), with explanations.
//!
//! A calling token is a [`Principal`]. What it may do is the AND of two layers: the token's own permissions
//! (its `role`, or its custom roles, or its inline policy) and the cap its creator puts on it (the creator's
//! base role as a member, plus the creator's custom roles, the roles its teams grant and its permission
//! grants). Every explanation says which layer refused.
//!
//! Custom roles that are referenced but not supplied never produce a wrong yes or no: roles add up, so an
//! answer the known roles allow stays allowed, and one they do not becomes `indeterminate`, naming the
//! missing roles (or teams, `team/<key>`, or action sets, `actionSet/<name>`).

mod audit;
mod change;
mod error;
mod layer;
mod manage;
mod principal;
mod request;
mod token_patch;
mod validity;
mod visibility;

pub use audit::{audit_tokens, TokenAudit, AUDIT_WORK_BUDGET};
pub use change::{
    is_management, ChangeGuards, ChangeReport, CheckedChange, PermissionChange, CHECK_WITNESSES,
};
pub use error::RuleError;
pub use layer::MemberBaseRole;
pub use manage::{
    create_resource, field_action, patch_actions, token_resource, CREATE_ACTION, DELETE_ACTION,
    RESET_ACTION, UPDATE_DESCRIPTION_ACTION, UPDATE_NAME_ACTION, UPDATE_POLICY_ACTION,
};
pub use principal::{Principal, Verdict};
pub use request::outcome_of;
pub use token_patch::apply_token_patch;
pub use validity::{
    resolve_custom_role_ids, validate_create, validate_inline_role, validate_token_role,
    TOKEN_ROLES,
};
