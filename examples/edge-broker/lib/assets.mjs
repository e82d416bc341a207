// Serves a browser page from the broker's own origin (workerd disk service bound as ASSETS), so the page can call
// the API paths with plain same-origin requests and never needs a secret or CORS.

const TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  wasm: "application/wasm",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  map: "application/json",
  txt: "text/plain; charset=utf-8",
};

/** Answers a GET/HEAD for a static file; `/` and directory paths serve their `index.html`. */
export async function serveAsset(request, assets) {
  const url = new URL(request.url);
  let path = url.pathname;
  if (path.endsWith("/")) path += "index.html";
  if (path.split("/").some((segment) => segment === "..")) return new Response("Not found", { status: 404 });
  const file = await assets.fetch(new Request(`http://assets${path}`, { method: request.method }));
  if (!file.ok) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  const extension = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const response = new Response(file.body, file);
  response.headers.set("content-type", TYPES[extension] ?? "application/octet-stream");
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "same-origin");
  response.headers.set("cache-control", "no-cache");
  return response;
}
