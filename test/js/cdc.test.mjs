// cdc.test.mjs — change data capture (PRAGMA capture_data_changes_conn)
// against @tursodatabase/database 0.7.2: the same sessions run on both, and
// the CDC tables must hold the same rows (before/after/updates byte for
// byte), change_time aside; sqlite_schema rows, whose rowids and root pages
// depend on each engine's internal tables, must be the same kinds of change
// in the same order.  Then what Turso 0.7.2 gets wrong and Lode must get
// right (triggers, cascades, upserts, rowid moves), the decoding functions,
// db.changes() replaying a workload into an empty database, and a SIGKILL
// in the middle of capturing writes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect as lodeConnect } from '../../js/index.mjs';
import { connect as tursoConnect } from '@tursodatabase/database';

const MODES = ['id', 'before', 'after', 'full'];
const READ = 'SELECT change_id, change_txn_id, change_type, table_name, id, hex("before") AS b, hex("after") AS a, '
  + 'hex(updates) AS u FROM ';

// Runs the statements one by one; returns which failed and the CDC rows.
async function session(connect, statements, table = 'turso_cdc') {
  const db = await connect(':memory:');
  const failed = [];
  for (const sql of statements) {
    try {
      const st = db.prepare(sql);
      if (st.reader) await st.all();
      else await st.run();
      failed.push(false);
    } catch {
      failed.push(true);
    }
  }
  let rows = [];
  try {
    rows = await db.prepare(READ + table).all();
  } catch {
    rows = null;
  }
  await db.close();
  return { failed, rows };
}

// The part of a row both engines must agree on.
function comparable(r) {
  const base = [r.change_id, r.change_txn_id, r.change_type, r.table_name];
  return r.table_name === 'sqlite_schema' ? base : [...base, r.id, r.b, r.a, r.u];
}

async function compareWithTurso(statements, table) {
  const [lode, turso] = await Promise.all([session(lodeConnect, statements, table),
    session(tursoConnect, statements, table)]);
  assert.deepEqual(lode.failed, turso.failed, 'the same statements fail');
  assert.ok(turso.rows && turso.rows.length > 0, 'the session captured something');
  assert.deepEqual(lode.rows.map(comparable), turso.rows.map(comparable));
  return lode.rows;
}

const MIXED = (mode, table) => [
  'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL, d)',
  "INSERT INTO t VALUES (100, 'before capture', 1, 1)",
  `PRAGMA unstable_capture_data_changes_conn('${mode}${table ? ',' + table : ''}')`,
  "INSERT INTO t VALUES (1, 'x', 2.5, x'00ff'), (2, 'y', NULL, 'text'), (3, 'z', -7, 12345678901234)",
  "INSERT INTO t(b, c) VALUES ('auto', '42')",
  "UPDATE t SET b = 'x2', d = NULL WHERE a = 1",
  "UPDATE t SET c = c + 1",
  'UPDATE t SET c = 0 WHERE a = 999',
  'DELETE FROM t WHERE a = 2',
  "INSERT INTO t VALUES (4, 'x2', 0, 0)",
  "INSERT INTO t VALUES (5, 'ok', 0, 0), (6, 'z', 0, 0)",
  "INSERT OR REPLACE INTO t VALUES (7, 'z', 7, 7)",
  "INSERT OR REPLACE INTO t VALUES (7, 'z7', 8, 8)",
  "INSERT OR IGNORE INTO t VALUES (8, 'z7', 9, 9)",
  "INSERT INTO t VALUES (8, 'eight', 8, 8) ON CONFLICT DO NOTHING",
  'BEGIN',
  "INSERT INTO t VALUES (9, 'nine', 9, 9)",
  'UPDATE t SET d = 99 WHERE a = 9',
  "INSERT INTO t VALUES (10, 'nine', 0, 0)",
  'DELETE FROM t WHERE a = 1',
  'COMMIT',
  'BEGIN',
  "INSERT INTO t VALUES (11, 'gone', 0, 0)",
  'ROLLBACK',
  'BEGIN',
  'COMMIT',
  'CREATE TABLE plain(k INTEGER PRIMARY KEY, v)',
  "INSERT INTO plain VALUES (1, 'x')",
  "INSERT OR REPLACE INTO plain VALUES (1, 'y')",
  "REPLACE INTO plain VALUES (1, 'z'), (2, 'new')",
  'CREATE TABLE u(x, y)',
  'CREATE INDEX uy ON u(y)',
  "INSERT INTO u VALUES (1, 'one'), (2.5, NULL)",
  'DROP INDEX uy',
  'ALTER TABLE u ADD COLUMN z DEFAULT 3',
  "INSERT INTO u VALUES ('a', 'b', 'c')",
  'UPDATE u SET z = x',
  'ALTER TABLE u DROP COLUMN z',
  "INSERT INTO u VALUES ('after drop', 1)",
  'DROP TABLE u',
  'DELETE FROM t',
];

