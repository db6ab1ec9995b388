#!/bin/bash
# Make build/linux: the pristine 5.10.262 base as commit "base", with every
# patch of patches/series applied on top with git am.
#
# Re-running is incremental: patches already applied (same file content, same
# position) are kept, so unchanged sources keep their mtimes and builds stay
# incremental. Unexported commits or edits in build/linux stop it (FORCE=1
# discards them).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
tree=build/linux
record=$tree/.git/applied-series

if [ ! -d $tree/.git ]; then
	tarball=$(scripts/fetch-base.sh)
	echo "tree: extracting $(basename "$tarball")"
	rm -rf $tree && mkdir -p $tree
	tar -xf "$tarball" -C $tree --strip-components=1
	git -C $tree init -q -b main
	git -C $tree add -A
	GIT_AUTHOR_DATE='2025-01-01T00:00:00Z' GIT_COMMITTER_DATE='2025-01-01T00:00:00Z' \
		git -C $tree -c user.name=base -c user.email=base@localhost \
		commit -q --no-verify -m "Linux 5.10.262"
	git -C $tree tag base
	: > $record
fi

mapfile -t want < <(grep -vE '^[[:space:]]*(#|$)' patches/series 2>/dev/null || true)
sums=()
for p in "${want[@]}"; do
	[ -f "patches/$p" ] || { echo "tree: patches/series names missing patch $p" >&2; exit 1; }
	sums+=("$(sha256sum "patches/$p" | cut -d' ' -f1)")
done

mapfile -t have < "$record"
ncommits=$(git -C $tree rev-list --count base..HEAD)
dirty=$(git -C $tree status --porcelain --untracked-files=no)
if [ "${FORCE:-0}" != 1 ] && { [ "$ncommits" != ${#have[@]} ] || [ -n "$dirty" ]; }; then
	echo "tree: build/linux has unexported work ($ncommits commits on base," \
		"${#have[@]} recorded${dirty:+, uncommitted edits});" \
		"run 'make export' or 'make tree FORCE=1'" >&2
	exit 1
fi

# Keep the longest common prefix of what is applied and what is wanted.
keep=0
if [ "${FORCE:-0}" != 1 ]; then
	while [ $keep -lt ${#have[@]} ] && [ $keep -lt ${#sums[@]} ] &&
		[ "${have[$keep]}" = "${sums[$keep]}" ]; do
		keep=$((keep + 1))
	done
fi
if [ $keep = ${#have[@]} ] && [ $keep = ${#sums[@]} ] && [ -z "$dirty" ]; then
	echo "tree: up to date (${#sums[@]} patches)"
	exit 0
fi

target=base
[ $keep = 0 ] || target=$(git -C $tree rev-list --reverse base..HEAD | sed -n "${keep}p")
git -C $tree am --abort >/dev/null 2>&1 || true
git -C $tree reset -q --hard "$target"
printf '%s\n' "${sums[@]:0:$keep}" | sed '/^$/d' > $record

for ((i = keep; i < ${#want[@]}; i++)); do
	p=${want[$i]}
	if ! git -C $tree am -q --keep-cr "$top/patches/$p" >/dev/null 2>&1; then
		git -C $tree am --abort >/dev/null 2>&1 || true
		echo "tree: FAILED to apply patches/$p" >&2
		git -C $tree apply --check "$top/patches/$p" 2>&1 | head -20 >&2 || true
		exit 1
	fi
	echo "${sums[$i]}" >> $record
	echo "tree: applied $p"
done
echo "tree: $(git -C $tree rev-list --count base..HEAD) patches on base"
