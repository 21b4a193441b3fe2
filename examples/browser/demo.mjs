// The demo page: runs SQL typed by the user against a database in OPFS.
// Every statement but the last runs with exec(); the last one's rows are shown.
import { connect, version } from '../../js/wasm.mjs';

const $ = (id) => document.getElementById(id);
$('version').textContent = `Engine ${version}.`;
let db = null;

async function open() {
  if (db) await db.close();
  db = await connect($('file').value || ':memory:');
}

function show(rows) {
  const table = document.createElement('table');
  if (rows.length) {
    const head = table.insertRow();
    for (const k of Object.keys(rows[0])) head.appendChild(document.createElement('th')).textContent = k;
    for (const r of rows) {
      const tr = table.insertRow();
      for (const v of Object.values(r)) tr.insertCell().textContent = v instanceof Uint8Array ? `x'${[...v].map((b) => b.toString(16).padStart(2, '0')).join('')}'` : String(v);
    }
  }
  $('out').replaceChildren(table, document.createTextNode(`${rows.length} row(s)`));
}

async function run() {
  $('error').textContent = '';
  try {
    if (!db) await open();
    const parts = $('sql').value.split(';').map((s) => s.trim()).filter(Boolean);
    const last = parts.pop();
    if (parts.length) await db.exec(parts.join(';\n'));
    if (!last) return show([]);
    const stmt = db.prepare(last);
    await stmt.ready;
    if (stmt.reader) return show(await stmt.all());
    const r = await stmt.run();
    return show([{ changes: r.changes, lastInsertRowid: r.lastInsertRowid }]);
  } catch (e) {
    $('error').textContent = `${e.name}${e.code ? ` (${e.code})` : ''}: ${e.message}`;
  }
}

$('open').onclick = () => open().catch((e) => { $('error').textContent = String(e); });
$('run').onclick = run;
