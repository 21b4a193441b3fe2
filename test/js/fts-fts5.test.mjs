// Full-text search against SQLite FTS5 (better-sqlite3): the same generated corpus in a Lode table with an
// fts index and in an FTS5 table, then plain term, phrase, prefix, column-filter and boolean queries give the
// same match sets — after the bulk load, inside a transaction that changed rows (Lode's index sees the
// transaction's own writes), after a ROLLBACK and after the changes commit.
// The tokenizers agree on this corpus: FTS5's unicode61 with remove_diacritics 0 and Lode's default both
// split on what is not a letter or digit and lowercase (Latin with accents, ß, Cyrillic); the corpus avoids
// what they treat differently (Lode's default drops tokens of 40 bytes or more, FTS5 keeps them; FTS5's
// default would fold accents, hence remove_diacritics 0; CJK text, which unicode61 splits per character
// class and Lode keeps as one run).  Query forms differ only where the syntaxes do: Lode's bare `a b` is OR,
// FTS5's is AND, so the queries spell AND / OR; FTS5 binds NOT tighter than OR and Lode (as Tantivy) does
// not, so the queries put parentheses around an OR before a NOT.  FTS_SEED overrides the seed, FTS_DOCS the corpus size.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { connect } from 'lodedb';
import { prng } from '../diff/lib.mjs';

const SEED = Number(process.env.FTS_SEED || 5005);
const DOCS = Number(process.env.FTS_DOCS || 10000);
const BASE = ('database search index query engine rust sqlite tantivy text full phrase score rank token ' +
  'storage page btree commit rollback write read cache memory disk fast slow table column row value ' +
  'Hello World École Straße Привет данные naïve café').split(' ');
const rare = [];
for (let i = 0; i < 400; i++) rare.push('x' + i.toString(36) + (i % 5 === 0 ? 'ing' : ''));
const WORDS = BASE.concat(rare);

function sentence(rand, n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(Math.pow(rand(), 2) * WORDS.length)]);
  const sep = rand() < 0.3 ? ', ' : rand() < 0.1 ? ' - ' : ' ';
  return w.join(sep);
}

function queries(rand) {
  const pick = () => WORDS[Math.floor(Math.pow(rand(), 1.5) * WORDS.length)];
  const qs = ['database', 'école', 'STRASSE', 'straße', 'привет', 'данные', 'café', 'naïve', 'x1', 'x1*',
    'data*', 'ro*', 'x1a*', 'title:rust', 'body:commit', 'title:"full text"', '"full text"', '"commit rollback"',
    'database AND search', 'database OR search', 'database NOT search', '(rust OR sqlite) AND cache',
    'title:rust AND body:rust', 'disk AND (fast OR slow) NOT memory', '"hello world"', 'hello AND world'];
  for (let i = 0; i < 120; i++) {
    const k = i % 6;
    if (k === 0) qs.push(pick());
    else if (k === 1) qs.push(`"${pick()} ${pick()}"`);
    else if (k === 2) qs.push(pick().slice(0, 2 + Math.floor(rand() * 2)).toLowerCase() + '*');
    else if (k === 3) qs.push(`${pick()} AND ${pick()}`);
    else if (k === 4) qs.push(`(${pick()} OR ${pick()}) NOT ${pick()}`); // FTS5 binds NOT tighter than OR, Tantivy not
    else qs.push(`${rand() < 0.5 ? 'title' : 'body'}:${pick()}`);
  }
  return qs;
}

