// lodedb/replication — one primary, read replicas anywhere, through NATS
// JetStream (docs/replication.md has the contract).
//
// The primary ships its WAL: after each local commit the frames it added
// (lode_wal_get_frame, read at once, in the same tick) go to the stream
// `LODE_<stream>` as one message, or as numbered chunks whose last one
// completes the batch when they exceed the server's max_payload.  Message
// ids come from the commit sequence (Lode-Seq), so a retried publish is
// never stored twice, and every publish expects the stream's last sequence
// to be the one this primary stored last: a deposed primary's late publish
// is rejected.  Its automatic checkpoints are off (frame numbers must stay
// valid until shipped); it checkpoints itself after its batches are stored.
//
// A replica consumes the stream in order and applies each batch with
// lode_wal_insert_frame (whole commits only, numbered by its own WAL); its
// connection is query_only, and the stream sequence it applied last is kept
// in `<db>-lode-repl.json`, written after the frames (re-applying the last
// batch after a crash is harmless: pages are whole images).
//
// One writer: the primary holds the key `leader` of the KV bucket
// `lode_<stream>_lease` (its TTL is the lease), renewed at a third of it.
// role 'auto' waits as a replica and takes the lease when it expires, after
// applying the stream's last commit; it then publishes a fence message that
// makes any older primary's next publish fail.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { connect as natsConnect, headers as natsHeaders } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, DeliverPolicy, AckPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { kNative } from './internal.mjs';

const FRAME_HEADER = 24;
const CHECKPOINT_FRAMES = 1000;

function get4(b, at) {
  return b.readUInt32BE(at);
}

function parseStream(stream) {
  if (typeof stream !== 'string' || !/^[A-Za-z0-9_-]+$/.test(stream))
    throw new TypeError('replicate: options.stream must be a name of letters, digits, _ and -');
  return stream;
}

function loadState(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { streamSeq: 0, commitSeq: 0 };
  }
}

function saveState(path, state) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

class Replication {
  #db;
  #driver;
  #handle;
  #opts;
  #nc = null;
  #js = null;
  #jsm = null;
  #kv = null;
  #streamName;
  #subject;
  #statePath;
  #state;
  #frameSize;
  #role = 'replica';
  #closed = false;
  #timers = [];
  #lease = null; // { revision }
  // primary
  #shipped = null; // { salt1, last } of the local WAL
  #queue = []; // batches not stored yet: { seq, frames }
  #publishing = null;
  #waiters = [];
  // replica
  #consumer = null;
  #messages = null;
  #chunks = [];
  #streamLast = 0;
  #appliedAt = Date.now();
  metrics = { appliedCommits: 0, publishedCommits: 0, publishErrors: 0, lastError: null, stale: false };
  unpublished = [];

  constructor(db, opts) {
    this.#db = db;
    this.#opts = opts;
    const { driver, handle } = db[kNative]();
    this.#driver = driver;
    this.#handle = handle;
    const stream = parseStream(opts.stream);
    this.#streamName = `LODE_${stream}`;
    this.#subject = `lode.${stream}.commits`;
    this.#statePath = `${db.name}-lode-repl.json`;
    this.#state = loadState(this.#statePath);
    this.#frameSize = FRAME_HEADER + Number(this.#pragma('page_size'));
  }

