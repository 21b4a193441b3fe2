// The `lode` shell's output modes and dot commands against Debian's sqlite3
// 3.40: the same script through both shells (stdin is a pipe) must print the
// same bytes.  Also .dump round trips through both tools, .import, .output,
// .read, the options of the command line and the messages for bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lode, requireLode, requireSqlite3, sqlite3 } from '../diff/lib.mjs';

const raw = { encoding: 'buffer' };

// Values that exercise each mode: NULL, integers, REALs that need 20
// digits, blobs with NUL and high bytes, quotes, newlines, tabs, control
// bytes, and text that is not ASCII.
const DATA = [
  "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB, e);",
  "INSERT INTO t VALUES(1, 'hello', 1.5, x'00ff41', NULL);",
  "INSERT INTO t VALUES(-22, 'it''s \"q\", ok', 0.1, x'', NULL);",
  "INSERT INTO t VALUES(3, 'héllo wörld 日本', 1e300, NULL, 'x');",
  "INSERT INTO t VALUES(4, 'a' || char(10) || 'b' || char(9) || 'c', 100.0, x'41', 2.5e-7);",
  "INSERT INTO t VALUES(5, 'cr' || char(13) || char(10) || 'lf' || char(1) || 'ctl', -0.0, x'c3a9', 9223372036854775807);",
  "INSERT INTO t VALUES(6, '', 123456789.123456789, x'0a0d', -1e-300);",
  "INSERT INTO t VALUES(7, 'The quick brown fox jumps over the lazy dog, then runs on and on for a long while', 1e18, NULL, 'a,b');",
  '',
].join('\n');

const QUERIES = [
  'SELECT * FROM t;',
  'SELECT a, b AS "name with space", e FROM t WHERE a > 2;',
  'SELECT * FROM t WHERE 0;',
  "SELECT 1 AS x, NULL AS y, 'z' AS \"q\"\"uote\";",
  'SELECT count(*), sum(c), max(b) FROM t;',
  '',
].join('\n');

const MODES = ['list', 'csv', 'json', 'line', 'column', 'box', 'table', 'markdown', 'tabs', 'insert', 'quote', 'ascii',
  'html', 'tcl', 'count', 'off', 'qbox'];

function sameAsSqlite3(script, args = []) {
  const want = sqlite3(['-batch', ...args], script, raw);
  const got = lode(args, script, raw);
  assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), `script:\n${script}`);
  assert.equal(got.status, want.status);
}

