// tvf_random.test.mjs — random JSON documents (nested arrays and objects,
// every scalar kind, labels that need quoting, JSON5 spellings, JSONB
// input) walked by json_each, json_tree, jsonb_each and jsonb_tree with and
// without a root path, compared row for row with better-sqlite3 (SQLite
// 3.53).  Seeded, so a failure repeats (TVF_SEED and TVF_COUNT change the
// run).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

function rng(seed) {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

const LABELS = ['a', 'b1', 'x_y', '1a', 'a b', 'a.b', '', 'é', 'a"q', 'k$', 'Z', 'long_label_here'];
const SCALARS = ['0', '-1', '12345678901234567890', '1.5', '-0.0', '1e300', '0x1F', '.5', 'true', 'false', 'null',
  '"s"', '"a\\nb"', '"\\u00e9"', "'single'", 'Infinity', '"x\\"y"'];

function doc(r, depth) {
  const k = depth > 3 ? 0 : r(4);
  if (k <= 1) return SCALARS[r(SCALARS.length)];
  const n = r(4);
  const parts = [];
  if (k === 2) {
    for (let i = 0; i < n; i++) parts.push(doc(r, depth + 1));
    return '[' + parts.join(',') + ']';
  }
  const used = new Set();
  for (let i = 0; i < n; i++) {
    const l = LABELS[r(LABELS.length)];
    if (used.has(l)) continue;
    used.add(l);
    parts.push(JSON.stringify(l) + ':' + doc(r, depth + 1));
  }
  return '{' + parts.join(',') + '}';
}

function path(r, text) {
  // a path into the document: sometimes one that exists, sometimes not
  const steps = ['$'];
  let v;
  try { v = JSON.parse(text.replace(/0x1F/g, '31').replace(/(^|[,[:])\.5/g, '$10.5').replace(/'single'/g, '"single"').replace(/Infinity/g, '1')); } catch { return '$'; }
  for (let d = 0; d < 3 && v && typeof v === 'object' && r(3); d++) {
    if (Array.isArray(v)) {
      const i = r(v.length + 1);
      steps.push(r(5) ? `[${i}]` : `[#-${i + 1}]`);
      v = v[i];
    } else {
      const keys = Object.keys(v);
      if (!keys.length) break;
      const key = keys[r(keys.length)];
      steps.push(/^[A-Za-z][A-Za-z0-9]*$/.test(key) ? '.' + key : '.' + JSON.stringify(key));
      v = v[key];
    }
  }
  return steps.join('');
}

describe('json_each / json_tree on random JSON against better-sqlite3', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });
  it('gives the same rows for 400 random documents and paths', function () {
    const r = rng(Number(process.env.TVF_SEED || 20261202));
    const sqlite = new BetterSqlite3(':memory:');
    const lode = new Database(':memory:');
    const run = (db, sql, args) => {
      try { return db.prepare(sql).raw().all(...args); } catch (e) { return 'error: ' + e.message; }
    };
    const diffs = [];
    try {
      for (let i = 0; i < Number(process.env.TVF_COUNT || 400) && diffs.length < 5; i++) {
        const text = doc(r, 0);
        const p = path(r, text);
        const fn = ['json_each', 'json_tree', 'jsonb_each', 'jsonb_tree'][r(4)];
        const input = r(4) === 0 ? 'jsonb(?)' : '?';
        const cols = r(3) === 0 ? 'rowid, *, json, root' : '*';
        const sql = r(2) ? `SELECT ${cols} FROM ${fn}(${input})` : `SELECT ${cols} FROM ${fn}(${input}, ?)`;
        const args = (sql.match(/\?/g) || []).length === 2 ? [text, p] : [text];
        const a = JSON.stringify(run(sqlite, sql, args), (k, v) => (typeof v === 'bigint' ? String(v) : v));
        const b = JSON.stringify(run(lode, sql, args), (k, v) => (typeof v === 'bigint' ? String(v) : v));
        if (a !== b) diffs.push(`${sql} with ${JSON.stringify(args)}\n    sqlite: ${a}\n    lode:   ${b}`);
      }
    } finally {
      sqlite.close();
      lode.close();
    }
    if (diffs.length) assert.fail(diffs.join('\n'));
  });
});
