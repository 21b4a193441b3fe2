// internal.mjs — symbols shared by lodedb's own modules, not part of the API.
// kNative: a Database's driver and native connection handle, for
// lodedb/replication (which moves WAL frames through the driver).
export const kNative = Symbol('lodedb.native');
