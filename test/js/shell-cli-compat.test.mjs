// The `lode` shell as a drop-in for the sqlite3 3.40 CLI: the options of its
// command line (-init, -version, -help, -stats, -safe, -nonce, ...), the
// messages its dot commands give, backslash escapes in their arguments,
// .import's options and header renaming, .dump's rowids, and the SQL
// functions sqlite3's shell registers on each connection (readfile,
// writefile, edit, decimal, ieee754), each against Debian's sqlite3 where
// the two must agree byte for byte.
import assert from 'node:assert/strict';
import {
  chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync,
  utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lode, requireLode, requireSqlite3, sqlite3 } from '../diff/lib.mjs';

let dir;
before(function () {
  requireLode();
  dir = mkdtempSync(join(tmpdir(), 'lode-cli-'));
});
after(function () {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Runs the same input through both shells; stdout, stderr and status must agree.
function same(args, input) {
  const want = sqlite3(args, input);
  const got = lode(args, input);
  assert.equal(got.stdout, want.stdout, 'stdout');
  assert.equal(got.stderr, want.stderr, 'stderr');
  assert.equal(got.status, want.status, 'status');
  return got;
}

describe('lode shell: sqlite3 3.40 command-line options', function () {
  it('-init FILE runs the file before the input and -cmd, and a missing one is an error', function () {
    const init = join(dir, 'init.sql');
    writeFileSync(init, "CREATE TABLE i(x);\nINSERT INTO i VALUES('init');\n.mode csv\n");
    const r = lode(['-init', init, ':memory:', '-cmd', "INSERT INTO i VALUES('cmd')"], 'SELECT x FROM i;\n');
    assert.equal(r.stdout, 'init\r\ncmd\r\n');
    assert.equal(r.status, 0);
    const bad = lode(['-init', join(dir, 'none.sql'), ':memory:'], 'SELECT 1;\n');
    assert.match(bad.stderr, /none\.sql/);
    assert.equal(bad.status, 1);
  });

  it('-version prints version, source date and time, and a build name as sqlite3 -version', function () {
    const r = lode(['-version'], '');
    assert.match(r.stdout, /^3\.\d+\.\d+ 20\d\d-[01]\d-\d\d \d\d:\d\d:\d\d [0-9a-f]\S*\n$/);
    assert.equal(lode(['--version'], '').stdout, 'Lode v0.1.0\n');
  });

  it('-help prints the usage on stderr and exits 1, naming sqlite3\'s options', function () {
    const r = lode(['-help'], '');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    for (const opt of ['-init', '-version', '-safe', '-stats', '-nonce', '-vfs', '-mmap']) {
      assert.ok(r.stderr.includes(opt), opt);
    }
  });

  it('-stats turns .stats on, -interactive prints the banner naming the SQLite version', function () {
    assert.match(lode(['-stats', ':memory:'], '.show\n').stdout, /stats: on/);
    assert.match(lode([':memory:'], '.show\n').stdout, /stats: off/);
    const r = lode(['-interactive', ':memory:'], '.quit\n');
    assert.match(r.stdout, /SQLite version 3\.\d+/);
    assert.match(r.stdout, /Enter "\.help" for usage hints/);
  });

  it('accepts the pool sizes, -memtrace, -nofollow, -mmap and -vfs; refuses an unknown VFS and -zip', function () {
    const r = lode(['-lookaside', '1200', '100', '-pagecache', '4096', '10', '-maxsize', '9', '-memtrace', '-nofollow',
      '-mmap', '0', '-vfs', 'unix', '-box', ':memory:'], 'SELECT 1 AS x;\n');
    assert.equal(r.stdout, '┌───┐\n│ x │\n├───┤\n│ 1 │\n└───┘\n');
    assert.equal(r.status, 0);
    const vfs = lode(['-vfs', 'nosuch', ':memory:'], ''); /* no input: the shell ends before reading any */
    assert.equal(vfs.stderr, 'no such VFS: "nosuch"\n');
    assert.equal(vfs.status, 1);
    assert.equal(lode(['-zip', ':memory:'], '').status, 1);
    assert.match(lode(['-lookaside', '10'], '').stderr, /missing argument to -lookaside/);
  });
});

describe('lode shell: -safe', function () {
  before(function () {
    requireSqlite3(this);
  });

  for (const [what, input] of [
    ['edit()', "\n SELECT edit('x');\n"],
    ['writefile()', "SELECT 1;\nSELECT writefile('x', 'y');\nSELECT 2;\n"],
    ['readfile()', "SELECT readfile('x');\n"],
    ['load_extension()', "SELECT load_extension('x');\n"],
    ['ATTACH', "ATTACH 'x.db' AS x;\n"],
    ['.shell', '.shell echo no\n'],
    ['.system', '.system echo no\n'],
    ['.sh (.shell shortened)', '.sh echo no\n'],
    ['.clone', '.clone x.db\n'],
    ['.excel', '.excel\n'],
    ['.ar (named .archive in the message)', '.ar -t\n'],
    ['.output', '.output x\n'],
    ['.once', '.once x\n'],
    ['.read', '.read x\n'],
    ['.import', '.import x t\n'],
    ['.open of a file', '.open :memory:\n.open x.db\n'],
    ['a wrong .nonce', '.nonce abc\n'],
  ]) {
    it(`refuses ${what} as sqlite3 -safe does, ending the shell with status 1`, function () {
      const r = same(['-safe', ':memory:'], input);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^line \d+: /);
    });
  }

  it('-nonce lets the one line after a right .nonce do anything', function () {
    const r = same(['-safe', '-nonce', 'n1', ':memory:'], '.nonce n1\n.shell echo yes\n.shell echo no\n');
    assert.equal(r.stdout, 'yes\n');
  });

  it('keeps .auth\'s listing and still refuses', function () {
    const r = lode(['-safe', ':memory:'], ".auth on\nSELECT 1;\nSELECT readfile('x');\n");
    assert.match(r.stdout, /authorizer: SELECT/);
    assert.match(r.stderr, /^line 3: cannot use the readfile\(\) function in safe mode\n$/);
  });
});

describe('lode shell: dot command messages and arguments as sqlite3 3.40', function () {
  before(function () {
    requireSqlite3(this);
  });

  it('.mode lists sqlite3\'s modes in its error, and pretty still works', function () {
    same([':memory:'], '.mode bogus\n');
    assert.match(lode([':memory:'], '.mode pretty\nSELECT 1 AS a;\n').stdout, /│ a │/);
  });

  it('warns of a word that is no boolean, .explain included', function () {
    same([':memory:'], '.explain "1 2 3"\n.headers maybe\n.echo 0x10\n.changes 2\n');
  });

  it('gives usage errors for extra arguments (.indexes, .show, .output, .once)', function () {
    same([':memory:'], '.indexes a b\n');
    same([':memory:'], '.show x\n');
    same([':memory:'], `.output ${join(dir, 'o.txt')} extra\n`);
    same([':memory:'], `.once ${join(dir, 'o.txt')} extra\n`);
    same([':memory:'], '.eqp on x\n');
    same([':memory:'], '.eqp full\n.binary\n');
    same([':memory:'], '.load\n');
  });

  it('.read that reads itself stops at sqlite3\'s nesting limit', function () {
    const f = join(dir, 'self.sql');
    writeFileSync(f, `.read ${f}\n`);
    const r = same([':memory:'], `.read ${f}\n`);
    assert.equal(r.stderr, 'Input nesting limit (25) reached at line 1. Check recursion.\n');
  });

  it('reads C escapes, octal ones included, in "..." and unquoted words, not in \'...\'', function () {
    const r = same([':memory:'], '.print "a\\055b\\tc\\"d" \'a\\055b\' x\\101y\\qz \\e\\a\\v\\f\\r|\n');
    assert.ok(r.stdout.startsWith('a-b\tc"d a\\055b xAyqz e\x07\x0b\x0c\r|'));
    // every byte (but NUL and CR) through .print, as sqlite3's own shell1-5.0
    let input = '';
    for (let i = 1; i < 256; i++) if (i !== 13) input += `.print "\\${i.toString(8).padStart(3, '0')}"\n`;
    const want = sqlite3([':memory:'], Buffer.from(input), { encoding: 'buffer' });
    const got = lode([':memory:'], Buffer.from(input), { encoding: 'buffer' });
    assert.deepEqual(got.stdout, want.stdout);
  });

  it('.schema takes \\ as the escape of its LIKE pattern; .tables does not', function () {
    const db = join(dir, 'under.db');
    sqlite3([db], 'CREATE TABLE Z(x); CREATE TABLE _(x); CREATE TABLE YY(x); CREATE TABLE __(x);');
    same([db], '.schema _\n.schema \\\\_\n.schema \'\\_\\_\'\n.tables \'\\_\'\n.dump \'\\_\'\n');
  });

  it('.dump --preserve-rowids keeps the rowid of INTEGER PRIMARY KEY DESC and names it as sqlite3 does', function () {
    const db = join(dir, 'rowids.db');
    sqlite3([db], 'CREATE TABLE [table](x INTEGER PRIMARY KEY DESC, y); INSERT INTO [table] VALUES(12,1),(5,2);' +
      "CREATE TABLE t1(_ROWID_,rowid,oid); INSERT INTO t1 VALUES(1,2,3);" +
      'CREATE TABLE t2(rowid, a); INSERT INTO t2 VALUES(5,6); CREATE TABLE t3(i INTEGER PRIMARY KEY, b);' +
      'INSERT INTO t3 VALUES(7,8);');
    const r = same([db], '.dump --preserve-rowids\n');
    assert.match(r.stdout, /INSERT INTO "table"\(rowid,x,y\) VALUES\(1,12,1\);/);
    assert.match(r.stdout, /INSERT INTO t2\(_rowid_,rowid,a\) VALUES\(1,5,6\);/);
    assert.match(r.stdout, /INSERT INTO t1 VALUES\(1,2,3\);/);
  });

  it('.restore of a file that does not exist creates it and leaves the database empty and usable', function () {
    for (const shell of [sqlite3, lode]) {
      const db = join(dir, `restore-${shell === lode ? 'lode' : 'sqlite3'}.db`);
      const none = join(dir, `restore-none-${shell === lode ? 'lode' : 'sqlite3'}.db`);
      shell([db], 'CREATE TABLE x(a); INSERT INTO x VALUES(1);');
      const r = shell([db], `.restore ${none}
PRAGMA page_count;
PRAGMA schema_version;
CREATE TABLE y(b);
.tables
`);
      assert.equal(r.stderr, '', shell === lode ? 'lode' : 'sqlite3');
      assert.equal(r.stdout, '1\n2\ny\n');
      assert.equal(r.status, 0);
      assert.ok(existsSync(none));
      assert.equal(sqlite3([db], 'PRAGMA integrity_check;').stdout, 'ok\n');
    }
  });
});

describe('lode shell: .import as sqlite3 3.40', function () {
  before(function () {
    requireSqlite3(this);
  });

  it('reports a missing FILE or TABLE, an extra argument and an unknown option with the usage', function () {
    for (const cmd of ['.import', '.import FOO', '.import FOO BAR BAD', '.import --bad FOO BAR']) {
      const r = lode([':memory:'], `${cmd}\n`);
      assert.equal(r.status, 1, cmd);
      assert.match(r.stdout, /^ERROR: (missing FILE|missing TABLE|extra argument: "BAD"|unknown option: "-bad")/, cmd);
      assert.match(r.stdout, /--schema S/);
    }
  });

  it('splits at list mode\'s | , skips a byte-order mark, warns of short and long rows and goes on', function () {
    const f = join(dir, 'bars.csv');
    writeFileSync(f, '\xef\xbb\xbf"two"|3\n4\n5|6|7\n8|9\n', 'latin1');
    const r = same([':memory:'], `CREATE TABLE t(x INT, y INT);\n.import ${f} t\n.mode quote\nSELECT * FROM t;\n`);
    assert.equal(r.stdout, "'two',3\n4,NULL\n5,6\n8,9\n");
  });

  it('--schema S imports into S.TABLE, creating it there; -v reports', function () {
    const f = join(dir, 'v.csv');
    writeFileSync(f, 'a,b,c,d,e\n1,2,3,4,5\n6,7,8,9,10\n');
    same([':memory:'], `ATTACH ':memory:' AS aux;\n.import -v --csv --schema aux ${f} t\n.schema aux.t\n` +
      'SELECT count(*) FROM aux.t;\n');
    same([':memory:'], `CREATE TABLE t(a,b,c,d,e);\n.import -v ${f} t\n`);
  });

  it('renames repeated and empty header names as sqlite3 does, and says so', function () {
    const cases = [
      '"","x","x","y","z","z_0","z_5","z"\n0,"x2","x3","y4","z5","z6","z7","z8"\n',
      '"COW","cow","CoW","cOw"\n"uuu","lll","ulu","lul"\n',
      'a,A,a_1,b\n1,2,3,4\n',
      'c1,c2,c3,c4,c5,c6,c7,c8,c9,c1,c11\n1,2,3,4,5,6,7,8,9,10,11\n',
    ];
    for (const [i, text] of cases.entries()) {
      const f = join(dir, `dup${i}.csv`);
      writeFileSync(f, text);
      const r = same([':memory:'], `.import -csv ${f} t\n.schema\n.mode line\nSELECT * FROM t;\n`);
      if (i < 3) assert.match(r.stderr, /^Columns renamed during \.import .* due to duplicates:\n/);
    }
  });
});

describe('lode shell: .archive (SQLite Archives in the sqlar table)', function () {
  before(function () {
    requireSqlite3(this);
  });

  function tree(root) {
    const out = [];
    const walk = (d, rel) => {
      for (const name of readdirSync(d).sort()) {
        const p = join(d, name), st = lstatSync(p), r = rel ? `${rel}/${name}` : name;
        out.push([r, st.mode, Math.floor(st.mtimeMs / 1000), st.isDirectory() ? '/' : readFileSync(p, 'latin1')]);
        if (st.isDirectory()) walk(p, r);
      }
    };
    walk(root, '');
    return out;
  }

  it('creates an archive sqlite3 lists and extracts the same, and extracts sqlite3\'s', function () {
    const src = join(dir, 'arsrc');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha');
    writeFileSync(join(src, 'sub', 'b.bin'), Buffer.from([0, 1, 2]));
    chmodSync(join(src, 'a.txt'), 0o640);
    utimesSync(join(src, 'sub', 'b.bin'), 1000000000, 1000000000);
    utimesSync(join(src, 'sub'), 1000000000, 1000000000);
    const mine = join(dir, 'mine.db'), theirs = join(dir, 'theirs.db');
    assert.equal(lode([mine], `.ar -c -C ${src} .\n`).status, 0);
    assert.equal(sqlite3([theirs], `.ar -c -C ${src} .\n`).status, 0);
    assert.equal(lode([mine], '.ar -tv\n').stdout, sqlite3([mine], '.ar -tv\n').stdout);
    assert.equal(lode([theirs], '.ar -t\n').stdout, sqlite3([theirs], '.ar -t\n').stdout);
    const x1 = join(dir, 'x1'), x2 = join(dir, 'x2');
    assert.equal(sqlite3([mine], `.ar -x -C ${x1}\n`).status, 0);
    assert.equal(lode([theirs], `.ar --extract --dir ${x2}\n`).status, 0);
    assert.deepEqual(tree(x1), tree(src));
    assert.deepEqual(tree(x2), tree(src));
  });

  it('-r removes entries (with -g by GLOB), -u adds changed files, and the errors are sqlite3\'s', function () {
    const src = join(dir, 'arsrc2');
    mkdirSync(join(src, 'd'), { recursive: true });
    for (const f of ['j1', 'j2', 'k', 'd/e']) writeFileSync(join(src, f), f);
    const db = join(dir, 'ar2.db');
    lode([db], `.ar cC ${src} .\n.ar -r ./k ./d\n.ar -g -r ./j*2\n`);
    assert.equal(lode([db], '.ar -t\n').stdout, '.\n./j1\n');
    writeFileSync(join(src, 'new'), 'n');
    lode([db], `.ar -u -C ${src} ./new ./j1\n`);
    assert.equal(lode([db], "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlar ORDER BY name);\n").stdout,
      '. ./j1 ./new\n');
    same([db], '.ar -t nosuch\n');
    for (const args of [[db, '-At'], [db, '-A', 'tv'], ['-Atf', db], [db, '-A', '-t', './j1']]) {
      const want = sqlite3(args, ''), got = lode(args, '');
      assert.equal(got.stdout, want.stdout, args.join(' '));
      assert.equal(got.status, want.status, args.join(' '));
    }
    same([db], '.ar -x --bogus\n');
    assert.match(lode(['-safe', db], '.ar -t\n').stderr, /^line 1: cannot run \.archive in safe mode/);
  });
});

describe('lode shell: readfile(), writefile() and edit()', function () {
  before(function () {
    requireSqlite3(this);
  });

  it('readfile reads bytes as a blob, NULL for what it cannot read', function () {
    const f = join(dir, 'bytes.bin');
    writeFileSync(f, Buffer.from([0, 1, 2, 255]));
    same([':memory:'], `SELECT typeof(readfile('${f}')), hex(readfile('${f}')), readfile('${dir}/none') IS NULL, ` +
      'readfile(NULL) IS NULL;\nSELECT readfile(1, 2);\n');
    // a directory: sqlite3's "string or blob too big"; a file that cannot be created: NULL, no error
    same([':memory:'], `SELECT readfile('${dir}');\nSELECT quote(writefile('${dir}', 'x')), ` +
      "quote(writefile('', 'x')), quote(writefile('/proc/none/x', 'y'));\n");
  });

  it('writefile writes text, blobs and numbers, makes parent directories, sets mode and mtime', function () {
    const sub = (name) => join(dir, name);
    const sql = `SELECT writefile('${sub('w/a/b.txt')}', 'hello'), writefile('${sub('w/c.bin')}', x'0001ff'), ` +
      `writefile('${sub('w/n.txt')}', NULL), quote(writefile(NULL, 'x')), writefile('${sub('w/r.txt')}', 12.5);\n` +
      `SELECT quote(writefile('${sub('w/d')}', NULL, 16877, 1000000000)), ` +
      `writefile('${sub('w/m.txt')}', 'm', 384, 1234567890), quote(writefile('${sub('w/l')}', 'c.bin', 41471));\n` +
      "SELECT writefile('x');\n";
    const got = lode([':memory:'], sql);
    rmSync(sub('w'), { recursive: true, force: true });
    const want = sqlite3([':memory:'], sql);
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.stderr, want.stderr);
    assert.equal(got.stdout, "5|3|0|NULL|4\nNULL|1|NULL\n");
    assert.equal(readFileSync(sub('w/a/b.txt'), 'utf8'), 'hello');
    assert.equal(readFileSync(sub('w/r.txt'), 'utf8'), '12.5');
    assert.ok(statSync(sub('w/d')).isDirectory());
    assert.equal(statSync(sub('w/d')).mtimeMs, 1e12);
    assert.equal(statSync(sub('w/m.txt')).mode & 0o777, 0o600);
    assert.equal(statSync(sub('w/m.txt')).mtimeMs, 1234567890000);
    assert.ok(lstatSync(sub('w/l')).isSymbolicLink());
    assert.equal(readlinkSync(sub('w/l')), 'c.bin');
  });

  it('edit() returns the text (or blob) as the editor left it', function () {
    const editor = join(dir, 'ed.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "%s!" "$(cat "$1")" > "$1"\n');
    chmodSync(editor, 0o755);
    const r = lode([':memory:'], `SELECT edit('abc', '${editor}'), typeof(edit(x'41', '${editor}'));\n`);
    assert.equal(r.stdout, 'abc!|blob\n');
    same([':memory:'], "SELECT edit(NULL, 'true');\nSELECT edit('x', 'false');\nSELECT quote(edit(12, 'true'));\n");
    const none = lode([':memory:'], "SELECT edit('abc', '');\n");
    assert.match(none.stderr, /no editor for edit\(\)/);
    assert.ok(!existsSync(join(dir, 'none')));
  });
});

