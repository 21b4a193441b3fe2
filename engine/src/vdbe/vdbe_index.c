/*
** vdbe_index.c — index cursors: the order of index entries as the b-tree
** sees it, and the seeks of SeekLT/LE/GE/GT, Found/NotFound/NoConflict,
** IdxInsert and IdxDelete (the ops themselves are dispatched in vdbe_exec.c).
**
** An index entry is a record (value.h): the indexed columns, then the rowid.
** Entries are ordered by the cursor's KeyInfo field by field; fields past
** its nkey (the rowid) compare ascending, BINARY.  Two comparators reach the
** b-tree:
**  - a record against a record (vdbe_index_cursor_init installs it with
**    btree_cursor_set_compare), which the b-tree uses to find a cursor's
**    place again after the tree changed under it, and which IdxInsert uses
**    to place the new entry;
**  - a record against an unpacked key (registers), for seeks.  A key may be a
**    prefix of the entry's fields.  A seek that wants the first or the last
**    of the entries matching the prefix makes the comparator never answer
**    "equal": entries equal on the prefix count as greater than the key (to
**    land before them) or smaller (to land after them), so the b-tree's
**    descent ends on a leaf at the boundary, next to the wanted entry.
**
** Table cursors (rowid keys) seek with SQLite's rules for a key that is not
** an integer: text is given numeric affinity first; a REAL between two
** integers turns "> 4.5" into ">= 5" and "<= 4.5" into "< 5" (and so on); a
** key that is not a number after that (NULL, blob, non-numeric text) sorts
** after every integer, so no rowid is >= it and every rowid is < it (NULL
** finds nothing either way).
**
** Invariant: the comparators never allocate and never fail; a malformed
** record compares as greater than anything, and the seek reports
** LODE_CORRUPT when it met one (the re-seek comparator cannot report: the
** malformed entry is reported when it is read).
*/
#include <math.h>

#include "vdbe/vdbe_internal.h"

/* ---- walking the fields of a record ---------------------------------------------- */

typedef struct RecIter {
  const uint8_t *p;
  uint32_t size;
  uint32_t hpos; /* next serial type in the header */
  uint32_t hend; /* header size */
  uint32_t body; /* next body byte */
} RecIter;

static int rec_iter_init(RecIter *it, const uint8_t *p, uint32_t size) {
  uint64_t hs = 0;
  int n = size ? util_varint_get_bounded(p, p + size, &hs) : 0;
  if (n <= 0 || hs < (uint64_t)n || hs > size) return 0;
  it->p = p;
  it->size = size;
  it->hpos = (uint32_t)n;
  it->hend = it->body = (uint32_t)hs;
  return 1;
}

/* 1: *m is the next field (text/blob borrowed from the record); 0: no more
** fields; -1: the record is malformed. */
static int rec_iter_next(RecIter *it, Mem *m) {
  uint64_t type = 0;
  uint32_t used, len;
  if (it->hpos >= it->hend) return 0;
  used = (uint32_t)util_varint_get_bounded(it->p + it->hpos, it->p + it->hend, &type);
  if (used == 0 || (type >= 10 && type < 12)) return -1;
  it->hpos += used;
  len = record_serial_len(type);
  if (len > it->size - it->body) return -1;
  mem_init(m);
  it->body += record_decode_value(it->p + it->body, type, m);
  return 1;
}

/* Orders field j of two entries by the KeyInfo (a one-column view of it:
** keyinfo_compare indexes its arrays by the field number). */
static int field_compare(const KeyInfo *k, int j, const Mem *a, const Mem *b) {
  KeyInfo one = {0, NULL, NULL, NULL};
  if (j < k->nkey) {
    one.nkey = 1;
    one.desc = k->desc + j;
    one.coll = k->coll + j;
    one.nulls_last = k->nulls_last + j;
  }
  return keyinfo_compare(&one, a, b, 0, 1);
}

