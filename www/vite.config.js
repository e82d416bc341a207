// Builds the demo console into dist/, which the emulator serves on the same origin as the API.
import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: the page works wherever dist/ is served from.
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Source maps would ship the source next to the page; the demo does not need them.
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the API to a running emulator so the page keeps one origin in development too.
    proxy: { "/api": process.env.TOKENGATE_API || "http://127.0.0.1:8787" },
  },
});
