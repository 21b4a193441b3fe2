// lodedb/replication — one primary, read replicas anywhere, through NATS
// JetStream (docs/replication.md has the contract).
//
// The primary ships its WAL.  The engine tells it of each commit (the
// connection's WAL hook, called by the addon once the statement that
// committed has returned); it then reads the frames the commit added
// (lode_wal_get_frame, at once, before anything can checkpoint) and queues
// them for the stream `LODE_<stream>`: one message, or numbered chunks whose
// last one completes the batch when they exceed the server's max_payload.
// Message ids come from the commit sequence (Lode-Seq), so a retried
// publish is never stored twice, and every publish expects the stream's last
// sequence to be the one this primary stored last: a deposed primary's late
// publish is rejected.  Its automatic checkpoints are off (frame numbers must
// stay valid until shipped); it checkpoints itself once its batches are
// stored.  A slow poll (pollMs) still looks for commits the hook cannot see
// (other connections to the file).
//
// Snapshots: once enough was published (snapshotBytes) or enough time passed
// (snapshotMs), the primary, with nothing left unshipped, serializes the
// database — exactly the state at the stream sequence it stored last — into
// the Object Store bucket `lode_<stream>_snap` (object `snapshot`, with that
// sequence in its metadata), then trims the stream behind it (keeping
// snapshotKeep messages).  A replica that is new, or whose next message was
// trimmed, applies the snapshot as one commit of whole-page frames and goes
// on with the stream from the snapshot's sequence.
//
// A replica consumes the stream in order and applies each batch with
// lode_wal_insert_frame (whole commits only, numbered by its own WAL); its
// connection is query_only, and the stream sequence it applied last is kept
// in `<db>-lode-repl.json`, written after the frames (re-applying the last
// batch after a crash is harmless: pages are whole images).
//
// One writer: the primary holds the key `leader` of the KV bucket
// `lode_<stream>_lease` (its TTL is the lease), renewed at a third of it.
// A replica taking over (role 'auto' when the lease expired, or 'primary' at
// start) first applies the stream's last commit, takes the lease, then
// publishes a fence message expecting that last sequence, which makes any
// older primary's next publish fail.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { connect as natsConnect, headers as natsHeaders } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm, getSha256Backend, setSha256Backend } from '@nats-io/obj';
import { kAfterCall, kNative } from './internal.mjs';

// Snapshots are digested with SHA-256 as they are written and read; Node's
// own hash is several times faster than the client's portable default.
if (getSha256Backend() === 'js') setSha256Backend('native');

const FRAME_HEADER = 24;
const CHECKPOINT_FRAMES = 1000;
const SNAPSHOT_OBJECT = 'snapshot';
const SNAPSHOT_BYTES = 64 * 1024 * 1024;
const SNAPSHOT_MS = 10 * 60 * 1000;
const SNAPSHOT_KEEP = 100;
const SNAPSHOT_READ = 1024 * 1024; // bytes read from the database file at a time
// A new replica applies a snapshot as commits of this many pages (nothing
// reads it before it is whole); one that has data applies it as one commit.
const BOOTSTRAP_PAGES = 4096;

// The first row of statement h as an array (the native driver's get hands a
// failure back as driver.thrown, see js/native.mjs).
function getRow(driver, h) {
  const r = driver.get(h, 1);
  return r === driver.thrown ? driver.rethrow() : r;
}

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

function message(e) {
  return String(e?.message ?? e);
}

const offline = (e) => /timeout|timed out|disconnect|closed|no responders|connection/i.test(message(e));

// Pages of a database image, arriving in chunks of any size, as whole-page
// frames (the pager numbers them, salts and checksums them as its own):
// push() returns the frames completed so far; the frame of the last page
// (and, with `every`, of every every-th page) carries the commit mark.
class ImageFrames {
  constructor(pageSize, pages, every = 0) {
    this.pageSize = pageSize;
    this.pages = pages;
    this.every = every;
    this.page = 0;
    this.part = Buffer.alloc(pageSize);
    this.fill = 0;
  }

