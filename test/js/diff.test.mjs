// Differential tests: the same SQL through Debian's sqlite3 CLI and through
// `lode -m list` must print the same rows and the same error messages.
//
// 1. Every test/diff/*.sql file runs as one script through both shells
//    (stdout and stderr merged; one statement per line, and the harness adds
//    a marker row after each line so that every difference is reported with
//    the statement that caused it); the only normalization is the error
//    prefix (see normalize() in test/diff/lib.mjs).
// 2. A seeded generator writes random expressions over literals of every
//    storage class and the columns of a one-row table, and compares
//    `SELECT e, typeof(e) FROM t` line by line.  DIFF_SEED and DIFF_COUNT
//    override the seed and the number of expressions; a failure prints the
//    seed and the differing expressions.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareScript, describeMismatches, requireLode, requireSqlite3, root, runBoth } from '../diff/lib.mjs';

const caseDir = join(root, 'test', 'diff');
const cases = readdirSync(caseDir)
  .filter((f) => f.endsWith('.sql'))
  .sort();

describe('differential: lode vs sqlite3', function () {
  before(function () {
    requireSqlite3(this);
    requireLode();
  });

  describe('SQL cases (test/diff/*.sql)', function () {
    for (const file of cases) {
      it(file, function () {
        const sql = readFileSync(join(caseDir, file), 'utf8');
        const r = compareScript(sql);
        if (r.mismatches.length) assert.fail(describeMismatches(file, r.mismatches));
        assert.equal(r.lodeStatus, r.sqliteStatus, `${file}: exit status`);
      });
    }
  });

  describe('random expressions', function () {
    const seed = Number(process.env.DIFF_SEED ?? 20261125) >>> 0;
    const count = Number(process.env.DIFF_COUNT ?? 2000);

    it(`SELECT e, typeof(e) for ${count} expressions (seed ${seed})`, function () {
      const exprs = generateExpressions(seed, count);
      const setup = [
        'CREATE TABLE t(i INTEGER, r REAL, s TEXT, ns TEXT, b BLOB, n);',
        "INSERT INTO t VALUES (42, 2.5, 'hello', '17', x'0102', NULL);",
      ];
      const statements = exprs.map((e) => `SELECT ${e}, typeof(${e}) FROM t;`);
      const r = runBoth([...setup, ...statements, ''].join('\n'));
      const a = r.sqlite.split('\n');
      const b = r.lode.split('\n');
      assert.equal(a.length, statements.length + 1, 'sqlite3 printed one line per statement');
      const bad = [];
      for (let i = 0; i < statements.length; i++) {
        if (a[i] !== b[i]) bad.push(i);
      }
      if (bad.length === 0 && b.length === a.length) return;
      const shown = bad
        .slice(0, 25)
        .map((i) => `  ${statements[i]}\n    sqlite3: ${JSON.stringify(a[i])}\n    lode:    ${JSON.stringify(b[i])}`);
      assert.fail(
        `seed ${seed}: ${bad.length} of ${statements.length} expressions differ` +
          (b.length !== a.length ? ` (lode printed ${b.length - 1} lines, sqlite3 ${a.length - 1})` : '') +
          `\n${shown.join('\n')}`,
      );
    });
  });
});

// ---- the expression generator ------------------------------------------------

/** mulberry32: a small seeded PRNG with a 32-bit state, floats in [0, 1). */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LITERALS = [
  // integers
  '0', '1', '-1', '2', '7', '-3', '100', '2147483647', '2147483648', '4294967296',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '0x10', '0xffffffffffffffff',
  // reals
  '0.0', '1.0', '-1.0', '0.5', '0.1', '2.5', '-2.5', '1e20', '1e-7', '3.14159', '1.5e300', '123456.789',
  '1e308', '4.0',
  // text
  "''", "'a'", "'abc'", "'ABC'", "'12'", "'-3'", "' 4 '", "'2.5'", "'1e3'", "'x''y'", "'0x1F'",
  "'héllo'", "'12abc'", "'9223372036854775807'", "'9223372036854775808'",
  // blobs
  "x''", "x'00'", "x'41'", "x'3132'", "x'ff00'",
  // null
  'NULL',
];
const COLUMNS = ['i', 'r', 's', 'ns', 'b', 'n'];
const BINARY = ['+', '-', '*', '/', '%', '||', '=', '==', '!=', '<>', '<', '<=', '>', '>=',
  'AND', 'OR', 'IS', 'IS NOT'];
const UNARY = ['-', '+', 'NOT'];
const FUNCS1 = ['length', 'typeof', 'abs', 'lower', 'upper'];

function generateExpressions(seed, count) {
  const rnd = prng(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  function leaf() {
    return rnd() < 0.75 ? pick(LITERALS) : pick(COLUMNS);
  }
  function expr(depth) {
    if (depth <= 0 || rnd() < 0.25) return leaf();
    const k = rnd();
    if (k < 0.45) return `(${expr(depth - 1)} ${pick(BINARY)} ${expr(depth - 1)})`;
    if (k < 0.6) return `(${pick(UNARY)} ${expr(depth - 1)})`;
    if (k < 0.7) return `(${expr(depth - 1)} ${rnd() < 0.5 ? 'IS NULL' : 'IS NOT NULL'})`;
    if (k < 0.9) return `${pick(FUNCS1)}(${expr(depth - 1)})`;
    const args = [expr(depth - 1), expr(depth - 1)];
    if (rnd() < 0.5) args.push(expr(depth - 1));
    return `coalesce(${args.join(', ')})`;
  }
  const out = [];
  for (let i = 0; i < count; i++) out.push(expr(3));
  return out;
}
