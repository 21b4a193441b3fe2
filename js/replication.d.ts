// lodedb/replication — a primary and read replicas through NATS JetStream (docs/replication.md).
export interface ReplicateOptions {
  /** NATS server URL(s). */
  servers?: string | string[];
  /** Stream name (letters, digits, _ and -): JetStream stream LODE_<stream>, KV bucket lode_<stream>_lease. */
  stream: string;
  /** Default 'auto': a replica that takes over when the primary's lease expires. */
  role?: 'primary' | 'replica' | 'auto';
  /** 'local' (default): a commit returns after the local commit; 'replicated': a promise call that committed
   *  resolves after JetStream stored it. */
  sync?: 'local' | 'replicated';
  /** Lease TTL in ms (default 3000). */
  leaseMs?: number;
  /** JetStream replicas of the stream, the lease bucket and the snapshot bucket (default 1). */
  replicas?: number;
  /** Identifies this process in the lease and in replicas' errors. */
  id?: string;
  /** A safety poll for commits the WAL hook cannot see, e.g. other connections' (default 1000 ms). */
  pollMs?: number;
  /** false: no snapshots (a new replica replays the whole stream, which is never trimmed). */
  snapshots?: boolean;
  /** Bytes published after which the primary writes a snapshot (default 64 MiB). */
  snapshotBytes?: number;
  /** Time after which the primary writes a snapshot (default 10 minutes). */
  snapshotMs?: number;
  /** Messages kept before the snapshot's sequence when the stream is trimmed (default 100). */
  snapshotKeep?: number;
  /** 'stream': a new replica replays the stream rather than applying the snapshot. */
  bootstrap?: 'snapshot' | 'stream';
  /** A replica behind the stream that received nothing this long starts a new consumer (default 3000 ms). */
  stallMs?: number;
  /** WAL frames after which a primary checkpoints once everything is stored (default 1000). */
  checkpointFrames?: number;
  publishTimeoutMs?: number;
}

export interface ReplicationMetrics {
  appliedCommits: number;
  publishedCommits: number;
  publishErrors: number;
  snapshotsWritten: number;
  snapshotsApplied: number;
  lastError: string | null;
  /** NATS could not be reached on the last attempt: a replica serves its last state. */
  stale: boolean;
}

export interface Replication {
  /** 'deposed': a primary whose publish the stream rejected; see unpublished. */
  readonly role: 'primary' | 'replica' | 'deposed';
  /** Stream messages not yet applied (replica). */
  readonly lag: number;
  readonly metrics: ReplicationMetrics;
  /** Batches of a deposed primary the stream never stored (never merged). */
  readonly unpublished: { seq: number; bytes: number }[];
  /** Milliseconds since the latest snapshot was written; null when none is known. */
  readonly snapshotAge: number | null;
  /** Primary: writes a snapshot now and trims the stream behind it; resolves to its stream sequence. */
  snapshot(): Promise<number>;
  /** Replica: applied every commit the stream held at the call.  Primary: every local commit is stored. */
  synced(): Promise<void>;
  /** Primary: ships the commits made since the last call; settles when stored. */
  ship(): Promise<void>;
  close(): Promise<void>;
}

export function replicate(db: object, options: ReplicateOptions): Promise<Replication>;
export default replicate;
