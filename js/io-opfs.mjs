// io-opfs.mjs — the files of the wasm engine in a browser worker: the
// synchronous Module.lodeIO object of engine/src/os/os_host.c over the origin
// private file system (OPFS) and its FileSystemSyncAccessHandles, which only
// a Dedicated Worker may open.
//
// The engine calls its files synchronously, but OPFS opens them
// asynchronously; so connect() opens them first: the database, its -wal and,
// if there is one, its -journal (a database file is only ever used with
// those).  A name the engine has not been given this way cannot be opened
// (SQLITE_CANTOPEN: ATTACH of an OPFS file is not supported).  To answer
// exists() and remove() without waiting, each prepared file carries a flag
// "exists": a file made only so that it is ready (the -wal) does not exist
// for the engine until the engine creates it, and remove() empties it and
// clears the flag; the last close of the database deletes such files.
//
// A sync access handle is exclusive: while one tab or worker has a database
// open, another one gets SQLITE_BUSY from connect().  The engine takes no
// other locks.  Names may contain folders ('a/b.db'); a leading '/' is
// ignored.

import { makeError } from './errors.mjs';
import { backupArgs } from './functions.mjs';

const CREATE = 0x04;
const READWRITE = 0x02;
const BUSY = 5;
const CANTOPEN = 14;

const notFound = (name) => Object.assign(new Error(`not opened for this database: ${name}`), { code: 'ENOENT' });

// The engine's file system over OPFS (root: a FileSystemDirectoryHandle).
export function opfsIO(root) {
  const files = new Map(); // name -> { sah, exists, dir, leaf }
  const open = new Map(); // handle -> entry
  const users = new Map(); // database name -> connections using its files
  let next = 1;

  const entry = (h) => {
    const e = open.get(h);
    if (!e) throw Object.assign(new Error('bad handle'), { code: 'EBADF' });
    return e;
  };

  async function folderOf(name) {
    const parts = name.replace(/^\/+/, '').split('/');
    const leaf = parts.pop();
    let dir = root;
    for (const p of parts) if (p && p !== '.') dir = await dir.getDirectoryHandle(p, { create: true });
    return { dir, leaf };
  }

  // Opens one file ahead of the engine; create: whether it may be made.
  async function prepareFile(name, create) {
    if (files.has(name)) return;
    const { dir, leaf } = await folderOf(name);
    let fh, exists = true;
    try {
      fh = await dir.getFileHandle(leaf);
    } catch (e) {
      if (e.name !== 'NotFoundError' || !create) return;
      fh = await dir.getFileHandle(leaf, { create: true });
      exists = false;
    }
    let sah;
    try {
      sah = await fh.createSyncAccessHandle();
    } catch (e) {
      if (e.name === 'NoModificationAllowedError' || e.name === 'InvalidStateError') {
        throw makeError(`database is locked: ${name} is open in another tab or worker`, BUSY);
      }
      throw e;
    }
    files.set(name, { sah, exists, dir, leaf });
  }

  return {
    // Before the engine opens database `name` (a plain file name): opens its
    // files; the database itself is made only when create is set.
    async attach(name, { create = true } = {}) {
      try {
        await prepareFile(name, create);
        await prepareFile(`${name}-wal`, true);
        await prepareFile(`${name}-journal`, false);
      } catch (e) {
        await this.detach(name, true);
        if (e.name === 'SqliteError') throw e;
        throw makeError(`unable to open database file: ${e.message}`, CANTOPEN);
      }
      users.set(name, (users.get(name) || 0) + 1);
    },
    // After the last connection of database `name` has closed: closes its
    // files and deletes those the engine removed (or never made).
    async detach(name, failed = false) {
      const n = (users.get(name) || 0) - (failed ? 0 : 1);
      if (n > 0) return users.set(name, n);
      users.delete(name);
      for (const f of [name, `${name}-wal`, `${name}-journal`]) {
        const e = files.get(f);
        if (!e) continue;
        files.delete(f);
        e.sah.close();
        if (!e.exists) await e.dir.removeEntry(e.leaf).catch(() => {});
      }
    },
    open(name, flags) {
      const e = files.get(name);
      if (!e) throw notFound(name);
      if (!e.exists) {
        if (!(flags & CREATE) || !(flags & READWRITE)) throw notFound(name);
        e.exists = true;
      }
      const h = next++;
      open.set(h, e);
      return h;
    },
    read: (h, u8, off) => entry(h).sah.read(u8, { at: off }),
    write(h, u8, off) {
      const sah = entry(h).sah;
      let done = 0;
      while (done < u8.length) {
        const n = sah.write(u8.subarray(done), { at: off + done });
        if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
        done += n;
      }
    },
    truncate: (h, size) => entry(h).sah.truncate(size),
    sync: (h) => entry(h).sah.flush(),
    size: (h) => entry(h).sah.getSize(),
    close(h) {
      open.delete(h);
    },
    remove(name) {
      const e = files.get(name);
      if (!e || !e.exists) return;
      e.sah.truncate(0);
      e.exists = false;
    },
    // backup() in a worker: the database image into file `name` (not one
    // this engine has open), its stale -wal and -journal removed.
    async writeCopy(name, bytes) {
      if (users.has(name)) throw makeError(`database is locked: ${name} is open`, BUSY);
      const { dir, leaf } = await folderOf(name);
      let sah;
      try {
        sah = await (await dir.getFileHandle(leaf, { create: true })).createSyncAccessHandle();
      } catch (e) {
        if (e.name === 'NoModificationAllowedError' || e.name === 'InvalidStateError') {
          throw makeError(`database is locked: ${name} is open in another tab or worker`, BUSY);
        }
        throw makeError(`unable to open database file: ${e.message}`, CANTOPEN);
      }
      try {
        sah.truncate(0);
        for (let done = 0; done < bytes.length;) {
          const n = sah.write(bytes.subarray(done), { at: done });
          if (n <= 0) throw makeError('disk I/O error: short write', 10);
          done += n;
        }
        sah.flush();
      } finally {
        sah.close();
      }
      for (const side of ['-wal', '-journal']) await dir.removeEntry(leaf + side).catch(() => {});
    },
    exists: (name) => files.get(name)?.exists === true,
    stat(name) {
      const e = files.get(name);
      return e?.exists ? { size: e.sah.getSize(), dev: 0, ino: 0, mtimeNs: 0 } : null;
    },
  };
}

