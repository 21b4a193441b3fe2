// insert-copy-random.test.mjs — INSERT INTO t SELECT * FROM s over random pairs of tables, alike (which SQLite copies
// record by record, and Lode b-tree by b-tree into an empty t) or differing in one attribute, into an empty t or one
// with rows, under each conflict clause: every statement's error, changes(), last_insert_rowid(), t's rows with their
// rowids, sqlite_sequence and PRAGMA integrity_check compared with SQLite 3.53 (better-sqlite3).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3');

function rng(seed) {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n + 0x1234567n;
  return (n) => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return Number(s % BigInt(n));
  };
}

const TYPES = ['', 'INTEGER', 'TEXT', 'REAL', 'BLOB', 'NUMERIC'];
const VALUES = ['NULL', '1', '2', '-7', '3.5', "'a'", "'A'", "'b '", "'10'", "x'00ff'", '4503599627370497', "'z'"];

/* A table's shape: columns, an INTEGER PRIMARY KEY or a WITHOUT ROWID key, AUTOINCREMENT, a CHECK, indexes. */
function randomShape(r) {
  const ncols = 1 + r(4);
  const cols = [];
  for (let i = 0; i < ncols; i++)
    cols.push({
      type: TYPES[r(TYPES.length)],
      coll: r(5) === 0 ? 'NOCASE' : '',
      notnull: r(6) === 0,
      dflt: r(4) === 0 ? VALUES[1 + r(5)] : '',
    });
  const key = r(5); // 0: INTEGER PRIMARY KEY, 1: WITHOUT ROWID, else none
  const shape = {
    cols,
    ipk: key === 0,
    wr: key === 1 && ncols > 1,
    autoinc: key === 0 && r(2) === 0,
    check: r(6) === 0,
    indexes: [],
  };
  if (shape.ipk) cols[0] = { type: 'INTEGER', coll: '', notnull: false, dflt: '' };
  const nidx = r(3);
  for (let k = 0; k < nidx; k++) {
    const c = r(ncols);
    shape.indexes.push({
      col: c,
      unique: r(3) === 0,
      desc: r(4) === 0,
      coll: r(5) === 0 ? 'NOCASE' : '',
      where: r(5) === 0,
    });
  }
  return shape;
}

/* One attribute of the shape changed (or none). */
function mutate(r, shape) {
  const t = structuredClone(shape);
  const c = r(t.cols.length);
  switch (r(9)) {
    case 0: if (!(t.ipk && c === 0)) t.cols[c].type = TYPES[r(TYPES.length)]; break;
    case 1: if (!(t.ipk && c === 0)) t.cols[c].coll = t.cols[c].coll ? '' : 'NOCASE'; break;
    case 2: if (!(t.ipk && c === 0)) t.cols[c].notnull = !t.cols[c].notnull; break;
    case 3: if (!(t.ipk && c === 0)) t.cols[c].dflt = t.cols[c].dflt ? '' : '5'; break;
    case 4: t.check = !t.check; break;
    case 5: if (t.indexes.length) t.indexes[0].desc = !t.indexes[0].desc; break;
    case 6: if (t.indexes.length) t.indexes[0].unique = !t.indexes[0].unique; break;
    case 7: t.indexes.pop(); break;
    default: break;
  }
  return t;
}

function createSql(name, shape) {
  const defs = shape.cols.map((c, i) => {
    if (shape.ipk && i === 0) return `c0 INTEGER PRIMARY KEY${shape.autoinc ? ' AUTOINCREMENT' : ''}`;
    const coll = c.coll ? ` COLLATE ${c.coll}` : '';
    const dflt = c.dflt ? ` DEFAULT ${c.dflt}` : '';
    return `c${i} ${c.type}${coll}${c.notnull ? ' NOT NULL ON CONFLICT IGNORE' : ''}${dflt}`;
  });
  if (shape.check) defs.push(`CHECK (c${shape.cols.length - 1} IS NOT 'z')`);
  if (shape.wr) defs.push('PRIMARY KEY (c0, c1)');
  const sql = [`CREATE TABLE ${name}(${defs.join(', ')})${shape.wr ? ' WITHOUT ROWID' : ''}`];
  shape.indexes.forEach((ix, k) => {
    const term = `c${ix.col}${ix.coll ? ` COLLATE ${ix.coll}` : ''}${ix.desc ? ' DESC' : ''}`;
    const where = ix.where ? ` WHERE c${ix.col} IS NOT NULL` : '';
    sql.push(`CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${name}_i${k} ON ${name}(${term})${where}`);
  });
  return sql;
}

