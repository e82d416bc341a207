// Type-checked (tsc --noEmit --strict, see tsconfig.json), never run: uses the whole public API as an
// application would, and asserts with @ts-expect-error that wrong uses do not compile.
import {
  ApiError,
  Policy,
  PolicyError,
  Principal,
  TokensClient,
  evaluate,
  parseResource,
  validatePolicy,
  type AccessTokenPost,
  type ApiErrorCode,
  type CallOptions,
  type CallerIdentity,
  type CustomRole,
  type CustomRoles,
  type Decision,
  type DecisionEffect,
  type Diagnostic,
  type EvaluateOptions,
  type InvalidArgumentError,
  type Team,
  type ListAllOptions,
  type ListOptions,
  type Member,
  type PatchOperation,
  type PrincipalOptions,
  type ResetOptions,
  type ResourceSegment,
  type RoleListOptions,
  type Statement,
  type Token,
  type TokenAction,
  type Tokens,
  type Verdict,
} from "tokengate";

const policy: Statement[] = [
  { effect: "allow", resources: ["proj/*"], actions: ["*"] },
  { effect: "deny", notResources: ["proj/a"], notActions: ["viewProject"] },
];
const decision: Decision = evaluate(policy, "viewProject", "proj/a", { roleAttributes: { projects: ["a"] } });
const effect: "allow" | "deny" | "default-deny" = decision.effect;
const sameEffect: DecisionEffect = effect;
const firstMatch: number | undefined = decision.matched[0]?.statement;
const kind:
  | "baseRole"
  | "customRole"
  | "inlineRole"
  | "memberCap"
  | "teamRole"
  | "permissionGrant"
  | "statements"
  | undefined = decision.matched[0]?.role?.kind;
const diagnostics: Diagnostic[] = validatePolicy(JSON.parse("[]") as unknown);
const severity: "error" | "warning" | undefined = diagnostics[0]?.severity;
const segments: ResourceSegment[] = parseResource("proj/a;beta:env/b");
const segmentType: string | undefined = segments[0]?.type;

// @ts-expect-error an effect is "allow" or "deny"
const badStatement: Statement = { effect: "permit", resources: ["*"], actions: ["*"] };
// @ts-expect-error the action is a string
evaluate(policy, 3, "proj/a");

