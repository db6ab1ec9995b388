#!/bin/bash
# Make build/upstream-6.12: the source of Debian's linux-source-6.12 package,
# the reference kernel that `make bench` compares against. The package is
# downloaded once and cached next to the base tarball; the tree is extracted
# once per package version. Prints the tree's path on stdout.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
PKG=linux-source-6.12
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/uffd-5.10
tree=$top/build/upstream-6.12
mkdir -p "$CACHE"

deb=$(ls -t "$CACHE"/${PKG}_*_all.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	echo "fetch-upstream: downloading $PKG" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# Debian 12 ships it in bookworm-security (and bookworm-backports);
	# stale package lists are refreshed once.
	get() { (cd "$tmp" && apt-get -qq -o APT::Sandbox::User=root download "$PKG" >&2); }
	get || { apt-get -qq update >&2 || true; get; } || {
		echo "fetch-upstream: apt-get download $PKG failed" >&2
		exit 1
	}
	mv "$tmp"/${PKG}_*_all.deb "$CACHE/"
	deb=$(ls -t "$CACHE"/${PKG}_*_all.deb | head -n 1)
fi
ver=$(dpkg-deb -f "$deb" Version)

if [ "$(cat "$tree/.pkg-version" 2>/dev/null)" != "$ver" ]; then
	echo "fetch-upstream: extracting $PKG $ver" >&2
	rm -rf "$tree" && mkdir -p "$tree"
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/src/$PKG.tar.xz" |
		tar -xJf - -C "$tree" --strip-components=1
	echo "$ver" > "$tree/.pkg-version"
fi
echo "$tree"
