#!/bin/sh
# compare.sh [go test flags...]: run BenchmarkCompare (mxgo and OpenBLAS
# alternating, OpenBLAS single-threaded) and print GFLOP/s and the ratio
# mxgo/OpenBLAS per shape. Needs Debian's libopenblas-dev and cgo.
# OPENBLAS_CORETYPE=Haswell compares with OpenBLAS's AVX2 kernels; run with
# -bench 'Compare/m=64/' (etc.) to select shapes.
#
# BEST=regexp (e.g. BEST=. or BEST='m=64/') runs TestCompareBest instead:
# short alternating rounds, best time of each library, for loaded machines.
set -e
cd "$(dirname "$0")/../.."
if [ -n "$BEST" ]; then
	COMPARE_BEST="$BEST" OPENBLAS_NUM_THREADS=1 go test -tags openblas -count=1 -run '^TestCompareBest$' -v "$@" ./bench/openblas/ |
		grep -v -E '^(=== RUN|--- |PASS|ok )'
	exit 0
fi
OPENBLAS_NUM_THREADS=1 go test -tags openblas -count=1 -run '^$' -bench Compare -benchtime "${BENCHTIME:-1s}" "$@" ./bench/openblas/ |
awk '
/^BenchmarkCompare\// {
	name = $1; sub(/^BenchmarkCompare\//, "", name); sub(/-[0-9]+$/, "", name)
	lib = name; sub(/.*\/lib=/, "", lib); sub(/\/lib=.*/, "", name)
	for (i = 2; i < NF; i++) if ($(i+1) == "GFLOP/s") g = $i
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
	val[name, lib] = g
}
END {
	printf "%-44s %10s %10s %7s\n", "shape", "mxgo", "openblas", "ratio"
	for (i = 1; i <= n; i++) {
		s = order[i]; m = val[s, "mxgo"]; o = val[s, "openblas"]
		printf "%-44s %10.2f %10.2f %7.2f\n", s, m, o, (o > 0 ? m / o : 0)
	}
}'
