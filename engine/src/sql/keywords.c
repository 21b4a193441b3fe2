/*
** keywords.c — SQLite's 147 keywords: case-insensitive lookup of a word's
** token code, and which keywords may stand in for an identifier.
**
** Invariant: every entry's name is upper case, and names are unique (the
** unit tests look up every name through sql_keyword_code); the table stays
** sorted by name for the readers of sql_keyword_name.
*/
#include <pthread.h>
#include <string.h>

#include "sql/token.h"

typedef struct Keyword {
  const char *name;
  int code;
} Keyword;

#define KEYWORD_MAX_LEN 17 /* CURRENT_TIMESTAMP */

static const Keyword keywords[] = {
  {"ABORT", TK_ABORT}, {"ACTION", TK_ACTION}, {"ADD", TK_ADD},
  {"AFTER", TK_AFTER}, {"ALL", TK_ALL}, {"ALTER", TK_ALTER},
  {"ALWAYS", TK_ALWAYS}, {"ANALYZE", TK_ANALYZE}, {"AND", TK_AND},
  {"AS", TK_AS}, {"ASC", TK_ASC}, {"ATTACH", TK_ATTACH},
  {"AUTOINCREMENT", TK_AUTOINCREMENT}, {"BEFORE", TK_BEFORE}, {"BEGIN", TK_BEGIN},
  {"BETWEEN", TK_BETWEEN}, {"BY", TK_BY}, {"CASCADE", TK_CASCADE},
  {"CASE", TK_CASE}, {"CAST", TK_CAST}, {"CHECK", TK_CHECK},
  {"COLLATE", TK_COLLATE}, {"COLUMN", TK_COLUMN}, {"COMMIT", TK_COMMIT},
  {"CONFLICT", TK_CONFLICT}, {"CONSTRAINT", TK_CONSTRAINT}, {"CREATE", TK_CREATE},
  {"CROSS", TK_CROSS}, {"CURRENT", TK_CURRENT}, {"CURRENT_DATE", TK_CURRENT_DATE},
  {"CURRENT_TIME", TK_CURRENT_TIME}, {"CURRENT_TIMESTAMP", TK_CURRENT_TIMESTAMP},
  {"DATABASE", TK_DATABASE}, {"DEFAULT", TK_DEFAULT},
  {"DEFERRABLE", TK_DEFERRABLE}, {"DEFERRED", TK_DEFERRED}, {"DELETE", TK_DELETE},
  {"DESC", TK_DESC}, {"DETACH", TK_DETACH}, {"DISTINCT", TK_DISTINCT},
  {"DO", TK_DO}, {"DROP", TK_DROP}, {"EACH", TK_EACH}, {"ELSE", TK_ELSE},
  {"END", TK_END}, {"ESCAPE", TK_ESCAPE}, {"EXCEPT", TK_EXCEPT},
  {"EXCLUDE", TK_EXCLUDE}, {"EXCLUSIVE", TK_EXCLUSIVE}, {"EXISTS", TK_EXISTS},
  {"EXPLAIN", TK_EXPLAIN}, {"FAIL", TK_FAIL}, {"FILTER", TK_FILTER},
  {"FIRST", TK_FIRST}, {"FOLLOWING", TK_FOLLOWING}, {"FOR", TK_FOR},
  {"FOREIGN", TK_FOREIGN}, {"FROM", TK_FROM}, {"FULL", TK_FULL},
  {"GENERATED", TK_GENERATED}, {"GLOB", TK_GLOB}, {"GROUP", TK_GROUP},
  {"GROUPS", TK_GROUPS}, {"HAVING", TK_HAVING}, {"IF", TK_IF},
  {"IGNORE", TK_IGNORE}, {"IMMEDIATE", TK_IMMEDIATE}, {"IN", TK_IN},
  {"INDEX", TK_INDEX}, {"INDEXED", TK_INDEXED}, {"INITIALLY", TK_INITIALLY},
  {"INNER", TK_INNER}, {"INSERT", TK_INSERT}, {"INSTEAD", TK_INSTEAD},
  {"INTERSECT", TK_INTERSECT}, {"INTO", TK_INTO}, {"IS", TK_IS},
  {"ISNULL", TK_ISNULL}, {"JOIN", TK_JOIN}, {"KEY", TK_KEY}, {"LAST", TK_LAST},
  {"LEFT", TK_LEFT}, {"LIKE", TK_LIKE_KW}, {"LIMIT", TK_LIMIT},
  {"MATCH", TK_MATCH}, {"MATERIALIZED", TK_MATERIALIZED}, {"NATURAL", TK_NATURAL},
  {"NO", TK_NO}, {"NOT", TK_NOT}, {"NOTHING", TK_NOTHING},
  {"NOTNULL", TK_NOTNULL}, {"NULL", TK_NULL}, {"NULLS", TK_NULLS},
  {"OF", TK_OF}, {"OFFSET", TK_OFFSET}, {"ON", TK_ON}, {"OR", TK_OR},
  {"ORDER", TK_ORDER}, {"OTHERS", TK_OTHERS}, {"OUTER", TK_OUTER},
  {"OVER", TK_OVER}, {"PARTITION", TK_PARTITION}, {"PLAN", TK_PLAN},
  {"PRAGMA", TK_PRAGMA}, {"PRECEDING", TK_PRECEDING}, {"PRIMARY", TK_PRIMARY},
  {"QUERY", TK_QUERY}, {"RAISE", TK_RAISE}, {"RANGE", TK_RANGE},
  {"RECURSIVE", TK_RECURSIVE}, {"REFERENCES", TK_REFERENCES},
  {"REGEXP", TK_REGEXP}, {"REINDEX", TK_REINDEX}, {"RELEASE", TK_RELEASE},
  {"RENAME", TK_RENAME}, {"REPLACE", TK_REPLACE}, {"RESTRICT", TK_RESTRICT},
  {"RETURNING", TK_RETURNING}, {"RIGHT", TK_RIGHT}, {"ROLLBACK", TK_ROLLBACK},
  {"ROW", TK_ROW}, {"ROWS", TK_ROWS}, {"SAVEPOINT", TK_SAVEPOINT},
  {"SELECT", TK_SELECT}, {"SET", TK_SET}, {"TABLE", TK_TABLE},
  {"TEMP", TK_TEMP}, {"TEMPORARY", TK_TEMP}, {"THEN", TK_THEN},
  {"TIES", TK_TIES}, {"TO", TK_TO}, {"TRANSACTION", TK_TRANSACTION},
  {"TRIGGER", TK_TRIGGER}, {"UNBOUNDED", TK_UNBOUNDED}, {"UNION", TK_UNION},
  {"UNIQUE", TK_UNIQUE}, {"UPDATE", TK_UPDATE}, {"USING", TK_USING},
  {"VACUUM", TK_VACUUM}, {"VALUES", TK_VALUES}, {"VIEW", TK_VIEW},
  {"VIRTUAL", TK_VIRTUAL}, {"WHEN", TK_WHEN}, {"WHERE", TK_WHERE},
  {"WINDOW", TK_WINDOW}, {"WITH", TK_WITH}, {"WITHOUT", TK_WITHOUT},
};

