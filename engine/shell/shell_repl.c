/*
** shell_repl.c — the shell's side of replication through NATS JetStream, the
** protocol of js/replication.mjs (docs/replication.md) written against
** libnats: stream LODE_<s> on subject lode.<s>.commits, one message per
** commit (or numbered chunks, headers Lode-Seq / Lode-Chunk / Lode-Primary /
** Lode-Frame-Size, ids c<seq> and c<seq>.<i>), fence messages (Lode-Fence),
** every publish expecting the stream's last sequence, the lease as key
** `leader` of KV bucket lode_<s>_lease, snapshots as object `snapshot` of
** the Object Store bucket lode_<s>_snap, and the state file
** <db>-lode-repl.json.
**
** Threads: the shell's thread owns the shell's connection.  After each
** statement it reads the frames a commit added (the primary) and queues
** them; before each statement it makes its connection writable or
** read-only as the role is now.  A replication thread owns everything
** else: its own connection to the same file (a replica applies frames
** through it), the NATS connection, the lease, the publishes and the
** consumer.  The two meet only in the queue and the role, under one mutex.
**
** Role auto: at start, with the stream applied, the shell takes the lease
** when it is free (as role primary does); otherwise it is a replica and
** takes over once it has seen the lease free for a whole lease time.
*/
#include "shell_repl.h"

#include "shell_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LODE_HAVE_NATS

ShellRepl *shell_repl_start(Shell *sh, const char *url) {
  (void)url;
  shell_error(sh, "Error: --replicate: replication is not available in this build (built without libnats)");
  return NULL;
}
void shell_repl_before(ShellRepl *r) { (void)r; }
void shell_repl_after(ShellRepl *r) { (void)r; }
const char *shell_repl_readonly_message(ShellRepl *r) {
  (void)r;
  return NULL;
}
void shell_repl_stop(ShellRepl *r) { (void)r; }

#else

#include <errno.h>
#include <nats/nats.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "shell_dl.h"

/* libnats, loaded when --replicate starts (shell_dl.h). */
#define NATS_FUNCS(X) X(jsCtx_Destroy) X(jsMsgMetaData_Destroy) X(jsOptions_Init) X(jsPubAck_Destroy) \
  X(jsPubOptions_Init) X(jsStreamConfig_Init) X(jsStreamInfo_Destroy) X(jsSubOptions_Init) X(js_AddStream) \
  X(js_CreateKeyValue) X(js_GetLastMsg) X(js_GetMsg) X(js_GetStreamInfo) X(js_KeyValue) X(js_Publish) \
  X(js_PublishMsg) X(js_PurgeStream) X(js_SubscribeSync) X(kvConfig_Init) X(kvEntry_Destroy) X(kvEntry_Operation) \
  X(kvEntry_Revision) X(kvEntry_Value) X(kvEntry_ValueLen) X(kvStore_Create) X(kvStore_Destroy) X(kvStore_Get) \
  X(kvStore_Update) X(natsConnection_Close) X(natsConnection_Connect) X(natsConnection_Destroy) \
  X(natsConnection_GetMaxPayload) X(natsConnection_JetStream) X(natsConnection_Status) X(natsMsgHeader_Get) \
  X(natsMsgHeader_Set) X(natsMsg_Create) X(natsMsg_Destroy) X(natsMsg_GetData) X(natsMsg_GetDataLength) \
  X(natsMsg_GetMetaData) X(natsOptions_Create) X(natsOptions_Destroy) X(natsOptions_SetMaxReconnect) \
  X(natsOptions_SetName) X(natsOptions_SetReconnectWait) X(natsOptions_SetServers) X(natsOptions_SetTimeout) \
  X(natsStatus_GetText) X(natsSubscription_Destroy) X(natsSubscription_NextMsg) X(natsSubscription_Unsubscribe) \
  X(nats_GetLastError)
NATS_FUNCS(SHELL_DL_PTR)
#define jsCtx_Destroy (*dl_jsCtx_Destroy)
#define jsMsgMetaData_Destroy (*dl_jsMsgMetaData_Destroy)
#define jsOptions_Init (*dl_jsOptions_Init)
#define jsPubAck_Destroy (*dl_jsPubAck_Destroy)
#define jsPubOptions_Init (*dl_jsPubOptions_Init)
#define jsStreamConfig_Init (*dl_jsStreamConfig_Init)
#define jsStreamInfo_Destroy (*dl_jsStreamInfo_Destroy)
#define jsSubOptions_Init (*dl_jsSubOptions_Init)
#define js_AddStream (*dl_js_AddStream)
#define js_CreateKeyValue (*dl_js_CreateKeyValue)
#define js_GetLastMsg (*dl_js_GetLastMsg)
#define js_GetMsg (*dl_js_GetMsg)
#define js_GetStreamInfo (*dl_js_GetStreamInfo)
#define js_KeyValue (*dl_js_KeyValue)
#define js_Publish (*dl_js_Publish)
#define js_PublishMsg (*dl_js_PublishMsg)
#define js_PurgeStream (*dl_js_PurgeStream)
#define js_SubscribeSync (*dl_js_SubscribeSync)
#define kvConfig_Init (*dl_kvConfig_Init)
#define kvEntry_Destroy (*dl_kvEntry_Destroy)
#define kvEntry_Operation (*dl_kvEntry_Operation)
#define kvEntry_Revision (*dl_kvEntry_Revision)
#define kvEntry_Value (*dl_kvEntry_Value)
#define kvEntry_ValueLen (*dl_kvEntry_ValueLen)
#define kvStore_Create (*dl_kvStore_Create)
#define kvStore_Destroy (*dl_kvStore_Destroy)
#define kvStore_Get (*dl_kvStore_Get)
#define kvStore_Update (*dl_kvStore_Update)
#define natsConnection_Close (*dl_natsConnection_Close)
#define natsConnection_Connect (*dl_natsConnection_Connect)
#define natsConnection_Destroy (*dl_natsConnection_Destroy)
#define natsConnection_GetMaxPayload (*dl_natsConnection_GetMaxPayload)
#define natsConnection_JetStream (*dl_natsConnection_JetStream)
#define natsConnection_Status (*dl_natsConnection_Status)
#define natsMsgHeader_Get (*dl_natsMsgHeader_Get)
#define natsMsgHeader_Set (*dl_natsMsgHeader_Set)
#define natsMsg_Create (*dl_natsMsg_Create)
#define natsMsg_Destroy (*dl_natsMsg_Destroy)
#define natsMsg_GetData (*dl_natsMsg_GetData)
#define natsMsg_GetDataLength (*dl_natsMsg_GetDataLength)
#define natsMsg_GetMetaData (*dl_natsMsg_GetMetaData)
#define natsOptions_Create (*dl_natsOptions_Create)
#define natsOptions_Destroy (*dl_natsOptions_Destroy)
#define natsOptions_SetMaxReconnect (*dl_natsOptions_SetMaxReconnect)
#define natsOptions_SetName (*dl_natsOptions_SetName)
#define natsOptions_SetReconnectWait (*dl_natsOptions_SetReconnectWait)
#define natsOptions_SetServers (*dl_natsOptions_SetServers)
#define natsOptions_SetTimeout (*dl_natsOptions_SetTimeout)
#define natsStatus_GetText (*dl_natsStatus_GetText)
#define natsSubscription_Destroy (*dl_natsSubscription_Destroy)
#define natsSubscription_NextMsg (*dl_natsSubscription_NextMsg)
#define natsSubscription_Unsubscribe (*dl_natsSubscription_Unsubscribe)
#define nats_GetLastError (*dl_nats_GetLastError)

