// changes.mjs — db.changes({ since }): the records of a change data capture
// table (PRAGMA capture_data_changes_conn) as decoded objects, oldest first,
// then the ones later commits add.
//
// A record is { changeId, txnId, time, type, table, id, before, after,
// updates }: type is 'insert', 'update', 'delete' or 'commit' (the end of
// a transaction; table and id are null); before/after are the row as an
// object of its columns (null when the capture mode keeps no such image);
// updates, in mode full, holds only the columns an UPDATE assigned, with
// their new values.  Column names are the table's as the captured schema
// changes before the record left it (when they carry the CREATE TABLE text:
// modes after and full), else as the table is when the record is read; for
// sqlite_schema: type, name, tbl_name, rootpage, sql.  Values
// decode as the engine returns them: numbers (BigInt past 2^53), strings,
// Uint8Array/Buffer for blobs, null.
//
// The iterator reads through the connection's promise queue, so it never
// sees the records of a transaction that has not committed.  With
// follow: true (the default) it waits, polling every `interval` ms, for new
// records once it has read the existing ones, until the loop breaks, the
// AbortSignal `signal` fires or the connection closes; with follow: false
// it ends after the records there are now.

const SCHEMA_COLUMNS = ['type', 'name', 'tbl_name', 'rootpage', 'sql'];
const TYPES = new Map([[1, 'insert'], [0, 'update'], [-1, 'delete'], [2, 'commit']]);
const BATCH = 256;

function varint(bytes, pos) {
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    const b = bytes[pos + i];
    if (i === 8) return [(v << 8n) | BigInt(b), pos + 9];
    v = (v << 7n) | BigInt(b & 0x7f);
    if (b < 0x80) return [v, pos + i + 1];
  }
  return [v, pos + 9];
}

function integer(big) {
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

const utf8 = new TextDecoder();

// The values of a record in SQLite's format.
export function decodeRecord(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let [size, pos] = varint(bytes, 0);
  const end = Number(size);
  let body = end;
  const values = [];
  while (pos < end) {
    let type;
    [type, pos] = varint(bytes, pos);
    const t = Number(type);
    if (t === 0) values.push(null);
    else if (t >= 1 && t <= 6) {
      const len = [0, 1, 2, 3, 4, 6, 8][t];
      let v = BigInt.asIntN(8, BigInt(bytes[body]));
      for (let i = 1; i < len; i++) v = (v << 8n) | BigInt(bytes[body + i]);
      values.push(integer(BigInt.asIntN(len * 8, v)));
      body += len;
    } else if (t === 7) {
      values.push(view.getFloat64(body));
      body += 8;
    } else if (t === 8 || t === 9) {
      values.push(t - 8);
    } else if (t >= 12) {
      const len = (t - (t & 1 ? 13 : 12)) / 2;
      const raw = bytes.subarray(body, body + len);
      values.push(t & 1 ? utf8.decode(raw) : raw.slice());
      body += len;
    } else {
      throw new Error(`malformed record: serial type ${t}`);
    }
  }
  return values;
}

function named(names, values) {
  const row = {};
  names.forEach((n, i) => {
    row[n] = i < values.length ? values[i] : null;
  });
  return row;
}

export async function* changes(db, options = {}, openScratch = null) {
  const { since = 0, follow = true, interval = 100, signal } = options;
  let table = options.table;
  if (!table) {
    const mode = await db.get('PRAGMA capture_data_changes_conn');
    table = mode?.table ?? 'turso_cdc';
  }
  const quoted = `"${table.replaceAll('"', '""')}"`;
  const read = db.prepare(`SELECT change_id, change_time, change_txn_id, change_type, table_name, id, `
    + `"before", "after", updates FROM ${quoted} WHERE change_id > ? ORDER BY change_id LIMIT ${BATCH}`);
  // Column names: a table's as the captured schema changes made it (its
  // CREATE TABLE text run in a scratch database), else as it is now.
  const columns = new Map();
  let scratch = null;
  const columnsOf = async (conn, name) => (await conn.all(
    'SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (0, 2, 3)', name)).map((c) => c.name);
  const namesOf = async (name) => {
    if (name === 'sqlite_schema') return SCHEMA_COLUMNS;
    if (!columns.has(name)) columns.set(name, await columnsOf(db, name));
    return columns.get(name);
  };
  const schemaChanged = async (image) => {
    if (!image || image.type !== 'table' || typeof image.sql !== 'string' || !openScratch) return;
    try {
      scratch ??= await openScratch();
      const quoted = `"${image.name.replaceAll('"', '""')}"`;
      await scratch.exec(`DROP TABLE IF EXISTS ${quoted}`);
      await scratch.exec(image.sql);
      columns.set(image.name, await columnsOf(scratch, image.name));
    } catch {
      columns.delete(image.name);
    }
  };
  let last = since;
  try {
    while (!signal?.aborted) {
      if (!db.open) return;
      const rows = await read.all(last);
      for (const r of rows) {
        last = r.change_id;
        const type = TYPES.get(Number(r.change_type)) ?? String(r.change_type);
        const names = r.table_name ? await namesOf(r.table_name) : [];
        let updates = null;
        if (r.updates) {
          const v = decodeRecord(r.updates);
          const n = v.length / 2;
          updates = {};
          for (let i = 0; i < n; i++) if (v[i]) updates[names[i] ?? `column${i}`] = v[n + i];
        }
        const change = {
          changeId: r.change_id,
          txnId: r.change_txn_id,
          time: r.change_time,
          type,
          table: r.table_name,
          id: r.id,
          before: r.before ? named(names, decodeRecord(r.before)) : null,
          after: r.after ? named(names, decodeRecord(r.after)) : null,
          updates,
        };
        if (r.table_name === 'sqlite_schema') await schemaChanged(change.after);
        yield change;
        if (signal?.aborted) return;
      }
      if (rows.length === BATCH) continue;
      if (!follow) return;
      await new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, interval);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  } finally {
    if (db.open) read.close();
    await scratch?.close();
  }
}