describe('lode shell: output modes against sqlite3', function () {
  before(function () {
    requireLode();
    requireSqlite3(this);
  });

  for (const mode of MODES) {
    it(`.mode ${mode} prints what sqlite3 prints (NULLs, REALs, blobs, unicode)`, function () {
      sameAsSqlite3(`${DATA}.mode ${mode}\n${QUERIES}`);
    });

    it(`.mode ${mode} with .headers on and .nullvalue prints what sqlite3 prints`, function () {
      sameAsSqlite3(`${DATA}.headers on\n.nullvalue NIL\n.mode ${mode}\n${QUERIES}`);
    });
  }

  it('.mode reads its words as sqlite3 does: prefixes, options anywhere, no mode shows and restores it', function () {
    sameAsSqlite3([
      '.mode list foo', '.mode', '.mode csv --wrap 5', '.mode', '.mode qbox', '.mode', "SELECT 'a', 1.5, x'01', NULL;",
      '.mode -wrap 3', '.mode box --wrap', '.mode', '.mode box -ww -quote', '.mode', '.mode table --wrap 0 list',
      '.mode', '.mode list csv', '.mode', '.mode --wrap 4', '.mode', '.mode box --wordwrap maybe', '.mode',
      '.mode box --wordwrap 7', '.mode', '.mode tab', '.mode', 'SELECT 1, 2;', '.separator X', '.mode', 'SELECT 1, 2;',
      '.mode l', '.mode', '.mode c', '.mode', '.mode t', '.mode', '.mode b', '.mode', '.mode box --wrap 5',
      '.mode --ww', '.mode', '.mode i', '.mode', '.mode q', '.mode', '.mode a', '.mode', '.mode m', '.mode',
      '.mode j', '.mode', '.mode h', '.mode', '.mode co', '.mode', ".mode ''", '.mode', '.mode csv', '.mode column',
      '.show', '.mode tabs', '.show', '.mode insert a b', '.mode box a -x', '.mode --wrap', '.mode', '',
    ].join('\n'));
    const r = lode([], '.mode box a b\n');
    assert.equal(r.stderr, 'extra argument: "b"\n');
    assert.equal(r.status, 1);
  });

  it('html, tcl and count modes escape and count as sqlite3 does; off prints no rows but still the errors', function () {
    const script = ".nullvalue <N>\nSELECT 'it''s' AS \"<a>\", NULL, x'410042', 1.5, 'a&b\"c', " +
      "'q\\'||char(9)||char(10)||char(13)||char(1)||char(127)||'é';\nSELECT 1 WHERE 0;\n" +
      "SELECT 1 UNION SELECT 2;\nSELECT json(a) FROM (SELECT '1' a UNION ALL SELECT 'x');\n";
    for (const mode of ['html', 'tcl', 'count', 'off']) {
      for (const headers of ['on', 'off']) {
        const s = `.mode ${mode}\n.headers ${headers}\n${script}`;
        const want = sqlite3(['-batch'], s, raw);
        const got = lode([], s, raw);
        assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), `${mode} ${headers}`);
        assert.equal(got.stderr.toString(), want.stderr.toString(), mode);
      }
    }
    assert.equal(lode(['-m', 'tcl'], "SELECT 'é\"';\n").stdout, '"\\303\\251\\""\n');
    assert.equal(lode(['-m', 'count'], 'SELECT 1;\nSELECT 1 UNION SELECT 2;\n').stdout, '1 row\n2 rows\n');
    sameAsSqlite3("SELECT 1 AS a, '<b>' AS b;\n", ['-html', '-header']);
  });

  it('a compound SELECT names its columns as its first arm does, repeats kept, as sqlite3 does', function () {
    sameAsSqlite3(['.headers on', 'SELECT 1 AS a, 2 AS a UNION ALL SELECT 3, 4;',
      'SELECT 1 AS a, 2 AS a UNION SELECT 3, 4 ORDER BY 2 DESC;', 'SELECT 1 AS x, 2 AS X INTERSECT SELECT 1, 2 LIMIT 1;',
      'SELECT * FROM (SELECT 1 AS a, 2 AS a);', 'SELECT * FROM (SELECT 1 AS a, 2 AS a UNION SELECT 3, 4);',
      'CREATE VIEW v AS SELECT 1 AS a, 2 AS a UNION SELECT 3, 4;', 'SELECT * FROM v;',
      'CREATE TABLE t AS SELECT 1 AS a, 2 AS a UNION SELECT 3, 4;', '.schema t',
      'WITH c AS (SELECT 1 AS a, 2 AS a UNION SELECT 3, 4) SELECT * FROM c;', ''].join('\n'));
    assert.equal(lode([], '.headers on\nSELECT 1 AS a, 2 AS a UNION SELECT 3, 4;\n').stdout, 'a|a\n1|2\n3|4\n');
  });

  it('a result column is named by its text up to the next token, comments included, as sqlite3 names it', function () {
    sameAsSqlite3(['.headers on', 'SELECT 1 + 1 -- x', ';', 'SELECT 1 /* c */, 2 /* d */ FROM (SELECT 1);',
      'SELECT 1 -- y', ' AS z;', 'SELECT 1   ,   2  ;', "SELECT 'a' -- comment ;", ", 'b';", 'SELECT 3 /* x */ ORDER BY 1;',
      'SELECT 1+1', '', ';', 'CREATE TABLE t(a);', 'CREATE VIEW v AS SELECT a /* q */, a + 1 /* r */ FROM t;',
      'SELECT * FROM v;', '.schema v', 'SELECT 5 -- last'].join('\n'));
    assert.equal(lode([], '.headers on\nSELECT 1 /* c */;\n').stdout, '1 /* c */\n1\n');
  });

  it('column modes wrap and word-wrap like sqlite3', function () {
    for (const opts of ['--wrap 10', '--wrap 15 --wordwrap on', '--ww', '--quote', '--wrap 0']) {
      for (const mode of ['column', 'box', 'table', 'markdown']) {
        sameAsSqlite3(`${DATA}.mode ${mode} ${opts}\n${QUERIES}.mode\n`);
      }
    }
  });

  it('.width fixes, wraps and right-aligns columns like sqlite3', function () {
    for (const widths of ['5 -10 3', '-4', '0 0 12', '1 -1', '30 -30 30 -30 30', '']) {
      for (const mode of ['column', 'box', 'table', 'markdown']) {
        sameAsSqlite3(`${DATA}.mode ${mode}\n.width ${widths}\n${QUERIES}.headers off\n${QUERIES}`);
      }
    }
  });

  it('.headers off in column mode, and headers kept across .mode changes', function () {
    sameAsSqlite3(`${DATA}.mode column\n.headers off\n${QUERIES}.mode list\n${QUERIES}`);
    sameAsSqlite3(`${DATA}.mode column\n${QUERIES}.mode list\n${QUERIES}`);
  });

  it('.separator changes list and csv output; .mode insert TABLE names the table', function () {
    sameAsSqlite3(`${DATA}.separator ; ~\n${QUERIES}.mode csv\n.separator |\n${QUERIES}`);
    sameAsSqlite3(`${DATA}.mode insert "new t"\n${QUERIES}.headers on\n.mode insert x\n${QUERIES}`);
  });

  it('prints REALs in quote mode with the 20 digits of sqlite3', function () {
    const values = [];
    let x = 0.123456789;
    for (let i = 0; i < 200; i++) {
      x = (x * 7919.123 + 0.5) % 1000;
      values.push(`(${(x * 10 ** ((i % 40) - 20)).toPrecision(17)})`);
    }
    const script = `CREATE TABLE r(v REAL);\nINSERT INTO r VALUES ${values.join(',')};\n.mode quote\nSELECT v, -v FROM r;\n`;
    sameAsSqlite3(script);
  });

  it('a step failing midway prints the rows before it in every mode, then the error as sqlite3 words it', function () {
    const script = "CREATE TABLE j(a); INSERT INTO j VALUES('1'),('[2]'),('x'),('3');\n" +
      "CREATE TABLE k(a UNIQUE); INSERT INTO k VALUES(1);\n";
    for (const mode of [...MODES, 'pretty']) {
      const s = `${script}.mode ${mode}\nSELECT a, json(a) FROM j;\nINSERT INTO k VALUES(1);\nSELECT abs(-9223372036854775808);\n`;
      const want = sqlite3(['-batch'], s.replace('.mode pretty', '.mode box'), raw);
      const got = lode([], s, raw);
      if (mode !== 'pretty') assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), mode);
      else assert.ok(got.stdout.toString().endsWith('│ [2] │ [2]     │\n└─────┴─────────┘\n'), got.stdout.toString());
      // SQLITE_ERROR (1) is not named after the message; other codes are.
      assert.equal(got.stderr.toString(), want.stderr.toString(), mode);
      assert.equal(got.status, want.status);
    }
    assert.equal(lode([':memory:', "SELECT json('x')"], '').stderr, 'Error: stepping, malformed JSON\n');
  });

  it('quote mode prints infinities as Inf, insert mode and json as 1e999, as sqlite3 does', function () {
    for (const mode of ['quote', 'insert', 'json', 'list', 'line', 'csv']) {
      sameAsSqlite3(`.mode ${mode}\nSELECT 1e999 AS p, -1e999 AS n, 1e308 * 10 AS x, 2.5 AS r;\n`);
    }
    assert.equal(lode(['-m', 'quote'], 'SELECT 1e999, -1e999;\n').stdout, 'Inf,-Inf\n');
  });

  it('insert mode and .dump write a REAL with an integer value as n.0, quote and json with 20 digits', function () {
    const values = 'SELECT 82.0 AS a, -82.0 AS b, 1e15 AS c, 1e19 AS d, 4503599627370497.0 AS e, 0.5 AS f, -0.0 AS g;';
    for (const mode of ['insert', 'quote', 'json']) sameAsSqlite3(`.mode ${mode}\n${values}\n`);
    const want = sqlite3([':memory:'], `CREATE TABLE w(x REAL);\nINSERT INTO w VALUES(82.0),(7.0),(-3.0),(1e19);\n.dump w\n`, raw);
    const got = lode([':memory:'], `CREATE TABLE w(x REAL);\nINSERT INTO w VALUES(82.0),(7.0),(-3.0),(1e19);\n.dump w\n`, raw);
    assert.equal(got.stdout.toString(), want.stdout.toString());
    assert.ok(got.stdout.toString().includes('VALUES(82.0)'), got.stdout.toString());
  });

  it('EXPLAIN QUERY PLAN prints its tree in every mode', function () {
    for (const mode of MODES) {
      sameAsSqlite3(`CREATE TABLE t(a);\n.mode ${mode}\nEXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a;\n`);
    }
  });

  it('.tables, .indexes and .schema list like sqlite3', function () {
    const schema = [
      'CREATE TABLE t(a UNIQUE, b PRIMARY KEY);',
      'CREATE INDEX z ON t(a);',
      'CREATE TABLE s(x);',
      'CREATE TABLE "odd name"(y);',
      'CREATE INDEX sx ON s(x);',
      '',
    ].join('\n');
    sameAsSqlite3(`${schema}.tables\n.tables s%\n.indexes\n.indexes s\n.indices t\n.schema\n.schema s\n`);
  });

  it('.fullschema prints the schema and the statistics as sqlite3 does', function () {
    sameAsSqlite3('CREATE TABLE t(a,b); CREATE TEMP VIEW tv AS SELECT 1 AS x; CREATE TABLE t2(z);\n.fullschema\n' +
      // sqlite_stat4 dropped: the 3.40 CLI's ANALYZE makes none (3.53 built with STAT4 does, as Lode)
      'CREATE INDEX ta ON t(a); INSERT INTO t VALUES(1,2),(1,3),(2,4),(NULL,\'x\'); ANALYZE;\n' +
      'DROP TABLE IF EXISTS sqlite_stat4;\n.fullschema\n' +
      'DELETE FROM sqlite_stat1;\n.fullschema\n');
  });

  it('.schema follows each view with its columns, as sqlite3 does', function () {
    sameAsSqlite3([
      'CREATE TABLE t(a, b, "select", c2);',
      'CREATE VIEW v AS SELECT a, "select", c2 AS "x y", 1 FROM t;',
      'CREATE VIEW v2(p, q) AS SELECT 1, 2;',
      'CREATE TABLE g(z); CREATE VIEW "my view" AS SELECT z AS "a b" FROM g; CREATE VIEW gone AS SELECT z FROM g;',
      'CREATE TEMP VIEW tv AS SELECT 6 AS six;',
      'ATTACH \':memory:\' AS aux; CREATE VIEW aux.av AS SELECT 5 AS five;',
      'ATTACH \':memory:\' AS "a b"; CREATE TABLE "a b".t(x); CREATE VIEW "a b".w AS SELECT x FROM t;',
      '.schema', '.schema %v%', 'DROP TABLE g;', '.schema', '.dump', '',
    ].join('\n'));
  });

  it('-m MODE on the command line prints like sqlite3 -MODE', function () {
    for (const mode of ['csv', 'json', 'line', 'box', 'table', 'markdown', 'quote']) {
      const want = sqlite3(['-batch', `-${mode}`], DATA + QUERIES, raw);
      const got = lode(['-m', mode], DATA + QUERIES, raw);
      assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), mode);
    }
  });
});

