// A validating Prism proxy (tools/: @stoplight/prism-cli) in front of an upstream such as the emulator, checking
// every exchange against one of LaunchDarkly's official schemas. Used by the Prism suite and the edge broker's.

import path from "node:path";
import { freePort, spawnUntil } from "./processes.mjs";
import { REPO_ROOT, toolBin } from "./repo.mjs";

const PRISM = toolBin("prism");
/** The official schemas: the repository's own copies (spec/README.md says where they come from). */
export const SPEC = path.join(REPO_ROOT, "spec", "access-tokens.openapi.json");
export const TEAMS_SPEC = path.join(REPO_ROOT, "spec", "teams.openapi.json");

/** `prism proxy <spec> <upstream> --errors` on a free port, run from the repository root. */
export async function startPrism(upstream, spec = SPEC) {
  const port = await freePort();
  const args = ["proxy", spec, upstream, "--errors", "--host", "127.0.0.1", "--port", String(port)];
  const proc = spawnUntil(PRISM, args, {
    cwd: REPO_ROOT,
    name: "prism",
    isReady: ({ stdout, stderr }) => /Prism is listening on/.test(stdout + stderr),
  });
  await proc.ready;
  return { url: `http://127.0.0.1:${port}`, child: proc.child, output: proc.output };
}

/**
 * Lines in Prism's log (its `output`) that report a violation or a request Prism itself terminated. A legitimate
 * error answer from the upstream (a 404, a 429) is logged as info, so any such line is a finding.
 */
export function violationLines(output) {
  return `${output.stdout}\n${output.stderr}`
    .split("\n")
    .filter((line) => /violation|✖\s+error|\berror\b.*Request terminated/i.test(line));
}
