#!/bin/bash
# Build the kernel of build/linux for ARCH (x86_64|arm64) out of tree in
# build/out-ARCH (build/out-ARCH-debug with DEBUG=1), from tinyconfig plus
# configs/common.config, configs/ARCH.config (and configs/debug.config).
# KIND=base or KIND=upstream builds a reference kernel for `make bench` with
# the same fragments, in build/out-KIND-ARCH; options that kernel lacks are
# listed and skipped. CLIENTS=1 adds configs/clients.config, for `make
# clients`, in build/out-[KIND-]ARCH-clients.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

case $KIND in
base)
	if [ ! -f "$src/Makefile" ]; then
		echo "kernel: extracting the base into $src"
		mkdir -p "$src" && git -C "$top/build/linux" archive base | tar -xf - -C "$src"
	fi ;;
upstream) "$top/scripts/fetch-upstream.sh" >/dev/null ;;
esac

frags=("$top/configs/common.config" "$top/configs/$ARCH.config")
[ "${DEBUG:-0}" = 0 ] || frags+=("$top/configs/debug.config")
[ "${CLIENTS:-0}" = 0 ] || frags+=("$top/configs/clients.config")

# One build at a time in an output directory: the flow's own, or
# prebuild.sh's ahead of it, which the flow then waits for.
mkdir -p "$out"
exec 9> "$out/.build-lock"
flock 9

# Regenerate the config in a scratch directory; replace .config only when
# it changes, so that an unchanged config does not force a rebuild.
cfg=$out/config.scratch
rm -rf "$cfg" && mkdir -p "$cfg"
kcfg=("${kmake[@]/O=$out/O=$cfg}")
# tiny.config and our fragments pick other members of a choice (the
# unwinder): kconfig's warning about that is expected.
quiet_choice() {
	"$@" 2>&1 >/dev/null | { grep -v 'warning: override: .* changes choice state' || true; } >&2
}
quiet_choice "${kcfg[@]}" -s tinyconfig
(cd "$cfg" && ARCH=${kmake[1]#ARCH=} CROSS_COMPILE=$cross \
	"$src/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" "${frags[@]}" >/dev/null)
quiet_choice "${kcfg[@]}" -s olddefconfig
bad=0
missing=()
for f in "${frags[@]}"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) ! grep -q "^${line%=n}=" "$cfg/.config" ||
			{ echo "config: $line not honoured ($(basename "$f"))" >&2; bad=1; } ;;
		CONFIG_*) grep -qxF "$line" "$cfg/.config" && continue
			if [ "$KIND" != patched ]; then
				missing+=("${line%%=*}")
				continue
			fi
			echo "config: $line not honoured ($(basename "$f"))" >&2; bad=1 ;;
		esac
	done < "$f"
done
[ $bad = 0 ] || exit 1
[ ${#missing[@]} = 0 ] || echo "config: not in the $KIND kernel: ${missing[*]#CONFIG_}"
cmp -s "$cfg/.config" "$out/.config" || cp "$cfg/.config" "$out/.config"
rm -rf "$cfg"

"${kmake[@]}" -s olddefconfig
"${kmake[@]}" -s all
echo "kernel: $out/$image"
