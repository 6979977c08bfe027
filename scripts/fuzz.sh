#!/bin/sh
# Runs every Go fuzz target in the module for FUZZTIME each (first argument,
# or $FUZZTIME, default 10s). Used by `make fuzz`. Crashers land in the
# package's testdata/fuzz/<Target>/ and should be committed as regression seeds.
set -eu
FUZZTIME=${1:-${FUZZTIME:-10s}}
GO=${GO:-go}
cd "$(dirname "$0")/.."
status=0
for pkg in $($GO list ./...); do
	dir=$($GO list -f '{{.Dir}}' "$pkg")
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
	for t in $targets; do
		echo "== $pkg $t ($FUZZTIME)"
		if ! $GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" "$pkg"; then
			status=1
		fi
	done
done
exit $status