static int nats_loaded(void) {
  static void *lib;
  static int failed;
  static const char *const files[] = {"libnats.so", "libnats.so.3.4", "libnats.so.3", NULL};
  static const ShellDlSym syms[] = {NATS_FUNCS(SHELL_DL_SYM)};
  return shell_dl_load(&lib, &failed, files, syms, (int)(sizeof syms / sizeof syms[0]));
}

#define FRAME_HEADER 24
#define CHECKPOINT_FRAMES 1000
#define PUBLISH_WAIT_MS 2000
#define JS_WRONG_LAST_SEQUENCE 10071
#define SNAPSHOT_BYTES (64ULL * 1024 * 1024)
#define SNAPSHOT_MS (10LL * 60 * 1000)
#define SNAPSHOT_KEEP 100
#define BOOTSTRAP_PAGES 4096

enum { ROLE_REPLICA = 1, ROLE_PRIMARY = 2, ROLE_DEPOSED = 3 };
enum { WANT_AUTO, WANT_PRIMARY, WANT_REPLICA };

typedef struct Batch {
  uint64_t seq;        /* commit sequence (Lode-Seq) */
  unsigned char *data; /* the commit's frames */
  size_t n;
  unsigned sent; /* chunks stored so far */
  int tried;
  struct Batch *next;
} Batch;

struct ShellRepl {
  Shell *sh;
  lode *db;  /* the shell's connection (shell thread) */
  lode *rdb; /* the replication thread's connection */
  char *servers[16];
  int nservers;
  char stream[128], id[128], stream_name[160], subject[192], lease_bucket[192], snap_bucket[192];
  char state_path[4200];
  char db_path[4096];
  int want;
  int64_t lease_ms;
  natsConnection *nc;
  jsCtx *js;
  kvStore *kv;
  pthread_t thread;
  int thread_started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_mutex_t file_mu; /* held while the database file is read as a snapshot */
  /* under mu */
  int role;
  int stop;
  int closing;
  uint64_t stream_seq, commit_seq; /* the state file */
  Batch *head, *tail;
  char last_error[256];
  int unpublished; /* commits a deposed primary never stored */
  uint64_t since_snapshot; /* bytes stored since the last snapshot */
  /* replication thread */
  uint64_t snapshot_seq;
  int64_t snapshot_at;
  uint64_t snapshot_bytes; /* 0: this primary writes no snapshots */
  /* replication thread */
  uint64_t lease_rev;
  int64_t lease_renewed_at, takeover_checked_at, no_leader_since;
  natsSubscription *sub;
  uint64_t received;
  unsigned char *chunks;
  size_t nchunks, capchunks;
  /* shell thread */
  int shell_role;
  uint32_t shipped_salt1;
  unsigned shipped_last;
  unsigned frame_size;
  char message[512];
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t get4(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set_error(ShellRepl *r, const char *fmt, const char *a, int code) {
  pthread_mutex_lock(&r->mu);
  snprintf(r->last_error, sizeof r->last_error, fmt, a, code);
  pthread_mutex_unlock(&r->mu);
}

static int get_role(ShellRepl *r) {
  pthread_mutex_lock(&r->mu);
  int role = r->role;
  pthread_mutex_unlock(&r->mu);
  return role;
}

/* ---- state file (the JSON of js/replication.mjs) --------------------------- */

static uint64_t json_number(const char *z, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\"", key);
  const char *p = strstr(z, pat);
  if (!p) return 0;
  p += strlen(pat);
  while (*p == ' ' || *p == ':') p++;
  if (*p == '"') p++;
  return strtoull(p, NULL, 10);
}

/* Copies the string (or number) value of key into out; 0 when absent. */
static int json_string(const char *z, const char *key, char *out, size_t nout) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\"", key);
  const char *p = strstr(z, pat);
  if (!p || nout == 0) return 0;
  p += strlen(pat);
  while (*p == ' ' || *p == ':') p++;
  size_t n = 0;
  if (*p == '"') {
    for (p++; *p && *p != '"' && n + 1 < nout; p++) {
      if (*p == '\\' && p[1]) p++;
      out[n++] = *p;
    }
  } else {
    while (*p && *p != ',' && *p != '}' && n + 1 < nout) out[n++] = *p++;
  }
  out[n] = 0;
  return 1;
}

static void load_state(ShellRepl *r) {
  FILE *f = fopen(r->state_path, "rb");
  if (!f) return;
  char buf[512];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  r->stream_seq = json_number(buf, "streamSeq");
  r->commit_seq = json_number(buf, "commitSeq");
}

/* Writes the state (the caller holds mu) through a renamed temporary file. */
static void save_state(ShellRepl *r) {
  char tmp[4300];
  snprintf(tmp, sizeof tmp, "%s.%d.tmp", r->state_path, (int)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return;
  fprintf(f, "{\"streamSeq\":%llu,\"commitSeq\":%llu}", (unsigned long long)r->stream_seq,
          (unsigned long long)r->commit_seq);
  if (fclose(f) == 0) rename(tmp, r->state_path);
}

/* ---- lease ----------------------------------------------------------------- */

static int lease_value(ShellRepl *r, char *buf, size_t n) {
  return snprintf(buf, n, "{\"id\":\"%s\",\"since\":%lld}", r->id, (long long)now_ms());
}

/* The lease holder's id into out ("" when free).  NATS_OK, or the error
** that left it unknown. */
static natsStatus lease_holder(ShellRepl *r, char *out, size_t nout, uint64_t *rev) {
  kvEntry *e = NULL;
  out[0] = 0;
  natsStatus s = kvStore_Get(&e, r->kv, "leader");
  if (s == NATS_NOT_FOUND) return NATS_OK;
  if (s != NATS_OK) return s;
  if (kvEntry_Operation(e) == kvOp_Put && kvEntry_ValueLen(e) > 0) {
    char val[512];
    int len = kvEntry_ValueLen(e);
    if (len >= (int)sizeof val) len = (int)sizeof val - 1;
    memcpy(val, kvEntry_Value(e), (size_t)len);
    val[len] = 0;
    if (!json_string(val, "id", out, nout)) snprintf(out, nout, "?");
  }
  if (rev) *rev = kvEntry_Revision(e);
  kvEntry_Destroy(e);
  return NATS_OK;
}

static int take_lease(ShellRepl *r) {
  char v[256];
  int n = lease_value(r, v, sizeof v);
  uint64_t rev = 0;
  if (kvStore_Create(&rev, r->kv, "leader", v, n) != NATS_OK) return 0;
  r->lease_rev = rev;
  r->lease_renewed_at = now_ms();
  return 1;
}

/* Deletes the lease only while it is still this process's revision (a
** delete marker expecting that revision), so another's lease is never
** dropped. */
static void release_lease(ShellRepl *r) {
  if (!r->lease_rev) return;
  char subj[256];
  snprintf(subj, sizeof subj, "$KV.%s.leader", r->lease_bucket);
  natsMsg *m = NULL;
  if (natsMsg_Create(&m, subj, NULL, NULL, 0) == NATS_OK) {
    natsMsgHeader_Set(m, "KV-Operation", "DEL");
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.ExpectLastSubjectSeq = r->lease_rev;
    po.MaxWait = PUBLISH_WAIT_MS;
    jsPubAck *ack = NULL;
    js_PublishMsg(&ack, r->js, m, &po, NULL);
    jsPubAck_Destroy(ack);
    natsMsg_Destroy(m);
  }
  r->lease_rev = 0;
}

static void step_down(ShellRepl *r, const char *why);

static void renew_lease(ShellRepl *r) {
  char v[256];
  int n = lease_value(r, v, sizeof v);
  uint64_t rev = 0;
  if (kvStore_Update(&rev, r->kv, "leader", v, n, r->lease_rev) == NATS_OK) {
    r->lease_rev = rev;
    return;
  }
  /* NATS away: keep going, publishes wait and stay fenced.  The lease
  ** expired while it was: take it again if nobody did; only a lease held
  ** by another deposes this primary. */
  if (natsConnection_Status(r->nc) != NATS_CONN_STATUS_CONNECTED) return;
  char holder[128];
  uint64_t hrev = 0;
  if (lease_holder(r, holder, sizeof holder, &hrev) != NATS_OK) return;
  if (!holder[0]) take_lease(r);
  else if (strcmp(holder, r->id) == 0) r->lease_rev = hrev;
  else {
    char why[200];
    snprintf(why, sizeof why, "lease lost to %s", holder);
    step_down(r, why);
  }
}

/* ---- publishing (primary) ---------------------------------------------------- */

static size_t chunk_max(ShellRepl *r) {
  int64_t mp = natsConnection_GetMaxPayload(r->nc);
  if (mp <= 0) mp = 1048576;
  size_t max = (size_t)(mp > 4096 + 1024 ? mp - 4096 : 1024);
  return max;
}

/* Publishes data with the protocol's headers, expecting the stream's last
** sequence; *seq gets the stored sequence.  Returns 1 stored, 0 failed
** (retry), -1 rejected by the expected-last-sequence check. */
static int publish_raw(ShellRepl *r, const unsigned char *data, size_t n, uint64_t cseq, unsigned chunk,
                       unsigned chunks, int fence, uint64_t expect, uint64_t *seq) {
  natsMsg *m = NULL;
  if (natsMsg_Create(&m, r->subject, NULL, (const char *)data, (int)n) != NATS_OK) return 0;
  char buf[64], msgid[200];
  snprintf(buf, sizeof buf, "%u", r->frame_size);
  natsMsgHeader_Set(m, "Lode-Frame-Size", buf);
  natsMsgHeader_Set(m, "Lode-Primary", r->id);
  if (fence) {
    natsMsgHeader_Set(m, "Lode-Fence", "1");
    snprintf(msgid, sizeof msgid, "fence-%s-%lld", r->id, (long long)now_ms());
  } else {
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)cseq);
    natsMsgHeader_Set(m, "Lode-Seq", buf);
    snprintf(buf, sizeof buf, "%u/%u", chunk + 1, chunks);
    natsMsgHeader_Set(m, "Lode-Chunk", buf);
    if (chunks == 1) snprintf(msgid, sizeof msgid, "c%llu", (unsigned long long)cseq);
    else snprintf(msgid, sizeof msgid, "c%llu.%u", (unsigned long long)cseq, chunk + 1);
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = msgid;
  po.ExpectStream = r->stream_name;
  po.ExpectLastSeq = expect;
  po.MaxWait = PUBLISH_WAIT_MS;
  jsPubAck *ack = NULL;
  jsErrCode jerr = 0;
  natsStatus s = js_PublishMsg(&ack, r->js, m, &po, &jerr);
  natsMsg_Destroy(m);
  if (s == NATS_OK && ack) {
    *seq = ack->Sequence;
    jsPubAck_Destroy(ack);
    return 1;
  }
  jsPubAck_Destroy(ack);
  if (jerr == JS_WRONG_LAST_SEQUENCE) return -1;
  set_error(r, "publish failed: %s (%d)", natsStatus_GetText(s), (int)jerr);
  return 0;
}

