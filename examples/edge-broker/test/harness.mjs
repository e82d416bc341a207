// What the broker's tests and benchmark run besides the emulator, on free loopback ports: a counting proxy in
// front of the upstream (to prove which calls reached it), and workerd running the broker's config.capnp. Processes
// are started and stopped by the repository's shared test helpers (tests/support/js/processes.mjs), whose
// emulator helpers are re-exported here for bench.mjs.

import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, spawnProcess, waitUntilAnswers } from "../../../tests/support/js/processes.mjs";
import { toolBin } from "../../../tests/support/js/repo.mjs";

export { demoSecret, startEmulator, stop } from "../../../tests/support/js/processes.mjs";

export const BROKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKERD = process.env.WORKERD ?? toolBin("workerd");

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
  const proc = spawnProcess(WORKERD, args, { cwd: BROKER_DIR, env: { LD_ACCESS_TOKEN: secret, UPSTREAM: upstream, ...env } });
  const url = `http://127.0.0.1:${port}`;
  // workerd does not announce itself: it is ready when the broker's status route answers.
  await waitUntilAnswers(`${url}/_broker/status`, proc, { name: "workerd", timeoutMs: 20_000 });
  return { url, child: proc.child, output: proc.output };
}
