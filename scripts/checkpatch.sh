#!/bin/bash
# Run the tree's checkpatch.pl --strict over every patch of patches/series.
# Errors fail; warnings and checks are listed.
set -euo pipefail
cd "$(dirname "$0")/.."
cp=build/linux/scripts/checkpatch.pl
[ -x $cp ] || { echo "checkpatch: no $cp; run make tree" >&2; exit 1; }
errors=0 warnings=0 n=0
while read -r p; do
	n=$((n + 1))
	outp=$(cd build/linux && ./scripts/checkpatch.pl --strict --terse \
		--show-types "../../patches/$p" 2>&1) || true
	e=$(grep -c ': ERROR:' <<< "$outp" || true)
	w=$(grep -cE ': (WARNING|CHECK):' <<< "$outp" || true)
	errors=$((errors + e)) warnings=$((warnings + w))
	if [ "$e" != 0 ] || [ "$w" != 0 ]; then
		grep -E ': (ERROR|WARNING|CHECK):' <<< "$outp" | sed "s|^|checkpatch: |"
	fi
done < <(grep -vE '^[[:space:]]*(#|$)' patches/series)
echo "checkpatch: $n patches, $errors errors, $warnings warnings/checks"
[ "$errors" = 0 ]