/* After a rejected publish: was an earlier try of this batch stored with its
** ack lost?  Then the messages after the last known sequence carry its ids. */
static int stored_anyway(ShellRepl *r, Batch *b, int *unknown) {
  size_t max = chunk_max(r);
  unsigned n = (unsigned)((b->n + max - 1) / max);
  if (n == 0) n = 1;
  for (unsigned i = b->sent; i < n; i++) {
    char want[200];
    if (n == 1) snprintf(want, sizeof want, "c%llu", (unsigned long long)b->seq);
    else snprintf(want, sizeof want, "c%llu.%u", (unsigned long long)b->seq, i + 1);
    pthread_mutex_lock(&r->mu);
    uint64_t next = r->stream_seq + 1;
    pthread_mutex_unlock(&r->mu);
    natsMsg *m = NULL;
    natsStatus s = js_GetMsg(&m, r->js, r->stream_name, next, NULL, NULL);
    if (s != NATS_OK) {
      if (s != NATS_NOT_FOUND) *unknown = 1;
      return 0;
    }
    const char *id = NULL, *prim = NULL;
    natsMsgHeader_Get(m, "Nats-Msg-Id", &id);
    natsMsgHeader_Get(m, "Lode-Primary", &prim);
    int mine = id && prim && strcmp(id, want) == 0 && strcmp(prim, r->id) == 0;
    natsMsg_Destroy(m);
    if (!mine) return 0;
    pthread_mutex_lock(&r->mu);
    r->stream_seq = next;
    pthread_mutex_unlock(&r->mu);
    b->sent = i + 1;
  }
  return 1;
}

static void batch_free(Batch *b) {
  if (!b) return;
  free(b->data);
  free(b);
}

/* The queue's first batch is stored: off the queue, the state saved. */
static void batch_stored(ShellRepl *r) {
  pthread_mutex_lock(&r->mu);
  Batch *b = r->head;
  r->head = b->next;
  if (!r->head) r->tail = NULL;
  r->since_snapshot += b->n;
  save_state(r);
  r->last_error[0] = 0;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  batch_free(b);
}