function randomRows(r, name, shape, n) {
  const out = [];
  for (let k = 0; k < n; k++) {
    const vals = shape.cols.map((c, i) =>
      shape.ipk && i === 0 ? (r(4) === 0 ? 'NULL' : String(r(40) - 5)) : VALUES[r(VALUES.length)],
    );
    out.push(`INSERT OR IGNORE INTO ${name} VALUES (${vals.join(', ')})`);
  }
  return out;
}

function run(db, sql) {
  try {
    const st = db.prepare(sql);
    if (st.reader) return { rows: st.raw().all() };
    st.run();
    return { ok: true };
  } catch (e) {
    return { error: e.message };
  }
}

describe('INSERT INTO t SELECT * FROM s over random tables, lode vs better-sqlite3', function () {
  let Database;
  before(async function () {
    Database = (await import('lodedb/compat')).default;
  });
  for (const seed of [1, 2]) {
    it(`300 pairs of tables (seed ${seed}): the same outcome`, function () {
      const r = rng(seed);
      const diffs = [];
      let copies = 0;
      let rowCopies = 0;
      for (let i = 0; i < 300 && diffs.length < 3; i++) {
        const s = randomShape(r);
        const t = r(2) ? s : mutate(r, s);
        const script = [...createSql('s', s), ...createSql('t', t), ...randomRows(r, 's', s, r(12))];
        if (r(2)) script.push(...randomRows(r, 't', t, 1 + r(3)));
        const clause = ['', 'OR IGNORE ', 'OR REPLACE ', 'OR FAIL ', 'OR ABORT '][r(5)];
        const probe = [
          `INSERT ${clause}INTO t SELECT * FROM s`,
          'SELECT changes(), last_insert_rowid()',
          t.wr ? 'SELECT * FROM t ORDER BY 1, 2' : 'SELECT rowid, * FROM t ORDER BY rowid',
          "SELECT * FROM sqlite_schema WHERE name = 'sqlite_sequence'",
          'PRAGMA integrity_check',
        ];
        if (s.autoinc || t.autoinc) probe.push('SELECT * FROM sqlite_sequence ORDER BY name');
        const a = new BetterSqlite3(':memory:');
        const b = new Database(':memory:');
        try {
          for (const sql of script) {
            const x = JSON.stringify(run(a, sql)), y = JSON.stringify(run(b, sql));
            if (x !== y) { diffs.push({ script, sql, sqlite: x, lode: y }); break; }
          }
          // Whether this case takes Lode's b-tree copy (its program has one and t is empty) or its copy of
          // records into a t with rows.
          const empty = run(b, 'SELECT count(*) FROM t').rows?.[0][0] === 0;
          const ops = (run(b, `EXPLAIN ${probe[0]}`).rows ?? []).map((row) => row[1]);
          if (empty && ops.includes('CopyTree')) copies++;
          if (!empty && ops.includes('RowData')) rowCopies++;
          for (const sql of probe) {
            const x = JSON.stringify(run(a, sql)), y = JSON.stringify(run(b, sql));
            if (x !== y) { diffs.push({ script, sql, sqlite: x, lode: y }); break; }
          }
        } finally {
          a.close();
          b.close();
        }
      }
      assert.equal(diffs.length, 0, JSON.stringify(diffs, null, 1));
      assert.ok(copies > 60, `only ${copies} cases copied b-trees`);
      assert.ok(rowCopies > 10, `only ${rowCopies} cases copied records into a t with rows`);
    });
  }
});
