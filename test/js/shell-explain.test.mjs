// The `lode` shell prints EXPLAIN in sqlite3's modes as sqlite3 3.40 does:
// fixed widths 4 13 4 4 4 13 2 13 (a longer value printed whole, pushing
// the rest of its line), the last column unpadded, and loop bodies indented.  The
// two engines' programs differ, so the bytes cannot be compared directly.
// Instead a model of sqlite3's layout (format() below) is first checked
// against sqlite3 itself (its EXPLAIN rows read raw with `.explain off`,
// then laid out by the model, must equal its own output), and then Lode's
// shell output must equal the model applied to Lode's EXPLAIN rows.
import assert from 'node:assert/strict';
import { lode, requireLode, requireSqlite3, sqlite3 } from '../diff/lib.mjs';

const WIDTHS = [4, 13, 4, 4, 4, 13, 2, 13];
const HEADER = ['addr', 'opcode', 'p1', 'p2', 'p3', 'p4', 'p5', 'comment'];
const NEXT = new Set(['Next', 'Prev', 'VPrev', 'VNext', 'SorterNext', 'Return']);
const YIELD = new Set(['Yield', 'SeekLT', 'SeekGT', 'RowSetRead', 'Rewind']);
const width = (s) => [...s].length;

// rows: arrays of 8 strings (NULL as '') in program order.
function format(rows) {
  const indent = rows.map(() => 0);
  rows.forEach(([addr, op, p1, p2], i) => {
    const target = Number(p2) + (i - Number(addr));
    if (NEXT.has(op) && target > 0) for (let k = target; k < i; k++) indent[k] += 2;
    if (op === 'Goto' && target >= 0 && target <= i && (YIELD.has(rows[target]?.[1]) || Number(p1) !== 0)) {
      for (let k = target; k < i; k++) indent[k] += 2;
    }
  });
  const out = [HEADER.map((h, i) => h.padEnd(WIDTHS[i])).join('  '), WIDTHS.map((w) => '-'.repeat(w)).join('  ')]
    .map((l) => `${l}\n`);
  rows.forEach((row, r) => {
    let line = '';
    row.forEach((v, i) => {
      const last = i === row.length - 1;
      const w = last ? 0 : WIDTHS[i];
      if (i === 1) line += ' '.repeat(indent[r]);
      line += v + ' '.repeat(Math.max(0, w - width(v))) + (last ? '\n' : '  ');
    });
    out.push(line);
  });
  return out.join('');
}

const SCHEMA = 'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c); CREATE INDEX tb ON t(b);\n' +
  'CREATE TABLE u(x, y);\n';
const QUERIES = [
  'SELECT * FROM t WHERE a > 0;',
  'SELECT b, count(*) FROM t GROUP BY b ORDER BY 2 DESC;',
  'SELECT * FROM t JOIN u ON u.x = t.a WHERE t.b = \'q\';',
  'SELECT * FROM t WHERE a IN (SELECT x FROM u);',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r;',
  'INSERT INTO u SELECT a, b FROM t;',
  "UPDATE t SET c = 'a very long value for the p4 column' WHERE b > 'm';",
];

// sqlite3's EXPLAIN rows, read raw as JSON (`.explain off` turns off its
// automatic layout).  Lode's shell has no .explain: its rows come from the JS API.
function sqlite3Rows(query) {
  const r = sqlite3(['-batch'], `${SCHEMA}.explain off\n.mode json\nEXPLAIN ${query}\n`, { encoding: 'utf8' });
  return JSON.parse(r.stdout).map((o) => HEADER.map((h) => (o[h] === null ? '' : String(o[h]))));
}

describe('lode shell: EXPLAIN laid out as sqlite3 3.40 lays it out', function () {
  before(function () {
    requireLode();
    requireSqlite3(this);
  });

  it('the layout model reproduces sqlite3 byte for byte', function () {
    for (const q of QUERIES) {
      const want = sqlite3(['-batch'], `${SCHEMA}EXPLAIN ${q}\n`, { encoding: 'utf8' }).stdout;
      assert.equal(format(sqlite3Rows(q)), want, q);
    }
  });

  for (const mode of ['list', 'csv', 'column', 'box', 'quote']) {
    it(`.mode ${mode}: Lode's EXPLAIN follows the model`, async function () {
      const { default: Database } = await import('lodedb/compat');
      const db = new Database(':memory:');
      try {
        db.exec(SCHEMA);
        for (const q of QUERIES) {
          const rows = db.prepare(`EXPLAIN ${q}`).raw().all().map((r) => r.map((v) => (v === null ? '' : String(v))));
          const got = lode([], `${SCHEMA}.mode ${mode}\nEXPLAIN ${q}\n`, { encoding: 'utf8' });
          assert.equal(got.stdout, format(rows), q);
        }
      } finally {
        db.close();
      }
    });
  }

  it('pretty mode keeps the layout of the Turso manual', function () {
    const got = lode(['-m', 'pretty'], "EXPLAIN SELECT 'hello, world';\n", { encoding: 'utf8' }).stdout.split('\n');
    assert.equal(got[0], 'addr  opcode             p1    p2    p3    p4             p5  comment');
  });
});
