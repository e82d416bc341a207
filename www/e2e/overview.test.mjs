// Picking a token: who the caller is, the tokens it may see (paged, showAll for admins), and that the secret
// stays in memory only.

import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openApp, pickToken, screenshot, persistedState } from "./harness.mjs";

const env = useAppServer();

const rowNames = (page) => page.$$eval("#tokens-table tbody tr", (rows) => rows.map((r) => r.dataset.tokenName));

test("the page states the security rule before anything else", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  const note = await page.textContent("#security-note");
  assert.match(note, /never give an access token to an untrusted user's browser/i);
  assert.match(note, /same-origin proxy/i);
  assert.match(note, /edge worker/i);
  await context.close();
});

test("an owner's token: identity, member, roles and the first page of tokens", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  assert.equal(await page.textContent("#caller-token-name"), "Owner console");
  assert.equal(await page.textContent("#caller-member-role"), "owner");
  const caller = await page.textContent("#caller-body");
  assert.match(caller, /olivia\.owner@example\.com/);
  assert.match(caller, /Token manager/, "the account's custom roles are listed");

  const names = await rowNames(page);
  assert.ok(names.includes("Owner console"), `own token listed: ${names}`);
  assert.ok(names.includes("CI deploys"), "service tokens are visible to every token");
  assert.ok(!names.includes("Reader dashboards"), "other members' personal tokens need showAll");
  assert.match(await page.textContent("#session-badge"), /Owner console …c001/);
  await screenshot(page, "overview-owner");
  assert.deepEqual(errors, []);
  await context.close();
});

test("showAll lists every member's personal tokens for an admin, and pages through them", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  const before = await rowNames(page);
  assert.match(await page.getAttribute("#show-all-label", "title"), /this token is Admin/);

  await page.check("#show-all");
  await page.waitForFunction(() => [...document.querySelectorAll("#tokens-table tbody tr")].some((r) => r.dataset.tokenName === "Reader dashboards"));
  const info = await page.textContent("#page-info");
  const total = Number(/of (\d+)/.exec(info)[1]);
  assert.ok(total > before.length, `showAll shows more (${total} > ${before.length})`);

  // Pages of 5: the pages together hold every token exactly once.
  await page.selectOption("#page-size", "5");
  await page.waitForFunction(() => document.querySelectorAll("#tokens-table tbody tr").length === 5);
  const seen = [];
  for (let guard = 0; guard < 10; guard++) {
    seen.push(...(await page.$$eval("#tokens-table tbody tr", (rows) => rows.map((r) => r.dataset.tokenId))));
    if (await page.isDisabled("#page-next")) break;
    const first = seen[seen.length - 1];
    await page.click("#page-next");
    await page.waitForFunction((id) => !document.querySelector(`#tokens-table tbody tr[data-token-id="${id}"]`), first);
  }
  assert.equal(seen.length, total, "every token once across the pages");
  assert.equal(new Set(seen).size, total);
  await page.click("#page-prev");
  await page.waitForFunction(() => !document.querySelector("#page-prev").disabled || document.querySelector("#page-info").textContent.startsWith("1–"));
  await screenshot(page, "overview-show-all");
  await context.close();
});

test("a reader's token sees its own and the service tokens; showAll changes nothing", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Reader dashboards/);
  const names = await rowNames(page);
  assert.ok(names.includes("Reader dashboards"));
  assert.ok(names.includes("Metrics exporter"));
  assert.ok(!names.includes("Owner console"));
  const count = names.length;
  assert.match(await page.getAttribute("#show-all-label", "title"), /Only an Admin token/);
  await page.check("#show-all");
  await page.waitForFunction(() => document.querySelector("#activity li:first-child")?.textContent.includes("showAll"));
  assert.equal((await rowNames(page)).length, count);
  await context.close();
});

test("a no_access member whose rights come from teams: the teams are shown, and she may create tokens", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Tara's team token/);
  assert.equal(await page.textContent("#caller-member-role"), "no_access");
  const teams = await page.textContent("#caller-member-teams");
  assert.match(teams, /Mobile team/);
  assert.match(teams, /Project writer/, "the role the team grants");
  assert.match(teams, /projects: mobile/, "the team's own role attributes");
  assert.match(teams, /Release managers/);
  const create = await page.textContent("#caller-body .self-checks");
  assert.match(create, /create personal\s*allowed/i);
  await screenshot(page, "overview-team-member");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a token whose member left the account is refused, and the page says so", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  const options = await page.$$eval("#demo-token-select option", (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  const departed = options.find((o) => /Departed/.test(o.text));
  assert.ok(departed, "the demo seed has a departed member's token");
  await page.selectOption("#demo-token-select", departed.value);
  await page.click("#use-demo-token");
  const banner = await page.waitForSelector(".banner.error");
  assert.match(await banner.textContent(), /not accepted.*401/s);
  assert.equal(await page.getAttribute("#session-badge", "data-state"), "none");
  await context.close();
});

test("a pasted secret is taken into memory only: not in storage, cookies, the URL or the field", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  const secret = env.emulator.tokens.find((t) => /Admin automation/.test(t.label)).secret;
  await page.fill("#paste-token", secret);
  await page.click("#use-pasted-token");
  await page.waitForSelector("#caller-token-name");
  assert.equal(await page.textContent("#caller-token-name"), "Admin automation");
  assert.equal(await page.inputValue("#paste-token"), "", "the field is cleared");
  const state = await persistedState(page);
  for (const t of env.emulator.tokens) assert.ok(!state.includes(t.secret), `secret of ${t.label} not persisted`);
  // Nothing in the document holds it either (the demo list keeps secrets in script memory only).
  assert.ok(!(await page.content()).includes(secret));

  // After a reload the page has forgotten the token.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.getAttribute("#session-badge", "data-state"), "none");
  await context.close();
});

// Docs "Managing role assignments" (https://launchdarkly.com/docs/home/account/roles/manage-role-assignments):
// "If an account member has a both a base role and a custom role assigned, then the custom role takes precedence
// over the base role." Parker is a writer given the production-flags role: the writer row no longer applies.
test("a writer given a custom role: the card says the base role is replaced, and the refusal says why", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Parker's admin token/);
  assert.equal(await page.textContent("#caller-member-role"), "writer (replaced by custom roles)");
  const checks = await page.textContent("#caller-body .self-checks");
  // A writer may delete its own tokens; the role that replaced the writer row does not allow it.
  assert.match(checks, /delete itself\s*denied/i);
  assert.match(checks, /base role writer is replaced by the member's custom roles/);
  await screenshot(page, "overview-replaced-base-role");
  assert.deepEqual(errors, []);
  await context.close();
});
