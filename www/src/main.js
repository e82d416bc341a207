// Page entry: loads the engine, wires the token picker, the views and the dialogs.

import init, * as pkg from "tokengate/web";
import { el, byId } from "./dom.js";
import { app, changed, onChange } from "./app-state.js";
import { useSecret, forget, hasSession, sessionTail, loadCaller } from "./session.js";
import { clearBanners, showBanner, describeError, logActivity } from "./activity.js";
import { renderCaller } from "./caller-view.js";
import { loadTokens, renderTokens } from "./tokens-view.js";
import { setupDialogs } from "./dialogs.js";
import { setupCreate, renderCreateRoles, refreshCreateDecision } from "./create-view.js";
import { loadMatrix, renderMatrix, clearMatrix } from "./matrix-view.js";
import { loadAudit, renderAudit, clearAudit } from "./audit-view.js";
import { setupPlayground } from "./playground-view.js";
import { indexRoles } from "./tokens-util.js";

/** Demo tokens from demo-tokens.json: names shown, secrets kept in this array only. */
let demoTokens = [];
let currentView = "overview";

async function start() {
  await init();
  setupTabs();
  setupPicker();
  setupListControls();
  setupDialogs(
    {
      afterChange: refreshAfterChange,
      afterSelfReset: async () => {
        await connect(null);
      },
      afterSelfDelete: async () => {
        endSession();
        showBanner("info", "The token in use was deleted", "The page forgot it. Pick or paste another token.");
      },
    },
    pkg.validatePolicy,
  );
  setupCreate({ validate: pkg.validatePolicy, onCreated: refreshAfterChange });
  setupPlayground(pkg);
  onChange(render);
  render("all");
  document.body.dataset.ready = "true";
  await loadDemoTokens();
}

function render(what) {
  if (what === "all" || what === "caller") {
    renderCaller();
    renderCreateRoles();
    updateSessionBadge();
  }
  if (what === "all" || what === "caller" || what === "tokens" || what === "enforce") renderTokens();
  // The audit depends on the caller's member, teams and roles only; it reloads when its tab opens.
  if (what === "all") renderAudit();
  if (what === "enforce") {
    renderMatrix();
    refreshCreateDecision();
  }
}

// ---- token picker ----

async function loadDemoTokens() {
  const select = byId("demo-token-select");
  const hint = byId("demo-token-hint");
  try {
    const res = await fetch("demo-tokens.json", { cache: "no-store" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const data = await res.json();
    demoTokens = (data.tokens || []).filter((t) => typeof t.secret === "string" && t.secret);
  } catch (err) {
    demoTokens = [];
    hint.textContent = `No demo token list here (${err.message}); paste a token instead.`;
  }
  if (!demoTokens.length) {
    select.replaceChildren(el("option", { value: "" }, "No demo tokens"));
    return;
  }
  select.replaceChildren(
    el("option", { value: "" }, "Choose a demo token…"),
    ...demoTokens.map((t, i) => el("option", { value: String(i) }, t.label || t.name || `token ${i + 1}`)),
  );
  select.disabled = false;
  byId("use-demo-token").disabled = false;
}

function setupPicker() {
  byId("demo-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const index = byId("demo-token-select").value;
    if (index === "") return;
    await connect(demoTokens[Number(index)].secret);
  });
  byId("paste-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = byId("paste-token");
    const secret = input.value.trim();
    input.value = "";
    if (!secret) return;
    await connect(secret);
  });
  byId("forget-token").addEventListener("click", () => {
    endSession();
    showBanner("info", "Token forgotten", "The page holds no token now.");
  });
  byId("enforce-checks").addEventListener("change", (e) => {
    app.enforce = e.target.checked;
    changed("enforce");
  });
}

/** Starts a session with `secret` (or reloads the current one with null) and loads everything about it. */
async function connect(secret) {
  if (secret !== null) {
    clearBanners();
    useSecret(secret);
    app.listParams.offset = 0;
  }
  app.caller = null;
  app.page = null;
  clearMatrix();
  clearAudit();
  changed("all");
  byId("session-badge").dataset.state = "loading";
  byId("session-badge").textContent = "Checking token…";
  try {
    app.caller = await loadCaller();
    const missed = app.caller.problems.map((p) => `${p.what} (${p.error?.status || "error"})`);
    const summary = missed.length ? `200, but could not read: ${missed.join(", ")}` : "200";
    logActivity({ label: "read caller identity, own token, member and roles", predicted: null, result: { ok: true, summary }, agreement: "unchecked" });
  } catch (error) {
    logActivity({ label: "read caller identity", predicted: null, result: { ok: false, error }, agreement: "failed" });
    showBanner("error", "This token was not accepted", describeError(error));
    endSession();
    return;
  }
  app.rolesById = indexRoles(app.caller.roles);
  byId("forget-token").disabled = false;
  byId("refresh-tokens").disabled = false;
  changed("caller");
  await loadTokens();
  await loadCurrentView();
}

/** The views that load every visible token do so only while they are shown. */
async function loadCurrentView() {
  if (currentView === "matrix") await loadMatrix();
  if (currentView === "audit") await loadAudit();
}

function endSession() {
  forget();
  app.caller = null;
  app.page = null;
  app.rolesById = new Map();
  byId("forget-token").disabled = true;
  byId("refresh-tokens").disabled = true;
  clearMatrix();
  clearAudit();
  changed("all");
}

async function refreshAfterChange() {
  await loadTokens();
  await loadCurrentView();
}

function updateSessionBadge() {
  const badge = byId("session-badge");
  if (!hasSession() || !app.caller) {
    badge.dataset.state = "none";
    badge.textContent = "No token in use";
    return;
  }
  const id = app.caller.identity;
  badge.dataset.state = "active";
  badge.textContent = `Using ${id.tokenName || "token"} …${sessionTail()}`;
}

// ---- list controls and tabs ----

function setupListControls() {
  byId("show-all").addEventListener("change", async (e) => {
    app.listParams.showAll = e.target.checked;
    app.listParams.offset = 0;
    await loadTokens();
    await loadCurrentView();
  });
  byId("page-size").addEventListener("change", async (e) => {
    app.listParams.limit = Number(e.target.value);
    app.listParams.offset = 0;
    await loadTokens();
  });
  byId("refresh-tokens").addEventListener("click", () => loadTokens());
  byId("page-prev").addEventListener("click", async () => {
    app.listParams.offset = Math.max(0, app.listParams.offset - app.listParams.limit);
    await loadTokens();
  });
  byId("page-next").addEventListener("click", async () => {
    app.listParams.offset += app.listParams.limit;
    await loadTokens();
  });
  byId("clear-activity").addEventListener("click", () => byId("activity").replaceChildren());
}

function setupTabs() {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", async () => {
      currentView = tab.dataset.view;
      for (const t of document.querySelectorAll(".tab")) t.setAttribute("aria-selected", String(t === tab));
      for (const v of document.querySelectorAll(".view")) v.hidden = v.dataset.view !== currentView;
      if (hasSession()) await loadCurrentView();
    });
  }
}

start().catch((err) => {
  document.body.dataset.ready = "error";
  showBanner("error", "The page could not start", err?.message || String(err));
});
