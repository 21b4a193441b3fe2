// The FTS5 module against Debian's sqlite3 CLI (3.40, FTS5 compiled in) and
// better-sqlite3's SQLite 3.5x: random corpora built with inserts, updates,
// deletes, savepoints, queries and several transactions give the same
// shadow-table bytes (%_data, %_idx, %_content, %_docsize, %_config),
// MATCH results in every query syntax, bm25 values, highlight(), snippet()
// and fts5vocab rows in both engines; incremental merging, hashsize cuts,
// optimize and 'merge' write the same segments; a file either engine wrote
// is read, changed and passes 'integrity-check' in the other; damaged
// blobs and hostile queries give SQLite's errors, never a crash.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, firstDifference, prng, requireLode, requireSqlite3, runMerged, shellOutput } from '../diff/lib.mjs';

// Outputs equal but for numbers that differ in their last bits (bm25 sums
// may round either way): every number is compared to a relative 1e-9.
function assertSame(got, expected) {
  const a = expected.split('\n'), b = got.split('\n');
  const num = /-?\d+\.\d+(?:e[-+]\d+)?/g;
  let ok = a.length === b.length;
  for (let i = 0; ok && i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const na = a[i].match(num) || [], nb = b[i].match(num) || [];
    ok = a[i].replace(num, '#') === b[i].replace(num, '#') && na.length === nb.length &&
      na.every((x, k) => Math.abs(+x - +nb[k]) <= 1e-9 * Math.max(Math.abs(+x), 1e-300));
  }
  if (!ok) assert.equal(got, expected, firstDifference(expected, got) ?? '');
}

const shell = shellOutput;
// better-sqlite3's SQLite (3.5x, FTS5 built in): a second, newer oracle.
const Database = createRequire(import.meta.url)('better-sqlite3');
const rng = prng;

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu',
  'running', 'runs', 'connection', 'connected', 'happiness', 'Hello', 'WORLD', 'data', 'database', 'base', 'Über',
  'café', 'naïve', 'x_y', 'a1b2'];

function text(r, k) {
  const word = () => WORDS[Math.floor(Math.pow(r(), 1.5) * WORDS.length)];
  const a = [];
  for (let i = 1 + Math.floor(r() * k); i > 0; i--) {
    a.push(word() + (r() < 0.08 ? '.' : r() < 0.08 ? ',' : ''));
  }
  return a.join(' ');
}

function corpus(seed, ops, options) {
  const r = rng(seed);
  const out = [`CREATE VIRTUAL TABLE t USING fts5(a, b, c UNINDEXED${options ? ', ' + options : ''});`,
    'CREATE VIRTUAL TABLE vr USING fts5vocab(t, row); CREATE VIRTUAL TABLE vc USING fts5vocab("t", col);',
    "CREATE VIRTUAL TABLE temp.vi USING fts5vocab(main, 't', 'instance');", 'BEGIN;'];
  let next = 1;
  const pick = () => 1 + Math.floor(r() * next);
  for (let i = 0; i < ops; i++) {
    const k = r();
    if (k < 0.7) out.push(`INSERT INTO t(rowid, a, b, c) VALUES(${next++}, '${text(r, 12)}', '${text(r, 30)}', 'u${i}');`);
    else if (k < 0.8) out.push(`DELETE FROM t WHERE rowid = ${pick()};`);
    else if (k < 0.88) out.push(`UPDATE t SET b = '${text(r, 8)}' WHERE rowid = ${pick()};`);
    else if (k < 0.9) out.push(`INSERT INTO t(a) VALUES('${text(r, 4)}');`);
    else if (k < 0.93) out.push('COMMIT; BEGIN;');
    else if (k < 0.94) out.push('SAVEPOINT s; DELETE FROM t WHERE rowid < 60; ROLLBACK TO s; RELEASE s;');
    else if (k < 0.95) out.push(`SAVEPOINT s; INSERT INTO t(a) VALUES('rolled back ${text(r, 3)}'); ROLLBACK TO s; RELEASE s;`);
    else out.push(`INSERT INTO t(a, b) VALUES('${text(r, 5)}', NULL);`);
  }
  out.push('COMMIT;');
  return out.join('\n') + '\n';
}