describe('change data capture, compared with Turso 0.7.2', function () {
  this.timeout(120000);

  for (const mode of MODES) {
    it(`a mixed session in mode ${mode} records the same rows`, async () => {
      const rows = await compareWithTurso(MIXED(mode));
      const types = new Set(rows.map((r) => r.change_type));
      for (const t of [1, 0, -1, 2]) assert.ok(types.has(t), `change_type ${t} recorded`);
      if (mode === 'id') assert.ok(rows.every((r) => r.b === '' && r.a === '' && r.u === ''));
      if (mode === 'full') assert.ok(rows.some((r) => r.u !== ''), 'full mode records updates');
    });
  }

  it('a custom table name gets the same rows', async () => {
    await compareWithTurso(MIXED('full', 'my_changes'), 'my_changes');
  });

  it('the pragma reads back mode, table and version as Turso does', async () => {
    const stmts = ['PRAGMA capture_data_changes_conn', "PRAGMA capture_data_changes_conn('after,x')",
      'PRAGMA capture_data_changes_conn', "PRAGMA capture_data_changes_conn('off')",
      'PRAGMA capture_data_changes_conn'];
    const read = async (connect) => {
      const db = await connect(':memory:');
      const out = [];
      for (const s of stmts) {
        const st = db.prepare(s);
        out.push(st.reader ? await st.all() : (await st.run(), null));
      }
      out.push(await db.prepare('SELECT * FROM turso_cdc_version').all());
      out.push(await db.prepare("SELECT sql FROM sqlite_schema WHERE name IN ('x', 'turso_cdc_version') ORDER BY name")
        .all());
      await db.close();
      return out;
    };
    const [lode, turso] = await Promise.all([read(lodeConnect), read(tursoConnect)]);
    assert.deepEqual(lode, turso);
  });

  // Random sessions of the kinds of change both engines capture alike.
  function randomSession(seed, mode) {
    let s = seed;
    const rnd = (n) => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return Math.floor((s / 2147483648) * n);
    };
    const value = () => {
      switch (rnd(7)) {
        case 0: return 'NULL';
        case 1: return String(rnd(1000) - 500);
        case 2: return String(rnd(1 << 30) * 4096);
        case 3: return `${rnd(100)}.${rnd(4) * 25}`;
        case 4: return `'s${rnd(50)}'`;
        case 5: return `x'${rnd(65536).toString(16).padStart(4, '0')}'`;
        default: return `'${rnd(20)}'`;
      }
    };
    const out = [
      'CREATE TABLE a(id INTEGER PRIMARY KEY, k UNIQUE, v, n INTEGER, r REAL, t TEXT)',
      'CREATE TABLE b(x, y, z)',
      `PRAGMA capture_data_changes_conn('${mode}')`,
    ];
    let inTxn = false;
    for (let i = 0; i < 120; i++) {
      const op = rnd(14);
      if (op < 4) {
        out.push(`INSERT INTO a VALUES (${rnd(3) ? rnd(60) : 'NULL'}, ${value()}, ${value()}, ${value()}, ${value()}, `
          + `${value()})`);
      } else if (op === 4) {
        out.push(`INSERT OR REPLACE INTO a VALUES (${rnd(60)}, 's${rnd(50)}', ${value()}, 1, 2, 3)`);
      } else if (op === 5) {
        out.push(`INSERT INTO b VALUES (${value()}, ${value()}, ${value()}), (${value()}, ${value()}, ${value()})`);
      } else if (op === 6) {
        // n is an INTEGER column: Turso 0.7.2 records the first row of a multi-row UPDATE with the value
        // as the SET list made it, the later rows with the column's affinity applied (its registers are
        // converted in place), so only values affinity keeps are set there.
        out.push(`UPDATE a SET v = ${value()}, n = ${rnd(2) ? rnd(1000) : 'NULL'} WHERE id % 3 = ${rnd(3)}`);
      } else if (op === 7) {
        out.push(`UPDATE a SET k = ${value()} WHERE id = ${rnd(60)}`);
      } else if (op === 8) {
        out.push(`UPDATE b SET z = ${value()} WHERE rowid % 2 = ${rnd(2)}`);
      } else if (op === 9) {
        out.push(`DELETE FROM a WHERE id < ${rnd(60)} AND id % 5 = 0`);
      } else if (op === 10) {
        out.push(`DELETE FROM b WHERE rowid = ${rnd(20)}`);
      } else if (op === 11 && !inTxn) {
        out.push('BEGIN');
        inTxn = true;
      } else if (op === 12 && inTxn) {
        out.push(rnd(3) ? 'COMMIT' : 'ROLLBACK');
        inTxn = false;
      } else if (op === 13) {
        out.push(rnd(2) ? `CREATE INDEX IF NOT EXISTS ai${rnd(3)} ON a(v)` : `DROP INDEX IF EXISTS ai${rnd(3)}`);
      }
    }
    if (inTxn) out.push('COMMIT');
    return out;
  }

  for (const mode of MODES) {
    for (const seed of [7, 1234]) {
      it(`random session ${seed} in mode ${mode} records the same rows`, async () => {
        await compareWithTurso(randomSession(seed, mode));
      });
    }
  }

  it('bin_record_json_object and table_columns_json_array decode records as Turso does', async () => {
    const stmts = [
      'CREATE TABLE t(a INTEGER PRIMARY KEY, "b x", c, d)',
      "PRAGMA capture_data_changes_conn('full')",
      "INSERT INTO t VALUES (1, 0.1, 1e100, 'q\"\\/' || char(10, 9, 8364, 1)), (2, -0.0, 12345678901234567, 1.0)",
      "INSERT INTO t VALUES (3, 9223372036854775807, -9223372036854775808, 1e15), (4, 1e16, 3.5e-7, 0.00001)",
      "UPDATE t SET d = 'new' WHERE a < 3",
    ];
    const query = 'SELECT table_columns_json_array(\'t\') AS cols, '
      + "bin_record_json_object(table_columns_json_array('t'), \"after\") AS a, "
      + "bin_record_json_object(table_columns_json_array('t'), \"before\") AS b, "
      + "bin_record_json_object('[\"a\",\"b\",\"c\",\"d\",\"a2\",\"b2\",\"c2\",\"d2\"]', updates) AS u "
      + "FROM turso_cdc WHERE table_name = 't' ORDER BY change_id";
    const read = async (connect) => {
      const db = await connect(':memory:');
      for (const s of stmts) await db.exec(s);
      const rows = await db.prepare(query).all();
      await db.close();
      return rows;
    };
    const [lode, turso] = await Promise.all([read(lodeConnect), read(tursoConnect)]);
    assert.equal(lode.length, 6);
    assert.deepEqual(lode, turso);
  });
});