static void step_down(ShellRepl *r, const char *why) {
  int unknown = 0;
  /* Batches whose earlier try reached the stream are stored, not lost. */
  for (;;) {
    pthread_mutex_lock(&r->mu);
    Batch *b = r->head;
    pthread_mutex_unlock(&r->mu);
    if (!b || !b->tried || !stored_anyway(r, b, &unknown)) break;
    batch_stored(r);
  }
  release_lease(r);
  pthread_mutex_lock(&r->mu);
  int n = 0;
  while (r->head) {
    Batch *b = r->head;
    r->head = b->next;
    batch_free(b);
    n++;
  }
  r->tail = NULL;
  r->unpublished = n;
  r->role = ROLE_DEPOSED;
  snprintf(r->last_error, sizeof r->last_error, "no longer the primary (%s)%s", why,
           unknown ? "; whether the last commit was stored is unknown" : "");
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

/* Publishes the first queued batch.  1 stored, 0 not now. */
static int publish_next(ShellRepl *r) {
  pthread_mutex_lock(&r->mu);
  Batch *b = r->head;
  uint64_t expect = r->stream_seq;
  pthread_mutex_unlock(&r->mu);
  if (!b) return 0;
  b->tried = 1;
  size_t max = chunk_max(r);
  unsigned n = (unsigned)((b->n + max - 1) / max);
  if (n == 0) n = 1;
  for (unsigned i = b->sent; i < n; i++) {
    size_t off = (size_t)i * max, len = b->n - off < max ? b->n - off : max;
    uint64_t seq = 0;
    int rc = publish_raw(r, b->data + off, len, b->seq, i, n, 0, expect, &seq);
    if (rc < 0) {
      int unknown = 0;
      if (stored_anyway(r, b, &unknown)) {
        batch_stored(r);
        return 1;
      }
      step_down(r, "publish rejected: wrong last sequence");
      return 0;
    }
    if (rc == 0) return 0;
    pthread_mutex_lock(&r->mu);
    r->stream_seq = expect = seq;
    pthread_mutex_unlock(&r->mu);
    b->sent = i + 1;
  }
  batch_stored(r);
  return 1;
}

/* ---- applying (replica) ------------------------------------------------------ */

/* Applies whole commits of frames, numbered after the local WAL; returns
** LODE_OK or the engine's error (nothing applied of the failing commit). */
static int apply_frames(ShellRepl *r, const unsigned char *data, size_t n, unsigned fsize) {
  unsigned local = 0;
  int rc = lode_wal_insert_begin(r->rdb);
  if (rc == LODE_OK) rc = lode_wal_frame_count(r->rdb, &local);
  unsigned next = local + 1;
  for (size_t off = 0; rc == LODE_OK && off + fsize <= n; off += fsize) {
    const unsigned char *fr = data + off;
    rc = lode_wal_insert_frame(r->rdb, next, fr, fsize, NULL);
    if (rc != LODE_OK) break;
    if (get4(fr + 4) != 0) {
      rc = lode_wal_frame_count(r->rdb, &local); /* the local WAL may have started over */
      next = local + 1;
    } else {
      next++;
    }
  }
  if (rc != LODE_OK) set_error(r, "applying frames: %s (%d)", lode_errmsg(r->rdb), rc);
  lode_wal_insert_end(r->rdb);
  return rc;
}

static void stop_consumer(ShellRepl *r) {
  if (r->sub) {
    natsSubscription_Unsubscribe(r->sub);
    natsSubscription_Destroy(r->sub);
  }
  r->sub = NULL;
  r->nchunks = 0;
}

static int start_consumer(ShellRepl *r) {
  pthread_mutex_lock(&r->mu);
  uint64_t from = r->stream_seq + 1;
  pthread_mutex_unlock(&r->mu);
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = r->stream_name;
  so.Ordered = true;
  so.Config.DeliverPolicy = js_DeliverByStartSequence;
  so.Config.OptStartSeq = from;
  jsErrCode jerr = 0;
  natsStatus s = js_SubscribeSync(&r->sub, r->js, r->subject, NULL, &so, &jerr);
  if (s != NATS_OK) {
    r->sub = NULL;
    set_error(r, "consumer: %s (%d)", natsStatus_GetText(s), (int)jerr);
    return 0;
  }
  r->received = from - 1;
  r->nchunks = 0;
  return 1;
}

static int chunks_add(ShellRepl *r, const void *data, size_t n) {
  if (r->nchunks + n > r->capchunks) {
    size_t cap = r->capchunks ? r->capchunks : 65536;
    while (cap < r->nchunks + n) cap *= 2;
    unsigned char *p = realloc(r->chunks, cap);
    if (!p) return 0;
    r->chunks = p;
    r->capchunks = cap;
  }
  memcpy(r->chunks + r->nchunks, data, n);
  r->nchunks += n;
  return 1;
}

/* Applies one stream message.  0 ok, -1 a gap (the next message was
** trimmed), -2 an error (the consumer starts over). */
static int apply_message(ShellRepl *r, natsMsg *m) {
  jsMsgMetaData *meta = NULL;
  if (natsMsg_GetMetaData(&meta, m) != NATS_OK) return -2;
  uint64_t seq = meta->Sequence.Stream;
  jsMsgMetaData_Destroy(meta);
  if (seq <= r->received) return 0;
  if (seq != r->received + 1) return -1;
  r->received = seq;
  const char *v = NULL;
  if (natsMsgHeader_Get(m, "Lode-Fence", &v) == NATS_OK && v) {
    r->nchunks = 0;
    pthread_mutex_lock(&r->mu);
    r->stream_seq = seq;
    save_state(r);
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return 0;
  }
  unsigned i = 1, n = 1;
  if (natsMsgHeader_Get(m, "Lode-Chunk", &v) == NATS_OK && v) sscanf(v, "%u/%u", &i, &n);
  if (i == 1) r->nchunks = 0;
  if (!chunks_add(r, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m))) return -2;
  if (i < n) return 0; /* a batch is applied whole, at its last chunk */
  unsigned fsize = 0;
  if (natsMsgHeader_Get(m, "Lode-Frame-Size", &v) == NATS_OK && v) fsize = (unsigned)strtoul(v, NULL, 10);
  uint64_t cseq = 0;
  if (natsMsgHeader_Get(m, "Lode-Seq", &v) == NATS_OK && v) cseq = strtoull(v, NULL, 10);
  if (fsize <= FRAME_HEADER) return -2;
  int rc = apply_frames(r, r->chunks, r->nchunks, fsize);
  r->nchunks = 0;
  if (rc != LODE_OK) return -2;
  pthread_mutex_lock(&r->mu);
  r->stream_seq = seq;
  r->commit_seq = cseq;
  save_state(r);
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  return 0;
}

static int apply_snapshot(ShellRepl *r);

/* Reads what the consumer has, waiting up to wait_ms for the first. */
static void consume(ShellRepl *r, int64_t wait_ms) {
  if (!r->sub && !start_consumer(r)) {
    usleep(200 * 1000);
    return;
  }
  for (;;) {
    natsMsg *m = NULL;
    natsStatus s = natsSubscription_NextMsg(&m, r->sub, wait_ms);
    if (s == NATS_TIMEOUT) return;
    if (s != NATS_OK) {
      stop_consumer(r);
      return;
    }
    int rc = apply_message(r, m);
    natsMsg_Destroy(m);
    if (rc == -1) {
      /* what follows the applied sequence was trimmed: the snapshot first */
      stop_consumer(r);
      apply_snapshot(r);
      return;
    }
    if (rc == -2) {
      stop_consumer(r);
      usleep(200 * 1000);
      return;
    }
    wait_ms = 0;
  }
}

static int stream_bounds(ShellRepl *r, uint64_t *first, uint64_t *last) {
  jsStreamInfo *si = NULL;
  natsStatus s = js_GetStreamInfo(&si, r->js, r->stream_name, NULL, NULL);
  if (s != NATS_OK) return 0;
  *first = si->State.FirstSeq;
  *last = si->State.LastSeq;
  jsStreamInfo_Destroy(si);
  return 1;
}

/* Applies the stream up to its last sequence now; 0 when not within ms. */
static int catch_up(ShellRepl *r, int64_t ms) {
  uint64_t first = 0, last = 0;
  if (!stream_bounds(r, &first, &last)) return 0;
  int64_t end = now_ms() + ms;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    uint64_t at = r->stream_seq;
    pthread_mutex_unlock(&r->mu);
    if (at >= last) return 1;
    if (now_ms() > end) return 0;
    consume(r, 100);
  }
}

/* ---- snapshots (the Object Store's stream layout) ------------------------------ */

static void base64url(const unsigned char *in, size_t n, char *out) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
    out[o++] = a[v >> 18 & 63];
    out[o++] = a[v >> 12 & 63];
    out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? a[v & 63] : '=';
  }
  out[o] = 0;
}

/* The snapshot's object info (JSON), or NULL when there is none. */
static char *snapshot_info(ShellRepl *r) {
  char name[32], subj[300], stream[200];
  base64url((const unsigned char *)"snapshot", 8, name);
  snprintf(subj, sizeof subj, "$O.%s.M.%s", r->snap_bucket, name);
  snprintf(stream, sizeof stream, "OBJ_%s", r->snap_bucket);
  natsMsg *m = NULL;
  if (js_GetLastMsg(&m, r->js, stream, subj, NULL, NULL) != NATS_OK) return NULL;
  int n = natsMsg_GetDataLength(m);
  char *z = malloc((size_t)n + 1);
  if (z) {
    memcpy(z, natsMsg_GetData(m), (size_t)n);
    z[n] = 0;
  }
  natsMsg_Destroy(m);
  return z;
}

