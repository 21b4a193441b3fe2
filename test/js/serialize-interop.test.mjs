// A serialized in-memory database opens in better-sqlite3 (SQLite refuses an
// image whose header says WAL), and better-sqlite3's image opens in Lode.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import Database from 'lodedb/compat';

describe('serialize() images between Lode and better-sqlite3', function () {
  it('an in-memory image says rollback journal and opens in better-sqlite3', function () {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE t(x, y); INSERT INTO t VALUES (1, 'one'), (2, 'two'); CREATE INDEX ty ON t(y)");
    const image = db.serialize();
    assert.equal(image[18], 1);
    assert.equal(image[19], 1);
    const other = new BetterSqlite3(image);
    assert.deepEqual(other.prepare('SELECT * FROM t ORDER BY x').all(), [{ x: 1, y: 'one' }, { x: 2, y: 'two' }]);
    assert.equal(other.pragma('integrity_check', { simple: true }), 'ok');
    other.close();
    db.close();
  });

  it("an image opened and serialized again is the same bytes, and an in-memory database's header matches SQLite's", function () {
    const images = [BetterSqlite3, Database].map((D) => {
      const db = new D(':memory:');
      db.exec("CREATE TABLE t(x, y); INSERT INTO t VALUES (1, 'one'); UPDATE t SET y = 'uno'");
      const image = db.serialize();
      db.close();
      const again = new D(image);
      const round = again.serialize();
      again.close();
      assert.ok(round.equals(image), `${D.name}: serialize(new Database(image)) differs`);
      return image;
    });
    // change counter, page count, version-valid-for: SQLite leaves an in-memory database's counter at 0
    for (const off of [24, 28, 92]) assert.equal(images[1].readUInt32BE(off), images[0].readUInt32BE(off), `offset ${off}`);
  });

  it("better-sqlite3's image opens in Lode and is writable", function () {
    const src = new BetterSqlite3(':memory:');
    src.exec('CREATE TABLE t(x PRIMARY KEY); INSERT INTO t VALUES (3), (4)');
    const db = new Database(src.serialize());
    db.prepare('INSERT INTO t VALUES (?)').run(5);
    assert.deepEqual(db.prepare('SELECT x FROM t ORDER BY x').pluck().all(), [3, 4, 5]);
    const back = new BetterSqlite3(db.serialize());
    assert.deepEqual(back.prepare('SELECT x FROM t ORDER BY x').pluck().all(), [3, 4, 5]);
    back.close();
    db.close();
    src.close();
  });
});