/* Orders record a against record b on all their fields; a record that is a
** prefix of the other sorts first.  *bad = 1 if either is malformed. */
static int records_compare(const KeyInfo *k, const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb,
                           int *bad) {
  RecIter ia, ib;
  if (!rec_iter_init(&ia, a, na) || !rec_iter_init(&ib, b, nb)) return *bad = 1, 1;
  for (int j = 0;; j++) {
    Mem ma, mb;
    int ra = rec_iter_next(&ia, &ma), rb = rec_iter_next(&ib, &mb), c;
    if (ra < 0 || rb < 0) return *bad = 1, 1;
    if (ra == 0 || rb == 0) return ra - rb;
    c = field_compare(k, j, &ma, &mb);
    if (c) return c;
  }
}

/* The b-tree's re-seek comparator (BtreeRecordCompare). */
static int reseek_compare(void *ctx, const void *a, uint32_t na, const void *b, uint32_t nb) {
  const struct VdbeIndexCmp *cmp = ctx;
  int bad = 0;
  return records_compare(cmp->keyinfo, a, na, b, nb, &bad);
}

void vdbe_index_cursor_init(VdbeCursor *c, const KeyInfo *k) {
  c->keyinfo = k;
  c->cmp.keyinfo = k;
  c->ncol = k->nkey + 1;
  btree_cursor_set_compare(c->bt, reseek_compare, &c->cmp);
}

/* ---- seeks on index cursors ---------------------------------------------------------- */

typedef struct KeySeek {
  const KeyInfo *keyinfo;
  const Mem *key;
  int nkey;
  int tie; /* answer for an entry equal to the key on its nkey fields: 0, or +1/-1 to pass it by */
  int rc;
  int below; /* what an entry whose first field sorts below the key's answers: -1, or +1 when the first
             ** key column is DESC (its order turned around) */
  int64_t ikey; /* key[0]'s integer, for key_seek_int */
  uint64_t tpre; /* key[0]'s first eight bytes as util_get8 reads them, when tpre_on */
  int tpre_on;   /* key[0] is a text of at least eight bytes */
  const void *equal; /* the last entry probed that equals the key on its nkey fields, or NULL */
  int equal_full;    /* equal has every one of the key's nkey fields (0: it may have fewer, or not known) */
} KeySeek;

/* Not inlined into the specialised comparators below: they stay small leaf
** functions on their fast path. */
__attribute__((noinline)) static int key_seek_compare(void *ctx, const void *rec, uint32_t n) {
  KeySeek *s = ctx;
  int cmp = 0, rc = record_compare(s->keyinfo, rec, n, s->key, s->nkey, &cmp);
  if (rc != LODE_OK) {
    s->rc = rc;
    return 1;
  }
  if (cmp == 0) {
    s->equal = rec;
    s->equal_full = 0; /* a comparison stops where the entry's fields end */
  }
  return cmp ? cmp : s->tie;
}

/* An entry equal to a one-field key on that field: what key_seek_compare
** answers for it, without the walk of the record. */
static inline int key_seek_equal(void *ctx, const void *rec) {
  KeySeek *s = ctx;
  s->equal = rec;
  s->equal_full = 1;
  return s->tie;
}

/* Specialised comparators for the usual first key field, in the manner of
** SQLite's vdbeRecordCompareInt/String: a seek probes ~log2(entries) cells,
** nearly all of them decided by the first field, and these decide it from the
** first header bytes with no call and no walk of the header.  An entry of
** any other shape goes to key_seek_compare, one equal on the first field on
** to key_seek_rest. */

