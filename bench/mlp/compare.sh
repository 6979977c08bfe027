#!/usr/bin/env bash
# MLP 784-512-512-10 (ReLU, softmax), float32 inference: mxgo and PyTorch
# (Debian python3-torch) on the same batch sizes and thread counts, one after
# the other on the same machine. mxgo reports ns/op (= latency per batch) and
# samples/s; PyTorch prints p50/p90 latency and samples/s as JSON lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== mxgo"
go test -run '^$' -bench 'MLP/batch=(1|256)/threads=' -benchtime "${BENCHTIME:-2s}" ./bench/mlp | grep '^Benchmark'
echo "== PyTorch"
/usr/bin/python3 bench/mlp/pytorch_mlp.py 1x1 256x1 256x2