  push(chunk) {
    const out = [];
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(this.pageSize - this.fill, chunk.length - at);
      chunk.copy(this.part, this.fill, at, at + take);
      this.fill += take;
      at += take;
      if (this.fill < this.pageSize) break;
      this.fill = 0;
      const f = Buffer.alloc(FRAME_HEADER + this.pageSize);
      this.page++;
      f.writeUInt32BE(this.page, 0);
      if (this.page === this.pages || (this.every && this.page % this.every === 0)) f.writeUInt32BE(this.pages, 4);
      this.part.copy(f, FRAME_HEADER);
      out.push(f);
    }
    return out;
  }
}

// The first `bytes` of the file at path as a stream of chunks read as they
// are consumed (never the whole file in memory).
function fileStream(path, bytes) {
  let fh = null;
  let at = 0;
  return new ReadableStream({
    async pull(controller) {
      fh ??= await openFile(path, 'r');
      if (at >= bytes) {
        await fh.close();
        controller.close();
        return;
      }
      const n = Math.min(SNAPSHOT_READ, bytes - at);
      const buf = Buffer.alloc(n);
      const { bytesRead } = await fh.read(buf, 0, n, at);
      if (bytesRead !== n) {
        await fh.close();
        controller.error(new Error(`lodedb/replication: the database file ended at byte ${at + bytesRead}`));
        return;
      }
      at += n;
      controller.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, n));
    },
    async cancel() {
      await fh?.close();
    },
  });
}

class Gap extends Error {}

class Replication {
  #db;
  #driver;
  #handle;
  #opts;
  #sync;
  #nc = null;
  #js = null;
  #jsm = null;
  #kv = null;
  #os = null;
  #streamName;
  #subject;
  #statePath;
  #state;
  #frameSize;
  #role = 'replica';
  #closed = false;
  #timers = [];
  #busy = new Set(); // periodic tasks running now (one of each at a time)
  #lease = null; // { revision }
  // primary
  #shipped = null; // { salt1, last } of the local WAL
  #queue = []; // batches not stored yet: { seq, frames, sent }
  #stored = 0; // commit sequence of the last batch stored
  #publishing = null;
  #waiters = []; // primary: { upto: commit seq }; replica: { upto: stream seq }
  #sinceSnapshot = 0; // bytes published since the last snapshot
  #snapshotAt = 0; // when the latest snapshot was written (ms), 0: none known
  #snapshotSeq = 0;
  #snapshotting = null; // the snapshot being written (a promise)
  #snapshotFile = false; // the database file is being read as a snapshot
  #primarySince = 0;
  #noLeaderSince = 0; // when this replica first saw no lease, 0: it saw one
  // replica
  #messages = null;
  #consuming = null;
  #received = 0;
  #progressAt = 0; // when the consumer last started or got a message
  #chunks = [];
  #streamLast = 0;
  #streamFirst = 1;
  metrics = {
    appliedCommits: 0,
    publishedCommits: 0,
    publishErrors: 0,
    snapshotsWritten: 0,
    snapshotsApplied: 0,
    lastError: null,
    stale: false,
  };
  unpublished = [];

  constructor(db, opts) {
    this.#db = db;
    this.#opts = opts;
    this.#sync = opts.sync ?? 'local';
    const { driver, handle } = db[kNative]();
    this.#driver = driver;
    this.#handle = handle;
    const stream = parseStream(opts.stream);
    this.#streamName = `LODE_${stream}`;
    this.#subject = `lode.${stream}.commits`;
    this.#statePath = `${db.name}-lode-repl.json`;
    this.#state = loadState(this.#statePath);
    this.#stored = this.#state.commitSeq;
    this.#frameSize = FRAME_HEADER + Number(this.#pragma('page_size'));
  }