/* Applies the latest snapshot when it is ahead of what was applied: its
** pages become one local commit of whole-page frames, fed to the engine
** chunk by chunk as they arrive.  1 applied, 0 not. */
static int apply_snapshot(ShellRepl *r) {
  char *info = snapshot_info(r);
  if (!info) return 0;
  char nuid[64] = "", deleted[16] = "";
  json_string(info, "nuid", nuid, sizeof nuid);
  json_string(info, "deleted", deleted, sizeof deleted);
  const char *md = strstr(info, "\"metadata\"");
  uint64_t seq = md ? json_number(md, "streamSeq") : 0, cseq = md ? json_number(md, "commitSeq") : 0;
  uint64_t psize = md ? json_number(md, "pageSize") : 0, size = json_number(info, "size");
  uint64_t nchunks = json_number(info, "chunks");
  free(info);
  pthread_mutex_lock(&r->mu);
  uint64_t at = r->stream_seq;
  pthread_mutex_unlock(&r->mu);
  if (strcmp(deleted, "true") == 0 || !nuid[0] || seq <= at) return 0;
  if (psize < 512 || size == 0 || size % psize) {
    set_error(r, "snapshot of stream %s is damaged (%d)", r->stream, 0);
    return 0;
  }
  char subj[300], stream[200];
  snprintf(subj, sizeof subj, "$O.%s.C.%s", r->snap_bucket, nuid);
  snprintf(stream, sizeof stream, "OBJ_%s", r->snap_bucket);
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream;
  so.Ordered = true;
  natsSubscription *sub = NULL;
  if (js_SubscribeSync(&sub, r->js, subj, NULL, &so, NULL) != NATS_OK) return 0;
  unsigned fsize = (unsigned)psize + FRAME_HEADER;
  unsigned char *frame = calloc(1, fsize);
  uint64_t pages = size / psize, page = 0, got = 0;
  size_t fill = 0;
  unsigned local = 0;
  /* A new replica takes the image as commits of BOOTSTRAP_PAGES pages
  ** (nothing reads it before it is whole, and the engine holds a commit's
  ** frames in memory until its last); one with data as one commit. */
  int fresh = at == 0;
  int rc = frame ? lode_wal_insert_begin(r->rdb) : LODE_NOMEM;
  if (rc == LODE_OK) rc = lode_wal_frame_count(r->rdb, &local);
  unsigned next = local + 1;
  for (uint64_t c = 0; rc == LODE_OK && c < nchunks; c++) {
    natsMsg *m = NULL;
    if (natsSubscription_NextMsg(&m, sub, 5000) != NATS_OK) {
      rc = LODE_ERROR;
      break;
    }
    const unsigned char *d = (const unsigned char *)natsMsg_GetData(m);
    size_t n = (size_t)natsMsg_GetDataLength(m);
    got += n;
    while (n > 0 && rc == LODE_OK) {
      size_t take = psize - fill < n ? psize - fill : n;
      memcpy(frame + FRAME_HEADER + fill, d, take);
      fill += take, d += take, n -= take;
      if (fill == psize) {
        page++;
        memset(frame, 0, FRAME_HEADER);
        frame[0] = (unsigned char)(page >> 24), frame[1] = (unsigned char)(page >> 16);
        frame[2] = (unsigned char)(page >> 8), frame[3] = (unsigned char)page;
        int commit = page == pages || (fresh && page % BOOTSTRAP_PAGES == 0);
        if (commit) {
          frame[4] = (unsigned char)(pages >> 24), frame[5] = (unsigned char)(pages >> 16);
          frame[6] = (unsigned char)(pages >> 8), frame[7] = (unsigned char)pages;
        }
        rc = lode_wal_insert_frame(r->rdb, next, frame, fsize, NULL);
        if (rc == LODE_OK && commit) rc = lode_wal_frame_count(r->rdb, &local), next = local + 1;
        else next++;
        fill = 0;
      }
    }
    natsMsg_Destroy(m);
  }
  if (rc == LODE_OK && (page != pages || got != size)) rc = LODE_ERROR;
  if (rc != LODE_OK) set_error(r, "applying the snapshot: %s (%d)", lode_errmsg(r->rdb), rc);
  lode_wal_insert_end(r->rdb);
  free(frame);
  natsSubscription_Unsubscribe(sub);
  natsSubscription_Destroy(sub);
  if (rc != LODE_OK) return 0;
  pthread_mutex_lock(&r->mu);
  r->stream_seq = seq;
  r->commit_seq = cseq;
  save_state(r);
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  r->snapshot_seq = seq;
  return 1;
}

/* SHA-256 (FIPS 180-4): the Object Store's digest of an object. */
typedef struct Sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t nbuf;
} Sha256;

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))

static void sha_block(Sha256 *c, const unsigned char *p) {
  uint32_t w[64], v[8];
  for (int i = 0; i < 16; i++) w[i] = get4(p + 4 * i);
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  memcpy(v, c->h, sizeof v);
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = v[7] + (ROR(v[4], 6) ^ ROR(v[4], 11) ^ ROR(v[4], 25)) + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
                  sha_k[i] + w[i];
    uint32_t t2 = (ROR(v[0], 2) ^ ROR(v[0], 13) ^ ROR(v[0], 22)) + ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
    memmove(v + 1, v, 7 * sizeof v[0]);
    v[4] += t1;
    v[0] = t1 + t2;
  }
  for (int i = 0; i < 8; i++) c->h[i] += v[i];
}

static void sha_init(Sha256 *c) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(c->h, h0, sizeof h0);
  c->len = 0;
  c->nbuf = 0;
}

static void sha_update(Sha256 *c, const unsigned char *p, size_t n) {
  c->len += n;
  while (n > 0) {
    size_t take = 64 - c->nbuf < n ? 64 - c->nbuf : n;
    memcpy(c->buf + c->nbuf, p, take);
    c->nbuf += take, p += take, n -= take;
    if (c->nbuf == 64) {
      sha_block(c, c->buf);
      c->nbuf = 0;
    }
  }
}

static void sha_final(Sha256 *c, unsigned char out[32]) {
  uint64_t bits = c->len * 8;
  unsigned char pad = 0x80, zero = 0, len[8];
  sha_update(c, &pad, 1);
  while (c->nbuf != 56) sha_update(c, &zero, 1);
  for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha_update(c, len, 8);
  for (int i = 0; i < 8; i++) out[4 * i] = (unsigned char)(c->h[i] >> 24), out[4 * i + 1] = (unsigned char)(c->h[i] >> 16),
                              out[4 * i + 2] = (unsigned char)(c->h[i] >> 8), out[4 * i + 3] = (unsigned char)c->h[i];
}

/* A fresh object id (letters and digits, as NATS' own ids). */
static void new_nuid(char out[23]) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char rnd[22];
  FILE *f = fopen("/dev/urandom", "rb");
  if (!f || fread(rnd, 1, sizeof rnd, f) != sizeof rnd) {
    uint64_t x = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32);
    for (int i = 0; i < 22; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL, rnd[i] = (unsigned char)(x >> 33);
  }
  if (f) fclose(f);
  for (int i = 0; i < 22; i++) out[i] = a[rnd[i] % 62];
  out[22] = 0;
}

/* The snapshot bucket's stream, as the Node side creates it. */
static natsStatus snap_stream(ShellRepl *r) {
  char stream[200], c[300], m[300];
  snprintf(stream, sizeof stream, "OBJ_%s", r->snap_bucket);
  jsStreamInfo *si = NULL;
  jsErrCode jerr = 0;
  natsStatus s = js_GetStreamInfo(&si, r->js, stream, NULL, &jerr);
  if (s != NATS_OK) {
    snprintf(c, sizeof c, "$O.%s.C.>", r->snap_bucket);
    snprintf(m, sizeof m, "$O.%s.M.>", r->snap_bucket);
    const char *subjects[2] = {c, m};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = stream;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 2;
    cfg.AllowDirect = true;
    cfg.AllowRollup = true;
    cfg.Discard = js_DiscardNew;
    s = js_AddStream(&si, r->js, &cfg, NULL, &jerr);
    if (s != NATS_OK) s = js_GetStreamInfo(&si, r->js, stream, NULL, &jerr);
  }
  jsStreamInfo_Destroy(si);
  return s;
}

