#!/bin/bash
# Run bench/wt-bench in the ARCH guest on each kernel in turn, with the same
# initramfs, QEMU options and binary: the patched series, upstream 6.12 and
# the unpatched 5.10.262 base (KIND=... build-kernel.sh builds the last
# two), then KERNEL=image if given. Results: build/bench/ARCH-NAME.tsv, one
# "@bench" line each; console logs next to them.
#
#   BENCH_ARGS='...'  wt-bench's options (default: the full run)
#   KERNELS='...'     which of patched, upstream and base to run (default:
#                     all three); a kernel left out keeps the results of its
#                     last run in build/bench, which the report still shows
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir=$top/build/bench
mkdir -p "$dir"
if ! command -v gnuplot >/dev/null && [ "$(id -u)" = 0 ]; then
	echo "bench: installing gnuplot-nox for the plots"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null ||
		echo "bench: gnuplot-nox did not install: tables only" >&2
fi

all=(patched upstream base)
names=() images=()
for name in ${KERNELS:-${all[*]}}; do
	case $name in
	patched) images+=("$out/$image") ;;
	upstream | base) images+=("$top/build/out-$name-$ARCH/$image") ;;
	*) echo "bench: KERNELS: $name is not one of ${all[*]}" >&2; exit 1 ;;
	esac
	names+=("$name")
done
extra=()
if [ -n "${KERNEL:-}" ]; then
	extra=("$(basename "$KERNEL")")
	names+=("${extra[@]}")
	images+=("$KERNEL")
fi

# The same boot for every kernel: only the 2M pool reserved (figure 2 uses
# 16 pages of it), no NUMA balancing scans or speculation mitigations, whose
# defaults differ between 5.10 and 6.12.
export HUGEPAGES="hugepagesz=2M hugepages=64"
export APPEND="mitigations=off numa_balancing=disable"
# QEMU asks for transparent huge pages for guest memory; how many it gets
# depends on how fragmented the host's memory is, and the emulated guest
# runs up to 3 times slower without them. Give every boot the same start.
settle() {
	[ -w /proc/sys/vm/drop_caches ] || return 0
	sync
	echo 3 > /proc/sys/vm/drop_caches
	echo 1 > /proc/sys/vm/compact_memory 2>/dev/null || true
}
n=${#names[@]} missed=0 t0=$(date +%s)
for i in "${!names[@]}"; do
	name=${names[$i]} img=${images[$i]}
	[ -f "$img" ] || { echo "bench: no $name kernel at $img" >&2; exit 1; }
	left=
	if [ "$i" -gt 0 ]; then
		per=$((($(date +%s) - t0) / i))
		left=", about $(((n - i) * per / 60)) min left in all"
	fi
	echo "bench: $ARCH kernel $((i + 1))/$n: $name$left"
	log=$dir/$ARCH-$name.log
	settle
	KERNEL=$img LOG=$log TIMEOUT=${BENCH_TIMEOUT:-7200} \
		CMD="/bench/wt-bench ${BENCH_ARGS:-}" \
		"$top/scripts/vm.sh" 2>&1 | grep -a --line-buffered '^wt-bench:' |
		sed -u "s/^/  $name: /" || true
	tr -d '\r' < "$log" | grep -a '^@bench ' > "$dir/$ARCH-$name.tsv" || true
	end=$(tr -d '\r' < "$log" | sed -n 's/^@bench-end //p')
	case $end in
	ok) ;;
	MISSED)
		# A reference kernel's bug (the base accepts uffd-wp on arm64
		# and ignores it) is a WRONG cell of its table; the patched
		# kernel missing a write fails the run.
		echo "bench: $name: a method MISSED writes (see $dir/$ARCH-$name.tsv)" >&2
		[ "$name" != patched ] || missed=1 ;;
	*) echo "bench: $name: the run did not finish; console log $log" >&2; exit 1 ;;
	esac
done
"$top/scripts/bench-report.py" "$dir" "$ARCH" "${all[@]}" "${extra[@]}"
exit $missed
