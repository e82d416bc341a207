// Starts the emulator and a validating Prism proxy in front of it, and stops them.

import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EMULATOR = process.env.TOKENGATE_EMULATOR ?? path.join(REPO_ROOT, "target/debug/tokengate-emulator");
const PRISM = path.join(REPO_ROOT, "tools/node_modules/.bin/prism");
/** The official schema, named relative to the repository as the project's scripts do. */
export const SPEC = "../shared/spec/access-tokens.openapi.json";
const SECRET = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function launch(command, args, { cwd, name, ready, timeoutMs = 30_000 }) {
  const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const output = { text: "" };
  const isReady = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${output.text}`)), timeoutMs);
    timer.unref();
    const onData = (chunk) => {
      output.text += chunk;
      const value = ready(output.text);
      if (value) {
        clearTimeout(timer);
        resolve(value);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`${name} exited (${code ?? signal}):\n${output.text}`)));
  });
  return { child, output, isReady };
}

/** Stops a child started here and waits for it to exit. */
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
 * The emulator with the demo seed. Resolves to its URL and the demo tokens from its banner: one line per token
 * holding the secret and words that describe it.
 */
export async function startEmulator(extraArgs = []) {
  const proc = launch(EMULATOR, ["--listen", "127.0.0.1:0", "--seed", "demo", ...extraArgs], {
    name: "emulator",
    ready: (text) => (/listening on http:\/\/\S+/.test(text) && SECRET.test(text) ? true : null),
  });
  await proc.isReady;
  await new Promise((r) => setTimeout(r, 100)); // let the rest of the banner arrive
  const url = /listening on (http:\/\/\S+)/.exec(proc.output.text)[1].replace(/\/+$/, "");
  const tokens = proc.output.text
    .split("\n")
    .filter((line) => SECRET.test(line))
    .map((line) => ({ secret: SECRET.exec(line)[0], line: line.replace(SECRET, "").trim() }));
  return { url, tokens, child: proc.child, output: proc.output };
}

/** A demo token's secret, chosen by words its banner line contains. */
export function demoSecret(emulator, ...words) {
  const found = emulator.tokens.find(({ line }) => words.every((w) => line.toLowerCase().includes(w.toLowerCase())));
  if (!found) throw new Error(`no demo token matching "${words.join(" ")}" in:\n${emulator.tokens.map((t) => t.line).join("\n")}`);
  return found.secret;
}

/** `prism proxy <spec> <upstream> --errors` on a free port, run from the repository root. */
export async function startPrism(upstream) {
  const port = await freePort();
  const proc = launch(PRISM, ["proxy", SPEC, upstream, "--errors", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: REPO_ROOT,
    name: "prism",
    ready: (text) => (/Prism is listening on/.test(text) ? true : null),
  });
  await proc.isReady;
  return { url: `http://127.0.0.1:${port}`, child: proc.child, output: proc.output };
}

/**
 * Lines in Prism's log that report a violation or a request Prism itself terminated. A legitimate error answer
 * from the upstream (a 404, a 429) is logged as info, so any such line is a finding.
 */
export function violationLines(prismOutput) {
  return prismOutput.text.split("\n").filter((line) => /violation|✖\s+error|\berror\b.*Request terminated/i.test(line));
}
