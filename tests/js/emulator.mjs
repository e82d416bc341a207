// The demo emulator (target/debug/tokengate-emulator) on a free port, with its address and the demo secrets
// read from its start-up banner, in the owner-first order the banner prints them.
import { existsSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, startEmulator as start, stop } from "../support/processes.mjs";

export async function startEmulator(...flags) {
  if (!process.env.TOKENGATE_EMULATOR && !existsSync(path.join(REPO_ROOT, "target/debug/tokengate-emulator"))) {
    throw new Error("build the emulator first: cargo build -p tokengate-emulator");
  }
  const emulator = await start(flags);
  return { url: emulator.url, secrets: emulator.tokens.map((t) => t.secret), stop: () => stop(emulator.child) };
}
