// Which API calls the broker serves, and what each one is in terms of the token rules.
//
// Only the Access Tokens endpoints and the read-only identity endpoints a token console needs are exposed: the
// broker holds a secret that may be able to do far more than manage tokens, so everything else stays unreachable.

const TOKEN_ID = "[^/]+";
const ROUTES = [
  { pattern: new RegExp(`^/api/v2/tokens$`), methods: { GET: "list", POST: "create" } },
  { pattern: new RegExp(`^/api/v2/tokens/(${TOKEN_ID})$`), methods: { GET: "get", PATCH: "update", DELETE: "delete" } },
  { pattern: new RegExp(`^/api/v2/tokens/(${TOKEN_ID})/reset$`), methods: { POST: "reset" } },
  { pattern: /^\/api\/v2\/caller-identity$/, methods: { GET: "callerIdentity" } },
  { pattern: /^\/api\/v2\/roles$/, methods: { GET: "listRoles" } },
  { pattern: /^\/api\/v2\/roles\/([^/]+)$/, methods: { GET: "getRole" } },
  { pattern: /^\/api\/v2\/members\/([^/]+)$/, methods: { GET: "getMember" } },
];

/** Operations that name one token in the path. */
export const TOKEN_OPERATIONS = new Set(["get", "update", "delete", "reset"]);

/**
 * Classifies a request.
 * @returns {{ status: "ok", operation: string, tokenId?: string }
 *         | { status: "not_found" }
 *         | { status: "method_not_allowed", allow: string[] }}
 */
export function classify(method, pathname) {
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const operation = route.methods[method];
    if (!operation) return { status: "method_not_allowed", allow: Object.keys(route.methods) };
    const result = { status: "ok", operation };
    if (TOKEN_OPERATIONS.has(operation)) result.tokenId = safeDecode(match[1]);
    return result;
  }
  return { status: "not_found" };
}

function safeDecode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
