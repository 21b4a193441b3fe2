// The R-Tree module against Debian's sqlite3 CLI (its rtree is enabled):
// random inserts, updates, deletes and box queries give the same rows and
// errors in both engines on trees of several levels; a file either engine
// wrote is read, checked (rtreecheck, integrity_check) and changed by the
// other, which then sees the same rows as the engine that made it.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, SQLITE3, firstDifference, normalize, requireLode, requireSqlite3, runMerged } from '../diff/lib.mjs';

function shell(which, file, sql) {
  const r = which === 'lode'
    ? runMerged(LODE, ['-m', 'list', file], sql)
    : runMerged(SQLITE3, ['-batch', '-list', file], sql);
  return normalize(r.output);
}

// A small deterministic generator (mulberry32), so a failure can be replayed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Coordinates are multiples of 0.25, exact in a float, so both engines print them alike.
function box(r) {
  const q = (v) => Math.round(v * 4) / 4;
  const x = q(r() * 1000), y = q(r() * 1000);
  return [x, q(x + r() * 40), y, q(y + r() * 40)];
}

function randomScript(seed, ops, table) {
  const r = rng(seed);
  const out = [];
  let next = 1;
  const pick = () => 1 + Math.floor(r() * next);
  for (let i = 0; i < ops; i++) {
    const k = r();
    if (k < 0.55) {
      const [x0, x1, y0, y1] = box(r);
      out.push(`INSERT INTO ${table} VALUES(${next++}, ${x0}, ${x1}, ${y0}, ${y1}, 'tag${i}');`);
    } else if (k < 0.57) {
      out.push(`INSERT INTO ${table} VALUES(${pick()}, 1, 2, 3, 4, 'dup');`);
    } else if (k < 0.59) {
      out.push(`INSERT INTO ${table} VALUES(${next++}, 5, 4, 3, 4, 'bad');`);
    } else if (k < 0.75) {
      out.push(`DELETE FROM ${table} WHERE id = ${pick()};`);
    } else if (k < 0.8) {
      const [x0, x1] = box(r);
      out.push(`UPDATE ${table} SET x0 = ${x0}, x1 = ${x1}, tag = 'moved' WHERE id = ${pick()};`);
    } else if (k < 0.82) {
      const [x0, , y0] = box(r);
      out.push(`DELETE FROM ${table} WHERE x0 < ${x0} AND y0 < ${y0} AND x1 > ${x0 - 60};`);
    } else {
      const [x0, x1, y0, y1] = box(r);
      out.push(`SELECT id, tag FROM ${table} WHERE x1 >= ${x0} AND x0 <= ${x1 + 50} ` +
        `AND y1 >= ${y0} AND y0 <= ${y1 + 50} ORDER BY id;`);
    }
  }
  out.push(`SELECT count(*), sum(x0), sum(y1) FROM ${table};`);
  out.push(`SELECT rtreecheck('${table}');`);
  return out.join('\n') + '\n';
}

const FULL = 'SELECT * FROM r ORDER BY id;\n';

describe('R-Tree with the sqlite3 CLI', function () {
  this.timeout(120000);
  let dir;
  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-rtree-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const seed of [1, 2]) {
    it(`random changes and box queries give the same rows (seed ${seed})`, function () {
      const sql = 'CREATE VIRTUAL TABLE r USING rtree(id, x0, x1, y0, y1, +tag);\n' + randomScript(seed, 1500, 'r');
      const expected = shell('sqlite3', join(dir, `s${seed}.db`), sql);
      const got = shell('lode', join(dir, `l${seed}.db`), sql);
      assert.match(expected, /rtree constraint failed: r\.\(x0<=x1\)/);
      assert.match(expected, /UNIQUE constraint failed: r\.id/);
      assert.match(expected, /\nok\n$/);
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
      // Several levels, so splits, parent maps and shrinking were all exercised.
      assert.notEqual(shell('sqlite3', join(dir, `l${seed}.db`), 'SELECT count(*) > 3 FROM r_parent;'), '0\n');
    });
  }

  for (const creator of ['lode', 'sqlite3']) {
    it(`a tree ${creator} wrote is read, checked and changed by the other engine`, function () {
      const other = creator === 'lode' ? 'sqlite3' : 'lode';
      const made = join(dir, `${creator}-made.db`);
      const build = 'CREATE VIRTUAL TABLE r USING rtree(id, x0, x1, y0, y1, +tag);\n' +
        randomScript(10 + creator.length, 1200, 'r').replace(/^SELECT .*\n/gm, '');
      shell(creator, made, build);
      const look = FULL + "SELECT rtreecheck('r'); PRAGMA integrity_check;\n";
      const byCreator = shell(creator, made, look);
      assert.match(byCreator, /\nok\nok\n$/);
      assert.equal(shell(other, made, look), byCreator);
      // Both engines apply the same changes to copies; the results agree, and each file stays sound.
      const changes = randomScript(99, 600, 'r');
      const mine = join(dir, `${creator}-by-${creator}.db`), theirs = join(dir, `${creator}-by-${other}.db`);
      copyFileSync(made, mine);
      copyFileSync(made, theirs);
      const expected = shell(creator, mine, changes);
      const got = shell(other, theirs, changes);
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
      const after = shell(creator, theirs, look);
      assert.equal(after, shell(creator, mine, look));
      assert.match(after, /\nok\nok\n$/);
    });
  }

  it('a node blob Lode writes is byte for byte the one sqlite3 writes, for both coordinate types', function () {
    const sql = `CREATE VIRTUAL TABLE f USING rtree(id, a, b, c, d, e, f);
CREATE VIRTUAL TABLE n USING rtree_i32(id, a, b, +x);
INSERT INTO f VALUES(7, -1.1, 2.5, 1e-3, 3e9, 16777217, 16777219), (8, 0, 0, -0.0, 0, 1e-45, 1e300);
INSERT INTO n VALUES(1, -7.9, 2.9, 'x'), (-5, 2147483647, 2147483647, NULL);
SELECT nodeno, hex(data) FROM f_node; SELECT * FROM f_rowid; SELECT * FROM f_parent;
SELECT nodeno, hex(data) FROM n_node; SELECT * FROM n_rowid;
SELECT sql FROM sqlite_schema ORDER BY name;
`;
    const expected = shell('sqlite3', join(dir, 'blob-s.db'), sql);
    assert.equal(shell('lode', join(dir, 'blob-l.db'), sql), expected);
  });
});
