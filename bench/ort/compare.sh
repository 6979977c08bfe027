#!/usr/bin/env bash
# mxgo side by side with ONNX Runtime 1.30 (npm onnxruntime-node, the engine a
# Go service would otherwise embed) on the same models with the same weights:
#
#   mlp        MLP 784-512-512-10 (ReLU, softmax; checkpoint written by export.py)
#   resnet20   GluonCV CIFAR ResNet-20 v1 (testdata/mxnet/gluoncv-cifar-resnet20-v1)
#   genderage  InsightFace MobileNet-0.25 face network, 112x112, depthwise
#              (testdata/mxnet/insightface-gender-age)
#
# each at batch 1 on 1 thread (latency) and at batch 256 (MLP) or 8 on 2
# threads (throughput). Needs node + npm, Debian python3-torch and Go.
# Steps: onnxruntime-node@1.30.0 is installed with --ignore-scripts into a
# temp folder (its CPU library ships inside the package); export.py rebuilds
# the MXNet checkpoints in PyTorch and exports them to ONNX; mxgo and ORT run
# one input each and their max abs output difference is printed; then ROUNDS
# alternating rounds (mxgo, ORT, per case) and the best p50 of each engine.
# ORT's per-call binding overhead (Node → C++; a 4x4 Linear's latency, at
# the same thread count) is subtracted from its times. Single-thread runs of
# both engines are pinned to one core with taskset when it exists.
#
# Env: ROUNDS (3), SECS per run (1), ORT_DIR (reuse a folder where the npm
# package is installed), MXGO_KERNELS (force mxgo's kernels), ORT_SPIN (1,
# ORT's own default: its intra-op threads spin-wait between tasks, as
# mxgo's pool workers do for 100 us; 0 parks them, which on a 2-vCPU VM
# costs ORT's 2-thread runs a 100-350 us wake-up per parallel section, and
# on cores shared with other processes spinning made them 2-6x slower).
# Prints: per case p50 latency of each engine, time ratio mxgo/ORT (< 1:
# mxgo faster) and samples/s ratio mxgo/ORT (> 1: mxgo ahead).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${ROUNDS:-3}"
secs="${SECS:-1}"
here="$PWD/bench/ort"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in node npm go /usr/bin/python3; do
	command -v "$tool" >/dev/null || { echo "compare.sh: needs $tool" >&2; exit 1; }
done
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "compare.sh: needs PyTorch (apt-get install python3-torch)" >&2; exit 1; }

if [ -z "${ORT_DIR:-}" ]; then
	ORT_DIR="$work/npm"
	mkdir -p "$ORT_DIR"
	(cd "$ORT_DIR" && npm install --silent --no-audit --no-fund --ignore-scripts onnxruntime-node@1.30.0 >/dev/null)
fi
export ORT_DIR
export ORT_SPIN="${ORT_SPIN:-1}"

echo "== export (PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))"
if ! /usr/bin/python3 "$here/export.py" "$work" >"$work/export.log" 2>&1; then
	cat "$work/export.log" >&2
	exit 1
fi
grep '^exported' "$work/export.log"
go build -o "$work/mxgo" ./cmd/mxgo
"$work/mxgo" version | grep -E '^(kernels|cpu):'
echo "onnxruntime-node $(node -p "require('$ORT_DIR/node_modules/onnxruntime-node/package.json').version"), ORT_SPIN=$ORT_SPIN"

# name symbol params shape-without-batch
models=(
	"mlp $work/mlp-symbol.json $work/mlp-0000.params 784"
	"resnet20 testdata/mxnet/gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-symbol.json testdata/mxnet/gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-0000.params 3,32,32"
	"genderage testdata/mxnet/insightface-gender-age/model-symbol.json testdata/mxnet/insightface-gender-age/model-0000.params 3,112,112"
)