describe('fts: Lode against SQLite FTS5', function () {
  this.timeout(600000);
  let dir, lode, fts5;
  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lode-fts5-'));
    lode = await connect(path.join(dir, 'lode.db'));
    fts5 = new Database(path.join(dir, 'fts5.db'));
    await lode.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, title TEXT, body TEXT);
      CREATE INDEX t_fts ON t USING fts (title, body);`);
    fts5.exec(`CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')`);
  });
  after(async function () {
    if (lode) await lode.close();
    if (fts5) fts5.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const compare = async (qs, when) => {
    let nonEmpty = 0;
    const mine = lode.prepare('SELECT id FROM t WHERE fts_match(title, body, ?) ORDER BY id');
    const theirs = fts5.prepare('SELECT rowid AS id FROM f WHERE f MATCH ? ORDER BY rowid');
    for (const q of qs) {
      const want = theirs.all(q).map((r) => r.id);
      const got = (await mine.all(q)).map((r) => r.id);
      assert.deepEqual(got, want, `${when}: match set of ${JSON.stringify(q)} (seed ${SEED})`);
      if (want.length) nonEmpty++;
    }
    assert.ok(nonEmpty > qs.length / 2, `${when}: only ${nonEmpty} of ${qs.length} queries matched rows`);
  };

  const change = async (rand, n, apply) => {
    for (let i = 0; i < n; i++) {
      const id = 1 + Math.floor(rand() * (DOCS + 200));
      const r = rand();
      if (r < 0.4) apply('UPDATE', id, sentence(rand, 12));
      else if (r < 0.7) apply('DELETE', id);
      else apply('INSERT', DOCS + 1 + Math.floor(rand() * 200), sentence(rand, 3), sentence(rand, 20));
    }
  };

  it(`gives FTS5's match sets on ${DOCS} documents, before and after changes and ROLLBACK (seed ${SEED})`, async function () {
    const rand = prng(SEED);
    const rows = [];
    for (let i = 1; i <= DOCS; i++) rows.push([i, sentence(rand, 2 + Math.floor(rand() * 4)),
      rand() < 0.03 ? null : sentence(rand, 5 + Math.floor(rand() * 40))]);
    await lode.exec('BEGIN');
    const ins = lode.prepare('INSERT INTO t VALUES (?, ?, ?)');
    for (const r of rows) await ins.run(...r);
    await lode.exec('COMMIT');
    const ins5 = fts5.prepare('INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)');
    fts5.transaction(() => { for (const r of rows) ins5.run(...r); })();
    const qs = queries(rand);
    await compare(qs, 'after the load');

    // The same changes in both; Lode's are seen inside the transaction, then undone.
    const ops = [];
    await change(rand, 300, (...op) => ops.push(op));
    const applyLode = async () => {
      for (const [kind, id, a, b] of ops) {
        if (kind === 'UPDATE') await lode.prepare('UPDATE t SET body = ? WHERE id = ?').run(a, id);
        else if (kind === 'DELETE') await lode.prepare('DELETE FROM t WHERE id = ?').run(id);
        else await lode.prepare('INSERT OR REPLACE INTO t VALUES (?, ?, ?)').run(id, a, b);
      }
    };
    const live = new Map(rows.map((r) => [r[0], r]));
    fts5.transaction(() => {
      for (const [kind, id, a, b] of ops) {
        const old = live.get(id);
        if (kind === 'INSERT') {
          if (old) fts5.prepare('DELETE FROM f WHERE rowid = ?').run(id);
          fts5.prepare('INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)').run(id, a, b);
          live.set(id, [id, a, b]);
        } else if (old && kind === 'UPDATE') {
          fts5.prepare('UPDATE f SET body = ? WHERE rowid = ?').run(a, id);
          live.set(id, [id, old[1], a]);
        } else if (old) {
          fts5.prepare('DELETE FROM f WHERE rowid = ?').run(id);
          live.delete(id);
        }
      }
    })();
    const before = fts5.prepare('SELECT count(*) AS n FROM f').get().n;
    await lode.exec('BEGIN');
    await applyLode();
    await compare(qs, 'inside the transaction that changed rows');
    await lode.exec('ROLLBACK');
    assert.equal((await lode.prepare('SELECT count(*) AS n FROM t').get()).n, DOCS);
    // After the rollback Lode is back where FTS5 was before the changes: compare a few against the rows.
    for (const q of ['database', '"full text"', 'x1*']) {
      const n = (await lode.prepare('SELECT count(*) AS n FROM t WHERE fts_match(title, body, ?)').get(q)).n;
      const scan = (await lode.prepare('SELECT count(*) AS n FROM t WHERE +id > 0 AND (fts_match(title, body, ?) OR id < 0)').get(q)).n;
      assert.equal(n, scan, `after ROLLBACK: ${q} through the index vs row by row`);
    }
    await lode.exec('BEGIN');
    await applyLode();
    await lode.exec('COMMIT');
    assert.equal((await lode.prepare('SELECT count(*) AS n FROM t').get()).n, before);
    await compare(qs, 'after the changes commit');
    // Changes in autocommit mode, one statement each (each its own batch).
    const more = [];
    await change(rand, 60, (...op) => more.push(op));
    ops.length = 0;
    ops.push(...more);
    await applyLode();
    fts5.transaction(() => {
      for (const [kind, id, a, b] of ops) {
        const old = live.get(id);
        if (kind === 'INSERT') {
          if (old) fts5.prepare('DELETE FROM f WHERE rowid = ?').run(id);
          fts5.prepare('INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)').run(id, a, b);
          live.set(id, [id, a, b]);
        } else if (old && kind === 'UPDATE') {
          fts5.prepare('UPDATE f SET body = ? WHERE rowid = ?').run(a, id);
          live.set(id, [id, old[1], a]);
        } else if (old) {
          fts5.prepare('DELETE FROM f WHERE rowid = ?').run(id);
          live.delete(id);
        }
      }
    })();
    await compare(qs, 'after autocommit changes');
    assert.equal((await lode.prepare('PRAGMA integrity_check').get()).integrity_check, 'ok');
  });
});
