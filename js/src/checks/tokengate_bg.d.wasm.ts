// The compiled module, as workerd (and the bundlers that target it) import a `.wasm` file.
declare const module: WebAssembly.Module;
export default module;
