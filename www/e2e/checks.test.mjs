// Client-side checks before requests: disabled buttons with reasons, the permission matrix, a denied call handled
// as predicted, and the loud banner when the server disagrees with a prediction.

import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openApp, pickToken, screenshot, lastActivity, findActivity } from "./harness.mjs";

const env = useAppServer();

const row = (name) => `#tokens-table tbody tr[data-token-name="${name}"]`;

test("a reader's token gets disabled buttons that say why", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Reader dashboards/);
  const del = `${row("Reader dashboards")} button[data-action="delete"]`;
  assert.equal(await page.isDisabled(del), true, "a reader token may not delete even itself");
  assert.equal(await page.getAttribute(del, "data-decision"), "denied");
  const reason = await page.getAttribute(del, "title");
  assert.match(reason, /^Denied/);
  assert.ok(reason.length > "Denied by default: ".length, `the tooltip explains: ${reason}`);
  for (const action of ["edit", "reset"]) {
    assert.equal(await page.isDisabled(`${row("Reader dashboards")} button[data-action="${action}"]`), true, action);
  }
  // The details line says the same thing in the page.
  await page.click(`${row("Reader dashboards")} details.why summary`);
  const why = await page.textContent(`${row("Reader dashboards")} details.why li[data-why="delete"]`);
  assert.match(why, /Denied/);
  // Creating anything but a reader token is refused up front, with a message that says why.
  await page.click('.tab[data-view="create"]');
  await page.selectOption("#create-role", "admin");
  await page.waitForSelector('#create-decision .decision[data-state="denied"]');
  assert.equal(await page.isDisabled("#create-submit"), true);
  // The refusal is one short line; the layer that decided and the whole reason wait behind "Why".
  const line = await page.textContent("#create-decision .decision .reason");
  assert.ok(line.length <= 120 && /^Denied/.test(line), `one short line: ${line}`);
  assert.equal(await page.isVisible("#create-decision .decision-why .decided-by"), false);
  await page.click("#create-decision .decision-why summary");
  assert.match(await page.textContent("#create-decision .decision-why .decided-by"), /^Decided by /);
  await page.click('.tab[data-view="overview"]');
  await screenshot(page, "overview-reader-disabled");
  await context.close();
});

test("a denied call is refused by the server as predicted, and the page handles it", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Reader dashboards/);
  // Let denied buttons through to watch the server enforce the same rule.
  await page.uncheck("#enforce-checks");
  const del = `${row("Reader dashboards")} button[data-action="delete"]`;
  await page.waitForSelector(`${del}:not([disabled])`);
  await page.click(del);
  await page.waitForSelector("#delete-dialog[open]");
  assert.match(await page.textContent("#delete-decision"), /Denied/);
  await page.click("#delete-confirm");
  const banner = await page.waitForSelector('.banner[data-kind="info"]');
  assert.match(await banner.textContent(), /as the client predicted/);
  assert.match(await banner.textContent(), /403/);
  const last = await lastActivity(page);
  assert.equal(last.agreement, "agree");
  assert.equal(last.ok, "false");
  assert.equal(await page.$(".banner.disagree"), null, "no disagreement");
  assert.ok(await page.$(row("Reader dashboards")), "the token is still there");
  await screenshot(page, "denied-call-handled");
  await context.close();
});

test("the server disagreeing with a prediction raises a loud banner", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  // Stand in for a server whose rules differ from the client's: refuse a delete the client allows.
  await page.route("**/api/v2/tokens/*", (route) =>
    route.request().method() === "DELETE"
      ? route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ code: "forbidden", message: "Forbidden. Access to the requested resource was denied." }) })
      : route.continue(),
  );
  const del = `${row("CI deploys")} button[data-action="delete"]`;
  assert.equal(await page.getAttribute(del, "data-decision"), "allowed");
  await page.click(del);
  await page.click("#delete-confirm");
  const banner = await page.waitForSelector(".banner.disagree");
  const text = await banner.textContent();
  assert.match(text, /server disagreed/i);
  assert.match(text, /403/);
  assert.equal((await lastActivity(page)).agreement, "disagree");
  await screenshot(page, "server-disagrees");
  await context.close();
});

test("the permission matrix colours each token action for the caller", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Writer's admin token/);
  await page.click('.tab[data-view="matrix"]');
  await page.waitForSelector("#matrix-table");
  const cells = await page.$$eval("#matrix-table tbody tr", (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.querySelector("th").textContent,
        Object.fromEntries([...r.querySelectorAll("td")].map((td) => [td.dataset.action, { state: td.dataset.state, title: td.title }])),
      ]),
    ),
  );
  const own = Object.keys(cells).find((k) => k.startsWith("Writer flags"));
  const service = Object.keys(cells).find((k) => k.startsWith("CI deploys"));
  assert.ok(own && service, `rows: ${Object.keys(cells)}`);
  // The writer's cap lets an admin-role token manage the writer's own personal tokens, not service tokens.
  assert.equal(cells[own].deleteAccessToken.state, "allowed");
  assert.equal(cells[service].deleteAccessToken.state, "denied");
  assert.equal(cells[service].updateAccessTokenPolicy.state, "na");
  for (const cell of Object.values(cells).flatMap((r) => Object.values(r))) assert.ok(cell.title.length > 0, "every cell explains itself");
  await screenshot(page, "matrix-writer-admin");

  // A custom-role token: rename allowed on personal tokens only.
  await pickToken(page, /Casey's renamer/);
  await page.waitForSelector("#matrix-table");
  const renamer = await page.$$eval("#matrix-table tbody tr", (rows) =>
    rows.map((r) => ({ name: r.querySelector("th").textContent, rename: r.querySelector('td[data-action="updateAccessTokenName"]').dataset.state, del: r.querySelector('td[data-action="deleteAccessToken"]').dataset.state })),
  );
  assert.ok(renamer.some((r) => r.rename === "allowed"), JSON.stringify(renamer));
  assert.ok(renamer.every((r) => r.del === "denied"), JSON.stringify(renamer));
  await context.close();
});

test("custom roles the caller cannot read make decisions indeterminate, not wrong", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  // Hide the role list, as an account would from a token without read access to roles.
  await page.route("**/api/v2/roles*", (route) =>
    route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ code: "forbidden", message: "Forbidden. Access to the requested resource was denied." }) }),
  );
  await pickToken(page, /Casey's token manager/);
  assert.match(await page.textContent("#caller-body .problems"), /custom roles.*403/);
  const del = `${row("CI deploys")} button[data-action="delete"]`;
  assert.equal(await page.getAttribute(del, "data-decision"), "indeterminate");
  assert.equal(await page.isDisabled(del), false, "the client cannot know, so the server decides");
  assert.match(await page.getAttribute(del, "title"), /token-manager|5f1b00000000000000000001/, "the tooltip names the missing role");

  await page.click('.tab[data-view="matrix"]');
  await page.waitForSelector("#matrix-table");
  const states = await page.$$eval("#matrix-table td.cell", (tds) => tds.map((td) => td.dataset.state));
  assert.ok(states.includes("indeterminate"), JSON.stringify(states));
  await screenshot(page, "matrix-indeterminate");

  // The server then answers; an indeterminate prediction is never a disagreement.
  await page.click('.tab[data-view="overview"]');
  await page.click(del);
  await page.click("#delete-confirm");
  await page.waitForSelector(`${row("CI deploys")}`, { state: "detached" });
  assert.equal((await findActivity(page, /delete CI deploys/)).agreement, "unchecked");
  assert.equal(await page.$(".banner.disagree"), null);
  await context.close();
});
