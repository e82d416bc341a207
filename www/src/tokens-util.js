// Facts about one token the views need: its resource specifier, kind, owner and permissions in words.

/** The actions a token can be the resource of, in the order the views show them. */
export const TOKEN_ACTIONS = [
  "updateAccessTokenName",
  "updateAccessTokenDescription",
  "updateAccessTokenPolicy",
  "resetAccessToken",
  "deleteAccessToken",
];

/** Short column titles for TOKEN_ACTIONS. */
export const ACTION_TITLES = {
  createAccessToken: "create",
  updateAccessTokenName: "rename",
  updateAccessTokenDescription: "describe",
  updateAccessTokenPolicy: "policy",
  resetAccessToken: "reset",
  deleteAccessToken: "delete",
};

export function isService(token) {
  return token?.serviceToken === true;
}

/** `member/<memberId>:token/<id>` or `service-token/<id>` (spec §3). */
export function tokenResource(token) {
  return isService(token) ? `service-token/${token._id}` : `member/${token.memberId}:token/${token._id}`;
}

/** Whether an action applies to this token at all (service tokens' policies are fixed). */
export function actionApplies(token, action) {
  return !(isService(token) && action === "updateAccessTokenPolicy");
}

/** The token's name, or a stand-in built from its id. */
export function tokenLabel(token) {
  return token?.name || `token …${String(token?._id || "").slice(-6)}`;
}

/** Who made the token, as readable as the data allows: `{ name, email }` (email may be empty). */
export function ownerLabel(token) {
  const m = token?._member;
  if (!m) return { name: token?.memberId || "—", email: "" };
  const name = [m.firstName, m.lastName].filter(Boolean).join(" ");
  return { name: name || m.email, email: name ? m.email : "" };
}

/**
 * The token's permissions in words: `role: admin`, `custom: Flag editors, QA`, `inline: 3 statements`.
 * `rolesById` maps custom role ids and keys to roles so names can replace ids.
 */
export function permissionLabel(token, rolesById = new Map()) {
  // Responses carry both lists, empty when unused.
  if (token?.inlineRole?.length) return { kind: "inline", text: `inline policy (${plural(token.inlineRole.length, "statement")})` };
  if (token?.customRoleIds?.length) {
    const names = token.customRoleIds.map((id) => rolesById.get(id)?.name || rolesById.get(id)?.key || id);
    return { kind: "custom", text: `custom: ${names.join(", ")}` };
  }
  return { kind: "role", text: `role: ${token?.role || "reader"}` };
}

/** Indexes custom roles by both id and key. */
export function indexRoles(roles) {
  const map = new Map();
  for (const r of roles || []) {
    if (r._id) map.set(r._id, r);
    if (r.key) map.set(r.key, r);
  }
  return map;
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
