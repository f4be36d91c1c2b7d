#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Boot tests: Debian's Linux kernel probes libsmmu through its arm-smmu-v3 driver, as the SMMUv3
of QEMU's virt machine (-M virt,iommu=smmuv3-libsmmu), and virtio devices do DMA through it.

Run by scripts/qemu-linux.sh, which fetches and builds everything and passes the paths:

    qemu_linux.py --qemu Q --kernel VMLINUZ --modules LIB_MODULES_DIR --busybox-deb DEB
                  --work DIR [--jobs 2] [--timeout 240] [--perf-runs 0] [--only T,...]
                  [--record-sample DIR] [--list]

Each boot runs workloads in the guest (testbench/qemu/guest-init.sh), and every named test
checks results of one or more boots: one line "PASS name" or "FAIL name: why" (with the serial
log of the boot), then "N passed, N failed"; the exit status is 1 when anything failed. A boot
that does not finish within --timeout seconds is killed and fails every test that needs it.
Standard library only.
"""
import argparse
import concurrent.futures
import gzip
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

LIB = "smmuv3-libsmmu"  # -M virt,iommu=...
QEMU_OWN = "smmuv3"

MODULES = ["virtio_pci", "virtio_blk", "virtio_net", "virtio_rng", "pci_stub"]

MAIN_DISK_MIB = 32
PERF_DISK_MIB = 256  # sparse
PORT_DISK_MIB = 8
NET_BYTES = 1 << 20
FAULT_IOVA = 0x0AB00000  # below edu's 28-bit DMA mask, never mapped by Linux here

# PCI addresses the boots give the devices (bus 0 slot << 3 = StreamID)
SLOT_BLK, SLOT_PORT, SLOT_RNG, SLOT_EDU, SLOT_NET = 2, 3, 4, 5, 6
SID_EDU = SLOT_EDU << 3
SID_BLK = SLOT_BLK << 3

MODE_ARGS = {
    "strict": "iommu.passthrough=0 iommu.strict=1",
    "lazy": "iommu.passthrough=0 iommu.strict=0",
    "passthrough": "iommu.passthrough=1",
}
GROUP_TYPE = {"strict": "DMA", "lazy": "DMA-FQ", "passthrough": "identity"}


# ---------------------------------------------------------------------------------------------
# Initramfs

def ko_info(path):
    """(name, [depends]) from a module's .modinfo strings."""
    data = open(path, "rb").read()
    name = re.search(rb"(?:^|\0)name=([^\0]*)\0", data)
    dep = re.search(rb"(?:^|\0)depends=([^\0]*)\0", data)
    n = name.group(1).decode() if name else os.path.basename(path)[:-3].replace("-", "_")
    d = [x for x in dep.group(1).decode().split(",") if x] if dep else []
    return n, d


def module_order(moddir, wanted):
    """The .ko files of wanted and everything they depend on, dependencies first."""
    index = {}
    for root, _, files in os.walk(moddir):
        for f in files:
            if f.endswith(".ko"):
                index[f[:-3].replace("-", "_")] = os.path.join(root, f)
    order, seen = [], set()

    def visit(m):
        if m in seen:
            return
        seen.add(m)
        if m not in index:
            raise SystemExit(f"qemu_linux: module {m} not found under {moddir} (built in?)")
        _, deps = ko_info(index[m])
        for d in deps:
            visit(d)
        order.append((m, index[m]))

    for m in wanted:
        visit(m)
    return order


