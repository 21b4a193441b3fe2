// diff53.test.mjs — SQL scripts compared with SQLite 3.53 (better-sqlite3),
// for behaviour where Debian's sqlite3 3.40 CLI, the oracle of test/diff,
// answers otherwise (3.53 refuses generated-column loops at CREATE TABLE,
// for one).  Each test/diff53/*.sql file holds one statement per line
// (-- comments and blank lines skipped); each statement runs through
// better-sqlite3 and through Lode's synchronous API on an in-memory
// database, and must give the same rows (or the same error message) and
// the same EXPLAIN QUERY PLAN lines — except in a file marked
// "-- plans: not compared", which says why on that line.  A statement that
// ends in "-- params: [...]" binds those values (observe.mjs).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from '../diff/lib.mjs';
import { observeScript, scriptStatements } from './observe.mjs';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');
const dir = join(root, 'test', 'diff53');

describe('differential against better-sqlite3 (test/diff53/*.sql)', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    it(file, function () {
      const text = readFileSync(join(dir, file), 'utf8');
      const statements = scriptStatements(text);
      const options = { plans: !/^-- plans: not compared\b/m.test(text), names: true };
      const expected = observeScript(new BetterSqlite3(':memory:'), statements, options);
      // A line of two statements fails alike in both engines and would test nothing.
      statements.forEach((sql, i) => {
        if (/more than one statement/.test(expected[i].error ?? '')) assert.fail(`${file}: two statements on one line: ${sql}`);
      });
      const db = new Database(':memory:');
      let got;
      try {
        got = observeScript(db, statements, options);
      } finally {
        db.close();
      }
      const diffs = [];
      statements.forEach((sql, i) => {
        const a = JSON.stringify(expected[i]);
        const b = JSON.stringify(got[i]);
        if (a !== b) diffs.push(`  ${sql}\n    sqlite: ${a}\n    lode:   ${b}`);
      });
      if (diffs.length) assert.fail(`${file}: ${diffs.length} statement(s) differ\n${diffs.join('\n')}`);
    });
  }
});