describe('lode shell: .dump', function () {
  let dir;
  before(function () {
    requireLode();
    requireSqlite3(this);
    dir = mkdtempSync(join(tmpdir(), 'lode-dump-'));
  });
  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const SCHEMA = [
    'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c);',
    "INSERT INTO t VALUES(1,'x',1.5),(2,'it''s',NULL),(3,'a'||char(10)||'b'||char(13),x'00ff'),(4,'\\n'||char(10),0.1);",
    "INSERT INTO t VALUES(5,'big',1e300),(6,'tiny',-2.5e-300),(7,'日本',9223372036854775807),(8,'',-0.0);",
    'CREATE INDEX ti ON t(c);',
    'CREATE TABLE "order"(x, "we ird" TEXT NOT NULL DEFAULT \'d\');',
    "INSERT INTO \"order\" VALUES(1,'q'),(2.5,'r');",
    'CREATE TABLE u(y);',
    'CREATE TABLE w(k, v, PRIMARY KEY(k, v));',
    "INSERT INTO w VALUES('a', 1), ('b', 2);",
    '',
  ].join('\n');

  it('prints the same dump as sqlite3 for the same database', function () {
    const want = sqlite3(['-batch'], `${SCHEMA}.dump\n`).stdout;
    const got = lode([], `${SCHEMA}.dump\n`).stdout;
    assert.equal(got, want);
    assert.match(got, /^PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n/);
    assert.match(got, /COMMIT;\n$/);
  });

  it('dumps a virtual table as its sqlite_schema row under writable_schema, as sqlite3 does, and reloads', function () {
    const vtab = [
      'PRAGMA writable_schema=ON;',
      "INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql) VALUES('table','v','v',0," +
        "'CREATE VIRTUAL TABLE v USING nosuch(x, ''it''''s'', (1, 2))');",
      'PRAGMA writable_schema=OFF;',
      '',
    ].join('\n');
    const script = `${SCHEMA}${vtab}.dump\n`;
    const want = sqlite3(['-batch'], script).stdout;
    const got = lode([], script).stdout;
    assert.equal(got, want);
    assert.match(got, /PRAGMA writable_schema=ON;\nINSERT INTO sqlite_schema\(type,name,tbl_name,rootpage,sql\)VALUES/);
    assert.match(got, /PRAGMA writable_schema=OFF;\nCOMMIT;\n$/);
    const db = join(dir, 'vtab.db');
    const r = lode([db], got);
    assert.equal(r.stderr, '');
    assert.equal(lode([db, "SELECT name, rootpage FROM sqlite_schema WHERE name = 'v';"], '').stdout, 'v|0\n');
    assert.match(lode([db, 'SELECT * FROM v;'], '').stderr, /no such module: nosuch/);
  });

  it('.dump TABLE dumps the matching tables only, as sqlite3 does', function () {
    for (const pattern of ['t', 'ord%', 'nomatch', 'u w']) {
      const script = `${SCHEMA}.dump ${pattern}\n`;
      assert.equal(lode([], script).stdout, sqlite3(['-batch'], script).stdout, pattern);
    }
  });

  it('.dump --data-only, --nosys, --preserve-rowids and --newlines write what sqlite3 writes', function () {
    const more = [
      'CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);', "INSERT INTO a(v) VALUES('x'),('y');",
      "CREATE TABLE wr(k TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO wr VALUES('é', x'00'), ('b', 1e999);",
      'CREATE TABLE g(a INT, b INT GENERATED ALWAYS AS (a*2) VIRTUAL, c INT AS (a+1) STORED);',
      'INSERT INTO g(a) VALUES(1),(2); DELETE FROM g WHERE a = 1; INSERT INTO g(a) VALUES(3);',
      'CREATE VIEW va AS SELECT * FROM a;', 'CREATE TABLE r2(x int PRIMARY KEY, y); INSERT INTO r2 VALUES(5,6);',
      'CREATE TRIGGER tr AFTER INSERT ON a BEGIN UPDATE a SET v = upper(v) WHERE id = new.id; END;',
      // one table, so that the statistics rows come in one order in both engines; sqlite_stat4
      // dropped, as the 3.40 CLI's ANALYZE makes none
      'ANALYZE t;', 'DROP TABLE IF EXISTS sqlite_stat4;', '',
    ].join('\n');
    for (const opts of ['--data-only', '--nosys', '--preserve-rowids', '--newlines', '-data-only --nosys t',
      '--preserve-rowids --newlines', '--bogus']) {
      const script = `${SCHEMA}${more}.dump ${opts}\n`;
      const want = sqlite3(['-batch'], script);
      const got = lode([], script);
      assert.equal(got.stdout, want.stdout, opts);
      assert.equal(got.stderr, want.stderr, opts);
      assert.equal(got.status, want.status, opts);
    }
    const rows = lode([], `${SCHEMA}${more}.dump --preserve-rowids g\n`).stdout;
    assert.match(rows, /INSERT INTO g\(rowid,a\) VALUES\(3,3\);/);
  });

  it('re-imports into an identical database in lode and in sqlite3', function () {
    const dump = lode([], `${SCHEMA}.dump\n`).stdout;
    const lodeDb = join(dir, 'lode.db');
    const sqliteDb = join(dir, 'sqlite.db');
    const r1 = lode([lodeDb], dump);
    assert.equal(r1.stderr, '');
    assert.equal(r1.status, 0);
    const r2 = sqlite3([sqliteDb], dump);
    assert.equal(r2.stderr, '');
    // Each database dumps back to the same text, read by either tool.
    assert.equal(lode([lodeDb, '.dump'], '').stdout, dump);
    assert.equal(sqlite3([sqliteDb, '.dump'], '').stdout, dump);
    assert.equal(sqlite3([lodeDb, '.dump'], '').stdout, dump);
    assert.equal(lode([sqliteDb, '.dump'], '').stdout, dump);
    assert.equal(sqlite3([lodeDb, 'PRAGMA integrity_check;'], '').stdout, 'ok\n');
  });

  it('re-imports a dump with sqlite_stat1 (ANALYZE) in both tools', function () {
    const script = `${SCHEMA}ANALYZE;\n.dump\n`;
    const dump = lode([], script).stdout;
    assert.match(dump, /ANALYZE sqlite_schema;\nINSERT INTO sqlite_stat1 VALUES/);
    const db = join(dir, 'stat.db');
    assert.equal(lode([db], dump).status, 0);
    const back = lode([db, 'SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY 1, 2;'], '').stdout;
    assert.equal(back, sqlite3(['-batch'], `${script.replace('.dump\n', '')}SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY 1, 2;\n`).stdout);
  });
});

