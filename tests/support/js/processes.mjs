// Child processes for every JavaScript test suite: starting a program with its output collected, waiting until it
// says (or shows) that it is ready, stopping it again, free loopback ports, and the emulator with the demo seed on
// a free port, its address and demo secrets read from its start-up banner. One implementation: the package tests,
// LaunchDarkly's client, the demo's end-to-end tests, the edge broker, Prism and the fault suites all start their
// servers through here.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { REPO_ROOT } from "./repo.mjs";

export { REPO_ROOT };

/** The binary `cargo build -p tokengate-emulator` makes. */
export const DEFAULT_EMULATOR = path.join(REPO_ROOT, "target/debug/tokengate-emulator");
/** The emulator the suites start: `$TOKENGATE_EMULATOR` when set, else the debug build. */
export const EMULATOR = process.env.TOKENGATE_EMULATOR || DEFAULT_EMULATOR;

const SECRET = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** The banner's address line, whole (up to its newline, so a half-arrived address is never taken). */
const LISTENING = /listening on (http:\/\/\S+)\r?\n/;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `command` with its output collected in `output.stdout` / `output.stderr` (as text). `exited` resolves
 * with `{ code, signal }` once it has ended and its output is complete, or `{ error }` when it could not start.
 */
export function spawnProcess(command, args, { env, cwd } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk) => (output.stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (output.stderr += chunk));
  const exited = new Promise((resolve) => {
    child.on("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  return { child, output, exited };
}

/**
 * Resolves with the first truthy value `isReady(output)` returns as the process started by `spawnProcess` prints.
 * Rejects when the process ends first, or after `timeoutMs` (and then stops it).
 */
export function waitForOutput(proc, isReady, { name, timeoutMs = 30_000 }) {
  const { child, output } = proc;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (settle, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.off("data", check);
      child.stderr.off("data", check);
      settle(value);
    };
    // Registered after spawnProcess's own listeners, so `output` already holds the chunk.
    const check = () => {
      const value = isReady(output);
      if (value) finish(resolve, value);
    };
    const timer = setTimeout(() => {
      stop(child);
      finish(reject, new Error(`${name} not ready after ${timeoutMs} ms:\n${output.stdout}${output.stderr}`));
    }, timeoutMs);
    timer.unref();
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    proc.exited.then(({ code, signal, error }) =>
      finish(reject, error ?? new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.stdout}${output.stderr}`)),
    );
    check();
  });
}

/** `spawnProcess` plus `ready`: `waitForOutput` with `isReady`. */
export function spawnUntil(command, args, { env, cwd, isReady, timeoutMs = 30_000, name = path.basename(command) }) {
  const proc = spawnProcess(command, args, { env, cwd });
  proc.ready = waitForOutput(proc, isReady, { name, timeoutMs });
  return proc;
}

/**
 * Polls `url` until it answers 2xx, for servers that do not announce themselves. Throws (after stopping it) when
 * the process started by `spawnProcess` ends first or `timeoutMs` passes.
 */
export async function waitUntilAnswers(url, proc, { name, timeoutMs = 20_000, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${name} exited:\n${proc.output.stdout}${proc.output.stderr}`);
    }
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(proc.child);
      throw new Error(`${name} not ready at ${url} after ${timeoutMs} ms:\n${proc.output.stdout}${proc.output.stderr}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Stops a child started here and waits for it to go: `signal` (SIGTERM by default; SIGKILL for a crash), then
 * SIGKILL after `graceMs`.
 */
export function stop(child, { signal = "SIGTERM", graceMs = 3_000 } = {}) {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Parses the emulator's start-up banner: `listening on http://ADDR` and one line per demo token, which carries the
 * token's secret (`api-<uuid>`) and words describing it (its kind, name, member). Tokens come in the order the
 * banner prints them, the owner's first.
 */
export function parseBanner(text) {
  const listening = LISTENING.exec(text);
  if (!listening) return null;
  const tokens = [];
  for (const line of text.split("\n")) {
    const secret = SECRET.exec(line);
    if (secret) tokens.push({ secret: secret[0], line: line.replace(secret[0], "").trim() });
  }
  return { url: listening[1].replace(/\/+$/, ""), tokens };
}

/** Waits until `measure()` stops changing for `quietMs` (at most `maxMs`). */
async function settle(measure, quietMs, maxMs) {
  const start = Date.now();
  let last = measure();
  let lastChange = Date.now();
  while (Date.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 25));
    const now = measure();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= quietMs) return;
  }
}

/**
 * Starts the emulator with the demo seed on a free port: `--listen 127.0.0.1:0 --seed demo`, then `args` (such as
 * `--rate-limit-route 5`, `--static DIR`, `--data DIR`). `binary` overrides `EMULATOR`; `env` adds variables.
 *
 * Returns `{ url, tokens, secrets, child, output, exited, stop }`: `tokens` are `{ secret, line }` from the banner
 * (none when `--data` resumes a directory), `secrets` the same secrets alone, `stop()` stops it.
 */
export async function startEmulator(args = [], { binary = EMULATOR, env, timeoutMs = 30_000 } = {}) {
  if (!existsSync(binary)) throw new Error(`no emulator at ${binary}: build it first (cargo build -p tokengate-emulator)`);
  const proc = spawnUntil(binary, ["--listen", "127.0.0.1:0", "--seed", "demo", ...args], {
    name: "emulator",
    env,
    timeoutMs,
    isReady: ({ stdout, stderr }) => LISTENING.test(stdout) || LISTENING.test(stderr),
  });
  await proc.ready;
  // The secrets are printed before the address; give anything that follows it a moment to arrive.
  await settle(() => proc.output.stdout.length + proc.output.stderr.length, 100, 3_000);
  const banner = parseBanner(`${proc.output.stdout}\n${proc.output.stderr}`);
  return {
    ...banner,
    secrets: banner.tokens.map((t) => t.secret),
    child: proc.child,
    output: proc.output,
    exited: proc.exited,
    stop: () => stop(proc.child),
  };
}

/** A demo token's secret, picked by words its banner line contains (case-insensitive, all must match). */
export function demoSecret(emulator, ...words) {
  const found = emulator.tokens.find(({ line }) => words.every((w) => line.toLowerCase().includes(w.toLowerCase())));
  if (!found) throw new Error(`no demo token matching "${words.join(" ")}"; banner lines:\n${emulator.tokens.map((t) => t.line).join("\n")}`);
  return found.secret;
}
