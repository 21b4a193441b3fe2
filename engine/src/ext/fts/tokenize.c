/*
** tokenize.c — the tokenizers of fts.h and the Unicode classes they need.
**
** Letters and digits: ASCII by the usual classes; beyond ASCII every code
** point is a letter or digit except the blocks of punctuation, symbols,
** spaces and controls listed in not_alnum (general punctuation, currency,
** arrows, mathematical operators, box drawing, dingbats, CJK punctuation,
** emoji…), which splits words the way Unicode's Alphabetic/Numeric classes
** do for the scripts people search in.  Lowercasing covers Latin (with its
** extended blocks), Greek, Cyrillic, Armenian, Georgian and fullwidth
** Latin; ß and other letters without a one-letter lowercase stay as they are.
*/
#include <string.h>

#include "ext/fts/fts.h"
#include "util/util.h"

typedef struct Range {
  uint32_t lo, hi;
} Range;

static const Range not_alnum[] = {
    {0x0080, 0x00A9}, {0x00AB, 0x00B1}, {0x00B4, 0x00B4}, {0x00B6, 0x00B8}, {0x00BB, 0x00BB},
    {0x00BF, 0x00BF}, {0x00D7, 0x00D7}, {0x00F7, 0x00F7}, {0x02C2, 0x02C5}, {0x02D2, 0x02DF},
    {0x0300, 0x036F}, {0x037E, 0x037E}, {0x0387, 0x0387}, {0x055A, 0x055F}, {0x0589, 0x058A},
    {0x05BE, 0x05BE}, {0x05C0, 0x05C0}, {0x05C3, 0x05C3}, {0x05F3, 0x05F4}, {0x060C, 0x060D},
    {0x061B, 0x061F}, {0x066A, 0x066D}, {0x06D4, 0x06D4}, {0x0964, 0x0965}, {0x0E3F, 0x0E3F},
    {0x0E4F, 0x0E4F}, {0x0E5A, 0x0E5B}, {0x1680, 0x1680}, {0x2000, 0x206F}, {0x20A0, 0x20CF},
    {0x2100, 0x2101}, {0x2103, 0x2106}, {0x2108, 0x2109}, {0x2114, 0x2114}, {0x2116, 0x2118},
    {0x211E, 0x2123}, {0x2125, 0x2125}, {0x2127, 0x2127}, {0x2129, 0x2129}, {0x212E, 0x212E},
    {0x2190, 0x245F}, {0x2500, 0x2775}, {0x2794, 0x2BFF}, {0x2E00, 0x2E7F}, {0x3000, 0x3004},
    {0x3008, 0x3020}, {0x3030, 0x3030}, {0x303D, 0x303F}, {0x30A0, 0x30A0}, {0x30FB, 0x30FB},
    {0xFD3E, 0xFD3F}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFEFF, 0xFEFF}, {0xFF00, 0xFF0F},
    {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFE0, 0xFFFF}, {0x1F000, 0x1FAFF},
    {0xE0000, 0xE007F},
};

int fts_is_alnum(uint32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  size_t lo = 0, hi = sizeof not_alnum / sizeof not_alnum[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (c < not_alnum[mid].lo) hi = mid;
    else if (c > not_alnum[mid].hi) lo = mid + 1;
    else return 0;
  }
  return c < 0xD800 || c > 0xDFFF;
}

/* Blocks whose upper- and lowercase letters alternate (even upper, odd lower). */
static int alternating(uint32_t c) {
  return (c >= 0x0100 && c <= 0x012F) || (c >= 0x0132 && c <= 0x0137) || (c >= 0x014A && c <= 0x0177) ||
         (c >= 0x0182 && c <= 0x0185) || (c >= 0x01A0 && c <= 0x01A5) || (c >= 0x01DE && c <= 0x01EF) ||
         (c >= 0x01F8 && c <= 0x021F) || (c >= 0x0222 && c <= 0x0233) || (c >= 0x0246 && c <= 0x024F) ||
         (c >= 0x0370 && c <= 0x0373) || (c >= 0x03D8 && c <= 0x03EF) || (c >= 0x0460 && c <= 0x0481) ||
         (c >= 0x048A && c <= 0x04BF) || (c >= 0x04D0 && c <= 0x052F) || (c >= 0x1E00 && c <= 0x1E95) ||
         (c >= 0x1EA0 && c <= 0x1EFF) || (c >= 0x2C80 && c <= 0x2CE3) || (c >= 0xA640 && c <= 0xA66D) ||
         (c >= 0xA680 && c <= 0xA69B) || (c >= 0xA722 && c <= 0xA72F) || (c >= 0xA732 && c <= 0xA76F) ||
         (c >= 0xA77E && c <= 0xA787) || (c >= 0xA790 && c <= 0xA793) || (c >= 0xA796 && c <= 0xA7A9);
}

