#!/bin/bash
# Print the URI of a Debian archive as this machine's own apt sources name
# it: the main archive (default), or with "security" the security archive
# (failing that, the main archive's URI with "-security" appended). The
# harness builds temporary, private apt configurations from it and never
# writes it down.
set -euo pipefail
sources() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { u = ($2 ~ /^\[/) ? $3 : $2; print u, ($2 ~ /^\[/) ? $4 : $3 }'
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { u = $2 } /^Suites:/ { print u, $2 }' "$f"
	done
}
main=$(sources | awk '$1 ~ /debian\/?$/ && $2 !~ /-security$/ { print $1; exit }')
case ${1:-main} in
main) uri=$main ;;
security)
	uri=$(sources | awk '$2 ~ /-security$/ { print $1; exit }')
	[ -n "$uri" ] || { [ -z "$main" ] || uri=${main%/}-security; } ;;
*) echo "usage: apt-archive.sh [main|security]" >&2; exit 2 ;;
esac
[ -n "$uri" ] || { echo "apt-archive: no Debian apt source on this machine" >&2; exit 1; }
echo "$uri"
