//! TypeScript declarations for every object crossing the boundary, emitted into the generated `.d.ts`.
//! They mirror the serde shapes of `crate::model` and `crate::policy` field for field; the package's
//! `tsc --strict` consumer test uses each of them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Milliseconds since the Unix epoch. */
export type UnixMillis = number;

/** A link to a related resource. */
export interface Link { href?: string; type?: string }
/** `_links`: link name to link. */
export type Links = Record<string, Link>;

/** Policy statement effect. */
export type Effect = "allow" | "deny";

/** One policy statement: exactly one of `resources`/`notResources` and of `actions`/`notActions`. */
export interface Statement {
  resources?: string[];
  notResources?: string[];
  actions?: string[];
  notActions?: string[];
  effect: Effect;
}

/** A token's own base role. */
export type TokenRole = "reader" | "writer" | "admin";
/** A member's base role. */
export type MemberRole = "reader" | "writer" | "admin" | "owner" | "no_access";

/** The member who created a token, as embedded in it. */
export interface MemberSummary {
  _links: Links;
  _id: string;
  firstName?: string;
  lastName?: string;
  role: MemberRole | (string & {});
  email: string;
}

/**
 * An access token. `token` is the whole secret after create and reset, else its last four characters.
 * Tokens from the API always carry `customRoleIds` and `inlineRole`, empty when unused; an empty list counts as
 * none wherever a token is read. A token made from custom roles or an inline policy has no `role`.
 */
export interface Token {
  _id: string;
  ownerId: string;
  memberId: string;
  _member?: MemberSummary;
  name?: string;
  description?: string;
  creationDate: UnixMillis;
  lastModified: UnixMillis;
  customRoleIds?: string[];
  inlineRole?: Statement[];
  role?: TokenRole | (string & {});
  token?: string;
  serviceToken?: boolean;
  _links: Links;
  defaultApiVersion?: number;
  lastUsed?: UnixMillis;
}

/** A page of tokens. */
export interface Tokens { items: Token[]; _links?: Links; totalCount?: number }

/**
 * The body of a create: at most one of `role`, `customRoleIds`, `inlineRole` (none means `reader`); an empty
 * list is the same as leaving it out.
 */
export interface AccessTokenPost {
  name?: string;
  description?: string;
  role?: TokenRole;
  customRoleIds?: string[];
  inlineRole?: Statement[];
  serviceToken?: boolean;
  defaultApiVersion?: number;
}

/** One RFC 6902 operation. */
export interface PatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}
/** A patch: a bare JSON Patch array, or LaunchDarkly's `{ comment, patch }` wrapper. */
export type PatchRequest = PatchOperation[] | { comment?: string; patch: PatchOperation[] };

/** An account member. */
export interface Member {
  _links: Links;
  _id: string;
  firstName?: string;
  lastName?: string;
  role: MemberRole | (string & {});
  email: string;
  _pendingInvite: boolean;
  _verified: boolean;
  _pendingEmail?: string;
  customRoles: string[];
  mfa: string;
  excludedDashboards?: string[];
  _lastSeen: UnixMillis;
  _lastSeenMetadata?: unknown;
  _integrationMetadata?: unknown;
  teams?: MemberTeamSummary[];
  permissionGrants?: PermissionGrant[];
  creationDate: UnixMillis;
  oauthProviders?: string[];
  version?: number;
  roleAttributes?: Record<string, string[]>;
}

/** A team a member belongs to, as the member shows it. */
export interface MemberTeamSummary {
  /** Keys of the custom roles the team grants. */
  customRoleKeys: string[];
  key: string;
  _links?: Links;
  name: string;
}

/** Actions granted to a member on one resource without a role: `actions`, or a named `actionSet`. */
export interface PermissionGrant {
  actionSet?: string;
  actions?: string[];
  /** Such as `team/qa-team`. */
  resource: string;
}

/** One custom role assigned to a team. */
export interface TeamCustomRole { key: string; name?: string; projects?: unknown; appliedOn?: UnixMillis }

/** The custom roles assigned to a team (one page). */
export interface TeamCustomRoles { totalCount?: number; items?: TeamCustomRole[]; _links?: Links }

