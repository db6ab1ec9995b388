#!/bin/bash
# Boot a kernel for ARCH in QEMU with the harness initramfs, run CMD in the
# guest, stream the console, and exit with CMD's exit status.
#
#   ARCH=x86_64|arm64  CMD='...'  [EXTRA=dir]  [KERNEL=image]  [LOG=file]
#   [TIMEOUT=seconds]  [SHELL_AFTER=1]  [KVM=1]  [APPEND='kernel args']
#   [HUGEPAGES='hugepagesz=... hugepages=...']  [MEM=GiB per NUMA node]
#
# EXTRA is copied to /extra in the guest. The run fails (exit 1) when the
# guest does not report CMD's status before TIMEOUT, or when the console
# shows a kernel splat (scripts/splats.sh). LOG.times gets each test
# case's wall time (scripts/case-times.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kernel=${KERNEL:-$out/$image}
log=${LOG:-$top/build/vm-$ARCH.log}
timeout=${TIMEOUT:-1800}
[ -f "$kernel" ] || { echo "vm: no kernel image $kernel" >&2; exit 1; }
[ -f "$top/build/initramfs-$ARCH.cpio" ] || { echo "vm: no initramfs; run make initramfs ARCH=$ARCH" >&2; exit 1; }

# Per-boot archive: /run.sh and /extra, appended to the base initramfs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root"
printf '%s\n' "${CMD:?CMD is empty}" > "$tmp/root/run.sh"
if [ -n "${EXTRA:-}" ]; then
	[ -d "$EXTRA" ] || { echo "vm: EXTRA=$EXTRA is not a directory" >&2; exit 1; }
	mkdir -p "$tmp/root/extra"
	cp -a "$EXTRA/." "$tmp/root/extra/"
fi
(cd "$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$tmp/run.cpio"
cat "$top/build/initramfs-$ARCH.cpio" "$tmp/run.cpio" > "$tmp/initrd"

# 2 CPUs, 12 GiB in two NUMA nodes; huge pages of every size reserved at
# boot, as many as the tests' largest case needs (eight 1G pages, four on
# each node). Guest memory costs the host nothing until it is touched. The
# default 2M pool is grown at run time by the tests that need it. A debug
# kernel (DEBUG=1) boots with less (MEM=1: two nodes of 1 GiB, no 1G
# pages), because KASAN's shadow and kmemleak make every GiB minutes slower
# to boot.
node=6
[ "${DEBUG:-0}" = 1 ] && node=1
node=${MEM:-$node}
mem=(-m $((2 * node))G -smp 2,sockets=2,cores=1,threads=1
	-object memory-backend-ram,id=m0,size=${node}G -numa node,nodeid=0,cpus=0,memdev=m0
	-object memory-backend-ram,id=m1,size=${node}G -numa node,nodeid=1,cpus=1,memdev=m1)
hugepages="hugepagesz=2M hugepages=64"
[ "$node" -lt 6 ] || hugepages+=" hugepagesz=1G hugepages=8"
if [ "$ARCH" = arm64 ]; then
	hugepages+=" hugepagesz=64K hugepages=16 hugepagesz=32M hugepages=8"
fi
hugepages=${HUGEPAGES-$hugepages}
append="panic=-1 loglevel=5 hung_task_panic=0 default_hugepagesz=2M $hugepages"
case $ARCH in
x86_64)
	qemu=(qemu-system-x86_64 -M q35 -cpu max,la57=on -nic none)
	append="console=ttyS0 $append"
	;;
arm64)
	qemu=(qemu-system-aarch64 -M virt -cpu max -nic none)
	append="console=ttyAMA0 $append"
	;;
esac
if [ "${KVM:-0}" = 1 ] && [ -w /dev/kvm ] && [ "$ARCH" = x86_64 ]; then
	qemu+=(-accel kvm)
else
	qemu+=(-accel tcg,thread=multi)
	# TCG runs "rep stos/movs" one iteration at a time: without ERMS,
	# REP_GOOD and FSRM the guest clears and copies pages with unrolled
	# loops, ten times faster (a 1G huge page fault: 4.8 s -> 0.4 s).
	if [ "$ARCH" = x86_64 ]; then
		append+=" clearcpuid=297,112,580"
	fi
fi
[ "${SHELL_AFTER:-0}" = 1 ] && append+=" harness.shell=1"
append+=" ${APPEND:-}"

qemu+=("${mem[@]}" -kernel "$kernel" -initrd "$tmp/initrd" -append "$append"
	-nographic -no-reboot)
mkdir -p "$(dirname "$log")"
set +e
if [ "${SHELL_AFTER:-0}" = 1 ] && [ -t 0 ]; then
	"${qemu[@]}" | tee "$log"
else
	timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null 2>&1 |
		"$top/scripts/case-times.sh" "$log.times" | tee "$log"
fi
qemu_rc=${PIPESTATUS[0]}
set -e

status=$(sed -n 's/^@@@ guest exit status \([0-9]*\) @@@\r*$/\1/p' "$log" | tail -n 1)
rc=0
if [ -z "$status" ]; then
	if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		echo "vm: TIMEOUT: the $ARCH guest did not finish within ${timeout}s; console tail:" >&2
	else
		echo "vm: the $ARCH guest stopped without reporting a status (qemu exit $qemu_rc); console tail:" >&2
	fi
	tail -n 40 "$log" | sed 's/^/vm:   /' >&2
	rc=1
fi
"$top/scripts/splats.sh" "$log" || rc=1
[ $rc = 0 ] || exit $rc
exit "$status"
