// wasm-bundle.mjs — the entry of the single-file build of lodedb/wasm
// (tools/wasm-bundle.mjs makes dist/wasm/lodedb.bundle.mjs from it, with the
// engine's wasm bytes inlined).  The same API as lodedb/wasm.  In a page, the
// bundle starts its Dedicated Worker from its own address; loaded as that
// worker (a Dedicated Worker named 'lodedb'), it serves the page.
export * from './wasm.mjs';
export { default } from './wasm.mjs';

const isLodeWorker = typeof WorkerGlobalScope === 'function' && typeof document !== 'object'
  && globalThis.name === 'lodedb';
if (isLodeWorker) await import('./wasm-worker.mjs');
