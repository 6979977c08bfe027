#!/usr/bin/env bash
# Installs what `make test` needs beyond Go: qemu-user-static, for the arm64
# tests and for running amd64 tests on an emulated CPU without AVX2.
set -euo pipefail
if command -v qemu-aarch64-static >/dev/null && command -v qemu-x86_64-static >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null
command -v qemu-aarch64-static >/dev/null