/* Primary, with nothing queued: writes the database as object `snapshot`
** (the image at the stream sequence stored last), read from the file in
** chunks after a checkpoint copied every frame into it, then trims the
** stream behind it.  Returns 1 written. */
static int write_snapshot(ShellRepl *r) {
  pthread_mutex_lock(&r->mu);
  if (r->head || r->role != ROLE_PRIMARY) {
    pthread_mutex_unlock(&r->mu);
    return 0;
  }
  uint64_t seq = r->stream_seq, cseq = r->commit_seq;
  pthread_mutex_unlock(&r->mu);
  pthread_mutex_lock(&r->file_mu);
  int ok = 0;
  char stream[200], subj[300], old_nuid[64] = "", nuid[23], name[32];
  unsigned char *buf = NULL;
  FILE *f = NULL;
  /* The shell's thread ships each commit before its next statement, so a
  ** checkpoint here cannot lose frames (a commit it copies before the shell
  ** read it is still in the WAL, and the image is then one commit ahead of
  ** seq, which replaying that commit's whole pages leaves as it is); commits
  ** after it only append to the WAL, and the shell does not checkpoint
  ** while file_mu is held. */
  lode_stmt *st = NULL;
  int whole = 0;
  int64_t pages = 0, psize = (int64_t)r->frame_size - FRAME_HEADER;
  if (lode_prepare(r->rdb, "PRAGMA wal_checkpoint(FULL)", -1, &st, NULL) == LODE_OK && lode_step(st) == LODE_ROW)
    whole = lode_column_int(st, 0) == 0 && lode_column_int(st, 1) == lode_column_int(st, 2);
  lode_finalize(st);
  st = NULL;
  if (lode_prepare(r->rdb, "PRAGMA page_count", -1, &st, NULL) == LODE_OK && lode_step(st) == LODE_ROW)
    pages = lode_column_int64(st, 0);
  lode_finalize(st);
  if (!whole || pages <= 0 || snap_stream(r) != NATS_OK) goto done;
  char *info = snapshot_info(r);
  if (info) {
    json_string(info, "nuid", old_nuid, sizeof old_nuid);
    free(info);
  }
  snprintf(stream, sizeof stream, "OBJ_%s", r->snap_bucket);
  new_nuid(nuid);
  snprintf(subj, sizeof subj, "$O.%s.C.%s", r->snap_bucket, nuid);
  size_t chunk = 128 * 1024;
  int64_t mp = natsConnection_GetMaxPayload(r->nc);
  if (mp > 0 && (int64_t)chunk > mp) chunk = (size_t)mp;
  buf = malloc(chunk);
  f = fopen(r->db_path, "rb");
  if (!buf || !f) goto done;
  Sha256 sha;
  sha_init(&sha);
  uint64_t size = (uint64_t)pages * (uint64_t)psize, at = 0, nchunks = 0;
  while (at < size) {
    size_t n = size - at < chunk ? (size_t)(size - at) : chunk;
    if (fread(buf, 1, n, f) != n) goto done;
    sha_update(&sha, buf, n);
    jsPubAck *ack = NULL;
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = PUBLISH_WAIT_MS;
    natsStatus s = js_Publish(&ack, r->js, subj, buf, (int)n, &po, NULL);
    jsPubAck_Destroy(ack);
    if (s != NATS_OK) goto done;
    at += n;
    nchunks++;
  }
  unsigned char digest[32];
  char d64[48], mtime[64], meta[1024];
  sha_final(&sha, digest);
  base64url(digest, 32, d64);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(mtime, sizeof mtime, "%Y-%m-%dT%H:%M:%SZ", &tm);
  int64_t at_ms = now_ms();
  snprintf(meta, sizeof meta,
           "{\"name\":\"snapshot\",\"options\":{\"max_chunk_size\":%zu},\"bucket\":\"%s\",\"nuid\":\"%s\","
           "\"size\":%llu,\"chunks\":%llu,\"mtime\":\"%s\",\"digest\":\"SHA-256=%s\",\"deleted\":false,"
           "\"metadata\":{\"streamSeq\":\"%llu\",\"commitSeq\":\"%llu\",\"pageSize\":\"%lld\",\"primary\":\"%s\","
           "\"at\":\"%lld\"}}",
           chunk, r->snap_bucket, nuid, (unsigned long long)size, (unsigned long long)nchunks, mtime, d64,
           (unsigned long long)seq, (unsigned long long)cseq, (long long)psize, r->id, (long long)at_ms);
  base64url((const unsigned char *)"snapshot", 8, name);
  char msubj[300];
  snprintf(msubj, sizeof msubj, "$O.%s.M.%s", r->snap_bucket, name);
  natsMsg *m = NULL;
  if (natsMsg_Create(&m, msubj, NULL, meta, (int)strlen(meta)) != NATS_OK) goto done;
  natsMsgHeader_Set(m, "Nats-Rollup", "sub");
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = PUBLISH_WAIT_MS;
  jsPubAck *ack = NULL;
  natsStatus s = js_PublishMsg(&ack, r->js, m, &po, NULL);
  jsPubAck_Destroy(ack);
  natsMsg_Destroy(m);
  if (s != NATS_OK) goto done;
  ok = 1;
  if (old_nuid[0]) {
    char osubj[300];
    snprintf(osubj, sizeof osubj, "$O.%s.C.%s", r->snap_bucket, old_nuid);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Stream.Purge.Subject = osubj;
    js_PurgeStream(r->js, stream, &jo, NULL);
  }
  if (seq + 1 > SNAPSHOT_KEEP + 1) {
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Stream.Purge.Sequence = seq + 1 - SNAPSHOT_KEEP;
    js_PurgeStream(r->js, r->stream_name, &jo, NULL);
  }
  r->snapshot_seq = seq;
  r->snapshot_at = at_ms;
done:
  if (!ok) set_error(r, "writing a snapshot of stream %s failed (%d)", r->stream, 0);
  if (f) fclose(f);
  free(buf);
  pthread_mutex_unlock(&r->file_mu);
  pthread_mutex_lock(&r->mu);
  r->since_snapshot = 0;
  pthread_mutex_unlock(&r->mu);
  return ok;
}

static void maybe_snapshot(ShellRepl *r) {
  if (!r->snapshot_bytes) return;
  pthread_mutex_lock(&r->mu);
  int due = !r->head && r->stream_seq > r->snapshot_seq &&
            (r->since_snapshot >= r->snapshot_bytes || now_ms() - r->snapshot_at >= SNAPSHOT_MS);
  pthread_mutex_unlock(&r->mu);
  if (due) write_snapshot(r);
}

/* ---- roles -------------------------------------------------------------------- */

/* Replica → primary: the lease, the stream's last commit, then the fence
** that makes an older primary's next publish fail.  1 when promoted. */
static int promote(ShellRepl *r) {
  if (!take_lease(r)) return 0;
  uint64_t seq = 0;
  int ok = catch_up(r, r->lease_ms * 4);
  stop_consumer(r);
  if (ok) {
    pthread_mutex_lock(&r->mu);
    uint64_t expect = r->stream_seq;
    pthread_mutex_unlock(&r->mu);
    ok = publish_raw(r, NULL, 0, 0, 0, 1, 1, expect, &seq) == 1;
  }
  if (!ok) {
    release_lease(r);
    return 0;
  }
  pthread_mutex_lock(&r->mu);
  r->stream_seq = seq;
  save_state(r);
  r->role = ROLE_PRIMARY;
  pthread_mutex_unlock(&r->mu);
  if (!r->snapshot_at) r->snapshot_at = now_ms();
  lode_wal_disable_checkpoint(r->rdb); /* its close must not restart the WAL under the shipper */
  return 1;
}