describe('change data capture: the manual\'s examples', () => {
  it('enables, reads back, queries by kind and decodes as docs/cdc.md shows', async () => {
    const db = await lodeConnect(':memory:');
    await db.exec("PRAGMA capture_data_changes_conn('full,my_changes_table')");
    assert.deepEqual(await db.all('PRAGMA capture_data_changes_conn'),
      [{ mode: 'full', table: 'my_changes_table', version: 'v2' }]);
    await db.exec("PRAGMA capture_data_changes_conn('off')");
    await db.exec("PRAGMA capture_data_changes_conn('full')");
    await db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (1, 2), (3, 4)');
    await db.exec('UPDATE t SET b = 20 WHERE a = 1; DELETE FROM t WHERE a = 3');
    const rows = await db.all('SELECT bin_record_json_object(table_columns_json_array(\'t\'), "before") AS before, '
      + 'bin_record_json_object(table_columns_json_array(\'t\'), "after") AS after '
      + 'FROM turso_cdc WHERE table_name = \'t\'');
    assert.deepEqual(rows, [{ before: null, after: '{"a":1,"b":2}' }, { before: null, after: '{"a":3,"b":4}' },
      { before: '{"a":1,"b":2}', after: '{"a":1,"b":20}' }, { before: '{"a":3,"b":4}', after: null }]);
    const count = async (type) => (await db.get('SELECT count(*) AS n FROM turso_cdc WHERE change_type = ?', type)).n;
    assert.deepEqual([await count(1), await count(0), await count(-1), await count(2)], [3, 1, 1, 4]);
    assert.equal((await db.get("SELECT count(*) AS n FROM my_changes_table")).n, 0);
    await db.close();
  });
});

