// Seeded random test cases for the JSON functions: documents (JSON and
// JSON5 text, some with escaped keys, long strings and wide containers),
// paths that mostly exist in them, SQL values to store, and the calls that
// use them.  Each case is [sql, params].  Used by test/js/json-diff.test.mjs;
// the same cases can be run through any engine.
import { prng } from './lib.mjs';

export function jsonCaseGenerator(seed) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rnd() < p;
  const KEYS = ['a', 'b', 'c', 'key', 'a b', 'x.y', 'é', '', 'A', 'a"b', 'a\\b', '[0]', '$', 'k1'];
  const STRS = ['', 'x', 'hello', 'a"q', 'back\\slash', 'tab\there', 'nl\nx', 'é€😀', '\u0001', 'null', '123',
    '[1]',
    // a quote, backslash or control character past the first 8 bytes (the parser scans 8 at a time)
    'abcdefghij"k', 'abcdefghijklmnop\\q', 'abcdefghi\tjk', 'abcdefgh\u0000', 'éééééééé"é', 'abcdefg\'h'];
  // strings whose lengths cross the JSONB size fields (11, 255, 65535 bytes)
  const LONG = [11, 12, 250, 256, 300, 65530, 65536].map((n) => 'y'.repeat(n));
  const str = () => (chance(0.05) ? pick(LONG) : pick(STRS));
  // short decimals as SQL reals: Lode writes them in JSON exactly as SQLite
  // does (for arbitrary doubles about one in 200 differs in its 17th digit)
  const real = () => `${chance(0.3) ? '-' : ''}${int(1000)}.${int(100)}${chance(0.3) ? `e${int(40) - 20}` : ''}`;
  const REALS = ['0.5', '1.25', '-2.5', '1e10', '1.5e-7', '3.0', '100.125', '-0.0', '2E3', '1e300', '0.1',
    '123456.789'];
  const INTS = ['0', '1', '-1', '42', '9007199254740993', '-9223372036854775808', '9223372036854775807',
    '12345678901234567890'];

  function value(depth) {
    const r = rnd();
    if (depth > 3 || r < 0.45) {
      const s = rnd();
      if (s < 0.1) return null;
      if (s < 0.2) return chance(0.5);
      if (s < 0.45) return { num: pick(INTS) };
      if (s < 0.6) return { num: chance(0.5) ? pick(REALS) : real() };
      return str();
    }
    if (r < 0.7) return Array.from({ length: int(5) }, () => value(depth + 1));
    const o = { obj: [] };
    for (let i = int(5); i > 0; i--) o.obj.push([pick(KEYS), value(depth + 1)]);
    return o;
  }
  const ws = () => (chance(0.8) ? '' : pick([' ', '\n', '\t ', '  ']));
  function quote(s) {
    return JSON.stringify(s);
  }
  // JSON text; with json5 some JSON5 spellings appear
  function text(v, json5) {
    if (v === null) return 'null';
    if (v === true || v === false) return String(v);
    if (typeof v === 'string') {
      if (json5 && chance(0.2) && !v.includes("'") && !/[\\\n]/.test(v)) return `'${v}'`;
      if (json5 && chance(0.1)) return quote(v).replace(/\\u0001/g, '\\x01');
      return quote(v);
    }
    if (v.num !== undefined) {
      if (json5 && chance(0.15)) {
        return pick(['0x1F', '-0xff', '.5', '5.', '+7', 'Infinity', '-Infinity', 'NaN', '+.25', '0XaB']);
      }
      return v.num;
    }
    if (Array.isArray(v)) {
      const items = v.map((x) => ws() + text(x, json5) + ws());
      return `[${items.join(',')}${json5 && items.length && chance(0.2) ? ',' : ''}]`;
    }
    const items = v.obj.map(([k, x]) => {
      let label = json5 && /^[a-z]\w*$/.test(k) && chance(0.4) ? k : quote(k);
      if (chance(0.05) && /^[a-z]/.test(k)) label = `"\\u00${k.charCodeAt(0).toString(16)}${k.slice(1)}"`;
      return `${ws()}${label}${ws()}:${ws()}${text(x, json5)}`;
    });
    const body = items.join(',') + (json5 && items.length && chance(0.2) ? ',' : '');
    return `{${json5 && chance(0.1) ? '/* c */' : ''}${body}}`;
  }
  // Paths: mostly ones that exist in v, some that miss or are malformed.
  function path(v) {
    let p = '$';
    let cur = v;
    for (let d = int(4); d > 0; d--) {
      if (Array.isArray(cur) && chance(0.85)) {
        const n = cur.length;
        const r = rnd();
        if (r < 0.6 && n) {
          const i = int(n);
          p += `[${i}]`;
          cur = cur[i];
        } else if (r < 0.8 && n) {
          const i = 1 + int(n);
          p += `[#-${i}]`;
          cur = cur[n - i];
        } else {
          p += pick([`[${n}]`, '[#]', `[${n + 3}]`]);
          cur = undefined;
        }
      } else if (cur && cur.obj && chance(0.85)) {
        const keys = cur.obj.map(([k]) => k);
        const k = keys.length && chance(0.8) ? pick(keys) : pick(KEYS);
        p += /^[a-zA-Z]\w*$/.test(k) && chance(0.6) ? `.${k}` : `."${k.replace(/"/g, '\\"')}"`;
        const hit = cur.obj.find(([kk]) => kk === k);
        cur = hit ? hit[1] : undefined;
      } else {
        p += pick(['.a', '[0]', '.b[1]', '[#]', '."x y"']);
        cur = undefined;
      }
    }
    if (chance(0.04)) p += pick(['.', '[', '[x]', '[#-]', ' ', '"', '[-1]']);
    if (chance(0.02)) p = pick(['', 'a', '$a', '$.a.', '$[0']);
    return p;
  }
  // A value argument: [sql, params]
  function sqlValue(depth = 0) {
    const r = rnd();
    if (r < 0.15) return ['?', [BigInt(pick(INTS.slice(0, 7)))]];
    if (r < 0.25) return ['CAST(? AS REAL)', [chance(0.5) ? pick(REALS) : real()]];
    if (r < 0.45) return ['?', [str()]];
    if (r < 0.5) return ['NULL', []];
    if (r < 0.65) return ['json(?)', [text(value(1), false)]];
    if (r < 0.72) return ['jsonb(?)', [text(value(1), true)]];
    if (r < 0.8 && depth < 2) {
      const a = sqlValue(depth + 1);
      const b = sqlValue(depth + 1);
      return [`json_array(${a[0]}, ${b[0]})`, [...a[1], ...b[1]]];
    }
    if (r < 0.85 && depth < 2) {
      const b = sqlValue(depth + 1);
      return [`json_object(?, ${b[0]})`, [pick(KEYS), ...b[1]]];
    }
    if (r < 0.9) return ['x\'00\'', []];
    return ['json_quote(?)', [pick(STRS)]];
  }
  // cut at code points: a lone surrogate binds differently in the two APIs
  function corrupt(text) {
    const t = Array.from(text);
    const i = int(t.length + 1);
    const r = rnd();
    if (r < 0.4) t.splice(i, 1);
    else if (r < 0.8) t.splice(i, 0, pick([',', ']', '}', '"', ':', 'x', '0', '\\', ' ', '/*', '[', "'"]));
    else t.length = i;
    return t.join('');
  }

  return function testCase() {
    const v = value(0);
    const json5 = chance(0.25);
    const doc = text(v, json5);
    const docArg = chance(0.15) ? ['jsonb(?)', [doc]] : ['?', [doc]];
    const r = rnd();
    const P = () => path(v);
    if (r < 0.08) return [`SELECT json(${docArg[0]}), hex(jsonb(${docArg[0]}))`, [...docArg[1], ...docArg[1]]];
    if (r < 0.2) {
      const n = 1 + (chance(0.7) ? 0 : int(3));
      const ps = Array.from({ length: n }, P);
      const marks = ps.map(() => '?').join(', ');
      return [`SELECT json_extract(${docArg[0]}, ${marks}), typeof(json_extract(${docArg[0]}, ${marks}))`,
        [...docArg[1], ...ps, ...docArg[1], ...ps]];
    }
    if (r < 0.28) {
      const p = P();
      return [`SELECT ${docArg[0]} -> ?, ${docArg[0]} ->> ?, jsonb_extract(${docArg[0]}, ?)`,
        [...docArg[1], p, ...docArg[1], p, ...docArg[1], p]];
    }
    if (r < 0.32) {
      const k = chance(0.5) ? pick(KEYS) : BigInt(int(7) - 3);
      return [`SELECT ${docArg[0]} -> ?, ${docArg[0]} ->> ?`, [...docArg[1], k, ...docArg[1], k]];
    }
    if (r < 0.36) {
      const p = P();
      return [`SELECT json_type(${docArg[0]}, ?), json_array_length(${docArg[0]}, ?), json_type(${docArg[0]})`,
        [...docArg[1], p, ...docArg[1], p, ...docArg[1]]];
    }
    if (r < 0.58) {
      const fn = pick(['json_set', 'json_insert', 'json_replace', 'jsonb_set', 'jsonb_insert', 'jsonb_replace']);
      const args = [];
      const params = [...docArg[1]];
      for (let k = 1 + (chance(0.7) ? 0 : int(3)); k > 0; k--) {
        const val = sqlValue();
        args.push('?', val[0]);
        params.push(P(), ...val[1]);
      }
      const call = `${fn}(${docArg[0]}, ${args.join(', ')})`;
      return [fn.startsWith('jsonb') ? `SELECT hex(${call}), json(${call})` : `SELECT ${call}`,
        fn.startsWith('jsonb') ? [...params, ...params] : params];
    }
    if (r < 0.66) {
      const ps = Array.from({ length: 1 + int(2) }, P);
      const fn = pick(['json_remove', 'jsonb_remove']);
      const call = `${fn}(${docArg[0]}, ${ps.map(() => '?').join(', ')})`;
      return [`SELECT ${fn === 'jsonb_remove' ? `hex(${call})` : call}`, [...docArg[1], ...ps]];
    }
    if (r < 0.72) {
      const other = text(value(1), json5);
      return ['SELECT json_patch(?, ?), hex(jsonb_patch(?, ?))', [doc, other, doc, other]];
    }
    if (r < 0.8) {
      const bad = corrupt(doc);
      return ['SELECT json_valid(?), json_valid(?, 2), json_error_position(?), json(?)', [bad, bad, bad, bad]];
    }
    if (r < 0.84) {
      return ['SELECT json_valid(?, ?), json_valid(jsonb(?), ?)', [doc, BigInt(1 + int(15)), doc, BigInt(1 + int(15))]];
    }
    if (r < 0.88) return [`SELECT json_pretty(${docArg[0]}${chance(0.3) ? ", '  '" : ''})`, docArg[1]];
    if (r < 0.95) {
      const vals = Array.from({ length: int(4) }, () => sqlValue());
      const obj = chance(0.5);
      const parts = [];
      const params = [];
      for (const [s, p] of vals) {
        if (obj) {
          parts.push('?');
          params.push(pick(KEYS));
        }
        parts.push(s);
        params.push(...p);
      }
      const fn = obj ? 'json_object' : 'json_array';
      const args = parts.join(', ');
      return [`SELECT ${fn}(${args}), hex(jsonb_${fn.slice(5)}(${args}))`, [...params, ...params]];
    }
    if (r < 0.96) {
      // an edit of an edit: JSONB input with widened headers
      const v1 = sqlValue();
      const v2 = sqlValue();
      const inner = `${pick(['jsonb_set', 'jsonb_replace', 'jsonb_insert'])}(${docArg[0]}, ?, ${v1[0]})`;
      const call = `${pick(['jsonb_set', 'jsonb_replace', 'jsonb_remove', 'jsonb_patch'])}`;
      const outer = call === 'jsonb_remove' ? `${call}(${inner}, ?)`
        : call === 'jsonb_patch' ? `${call}(${inner}, ?)` : `${call}(${inner}, ?, ${v2[0]})`;
      const params = [...docArg[1], P(), ...v1[1], call === 'jsonb_patch' ? text(value(1), false) : P(),
        ...(call === 'jsonb_remove' || call === 'jsonb_patch' ? [] : v2[1])];
      return [`SELECT hex(${outer}), json_valid(${outer}, 8), json(${outer})`, [...params, ...params, ...params]];
    }
    if (r < 0.98) {
      // aggregates over a few rows
      const rows = Array.from({ length: 1 + int(4) }, () => [pick(KEYS), sqlValue()]);
      const from = rows.map(([, [e]], i) => `SELECT ? AS k, ${e} AS v, ${i} AS i`).join(' UNION ALL ');
      const params = rows.flatMap(([k, [, p]]) => [k, ...p]);
      return [`SELECT json_group_array(v), hex(jsonb_group_array(v)), json_group_object(k, v), `
        + `hex(jsonb_group_object(k, v)) FROM (${from})`, params];
    }
    const val = sqlValue();
    return [`SELECT json_quote(${val[0]}), json_pretty(jsonb_array(${val[0]}), ?)`,
      [...val[1], ...val[1], pick(['', ' ', '\t', 'ab'])]];
  };
}