/* The fields after the first of an entry equal to the key on its first field:
** pos is the offset of the next serial type in the header, body that of the
** next field's bytes.  Fields with a one-byte serial type that
** record_field_cmp_fast decides (integers, REALs, BINARY text: the usual
** index entry, its rowid last) are compared here, going on from where the
** first field ended instead of walking the record again from its start; any
** other field shape goes to key_seek_compare, which answers for the whole. */
__attribute__((noinline)) static int key_seek_rest(KeySeek *s, const uint8_t *p, uint32_t n, uint32_t pos,
                                                   uint32_t body) {
  const KeyInfo *k = s->keyinfo;
  uint32_t hsize = p[0];
  assert(hsize < 0x80 && body <= n);
  int j = 1;
  for (; j < s->nkey && pos < hsize; j++, pos++) {
    uint32_t type = p[pos], len;
    int in_key = j < k->nkey, c;
    if (type >= 0x80 || (len = record_serial_len(type)) > n - body ||
        !record_field_cmp_fast(type, p + body, len, &s->key[j], in_key ? k->coll[j] : COLL_BINARY, &c))
      return key_seek_compare(s, p, n);
    if (c) return in_key && k->desc[j] ? -c : c;
    body += len;
  }
  /* Equal on every key field, or the entry has fewer: equal so far. */
  s->equal = p;
  s->equal_full = j >= s->nkey;
  return s->tie;
}

/* Serial types 1..6 are integers of 1,2,3,4,6,8 bytes, 8 and 9 the constants
** 0 and 1.  This gives their width + 1, and 0 for every other byte: one load
** decides both whether the first field is an integer and how long it is. */
static const uint8_t int_width1[256] = {[1] = 2, [2] = 3, [3] = 4, [4] = 5, [5] = 7, [6] = 9, [8] = 1, [9] = 1};

static int key_seek_int(void *ctx, const void *rec, uint32_t n) {
  const KeySeek *s = ctx;
  const uint8_t *p = rec;
  if (n >= 6) {
    /* The usual entry: a one-byte header size and an integer of serial type
    ** 1..6 first, read with one load from its start, four bytes for the
    ** types of 1..4 bytes and eight for those of 6 and 8, when the record
    ** holds that many bytes from there (a field after it, the rowid at
    ** least), and shifted down to its width with its sign. */
    uint32_t hsize = p[0], type = p[1];
    int64_t v;
    if (hsize - 2u < 0x7eu) {
      if (type - 1u < 4u && hsize + 4u <= n) v = (int32_t)util_get4(p + hsize) >> (32 - 8 * type);
      else if (type - 5u < 2u && hsize + 8u <= n) v = (int64_t)util_get8(p + hsize) >> (6 - type) * 16;
      else goto general;
      int64_t k = s->ikey;
      if (v != k) return v < k ? s->below : -s->below;
      if (s->nkey == 1) return key_seek_equal(ctx, rec);
      return key_seek_rest(ctx, p, n, 2, hsize + int_width1[type] - 1);
    }
  }
general:
  if (n >= 2) {
    uint32_t hsize = p[0], type = p[1], w1 = int_width1[type];
    if (w1 && hsize - 2u < 0x7eu && hsize + w1 <= n + 1) {
      int64_t v = type >= 8 ? (int64_t)type - 8 : record_int_body(type, p + hsize), k = s->ikey;
      if (v != k) return v < k ? s->below : -s->below;
      if (s->nkey == 1) return key_seek_equal(ctx, rec);
      return key_seek_rest(ctx, p, n, 2, hsize + w1 - 1);
    }
  }
  return key_seek_compare(ctx, rec, n);
}

/* key_seek_text for an entry whose first field, a text of len bytes, the
** first eight bytes did not decide: the rest of the comparison, which calls
** memcmp, kept out of key_seek_text so that it stays a leaf function with
** nothing to save.  pos is the place of the second serial type in the
** header. */
__attribute__((noinline)) static int key_seek_text_rest(KeySeek *s, const uint8_t *p, uint32_t n, uint32_t hsize,
                                                        uint32_t len, uint32_t pos) {
  const Mem *k = &s->key[0];
  uint32_t kn = (uint32_t)k->n, m = len < kn ? len : kn;
  int c = m ? memcmp(p + hsize, k->z, m) : 0;
  if (!c) c = len < kn ? -1 : len > kn;
  if (c) return c < 0 ? s->below : -s->below;
  if (s->nkey == 1) return key_seek_equal(s, p);
  return key_seek_rest(s, p, n, pos, hsize + len);
}

