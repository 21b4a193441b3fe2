// lodedb/wasm's own byte scanning: the build's memcmp (wasm/memcmp.c, eight
// bytes a load, the tail read by a last load that overlaps bytes already
// compared) and the JSON parser's SIMD128 scan of a string's run of plain bytes
// (engine/src/func/json_parse.c).  Each case puts the deciding byte at every
// offset from 0 to past two loads' width, where a wrong lane, shift or tail
// would show, and checks the answers against better-sqlite3 running the same
// SQL.  Skipped outside CI when dist/wasm is not built.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { skipWasm } from './entries.mjs';

const WIDTH = 40; // past two 16-byte SIMD loads and four 8-byte words

describe('lodedb/wasm: byte comparisons and JSON string scans', function () {
  let SyncDatabase;
  let db;
  let ref;
  before(async function () {
    if (skipWasm) this.skip();
    ({ SyncDatabase } = await import('lodedb/wasm'));
  });
  beforeEach(() => {
    db = new SyncDatabase(':memory:');
    ref = new BetterSqlite3(':memory:');
  });
  afterEach(() => {
    db?.close();
    ref?.close();
  });

  const load = (rows) => {
    for (const d of [db, ref]) {
      d.exec('CREATE TABLE v(id INTEGER PRIMARY KEY, t TEXT, b BLOB)');
      const ins = d.prepare('INSERT INTO v(id, t, b) VALUES (?, ?, ?)');
      for (const r of rows) ins.run(...r);
    }
  };
  const both = (sql) => [db.prepare(sql).all(), ref.prepare(sql).all()];

  it('orders and matches texts and blobs that first differ at any byte, as SQLite does', () => {
    const rows = [];
    let id = 1;
    for (let len = 0; len <= WIDTH; len++) {
      const base = Array.from({ length: len }, (_, i) => 0x61 + (i % 26));
      rows.push([id++, String.fromCharCode(...base), Buffer.from(base)]);
      for (let k = 0; k < len; k++) {
        for (const byte of [0x00, 0x60, 0x62, 0xff]) {
          const b = base.slice();
          b[k] = byte;
          rows.push([id++, byte < 0x80 ? String.fromCharCode(...b) : null, Buffer.from(b)]);
        }
      }
    }
    load(rows);
    const [ours, theirs] = both('SELECT id FROM v ORDER BY b, id');
    assert.deepEqual(ours, theirs);
    const [ourText, theirText] = both('SELECT id FROM v ORDER BY t, id');
    assert.deepEqual(ourText, theirText);
    // each value against the one before it (rowid order), by the comparison operators
    const [ourCmp, theirCmp] = both('SELECT a.id, a.b < c.b AS lt, a.b = c.b AS eq, a.b > c.b AS gt, ' +
      'a.t < c.t AS tlt, a.t = c.t AS teq FROM v a JOIN v c ON c.id = a.id - 1');
    assert.deepEqual(ourCmp, theirCmp);
    assert.ok(ourCmp.filter((r) => r.lt === 1).length > 500);
    assert.ok(ourCmp.filter((r) => r.gt === 1).length > 2000);
  });

  it('reads JSON strings with a quote, backslash or control character at any offset, as SQLite does', () => {
    const rows = [];
    let id = 1;
    for (let len = 1; len <= WIDTH; len++) {
      for (const stop of ['\\"', '\\\\', '\\u0041', '\u0001', '\'', '"']) {
        for (const at of [0, len >> 1, len - 1]) {
          const plain = 'x'.repeat(len);
          const s = plain.slice(0, at) + stop + plain.slice(at);
          rows.push([id++, `{"k":"${s}","n":${len}}`, null]);
          rows.push([id++, `["${s}", '${s.replaceAll("'", "\\'")}']`, null]);
        }
      }
    }
    const sql = "SELECT id, json_valid(t) AS ok, CASE WHEN json_valid(t, 6) THEN json_extract(t, '$.k') END AS k, " +
      "CASE WHEN json_valid(t, 6) THEN json_extract(t, '$[0]') END AS a, " +
      'CASE WHEN json_valid(t, 6) THEN json(t) END AS j FROM v ORDER BY id';
    load(rows);
    const [ours, theirs] = both(sql);
    assert.deepEqual(ours, theirs);
    assert.ok(ours.filter((r) => r.ok === 1).length > 100);
    assert.ok(ours.filter((r) => r.ok === 0).length > 100);
  });
});