/** A team; `roles`, `roleAttributes`, `members`, `projects` and `maintainers` only when expanded. */
export interface Team {
  description?: string;
  key: string;
  name?: string;
  _access?: unknown;
  _creationDate?: UnixMillis;
  _links?: Links;
  _lastModified?: UnixMillis;
  _version?: number;
  _idpSynced?: boolean;
  /** Fills `${roleAttribute/...}` in the roles this team grants. */
  roleAttributes?: Record<string, string[]>;
  roles?: TeamCustomRoles;
  members?: { totalCount?: number };
  projects?: unknown;
  maintainers?: unknown;
}

/** A custom role. */
export interface CustomRole {
  _id: string;
  _links: Links;
  _access?: unknown;
  description?: string;
  key: string;
  name: string;
  policy: Statement[];
  basePermissions?: "reader" | "no_access" | (string & {});
  resourceCategory?: string;
  assignedTo?: unknown;
  _presetBundleVersion?: number;
  _presetStatements?: Statement[];
}

/** A page of custom roles. */
export interface CustomRoles { _links?: Links; items: CustomRole[]; totalCount?: number }

/** `GET /api/v2/caller-identity`. */
export interface CallerIdentity {
  accountId?: string;
  environmentId?: string;
  projectId?: string;
  environmentName?: string;
  projectName?: string;
  authKind?: string;
  tokenKind?: string;
  clientId?: string;
  tokenName?: string;
  tokenId?: string;
  memberId?: string;
  serviceToken?: boolean;
  scopes?: string[];
}