const QUERIES = ['alpha', 'ALPHA', 'alp*', 'alpha beta', '"alpha beta"', 'alpha + beta', 'a:gamma', 'b:gamma',
  '{a b}:gamma', '-a:gamma', '- {a}: delta', 'alpha OR zeta', 'alpha NOT beta', 'alpha AND beta OR gamma',
  'alpha OR beta AND gamma', 'alpha OR beta NOT gamma', 'alpha beta NOT gamma', 'alpha NOT beta gamma',
  '(alpha OR mu) AND (beta OR lambda) NOT gamma', 'NEAR(alpha beta)', 'NEAR(alpha beta, 2)', 'NEAR(alpha beta, 0)',
  'NEAR("beta gamma" delta, 3)', 'NEAR(alpha beta gamma, 5)', 'hello world', 'run*', 'connect*', '^iota',
  '^alpha beta', 'b:^gamma', 'b:iota OR a:mu*', 'nosuchword', 'alpha AND', '"unclosed', 'x:alpha', 'uber',
  'über', 'cafe', 'café', 'naive', 'x_y', 'a1b2', '"a1b2"', 'alpha ""', 'a:(alpha OR beta)', '{b a}:(delta NOT eta)',
  '(alpha)', 'alpha OR OR', 'NEAR(alpha', 'NEAR(alpha beta, x)', 'near(alpha beta)', 'c:alpha', 'u1',
  '"alpha" * ', 'al* OR be*', 'd* NOT da*', '(a:alpha OR b:beta) NOT (gamma OR "delta epsilon")', 'eta AND eta',
  'alpha alpha', '"alpha alpha"', 'NEAR(alpha alpha, 1)', 'theta OR iota OR kappa OR lambda'];

function queries() {
  const out = [];
  for (const q of QUERIES) {
    const e = q.replace(/'/g, "''");
    out.push(`SELECT rowid, printf('%.12e', bm25(t)), highlight(t, 0, '[', ']'), highlight(t, 1, '<', '>') ` +
      `FROM t WHERE t MATCH '${e}';`);
    out.push(`SELECT rowid, snippet(t, -1, '[', ']', '...', 6), snippet(t, 1, '', '', '~', 3), ` +
      `snippet(t, 0, '(', ')', '', 64) FROM t('${e}');`);
    out.push(`SELECT rowid, printf('%.12e', rank) FROM t WHERE t = '${e}' ORDER BY rank, rowid LIMIT 5;`);
  }
  out.push("SELECT rowid, printf('%.12e', bm25(t, 10.0, 1.0)) FROM t WHERE t MATCH 'alpha OR beta' ORDER BY 2, 1;");
  out.push("SELECT rowid FROM t WHERE t MATCH 'gamma' AND rank MATCH 'bm25(1.0, 5.0)' ORDER BY rank, rowid;");
  out.push("SELECT rowid, a FROM t WHERE b MATCH 'gamma delta';");
  out.push("SELECT rowid FROM t WHERE a MATCH 'alpha' AND b MATCH 'beta';");
  out.push('SELECT rowid, a, c FROM t WHERE rowid = 9;');
  out.push("SELECT rowid FROM t WHERE t MATCH 'alpha' AND rowid BETWEEN 10 AND 40 ORDER BY rowid DESC;");
  out.push('SELECT count(*), sum(length(a)), sum(length(b)) FROM t;');
  return out.join('\n') + '\n';
}

// The shadow tables other than the index's.
const ROWS = `SELECT id, hex(block) FROM t_data WHERE id = 1;
SELECT id, c0, c1, c2 FROM t_content ORDER BY id;
SELECT id, hex(sz) FROM t_docsize ORDER BY id;
SELECT k, v FROM t_config ORDER BY k;
SELECT * FROM vr; SELECT * FROM vc; SELECT count(*), sum(doc), sum(offset), min(col), max(term) FROM vi;
SELECT * FROM vi WHERE term = 'alpha' AND doc < 20;
`;
// Every shadow table, byte for byte.
const SHADOWS = `SELECT id, hex(block) FROM t_data ORDER BY id;
SELECT segid, hex(term), pgno FROM t_idx ORDER BY segid, term;
` + ROWS;
const CHECK = "INSERT INTO t(t) VALUES('integrity-check'); SELECT 'checked';\n";

// The statements of a script: split at each ';' outside quotes.
function splitStatements(sql) {
  const out = [];
  let start = 0, quote = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === ';') {
      const stmt = sql.slice(start, i).trim();
      if (stmt) out.push(stmt);
      start = i + 1;
    }
  }
  const rest = sql.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

