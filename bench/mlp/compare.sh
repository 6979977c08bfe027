#!/usr/bin/env bash
# MLP 784-512-512-10 (ReLU, softmax), float32 inference: mxgo, PyTorch
# (Debian python3-torch) and oneDNN 2.6 (Debian libdnnl-dev, MXNet 1.9.1's
# CPU engine; onednn/onednn_mlp.c, built here with gcc into a temporary
# directory) on the same batch sizes and thread counts, one after the other
# on the same machine. Single-thread runs are pinned to one core with
# taskset: PyTorch's set_num_threads(1) alone still lets its BLAS use the
# other core. mxgo reports ns/op (= latency per batch) and samples/s;
# PyTorch and oneDNN print p50/p90 latency and samples/s as JSON lines.
# The oneDNN part is skipped (with a message) when gcc or the oneDNN
# headers are missing (apt-get install -y libdnnl-dev).
set -euo pipefail
cd "$(dirname "$0")/../.."
bt="${BENCHTIME:-2s}"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mxgo, 1 thread (pinned to cpu 0)"
taskset -c 0 go test -run '^$' -bench 'MLP/batch=(1|8|256)/threads=1$' -benchtime "$bt" ./bench/mlp | grep '^Benchmark'
echo "== mxgo, 2 threads"
go test -run '^$' -bench 'MLP/batch=256/threads=2$' -benchtime "$bt" ./bench/mlp | grep '^Benchmark'
echo "== PyTorch, 1 thread (pinned to cpu 0)"
taskset -c 0 /usr/bin/python3 bench/mlp/pytorch_mlp.py 1x1 8x1 256x1
echo "== PyTorch, 2 threads"
/usr/bin/python3 bench/mlp/pytorch_mlp.py 256x2
if command -v gcc >/dev/null && [ -e /usr/include/oneapi/dnnl/dnnl.h ]; then
	tmp="$(mktemp -d)"
	trap 'rm -rf "$tmp"' EXIT
	gcc -O2 -Wall -o "$tmp/onednn_mlp" bench/mlp/onednn/onednn_mlp.c -ldnnl
	echo "== oneDNN, 1 thread (pinned to cpu 0)"
	OMP_NUM_THREADS=1 taskset -c 0 "$tmp/onednn_mlp" 1x1 8x1 256x1
	echo "== oneDNN, 2 threads"
	OMP_NUM_THREADS=2 "$tmp/onednn_mlp" 256x2
else
	echo "== oneDNN skipped: needs gcc and libdnnl-dev"
fi
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
