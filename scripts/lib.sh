# Shared settings for the harness scripts: source it, with ARCH set.
# shellcheck shell=bash
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=$top/build/linux
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
out=$top/build/out-$variant
export KBUILD_BUILD_USER=uffd KBUILD_BUILD_HOST=harness
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
if command -v ccache >/dev/null; then
	kmake+=(CC="ccache ${cross}gcc")
fi
kmake+=(-C "$src" O="$out" -j"$(nproc)")
