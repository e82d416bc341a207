// Reading the audit's creators: each unknown creator once, a few at a time, and a failed read kept with its
// reason instead of failing the rest.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readCreators, unreadNote } from "../src/creators.js";

/** An ApiError as the client rejects with it: status and code. */
function apiError(status, code) {
  return Object.assign(new Error(`${status} ${code}`), { status, code });
}

/** A client whose reads answer from `members` and `teams` after a tick, counting the reads in flight. */
function fakeClient({ members = {}, teams = {} }) {
  const stats = { inFlight: 0, most: 0, calls: [] };
  const answer = async (what, key, table) => {
    stats.calls.push(`${what} ${key}`);
    stats.inFlight++;
    stats.most = Math.max(stats.most, stats.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stats.inFlight--;
    const value = table[key];
    if (value instanceof Error) throw value;
    if (!value) throw apiError(404, "not_found");
    return value;
  };
  return {
    stats,
    getMember: (id) => answer("member", id, members),
    getTeam: (key) => answer("team", key, teams),
  };
}

const member = (id, teamKeys = []) => ({ _id: id, role: "writer", customRoles: [], teams: teamKeys.map((key) => ({ key, name: key, customRoleKeys: [] })) });
const token = (id, memberId) => ({ _id: id, memberId });

test("each unknown creator is read once, at most four at a time, and the known one not at all", async () => {
  const ids = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"];
  const client = fakeClient({ members: Object.fromEntries(ids.map((id) => [id, member(id)])) });
  const tokens = [...ids, ...ids, "me"].map((id, i) => token(`t${i}`, id));
  const found = await readCreators(client, tokens, { members: [member("me")], teams: [] });
  assert.deepEqual(client.stats.calls.sort(), ids.map((id) => `member ${id}`).sort());
  assert.ok(client.stats.most <= 4, `at most 4 in flight, saw ${client.stats.most}`);
  assert.ok(client.stats.most > 1, "reads overlap");
  assert.deepEqual(found.members.map((m) => m._id).sort(), ["me", ...ids].sort());
  assert.deepEqual(found.unread, []);
  assert.deepEqual(found.read, { members: 7, teams: 0 });
});

test("the creators' teams are read unless the session has them", async () => {
  const client = fakeClient({
    members: { a: member("a", ["mobile", "known"]), b: member("b", ["mobile"]) },
    teams: { mobile: { key: "mobile", roles: { items: [] } } },
  });
  const found = await readCreators(client, [token("t1", "a"), token("t2", "b")], { members: [], teams: [{ key: "known" }] });
  assert.deepEqual(client.stats.calls.filter((c) => c.startsWith("team")), ["team mobile"]);
  assert.deepEqual(found.teams.map((t) => t.key).sort(), ["known", "mobile"]);
});

test("a creator that cannot be read is left out with its error, and the others are still read", async () => {
  const client = fakeClient({
    members: { ok: member("ok"), hidden: apiError(403, "forbidden"), net: Object.assign(new Error("offline"), { status: 0, code: "network_error" }) },
  });
  const tokens = ["ok", "hidden", "gone", "net"].map((id) => token(`t-${id}`, id));
  const found = await readCreators(client, tokens, { members: [], teams: [] });
  assert.deepEqual(found.members.map((m) => m._id), ["ok"]);
  assert.deepEqual(
    found.unread.map((u) => [u.what, u.key, u.error.code]).sort(),
    [
      ["creator", "gone", "not_found"],
      ["creator", "hidden", "forbidden"],
      ["creator", "net", "network_error"],
    ],
  );
});

test("the note says how many could not be read and why, in one line", () => {
  assert.equal(unreadNote([]), null);
  const forbidden = { what: "creator", key: "a", error: apiError(403, "forbidden") };
  assert.equal(unreadNote([forbidden]), "1 creator could not be read (forbidden); its tokens are not checked.");
  assert.equal(
    unreadNote([forbidden, { ...forbidden, key: "b" }, { what: "creator", key: "c", error: apiError(404, "not_found") }]),
    "3 creators could not be read (2 forbidden, 1 not_found); their tokens are not checked.",
  );
  assert.equal(
    unreadNote([{ what: "team", key: "t", error: new Error("no code") }]),
    "1 team could not be read (error); the checks leave out the roles it grants.",
  );
});
