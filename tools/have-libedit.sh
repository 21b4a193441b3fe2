#!/bin/sh
# Prints 1 when libedit (Debian's libedit-dev: histedit.h, -ledit) can be
# compiled and linked here, else 0.  The shell uses it for line editing and
# history on a terminal and falls back to plain reads without it.
# LODE_LIBEDIT=0|1 overrides the detection (the Makefile and binding.gyp use this).
if [ -n "$LODE_LIBEDIT" ]; then echo "$LODE_LIBEDIT"; exit 0; fi
printf '#include <stdio.h>\n#include <histedit.h>\nint main(void){History *h=history_init();history_end(h);return 0;}\n' |
  ${CC:-cc} -x c - -o /dev/null -ledit >/dev/null 2>&1 && echo 1 || echo 0
