// Child processes for the JavaScript test suites: the emulator with the demo seed, and any other server that
// announces itself on its output, started on free loopback ports and stopped again.

import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EMULATOR = process.env.TOKENGATE_EMULATOR ?? path.join(REPO_ROOT, "target/debug/tokengate-emulator");
const SECRET = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

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
 * Starts `command` and collects its output in `output.stdout` / `output.stderr`. `ready` resolves with the first
 * truthy value `isReady(output)` returns, and rejects when the process exits first or `timeoutMs` passes.
 */
export function spawnUntil(command, args, { env, isReady = () => null, timeoutMs = 30_000, name, cwd }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "" };
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${output.stdout}${output.stderr}`)), timeoutMs);
    timer.unref();
    const check = () => {
      const value = isReady(output);
      if (value) {
        clearTimeout(timer);
        resolve(value);
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
  return { child, output, ready };
}

/** Stops a child started here (SIGTERM, then SIGKILL after 3 s) and waits for it to go. */
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
    const secret = SECRET.exec(line);
    if (secret) tokens.push({ secret: secret[0], line: line.replace(secret[0], "").trim() });
  }
  return { url: listening[1].replace(/\/+$/, ""), tokens };
}

/** Starts the emulator with the demo seed; `args` adds flags such as `--rate-limit-route 5`. */
export async function startEmulator(args = []) {
  const proc = spawnUntil(EMULATOR, ["--listen", "127.0.0.1:0", "--seed", "demo", ...args], {
    name: "emulator",
    isReady: ({ stdout, stderr }) => {
      const banner = parseBanner(stdout + stderr);
      // Wait until the token lines after the address have arrived too (they may come in later chunks).
      return banner && banner.tokens.length > 0 ? banner : null;
    },
  });
  await proc.ready;
  // Give the banner a moment to finish printing every token line.
  await new Promise((r) => setTimeout(r, 100));
  return { ...parseBanner(proc.output.stdout + proc.output.stderr), child: proc.child, output: proc.output };
}

/** A demo token's secret, picked by words its banner line contains (case-insensitive, all must match). */
export function demoSecret(emulator, ...words) {
  const found = emulator.tokens.find(({ line }) => words.every((w) => line.toLowerCase().includes(w.toLowerCase())));
  if (!found) throw new Error(`no demo token matching "${words.join(" ")}"; banner lines:\n${emulator.tokens.map((t) => t.line).join("\n")}`);
  return found.secret;
}