// The wasm engine of a browser worker: file databases in OPFS.  connect()
// opens the files first (see above), and closing the Database lets them go.
export async function opfsEngine(createEngine) {
  let io = null;
  const ioReady = (async () => {
    try {
      io = opfsIO(await navigator.storage.getDirectory());
    } catch (e) {
      io = { error: e };
    }
  })();
  const lodeIO = {};
  const engine = await createEngine({ lodeIO });
  await ioReady;
  if (!io.error) Object.assign(lodeIO, io);
  const connectEngine = engine.api.connect;

  // backup(): the worker cannot open a destination the engine was not given
  // ahead of time, so the copy is the database's image (serialize(): one
  // read transaction, a consistent snapshot) written in one step.
  function withBackup(db) {
    Object.defineProperty(db, 'backup', {
      configurable: true,
      value: async (destination, options) => {
        const [filename, schema] = backupArgs(destination, options);
        if (io.error) throw makeError(`unable to open database file: OPFS is not available (${io.error.message})`, CANTOPEN);
        const bytes = await db.serialize({ attached: schema });
        await io.writeCopy(filename, bytes);
        const size = bytes.length >= 18 ? (bytes[16] << 8) | bytes[17] : 0;
        const pageSize = size === 1 ? 65536 : size;
        return { totalPages: pageSize ? bytes.length / pageSize : 0, remainingPages: 0 };
      },
    });
    return db;
  }

  async function connect(path = ':memory:', options = {}) {
    const file = typeof path === 'string' && path !== '' && path !== ':memory:' && !path.startsWith('file:');
    if (!file) return withBackup(await connectEngine(path, options));
    if (io.error) throw makeError(`unable to open database file: OPFS is not available (${io.error.message})`, CANTOPEN);
    await io.attach(path, { create: !options?.readonly && !options?.fileMustExist });
    let db;
    try {
      db = await connectEngine(path, options);
    } catch (e) {
      await io.detach(path);
      throw e;
    }
    withBackup(db);
    const close = db.close.bind(db);
    let detached = false;
    Object.defineProperty(db, 'close', {
      configurable: true,
      value: async () => {
        await close();
        if (!detached) {
          detached = true;
          await io.detach(path);
        }
      },
    });
    return db;
  }
  return { ...engine, api: { ...engine.api, connect } };
}
