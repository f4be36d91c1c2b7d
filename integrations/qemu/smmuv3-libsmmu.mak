# SPDX-License-Identifier: GPL-2.0-or-later
# Devices of the smallest qemu-system-aarch64 that boots Linux on the virt machine with an
# SMMUv3 in front of PCIe: copied to configs/devices/aarch64-softmmu/ by patch-qemu.py and
# selected with --with-devices-aarch64=smmuv3-libsmmu (with --without-default-devices).
CONFIG_ARM_VIRT=y
# QEMU 7.2's arm target needs these besides the virt machine
CONFIG_ARM_V7M=y
CONFIG_ARM_GICV3_TCG=y
# PCIe: root ports for devices behind a bridge
CONFIG_PCIE_PORT=y
# virtio over PCI: disk, network, entropy
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_NET=y
CONFIG_VIRTIO_RNG=y
# QEMU's "edu" test device: a DMA engine the tests point at unmapped addresses
CONFIG_EDU=y