#define NKEYWORDS ((int)(sizeof(keywords) / sizeof(keywords[0])))
_Static_assert(sizeof(keywords) / sizeof(keywords[0]) < 255, "a keyword slot holds its index + 1 in a byte");

/* Lookup is a hash of the upper-cased word into an open-addressed table
** built once: the tokenizer asks for every word of every statement, and a
** binary search of strcmp calls showed in prepare profiles. */
#define KEYWORD_SLOTS 512 /* a power of two, over three times the keywords */
static unsigned char keyword_slot[KEYWORD_SLOTS]; /* index + 1 into keywords[], 0 empty */
static unsigned char keyword_len[NKEYWORDS];
static pthread_once_t keyword_once = PTHREAD_ONCE_INIT;

static unsigned keyword_hash(const char *z, int n) {
  unsigned h = (unsigned)n;
  for (int i = 0; i < n; i++) h = h * 31u + ((unsigned char)z[i] & 0xdfu); /* ASCII letters in either case alike */
  return h & (KEYWORD_SLOTS - 1);
}

static void keyword_index(void) {
  for (int i = 0; i < NKEYWORDS; i++) {
    int n = (int)strlen(keywords[i].name);
    unsigned k = keyword_hash(keywords[i].name, n);
    while (keyword_slot[k]) k = (k + 1) & (KEYWORD_SLOTS - 1);
    keyword_slot[k] = (unsigned char)(i + 1);
    keyword_len[i] = (unsigned char)n;
  }
}

