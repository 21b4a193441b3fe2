// row-maker.mjs — makeRowMaker(keys, indexed): a function (v0, v1, …) that
// returns { [keys[0]]: v0, [keys[1]]: v1, … }; indexed, the object also holds
// v0, v1, … under 0, 1, … as properties that are not enumerable (writable
// and configurable), as @tursodatabase/database's rows do, so that row[i] reads a
// column whose name another column shares, and keys, JSON and deep equality
// see the names only.  The native driver (native/addon.c)
// asks for one per statement and calls it for every object row: V8 builds the
// object literal with its final shape at once, where setting the keys one by
// one from C costs a shape transition and a key lookup per column.  The keys
// are string literals, so each behaves as setting it would (as better-sqlite3
// sets them): "__proto__" sets the prototype to an object or null value and
// ignores others, and a repeated name keeps its first position and its last
// value.
//
// Makers are shared by every statement with the same column names: compiling
// a new function per prepared statement would cost more than the statement's
// own preparation.  The cache is dropped whole when it fills, so an
// application that makes endless distinct column lists keeps a bounded one.
const MAX_CACHED = 512;
const cache = new Map();

export function makeRowMaker(keys, indexed = false) {
  const names = keys.map(String);
  const id = (indexed ? '#' : '') + JSON.stringify(names);
  let maker = cache.get(id);
  if (maker) return maker;
  const params = names.map((_, i) => `v${i}`);
  const props = names.map((k, i) => `${JSON.stringify(k)}: v${i}`);
  const body = indexed
    ? `const r = { ${props.join(', ')} };\n` +
      params.map((v, i) => `Object.defineProperty(r, ${i}, { value: ${v}, writable: true, configurable: true });\n`).join('') +
      'return r;'
    : `return { ${props.join(', ')} };`;
  // eslint-disable-next-line no-new-func
  maker = new Function(...params, `'use strict'; ${body}`);
  Object.assign(maker, batchOf(maker, names.length));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(id, maker);
  return maker;
}

// A maker's batch function, batch(out, k, v0, v1, …): pushes to out the k
// rows made from the values (row j from the n values from v(j*n) on), at most
// batchRows rows and BATCH_VALUES values per call.  The native driver builds
// all() and an iteration's rows with it: one call into JavaScript per batch
// costs less than one per row, and out.push less than setting each element
// through Node-API (native/addon.c, collect_rows).
const BATCH_VALUES = 64;

function batchOf(maker, n) {
  const rows = Math.floor(BATCH_VALUES / n);
  if (rows < 2) return { batch: undefined, batchRows: 0 };
  const lines = [];
  for (let j = 0; j < rows; j++) {
    if (j > 0) lines.push(`if (k === ${j}) return;`);
    lines.push(`out.push(make(${Array.from({ length: n }, (_, i) => `v${j * n + i}`).join(', ')}));`);
  }
  const params = Array.from({ length: rows * n }, (_, i) => `v${i}`);
  // eslint-disable-next-line no-new-func
  const batch = new Function('make', `'use strict'; return function (out, k, ${params.join(', ')}) {\n${lines.join('\n')}\n};`)(maker);
  return { batch, batchRows: rows };
}

// {changes, lastInsertRowid}.  The first object made holds nulls, so that
// V8 types both fields as any value from the start: integers, nearly every
// result, then sit in the object as they are, where fields it typed as
// doubles (what a Float64Array read suggests) would box every number in a
// heap object of its own, two more allocations per run().
export function runResult(changes, lastInsertRowid) {
  return { changes, lastInsertRowid };
}
runResult(null, null);
