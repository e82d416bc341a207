// Create a token and see its secret once, reset it with a grace period, patch it, delete it after confirming.

import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openApp, pickToken, screenshot, persistedState, lastActivity, findActivity } from "./harness.mjs";

const env = useAppServer();

const SECRET = /^api-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Reads the secret dialog, closes it, and checks the secret left the page. */
async function takeSecretOnce(page) {
  await page.waitForSelector("#secret-dialog[open]");
  const secret = await page.inputValue("#secret-value");
  assert.match(secret, SECRET);
  await page.click("#secret-copy");
  await page.waitForFunction(() => document.querySelector("#secret-copy-status").textContent.length > 0);
  return secret;
}

async function closeSecret(page, secret) {
  await page.click("#secret-close");
  await page.waitForFunction(() => !document.querySelector("#secret-dialog").open);
  // The page clears the secret in the dialog's `close` event, which the browser fires in a task after `open`
  // turns false: give it a moment, then judge.
  await page.waitForFunction(() => document.querySelector("#secret-value").value === "", null, { timeout: 2_000 }).catch(() => {});
  assert.equal(await page.inputValue("#secret-value"), "", "the dialog forgets the secret when closed");
  assert.ok(!(await page.content()).includes(secret), "the secret is nowhere in the document");
  assert.ok(!(await persistedState(page)).includes(secret), "nor in storage, cookies or the URL");
}

const row = (page, name) => `#tokens-table tbody tr[data-token-name="${name}"]`;

test("create, rename, reset with a grace period, and delete a token", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.emulator.url });
  await pickToken(page, /Owner console/);

  // ---- create ----
  await page.click('.tab[data-view="create"]');
  await page.fill("#create-name", "e2e temporary");
  await page.fill("#create-description", "made by the end-to-end test");
  await page.selectOption("#create-role", "writer");
  await page.waitForSelector('#create-decision .decision[data-state="allowed"]');
  assert.equal(await page.isDisabled("#create-submit"), false);
  await screenshot(page, "create-form");
  await page.click("#create-submit");
  const created = await takeSecretOnce(page);
  await screenshot(page, "create-secret-once");
  await closeSecret(page, created);
  assert.ok(await findActivity(page, /create personal token e2e temporary.*201: created/), "the create is logged");

  // The new token is in the list with only its last four characters.
  await page.click('.tab[data-view="overview"]');
  await page.waitForSelector(row(page, "e2e temporary"));
  assert.equal(await page.textContent(`${row(page, "e2e temporary")} .secret-tail`), `…${created.slice(-4)}`);

  // ---- patch the name ----
  await page.click(`${row(page, "e2e temporary")} button[data-action="edit"]`);
  await page.waitForSelector("#edit-dialog[open]");
  assert.equal(await page.isDisabled("#edit-save"), true, "nothing changed yet");
  await page.fill("#edit-name", "e2e renamed");
  await page.waitForSelector('#edit-decision .decision[data-state="allowed"]');
  assert.match(await page.textContent("#edit-decision"), /updateAccessTokenName/);
  await screenshot(page, "edit-dialog");
  await page.click("#edit-save");
  await page.waitForSelector(row(page, "e2e renamed"));

  // ---- reset, keeping the old secret for an hour ----
  await page.click(`${row(page, "e2e renamed")} button[data-action="reset"]`);
  await page.waitForSelector("#reset-dialog[open]");
  await page.selectOption("#reset-grace", "3600000");
  await page.click("#reset-confirm");
  const reset = await takeSecretOnce(page);
  assert.notEqual(reset, created, "a reset issues a new secret");
  await closeSecret(page, reset);
  assert.ok(await findActivity(page, /reset e2e renamed \(old secret kept for a grace period\).*200: new secret/));
  await page.waitForFunction(
    ([sel, tail]) => document.querySelector(sel)?.textContent === tail,
    [`${row(page, "e2e renamed")} .secret-tail`, `…${reset.slice(-4)}`],
  );

  // Both secrets work during the grace period: paste the old one, then the new one.
  for (const secret of [created, reset]) {
    await page.fill("#paste-token", secret);
    await page.click("#use-pasted-token");
    await page.waitForFunction(
      (tail) => document.querySelector("#session-badge").textContent === `Using e2e renamed …${tail}`,
      secret.slice(-4),
    );
  }
  assert.match(await page.textContent("#caller-member-role"), /owner/);

  // ---- delete, after confirming ----
  await pickToken(page, /Owner console/);
  await page.click(`${row(page, "e2e renamed")} button[data-action="delete"]`);
  await page.waitForSelector("#delete-dialog[open]");
  assert.match(await page.textContent("#delete-title"), /e2e renamed/);
  await screenshot(page, "delete-confirm");
  // Changing one's mind keeps the token.
  await page.click('#delete-dialog button[value="cancel"]');
  assert.ok(await page.$(row(page, "e2e renamed")));
  await page.click(`${row(page, "e2e renamed")} button[data-action="delete"]`);
  await page.click("#delete-confirm");
  await page.waitForSelector(row(page, "e2e renamed"), { state: "detached" });
  const deleted = await findActivity(page, /delete e2e renamed.*204: deleted/);
  assert.equal(deleted?.agreement, "agree");

  // The deleted token's secret authenticates nothing now.
  await page.fill("#paste-token", reset);
  await page.click("#use-pasted-token");
  assert.match(await (await page.waitForSelector(".banner.error")).textContent(), /401/);

  const state = await persistedState(page);
  for (const s of [created, reset, ...env.emulator.tokens.map((t) => t.secret)]) assert.ok(!state.includes(s));
  assert.equal(await page.$(".banner.disagree"), null, "the server agreed with every prediction");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a service token can be created, and its policy cannot be edited", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  await page.click('.tab[data-view="create"]');
  await page.fill("#create-name", "e2e service");
  await page.check('input[name="kind"][value="service"]');
  await page.check('input[name="perm"][value="custom"]');
  await page.check('#create-custom-roles input[value="5f1b00000000000000000004"]');
  await page.waitForSelector('#create-decision .decision[data-state="allowed"]');
  await page.click("#create-submit");
  const secret = await takeSecretOnce(page);
  await closeSecret(page, secret);

  await page.click('.tab[data-view="overview"]');
  await page.waitForSelector(row(page, "e2e service"));
  assert.match(await page.textContent(`${row(page, "e2e service")}`), /Service token rotator/);
  await page.click(`${row(page, "e2e service")} button[data-action="edit"]`);
  assert.equal(await page.isDisabled("#edit-policy-toggle"), true);
  assert.match(await page.textContent("#edit-policy-note"), /fixed/);
  await context.close();
});

test("resetting the token in use switches the page to the new secret", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Admin automation/);
  await page.click(`${row(page, "Admin automation")} button[data-action="reset"]`);
  await page.click("#reset-confirm");
  const secret = await takeSecretOnce(page);
  await closeSecret(page, secret);
  await page.waitForFunction((tail) => document.querySelector("#session-badge").textContent.endsWith(tail), `…${secret.slice(-4)}`);
  // The page still works with the new secret.
  await page.click("#refresh-tokens");
  await page.waitForSelector(row(page, "Admin automation"));
  assert.equal((await lastActivity(page)).ok, "true");
  await context.close();
});