/* key_seek_text for any entry the usual shape below does not cover. */
__attribute__((noinline)) static int key_seek_text_other(void *ctx, const void *rec, uint32_t n) {
  KeySeek *s = ctx;
  const uint8_t *p = rec;
  if (n >= 3 && p[0] - 2u < 0x7eu && p[0] <= n) {
    uint32_t hsize = p[0], type = p[1], pos = 2;
    if (type >= 0x80) {
      if (hsize < 3 || p[2] >= 0x80) return key_seek_compare(ctx, rec, n);
      type = ((type & 0x7f) << 7) | p[2];
      pos = 3;
    }
    uint32_t len = (type - 13) / 2;
    if (type >= 13 && (type & 1) && len <= n - hsize) {
      if (len >= 8 && s->tpre_on) {
        uint64_t a = util_get8(p + hsize), b = s->tpre;
        if (a != b) return a < b ? s->below : -s->below;
      }
      return key_seek_text_rest(s, p, n, hsize, len, pos);
    }
  }
  return key_seek_compare(ctx, rec, n);
}

/* Most probes differ from the key in the first eight bytes of the text,
** which decide here (the key's are read once per seek, in tpre), for the
** usual entry: a one-byte header size, then a text of 8..57 bytes (a
** one-byte serial type) first.  Everything else, equal prefixes included,
** goes on in key_seek_text_other or key_seek_text_rest. */
static int key_seek_text(void *ctx, const void *rec, uint32_t n) {
  KeySeek *s = ctx;
  const uint8_t *p = rec;
  uint32_t hsize, type;
  if (s->tpre_on && n >= 10 && (hsize = p[0]) - 2u < 0x7eu && (type = p[1]) - 29u < 0x80u - 29u && (type & 1) &&
      hsize + (type - 13) / 2 <= n) {
    uint64_t a = util_get8(p + hsize), b = s->tpre;
    if (a != b) return a < b ? s->below : -s->below;
    return key_seek_text_rest(s, p, n, hsize, (type - 13) / 2, 2);
  }
  return key_seek_text_other(ctx, rec, n);
}

/* The first key field's direction and integer, for the comparators above. */
static inline void key_seek_first(KeySeek *s, const KeyInfo *k) {
  s->below = s->nkey > 0 && k->nkey > 0 && k->desc[0] ? 1 : -1;
  s->ikey = s->nkey > 0 && s->key[0].type == MEM_INT ? s->key[0].u.i : 0;
  s->tpre_on = s->nkey > 0 && s->key[0].type == MEM_TEXT && s->key[0].n >= 8;
  s->tpre = s->tpre_on ? util_get8((const uint8_t *)s->key[0].z) : 0;
}

/* The comparator for a seek with key[0..nkey) on an index of order k. */
static BtreeKeyCompare key_seek_fn(const KeyInfo *k, const Mem *key, int nkey) {
  if (nkey <= 0 || k->nkey <= 0) return key_seek_compare;
  if (key[0].type == MEM_INT) return key_seek_int;
  if (key[0].type == MEM_TEXT && k->coll[0] == COLL_BINARY) return key_seek_text;
  return key_seek_compare;
}

/* What the b-tree's loop may decide without calling fn: the probes
** key_seek_int decides on the first field alone.  NULL for other comparators. */
static const BtreeKeyFirst *key_seek_decides(const KeySeek *s, BtreeKeyCompare fn, BtreeKeyFirst *first) {
  if (fn != key_seek_int) return NULL;
  first->kind = BTREE_FIRST_INT;
  first->below = s->below;
  first->ival = s->ikey;
  return first;
}