describe('lode shell: dot commands and options', function () {
  let dir;
  before(function () {
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-dot-'));
  });
  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('.import reads CSV into a new table named by the header row, as sqlite3 does', function () {
    requireSqlite3(this);
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'name,"age x",z\r\nalice,30,"a ""q"" b"\r\nbob,,"multi\nline"\ncarl,5\ndan,1,2,3\n');
    const script = `.import ${csv} p\n.schema\n.mode quote\nSELECT * FROM p;\n`;
    const want = sqlite3(['-batch'], script.replace('.import', '.import --csv'));
    // pretty mode (the terminal's default) reads CSV, as the Turso manual's .import
    const got = lode(['-m', 'pretty'], script);
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.stderr, want.stderr.replaceAll(csv, csv));
    assert.match(got.stderr, /:5: expected 3 columns but found 2 - filling the rest with NULL/);
  });

  it('.import --ascii, ascii mode and .separator choose the separators as sqlite3', function () {
    requireSqlite3(this);
    const piped = join(dir, 'piped.txt');
    const ascii = join(dir, 'ascii.txt');
    writeFileSync(piped, 'a|b,c|d\n1|"x|y"|3\n4|5\n');
    writeFileSync(ascii, 'a\x1fb\x1e1\x1f2\x1e"3"\x1f4,5\x1e');
    const script = [
      `.separator |`, `.import ${piped} t`, `.mode quote`, `SELECT * FROM t;`,
      `.import --ascii ${ascii} u`, `SELECT * FROM u;`,
      `.mode ascii`, `.import ${ascii} w`, `SELECT * FROM w;`, `.mode quote`, `SELECT * FROM w;`,
      `.mode csv`, `.separator ;`, `.import ${piped} z`, `.mode quote`, `SELECT * FROM z;`,
      `.mode tabs`, `.import ${piped} v`, `.mode quote`, `SELECT * FROM v;`,
      `.separator ab`, `.import ${piped} q`, `.separator "" x`, `.import ${piped} q`, '',
    ].join('\n');
    const want = sqlite3(['-batch'], script, raw);
    const got = lode([], script, raw);
    assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'));
    assert.equal(got.stderr.toString(), want.stderr.toString());
    assert.match(got.stderr.toString(), /multi-character column separators not allowed for import/);
  });

  it('.import into an existing table keeps every row and --skip skips', function () {
    const csv = join(dir, 'nums.csv');
    writeFileSync(csv, '1,one\n2,two\n3,three\n');
    const r = lode([], `CREATE TABLE n(a INTEGER, b);\n.import --csv ${csv} n\n.import --skip 2 --csv ${csv} n\n` +
      'SELECT a, b, typeof(a) FROM n;\n');
    assert.equal(r.stdout, '1|one|integer\n2|two|integer\n3|three|integer\n3|three|integer\n');
    assert.equal(r.status, 0);
  });

  it('.import of a missing file fails and changes nothing', function () {
    const r = lode([], `CREATE TABLE n(a);\n.import ${join(dir, 'none.csv')} n\nSELECT count(*) FROM n;\n`);
    assert.match(r.stderr, /^Error: cannot open ".*none\.csv"\n$/);
    assert.equal(r.stdout, '0\n');
    assert.equal(r.status, 1);
  });

  it('.import that fails on a row leaves the table as it was', function () {
    const csv = join(dir, 'dup.csv');
    writeFileSync(csv, '1\n2\n1\n');
    const r = lode([], `CREATE TABLE k(a PRIMARY KEY);\n.import ${csv} k\nSELECT count(*) FROM k;\n`);
    assert.match(r.stderr, /dup\.csv:3: INSERT failed: UNIQUE constraint failed: k\.a/);
    assert.equal(r.stdout, '0\n');
    assert.equal(r.status, 1);
  });

  it('.output FILE sends rows to the file until .output; .once for one command', function () {
    const out = join(dir, 'out.txt');
    const once = join(dir, 'once.txt');
    const r = lode([], `.output ${out}\nSELECT 1;\nSELECT 2;\n.output\nSELECT 3;\n.once ${once}\nSELECT 4;\nSELECT 5;\n`);
    assert.equal(r.stdout, '3\n5\n');
    assert.equal(readFileSync(out, 'utf8'), '1\n2\n');
    assert.equal(readFileSync(once, 'utf8'), '4\n');
  });

  it('.output and .once send rows to a |command, .once --bom marks the file, .import reads a |command', function () {
    requireSqlite3(this);
    const bom = join(dir, 'bom.txt');
    const script = `.output |tr a-z A-Z\nSELECT 'abc';\n.output\nSELECT 'def';\n.once '|cat -n'\nSELECT 'ghi';\n` +
      `SELECT 'jkl';\n.once --bom ${bom}\nSELECT 1;\n.once\nSELECT 2;\n`;
    const want = sqlite3(['-batch'], script);
    const got = lode([], script);
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.stdout, 'ABC\ndef\n     1\tghi\njkl\n2\n');
    assert.equal(readFileSync(bom, 'latin1'), '\xef\xbb\xbf1\n');
    const csv = join(dir, 'piped.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const r = lode([], `.import --csv '|cat ${csv}' t\n.mode csv\nSELECT * FROM t;\n`);
    assert.equal(r.stdout, '1,2\r\n');
    assert.equal(r.status, 0);
  });

  it('.read runs a file and names the line of an error in it', function () {
    const file = join(dir, 'script.sql');
    writeFileSync(file, 'SELECT 1;\n\nSELEC 2;\nSELECT 3;\n');
    const r = lode([], `.read ${file}\nSELECT 4;\n`);
    assert.equal(r.stdout, '1\n3\n4\n');
    assert.equal(r.stderr, 'Parse error near line 3: near "SELEC": syntax error\n  SELEC 2;\n  ^--- error here\n');
    assert.equal(r.status, 1);
  });

  it('a syntax error names the line the statement starts on', function () {
    const r = lode([], 'SELECT 1;\n-- comment\nSELECT\n  2;\nSELECT 3; SELECT\n\n  nope();\n');
    assert.equal(r.stdout, '1\n2\n3\n');
    assert.equal(r.stderr, 'Parse error near line 5: no such function: nope\n  SELECT    nope();\n            ^--- error here\n');
    assert.equal(r.status, 1);
  });

  it('only a dot in the first column starts a dot command; a # line is a comment, as in sqlite3', function () {
    requireSqlite3(this);
    const script = '# a comment\nSELECT 1;\n  # indented\nSELECT 2;\n\t.print x\nSELECT 3;\nSELECT 4\n.print y\n;\n' +
      '.echo on\n# echoed\nSELECT 5;\n';
    const want = sqlite3(['-batch'], script);
    const got = lode([], script);
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.stderr, want.stderr);
    assert.match(got.stderr, /^Parse error near line 3: unrecognized token: "#"\n/);
    assert.match(got.stderr, /Parse error near line 7: near "\.": syntax error\n {2}SELECT 4 \.print y ;\n/);
    assert.equal(got.status, 1);
  });

  it('a failed statement leaves the database unchanged', function () {
    const r = lode([], [
      'CREATE TABLE t(a PRIMARY KEY, b NOT NULL);',
      "INSERT INTO t VALUES (1, 'x'), (2, 'y');",
      "INSERT INTO t VALUES (3, 'z'), (1, 'dup');",
      'UPDATE t SET b = NULL;',
      'SELECT a, b FROM t ORDER BY a;',
      '',
    ].join('\n'));
    assert.equal(r.stdout, '1|x\n2|y\n');
    assert.match(r.stderr, /Runtime error near line 3: UNIQUE constraint failed: t\.a \(19\)\n/);
    assert.match(r.stderr, /Runtime error near line 4: NOT NULL constraint failed: t\.b \(19\)\n/);
    assert.equal(r.status, 1);
  });

  it('.nullvalue, .echo and -e print like sqlite3', function () {
    requireSqlite3(this);
    sameAsSqlite3('.nullvalue (null)\nSELECT NULL, 1;\n.echo on\nSELECT 2;\n-- note\n.echo off\nSELECT 3;\n');
    const r = lode(['-e'], 'SELECT 1;\n');
    assert.equal(r.stdout, 'SELECT 1;\n1\n');
  });

  it('.timer on prints the run time after each statement', function () {
    const r = lode([], '.timer on\nSELECT 1;\n.timer off\nSELECT 2;\n');
    assert.match(r.stdout, /^1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n2\n$/);
  });

  it('.open --new and --readonly, .changes, .bail, .cd and on/off words in any case, as sqlite3 does them', function () {
    requireSqlite3(this);
    const script = (db) => [
      `.open --readonly ${db}`, 'SELECT * FROM t;', 'INSERT INTO t VALUES(2);', `.open ${db}`, 'INSERT INTO t VALUES(3);',
      'SELECT count(*) FROM t;', `.open --new ${db}`, '.tables', `.open ${db} -x`, '.open a b', '.headers ON',
      'SELECT NULL AS n;', '.changes on', 'CREATE TABLE t(a);', 'INSERT INTO t VALUES(1),(2);', 'SELECT 1;',
      'UPDATE t SET a=3;', 'SELECT 1; SELECT 2;', 'SELECT x;', '.changes off', 'INSERT INTO t VALUES(1);',
      '.changes', '.changes maybe', '.bail', '.cd', '.cd /nonexistent', `.cd ${dir}`, '.print ok', '.bail on',
      'SELECT 5;', 'SELECT nosuch();', 'SELECT 6;', '',
    ].join('\n');
    const run = (tool, name) => {
      const db = join(dir, name);
      rmSync(db, { force: true });
      sqlite3([db, 'CREATE TABLE t(a); INSERT INTO t VALUES(1);'], '');
      return tool([], script(db));
    };
    const want = run(sqlite3, 'open-sqlite3.db');
    const got = run(lode, 'open-lode.db');
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.status, want.status);
    assert.match(got.stdout, /^1\n2\nn\n\nchanges: 0 {3}total_changes: 0\nchanges: 2 {3}total_changes: 2\n/);
    assert.match(got.stderr, /attempt to write a readonly database/);
    assert.match(got.stderr, /unknown option: -x\nextra argument: "b"\n/);
    assert.match(got.stderr, /Cannot change to directory "\/nonexistent"\n/);
  });

  it('.databases names the file and whether it is read-only', function () {
    const file = join(dir, 'dbs.db');
    assert.equal(lode([file], '.databases\n').stdout, `main: ${file} r/w\n`);
    assert.equal(lode(['--readonly', file], '.databases\n').stdout, `main: ${file} r/o\n`);
    assert.equal(lode([], '.databases\n').stdout, 'main: "" r/w\n');
  });

  it('.show lists the settings', function () {
    const r = lode([], '.mode csv\n.nullvalue N\n.headers on\n.show\n');
    assert.match(r.stdout, / {8}mode: csv\n/);
    assert.match(r.stdout, / {5}headers: on\n/);
    assert.match(r.stdout, / {3}nullvalue: "N"\n/);
    assert.match(r.stdout, /rowseparator: "\\r\\n"\n/);
  });

  it('.show prints what sqlite3 prints (column-mode options, the .output file)', function () {
    const out = join(dir, 'show-out.txt');
    sameAsSqlite3(`.mode csv\n.nullvalue N\n.headers on\n.show\n.mode box\n.width 5 -3\n.show\n` +
      `.mode table --wrap 10 --wordwrap on --quote\n.show\n.output ${out}\n.show\n.output\n.echo on\n.show\n`);
  });

  it('--readonly refuses writes and leaves the file unchanged', function () {
    const file = join(dir, 'ro.db');
    lode([file], 'CREATE TABLE t(a); INSERT INTO t VALUES (1);\n');
    const r = lode(['--readonly', file], 'INSERT INTO t VALUES (2);\nSELECT count(*) FROM t;\n');
    assert.equal(r.stdout, '1\n');
    // Lode refuses the write when it compiles the statement, sqlite3 when it runs it.
    assert.match(r.stderr, /^(Parse|Runtime) error near line 1: attempt to write a readonly database( \(8\))?\n$/);
    assert.equal(r.status, 1);
  });

  it('opens file: URIs with query parameters', function () {
    const file = join(dir, 'uri db.db');
    lode([file], 'CREATE TABLE t(a); INSERT INTO t VALUES (5);\n');
    const uri = `file:${file.replaceAll(' ', '%20')}?mode=ro&cache=shared`;
    const r = lode([uri, 'SELECT a FROM t'], '');
    assert.equal(r.stdout, '5\n');
    const w = lode([uri], 'INSERT INTO t VALUES (6);\n');
    assert.match(w.stderr, /attempt to write a readonly database/);
    const bad = lode(['file:x.db?mode=nope'], '');
    assert.equal(bad.stderr, 'Error: unable to open database "file:x.db?mode=nope": no such access mode: nope\n');
    assert.equal(bad.status, 1);
    assert.equal(lode(['file::memory:', 'SELECT 7'], '').stdout, '7\n');
  });

  it('SQL on the command line reports errors the way sqlite3 does and exits 1', function () {
    const r = lode([':memory:', 'SELEC 1'], '');
    assert.equal(r.stderr, 'Error: in prepare, near "SELEC": syntax error\n  SELEC 1\n  ^--- error here\n');
    assert.equal(r.status, 1);
    const d = lode([':memory:', '.mode json'], '');
    assert.equal(d.status, 0);
  });

  it('runs several SQL arguments in turn, stops at the first failing one and exits with its result code', function () {
    requireSqlite3(this);
    const sets = [
      ['SELECT 1', 'extra', 'SELECT 2'], ['SELECT 1', '.mode csv', 'SELECT 2, 3'], ['SELECT 1', '.nosuch', 'SELECT 2'],
      ['CREATE TABLE t(a NOT NULL)', 'INSERT INTO t VALUES(NULL)', 'SELECT 3'], ['.quit', 'SELECT 4'],
      ['SELECT 5', '.exit 4', 'SELECT 6'], ['CREATE TABLE t(a UNIQUE); INSERT INTO t VALUES(1),(1)'],
    ];
    for (const args of sets) {
      const want = sqlite3([':memory:', ...args], '');
      const got = lode([':memory:', ...args], '');
      assert.equal(got.stdout, want.stdout, args.join(' | '));
      assert.equal(got.stderr, want.stderr, args.join(' | '));
      assert.equal(got.status, want.status, args.join(' | '));
    }
    // a constraint failure exits with SQLITE_CONSTRAINT (19), as sqlite3 does
    assert.equal(lode([':memory:', 'CREATE TABLE t(a NOT NULL)', 'INSERT INTO t VALUES(NULL)'], '').status, 19);
  });

  it("takes sqlite3's own options (-csv, -header, -separator, -cmd, -bail, ...) as sqlite3 does", function () {
    requireSqlite3(this);
    const script = "SELECT 1 AS a, NULL AS b, 'x;y' AS c;\nSELECT 2;\n";
    const sets = [['-column'], ['-noheader', '-column'], ['-header', '-csv'], ['-csv', '-separator', ';'],
      ['-list', '-newline', 'X', '-nullvalue', 'N'], ['-json'], ['-cmd', '.mode box', '-cmd', 'SELECT 7'],
      ['--csv', '--header'], ['-header', '-column'], ['-tabs'], ['-ascii'], ['-quote'], ['-line'],
      ['-markdown', '-header'], ['-box'], ['-table'], ['-batch', '-list']];
    for (const args of sets) {
      const want = sqlite3(args, script, raw);
      const got = lode(args, script, raw);
      assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), args.join(' '));
      assert.equal(got.status, want.status, args.join(' '));
    }
    // -bail stops at the first failing statement and exits 1; without it the rest still runs.
    const failing = 'SELECT 1;\nSELECT nosuch();\nSELECT 2;\n';
    for (const args of [['-bail'], []]) {
      const want = sqlite3(args, failing);
      const got = lode(args, failing);
      assert.equal(got.stdout, want.stdout, args.join(' '));
      assert.equal(got.status, want.status);
    }
    assert.equal(lode(['-bail'], failing).stdout, '1\n');
  });

  it('shows where a prepare error is, under the message, as sqlite3 does', function () {
    requireSqlite3(this);
    const long = 'x'.repeat(60);
    const script = [
      'CREATE TABLE t(a, b);', 'SELECT nosuch();', 'SELECT zz FROM t;', 'selec 1;', 'SELECT #1;',
      "SELECT a FROM t WHERE a = 'x' AND b ==;", '   SELECT     nosuch(1, 2)   ;', `SELECT '${long}', nosuch();`,
      `SELECT 'é${long}', nosuch();`, 'SELECT 1;   SELECT nosuch(2);', 'SELECT\n  nosuch(3);', 'SELECT * FROM nosuch;',
      'SELECT abs(1, 2, 3) FROM t;', '',
    ].join('\n');
    const want = sqlite3(['-batch'], script);
    const got = lode([], script);
    assert.equal(got.stderr, want.stderr);
    assert.match(got.stderr, /\n  SELECT zz FROM t;\n         \^--- error here\n/);
    const once = lode([':memory:', 'SELECT nosuch()'], '');
    assert.equal(once.stderr, sqlite3([':memory:', 'SELECT nosuch()'], '').stderr);
  });

  it('-V and --version print the version; -h lists every option', function () {
    assert.equal(lode(['-V'], '').stdout, 'Lode v0.1.0\n');
    const help = lode(['--help'], '').stdout;
    for (const opt of ['--output-mode', '--quiet', '--echo', '--readonly', '--version', '--mcp',
      '--experimental-encryption', '--experimental-strict', '--experimental-views', '--experimental-mvcc',
      '--experimental-index-method']) {
      assert.ok(help.includes(opt), `${opt} missing from --help`);
    }
  });

  it('experimental flags are accepted and say plainly when the feature is not there yet', function () {
    const r = lode(['--experimental-views', '--experimental-mvcc'], 'SELECT 1;\n');
    assert.equal(r.stdout, '1\n');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /--experimental-views: materialized \(incrementally maintained\) views are not available in Lode yet/);
    assert.doesNotMatch(r.stderr, /mvcc/);
    // MVCC is there: the flag is accepted silently and the mode can be switched on
    // (on a file: an in-memory database's journal mode is always memory, as in SQLite).
    const mv = lode(['--experimental-mvcc', join(dir, 'mvcc.db')], 'PRAGMA journal_mode = mvcc;\n');
    assert.equal(mv.stdout, 'mvcc\n');
    const mem = lode(['--experimental-mvcc'], 'PRAGMA journal_mode = mvcc;\n');
    assert.equal(mem.stdout, 'memory\n');
    assert.equal(mv.stderr, '');
    const f = lode(['--experimental-strict'], 'SELECT 2;\n');
    assert.equal(f.stdout, '2\n');
    assert.match(f.stderr, /not available in Lode yet/);
    // Index methods are there: the flag is accepted silently and the feature works with or without it.
    const m = lode(['--experimental-index-method'],
      'CREATE TABLE t(e BLOB);\nCREATE INDEX i ON t USING toy_vector_sparse_ivf (e);\n' +
      "EXPLAIN QUERY PLAN SELECT rowid FROM t ORDER BY vector_distance_jaccard(e, vector32_sparse('[1]')) LIMIT 1;\n");
    assert.equal(m.stderr, '');
    assert.match(m.stdout, /QUERY INDEX METHOD toy_vector_sparse_ivf/);
    // Encryption is there: the flag is accepted silently.
    const e = lode(['--experimental-encryption'], "PRAGMA cipher = 'aegis256';\nSELECT 3;\n");
    assert.equal(e.stdout, '3\n');
    assert.equal(e.stderr, '');
  });

  it('an unknown dot command or option is a clear error with a non-zero exit', function () {
    const r = lode([], '.nosuch 1 2\nSELECT 1;\n');
    // sqlite3's words, two blanks included
    assert.equal(r.stderr, 'Error: unknown command or invalid arguments:  "nosuch". Enter ".help" for help\n');
    assert.equal(r.stdout, '1\n');
    assert.equal(r.status, 1);
    const o = lode(['--nosuch'], '');
    assert.match(o.stderr, /^Error: unknown option: --nosuch\n/);
    assert.equal(o.status, 1);
    const m = lode([], '.mode fancy\n');
    assert.match(m.stderr, /^Error: mode should be one of:/);
    assert.equal(m.status, 1);
  });

  it('dot commands may be shortened as far as sqlite3 allows, and take its loose on/off words', function () {
    requireSqlite3(this);
    const out = join(dir, 'prefix-once.txt');
    const out2 = join(dir, 'prefix-output.txt');
    const script = [
      'CREATE TABLE t(a); CREATE INDEX ti ON t(a);', '.tab', '.ta', '.sch', '.ind', '.in', '.he on', 'SELECT 1;',
      '.h off', '.headers maybe', 'SELECT 2 AS x;', '.headers 0x1', 'SELECT 3 AS y;', '.nu X', '.n Y', '.sep ;',
      '.se :', '.sho', '.da', '.d', '.pri a b', '.m csv', '.m', '.wi 3 4', '.wid', '.fu', '.ec 2', 'SELECT 4;',
      '.e off', `.o ${out}`, 'SELECT 5;', 'SELECT 6;', `.ou ${out2}`, 'SELECT 7;', '.ou', '.q', 'SELECT 8;', '',
    ].join('\n');
    const want = sqlite3(['-batch'], script);
    const got = lode([], script);
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.stderr, want.stderr);
    assert.match(got.stderr, /Not a boolean value: "maybe"/);
    // headers are on (0x1) and csv rows end in \r\n: the name, then the value
    assert.equal(readFileSync(out, 'utf8'), '5\r\n5\r\n');
    assert.equal(readFileSync(out2, 'utf8'), '7\r\n7\r\n');
    // Shorter than sqlite3 allows, or a prefix sqlite3 gives to a command this shell lacks: unknown.
    for (const cmd of ['.ti on', '.w 3', '.he', '.r x', '.db', '.li']) {
      const r = lode([], `${cmd}\n`);
      assert.equal(r.status, 1, cmd);
      assert.match(r.stderr, cmd === '.he' ? /^Usage: \.headers/ : /^Error: unknown command/, cmd);
    }
    // As in sqlite3, .t is .trace, .p and .pr are .prompt, .c is .clone, .s and .sc .scanstats.
    for (const cmd of ['.t off', '.p x', '.pr x y']) assert.equal(lode([], `${cmd}\n`).status, 0, cmd);
    assert.match(lode([], '.c\n').stderr, /^Usage: \.clone FILENAME/);
    assert.match(lode([], '.s\n').stderr, /^Usage: \.scanstats on\|off/);
    assert.match(lode([], '.hel\n').stdout, /^\.archive /);
    // .sh is .shell, as in sqlite3 (its usage names .system)
    assert.equal(lode([], '.sh\n').stderr, sqlite3([], '.sh\n').stderr);
  });

  it('.help lists every dot command of the manual and sqlite3\'s daily ones', function () {
    const help = lode([], '.help\n').stdout;
    for (const cmd of ['.help', '.open', '.schema', '.dump', '.tables', '.indexes', '.mode', '.headers',
      '.nullvalue', '.read', '.import', '.output', '.once', '.timer', '.databases', '.show', '.echo', '.quit',
      '.exit']) {
      assert.ok(help.includes(`${cmd} `), `${cmd} missing from .help`);
    }
  });
});

