#!/bin/bash
# Download the Debian packages of the real programs `make clients` runs in
# the guest, with their dependency closure, for ARCH: QEMU, CRIU and strace
# (which shows the calls they make) and trinity (for `make stress`) from
# trixie, stress-ng from sid (the first with its --vma stressor calling
# PAGEMAP_SCAN). The suites come through a temporary, private apt
# configuration on this machine's own Debian mirror (apt-archive.sh); the
# host's apt sources are left alone.
# The .debs are cached; prints their directory on stdout.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case $ARCH in
x86_64) debarch=amd64 qemu=qemu-system-x86 ;;
arm64) debarch=arm64 qemu=qemu-system-arm ;;
esac
pkgs=("$qemu" criu stress-ng/sid strace trinity)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/uffd-5.10
debs=$CACHE/clients-$debarch
want="${pkgs[*]}"
if [ -f "$debs/.pkgs" ] && [ "$(cat "$debs/.pkgs")" = "$want" ]; then
	echo "$debs"
	exit 0
fi

uri=$("$top/scripts/apt-archive.sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
touch "$tmp/status"
for suite in trixie sid; do
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main"
done > "$tmp/sources.list"
# An empty dpkg status: apt downloads the whole closure, as for an empty
# root, and APT::Architecture makes it the guest's.
apt_opts=(
	-o "Dir::Etc::SourceList=$tmp/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::Etc::Parts=/dev/null"
	-o "Dir::Etc::Preferences=/dev/null"
	-o "Dir::Etc::PreferencesParts=/dev/null"
	-o "Dir::State::Lists=$tmp/lists"
	-o "Dir::State::status=$tmp/status"
	-o "Dir::Cache=$tmp"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root"
	-o "APT::Architecture=$debarch"
	-o "APT::Architectures::=$debarch"
	-o "APT::Install-Recommends=0"
)
echo "fetch-clients: $debarch: ${pkgs[*]} from trixie and sid" >&2
apt-get "${apt_opts[@]}" -qq update >&2
apt-get "${apt_opts[@]}" -qq -y -t trixie --download-only install "${pkgs[@]}" >&2
rm -rf "$debs" && mkdir -p "$debs"
mv "$tmp"/archives/*.deb "$debs/"
echo "$want" > "$debs/.pkgs"
echo "fetch-clients: $(ls "$debs" | wc -l) packages, $(du -sh "$debs" | cut -f1)" >&2
echo "$debs"
