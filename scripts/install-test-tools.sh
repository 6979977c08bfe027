#!/usr/bin/env bash
# Installs what `make test` needs beyond Go (Debian packages): qemu-user-static,
# for the arm64 tests and for running amd64 tests on an emulated CPU without
# AVX2, and gcc, which the race detector needs (cgo).
set -euo pipefail
need=()
command -v qemu-aarch64-static >/dev/null && command -v qemu-x86_64-static >/dev/null || need+=(qemu-user-static)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
