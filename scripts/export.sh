#!/bin/bash
# Turn the commits on top of "base" in build/linux back into patches/NNNN-*.patch
# and patches/series. The output is stable: no commit hashes, no version
# signature, no numbering in subjects; re-exporting unchanged commits rewrites
# nothing. The diffstat puts the "---" line that ends the message for git am,
# which would otherwise keep the file summary in it (and add one per round).
set -euo pipefail
cd "$(dirname "$0")/.."
tree=build/linux
[ -d $tree/.git ] || { echo "export: no $tree; run make tree" >&2; exit 1; }
[ -z "$(git -C $tree status --porcelain --untracked-files=no)" ] ||
	{ echo "export: $tree has uncommitted edits; commit them first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C $tree format-patch -q --no-numbered --zero-commit --no-signature \
	--stat --summary -o "$tmp" base..HEAD
mkdir -p patches
# Replace the old patches, touching only files whose content changes.
for f in patches/*.patch; do
	[ -e "$f" ] && [ ! -e "$tmp/$(basename "$f")" ] && rm -f "$f"
done
{
	echo "# Patches on Linux 5.10.262, applied in order with git am."
	for f in "$tmp"/*.patch; do
		[ -e "$f" ] || continue
		n=$(basename "$f")
		cmp -s "$f" "patches/$n" || cp "$f" "patches/$n"
		echo "$n"
	done
} > "$tmp/series"
cmp -s "$tmp/series" patches/series || cp "$tmp/series" patches/series
# Record what build/linux now holds, so that scripts/tree.sh sees it current.
grep -vE '^[[:space:]]*(#|$)' patches/series | while read -r p; do
	sha256sum "patches/$p" | cut -d' ' -f1
done > $tree/.git/applied-series
echo "export: $(grep -cvE '^[[:space:]]*(#|$)' patches/series) patches"
