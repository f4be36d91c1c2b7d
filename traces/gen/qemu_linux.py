#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""The qemu_linux sample: a trace QEMU's smmuv3-libsmmu recorded under a real Linux guest.

Not generated: recorded. scripts/qemu-linux.sh --record-sample traces/samples boots Debian's
arm64 kernel on QEMU's virt machine with libsmmu as its SMMUv3 (integrations/qemu/,
-global smmuv3-libsmmu.trace=FILE), runs O_DIRECT reads of a virtio-blk disk and a network
transfer over virtio-net, and hands the recording to this script, which

  - keeps every transaction line as recorded (columns and result fields: status, pa, hit, miss,
    reads of the translation QEMU asked for);
  - writes the header (name, scenario), the notes and the recording's device lines
    ("# sid 0x10: virtio-blk-pci at 00:02.0");
  - writes the scenario qemu_linux.json: for each StreamID a stage-1 domain mapping, in 64 KiB
    pieces, every IOVA range the trace touches, so that every transaction translates when
    replayed. Linux mapped and unmapped these IOVAs over time (the recorded pa= fields show
    where each really went); the scenario maps each 64 KiB piece once, to its own frame, so a
    replay reproduces the stream of addresses and its cache behaviour, not Linux's changing
    mappings or the physical addresses.

    qemu_linux.py --raw rec.trace --out traces/samples [--note TEXT]...
"""
import argparse
import json
import os

ALIGN = 0x10000
PA_BASE = 0x100000000  # the scenarios' memory above 4 GiB, one region per stream
PA_STRIDE = 0x40000000


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--raw", required=True, help="the adapter's recording")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--name", default="qemu_linux")
    p.add_argument("--note", action="append", default=[], help="a header comment line")
    a = p.parse_args()

    comments, txns = [], []
    for line in open(a.raw):
        s = line.strip()
        if not s or s == "smmu-trace 1" or s.startswith("name "):
            continue
        if s.startswith("#"):
            if s.startswith("# sid "):  # the recorder's device lines; its other comments are
                comments.append(s)      # replaced by the notes
            continue
        txns.append(s)
    if not txns:
        raise SystemExit(f"{a.raw}: no transactions")

    chunks = {}  # sid -> set of 64 KiB IOVA chunks
    last_t = 0
    for s in txns:
        w = s.split()
        t, sid, addr, size = int(w[0]), int(w[1], 0), int(w[3], 0), int(w[4], 0)
        last_t = max(last_t, t)
        c = chunks.setdefault(sid, set())
        for k in range(addr // ALIGN, (addr + size - 1) // ALIGN + 1):
            c.add(k * ALIGN)
    domains, streams = [], []
    for i, sid in enumerate(sorted(chunks)):
        name = f"sid_{sid:#x}"
        base = PA_BASE + i * PA_STRIDE
        maps = [{"iova": hex(iova), "pa": hex(base + k * ALIGN), "size": hex(ALIGN),
                 "prot": "rw"} for k, iova in enumerate(sorted(chunks[sid]))]
        if len(maps) * ALIGN > PA_STRIDE:
            raise SystemExit(f"StreamID {sid:#x}: {len(maps)} chunks do not fit its region")
        domains.append({"name": name, "stage": 1, "id": i + 1, "map": maps})
        streams.append({"sid": sid, "attach": "s1", "domain": name})
    sid_bits = max(8, max(chunks).bit_length())  # PCI requester IDs: bus << 8 | devfn
    scen = {"name": a.name, "duration_ns": last_t + 1000000,
            "smmus": [{"name": "smmu0", "sid_bits": sid_bits, "domains": domains,
                       "streams": streams}]}

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, a.name + ".json"), "w") as f:
        json.dump(scen, f, indent=1)
        f.write("\n")
    with open(os.path.join(a.out, a.name + ".trace"), "w") as f:
        f.write("smmu-trace 1\n")
        f.write(f"name {a.name}\n")
        f.write(f"scenario {a.name}.json\n")
        for n in a.note:
            f.write(f"# {n}\n")
        for c in comments:
            f.write(c + "\n")
        f.write("# time_ns sid ssid address size dir flags result-fields\n")
        for s in txns:
            f.write(s + "\n")
    print(f"{a.name}: {len(txns)} transactions of {len(chunks)} StreamIDs, "
          f"{sum(len(c) for c in chunks.values())} 64 KiB chunks mapped -> "
          f"{os.path.join(a.out, a.name + '.trace')}")


if __name__ == "__main__":
    main()