int sql_keyword_code(const char *z, int n) {
  if (n < 2 || n > KEYWORD_MAX_LEN) return TK_ID;
  pthread_once(&keyword_once, keyword_index);
  for (unsigned k = keyword_hash(z, n); keyword_slot[k]; k = (k + 1) & (KEYWORD_SLOTS - 1)) {
    int i = keyword_slot[k] - 1, j = 0;
    if (keyword_len[i] != n) continue;
    const char *name = keywords[i].name;
    for (; j < n; j++) {
      char c = z[j];
      if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
      if (c != name[j]) break;
    }
    if (j == n) return keywords[i].code;
  }
  return TK_ID;
}

/* SQLite's %fallback ID list, indexed by token code. */
static const unsigned char fallback_codes[TK_KEYWORDS_END] = {
  [TK_ABORT] = 1, [TK_ACTION] = 1, [TK_AFTER] = 1, [TK_ALWAYS] = 1, [TK_ANALYZE] = 1, [TK_ASC] = 1,
  [TK_ATTACH] = 1, [TK_BEFORE] = 1, [TK_BEGIN] = 1, [TK_BY] = 1, [TK_CASCADE] = 1, [TK_CAST] = 1,
  [TK_COLUMN] = 1, [TK_CONFLICT] = 1, [TK_CURRENT] = 1, [TK_CURRENT_DATE] = 1,
  [TK_CURRENT_TIME] = 1, [TK_CURRENT_TIMESTAMP] = 1, [TK_DATABASE] = 1, [TK_DEFERRED] = 1,
  [TK_DESC] = 1, [TK_DETACH] = 1, [TK_DO] = 1, [TK_EACH] = 1, [TK_END] = 1, [TK_EXCLUDE] = 1,
  [TK_EXCLUSIVE] = 1, [TK_EXPLAIN] = 1, [TK_FAIL] = 1, [TK_FILTER] = 1, [TK_FIRST] = 1,
  [TK_FOLLOWING] = 1, [TK_FOR] = 1, [TK_GENERATED] = 1, [TK_GLOB] = 1, [TK_GROUPS] = 1,
  [TK_IF] = 1, [TK_IGNORE] = 1, [TK_IMMEDIATE] = 1, [TK_INITIALLY] = 1, [TK_INSTEAD] = 1,
  [TK_KEY] = 1, [TK_LAST] = 1, [TK_LIKE_KW] = 1, [TK_MATCH] = 1, [TK_MATERIALIZED] = 1,
  [TK_NO] = 1, [TK_NULLS] = 1, [TK_OF] = 1, [TK_OFFSET] = 1, [TK_OTHERS] = 1, [TK_OVER] = 1,
  [TK_PARTITION] = 1, [TK_PLAN] = 1, [TK_PRAGMA] = 1, [TK_PRECEDING] = 1, [TK_QUERY] = 1,
  [TK_RAISE] = 1, [TK_RANGE] = 1, [TK_RECURSIVE] = 1, [TK_REGEXP] = 1, [TK_REINDEX] = 1,
  [TK_RELEASE] = 1, [TK_RENAME] = 1, [TK_REPLACE] = 1, [TK_RESTRICT] = 1, [TK_ROLLBACK] = 1,
  [TK_ROW] = 1, [TK_ROWS] = 1, [TK_SAVEPOINT] = 1, [TK_TEMP] = 1, [TK_TIES] = 1, [TK_TRIGGER] = 1,
  [TK_UNBOUNDED] = 1, [TK_VACUUM] = 1, [TK_VIEW] = 1, [TK_VIRTUAL] = 1, [TK_WINDOW] = 1,
  [TK_WITH] = 1, [TK_WITHOUT] = 1,
};

int sql_keyword_fallback(int code) {
  if (code < 0 || code >= TK_KEYWORDS_END) return 0;
  return fallback_codes[code];
}

int sql_keyword_count(void) { return (int)(sizeof keywords / sizeof keywords[0]); }

const char *sql_keyword_name(int i) { return i >= 0 && i < sql_keyword_count() ? keywords[i].name : NULL; }
