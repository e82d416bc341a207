// The module for checks/browser.mjs, gzip-compressed and base64-encoded (written by scripts/build-pkg.sh).
declare const wasmGzipBase64: string;
export default wasmGzipBase64;
