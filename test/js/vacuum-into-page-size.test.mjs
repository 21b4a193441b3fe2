// VACUUM INTO writes its copy with the page size PRAGMA page_size last asked
// for, as SQLite 3.53 (better-sqlite3) does: also from a WAL database, whose
// own page size VACUUM keeps (and then forgets the size asked for); not from
// a memory database, and not for a size that is no page size.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

// The page size of each copy (with its integrity and row count) the steps write, and the source's page size after them.
function run(Database, dir, source, steps) {
  const db = new Database(source === ':memory:' ? source : join(dir, source));
  const copies = [];
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('CREATE TABLE t(a, b); CREATE INDEX ti ON t(b)');
  db.exec(`WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM c WHERE v < 100)
           INSERT INTO t SELECT v, printf('%0200d', v) FROM c`);
  for (const step of steps) {
    if (!step.startsWith('INTO ')) {
      db.exec(step);
      continue;
    }
    const file = join(dir, step.slice(5));
    db.exec(`VACUUM INTO '${file}'`);
    const copy = new BetterSqlite3(file, { readonly: true });
    copies.push([copy.pragma('page_size', { simple: true }), copy.pragma('integrity_check', { simple: true }),
      copy.prepare('SELECT count(*) FROM t').pluck().get()]);
    copy.close();
  }
  copies.push(db.pragma('page_size', { simple: true }));
  db.close();
  return copies;
}

describe('VACUUM INTO and PRAGMA page_size, against better-sqlite3', function () {
  let Lode, dir;
  before(async function () {
    Lode = (await import('lodedb/compat')).default;
    dir = mkdtempSync(join(tmpdir(), 'lode-vacuum-into-'));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = {
    'the copy of a WAL database takes the page size asked for; VACUUM keeps the source\'s and forgets it': {
      source: 'wal.db',
      steps: ['PRAGMA page_size = 8192', 'INTO a.db', 'INTO b.db', 'PRAGMA page_size = 1024', 'VACUUM', 'INTO c.db',
        'PRAGMA page_size = 2048', 'INTO d.db'],
    },
    'a size that is no page size leaves the source\'s': {
      source: 'bad.db',
      steps: ['PRAGMA page_size = 3000', 'INTO a.db', 'PRAGMA page_size = 131072', 'INTO b.db'],
    },
    'a memory database\'s copy keeps its page size': {
      source: ':memory:',
      steps: ['PRAGMA page_size = 1024', 'INTO a.db'],
    },
  };
  let n = 0;
  for (const [name, { source, steps }] of Object.entries(cases)) {
    it(name, function () {
      const k = n++;
      const prefix = (who) => steps.map((s) => (s.startsWith('INTO ') ? `INTO ${who}${k}-${s.slice(5)}` : s));
      const sqlite = run(BetterSqlite3, dir, source === ':memory:' ? source : `s${k}-${source}`, prefix('s'));
      const lode = run(Lode, dir, source === ':memory:' ? source : `l${k}-${source}`, prefix('l'));
      assert.deepEqual(lode, sqlite);
    });
  }
});
