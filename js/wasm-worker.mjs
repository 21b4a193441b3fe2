// wasm-worker.mjs — the Dedicated Worker that runs the wasm engine for a
// browser page (js/wasm-browser.mjs starts it).  It holds the real Database,
// Statement and transaction objects of the promise API (js/wasm.mjs in a
// worker: files in OPFS) under ids the page chooses, and runs what the page
// asks of them.  Messages (page -> worker), each with an id the reply repeats:
//   connect {db, path, options}         prepare {target, stmt, sql}
//   call {target, method, args}         set {target, method, args} (sync methods)
//   iter {target, iter, method, args}   next {iter, n}   return {iter}
//   txn {target, txn, mode, done}       txn-end {txn, ok, error}   free {target}
// Replies: {id, value, state} or {id, error}; state is {open, inTransaction}
// of the database the message names (db).  Messages are handled as they
// come, without waiting for earlier ones to finish: the promise API orders
// the calls of a connection itself (its transaction rules), and a
// transaction's body runs on the page while the worker waits for txn-end.

import { connect, version } from './wasm.mjs';

const objects = new Map(); // id -> { obj } or { error } (a statement that failed to prepare)
const iterators = new Map();
const bodies = new Map(); // txn id -> { resolve, reject } of the body the worker waits on

const errorData = (e) => ({
  name: e?.name ?? 'Error', message: String(e?.message ?? e), code: e?.code, rawCode: e?.rawCode,
});

function revive(data) {
  const e = new Error(data.message);
  e.name = data.name;
  return e;
}

function target(id) {
  const o = objects.get(id);
  if (!o) throw new TypeError('The database connection is not open');
  if (o.error) throw o.error;
  return o.obj;
}

function stateOf(dbId) {
  const db = objects.get(dbId)?.obj;
  return db ? { open: db.open, inTransaction: db.open && db.inTransaction } : { open: false, inTransaction: false };
}

const reply = (m, value) => postMessage({ id: m.id, value, state: stateOf(m.db) });
const fail = (m, e, id = m.id) => postMessage({ id, error: errorData(e), state: stateOf(m.db) });

function statementInfo(s) {
  let columns = null;
  try {
    columns = s.columns();
  } catch {
    // not a statement that returns rows
  }
  return { columns, reader: s.reader, readonly: s.readonly };
}

async function handle(m) {
  switch (m.op) {
    case 'connect': {
      const db = await connect(m.path, m.options);
      objects.set(m.db, { obj: db });
      return reply(m, { name: db.name, memory: db.memory, readonly: db.readonly });
    }
    case 'prepare':
      try {
        const s = target(m.target).prepare(m.sql);
        objects.set(m.stmt, { obj: s });
        return reply(m, statementInfo(s));
      } catch (e) {
        objects.set(m.stmt, { error: e });
        throw e;
      }
    case 'call': {
      const t = target(m.target);
      return reply(m, await t[m.method](...m.args));
    }
    case 'set':
      target(m.target)[m.method](...m.args);
      return reply(m);
    case 'iter':
      iterators.set(m.iter, target(m.target)[m.method](...m.args)[Symbol.asyncIterator]());
      return reply(m);
    case 'next': {
      const it = iterators.get(m.iter);
      const rows = [];
      let done = !it;
      while (!done && rows.length < m.n) {
        const r = await it.next();
        if (r.done) done = true;
        else rows.push(r.value);
      }
      if (done) iterators.delete(m.iter);
      return reply(m, { rows, done });
    }
    case 'return': {
      const it = iterators.get(m.iter);
      iterators.delete(m.iter);
      await it?.return();
      return reply(m);
    }
    case 'txn': {
      const fn = target(m.target).transaction((txn) => {
        objects.set(m.txn, { obj: txn });
        reply(m);
        return new Promise((resolve, reject) => bodies.set(m.txn, { resolve, reject }));
      });
      (m.mode ? fn[m.mode] : fn)().then(
        () => postMessage({ id: m.done, state: stateOf(m.db) }),
        (e) => fail(m, e, objects.has(m.txn) ? m.done : m.id), // before the body ran: BEGIN failed
      );
      return undefined;
    }
    case 'txn-end': {
      const body = bodies.get(m.txn);
      bodies.delete(m.txn);
      if (m.ok) body.resolve();
      else body.reject(revive(m.error));
      return reply(m);
    }
    case 'free':
      objects.delete(m.target);
      iterators.delete(m.target);
      return undefined;
    default:
      throw new TypeError(`unknown request ${m.op}`);
  }
}

self.onmessage = ({ data: m }) => {
  handle(m).catch((e) => fail(m, e));
};
postMessage({ ready: true, version });