class Cpio:
    """newc writer: files owned by root, deterministic."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        hdr = "070701" + "".join("%08X" % v for v in (
            self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0))
        self.ino += 1
        self.out += hdr.encode() + name.encode() + b"\0"
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)

    def dir(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, data)

    def chardev(self, name, major, minor):
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0)
        return bytes(self.out)


def build_initramfs(busybox_deb, moddir, out):
    tmp = out + ".bb"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(["dpkg-deb", "-x", busybox_deb, tmp], check=True)
    c = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp", "mods"):
        c.dir(d)
    c.chardev("dev/console", 5, 1)
    c.file("bin/busybox", open(os.path.join(tmp, "bin", "busybox"), "rb").read(), 0o755)
    c.file("init", open(os.path.join(HERE, "guest-init.sh"), "rb").read(), 0o755)
    order = module_order(moddir, MODULES)
    for name, path in order:
        c.file(f"mods/{name}.ko", open(path, "rb").read())
    c.file("mods/order", ("\n".join(n for n, _ in order) + "\n").encode())
    with open(out, "wb") as f:
        f.write(gzip.compress(c.finish(), 6, mtime=0))
    shutil.rmtree(tmp, ignore_errors=True)
    return [n for n, _ in order]


# ---------------------------------------------------------------------------------------------
# Host side of the network test: download (host -> guest) and upload (guest -> host) servers

class NetServer:
    def __init__(self):
        self.payload = random.Random(7).randbytes(NET_BYTES)
        self.down = self._listen(self._serve_down)
        self.up = self._listen(self._serve_up)

    def _listen(self, fn):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        threading.Thread(target=self._accept, args=(s, fn), daemon=True).start()
        return s.getsockname()[1]

    def _accept(self, s, fn):
        while True:
            conn, _ = s.accept()
            threading.Thread(target=fn, args=(conn,), daemon=True).start()

    def _serve_down(self, conn):
        with conn:
            try:
                conn.sendall(self.payload)
            except OSError:
                pass

    def _serve_up(self, conn):
        h = hashlib.md5()
        with conn:
            try:
                conn.settimeout(120)
                while True:
                    b = conn.recv(65536)
                    if not b:
                        break
                    h.update(b)
                conn.sendall((h.hexdigest() + "\n").encode())
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# Boots

@dataclass
class Boot:
    name: str
    iommu: str
    mode: str
    run: str
    smp: int = 1
    iothread: bool = False
    check: bool = False  # libsmmu notifier-check (a caching consumer on every device)
    trace: bool = False  # record every translation
    perf: bool = False
    timeout: float = 0
    props: tuple = ()  # extra smmuv3-libsmmu properties ("name=value"), -global each
    migrate: bool = False  # migrated to a second QEMU at the guest's "paused" line
    # results
    ok: bool = False
    why: str = ""
    serial: str = ""
    results: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    seconds: float = 0.0
    stderr: str = ""
    dir: str = ""

    def get(self, key):
        """Values of the first result line with key, or None."""
        for k, v in self.results:
            if k == key:
                return v
        return None

    def all(self, key):
        return [v for k, v in self.results if k == key]


def boot_list(args):
    boots = [
        Boot("lib-strict", LIB, "strict", "probe,groups,blk,blk2,rng,net,fault", check=True),
        Boot("lib-lazy", LIB, "lazy", "probe,groups,blk,blk2,net,fault", check=True),
        Boot("lib-passthrough", LIB, "passthrough", "probe,groups,blk,blk2,rng,net,fault"),
        Boot("lib-smp2-strict", LIB, "strict", "probe,groups,smp", smp=2, iothread=True,
             check=True),
        Boot("lib-smp2-lazy", LIB, "lazy", "probe,groups,smp", smp=2, iothread=True, check=True),
        Boot("lib-trace", LIB, "strict", "probe,sample", trace=True),
        # the same workloads as lib-strict without hardware table updates (IDR0.HTTU = 0)
        Boot("lib-nohttu-strict", LIB, "strict", "probe,groups,blk,blk2,rng,net,fault",
             props=("httu=0",)),
        # migrated while the guest pauses (savevm to a file, a second QEMU -incoming from it);
        # the workloads after the pause run on the second QEMU, through the restored SMMU
        Boot("lib-migrate", LIB, "strict", "probe,blk,pause,blk,blk2,net", migrate=True),
        Boot("qemu-strict", QEMU_OWN, "strict", "probe,groups,blk,blk2,rng,net,fault"),
        Boot("qemu-lazy", QEMU_OWN, "lazy", "probe,groups,blk,blk2,net,fault"),
        Boot("qemu-passthrough", QEMU_OWN, "passthrough", "probe,groups,blk,blk2,rng,net,fault"),
        Boot("qemu-smp2-strict", QEMU_OWN, "strict", "probe,groups,smp", smp=2, iothread=True),
    ]
    for k in range(args.perf_boots if args.perf_runs else 0):  # alternating, one at a time
        boots += [Boot(f"lib-perf-{k}", LIB, "strict", "perf", perf=True),
                  Boot(f"qemu-perf-{k}", QEMU_OWN, "strict", "perf", perf=True)]
    return boots


class Runner:
    def __init__(self, args):
        self.a = args
        self.work = os.path.abspath(args.work)
        os.makedirs(self.work, exist_ok=True)
        self.initrd = os.path.join(self.work, "initrd.gz")
        self.mods = build_initramfs(args.busybox_deb, args.modules, self.initrd)
        r = random.Random(1)
        self.main_img = os.path.join(self.work, "main.img")
        with open(self.main_img, "wb") as f:
            f.write(r.randbytes(MAIN_DISK_MIB << 20))
        self.main_md5 = hashlib.md5(open(self.main_img, "rb").read()).hexdigest()
        self.net = NetServer()

    def qemu_cmd(self, b, d, fresh=True):
        port_img = os.path.join(d, "port.img")
        if fresh:  # a migration's destination keeps the source's disk
            with open(port_img, "wb") as f:
                f.truncate(PORT_DISK_MIB << 20)
        append = " ".join([
            "console=ttyAMA0", MODE_ARGS[b.mode], f"smmut.run={b.run}",
            f"smmut.port_down={self.net.down}", f"smmut.port_up={self.net.up}",
            f"smmut.iova={FAULT_IOVA:#x}", f"smmut.perf_runs={self.a.perf_runs}"])
        vio = "disable-legacy=on,iommu_platform=on"
        cmd = [self.a.qemu, "-M", f"virt,iommu={b.iommu},gic-version=3", "-cpu", "cortex-a57",
               "-smp", str(b.smp), "-m", "512M", "-nographic", "-nic", "none", "-no-reboot",
               "-kernel", self.a.kernel, "-initrd", self.initrd, "-append", append,
               # the main disk is shared by concurrent boots: read-only
               "-drive", f"if=none,id=hd0,file={self.main_img},format=raw,readonly=on"]
        if b.iothread:
            cmd += ["-object", "iothread,id=io0"]
        cmd += ["-device", f"virtio-blk-pci,drive=hd0,serial=smmut-main,addr={SLOT_BLK:#x},{vio}"
                + (",iothread=io0" if b.iothread else ""),
                "-device", f"pcie-root-port,id=rp1,chassis=1,addr={SLOT_PORT:#x}",
                "-drive", f"if=none,id=hd1,file={port_img},format=raw",
                "-device", f"virtio-blk-pci,drive=hd1,serial=smmut-port,bus=rp1,{vio}",
                "-device", f"virtio-rng-pci,addr={SLOT_RNG:#x},{vio}",
                "-device", f"edu,addr={SLOT_EDU:#x}",
                "-netdev", "user,id=n0",
                "-device", f"virtio-net-pci,netdev=n0,romfile=,addr={SLOT_NET:#x},{vio}"]
        if b.perf:
            perf_img = os.path.join(d, "perf.img")
            with open(perf_img, "wb") as f:
                f.truncate(PERF_DISK_MIB << 20)
            cmd += ["-drive", f"if=none,id=hd2,file={perf_img},format=raw,readonly=on",
                    "-device", f"virtio-blk-pci,drive=hd2,serial=smmut-perf,addr=0x7,{vio}"]
        if b.iommu == LIB:
            g = "smmuv3-libsmmu."
            cmd += ["-global", g + "stats=" + os.path.join(d, "stats.txt")]
            if b.check:
                cmd += ["-global", g + "notifier-check=on"]
            if b.trace:
                cmd += ["-global", g + "trace=" + os.path.join(d, "rec.trace")]
            for prop in b.props:
                cmd += ["-global", g + prop]
        return cmd

    @staticmethod
    def qmp_migrate(path, state, log, deadline):
        """Over QMP (JSON lines; asynchronous events skipped): capabilities, migrate to
        "exec:cat > state", query-migrate until completed, quit. Returns None or the reason."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.settimeout(max(1, deadline - time.monotonic()))
        f = s.makefile("rwb")

        def execute(name, **args):
            msg = {"execute": name}
            if args:
                msg["arguments"] = args
            log.write(">> " + json.dumps(msg) + "\n")
            f.write((json.dumps(msg) + "\n").encode())
            f.flush()
            while True:
                line = f.readline()
                if not line:
                    raise OSError("QMP connection closed")
                log.write("<< " + line.decode("utf-8", "replace"))
                r = json.loads(line)
                if "return" in r or "error" in r:
                    return r
        try:
            log.write("<< " + f.readline().decode("utf-8", "replace"))  # the greeting
            execute("qmp_capabilities")
            r = execute("migrate", uri=f"exec:cat > {state}")
            if "error" in r:
                return "migrate: " + r["error"].get("desc", "")
            status = ""
            while time.monotonic() < deadline:
                status = execute("query-migrate").get("return", {}).get("status", "")
                if status in ("completed", "failed", "cancelled"):
                    break
                time.sleep(0.2)
            if status != "completed":
                return f"migration status {status or 'unknown'}"
            execute("quit")
            return None
        finally:
            f.close()
            s.close()

    def migrate(self, b, d, cmd, deadline):
        """Source QEMU (with a QMP socket) until the guest prints "@@ paused", then `migrate` to
        a file and quit; the destination QEMU -incoming from that file runs to the end. Its
        serial log follows the source's in serial.log; the QMP exchange is in qmp.log. Returns
        the destination's exit status (None on timeout) and a reason when the migration itself
        failed."""
        qmp_path, state = os.path.join(d, "qmp.sock"), os.path.join(d, "vm.state")
        src = cmd + ["-qmp", f"unix:{qmp_path},server=on,wait=off"]
        with open(os.path.join(d, "serial-src.log"), "wb") as out, \
                open(os.path.join(d, "stderr-src.log"), "wb") as err, \
                open(os.path.join(d, "qmp.log"), "w") as log:
            p = subprocess.Popen(src, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True)
            why = None
            while b"@@ paused" not in open(os.path.join(d, "serial-src.log"), "rb").read():
                if p.poll() is not None or time.monotonic() > deadline:
                    why = "the source QEMU ended or timed out before the guest paused"
                    break
                time.sleep(0.2)
            if not why:
                try:
                    why = self.qmp_migrate(qmp_path, state, log, deadline)
                except (OSError, ValueError) as e:
                    why = f"QMP: {e}"
            try:  # after quit the source ends at once; after a failure it is stopped here
                p.wait(timeout=0 if why else max(1, min(30, deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        if why:
            return None, why
        dst = self.qemu_cmd(b, d, fresh=False) + ["-incoming", f"exec:cat {state}"]
        with open(os.path.join(d, "cmd.txt"), "a") as f:
            f.write(shlex.join(dst) + "\n")
        with open(os.path.join(d, "serial.log"), "wb") as out, \
                open(os.path.join(d, "stderr.log"), "wb") as err:
            out.write(open(os.path.join(d, "serial-src.log"), "rb").read())
            out.flush()
            p = subprocess.Popen(dst, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True)
            try:
                return p.wait(timeout=max(1, deadline - time.monotonic())), None
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                return None, None

    def run(self, b):
        d = os.path.join(self.work, b.name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        cmd = self.qemu_cmd(b, d)
        with open(os.path.join(d, "cmd.txt"), "w") as f:
            f.write(shlex.join(cmd) + "\n")
        timeout = b.timeout or self.a.timeout
        t0 = time.monotonic()
        mig_why = None
        if b.migrate:
            rc, mig_why = self.migrate(b, d, cmd, t0 + timeout)
        else:
            with open(os.path.join(d, "serial.log"), "wb") as out, \
                    open(os.path.join(d, "stderr.log"), "wb") as err:
                p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                     start_new_session=True)
                try:
                    rc = p.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    rc = None
        b.seconds = time.monotonic() - t0
        b.serial = open(os.path.join(d, "serial.log"), "rb").read().decode("utf-8", "replace")
        b.stderr = open(os.path.join(d, "stderr.log"), "rb").read().decode("utf-8", "replace")
        for line in b.serial.splitlines():
            m = re.match(r"^@@ (\S+)\s?(.*)$", line.strip())
            if m:
                b.results.append((m.group(1), m.group(2).split()))
        sp = os.path.join(d, "stats.txt")
        if os.path.exists(sp):
            for line in open(sp):
                w = line.split()
                if len(w) >= 2:
                    b.stats[w[0] if w[0] not in ("stream",) else "stream " + w[1]] = w[1:]
        done = b.get("done") is not None
        if mig_why:
            b.why = mig_why
        elif rc is None:
            b.why = f"timed out after {timeout:.0f} s"
        elif rc != 0:
            b.why = f"QEMU exited with status {rc}: {b.stderr.strip()[-500:]}"
        elif not done:
            b.why = "the guest did not finish its workloads"
        else:
            b.ok = True
        b.dir = d
        return b


# ---------------------------------------------------------------------------------------------
# What the tests read from a boot

def kernel_lines(b):
    """(time_s, text) of every kernel log line on the console."""
    out = []
    for line in b.serial.splitlines():
        m = re.match(r"^\[\s*(\d+\.\d+)\]\s?(.*)$", line.strip("\r"))
        if m:
            out.append((float(m.group(1)), m.group(2)))
    return out


def evt_fields():
    """Event record fields (name -> (lsb, width)), from <smmu/arch.h>: defined once."""
    f = {}
    for line in open(os.path.join(REPO, "c_core", "include", "smmu", "arch.h")):
        m = re.match(r"#define SMMU_F_EVT_(TYPE|SSV|SSID|SID|STAG|STALL|PNU|IND|RNW|S2|CLASS"
                     r"|INPUTADDR|IPA)\s+(\d+),\s*(\d+)", line)
        if m:
            f[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return f


def events(b):
    """Event records Linux printed ("event 0xNN received:" and four 64-bit words), decoded."""
    fields = evt_fields()
    lines = [t for _, t in kernel_lines(b)]
    out = []
    for i, t in enumerate(lines):
        m = re.search(r"arm-smmu-v3 \S+: event 0x([0-9a-f]+) received:", t)
        if not m:
            continue
        words = []
        for u in lines[i + 1:i + 5]:
            w = re.search(r"arm-smmu-v3 \S+:\s+0x([0-9a-f]{16})\s*$", u)
            if w:
                words.append(int(w.group(1), 16))
        if len(words) != 4:
            continue
        rec = sum(w << (64 * k) for k, w in enumerate(words))
        e = {name: (rec >> lsb) & ((1 << width) - 1) for name, (lsb, width) in fields.items()}
        e["id"] = int(m.group(1), 16)
        e["raw"] = words
        out.append(e)
    return out


def probe_line(b):
    for _, t in kernel_lines(b):
        m = re.search(r"arm-smmu-v3 \S+: ias (\d+)-bit, oas (\d+)-bit \(features 0x([0-9a-f]+)\)",
                      t)
        if m:
            return int(m.group(1)), int(m.group(2)), int(m.group(3), 16)
    return None


def bits(v, lsb, width):
    return (v >> lsb) & ((1 << width) - 1)


def linux_features(idr0, idr3, idr5):
    """What Linux 6.1's arm-smmu-v3 driver derives from the ID registers (its ARM_SMMU_FEAT_*
    bits), for a guest running at EL1 on a device-tree platform with dma-coherent."""
    f = 0
    st_level, ttendian, stall = bits(idr0, 27, 2), bits(idr0, 21, 2), bits(idr0, 24, 2)
    s1p, s2p = bits(idr0, 1, 1), bits(idr0, 0, 1)
    f |= (st_level == 1) << 0
    f |= bits(idr0, 19, 1) << 1                 # CD2L
    f |= (ttendian in (0, 2)) << 2              # TT_LE: mixed or little
    f |= (ttendian in (0, 3)) << 3              # TT_BE: mixed or big
    f |= bits(idr0, 16, 1) << 4                 # PRI
    f |= bits(idr0, 10, 1) << 5                 # ATS
    f |= bits(idr0, 14, 1) << 6                 # SEV
    f |= bits(idr0, 13, 1) << 7                 # MSI
    f |= 1 << 8                                 # COHERENCY: the device tree says dma-coherent
    f |= s1p << 9
    f |= s2p << 10
    f |= (stall in (0, 2)) << 11                # STALLS
    f |= bits(idr0, 9, 1) << 12                 # HYP
    f |= (stall == 2) << 13                     # STALL_FORCE
    f |= (bits(idr5, 10, 2) == 1) << 14         # VAX
    f |= bits(idr3, 10, 1) << 15                # RANGE_INV
    f |= bits(idr0, 5, 1) << 16                 # BTM
    f |= (s1p and s2p) << 19                    # NESTING
    return f


OAS_BITS = {0: 32, 1: 36, 2: 40, 3: 42, 4: 44, 5: 48, 6: 52}


def stat_int(b, key):
    v = b.stats.get(key)
    return int(v[0], 0) if v else None


def serial_tail(b, n=60):
    lines = b.serial.splitlines()
    return "\n".join(["    | " + l for l in lines[-n:]])


# ---------------------------------------------------------------------------------------------
# Tests: each returns None (pass) or the reason it failed

class Fail(Exception):
    pass


def need(b):
    if not b.ok:
        raise Fail(f"boot {b.name} failed: {b.why}")


def expect(cond, msg):
    if not cond:
        raise Fail(msg)


def fixture_features():
    """linux_features() of the ID registers QEMU's own SMMUv3 reported in the Linux capture
    (testbench/fixtures/linux-qemu/), and the features that kernel printed for them."""
    d = os.path.join(REPO, "testbench", "fixtures", "linux-qemu")
    idr = {}
    for line in open(os.path.join(d, "idregs.tsv")):
        w = line.split()
        if len(w) >= 4 and w[3] in ("IDR0", "IDR3", "IDR5"):
            idr[w[3]] = int(w[1], 16)
    printed = re.search(r"\(features 0x([0-9a-f]+)\)", open(os.path.join(d, "serial.log")).read())
    return linux_features(idr["IDR0"], idr["IDR3"], idr["IDR5"]), int(printed.group(1), 16)


def t_probe(B, R):
    # the derivation of Linux's feature bits, checked on independent data first
    mine, printed = fixture_features()
    expect(mine == printed, f"the ID registers of the Linux capture give features {mine:#x}, "
                            f"that kernel printed {printed:#x}: linux_features() is wrong")
    for name in ("lib-strict", "lib-lazy", "lib-passthrough", "lib-smp2-strict", "lib-smp2-lazy"):
        b = B[name]
        need(b)
        p = probe_line(b)
        expect(p, f"{name}: no arm-smmu-v3 probe line in the kernel log")
        ias, oas, feat = p
        idr0, idr3, idr5 = (stat_int(b, k) for k in ("idr0", "idr3", "idr5"))
        expect(idr0 is not None, f"{name}: no ID registers in the adapter's statistics")
        want = linux_features(idr0, idr3, idr5)
        expect(feat == want, f"{name}: features {feat:#x}, the ID registers (IDR0 {idr0:#x}, "
                             f"IDR3 {idr3:#x}, IDR5 {idr5:#x}) give {want:#x}")
        expect(oas == OAS_BITS[bits(idr5, 0, 3)], f"{name}: oas {oas}-bit, IDR5.OAS says "
                                                  f"{OAS_BITS[bits(idr5, 0, 3)]}")
        klog = [t for _, t in kernel_lines(b)]
        bad = [t for t in klog if re.search(r"arm-smmu-v3.*(GERROR|global error|CMDQ error"
                                            r"|failed|timeout|Illegal)", t, re.I)]
        if bad:
            raise Fail(f"{name}: {bad[0]}")
        expect(stat_int(b, "gerror") == stat_int(b, "gerrorn"),
               f"{name}: GERROR {stat_int(b, 'gerror'):#x} != GERRORN")
        unexpected = [e for e in events(b) if (e["SID"], e["INPUTADDR"]) != (SID_EDU, FAULT_IOVA)]
        if unexpected:
            raise Fail(f"{name}: unexpected event {unexpected[0]}")
    return (f"features {feat:#x} as IDR0 {idr0:#x} / IDR3 {idr3:#x} / IDR5 {idr5:#x} give (and "
            f"{printed:#x} for the Linux capture's QEMU registers), OAS {oas}, no GERROR, no "
            f"unexpected event on 5 boots")


def check_groups(b, mode):
    need(b)
    groups = b.all("group")
    expect(groups, f"{b.name}: no IOMMU groups")
    want = GROUP_TYPE[mode]
    for g in groups:
        expect(g[1] == want, f"{b.name}: group {g[0]} ({g[2]}) is {g[1]}, expected {want}")
    devs = b.all("pcidev")  # address vendor device [driver] [group]
    bound = [d for d in devs if len(d) >= 4]
    nogroup = [d[0] for d in bound if len(d) < 5]
    expect(not nogroup, f"{b.name}: PCI devices with a driver but no IOMMU group: {nogroup}")
    virtio = [d for d in devs if d[1] == "0x1af4"]
    expect(len(virtio) == 4, f"{b.name}: {len(virtio)} virtio PCI devices, expected 4")
    return f"{b.name}: {len(groups)} groups of {len(bound)} devices with drivers, all {want}"


def t_groups(mode, names):
    def t(B, R):
        return "; ".join(check_groups(B[n], mode) for n in names)
    return t


def t_blk(kind, names):
    def t(B, R):
        for n in names:
            b = B[n]
            need(b)
            v = b.get("blk_" + kind)
            expect(v, f"{n}: no blk_{kind} result")
            expect(v[0] == R.main_md5, f"{n}: {kind} read gives md5 {v[0]}, the image has "
                                       f"{R.main_md5}")
        return f"{MAIN_DISK_MIB} MiB, md5 {R.main_md5} on {len(names)} boots"
    return t


def t_blk2(names):
    def t(B, R):
        for n in names:
            b = B[n]
            need(b)
            w, rd, dev = b.get("blk2_written"), b.get("blk2_read"), b.get("blk2_dev")
            expect(w and rd and dev, f"{n}: no root-port disk results")
            expect(w[0] == rd[0], f"{n}: wrote md5 {w[0]}, read back {rd[0]}")
            img = open(os.path.join(b.dir, "port.img"), "rb").read()
            host = hashlib.md5(img[16 * 65536:80 * 65536]).hexdigest()
            expect(host == w[0], f"{n}: the host's image has md5 {host} where the guest wrote "
                                 f"{w[0]}")
        return f"4 MiB written and read back behind the root port, host image agrees ({len(names)} boots)"
    return t


def t_rng(names):
    def t(B, R):
        for n in names:
            b = B[n]
            need(b)
            cur, nbytes, distinct = b.get("rng_current"), b.get("rng_bytes"), b.get("rng_distinct")
            expect(cur and cur[0].startswith("virtio_rng"), f"{n}: current rng is {cur}")
            expect(nbytes and int(nbytes[0]) == 4096, f"{n}: read {nbytes} bytes of 4096")
            expect(distinct and int(distinct[0]) > 200, f"{n}: {distinct} distinct byte values")
        return f"4096 bytes from virtio-rng on {len(names)} boots"
    return t


def check_net(b, R, prefix=""):
    need(b)
    ping = b.get("ping")
    expect(ping and ping[0] == "3", f"{b.name}: ping of the slirp gateway: {ping} of 3 replies")
    down = b.get("net_down")
    want = hashlib.md5(R.net.payload).hexdigest()
    expect(down and int(down[0]) == NET_BYTES and down[1] == want,
           f"{b.name}: download gave {down}, expected {NET_BYTES} bytes md5 {want}")
    sent, recv = b.get("net_up_sent"), b.get("net_up_recv")
    expect(sent and recv and sent[0] == recv[0],
           f"{b.name}: upload: guest sent md5 {sent}, host received {recv}")


def t_net(names):
    def t(B, R):
        for n in names:
            check_net(B[n], R)
        return f"ping 3/3, 1 MiB each way byte-exact on {len(names)} boots"
    return t


def fault_events(b):
    return [e for e in events(b) if e["SID"] == SID_EDU]


def t_fault(names):
    def t(B, R):
        for n in names:
            b = B[n]
            need(b)
            expect(b.get("fault_done"), f"{n}: the edu DMA was not started")
            evs = fault_events(b)
            expect(len(evs) == 1, f"{n}: {len(evs)} events for StreamID {SID_EDU:#x}, expected 1")
            e = evs[0]
            expect(e["id"] == 0x10 and e["TYPE"] == 0x10, f"{n}: event {e['id']:#x}, expected "
                                                          "0x10 F_TRANSLATION")
            expect(e["INPUTADDR"] == FAULT_IOVA, f"{n}: InputAddr {e['INPUTADDR']:#x}")
            expect(e["RNW"] == 1, f"{n}: RnW {e['RNW']} for a DMA read")
            expect(e["S2"] == 0 and e["CLASS"] == 2, f"{n}: S2 {e['S2']} CLASS {e['CLASS']}; "
                   "a stage-1 fault has S2 == 0 and CLASS == IN (spec 7.3.13)")
            w, f, lost = (stat_int(b, k) for k in ("events_written", "faults", "events_lost"))
            expect(w == f == 1 and lost == 0, f"{n}: events written {w}, faults {f}, lost {lost}")
        return f"F_TRANSLATION, StreamID {SID_EDU:#x}, InputAddr {FAULT_IOVA:#x}, written == faults == 1, lost 0 ({len(names)} boots)"
    return t


def t_fault_passthrough(B, R):
    b = B["lib-passthrough"]
    need(b)
    expect(b.get("fault_done"), "the edu DMA was not started")
    evs = events(b)
    expect(not evs, f"{len(evs)} events with passthrough: {evs[:1]}")
    w, f = stat_int(b, "events_written"), stat_int(b, "faults")
    expect(w == 0 and f == 0, f"events written {w}, faults {f}")
    return "no event, no fault (identity domain: the DMA bypasses translation)"


def t_smp(names):
    def t(B, R):
        for n in names:
            b = B[n]
            need(b)
            expect(b.get("cpus") == ["2"], f"{n}: {b.get('cpus')} CPUs")
            for key in ("smp_direct", "smp_buffered"):
                vals = b.all(key)
                expect(len(vals) == 3, f"{n}: {len(vals)} {key} results")
                for k, md5 in vals:
                    expect(md5 == R.main_md5, f"{n}: {key} round {k}: md5 {md5}")
            check_net(b, R)
            if n.startswith("lib"):
                check_notifier(b)
        return f"2 vCPUs + iothread: 3 rounds of 2 concurrent readers and a network transfer, byte-exact ({len(names)} boots)"
    return t


def check_notifier(b):
    stale, compared = stat_int(b, "check.stale"), stat_int(b, "check.compared")
    events_, scopes = stat_int(b, "notifier.unmap_events"), stat_int(b, "notifier.scopes")
    expect(stale == 0, f"{b.name}: {stale} stale translations seen by the caching notifier")
    expect(compared and compared > 0, f"{b.name}: the notifier check compared nothing")
    expect(events_ and events_ > 0, f"{b.name}: no UNMAP notifications")
    unmapped, handed = stat_int(b, "notifier.unmap_bytes"), stat_int(b, "notifier.record_bytes")
    expect(unmapped <= handed, f"{b.name}: UNMAP events cover {unmapped} bytes, more than the "
                               f"{handed} bytes of translations handed out")
    return compared, events_, scopes, unmapped, handed


def t_notifier(names):
    def t(B, R):
        out = []
        for n in names:
            need(B[n])
            compared, ev, scopes, unmapped, handed = check_notifier(B[n])
            out.append(f"{n}: {scopes} invalidations -> {ev} UNMAP events of {unmapped >> 10} "
                       f"KiB (translations handed out: {handed >> 10} KiB), 0 stale of "
                       f"{compared} cached translations re-checked")
        return "; ".join(out)
    return t


def t_httu(B, R):
    """The httu property sets IDR0.HTTU (IHI 0070 6.3.1, bits [7:6]: 2 = Access flag and dirty
    state), the adapter's atomic compare-and-swap (mem_cas64) is what makes the core report it,
    and the guest sees the same results with and without it. Linux 6.1's arm-smmu-v3 neither
    reads IDR0.HTTU nor sets CD.HA/HD, so the count of descriptor updates is reported, not
    required; none may be refused (page tables in RAM) or abort (F_WALK_EABT, 7.3.12)."""
    on, off = B["lib-strict"], B["lib-nohttu-strict"]
    need(on)
    need(off)
    for b, want in ((on, 2), (off, 0)):
        idr0 = stat_int(b, "idr0")
        expect(idr0 is not None, f"{b.name}: no IDR0 in the adapter's statistics")
        expect(bits(idr0, 6, 2) == want, f"{b.name}: IDR0.HTTU {bits(idr0, 6, 2)}, expected "
                                         f"{want}")
        expect(stat_int(b, "cas_refused") == 0, f"{b.name}: {stat_int(b, 'cas_refused')} "
                                                "descriptor updates refused")
        expect(not stat_int(b, "event.F_WALK_EABT"), f"{b.name}: F_WALK_EABT events")
        expect(stat_int(b, "gerror") == stat_int(b, "gerrorn"), f"{b.name}: GERROR")
    expect(stat_int(off, "cas") == 0, f"{off.name}: {stat_int(off, 'cas')} descriptor updates "
                                      "with IDR0.HTTU = 0")
    for k in ("group", "blk_buffered", "blk_direct", "rng_current", "ping", "edu_driver"):
        va = [v if k != "group" else v[1:2] for v in on.all(k)]
        vo = [v if k != "group" else v[1:2] for v in off.all(k)]
        expect(va == vo, f"{k}: {va} with HTTU, {vo} without")
    t_blk2([off.name])(B, R)
    check_net(off, R)
    expect(len(fault_events(on)) == len(fault_events(off)), "edu fault events differ")
    return (f"IDR0.HTTU 2 / 0; workloads agree; {stat_int(on, 'cas')} descriptor updates "
            f"({stat_int(on, 'cas_stored')} stored) with HTTU on")


def t_trace(B, R):
    b = B["lib-trace"]
    need(b)
    path = os.path.join(b.dir, "rec.trace")
    expect(os.path.exists(path), "no trace written")
    lines = [l for l in open(path) if l.strip() and not l.startswith("#")]
    expect(lines[0].strip() == "smmu-trace 1", f"first line {lines[0]!r}")
    txns = [l.split() for l in lines[1:] if not l.startswith("name ")]
    n = stat_int(b, "translations")
    expect(len(txns) == n, f"{len(txns)} transactions recorded, the core made {n}")
    sids = sorted({int(t[1], 0) for t in txns})
    expect(SID_BLK in sids, f"StreamIDs {sids}: no virtio-blk ({SID_BLK:#x})")
    expect(all("status=ok" in " ".join(t) for t in txns), "a transaction that did not translate")
    tool = R.a.smmu_trace
    if tool:
        p = subprocess.run([tool, "check", path], capture_output=True, text=True)
        expect(p.returncode == 0, f"smmu_trace check: {p.stdout}{p.stderr}")
    return f"{len(txns)} translations of StreamIDs {', '.join(hex(s) for s in sids)}, " \
           f"{os.path.getsize(path) >> 10} KiB, smmu_trace check passes"


# Fields in which QEMU 7.2's SMMUv3 is known to differ from libsmmu (docs/qemu.md), with the
# spec text that decides: anything else that differs fails the comparison.
KNOWN_EVENT_DIFFERENCES = {
    "CLASS": "IHI 0070 7.3.13 F_TRANSLATION: a stage-1 fault has S2 == 0 and CLASS == IN "
             "(0b10); QEMU 7.2 writes CLASS 0",
}


def compare(pairs):
    def t(B, R):
        notes = []
        for lib, own in pairs:
            a, q = B[lib], B[own]
            need(a)
            need(q)
            # the same results of every workload
            keys = ["group", "blk_buffered", "blk_direct", "rng_current", "rng_bytes", "ping",
                    "edu_driver", "cpus", "smp_direct", "smp_buffered"]
            for k in keys:
                va = [v if k != "group" else v[1:2] for v in a.all(k)]
                vq = [v if k != "group" else v[1:2] for v in q.all(k)]
                expect(va == vq, f"{lib} vs {own}: {k}: {va} vs {vq}")
            for k in ("net_down", "blk2_read"):
                expect(bool(a.get(k)) == bool(q.get(k)), f"{lib} vs {own}: {k}")
            if q.get("net_down"):
                check_net(q, R)
            if q.get("blk2_read"):
                t_blk2([own])(B, R)
            # the same fault, field by field, apart from the listed differences
            ea, eq = fault_events(a), fault_events(q)
            expect(len(ea) == len(eq), f"{lib} vs {own}: {len(ea)} vs {len(eq)} edu events")
            for x, y in zip(ea, eq):
                diff = sorted(k for k in x if k not in ("raw",) and x[k] != y[k])
                unknown = [k for k in diff if k not in KNOWN_EVENT_DIFFERENCES]
                expect(not unknown, f"{lib} vs {own}: event fields differ: "
                       + ", ".join(f"{k} {x[k]:#x} vs {y[k]:#x}" for k in unknown))
                for k in diff:
                    notes.append(f"{k} {x[k]} vs {y[k]} (listed)")
            expect(len(events(q)) == len(eq), f"{own}: unexpected events {events(q)}")
        return f"{len(pairs)} boot pairs agree" + (f"; known differences: {', '.join(sorted(set(notes)))}"
                                                    if notes else "")
    return t


LIB_MODES = ["lib-strict", "lib-lazy", "lib-passthrough"]
LIB_ALL = LIB_MODES + ["lib-smp2-strict", "lib-smp2-lazy"]

def t_migrate(B, R):
    b = B["lib-migrate"]
    need(b)
    expect(b.get("paused") is not None and b.get("resumed") is not None,
           f"{b.name}: the guest did not pause and resume")
    # the source stopped within the pause: everything from "resumed" on ran on the destination
    src = open(os.path.join(R.work, b.name, "serial-src.log"), "rb").read()
    expect(b"@@ resumed" not in src, f"{b.name}: the guest resumed on the source QEMU")
    reads = b.all("blk_buffered") + b.all("blk_direct")
    expect(len(reads) == 4 and all(v[0] == R.main_md5 for v in reads),
           f"{b.name}: disk reads before and after the migration {reads}, the image has md5 "
           f"{R.main_md5}")
    w, rd = b.get("blk2_written"), b.get("blk2_read")
    expect(w and rd and w[0] == rd[0], f"{b.name}: after the migration, root-port disk wrote "
                                       f"{w}, read back {rd}")
    check_net(b, R)
    expect((stat_int(b, "translations") or 0) > 0,
           f"{b.name}: the destination's SMMU translated nothing")
    return (f"{b.name}: migrated at the guest's pause; after it, disk reads md5 {R.main_md5}, "
            f"root-port write/read back, network byte-exact through the restored SMMU")


# (name, boots it reads, check)
TESTS = [
    ("probe", LIB_ALL, t_probe),
    ("groups-strict-dma", ["lib-strict", "lib-smp2-strict"],
     t_groups("strict", ["lib-strict", "lib-smp2-strict"])),
    ("groups-lazy-dma-fq", ["lib-lazy", "lib-smp2-lazy"],
     t_groups("lazy", ["lib-lazy", "lib-smp2-lazy"])),
    ("groups-passthrough-identity", ["lib-passthrough"],
     t_groups("passthrough", ["lib-passthrough"])),
    ("blk-buffered-read-matches-host", LIB_MODES, t_blk("buffered", LIB_MODES)),
    ("blk-direct-read-matches-host", LIB_MODES, t_blk("direct", LIB_MODES)),
    ("blk-root-port-write-read-back", LIB_MODES, t_blk2(LIB_MODES)),
    ("rng-reads", ["lib-strict", "lib-passthrough"], t_rng(["lib-strict", "lib-passthrough"])),
    ("net-ping-and-transfer", LIB_MODES, t_net(LIB_MODES)),
    ("fault-translation-event", ["lib-strict", "lib-lazy"],
     t_fault(["lib-strict", "lib-lazy"])),
    ("fault-none-with-passthrough", ["lib-passthrough"], t_fault_passthrough),
    ("notifier-unmaps-exact-scope", ["lib-strict", "lib-lazy", "lib-smp2-strict",
                                     "lib-smp2-lazy"],
     t_notifier(["lib-strict", "lib-lazy", "lib-smp2-strict", "lib-smp2-lazy"])),
    ("smp2-iothread-strict", ["lib-smp2-strict"], t_smp(["lib-smp2-strict"])),
    ("smp2-iothread-lazy", ["lib-smp2-lazy"], t_smp(["lib-smp2-lazy"])),
    ("trace-records-every-translation", ["lib-trace"], t_trace),
    ("httu-idr0-and-workloads", ["lib-strict", "lib-nohttu-strict"], t_httu),
    ("migrate-savevm-incoming-keeps-dma", ["lib-migrate"], t_migrate),
    ("qemu-smmuv3-agrees-strict", ["lib-strict", "qemu-strict"],
     compare([("lib-strict", "qemu-strict")])),
    ("qemu-smmuv3-agrees-lazy", ["lib-lazy", "qemu-lazy"], compare([("lib-lazy", "qemu-lazy")])),
    ("qemu-smmuv3-agrees-passthrough", ["lib-passthrough", "qemu-passthrough"],
     compare([("lib-passthrough", "qemu-passthrough")])),
    ("qemu-smmuv3-agrees-smp2", ["lib-smp2-strict", "qemu-smp2-strict"],
     compare([("lib-smp2-strict", "qemu-smp2-strict")])),
]


def perf(B):
    """O_DIRECT read throughput of every perf run (MB/s), per SMMU and kind ("1m", "4k");
    (None, boot) when a boot failed."""
    out = {(i, k): [] for i in (LIB, QEMU_OWN) for k in ("1m", "4k")}
    for b in B.values():
        if not b.perf:
            continue
        if not b.ok:
            return None, b
        marks = {}
        for ts, t in kernel_lines(b):
            m = re.search(r"smmut-mark perf-(start|end) (\w+) (\d+)", t)
            if m:
                marks[(m.group(1), m.group(2), int(m.group(3)))] = ts
        nbytes = {v[0]: int(v[1]) for v in b.all("perf_bytes")}
        for (what, kind, i), ts in marks.items():
            if what == "start" and ("end", kind, i) in marks:
                out[(b.iommu, kind)].append(nbytes[kind] / (marks[("end", kind, i)] - ts) / 1e6)
    return out, None


def median(v):
    v = sorted(v)
    n = len(v)
    return (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2) if v else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu")
    ap.add_argument("--kernel")
    ap.add_argument("--modules", help="the kernel's lib/modules/<version> dir")
    ap.add_argument("--busybox-deb")
    ap.add_argument("--work")
    ap.add_argument("--smmu-trace", default="", help="the smmu_trace tool, to check the trace")
    ap.add_argument("--jobs", type=int, default=2, help="boots at once (perf boots run alone)")
    ap.add_argument("--timeout", type=float, default=240, help="seconds per boot")
    ap.add_argument("--perf-runs", type=int, default=0,
                    help="also measure O_DIRECT read throughput: runs per boot (0: no)")
    ap.add_argument("--perf-boots", type=int, default=3,
                    help="boots per SMMU for the throughput measurement")
    ap.add_argument("--only", default="", help="comma-separated test names")
    ap.add_argument("--record-sample", default="",
                    help="write the lib-trace recording as a sample trace into this directory")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    a = ap.parse_args()

    if a.list:
        for name, *_ in TESTS:
            print(name)
        return 0
    for opt in ("qemu", "kernel", "modules", "busybox_deb", "work"):
        if not getattr(a, opt):
            ap.error(f"--{opt.replace('_', '-')} is required")
    tests = [t for t in TESTS if not a.only or t[0] in a.only.split(",")]
    if a.only and len(tests) != len(a.only.split(",")):
        known = {t[0] for t in TESTS}
        sys.exit(f"unknown tests: {sorted(set(a.only.split(',')) - known)}")

    boots = {b.name: b for b in boot_list(a)}
    needed = set()
    for t in tests:
        needed.update(t[1])
    if a.record_sample:
        needed.add("lib-trace")
    t0 = time.monotonic()
    R = Runner(a)
    print(f"initramfs: busybox and {len(R.mods)} modules ({', '.join(R.mods)})", flush=True)
    plain = [b for n, b in boots.items() if n in needed and not b.perf]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for b in ex.map(R.run, plain):
            print(f"boot {b.name}: {'ok' if b.ok else 'FAILED: ' + b.why} ({b.seconds:.1f} s)",
                  flush=True)
    for b in boots.values():
        if b.perf:
            R.run(b)
            print(f"boot {b.name}: {'ok' if b.ok else 'FAILED: ' + b.why} ({b.seconds:.1f} s)",
                  flush=True)

    passed = failed = 0
    for name, used, fn in tests:
        try:
            detail = fn(boots, R)
            print(f"PASS {name}" + (f": {detail}" if detail else ""))
            passed += 1
        except Fail as e:
            failed += 1
            print(f"FAIL {name}: {e}")
            for bn in used:
                b = boots[bn]
                if not b.ok or bn in str(e):
                    print(f"  serial log of {bn} (last 60 lines; all in {b.dir}/serial.log):")
                    print(serial_tail(b))
                    if b.stderr.strip():
                        print(f"  stderr of {bn}: {b.stderr.strip()[-2000:]}")
    if a.perf_runs:
        p, bad = perf(boots)
        if p and all(p.values()):
            fmt = lambda v: ", ".join(f"{x:.3g}" for x in v)
            print(f"PERF O_DIRECT reads, {a.perf_boots} boots x {a.perf_runs} runs per SMMU, "
                  "alternating, one boot at a time:")
            for kind, what in (("1m", f"{PERF_DISK_MIB} MiB in 1 MiB requests"),
                               ("4k", "16 MiB in 4 KiB requests")):
                ml, mq = median(p[(LIB, kind)]), median(p[(QEMU_OWN, kind)])
                print(f"PERF {what}: libsmmu median {ml:.1f} MB/s ({fmt(p[(LIB, kind)])}); "
                      f"QEMU's smmuv3 median {mq:.1f} MB/s ({fmt(p[(QEMU_OWN, kind)])}); "
                      f"time ratio libsmmu/QEMU {mq / ml:.3f}")
        else:
            print(f"PERF: boot {bad.name if bad else '?'} failed: {bad.why if bad else ''}")
            failed += 1
    if a.record_sample:
        b = boots["lib-trace"]
        if b.ok:
            qv = subprocess.run([a.qemu, "--version"], capture_output=True, text=True)
            notes = [
                "Recorded, not generated: Linux %s (Debian arm64) on %s, -M virt,iommu=%s"
                % ((b.get("kernel") or ["?"])[0], qv.stdout.splitlines()[0], LIB),
                "(scripts/qemu-linux.sh --record-sample, testbench/qemu/). Workload: O_DIRECT "
                "reads of a virtio-blk disk in 64 KiB",
                "requests (8 MiB), then virtio-net: ping of the slirp gateway, 1 MiB host -> "
                "guest, 1 MiB guest -> host. Linux 6.1 arm-smmu-v3, strict invalidation.",
                "One line per translation QEMU asked for; size: to the end of the 4 KiB page "
                "(QEMU's translate callback has no access length); time: QEMU's virtual clock.",
                "Result fields as recorded: pa= is where Linux had mapped the IOVA at that moment; "
                "the scenario (qemu_linux.json)",
                "maps every IOVA the trace touches to a frame of its own instead (traces/gen/"
                "qemu_linux.py), so replay keeps the address stream, not the PAs.",
            ]
            cmd = [sys.executable, os.path.join(REPO, "traces", "gen", "qemu_linux.py"),
                   "--raw", os.path.join(b.dir, "rec.trace"), "--out", a.record_sample]
            for n in notes:
                cmd += ["--note", n]
            subprocess.run(cmd, check=True)
    print(f"boots and tests took {time.monotonic() - t0:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
