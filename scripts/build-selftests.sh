#!/bin/bash
# Build tools/testing/selftests/vm of build/linux statically for ARCH against
# the kernel's own uapi headers, and install it with kselftest's runner into
# build/kselftest-ARCH. Needs the kernel build directory (build-kernel.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ins=$top/build/kselftest-$ARCH

cflags="-static -I$out/kselftest/usr/include"
if [ "$ARCH" = arm64 ]; then
	"$top/scripts/sysroot.sh" >/dev/null
	sr=$top/build/sysroot-arm64
	cflags+=" -I$sr/usr/include -L$sr/usr/lib/aarch64-linux-gnu"
fi

rm -rf "$ins"
make -s -C "$src/tools/testing/selftests" TARGETS=vm \
	ARCH="${kmake[1]#ARCH=}" ${cross:+CROSS_COMPILE=$cross} MACHINE="$ARCH" \
	O="$out" KSFT_INSTALL_PATH="$ins" EXTRA_CFLAGS="$cflags" \
	-j"$(nproc)" install >/dev/null
n=$(find "$ins/vm" -type f -perm -u+x | wc -l)
echo "selftests: $n files in $ins"
