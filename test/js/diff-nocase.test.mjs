// NOCASE as SQLite compares: ASCII letters folded, and the bytes compared
// only up to a zero byte both texts have at the same place (the lengths
// decide then, whatever follows).  Every place a collation's equality or
// order is used must agree: comparisons, DISTINCT, GROUP BY, UNION, joins,
// ORDER BY, index builds and index lookups.  Against better-sqlite3.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import Lode from 'lodedb/compat';

const setup = `CREATE TABLE t(id INTEGER PRIMARY KEY, c TEXT COLLATE NOCASE);
INSERT INTO t(c) VALUES (char(97,0,120)), (char(65,0,121)), (char(97,0)), ('a'), (char(97,0,120,122)), ('A'),
  (char(98,0,1)), (char(66,0,2)), (char(98,0,1,2,3,4,5,6,7,8,9)), (char(66,0,9,8,7,6,5,4,3,2,1)), ('b');`;
const queries = [
  'SELECT count(DISTINCT c) FROM t',
  'SELECT hex(c), count(*) FROM t GROUP BY c ORDER BY 1',
  'SELECT a.id, b.id FROM t a JOIN t b ON a.c = b.c AND a.id < b.id ORDER BY 1, 2',
  'SELECT id FROM t WHERE c = char(65, 0, 122) ORDER BY id',
  "SELECT id FROM t WHERE c IN (char(97,0,113), 'x') ORDER BY id",
  'SELECT id FROM t WHERE c > char(97, 0) ORDER BY id',
  'SELECT id FROM t WHERE c BETWEEN char(97, 0, 0) AND char(98, 0, 0) ORDER BY id',
  'SELECT count(*) FROM (SELECT c FROM t UNION SELECT c FROM t)',
  'SELECT id FROM t ORDER BY c, id',
  'SELECT id FROM t ORDER BY c DESC, id',
  'SELECT char(97,0,1) = char(65,0,2) COLLATE NOCASE, char(97,0,1) < char(97,0,2,3) COLLATE NOCASE',
];

function answers(Database, index) {
  const db = new Database(':memory:');
  try {
    db.exec(setup);
    if (index) db.exec(index);
    return queries.map((q) => [q, db.prepare(q).raw().all()]);
  } finally {
    db.close();
  }
}

describe('NOCASE with zero bytes in the text, against better-sqlite3', () => {
  for (const index of [null, 'CREATE INDEX ti ON t(c)', 'CREATE INDEX ti ON t(c DESC, id)']) {
    it(index ?? 'without an index', () => {
      assert.deepEqual(answers(Lode, index), answers(BetterSqlite3, index));
    });
  }
  it('a UNIQUE NOCASE index finds texts equal up to a zero byte duplicates, as SQLite', () => {
    const outcome = (Database) => {
      const db = new Database(':memory:');
      try {
        db.exec('CREATE TABLE u(c TEXT COLLATE NOCASE UNIQUE)');
        db.prepare('INSERT INTO u VALUES (char(97, 0, 1))').run();
        try {
          db.prepare('INSERT INTO u VALUES (char(65, 0, 2))').run();
          return 'inserted';
        } catch (e) {
          return e.code;
        }
      } finally {
        db.close();
      }
    };
    assert.equal(outcome(Lode), outcome(BetterSqlite3));
    assert.equal(outcome(Lode), 'SQLITE_CONSTRAINT_UNIQUE');
  });
});