describe('FTS5 with the sqlite3 CLI', function () {
  this.timeout(300000);
  let dir;
  before(function () {
    requireSqlite3(this);
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-fts5-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const [seed, options] of [[1, ''], [2, "tokenize='porter ascii'"], [3, "prefix='1,2 3', tokenize=\"unicode61 remove_diacritics 2\""],
    [4, "tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_'''"], [5, 'detail=column'], [6, 'detail=none, columnsize=0']]) {
    it(`fts5(${options}): same shadow-table bytes and query results (seed ${seed})`, function () {
      const sql = corpus(seed, 400, options) + SHADOWS + queries() + CHECK +
        "INSERT INTO t(t) VALUES('optimize');\n" + SHADOWS + queries() + CHECK;
      const expected = shell('sqlite3', join(dir, `s${seed}.db`), sql);
      const got = shell('lode', join(dir, `l${seed}.db`), sql);
      assert.match(expected, /fts5: syntax error near ""/);
      assert.match(expected, /checked\n$/);
      assert.match(expected, /\[/);
      assertSame(got, expected);
    });
  }

  // One transaction of inserts is one flush in both engines: every page,
  // %_idx row and doclist index must come out the same, here over ~55 pages.
  function bulk(n, options, base = 0) {
    const W = ['alpha', 'beta', 'gamma', 'delta', 'common', 'filler', 'zeta', 'theta', 'kappa', 'lambda', 'mu', 'nu',
      'xi', 'omicron', 'pi', 'rho', 'sigma', 'tau'];
    const r = rng(7);
    const out = [`CREATE VIRTUAL TABLE t USING fts5(a, b${options});`, 'BEGIN;'];
    for (let i = 1; i <= n; i++) {
      const words = [];
      for (let k = 0; k < 3 + Math.floor(r() * 12); k++) {
        words.push(r() < 0.3 ? 'common' : W[Math.floor(r() * W.length)] + (r() < 0.3 ? Math.floor(r() * 500) : ''));
      }
      out.push(`INSERT INTO t(rowid, a, b) VALUES(${base + i * 3}, '${words.join(' ')}', '${i % 7 ? 'word' + (i % 97) : 'common common'}');`);
    }
    out.push('COMMIT;');
    return out.join('\n') + '\n';
  }
  const BYTES = `SELECT id, hex(block) FROM t_data ORDER BY id;
SELECT segid, hex(term), pgno FROM t_idx ORDER BY segid, term;
SELECT count(*) FROM t_data WHERE (id >> 36) & 1;
`;
  for (const options of ['', ", prefix='2,3'", ', detail=column', ', detail=none', ', columnsize=0, tokenize=porter']) {
    it(`5000 rows in one transaction (fts5(a, b${options})) write the pages sqlite3 writes`, function () {
      const sql = bulk(5000, options) + BYTES + "SELECT count(*) FROM t('common');\n" + CHECK;
      const expected = shell('sqlite3', join(dir, 'bulk-s.db'), sql);
      rmSync(join(dir, 'bulk-s.db'), { force: true });
      const got = shell('lode', join(dir, 'bulk-l.db'), sql);
      rmSync(join(dir, 'bulk-l.db'), { force: true });
      assert.ok(expected.split('\n').length > 20, 'many pages');
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
    });
  }

  it('queries inside transactions read the changes not yet written and leave the bytes sqlite3 leaves', function () {
    const lines = corpus(11, 400, "prefix='2'").split('\n');
    const probe = "SELECT rowid, printf('%.12e', bm25(t)), highlight(t, 1, '[', ']') FROM t('alpha OR be* OR \"gamma delta\"');" +
      " SELECT count(*) FROM t('a:eta');";
    const sql = lines.map((l, i) => (i > 4 && i % 25 === 0 ? `${l}\n${probe}` : l)).join('\n') + SHADOWS + CHECK;
    const expected = shell('sqlite3', join(dir, 'inq-s.db'), sql);
    assertSame(shell('lode', join(dir, 'inq-l.db'), sql), expected);
  });

  // The pending-byte count that cuts a transaction at 'hashsize' changed after 3.40 (a hash key no longer
  // counts a terminator): these compare with better-sqlite3's SQLite, the version Lode targets.
  function viaBetterSqlite3(file, sql) {
    const db = new Database(file);
    const out = [];
    for (const stmt of splitStatements(sql)) {
      const st = db.prepare(stmt);
      if (!st.reader) st.run();
      else for (const row of st.raw().all()) out.push(row.map((v) => (v === null ? '' : String(v))).join('|'));
    }
    db.close();
    return out.join('\n') + '\n';
  }

  it("a transaction past 'hashsize' is written in the pieces SQLite 3.5x writes it in", function () {
    const sql = bulk(5000, '').replace('BEGIN;', "INSERT INTO t(t, rank) VALUES('hashsize', 30000);\nBEGIN;") + BYTES + CHECK;
    const expected = viaBetterSqlite3(join(dir, 'hash-s.db'), sql);
    assert.match(expected, /^10\|0000000102/m); /* pieces enough for a merge (cookie 1: the option set) */
    assert.equal(shell('lode', join(dir, 'hash-l.db'), sql), expected);
  });

  it('ROLLBACK TO a savepoint after part of the pending changes was written leaves the index exact', function () {
    const r = rng(5);
    const words = () => Array.from({ length: 20 }, () => `w${Math.floor(r() * 300)}`).join(' ');
    const out = ['CREATE VIRTUAL TABLE t USING fts5(a);', "INSERT INTO t(t, rank) VALUES('hashsize', 20000);", 'BEGIN;'];
    for (let i = 1; i <= 1500; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${i}, '${words()}');`);
    out.push('SAVEPOINT s;');
    for (let i = 1501; i <= 3000; i++) out.push(`INSERT INTO t(rowid, a) VALUES(${i}, '${words()}');`);
    out.push("SELECT count(*) FROM t('w1');", 'ROLLBACK TO s;', "INSERT INTO t(rowid, a) VALUES(9999, 'w1 final');",
      "SELECT count(*) FROM t('w1');", 'COMMIT;', "SELECT count(*) FROM t('w1');");
    const sql = out.join('\n') + '\n' + BYTES + CHECK;
    const expected = viaBetterSqlite3(join(dir, 'sprb-s.db'), sql);
    assert.equal(shell('lode', join(dir, 'sprb-l.db'), sql), expected);
  });

  it('twenty transactions with deletes and updates, a crisis merge and optimize write what sqlite3 writes', function () {
    const out = ['CREATE VIRTUAL TABLE t USING fts5(a, b);'];
    for (let tx = 0; tx < 20; tx++) {
      out.push('BEGIN;');
      for (let i = 0; i < 30; i++) {
        const id = tx * 30 + i + 1;
        out.push(`INSERT INTO t(rowid, a, b) VALUES(${id}, 'w${id % 13} common x${id % 7}', 'y${id % 5} common');`);
      }
      if (tx > 3) out.push(`DELETE FROM t WHERE rowid = ${tx * 7};`, `UPDATE t SET a = 'changed w1' WHERE rowid = ${tx * 11};`);
      out.push('COMMIT;');
    }
    const sql = out.join('\n') + '\n' + BYTES + CHECK + "INSERT INTO t(t) VALUES('optimize');\n" + BYTES +
      "SELECT rowid FROM t('w1 common') ORDER BY rowid LIMIT 5;\n" + CHECK;
    const expected = shell('sqlite3', join(dir, 'multi-s.db'), sql);
    assert.match(expected, /^10\|0000000002/m); /* two levels before optimize: the crisis merge ran */
    assert.equal(shell('lode', join(dir, 'multi-l.db'), sql), expected);
  });

  // Incremental merging: after every 64 leaves written, automerge does 64
  // leaves of merge work per level, stopping between terms and trimming its
  // inputs; 'merge', 'optimize', usermerge, crisismerge and automerge=0 too.
  function mixed(seed) {
    const W = ['alpha', 'beta', 'gamma', 'delta', 'common', 'zeta', 'theta', 'kappa'];
    const r = rng(seed);
    const doc = () => {
      const a = [];
      for (let k = 0; k < 4 + Math.floor(r() * 20); k++) a.push(W[Math.floor(r() * W.length)] + (r() < 0.4 ? Math.floor(r() * 300) : ''));
      return a.join(' ');
    };
    const out = ['CREATE VIRTUAL TABLE t USING fts5(a, b, prefix=2);'];
    let id = 1;
    for (let tx = 0; tx < 6; tx++) {
      out.push('BEGIN;');
      for (let i = 0; i < 1500; i++) out.push(`INSERT INTO t(rowid, a, b) VALUES(${id++}, '${doc()}', '${doc()}');`);
      out.push('COMMIT;');
    }
    for (let i = 0; i < 600; i++) {
      const k = r();
      if (k < 0.6) out.push(`INSERT INTO t(rowid, a, b) VALUES(${id++}, '${doc()}', 'x');`);
      else if (k < 0.8) out.push(`DELETE FROM t WHERE rowid = ${1 + Math.floor(r() * id)};`);
      else out.push(`UPDATE t SET a = '${doc()}' WHERE rowid = ${1 + Math.floor(r() * id)};`);
      if (i % 50 === 0) out.push('SELECT hex(block) FROM t_data WHERE id = 10;');
    }
    return out.join('\n') + '\n';
  }
  it('many small writes after big ones: automerge, trimmed inputs and resumed merges write what sqlite3 writes', function () {
    const sql = mixed(3) + BYTES + CHECK +
      "INSERT INTO t(t, rank) VALUES('usermerge', 2); INSERT INTO t(t, rank) VALUES('merge', 200);\n" +
      "INSERT INTO t(t, rank) VALUES('merge', 50); INSERT INTO t(rowid, a) VALUES(90001, 'late');\n" +
      "INSERT INTO t(t, rank) VALUES('merge', -300); INSERT INTO t(t, rank) VALUES('merge', 10);\n" +
      "INSERT INTO t(t, rank) VALUES('automerge', 0); INSERT INTO t(rowid, a) VALUES(99999, 'x');\n" +
      "INSERT INTO t(t, rank) VALUES('crisismerge', 3); INSERT INTO t(rowid, a) VALUES(99998, 'y');\n" +
      "INSERT INTO t(rowid, a) VALUES(99997, 'z');\n" + BYTES + CHECK + "INSERT INTO t(t) VALUES('optimize');\n" + BYTES +
      "SELECT count(*) FROM t('common'); SELECT count(*) FROM t('zeta1*');\n" + CHECK;
    const expected = shell('sqlite3', join(dir, 'mixed-s.db'), sql);
    assert.match(expected, /^10\|00000000030/m); /* three levels at some point */
    const got = shell('lode', join(dir, 'mixed-l.db'), sql);
    assert.equal(got, expected, firstDifference(expected, got) ?? '');
  });

  for (const creator of ['lode', 'sqlite3']) {
    it(`an index ${creator} wrote is read, changed and checked by the other engine`, function () {
      const other = creator === 'lode' ? 'sqlite3' : 'lode';
      const made = join(dir, `${creator}-made.db`);
      shell(creator, made, corpus(20 + creator.length, 500, "prefix='2'") +
        bulk(3000, '', 100000).replace(/^CREATE.*\n/, ''));
      const look = queries() + CHECK;
      const byCreator = shell(creator, made, look);
      assert.match(byCreator, /checked\n$/);
      assertSame(shell(other, made, look), byCreator);
      const mine = join(dir, `${creator}-by-${creator}.db`), theirs = join(dir, `${creator}-by-${other}.db`);
      copyFileSync(made, mine);
      copyFileSync(made, theirs);
      const changes = corpus(99, 300, '').replace(/^CREATE.*\n/, '')
        .replace(/rowid, a, b, c\) VALUES\((\d+)/g, (m, d) => `rowid, a, b, c) VALUES(${+d + 5000}`);
      assert.equal(shell(other, theirs, changes), shell(creator, mine, changes));
      const after = shell(creator, theirs, look + ROWS);
      assertSame(after, shell(creator, mine, look + ROWS));
      assert.match(after, /checked\n/);
    });
  }

  // better-sqlite3's SQLite 3.5x writes what 3.40 writes but for the pages
  // of merge output (3.5x splits them a little differently): a build in one
  // transaction is compared byte for byte; after many small writes (merges)
  // each engine checks and changes the other's file.
  for (const options of ['', ', detail=column', ", detail=none, prefix='1,3'"]) {
    const v = new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get();
    it(`better-sqlite3 (SQLite ${v}) writes Lode's pages and checks Lode's files (fts5(a, b${options}))`, function () {
      const build = bulk(5000, options);
      const mine = join(dir, `b3-lode${options.length}.db`);
      shell('lode', mine, build);
      const theirs = new Database(join(dir, `b3-sqlite${options.length}.db`));
      theirs.exec(build);
      const dump = (db) => db.prepare('SELECT id, hex(block) AS b FROM t_data ORDER BY id').all().map((r) => `${r.id}|${r.b}`).join('\n') +
        db.prepare('SELECT segid, hex(term) AS t, pgno FROM t_idx ORDER BY 1, 2').all().map((r) => `${r.segid}|${r.t}|${r.pgno}`).join('\n');
      const lodeFile = new Database(mine);
      const expected = dump(theirs), got = dump(lodeFile);
      assert.ok(expected.length > 10000);
      assert.equal(got, expected, firstDifference(expected, got) ?? '');
      /* many small writes on each side, then each engine checks the other's file */
      const small = mixed(7).replace(/^(CREATE|BEGIN|COMMIT|SELECT hex).*$/gm, '').replace(/rowid, a, b\) VALUES\((\d+)/g, (m, d) => `rowid, a, b) VALUES(${+d + 100000}`);
      lodeFile.exec(small);
      lodeFile.exec("INSERT INTO t(t) VALUES('integrity-check')");
      lodeFile.close();
      assert.match(shell('lode', mine, CHECK), /^checked\n$/);
      shell('lode', join(dir, `b3-sqlite${options.length}.db`), small.replace(/100(\d{3})/g, '200$1'));
      theirs.exec("INSERT INTO t(t) VALUES('integrity-check')");
      const count = theirs.prepare("SELECT count(*) FROM t('common')").pluck().get();
      theirs.close();
      assert.match(shell('lode', join(dir, `b3-sqlite${options.length}.db`), "SELECT count(*) FROM t('common');\n" + CHECK), new RegExp(`^${count}\nchecked\n$`));
    });
  }

  it('tokenizer options (trigram remove_diacritics, categories, separators, tokenchars, porter over others) as better-sqlite3', function () {
    const sql = readFileSync(new URL('./fts5/tokenizers.sql', import.meta.url), 'utf8');
    const db = new Database(':memory:');
    const lines = [];
    for (const q of sql.split(/;\s*/).filter((x) => x.trim())) {
      try {
        const st = db.prepare(q);
        if (st.reader) lines.push(...st.raw().all().map((r) => r.join('|')));
        else st.run();
      } catch (e) {
        lines.push(`ERROR: ${e.message}`);
      }
    }
    db.close();
    /* the shell's output is read byte by byte (latin1) */
    const expected = Buffer.from(lines.join('\n') + '\n', 'utf8').toString('latin1');
    assert.match(expected, /\[Caf/);
    assert.equal(shell('lode', ':memory:', sql), expected);
  });

  it('corrupt %_data blobs fail queries with SQLITE_CORRUPT_VTAB, never a crash', function () {
    const rows = [];
    for (let i = 1; i <= 600; i++) rows.push(`INSERT INTO t VALUES('w${i % 37} common x${i % 11} filler', 'y${i % 5}');`);
    let sql = 'CREATE VIRTUAL TABLE t USING fts5(a, b, prefix=2);\nBEGIN;\n' + rows.join('\n') + '\nCOMMIT;\n';
    const look = "SELECT count(*) FROM t('common'); SELECT count(*) FROM t('w1*'); " +
      "SELECT rowid, highlight(t, 0, '[', ']') FROM t('w1 x1') LIMIT 3; SELECT count(*) FROM t('NEAR(common filler)'); " +
      "INSERT INTO t(t) VALUES('integrity-check'); INSERT INTO t(t) VALUES('optimize'); SELECT count(*) FROM t('y1');\n";
    const ids = ['10', '137438953473', '137438953474', '137438953475', '1'];
    for (let k = 0; k < 90; k++) {
      const id = ids[k % ids.length], at = 1 + ((k * 37) % 200);
      const bad = [`substr(block, 1, ${at})`, `substr(block, 1, ${at}) || X'FF' || substr(block, ${at + 2})`,
        `substr(block, 1, ${at}) || X'8180808080808080807F' || substr(block, ${at + 10})`][k % 3];
      sql += `SAVEPOINT c; UPDATE t_data SET block = ${bad} WHERE id = ${id};\n${look}ROLLBACK TO c; RELEASE c;\n`;
    }
    const r = runMerged(LODE, ['-batch', ':memory:'], sql);
    assert.equal(r.signal, null);
    const errors = r.output.split('\n').filter((l) => /error/i.test(l));
    assert.ok(errors.length > 10, 'some corruption is seen');
    for (const e of errors) assert.match(e, /database disk image is malformed/);
  });

  it('deep and long queries: the parser-stack errors sqlite3 gives, no crash on 100000 levels or terms', function () {
    const qs = [];
    for (const n of [32, 33, 34, 48, 49, 96, 97, 98, 99]) {
      qs.push('('.repeat(n) + 'a' + ')'.repeat(n), 'a AND ('.repeat(n) + 'a' + ')'.repeat(n), 'a:('.repeat(n) + 'a' + ')'.repeat(n),
        'a OR ('.repeat(n) + 'b c' + ')'.repeat(n), 'x NOT ('.repeat(n) + 'a' + ')'.repeat(n));
    }
    qs.push(Array(100000).fill('a').join(' OR '), Array(50000).fill('a').join(' '), Array(50000).fill('a').join(' NOT '),
      '('.repeat(100000) + 'a' + ')'.repeat(100000));
    const sql = "CREATE VIRTUAL TABLE t USING fts5(a); INSERT INTO t VALUES('a b c');\n" +
      qs.map((q) => `SELECT count(*) FROM t('${q}');`).join('\n') + '\n';
    const expected = shell('sqlite3', ':memory:', sql);
    assert.match(expected, /parser stack overflow/);
    assert.equal(shell('lode', ':memory:', sql), expected);
  });

  it('options, commands, external content, contentless tables, tokenizers and errors match sqlite3', function () {
    const sql = readFileSync(new URL('./fts5/commands.sql', import.meta.url), 'utf8');
    const expected = shell('sqlite3', ':memory:', sql);
    assert.match(expected, /cannot DELETE from contentless fts5 table: c/);
    assert.match(expected, /reserved fts5 column name: rank/);
    assert.equal(shell('lode', ':memory:', sql), expected);
  });
});
