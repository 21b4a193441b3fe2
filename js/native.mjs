// native.mjs — loads the Node-API addon (build/Release/lode.node, made by
// node-gyp at `npm install`) and hands it makeError so that engine failures
// arrive as SqliteError.  The driver it exports is the addon's functions but
// run(), which builds {changes, lastInsertRowid} here from the numbers the
// addon leaves in a shared buffer (native/addon.c, "run()'s results"), and
// each function throws here what the addon hands back in THROWN rather than
// throwing it itself (native/addon.c, hand_back) — but get, all, step and rows,
// see below.  LODE_ADDON=<path> loads
// another build (tests).
// When there is no addon to load (it was not built, or cannot be loaded
// here), the error has code 'LODE_NO_ADDON': the entries then fall back to
// the wasm engine (js/fallback.mjs).

import { createRequire } from 'node:module';
import { makeError } from './errors.mjs';
import { makeRowMaker, runResult } from './row-maker.mjs';

const require = createRequire(import.meta.url);
const CANDIDATES = ['../build/Release/lode.node', '../build/Debug/lode.node'];

const UNLOADABLE = new Set(['MODULE_NOT_FOUND', 'ERR_DLOPEN_FAILED']);

function load() {
  let first;
  for (const path of process.env.LODE_ADDON ? [process.env.LODE_ADDON] : CANDIDATES) {
    try {
      return require(path);
    } catch (e) {
      if (!UNLOADABLE.has(e.code)) throw e;
      first ??= e;
    }
  }
  const e = new Error(`lodedb: the native addon is not built (run \`npm install\` or \`npm run build:addon\`): ${first.message}`);
  e.code = 'LODE_NO_ADDON';
  throw e;
}

const ROW_SAFE_INT = 4;

const addon = load();
const THROWN = { error: undefined };
const runOut = addon.init(makeError, makeRowMaker, THROWN);
const numbers = new Float64Array(runOut);
const bigints = new BigInt64Array(runOut);

function rethrow() {
  const e = THROWN.error;
  THROWN.error = undefined;
  throw e;
}

function guard(fn) {
  return (...args) => {
    const r = fn(...args);
    return r === THROWN ? rethrow() : r;
  };
}

const driver = {};
for (const [name, fn] of Object.entries(addon)) if (name !== 'init') driver[name] = guard(fn);

// get, all, step and rows, the calls made per row or per execution, are the
// addon's own: the Statement (js/core.mjs) compares their result with
// driver.thrown itself, which costs nothing where a wrapper here costs a
// call with its arguments spread again.
const { run: addonRun, get, all, step, rows } = addon;
Object.assign(driver, { get, all, step, rows, thrown: THROWN, rethrow });


// run(stmt, mode, named?, ...values): with only (stmt, mode) the statement
// keeps its bindings, as in the addon.  The arguments go on as they came
// (spread, not collected into an array of values).
function run(stmt, mode) {
  const r = addonRun(...arguments);
  if (r === THROWN) rethrow();
  return runResult(numbers[0], mode & ROW_SAFE_INT ? bigints[2] : numbers[1]);
}

export default Object.freeze({ ...driver, run });
