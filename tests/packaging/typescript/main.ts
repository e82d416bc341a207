// The default entry under `tsc --strict`: names, argument and result types as a TypeScript user meets them.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import type { Decision, Statement, Token, ResourceSegment, TokensClientOptions } from "tokengate";

const policy: Statement[] = [
  { effect: "allow", resources: ["proj/*"], actions: ["*"] },
  { effect: "deny", resources: ["proj/prod"], actions: ["deleteProject"] },
];
const denied: Decision = evaluate(policy, "deleteProject", "proj/prod");
const effect: "allow" | "deny" | "default-deny" = denied.effect;
const allowed: boolean = denied.allowed;

const token: Token = {
  _id: "5f1c0000000000000000000a",
  ownerId: "5f1c00000000000000000001",
  memberId: "5f1c00000000000000000002",
  role: "writer",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  _links: {},
};
const principal: Principal = Principal.fromToken(token);
const can: boolean = principal.can("updateOn", "proj/mobile:env/production:flag/checkout").allowed;
const unsure: boolean | undefined = principal.can("viewProject", "proj/mobile").indeterminate;
const segments: ResourceSegment[] = parseResource("proj/mobile:env/production");

const options: TokensClientOptions = { token: "api-00000000-0000-4000-8000-000000000000", maxRetries: 0 };
const client = new TokensClient(options);
const baseUrl: string = client.baseUrl;
// @ts-expect-error a token is required
new TokensClient({});
// @ts-expect-error an id is a string
void client.get(42);

async function listNames(): Promise<(string | undefined)[]> {
  const names: (string | undefined)[] = [];
  for await (const t of client.listAll({ pageSize: 10 })) names.push(t.name);
  return names;
}

function describe(e: unknown): string {
  if (e instanceof ApiError) return `${e.status} ${e.code} ${e.requestId ?? ""} ${e.retryAfterMs ?? ""}`;
  if (e instanceof PolicyError) return `${e.code} ${e.span?.start ?? ""} ${e.diagnostics.length}`;
  return String(e);
}

export { effect, allowed, can, unsure, segments, baseUrl, listNames, describe };
