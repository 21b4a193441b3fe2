// bench/window-cte.mjs — window functions and recursive CTEs, Lode (lodedb/compat) against better-sqlite3 in one
// process. Opt-in, not part of npm test: node bench/window-cte.mjs [--rows N] [--runs N] [--only REGEX]
//
// Both engines get the same in-memory tables: t(id INTEGER PRIMARY KEY, a, b, c, d) with c a partition key of
// 1000 values and d an unordered sort key, and tree(id INTEGER PRIMARY KEY, parent) where each node's parent is
// an earlier node. Each shape runs once untimed, then --runs times; the median is reported, with the ratio
// Lode ms / SQLite ms (> 1 means Lode is slower). Results are compared, so a wrong answer shows as a mismatch.
// Most shapes fold the window's rows into an aggregate so that the numbers measure the engines rather than the
// cost of handing 100k rows to JavaScript; "all rows" shapes do hand them over.
import BetterSqlite3 from 'better-sqlite3';
import LodeDatabase from '../js/compat.mjs';
import { xorshift } from './data.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const ROWS = Number(arg('--rows', 100_000));
const RUNS = Number(arg('--runs', 5));
const ONLY = arg('--only', null) ? new RegExp(arg('--only'), 'i') : null;

const SHAPES = [
  ['running sum per partition',
    'SELECT sum(w) FROM (SELECT sum(b) OVER (PARTITION BY c ORDER BY d) AS w FROM t)'],
  ['running sum per partition, all rows',
    'SELECT a, sum(b) OVER (PARTITION BY c ORDER BY d) AS w FROM t', 'all'],
  ['row_number/rank/lag per partition',
    'SELECT sum(r1), sum(r2), sum(l) FROM (SELECT row_number() OVER w AS r1, rank() OVER w AS r2, ' +
      'lag(b) OVER w AS l FROM t WINDOW w AS (PARTITION BY c ORDER BY d))'],
  ['ROWS 5 PRECEDING..5 FOLLOWING',
    'SELECT sum(w) FROM (SELECT sum(b) OVER (ORDER BY id ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS w FROM t)'],
  ['RANGE 100 PRECEDING per partition',
    'SELECT sum(w) FROM (SELECT avg(b) OVER (PARTITION BY c ORDER BY d RANGE BETWEEN 100 PRECEDING AND ' +
      'CURRENT ROW) AS w FROM t)'],
  ['max over ROWS 3 PRECEDING',
    'SELECT sum(w) FROM (SELECT max(b) OVER (PARTITION BY c ORDER BY d ROWS 3 PRECEDING) AS w FROM t)'],
  ['count over whole partition',
    'SELECT sum(w) FROM (SELECT count(*) OVER (PARTITION BY c) AS w FROM t)'],
  ['bench/run.mjs running sum per group',
    'SELECT max(rs), sum(rn) FROM (SELECT sum(b) OVER (PARTITION BY c ORDER BY id) AS rs, ' +
      'row_number() OVER (ORDER BY d DESC, id) AS rn FROM t)'],
  ['row_number per partition, LIMIT 10',
    'SELECT a, row_number() OVER (PARTITION BY c ORDER BY d) FROM t LIMIT 10', 'all'],
  ['row_number over 1M recursive rows, LIMIT 5',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<1000000) ' +
      'SELECT x, row_number() OVER () FROM c LIMIT 5', 'all'],
  ['recursive count to 1M',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<1000000) SELECT sum(x) FROM c'],
  ['recursive tree walk (parent id)',
    'WITH RECURSIVE sub(id, depth) AS (SELECT id, 0 FROM tree WHERE parent IS NULL UNION ALL ' +
      'SELECT tree.id, depth+1 FROM tree JOIN sub ON tree.parent = sub.id) SELECT count(*), sum(depth) FROM sub'],
  ['recursive UNION (distinct): ancestors',
    'WITH RECURSIVE anc(id) AS (SELECT id FROM tree WHERE id > 90000 UNION SELECT parent FROM tree JOIN anc ' +
      'ON tree.id = anc.id WHERE parent IS NOT NULL) SELECT count(*), sum(id) FROM anc'],
  ['recursive with ORDER BY/LIMIT',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c ORDER BY 1 LIMIT 200000) SELECT sum(x) FROM c'],
];

function populate(db) {
  db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c INTEGER, d INTEGER)');
  db.exec('CREATE TABLE tree(id INTEGER PRIMARY KEY, parent INTEGER)');
  db.exec('CREATE INDEX tree_parent ON tree(parent)');
  const next = xorshift(0x1234567);
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  const insTree = db.prepare('INSERT INTO tree VALUES (?, ?)');
  db.exec('BEGIN');
  for (let i = 1; i <= ROWS; i++) {
    const a = next() % 1_000_000;
    ins.run(i, a, next() % 1000, a % 1000, next() % 100_000);
    insTree.run(i, i === 1 ? null : 1 + (next() % (i - 1)));
  }
  db.exec('COMMIT');
}

const median = (xs) => xs.slice().sort((p, q) => p - q)[xs.length >> 1];
const now = () => Number(process.hrtime.bigint()) / 1e6;

function time(db, sql, mode) {
  const st = db.prepare(sql);
  const run = () => (mode === 'all' ? st.raw().all() : st.raw().get());
  let out = run();
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    out = run();
    ms.push(now() - t0);
  }
  const digest = mode === 'all' ? `${out.length}:${JSON.stringify(out[out.length >> 1])}` : JSON.stringify(out);
  return { ms: median(ms), digest };
}

const lode = new LodeDatabase(':memory:');
const sqlite = new BetterSqlite3(':memory:');
populate(lode);
populate(sqlite);

console.log(`window functions and recursive CTEs, ${ROWS} rows, median of ${RUNS} runs (ms)`);
console.log('| shape | Lode | SQLite | Lode/SQLite |');
console.log('|---|---:|---:|---:|');
for (const [name, sql, mode] of SHAPES) {
  if (ONLY && !ONLY.test(name)) continue;
  const l = time(lode, sql, mode);
  const s = time(sqlite, sql, mode);
  const same = l.digest === s.digest ? '' : `  MISMATCH ${l.digest} vs ${s.digest}`;
  console.log(`| ${name} | ${l.ms.toFixed(1)} | ${s.ms.toFixed(1)} | ${(l.ms / s.ms).toFixed(2)}× |${same}`);
}
