// Types of lodedb/wasm: the promise API of lodedb (BLOBs as Uint8Array) plus
// SyncDatabase, the synchronous API on the same module instance.
export * from './index.js';
export { default as SyncDatabase } from './compat.js';
