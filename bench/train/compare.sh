#!/usr/bin/env bash
# Fashion-MNIST training, mxgo vs PyTorch (Debian python3-torch), same
# networks (examples/fashion-mnist: MLP 784-256-128-10 relu; LeNet tanh),
# same settings (Xavier, SGD lr 0.1 momentum 0.9, batch 100, 2 threads),
# one after the other on the same machine. Each prints one JSON line per
# epoch (accuracy on the 10k test set, seconds of training per epoch).
# Needs /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist).
# Usage: bench/train/compare.sh [mlp|lenet|lenet-relu|all] [EPOCHS] [LR]
# (LR default 0.1; the tanh LeNet needs a smaller one, e.g. 0.02, to reach
# 88% in 5 epochs with momentum 0.9: 89.4% at 0.02, 83.1% at 0.1 in mxgo.
# lenet-relu, MXNet's tutorial LeNet with relu, at lr 0.1, one run each on
# 2026-12-06 under load 12-17: mxgo 85.9/87.6/88.1/88.7/88.5% after epochs
# 1-5, PyTorch 84.1/84.9/86.3/88.2/87.6%: not >= 88% in both, so 0.02 stays
# the LeNet setting (lenet-relu at 0.02 after 5 epochs: mxgo 89.8%,
# PyTorch 89.9%).)
set -euo pipefail
cd "$(dirname "$0")/../.."
data=/usr/share/datasets/fashion-mnist
nets="${1:-all}"; [ "$nets" = all ] && nets="mlp lenet"
epochs="${2:-5}"
lr="${3:-0.1}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/mxgo" ./cmd/mxgo
go build -o "$tmp/fm" ./examples/fashion-mnist
for net in $nets; do
  "$tmp/fm" -net "$net" -symbol-only > "$tmp/$net-symbol.json"
  echo "== mxgo $net (2 threads)"
  "$tmp/mxgo" train -symbol "$tmp/$net-symbol.json" -train "fashion-mnist:$data" -eval "fashion-mnist:$data" \
    -prefix "$tmp/$net" -epochs "$epochs" -batch-size 100 -lr "$lr" -momentum 0.9 -threads 2 -json
  echo "== PyTorch $net (set_num_threads(2))"
  /usr/bin/python3 bench/train/pytorch_train.py "$net" "$data" "$epochs" 2 "$lr"
done
