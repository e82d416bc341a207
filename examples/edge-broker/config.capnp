# workerd configuration for the edge broker.
#
#   LD_ACCESS_TOKEN=api-... UPSTREAM=http://127.0.0.1:8080 \
#     workerd serve config.capnp --socket-addr http=127.0.0.1:8787
#
# The access token only ever comes from the environment (`fromEnvironment`); nothing secret is in this file or
# in the worker's code. `--socket-addr http=HOST:PORT` overrides the listening address below.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "broker", worker = .broker),
    # The worker's only way out. "local" and "private" are needed to reach an upstream on loopback or the LAN
    # (the emulator); for the real API "public" alone is enough.
    # Static files served at every non-API path: the page that talks to the broker, from the same origin.
    # `--directory-path site=../../www/dist` serves the tokengate demo console instead of the placeholder.
    (name = "site", disk = "public"),
    (name = "upstream-network", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:8787", http = (), service = "broker"),
  ],
);

const broker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "lib/routes.mjs", esModule = embed "lib/routes.mjs"),
    (name = "lib/snapshot.mjs", esModule = embed "lib/snapshot.mjs"),
    (name = "lib/edge-check.mjs", esModule = embed "lib/edge-check.mjs"),
    (name = "lib/http.mjs", esModule = embed "lib/http.mjs"),
    (name = "lib/redact.mjs", esModule = embed "lib/redact.mjs"),
    (name = "lib/assets.mjs", esModule = embed "lib/assets.mjs"),
    # The tokengate package's `workerd` export (pkg/package.json: exports["."].workerd = ./workerd.mjs) and
    # the files it imports. It imports the WebAssembly as a module workerd compiles when it loads the config
    # (compiling wasm at run time is forbidden) and instantiates it with initSync({ module }). Relative
    # imports resolve against the importing module's name, hence these names.
    (name = "tokengate", esModule = embed "../../pkg/workerd.mjs"),
    (name = "tokengate.js", esModule = embed "../../pkg/tokengate.js"),
    (name = "install.mjs", esModule = embed "../../pkg/install.mjs"),
    (name = "complete.mjs", esModule = embed "../../pkg/complete.mjs"),
    (name = "errors.mjs", esModule = embed "../../pkg/errors.mjs"),
    (name = "decision.mjs", esModule = embed "../../pkg/decision.mjs"),
    (name = "tokengate_bg.wasm", wasm = embed "../../pkg/tokengate_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "LD_ACCESS_TOKEN", fromEnvironment = "LD_ACCESS_TOKEN"),
    (name = "UPSTREAM", fromEnvironment = "UPSTREAM"),
    (name = "EDGE_CHECK", fromEnvironment = "EDGE_CHECK"),
    (name = "API_VERSION", fromEnvironment = "LD_API_VERSION"),
    (name = "ALLOWED_ORIGINS", fromEnvironment = "ALLOWED_ORIGINS"),
    (name = "PRINCIPAL_TTL_MS", fromEnvironment = "PRINCIPAL_TTL_MS"),
    (name = "LOG_REQUESTS", fromEnvironment = "LOG_REQUESTS"),
    (name = "ASSETS", service = "site"),
  ],
  globalOutbound = "upstream-network",
);
