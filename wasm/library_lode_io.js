// --js-library: the imports of engine/src/os/os_host.c.  Each forwards to the
// synchronous file object the host installs as Module.lodeIO (js/io-node.mjs
// in Node, js/io-opfs.mjs in a browser worker) and turns what it throws into
// the negative numbers os_host.c expects: -2 the file is absent or may not be
// opened so, -3 the disk or quota is full, -1 any other failure.  HEAPU8 is
// read per call: memory growth replaces it.
mergeInto(LibraryManager.library, {
  $lodeHostCall: function (fn) {
    try {
      return fn(Module['lodeIO']);
    } catch (e) {
      var code = e && (e.code || e.name);
      if (code === 'ENOENT' || code === 'NotFoundError' || code === 'EACCES' || code === 'EPERM'
        || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EROFS' || code === 'NoModificationAllowedError'
        || code === 'TypeMismatchError') return -2;
      if (code === 'ENOSPC' || code === 'QuotaExceededError' || code === 'EDQUOT') return -3;
      return -1;
    }
  },
  lode_host_present: function () {
    return Module['lodeIO'] ? 1 : 0;
  },
  lode_host_open__deps: ['$lodeHostCall'],
  lode_host_open: function (path, flags) {
    return lodeHostCall(function (io) { return io.open(UTF8ToString(path), flags); });
  },
  lode_host_read__deps: ['$lodeHostCall'],
  lode_host_read: function (h, ptr, n, off) {
    return lodeHostCall(function (io) { return io.read(h, HEAPU8.subarray(ptr, ptr + n), off); });
  },
  lode_host_write__deps: ['$lodeHostCall'],
  lode_host_write: function (h, ptr, n, off) {
    return lodeHostCall(function (io) { io.write(h, HEAPU8.subarray(ptr, ptr + n), off); return 0; });
  },
  lode_host_truncate__deps: ['$lodeHostCall'],
  lode_host_truncate: function (h, size) {
    return lodeHostCall(function (io) { io.truncate(h, size); return 0; });
  },
  lode_host_sync__deps: ['$lodeHostCall'],
  lode_host_sync: function (h) {
    return lodeHostCall(function (io) { io.sync(h); return 0; });
  },
  lode_host_size__deps: ['$lodeHostCall'],
  lode_host_size: function (h) {
    return lodeHostCall(function (io) { return io.size(h); });
  },
  lode_host_close__deps: ['$lodeHostCall'],
  lode_host_close: function (h) {
    return lodeHostCall(function (io) { io.close(h); return 0; });
  },
  lode_host_remove__deps: ['$lodeHostCall'],
  lode_host_remove: function (path) {
    return lodeHostCall(function (io) { io.remove(UTF8ToString(path)); return 0; });
  },
  lode_host_exists__deps: ['$lodeHostCall'],
  lode_host_exists: function (path) {
    return lodeHostCall(function (io) { return io.exists(UTF8ToString(path)) ? 1 : 0; });
  },
  lode_host_stat__deps: ['$lodeHostCall'],
  lode_host_stat: function (path, out) {
    return lodeHostCall(function (io) {
      var st = io.stat(UTF8ToString(path));
      if (!st) return 0;
      HEAPF64[out >> 3] = st.size;
      HEAPF64[(out >> 3) + 1] = st.dev || 0;
      HEAPF64[(out >> 3) + 2] = st.ino || 0;
      HEAPF64[(out >> 3) + 3] = st.mtimeNs || 0;
      return 1;
    });
  },
});
