// Helpers shared by the shell, interop and differential tests: where the two
// shells are, how to run them on a script, and how their error lines are
// made comparable.
//
// LODE_SHELL=path overrides the lode binary (default out/lode), e.g. to run
// the suites against out-san/lode.  SQLITE3=path overrides /usr/bin/sqlite3.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const LODE = process.env.LODE_SHELL || join(root, 'out', 'lode');
export const SQLITE3 = process.env.SQLITE3 || '/usr/bin/sqlite3';
export const haveSqlite3 = existsSync(SQLITE3);

const MAX_BUFFER = 256 * 1024 * 1024;

/** Throws a clear message when the lode binary has not been built. */
export function requireLode() {
  if (!existsSync(LODE)) throw new Error(`${LODE} is missing: run make first`);
}

/** Skips (locally) or fails (CI) a suite that needs the sqlite3 CLI. */
export function requireSqlite3(ctx) {
  if (haveSqlite3) return;
  if (process.env.CI) throw new Error(`${SQLITE3} is missing (apt-get install sqlite3)`);
  ctx.skip();
}

/** Runs a program with input on stdin; stdout and stderr kept apart. */
export function run(cmd, args, input, { encoding = 'utf8', timeout = 120000 } = {}) {
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const r = spawnSync(cmd, args, { input: data, encoding, maxBuffer: MAX_BUFFER, timeout });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

/** Runs a program with stdout and stderr going to one file, so that rows and
 *  error messages stay in the order they were printed. */
export function runMerged(cmd, args, input, { timeout = 120000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lode-merged-'));
  const file = join(dir, 'out');
  const fd = openSync(file, 'w');
  try {
    const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    const r = spawnSync(cmd, args, { input: data, stdio: ['pipe', fd, fd], timeout });
    if (r.error) throw r.error;
    closeSync(fd);
    return { output: readFileSync(file, 'latin1'), status: r.status, signal: r.signal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** runMerged without blocking, so that two shells can run at once (the
 *  oracle and Lode on the same script).  A process still running after
 *  timeout ms is killed, and the result says so (signal). */
export function runMergedAsync(cmd, args, input, { timeout = 120000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lode-merged-'));
  const file = join(dir, 'out');
  const fd = openSync(file, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', fd, fd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.stdin.on('error', () => {}); // a shell that exits early closes its stdin
    child.stdin.end(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
    child.on('error', (e) => {
      clearTimeout(timer);
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      closeSync(fd);
      const output = readFileSync(file, 'latin1');
      rmSync(dir, { recursive: true, force: true });
      resolve({ output, status, signal });
    });
  });
}

export const lode = (args, input, opts) => run(LODE, args, input, opts);
export const sqlite3 = (args, input, opts) => run(SQLITE3, args, input, opts);

/** REAL text is where the two oracles part: Lode renders a REAL as SQLite
 *  3.53 does (up to 17 significant digits: 0.1+0.2 → 0.30000000000000004,
 *  1e15 → 1000000000000000.0), the sqlite3 3.40 CLI as "%!.15g" (0.3,
 *  1.0e+15) and its quote() as "%!.20e" when 15 digits do not read back.
 *  The shells print REAL columns alike; what differs is text made by SQL
 *  (CAST, ||, quote(), JSON).  So a decimal with a point and 16 or more
 *  significant digits, or 16 or more before the point, is rewritten in both
 *  outputs as "%!.15g" of the double it reads as: the value is still compared
 *  to 15 digits, and test/js/real-text.test.mjs compares the 17-digit text
 *  itself with SQLite 3.53. */
// Letters may touch it: SQL glues text to a number ('x' || 1e19) and upper() turns its "e" into "E".
const LONG_REAL = /(?<![\d.])-?\d+\.\d+(?:[eE][+-]?\d+)?(?![\d.])/g;

function real15(token) {
  const m = /^-?(\d+)\.(\d+)/.exec(token);
  const significant = (m[1] + m[2]).replace(/^0+/, '').replace(/0+$/, '');
  if (significant.length < 16 && m[1].replace(/^0+/, '').length < 16) return token;
  const r = Number(token);
  if (!Number.isFinite(r) || r === 0) return token;
  const [mantissa, exp] = Math.abs(r).toExponential(14).split('e');
  const e = Number(exp);
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  let body;
  if (e < -4 || e >= 15) {
    body = `${digits[0]}.${digits.slice(1) || '0'}${/E/.test(token) ? 'E' : 'e'}${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (e < 0) {
    body = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else {
    body = `${digits.slice(0, e + 1).padEnd(e + 1, '0')}.${digits.slice(e + 1) || '0'}`;
  }
  return (r < 0 ? '-' : '') + body;
}

/** Text with every long REAL rendering rewritten as 3.40's "%!.15g". */
export function realTextAs340(text) {
  return text.replace(LONG_REAL, real15);
}

/** Makes the output of either shell comparable: every error line becomes
 *  "ERROR: <message>".  sqlite3 writes "Parse error near line N: MSG",
 *  "Runtime error near line N: MSG (CODE)" or "Error: MSG", followed for
 *  parse errors by two lines that point at the error position; lode writes
 *  "Parse error: MSG" or "Runtime error: MSG". */
/** EXPLAIN QUERY PLAN's Bloom filter lines are left out, and the tree's last-child marks with them (a line
 *  left out changes the marks of the lines around it): SQLite 3.40 adds Bloom filters in other cases than
 *  3.53, the oracle for them (test/diff53/bloom_filters.sql, test/js/bloom-random.mjs). */
function treeLine(line) {
  const m = /^((?:[| ] {2})*)([|`])--(.*)$/.exec(line);
  if (!m) return line;
  if (/^(?:CREATE )?BLOOM FILTER\b/.test(m[3])) return null;
  return `${m[1].replace(/ {3}/g, '|  ')}|--${m[3]}`;
}

export function normalize(text) {
  const lines = realTextAs340(text).split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = treeLine(lines[i]);
    if (line === null) continue;
    if (/^\s*(?:\^--- error here|error here ---\^)$/.test(line)) {
      out.pop(); // the quoted SQL above the caret
      continue;
    }
    const m = /^(?:Parse error|Runtime error|Error)(?: near line \d+)?: (.*)$/.exec(line);
    if (m) {
      out.push(`ERROR: ${m[1].replace(/ \(\d+\)$/, '')}`);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Runs a SQL script through both shells (list mode; by default on fresh
 *  in-memory databases, else on the files given as { sqliteDb, lodeDb }) and
 *  returns their normalized merged outputs and exit statuses. */
export function runBoth(sql, { sqliteDb = ':memory:', lodeDb = ':memory:' } = {}) {
  const s = runMerged(SQLITE3, ['-batch', '-list', sqliteDb], sql);
  const l = runMerged(LODE, ['-m', 'list', lodeDb], sql);
  return {
    sqlite: normalize(s.output),
    lode: normalize(l.output) + (l.signal ? `\n<lode killed by ${l.signal}>` : ''),
    sqliteStatus: s.status,
    lodeStatus: l.status,
  };
}

/** A readable account of the first lines where two outputs part. */
export function firstDifference(expected, actual, context = 3) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return null;
  const from = Math.max(0, i - context);
  const show = (lines) =>
    lines
      .slice(from, i + context + 1)
      .map((l, k) => `${from + k === i ? '>' : ' '} ${JSON.stringify(l)}`)
      .join('\n');
  return `outputs part at line ${i + 1}\n--- sqlite3:\n${show(a)}\n--- lode:\n${show(b)}`;
}

const MARK = '#@';

/** Runs a script through both shells with a marker row after every line
 *  that holds SQL, and returns, per such line, what each shell printed for
 *  it: { mismatches: [{ line, sql, sqlite, lode }], sqliteStatus, lodeStatus }.
 *  A script line must hold whole statements for the attribution to be exact.
 *  dbs: the database files, as for runBoth. */
export function compareScript(sql, dbs = {}) {
  const lines = sql.split('\n');
  const marked = [];
  lines.forEach((text, i) => {
    marked.push(text);
    if (text.trim() && !text.trim().startsWith('--')) marked.push(`SELECT '${MARK}${i + 1}' AS "${MARK}";`);
  });
  const r = runBoth(marked.join('\n') + '\n', dbs);
  const split = (out) => {
    const chunks = new Map();
    let current = [];
    for (const line of out.split('\n')) {
      if (line === MARK) continue; // the marker's header line under .headers on
      const m = line.startsWith(MARK) ? Number(line.slice(MARK.length)) : NaN;
      if (Number.isInteger(m)) {
        chunks.set(m, current.join('\n'));
        current = [];
      } else {
        current.push(line);
      }
    }
    chunks.set('end', current.join('\n'));
    return chunks;
  };
  const a = split(r.sqlite);
  const b = split(r.lode);
  const mismatches = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(key) === b.get(key)) continue;
    mismatches.push({
      line: key,
      sql: key === 'end' ? '(after the last marker)' : lines[key - 1],
      sqlite: a.get(key) ?? '<no marker: output lost>',
      lode: b.get(key) ?? '<no marker: output lost>',
    });
  }
  return { mismatches, sqliteStatus: r.sqliteStatus, lodeStatus: r.lodeStatus };
}

/** A report of the mismatches of compareScript, for assertion messages. */
export function describeMismatches(file, mismatches, limit = 40) {
  const shown = mismatches.slice(0, limit).map(
    (m) =>
      `  line ${m.line}: ${m.sql}\n    sqlite3: ${JSON.stringify(m.sqlite)}\n    lode:    ${JSON.stringify(m.lode)}`,
  );
  const more = mismatches.length > limit ? `\n  ... and ${mismatches.length - limit} more` : '';
  return `${file}: ${mismatches.length} statement(s) differ\n${shown.join('\n')}${more}`;
}

/** What a shell ('lode' or 'sqlite3', in list mode) prints for a script on a
 *  database file, errors in place, normalized. */
export function shellOutput(which, file, sql) {
  const r = which === 'lode'
    ? runMerged(LODE, ['-m', 'list', file], sql)
    : runMerged(SQLITE3, ['-batch', '-list', file], sql);
  return normalize(r.output);
}

/** mulberry32: a small seeded PRNG with a 32-bit state, floats in [0, 1). */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits an output where a script printed "#<n>" after its n-th query:
 *  parts[n] is what query n printed. */
export function splitMarked(out) {
  const parts = [];
  let cur = [];
  for (const line of out.split('\n')) {
    const m = /^#(\d+)$/.exec(line);
    if (m) {
      parts[Number(m[1])] = cur.join('\n');
      cur = [];
    } else cur.push(line);
  }
  return parts;
}
