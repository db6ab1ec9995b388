# Shared settings for the harness scripts: source it, with ARCH set.
# shellcheck shell=bash
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${ARCH:-}" in
x86_64)
	kmake=(make ARCH=x86_64)
	cross=
	image=arch/x86/boot/bzImage
	;;
arm64)
	cross=aarch64-linux-gnu-
	kmake=(make ARCH=arm64 CROSS_COMPILE=$cross)
	image=arch/arm64/boot/Image
	;;
*)
	echo "ARCH must be x86_64 or arm64 (got '${ARCH:-}')" >&2
	exit 2
	;;
esac
variant=$ARCH
if [ "${DEBUG:-0}" = 1 ]; then
	variant=$ARCH-debug
fi
# KIND picks the tree: the patched series (default), or one of the two
# references `make bench` compares it with, the unpatched 5.10.262 base and
# upstream 6.12 (fetch-upstream.sh).
case ${KIND:=patched} in
patched)  src=$top/build/linux; out=$top/build/out-$variant ;;
base)     src=$top/build/base-linux; out=$top/build/out-base-$ARCH ;;
upstream) src=$top/build/upstream-6.12; out=$top/build/out-upstream-$ARCH ;;
*)	echo "KIND must be patched, base or upstream (got '$KIND')" >&2; exit 2 ;;
esac
# CLIENTS=1: the same kernel with configs/clients.config, for `make
# clients`, in build/out-[KIND-]ARCH-clients.
if [ "${CLIENTS:-0}" = 1 ]; then
	out=$out-clients
fi
export KBUILD_BUILD_USER=uffd KBUILD_BUILD_HOST=harness
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
if command -v ccache >/dev/null; then
	kmake+=(CC="ccache ${cross}gcc")
fi
kmake+=(-C "$src" O="$out" -j"$(nproc)")
