// wasm-functions.mjs — the wasm driver's createFunction / createAggregate /
// createTable / serialize / deserialize / backup* / interrupt (the native
// addon's, see its head comment), over the exports of dist/wasm/lode.mjs.
//
// The engine calls back into JS through six trampolines added once to the
// module's function table (addFunction).  A function's app pointer is an id
// into `funcs`; an aggregate group's lode_aggregate_context block holds the
// id of its state object in `groups` (0 until the group's first call).  A
// callback's exception fails the SQL call and is kept in `pending`, which
// the failing step throws instead of an SqliteError (takePending).
//
// Database.table()'s modules are wasm/lode_wasm.c's, which calls the five
// hooks installed here (vtabHooks): a module, table or cursor is an id into
// `modules`, `tables` or `cursors`.

const LODE_OK = 0;
const LODE_DONE = 101;
const LODE_BUSY = 5;
const LODE_LOCKED = 6;
const LODE_INTEGER = 1;
const LODE_FLOAT = 2;
const LODE_TEXT = 3;
const LODE_BLOB = 4;
const LODE_NOMEM = 7;
const LODE_TRANSIENT = -1;
const OPEN_RW_CREATE = 0x2 | 0x4;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function createWasmFunctions(M, h) {
  const { heap, heapString, cstring, decoder, dbOf, dbError, makeError } = h;
  const funcs = new Map();
  const groups = new Map();
  let nextId = 1;
  let pending = null;
  let tramp = null;

  const ptrArg = (argv, i) => new DataView(heap().buffer).getUint32(argv + 4 * i, true);

  function argValue(v, safe) {
    switch (M._lode_value_type(v)) {
      case LODE_INTEGER: return safe ? M._lode_value_int64(v) : Number(M._lode_value_int64(v));
      case LODE_FLOAT: return M._lode_value_double(v);
      case LODE_TEXT: {
        const p = M._lode_value_text(v);
        return p ? decoder.decode(heap().subarray(p, p + M._lode_value_bytes(v))) : '';
      }
      case LODE_BLOB: {
        const p = M._lode_value_blob(v);
        return p ? heap().slice(p, p + M._lode_value_bytes(v)) : new Uint8Array(0);
      }
      default: return null;
    }
  }

  function args(f, argc, argv) {
    const out = new Array(argc);
    for (let i = 0; i < argc; i++) out[i] = argValue(ptrArg(argv, i), f.safe);
    return out;
  }

  function fail(ctx, e) {
    pending = e;
    const [p, n] = heapString('a user-defined function raised an exception');
    M._lode_result_error(ctx, p, n);
    M._free(p);
  }

  function setBytes(ctx, bytes) {
    const p = M._malloc(bytes.length || 1);
    if (!p) return M._lode_result_error_code(ctx, LODE_NOMEM);
    heap().set(bytes, p);
    M._lode_result_blob(ctx, p, bytes.length, LODE_TRANSIENT);
    M._free(p);
  }

  // The rules of native/addon.c's set_result; who says whose value it is
  // ("User-defined function f() returned").
  function setResult(ctx, who, v) {
    switch (typeof v) {
      case 'undefined': return M._lode_result_null(ctx);
      case 'number': return M._lode_result_double(ctx, v);
      case 'bigint':
        if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`${who} a bigint that was too big`);
        return M._lode_result_int64(ctx, v);
      case 'string': {
        const [p, n] = heapString(v);
        M._lode_result_text(ctx, p, n, LODE_TRANSIENT);
        return M._free(p);
      }
      case 'object':
        if (v === null) return M._lode_result_null(ctx);
        if (ArrayBuffer.isView(v)) return setBytes(ctx, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        break;
      default: break;
    }
    throw new TypeError(`${who} an invalid value`);
  }

  const returned = (f) => `User-defined function ${f.name}() returned`;

  // The group's record { state, valued, failed }: state is made by start()
  // at the group's first call; valued: result() gave a window row its value;
  // failed: a callback threw or returned an invalid value.
  function groupState(ctx, f) {
    const slot = M._lode_aggregate_context(ctx, 4);
    if (!slot) throw makeError('out of memory', LODE_NOMEM);
    const view = new DataView(heap().buffer);
    let id = view.getUint32(slot, true);
    if (!id) {
      id = nextId++;
      const g = { state: undefined, valued: false, failed: true };
      groups.set(id, g);
      new DataView(heap().buffer).setUint32(slot, id, true);
      g.state = f.start();
      g.failed = false;
    }
    return [slot, id, groups.get(id)];
  }

  function trampolines() {
    if (tramp) return tramp;
    const guard = (body) => (ctx, ...rest) => {
      try {
        body(ctx, funcs.get(M._lode_user_data(ctx)), ...rest);
      } catch (e) {
        fail(ctx, e);
      }
    };
    // As better-sqlite3 does: once a callback of the group has failed,
    // nothing more is called for it, and the final call of a group used as
    // a window function only frees the state.
    const move = (which) => guard((ctx, f, argc, argv) => {
      const [, , g] = groupState(ctx, f);
      if (g.failed) return;
      g.failed = true;
      f[which](g.state, ...args(f, argc, argv));
      g.failed = false;
    });
    const result = (last) => guard((ctx, f) => {
      const [slot, id, g] = groupState(ctx, f);
      try {
        if (g.failed || (last && g.valued)) return;
        g.failed = true;
        setResult(ctx, returned(f), f.result(g.state));
        g.failed = false;
        if (!last) g.valued = true;
      } finally {
        if (last) {
          groups.delete(id);
          new DataView(heap().buffer).setUint32(slot, 0, true);
        }
      }
    });
    tramp = {
      scalar: M.addFunction(guard((ctx, f, argc, argv) => setResult(ctx, returned(f), f.fn(...args(f, argc, argv)))), 'viii'),
      step: M.addFunction(move('step'), 'viii'),
      inverse: M.addFunction(move('inverse'), 'viii'),
      final: M.addFunction(result(true), 'vi'),
      value: M.addFunction(result(false), 'vi'),
      destroy: M.addFunction((id) => funcs.delete(id), 'vi'),
    };
    return tramp;
  }

  function register(db, f, nargs, flags, kind) {
    const t = trampolines();
    const id = nextId++;
    funcs.set(id, f);
    const [p] = heapString(f.name);
    let rc;
    try {
      rc = M._lode_create_function(db, p, nargs, flags, id, kind === 'scalar' ? t.scalar : 0,
        kind === 'scalar' ? 0 : t.step, kind === 'scalar' ? 0 : t.final,
        kind === 'window' ? t.value : 0, kind === 'window' ? t.inverse : 0, t.destroy);
    } finally {
      M._free(p);
    }
    if (rc !== LODE_OK) throw dbError(db, rc);
  }

  // Database.table(): see wasm/lode_wasm.c for the hooks' contracts.
  const modules = new Map(); // id → { name, make }
  const tables = new Map(); // id → { name, rows, nparams, safe }
  const cursors = new Map(); // id → { iterator, row, table }
  let vtabReady = false;
  const VTAB_FORGET = [modules, tables, cursors];

  function cstringArg(argv, i) {
    const p = ptrArg(argv, i);
    return p ? decoder.decode(heap().subarray(p, heap().indexOf(0, p))) : '';
  }

  function withString(s, fn) {
    const [p] = heapString(s);
    try {
      return fn(p);
    } finally {
      M._free(p);
    }
  }

  function vtabHooks() {
    if (vtabReady) return;
    const connect = (moduleId, db, vtab, argc, argv) => {
      try {
        const m = modules.get(moduleId);
        const text = [];
        for (let i = 0; i < argc; i++) text.push(cstringArg(argv, i));
        const [sql, rows, parameters, safe, directOnly] = m.make(...text);
        const rc = withString(sql, (p) => M._lodew_declare_vtab(db, p));
        if (rc !== LODE_OK) throw new Error(cstringOf(M._lode_errmsg(db)));
        if (parameters.length > 32) throw new RangeError('A virtual table can have at most 32 parameters');
        for (const name of parameters) {
          if (withString(name, (p) => M._lodew_vtab_param(vtab, p)) !== LODE_OK) throw makeError('out of memory', LODE_NOMEM);
        }
        if (directOnly) M._lodew_vtab_directonly(db);
        const id = nextId++;
        tables.set(id, { name: m.name, rows, nparams: parameters.length, safe });
        return id;
      } catch (e) {
        pending = e;
        return 0;
      }
    };
    const filter = (tableId, idx, argc, argv) => {
      try {
        const t = tables.get(tableId);
        const params = new Array(t.nparams);
        for (let k = 0, a = 0; k < t.nparams; k++) params[k] = idx & (1 << k) ? argValue(ptrArg(argv, a++), t.safe) : undefined;
        const iterator = t.rows(...params);
        const r = iterator.next();
        if (r.done) return 0;
        const id = nextId++;
        cursors.set(id, { iterator, row: r.value, table: t });
        return id;
      } catch (e) {
        pending = e;
        return -1;
      }
    };
    const next = (cursorId) => {
      try {
        const c = cursors.get(cursorId);
        const r = c.iterator.next();
        if (r.done) return 0;
        c.row = r.value;
        return 1;
      } catch (e) {
        pending = e;
        return -1;
      }
    };
    const column = (cursorId, ctx, i) => {
      try {
        const c = cursors.get(cursorId);
        setResult(ctx, `Virtual table module "${c.table.name}" yielded`, c.row[i]);
      } catch (e) {
        fail(ctx, e);
      }
    };
    const forget = (kind, id) => VTAB_FORGET[kind].delete(id);
    M._lodew_vtab_hooks(M.addFunction(connect, 'iiiiii'), M.addFunction(filter, 'iiiii'), M.addFunction(next, 'ii'),
      M.addFunction(column, 'viii'), M.addFunction(forget, 'vii'));
    vtabReady = true;
  }

  const cstringOf = (p) => (p ? decoder.decode(heap().subarray(p, heap().indexOf(0, p))) : '');

  const backups = new WeakSet();
  function backupClose(b) {
    if (b.ptr) M._lode_backup_finish(b.ptr);
    if (b.dest) M._lode_close(b.dest);
    b.ptr = 0;
    b.dest = 0;
  }

  return {
    // The exception of the user function that made the last call fail, once.
    takePending() {
      const e = pending;
      pending = null;
      return e;
    },
    createFunction(hd, name, nargs, flags, safe, fn) {
      register(dbOf(hd), { name, safe, fn }, nargs, flags, 'scalar');
    },
    createAggregate(hd, name, nargs, flags, safe, window, start, step, inverse, result) {
      register(dbOf(hd), { name, safe, start, step, inverse, result }, nargs, flags, window ? 'window' : 'aggregate');
    },
    // A module whose tables make(module, database, table, ...args) defines
    // (js/functions.mjs tableArgs): eponymous, usable by its own name alone.
    createTable(hd, name, eponymous, make) {
      vtabHooks();
      const db = dbOf(hd);
      const id = nextId++;
      modules.set(id, { name, make });
      const rc = withString(name, (p) => M._lodew_create_module(db, p, eponymous ? 1 : 0, id));
      if (rc !== LODE_OK) {
        modules.delete(id);
        throw dbError(db, rc);
      }
    },
    serialize(hd, schema) {
      const db = dbOf(hd);
      const [p] = heapString(schema);
      const size = M._malloc(8);
      try {
        const out = M._lode_serialize(db, p, size);
        if (!out) throw makeError('unable to serialize the database', 1);
        const n = Number(new DataView(heap().buffer).getBigInt64(size, true));
        const bytes = heap().slice(out, out + n);
        M._lode_free(out);
        return bytes;
      } finally {
        M._free(p);
        M._free(size);
      }
    },
    deserialize(hd, bytes) {
      const db = dbOf(hd);
      const p = M._malloc(bytes.length || 1);
      if (!p) throw makeError('out of memory', LODE_NOMEM);
      try {
        heap().set(bytes, p);
        const rc = M._lode_deserialize(db, 0, p, BigInt(bytes.length));
        if (rc !== LODE_OK) throw dbError(db, rc);
      } finally {
        M._free(p);
      }
    },
    backupInit(hd, path, schema) {
      const db = dbOf(hd);
      const [pp] = heapString(path);
      const [ps] = heapString(schema);
      const scratch = M._malloc(4);
      const b = { ptr: 0, dest: 0 };
      try {
        const rc = M._lode_open_v2(pp, scratch, OPEN_RW_CREATE, 0);
        b.dest = new DataView(heap().buffer).getUint32(scratch, true);
        if (rc !== LODE_OK) throw dbError(b.dest, rc);
        const [pm] = heapString('main');
        b.ptr = M._lode_backup_init(b.dest, pm, db, ps);
        M._free(pm);
        if (!b.ptr) throw M._lode_extended_errcode(b.dest) ? dbError(b.dest, 1) : dbError(db, 1);
      } catch (e) {
        backupClose(b);
        throw e;
      } finally {
        M._free(pp);
        M._free(ps);
        M._free(scratch);
      }
      backups.add(b);
      return b;
    },
    backupStep(b, pages) {
      if (!b || !b.ptr) throw new TypeError('The backup has finished');
      const rc = M._lode_backup_step(b.ptr, pages);
      if (rc !== LODE_OK && rc !== LODE_DONE && rc !== LODE_BUSY && rc !== LODE_LOCKED) {
        M._lode_backup_finish(b.ptr);
        b.ptr = 0;
        const err = dbError(b.dest, rc);
        backupClose(b);
        throw err;
      }
      const out = [rc === LODE_DONE, M._lode_backup_pagecount(b.ptr), M._lode_backup_remaining(b.ptr)];
      if (rc === LODE_DONE) {
        const frc = M._lode_backup_finish(b.ptr);
        b.ptr = 0;
        const err = frc !== LODE_OK ? dbError(b.dest, frc) : null;
        backupClose(b);
        if (err) throw err;
      }
      return out;
    },
    backupClose,
    interrupt(hd) {
      M._lode_interrupt(dbOf(hd));
    },
  };
}
