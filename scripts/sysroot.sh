#!/bin/bash
# Unpack the arm64 userspace the guest and the selftests need (busybox-static,
# and the static libraries of liburing, libcap, libhugetlbfs) from Debian's
# arm64 packages into build/sysroot-arm64. Nothing is installed on the host.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build/sysroot-arm64
pkgs=(busybox-static liburing-dev libcap-dev libhugetlbfs-dev)

[ -f "$dir/.done" ] && [ "$(cat "$dir/.done")" = "${pkgs[*]}" ] && exit 0
rm -rf "$dir" && mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "${pkgs[@]/%/:arm64}")
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$dir"
done
echo "${pkgs[*]}" > "$dir/.done"
echo "sysroot: $dir"
