#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Tests of smmu_vp --set (as a user runs it) and of tools/sweep/smmu_sweep: a small sweep on the
local backend gives its CSV rows, PNG plots and report; GNU parallel (--sshlogin :) and the Slurm
array script (run task by task here, then merged) give the same rows.

Run by ctest (testbench/sweep/CMakeLists.txt) with SMMU_VP set to the smmu_vp executable:
  /usr/bin/python3 test_sweep.py SweepLocal.test_csv_has_one_row_per_run
"""

import csv
import json
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
TOOL = os.path.join(REPO, "tools", "sweep", "smmu_sweep")
PY = "/usr/bin/python3"
TINY = os.path.join(HERE, "tiny.json")
# Columns that depend on the host (wall-clock time), not on the simulation
HOST_COLUMNS = {"wall_seconds", "wall_txn_per_s"}


def smmu_vp():
    vp = os.environ.get("SMMU_VP")
    if not vp:
        raise unittest.SkipTest("SMMU_VP is not set")
    return vp


def vp_json(tmp, name, *args):
    out = os.path.join(tmp, name)
    p = subprocess.run([smmu_vp(), "-q", "--json", out] + list(args), capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    with open(out) as f:
        return json.load(f)


def sweep_file(tmp, **kw):
    """Two inputs (the tiny scenario with two traffic seeds) x tlb_entries x max_walks."""
    d = {"name": "tiny-sweep",
         "inputs": [{"name": "tiny-a", "scenario": TINY},
                    {"name": "tiny-b", "scenario": TINY,
                     "set": {"/smmus/0/masters/0/flows/0/seed": 11}}],
         "parameters": {"tlb_entries": [4, 16, 64], "max_walks": [1, 4]}}
    d.update(kw)
    path = os.path.join(tmp, "sweep.json")
    with open(path, "w") as f:
        json.dump(d, f)
    return path


def run_tool(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([PY, TOOL] + list(args), capture_output=True, text=True, env=e)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sim_rows(rows):
    return [{k: v for k, v in r.items() if k not in HOST_COLUMNS} for r in rows]


class Tmp(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smmu_sweep_test_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def local(self, out="local", *extra, plots=False):
        o = os.path.join(self.tmp, out)
        p = run_tool("run", sweep_file(self.tmp), "-o", o, "-j", "2", "--smmu-vp", smmu_vp(),
                     *(list(extra) + ([] if plots else ["--no-plots"])))
        self.assertEqual(p.returncode, 0, p.stderr)
        return o, p


def load_tool():
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("smmu_sweep", TOOL)
    spec = importlib.util.spec_from_loader("smmu_sweep", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class SweepPointers(unittest.TestCase):
    DOC = {"smmus": [{"masters": [{"trace": "a.trace"}, {"flows": [{"seed": 1}, {}]}],
                      "domains": [{"name": "a"}, {"name": "b"}]},
                     {"domains": []}]}

    def test_star_expands_over_existing_elements(self):
        t = load_tool()
        self.assertEqual(t.expand_pointer(self.DOC, "/smmus/*/domains/*/granule"),
                         ["/smmus/0/domains/0/granule", "/smmus/0/domains/1/granule"])
        # tokens between stars must exist: the first master has no flows
        self.assertEqual(t.expand_pointer(self.DOC, "/smmus/*/masters/*/flows/*/seed"),
                         ["/smmus/0/masters/1/flows/0/seed", "/smmus/0/masters/1/flows/1/seed"])
        # after the last star, missing objects are left to smmu_vp --set to create
        self.assertEqual(t.expand_pointer(self.DOC, "/smmus/*/params/cache/tlb/ways"),
                         ["/smmus/0/params/cache/tlb/ways", "/smmus/1/params/cache/tlb/ways"])
        # a filter on the elements the last star matched
        self.assertEqual(t.expand_pointer(self.DOC, "/smmus/*/masters/*/timing", "trace"),
                         ["/smmus/0/masters/0/timing"])
        self.assertEqual(t.expand_pointer(self.DOC, "/memory/read_latency_ns"),
                         ["/memory/read_latency_ns"])


class SmmuVpSet(Tmp):
    def test_good_override_changes_the_result(self):
        base = vp_json(self.tmp, "a.json", TINY)
        small = vp_json(self.tmp, "b.json", TINY, "--set", "/smmus/0/params/tlb_entries=4")
        a, b = base["smmus"][0]["caches"]["tlb"], small["smmus"][0]["caches"]["tlb"]
        self.assertEqual(a["lookups"], b["lookups"])  # same traffic ...
        self.assertLess(b["hits"], a["hits"])  # ... a 4-entry TLB over 32 pages hits less

    def test_override_of_walk_slots_changes_timing_not_outcomes(self):
        one = vp_json(self.tmp, "a.json", TINY, "--set", "/smmus/0/timing/max_walks=1",
                      "--set", "/smmus/0/params/tlb_entries=4")
        four = vp_json(self.tmp, "b.json", TINY, "--set", "/smmus/0/timing/max_walks=4",
                       "--set", "/smmus/0/params/tlb_entries=4")
        self.assertEqual(one["smmus"][0]["ok"], four["smmus"][0]["ok"])
        self.assertGreater(one["smmus"][0]["tlm"]["walk_wait_ns"],
                           four["smmus"][0]["tlm"]["walk_wait_ns"])

    def test_bad_path_gives_a_clear_error(self):
        p = subprocess.run([smmu_vp(), TINY, "--set", "/smmus/2/params/tlb_entries=8"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--set /smmus/2/params/tlb_entries=8: /smmus/2: index 2 out of range "
                      "(the array has 1 element)", p.stderr)

    def test_unknown_key_names_the_scenario_place(self):
        p = subprocess.run([smmu_vp(), TINY, "--set", "/smmus/0/timing/max_walkz=8"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("smmus[0].timing.max_walkz: unknown key", p.stderr)


class SweepLocal(Tmp):
    def test_csv_has_one_row_per_run(self):
        o, _ = self.local()
        rows = read_csv(os.path.join(o, "results.csv"))
        self.assertEqual(len(rows), 2 * 3 * 2)
        self.assertEqual([r["status"] for r in rows], ["ok"] * 12)
        combos = {(r["input"], r["tlb_entries"], r["max_walks"]) for r in rows}
        self.assertEqual(len(combos), 12)
        for r in rows:  # each run in its own directory with its own smmu_vp result
            self.assertTrue(os.path.isfile(os.path.join(o, "runs", r["run"], "result.json")))
            self.assertEqual(r["transactions"], "128")

    def test_hit_rate_grows_with_the_tlb(self):
        o, _ = self.local()
        rows = read_csv(os.path.join(o, "results.csv"))
        for inp in ("tiny-a", "tiny-b"):
            rate = {r["tlb_entries"]: float(r["tlb_hit_rate"]) for r in rows
                    if r["input"] == inp and r["max_walks"] == "1"}
            self.assertLess(rate["4"], rate["64"])

    def test_plots_and_report(self):
        o, p = self.local(plots=True)
        for png in ("tlb_hit_rate_vs_tlb_entries.png", "throughput_vs_max_walks.png",
                    "latency_cdf.png", "by_tlb_entries.png", "by_max_walks.png"):
            path = os.path.join(o, "plots", png)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", png)
        with open(os.path.join(o, "report.md")) as f:
            rep = f.read()
        self.assertIn("](plots/tlb_hit_rate_vs_tlb_entries.png)", rep)
        self.assertIn("](plots/latency_cdf.png)", rep)
        self.assertIn("12 runs: 12 ok", rep)
        self.assertIn("**tiny-a**: TLB hit rate", rep)
        self.assertIn("12/12 runs (100%)", p.stderr)  # the progress bar
        self.assertRegex(p.stderr, r"12 runs in [0-9.]+ s \([0-9.]+ runs/min\)")  # the rate

    def test_invalid_combination_is_a_row_with_its_error(self):
        path = sweep_file(self.tmp, parameters={"tlb_entries": [6, 8], "tlb_ways": [4]},
                          inputs=[TINY])
        o = os.path.join(self.tmp, "o")
        p = run_tool("run", path, "-o", o, "--smmu-vp", smmu_vp(), "--no-plots")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = read_csv(os.path.join(o, "results.csv"))
        self.assertEqual([r["status"] for r in rows], ["invalid", "ok"])
        self.assertIn("6 entries is not a multiple of 4 ways", rows[0]["error"])

    def test_unknown_parameter_is_refused(self):
        path = sweep_file(self.tmp, parameters={"tlb_size": [4]})
        p = run_tool("run", path, "-o", os.path.join(self.tmp, "o"), "--smmu-vp", smmu_vp())
        self.assertEqual(p.returncode, 2)
        self.assertIn("parameter tlb_size: not a built-in parameter", p.stderr)

    def test_explicit_pointer_parameter(self):
        path = sweep_file(self.tmp, inputs=[TINY], parameters={
            "mem_lat": {"set": "/memory/read_latency_ns", "values": [10, 200]}})
        o = os.path.join(self.tmp, "o")
        p = run_tool("run", path, "-o", o, "--smmu-vp", smmu_vp(), "--no-plots")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = read_csv(os.path.join(o, "results.csv"))
        self.assertLess(float(rows[0]["e2e_lat_mean_ns"]), float(rows[1]["e2e_lat_mean_ns"]))

    def test_plan_lists_every_run(self):
        p = run_tool("plan", sweep_file(self.tmp), "--smmu-vp", smmu_vp())
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "tiny-sweep: 2 inputs x 6 combinations = 12 runs")
        self.assertEqual(len(lines), 13)
        self.assertIn("--set /smmus/0/params/tlb_entries=4", lines[1])

    def test_merge_marks_missing_runs(self):
        o, _ = self.local("o")
        os.remove(os.path.join(o, "runs", "0003-tiny-a", "exit_code"))
        os.remove(os.path.join(o, "runs", "0003-tiny-a", "result.json"))
        p = run_tool("merge", o, "--no-plots")
        self.assertEqual(p.returncode, 1)
        rows = read_csv(os.path.join(o, "results.csv"))
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[3]["status"], "missing")


class SweepTraces(Tmp):
    SAMPLES = os.path.join(REPO, "traces", "samples")

    def test_trace_input_with_option_parameters(self):
        path = sweep_file(self.tmp, inputs=[os.path.join(self.SAMPLES, "nic_rx.trace")],
                          parameters={"trace_timing": ["asap"], "trace_protocol": ["at"],
                                      "trace_max_outstanding": [16],
                                      "max_walks": [1, 4]})
        o = os.path.join(self.tmp, "o")
        p = run_tool("run", path, "-o", o, "--smmu-vp", smmu_vp(), "--no-plots")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(o, "runs", "0000-nic_rx", "run.json")) as f:
            argv = json.load(f)["argv"]
        self.assertIn("--trace", argv)
        self.assertEqual(argv[argv.index("--timing") + 1], "asap")
        rows = read_csv(os.path.join(o, "results.csv"))
        self.assertEqual([(r["input"], r["max_walks"], r["status"]) for r in rows],
                         [("nic_rx", "1", "ok"), ("nic_rx", "4", "ok")])
        # every translation of the trace recorded, so the latency columns are exact
        self.assertEqual([r["lat_source"] for r in rows], ["record", "record"])
        self.assertEqual(rows[0]["lat_samples"], rows[0]["translations"])
        # one walk slot makes table walks queue behind each other
        self.assertGreater(float(rows[0]["lat_p99_ns"]), float(rows[1]["lat_p99_ns"]))

    def test_example_sweep_file_is_valid(self):
        p = run_tool("plan", os.path.join(REPO, "tools", "sweep", "examples", "small.json"),
                     "--smmu-vp", smmu_vp())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines()[0], "small: 6 inputs x 12 combinations = 72 runs")


class SweepScaleOut(Tmp):
    def test_gnu_parallel_gives_the_same_rows(self):
        self.assertTrue(shutil.which("parallel"), "GNU parallel (scripts/deps.sh) is missing")
        lo, _ = self.local("local")
        po = os.path.join(self.tmp, "par")
        p = run_tool("run", sweep_file(self.tmp), "-o", po, "-j", "2", "--smmu-vp", smmu_vp(),
                     "--backend", "gnu-parallel", "--sshlogin", ":", "--no-plots")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.isfile(os.path.join(po, "parallel.joblog")))
        a = sim_rows(read_csv(os.path.join(lo, "results.csv")))
        b = sim_rows(read_csv(os.path.join(po, "results.csv")))
        self.assertEqual(len(b), 12)
        self.assertEqual(a, b)

    def test_slurm_script_is_valid_and_its_runs_merge(self):
        lo, _ = self.local("local")
        so = os.path.join(self.tmp, "slurm")
        p = run_tool("run", sweep_file(self.tmp), "-o", so, "--smmu-vp", smmu_vp(),
                     "--backend", "slurm", "-j", "4", "--slurm-runs-per-task", "5",
                     "--slurm-opt", "partition=short")
        self.assertEqual(p.returncode, 0, p.stderr)
        script = os.path.join(so, "slurm", "sweep.sbatch")
        self.assertEqual(subprocess.run(["bash", "-n", script]).returncode, 0)
        with open(script) as f:
            text = f.read()
        self.assertIn("#SBATCH --array=0-2%4\n", text)  # 12 runs, 5 per task: 3 tasks
        self.assertIn("#SBATCH --partition=short\n", text)
        self.assertFalse(os.path.exists(os.path.join(so, "results.csv")))
        for task in range(3):  # what Slurm would do
            env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(task))
            self.assertEqual(subprocess.run(["bash", script], env=env).returncode, 0)
        p = run_tool("merge", so, "--no-plots")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sim_rows(read_csv(os.path.join(lo, "results.csv"))),
                         sim_rows(read_csv(os.path.join(so, "results.csv"))))


if __name__ == "__main__":
    unittest.main()
