#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 OR MIT
# The real Linux driver on our core, in one command (Debian 12, as root): QEMU's virt machine
# with libsmmu as its SMMUv3 (integrations/qemu/), Debian's arm64 kernel probing it through
# arm-smmu-v3, virtio devices doing DMA through it; named boot tests, then "N passed, N failed".
#
#   scripts/qemu-linux.sh [--refresh] [--perf-runs N] [--jobs N] [--timeout S] [--only T,...]
#                         [--record-sample DIR] [--list]
#
# Steps, each cached under build-qemu/ (SMMU_QEMU_BUILD overrides; git-ignored) so that a
# second run only boots:
#   1. Debian packages: the build dependencies of libsmmu and of QEMU (apt-get, as root).
#   2. Sources through Debian's own tools and a private apt configuration (build-qemu/apt/, with
#      deb-src lines; the system's sources are not touched): `apt-get source qemu` (Debian's
#      patches applied), the arm64 kernel the current linux-image-arm64 depends on, and
#      busybox-static:arm64 for the initramfs. --refresh fetches them again (newer versions).
#   3. integrations/qemu/patch-qemu.py: our adapter, device list and build insertions.
#   4. libsmmu (Release, CMake) installed into build-qemu/prefix; QEMU finds it via smmu.pc.
#   5. qemu-system-aarch64 only (configure --without-default-features/devices, our device list).
#   6. testbench/qemu/qemu_linux.py: the boots and the tests (--list names them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${SMMU_QEMU_BUILD:-$ROOT/build-qemu}
PY=/usr/bin/python3
REFRESH=0
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --refresh) REFRESH=1 ;;
    -h | --help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --list) exec /usr/bin/python3 testbench/qemu/qemu_linux.py --list ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

T0=$(date +%s)
step() { echo "qemu-linux: [$(($(date +%s) - T0)) s] $*"; }
die() { echo "qemu-linux: $*" >&2; exit 1; }

# ---- 1. packages --------------------------------------------------------------------------
scripts/deps.sh --qemu || die "missing packages (see above)"

# ---- 2. sources, kernel, busybox (private apt configuration) ------------------------------
mkdir -p "$B/apt/lists/partial" "$B/apt/cache/archives/partial" "$B/src" "$B/debs"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
{
  for s in "debian bookworm" "debian bookworm-updates" "debian-security bookworm-security"; do
    set -- $s
    echo "deb [arch=arm64 signed-by=$KEYRING] http://deb.debian.org/$1 $2 main"
    echo "deb-src [signed-by=$KEYRING] http://deb.debian.org/$1 $2 main"
  done
} > "$B/apt/sources.list"
[ -f "$B/apt/status" ] || : > "$B/apt/status"
APT=(-o "Dir::Etc::SourceList=$B/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
     -o "Dir::State::Lists=$B/apt/lists" -o "Dir::Cache=$B/apt/cache"
     -o "Dir::State::status=$B/apt/status" -o APT::Architectures::=arm64
     -o APT::Sandbox::User=root -o Debug::NoLocking=1)
apt_update() {
  if [ ! -f "$B/apt/.updated" ] || [ $REFRESH = 1 ]; then
    step "apt-get update (private configuration: $B/apt/sources.list)"
    apt-get "${APT[@]}" update -qq
    touch "$B/apt/.updated"
  fi
}
QSRC=""
if [ $REFRESH = 1 ] || [ ! -f "$B/src/.fetched" ]; then
  apt_update
  step "apt-get source qemu"
  rm -rf "$B/src" && mkdir -p "$B/src"
  (cd "$B/src" && apt-get "${APT[@]}" source -qq qemu >/dev/null)
  touch "$B/src/.fetched"
fi
DSC=$(ls "$B"/src/qemu_*.dsc | head -n 1)
QSRC=$(ls -d "$B"/src/qemu-*/ | head -n 1)
QSRC=${QSRC%/}
[ -f "$QSRC/hw/arm/virt.c" ] || die "no QEMU source in $B/src"

if [ $REFRESH = 1 ] || [ ! -f "$B/debs/.fetched" ]; then
  apt_update
  step "apt-get download linux-image-arm64:arm64 busybox-static:arm64"
  rm -rf "$B/debs" "$B/kernel" && mkdir -p "$B/debs"
  (cd "$B/debs" && apt-get "${APT[@]}" download -qq linux-image-arm64:arm64 busybox-static:arm64)
  KPKG=$(dpkg-deb -f "$B"/debs/linux-image-arm64_*.deb Depends | sed 's/[ (].*//')
  step "apt-get download $KPKG:arm64 (the kernel linux-image-arm64 depends on)"
  (cd "$B/debs" && apt-get "${APT[@]}" download -qq "$KPKG:arm64")
  touch "$B/debs/.fetched"
