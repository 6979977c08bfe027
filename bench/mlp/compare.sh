#!/usr/bin/env bash
# MLP 784-512-512-10 (ReLU, softmax), float32 inference: mxgo and PyTorch
# (Debian python3-torch) on the same batch sizes and thread counts, one after
# the other on the same machine. Single-thread runs are pinned to one core
# with taskset: PyTorch's set_num_threads(1) alone still lets its BLAS use
# the other core. mxgo reports ns/op (= latency per batch) and samples/s;
# PyTorch prints p50/p90 latency and samples/s as JSON lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
bt="${BENCHTIME:-2s}"
echo "== mxgo, 1 thread (pinned to cpu 0)"
taskset -c 0 go test -run '^$' -bench 'MLP/batch=(1|8|256)/threads=1$' -benchtime "$bt" ./bench/mlp | grep '^Benchmark'
echo "== mxgo, 2 threads"
go test -run '^$' -bench 'MLP/batch=256/threads=2$' -benchtime "$bt" ./bench/mlp | grep '^Benchmark'
echo "== PyTorch, 1 thread (pinned to cpu 0)"
taskset -c 0 /usr/bin/python3 bench/mlp/pytorch_mlp.py 1x1 8x1 256x1
echo "== PyTorch, 2 threads"
/usr/bin/python3 bench/mlp/pytorch_mlp.py 256x2
