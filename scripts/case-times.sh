#!/bin/bash
# Pass a guest's console through (stdin to stdout) and write each test
# case's wall time to $1: "SECONDS NAME" per case, from its "running NAME"
# line to its "[PASS]", "[FAIL]" or "[SKIP]" line (run_vmtests' and
# run-selftests' form). CI's time budget is spent here: guest-test.sh
# prints the slowest cases.
out=$1
: > "$out"
name= start=0
while IFS= read -r line; do
	printf '%s\n' "$line"
	l=${line%$'\r'}
	l=${l#\# }
	case $l in
	"running "*) name=${l#running }; start=$SECONDS ;;
	"[PASS]" | "[FAIL]" | "[SKIP]")
		[ -n "$name" ] && echo "$((SECONDS - start)) $name" >> "$out"
		name= ;;
	esac
done
