/*
** test_json.c — unit tests for the JSONB encoder and decoder of the JSON
** functions (engine/src/func/json*.c): header encoding at every size
** boundary, decoding of every header form, text → JSONB → text and
** JSONB → text → JSONB round trips (fixed documents and seeded random
** ones), the in-place edit primitives, the validity checks and REAL
** rendering.  Expected bytes are what SQLite 3.53's jsonb() writes.
*/
#include <math.h>
#include <stdlib.h>

#include "func/json.h"
#include "testlib.h"

static char hexbuf[4096];

static const char *hex(const uint8_t *a, uint32_t n) {
  static const char digits[] = "0123456789ABCDEF";
  uint32_t i;
  if (n * 2 >= sizeof(hexbuf)) n = sizeof(hexbuf) / 2 - 1;
  for (i = 0; i < n; i++) {
    hexbuf[2 * i] = digits[a[i] >> 4];
    hexbuf[2 * i + 1] = digits[a[i] & 15];
  }
  hexbuf[2 * n] = 0;
  return hexbuf;
}

/* JSONB of text (hex), or "error@<position>". */
static const char *parse_hex(const char *text) {
  static char out[4096];
  JsonBuf b;
  JsonParseResult res;
  jbuf_init(&b);
  if (json_parse_text(text, (uint32_t)strlen(text), &b, &res))
    snprintf(out, sizeof(out), "error@%lld", (long long)res.err);
  else snprintf(out, sizeof(out), "%s", hex(b.a, b.n));
  jbuf_free(&b);
  return out;
}

/* Canonical text of text (parse then render), or "error". */
static const char *canonical(const char *text, const char *indent) {
  static char out[4096];
  JsonBuf b, t;
  JsonParseResult res;
  jbuf_init(&b);
  jbuf_init(&t);
  if (json_parse_text(text, (uint32_t)strlen(text), &b, &res) ||
      json_render(b.a, b.n, 0, &t, indent, indent ? (uint32_t)strlen(indent) : 0))
    snprintf(out, sizeof(out), "error");
  else snprintf(out, sizeof(out), "%.*s", (int)t.n, (const char *)t.a);
  jbuf_free(&b);
  jbuf_free(&t);
  return out;
}

TEST(header_uses_the_smallest_size_field) {
  static const struct { uint32_t size; const char *hex; } cases[] = {
      {0, "0B"}, {11, "BB"}, {12, "CB0C"}, {255, "CBFF"}, {256, "DB0100"},
      {65535, "DBFFFF"}, {65536, "EB00010000"}, {0x12345678, "EB12345678"},
  };
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    JsonBuf b;
    jbuf_init(&b);
    jbuf_header(&b, JSONB_ARRAY, cases[i].size);
    CHECK_EQ_STR(hex(b.a, b.n), cases[i].hex);
    jbuf_free(&b);
  }
}

TEST(header_decodes_every_size_field) {
  /* TEXT "ab" with a 0, 1, 2, 4 and 8 byte size field */
  static const uint8_t forms[][11] = {
      {0x27, 'a', 'b'},
      {0xC7, 2, 'a', 'b'},
      {0xD7, 0, 2, 'a', 'b'},
      {0xE7, 0, 0, 0, 2, 'a', 'b'},
      {0xF7, 0, 0, 0, 0, 0, 0, 0, 2, 'a', 'b'},
  };
  static const uint32_t lens[] = {3, 4, 5, 7, 11};
  size_t i;
  for (i = 0; i < 5; i++) {
    int type;
    uint32_t hdr, size;
    CHECK(jsonb_header(forms[i], lens[i], 0, &type, &hdr, &size));
    CHECK_EQ_INT(type, JSONB_TEXT);
    CHECK_EQ_INT(size, 2);
    CHECK_EQ_INT(hdr, lens[i] - 2);
    CHECK(jsonb_valid(forms[i], lens[i], 1));
    /* one byte short: the payload runs past the end */
    CHECK(!jsonb_header(forms[i], lens[i] - 1, 0, &type, &hdr, &size));
    CHECK(!jsonb_valid(forms[i], lens[i] - 1, 0));
  }
}