// What Turso 0.7.2 does not capture as it should; Lode records what each
// statement does to rows.
describe('change data capture of triggers, cascades, upserts and rowid moves', () => {
  async function kinds(statements) {
    const db = await lodeConnect(':memory:');
    for (const s of statements) await db.exec(s);
    const rows = await db.all("SELECT change_type || ':' || coalesce(table_name, '') || ':' || coalesce(id, '') AS k, "
      + 'change_txn_id AS txn, hex("before") AS b, hex("after") AS a, hex(updates) AS u FROM turso_cdc');
    await db.close();
    return rows;
  }

  it('a trigger\'s writes are captured after the row that fired it, with one commit record', async () => {
    const rows = await kinds(['CREATE TABLE t(x)', 'CREATE TABLE log(y)',
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.x * 10); END',
      "PRAGMA capture_data_changes_conn('after')", 'INSERT INTO t VALUES (1), (2)']);
    assert.deepEqual(rows.map((r) => r.k), ['1:t:1', '1:log:1', '1:t:2', '1:log:2', '2::']);
    assert.ok(rows.every((r) => r.txn === 1));
    assert.equal(rows[1].a, '02010A');
  });

  it('cascading foreign key actions are captured as the updates and deletes they make', async () => {
    const rows = await kinds(['PRAGMA foreign_keys = ON', 'CREATE TABLE p(id INTEGER PRIMARY KEY)',
      'CREATE TABLE c(id INTEGER PRIMARY KEY, pid REFERENCES p ON UPDATE CASCADE ON DELETE CASCADE)',
      'INSERT INTO p VALUES (1), (2)', 'INSERT INTO c VALUES (10, 1), (20, 2)',
      "PRAGMA capture_data_changes_conn('full')", 'UPDATE p SET id = 3 WHERE id = 1', 'DELETE FROM p WHERE id = 2']);
    assert.deepEqual(rows.map((r) => r.k), ['-1:p:1', '1:p:3', '0:c:10', '2::', '-1:p:2', '-1:c:20', '2::']);
    assert.equal(rows[2].b, '0301090A');
    assert.equal(rows[2].a, '0301010A03');
    assert.equal(rows[2].u, '050809000103');
  });

  it('an upsert that updates records the row before and after, and what it set', async () => {
    const rows = await kinds(['CREATE TABLE t(k INTEGER PRIMARY KEY, v)', 'INSERT INTO t VALUES (1, 5)',
      "PRAGMA capture_data_changes_conn('full')",
      'INSERT INTO t VALUES (1, 6) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v']);
    assert.deepEqual(rows.map((r) => r.k), ['0:t:1', '2::']);
    assert.equal(rows[0].b, '03090105');
    assert.equal(rows[0].a, '0309010B');
    assert.equal(rows[0].u, '0508090001' + '0B');
  });

  it('a row moved to another rowid is a delete and an insert', async () => {
    const rows = await kinds(['CREATE TABLE t(k INTEGER PRIMARY KEY, v)', "INSERT INTO t VALUES (1, 'a')",
      "PRAGMA capture_data_changes_conn('full')", 'UPDATE t SET k = 2', 'UPDATE t SET k = 2, v = v']);
    assert.deepEqual(rows.map((r) => r.k), ['-1:t:1', '1:t:2', '2::', '0:t:2', '2::']);
    assert.equal(rows[1].a, '03010F0261');
  });

  it('views and triggers are not captured, and neither are the CDC table\'s own changes', async () => {
    const rows = await kinds(['CREATE TABLE t(x)', "PRAGMA capture_data_changes_conn('id')",
      'CREATE VIEW v AS SELECT * FROM t', 'CREATE TRIGGER tr AFTER DELETE ON t BEGIN SELECT 1; END',
      'DROP VIEW v', 'DELETE FROM turso_cdc WHERE 0', 'DROP TABLE t']);
    assert.deepEqual(rows.map((r) => r.k.replace(/:\d+$/, ':N')), ['-1:sqlite_schema:N', '2::']);
  });
});

