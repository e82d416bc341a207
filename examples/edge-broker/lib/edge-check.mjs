// The permission check run at the edge: answers, from the snapshot alone, whether the upstream would refuse a
// request. Only certain refusals are acted on; anything the check cannot decide (unknown token, unparsable body,
// roles the snapshot lacks) goes upstream, which remains the authority.
//
// Only decisions are asked for, never an analysis: `checkPatch` and `checkCreate` are called with
// `{ analyse: false }`, which leaves out their `preview` and `guards` (comparisons of the token's permissions
// before and after, which for a hostile inline policy in the request body cost far more than the decision).

/** LaunchDarkly's messages for the two refusals the edge gives, as the upstream words them. */
export const FORBIDDEN = { status: 403, code: "forbidden", message: "Forbidden. Access to the requested resource was denied." };
export const NOT_FOUND = { status: 404, code: "not_found", message: "Invalid resource identifier" };

const ACTION_OF = { delete: "deleteAccessToken", reset: "resetAccessToken" };
/** The decision alone: no preview or guards. */
const DECISION_ONLY = Object.freeze({ analyse: false });

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
  const { principal } = snapshot;
  switch (route.operation) {
    case "create":
      return body && typeof body === "object" && !Array.isArray(body) ? refuseIfDenied(principal.checkCreate(body, DECISION_ONLY)) : null;
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
    return ops ? refuseIfDenied(principal.checkPatch(token, ops, DECISION_ONLY)) : null;
  }
  const action = ACTION_OF[operation];
  return refuseIfDenied(snapshot.remember(`${action} ${tokenId}`, () => principal.checkAction(token, action)));
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
