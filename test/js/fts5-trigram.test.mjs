// LIKE and GLOB on fts5 tables with the trigram tokenizer against
// better-sqlite3's SQLite 3.5x: the index finds the candidate rows (LIKE
// when case is folded, GLOB when it is kept, neither when diacritics are
// removed) and every pattern returns the rows SQLite returns, with the
// plans naming the L/G constraints SQLite names.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { prng, requireLode, shellOutput } from '../diff/lib.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');
const WORDS = ['Hello', 'world', 'café', 'Straße', 'naïve', 'abc', 'ABCD', 'xyz', 'data_base', '100%', 'a*b', 'q?r', '[br]', 'über'];

function corpus(seed, n) {
  const r = prng(seed);
  const doc = () => Array.from({ length: 1 + Math.floor(r() * 6) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
  const out = [];
  for (let i = 1; i <= n; i++) out.push(`INSERT INTO t(rowid, a, b) VALUES(${i}, '${doc()}', '${doc()}');`);
  return out.join('\n');
}

const PATTERNS = ['%abc%', '%ABC%', 'hello%', '%orld', '%caf%', '%CAFÉ%', '%stra%e%', '%a_c%', '%ab%', '%', '%100!%%', '%data_base%',
  '%é w%', '%über%', '%Über%', '%xyz abc%', 'abc', '%a*b%', '%[br]%', '%q?r%', '%na_ve%'];
const GLOBS = ['*abc*', '*ABC*', 'Hello*', '*orld', '*caf*', '*[ab]bc*', '*a?c*', '*xyz abc*', '*a[*]b*', '*über*', '*Über*', 'abc', '*', '*[^x]yz*'];

function queries() {
  const out = [];
  for (const p of PATTERNS) out.push(`SELECT rowid FROM t WHERE a LIKE '${p}' ORDER BY rowid;`, `SELECT count(*) FROM t WHERE b LIKE '${p}' AND a LIKE '%a%';`);
  for (const p of GLOBS) out.push(`SELECT rowid FROM t WHERE a GLOB '${p}' ORDER BY rowid;`, `SELECT count(*) FROM t WHERE b GLOB '${p}';`);
  out.push("SELECT rowid FROM t WHERE t MATCH 'abc' AND a LIKE '%abcd%' ORDER BY rowid;", "SELECT rowid FROM t WHERE a LIKE '%wor%' AND rowid > 20 ORDER BY rowid DESC;");
  return out;
}
const plans = () => ["a LIKE '%abc%'", "a GLOB '*abc*'", "b LIKE 'xy%' AND a LIKE '%abc%'", "t MATCH 'abc' AND a LIKE '%abcd%'", "a LIKE 'ab'"]
  .map((w) => `EXPLAIN QUERY PLAN SELECT * FROM t WHERE ${w};`);

describe('FTS5 trigram tables serve LIKE and GLOB as SQLite does', function () {
  this.timeout(120000);
  before(requireLode);
  for (const tok of ['trigram', 'trigram case_sensitive 1', 'trigram remove_diacritics 1', 'trigram case_sensitive 0']) {
    it(`tokenize='${tok}': the rows and plans of better-sqlite3`, function () {
      const setup = `CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='${tok}');\n${corpus(tok.length, 200)}\n`;
      const db = new Database(':memory:');
      db.exec(setup);
      const qs = queries().concat(plans());
      const expected = [];
      qs.forEach((q, i) => {
        expected.push(`#${i} ${q}`);
        const rows = db.prepare(q).raw().all();
        expected.push(...rows.map((r) => (q.startsWith('EXPLAIN') ? r[3] : r.join('|'))));
      });
      db.close();
      const marked = setup + qs.map((q, i) => `SELECT '#${i} ${q.replace(/'/g, "''")}';\n${q}`).join('\n') + '\n';
      const got = shellOutput('lode', ':memory:', marked)
        .split('\n').filter((l) => l && l !== 'QUERY PLAN').map((l) => l.replace(/^[`|]--/, ''));
      /* the shell's output is read byte by byte (latin1) */
      assert.equal(got.join('\n'), Buffer.from(expected.join('\n'), 'utf8').toString('latin1'));
    });
  }
});