async function useClient(signal: AbortSignal): Promise<void> {
  const client = new TokensClient({
    token: "api-...",
    baseUrl: "http://127.0.0.1:8787",
    apiVersion: 20240415,
    maxRetries: 2,
    userAgent: "console/1",
    fetch: (input, init) => fetch(input, init),
  });
  const base: string = client.baseUrl;
  const page: Tokens = await client.list({ showAll: true, limit: 10, offset: 0, signal });
  const total: number | undefined = page.totalCount;
  for await (const token of client.listAll({ showAll: true, pageSize: 50, signal })) {
    const id: string = token._id;
    const service: boolean | undefined = token.serviceToken;
  }
  const body: AccessTokenPost = { name: "ci", role: "reader", serviceToken: true };
  const created: Token = await client.create(body, { signal });
  const ops: PatchOperation[] = [{ op: "replace", path: "/name", value: "x" }];
  const updated: Token = await client.update(created._id, ops);
  const commented: Token = await client.update(created._id, { comment: "why", patch: ops }, { signal });
  const reset: Token = await client.reset(created._id, { expiry: Date.now() + 60_000, signal });
  const gone: void = await client.delete(created._id, { signal });
  const who: CallerIdentity = await client.callerIdentity({ signal });
  const roles: CustomRoles = await client.listRoles({ limit: 5, signal });
  const role: CustomRole = await client.getRole("token-manager", { signal });
  const member: Member = await client.getMember(who.memberId ?? "me", { signal });
  const team: Team = await client.getTeam(member.teams?.[0]?.key ?? "ops", { signal });
  const teamRoleKeys: string[] | undefined = team.roles?.items?.map((r) => r.key);
  const grants: string[] | undefined = member.permissionGrants?.[0]?.actions;
  const principal: Principal = await client.principal({ signal });

  const admin: boolean = principal.isAdmin;
  // The creator's base role as written, and whether roles assigned to the member directly replace it.
  const creatorRole: "reader" | "writer" | "admin" | "owner" | "no_access" | undefined = principal.creatorRole;
  const creatorRoleInEffect: boolean = principal.creatorRoleInEffect;
  // @ts-expect-error the creator role is one of the five base roles, not any string
  const anyRole: "custom" = principal.creatorRole;
  const verdict: Verdict = principal.can("deleteAccessToken", "service-token/x");
  const may: boolean = verdict.allowed;
  const verdictEffect: DecisionEffect = verdict.effect;
  const unsure: boolean = verdict.indeterminate;
  // @ts-expect-error `can` answers without the explanation; `explain` has it
  const noReason: string = verdict.reason;
  const why: Decision = principal.explain("deleteAccessToken", "service-token/x");
  const because: string = why.reason;
  const matched: number = why.matched.length;
  const missing: string[] | undefined = why.missingRoles;
  const facts: string[] | undefined = why.missingFacts;
  const project: string | undefined = why.viewRequired;
  // @ts-expect-error a verdict is not a boolean
  const notBoolean: boolean = principal.can("deleteAccessToken", "service-token/x");
  // @ts-expect-error the resource is a string
  principal.can("deleteAccessToken", 3);
  // @ts-expect-error the action is a string
  principal.explain(3, "service-token/x");
  // Statements compiled once: a boolean from `can`, the `Decision` evaluate answers from `evaluate`.
  const compiled: Policy = Policy.compile([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }], { roleAttributes: { p: ["x"] } });
  const compiledMay: boolean = compiled.can("viewProject", "proj/x");
  const compiledWhy: Decision = compiled.evaluate("viewProject", "proj/x");
  // @ts-expect-error the resource is a string
  compiled.can("viewProject", 3);
  // @ts-expect-error `can` answers a boolean, not a decision
  const compiledReason: string = compiled.can("viewProject", "proj/x").reason;
  // @ts-expect-error options are `evaluate`'s
  Policy.compile([], { limit: 3 });
  compiled.free();
  const sees: boolean = principal.canSee(created);
  const seen: Decision = principal.see(created);
  const actions: TokenAction[] = principal.permittedActions(created);
  const action: Decision = principal.checkAction(created, "resetAccessToken");
  const patchDecision: Decision = principal.checkPatch(created, ops);
  const checks: string[] | undefined = patchDecision.checks?.map((c) => c.action);
  const createDecision: Decision = principal.checkCreate(body);
  const visible: Token[] = principal.visible(page.items, true);
  const offline: Principal = Principal.fromToken(created, { member, roles: roles.items, teams: [team] });
  // @ts-expect-error teams are Team objects, not keys
  Principal.fromToken(created, { member, teams: ["ops"] });

  // Every options argument may be left out.
  const firstPage: Tokens = await client.list();
  for await (const token of client.listAll()) {
    const name: string | undefined = token.name;
  }
  const one: Token = await client.get(created._id);
  const made: Token = await client.create(body);
  const renewed: Token = await client.reset(made._id);
  await client.delete(made._id);
  const me: CallerIdentity = await client.callerIdentity();
  const allRoles: CustomRoles = await client.listRoles();
  const someRole: CustomRole = await client.getRole("token-manager");
  const someone: Member = await client.getMember("me");
  const someTeam: Team = await client.getTeam("ops");
  const mine: Principal = await client.principal();
  const listed: Token[] = mine.visible(firstPage.items);
  const bare: Principal = Principal.fromToken(one);
  const plain: Decision = evaluate(policy, "viewProject", "proj/a");
  const options: CallOptions = {};
  const listOptions: ListOptions = { showAll: true };
  const allOptions: ListAllOptions = {};
  const roleOptions: RoleListOptions = {};
  const resetOptions: ResetOptions = { signal };
  const principalOptions: PrincipalOptions = {};
  const evaluateOptions: EvaluateOptions = {};

  // @ts-expect-error `limit` is a number
  await client.list({ limit: "10" });
  // @ts-expect-error a role is reader, writer or admin
  await client.create({ role: "owner" });
  // @ts-expect-error an operation has an op from RFC 6902
  await client.update("id", [{ op: "merge", path: "/name" }]);
  // @ts-expect-error the token is required
  new TokensClient({ baseUrl: "http://x" });
}

function handle(error: unknown): string {
  if (error instanceof ApiError) {
    const code: ApiErrorCode = error.code;
    const status: number = error.status;
    const retry: number | undefined = error.retryAfterMs;
    const request: string | undefined = error.requestId;
    return `${status} ${code} ${retry ?? ""} ${request ?? ""}`;
  }
  if (error instanceof PolicyError) {
    const start: number | undefined = error.span?.start;
    const problems: Diagnostic[] = error.diagnostics;
    return `${error.code} ${start ?? ""} ${problems.length}`;
  }
  if (isInvalidArgument(error)) {
    const code: "invalid_argument" = error.code;
    return `${error.name} ${code}: ${error.message}`;
  }
  return String(error);
}

/** The package's error for an argument of the wrong type: a `TypeError` with its code. */
function isInvalidArgument(error: unknown): error is InvalidArgumentError {
  return error instanceof TypeError && "code" in error && error.code === "invalid_argument";
}

export { useClient, handle, effect, sameEffect, firstMatch, kind, severity, segmentType, badStatement };
