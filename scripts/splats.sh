#!/bin/bash
# Fail (exit 1) when a console log shows a kernel splat, and print it with the
# lines around it. Only kernel lines count (they carry a printk timestamp), so
# test output that happens to say WARNING: is not a splat.
# "splats.sh --first LOG" prints just the first splat line, if any.
set -euo pipefail
first=0
[ "$1" = --first ] && { first=1; shift; }
log=$1
pat='BUG:|WARNING:|Oops|kernel BUG at|KASAN|UBSAN|possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|suspicious RCU usage|hung task|blocked for more than [0-9]+ seconds|rcu.*stall|soft lockup|hard LOCKUP|Kernel panic|general protection fault|Unable to handle kernel|Internal error:|bad page state|Bad page map|Bad rss-counter'
pat="^\\[ *[0-9]+\\.[0-9]+\\] .*($pat)"
if [ $first = 1 ]; then
	{ grep -m 1 -aE "$pat" "$log" || true; } | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //'
	exit 0
fi
n=$(grep -caE "$pat" "$log" || true)
[ "$n" = 0 ] && exit 0
echo "splat: $n kernel splat line(s) in $log:" >&2
grep -naE "$pat" "$log" | head -n 5 | while IFS=: read -r line _; do
	echo "---- line $line" >&2
	start=$((line > 3 ? line - 3 : 1))
	sed -n "$start,$((line + 30))p" "$log" | tr -d '\r' | sed 's/^/splat: /' >&2
done
exit 1
