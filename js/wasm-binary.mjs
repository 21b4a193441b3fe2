// wasm-binary.mjs — the engine's wasm bytes when they travel inside the
// JavaScript (the single-file bundle, tools/wasm-bundle.mjs, puts them here);
// null when they sit beside dist/wasm/lode.mjs as lode.wasm, which the module
// then reads or fetches itself.
export default null;
