# mxgo — the two commands a newcomer needs:
#   make run    run the main job on a bundled checkpoint
#   make test   vet + tests (amd64, arm64 under qemu, purego, no-AVX2 CPU under qemu)
GO        ?= go
PKGS      := ./...
QEMU_ARM  := $(shell command -v qemu-aarch64-static 2>/dev/null)
QEMU_X86  := $(shell command -v qemu-x86_64-static 2>/dev/null)

.PHONY: run test test-native test-race test-arm64 test-purego test-nehalem tools bench fuzz fmt goldens goldens-check

# LeNet (trained by Python MXNet 1.3.1) on the first MNIST test image, a 7.
run:
	$(GO) run ./cmd/mxgo run -input testdata/samples/mnist-00.npy testdata/mxnet/lenet-module/LeNet 10

test: test-native test-race test-purego test-arm64 test-nehalem

test-native:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

# The race detector over everything (concurrent Predict, the kernel worker
# pool); -short keeps the exhaustive kernel sweeps to the native run.
test-race: tools
	CGO_ENABLED=1 $(GO) test -race -short -count=1 $(PKGS)

# The pure-Go path, as on a machine without SIMD (and the purego build tag).
test-purego:
	$(GO) vet -tags purego $(PKGS)
	MXGO_EXPECT_IMPL=generic $(GO) test -count=1 -tags purego ./asm/... ./tensor/...

# arm64 (NEON) under qemu-user; installs qemu-user-static when missing.
test-arm64: tools
	GOARCH=arm64 $(GO) vet $(PKGS)
	GOARCH=arm64 MXGO_EXPECT_IMPL=neon $(GO) test -short -count=1 -exec qemu-aarch64-static $(PKGS)

# The amd64 binary on a CPU without AVX2 (runtime dispatch must pick generic).
test-nehalem: tools
	MXGO_EXPECT_IMPL=generic $(GO) test -short -count=1 -exec 'qemu-x86_64-static -cpu Nehalem' ./asm/... ./tensor/...

tools:
	@./scripts/install-test-tools.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./asm/... ./ops/... ./serialize/... ./bench/...

# The full set of generated malformed inputs (internal/malformed) through the
# readers in-process and through the mxgo CLI (peak RSS), then every Go fuzz
# target for 30s.
fuzz:
	MXGO_MALFORMED_FULL=1 $(GO) test -count=1 -timeout 30m -run 'TestMalformed' ./serialize ./cmd/mxgo
	./scripts/fuzz.sh 30s

fmt:
	gofmt -w $$(git ls-files '*.go')

# Operator and model goldens from the float64 numpy reference (testdata/ops,
# testdata/models); needs /usr/bin/python3 with numpy.
GOLDEN_PY ?= /usr/bin/python3

goldens:
	$(GOLDEN_PY) testdata/ops/gen_ops.py
	$(GOLDEN_PY) testdata/models/gen_models.py
	$(GOLDEN_PY) testdata/pickle/gen_pickle.py

# Regenerates the goldens into a temp dir and fails if they differ from the
# committed ones.
goldens-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(GOLDEN_PY) testdata/ops/gen_ops.py $$tmp/ops >/dev/null && \
	$(GOLDEN_PY) testdata/models/gen_models.py $$tmp/models >/dev/null && \
	$(GOLDEN_PY) testdata/pickle/gen_pickle.py $$tmp/pickle >/dev/null && \
	diff -r -x '*.py' -x '*.md' -x __pycache__ testdata/ops $$tmp/ops && \
	diff -r -x '*.py' -x '*.md' -x __pycache__ testdata/models $$tmp/models && \
	diff -r -x '*.py' -x '*.md' -x __pycache__ testdata/pickle $$tmp/pickle && \
	echo "goldens up to date"
