// internal.mjs — symbols shared by lodedb's own modules, not part of the API.
// kNative: a Database's driver and native connection handle, for
// lodedb/replication (which moves WAL frames through the driver).
export const kNative = Symbol('lodedb.native');
// kAfterCall: db[kAfterCall](fn) has a promise Database pass each call's
// start through fn(start) → promise of its result, so that lodedb/replication
// can hold a call's promise until the commit it made is replicated.
export const kAfterCall = Symbol('lodedb.afterCall');
