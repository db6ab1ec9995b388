#!/bin/bash
# Build demo/uffd-demo for ARCH against the patched kernel's headers, boot the
# patched kernel and run it; then a shell in the guest when run from a
# terminal.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
d=$top/build/demo-$ARCH
mkdir -p "$d"
"${cross}gcc" -static -O2 -Wall -I"$out/kselftest/usr/include" \
	-o "$d/uffd-demo" "$top/demo/uffd-demo.c" -lpthread
shell=0
[ -t 0 ] && [ -t 1 ] && shell=1
EXTRA=$d CMD='/extra/uffd-demo' SHELL_AFTER=$shell TIMEOUT=${TIMEOUT:-300} \
	exec "$top/scripts/vm.sh"
