// native.mjs — loads the Node-API addon (build/Release/lode.node, made by
// node-gyp at `npm install`) and hands it makeError so that engine failures
// arrive as SqliteError.  LODE_ADDON=<path> loads another build (tests).

import { createRequire } from 'node:module';
import { makeError } from './errors.mjs';

const require = createRequire(import.meta.url);
const CANDIDATES = ['../build/Release/lode.node', '../build/Debug/lode.node'];

function load() {
  if (process.env.LODE_ADDON) return require(process.env.LODE_ADDON);
  let first;
  for (const path of CANDIDATES) {
    try {
      return require(path);
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
      first ??= e;
    }
  }
  throw new Error(`lodedb: the native addon is not built (run \`npm install\` or \`npm run build:native\`): ${first.message}`);
}

const addon = load();
addon.init(makeError);
export default addon;