// Applies one decoded change to db: what a replica of a full-mode source runs.
async function applyChange(db, c) {
  const quote = (name) => `"${name.replaceAll('"', '""')}"`;
  if (c.type === 'commit') return;
  if (c.table === 'sqlite_schema') {
    if (c.type === 'insert') await db.exec(c.after.sql);
    else if (c.type === 'update') await db.exec(c.updates.sql);
    else await db.exec(`DROP ${c.before.type.toUpperCase()} ${quote(c.before.name)}`);
    return;
  }
  const table = quote(c.table);
  if (c.type === 'delete') {
    await db.run(`DELETE FROM ${table} WHERE rowid = ?`, c.id);
    return;
  }
  const cols = Object.keys(c.after);
  const list = cols.map(quote).join(', ');
  await db.run(`INSERT OR REPLACE INTO ${table}(rowid, ${list}) VALUES (?, ${cols.map(() => '?').join(', ')})`,
    c.id, ...cols.map((k) => c.after[k]));
}

async function dump(db) {
  const out = {};
  const tables = await db.all("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
    + "AND name NOT LIKE 'turso_cdc%' ORDER BY name");
  for (const { name } of tables) out[name] = await db.all(`SELECT rowid AS _rowid, * FROM "${name}" ORDER BY rowid`);
  return out;
}