TEST(text_to_jsonb_matches_sqlite_bytes) {
  CHECK_EQ_STR(parse_hex("[1]"), "2B1331");
  CHECK_EQ_STR(parse_hex("{\"a\":[1,2,3,4,5,6,7,8,9,10,11,12]}"),
               "CC1F1761CB1B133113321333133413351336133713381339233130233131233132");
  CHECK_EQ_STR(parse_hex("{a:1}"), "4C17611331");
  CHECK_EQ_STR(parse_hex("+5"), "1335");
  CHECK_EQ_STR(parse_hex("5."), "26352E");
  CHECK_EQ_STR(parse_hex("-Infinity"), "652D3965393939");
  CHECK_EQ_STR(parse_hex("NaN"), "00");
  CHECK_EQ_STR(parse_hex("'a'"), "1761");
  CHECK_EQ_STR(parse_hex("\"a\tb\""), "39610962");
  CHECK_EQ_STR(parse_hex("\"\\x41\\v\\0\\'\""), "A95C7834315C765C305C27");
  CHECK_EQ_STR(parse_hex("\"a\\u0041\""), "78615C7530303431");
  CHECK_EQ_STR(parse_hex("-0x10"), "542D30783130");
  CHECK_EQ_STR(parse_hex("'ab\"c'"), "4961622263");
  CHECK_EQ_STR(parse_hex("0.5E-3"), "65302E35452D33");
}

TEST(parse_errors_report_sqlite_positions) {
  CHECK_EQ_STR(parse_hex("[1,2"), "error@5");
  CHECK_EQ_STR(parse_hex("  x"), "error@3");
  CHECK_EQ_STR(parse_hex("[\"\xC3\xA9\",x]"), "error@6"); /* characters, not bytes */
  CHECK_EQ_STR(parse_hex("[1] x"), "error@1");          /* text after the value */
  CHECK_EQ_STR(parse_hex("[01]"), "error@3");
  CHECK_EQ_STR(parse_hex("[-01]"), "error@3");
  CHECK_EQ_STR(parse_hex("\"\\q\""), "error@3");
  CHECK_EQ_STR(parse_hex("{\"a\" 1}"), "error@6");
  CHECK_EQ_STR(parse_hex(""), "error@1");
}

/* A NUL byte after the value ends the text, as SQLite reads it; one inside the value is an error there. */
TEST(nul_after_the_value_ends_the_text) {
  static const char after[] = "[1]  \0junk", inside[] = "[1\0]";
  JsonBuf b;
  JsonParseResult res;
  jbuf_init(&b);
  CHECK_EQ_INT(json_parse_text(after, sizeof after - 1, &b, &res), 0);
  CHECK_EQ_STR(hex(b.a, b.n), "2B1331"); /* the array [1] */
  jbuf_free(&b);
  jbuf_init(&b);
  CHECK(json_parse_text(inside, sizeof inside - 1, &b, &res) != 0);
  CHECK_EQ_INT(res.err, 3);
  jbuf_free(&b);
}

TEST(nesting_stops_at_1000_levels) {
  char *z = malloc(2 * 1001 + 1);
  int depth;
  for (depth = 1000; depth <= 1001; depth++) {
    JsonBuf b;
    JsonParseResult res;
    int rc;
    memset(z, '[', (size_t)depth);
    memset(z + depth, ']', (size_t)depth);
    z[2 * depth] = 0;
    jbuf_init(&b);
    rc = json_parse_text(z, (uint32_t)(2 * depth), &b, &res);
    if (depth == 1000) {
      CHECK_EQ_INT(rc, 0);
      CHECK(jsonb_valid(b.a, b.n, 1));
    } else {
      CHECK_EQ_INT(rc, 1);
      CHECK_EQ_INT(res.err, 1001);
    }
    jbuf_free(&b);
  }
  free(z);
}

