// --extern-pre-js: emscripten 3.1.6's ES-module output uses require and
// __dirname under Node; give it both (Node >= 20.16 has getBuiltinModule).
// Inert in browsers.  No import.meta outside this top-level shim: emcc's JS
// optimizer cannot parse it in --pre-js.
var require = typeof process == 'object' && typeof process.getBuiltinModule == 'function'
  ? process.getBuiltinModule('module').createRequire(import.meta.url) : undefined;
var __dirname = require ? require('path').dirname(require('url').fileURLToPath(import.meta.url)) : '';
