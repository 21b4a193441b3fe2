/*
** testlib.h — a minimal unit-test harness for the C tests.
**
**   TEST(name) { CHECK(cond); CHECK_EQ_INT(a, b); CHECK_EQ_STR(a, b); }
**   int main(void) { RUN(name); ...; return test_summary(); }
**
** Each test prints "ok name" or "FAIL name: file:line: what"; the last line
** is "N passed, N failed" and the exit code is non-zero on any failure.
*/
#ifndef LODE_TESTLIB_H
#define LODE_TESTLIB_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed, test_current_failed;
static const char *test_current;

#define TEST(name) static void name(void)
#define RUN(name)                                                              \
  do {                                                                         \
    test_current = #name;                                                      \
    test_current_failed = 0;                                                   \
    name();                                                                    \
    if (test_current_failed) test_failed++;                                    \
    else { test_passed++; printf("ok %s\n", #name); }                          \
  } while (0)

#define TEST_FAIL_(...)                                                        \
  do {                                                                         \
    if (!test_current_failed) printf("FAIL %s: ", test_current);               \
    else printf("     ");                                                      \
    printf("%s:%d: ", __FILE__, __LINE__);                                     \
    printf(__VA_ARGS__);                                                       \
    printf("\n");                                                              \
    test_current_failed = 1;                                                   \
  } while (0)

#define CHECK(cond)                                                            \
  do { if (!(cond)) TEST_FAIL_("%s", #cond); } while (0)
#define CHECK_EQ_INT(a, b)                                                     \
  do {                                                                         \
    long long a_ = (long long)(a), b_ = (long long)(b);                        \
    if (a_ != b_) TEST_FAIL_("%s == %lld, expected %lld", #a, a_, b_);         \
  } while (0)
#define CHECK_EQ_STR(a, b)                                                     \
  do {                                                                         \
    const char *a_ = (a), *b_ = (b);                                           \
    if (!a_ || !b_ || strcmp(a_, b_) != 0)                                     \
      TEST_FAIL_("%s == \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
  } while (0)

static int test_summary(void) {
  printf("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed ? 1 : 0;
}

#endif /* LODE_TESTLIB_H */