/* Seeks the boundary before (tie = +1) or after (tie = -1) the entries equal
** to key on its nkey fields; *cmp tells on which side of it the cursor
** landed: < 0 on the entry before it, > 0 on the entry after it.  Inlined
** into its two callers, a seek and a uniqueness probe: one call fewer each. */
static inline __attribute__((always_inline)) int seek_boundary(VdbeCursor *c, const Mem *key, int nkey, int tie,
                                                              int *cmp, const void **equal, int *equal_full) {
  KeySeek s = {.keyinfo = c->keyinfo, .key = key, .nkey = nkey, .tie = tie, .rc = LODE_OK};
  key_seek_first(&s, c->keyinfo);
  BtreeKeyCompare fn = key_seek_fn(c->keyinfo, key, nkey);
  BtreeKeyFirst first;
  int rc = btree_seek_key_first(c->bt, fn, &s, key_seek_decides(&s, fn, &first), cmp);
  if (rc == LODE_OK) rc = s.rc;
  if (equal) *equal = s.equal;
  if (equal_full) *equal_full = s.equal_full;
  return rc;
}

int vdbe_index_seek(VdbeCursor *c, int opcode, const Mem *key, int nkey, int *eof, int *landed) {
  /* GE and LT look for the boundary before the equal entries, GT and LE for
  ** the one after them; GE/GT then want the entry after it, LT/LE the one before. */
  int tie = opcode == OP_SeekGE || opcode == OP_SeekLT ? 1 : -1;
  int forward = opcode == OP_SeekGE || opcode == OP_SeekGT;
  int cmp = 0, rc;
  const void *equal = NULL, *at;
  c->gen++;
  *eof = 1;
  *landed = -1;
  c->eof = 1;
  if (!c->keyinfo) return LODE_INTERNAL;
  rc = seek_boundary(c, key, nkey, tie, &cmp, &equal, NULL);
  if (rc != LODE_OK || btree_eof(c->bt)) return rc;
  *eof = 0;
  /* Landed after the boundary on an entry the binary search compared in
  ** place (it narrowed to it from above): that entry is the first past the
  ** entries before the key, equal to the key if and only if the comparator
  ** found it so (as in index_find). */
  if (forward && cmp > 0 && (at = btree_seek_landed(c->bt)) != NULL) *landed = at == equal ? 0 : 1;
  if (forward && cmp < 0) rc = btree_next(c->bt, eof);
  else if (!forward && cmp > 0) rc = btree_prev(c->bt, eof);
  c->eof = *eof;
  return rc;
}

/* 1 when the record (avail bytes of it at p) has fewer than n fields; 0
** when it has n or more, or when its header is not all at hand to tell. */
static int record_has_fewer_fields(const uint8_t *p, uint32_t avail, int n) {
  uint64_t hs = 0;
  int used = avail ? util_varint_get_bounded(p, p + avail, &hs) : 0;
  if (used <= 0 || hs > avail) return 0;
  /* Each serial type's varint ends with the one byte below 0x80: counting
  ** those counts the fields without decoding them. */
  int k = 0;
  for (uint32_t i = (uint32_t)used; i < hs && k < n; i++) k += p[i] < 0x80;
  return k < n;
}

static int index_find(VdbeCursor *c, const Mem *key, int nkey, int *found, int *full);

int vdbe_index_find(VdbeCursor *c, const Mem *key, int nkey, int *found) {
  int full = 0, rc = index_find(c, key, nkey, found, &full);
  if (rc == LODE_OK && *found && !full) {
    /* A comparison stops where the entry's fields end, so an entry that is
    ** a prefix of the key compares equal.  Entries of an index all have
    ** its columns: the schema's definition names more columns than the
    ** entries hold, and a lookup by all of them cannot trust the match. */
    uint32_t avail = 0, size = 0;
    const uint8_t *p = btree_payload_view(c->bt, &avail, &size);
    if (p && record_has_fewer_fields(p, avail, nkey)) {
      *found = 0;
      c->eof = 1;
      return LODE_CORRUPT;
    }
  }
  return rc;
}

