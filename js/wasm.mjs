// lodedb/wasm — the same promise API as lodedb, over the engine compiled to
// WebAssembly (dist/wasm/lode.mjs, built by wasm/build.sh).  BLOBs come back
// as Uint8Array.  Where it runs decides where databases live:
//   - Node: real files through node:fs (js/io-node.mjs); ':memory:' in memory.
//   - a browser page: the engine runs in a Dedicated Worker (js/wasm-worker.mjs)
//     and files live in the origin private file system (OPFS); every call is a
//     message to that worker (js/wasm-browser.mjs).  No SharedArrayBuffer, so
//     the page needs no cross-origin isolation.
//   - a browser worker: the engine runs right there, files in OPFS.
// The wasm engine takes no file locks (one process): a file must not be open
// in it and in another process or engine at the same time.
//
// Also exports SyncDatabase (not in a page): the synchronous (compat) API on
// the same engine instance.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const isPage = !isNode && typeof document === 'object' && typeof window === 'object';

// The engine keeps one state per file name, so a file must always reach it
// under one name: relative names (also inside file: URIs) become absolute.
function canonicalName(path, name, isUri) {
  if (!isUri || !name.startsWith('file:')) return path.resolve(name);
  const rest = name.slice(5);
  if (rest.startsWith('/') || rest.startsWith(':memory:') || rest === '' || rest.startsWith('?')) return name;
  return `file:${path.resolve('').replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}/${rest}`;
}

async function load() {
  if (isPage) return import('./wasm-browser.mjs');
  const { createEngine } = await import('./wasm-engine.mjs');
  if (isNode) {
    const fs = process.getBuiltinModule('node:fs');
    const path = process.getBuiltinModule('node:path');
    const { nodeIO } = await import('./io-node.mjs');
    return createEngine({ lodeIO: nodeIO(fs), canonical: (name, isUri) => canonicalName(path, name, isUri) });
  }
  const { opfsEngine } = await import('./io-opfs.mjs');
  return opfsEngine(createEngine);
}

const engine = await load();

export const { connect, Database, Statement, Transaction } = engine.api;
export const { SqliteError, SyncDatabase, version } = engine;
export default engine.api;
