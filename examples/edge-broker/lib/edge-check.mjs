// The permission check run at the edge: answers, from the snapshot alone, whether the upstream would refuse a
// request. Only certain refusals are acted on; anything the check cannot decide (unknown token, unparsable body,
// roles the snapshot lacks) goes upstream, which remains the authority.
//
// Only decisions are asked for, never an analysis: `Principal.checkPatch` and `checkCreate` also compare the
// token's permissions before and after (their `preview` and `guards`), which for a hostile inline policy in the
// request body takes seconds of the isolate's time. So a patch is checked as the actions its paths need, each
// with `checkAction`, and a create as `createAccessToken` on what it creates, with `explain`.

/** LaunchDarkly's messages for the two refusals the edge gives, as the upstream words them. */
export const FORBIDDEN = { status: 403, code: "forbidden", message: "Forbidden. Access to the requested resource was denied." };
export const NOT_FOUND = { status: 404, code: "not_found", message: "Invalid resource identifier" };

const ACTION_OF = { delete: "deleteAccessToken", reset: "resetAccessToken" };
const CREATE_ACTION = "createAccessToken";
const POLICY_ACTION = "updateAccessTokenPolicy";

/** The action a change to each patchable field needs (the spec's mapping of patch paths to actions). */
const FIELD_ACTIONS = new Map([
  ["name", "updateAccessTokenName"],
  ["description", "updateAccessTokenDescription"],
  ["role", POLICY_ACTION],
  ["customRoleIds", POLICY_ACTION],
  ["inlineRole", POLICY_ACTION],
]);
/** JSON Patch operations that change what is at their `path` (`test` changes nothing). */
const CHANGING_OPS = new Set(["add", "remove", "replace", "move", "copy"]);

/** The resource specifier of a token, as custom-role policies name it. */
export function tokenResource(token) {
  return token.serviceToken ? `service-token/${token._id}` : `member/${token.memberId}:token/${token._id}`;
}

/**
 * Decides one request against a snapshot.
 * @param {import("./snapshot.mjs").Snapshot} snapshot
 * @param {{operation: string, tokenId?: string}} route
 * @param {unknown} body the parsed JSON body, or undefined when there is none or it does not parse
 * @param {number} now
 * @returns {null | {status: number, code: string, message: string, reason: string, checks?: object[]}}
 *          null to forward, otherwise the refusal to answer with
 */
export function refusalFor(snapshot, route, body, now) {
  switch (route.operation) {
    case "create":
      return body && typeof body === "object" && !Array.isArray(body) ? checkCreate(snapshot, body) : null;
    case "get":
    case "update":
    case "delete":
    case "reset":
      return checkTokenOperation(snapshot, route, body, now);
    default:
      return null;
  }
}

function checkTokenOperation(snapshot, { operation, tokenId }, body, now) {
  const { principal } = snapshot;
  if (snapshot.isKnownMissing(tokenId, now)) {
    return {
      ...NOT_FOUND,
      reason: `the upstream answered 404 for token ${tokenId} moments ago: it does not exist or this broker's token cannot see it`,
    };
  }
  const token = snapshot.tokens.get(tokenId);
  if (!token) return null;
  if (!snapshot.remember(`see ${tokenId}`, () => principal.canSee(token))) {
    return { ...NOT_FOUND, reason: principal.see(token).reason };
  }
  if (operation === "get") return null;
  if (operation === "update") {
    const ops = patchOperations(body);
    return ops ? checkPatch(snapshot, token, ops) : null;
  }
  const action = ACTION_OF[operation];
  return refuseIfDenied(actionDecision(snapshot, token, action));
}

function actionDecision(snapshot, token, action) {
  return snapshot.remember(`${action} ${token._id}`, () => snapshot.principal.checkAction(token, action));
}

/**
 * The actions a patch of `token` needs, each once, in the order first needed: the action of the field at each
 * changing operation's `path`, and for a `move` also at its `from`. Paths that are not patchable fields, and
 * a service token's permissions (fixed at creation), need none: the upstream refuses those patches with 400
 * whoever sends them, so the edge leaves them to it.
 * @param {{serviceToken?: boolean}} token
 * @param {unknown[]} ops
 * @returns {string[]}
 */
export function patchActions(token, ops) {
  const actions = [];
  const need = (pointer) => {
    const action = FIELD_ACTIONS.get(fieldOf(pointer));
    if (!action || (token.serviceToken === true && action === POLICY_ACTION)) return;
    if (!actions.includes(action)) actions.push(action);
  };
  for (const op of ops) {
    if (!op || typeof op !== "object" || !CHANGING_OPS.has(op.op)) continue;
    need(op.path);
    if (op.op === "move") need(op.from);
  }
  return actions;
}

/** The token field a JSON Pointer starts at (`/inlineRole/0/actions` is `inlineRole`), or undefined. */
function fieldOf(pointer) {
  if (typeof pointer !== "string" || !pointer.startsWith("/")) return undefined;
  return pointer.slice(1).split("/")[0].replaceAll("~1", "/").replaceAll("~0", "~");
}

/** A patch is refused when one of the actions it needs is certainly refused. */
function checkPatch(snapshot, token, ops) {
  const needed = patchActions(token, ops);
  const decisions = needed.map((action) => [action, actionDecision(snapshot, token, action)]);
  const refused = decisions.filter(([, d]) => d && !d.allowed && !d.indeterminate);
  if (refused.length === 0) return null;
  return {
    ...FORBIDDEN,
    reason: `the patch needs ${needed.join(", ")}; refused: ${refused.map(([a, d]) => `${a} (${d.reason})`).join("; ")}`,
    checks: decisions.flatMap(([, d]) => (Array.isArray(d?.checks) ? d.checks : [])),
  };
}

/**
 * A create is refused when `createAccessToken` is certainly refused on what it creates: `service-token/*`, or
 * `member/<the principal's member>:token/*`. The creator's base-role limit on the role asked for (a reader
 * member creates reader tokens only) is not checked here: the package gives it only with `checkCreate`'s
 * comparisons, so such a create goes upstream, which refuses it.
 */
function checkCreate(snapshot, body) {
  const { principal } = snapshot;
  const resource = body.serviceToken === true ? "service-token/*" : `member/${principal.memberId}:token/*`;
  return refuseIfDenied(snapshot.remember(`${CREATE_ACTION} ${resource}`, () => principal.explain(CREATE_ACTION, resource)));
}

/** The operations of a JSON Patch body, either bare or in LaunchDarkly's `{comment, patch}` wrapper. */
function patchOperations(body) {
  if (Array.isArray(body)) return body;
  if (body && typeof body === "object" && Array.isArray(body.patch)) return body.patch;
  return null;
}

function refuseIfDenied(decision) {
  if (!decision || decision.allowed || decision.indeterminate) return null;
  const refusal = { ...FORBIDDEN, reason: decision.reason };
  if (Array.isArray(decision.checks) && decision.checks.length > 0) refusal.checks = decision.checks;
  return refusal;
}