describe('db.changes(): consuming captured changes from JS', function () {
  this.timeout(120000);

  it('yields decoded records and follows later commits', async () => {
    const db = await lodeConnect(':memory:');
    await db.exec("PRAGMA capture_data_changes_conn('full')");
    await db.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); INSERT INTO t VALUES (1, 'x', x'0102')");
    await db.exec("UPDATE t SET b = 'y'");
    const ac = new AbortController();
    const seen = [];
    const reading = (async () => {
      for await (const c of db.changes({ since: 2, signal: ac.signal, interval: 10 })) {
        seen.push(c);
        if (c.table === 'u') ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    await db.exec('CREATE TABLE u(z); INSERT INTO u VALUES (42)');
    await reading;
    assert.deepEqual(seen.map((c) => [c.changeId, c.type, c.table]), [[3, 'insert', 't'], [4, 'commit', null],
      [5, 'update', 't'], [6, 'commit', null], [7, 'insert', 'sqlite_schema'], [8, 'commit', null],
      [9, 'insert', 'u']]);
    assert.deepEqual({ ...seen[0].after, c: [...seen[0].after.c] }, { a: 1, b: 'x', c: [1, 2] });
    assert.deepEqual(seen[2].updates, { b: 'y' });
    assert.equal(seen[2].before.b, 'x');
    assert.equal(seen[4].after.sql, 'CREATE TABLE u(z)');
    await db.close();
  });

  it('does not see a transaction until it commits', async () => {
    const db = await lodeConnect(':memory:');
    await db.exec("PRAGMA capture_data_changes_conn('id'); CREATE TABLE t(x)");
    const txn = db.transaction(async () => {
      await db.run('INSERT INTO t VALUES (1)');
      await new Promise((r) => setTimeout(r, 20));
    });
    const done = txn();
    const ids = [];
    for await (const c of db.changes({ follow: false })) ids.push(c.changeId);
    await done;
    assert.deepEqual(ids, [1, 2, 3, 4]);
    await db.close();
  });

  it('replaying a random workload into an empty database reproduces every table', async () => {
    const src = await lodeConnect(':memory:');
    await src.exec("PRAGMA capture_data_changes_conn('full')");
    let s = 99;
    const rnd = (n) => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return Math.floor((s / 2147483648) * n);
    };
    const val = () => [`${rnd(100)}`, `'t${rnd(9)}'`, 'NULL', `${rnd(50)}.5`,
      `x'${rnd(255).toString(16).padStart(2, '0')}'`][rnd(5)];
    await src.exec('CREATE TABLE p(id INTEGER PRIMARY KEY, name UNIQUE, w)');
    await src.exec('CREATE TABLE q(x, y)');
    for (let i = 0; i < 300; i++) {
      const op = rnd(9);
      const sql = [
        `INSERT OR REPLACE INTO p VALUES (${rnd(40)}, 'n${rnd(30)}', ${val()})`,
        `INSERT INTO q VALUES (${val()}, ${val()})`,
        `UPDATE p SET w = ${val()} WHERE id % 4 = ${rnd(4)}`,
        `UPDATE q SET y = ${val()} WHERE rowid = ${rnd(30)}`,
        `DELETE FROM p WHERE id = ${rnd(40)}`,
        `DELETE FROM q WHERE rowid % 7 = ${rnd(7)}`,
        `UPDATE p SET id = id + 100 WHERE id = ${rnd(40)}`,
        i === 150 ? 'ALTER TABLE q ADD COLUMN z DEFAULT 5' : `INSERT INTO p(name, w) VALUES ('auto${i}', ${val()})`,
        `BEGIN; INSERT INTO q VALUES (${val()}, 1); ${rnd(2) ? 'COMMIT' : 'ROLLBACK'}`,
      ][op];
      try {
        await src.exec(sql);
      } catch {
        if (!src.inTransaction) continue;
        await src.exec('ROLLBACK');
      }
    }
    await src.exec('ALTER TABLE q RENAME COLUMN x TO x2; ALTER TABLE q ADD COLUMN w DEFAULT 7; '
      + 'INSERT INTO q(x2, y) VALUES (1, 2); ALTER TABLE q DROP COLUMN w; INSERT INTO q(x2, y) VALUES (3, 4)');
    await src.exec('CREATE TABLE late(v); INSERT INTO late VALUES (1); DROP TABLE late');
    const dst = await lodeConnect(':memory:');
    let n = 0;
    for await (const c of src.changes({ follow: false })) {
      await applyChange(dst, c);
      n++;
    }
    assert.ok(n > 300);
    assert.deepEqual(await dump(dst), await dump(src));
    await src.close();
    await dst.close();
  });

  it('a SIGKILL never leaves a change without its record or a record without its change', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-cdc-'));
    const file = path.join(dir, 'db');
    const writer = `
      import { connect } from ${JSON.stringify(new URL('../../js/index.mjs', import.meta.url).href)};
      const db = await connect(${JSON.stringify(file)});
      await db.exec("PRAGMA capture_data_changes_conn('full'); CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v)");
      process.stdout.write('ready\\n');
      for (let i = 0; ; i++) {
        await db.exec('BEGIN');
        await db.run('INSERT OR REPLACE INTO t VALUES (?, ?)', i % 50, 'v' + i);
        await db.run('UPDATE t SET v = v || ? WHERE k % 7 = ?', '+', i % 7);
        if (i % 3 === 0) await db.run('DELETE FROM t WHERE k = ?', (i * 13) % 50);
        await db.exec('COMMIT');
      }`;
    // Several kills at different moments on the same file: each restart
    // recovers the WAL the last one left, and the history must still replay.
    let lastCommits = 0;
    for (const delay of [300, 120, 470]) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', writer],
        { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => child.stdout.once('data', resolve));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const src = await lodeConnect(file);
      const dst = await lodeConnect(':memory:');
      let commits = 0;
      for await (const c of src.changes({ follow: false })) {
        if (c.type === 'commit') commits++;
        await applyChange(dst, c);
      }
      assert.ok(commits > lastCommits, `the writer committed before kill after ${delay} ms`);
      lastCommits = commits;
      assert.deepEqual(await dump(dst), await dump(src), `after the kill at ${delay} ms`);
      await src.close();
      await dst.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
