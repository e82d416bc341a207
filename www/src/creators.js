// The creators of the tokens the audit checks, and their teams. The session knows only the caller's own member,
// and auditTokens can tell what a token asks beyond its creator only with that creator (and the teams whose
// roles join its cap) in hand, so the audit reads the others. A read that fails leaves that creator out: its
// tokens stay "not checked", and the failures are kept to say why.

import { app } from "./app-state.js";
import { logActivity } from "./activity.js";

/** Reads in flight at most: an Admin sees every member's tokens, and each creator is one request. */
const CONCURRENCY = 4;

/**
 * The members and teams the audit of `tokens` needs: what the session already has, plus every other creator
 * and every team of theirs it lacks, read with `client` and logged as one activity line. Returns
 * `{ members, teams, unread }`. Never throws.
 */
export async function loadCreators(client, tokens) {
  const caller = app.caller;
  const known = { members: caller?.member ? [caller.member] : [], teams: caller?.teams || [] };
  const found = await readCreators(client, tokens, known);
  if (found.read.members || found.read.teams) logReads(found.read, found.unread);
  return found;
}

/**
 * `known` (`{ members, teams }`) plus the creators of `tokens` and their teams that it lacks, read with `client`.
 * Returns `{ members, teams, unread, read }`: `unread` lists the reads that failed as
 * `{ what: "creator" | "team", key, error }`, `read` how many of each were asked for.
 */
export async function readCreators(client, tokens, known) {
  const unread = [];
  const memberIds = missing(
    tokens.map((t) => t.memberId),
    known.members.map((m) => m._id),
  );
  const members = await readAll(memberIds, (id) => client.getMember(id), "creator", unread);
  // Teams are read once their members are: only a creator's summary names them.
  const teamKeys = missing(
    members.flatMap((m) => (m.teams || []).map((t) => t.key)),
    known.teams.map((t) => t.key),
  );
  const teams = await readAll(teamKeys, (key) => client.getTeam(key), "team", unread);
  return {
    members: [...known.members, ...members],
    teams: [...known.teams, ...teams],
    unread,
    read: { members: memberIds.length, teams: teamKeys.length },
  };
}

/** The distinct values of `wanted` that are not in `have`, in first-seen order. */
function missing(wanted, have) {
  const skip = new Set(have);
  return [...new Set(wanted)].filter((key) => key && !skip.has(key));
}

/**
 * `read(key)` for every key, at most CONCURRENCY at once. Returns what was read; each failure is added to
 * `unread` instead, so that one member the caller may not see does not lose the others.
 */
async function readAll(keys, read, what, unread) {
  const found = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++];
      try {
        found.push(await read(key));
      } catch (error) {
        unread.push({ what, key, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
  return found;
}

/** One activity line for all the reads, as the caller's own reads are logged: they are requests like any other. */
function logReads(read, unread) {
  const parts = [count(read.members, "creator")];
  if (read.teams) parts.push(count(read.teams, "team"));
  const label = `read ${parts.join(" and ")} for the audit`;
  if (!unread.length) {
    logActivity({ label, predicted: null, result: { ok: true, summary: "200" }, agreement: "unchecked" });
    return;
  }
  const failed = unread.map((u) => `${u.what} ${u.key} (${u.error?.status || u.error?.code || "error"})`);
  const error = new Error(`could not read ${failed.join(", ")}`);
  logActivity({ label, predicted: null, result: { ok: false, error }, agreement: "failed" });
}

/**
 * One short line on what could not be read and why (the errors' codes), or null when everything was:
 * "2 creators could not be read (forbidden); their tokens are not checked."
 */
export function unreadNote(unread) {
  if (!unread.length) return null;
  const creators = unread.filter((u) => u.what === "creator");
  const teams = unread.filter((u) => u.what === "team");
  const parts = [];
  if (creators.length) {
    parts.push(`${count(creators.length, "creator")} could not be read (${codes(creators)}); ${creators.length === 1 ? "its" : "their"} tokens are not checked`);
  }
  if (teams.length) {
    parts.push(`${count(teams.length, "team")} could not be read (${codes(teams)}); the checks leave out the roles ${teams.length === 1 ? "it grants" : "they grant"}`);
  }
  return `${parts.join(". ")}.`;
}

function count(n, noun) {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/** "forbidden" or "2 forbidden, 1 not_found": the errors' codes, with how many of each when they differ. */
function codes(failures) {
  const byCode = new Map();
  for (const { error } of failures) {
    const code = error?.code || "error";
    byCode.set(code, (byCode.get(code) || 0) + 1);
  }
  if (byCode.size === 1) return [...byCode.keys()][0];
  return [...byCode].map(([code, n]) => `${n} ${code}`).join(", ");
}