  #pragma(name) {
    const h = this.#driver.prepare(this.#handle, `PRAGMA ${name}`);
    try {
      const row = getRow(this.#driver, h);
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

  // Milliseconds since the latest snapshot was written; null when none is known.
  get snapshotAge() {
    return this.#snapshotAt ? Date.now() - this.#snapshotAt : null;
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
      timeout: this.#opts.connectTimeoutMs ?? 5000,
    });
    const timeout = this.#opts.publishTimeoutMs ?? 2000;
    this.#js = jetstream(this.#nc, { timeout });
    this.#jsm = await jetstreamManager(this.#nc, { timeout });
    const replicas = this.#opts.replicas ?? 1;
    try {
      await this.#jsm.streams.info(this.#streamName);
    } catch {
      await this.#jsm.streams
        .add({ name: this.#streamName, subjects: [this.#subject], num_replicas: replicas, duplicate_window: 120e9 })
        .catch(async (e) => {
          // another process created it meanwhile
          await this.#jsm.streams.info(this.#streamName).catch(() => {
            throw e;
          });
        });
    }
    const leaseMs = this.#opts.leaseMs ?? 3000;
    this.#kv = await new Kvm(this.#js).create(`lode_${this.#opts.stream}_lease`, { ttl: leaseMs, replicas });
    this.#os = await new Objm(this.#js).create(`lode_${this.#opts.stream}_snap`, { replicas });
    const role = this.#opts.role ?? 'auto';
    await this.#becomeReplica();
    if (role === 'primary') {
      await this.#catchUp();
      if (!(await this.#promote())) {
        await this.close();
        throw new Error(`replicate: stream ${this.#opts.stream} has a primary already (${await this.#primaryName()})`);
      }
    } else if (role === 'auto') {
      this.#every('takeover', leaseMs / 2, () => this.#maybeTakeOver());
    }
    this.#every('refresh', Math.max(250, leaseMs / 4), () => this.#refreshLast().then(() => this.#watchConsumer()));
    return this;
  }

  // Runs fn every ms, never two of the same task at once.
  #every(name, ms, fn) {
    const t = setInterval(() => {
      if (this.#closed || this.#busy.has(name)) return;
      this.#busy.add(name);
      Promise.resolve()
        .then(fn)
        .catch((e) => (this.metrics.lastError = message(e)))
        .finally(() => this.#busy.delete(name));
    }, ms);
    t.unref?.();
    this.#timers.push({ name, t });
  }

  #stop(name) {
    for (const x of this.#timers.filter((x) => x.name === name)) clearInterval(x.t);
    this.#timers = this.#timers.filter((x) => x.name !== name);
  }

  async #refreshLast() {
    try {
      const info = await this.#jsm.streams.info(this.#streamName);
      this.#streamLast = info.state.last_seq;
      this.#streamFirst = info.state.first_seq;
      const snap = await this.#os.info(SNAPSHOT_OBJECT);
      if (snap && !snap.deleted) {
        this.#snapshotAt = Number(snap.metadata?.at ?? 0) || this.#snapshotAt;
        this.#snapshotSeq = Number(snap.metadata?.streamSeq ?? 0);
      }
      this.metrics.stale = false;
    } catch (e) {
      this.metrics.stale = true;
      this.metrics.lastError = message(e);
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
      // NATS away: keep going; publishes wait, and the expected-last-sequence
      // check still guards them when it is back.
      if (offline(e)) return;
      // The lease expired (a NATS outage longer than the TTL does that).  If
      // nobody took it, take it again: a primary that took over meanwhile
      // fenced the stream, so this one's next publish would fail anyway.
      // Only a lease seen in another's name deposes this one; anything else
      // (JetStream still electing its leaders) is tried again at the next renewal.
      let holder;
      try {
        holder = await this.#kv.get('leader');
      } catch {
        return;
      }
      if (this.#role !== 'primary') return;
      const id = holder?.value?.length ? JSON.parse(new TextDecoder().decode(holder.value)).id : null;
      if (id === null) await this.#takeLease();
      else if (id === String(this.#opts.id)) this.#lease = { revision: holder.revision };
      else this.#stepDown(`lease lost to ${id}`);
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
    let e;
    try {
      e = await this.#kv.get('leader');
    } catch {
      this.#noLeaderSince = 0;
      return; // NATS away: no telling whether there is a primary
    }
    if (e?.value?.length) {
      this.#noLeaderSince = 0;
      return;
    }
    // Seen free for a whole lease: after an outage the primary, back, takes
    // its lease again first (it renews more often), keeping its local commits.
    const now = Date.now();
    if (!this.#noLeaderSince) this.#noLeaderSince = now;
    if (now - this.#noLeaderSince < (this.#opts.leaseMs ?? 3000)) return;
    if (!(await this.#catchUpWithin((this.#opts.leaseMs ?? 3000) * 4))) return;
    await this.#promote();
  }

  // Replica → primary: lease, then the fence.  False when another has the lease.
  async #promote() {
    if (!(await this.#takeLease())) return false;
    try {
      await this.#catchUp(); // whatever was stored before the lease was ours
      await this.#stopConsumer();
      const ack = await this.#publishRaw(Buffer.alloc(0), { fence: true }, this.#state.streamSeq);
      this.#state.streamSeq = ack.seq;
      saveState(this.#statePath, this.#state);
    } catch (e) {
      this.metrics.lastError = message(e);
      await this.#kv.delete('leader', { previousSeq: this.#lease.revision }).catch(() => {});
      this.#lease = null;
      if (!this.#closed) await this.#startConsumer();
      return false;
    }
    this.#becomePrimary();
    return true;
  }

  // ---- primary ---------------------------------------------------------------

  #becomePrimary() {
    this.#exec('PRAGMA query_only = 0');
    this.#driver.walDisableCheckpoint(this.#handle);
    // What the WAL holds now came from the stream (or predates replication).
    this.#shipped = this.#walPosition();
    this.#stored = this.#state.commitSeq;
    this.#role = 'primary';
    this.#primarySince = Date.now();
    const hook = typeof this.#driver.walHook === 'function';
    if (hook) this.#driver.walHook(this.#handle, () => this.#shipQuietly());
    const leaseMs = this.#opts.leaseMs ?? 3000;
    this.#every('lease', leaseMs / 3, () => this.#renewLease());
    this.#every('poll', this.#opts.pollMs ?? (hook ? 1000 : 10), async () => this.#shipQuietly());
    if (this.#snapshotsOn()) this.#every('snapshot', Math.min(this.#snapshotMs(), 5000), async () => this.#maybeSnapshot());
  }

  #shipQuietly() {
    try {
      this.ship().catch(() => {});
    } catch (e) {
      this.metrics.lastError = message(e);
    }
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
        this.#queue.push({ seq: this.#state.commitSeq, frames, sent: 0 });
      }
      this.#shipped = { salt1, last: count };
    }
    return this.flush();
  }

  // Settles when every batch queued so far is stored in the stream.
  flush() {
    if (this.#queue.length === 0) return Promise.resolve();
    const p = this.#waitStored(this.#queue.at(-1).seq);
    this.#pump();
    return p;
  }

  #waitStored(seq) {
    if (this.#stored >= seq) return Promise.resolve();
    if (this.#role !== 'primary') return Promise.reject(new Error(`lodedb/replication: no longer the primary`));
    return new Promise((resolve, reject) => this.#waiters.push({ upto: seq, resolve, reject }));
  }

  #pump() {
    if (this.#publishing) return;
    this.#publishing = (async () => {
      while (this.#queue.length && !this.#closed && this.#role === 'primary') {
        this.#coalesce();
        const batch = this.#queue[0];
        try {
          await this.#publishBatch(batch);
        } catch (e) {
          if (e?.deposed && !(await this.#storedAnyway(batch).catch(() => false))) {
            this.#stepDown(`publish rejected: ${e.message}`);
            break;
          }
          if (e?.deposed) continue; // next batch: rejected in turn, or stored too
          this.metrics.publishErrors++;
          this.metrics.lastError = message(e);
          this.metrics.stale = true;
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        this.#queue.shift();
        this.#batchStored(batch);
        if (this.#queue.length === 0) this.#maybeCheckpoint();
      }
      this.#publishing = null;
      if (this.#queue.length === 0) this.#maybeSnapshot();
    })();
  }

  #maybeCheckpoint() {
    if (this.#snapshotFile) return; // the file must stay the snapshot's image while it is read
    if (this.#driver.walFrameCount(this.#handle) < (this.#opts.checkpointFrames ?? CHECKPOINT_FRAMES)) return;
    this.ship(); // nothing committed may be left unread when the WAL restarts
    if (this.#queue.length === 0) this.#exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  // Commits queued behind one another go out as one message (a replica
  // applies each commit in it whole), up to max_payload: the stream keeps up
  // with a primary committing faster than one publish round trip.  A batch
  // tried once is left as it is: a retry must publish the same ids (its
  // first try may be stored, with the ack lost).
  #coalesce() {
    const first = this.#queue[0];
    if (this.#queue.length < 2 || first.tried) return;
    const max = this.#chunking(first).max;
    let n = 1;
    let bytes = first.frames.length;
    while (n < this.#queue.length && !this.#queue[n].tried && bytes + this.#queue[n].frames.length <= max) bytes += this.#queue[n++].frames.length;
    if (n < 2) return;
    const group = this.#queue.splice(0, n);
    this.#queue.unshift({
      seq: group.at(-1).seq,
      from: first.from ?? first.seq,
      frames: Buffer.concat(group.map((b) => b.frames)),
      sent: 0,
    });
  }

  #chunking(batch) {
    const max = Math.max(1024, (this.#nc.info?.max_payload ?? 1048576) - 4096);
    return { max, n: Math.max(1, Math.ceil(batch.frames.length / max)) };
  }

  // A publish was rejected, but its earlier try may have been stored with the
  // ack lost (a timeout, a pause): then the messages after the last sequence
  // this primary knows are its own.  True when the whole batch is there.
  async #storedAnyway(batch) {
    const { n } = this.#chunking(batch);
    for (let i = batch.sent; i < n; i++) {
      const id = n === 1 ? `c${batch.seq}` : `c${batch.seq}.${i + 1}`;
      const m = await this.#jsm.streams.getMessage(this.#streamName, { seq: this.#state.streamSeq + 1 });
      if (!m || m.header?.get('Nats-Msg-Id') !== id || m.header?.get('Lode-Primary') !== String(this.#opts.id))
        return false;
      this.#state.streamSeq = m.seq;
      batch.sent = i + 1;
    }
    saveState(this.#statePath, this.#state);
    this.#queue.shift();
    this.#batchStored(batch);
    return true;
  }

  #batchStored(batch) {
    this.#stored = batch.seq;
    this.#sinceSnapshot += batch.frames.length;
    this.metrics.publishedCommits += batch.seq - (batch.from ?? batch.seq) + 1;
    this.metrics.stale = false;
    this.#waiters = this.#waiters.filter((w) => (w.upto <= batch.seq ? (w.resolve(), false) : true));
  }

  async #publishBatch(batch) {
    batch.tried = true;
    const { max, n } = this.#chunking(batch);
    for (let i = batch.sent; i < n; i++) {
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
      const text = message(e);
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
    for (const name of ['lease', 'poll', 'snapshot']) this.#stop(name);
    this.#driver.walHook?.(this.#handle, null);
    this.#exec('PRAGMA query_only = 1');
    if (this.#lease) this.#kv.delete('leader', { previousSeq: this.#lease.revision }).catch(() => {});
    this.#lease = null;
    this.#settleDeposed(why).catch((e) => (this.metrics.lastError = message(e)));
  }

  // A publish whose ack was lost (a timeout while this process was paused,
  // say) may have been stored before the new primary fenced the stream: such
  // a commit is in the stream, so it is acknowledged, not reported as lost.
  // What the stream does not hold after the fence can never be stored (the
  // fence moved the expected last sequence), so it is rejected for certain;
  // when the stream cannot be asked, the error says the outcome is unknown.
  async #settleDeposed(why) {
    await this.#publishing?.catch(() => {});
    let unknown = false;
    try {
      while (this.#queue.length && this.#queue[0].tried && (await this.#storedAnyway(this.#queue[0]))) {
        // stored: #storedAnyway resolved its waiters
      }
    } catch {
      unknown = this.#queue.length > 0 && this.#queue[0].tried === true;
    }
    // Commits the stream never stored: reported, never merged.
    this.unpublished = this.#queue.map((b) => ({ seq: b.seq, bytes: b.frames.length }));
    this.#queue = [];
    const text = unknown
      ? `lodedb/replication: no longer the primary (${why}); the stream could not be asked whether the last commit was stored (outcome unknown)`
      : `lodedb/replication: no longer the primary (${why})`;
    for (const w of this.#waiters) w.reject(new Error(text));
    this.#waiters = [];
  }

  // ---- snapshots ---------------------------------------------------------------

  #snapshotsOn() {
    return this.#opts.snapshots !== false;
  }

  #snapshotMs() {
    return this.#opts.snapshotMs ?? SNAPSHOT_MS;
  }

  // Writes a snapshot when due and nothing is left unshipped; the image is
  // then exactly the stream's state at this primary's last stored sequence.
  #maybeSnapshot() {
    if (!this.#snapshotsOn() || this.#snapshotting || this.#role !== 'primary' || this.#closed) return;
    if (this.#state.streamSeq <= this.#snapshotSeq) return;
    const bytesDue = this.#sinceSnapshot >= (this.#opts.snapshotBytes ?? SNAPSHOT_BYTES);
    const timeDue = Date.now() - (this.#snapshotAt || this.#primarySince) >= this.#snapshotMs();
    if (!bytesDue && !timeDue) return;
    this.#shipQuietly();
    if (this.#queue.length || this.#publishing) return;
    this.snapshot().catch((e) => (this.metrics.lastError = message(e)));
  }

  // Primary: writes a snapshot now (once what is queued is stored) and trims
  // the stream behind it; resolves to its stream sequence.
  async snapshot() {
    if (this.#role !== 'primary') throw new Error('lodedb/replication: only the primary writes snapshots');
    await this.ship();
    while (this.#snapshotting) await this.#snapshotting.catch(() => {});
    if (this.#state.streamSeq <= this.#snapshotSeq && this.#queue.length === 0) return this.#snapshotSeq;
    this.#snapshotting = this.#writeSnapshot();
    try {
      return await this.#snapshotting;
    } finally {
      this.#snapshotting = null;
    }
  }

  async #writeSnapshot() {
    {
      // The image must hold exactly what the stream holds: from the ship()
      // that found nothing left to publish to serialize() nothing can commit.
      for (;;) {
        this.ship().catch(() => {});
        if (this.#queue.length === 0) break;
        await this.flush();
      }
      const seq = this.#state.streamSeq;
      const commitSeq = this.#state.commitSeq;
      const pageSize = this.#frameSize - FRAME_HEADER;
      // Every frame copied into the file: the file alone is the image at
      // seq, and stays so while it is read (the primary's checkpoints wait;
      // commits meanwhile only append to the WAL).  It is streamed from
      // disk in chunks.  When the checkpoint cannot finish (another
      // connection reads an older state) the image is serialized instead.
      const h = this.#driver.prepare(this.#handle, 'PRAGMA wal_checkpoint(FULL)');
      let ck;
      try {
        ck = getRow(this.#driver, h);
      } finally {
        this.#driver.finalize(h);
      }
      const whole = Array.isArray(ck) && Number(ck[0]) === 0 && Number(ck[1]) === Number(ck[2]);
      const pages = Number(this.#pragma('page_count'));
      let data;
      if (whole) {
        this.#snapshotFile = true;
        data = fileStream(this.#db.name, pages * pageSize);
      } else {
        const image = this.#driver.serialize(this.#handle, 'main');
        data = new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(image.buffer, image.byteOffset, image.length));
            c.close();
          },
        });
      }
      const at = Date.now();
      this.#sinceSnapshot = 0;
      try {
        await this.#os.put(
          {
            name: SNAPSHOT_OBJECT,
            metadata: {
              streamSeq: String(seq),
              commitSeq: String(commitSeq),
              pageSize: String(pageSize),
              primary: String(this.#opts.id),
              at: String(at),
            },
          },
          data,
          { timeout: this.#opts.publishTimeoutMs ?? 2000 },
        );
      } finally {
        this.#snapshotFile = false;
      }
      this.#snapshotSeq = seq;
      this.#snapshotAt = at;
      this.metrics.snapshotsWritten++;
      const keep = this.#opts.snapshotKeep ?? SNAPSHOT_KEEP;
      if (seq + 1 - keep > 1) await this.#jsm.streams.purge(this.#streamName, { seq: seq + 1 - keep });
      return seq;
    }
  }

  // Replica: the latest snapshot, when it is ahead of what was applied, as
  // one local commit.  True when applied.
  async #applySnapshot() {
    const r = await this.#os.get(SNAPSHOT_OBJECT);
    if (!r) return false;
    const seq = Number(r.info.metadata?.streamSeq ?? 0);
    const pageSize = Number(r.info.metadata?.pageSize ?? 0);
    if (seq <= this.#state.streamSeq) {
      await r.data.cancel().catch(() => {});
      return false;
    }
    const size = Number(r.info.size ?? 0);
    if (!pageSize || size === 0 || size % pageSize) {
      await r.data.cancel().catch(() => {});
      throw new Error(`lodedb/replication: snapshot of stream ${this.#opts.stream} is damaged`);
    }
    if (pageSize + FRAME_HEADER !== this.#frameSize) this.#frameSize = pageSize + FRAME_HEADER;
    // A new replica takes the image as commits of BOOTSTRAP_PAGES pages as
    // it arrives; one with data as one commit (atomic: its readers never
    // see half of it), whose frames the engine holds until the last page.
    const fresh = this.#state.streamSeq === 0;
    const frames = new ImageFrames(pageSize, size / pageSize, fresh ? BOOTSTRAP_PAGES : 0);
    // Frames of the commit being gathered: one buffer filled in place (a
    // new replica's is BOOTSTRAP_PAGES frames, reused; else the whole image).
    const fsize = pageSize + FRAME_HEADER;
    const held = Buffer.allocUnsafe((fresh ? Math.min(BOOTSTRAP_PAGES, size / pageSize) : size / pageSize) * fsize);
    let fill = 0;
    const reader = r.data.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const f of frames.push(Buffer.from(value.buffer, value.byteOffset, value.length))) {
        f.copy(held, fill);
        fill += fsize;
        if (f.readUInt32BE(4) !== 0) {
          this.#driver.walApplyFrames(this.#handle, held.subarray(0, fill), fsize);
          fill = 0;
        }
      }
    }
    const err = await r.error;
    if (err) throw err;
    if (frames.page !== size / pageSize || fill !== 0)
      throw new Error(`lodedb/replication: snapshot of stream ${this.#opts.stream} is damaged`);
    this.#state.streamSeq = seq;
    this.#state.commitSeq = Number(r.info.metadata?.commitSeq ?? 0);
    saveState(this.#statePath, this.#state);
    this.#snapshotSeq = seq;
    this.#snapshotAt = Number(r.info.metadata?.at ?? 0) || this.#snapshotAt;
    this.metrics.snapshotsApplied++;
    this.#wakeReplicaWaiters();
    return true;
  }

  // ---- replica ---------------------------------------------------------------

  async #becomeReplica() {
    this.#exec('PRAGMA query_only = 1');
    this.#role = 'replica';
    await this.#refreshLast();
    // New, or behind what the stream still holds: start from the snapshot.
    const behind = this.#state.streamSeq + 1 < this.#streamFirst;
    if ((behind || this.#state.streamSeq === 0) && this.#opts.bootstrap !== 'stream') {
      try {
        await this.#applySnapshot();
      } catch (e) {
        this.metrics.lastError = message(e);
        if (behind) throw e;
      }
    }
    await this.#startConsumer();
  }

  async #startConsumer() {
    this.#received = this.#state.streamSeq;
    this.#progressAt = Date.now();
    this.#chunks = [];
    const consumer = await this.#js.consumers.get(this.#streamName, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.#state.streamSeq + 1,
    });
    const messages = await consumer.consume();
    this.#messages = messages;
    this.#consuming = (async () => {
      try {
        for await (const m of messages) {
          if (this.#closed || this.#role !== 'replica') break;
          try {
            this.#applyMessage(m);
          } catch (e) {
            if (e instanceof Gap) return 'gap';
            this.metrics.lastError = message(e);
            this.metrics.stale = true;
          }
        }
      } catch (e) {
        this.metrics.lastError = message(e);
      }
      return 'done';
    })();
    this.#consuming.then(async (why) => {
      if (this.#closed || this.#role !== 'replica' || this.#messages !== messages) return;
      await this.#stopConsumer();
      if (why === 'gap') {
        // The messages after what was applied were trimmed: the snapshot first.
        try {
          await this.#applySnapshot();
        } catch (e) {
          this.metrics.lastError = message(e);
          this.metrics.stale = true;
        }
      }
      await this.#restartConsumer();
    }).catch((e) => (this.metrics.lastError = message(e)));
  }

  // A consumer behind the stream that got nothing for a while lost its
  // server (a NATS node died, NATS restarted): a new one, from what was applied.
  async #watchConsumer() {
    if (this.#role !== 'replica' || !this.#messages || this.#closed) return;
    if (this.#streamLast <= this.#received) return;
    if (Date.now() - this.#progressAt < (this.#opts.stallMs ?? 3000)) return;
    this.metrics.lastError = `the consumer stalled at stream sequence ${this.#received}; starting another`;
    await this.#stopConsumer();
    await this.#restartConsumer();
  }

  // The consumer ended by itself (NATS went away): again, until it runs.
  async #restartConsumer() {
    for (;;) {
      if (this.#closed || this.#role !== 'replica' || this.#messages) return;
      try {
        await this.#startConsumer();
        return;
      } catch (e) {
        this.metrics.lastError = message(e);
        this.metrics.stale = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async #stopConsumer() {
    const m = this.#messages;
    this.#messages = null;
    if (m) await Promise.resolve(m.close?.()).catch(() => {});
  }

  #applyMessage(m) {
    this.#progressAt = Date.now();
    if (m.seq <= this.#received) return; // applied before
    if (m.seq !== this.#received + 1) throw new Gap(`stream sequence ${this.#received + 1} is gone`);
    this.#received = m.seq;
    const h = m.headers;
    if (h?.get('Lode-Fence')) {
      this.#chunks = [];
      this.#state.streamSeq = m.seq;
      saveState(this.#statePath, this.#state);
      this.#wakeReplicaWaiters();
      return;
    }
    const [i, n] = (h?.get('Lode-Chunk') || '1/1').split('/').map(Number);
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
    if (m.seq > this.#streamLast) this.#streamLast = m.seq;
    saveState(this.#statePath, this.#state);
    this.#wakeReplicaWaiters();
  }

  #wakeReplicaWaiters() {
    const seq = this.#state.streamSeq;
    if (seq > this.#streamLast) this.#streamLast = seq;
    this.#waiters = this.#waiters.filter((w) => (w.upto <= seq ? (w.resolve(), false) : true));
  }

  // False when the stream's last commit was not applied within ms.
  async #catchUpWithin(ms) {
    let timer;
    const late = new Promise((r) => (timer = setTimeout(() => r(false), ms)));
    try {
      return await Promise.race([this.#catchUp().then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
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
    if (this.#role === 'deposed') throw new Error('lodedb/replication: no longer the primary');
    await this.#refreshLast();
    return this.#waitApplied(this.#streamLast);
  }

  // The message a replica's write gets.
  async readonlyMessage() {
    const primary = await this.#primaryName();
    return `attempt to write a readonly database: a replica of stream ${this.#opts.stream}` +
      (primary ? `, whose primary is ${primary}` : ', which has no primary now');
  }

  // Every call of a promise Database passes through here: a replica's write
  // error names the primary; with sync 'replicated' a call that committed
  // resolves only once the stream stored its commit.
  [kAfterCall](start) {
    const before = this.#state.commitSeq;
    let v;
    try {
      v = start();
    } catch (e) {
      return this.#failed(e, before);
    }
    if (this.#sync !== 'replicated' && !(v instanceof Promise)) return Promise.resolve(v);
    return Promise.resolve(v).then(
      async (x) => {
        await this.#replicatedSince(before);
        return x;
      },
      (e) => this.#failed(e, before),
    );
  }

  async #failed(e, before) {
    if (e?.code === 'SQLITE_READONLY' && this.#role === 'replica') e.message = await this.readonlyMessage();
    else await Promise.resolve(this.#replicatedSince(before)).catch(() => {}); // a script's first statements may have committed
    throw e;
  }

  #replicatedSince(before) {
    if (this.#sync !== 'replicated') return;
    if (this.#role === 'primary') this.ship().catch(() => {}); // what the hook could not see
    if (this.#state.commitSeq === before) return;
    return this.#waitStored(this.#state.commitSeq);
  }

  async close() {
    if (this.#closed) return;
    if (this.#role === 'primary') {
      this.#shipQuietly();
      await Promise.race([this.flush().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    }
    this.#closed = true;
    for (const { t } of this.#timers) clearInterval(t);
    this.#timers = [];
    try {
      this.#driver.walHook?.(this.#handle, null);
    } catch {
      // the database was closed first: its hook went with it
    }
    this.#db[kAfterCall]?.(null);
    await this.#stopConsumer();
    if (this.#role === 'primary' && this.#lease)
      await this.#kv.delete('leader', { previousSeq: this.#lease.revision }).catch(() => {});
    for (const w of this.#waiters) w.reject(new Error('lodedb/replication: closed'));
    this.#waiters = [];
    await this.#nc.close().catch(() => {});
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
  db[kAfterCall]?.((start) => rep[kAfterCall](start));
  return rep;
}

export default replicate;
