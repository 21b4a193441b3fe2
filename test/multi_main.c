/* The C unit tests as one program: each test's main was renamed
** lode_test_main_NAME when it was compiled; the program runs the test named
** by the link it was started through (out/test/NAME), or by its first
** argument when started as itself. */
#include <stdio.h>
#include <string.h>

#define TEST(name) int lode_test_main_##name(void);
#include "tests.h"
#undef TEST

static const struct {
  const char *name;
  int (*run)(void);
} tests[] = {
#define TEST(name) {#name, lode_test_main_##name},
#include "tests.h"
#undef TEST
};

int main(int argc, char **argv) {
  const char *name = strrchr(argv[0], '/');
  name = name ? name + 1 : argv[0];
  if (strcmp(name, "tests") == 0 && argc > 1) name = argv[1];
  for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
    if (strcmp(tests[i].name, name) == 0) return tests[i].run();
  fprintf(stderr, "%s: no test of that name; the tests are:\n", name);
  for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) fprintf(stderr, "  %s\n", tests[i].name);
  return 2;
}
