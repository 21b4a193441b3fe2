// fallback.mjs — the engine behind lodedb and lodedb/compat: the native
// addon, or, where it is not built (an install without a C toolchain), the
// wasm engine of lodedb/wasm, announced once with a one-line notice on
// stderr.  { native: true, driver } or { native: false, wasm } (wasm: the
// lodedb/wasm module).

let engine;
try {
  engine = { native: true, driver: (await import('./native.mjs')).default };
} catch (e) {
  if (e.code !== 'LODE_NO_ADDON') throw e;
  const wasm = await import('./wasm.mjs');
  process.stderr.write('lodedb: the native addon is not built here; using the wasm engine (lodedb/wasm)\n');
  engine = { native: false, wasm };
}
export default engine;
