// What a change would do, before it is sent: the edit dialog's preview and lockout warning, the create form's
// beyond-the-creator warning, and the token audit of what the caller can see.

import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openApp, pickToken, screenshot, findActivity } from "./harness.mjs";

const env = useAppServer();

const row = (name) => `#tokens-table tbody tr[data-token-name="${name}"]`;
const auditRow = (name) => `#audit-table tbody tr[data-token-name="${name}"]`;

/** The witnesses of a guard warning as "action on resource" lines. */
async function witnesses(page, selector) {
  return page.$$eval(`${selector} .witnesses li:not(.more)`, (lis) => lis.map((li) => li.textContent));
}

test("the edit dialog previews what a policy patch grants, and warns before the token in use locks itself out", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);

  // Another member's token: Casey's renamer may rename tokens; let it also edit their descriptions.
  await page.check("#show-all");
  await page.waitForSelector(row("Casey's renamer"));
  await page.click(`${row("Casey's renamer")} button[data-action="edit"]`);
  await page.waitForSelector("#edit-dialog[open]");
  await page.check("#edit-policy-toggle");
  await page.fill(
    "#edit-policy",
    JSON.stringify([{ effect: "allow", resources: ["member/*:token/*"], actions: ["updateAccessTokenName", "updateAccessTokenDescription"] }], null, 2),
  );
  await page.waitForSelector("#edit-decision .change-preview .preview-granted");
  const granted = await page.textContent("#edit-decision .preview-granted");
  assert.match(granted, /^This change grants 1 kind of request, such as updateAccessTokenDescription on member\/[^ ]+:token\//, granted);
  assert.equal(await page.textContent("#edit-decision .preview-revoked"), "It revokes nothing");
  assert.equal(await page.$("#edit-decision .guard-warning"), null, "not the token in use, and not the caller's creator: no guard");
  assert.equal(await page.isDisabled("#edit-save"), false);

  // Narrowing it instead revokes the renaming, and grants nothing.
  await page.fill("#edit-policy", JSON.stringify([{ effect: "allow", resources: ["member/*:token/*"], actions: ["updateAccessTokenDescription"] }]));
  await page.waitForFunction(() => /revokes 1 kind/.test(document.querySelector("#edit-decision .preview-revoked")?.textContent || ""));
  assert.match(await page.textContent("#edit-decision .preview-revoked"), /updateAccessTokenName on member\//);
  assert.match(await page.textContent("#edit-decision .preview-granted"), /updateAccessTokenDescription on member\//);
  await page.click("#edit-dialog button[value=cancel]");

  // The token in use trades its admin role for an inline policy on test flags: a warning says which token and
  // role management it would lose, with examples, while the patch itself is still allowed.
  await page.click(`${row("Owner console")} button[data-action="edit"]`);
  await page.waitForSelector("#edit-dialog[open]");
  assert.equal(await page.$("#edit-decision .guard-warning"), null, "no warning before anything changes");
  await page.check("#edit-policy-toggle");
  const warning = await page.waitForSelector('#edit-decision .guard-warning[data-guard="lockout"]');
  assert.match(await warning.textContent(), /Warning: lockout/);
  assert.match(await warning.textContent(), /This change locks this token out of managing \d+ kinds? of request/);
  const lost = await witnesses(page, '#edit-decision .guard-warning[data-guard="lockout"]');
  assert.ok(lost.length >= 1 && lost.length <= 3, `a few examples: ${lost}`);
  for (const w of lost) assert.match(w, /^\w+ on (member\/[^:]+:token\/|service-token\/|role\/)/, w);
  assert.ok(lost.some((w) => /^createAccessToken on /.test(w)), `creating tokens is among them: ${lost}`);
  assert.equal(await page.getAttribute("#edit-decision .decision", "data-state"), "allowed", "the patch itself is allowed");
  assert.match(await page.textContent("#edit-decision .preview-revoked"), /^It revokes \d+ kinds? of request/);
  await screenshot(page, "edit-lockout-warning");

  // Keeping the admin role (only a new name) leaves the permissions, and the warning, out.
  await page.uncheck("#edit-policy-toggle");
  await page.fill("#edit-name", "Owner console (renamed)");
  await page.waitForFunction(() => !document.querySelector("#edit-decision .change-preview"));
  assert.equal(await page.$("#edit-decision .guard-warning"), null);
  await page.click("#edit-dialog button[value=cancel]");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the create form warns, before sending, when the new token would ask beyond its creator", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  // Wendy is a writer: a writer token is within her permissions, an admin one is not.
  await pickToken(page, /Writer flags/);
  await page.click('.tab[data-view="create"]');
  await page.selectOption("#create-role", "writer");
  await page.waitForSelector("#create-decision .decision");
  assert.equal(await page.$("#create-decision .guard-warning"), null, "a writer token asks nothing beyond a writer");
  // What such a token could do is shown before anything is sent: a writer token changes flags.
  const could = await page.waitForSelector("#create-decision .create-preview .preview-granted");
  assert.match(await could.textContent(), /^The new token could do \d+ kinds? of request, such as /);
  assert.ok(Number(await could.getAttribute("data-total")) >= 1);

  await page.selectOption("#create-role", "admin");
  const warning = await page.waitForSelector('#create-decision .guard-warning[data-guard="escalation"]');
  const text = await warning.textContent();
  assert.match(text, /Beyond its creator: refused at use/);
  assert.match(text, /The token would ask for \d+ kinds? of request its creator may not do/);
  const total = Number(await warning.getAttribute("data-total"));
  const shown = await witnesses(page, "#create-decision .guard-warning");
  assert.ok(total >= 1 && shown.length >= 1 && shown.length <= Math.min(3, total), `${shown.length} of ${total}`);
  for (const w of shown) assert.match(w, /^\w+ on \S+$/, w);
  if (total > shown.length) assert.match(text, new RegExp(`and ${total - shown.length} more`));
  // Nothing is sent: the warning is drawn from the client-side check alone.
  assert.equal(await page.$$eval("#activity li", (lis) => lis.filter((li) => /create /.test(li.textContent)).length), 0);
  await screenshot(page, "create-escalation-warning");

  // An inline policy over every project is beyond a writer whose projects are limited; a service token says it
  // will fail to perform those actions.
  await page.check('input[name="perm"][value="inline"]');
  await page.check('input[name="kind"][value="service"]');
  await page.fill("#create-policy", JSON.stringify([{ effect: "allow", actions: ["*"], resources: ["*"] }]));
  await page.waitForFunction(() => /fail to perform/.test(document.querySelector('#create-decision .guard-warning[data-guard="escalation"]')?.textContent || ""));

  // Back within her permissions: the warning goes away.
  await page.fill("#create-policy", JSON.stringify([{ effect: "allow", actions: ["updateOn"], resources: ["proj/mobile:env/test:flag/*"] }]));
  await page.waitForFunction(() => !document.querySelector("#create-decision .guard-warning"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("the token audit lists what the caller can see, with what each asks beyond its creator", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Writer flags/);
  await page.click('.tab[data-view="audit"]');
  await page.waitForSelector("#audit-table");
  const headers = await page.$$eval("#audit-table thead th", (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(headers, ["Token", "Beyond its creator", "Missing roles", "Idle", "Not checked"]);
  const names = await page.$$eval("#audit-table tbody th[scope=row]", (ths) => ths.map((th) => th.textContent));
  for (const name of ["Writer flags", "Writer's admin token", "Metrics exporter"]) {
    assert.ok(names.some((n) => n.startsWith(name)), `${name} is listed: ${names}`);
  }

  // The seed's "Writer's admin token" asks for admin, beyond its writer creator: refused at use, with examples.
  const beyond = `${auditRow("Writer's admin token")} td.beyond`;
  assert.ok(Number(await page.getAttribute(beyond, "data-total")) >= 1);
  assert.match(await page.textContent(beyond), /^\d+ kinds? of request, refused at use/);
  assert.ok((await page.$$(`${beyond} .witnesses li`)).length >= 1);
  // The caller's own writer token asks nothing beyond, and has just been used; the other has never been used.
  assert.equal(await page.textContent(`${auditRow("Writer flags")} td.beyond`), "nothing");
  assert.equal(await page.textContent(`${auditRow("Writer flags")} td.idle`), "used today");
  assert.equal(await page.textContent(`${auditRow("Writer's admin token")} td.idle`), "never used");
  // Another member's service token is checked too: the audit reads its creator (Adam, an admin), whom a writer
  // may read, and finds nothing beyond him.
  assert.equal(await page.textContent(`${auditRow("CI deploys")} td.beyond`), "nothing");
  assert.equal(await page.textContent(`${auditRow("CI deploys")} td.unchecked`), "—");
  assert.match(await page.textContent("#audit-summary"), /^\d+ tokens: 1 asks beyond its creator, 0 could not be checked, \d+ never used\.$/);
  assert.equal(await page.$("#audit-unread"), null, "every creator was read");
  assert.ok(await findActivity(page, /read \d+ creators for the audit.*200/), "the creators' reads are logged");
  await screenshot(page, "token-audit");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the audit reads other members' creators and their teams, and says which it could not read", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  // Other members' personal tokens are listed, and audited, with showAll.
  await page.check("#show-all");
  await page.waitForSelector(row("Casey's renamer"));
  await page.click('.tab[data-view="audit"]');
  await page.waitForSelector("#audit-table");

  // Tara's rights come only from her teams: with them read, her admin token is checked against what they grant.
  const tara = `${auditRow("Tara's team token")} td`;
  assert.notEqual(await page.textContent(`${tara}.beyond`), "not checked");
  assert.equal(await page.textContent(`${tara}.unchecked`), "—", "nothing left out: her teams were read");
  // Casey's renamer, another member's personal token, is checked as well.
  assert.equal(await page.textContent(`${auditRow("Casey's renamer")} td.beyond`), "nothing");

  // The departed member cannot be read (404): that token alone stays unchecked, and one line says why.
  assert.equal(await page.textContent(`${auditRow("Departed member's token")} td.beyond`), "not checked");
  assert.match(await page.textContent(`${auditRow("Departed member's token")} td.unchecked`), /5f1a000000000000000000ff/);
  assert.equal(await page.textContent("#audit-unread"), "1 creator could not be read (not_found); its tokens are not checked.");
  assert.match(await page.textContent("#audit-summary"), /, 1 could not be checked,/);
  const reads = await findActivity(page, /creators and \d+ teams? for the audit/);
  assert.ok(reads, "the creators' and teams' reads are logged");
  assert.match(reads.text, /creator 5f1a000000000000000000ff \(404\)/);
  await screenshot(page, "token-audit-creators");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a caller that may not read members still gets its audit, with the unread creators unchecked", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  // Nadia (no_access) sees every service token but may read only herself: each of their creators is a 403.
  await pickToken(page, /Nadia's reader token/);
  await page.click('.tab[data-view="audit"]');
  await page.waitForSelector("#audit-table");
  for (const name of ["CI deploys", "Metrics exporter", "Rotation bot", "Mobile project bot"]) {
    assert.equal(await page.textContent(`${auditRow(name)} td.beyond`), "not checked", name);
  }
  // Her own token is checked: its reader role asks for what her no_access member may not do.
  assert.match(await page.textContent(`${auditRow("Nadia's reader token")} td.beyond`), /^\d+ kinds? of request, refused at use/);
  assert.equal(await page.textContent("#audit-unread"), "4 creators could not be read (forbidden); their tokens are not checked.");
  assert.match(await page.textContent("#audit-summary"), /, 4 could not be checked,/);
  assert.equal(await page.$(".banner.error"), null, "the refused reads are no error of the page");
  assert.ok(!(await page.content()).includes("api-0d3e"), "no secret on the page");
  await screenshot(page, "token-audit-unread");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the reset dialog warns when the token's new secret would hand the caller more than it has", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  // Casey's token may reset any token (the token-manager role); CI deploys is an Admin service token.
  await pickToken(page, /Casey's token manager/);
  await page.click(`${row("CI deploys")} button[data-action="reset"]`);
  await page.waitForSelector("#reset-dialog[open]");
  assert.match(await page.textContent("#reset-decision .decision"), /Allowed/);
  const warning = await page.waitForSelector('#reset-decision .guard-warning[data-guard="escalation"]');
  assert.match(await warning.textContent(), /new secret/);
  assert.ok(Number(await warning.getAttribute("data-total")) > 0);
  assert.ok((await witnesses(page, '#reset-decision .guard-warning[data-guard="escalation"]')).length > 0);
  await screenshot(page, "reset-escalation");
  await page.click("#reset-dialog button[value=cancel]");
  // Its own token holds nothing beyond itself: no warning.
  await page.click(`${row("Casey's token manager")} button[data-action="reset"]`);
  await page.waitForSelector("#reset-dialog[open]");
  await page.waitForFunction(() => /Allowed/.test(document.querySelector("#reset-decision .decision")?.textContent || ""));
  assert.equal(await page.$('#reset-decision .guard-warning[data-guard="escalation"]'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the audit runs in a worker: it shows its progress, and a cancel stops it", async () => {
  const { page, context, errors } = await openApp(env.browser, env.emulator.url);
  await pickToken(page, /Owner console/);
  // Record the progress line the moment it is inserted, and cancel then: the worker's first answer is a task that
  // cannot arrive before this observer runs.
  await page.evaluate(() => {
    window.__auditSeen = [];
    new MutationObserver(() => {
      const progress = document.querySelector("#audit-progress");
      if (progress && !window.__auditSeen.includes("progress")) {
        window.__auditSeen.push("progress");
        document.querySelector("#audit-cancel").click();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.click('.tab[data-view="audit"]');
  await page.waitForSelector("#audit-stopped");
  assert.deepEqual(await page.evaluate(() => window.__auditSeen), ["progress"]);
  assert.match(await page.textContent("#audit-stopped"), /cancelled/);
  assert.equal(await page.$("#audit-table"), null, "a cancelled audit shows no half result");
  // Run again: the worker audits every token, and the table comes back.
  await page.evaluate(() => {
    window.__auditSeen.push("again");
  });
  await page.click("#audit-again");
  await page.waitForSelector("#audit-table");
  assert.match(await page.textContent("#audit-summary"), /^\d+ tokens: /);
  assert.deepEqual(errors, []);
  await context.close();
});
