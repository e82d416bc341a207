// Starts the processes the broker's tests and benchmark need, on free loopback ports, and stops them again:
// the emulator (upstream API), a counting proxy in front of it (to prove which calls reached the upstream), and
// workerd running the broker's config.capnp.

import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, spawnUntil } from "../../../tests/support/processes.mjs";

export { demoSecret, startEmulator, stop } from "../../../tests/support/processes.mjs";

export const BROKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = path.resolve(BROKER_DIR, "../..");
const WORKERD = process.env.WORKERD ?? path.join(REPO_ROOT, "tools/node_modules/.bin/workerd");

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
