#!/bin/bash
# Assemble build/clients-ARCH/root: the real programs of `make clients`
# (QEMU, CRIU, stress-ng) and of `make stress` (stress-ng, trinity), from
# the Debian packages fetch-clients.sh downloads, each with the closure of
# the shared libraries it loads, the dynamic loader, QEMU's TCG module, and
# the guest's static busybox for a shell. The guest runs them chrooted
# there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
debs=$("$top/scripts/fetch-clients.sh")
dir=$top/build/clients-$ARCH
stage=$dir/stage root=$dir/root
case $ARCH in
x86_64) triplet=x86_64-linux-gnu qemu=qemu-system-x86_64 ;;
arm64) triplet=aarch64-linux-gnu qemu=qemu-system-aarch64 ;;
esac

if [ "$(cat "$stage/.pkgs" 2>/dev/null)" != "$(ls "$debs")" ]; then
	echo "clients-root: extracting $(ls "$debs" | wc -l) packages"
	rm -rf "$stage" && mkdir -p "$stage"
	for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$stage"; done
	ls "$debs" > "$stage/.pkgs"
fi

rm -rf "$root" && mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib/$triplet,proc,sys,dev,tmp,run,mnt}
for l in bin sbin lib; do ln -s usr/$l "$root/$l"; done
[ "$ARCH" = x86_64 ] && ln -s usr/lib64 "$root/lib64"

libdirs=("usr/lib/$triplet" "lib/$triplet" usr/lib lib usr/lib64 lib64)
# Copy stage-relative path $1 into the root (a symlink's target too).
copy() {
	local p=$1
	[ -e "$root/$p" ] && return 0
	mkdir -p "$root/$(dirname "$p")"
	cp -a "$stage/$p" "$root/$p"
	if [ -L "$stage/$p" ]; then
		local t
		t=$(readlink "$stage/$p")
		case $t in
		/*) copy "${t#/}" ;;
		*) copy "$(dirname "$p")/$t" ;;
		esac
	fi
}
# Copy ELF $1 and, recursively, every library it names in DT_NEEDED.
closure() {
	copy "$1"
	local lib d found
	for lib in $(readelf -d "$stage/$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		found=
		for d in "${libdirs[@]}"; do
			if [ -e "$stage/$d/$lib" ]; then
				found=$d/$lib
				break
			fi
		done
		[ -n "$found" ] || { echo "clients-root: $1 needs $lib, in no package" >&2; exit 1; }
		[ -e "$root/$found" ] || closure "$found"
	done
}
closure usr/bin/$qemu
closure usr/sbin/criu
closure usr/bin/stress-ng
closure usr/bin/strace
closure usr/bin/trinity
for m in "$stage"/usr/lib/$triplet/qemu/accel-tcg-*.so; do
	[ -e "$m" ] && closure "${m#"$stage"/}"
done
interp=$(readelf -l "$stage/usr/bin/stress-ng" | sed -n 's/.*interpreter: \/\(.*\)\]/\1/p')
for d in "${libdirs[@]}"; do
	[ -e "$stage/$d/$(basename "$interp")" ] && closure "$d/$(basename "$interp")"
done
[ -e "$root/$interp" ] || { echo "clients-root: no loader $interp" >&2; exit 1; }

# The firmware of the QEMU snapshot client, and the check of its RAM image
g=$top/scripts/guest
mkdir -p "$root/snap" "$dir/fw"
case $ARCH in
x86_64)
	gcc -m32 -c -o "$dir/fw/fw.o" "$g/snap-x86_64.S"
	ld -m elf_i386 -Ttext=0xffff0000 -o "$dir/fw/fw.elf" "$dir/fw/fw.o"
	objcopy -O binary "$dir/fw/fw.elf" "$root/snap/fw.bin" ;;
arm64)
	${cross}gcc -c -o "$dir/fw/fw.o" "$g/snap-arm64.S"
	${cross}ld -Ttext=0 -o "$dir/fw/fw.elf" "$dir/fw/fw.o"
	${cross}objcopy -O binary "$dir/fw/fw.elf" "$root/snap/fw.bin" ;;
esac
${cross}gcc -O2 -Wall -static -o "$root/usr/bin/snapcheck" "$g/snapcheck.c"
# The task CRIU checkpoints and restores
${cross}gcc -O2 -Wall -static -o "$root/usr/bin/criu-victim" "$g/criu-victim.c"

cp "$g/run-clients" "$g/run-stress" "$root/"
mkdir -p "$root/etc"
cp "$g/passwd" "$g/group" "$root/etc/"
cp "$top/build/initramfs-$ARCH/bin/busybox" "$root/usr/bin/busybox"
for t in sh cat grep sleep ls ip mount rm mkdir echo od dd sed awk cut pidof cmp wc; do
	ln -sf busybox "$root/usr/bin/$t"
done
echo "clients-root: $root ($(du -sh "$root" | cut -f1))"
