// What every fixture asks the installed package, and the answers it must give: a policy evaluated, a token's
// principal asked `can`, a client built with a placeholder token and a wrong argument refused (the checks entry,
// which has no client, is asked the rest). Nothing here
// touches the network. Each fixture imports the package its own way and hands the bindings over.

/** A writer token made by a writer, as the API returns them. */
const TOKEN = {
  _id: "5f1c0000000000000000000a",
  ownerId: "5f1c00000000000000000001",
  memberId: "5f1c00000000000000000002",
  name: "ci",
  role: "writer",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  _links: {},
};
const MEMBER = {
  _id: "5f1c00000000000000000002",
  _links: {},
  role: "writer",
  email: "writer@example.com",
  _pendingInvite: false,
  _verified: true,
  customRoles: [],
  mfa: "disabled",
  _lastSeen: 0,
  creationDate: 1690000000000,
};
/** Has the shape of a token; no request is ever sent with it. */
const PLACEHOLDER = "api-00000000-0000-4000-8000-000000000000";

/**
 * Runs the checks; resolves to the list of wrong answers (empty when all are right). `checksOnly` is for the
 * "tokengate/checks" entry: the same answers, and no client (nor the analyses) at all.
 */
export async function check({ evaluate, Policy, Principal, TokensClient, ApiError, PolicyError, parseResource }, { checksOnly = false } = {}) {
  const wrong = [];
  const expect = (what, actual, expected) => {
    if (actual !== expected) wrong.push(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  const refuses = async (what, run, Class, code) => {
    try {
      await run();
      wrong.push(`${what}: nothing was thrown`);
    } catch (e) {
      if (!(e instanceof Class) || !(e instanceof Error)) wrong.push(`${what}: threw ${e}, not a ${Class.name}`);
      else expect(`${what}: code`, e.code, code);
    }
  };

  const policy = [
    { effect: "allow", resources: ["proj/*"], actions: ["*"] },
    { effect: "deny", resources: ["proj/prod"], actions: ["deleteProject"] },
  ];
  const denied = evaluate(policy, "deleteProject", "proj/prod");
  expect("evaluate: deleteProject on proj/prod, allowed", denied.allowed, false);
  expect("evaluate: deleteProject on proj/prod, effect", denied.effect, "deny");
  expect("evaluate: deleteProject on proj/dev, allowed", evaluate(policy, "deleteProject", "proj/dev").allowed, true);
  // The fixtures that import it by name (the checks entry's always does) compile the statements once.
  if (Policy !== undefined || checksOnly) {
    const compiled = Policy.compile(policy);
    expect("Policy.can: deleteProject on proj/prod", compiled.can("deleteProject", "proj/prod"), false);
    expect("Policy.evaluate: deleteProject on proj/prod, effect", compiled.evaluate("deleteProject", "proj/prod").effect, "deny");
    compiled.free();
  }

  const writer = Principal.fromToken(TOKEN, { member: MEMBER });
  expect("Principal: tokenId", writer.tokenId, TOKEN._id);
  expect("Principal: a writer updates a flag", writer.can("updateOn", "proj/mobile:env/production:flag/checkout").allowed, true);
  expect("Principal: a writer deletes its own token", writer.can("deleteAccessToken", `member/${MEMBER._id}:token/${TOKEN._id}`).allowed, false);
  const creatorUnknown = Principal.fromToken(TOKEN).can("updateOn", "proj/mobile:env/production:flag/checkout");
  expect("Principal without its creator: allowed", creatorUnknown.allowed, false);
  expect("Principal without its creator: indeterminate", creatorUnknown.indeterminate, true);
  await refuses("Principal.can on a resource that does not parse", () => writer.can("viewProject", "proj/x:"), PolicyError, "missing_type");
  await refuses("parseResource", () => parseResource("proj/x:"), PolicyError, "missing_type");

  if (checksOnly) {
    expect("tokengate/checks: no TokensClient", TokensClient, undefined);
    expect("tokengate/checks: no Principal.compare", typeof writer.compare, "undefined");
    expect("tokengate/checks: Principal.canSee", typeof writer.canSee, "function");
    return wrong;
  }
  expect("Principal.compare", typeof writer.compare, "function");
  const client = new TokensClient({ token: PLACEHOLDER });
  expect("TokensClient: default baseUrl", client.baseUrl, "https://app.launchdarkly.com");
  await refuses("TokensClient without a token", () => new TokensClient({}), ApiError, "invalid_argument");
  await refuses("TokensClient with maxRetries 99", () => new TokensClient({ token: PLACEHOLDER, maxRetries: 99 }), ApiError, "invalid_argument");
  await refuses("TokensClient.get with a number for an id", () => client.get(42), ApiError, "invalid_argument");
  return wrong;
}

/** Prints `ok NAME`, or the wrong answers and `FAILED NAME` with a non-zero exit code (Node and Deno). */
export function report(name, wrong) {
  if (wrong.length === 0) {
    console.log(`ok ${name}`);
    return;
  }
  for (const line of wrong) console.error(`  ${line}`);
  console.error(`FAILED ${name}`);
  globalThis.process ? (globalThis.process.exitCode = 1) : globalThis.Deno.exit(1);
}
