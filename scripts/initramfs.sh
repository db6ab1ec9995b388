#!/bin/bash
# Make build/initramfs-ARCH.cpio: busybox-static, scripts/guest/init, and the
# installed selftests under /kselftest, the benchmark (build-bench.sh)
# under /bench and the fuzzer under /fuzz. scripts/vm.sh appends a second archive
# per boot with /run.sh and /extra.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
busybox=/bin/busybox
[ "$ARCH" = x86_64 ] || { "$top/scripts/sysroot.sh" >/dev/null; busybox=$top/build/sysroot-arm64/bin/busybox; }
file -L "$busybox" | grep -q 'statically linked' || { echo "initramfs: $busybox is not static" >&2; exit 1; }

root=$top/build/initramfs-$ARCH
rm -rf "$root" && mkdir -p "$root"/{bin,bench,etc,fuzz,root,kselftest,usr/bin}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

g=$top/scripts/guest
install -m 755 "$g/init" "$root/init"
install -m 755 "$g/sudo" "$g/bash" "$g/run-selftests" "$g/run-fuzz" \
	"$g/leaks" "$root/bin/"
install -m 755 "$g/timeout" "$g/perl" "$root/usr/bin/"
install -m 644 "$g/passwd" "$g/group" "$root/etc/"
cp -a "$top/build/kselftest-$ARCH/." "$root/kselftest/"
install -m 755 "$top/build/bench-$ARCH/wt-bench" "$root/bench/"
install -m 755 "$top/build/bench-$ARCH/uffd-fuzz" "$root/fuzz/"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$root.cpio"
echo "initramfs: $root.cpio ($(du -m "$root.cpio" | cut -f1) MiB)"
