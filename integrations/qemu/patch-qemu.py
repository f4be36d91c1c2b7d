#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Adds smmuv3-libsmmu to a QEMU source tree (QEMU 7.2, as Debian 12 ships it).

    patch-qemu.py QEMU_SOURCE_DIR                   # a fresh tree: insertions and copies
    patch-qemu.py --update-copies QEMU_SOURCE_DIR   # a patched tree: copy the files that changed

Copies our files into the tree and makes insertions at named anchors: "after (or before) the
first line matching A, found after the first line matching W, in file F, insert our block".
Nothing of QEMU's text is kept here beyond the anchor patterns; no line of QEMU is deleted or
rewritten. When an anchor is not found (QEMU changed), it stops with a message naming the
file and the anchor, and changes nothing (every anchor is checked before any file is written).
Applying twice is refused (the inserted blocks carry a marker).
"""
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = "smmuv3-libsmmu"

# Files copied into the tree: (ours, destination in QEMU)
COPIES = [
    ("smmuv3-libsmmu.c", "hw/arm/smmuv3-libsmmu.c"),
    ("smmuv3-libsmmu.mak", "configs/devices/aarch64-softmmu/smmuv3-libsmmu.mak"),
]

# Insertions: (file, where, within, anchor, block). 'within': the search for 'anchor' starts
# after the first line matching it (None: at the top of the file).
INSERTIONS = [
    # The build: our adapter is built with the SMMUv3 of the arm targets, against libsmmu and
    # smmu_trace found by pkg-config (smmu.pc, smmu_trace.pc of the smmuv3 install).
    ("hw/arm/meson.build", "after", None,
     r"^arm_ss\.add\(when: 'CONFIG_ARM_SMMUV3', if_true: files\(",
     """# smmuv3-libsmmu: libsmmu (smmuv3 project) as the SMMUv3 of the virt machine
libsmmu_dep = dependency('smmu_trace', method: 'pkg-config', static: true, required: true)
arm_ss.add(when: 'CONFIG_ARM_SMMUV3', if_true: [files('smmuv3-libsmmu.c'), libsmmu_dep])
"""),
    # virt.c: which SMMUv3 type create_smmu() instantiates.
    ("hw/arm/virt.c", "after", None,
     r'^#include "hw/arm/smmuv3\.h"\s*$',
     """/* smmuv3-libsmmu: the SMMUv3 type of -M virt,iommu=smmuv3 / iommu=smmuv3-libsmmu */
static const char *virt_smmuv3_type = "arm-smmuv3";
"""),
    # create_smmu(): the statement that creates QEMU's own SMMUv3 becomes the else branch.
    ("hw/arm/virt.c", "before", r"^static void create_smmu\(",
     r'^\s*dev = qdev_new\("arm-smmuv3"\);\s*$',
     """    /* smmuv3-libsmmu */
    if (strcmp(virt_smmuv3_type, "arm-smmuv3") != 0) {
        dev = qdev_new(virt_smmuv3_type);
    } else
"""),
    # iommu=smmuv3-libsmmu: the same board (device tree, IRQs, IORT) with our type.
    ("hw/arm/virt.c", "after", r"^static void virt_set_iommu\(",
     r"^\s*VirtMachineState \*vms = VIRT_MACHINE\(obj\);\s*$",
     """
    /* smmuv3-libsmmu */
    if (!strcmp(value, "smmuv3-libsmmu")) {
        vms->iommu = VIRT_IOMMU_SMMUV3;
        virt_smmuv3_type = "smmuv3-libsmmu";
        return;
    }
    virt_smmuv3_type = "arm-smmuv3";
"""),
    ("hw/arm/virt.c", "after", r"^static char \*virt_get_iommu\(",
     r"^\s*VirtMachineState \*vms = VIRT_MACHINE\(obj\);\s*$",
     """
    /* smmuv3-libsmmu */
    if (vms->iommu == VIRT_IOMMU_SMMUV3 && strcmp(virt_smmuv3_type, "arm-smmuv3") != 0) {
        return g_strdup(virt_smmuv3_type);
    }
"""),
    ("hw/arm/virt.c", "after",
     r'^\s*object_class_property_add_str\(oc, "iommu", virt_get_iommu, virt_set_iommu\);',
     r'^\s*"Valid values are none and smmuv3"\);\s*$',
     """    /* smmuv3-libsmmu: the option's help names it */
    object_class_property_set_description(oc, "iommu",
                                          "IOMMU of the board: none, smmuv3 (QEMU's SMMUv3) or "
                                          "smmuv3-libsmmu (the smmuv3 project's libsmmu)");
"""),
]


class AnchorError(Exception):
    pass


def locate(lines, path, within, anchor):
    start = 0
    if within is not None:
        wre = re.compile(within)
        for i, l in enumerate(lines):
            if wre.search(l):
                start = i + 1
                break
        else:
            raise AnchorError(f"{path}: no line matches /{within}/")
    are = re.compile(anchor)
    for i in range(start, len(lines)):
        if are.search(lines[i]):
            return i
    where = f" after the line matching /{within}/" if within else ""
    raise AnchorError(f"{path}: no line{where} matches /{anchor}/")


def update_copies(root):
    """Copies our files whose content differs (so that an edit rebuilds only what changed)."""
    n = 0
    for ours, dest in COPIES:
        src, dst = os.path.join(HERE, ours), os.path.join(root, dest)
        if not os.path.exists(dst) or open(src, "rb").read() != open(dst, "rb").read():
            shutil.copyfile(src, dst)
            n += 1
    return n


def main():
    argv = sys.argv[1:]
    copies_only = argv[:1] == ["--update-copies"]
    if copies_only:
        argv = argv[1:]
    if len(argv) != 1:
        sys.exit(__doc__)
    root = argv[0]
    if not os.path.isfile(os.path.join(root, "hw/arm/virt.c")):
        sys.exit(f"patch-qemu: {root} is not a QEMU source tree (no hw/arm/virt.c)")
    if copies_only:
        print(f"patch-qemu: {update_copies(root)} of {len(COPIES)} files updated")
        return
    files = {}
    plan = []  # (path, index, block)
    try:
        for path, where, within, anchor, block in INSERTIONS:
            if path not in files:
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    files[path] = f.read().splitlines(keepends=True)
                if any(MARK in l for l in files[path]):
                    sys.exit(f"patch-qemu: {path} is already patched ({MARK} found); start "
                             "from a fresh source tree")
            i = locate(files[path], path, within, anchor)
            plan.append((path, i + 1 if where == "after" else i, block))
    except AnchorError as e:
        sys.exit(f"patch-qemu: anchor not found: {e}\n"
                 "QEMU's source differs from the one this was written for (QEMU 7.2); update "
                 "the anchors in integrations/qemu/patch-qemu.py")
    # Insert bottom-up per file so that earlier indices stay valid.
    for path, i, block in sorted(plan, key=lambda p: (p[0], -p[1])):
        files[path][i:i] = [block]
    for path, lines in files.items():
        with open(os.path.join(root, path), "w", encoding="utf-8") as f:
            f.writelines(lines)
    update_copies(root)
    print(f"patch-qemu: {len(plan)} insertions in {len(files)} files, {len(COPIES)} files added")


if __name__ == "__main__":
    main()
