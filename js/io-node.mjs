// io-node.mjs — the files of the wasm engine in Node: the synchronous
// Module.lodeIO object that engine/src/os/os_host.c calls (through
// wasm/library_lode_io.js), over node:fs.  Methods throw Node's errors
// (e.code ENOENT, ENOSPC, ...), which the library maps to result codes.
//
// No locks: the wasm engine is one process that takes none, so a file must
// not be open in this engine and in another process (or the native addon) at
// the same time.  Sequential use is fine: the files are SQLite 3 files.

const CREATE = 0x04;
const READWRITE = 0x02;

export function nodeIO(fs) {
  const { O_RDONLY, O_RDWR, O_CREAT } = fs.constants;
  const fds = new Map(); // handle -> fd
  let next = 1;
  const fd = (h) => {
    const d = fds.get(h);
    if (d === undefined) throw Object.assign(new Error('bad handle'), { code: 'EBADF' });
    return d;
  };
  return {
    open(path, flags) {
      const mode = flags & READWRITE ? O_RDWR | (flags & CREATE ? O_CREAT : 0) : O_RDONLY;
      const d = fs.openSync(path, mode, 0o644);
      if (fs.fstatSync(d).isDirectory()) {
        fs.closeSync(d);
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      }
      const h = next++;
      fds.set(h, d);
      return h;
    },
    read(h, u8, off) {
      let done = 0;
      while (done < u8.length) {
        const n = fs.readSync(fd(h), u8, done, u8.length - done, off + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    write(h, u8, off) {
      let done = 0;
      while (done < u8.length) done += fs.writeSync(fd(h), u8, done, u8.length - done, off + done);
    },
    truncate: (h, size) => fs.ftruncateSync(fd(h), size),
    sync: (h) => fs.fdatasyncSync(fd(h)),
    size: (h) => fs.fstatSync(fd(h)).size,
    close(h) {
      const d = fd(h);
      fds.delete(h);
      fs.closeSync(d);
    },
    remove(path) {
      try {
        fs.unlinkSync(path);
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
    },
    exists: (path) => fs.existsSync(path),
    stat(path) {
      const st = fs.statSync(path, { bigint: true, throwIfNoEntry: false });
      return st ? { size: Number(st.size), dev: Number(st.dev), ino: Number(st.ino), mtimeNs: Number(st.mtimeNs) } : null;
    },
  };
}
