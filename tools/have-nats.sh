#!/bin/sh
# Prints 1 when libnats (Debian's libnats-dev: nats/nats.h, -lnats) can be
# compiled and linked here, else 0.  The shell's --replicate uses it; without
# it the flag says replication is not available in this build.
# LODE_NATS=0|1 overrides the detection (the Makefile and binding.gyp use this).
if [ -n "$LODE_NATS" ]; then echo "$LODE_NATS"; exit 0; fi
printf '#include <nats/nats.h>\nint main(void){natsOptions *o=0;natsOptions_Create(&o);natsOptions_Destroy(o);return 0;}\n' |
  ${CC:-cc} -x c - -o /dev/null -lnats >/dev/null 2>&1 && echo 1 || echo 0