static void maybe_take_over(ShellRepl *r) {
  int64_t now = now_ms();
  if (now - r->takeover_checked_at < r->lease_ms / 2) return;
  r->takeover_checked_at = now;
  char holder[128];
  if (lease_holder(r, holder, sizeof holder, NULL) != NATS_OK || holder[0]) {
    r->no_leader_since = 0;
    return;
  }
  /* Free for a whole lease: a primary back from an outage renews first. */
  if (!r->no_leader_since) r->no_leader_since = now;
  if (now - r->no_leader_since < r->lease_ms) return;
  promote(r);
}

static void *repl_thread(void *arg) {
  ShellRepl *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    int stop = r->stop, role = r->role, closing = r->closing, queued = r->head != NULL;
    pthread_mutex_unlock(&r->mu);
    if (stop) break;
    if (role == ROLE_PRIMARY) {
      if (now_ms() - r->lease_renewed_at >= r->lease_ms / 3) {
        r->lease_renewed_at = now_ms();
        renew_lease(r);
      }
      if (queued) {
        if (!publish_next(r)) usleep(200 * 1000);
        continue;
      }
      if (!closing) maybe_snapshot(r);
      pthread_mutex_lock(&r->mu);
      if (!r->head && !r->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&r->cv, &r->mu, &ts);
      }
      pthread_mutex_unlock(&r->mu);
    } else if (role == ROLE_REPLICA) {
      consume(r, 100);
      if (r->want == WANT_AUTO && !closing) maybe_take_over(r);
    } else {
      usleep(100 * 1000);
    }
  }
  return NULL;
}

/* ---- the shell's side ------------------------------------------------------------- */

static int shell_exec(lode *db, const char *sql) { return lode_exec(db, sql, NULL); }

static unsigned page_size_of(lode *db) {
  lode_stmt *st = NULL;
  unsigned n = 4096;
  if (lode_prepare(db, "PRAGMA page_size", -1, &st, NULL) == LODE_OK && lode_step(st) == LODE_ROW)
    n = (unsigned)lode_column_int(st, 0);
  lode_finalize(st);
  return n;
}

/* salt-1 of frame 1 and the frame count of the shell's WAL. */
static int wal_position(ShellRepl *r, uint32_t *salt1, unsigned *count) {
  *salt1 = 0;
  *count = 0;
  if (lode_wal_frame_count(r->db, count) != LODE_OK) return 0;
  if (*count == 0) return 1;
  unsigned char *f = malloc(r->frame_size);
  if (!f) return 0;
  int ok = lode_wal_get_frame(r->db, 1, f, r->frame_size) == LODE_OK;
  if (ok) *salt1 = get4(f + 8);
  free(f);
  return ok;
}

void shell_repl_before(ShellRepl *r) {
  if (!r || r->sh->db != r->db) return;
  int role = get_role(r);
  if (role == r->shell_role) return;
  if (role == ROLE_PRIMARY) {
    /* everything in the WAL now came from the stream */
    shell_exec(r->db, "PRAGMA query_only = 0");
    lode_wal_disable_checkpoint(r->db);
    wal_position(r, &r->shipped_salt1, &r->shipped_last);
  } else {
    shell_exec(r->db, "PRAGMA query_only = 1");
    if (role == ROLE_DEPOSED) {
      pthread_mutex_lock(&r->mu);
      fprintf(r->sh->err, "lode: replication of stream %s: %s; %d local commit(s) never stored in the stream\n",
              r->stream, r->last_error, r->unpublished);
      pthread_mutex_unlock(&r->mu);
      fflush(r->sh->err);
    }
  }
  r->shell_role = role;
}

void shell_repl_after(ShellRepl *r) {
  if (!r || r->sh->db != r->db || r->shell_role != ROLE_PRIMARY) return;
  if (!lode_get_autocommit(r->db)) return; /* in a transaction: its commit comes later */
  uint32_t salt1;
  unsigned count;
  if (!wal_position(r, &salt1, &count) || count == 0) return;
  unsigned from = salt1 == r->shipped_salt1 ? r->shipped_last + 1 : 1;
  if (from <= count) {
    size_t n = (size_t)(count - from + 1) * r->frame_size;
    Batch *b = calloc(1, sizeof *b);
    unsigned char *d = malloc(n);
    int ok = b && d;
    for (unsigned f = from; ok && f <= count; f++)
      ok = lode_wal_get_frame(r->db, f, d + (size_t)(f - from) * r->frame_size, r->frame_size) == LODE_OK;
    if (!ok) {
      free(b);
      free(d);
      return;
    }
    b->data = d;
    b->n = n;
    pthread_mutex_lock(&r->mu);
    b->seq = ++r->commit_seq;
    if (r->tail) r->tail->next = b;
    else r->head = b;
    r->tail = b;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
  }
  r->shipped_salt1 = salt1;
  r->shipped_last = count;
  /* The frames are queued in memory: the WAL may start over now. */
  if (count >= CHECKPOINT_FRAMES && pthread_mutex_trylock(&r->file_mu) == 0) {
    shell_exec(r->db, "PRAGMA wal_checkpoint(PASSIVE)");
    pthread_mutex_unlock(&r->file_mu);
  }
}

const char *shell_repl_readonly_message(ShellRepl *r) {
  if (!r || r->shell_role != ROLE_REPLICA) return NULL;
  char holder[128] = "";
  if (lease_holder(r, holder, sizeof holder, NULL) != NATS_OK) holder[0] = 0;
  if (holder[0])
    snprintf(r->message, sizeof r->message,
             "attempt to write a readonly database: a replica of stream %s, whose primary is %s", r->stream, holder);
  else
    snprintf(r->message, sizeof r->message,
             "attempt to write a readonly database: a replica of stream %s, which has no primary now", r->stream);
  return r->message;
}

static void repl_free(ShellRepl *r) {
  stop_consumer(r);
  free(r->chunks);
  while (r->head) {
    Batch *b = r->head;
    r->head = b->next;
    batch_free(b);
  }
  if (r->kv) kvStore_Destroy(r->kv);
  if (r->js) jsCtx_Destroy(r->js);
  if (r->nc) {
    natsConnection_Close(r->nc);
    natsConnection_Destroy(r->nc);
  }
  if (r->rdb) lode_close(r->rdb);
  for (int i = 0; i < r->nservers; i++) free(r->servers[i]);
  pthread_mutex_destroy(&r->mu);
  pthread_mutex_destroy(&r->file_mu);
  pthread_cond_destroy(&r->cv);
  free(r);
}

void shell_repl_stop(ShellRepl *r) {
  if (!r) return;
  if (r->thread_started) {
    pthread_mutex_lock(&r->mu);
    r->closing = 1;
    int64_t end = now_ms() + 2000;
    while (r->head && r->role == ROLE_PRIMARY && now_ms() < end) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      ts.tv_nsec += 50 * 1000000L;
      if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
      pthread_cond_timedwait(&r->cv, &r->mu, &ts);
    }
    if (r->head)
      fprintf(r->sh->err, "lode: replication of stream %s: closing with commits not stored in the stream yet\n",
              r->stream);
    r->stop = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    if (r->role == ROLE_PRIMARY) release_lease(r);
  }
  repl_free(r);
}