  #pragma(name) {
    const h = this.#driver.prepare(this.#handle, `PRAGMA ${name}`);
    try {
      const row = this.#driver.get(h, 1);
      return row ? row[0] : undefined;
    } finally {
      this.#driver.finalize(h);
    }
  }

  #exec(sql) {
    this.#driver.exec(this.#handle, sql);
  }

  get role() {
    return this.#role;
  }

  get lag() {
    return Math.max(0, this.#streamLast - this.#state.streamSeq);
  }

  get snapshotAge() {
    return null; // snapshots are not written yet
  }

  get id() {
    return this.#opts.id;
  }

  async start() {
    const servers = this.#opts.servers ?? 'nats://127.0.0.1:4222';
    this.#nc = await natsConnect({
      servers,
      name: `lode-${this.#opts.id}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    this.#js = jetstream(this.#nc);
    this.#jsm = await jetstreamManager(this.#nc);
    const replicas = this.#opts.replicas ?? 1;
    try {
      await this.#jsm.streams.info(this.#streamName);
    } catch {
      await this.#jsm.streams
        .add({ name: this.#streamName, subjects: [this.#subject], num_replicas: replicas, duplicate_window: 120e9 * 1 })
        .catch(async (e) => {
          // another process created it meanwhile
          await this.#jsm.streams.info(this.#streamName).catch(() => {
            throw e;
          });
        });
    }
    const leaseMs = this.#opts.leaseMs ?? 3000;
    this.#kv = await new Kvm(this.#js).create(`lode_${this.#opts.stream}_lease`, { ttl: leaseMs, replicas });
    const role = this.#opts.role ?? 'auto';
    if (role === 'primary') {
      await this.#catchUp();
      if (!(await this.#takeLease())) throw new Error(`replicate: stream ${this.#opts.stream} has a primary already`);
      await this.#becomePrimary();
    } else {
      await this.#becomeReplica();
      if (role === 'auto') this.#every(leaseMs / 2, () => this.#maybeTakeOver());
    }
    this.#every(Math.max(250, leaseMs / 4), () => this.#refreshLast());
    return this;
  }

  #every(ms, fn) {
    const t = setInterval(() => {
      if (!this.#closed) fn().catch?.((e) => (this.metrics.lastError = String(e?.message ?? e)));
    }, ms);
    t.unref?.();
    this.#timers.push(t);
  }

  async #refreshLast() {
    try {
      const info = await this.#jsm.streams.info(this.#streamName);
      this.#streamLast = info.state.last_seq;
      this.metrics.stale = false;
    } catch (e) {
      this.metrics.stale = true;
      this.metrics.lastError = String(e?.message ?? e);
    }
  }

  // ---- lease ------------------------------------------------------------------

  async #takeLease() {
    const value = JSON.stringify({ id: this.#opts.id, since: Date.now() });
    try {
      this.#lease = { revision: await this.#kv.create('leader', value) };
      return true;
    } catch {
      return false;
    }
  }

  async #renewLease() {
    if (this.#role !== 'primary' || !this.#lease) return;
    const value = JSON.stringify({ id: this.#opts.id, since: Date.now() });
    try {
      this.#lease.revision = await this.#kv.update('leader', value, this.#lease.revision);
    } catch (e) {
      // Lost (expired and taken) or NATS is away: without the lease this
      // process must not publish; its commits stay local.
      if (!String(e?.message ?? e).match(/timeout|disconnect|closed|no responders/i)) this.#stepDown('lease lost');
    }
  }

  async #primaryName() {
    try {
      const e = await this.#kv.get('leader');
      return e?.value?.length ? JSON.parse(new TextDecoder().decode(e.value)).id : null;
    } catch {
      return null;
    }
  }

  async #maybeTakeOver() {
    if (this.#role !== 'replica') return;
    if ((await this.#primaryName()) !== null) return;
    await this.#catchUp();
    if (!(await this.#takeLease())) return;
    // Fence: from now on a publish expecting an older last sequence fails.
    try {
      await this.#refreshLast();
      await this.#catchUp();
      const ack = await this.#publishRaw(Buffer.alloc(0), { fence: true }, this.#state.streamSeq);
      this.#state.streamSeq = ack.seq;
      saveState(this.#statePath, this.#state);
    } catch (e) {
      this.metrics.lastError = String(e?.message ?? e);
      await this.#kv.delete('leader', { previousSeq: this.#lease.revision }).catch(() => {});
      this.#lease = null;
      return;
    }
    await this.#becomePrimary();
  }

  // ---- primary ---------------------------------------------------------------

  async #becomePrimary() {
    await this.#stopConsumer();
    this.#exec('PRAGMA query_only = 0');
    this.#driver.walDisableCheckpoint(this.#handle);
    // What the WAL holds now came from the stream (or predates replication).
    this.#shipped = this.#walPosition();
    this.#role = 'primary';
    const leaseMs = this.#opts.leaseMs ?? 3000;
    this.#every(leaseMs / 3, () => this.#renewLease());
    this.#every(this.#opts.pollMs ?? 10, async () => this.ship());
  }

  #walPosition() {
    const count = this.#driver.walFrameCount(this.#handle);
    if (count === 0) return { salt1: null, last: 0 };
    const f = this.#driver.walGetFrames(this.#handle, 1, 1, this.#frameSize);
    return { salt1: get4(f, 8), last: count };
  }

  // Reads the frames committed since the last call and queues them for the
  // stream; returns a promise settled when everything queued is stored.
  ship() {
    if (this.#role !== 'primary' || this.#closed) return Promise.resolve();
    const count = this.#driver.walFrameCount(this.#handle);
    if (count > 0) {
      const f1 = this.#driver.walGetFrames(this.#handle, 1, 1, this.#frameSize);
      const salt1 = get4(f1, 8);
      const from = salt1 === this.#shipped.salt1 ? this.#shipped.last + 1 : 1;
      if (from <= count) {
        const frames = this.#driver.walGetFrames(this.#handle, from, count, this.#frameSize);
        this.#state.commitSeq++;
        this.#queue.push({ seq: this.#state.commitSeq, frames });
      }
      this.#shipped = { salt1, last: count };
    }
    return this.flush();
  }

  // Settles when every batch queued so far is stored in the stream.
  flush() {
    if (this.#queue.length === 0) return Promise.resolve();
    const p = new Promise((resolve, reject) => this.#waiters.push({ upto: this.#queue.at(-1).seq, resolve, reject }));
    this.#pump();
    return p;
  }

  #pump() {
    if (this.#publishing) return;
    this.#publishing = (async () => {
      while (this.#queue.length && !this.#closed && this.#role === 'primary') {
        const batch = this.#queue[0];
        try {
          await this.#publishBatch(batch);
        } catch (e) {
          if (e?.deposed) {
            this.#stepDown(`publish rejected: ${e.message}`);
            break;
          }
          this.metrics.publishErrors++;
          this.metrics.lastError = String(e?.message ?? e);
          this.metrics.stale = true;
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        this.#queue.shift();
        this.metrics.publishedCommits++;
        this.metrics.stale = false;
        this.#waiters = this.#waiters.filter((w) => (w.upto <= batch.seq ? (w.resolve(), false) : true));
        if (this.#queue.length === 0) this.#maybeCheckpoint();
      }
      this.#publishing = null;
    })();
  }

  #maybeCheckpoint() {
    if (this.#driver.walFrameCount(this.#handle) < (this.#opts.checkpointFrames ?? CHECKPOINT_FRAMES)) return;
    this.ship(); // nothing committed may be left unread when the WAL restarts
    if (this.#queue.length === 0) this.#exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  async #publishBatch(batch) {
    const max = Math.max(1024, (this.#nc.info?.max_payload ?? 1048576) - 4096);
    const n = Math.max(1, Math.ceil(batch.frames.length / max));
    for (let i = batch.sent ?? 0; i < n; i++) {
      const part = batch.frames.subarray(i * max, (i + 1) * max);
      const ack = await this.#publishRaw(part, { seq: batch.seq, chunk: i, chunks: n }, this.#state.streamSeq);
      this.#state.streamSeq = ack.seq;
      batch.sent = i + 1;
    }
    saveState(this.#statePath, this.#state);
  }

  async #publishRaw(data, meta, expectLast) {
    const h = natsHeaders();
    h.set('Lode-Frame-Size', String(this.#frameSize));
    h.set('Lode-Primary', String(this.#opts.id));
    let msgID;
    if (meta.fence) {
      h.set('Lode-Fence', '1');
      msgID = `fence-${this.#opts.id}-${Date.now()}`;
    } else {
      h.set('Lode-Seq', String(meta.seq));
      h.set('Lode-Chunk', `${meta.chunk + 1}/${meta.chunks}`);
      msgID = meta.chunks === 1 ? `c${meta.seq}` : `c${meta.seq}.${meta.chunk + 1}`;
    }
    try {
      return await this.#js.publish(this.#subject, data, {
        headers: h,
        msgID,
        expect: { lastSequence: expectLast, streamName: this.#streamName },
        timeout: this.#opts.publishTimeoutMs ?? 2000,
      });
    } catch (e) {
      const text = String(e?.message ?? e);
      if (/wrong last sequence/i.test(text) || e?.api_error?.err_code === 10071) {
        const err = new Error(text);
        err.deposed = true;
        throw err;
      }
      throw e;
    }
  }

  #stepDown(why) {
    if (this.#role !== 'primary') return;
    this.#role = 'deposed';
    this.metrics.lastError = why;
    // Commits the stream never stored: reported, never merged.
    this.unpublished = this.#queue.map((b) => ({ seq: b.seq, bytes: b.frames.length }));
    this.#queue = [];
    for (const w of this.#waiters) w.reject(new Error(`lodedb/replication: no longer the primary (${why})`));
    this.#waiters = [];
    this.#exec('PRAGMA query_only = 1');
  }

  // ---- replica ---------------------------------------------------------------

  async #becomeReplica() {
    this.#exec('PRAGMA query_only = 1');
    this.#role = 'replica';
    await this.#refreshLast();
    await this.#startConsumer();
  }

  async #startConsumer() {
    const start = this.#state.streamSeq + 1;
    this.#consumer = await this.#js.consumers.get(this.#streamName, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    this.#messages = await this.#consumer.consume();
    (async () => {
      for await (const m of this.#messages) {
        if (this.#closed || this.#role !== 'replica') break;
        try {
          this.#applyMessage(m);
        } catch (e) {
          this.metrics.lastError = String(e?.message ?? e);
          this.metrics.stale = true;
        }
      }
    })().catch((e) => (this.metrics.lastError = String(e?.message ?? e)));
  }

  async #stopConsumer() {
    if (this.#messages) await this.#messages.close?.().catch?.(() => {});
    this.#messages = null;
    this.#consumer = null;
  }

  #applyMessage(m) {
    if (m.seq <= this.#state.streamSeq) return; // applied before
    const h = m.headers;
    if (h?.get('Lode-Fence')) {
      this.#state.streamSeq = m.seq;
      saveState(this.#statePath, this.#state);
      return;
    }
    const [i, n] = (h?.get('Lode-Chunk') ?? '1/1').split('/').map(Number);
    if (i === 1) this.#chunks = [];
    this.#chunks.push(Buffer.from(m.data));
    if (i < n) return; // the batch is applied whole, at its last chunk
    const frames = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
    this.#chunks = [];
    const fsize = Number(h.get('Lode-Frame-Size'));
    const commits = this.#driver.walApplyFrames(this.#handle, frames, fsize);
    this.metrics.appliedCommits += commits;
    this.#state.streamSeq = m.seq;
    this.#state.commitSeq = Number(h.get('Lode-Seq'));
    this.#appliedAt = Date.now();
    if (m.seq > this.#streamLast) this.#streamLast = m.seq;
    saveState(this.#statePath, this.#state);
    for (const w of this.#waiters) if (w.upto <= m.seq) w.resolve();
    this.#waiters = this.#waiters.filter((w) => w.upto > m.seq);
  }

  async #catchUp() {
    await this.#refreshLast();
    if (this.#role === 'replica') return this.#waitApplied(this.#streamLast);
  }

  #waitApplied(seq) {
    if (this.#state.streamSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ upto: seq, resolve, reject }));
  }

  // A replica: resolves once it has applied every commit the stream held at
  // the call.  A primary: once every local commit is stored in the stream.
  async synced() {
    if (this.#role === 'primary') return this.ship();
    await this.#refreshLast();
    return this.#waitApplied(this.#streamLast);
  }

  // The message a replica's write gets.
  async readonlyMessage() {
    const primary = await this.#primaryName();
    return `attempt to write a readonly database: a replica of stream ${this.#opts.stream}` +
      (primary ? `, whose primary is ${primary}` : ', which has no primary now');
  }

  async close() {
    if (this.#closed) return;
    if (this.#role === 'primary') {
      this.ship();
      await Promise.race([this.flush().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    }
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    await this.#stopConsumer();
    if (this.#role === 'primary' && this.#lease)
      await this.#kv.delete('leader', { previousSeq: this.#lease.revision }).catch(() => {});
    for (const w of this.#waiters) w.reject(new Error('lodedb/replication: closed'));
    this.#waiters = [];
    await this.#nc.close().catch(() => {});
  }
}

// Wraps the write entry points of a `lodedb` (promise) database so that a
// replica's writes fail naming the primary and, with sync 'replicated', a
// primary's writes resolve only once the stream stored them.
function wrapWrites(db, rep, sync) {
  for (const name of ['exec', 'run']) {
    const orig = db[name];
    if (typeof orig !== 'function') continue;
    db[name] = function (...args) {
      const r = orig.apply(this, args);
      if (!(r instanceof Promise)) return afterSync(r);
      return r.then(
        async (v) => {
          if (sync === 'replicated' && rep.role === 'primary') await rep.ship();
          return v;
        },
        async (e) => {
          if (e?.code === 'SQLITE_READONLY' && rep.role !== 'primary') e.message = await rep.readonlyMessage();
          throw e;
        },
      );
    };
  }
  function afterSync(v) {
    if (rep.role === 'primary') {
      const p = rep.ship();
      p.catch(() => {});
    }
    return v;
  }
}

export async function replicate(db, options = {}) {
  if (!db || typeof db[kNative] !== 'function') throw new TypeError('replicate: expected a lodedb Database');
  if (db.memory) throw new TypeError('replicate: an in-memory database has no WAL to replicate');
  const opts = { ...options };
  opts.id ??= `${process.pid}@${Date.now().toString(36)}`;
  const sync = opts.sync ?? 'local';
  if (sync !== 'local' && sync !== 'replicated') throw new TypeError("replicate: sync is 'local' or 'replicated'");
  if (!['primary', 'replica', 'auto'].includes(opts.role ?? 'auto'))
    throw new TypeError("replicate: role is 'primary', 'replica' or 'auto'");
  const rep = new Replication(db, opts);
  await rep.start();
  wrapWrites(db, rep, sync);
  return rep;
}

export default replicate;