// Random results (values of every type and shape, repeated and odd column
// names, empty results) in random modes and settings, against sqlite3.
// SHELL_FUZZ_SEED and SHELL_FUZZ_COUNT choose the seed and how many.
describe('lode shell: random results in every mode against sqlite3', function () {
  before(function () {
    requireLode();
    requireSqlite3(this);
  });

  it('prints each the way sqlite3 does', function () {
    let seed = Number(process.env.SHELL_FUZZ_SEED || 1);
    const count = Number(process.env.SHELL_FUZZ_COUNT || 60);
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = (a) => a[Math.floor(rnd() * a.length)];
    const values = ['NULL', '0', '-1', '9223372036854775807', '-9223372036854775808', '1.5', '0.1', '-0.0', '1e300',
      '1e-300', '1e15', '1e16', '123.456', '2.0', "x''", "x'00'", "x'41ff'", "x'0a'", "''", "'a'", "'héllo'",
      "'日本語テキスト'", "'a\tb'", "'x' || char(10) || 'y'", "'q\"q'", "'it''s'", "'  lead'", "'trail  '",
      `'${'w'.repeat(70)}'`, `'${'word '.repeat(20)}'`, 'char(0x1F600)', "'e' || char(0x301)", 'char(13)', "'<&>'",
      "'\\\\'", "'a,b'", "'-'", "'NULL'"];
    const modes = ['list', 'csv', 'json', 'line', 'column', 'box', 'table', 'markdown', 'tabs', 'insert', 'quote',
      'ascii', 'html', 'tcl', 'qbox', 'box --wrap 10', 'column --ww --wrap 8', 'table --quote', 'markdown --wrap 0'];
    const names = ['a', 'a', 'b c', '"x"', 'long_column_name_here', 'é', '', 'n'];
    for (let it = 0; it < count; it++) {
      const ncol = 1 + Math.floor(rnd() * 4);
      const nrow = Math.floor(rnd() * 4);
      const cols = Array.from({ length: ncol }, () => `"${pick(names).replaceAll('"', '""')}"`);
      const rows = Array.from({ length: Math.max(nrow, 1) }, () => cols.map(() => pick(values)));
      const arms = rows.map((r, k) => `SELECT ${r.map((v, i) => (k ? v : `${v} AS ${cols[i]}`)).join(', ')}`);
      const query = `${arms.join(' UNION ALL ')}${nrow ? '' : ' LIMIT 0'};`;
      const settings = [pick(['', '.headers on\n', '.headers off\n']), pick(['', '.nullvalue NUL\n']),
        rnd() < 0.2 ? `.width ${pick(['5', '-6 3', '0 12'])}\n` : ''].join('');
      const script = `.mode ${pick(modes)}\n${settings}${query}\n`;
      const want = sqlite3(['-batch'], script, raw);
      const got = lode([], script, raw);
      assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), script);
      assert.equal(got.stderr.toString(), want.stderr.toString(), script);
    }
  });
});