uint32_t fts_lower(uint32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (alternating(c)) return c | 1;
  if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E) || (c >= 0x01CD && c <= 0x01DC) ||
      (c >= 0x04C1 && c <= 0x04CE))
    return c & 1 ? c + 1 : c;
  switch (c) {
  case 0x0130: return 'i';
  case 0x0178: return 0xFF;
  case 0x0181: return 0x0253;
  case 0x0186: return 0x0254;
  case 0x0189: return 0x0256;
  case 0x018A: return 0x0257;
  case 0x018E: return 0x01DD;
  case 0x018F: return 0x0259;
  case 0x0190: return 0x025B;
  case 0x0193: return 0x0260;
  case 0x0194: return 0x0263;
  case 0x0196: return 0x0269;
  case 0x0197: return 0x0268;
  case 0x019C: return 0x026F;
  case 0x019D: return 0x0272;
  case 0x01C4: case 0x01C7: case 0x01CA: case 0x01F1: return c + 2;
  case 0x01C5: case 0x01C8: case 0x01CB: case 0x01F2: return c + 1;
  case 0x0386: return 0x03AC;
  case 0x0388: case 0x0389: case 0x038A: return c + 37;
  case 0x038C: return 0x03CC;
  case 0x038E: case 0x038F: return c + 63;
  case 0x04C0: return 0x04CF;
  default: break;
  }
  if (c >= 0x0391 && c <= 0x03AB && c != 0x03A2) return c + 32;
  if (c >= 0x0400 && c <= 0x040F) return c + 80;
  if (c >= 0x0410 && c <= 0x042F) return c + 32;
  if (c >= 0x0531 && c <= 0x0556) return c + 48;
  if ((c >= 0x10A0 && c <= 0x10C5) || c == 0x10C7 || c == 0x10CD) return c + 0x1C60;
  /* Greek extended: the second half of each row is the uppercase of its first. */
  if (c >= 0x1F08 && c <= 0x1F6F && (c & 0xF) >= 8) return c - 8;
  if (c >= 0x2160 && c <= 0x216F) return c + 16;
  if (c >= 0x24B6 && c <= 0x24CF) return c + 26;
  if (c >= 0x2C00 && c <= 0x2C2F) return c + 48;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
  if (c >= 0x10400 && c <= 0x10427) return c + 40;
  return c;
}

/* One code point of z[*i .. n), advancing *i; malformed bytes read as themselves. */
static uint32_t next_cp(const unsigned char *z, int n, int *i) {
  uint32_t c = z[(*i)++];
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (c < 0x80 || more == 0) return c;
  c &= 0x3F >> more;
  for (; more && *i < n && (z[*i] & 0xC0) == 0x80; more--) c = (c << 6) | (z[(*i)++] & 0x3F);
  return c;
}

static int put_cp(char *out, uint32_t c) {
  if (c < 0x80) return out[0] = (char)c, 1;
  if (c < 0x800) return out[0] = (char)(0xC0 | c >> 6), out[1] = (char)(0x80 | (c & 0x3F)), 2;
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | c >> 12), out[1] = (char)(0x80 | ((c >> 6) & 0x3F)), out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | c >> 18), out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F)), out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

/* (c | 0x20 folds ASCII upper case onto lower; the subtractions wrap below the range) */
static int ascii_alnum(unsigned char c) { return (unsigned)(c - '0') < 10 || (unsigned)((c | 0x20) - 'a') < 26; }

