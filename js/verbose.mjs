// verbose.mjs — what the `verbose` option (better-sqlite3's) is called with:
// the text of each statement as it starts to run, its parameters replaced by
// the values bound to them, as SQLite's expanded SQL writes them (NULL,
// integers, reals with at least one decimal, 'text' with quotes doubled,
// x'hex' blobs).  exec() calls it once per statement of its text.  A text or
// blob value longer than 32 bytes shows its first 32 bytes (a text's up to
// the end of the character there) and then /*+N bytes*/ for the rest, as
// better-sqlite3's SQLite, built with SQLITE_TRACE_SIZE_LIMIT=32, writes it.
//
// Parameters are found by scanning the text, skipping string literals,
// quoted names and comments; they get SQLite's numbers: `?` the next one,
// `?NNN` NNN, a name the number it got first (or the next one).  Values
// follow the drivers' binding rules (native/addon.c: positional values in
// parameter order, named ones from the object).

const IDENT_CHAR = /[\p{L}\p{N}_$]/u;

// [{ start, end, text }] of the parameters in sql, in text order.
function scanParameters(sql) {
  const params = [];
  for (let i = 0; i < sql.length;) {
    const c = sql[i];
    const skip = skipNonCode(sql, i);
    if (skip > i) {
      i = skip;
    } else if (c === '?') {
      let j = i + 1;
      while (j < sql.length && sql[j] >= '0' && sql[j] <= '9') j++;
      params.push({ start: i, end: j, text: sql.slice(i, j) });
      i = j;
    } else if ((c === ':' || c === '@' || c === '$') && IDENT_CHAR.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && (IDENT_CHAR.test(sql[j]) || (c === '$' && sql[j] === ':' && sql[j + 1] === ':'))) {
        j += sql[j] === ':' ? 2 : 1;
      }
      params.push({ start: i, end: j, text: sql.slice(i, j) });
      i = j;
    } else {
      i++;
    }
  }
  return params;
}

// Past a string literal, a quoted name or a comment that starts at i, or i
// itself when none does.
function skipNonCode(sql, i) {
  const c = sql[i];
  if (c === "'" || c === '"' || c === '`') return skipQuoted(sql, i, c);
  let close, from;
  if (c === '[') [close, from] = [']', i + 1];
  else if (c === '-' && sql[i + 1] === '-') [close, from] = ['\n', i + 2];
  else if (c === '/' && sql[i + 1] === '*') [close, from] = ['*/', i + 2];
  else return i;
  const j = sql.indexOf(close, from);
  return j < 0 ? sql.length : j + close.length;
}

function skipQuoted(sql, i, q) {
  for (let j = i + 1; j < sql.length; j++) {
    if (sql[j] !== q) continue;
    if (sql[j + 1] === q) j++;
    else return j + 1;
  }
  return sql.length;
}