echo "== outputs on one seeded input (batch 1): mxgo vs ONNX Runtime"
for m in "${models[@]}"; do
	read -r name sym params _ <<<"$m"
	"$work/mxgo" run -symbol "$sym" -params "$params" -input "data=$work/$name-input.npy" -out "$work/$name-mxgo.npy" >/dev/null
	node "$here/bench.js" --run "$work/$name.onnx" "$work/$name-input.npy" "$work/$name-ort.npy"
	/usr/bin/python3 -c '
import sys, numpy as np
a, b = np.load(sys.argv[2]).astype(np.float64), np.load(sys.argv[3]).astype(np.float64)
d, top = np.max(np.abs(a - b)), np.max(np.abs(b))
print("%-10s max abs diff %.3g (max |y| %.3g)" % (sys.argv[1], d, top))
sys.exit("compare.sh: mxgo and ONNX Runtime disagree" if a.shape != b.shape or d > 1e-4 * top + 1e-5 else 0)' \
		"$name" "$work/$name-mxgo.npy" "$work/$name-ort.npy"
done

pin() { # pin() THREADS CMD...: pin single-thread runs to one core
	local t="$1"; shift
	if [ "$t" = 1 ] && command -v taskset >/dev/null; then taskset -c 1 "$@"; else "$@"; fi
}

p50() { # p50 CMD...: the p50_us of the JSON line CMD prints
	local out
	out=$("$@") || { echo "compare.sh: failed: $*" >&2; exit 1; }
	out=$(sed -n 's/.*"p50_us":\([0-9.]*\).*/\1/p' <<<"$out")
	[ -n "$out" ] || { echo "compare.sh: no p50_us from: $*" >&2; exit 1; }
	echo "$out"
}

res="$work/results"
: >"$res"
echo "== $rounds alternating rounds of ${secs}s per engine and case"
for r in $(seq "$rounds"); do
	for t in 1 2; do
		p=$(p50 pin "$t" node "$here/bench.js" "$work/tiny.onnx" 1 "$t" 4 "$secs")
		echo "tiny 1 $t ort $p" >>"$res"
	done
	for m in "${models[@]}"; do
		read -r name sym params shape <<<"$m"
		big=8; [ "$name" = mlp ] && big=256
		for bt in "1 1" "$big 2"; do
			read -r b t <<<"$bt"
			p=$(p50 pin "$t" "$work/mxgo" bench model -json -batch "$b" -threads "$t" -time "${secs}s" \
				-shape "data=1,$shape" -symbol "$sym" -params "$params")
			echo "$name $b $t mxgo $p" >>"$res"
			p=$(p50 pin "$t" node "$here/bench.js" "$work/$name.onnx" "$b" "$t" "$shape" "$secs")
			echo "$name $b $t ort $p" >>"$res"
		done
	done
	echo "round $r done"
done

/usr/bin/python3 - "$res" <<'EOF'
import sys
best = {}
order = []
for line in open(sys.argv[1]):
    name, b, t, eng, p = line.split()
    key = (name, int(b), int(t))
    if key not in order:
        order.append(key)
    best[key + (eng,)] = min(float(p), best.get(key + (eng,), float("inf")))
print("ORT per-call binding overhead (tiny model, best p50): %s" % ", ".join(
    "%d thread%s %.1f us" % (t, "s" if t > 1 else "", best[("tiny", 1, t, "ort")]) for t in (1, 2)))
print("%-10s %5s %7s %12s %12s %10s %12s %12s %10s" % ("model", "batch", "threads", "mxgo p50 us", "ORT p50 us",
                                                      "time x", "mxgo smp/s", "ORT smp/s", "speed x"))
for key in order:
    if key[0] == "tiny":
        continue
    name, b, t = key
    m = best[key + ("mxgo",)]
    o = best[key + ("ort",)] - best[("tiny", 1, t, "ort")]
    print("%-10s %5d %7d %12.1f %12.1f %10.2f %12.0f %12.0f %10.2f" % (name, b, t, m, o, m / o, b * 1e6 / m, b * 1e6 / o, o / m))
print("time x = mxgo/ORT time (< 1: mxgo faster); speed x = mxgo/ORT samples/s (> 1: mxgo ahead); best of the rounds")
EOF