/* *full: the match was seen to hold all of the key's nkey fields. */
static int index_find(VdbeCursor *c, const Mem *key, int nkey, int *found, int *full) {
  int cmp = 0, eof = 0, equal_full = 0, rc;
  const void *equal = NULL;
  c->gen++;
  c->eof = 1;
  *found = 0;
  if (!c->keyinfo) return LODE_INTERNAL;
  rc = seek_boundary(c, key, nkey, 1, &cmp, &equal, &equal_full);
  if (rc != LODE_OK || btree_eof(c->bt)) return rc;
  /* Landed on the entry after the boundary: the seek's binary search
  ** compared that very entry (it narrowed to it from above). */
  int probed = cmp > 0;
  if (probed) {
    /* Read in place by the seek: it matches if and only if the comparator
    ** found it equal (the last entry it did, as every later probe sorted below). */
    const void *landed = btree_seek_landed(c->bt);
    if (landed) {
      *found = landed == equal;
      *full = equal_full;
      c->eof = !*found;
      return LODE_OK;
    }
  }
  if (cmp < 0) {
    /* Past the tree's last entry (keys arriving in order): nothing matches,
    ** and the cursor stays where the seek left it, for the insert after. */
    if (btree_on_last(c->bt)) return LODE_OK;
    equal = NULL; /* compared on a page the cursor may have left */
    rc = btree_next(c->bt, &eof);
  }
  if (rc != LODE_OK || eof) return rc;
  /* The first entry not before the key: it matches or nothing does. */
  {
    uint32_t avail = 0, size = 0;
    const uint8_t *p = btree_payload_view(c->bt, &avail, &size);
    uint8_t *copy = NULL;
    if (!p) return LODE_CORRUPT;
    if (p == equal) {
      /* The seek compared this very entry, on the leaf it ended on, and found it equal. */
      c->eof = 0;
      *found = 1;
      *full = equal_full;
      return LODE_OK;
    }
    if (probed && avail == size) {
      /* Compared in place by the seek and not equal on the key's fields. */
      return LODE_OK;
    }
    if (avail < size) {
      /* Part of the entry is on overflow pages: compare a whole copy. */
      if (!(copy = util_malloc(size))) return LODE_NOMEM;
      rc = btree_payload(c->bt, 0, size, copy);
      p = copy;
    }
    if (rc == LODE_OK) rc = record_compare(c->keyinfo, p, size, key, nkey, &cmp);
    util_free(copy);
    if (rc != LODE_OK) return rc;
  }
  *found = cmp == 0;
  c->eof = !*found;
  return LODE_OK;
}