static int is_ascii_space(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Runs of letters and digits (default, simple) or of non-space (whitespace). */
static int words(int kind, const char *z, int n, FtsTokenFn fn, void *ctx) {
  const unsigned char *u = (const unsigned char *)z;
  char small[256];
  char *buf = small;
  int cap = (int)sizeof small, pos = 0, rc = 0, i = 0;
  while (i < n && rc == 0) {
    /* ASCII between words: skipped byte by byte */
    if (kind != FTS_TOK_WHITESPACE && u[i] < 0x80) {
      if (!ascii_alnum(u[i])) {
        i++;
        continue;
      }
      /* A word of ASCII letters and digits that an ASCII byte or the end closes (a byte >= 0x80 may continue
      ** it, so that one takes the general path below): one pass finds its end, one copies and folds it (a
      ** digit has the 0x20 bit already, a letter gets it as its lower case). */
      int j = i;
      while (j < n && ascii_alnum(u[j])) j++;
      if ((j == n || u[j] < 0x80) && j - i <= cap) {
        int len = j - i;
        if (kind == FTS_TOK_DEFAULT && len >= FTS_MAX_TOKEN) {
          i = j;
          continue;
        }
        if (kind == FTS_TOK_DEFAULT)
          for (int k = 0; k < len; k++) buf[k] = (char)(u[i + k] | 0x20);
        else
          memcpy(buf, u + i, (size_t)len);
        rc = fn(ctx, buf, len, pos++, i, j);
        i = j;
        continue;
      }
    }
    int start = i;
    uint32_t c = next_cp(u, n, &i);
    int in = kind == FTS_TOK_WHITESPACE ? !is_ascii_space(c) : fts_is_alnum(c);
    if (!in) continue;
    int len = 0, end = i;
    for (;;) {
      if (len + 4 > cap) {
        int ncap = cap * 2;
        char *grown = buf == small ? util_malloc((size_t)ncap) : util_realloc(buf, (size_t)ncap);
        if (!grown) {
          rc = LODE_NOMEM;
          break;
        }
        if (buf == small) memcpy(grown, small, (size_t)len);
        buf = grown;
        cap = ncap;
      }
      len += put_cp(buf + len, kind == FTS_TOK_DEFAULT ? fts_lower(c) : c);
      end = i;
      /* A run of ASCII letters and digits: byte by byte, without decoding. */
      if (kind != FTS_TOK_WHITESPACE) {
        unsigned char fold = kind == FTS_TOK_DEFAULT ? 0x20 : 0;
        while (i < n && len + 4 < cap) {
          unsigned char b = u[i];
          if ((unsigned)((b | 0x20) - 'a') < 26)
            b |= fold;
          else if ((unsigned)(b - '0') >= 10)
            break;
          buf[len++] = (char)b;
          i++;
        }
        end = i;
        /* the run ends at an ASCII separator */
        if (i < n && u[i] < 0x80 && !ascii_alnum(u[i])) break;
      }
      if (i >= n) break;
      int at = i;
      c = next_cp(u, n, &i);
      in = kind == FTS_TOK_WHITESPACE ? !is_ascii_space(c) : fts_is_alnum(c);
      if (!in) {
        i = at;
        break;
      }
    }
    if (rc) break;
    if (kind == FTS_TOK_DEFAULT && len >= FTS_MAX_TOKEN) continue;
    rc = fn(ctx, buf, len, pos++, start, end);
  }
  if (buf != small) util_free(buf);
  return rc;
}

#define NGRAM_MIN 2
#define NGRAM_MAX 3

static int ngrams(const char *z, int n, FtsTokenFn fn, void *ctx) {
  const unsigned char *u = (const unsigned char *)z;
  int at[NGRAM_MAX + 1];
  int i = 0, pos = 0, rc = 0;
  while (i < n && rc == 0) {
    /* The byte offsets of the next NGRAM_MAX characters from i. */
    int k = 0, j = i;
    at[0] = i;
    while (k < NGRAM_MAX && j < n) {
      next_cp(u, n, &j);
      at[++k] = j;
    }
    for (int g = NGRAM_MIN; g <= k && rc == 0; g++) rc = fn(ctx, z + i, at[g] - i, pos, i, at[g]);
    i = at[1];
    pos++;
  }
  return rc;
}

int fts_tokenize(int kind, const char *z, int n, FtsTokenFn fn, void *ctx) {
  if (!z || n <= 0) return 0;
  switch (kind) {
  case FTS_TOK_RAW: return fn(ctx, z, n, 0, 0, n);
  case FTS_TOK_NGRAM: return ngrams(z, n, fn, ctx);
  default: return words(kind, z, n, fn, ctx);
  }
}

static const char *const tokenizer_names[] = {"default", "simple", "whitespace", "raw", "ngram"};

int fts_tokenizer_by_name(const char *name) {
  for (int i = 0; i < (int)(sizeof tokenizer_names / sizeof tokenizer_names[0]); i++)
    if (util_stricmp(name, tokenizer_names[i]) == 0) return i;
  return -1;
}

const char *fts_tokenizer_name(int kind) {
  return kind >= 0 && kind < (int)(sizeof tokenizer_names / sizeof tokenizer_names[0]) ? tokenizer_names[kind] : "?";
}