describe('lode shell: connection commands against sqlite3', function () {
  before(function () {
    requireLode();
    requireSqlite3(this);
  });

  it('.parameter set/list/unset/clear/init binds named values as sqlite3 does', function () {
    const script = [".param set :x 5", ".param set @y 'hello world'", '.param set $z abc', ".param set ?2 x'0102'",
      '.param set :e 1+', '.param set :n 2*3', '.param list', 'SELECT :x, @y, $z, :nope, ?2, typeof(:n), :n, :e;',
      '.param unset :x', '.param list', 'SELECT :x, ?;', '.param clear', '.param list', 'SELECT @y;', '.param init',
      '.param list', ".param set :x 'a'", '.mode quote', 'SELECT :x;', ''].join('\n');
    sameAsSqlite3(script);
  });

  it('.backup/.save and .restore copy databases as sqlite3 does; .timeout, .limit and .shell too', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-shell-backup-'));
    try {
      for (const [tool, run] of [['sqlite3', (s) => sqlite3(['-batch'], s, raw)], ['lode', (s) => lode([], s, raw)]]) {
        const a = join(dir, `${tool}-a.db`), b = join(dir, `${tool}-b.db`);
        const script = [`.open ${a}`, 'CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);', `.backup ${b}`,
          'INSERT INTO t VALUES (3);', `.save main ${join(dir, `${tool}-c.db`)}`, `.restore ${b}`,
          'SELECT count(*) FROM t;', `ATTACH '${b}' AS aux;`, 'INSERT INTO aux.t VALUES (9);', `.backup aux ${a}`,
          'SELECT sum(x) FROM t;', '.backup nosuch x.db', '.restore', '.backup', '.timeout 20', '.limit length',
          '.limit length 100', '.limit like', '.limit nosuch', '.shell echo from-the-shell', ''].join('\n');
        const r = run(script);
        if (tool === 'sqlite3') this.want = r;
        else {
          assert.equal(r.stdout.toString(), this.want.stdout.toString());
          assert.equal(r.stderr.toString(), this.want.stderr.toString());
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // Runs script through both shells in turn (the files it names are removed
  // before each run) and compares what they print.
  function sameInBoth(script, files = [], { stderr = true } = {}) {
    const clean = () => files.forEach((f) => rmSync(f, { force: true }));
    clean();
    const want = sqlite3(['-batch'], script, raw);
    clean();
    const got = lode([], script, raw);
    clean();
    assert.equal(got.stdout.toString(), want.stdout.toString(), `script:\n${script}`);
    if (stderr) assert.equal(got.stderr.toString(), want.stderr.toString(), `script:\n${script}`);
    assert.equal(got.status, want.status);
    return got;
  }

  it('.clone copies the schema, then the rows, printing each name as sqlite3 does', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-shell-clone-'));
    const copy = join(dir, 'copy.db');
    try {
      sameInBoth([`.open ${join(dir, 'src.db')}`, 'CREATE TABLE t(x PRIMARY KEY, y); CREATE INDEX i ON t(y);',
        "INSERT INTO t VALUES (1, 2), (3, 'a''b'), (x'00ff', NULL), (4.5, 1e300);", 'CREATE VIEW v AS SELECT x FROM t;',
        'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;',
        'CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, z); INSERT INTO a(z) VALUES (5), (6);',
        'CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO w VALUES (1, 2), (3, 4);',
        // a generated column is read by SELECT * but cannot be inserted: sqlite3 says so and goes on
        'CREATE TABLE g(a, b AS (a * 2)); INSERT INTO g(a) VALUES (5);',
        `.clone ${copy}`, `.clone ${copy}`, '.clone', `.clone ${join(dir, 'no', 'such', 'dir.db')}`, `.open ${copy}`,
        '.mode quote', 'SELECT * FROM t ORDER BY rowid;', 'SELECT * FROM a;', 'SELECT * FROM sqlite_sequence;',
        'SELECT * FROM w;', 'SELECT * FROM g;',
        'SELECT type, name, tbl_name FROM sqlite_schema;', ''].join('\n'), [copy, join(dir, 'src.db')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.trace writes the SQL of each statement, the shell\'s own included, as sqlite3 does', function () {
    sameInBoth(['SELECT 0;', '.trace stdout', 'SELECT 1, ?1;', '.param set :a 5', 'SELECT :a,', ' 2;;',
      'CREATE TABLE t(x);', 'INSERT INTO t VALUES (1);',
      '.trace --expanded', 'SELECT :a, \'it\'\'s\';', '.trace --plain', 'SELECT :a;', '.trace off', 'SELECT 5;',
      '.trace', 'SELECT 6;', '.trace --bogus', ''].join('\n'));
    // --profile adds the time each statement took
    assert.match(lode([], '.trace stdout --profile\nSELECT 7;\n').stdout, /^7\nSELECT 7; -- \d+ ns\n$/);
  });

  it('.testcase and .check compare what was printed with a pattern, as sqlite3\'s own tests do', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-shell-testcase-'));
    try {
      sameInBoth([`.cd ${dir}`, '.testcase t1', 'SELECT 1;', '.check 1', '.testcase t2', 'SELECT 2;', '.check 3',
        '.testcase t3', 'SELECT 4;', "SELECT 'a  b';", '.check "4 a b"', '.testcase', 'SELECT -12, 5;',
        '.check #|[0-9]*', '.testcase t5', "SELECT 'x]';", '.check [^a-w][]]', '.show', '.nonce', 'SELECT 7;',
        '.check', 'SELECT 8;', ''].join('\n'), [join(dir, 'testcase-out.txt')]);
      // a wrong nonce ends the shell (there is no --safe mode, so every nonce is wrong)
      sameInBoth(['SELECT 1;', '.nonce abc', 'SELECT 2;', ''].join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.stats sets what .show reports and prints sqlite3\'s counters', function () {
    sameInBoth(['.stats on', '.show', '.stats stmt', '.show', '.stats vmstep', '.show', '.stats maybe', '.show',
      '.stats a b', '.stats off', 'SELECT 1;', ''].join('\n'));
    const labels = (out) => out.split('\n').map((l) => l.replace(/\d+/g, 'N'));
    const script = '.stats\n.stats on\nSELECT 1;\n.stats stmt\nSELECT 2 AS x;\n';
    assert.deepEqual(labels(lode([], script).stdout), labels(sqlite3(['-batch'], script).stdout));
    assert.match(lode([], '.stats vmstep\nSELECT 3;\n').stdout, /^3\nVM-steps: \d+\n$/);
  });

  it('.vfsname, .vfsinfo and .vfslist describe the VFS of a database file', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-shell-vfs-'));
    try {
      const db = join(dir, 'v.db');
      sameInBoth([`.open ${db}`, 'CREATE TABLE t(x);', '.vfsname', '.vfsname main', '.vfsname nosuch', '.vfsinfo nosuch',
        '.open :memory:', '.vfsname', ''].join('\n'), [db]);
      // the numbers are Lode's VFS's; an in-memory database has one too (but no file to name it)
      assert.match(lode([], '.vfsinfo\n').stdout, /^vfs\.zName {6}= "unix"\n/);
      const r = lode([db], '.vfsinfo\n.vfslist\n');
      assert.match(r.stdout, /^vfs\.zName {6}= "unix"\nvfs\.iVersion {3}= \d+\nvfs\.szOsFile {3}= \d+\n/);
      assert.match(r.stdout, /\nvfs\.zName {6}= "unix" {2}<--- CURRENT\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.dbinfo prints the fields of the database header and counts of the schema', function () {
    // Debian's sqlite3 is built without the sqlite_dbpage table its .dbinfo
    // reads: the expected lines come from the file sqlite3 wrote.
    const dir = mkdtempSync(join(tmpdir(), 'lode-shell-dbinfo-'));
    try {
      const db = join(dir, 'i.db');
      sqlite3([db], 'PRAGMA user_version = 7; PRAGMA application_id = 42; CREATE TABLE t(x); CREATE INDEX i ON t(x);' +
        'CREATE VIEW v AS SELECT 1; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; INSERT INTO t VALUES (1);');
      const h = readFileSync(db).subarray(0, 100);
      const u32 = (o) => h.readUInt32BE(o);
      const line = (label, v) => `${label.padEnd(20)} ${v}\n`;
      const schemaSize = sqlite3([db], 'SELECT CAST(total(length(sql)) AS INTEGER) FROM sqlite_schema;').stdout.trim();
      const want = line('database page size:', h.readUInt16BE(16)) + line('write format:', h[18]) +
        line('read format:', h[19]) + line('reserved bytes:', h[20]) + line('file change counter:', u32(24)) +
        line('database page count:', u32(28)) + line('freelist page count:', u32(36)) +
        line('schema cookie:', u32(40)) + line('schema format:', u32(44)) + line('default cache size:', u32(48)) +
        line('autovacuum top root:', u32(52)) + line('incremental vacuum:', u32(64)) +
        line('text encoding:', '1 (utf8)') + line('user version:', 7) + line('application id:', 42) +
        line('software version:', u32(96)) + line('number of tables:', 1) + line('number of indexes:', 1) +
        line('number of triggers:', 1) + line('number of views:', 1) + line('schema size:', schemaSize) +
        line('data version', 1);
      assert.equal(lode([db], '.dbinfo\n').stdout, want);
      assert.equal(lode([db], '.dbinfo main\n').stdout, want);
      // attached under another name, the counts are that schema's
      const r = lode([], `ATTACH '${db}' AS aux;\n.dbinfo aux\n.dbinfo nosuch\n`);
      assert.equal(r.stdout, want);
      assert.equal(r.stderr, 'unable to read database header\n');
      // what a WAL holds and the file does not yet is read too
      const w = lode([db], 'PRAGMA journal_mode = wal;\nPRAGMA user_version = 9;\n.dbinfo\n').stdout;
      assert.match(w, /\nwrite format: {8}2\nread format: {9}2\n/);
      assert.match(w, /\nuser version: {8}9\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.lint fkey-indexes names the indexes foreign keys lack, as sqlite3 does', function () {
    sameInBoth(['CREATE TABLE p(a PRIMARY KEY, b, c, UNIQUE(b, c));', 'CREATE TABLE q(id INTEGER PRIMARY KEY, k UNIQUE);',
      'CREATE TABLE c1(x REFERENCES p(a));', 'CREATE TABLE c2(y, z, FOREIGN KEY(y, z) REFERENCES p(b, c));',
      'CREATE TABLE c3(w REFERENCES p); CREATE INDEX c3w ON c3(w);',
      'CREATE TABLE c4(v COLLATE nocase REFERENCES p(a)); CREATE INDEX c4v ON c4(v);',
      'CREATE TABLE c5(id INTEGER PRIMARY KEY REFERENCES q, m REFERENCES q(k));',
      'CREATE TABLE "c 6"("odd col" REFERENCES q(k));', '.lint fkey-indexes', '.lint fkey-indexes -verbose',
      '.lint fkey-indexes -groupbyparent', '.lint fkey-indexes -g -v', '.lint f', '.lint', '.lint bogus',
      '.lint fkey-indexes extra', 'SELECT 1;', ''].join('\n'));
  });

  it('.log writes the statements that fail to compile, with their result code, as sqlite3 does', function () {
    sameInBoth(['.log stdout', 'SELECT * FROM nosuch;', 'SELECT x FROM (SELECT 1);', '.log off', 'SELECT * FROM nosuch;',
      '.log', '.log stderr', 'SELECT 1 FROM nosuch2;', 'SELECT 1;', ''].join('\n'));
  });

  it('sha3() and sha3_query() hash as sqlite3\'s shell does (FIPS 202 SHA-3, every size)', function () {
    sameInBoth(["SELECT hex(sha3('abc')), hex(sha3('')), hex(sha3('abc', 224)), hex(sha3(1)), sha3(NULL);",
      'SELECT hex(sha3(zeroblob(135))), hex(sha3(zeroblob(136))), hex(sha3(zeroblob(300), 512)), hex(sha3(\'x\', 384));',
      "SELECT hex(sha3_query('SELECT 1; SELECT 2', 256)), hex(sha3_query('  SELECT 1, NULL, 2.5, x\'\'00ff\'\' ;  ', 384));",
      ''].join('\n'));
  });

  it('.sha3sum hashes the tables (and with --schema the schema) as sqlite3 does', function () {
    sameInBoth(['CREATE TABLE t(a INTEGER PRIMARY KEY, b, c);',
      "INSERT INTO t VALUES (1, 'x', 2.5), (2, NULL, x'00ff'), (3, -1.5e300, -7);",
      'CREATE TABLE u(z); CREATE INDEX ui ON u(z); CREATE VIEW v AS SELECT 1;',
      'CREATE TABLE "A b"(x); INSERT INTO "A b" VALUES (\'it\'\'s\');',
      'CREATE TABLE q(id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO q DEFAULT VALUES;', '.sha3sum',
      '.sha3sum --debug', '.sha3sum --schema --debug', '.sha3sum -sha3-256', '.sha3sum --sha3-384 t', '.sha3sum %',
      '.sha3sum --sha3-512 %a%', '.sha3sum x y', ''].join('\n'));
  });

  it('.connection keeps several connections, each on its database, as sqlite3 does', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-shell-conn-'));
    const db = join(dir, 'k.db');
    try {
      sameInBoth(['SELECT 1;', '.connection', '.connection 2', '.connection', 'CREATE TABLE x(a);', `.open ${db}`,
        'CREATE TABLE y(b);', '.connection', '.connection 0', '.tables', '.connection', '.connection 2', '.tables',
        '.connection 0', '.connection close 2', '.connection', '.connection close 0', '.connection close 5',
        '.connection 7', '.connection 4', '.connection', '.connection 0', '.connection bogus', '.connection close',
        '.connection 1 2', '.connection close x', '.connection 12', '.connection close 4', '.connection', ''].join('\n'),
      [db]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.scanstats is accepted with the warning of a sqlite3 that keeps no loop counters', function () {
    sameInBoth(['.scanstats on', 'SELECT 1;', '.sc off', '.scanstats', '.scanstats est', 'SELECT 2;', ''].join('\n'));
  });

  it('.auth on prints the authorizer\'s requests as sqlite3 does, DDL\'s and views\' included', function () {
    sameInBoth(['CREATE TABLE t(a, b);', '.auth on', "INSERT INTO t VALUES (1, 'x');", 'SELECT a, b FROM t;',
      'UPDATE t SET a = 2;', 'DELETE FROM t;', 'PRAGMA user_version;', 'SELECT upper(\'a\'), "it""s";',
      'CREATE INDEX ti ON t(b);', 'CREATE VIEW v AS SELECT a FROM t;', 'SELECT * FROM v;', 'DROP VIEW v;',
      'DROP TABLE t;', '.auth off', 'SELECT 1;', '.auth', '.auth maybe', 'SELECT 2;', ''].join('\n'));
  });

  it('.prompt prints nothing in a script, as in sqlite3', function () {
    sameInBoth(['.prompt "db> " "  -> "', '.prompt', '.prompt only-main', 'SELECT 1;', ''].join('\n'));
  });
});
