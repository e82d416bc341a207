// Starts the processes the broker's tests and benchmark need, on free loopback ports, and stops them again:
// the emulator (upstream API), a counting proxy in front of it (to prove which calls reached the upstream), and
// workerd running the broker's config.capnp.

import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BROKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = path.resolve(BROKER_DIR, "../..");
const EMULATOR = process.env.TOKENGATE_EMULATOR ?? path.join(REPO_ROOT, "target/debug/tokengate-emulator");
const WORKERD = process.env.WORKERD ?? path.join(REPO_ROOT, "tools/node_modules/.bin/workerd");

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

/** Collects a child's output and resolves once a line matches `ready` (or rejects when it exits first). */
function spawnUntil(command, args, { env, ready, timeoutMs = 20_000, name, cwd }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "" };
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${output.stdout}${output.stderr}`)), timeoutMs);
    timer.unref();
    const check = () => {
      const match = ready ? ready(output) : null;
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on("data", (chunk) => {
      output.stdout += chunk;
      check();
    });
    child.stderr.on("data", (chunk) => {
      output.stderr += chunk;
      check();
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.stdout}${output.stderr}`));
    });
  });
  return { child, output, ready: done };
}

/** Stops a child started here and waits for it to go. */
export function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Parses the emulator's start-up banner: `listening on http://ADDR` and one line per demo token, which carries the
 * token's secret (`api-<uuid>`) and words describing it (its name, role, member...).
 */
export function parseBanner(text) {
  const listening = /listening on (http:\/\/[^\s]+)/.exec(text);
  if (!listening) return null;
  const tokens = [];
  for (const line of text.split("\n")) {
    const secret = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(line);
    if (secret) tokens.push({ secret: secret[0], line: line.replace(secret[0], "").trim() });
  }
  return { url: listening[1].replace(/\/+$/, ""), tokens };
}

/** Starts the emulator with the demo seed; `args` adds flags such as `--rate-limit-route 5`. */
export async function startEmulator(args = []) {
  const proc = spawnUntil(EMULATOR, ["--listen", "127.0.0.1:0", "--seed", "demo", ...args], {
    name: "emulator",
    ready: ({ stdout, stderr }) => {
      const banner = parseBanner(stdout + stderr);
      // Wait until the token lines after the address have arrived too (they may come in later chunks).
      return banner && banner.tokens.length > 0 ? banner : null;
    },
  });
  const banner = await proc.ready;
  // Give the banner a moment to finish printing every token line.
  await new Promise((r) => setTimeout(r, 100));
  return { ...parseBanner(proc.output.stdout + proc.output.stderr), child: proc.child, output: proc.output };
}

/** A demo token's secret, picked by words its banner line contains (case-insensitive, all must match). */
export function demoSecret(emulator, ...words) {
  const found = emulator.tokens.find(({ line }) => words.every((w) => line.toLowerCase().includes(w.toLowerCase())));
  if (!found) throw new Error(`no demo token matching ${words.join(" ")}; banner lines:\n${emulator.tokens.map((t) => t.line).join("\n")}`);
  return found.secret;
}

/**
 * An HTTP proxy in front of `target` that records every request it relays (method, path, and the upstream's
 * status and headers), so tests can tell which calls reached the upstream.
 */
export async function startCountingProxy(target) {
  const seen = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const targetUrl = new URL(target);
  const server = http.createServer((req, res) => {
    const entry = { method: req.method, path: req.url, status: null, headers: null };
    seen.push(entry);
    const upstream = http.request(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        entry.status = answer.statusCode;
        entry.headers = answer.headers;
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: "bad_gateway", message: String(error) }));
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    /** Requests relayed since `mark` (an index from `seen.length`). */
    since: (mark) => seen.slice(mark),
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs the broker in workerd on a free port. `env` adds bindings such as EDGE_CHECK=off; `site` is the directory
 * of static files to serve (the placeholder page by default).
 */
export async function startBroker({ secret, upstream, env = {}, site = path.join(BROKER_DIR, "public") }) {
  const port = await freePort();
  const args = ["serve", path.join(BROKER_DIR, "config.capnp"), "--socket-addr", `http=127.0.0.1:${port}`, "--directory-path", `site=${site}`];
  const proc = spawnUntil(WORKERD, args, {
    name: "workerd",
    cwd: BROKER_DIR,
    env: { LD_ACCESS_TOKEN: secret, UPSTREAM: upstream, ...env },
    ready: () => null,
  });
  proc.ready.catch(() => {}); // readiness is polled over HTTP below; a crash is reported from there
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`workerd exited:\n${proc.output.stdout}${proc.output.stderr}`);
    try {
      const res = await fetch(`${url}/_broker/status`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`workerd not ready:\n${proc.output.stdout}${proc.output.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child: proc.child, output: proc.output };
}
