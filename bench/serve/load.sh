#!/usr/bin/env bash
# Bounded loopback load test of `mxgo serve` on the MNIST MLP
# (testdata/mxnet/sm-mlp-dummy): for dynamic batching (-max-batch 64) and
# for -max-batch 1 in the same run, N requests (default 10000) at C
# concurrent connections (default 64), as JSON and as binary tensor data,
# after a warm-up. It fails on any error or wrong class, when the server's
# RSS after the run exceeds 1.2x its RSS after warm-up, or when SIGTERM
# does not end the server with exit 0. It stops by itself (every step has
# a timeout) and listens on 127.0.0.1 only. Not part of `make test`.
#
#	bench/serve/load.sh            # N=10000 C=64
#	N=2000 C=16 bench/serve/load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10000}
C=${C:-64}
WARM=${WARM:-2000}
PORT=${PORT:-18480}
CLASSES=7,2,1,0,4,1,4,9,9,9 # the MLP's argmax on mnist-batch.npy (testdata/mxnet/SOURCES.md)
tmp=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/mxgo" ./cmd/mxgo
go build -o "$tmp/loadgen" ./bench/serve/loadgen
rss() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user+system clock ticks
tck=$(getconf CLK_TCK)
echo "mxgo serve load test: $N requests x {json, binary} at $C connections, MNIST MLP, $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
status=0
for cfg in "batching:64" "max-batch-1:1"; do
	name=${cfg%%:*}
	mb=${cfg#*:}
	"$tmp/mxgo" serve -model mlp=testdata/mxnet/sm-mlp-dummy/model:0 -addr "127.0.0.1:$PORT" -grpc-addr "" \
		-max-batch "$mb" -max-delay 2ms -log-level warn 2>"$tmp/$name.log" &
	pid=$!
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
		sleep 0.1
	done
	url="http://127.0.0.1:$PORT/v2/models/mlp/infer"
	lg() { timeout 600 "$tmp/loadgen" -url "$url" -c "$C" -classes "$CLASSES" "$@"; }
	lg -n "$WARM" >/dev/null
	lg -n "$WARM" -binary >/dev/null
	warm=$(rss "$pid")
	c0=$(cpu "$pid")
	json=$(lg -n "$N") || status=1
	c1=$(cpu "$pid")
	bin=$(lg -n "$N" -binary) || status=1
	c2=$(cpu "$pid")
	after=$(rss "$pid")
	printf '%-12s json:   %s, server CPU %d us/request\n' "$name" "$json" $(((c1 - c0) * 1000000 / tck / N))
	printf '%-12s binary: %s, server CPU %d us/request\n' "$name" "$bin" $(((c2 - c1) * 1000000 / tck / N))
	printf '%-12s RSS after warm-up %d KiB, after the run %d KiB (%.2fx)\n' "$name" "$warm" "$after" "$(echo "$after / $warm" | bc -l)"
	if [ $((after * 10)) -gt $((warm * 12)) ]; then
		echo "FAIL: RSS grew more than 1.2x"
		status=1
	fi
	curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^mxgo_serve_batch_size_(sum|count)' | sed "s/^/$name      /"
	kill -TERM "$pid"
	if ! timeout 60 tail --pid="$pid" -f /dev/null; then
		echo "FAIL: server did not stop after SIGTERM"
		status=1
	fi
	wait "$pid" || {
		echo "FAIL: server exit status $? after SIGTERM"
		status=1
	}
	pid=""
done
[ $status -eq 0 ] && echo PASS || echo FAIL
exit $status
