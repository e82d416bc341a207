// The token in use, held in this module's memory only. Nothing here writes to storage, cookies or the URL:
// reloading the page forgets the token, which is the point (see the security note on the page).

import { TokensClient, Principal } from "tokengate/web";

let client = null;
let secretTail = "";

/** Starts using `secret` against this page's own origin (the emulator serves both). */
export function useSecret(secret) {
  client = new TokensClient({ token: secret, baseUrl: location.origin });
  secretTail = secret.slice(-4);
}

/** Drops the client and with it the only reference this page keeps to the secret. */
export function forget() {
  client = null;
  secretTail = "";
}

/** The client for the token in use; throws when there is none. */
export function currentClient() {
  if (!client) throw new Error("No token in use");
  return client;
}

export function hasSession() {
  return client !== null;
}

/**
 * Whether a view can render into `body` now: a token is in use and its data (`loaded`) is there. When not, `body`
 * says which ("No token in use." or "Loading…") and the view renders nothing else.
 */
export function readyToRender(body, loaded) {
  if (hasSession() && loaded) {
    body.className = "";
    return true;
  }
  body.className = "empty";
  body.replaceChildren(hasSession() ? "Loading…" : "No token in use.");
  return false;
}

/** The last four characters, which LaunchDarkly itself shows in token lists. */
export function sessionTail() {
  return secretTail;
}

/**
 * Everything about the caller that the page shows and the checks need: caller identity, its own token, its
 * member, the member's teams (with the roles and role attributes they give), the custom roles it can read,
 * and a Principal built from them. Reads that the token may not make (a role list it cannot see, say) leave
 * that part empty and are reported in `problems`; decisions then come out indeterminate rather than wrong.
 */
export async function loadCaller() {
  const c = currentClient();
  const problems = [];
  const identity = await c.callerIdentity();
  const attempt = async (what, fn) => {
    try {
      return await fn();
    } catch (error) {
      problems.push({ what, error });
      return null;
    }
  };
  const [self, member, rolesPage] = await Promise.all([
    identity.tokenId ? attempt("own token", () => c.get(identity.tokenId)) : null,
    identity.memberId ? attempt("member", () => c.getMember(identity.memberId)) : null,
    attempt("custom roles", () => c.listRoles()),
  ]);
  const roles = Array.isArray(rolesPage) ? rolesPage : rolesPage?.items || [];
  const teams = (
    await Promise.all((member?.teams || []).map((t) => attempt(`team ${t.key}`, () => c.getTeam(t.key))))
  ).filter(Boolean);
  let principal = null;
  if (self) {
    try {
      principal = Principal.fromToken(self, { roles, member: member || undefined, teams });
    } catch (error) {
      problems.push({ what: "permission checks", error });
    }
  }
  return { identity, self, member, teams, roles, principal, problems };
}