int vdbe_index_insert(VdbeCursor *c, const uint8_t *rec, uint32_t n, int flags, const Mem *key, int nkey) {
  int rc;
  if (!c->keyinfo) return LODE_INTERNAL;
  /* The uniqueness probe of this very key's columns, with nothing moving
  ** the cursor since, left it where the entry goes. */
  int probed = (flags & OPFLAG_PROBED) && c->probe_gen != 0 && c->probe_gen == c->gen;
  int replacing = c->noop_gen != 0 && key, on_equal = c->noop_gen == c->gen;
  c->probe_gen = 0;
  c->noop_gen = 0;
  if (replacing) {
    /* A REPLACE's probe found the entry with this key and a Delete flagged
    ** ISNOOP left it for this insert to overwrite: where the cursor still
    ** is, or found again when something moved the cursor meanwhile (an
    ** insert would put the new entry beside the old one). */
    int found = on_equal;
    if (!on_equal && c->noop_nkey > 0 && c->noop_nkey <= nkey &&
        (rc = vdbe_index_find(c, key, c->noop_nkey, &found)) != LODE_OK)
      return rc;
    if (found) {
      rc = btree_overwrite_key(c->bt, rec, n);
      if (rc != LODE_DONE) {
        c->gen++;
        c->eof = rc != LODE_OK || btree_eof(c->bt);
        return rc;
      }
    }
  }
  if (flags & OPFLAG_APPEND) {
    /* The program's sorter put the entries in the tree's order. */
    c->gen++;
    rc = btree_append_sorted_key(c->bt, rec, n);
    c->eof = rc != LODE_OK || btree_eof(c->bt);
    return rc;
  }
  if (probed && key) {
    /* Where the probe left the cursor needs no comparator; only a cursor
    ** moved since makes one (LODE_DONE: nothing written yet). */
    rc = btree_insert_key_first(c->bt, rec, n, NULL, NULL, NULL, 1);
    if (rc != LODE_DONE) {
      c->gen++;
      c->eof = rc != LODE_OK || btree_eof(c->bt);
      return rc;
    }
    probed = 0;
  }
  /* An entry of the tree against the new record, unpacked once into Mems
  ** (all its fields: entries of one index have the same number, so no entry
  ** is a prefix of another; an equal one answers 0). */
  KeySeek ik = {.keyinfo = c->keyinfo, .key = key, .nkey = nkey, .tie = 0, .rc = LODE_OK};
  if (!key) {
    /* A malformed record must not reach the tree: it would break its order. */
    Mem blob;
    mem_init(&blob);
    blob.type = MEM_BLOB;
    blob.z = (char *)rec;
    blob.n = (int)n;
    if ((rc = vdbe_index_unpack(c, &blob, &ik.nkey)) != LODE_OK) return rc;
    if ((flags & OPFLAG_COPIED) && ik.nkey > c->keyinfo->nkey) return LODE_CORRUPT;
    ik.key = c->keybuf;
  }
  key_seek_first(&ik, c->keyinfo);
  BtreeKeyCompare fn = key_seek_fn(c->keyinfo, ik.key, ik.nkey);
  BtreeKeyFirst first;
  c->gen++;
  rc = btree_insert_key_first(c->bt, rec, n, fn, &ik, key_seek_decides(&ik, fn, &first), probed);
  if (rc == LODE_OK && ik.rc != LODE_OK) rc = LODE_CORRUPT;
  c->eof = rc != LODE_OK || btree_eof(c->bt);
  return rc;
}

int vdbe_index_unpack(VdbeCursor *c, const Mem *rec, int *nkey) {
  RecIter it;
  int n = 0;
  *nkey = 0;
  if (rec->type != MEM_BLOB || !rec_iter_init(&it, (const uint8_t *)rec->z, (uint32_t)rec->n)) return LODE_CORRUPT;
  for (;;) {
    Mem m;
    int r = rec_iter_next(&it, &m);
    if (r < 0) return LODE_CORRUPT;
    if (r == 0) break;
    if (n == c->keycap) {
      int cap = c->keycap ? c->keycap * 2 : 8;
      Mem *k = util_realloc(c->keybuf, (size_t)cap * sizeof *k);
      if (!k) return LODE_NOMEM;
      c->keybuf = k;
      c->keycap = cap;
    }
    c->keybuf[n++] = m; /* numbers by value, text/blob borrowed: nothing to release */
  }
  *nkey = n;
  return LODE_OK;
}

/* ---- seeks on table cursors ------------------------------------------------------------ */

#define SEEK_KEY_INT 0
#define SEEK_KEY_REAL 1
#define SEEK_KEY_NULL 2
#define SEEK_KEY_OTHER 3 /* not a number: sorts after every integer */

