// row-maker.mjs — makeRowMaker(keys): a function (v0, v1, …) that returns
// { [keys[0]]: v0, [keys[1]]: v1, … }.  The native driver (native/addon.c)
// makes one per statement and calls it for every object row: V8 builds the
// object literal with its final shape at once, where setting the keys one by
// one from C costs a shape transition and a key lookup per column.  The keys
// are string literals, so each behaves as setting it would (as better-sqlite3
// sets them): "__proto__" sets the prototype to an object or null value and
// ignores others, and a repeated name keeps its first position and its last
// value.
export function makeRowMaker(keys) {
  const params = keys.map((_, i) => `v${i}`);
  const props = keys.map((k, i) => `${JSON.stringify(String(k))}: v${i}`);
  // eslint-disable-next-line no-new-func
  return new Function(...params, `'use strict'; return { ${props.join(', ')} };`);
}
