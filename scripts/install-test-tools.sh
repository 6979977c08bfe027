#!/usr/bin/env bash
# Installs what `make test` needs beyond Go (Debian packages): qemu-user-static,
# for the arm64 tests and for running amd64 tests on an emulated CPU without
# AVX2, gcc, which the race detector needs (cgo), and protobuf-compiler plus
# the Go protoc plugins (pinned to the versions that generated
# serve/inferencepb), for the test that the generated gRPC code is fresh.
set -euo pipefail
need=()
command -v qemu-aarch64-static >/dev/null && command -v qemu-x86_64-static >/dev/null || need+=(qemu-user-static)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v protoc >/dev/null || need+=(protobuf-compiler)
if [ ${#need[@]} -gt 0 ]; then
	SUDO=""
	if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
gobin="$(go env GOPATH)/bin"
[ -x "$gobin/protoc-gen-go" ] || go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
[ -x "$gobin/protoc-gen-go-grpc" ] || go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
