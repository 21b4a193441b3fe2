// tools/wasm-bundle.mjs — builds dist/wasm/lodedb.bundle.mjs: lodedb/wasm as one ES module file with the
// engine's wasm inlined (base64), for pages and workers that load one file, and for bundlers that do not copy
// .wasm assets. It needs the wasm build (sh wasm/build.sh) and esbuild (a dev dependency); the package ships
// the result as lodedb/wasm/bundle.
//
// Two substitutions make the bundle self-contained:
//   - js/wasm-binary.mjs becomes the bytes of dist/wasm/lode.wasm, so the engine never looks for the file;
//   - in js/wasm-browser.mjs the page's worker, new URL('./wasm-worker.mjs', import.meta.url), becomes the
//     bundle's own address (js/wasm-bundle.mjs serves as the worker when loaded as one).
// Usage: node tools/wasm-bundle.mjs [OUTFILE]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wasmFile = path.join(root, 'dist/wasm/lode.wasm');
const outfile = path.resolve(process.argv[2] ?? path.join(root, 'dist/wasm/lodedb.bundle.mjs'));
const WORKER_URL = "new URL('./wasm-worker.mjs', import.meta.url)";

if (!fs.existsSync(wasmFile)) {
  console.error(`${wasmFile} is missing: run sh wasm/build.sh first`);
  process.exit(1);
}

const inline = {
  name: 'lode-inline',
  setup(build) {
    build.onLoad({ filter: /[\\/]js[\\/]wasm-binary\.mjs$/ }, () => ({
      contents: `import bytes from ${JSON.stringify(wasmFile)};\nexport default bytes;\n`,
      resolveDir: root,
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]js[\\/]wasm-browser\.mjs$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes(WORKER_URL)) throw new Error(`js/wasm-browser.mjs no longer starts its worker from ${WORKER_URL}`);
      return { contents: text.replace(WORKER_URL, 'import.meta.url'), loader: 'js' };
    });
  },
};

await esbuild.build({
  entryPoints: [path.join(root, 'js/wasm-bundle.mjs')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  loader: { '.wasm': 'binary' },
  plugins: [inline],
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`${path.relative(root, outfile)}: ${fs.statSync(outfile).size} bytes`);
