// The built npm package under Deno: the policy engine offline, and the client against the emulator.
//
// Run with: deno test --allow-net --allow-read --allow-env --allow-run tests/deno/
// (scripts/test-deno.sh builds the package and the emulator first).

import { assert, assertEquals, assertMatch, assertRejects } from "./assert.ts";
import { ApiError, evaluate, Principal, TokensClient } from "tokengate";
import type { Member, Statement, Token } from "tokengate";

const ROOT = new URL("../../", import.meta.url);
const EMULATOR = Deno.env.get("TOKENGATE_EMULATOR") ?? new URL("target/debug/tokengate-emulator", ROOT).pathname;
const SECRET = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface Emulator {
  url: string;
  tokens: { secret: string; line: string }[];
  stop(): Promise<void>;
}

/** Starts the emulator with the demo seed and reads its banner (address, then one line per demo token). */
async function startEmulator(): Promise<Emulator> {
  const child = new Deno.Command(EMULATOR, {
    args: ["--listen", "127.0.0.1:0", "--seed", "demo"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const draining = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const deadline = Date.now() + 20_000;
  while (!(/listening on http:\/\/\S+/.test(text) && SECRET.test(text))) {
    if (Date.now() > deadline) throw new Error(`emulator not ready:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 100));
  const url = /listening on (http:\/\/\S+)/.exec(text)![1].replace(/\/+$/, "");
  const tokens = text.split("\n").filter((l) => SECRET.test(l)).map((l) => ({ secret: SECRET.exec(l)![0], line: l.replace(SECRET, "").trim() }));
  return {
    url,
    tokens,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      await draining;
    },
  };
}

function demoSecret(emulator: Emulator, word: string): string {
  const found = emulator.tokens.find(({ line }) => line.toLowerCase().includes(word));
  if (!found) throw new Error(`no demo token described as ${word}: ${emulator.tokens.map((t) => t.line).join(" | ")}`);
  return found.secret;
}

const MEMBER = "5f0000000000000000000001";
/** A member as `GET /api/v2/members/{id}` returns one (every field the schema requires). */
const adminMember: Member = {
  _id: MEMBER,
  _links: {},
  email: "ada@example.com",
  role: "admin",
  customRoles: [],
  _pendingInvite: false,
  _verified: true,
  mfa: "disabled",
  _lastSeen: 1_700_000_000_000,
  creationDate: 1_690_000_000_000,
};
const readerMember: Member = { ...adminMember, role: "reader" };

function token(role: string, serviceToken = false): Token {
  return {
    _id: "6a0000000000000000000001",
    ownerId: "acct",
    memberId: MEMBER,
    creationDate: 1_700_000_000_000,
    lastModified: 1_700_000_000_000,
    _links: {},
    role,
    serviceToken,
  };
}

const SERVICE = "service-token/6a0000000000000000000002";

Deno.test("Principal.can: an admin token made by an admin may delete service tokens, and explains why", () => {
  const principal = Principal.fromToken(token("admin"), { member: adminMember, roles: [] });
  assertEquals(principal.can("deleteAccessToken", SERVICE), { allowed: true, effect: "allow", indeterminate: false });
  const decision = principal.explain("deleteAccessToken", SERVICE);
  assertEquals(decision.allowed, true);
  assertEquals(decision.effect, "allow");
  assert(decision.matched.length > 0, "an allow names the statement that allowed it");
});

Deno.test("Principal.can: a reader token may not, and says why", () => {
  const principal = Principal.fromToken(token("reader"), { member: readerMember, roles: [] });
  assertEquals(principal.can("deleteAccessToken", SERVICE).allowed, false);
  const decision = principal.explain("deleteAccessToken", SERVICE);
  assertEquals(decision.allowed, false);
  assert(decision.reason.length > 0, "a denial carries a reason");
  // Plain data: JSON, spreading and structuredClone copy every field.
  assertEquals(JSON.parse(JSON.stringify(decision)), decision);
  assertEquals({ ...decision }, decision);
  assertEquals(structuredClone(decision), decision);
});

Deno.test("Principal.can: an argument of the wrong type is a TypeError with a code", () => {
  const principal = Principal.fromToken(token("reader"), { member: readerMember, roles: [] });
  let thrown: unknown;
  try {
    // @ts-expect-error the action is a string
    principal.can(1, SERVICE);
  } catch (error) {
    thrown = error;
  }
  assert(thrown instanceof TypeError, `a TypeError, got ${thrown}`);
  assertEquals([thrown.message, (thrown as TypeError & { code?: string }).code], ["action must be a string", "invalid_argument"]);
});

Deno.test("Principal.can: the member's base role caps an admin token", () => {
  const principal = Principal.fromToken(token("admin"), { member: readerMember, roles: [] });
  assertEquals(principal.can("deleteAccessToken", SERVICE).allowed, false);
  // A reader member may manage its own personal tokens, but a reader member's tokens cannot exceed reader.
  assertEquals(principal.checkCreate({ serviceToken: true }).allowed, false);
  assertEquals(principal.isAdmin, false);
});

Deno.test("evaluate: deny beats allow within one policy", () => {
  const statements: Statement[] = [
    { effect: "allow", actions: ["*"], resources: ["proj/*"] },
    { effect: "deny", actions: ["deleteProject"], resources: ["proj/prod"] },
  ];
  assertEquals(evaluate(statements, "deleteProject", "proj/prod").allowed, false);
  assertEquals(evaluate(statements, "deleteProject", "proj/dev").allowed, true);
});

Deno.test("TokensClient against the emulator: list, principal, and a typed error", async () => {
  const emulator = await startEmulator();
  try {
    const client = new TokensClient({ token: demoSecret(emulator, "admin automation"), baseUrl: emulator.url, maxRetries: 0 });
    const page = await client.list({ limit: 2 });
    assert(page.items.length > 0 && page.items.length <= 2, `page of ${page.items.length}`);
    assert((page.totalCount ?? -1) >= page.items.length, "totalCount counts every visible token");
    for (const item of page.items) assertEquals(item.token?.length ?? 4, 4, "list items carry only the last four characters");

    const principal = await client.principal();
    assertEquals(principal.isAdmin, true, "the demo's admin automation token is Admin");
    assertEquals(principal.checkCreate({ serviceToken: true }).allowed, true);
    const visible = principal.visible(page.items);
    assertEquals(visible.length, page.items.length, "everything listed to a token is visible to it");

    const error = await assertRejects(() => client.get("0123456789abcdef01234567"), ApiError);
    assertEquals((error as InstanceType<typeof ApiError>).status, 404);
    assertEquals((error as InstanceType<typeof ApiError>).code, "not_found");

    const stranger = new TokensClient({ token: "api-00000000-0000-4000-8000-000000000000", baseUrl: emulator.url, maxRetries: 0 });
    const unauthorized = await assertRejects(() => stranger.list(), ApiError);
    assertEquals((unauthorized as InstanceType<typeof ApiError>).status, 401);
    assertMatch((unauthorized as InstanceType<typeof ApiError>).code, /^unauthorized$/);
  } finally {
    await emulator.stop();
  }
});
