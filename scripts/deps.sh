#!/bin/bash
# Install the Debian packages the harness needs, when they are missing.
# arm64 userspace pieces (busybox-static, liburing, libcap) are not
# installed on the host: they are downloaded and unpacked into a sysroot
# under build/ by scripts/sysroot.sh.
set -euo pipefail

pkgs=(
	make gcc flex bison bc cpio xz-utils libelf-dev libssl-dev perl python3
	git ccache rsync kmod
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-x86 qemu-system-arm
	busybox-static liburing-dev libcap-dev libhugetlbfs-dev
)

if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
	echo "deps: not a Debian-like system; install by hand: ${pkgs[*]}" >&2
	exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
# The arm64 sysroot is fetched with apt-get download pkg:arm64.
arch_added=
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	arch_added=1
fi

if [ ${#missing[@]} -eq 0 ] && [ -z "$arch_added" ]; then
	echo "deps: all present"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "deps: need root to install: ${missing[*]}" >&2; exit 1; }
echo "deps: installing ${missing[*]:-(none; arm64 package lists only)}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
[ ${#missing[@]} -eq 0 ] ||
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
