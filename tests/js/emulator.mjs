// Starts the demo emulator (target/debug/tokengate-emulator) on a free port and reads its address and the
// demo secrets from its output.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const binary = fileURLToPath(new URL("../../target/debug/tokengate-emulator", import.meta.url));

export async function startEmulator(...flags) {
  if (!existsSync(binary)) throw new Error("build the emulator first: cargo build -p tokengate-emulator");
  const child = spawn(binary, ["--listen", "127.0.0.1:0", "--seed", "demo", ...flags], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${output}`)), 10_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/[0-9.:]+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
  const secrets = output.match(/api-[0-9a-f-]{36}/g);
  return { url, secrets, stop: () => child.kill() };
}
