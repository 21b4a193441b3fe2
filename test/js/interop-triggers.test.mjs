// Triggers on disk, both directions, with Debian's sqlite3 CLI: the triggers
// one engine creates are stored in sqlite_schema as the other stores them,
// and the other engine loads and fires them.  Each direction: the creator
// makes the schema (tables, a view, triggers with WHEN, UPDATE OF, RAISE,
// INSTEAD OF) in a file; the file is copied; then the same changes run on
// one copy in each engine, and both must print the same rows, the same
// errors and the same logs, and sqlite3's integrity_check must pass on the
// file Lode wrote.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, SQLITE3, firstDifference, normalize, requireLode, requireSqlite3, runMerged } from '../diff/lib.mjs';

const SCHEMA = `
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER CHECK (qty >= 0), price REAL);
CREATE TABLE log(seq INTEGER PRIMARY KEY, what TEXT);
CREATE TABLE stock(name TEXT PRIMARY KEY, total INTEGER) WITHOUT ROWID;
CREATE VIEW cheap AS SELECT id, name, price FROM item WHERE price < 10;
CREATE TRIGGER item_ins AFTER INSERT ON item BEGIN
  INSERT INTO log(what) VALUES ('ins ' || new.id || ' ' || new.name);
  INSERT INTO stock VALUES (new.name, new.qty) ON CONFLICT(name) DO UPDATE SET total = total + excluded.total;
END;
CREATE TRIGGER "item qty" BEFORE UPDATE OF qty ON item WHEN new.qty <> old.qty BEGIN
  SELECT RAISE(ABORT, 'no negative stock')
    WHERE (SELECT total FROM stock WHERE name = old.name) - old.qty + new.qty < 0;
  UPDATE stock SET total = total - old.qty + new.qty WHERE name = old.name;
  INSERT INTO log(what) VALUES ('qty ' || old.name || ' ' || old.qty || '->' || new.qty);
END;
CREATE TRIGGER item_del BEFORE DELETE ON item FOR EACH ROW BEGIN
  SELECT RAISE(IGNORE) WHERE old.name = 'keep';
  UPDATE stock SET total = total - old.qty WHERE name = old.name;
  INSERT INTO log(what) VALUES ('del ' || old.id);
END;
CREATE TRIGGER cheap_upd INSTEAD OF UPDATE ON cheap BEGIN
  UPDATE item SET price = new.price, name = new.name WHERE id = old.id;
  INSERT INTO log(what) VALUES ('cheap ' || old.id || ' ' || old.price || '->' || new.price);
END;
`;

const CHANGES = `
INSERT INTO item(name, qty, price) VALUES ('apple', 5, 1.5), ('pear', 3, 12), ('keep', 1, 2), ('apple', 2, 1.25);
UPDATE item SET qty = qty + 1 WHERE name = 'apple';
UPDATE item SET qty = 0 WHERE name = 'pear';
UPDATE item SET qty = -1 WHERE id = 1;
UPDATE item SET qty = qty - 10 WHERE name = 'apple';
UPDATE cheap SET price = price * 2 WHERE name = 'apple';
DELETE FROM item WHERE qty < 5;
SELECT * FROM item ORDER BY id;
SELECT * FROM stock ORDER BY name;
SELECT * FROM log ORDER BY seq;
SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name;
PRAGMA integrity_check;
`;

function shell(which, file, sql) {
  const r = which === 'lode'
    ? runMerged(LODE, ['-m', 'list', file], sql)
    : runMerged(SQLITE3, ['-batch', '-list', file], sql);
  return normalize(r.output);
}

describe('triggers on disk with the sqlite3 CLI', function () {
  let dir;
  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-trig-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const creator of ['lode', 'sqlite3']) {
    it(`triggers created by ${creator} fire the same in both engines`, function () {
      const made = join(dir, `${creator}.db`);
      assert.equal(shell(creator, made, SCHEMA), '');
      const schemaRows = 'SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid;';
      const bySqlite = shell('sqlite3', made, schemaRows);
      assert.equal(shell('lode', made, schemaRows), bySqlite);
      assert.match(bySqlite, /trigger\|item qty\|item\|0\|CREATE TRIGGER "item qty" BEFORE UPDATE OF qty ON item/);
      const forLode = join(dir, `${creator}-lode.db`);
      const forSqlite = join(dir, `${creator}-sqlite.db`);
      copyFileSync(made, forLode);
      copyFileSync(made, forSqlite);
      const expected = shell('sqlite3', forSqlite, CHANGES);
      const got = shell('lode', forLode, CHANGES);
      assert.match(expected, /no negative stock/);
      assert.match(expected, /cheap 1 1\.5->3/);
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
      // The file Lode changed is sound for sqlite3, and holds what sqlite3 made.
      const check = 'PRAGMA integrity_check; SELECT * FROM item ORDER BY id; SELECT * FROM log ORDER BY seq;';
      assert.equal(shell('sqlite3', forLode, check), shell('sqlite3', forSqlite, check));
    });
  }

  it('DROP TRIGGER and DROP TABLE by Lode are seen by sqlite3', function () {
    const file = join(dir, 'drop.db');
    shell('sqlite3', file, SCHEMA);
    assert.equal(shell('lode', file, 'DROP TRIGGER item_del; DROP VIEW cheap;'), '');
    assert.equal(
      shell('sqlite3', file, "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name;"),
      'item qty\nitem_ins\n',
    );
    assert.equal(shell('lode', file, 'DROP TABLE item;'), '');
    const left = "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'; PRAGMA integrity_check;";
    assert.equal(shell('sqlite3', file, left), '0\nok\n');
  });
});
