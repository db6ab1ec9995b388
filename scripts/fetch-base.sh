#!/bin/bash
# Fetch the Linux 5.10.262 base tarball (Debian's orig tarball), verify it
# and cache it. Prints the tarball's path on stdout.
#
# BASE_TARBALL=/path/linux-5.10.262.tar.xz skips apt (kernel.org tarball or
# Debian's orig tarball; either extracts to the same tree).
set -euo pipefail

VERSION=5.10.262
ORIG=linux_$VERSION.orig.tar.xz
SHA256=e03766e4b2c246a20c9e2770aa599ee25c336d33b31c0980950230634e195339
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/uffd-5.10
mkdir -p "$CACHE"

if [ -n "${BASE_TARBALL:-}" ]; then
	[ -f "$BASE_TARBALL" ] || { echo "fetch: $BASE_TARBALL: no such file" >&2; exit 1; }
	echo "$BASE_TARBALL"
	exit 0
fi

out=$CACHE/$ORIG
if [ -f "$out" ] && echo "$SHA256  $out" | sha256sum -c --status; then
	echo "$out"
	exit 0
fi

uri=$("$(dirname "$0")/apt-archive.sh" security) || {
	echo "fetch: set BASE_TARBALL (see README)" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
cat > "$tmp/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri bullseye-security main
SRC
apt_opts=(
	-o "Dir::Etc::SourceList=$tmp/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$tmp/lists"
	-o "Dir::Cache=$tmp"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root"
)
echo "fetch: downloading the bullseye-security linux source package" >&2
apt-get "${apt_opts[@]}" -qq update >&2
pkgver=$(apt-cache "${apt_opts[@]}" showsrc linux |
	awk -v v="$VERSION-" 'index($0, "Version: " v) == 1 { print $2 }' | tail -n 1)
[ -n "$pkgver" ] || { echo "fetch: linux $VERSION not in bullseye-security" >&2; exit 1; }
(cd "$tmp" && apt-get "${apt_opts[@]}" -qq source --download-only "linux=$pkgver" >&2) || {
	echo "fetch: apt-get source failed; set BASE_TARBALL (see README)" >&2
	exit 1
}
echo "$SHA256  $tmp/$ORIG" | sha256sum -c --status || {
	echo "fetch: $ORIG: sha256 mismatch" >&2
	exit 1
}
mv "$tmp/$ORIG" "$out"
echo "$out"
