// compat.cjs — require('lodedb/compat'), as code written for better-sqlite3
// loads it: module.exports is the Database class (with .SqliteError).  Node
// loads the ES modules behind it from require() (Node >= 20.19) as long as
// none awaits at top level, which rules out the wasm fallback: without a
// built addon, require() fails and import('lodedb/compat') falls back.
'use strict';
let m;
try {
  m = require('./compat-native.mjs');
} catch (e) {
  if (e.code === 'LODE_NO_ADDON')
    e.message += "; require() cannot load the wasm fallback: use import('lodedb/compat') or lodedb/wasm";
  throw e;
}
module.exports = m.Database;
module.exports.Database = m.Database;
module.exports.Statement = m.Statement;
module.exports.default = m.Database;
