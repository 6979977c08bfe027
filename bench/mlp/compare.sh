#!/usr/bin/env bash
# MLP 784-512-512-10 (ReLU, softmax), float32 inference: mxgo, PyTorch
# (Debian python3-torch) and oneDNN 2.6 (Debian libdnnl-dev, MXNet 1.9.1's
# CPU engine; onednn/onednn_mlp.c, built here with gcc into a temporary
# directory) on the same batch sizes and thread counts. The engines run in
# ROUNDS alternating rounds (mxgo, PyTorch, oneDNN, per case), so a change
# in the machine's speed during the run (shared cores) hits them alike; the
# summary takes each engine's best. Single-thread runs are pinned to one
# core with taskset: PyTorch's set_num_threads(1) alone still lets its BLAS
# use the other core. Every engine's latency is the median of its calls
# (p50); every run's raw line is printed too: mxgo's ns/op (the mean),
# p50-us and samples/s, PyTorch's and oneDNN's p50/p90 latency and
# samples/s as JSON lines. The oneDNN part is skipped (with a
# message) when gcc or the oneDNN headers are missing (apt-get install -y
# libdnnl-dev), PyTorch's when it is not installed.
#
# Env: ROUNDS (3), BENCHTIME per mxgo run (2s).
# Prints: per case the best latency of each engine and the ratio
# peer/mxgo of samples/s (> 1: the peer ahead).
set -euo pipefail
cd "$(dirname "$0")/../.."
bt="${BENCHTIME:-2s}"
rounds="${ROUNDS:-3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs)"
go test -c -o "$tmp/mlp.test" ./bench/mlp
onednn=""
if command -v gcc >/dev/null && [ -e /usr/include/oneapi/dnnl/dnnl.h ]; then
	gcc -O2 -Wall -o "$tmp/onednn_mlp" bench/mlp/onednn/onednn_mlp.c -ldnnl
	onednn="$tmp/onednn_mlp"
else
	echo "== oneDNN skipped: needs gcc and libdnnl-dev"
fi
torch=""
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	torch=1
else
	echo "== PyTorch skipped: needs python3-torch"
fi

res="$tmp/results"
: >"$res"
# case: batch threads
cases=("1 1" "8 1" "256 1" "256 2")
for r in $(seq "$rounds"); do
	echo "== round $r"
	for c in "${cases[@]}"; do
		read -r b t <<<"$c"
		pin=()
		[ "$t" = 1 ] && pin=(taskset -c 0)
		line=$("${pin[@]}" "$tmp/mlp.test" -test.run '^$' -test.bench "MLP/batch=$b/threads=$t\$" -test.benchtime "$bt" | grep '^Benchmark')
		echo "$line"
		sed -n "s/.* \([0-9.]*\) p50-us.*/mxgo $b $t \1/p" <<<"$line" >>"$res"
		if [ -n "$torch" ]; then
			line=$(OMP_NUM_THREADS="$t" "${pin[@]}" /usr/bin/python3 bench/mlp/pytorch_mlp.py "${b}x$t")
			echo "$line"
			sed -n "s/.*\"p50_us\": \([0-9.]*\).*/pytorch $b $t \1/p" <<<"$line" >>"$res"
		fi
		if [ -n "$onednn" ]; then
			line=$(OMP_NUM_THREADS="$t" "${pin[@]}" "$onednn" "${b}x$t")
			echo "$line"
			sed -n "s/.*\"p50_us\": \([0-9.]*\).*/onednn $b $t \1/p" <<<"$line" >>"$res"
		fi
	done
done

/usr/bin/python3 - "$res" <<'EOF'
import sys
best = {}
for line in open(sys.argv[1]):
    eng, b, t, us = line.split()
    k = (int(b), int(t))
    best.setdefault(k, {})
    best[k][eng] = min(best[k].get(eng, float("inf")), float(us))
print("== best p50 latency of the rounds, peer/mxgo samples/s (> 1: the peer ahead)")
print("%5s %7s %10s %10s %10s %9s %9s" % ("batch", "threads", "mxgo us", "pytorch us", "onednn us", "pytorch x", "onednn x"))
for k in sorted(best):
    e = best[k]
    m = e["mxgo"]
    col = lambda n: "%10.1f" % e[n] if n in e else "%10s" % "-"
    rat = lambda n: "%9.2f" % (m / e[n]) if n in e else "%9s" % "-"
    print("%5d %7d %10.1f %s %s %s %s" % (k[0], k[1], m, col("pytorch"), col("onednn"), rat("pytorch"), rat("onednn")))
EOF
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
