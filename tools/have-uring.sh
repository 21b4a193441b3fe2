#!/bin/sh
# Prints 1 when liburing can be compiled and linked here, else 0.
# LODE_URING=0|1 overrides the detection (both the Makefile and binding.gyp use this).
if [ -n "$LODE_URING" ]; then echo "$LODE_URING"; exit 0; fi
printf '#include <liburing.h>\nint main(void){struct io_uring r;return io_uring_queue_init(1,&r,0);}\n' |
  ${CC:-cc} -x c - -o /dev/null -luring >/dev/null 2>&1 && echo 1 || echo 0