/** Options of `new TokensClient(...)`. Never put a token in code served to untrusted users. */
export interface TokensClientOptions {
  /** The access token secret, sent as `Authorization`. */
  token: string;
  /** Default `https://app.launchdarkly.com`. */
  baseUrl?: string;
  /**
   * `LD-API-Version`: a version date (`20240415`, the default; LaunchDarkly also serves `20191212` and
   * `20160426`, whose token lists are not paginated) or `"beta"`. Anything else is refused up front.
   */
  apiVersion?: number | string;
  /** Retries for 429 (any call) and network errors or 5xx (GET and DELETE only); default 3, at most 10. */
  maxRetries?: number;
  /** `User-Agent` to send where the platform allows it. */
  userAgent?: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/** Every call accepts a signal; aborting rejects with `ApiError` code `aborted`. */
export interface CallOptions { signal?: AbortSignal }
export interface ListOptions extends CallOptions { showAll?: boolean; limit?: number; offset?: number }
export interface ListAllOptions extends CallOptions { showAll?: boolean; pageSize?: number }
export interface RoleListOptions extends CallOptions { limit?: number; offset?: number }
export interface ResetOptions extends CallOptions { /** When the old secret stops working (epoch ms). */ expiry?: UnixMillis }

/** Characters `start..end` (end exclusive) of a specifier. */
export interface Span { start: number; end: number }

/** A property-based selector of a segment, `{key:value}`, such as `{critical:true}`. */
export interface PropertySelector { key: string; value: string }

/** One segment of a resource specifier: `type/name;tags,{property:value},view:key`. */
export interface ResourceSegment {
  type: string;
  name: string;
  tags: string[];
  /** Property-based selectors, such as `{critical:true}` on an environment. */
  properties: PropertySelector[];
  /** Views the segment is linked to (a concrete resource), or that a pattern selects (`view:web`). */
  views: string[];
}

/** What a policy came from. */
export type SourceKind =
  | "baseRole"
  | "customRole"
  | "inlineRole"
  | "memberCap"
  | "teamRole"
  | "permissionGrant"
  | "statements";
export interface RoleRef { key: string; name: string; kind: SourceKind }

/** A statement that matched. */
export interface MatchedStatement {
  role?: RoleRef;
  /** Index in the policy as written. */
  statement: number;
  effect: Effect;
  /** An allow beaten by a deny of the same policy. */
  overridden?: boolean;
  /** Whether the statement applies depends on a property or view the resource does not state. */
  uncertain?: boolean;
  body: Statement;
}

/** One action of a compound operation. */
export interface ActionCheck { action: string; resource: string; allowed: boolean; indeterminate?: boolean; reason: string }

/** What decided: an allow, an explicit deny, or the default deny (nothing allowed it). */
export type DecisionEffect = "allow" | "deny" | "default-deny";

/** Whether something is allowed, without why: what `Principal.can` answers. */
export interface Verdict {
  /** Whether it is allowed; `false` when the answer is indeterminate. */
  allowed: boolean;
  effect: DecisionEffect;
  /** The answer depends on roles, properties or views that were not supplied. */
  indeterminate: boolean;
}

/** Which part of an answer decided it. */
export type DecisionLayer =
  | "policy"
  | "tokenRoles"
  | "creatorCap"
  | "viewRule"
  | "visibility"
  | "request";

/** What decided an answer: the layer, and where a statement did, its role and index. */
export interface DecidedBy {
  layer: DecisionLayer;
  role?: RoleRef;
  statement?: number;
  /** The creator's base role, when the cap refused what it would have allowed but roles assigned to the member
   * directly replace it. */
  replacedBaseRole?: MemberRole;
}

/** Whether something is allowed, and why. */
export interface Decision {
  allowed: boolean;
  effect: DecisionEffect;
  matched: MatchedStatement[];
  /** Every reason in full. */
  reason: string;
  /** One line a person reads at a glance (at most 120 characters), such as
   * `Denied by inline policy, statement 2`. */
  summary: string;
  /** Which layer decided, and by which role and statement. */
  decidedBy: DecidedBy;
  indeterminate?: boolean;
  missingRoles?: string[];
  /** What the resource string leaves out that the answer depends on, such as
   * `property "critical" of proj/p:env/production` or `views of proj/p:env/e:flag/f`. */
  missingFacts?: string[];
  /** Set when the view rule refused: the project on which nothing allows `viewProject`. */
  viewRequired?: string;
  checks?: ActionCheck[];
}

/** One problem found in a policy. */
export interface Diagnostic {
  severity: "error" | "warning";
  code: string;
  message: string;
  /** JSON pointer into the policy, such as `/2/resources/0`. */
  path: string;
  span?: Span;
}

/** The actions custom roles use for tokens. */
export type TokenAction =
  | "createAccessToken"
  | "updateAccessTokenPolicy"
  | "updateAccessTokenName"
  | "updateAccessTokenDescription"
  | "deleteAccessToken"
  | "resetAccessToken";

/** Options of `Principal.fromToken`. */
export interface PrincipalOptions {
  /** The custom roles known (any superset of the ones the token and its creator reference). */
  roles?: CustomRole[];
  /** The token's creator (for a service token, as they were when it was made, if known). */
  member?: Member;
  /** The creator's teams, as `getTeam` returns them (`expand=roles,roleAttributes`). */
  teams?: Team[];
}

/** One (action, resource) pair two policies decide differently, with both decisions. */
export interface Difference {
  /** A plain action name. */
  action: string;
  /** A concrete resource stating every tag, property and view the decisions depend on. */
  resource: string;
  before: Decision;
  after: Decision;
}

/** The differences of one direction: at most `limit` witnesses, one per region of change, and how many
 * regions there are in all. */
export interface Differences { witnesses: Difference[]; total: number }

/** What changes from one policy to another (`comparePolicies`). `revoked` is empty exactly when the second
 * policy allows everything the first allows. */
export interface PolicyComparison {
  /** Allowed after, not before. */
  granted: Differences;
  /** Allowed before, not after. */
  revoked: Differences;
  /** Whether both allow exactly the same pairs. */
  equivalent: boolean;
}

/** What a change of permissions grants and revokes (`checkPatch`'s `preview`, `Principal.compare`,
 * `Principal.lockout`). */
export interface PermissionChange {
  /** Allowed after, not before. */
  granted: Differences;
  /** Allowed before, not after. */
  revoked: Differences;
  /** Roles (id or key), teams (`team/<key>`), creators (`member/<id>`) or action sets (`actionSet/<name>`) not
   * supplied, when pairs they leave unknown on either side were left out of `granted` and `revoked`. Empty when
   * the comparison is exact. */
  missing: string[];
  /** Whether both sides allow the same pairs (among those both decide). */
  equivalent: boolean;
}

/** The guards of a create or patch. */
export interface ChangeGuards {
  /** What the caller may manage now (the token actions on tokens, any action but a view on roles) and could not
   * after: set for a patch of the calling token itself, else `null`. */
  lockout: Differences | null;
  /** What the token's own permissions would allow that its creator's do not: refused at use by the creator's
   * cap (a service token "will fail to perform actions"). Set when the token's creator is the caller's, else
   * `null`. */
  escalation: Differences | null;
  /** What could not be read, as in `PermissionChange.missing`. */
  missing: string[];
}

/** `checkPatch`'s answer: the decision, and when the patch changes the token's permissions, what the change
 * grants and revokes in the token's own permissions (before the creator's cap, which limits both sides alike)
 * and the guards. Absent when the patch does not apply or the comparison is past its work budget. */
export interface PatchDecision extends Decision { preview?: PermissionChange; guards?: ChangeGuards }

/** `checkCreate`'s answer: the decision; what the new token could do (`preview.granted`: its own permissions
 * under its creator's cap, as gained from nothing; `revoked` is empty); and the escalation guard (`lockout` is
 * always `null`). Absent past the comparison's work budget. */
export interface CreateDecision extends Decision { preview?: PermissionChange; guards?: ChangeGuards }

/** How much `checkPatch` and `checkCreate` work out: `analyse: false` answers the decision alone, without the
 * `preview` and `guards` (comparisons of policies, which can cost far more than the decision). */
export interface CheckOptions { analyse?: boolean }

/** What `checkReset` answers: whether the caller may reset the token, and in `guards.escalation` what the
 * token's new secret would let the caller do that it may not do now (absent past the comparison's work budget). */
export interface ResetDecision extends Decision { guards?: ChangeGuards }

/** The creator of the token to reset, and that creator's teams; without `member`, the caller's own creator when
 * it made the token, else unknown. */
export interface ResetOptions { member?: Member | null; teams?: Team[] }

/** The parts of a principal to replace in `Principal.compare` and `Principal.lockout`; each part given replaces
 * what the principal was built from (`member: null` makes the creator unknown). */
export interface PrincipalChange {
  token?: Token;
  member?: Member | null;
  roles?: CustomRole[];
  teams?: Team[];
}

/** Options of `Principal.compare` and `Principal.lockout`. */
export interface ChangeOptions {
  /** Witnesses per direction, 20 unless told, at most 1000. */
  limit?: number;
}

/** What `auditTokens` found about one token. */
export interface TokenAudit {
  tokenId: string;
  name: string | null;
  service: boolean;
  /** What the token's own permissions allow that its creator's do not (refused at use); `null` when that
   * could not be told (see `unchecked`). */
  beyondCreator: Differences | null;
  /** Why `beyondCreator` is `null`: the creator was not supplied, the comparison is past its work budget, or
   * the audit spent its own budget before it reached this token. */
  unchecked: string | null;
  /** The same, for programs: `creator_missing`, `comparison_too_large` (this token's comparison), or
   * `audit_too_large` (not reached: tokens with the same permissions and creator are compared once, and all the
   * audit's comparisons together stop at `AUDIT_WORK_BUDGET` units). */
  uncheckedCode: "creator_missing" | "comparison_too_large" | "audit_too_large" | null;
  /** Roles the token refers to that were not supplied. */
  missingRoles: string[];
  /** Whatever else was not supplied (the creator's roles, teams, action sets) that left pairs out of
   * `beyondCreator`. */
  missing: string[];
  /** When the token was last used (milliseconds since the epoch), if ever. */
  lastUsed: number | null;
  /** Whole days from `lastUsed` to the audit's `now`; `null` for a token never used. */
  idleDays: number | null;
}

/** Options of `auditTokens`. */
export interface AuditOptions {
  /** The account's members: each token's creator is found by `memberId`. */
  members?: Member[];
  /** The custom roles known. */
  roles?: CustomRole[];
  /** The creators' teams, as `getTeam` returns them. */
  teams?: Team[];
  /** The time to measure idleness from, in milliseconds since the epoch; `Date.now()` unless given. */
  now?: number;
  /** Witnesses per token, 20 unless told, at most 1000. */
  limit?: number;
}

/** Options of `comparePolicies`. */
export interface CompareOptions {
  roleAttributes?: Record<string, string[]>;
  /** Witnesses per direction, 20 unless told, at most 1000. */
  limit?: number;
}

/** Options of `evaluate` and `Policy.compile`. */
export interface EvaluateOptions { roleAttributes?: Record<string, string[]> }

/** Options of `parseResource`. */
export interface ParseResourceOptions {
  /**
   * Read the string as the resource `can` and `evaluate` are asked about rather than as a policy's pattern: no
   * globs or role attributes, and `*` and control characters refused (`wildcard`, `bad_character`).
   */
  concrete?: boolean;
}
"#;
