// --pre-js: under Node, read lode.wasm synchronously from beside lode.mjs
// (3.1.6 would fetch() a file: URL, which Node's fetch does not support).
if (typeof __dirname == 'string' && __dirname && !Module['wasmBinary'] && !Module['instantiateWasm']) {
  Module['wasmBinary'] = require('fs').readFileSync(require('path').join(__dirname, 'lode.wasm'));
}
