#!/bin/bash
# Run the real programs of `make clients` (scripts/guest/run-clients) in the
# ARCH guest on each kernel in turn: the patched series, upstream 6.12 and
# the unpatched 5.10.262 base, each built with configs/clients.config
# (CLIENTS=1). Results: build/clients/ARCH-NAME.txt, one
# "@client" line each, console logs next to them; then a table of every
# client and variant, a column per kernel. Fails if a client does not pass
# on the patched kernel (N/A: the arch lacks what the variant needs).
#
#   KERNELS='...'  which of patched, upstream and base to run (default: all
#                  three); one left out keeps the results of its last run
#   ONLY='...'     which clients to run (default: all)
#   SMOKE=1        CI's check: only the patched test kernel (no
#                  clients.config), ONLY='qemu:anon stress-ng:vma' by
#                  default; results in ARCH-smoke.txt, no table
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir=$top/build/clients
root=$top/build/clients-$ARCH/root
mkdir -p "$dir"
if [ "${SMOKE:-0}" = 1 ]; then
	log=$dir/$ARCH-smoke.log
	echo "clients: $ARCH: smoke check on the test kernel"
	KERNEL=$out/$image LOG=$log TIMEOUT=600 EXTRA=$root \
		CMD="ONLY='${ONLY:-qemu:anon stress-ng:vma}' sh /extra/run-clients" \
		"$top/scripts/vm.sh" > /dev/null 2>&1 && rc=0 || rc=$?
	tr -d '\r' < "$log" | grep -a '^@client ' > "$dir/$ARCH-smoke.txt" || true
	sed 's/^@client /  /' "$dir/$ARCH-smoke.txt"
	[ $rc = 0 ] || echo "clients: the guest failed (exit $rc, or a splat): $log" >&2
	[ $rc = 0 ] && [ -s "$dir/$ARCH-smoke.txt" ] &&
		! grep -qv '^@client [^ ]* [^ ]* PASS ' "$dir/$ARCH-smoke.txt"
	exit
fi
all=(patched upstream base)
for name in ${KERNELS:-${all[*]}}; do
	case $name in
	patched) img=$top/build/out-$ARCH-clients/$image ;;
	upstream | base) img=$top/build/out-$name-$ARCH-clients/$image ;;
	*) echo "clients: KERNELS: $name is not one of ${all[*]}" >&2; exit 1 ;;
	esac
	[ -f "$img" ] || { echo "clients: no $name kernel at $img" >&2; exit 1; }
	echo "clients: $ARCH: $name kernel"
	log=$dir/$ARCH-$name.log
	t0=$(date +%s)
	KERNEL=$img LOG=$log TIMEOUT=${CLIENTS_TIMEOUT:-3600} EXTRA=$root \
		HUGEPAGES="hugepagesz=2M hugepages=64" \
		CMD="ONLY='${ONLY:-}' sh /extra/run-clients" \
		"$top/scripts/vm.sh" 2>&1 | grep -a --line-buffered '^@client ' |
		sed -u "s/^@client /  $name: /" || true
	tr -d '\r' < "$log" | grep -a '^@client ' > "$dir/$ARCH-$name.txt" || true
	splat=$("$top/scripts/splats.sh" --first "$log")
	[ -z "$splat" ] || echo "@client kernel splat FAIL $splat" >> "$dir/$ARCH-$name.txt"
	echo "clients: $name took $(($(date +%s) - t0)) s"
done

# The table: a row per client and variant, a column per kernel
echo
printf '%-30s' "$ARCH"
for name in "${all[@]}"; do printf ' %-9s' "$name"; done
echo
keys=$(cat "$dir/$ARCH"-*.txt 2>/dev/null | awk '{print $2 " " $3}' | sort -u)
fail=0
while read -r client variant; do
	[ -n "$client" ] || continue
	printf '%-30s' "$client $variant"
	for name in "${all[@]}"; do
		r=$(awk -v c="$client" -v v="$variant" '$2 == c && $3 == v {print $4}' \
			"$dir/$ARCH-$name.txt" 2>/dev/null | head -n 1 || true)
		printf ' %-9s' "${r:--}"
		case $name:$r in patched:PASS | patched:N/A | upstream:* | base:*) ;;
		*) fail=1 ;;
		esac
	done
	echo
done <<< "$keys"
exit $fail
