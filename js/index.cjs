// index.cjs — require('lodedb'): the promise API's exports (connect,
// Database, …) over the native addon.  As for js/compat.cjs, require() cannot
// load the wasm fallback: without a built addon it fails and import('lodedb')
// falls back.
'use strict';
let m;
try {
  m = require('./index-native.mjs');
} catch (e) {
  if (e.code === 'LODE_NO_ADDON')
    e.message += "; require() cannot load the wasm fallback: use import('lodedb') or lodedb/wasm";
  throw e;
}
module.exports = { ...m, default: m.default };
