// The inline policy editor's live diagnostics land on the characters they are about; the playground decides.

import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openApp, pickToken, screenshot } from "./harness.mjs";

const env = useAppServer();

/** Each diagnostic mark in an editor: its pointer, code, and its text offset and text within the source. */
async function marks(page, editorId) {
  return page.$$eval(`#${editorId}`, ([textarea]) => {
    const backdrop = textarea.parentElement.querySelector(".editor-backdrop");
    const out = [];
    let offset = 0;
    for (const node of backdrop.childNodes) {
      const text = node.textContent;
      if (node.nodeName === "MARK") out.push({ path: node.dataset.path, code: node.dataset.code, start: offset, text });
      offset += text.length;
    }
    return out;
  });
}

const BAD_RESOURCE = `[
  {
    "effect": "allow",
    "actions": ["updateAccessTokenName"],
    "resources": ["member/*:token/*", "proj/mobile:env/"]
  }
]`;

test("an inline policy with a bad resource shows the diagnostic at that resource", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  await page.click('.tab[data-view="create"]');
  await page.check('input[name="perm"][value="inline"]');
  await page.fill("#create-policy", BAD_RESOURCE);

  const item = await page.waitForSelector('#create-form .diag-item.error[data-path="/0/resources/1"]');
  assert.match(await item.textContent(), /line 5/);
  const found = (await marks(page, "create-policy")).filter((m) => m.path === "/0/resources/1");
  assert.equal(found.length, 1, "one mark for the bad resource");
  const valueStart = BAD_RESOURCE.indexOf('"proj/mobile:env/"');
  const valueEnd = valueStart + '"proj/mobile:env/"'.length;
  assert.ok(found[0].start >= valueStart && found[0].start < valueEnd, `the mark (${found[0].start}) sits inside the bad string (${valueStart}..${valueEnd})`);
  assert.equal(await page.getAttribute(".editor-gutter .ln:nth-child(5)", "class"), "ln error", "line 5 is flagged in the gutter");
  assert.equal(await page.isDisabled("#create-submit"), true, "no create while the policy has errors");
  await screenshot(page, "create-policy-diagnostic");

  // Fixing it clears the diagnostic and the create is checked against the policy instead.
  await page.fill("#create-policy", BAD_RESOURCE.replace("proj/mobile:env/", "proj/mobile:env/test"));
  await page.waitForSelector("#create-form .diag-ok");
  assert.deepEqual(await marks(page, "create-policy"), []);
  await page.waitForSelector('#create-decision .decision[data-state="allowed"]');
  await context.close();
});

test("a statement missing its effect and broken JSON are both placed", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await page.click('.tab[data-view="playground"]');
  const noEffect = `[
  { "effect": "allow", "actions": ["*"], "resources": ["proj/*"] },
  { "actions": ["*"], "resources": ["proj/*"] }
]`;
  await page.fill("#playground-policy", noEffect);
  const item = await page.waitForSelector('#view-playground .diag-item.error[data-path^="/1"]');
  assert.match(await item.textContent(), /line 3/);

  await page.fill("#playground-policy", '[\n  { "effect": "allow", "actions": ["*"] "resources": [] }\n]');
  const syntax = await page.waitForSelector('#view-playground .diag-item[data-code="json_syntax"]');
  assert.match(await syntax.textContent(), /line 2, col 41/);
  await context.close();
});

test("the playground explains a decision: deny beats allow, and a bad resource is underlined", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await page.click('.tab[data-view="playground"]');
  // The example policy allows everything on flags but denies update* in production.
  await page.fill("#pg-action", "updateFeatureFlag");
  await page.fill("#pg-resource", "proj/mobile:env/production:flag/checkout");
  const denied = await page.waitForSelector('#pg-result .decision[data-effect="deny"]');
  assert.match(await denied.textContent(), /Denied/);
  // One line a person reads at a glance.
  assert.equal(await page.textContent("#pg-result .decision .reason"), "Denied by policy, statement 1");
  assert.match(await page.textContent("#pg-result .matched"), /#1 deny/);
  await screenshot(page, "playground-deny");

  await page.fill("#pg-resource", "proj/mobile:env/test:flag/checkout");
  await page.waitForSelector('#pg-result .decision[data-effect="allow"]');
  assert.match(await page.textContent("#pg-resource-parse"), /flag\/checkout/);

  await page.fill("#pg-action", "viewProject");
  await page.fill("#pg-resource", "member/abc:token/xyz");
  await page.waitForSelector('#pg-result .decision[data-effect="default-deny"]');

  // Role attributes expand in resources.
  await page.fill("#playground-policy", '[{ "effect": "allow", "actions": ["*"], "resources": ["proj/${roleAttribute/projects}"] }]');
  await page.fill("#pg-resource", "proj/web");
  await page.fill("#pg-attrs", '{"projects": ["web"]}');
  await page.waitForSelector('#pg-result .decision[data-effect="allow"]');
  await page.fill("#pg-attrs", '{"projects": ["mobile"]}');
  await page.waitForSelector('#pg-result .decision[data-effect="default-deny"]');

  await page.fill("#pg-resource", "proj/web:env/");
  const err = await page.waitForSelector("#pg-resource-parse .spec-error mark");
  assert.ok((await err.textContent()).length >= 1);
  await context.close();
});

test("the playground shows what a change grants and revokes, with witnesses, before anything is saved", async () => {
  const { page, context } = await openApp(env.browser, env.emulator.url);
  await page.click('.tab[data-view="playground"]');
  // The first example: everything on flags, but no update* in production. An unchanged copy changes nothing.
  await page.waitForSelector('#change-result [data-state="equivalent"]');
  // Dropping the deny grants updates in production, and nothing is revoked.
  await page.fill(
    "#change-policy",
    '[{ "effect": "allow", "actions": ["*"], "resources": ["proj/*:env/*:flag/*"] }, { "effect": "allow", "actions": ["viewProject"], "resources": ["proj/*"] }]',
  );
  const granted = await page.waitForSelector("#change-result .change-granted .witnesses li");
  assert.match(await granted.textContent(), /update.* on .*env\/production/);
  assert.match(await page.textContent("#change-result .change-revoked"), /Nothing revoked/);
  await screenshot(page, "playground-change");
  await context.close();
});