// A REAL as SQLite's "%!.15g": 15 significant digits, always a decimal point.
function realText(x) {
  if (!Number.isFinite(x)) return x > 0 ? '9.0e+999' : x < 0 ? '-9.0e+999' : 'NULL';
  let [mantissa, exp] = x.toPrecision(15).split('e');
  if (mantissa.includes('.')) mantissa = mantissa.replace(/0+$/, '').replace(/\.$/, '.0');
  else mantissa += '.0';
  if (exp === undefined) return mantissa;
  const n = Number(exp);
  return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

const INT64_LIMIT = 2 ** 63;
const TRACE_SIZE_LIMIT = 32;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

// The first bytes of a value, and the rest's size as SQLite's trace notes it.
function cut(length) {
  return length > TRACE_SIZE_LIMIT ? TRACE_SIZE_LIMIT : length;
}

function moreBytes(kept, length) {
  return kept < length ? `/*+${length - kept} bytes*/` : '';
}

function textLiteral(v) {
  const bytes = utf8.encode(v);
  let n = cut(bytes.length);
  while (n < bytes.length && (bytes[n] & 0xc0) === 0x80) n++; // not inside a character
  const text = n < bytes.length ? fromUtf8.decode(bytes.subarray(0, n)) : v;
  return `'${text.replace(/'/g, "''")}'${moreBytes(n, bytes.length)}`;
}

function blobLiteral(v) {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const n = cut(bytes.length);
  return `x'${hex(bytes.subarray(0, n))}'${moreBytes(n, bytes.length)}`;
}

function hex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

// A bound value as a literal, by the drivers' rules.
function literal(v) {
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return 'NULL';
      return Number.isInteger(v) && v >= -INT64_LIMIT && v < INT64_LIMIT ? BigInt(v).toString() : realText(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? '1' : '0';
    case 'string':
      return textLiteral(v);
    case 'undefined':
      return 'NULL';
    default:
      if (v === null) return 'NULL';
      if (ArrayBuffer.isView(v)) return blobLiteral(v);
      return 'NULL';
  }
}

const isNamed = (text) => text[0] === ':' || text[0] === '@' || text[0] === '$';

// sql with its parameters replaced by (positional, named), or null when
// they do not fit it (the call is about to fail: nothing runs).
export function expandSql(sql, positional, named) {
  const params = scanParameters(sql);
  if (params.length === 0) return positional.length === 0 ? sql : null;
  const numbers = new Map(); // parameter name -> number
  let max = 0;
  for (const p of params) {
    let n = numbers.get(p.text);
    if (n === undefined) {
      n = p.text.length > 1 && p.text[0] === '?' ? Number(p.text.slice(1)) : max + 1;
      if (p.text !== '?') numbers.set(p.text, n);
    }
    p.number = n;
    if (n > max) max = n;
  }
  const byNumber = new Map();
  for (const p of params) if (!byNumber.has(p.number)) byNumber.set(p.number, p.text);
  const haveNamed = named !== null && typeof named === 'object';
  const values = new Map();
  let used = 0;
  for (let i = 1; i <= max; i++) {
    const name = byNumber.get(i) ?? '?';
    if (haveNamed && isNamed(name)) {
      const key = name.slice(1);
      if (!(key in named)) return null;
      values.set(i, named[key]);
    } else {
      const at = haveNamed ? used++ : i - 1;
      if (at >= positional.length) return null;
      if (!haveNamed) used = at + 1;
      values.set(i, positional[at]);
    }
  }
  if (used < positional.length) return null;
  let out = '';
  let from = 0;
  for (const p of params) {
    out += sql.slice(from, p.start) + literal(values.get(p.number));
    from = p.end;
  }
  return out + sql.slice(from);
}

const WORD = /[A-Za-z_]+/y;

// The statements of an exec() text, each with its closing semicolon and
// without the blanks before it (the text SQLite's exec gives each); a semicolon
// inside a CREATE TRIGGER body ends the statement only after its END.
export function splitStatements(sql) {
  const out = [];
  let start = 0;
  let words = []; // the statement's first words, to recognise CREATE TRIGGER
  let last = '';
  for (let i = 0; i < sql.length;) {
    const c = sql[i];
    const skip = skipNonCode(sql, i);
    if (skip > i) {
      if (c !== '-' && c !== '/') last = ''; /* a literal or a quoted name; comments leave it */
      i = skip;
    } else if (c === ';') {
      const trigger = words[0] === 'CREATE' && (words[1] === 'TRIGGER' || words[2] === 'TRIGGER');
      i++;
      if (!trigger || last === 'END') {
        out.push(sql.slice(start, i));
        start = i;
        words = [];
      }
      last = '';
    } else if (/[A-Za-z_]/.test(c)) {
      WORD.lastIndex = i;
      const w = WORD.exec(sql)[0].toUpperCase();
      if (words.length < 3) words.push(w);
      last = w;
      i += w.length;
    } else {
      if (!/\s/.test(c)) last = '';
      i++;
    }
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trimStart()).filter((s) => !onlyBlank(s));
}

// Whether a piece holds no statement: only comments, blanks and semicolons.
function onlyBlank(s) {
  return /^[\s;]*$/.test(s.replace(/--[^\n]*(\n|$)|\/\*[\s\S]*?(\*\/|$)/g, ''));
}
