// The `lode` shell as a user sees it: piped scripts, output modes, errors and
// exit status, dot commands, persistence of a file database, and the
// interactive banner and prompts through a pseudo-terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, lode, requireLode, requireSqlite3, sqlite3 } from '../diff/lib.mjs';

const SCRIPT = '/usr/bin/script';

describe('lode shell', function () {
  let dir;
  before(function () {
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-shell-'));
  });
  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('piped input', function () {
    it('prints hello, world in list mode', function () {
      const r = lode(['-m', 'list'], "SELECT 'hello, world';\n");
      assert.equal(r.stdout, 'hello, world\n');
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
    });

    it('defaults to list mode without a banner when stdin is not a terminal', function () {
      const r = lode([], "SELECT 1, 'two';\n");
      assert.equal(r.stdout, '1|two\n');
      assert.equal(r.status, 0);
    });

    it('joins the columns of a row with | and prints NULL as empty', function () {
      const r = lode(['-m', 'list'], "SELECT 1, 'a', NULL, 2.5, x'4142', -7;\n");
      assert.equal(r.stdout, '1|a||2.5|AB|-7\n');
    });

    it('prints one line per row of a table', function () {
      const sql = [
        'CREATE TABLE t(a INTEGER, b TEXT, c REAL);',
        "INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', NULL), (3, NULL, -0.25);",
        'SELECT a, b, c FROM t ORDER BY a;',
        '',
      ].join('\n');
      const r = lode(['-m', 'list'], sql);
      assert.equal(r.stdout, '1|one|1.5\n2|two|\n3||-0.25\n');
      assert.equal(r.status, 0);
    });

    it('runs several statements of one line in order', function () {
      const r = lode(['-m', 'list'], 'SELECT 1; SELECT 2;SELECT 3;\n');
      assert.equal(r.stdout, '1\n2\n3\n');
    });

    it('gathers a statement spread over several lines', function () {
      const r = lode(['-m', 'list'], "SELECT\n  'a;b',\n  2\n;\n");
      assert.equal(r.stdout, 'a;b|2\n');
    });

    it('treats a comment-only line as blank, so a dot command may follow it', function () {
      const r = lode(['-m', 'list'], '-- a comment\n.headers on\n/* another */\nSELECT 1 AS a;\n');
      assert.equal(r.stdout, 'a\n1\n');
      assert.equal(r.stderr, '');
    });

    it('runs an unfinished last statement at end of input', function () {
      const r = lode(['-m', 'list'], 'SELECT 4');
      assert.equal(r.stdout, '4\n');
      assert.equal(r.status, 0);
    });

    it('accepts --output-mode as the long form of -m', function () {
      const r = lode(['--output-mode', 'list'], 'SELECT 5;\n');
      assert.equal(r.stdout, '5\n');
    });

    it('runs SQL given after the database argument and exits', function () {
      const r = lode([':memory:', "SELECT 'arg';"], '');
      assert.equal(r.stdout, 'arg\n');
      assert.equal(r.status, 0);
    });
  });

  describe('pretty mode', function () {
    it('draws the box table of the Turso manual for one column', function () {
      const r = lode(['-m', 'pretty'], 'SELECT 1;\n');
      assert.equal(r.stdout, '┌───┐\n│ 1 │\n├───┤\n│ 1 │\n└───┘\n');
    });

    it('sizes columns to their widest cell and right-aligns numbers', function () {
      const sql = "CREATE TABLE t(x, y);\nINSERT INTO t VALUES (1, 'hello'), (22.5, NULL);\nSELECT x, y FROM t;\n";
      const r = lode(['-m', 'pretty'], sql);
      assert.equal(
        r.stdout,
        [
          '┌──────┬───────┐',
          '│ x    │ y     │',
          '├──────┼───────┤',
          '│    1 │ hello │',
          '├──────┼───────┤',
          '│ 22.5 │       │',
          '└──────┴───────┘',
          '',
        ].join('\n'),
      );
    });

    it('counts characters, not bytes, of UTF-8 text', function () {
      const r = lode(['-m', 'pretty'], "SELECT 'é' AS c;\n");
      assert.equal(r.stdout, '┌───┐\n│ c │\n├───┤\n│ é │\n└───┘\n');
    });

    it('gives a value or name with newlines as many lines of its cell', function () {
      const r = lode(['-m', 'pretty'], "SELECT 'a' || char(10) || 'bc' AS \"x\ny\", 1, NULL;\n");
      assert.equal(
        r.stdout,
        [
          '┌────┬───┬──────┐',
          '│ x  │ 1 │ NULL │',
          '│ y  │   │      │',
          '├────┼───┼──────┤',
          '│ a  │ 1 │      │',
          '│ bc │   │      │',
          '└────┴───┴──────┘',
          '',
        ].join('\n'),
      );
    });

    it('prints nothing for a query without rows', function () {
      const r = lode(['-m', 'pretty'], 'CREATE TABLE t(x);\nSELECT * FROM t;\n');
      assert.equal(r.stdout, '');
      assert.equal(r.status, 0);
    });

    it('prints EXPLAIN as the columns addr opcode p1 p2 p3 p4 p5 comment', function () {
      const r = lode(['-m', 'pretty'], "EXPLAIN SELECT 'hello, world';\n");
      const lines = r.stdout.split('\n');
      assert.equal(lines[0], 'addr  opcode             p1    p2    p3    p4             p5  comment');
      assert.equal(lines[1], '----  -----------------  ----  ----  ----  -------------  --  -------');
      assert.match(lines[2], /^0 {5}Init {15}/);
      assert.ok(lines.some((l) => /^\d+ +Halt\b/.test(l)), r.stdout);
    });
  });

  describe('EXPLAIN and EXPLAIN QUERY PLAN', function () {
    it('fills the comment column of EXPLAIN as SQLite does', function () {
      const r = lode(['-m', 'list'], "EXPLAIN SELECT 'hello, world';\n");
      const lines = r.stdout.split('\n');
      assert.match(lines[2], /^0 +Init +0 +4 +0 +0 +Start at 4$/);
      assert.match(lines[3], /^1 +String8 +12 +1 +0 +hello, world +0 +r\[1\]='hello, world'$/);
      assert.match(lines[4], /^2 +ResultRow +1 +1 +0 +0 +output=r\[1\]$/);
      assert.match(lines[5], /^3 +Halt +0 +0 +0 +0 {3}$/); // sqlite3 pads p5 and prints an empty comment
    });

    it('names the table of a cursor in the comment of OpenRead', function () {
      const r = lode(['-m', 'list'], 'CREATE TABLE t(a);\nEXPLAIN SELECT a FROM t;\n');
      assert.ok(r.stdout.split('\n').some((l) => /^1 +OpenRead +0 +2 +0 +1 +0 +root=2 iDb=0; t$/.test(l)), r.stdout);
    });

    it('prints the plan as the tree of sqlite3 in list mode', function () {
      const r = lode(['-m', 'list'], 'CREATE TABLE t(a);\nEXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a;\n');
      assert.equal(r.stdout, 'QUERY PLAN\n|--SCAN t\n`--USE TEMP B-TREE FOR ORDER BY\n');
      assert.equal(r.status, 0);
    });

    it('prints the same tree in pretty mode and with headers on', function () {
      const sql = 'CREATE TABLE t(a);\nEXPLAIN QUERY PLAN SELECT * FROM t ORDER BY a;\n';
      const want = 'QUERY PLAN\n|--SCAN t\n`--USE TEMP B-TREE FOR ORDER BY\n';
      assert.equal(lode(['-m', 'pretty'], sql).stdout, want);
      assert.equal(lode(['-m', 'list'], '.headers on\n' + sql).stdout, want);
    });

    it('indents nested steps with |  and blanks under the last one', function () {
      const sql = [
        'CREATE TABLE t(a, b);',
        'CREATE TABLE u(c);',
        'EXPLAIN QUERY PLAN SELECT * FROM (SELECT a FROM t ORDER BY a) AS s, u' +
          ' WHERE c = (SELECT max(b) FROM t WHERE t.b > u.c);',
        '',
      ].join('\n');
      const r = lode(['-m', 'list'], sql);
      assert.equal(
        r.stdout,
        [
          'QUERY PLAN',
          '|--MATERIALIZE s',
          '|  |--SCAN t',
          '|  `--USE TEMP B-TREE FOR ORDER BY',
          '|--SCAN s',
          '|--SCAN u',
          '`--CORRELATED SCALAR SUBQUERY 2',
          '   `--SEARCH t', // a lone max()'s loop, worded a search as SQLite words it
          '',
        ].join('\n'),
      );
    });

    it('prints the same plan as sqlite3 where their plans agree', function () {
      requireSqlite3(this);
      const sql = [
        'CREATE TABLE t(a, b);',
        'CREATE TABLE u(c, d);',
        'EXPLAIN QUERY PLAN SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 3) AS s, u;',
        'EXPLAIN QUERY PLAN SELECT a, count(*) FROM t GROUP BY a ORDER BY 2;',
        'EXPLAIN QUERY PLAN SELECT * FROM t WHERE rowid = 5;',
        'EXPLAIN QUERY PLAN SELECT DISTINCT a FROM t, u;',
        'EXPLAIN QUERY PLAN SELECT 1;',
        '',
      ].join('\n');
      assert.equal(lode(['-m', 'list'], sql).stdout, sqlite3(['-batch'], sql).stdout);
    });

    it('prints nothing for a statement without plan steps', function () {
      const sql = 'CREATE TABLE t(a);\nEXPLAIN QUERY PLAN INSERT INTO t VALUES (1);\nSELECT count(*) FROM t;\n';
      const r = lode(['-m', 'list'], sql);
      assert.equal(r.stdout, '0\n');
    });

    it('.eqp on prints each plan before the rows, .eqp off stops it', function () {
      const sql = [
        'CREATE TABLE t(a);',
        'INSERT INTO t VALUES (2), (1);',
        '.eqp on',
        'SELECT a FROM t ORDER BY a;',
        '.eqp off',
        'SELECT 5;',
        '',
      ].join('\n');
      const r = lode(['-m', 'list'], sql);
      assert.equal(r.stdout, 'QUERY PLAN\n|--SCAN t\n`--USE TEMP B-TREE FOR ORDER BY\n1\n2\n5\n');
      assert.equal(r.status, 0);
    });

    it('.eqp on does not print a second plan for EXPLAIN QUERY PLAN itself', function () {
      const r = lode(['-m', 'list'], '.eqp on\nEXPLAIN QUERY PLAN SELECT 1;\n');
      assert.equal(r.stdout, 'QUERY PLAN\n`--SCAN CONSTANT ROW\n');
    });

    it('.eqp without on or off is an error', function () {
      const r = lode(['-m', 'list'], '.eqp\n');
      assert.equal(r.stderr, 'Usage: .eqp off|on|trace|trigger|full\n');
      assert.equal(r.status, 1);
    });
  });

  describe('errors', function () {
    it('reports a syntax error on stderr with its line, goes on, and exits with 1', function () {
      const r = lode(['-m', 'list'], 'SELEC 1;\nSELECT 2;\n');
      assert.equal(r.stdout, '2\n');
      assert.equal(r.stderr, 'Parse error near line 1: near "SELEC": syntax error\n  SELEC 1;\n  ^--- error here\n');
      assert.equal(r.status, 1);
    });

    it('reports a missing table', function () {
      const r = lode(['-m', 'list'], 'SELECT * FROM nope;\n');
      assert.equal(r.stderr, 'Parse error near line 1: no such table: nope\n');
      assert.equal(r.status, 1);
    });

    it('reports a constraint failure as a runtime error and keeps the earlier rows', function () {
      const sql = [
        'CREATE TABLE t(id INTEGER PRIMARY KEY, v);',
        "INSERT INTO t VALUES (1, 'a');",
        "INSERT INTO t VALUES (1, 'b');",
        'SELECT id, v FROM t;',
        '',
      ].join('\n');
      const r = lode(['-m', 'list'], sql);
      assert.equal(r.stderr, 'Runtime error near line 3: UNIQUE constraint failed: t.id (19)\n');
      assert.equal(r.stdout, '1|a\n');
      assert.equal(r.status, 1);
    });

    it('skips the rest of a line after a failing statement, like sqlite3', function () {
      const r = lode(['-m', 'list'], 'SELECT 1; SELEC; SELECT 2;\nSELECT 3;\n');
      assert.equal(r.stdout, '1\n3\n');
      assert.equal(r.status, 1);
    });

    it('rejects an unknown dot command', function () {
      const r = lode(['-m', 'list'], '.frobnicate\nSELECT 1;\n');
      assert.match(r.stderr, /^Error: unknown command or invalid arguments: {2}"frobnicate"/);
      assert.equal(r.stdout, '1\n');
      assert.equal(r.status, 1);
    });

    it('rejects an unknown option', function () {
      const r = lode(['--no-such-option'], '');
      assert.match(r.stderr, /unknown option: --no-such-option/);
      assert.equal(r.status, 1);
    });

    it('rejects an unknown output mode', function () {
      const r = lode(['-m', 'fancy'], '');
      assert.match(r.stderr, /unknown output mode "fancy"/);
      assert.equal(r.status, 1);
    });
  });

  describe('dot commands', function () {
    const schema = [
      'CREATE TABLE b(x);',
      'CREATE TABLE a(y INT, z TEXT);',
      'CREATE TABLE longername(q);',
      '',
    ].join('\n');

    it('.tables lists the tables sorted, in columns like sqlite3', function () {
      const r = lode(['-m', 'list'], schema + '.tables\n');
      assert.equal(r.stdout, 'a           b           longername\n');
      assert.equal(r.status, 0);
    });

    it('.tables PATTERN filters with LIKE', function () {
      const r = lode(['-m', 'list'], schema + '.tables l%\n');
      assert.equal(r.stdout, 'longername\n');
    });

    it('.schema prints every CREATE statement with a semicolon', function () {
      const r = lode(['-m', 'list'], schema + '.schema\n');
      assert.equal(
        r.stdout,
        'CREATE TABLE b(x);\nCREATE TABLE a(y INT, z TEXT);\nCREATE TABLE longername(q);\n',
      );
    });

    it('.schema TABLE prints that table only', function () {
      const r = lode(['-m', 'list'], schema + '.schema a\n');
      assert.equal(r.stdout, 'CREATE TABLE a(y INT, z TEXT);\n');
    });

    it('.schema --indent lays a long CREATE out one column a line, as sqlite3 does', function () {
      const ddl =
        'CREATE TABLE wide(aaaaaaaaaaaaaa integer, bbbbbbbbbbbbbbbbbbbb text, ' +
        "c TEXT DEFAULT 'x(y, z)', dddddd real);\n" +
        'CREATE TABLE short  ( a ,  b );\n';
      const r = lode(['-m', 'list'], ddl + '.schema --indent\n');
      assert.equal(
        r.stdout,
        'CREATE TABLE wide(\n  aaaaaaaaaaaaaa integer,\n  bbbbbbbbbbbbbbbbbbbb text,\n' +
          "  c TEXT DEFAULT 'x(y, z)',\n  dddddd real\n);\nCREATE TABLE short(a , b);\n",
      );
      assert.equal(lode(['-m', 'list'], ddl + '.schema --bogus\n').stderr, 'Unknown option: "--bogus"\n');
    });

    it('.headers on prints column names in list mode', function () {
      const r = lode(['-m', 'list'], ".headers on\nSELECT 1 AS x, 'a' AS y;\n.headers off\nSELECT 2;\n");
      assert.equal(r.stdout, 'x|y\n1|a\n2\n');
    });

    it('.mode switches between list and pretty', function () {
      const r = lode(['-m', 'list'], '.mode pretty\nSELECT 1;\n.mode list\nSELECT 2;\n.mode\n');
      assert.equal(r.stdout, '┌───┐\n│ 1 │\n├───┤\n│ 1 │\n└───┘\n2\ncurrent output mode: list\n');
    });

    it('.help lists the commands', function () {
      const r = lode(['-m', 'list'], '.help\n');
      for (const cmd of ['.help', '.quit', '.exit', '.tables', '.schema', '.mode', '.open', '.headers']) {
        assert.ok(r.stdout.includes(cmd), `${cmd} missing from .help`);
      }
    });

    it('.quit stops reading input', function () {
      const r = lode(['-m', 'list'], 'SELECT 1;\n.quit\nSELECT 2;\n');
      assert.equal(r.stdout, '1\n');
      assert.equal(r.status, 0);
    });

    it('.exit CODE exits with that status', function () {
      const r = lode(['-m', 'list'], '.exit 3\nSELECT 2;\n');
      assert.equal(r.stdout, '');
      assert.equal(r.status, 3);
    });

    it('.dbconfig OPTION on|off sets and prints a setting, right-aligned as sqlite3 prints it', function () {
      const r = lode(['-m', 'list'], '.dbconfig enable_fkey on\nPRAGMA foreign_keys;\n.dbconfig defensive\n.dbconfig dqs_dml on\n');
      assert.equal(r.stdout, '        enable_fkey on\n1\n          defensive off\n            dqs_dml on\n');
      assert.equal(r.status, 0);
    });

    it('.dbconfig lists every setting, and names an unknown one without failing', function () {
      const r = lode(['-m', 'list'], '.dbconfig\n.dbconfig bogus\nSELECT 1;\n');
      const lines = r.stdout.split('\n');
      assert.equal(lines.length, 16 + 2);
      assert.equal(lines[0], '          defensive off');
      assert.equal(lines[15], '    writable_schema off');
      assert.equal(lines[16], '1');
      assert.equal(r.stderr, 'Error: unknown dbconfig "bogus"\nEnter ".dbconfig" with no arguments for a list\n');
    });

    it('lets SQL call load_extension(), as sqlite3 enables it on the connections it opens', function () {
      const r = lode(['-m', 'list'], "SELECT load_extension('/nonexistent/libnothing');\n");
      assert.ok(!r.stderr.includes('not authorized'), r.stderr);
      assert.match(r.stderr, /nonexistent/);
    });

    it('.open switches to a file database', function () {
      const file = join(dir, 'open.db');
      const r = lode(['-m', 'list'], `.open ${file}\nCREATE TABLE t(x);\nINSERT INTO t VALUES (42);\n`);
      assert.equal(r.stderr, '');
      const r2 = lode(['-m', 'list', file], 'SELECT x FROM t;\n');
      assert.equal(r2.stdout, '42\n');
    });
  });

  describe('file databases', function () {
    it('keep their rows across two runs', function () {
      const file = join(dir, 'persist.db');
      const r1 = lode(['-m', 'list', file], "CREATE TABLE t(a, b);\nINSERT INTO t VALUES (1, 'x'), (2, 'y');\n");
      assert.equal(r1.stderr, '');
      assert.equal(r1.status, 0);
      assert.ok(existsSync(file));
      const r2 = lode(['-m', 'list', file], 'SELECT a, b FROM t ORDER BY a;\n');
      assert.equal(r2.stdout, '1|x\n2|y\n');
      assert.equal(r2.status, 0);
    });
  });

  describe('options', function () {
    it('--version prints the version', function () {
      const r = lode(['--version'], '');
      assert.equal(r.stdout, 'Lode v0.1.0\n');
      assert.equal(r.status, 0);
    });

    it('--help prints the usage', function () {
      const r = lode(['-h'], '');
      assert.match(r.stdout, /^Usage: lode \[OPTIONS\] \[DATABASE\]/);
      assert.match(r.stdout, /--output-mode/);
      assert.equal(r.status, 0);
    });
  });

  describe('on a terminal', function () {
    // `script` (util-linux) runs the shell on a pseudo-terminal; its output
    // has CRLF line ends and echoes the input.
    function onTerminal(args, input) {
      const cmd = [LODE, ...args].map((a) => `'${a}'`).join(' ');
      const r = spawnSync(SCRIPT, ['-qec', cmd, '/dev/null'], { input, encoding: 'utf8', timeout: 20000 });
      if (r.error) throw r.error;
      return { out: r.stdout.replace(/\r\n/g, '\n'), status: r.status };
    }

    before(function () {
      if (!existsSync(SCRIPT)) this.skip();
    });

    it('prints the banner and the prompt, defaulting to pretty mode', function () {
      const r = onTerminal([], 'SELECT 1;\n.quit\n');
      assert.ok(
        r.out.includes(
          'Lode v0.1.0 (compatible with SQLite version 3.53.2)\nEnter ".help" for usage hints.\n' +
            'Connected to a transient in-memory database.\n' +
            'Use ".open FILENAME" to reopen on a persistent database\n',
        ),
        r.out,
      );
      assert.ok(r.out.includes('lode> '), r.out);
      assert.ok(r.out.includes('┌───┐\n│ 1 │\n├───┤\n│ 1 │\n└───┘\n'), r.out);
    });

    it('shows the continuation prompt for an unfinished statement', function () {
      const r = onTerminal([], 'SELECT\n42;\n.quit\n');
      assert.ok(r.out.includes('   ...> '), r.out);
      assert.ok(r.out.includes('│ 42 │'), r.out);
    });

    it('keeps going after an error and exits with 0', function () {
      const r = onTerminal(['-m', 'list'], 'SELEC 1;\nSELECT 7;\n.quit\n');
      assert.ok(r.out.includes('Parse error: near "SELEC": syntax error'), r.out);
      assert.match(r.out, /^(lode> )?7$/m);
      assert.equal(r.status, 0);
    });

    it('.prompt replaces both prompts', function () {
      const r = onTerminal(['-q'], '.prompt "db> " "  -> "\nSELECT\n42;\n.quit\n');
      assert.ok(r.out.includes('db> '), r.out);
      assert.ok(r.out.includes('  -> '), r.out);
      assert.ok(!r.out.includes('   ...> '), r.out);
    });

    it('does not print the banner with -q', function () {
      const r = onTerminal(['-q'], '.quit\n');
      assert.ok(!r.out.includes('Enter ".help"'), r.out);
      assert.ok(r.out.includes('lode> '), r.out);
    });
  });
});