static int seek_key_kind(const Mem *m, int64_t *i, double *r) {
  Mem t;
  int kind;
  switch (m->type) {
  case MEM_INT: *i = m->u.i; return SEEK_KEY_INT;
  case MEM_REAL:
    if (isnan(m->u.r)) return SEEK_KEY_NULL;
    *r = m->u.r;
    return SEEK_KEY_REAL;
  case MEM_NULL: return SEEK_KEY_NULL;
  case MEM_TEXT: break;
  default: return SEEK_KEY_OTHER;
  }
  /* Text: numeric affinity on a borrowed view, the register stays as it is. */
  t = *m;
  t.owner = MEM_EPHEM;
  t.ztext = NULL;
  if (mem_apply_affinity(&t, AFF_NUMERIC) != LODE_OK) t.type = MEM_TEXT;
  kind = t.type == MEM_INT ? SEEK_KEY_INT : t.type == MEM_REAL ? SEEK_KEY_REAL : SEEK_KEY_OTHER;
  if (kind == SEEK_KEY_INT) *i = t.u.i;
  if (kind == SEEK_KEY_REAL) *r = t.u.r;
  if (t.owner == MEM_DYN || t.ztext) mem_release(&t);
  return kind;
}

#define TWO_POW_63 9223372036854775808.0

/* Orders integer i against real r exactly (no rounding of i to a double). */
static int int_real_compare(int64_t i, double r) {
  int64_t t;
  if (r < -TWO_POW_63) return 1;
  if (r >= TWO_POW_63) return -1;
  t = (int64_t)r; /* truncates toward zero; exact as a double again */
  if (i != t) return i < t ? -1 : 1;
  return r > (double)t ? -1 : r < (double)t ? 1 : 0;
}

/* The integer nearest r toward zero, saturated to the int64 range. */
static int64_t real_to_int(double r) {
  if (r <= -TWO_POW_63) return INT64_MIN;
  if (r >= TWO_POW_63) return INT64_MAX;
  return (int64_t)r;
}

int vdbe_table_seek(VdbeCursor *c, int opcode, const Mem *key, int *eof) {
  int64_t rowid = 0;
  double r = 0;
  int kind = seek_key_kind(key, &rowid, &r), cmp = 0, rc;
  c->gen++;
  c->eof = *eof = 1;
  if (c->keyinfo) return LODE_INTERNAL;
  if (kind == SEEK_KEY_NULL) return LODE_OK;
  if (kind == SEEK_KEY_OTHER) {
    if (opcode == OP_SeekGE || opcode == OP_SeekGT) return LODE_OK;
    rc = btree_last(c->bt, eof); /* every rowid is smaller */
    c->eof = *eof;
    return rc;
  }
  if (kind == SEEK_KEY_REAL) {
    int side;
    rowid = real_to_int(r);
    side = int_real_compare(rowid, r);
    /* rowid > r: "> r" is ">= rowid", "<= r" is "< rowid"; rowid < r: ">= r"
    ** is "> rowid", "< r" is "<= rowid". */
    if (side > 0 && opcode == OP_SeekGT) opcode = OP_SeekGE;
    else if (side > 0 && opcode == OP_SeekLE) opcode = OP_SeekLT;
    else if (side < 0 && opcode == OP_SeekGE) opcode = OP_SeekGT;
    else if (side < 0 && opcode == OP_SeekLT) opcode = OP_SeekLE;
  }
  rc = btree_seek_rowid(c->bt, rowid, &cmp);
  if (rc != LODE_OK || btree_eof(c->bt)) return rc;
  *eof = 0;
  switch (opcode) {
  case OP_SeekGE: if (cmp < 0) rc = btree_next(c->bt, eof); break;
  case OP_SeekGT: if (cmp <= 0) rc = btree_next(c->bt, eof); break;
  case OP_SeekLE: if (cmp > 0) rc = btree_prev(c->bt, eof); break;
  default: if (cmp >= 0) rc = btree_prev(c->bt, eof); break;
  }
  c->eof = *eof;
  return rc;
}
