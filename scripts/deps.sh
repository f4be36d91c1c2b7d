#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# Installs the Debian packages the project needs (Debian 12). Run as root; otherwise prints the
# exact apt line to run. Installs only what is missing: 'apt-get update' once, then one install.
#   scripts/deps.sh          the packages of the build, the tests and the tools
#   scripts/deps.sh --qemu   also those of building QEMU for the Linux boots (scripts/qemu-linux.sh)
set -euo pipefail
PKGS=(cmake make gcc g++ pkg-config libgtest-dev libbenchmark-dev clang-14 libclang-rt-14-dev
      libsystemc-dev libcli11-dev nlohmann-json3-dev verilator zlib1g-dev
      python3-matplotlib parallel valgrind strace)
if [ "${1:-}" = --qemu ]; then
  PKGS+=(dpkg-dev meson ninja-build libglib2.0-dev libpixman-1-dev libfdt-dev libslirp-dev cpio
         debian-archive-keyring)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