/* nats://a:4222[,nats://b:4223]/stream[?role=..&id=..&lease=..] */
static int parse_url(ShellRepl *r, const char *url, char *err, size_t nerr) {
  char buf[2048];
  snprintf(buf, sizeof buf, "%s", url);
  char *q = strchr(buf, '?');
  if (q) *q++ = 0;
  char *slash = strrchr(buf, '/');
  char *scheme = strstr(buf, "://");
  if (!scheme || !slash || slash < scheme + 3 || !slash[1]) {
    snprintf(err, nerr, "expected nats://host:port/stream, got \"%s\"", url);
    return 0;
  }
  *slash = 0;
  snprintf(r->stream, sizeof r->stream, "%s", slash + 1);
  for (const char *p = r->stream; *p; p++) {
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
          *p == '-')) {
      snprintf(err, nerr, "the stream name must be letters, digits, _ and -: \"%s\"", r->stream);
      return 0;
    }
  }
  for (char *s = strtok(buf, ","); s && r->nservers < 16; s = strtok(NULL, ","))
    r->servers[r->nservers++] = strdup(s);
  while (q && *q) {
    char *amp = strchr(q, '&');
    if (amp) *amp++ = 0;
    if (strncmp(q, "role=", 5) == 0) {
      if (strcmp(q + 5, "auto") == 0) r->want = WANT_AUTO;
      else if (strcmp(q + 5, "primary") == 0) r->want = WANT_PRIMARY;
      else if (strcmp(q + 5, "replica") == 0) r->want = WANT_REPLICA;
      else {
        snprintf(err, nerr, "role is auto, primary or replica, not \"%s\"", q + 5);
        return 0;
      }
    } else if (strncmp(q, "id=", 3) == 0) {
      snprintf(r->id, sizeof r->id, "%s", q + 3);
    } else if (strncmp(q, "snapshot=", 9) == 0) {
      r->snapshot_bytes = strtoull(q + 9, NULL, 10); /* 0 turns them off */
    } else if (strncmp(q, "lease=", 6) == 0) {
      r->lease_ms = strtoll(q + 6, NULL, 10);
      if (r->lease_ms < 100) r->lease_ms = 100;
    } else {
      snprintf(err, nerr, "unknown parameter \"%s\" (role, id, lease, snapshot)", q);
      return 0;
    }
    q = amp;
  }
  return 1;
}

static natsStatus connect_nats(ShellRepl *r) {
  natsOptions *o = NULL;
  natsStatus s = natsOptions_Create(&o);
  if (s == NATS_OK) s = natsOptions_SetServers(o, (const char **)r->servers, r->nservers);
  char name[200];
  snprintf(name, sizeof name, "lode-%s", r->id);
  if (s == NATS_OK) s = natsOptions_SetName(o, name);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(o, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(o, 250);
  if (s == NATS_OK) s = natsOptions_SetTimeout(o, 5000);
  if (s == NATS_OK) s = natsConnection_Connect(&r->nc, o);
  natsOptions_Destroy(o);
  if (s == NATS_OK) {
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = PUBLISH_WAIT_MS;
    s = natsConnection_JetStream(&r->js, r->nc, &jo);
  }
  return s;
}

/* The stream and the lease bucket, created when missing (as the Node
** processes create them, so that either side may come first). */
static natsStatus open_stream(ShellRepl *r, jsErrCode *jerr) {
  jsStreamInfo *si = NULL;
  natsStatus s = js_GetStreamInfo(&si, r->js, r->stream_name, NULL, jerr);
  if (s == NATS_NOT_FOUND || (s != NATS_OK && *jerr == JSStreamNotFoundErr)) {
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    const char *subjects[1] = {r->subject};
    cfg.Name = r->stream_name;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Duplicates = (int64_t)120 * 1000000000;
    s = js_AddStream(&si, r->js, &cfg, NULL, jerr);
    if (s != NATS_OK) s = js_GetStreamInfo(&si, r->js, r->stream_name, NULL, jerr); /* created meanwhile */
  }
  jsStreamInfo_Destroy(si);
  if (s != NATS_OK) return s;
  s = js_KeyValue(&r->kv, r->js, r->lease_bucket);
  if (s != NATS_OK) {
    kvConfig kc;
    kvConfig_Init(&kc);
    kc.Bucket = r->lease_bucket;
    kc.TTL = r->lease_ms * 1000000; /* nanoseconds, as the server's max_age */
    kc.History = 1;
    s = js_CreateKeyValue(&r->kv, r->js, &kc);
    if (s != NATS_OK) s = js_KeyValue(&r->kv, r->js, r->lease_bucket);
  }
  return s;
}

ShellRepl *shell_repl_start(Shell *sh, const char *url) {
  if (!nats_loaded()) {
    shell_error(sh, "Error: --replicate: libnats could not be loaded");
    return NULL;
  }
  if (!sh->db_path) {
    shell_error(sh, "Error: --replicate needs a database file (an in-memory database has no WAL)");
    return NULL;
  }
  ShellRepl *r = calloc(1, sizeof *r);
  if (!r) {
    shell_error(sh, "Error: out of memory");
    return NULL;
  }
  pthread_mutex_init(&r->mu, NULL);
  pthread_mutex_init(&r->file_mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  r->sh = sh;
  r->db = sh->db;
  r->lease_ms = 3000;
  r->snapshot_bytes = SNAPSHOT_BYTES;
  r->role = ROLE_REPLICA;
  snprintf(r->id, sizeof r->id, "lode-shell-%d", (int)getpid());
  char err[512];
  if (!parse_url(r, url, err, sizeof err)) {
    shell_error(sh, "Error: --replicate: %s", err);
    repl_free(r);
    return NULL;
  }
  snprintf(r->stream_name, sizeof r->stream_name, "LODE_%s", r->stream);
  snprintf(r->subject, sizeof r->subject, "lode.%s.commits", r->stream);
  snprintf(r->lease_bucket, sizeof r->lease_bucket, "lode_%s_lease", r->stream);
  snprintf(r->snap_bucket, sizeof r->snap_bucket, "lode_%s_snap", r->stream);
  snprintf(r->state_path, sizeof r->state_path, "%s-lode-repl.json", sh->db_path);
  snprintf(r->db_path, sizeof r->db_path, "%s", sh->db_path);
  load_state(r);
  if (shell_exec(r->db, "PRAGMA journal_mode = WAL") != LODE_OK ||
      lode_open_v2(sh->db_path, &r->rdb, LODE_OPEN_READWRITE, NULL) != LODE_OK) {
    shell_error(sh, "Error: --replicate: %s", lode_errmsg(r->rdb ? r->rdb : r->db));
    repl_free(r);
    return NULL;
  }
  lode_busy_timeout(r->rdb, 5000);
  r->frame_size = page_size_of(r->db) + FRAME_HEADER;
  shell_exec(r->db, "PRAGMA query_only = 1");
  r->shell_role = ROLE_REPLICA;
  jsErrCode jerr = 0;
  natsStatus s = connect_nats(r);
  if (s == NATS_OK) s = open_stream(r, &jerr);
  if (s != NATS_OK) {
    const char *why = nats_GetLastError(NULL);
    shell_error(sh, "Error: --replicate: JetStream at %s: %s", r->servers[0], why && *why ? why : natsStatus_GetText(s));
    repl_free(r);
    return NULL;
  }
  /* A new replica, or one behind what the stream still holds: the snapshot. */
  uint64_t first = 1, last = 0;
  stream_bounds(r, &first, &last);
  if (r->stream_seq == 0 || r->stream_seq + 1 < first) apply_snapshot(r);
  if (r->want != WANT_REPLICA) {
    int ok = catch_up(r, r->lease_ms * 4) && promote(r);
    if (!ok && r->want == WANT_PRIMARY) {
      char holder[128] = "";
      lease_holder(r, holder, sizeof holder, NULL);
      shell_error(sh, "Error: --replicate: stream %s has a primary already (%s)", r->stream,
                  holder[0] ? holder : "unknown");
      repl_free(r);
      return NULL;
    }
  }
  if (pthread_create(&r->thread, NULL, repl_thread, r) != 0) {
    shell_error(sh, "Error: --replicate: cannot start the replication thread");
    repl_free(r);
    return NULL;
  }
  r->thread_started = 1;
  shell_repl_before(r);
  return r;
}

#endif
