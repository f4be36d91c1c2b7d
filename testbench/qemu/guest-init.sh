#!/bin/busybox sh
# SPDX-License-Identifier: Apache-2.0 OR MIT
# /init of the test initramfs (busybox-static, arm64): loads the virtio and pci-stub modules,
# runs the workloads named on the kernel command line (smmut.run=a,b,...), prints each result
# as a line "@@ key value..." on the console, then powers off. testbench/qemu/qemu_linux.py
# builds the initramfs, boots it and checks the results; every number is checked there.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp

r() { echo "@@ $*"; }
arg() { # value of smmut.$1= on the kernel command line, or $2
  v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^smmut\.$1=//p" | tail -n 1)
  echo "${v:-$2}"
}
mark() { echo "smmut-mark $*" > /dev/kmsg; } # a microsecond timestamp in the kernel log

RUN=$(arg run probe)
r start "$RUN"
for m in $(cat /mods/order); do
  insmod "/mods/$m.ko" || r error "insmod $m"
done

# disks by serial number
disk() {
  for b in /sys/block/vd*; do
    [ "$(cat "$b/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/${b##*/}"; return; }
  done
}
wait_disk() {
  n=0
  while [ -z "$(disk "$1")" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  disk "$1"
}

groups() {
  for g in /sys/kernel/iommu_groups/*; do
    devs=$(ls "$g/devices" | tr '\n' ',')
    r group "${g##*/}" "$(cat "$g/type")" "$devs"
  done
  for d in /sys/bus/pci/devices/*; do
    g=$(readlink "$d/iommu_group"); drv=$(readlink "$d/driver")
    r pcidev "${d##*/}" "$(cat "$d/vendor")" "$(cat "$d/device")" "${drv##*/}" "${g##*/}"
  done
}

blk() {
  D=$(wait_disk smmut-main)
  [ -n "$D" ] || { r error "no main disk"; return; }
  r blk_buffered "$(md5sum < "$D" | cut -d' ' -f1)"
  r blk_direct "$(dd if="$D" bs=1M iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
}

blk2() { # the disk behind the PCIe root port: write, drop caches, read back (O_DIRECT)
  D=$(wait_disk smmut-port)
  [ -n "$D" ] || { r error "no root-port disk"; return; }
  r blk2_dev "$D" "$(readlink -f /sys/block/${D#/dev/}/device/.. | sed 's,.*/,,')"
  dd if=/dev/urandom of=/tmp/w.bin bs=64k count=64 2>/dev/null
  r blk2_written "$(md5sum < /tmp/w.bin | cut -d' ' -f1)"
  dd if=/tmp/w.bin of="$D" bs=64k seek=16 oflag=direct conv=fsync 2>/dev/null || r error "blk2 write"
  echo 3 > /proc/sys/vm/drop_caches
  r blk2_read "$(dd if="$D" bs=64k skip=16 count=64 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
  rm -f /tmp/w.bin
}

rng() {
  r rng_current "$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)"
  r rng_bytes "$(dd if=/dev/hwrng bs=512 count=8 2>/dev/null | wc -c)"
  r rng_distinct "$(dd if=/dev/hwrng bs=512 count=8 2>/dev/null | od -An -tx1 -v | tr ' ' '\n' | grep -v '^$' | sort -u | wc -l)"
}

net_up() {
  [ -n "$NET_UP" ] && return
  NET_UP=1
  for i in /sys/class/net/eth*; do IF=${i##*/}; done
  ip link set "$IF" up && ip addr add 10.0.2.15/24 dev "$IF" && ip route add default via 10.0.2.2
}

net() {
  net_up
  r ping "$(ping -c 3 -W 2 10.0.2.2 2>&1 | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')"
  nc 10.0.2.2 "$(arg port_down 0)" < /dev/null > /tmp/down.bin
  r net_down "$(wc -c < /tmp/down.bin)" "$(md5sum < /tmp/down.bin | cut -d' ' -f1)"
  dd if=/dev/urandom of=/tmp/up.bin bs=64k count=16 2>/dev/null
  r net_up_sent "$(md5sum < /tmp/up.bin | cut -d' ' -f1)"
  r net_up_recv "$(nc 10.0.2.2 "$(arg port_up 0)" < /tmp/up.bin)"
  rm -f /tmp/down.bin /tmp/up.bin
}

fault() { # QEMU's edu device, bound to pci-stub, reads 4 bytes at an unmapped IOVA
  IOVA=$(arg iova 0x0ab00000)
  for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] && E=$d
  done
  [ -n "$E" ] || { r error "no edu device"; return; }
  echo pci-stub > "$E/driver_override"
  echo "${E##*/}" > /sys/bus/pci/drivers_probe
  r edu_driver "$(basename "$(readlink "$E/driver")")"
  printf '\006\000' | dd of="$E/config" bs=1 seek=4 count=2 conv=notrunc 2>/dev/null # MEM|MASTER
  BAR=$(head -n 1 "$E/resource" | cut -d' ' -f1)
  devmem $((BAR + 0x80)) 32 $((IOVA))  # DMA source: the IOVA
  devmem $((BAR + 0x88)) 32 $((0x40000)) # DMA destination: edu's buffer
  devmem $((BAR + 0x90)) 32 4          # count
  mark fault-start
  devmem $((BAR + 0x98)) 32 1          # start, direction: from memory to edu
  sleep 1                              # edu runs its DMA 100 ms later
  mark fault-end
  r fault_done "${E##*/}" "$IOVA"
}

sample() { # the traffic of the sample trace: O_DIRECT reads in 64 KiB requests, a transfer
  D=$(wait_disk smmut-main)
  r sample_blk "$(dd if="$D" bs=64k count=128 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
  net
}

perf() { # O_DIRECT reads of the perf disk, timed by kernel-log timestamps: whole disk in 1 MiB
         # requests, and 16 MiB in 4 KiB requests (one DMA map and unmap per 4 KiB)
  D=$(wait_disk smmut-perf)
  [ -n "$D" ] || { r error "no perf disk"; return; }
  n=$(arg perf_runs 5)
  dd if="$D" of=/dev/null bs=1M iflag=direct 2>/dev/null # warm-up
  i=0
  while [ $i -lt "$n" ]; do
    mark "perf-start 1m $i"
    dd if="$D" of=/dev/null bs=1M iflag=direct 2>/dev/null
    mark "perf-end 1m $i"
    mark "perf-start 4k $i"
    dd if="$D" of=/dev/null bs=4k count=4096 iflag=direct 2>/dev/null
    mark "perf-end 4k $i"
    i=$((i + 1))
  done
  r perf_bytes 1m "$(blockdev --getsize64 "$D")"
  r perf_bytes 4k $((4096 * 4096))
}

smp() { # both CPUs: two readers of the iothread disk at once, and a network transfer
  D=$(wait_disk smmut-main)
  r cpus "$(nproc)"
  net > /tmp/net.out 2>&1 &
  k=0
  while [ $k -lt 3 ]; do
    taskset 1 sh -c "dd if=$D bs=1M iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1 > /tmp/a$k" &
    pa=$!
    taskset 2 sh -c "dd if=$D bs=64k 2>/dev/null | md5sum | cut -d' ' -f1 > /tmp/b$k; echo 3 > /proc/sys/vm/drop_caches" &
    pb=$!
    wait $pa $pb
    r smp_direct "$k" "$(cat /tmp/a$k)"
    r smp_buffered "$k" "$(cat /tmp/b$k)"
    k=$((k + 1))
  done
  wait
  cat /tmp/net.out
}

pause() { # the host migrates the VM meanwhile (qemu_linux.py, boot lib-migrate)
  sync
  r paused
  sleep "$(arg pause 20)"
  r resumed
}

for w in $(echo "$RUN" | tr ',' ' '); do
  case "$w" in
    probe) r kernel "$(uname -r)" ;;
    pause) pause ;;
    groups | blk | blk2 | rng | net | fault | perf | smp | sample) $w ;;
    *) r error "unknown workload $w" ;;
  esac
done
grep -i smmu /proc/interrupts | sed 's/^/@@ irq /'
sync
r done
poweroff -f