describe('lode shell: the decimal and ieee754 functions', function () {
  before(function () {
    requireSqlite3(this);
  });

  const EXPRESSIONS = [
    "decimal('  12.50 '), decimal('abc'), decimal('1e3'), decimal('1.5e-3'), decimal('-0.00'), decimal('+007.100')",
    "decimal(12), decimal(1.5), quote(decimal(NULL)), decimal(x'31'), decimal(''), decimal('.5'), decimal('1 2')",
    "decimal(1e300), decimal('12x'), decimal('12.5e-1'), decimal('123e-5'), decimal('-123.456e2'), decimal(-0.0)",
    "decimal_add('1.5','2.25'), decimal_sub('1','2.5'), decimal_mul('-1.5','0.2'), decimal_mul('0','-3')",
    "decimal_cmp('1.0','1'), decimal_cmp('-2','1'), decimal_cmp('10','9.99'), decimal_cmp('abc','1')",
    "decimal_cmp('-1','-2'), decimal_cmp('-0.5','-0.50'), decimal_cmp('0.5','-0.5')",
    "quote(decimal_add(NULL,1)), quote(decimal_cmp(NULL,1)), decimal_sub('0.1','0.1'), decimal_add('-0.5','0.5')",
    "decimal_mul('123456789012345678901234567890','987654321098765432109876543210'), decimal_mul('0.00','5')",
    "decimal_add('99.99','0.01'), decimal_sub('-99.99','0.01'), decimal_sub('1e20','1e-20')",
    "decimal_mul('1.25','1.25'), decimal_mul('-0.001','-0.001'), decimal_add(1e300, 1)",
    "(SELECT decimal_sum(x) FROM (SELECT '1.1' x UNION ALL SELECT '2.2' UNION ALL SELECT NULL)), " +
      "(SELECT quote(decimal_sum(x)) FROM (SELECT 1 x WHERE 0)), (SELECT decimal_sum(NULL))",
    "(SELECT group_concat(x, ',') FROM (SELECT x FROM (SELECT '1.10' x UNION ALL SELECT '1.1' UNION ALL " +
      "SELECT '01.09' UNION ALL SELECT '-3' UNION ALL SELECT 'abc') ORDER BY x COLLATE decimal))",
    "(SELECT group_concat(s, ',') FROM (SELECT decimal_sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND " +
      "CURRENT ROW) s FROM (SELECT '0.5' x UNION ALL SELECT '1.25' UNION ALL SELECT '-3' UNION ALL SELECT '10')))",
    "ieee754(NULL), ieee754(0), ieee754(-0.0), ieee754(1), ieee754(-2.5), ieee754('abc'), ieee754(x'4000000000000000')",
    "ieee754(x'40'), ieee754(5e-324), ieee754(1.7976931348623157e308), ieee754(47.49), ieee754(0.1), ieee754(1e400)",
    "ieee754(1,0), ieee754(-3,1), ieee754(0,2000), ieee754(0,5), ieee754(1,-1074), ieee754(1,-1080), ieee754(1,2000)",
    "ieee754(NULL,1), ieee754(9223372036854775807,0), typeof(ieee754(1,NULL)), ieee754(0,-1074), ieee754(3,-1076)",
    "ieee754(6683623321994527,-47), ieee754(-5,-1080), ieee754(12345678901234567,3), ieee754(1,1024)",
    "quote(ieee754_to_blob(1.5)), quote(ieee754_to_blob(2)), quote(ieee754_to_blob('x')), quote(ieee754_to_blob(NULL))",
    "ieee754_from_blob(x'3ff8000000000000'), quote(ieee754_from_blob(x'01')), quote(ieee754_from_blob(1.5))",
    "ieee754_mantissa(NULL), ieee754_exponent(NULL), ieee754_mantissa(47.49), ieee754_exponent(47.49)",
    "ieee754_mantissa(-7), ieee754_exponent(1024), ieee754(x'0000000000000001'), quote(ieee754_to_blob(-0.0))",
  ];

  it('give what sqlite3\'s shell gives, NULLs and odd text included', function () {
    same([':memory:'], EXPRESSIONS.map((e) => `SELECT ${e};`).join('\n') + '\n');
  });

  it('decimal() refuses a wrong number of arguments, and the shell1-8.1 powers of two work', function () {
    same([':memory:'], 'SELECT decimal(1, 2);\n');
    const pow2 = "CREATE TABLE pow2(x INTEGER PRIMARY KEY, v TEXT);\n" +
      "WITH RECURSIVE c(x,v) AS (VALUES(0,'1') UNION ALL SELECT x+1, decimal_mul(v,'2') FROM c WHERE x+1<=971)\n" +
      '  INSERT INTO pow2(x,v) SELECT x, v FROM c;\n' +
      "WITH RECURSIVE c(x,v) AS (VALUES(-1,'0.5') UNION ALL\n" +
      "  SELECT x-1, decimal_mul(v,'0.5') FROM c WHERE x-1>=-1075)\n" +
      '  INSERT INTO pow2(x,v) SELECT x, v FROM c;\n' +
      'WITH c(n) AS (VALUES(47.49)) SELECT decimal_mul(ieee754_mantissa(c.n),pow2.v)\n' +
      '  FROM pow2, c WHERE pow2.x=ieee754_exponent(c.n);\n';
    assert.equal(same([':memory:'], pow2).stdout, '47.49000000000000198951966012828052043914794921875\n');
  });
});
