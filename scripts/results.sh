#!/bin/bash
# Read a test guest's console log: one result per run_vmtests case ("running
# NAME" ... "[PASS]"/"[FAIL]"/"[SKIP]"), checked against known-failures.
# Prints each case and "ARCH: N passed, N failed, N skipped"; exits 1 on any
# failure. A case listed in known-failures that fails is counted as skipped
# and shown as KNOWN; one that passes is a failure (the entry is stale).
# A third argument names a failure of the run itself, counted as one more.
set -euo pipefail
arch=$1 log=$2 runfail=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
tr -d '\r' < "$log" | awk -v arch="$arch" -v kf="$top/known-failures" -v runfail="$runfail" '
BEGIN {
	FS = "\n"
	# Entries name an arch; the debug kernel of that arch shares them.
	karch = arch
	sub(/-debug$/, "", karch)
	while ((getline line < kf) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		n = split(line, f, "|")
		for (i = 1; i <= n; i++)
			gsub(/^[ \t]+|[ \t]+$/, "", f[i])
		if (f[1] == karch || f[1] == "*")
			known[f[2]] = f[3]
	}
}
{ sub(/^# /, "") }
/^running / { name = substr($0, 9); next }
/^\[(PASS|FAIL|SKIP)\]$/ && name != "" {
	r = substr($0, 2, 4)
	if (name in known) {
		if (r == "FAIL") { r = "KNOWN"; why = known[name] }
		else if (r == "PASS") { r = "FAIL"; why = "listed in known-failures but passes: remove the entry" }
		seen[name] = 1
	}
	printf "%s: %-5s %s%s\n", arch, r, name, why != "" ? "  (" why ")" : ""
	if (r == "PASS") pass++
	else if (r == "FAIL") fail++
	else skip++
	cases++; name = ""; why = ""
	next
}
/^(not )?ok [0-9]+ selftests: / {
	top_results++
	if ($0 ~ /# TIMEOUT/) {
		printf "%s: FAIL  %s\n", arch, $0; fail++
	}
}
END {
	if (runfail != "") {
		printf "%s: FAIL  %s\n", arch, runfail; fail++
	}
	if (cases == 0) {
		printf "%s: FAIL  no test case ran\n", arch; fail++
	}
	if (top_results == 0) {
		printf "%s: FAIL  the kselftest runner did not finish\n", arch; fail++
	}
	printf "%s: %d passed, %d failed, %d skipped\n", arch, pass, fail, skip
	exit fail > 0
}'
