// A loopback HTTP server that misbehaves on request, for driving the client through network and server
// faults. Each request is answered by the current `behaviour` (a function of the request number), and every
// request is counted, so a test can tell how often the client tried.
//
//   const server = await startMisbehavingServer();
//   server.behave(behaviours.status(500, { code: "internal", message: "boom" }));
//   ... server.requests (array of { method, url, body }), server.baseUrl, await server.close()

import { createServer } from "node:http";

/// Canned behaviours. Each gets (req, res, n) where n counts requests from 0 since the last `behave`.
export const behaviours = {
  /// Destroys the connection as soon as the request arrives: no status line at all.
  drop: () => (req, res) => req.socket.destroy(),

  /// Sends a 200 status line and half a body, then destroys the connection.
  dropMidBody: () => (req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
    res.write('{"items":[{"_id":"');
    setTimeout(() => req.socket.destroy(), 20);
  },

  /// Accepts the request and never answers (the socket stays open until the server closes).
  stall: () => () => {},

  /// Answers `status` with `body` (a string is sent as is, anything else as JSON) and `headers`.
  status: (status, body = "", headers = {}) => (req, res) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(text);
  },

  /// Runs `first` for the first `count` requests, then `then`.
  sequence: (count, first, then) => (req, res, n) => (n < count ? first : then)(req, res, n),
};

export async function startMisbehavingServer() {
  let behaviour = behaviours.status(500);
  let count = 0;
  let scenarios = 0;
  let totalRequests = 0;
  const requests = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, body, headers: req.headers, at: Date.now() });
      totalRequests++;
      behaviour(req, res, count++);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    /// Switches behaviour and resets the request log.
    behave(next) {
      scenarios++;
      behaviour = next;
      count = 0;
      requests.length = 0;
    },
    /// How many behaviours were set, and how many requests arrived in all.
    stats: () => ({ scenarios, requests: totalRequests }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