TEST(render_is_canonical) {
  CHECK_EQ_STR(canonical(" [1, 2 , {\"a\" : \"x\"} ] ", NULL), "[1,2,{\"a\":\"x\"}]");
  CHECK_EQ_STR(canonical("[0x1F,.5,5.,+5,Infinity,NaN,'q',\"\\x41\\v\",]", NULL),
               "[31,0.5,5.0,5,9e999,null,\"q\",\"\\u0041\\u000b\"]");
  CHECK_EQ_STR(canonical("0x10000000000000000", NULL), "9.0e999");
  CHECK_EQ_STR(canonical("\"a\\\nb\"", NULL), "\"ab\"");
  CHECK_EQ_STR(canonical("{\"a\":[1,{}],\"b\":[]}", "  "), "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
}

/* A seeded random JSON document in canonical text. */
static uint32_t rng_state;
static uint32_t rng(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return rng_state >> 8;
}

static void random_doc(StrBuf *b, int depth) {
  static const char *const atoms[] = {"null", "true", "false", "0", "-12", "1.5", "2.0e-7", "\"\"", "\"x\"",
                                      "\"a\\\"b\\\\c\"", "\"\\u00e9\\n\"", "\"\xC3\xA9\"", "12345678901234567890"};
  uint32_t r = rng() % 10, n, i;
  if (depth > 4 || r < 5) {
    strbuf_appendz(b, atoms[rng() % (sizeof(atoms) / sizeof(atoms[0]))]);
    return;
  }
  n = rng() % (r == 9 ? 40 : 5); /* sometimes wide, to pass the 1-byte size field */
  strbuf_appendc(b, r < 8 ? '[' : '{');
  for (i = 0; i < n; i++) {
    if (i) strbuf_appendc(b, ',');
    if (r >= 8) strbuf_printf(b, "\"k%u\":", rng() % 7);
    random_doc(b, depth + 1);
  }
  strbuf_appendc(b, r < 8 ? ']' : '}');
}

TEST(random_documents_round_trip) {
  int k;
  rng_state = 20240601;
  for (k = 0; k < 2000; k++) {
    StrBuf text;
    JsonBuf b, t, b2;
    JsonParseResult res;
    strbuf_init(&text);
    random_doc(&text, 0);
    jbuf_init(&b);
    jbuf_init(&t);
    jbuf_init(&b2);
    CHECK_EQ_INT(json_parse_text(text.z, (uint32_t)text.n, &b, &res), 0);
    CHECK(jsonb_valid(b.a, b.n, 1));
    CHECK_EQ_INT(json_render(b.a, b.n, 0, &t, NULL, 0), 0);
    /* canonical text comes back unchanged, and so do its JSONB bytes */
    CHECK(t.n == text.n && memcmp(t.a, text.z, t.n) == 0);
    CHECK_EQ_INT(json_parse_text((const char *)t.a, t.n, &b2, &res), 0);
    CHECK(b2.n == b.n && memcmp(b2.a, b.a, b.n) == 0);
    jbuf_free(&b);
    jbuf_free(&t);
    jbuf_free(&b2);
    strbuf_reset(&text);
    if (test_current_failed) break;
  }
}

/* Appends a header for (type, size) of width 1, 2, 3, 5 or 9 bytes, the
** smallest that holds size or, with wide set, one size field wider. */
static void header_of_width(JsonBuf *b, int type, uint32_t size, int wide) {
  static const uint8_t codes[] = {12, 13, 14, 15};
  static const int bytes[] = {1, 2, 4, 8};
  int w = size <= 11 ? -1 : size <= 0xff ? 0 : size <= 0xffff ? 1 : 2;
  if (wide) w++;
  if (w < 0) {
    jbuf_node(b, type, NULL, 0);
    b->a[b->n - 1] = (uint8_t)(size << 4 | (uint32_t)type);
    return;
  }
  uint8_t h[9];
  h[0] = (uint8_t)(codes[w] << 4 | type);
  for (int i = 0; i < bytes[w]; i++) h[1 + i] = (uint8_t)((uint64_t)size >> (8 * (bytes[w] - 1 - i)));
  jbuf_append(b, h, 1 + (uint32_t)bytes[w]);
}

/* A seeded random JSONB element, well framed but often not canonical:
** every type, numbers and strings that rendering rewrites or that do not
** read back, labels that are not strings, wider headers than needed. */
static void random_jsonb(JsonBuf *out, int depth) {
  static const char *const numbers[] = {"0", "-0", "12", "01", "1.5", "1e5", "1E+5", ".5", "5.", "-", "",
                                        "0x1F", "1.5e", "9e999", "+1", "-2.50", "123456789012345678901234"};
  static const char *const bytes[] = {"a", "\"", "\\", "'", "\n", "u", "0", "/", "\xC3\xA9", "x", "n", "\\n",
                                      "\\u00e9", "\\x41", "\\'", "\\u12", "b", "\t", " "};
  JsonBuf pay;
  int type = (int)(rng() % 13), wide = rng() % 8 == 0;
  uint32_t i, n;
  if (depth > 4 && type >= JSONB_ARRAY) type = JSONB_TEXT;
  jbuf_init(&pay);
  switch (type) {
    case JSONB_NULL: case JSONB_TRUE: case JSONB_FALSE:
      if (rng() % 8 == 0) jbuf_append(&pay, "1", 1);
      break;
    case JSONB_INT: case JSONB_INT5: case JSONB_FLOAT: case JSONB_FLOAT5: {
      const char *z = numbers[rng() % (sizeof(numbers) / sizeof(numbers[0]))];
      jbuf_append(&pay, z, (uint32_t)strlen(z));
      break;
    }
    case JSONB_ARRAY: case JSONB_OBJECT:
      n = rng() % (rng() % 6 == 0 ? 30 : 5);
      for (i = 0; i < n; i++) {
        if (type == JSONB_OBJECT && i % 2 == 0 && rng() % 10) {
          JsonBuf label;
          jbuf_init(&label);
          for (uint32_t k = rng() % 4; k > 0; k--) jbuf_append(&label, "k\"", 1 + (rng() % 9 == 0));
          jbuf_node(&pay, rng() % 2 ? JSONB_TEXT : JSONB_TEXTJ, label.a, label.n);
          jbuf_free(&label);
        } else {
          random_jsonb(&pay, depth + 1);
        }
      }
      break;
    default:
      for (n = rng() % 7; n > 0; n--) {
        const char *z = bytes[rng() % (sizeof(bytes) / sizeof(bytes[0]))];
        jbuf_append(&pay, z, (uint32_t)strlen(z));
      }
  }
  header_of_width(out, type, pay.n, wide);
  jbuf_append(out, pay.a, pay.n);
  jbuf_free(&pay);
}

TEST(canonical_jsonb_is_what_its_rendering_parses_to) {
  int k, canonical_count = 0, other = 0;
  rng_state = 20261206;
  for (k = 0; k < 20000; k++) {
    JsonBuf b, t, b2;
    JsonParseResult res;
    jbuf_init(&b);
    jbuf_init(&t);
    jbuf_init(&b2);
    random_jsonb(&b, 0);
    if (jsonb_canonical(b.a, b.n)) {
      canonical_count++;
      CHECK_EQ_INT(json_render(b.a, b.n, 0, &t, NULL, 0), 0);
      CHECK_EQ_INT(json_parse_text((const char *)t.a, t.n, &b2, &res), 0);
      CHECK(b2.n == b.n && memcmp(b2.a, b.a, b.n) == 0);
    } else if (!json_render(b.a, b.n, 0, &t, NULL, 0) && !json_parse_text((const char *)t.a, t.n, &b2, &res) &&
               (b2.n != b.n || memcmp(b2.a, b.a, b.n) != 0)) {
      other++; /* rewritten by the round trip, as expected of non-canonical bytes */
    }
    jbuf_free(&b);
    jbuf_free(&t);
    jbuf_free(&b2);
    if (test_current_failed) break;
  }
  CHECK(canonical_count > 2000);
  CHECK(other > 2000);
  /* RFC 8259 text parses to canonical JSONB */
  rng_state = 20240601;
  for (k = 0; k < 500; k++) {
    StrBuf text;
    JsonBuf b;
    JsonParseResult res;
    strbuf_init(&text);
    random_doc(&text, 0);
    jbuf_init(&b);
    CHECK_EQ_INT(json_parse_text(text.z, (uint32_t)text.n, &b, &res), 0);
    CHECK(jsonb_canonical(b.a, b.n));
    jbuf_free(&b);
    strbuf_reset(&text);
    if (test_current_failed) break;
  }
  CHECK(!jsonb_canonical((const uint8_t *)"\xC3\x01\x31", 3)); /* INT "1" with a 1-byte size field */
  CHECK(!jsonb_canonical((const uint8_t *)"\x1A\x61", 2));      /* TEXTRAW renders as TEXT */
  CHECK(!jsonb_canonical((const uint8_t *)"\x28\x61\x62", 3)); /* TEXTJ without an escape reads back TEXT */
  CHECK(jsonb_canonical((const uint8_t *)"\x28\x5C\x6E", 3));  /* TEXTJ "\n" */
}

TEST(replace_widens_a_header_to_keep_the_length) {
  static const uint8_t x_raw[] = {0x1A, 'x'};
  static const uint8_t null_v[] = {0x00};
  JsonBuf b;
  jbuf_init(&b);
  jbuf_append(&b, "\x2B\x13\x31", 3); /* [1] */
  CHECK_EQ_INT(jbuf_replace(&b, 0, 3, x_raw, 2), 0);
  CHECK_EQ_STR(hex(b.a, b.n), "CA0178");
  b.n = 0;
  jbuf_append(&b, "\x2B\x13\x31", 3);
  CHECK_EQ_INT(jbuf_replace(&b, 0, 3, null_v, 1), -2); /* null is never widened */
  CHECK_EQ_STR(hex(b.a, b.n), "00");
  b.n = 0;
  jbuf_append(&b, "\x67hello", 6);
  CHECK_EQ_INT(jbuf_replace(&b, 0, 6, x_raw, 2), 0); /* 4 more bytes: a 4-byte size field */
  CHECK_EQ_STR(hex(b.a, b.n), "EA0000000178");
  b.n = 0;
  jbuf_append(&b, "\x67hello", 6);
  jbuf_append(&b, "\x67hello", 6);
  CHECK_EQ_INT(jbuf_replace(&b, 0, 6, (const uint8_t *)"\x17q", 2), 0);
  CHECK_EQ_STR(hex(b.a, b.n), "E700000001716768656C6C6F");
  jbuf_free(&b);
}

TEST(resize_header_grows_and_shrinks) {
  JsonBuf b;
  jbuf_init(&b);
  jbuf_header(&b, JSONB_ARRAY, 0);
  CHECK_EQ_INT(jbuf_resize_header(&b, 0, 300), 2);
  CHECK_EQ_STR(hex(b.a, b.n), "DB012C");
  CHECK_EQ_INT(jbuf_resize_header(&b, 0, 5), -2);
  CHECK_EQ_STR(hex(b.a, b.n), "5B");
  jbuf_free(&b);
}

TEST(strict_validity_checks_payloads) {
  CHECK(jsonb_valid((const uint8_t *)"\x23\x30\x31", 3, 0));  /* INT "01": well framed */
  CHECK(!jsonb_valid((const uint8_t *)"\x23\x30\x31", 3, 1)); /* but not a JSON integer */
  CHECK(!jsonb_valid((const uint8_t *)"\x2C\x17\x61", 3, 1)); /* object with a label only */
  CHECK(!jsonb_valid((const uint8_t *)"\x4C\x13\x61\x13\x31", 5, 1)); /* label not text */
  CHECK(jsonb_valid((const uint8_t *)"\x4C\x17\x61\x13\x31", 5, 1));
  CHECK(!jsonb_valid((const uint8_t *)"\x0D", 1, 0));          /* reserved type */
  CHECK(!jsonb_valid((const uint8_t *)"\x10\x00", 2, 0));      /* null with a payload */
  CHECK(jsonb_valid((const uint8_t *)"\x38\x5C\x6E\x61", 4, 1));  /* TEXTJ "\na" */
  CHECK(!jsonb_valid((const uint8_t *)"\x38\x5C\x78\x61", 4, 1)); /* \x is not RFC 8259 */
}

TEST(text_decoding_and_encoding) {
  JsonBuf b;
  static const char *const in = "a\\u00e9\\ud83d\\ude00\\x41\\\nz";
  jbuf_init(&b);
  json_text_decode(JSONB_TEXT5, (const uint8_t *)in, (uint32_t)strlen(in), &b);
  CHECK_EQ_STR(hex(b.a, b.n), "61C3A9F09F988041" "7A");
  b.n = 0;
  json_text_decode(JSONB_TEXTJ, (const uint8_t *)"\\ud83d", 6, &b); /* a lone surrogate: 3 bytes */
  CHECK_EQ_STR(hex(b.a, b.n), "EDA0BD");
  b.n = 0;
  json_text_node(&b, "ab", 2);
  CHECK_EQ_STR(hex(b.a, b.n), "276162");
  b.n = 0;
  json_text_node(&b, "a\"\t", 3);
  CHECK_EQ_STR(hex(b.a, b.n), "58615C225C74");
  jbuf_free(&b);
}

static const char *real_text(double r) {
  static char out[64];
  JsonBuf b;
  jbuf_init(&b);
  json_render_real(r, &b);
  snprintf(out, sizeof(out), "%.*s", (int)b.n, (const char *)b.a);
  jbuf_free(&b);
  return out;
}

TEST(reals_render_like_sqlite) {
  CHECK_EQ_STR(real_text(0.1), "0.1");
  CHECK_EQ_STR(real_text(1.0), "1.0");
  CHECK_EQ_STR(real_text(1.0 / 3), "0.33333333333333332");
  CHECK_EQ_STR(real_text(1e300), "1.0e+300");
  CHECK_EQ_STR(real_text(-0.0), "0.0");
  CHECK_EQ_STR(real_text(2.5e-7), "2.5e-07");
  CHECK_EQ_STR(real_text(1e16), "10000000000000000.0");
  CHECK_EQ_STR(real_text(0.00099732), "0.00099732000000000011");
  CHECK_EQ_STR(real_text(INFINITY), "9.0e+999");
  CHECK_EQ_STR(real_text(-INFINITY), "-9.0e+999");
}

int main(void) {
  RUN(header_uses_the_smallest_size_field);
  RUN(header_decodes_every_size_field);
  RUN(text_to_jsonb_matches_sqlite_bytes);
  RUN(parse_errors_report_sqlite_positions);
  RUN(nul_after_the_value_ends_the_text);
  RUN(nesting_stops_at_1000_levels);
  RUN(render_is_canonical);
  RUN(random_documents_round_trip);
  RUN(canonical_jsonb_is_what_its_rendering_parses_to);
  RUN(replace_widens_a_header_to_keep_the_length);
  RUN(resize_header_grows_and_shrinks);
  RUN(strict_validity_checks_payloads);
  RUN(text_decoding_and_encoding);
  RUN(reals_render_like_sqlite);
  return test_summary();
}
