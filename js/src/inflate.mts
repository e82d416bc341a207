// For the browser entries, which carry their module inside a JavaScript file (gzip-compressed, then base64) so that
// any bundler works without plugins or asset rules.

/**
 * The inlined module as a response WebAssembly can compile while the browser's own `DecompressionStream` inflates
 * it, off the main thread.
 */
export function inflate(base64: string): Response {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const wasm = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(wasm, { headers: { "Content-Type": "application/wasm" } });
}