fi
if [ ! -d "$B/kernel/boot" ]; then
  KDEB=$(ls "$B"/debs/linux-image-[0-9]*.deb | head -n 1)
  mkdir -p "$B/kernel" && dpkg-deb -x "$KDEB" "$B/kernel"
fi
VMLINUZ=$(ls "$B"/kernel/boot/vmlinuz-* | head -n 1)
MODDIR=$(ls -d "$B"/kernel/lib/modules/*/ | head -n 1)
BUSYBOX=$(ls "$B"/debs/busybox-static_*.deb | head -n 1)

# ---- 3. patch QEMU (a fresh tree when the insertions changed) ------------------------------
PATCH_ID=$(sha256sum integrations/qemu/patch-qemu.py | cut -c1-16)
if [ "$(cat "$B/src/.patched" 2>/dev/null)" != "$PATCH_ID" ]; then
  if [ -f "$B/src/.patched" ]; then
    step "insertions changed: a fresh QEMU tree from $(basename "$DSC")"
    rm -rf "$QSRC" "$B/qemu"
    (cd "$B/src" && dpkg-source -q -x "$(basename "$DSC")" >/dev/null)
  fi
  step "patching $(basename "$QSRC")"
  "$PY" integrations/qemu/patch-qemu.py "$QSRC"
  echo "$PATCH_ID" > "$B/src/.patched"
else
  "$PY" integrations/qemu/patch-qemu.py --update-copies "$QSRC" >/dev/null
fi

# ---- 4. libsmmu -------------------------------------------------------------------------------
step "libsmmu (Release) -> $B/prefix"
if [ ! -f "$B/libsmmu/CMakeCache.txt" ]; then
  cmake -S . -B "$B/libsmmu" -DCMAKE_BUILD_TYPE=Release -DSMMU_BUILD_TESTS=OFF \
    -DSMMU_BUILD_EXAMPLES=OFF -DSMMU_BUILD_SYSTEMC=OFF -DSMMU_BUILD_COSIM=OFF \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_INSTALL_PREFIX="$B/prefix" >/dev/null
fi
cmake --build "$B/libsmmu" -j"$(nproc)" >/dev/null
cmake --install "$B/libsmmu" >/dev/null

# ---- 5. QEMU -------------------------------------------------------------------------------
CONF=(--target-list=aarch64-softmmu --without-default-features --without-default-devices
      --with-devices-aarch64=smmuv3-libsmmu --enable-tcg --enable-fdt=system --enable-slirp
      --disable-docs --disable-tools --disable-user)
CONF_ID=$(echo "${CONF[*]} $B/prefix" | sha256sum | cut -c1-16)
mkdir -p "$B/qemu"
if [ ! -f "$B/qemu/build.ninja" ] || [ "$(cat "$B/qemu/.configured" 2>/dev/null)" != "$CONF_ID" ]; then
  step "configuring QEMU"
  # the system's Python and meson first; meson records PKG_CONFIG_PATH now
  (cd "$B/qemu" && env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
     PKG_CONFIG_PATH="$B/prefix/lib/pkgconfig" "$QSRC/configure" "${CONF[@]}" > configure.log 2>&1) \
    || { tail -n 30 "$B/qemu/configure.log"; die "QEMU configure failed ($B/qemu/configure.log)"; }
  echo "$CONF_ID" > "$B/qemu/.configured"
fi
QEMU=$B/qemu/qemu-system-aarch64
# meson links libsmmu through pkg-config flags, without a file dependency: relink when it changed
for lib in "$B"/prefix/lib/libsmmu*.a; do
  if [ -f "$QEMU" ] && [ "$lib" -nt "$QEMU" ]; then rm -f "$QEMU"; fi
done
step "building qemu-system-aarch64"
(cd "$B/qemu" && env PATH=/usr/sbin:/usr/bin:/sbin:/bin ninja qemu-system-aarch64 > ninja.log 2>&1) \
  || { grep -E "error|Error" "$B/qemu/ninja.log" | head -n 30; die "QEMU build failed ($B/qemu/ninja.log)"; }

# ---- 6. boots and tests --------------------------------------------------------------------
step "boot tests (kernel $(basename "$VMLINUZ"), $(basename "$BUSYBOX"))"
set +e
"$PY" testbench/qemu/qemu_linux.py --qemu "$QEMU" --kernel "$VMLINUZ" --modules "$MODDIR" \
  --busybox-deb "$BUSYBOX" --work "$B/runs" --smmu-trace "$B/prefix/bin/smmu_trace" \
  ${ARGS[@]+"${ARGS[@]}"}
rc=$?
set -e
step "done (exit status $rc)"
exit $rc
