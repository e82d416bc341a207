//! tokengate: a client for LaunchDarkly's Access Tokens API and a client-side copy of its custom-role policy
//! engine and token rules, so that a page or an edge worker can tell what a token may do, and why, before it asks.
//!
//! The core modules (`model`, `policy`, `patch`, `rules`, `api`) are pure and I/O-free, and private: what a
//! user needs is re-exported here, grouped below. The `wasm` module is the only one that knows about
//! JavaScript, and is compiled only for `wasm32`. `docs/architecture.md` draws the layers.
#![warn(missing_docs)]

// The crate's own unit tests share fixture files with the integration tests, which name it `tokengate`.
#[cfg(test)]
extern crate self as tokengate;

mod api;
pub mod json;
mod model;
mod patch;
mod policy;
mod rules;
/// The wasm-bindgen layer. Public only so that its tests can drive it from Rust; JavaScript users reach it
/// through the npm package.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
#[allow(missing_docs)]
pub mod wasm;

// Wire types: the API's requests and responses, field for field.
pub use model::{
    AccessTokenPost, CallerIdentity, CustomRole, CustomRoles, Effect, ErrorBody, Link, Links,
    Member, MemberSummary, MemberTeamSummary, PatchOperation, PatchRequest, PermissionGrant,
    RoleAttributes, Secret, Statement, StatementPair, StatementPost, Team, TeamCustomRole,
    TeamCustomRoles, TeamMembers, Token, Tokens, UnixMillis,
};

// The policy engine: resources, compiled policies, decisions and their explanations, the linter.
pub use policy::{
    check_action_asked, compare_policies, evaluate, implies, parse_action, parse_resource,
    role_statements, validate_policy, validate_statements, witness_limit, Access, AccessEntry,
    AccessStatement, ActionCheck, BaseRole, CompiledPolicy, DecidedBy, Decision, DecisionEffect,
    DecisionLayer, Diagnostic, Difference, Differences, MatchedStatement, PolicyComparison,
    PolicyError, PolicyOutcome, PolicySet, PolicySource, PropertySelector, Resource,
    ResourceSegment, RoleRef, SegmentRef, Severity, SourceKind, Span, SpecifierError, Truth,
    COMPARISON_WORK_BUDGET, DEFAULT_WITNESSES, KNOWN_ACTIONS, KNOWN_RESOURCE_TYPES,
    MAX_WALK_STATES, MAX_WITNESSES, SUMMARY_MAX_CHARS,
};

// JSON Patch (RFC 6902), and the same for access tokens with the API's rules.
pub use patch::{apply_json_patch, json_equal, PatchError, Pointer};

// The token rules: who may see and manage which token, and what a create or patch needs.
pub use rules::{
    apply_token_patch, audit_tokens, create_resource, field_action, is_management, outcome_of,
    patch_actions, resolve_custom_role_ids, token_resource, validate_create, validate_inline_role,
    validate_token_role, ChangeGuards, ChangeReport, CheckedChange, MemberBaseRole,
    PermissionChange, Principal, RuleError, TokenAudit, Verdict, AUDIT_WORK_BUDGET,
    CHECK_WITNESSES, CREATE_ACTION, DELETE_ACTION, RESET_ACTION, TOKEN_ROLES,
    UPDATE_DESCRIPTION_ACTION, UPDATE_NAME_ACTION, UPDATE_POLICY_ACTION,
};

// The REST client, over a transport the host supplies.
pub use api::{
    decode_body, decode_error, expect_empty, next_page, parse_body, redact_secrets, ApiError,
    ApiRequest, Client, ClientConfig, ConfigError, ErrorCode, HttpRequest, HttpResponse,
    JsonParser, JsonText, ListParams, Method, PrincipalParts, RetryPolicy, RoleListParams,
    Transport, TransportError, BETA_API_VERSION, DEFAULT_API_VERSION, DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES, KNOWN_API_VERSIONS,
};

/// The WebAssembly module's allocator: `talc` takes less room in the module than the default `dlmalloc`.
/// A wasm instance has one thread, which is what `TalckWasm` assumes.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
