// For the web entries ("tokengate/web", "tokengate/checks/web"): their glue's `init` and `initSync`, each completing
// the glue once the module is instantiated, `init` fetching the entry's own `.wasm` unless told where it is. The
// glue has no default path of its own: bundlers made that path a `.wasm` asset of every page that imports the glue,
// the inlining entries' pages too, which never fetch it. Of the browser entries only the web ones fetch the file.

/** What a web glue's two initialisers take and give. */
interface WebGlue<Input, Output, SyncInput> {
  init(input: { module_or_path: Input | Promise<Input> }): Promise<Output>;
  initSync(input: { module: SyncInput }): Output;
}

/**
 * `glue`'s initialisers, completed by `install`. `defaultWasm` is the entry's `new URL("tokengate_bg.wasm",
 * import.meta.url)`, written in the entry itself so that bundlers see the asset beside it.
 */
export function initialisers<Input, Output, SyncInput>(
  glue: WebGlue<Input, Output, SyncInput>,
  defaultWasm: Input,
  install: () => void,
): WebGlue<Input, Output, SyncInput> & { init(input?: { module_or_path: Input | Promise<Input> }): Promise<Output> } {
  return {
    async init(input) {
      const exports = await glue.init(input ?? { module_or_path: defaultWasm });
      install();
      return exports;
    },
    initSync(input) {
      const exports = glue.initSync(input);
      install();
      return exports;
    },
  };
}
