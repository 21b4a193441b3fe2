/*
** utf16.c — the UTF-16 forms of the API: open16, prepare16_v2 with tails,
** bind_text16 and bind_text64 in each byte order, column_text16/bytes16,
** column_name16/decltype16, errmsg16, functions that read value_text16 and
** answer with result_text16, create_function16, complete16.  Text with
** non-ASCII characters and a surrogate pair; printed as UTF-8 or code units.
*/
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uchar.h>

static void print16(const char *label, const void *z) {
  const uint16_t *w = z;
  printf("%s:", label);
  if (!w) {
    printf(" (null)\n");
    return;
  }
  for (int i = 0; w[i]; i++) printf(" %04x", w[i]);
  printf("\n");
}

/* rev16(x): x's UTF-16 code units in reverse order (surrogate pairs kept) */
static void fn_rev16(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const uint16_t *w = sqlite3_value_text16(argv[0]);
  int n = sqlite3_value_bytes16(argv[0]) / 2;
  uint16_t out[64];
  if (!w || n > 63) {
    sqlite3_result_null(ctx);
    return;
  }
  for (int i = 0, j = n - 1; j >= 0; i++, j--) {
    if (j > 0 && w[j] >= 0xDC00 && w[j] < 0xE000) {
      out[i] = w[j - 1];
      out[++i] = w[j];
      j--;
    } else {
      out[i] = w[j];
    }
  }
  sqlite3_result_text16(ctx, out, 2 * n, SQLITE_TRANSIENT);
}

int main(void) {
  sqlite3 *db;
  sqlite3_stmt *s;
  const void *tail;
  printf("open16: %d\n", sqlite3_open16(u":memory:", &db));
  const char16_t *sql = u"CREATE TABLE t(k INTEGER PRIMARY KEY, \u00e9t\u00e9 TEXT); "
                        u"INSERT INTO t VALUES (1, 'caf\u00e9');";
  int rc = sqlite3_prepare16_v2(db, sql, -1, &s, &tail);
  printf("prepare16: %d tail at unit %d\n", rc, (int)((const char16_t *)tail - sql));
  sqlite3_step(s);
  sqlite3_finalize(s);
  rc = sqlite3_prepare16_v2(db, tail, -1, &s, &tail);
  printf("second: %d rest '%d'\n", rc, *(const char16_t *)tail);
  sqlite3_step(s);
  sqlite3_finalize(s);

  sqlite3_prepare16_v2(db, u"INSERT INTO t VALUES (?, ?)", -1, &s, NULL);
  const char16_t *texts[] = {u"na\u00efve", u"emoji \U0001F600!", u"\u65e5\u672c"};
  for (int i = 0; i < 3; i++) {
    sqlite3_bind_int(s, 1, 10 + i);
    sqlite3_bind_text16(s, 2, texts[i], -1, SQLITE_TRANSIENT);
    printf("insert %d: %d\n", i, sqlite3_step(s));
    sqlite3_reset(s);
  }
  /* explicit byte counts and byte orders */
  static const unsigned char be[] = {0x00, 'B', 0x00, 'E', 0x00, 0xe9};
  static const unsigned char le[] = {'L', 0x00, 'E', 0x00, 0xe8, 0x00, 'x', 0x00};
  sqlite3_bind_int(s, 1, 20);
  sqlite3_bind_text64(s, 2, (const char *)be, sizeof be, SQLITE_STATIC, SQLITE_UTF16BE);
  printf("insert be: %d\n", sqlite3_step(s));
  sqlite3_reset(s);
  sqlite3_bind_int(s, 1, 21);
  sqlite3_bind_text64(s, 2, (const char *)le, 6, SQLITE_STATIC, SQLITE_UTF16LE);
  printf("insert le (3 units of 4): %d\n", sqlite3_step(s));
  sqlite3_finalize(s);

  sqlite3_create_function16(db, u"rev16", 1, SQLITE_UTF16, NULL, fn_rev16, NULL, NULL);
  sqlite3_prepare_v2(db,
                     "SELECT k, \xc3\xa9t\xc3\xa9, length(\xc3\xa9t\xc3\xa9), rev16(\xc3\xa9t\xc3\xa9) "
                     "FROM t ORDER BY k",
                     -1, &s, NULL);
  print16("column 1 name", sqlite3_column_name16(s, 1));
  print16("column 1 decltype", sqlite3_column_decltype16(s, 1));
  while (sqlite3_step(s) == SQLITE_ROW) {
    /* (a pointer from column_text is not valid after column_bytes16: copy first) */
    char label[96], utf8[32];
    snprintf(utf8, sizeof utf8, "%s", (const char *)sqlite3_column_text(s, 1));
    int chars = sqlite3_column_int(s, 2), k = sqlite3_column_int(s, 0);
    int bytes16 = sqlite3_column_bytes16(s, 1);
    snprintf(label, sizeof label, "row %d (%d chars, %d bytes16, utf8 %s)", k, chars, bytes16, utf8);
    print16(label, sqlite3_column_text16(s, 1));
    print16("  reversed", sqlite3_column_text16(s, 3));
  }
  sqlite3_finalize(s);

  rc = sqlite3_prepare16_v2(db, u"SELECT nope FROM t", -1, &s, NULL);
  printf("error: %d\n", rc);
  print16("errmsg16", sqlite3_errmsg16(db));
  printf("complete16: %d %d\n", sqlite3_complete16(u"SELECT 1;"), sqlite3_complete16(u"SELECT '1;"));
  printf("close: %d\n", sqlite3_close(db));
  return 0;
}
