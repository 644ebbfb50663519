#!/usr/bin/env python3
"""The results side of `make run` (experiments/) on the fixture outputs of
tests/host/data/experiments/: ukva_bench's output read generically (a new
benchmark or key needs no code), the statistics and the noise verdicts,
results.json and results.csv, the plot step under Debian's python3 (PNG
and SVG), report.md, Linux's initramfs, and the machine matrix.  Ends with
"experiments: N passed, N failed".
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, ROOT)
import hostcheck                                        # noqa: E402
from experiments import (goals, initramfs, machines, report, results,   # noqa: E402
                         run, samples, stats)
from experiments.common import machine                                 # noqa: E402

FIXTURES = os.path.join(HERE, "data", "experiments")
MACH = "2g-1cpu"
NUMA = "64g-2cpu-2node"


def fixture(name):
    """The text of tests/host/data/experiments/NAME.log."""
    with open(os.path.join(FIXTURES, name + ".log")) as f:
        return f.read()


def document():
    """A results document from the fixtures, as run.py builds one."""
    boots = [results.boot_record(MACH, "shared", 1, "ukva", fixture("shared"), None, 3.0, "a"),
             results.boot_record(MACH, "per-task", 1, "ukva", fixture("per-task"), None, 3.0, "b"),
             results.boot_record(MACH, "linux", 1, "linux", fixture("linux"), None, 9.0, "c"),
             results.boot_record(MACH, "per-mm", 1, "ukva", fixture("hung"),
                                 "hang: killed at the timeout", 300.0, "d"),
             results.boot_record(NUMA, "per-task", 1, "numa", fixture("numa"), None, 30.0, "e")]
    modes = ["shared", "per-mm", "per-task"]
    info = {"modes": modes, "kernel_modes": modes,
            "machines": {MACH: {"title": "2 GiB, 1 CPU, qemu-system-i386", "nodes": 1},
                         NUMA: {"title": "64 GiB, 2 CPUs, 2 nodes", "nodes": 2}},
            "host": {"kernel": "Linux test", "cpu_model": "test CPU"},
            "linux": {"status": "ran", "package": "linux-image-test", "version": "1",
                      "columns": {"linux": "quiet",
                                  "linux-mitigations-off": "quiet mitigations=off"}},
            "runs": 1, "commit": "0" * 40}
    return results.build(boots, ["shared", "per-mm", "per-task", "linux", "host"], info)


class Samples(unittest.TestCase):
    def setUp(self):
        self.r = samples.parse(fixture("shared"))

    def test_every_number_is_a_metric_and_new_ones_need_no_code(self):
        m = self.r["metrics"]
        self.assertEqual(m["yield_threads.ns"], 1200.0)
        self.assertEqual(m["brand_new.widgets"], 7)
        self.assertEqual(self.r["series"]["brand_new.curve"], [1, 2, 3])
        self.assertNotIn("yield_threads.n", m)          # bookkeeping, not a measurement

    def test_samples_counters_skips_and_the_kernel_lines(self):
        r = self.r
        self.assertEqual(r["samples"]["yield_threads.ns"], [1000.0, 1100.0, 1200.0, 1300.0, 1400.0])
        self.assertEqual(r["metrics"]["yield_processes.cr3_writes_per_switch"], 1.0)
        self.assertEqual(r["metrics"]["yield_threads.delta.switch_same_mm"], 50000)
        self.assertEqual(r["skipped"], {"munmap_spinner": "only one CPU allowed"})
        self.assertEqual(r["metrics"]["boot.lowmem_left_kib"], 906332)
        self.assertEqual(r["counters"]["tlb_flush_all"], 1697)
        self.assertEqual(r["env"]["mode"], "shared")
        self.assertTrue(r["done"])

    def test_linux_has_no_counters_and_says_so(self):
        r = samples.parse(fixture("linux"))
        self.assertNotIn("yield_threads.cr3_writes_per_switch", r["metrics"])
        self.assertEqual(r["skipped"]["footprint_thread"], "needs ukva_meminfo")
        self.assertEqual(r["counters"], {})

    def test_units_come_from_key_names(self):
        self.assertEqual([samples.unit(m) for m in ["a.ns", "a.lowmem_bytes", "boot.x_kib",
                                                    "a.cr3_writes_per_1k_switches", "a.b_per_c"]],
                         ["ns", "B", "KiB", "/1k", "ratio"])


class Stats(unittest.TestCase):
    def test_quartiles(self):
        s = stats.summary([5, 1, 4, 2, 3])
        self.assertEqual((s["min"], s["q1"], s["median"], s["q3"], s["max"], s["count"]),
                         (1, 2, 3, 4, 5, 5))
        self.assertIsNone(stats.summary([7])["stddev"])

    def test_verdicts(self):
        a = stats.summary([100, 101, 99, 100])
        self.assertEqual(stats.compare(a, stats.summary([300, 301, 299]))["verdict"], "real")
        self.assertEqual(stats.compare(a, stats.summary([101, 99, 100.5]))["verdict"], "noise")
        self.assertEqual(stats.compare(a, stats.summary([50]))["verdict"], "unknown")
        once = [stats.summary([v]) for v in (0, 2, 3)]
        self.assertEqual(stats.compare(once[1], once[2], counted=True)["verdict"], "real")
        self.assertIsNone(stats.compare(once[0], once[2], counted=True)["change_pct"])


class Goals(unittest.TestCase):
    """Issue 15's goal table: ratios to Linux (mitigations=off) and verdicts."""

    def doc(self):
        """Linux 1000 ns on each path (1% spread); the modes around the goals."""
        def times(*vals):
            return stats.summary(list(vals))
        lin = {g.metric: times(990, 1000, 1010) for g in goals.GOALS}
        shared = {"syscall.ns": times(300, 300, 300),         # 0.30x: met
                  "page_fault.ns": times(495, 500, 505),      # 0.50x, spread ~1.4%: met~
                  "fork.ns": times(900, 1000, 1100)}          # 1.0x: missed
        per_task = {"yield_threads.ns": times(2000, 2000)}    # no goal for per-task
        return {"modes": ["shared", "per-task"], "columns": ["shared", "per-task", goals.LINUX],
                "machines": {MACH: {"title": "T"}, "nolinux": {"title": "U"}},
                "metrics": {MACH: {"shared": shared, "per-task": per_task, goals.LINUX: lin},
                            "nolinux": {"shared": shared}}}

    def cells(self, doc):
        return {path: cells for path, _, _, cells in goals.rows(doc, MACH)}

    def test_ratios_and_verdicts(self):
        c = self.cells(self.doc())
        self.assertEqual(c["null syscall (getppid)"][0], "0.30x ±1% met")
        self.assertTrue(c["first-touch fault"][0].endswith(" met~"), c)
        self.assertTrue(c["fork + exit + wait"][0].startswith("1.00x"), c)
        self.assertTrue(c["fork + exit + wait"][0].endswith(" missed"), c)
        self.assertEqual(c["yield between 2 threads"], ["n/a", "2.00x ±1% (no goal)"])

    def test_only_machines_where_linux_ran_get_a_table(self):
        doc = self.doc()
        self.assertEqual(goals.machines_with_linux(doc), [MACH])
        md = goals.markdown(doc)
        self.assertEqual(sum(1 for l in md if l.startswith("| null syscall")), 1)
        self.assertIn("goals, ratio to Linux", goals.screen(doc))
        empty = {"machines": {}, "metrics": {}, "modes": [], "columns": []}
        self.assertEqual(goals.markdown(empty), [])


class Write(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="experiments_test.")
        cls.doc = document()
        results.write(cls.doc, cls.dir)
        cls.plot_problem = run.plot(cls.dir)
        report.write(cls.doc, cls.dir, cls.plot_problem)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_json_has_every_sample_and_the_summaries(self):
        doc = results.load(self.dir)
        s = doc["metrics"][MACH]["per-task"]["yield_threads.ns"]
        self.assertEqual(s["count"], 5)
        self.assertEqual((s["min"], s["median"], s["max"]), (4000.0, 4200.0, 4400.0))
        self.assertEqual(len(doc["boots"]), 5)
        self.assertFalse(doc["boots"][3]["ok"])
        self.assertNotIn("per-mm", doc["metrics"][MACH])        # a failed boot adds nothing

    def test_comparisons_against_shared(self):
        cmp = self.doc["comparisons"][MACH]
        self.assertEqual(cmp["base"], "shared")
        self.assertEqual(cmp["columns"]["per-task"]["yield_threads.ns"]["verdict"], "real")
        self.assertAlmostEqual(cmp["columns"]["per-task"]["yield_threads.ns"]["change_pct"], 250.0)
        self.assertEqual(cmp["columns"]["per-task"]["page_fault.ns"]["verdict"], "noise")

    def test_csv_one_row_per_machine_column_metric(self):
        with open(os.path.join(self.dir, "results.csv")) as f:
            rows = list(csv.DictReader(f))
        keys = [(r["machine"], r["column"], r["metric"]) for r in rows]
        self.assertEqual(len(keys), len(set(keys)))
        want = sum(len(m) for cols in self.doc["metrics"].values() for m in cols.values())
        self.assertEqual(len(rows), want)
        lin = [r for r in rows if r["column"] == "linux" and r["metric"] == "yield_threads.ns"]
        self.assertEqual(lin[0]["median"], "3100.0")
        self.assertEqual(lin[0]["compared_with"], "shared")

    def test_plots_png_and_svg(self):
        if not os.path.exists(run.SYSTEM_PYTHON):
            self.skipTest("no /usr/bin/python3")
        self.assertIsNone(self.plot_problem)
        for name in ["switch", "flushes", "fault_fork", "capacity", "locality"]:
            for ext in ["png", "svg"]:
                path = os.path.join(self.dir, f"{name}.{ext}")
                self.assertTrue(os.path.getsize(path) > 1000, path)

    def test_report_has_tables_paragraphs_and_failures(self):
        with open(os.path.join(self.dir, "report.md")) as f:
            text = f.read()
        self.assertIn("| `yield_threads.ns` | ns | 1,200 ±13% | n/a | 4,200 ±4% +250% |", text)
        self.assertIn("![switch](switch.svg)", text)
        self.assertIn("`per-task` 3.50x of `shared`'s same-mm switch", text)
        self.assertIn("64 GiB, 2 CPUs, 2 nodes, `per-task`: fork 100%, storm 100%, syscall 100%",
                      text)
        self.assertIn("per-mm run 1: hang", text)
        self.assertIn("`munmap_spinner`: only one CPU allowed", text)


class Initramfs(unittest.TestCase):
    def test_cpio_lists_init_and_the_console_device(self):
        with tempfile.TemporaryDirectory() as d:
            init, archive = os.path.join(d, "init"), os.path.join(d, "a.cpio")
            with open(init, "wb") as f:
                f.write(b"\x7fELF" + b"x" * 1001)
            initramfs.build(archive, init)
            with open(archive, "rb") as f:
                listing = subprocess.run(["cpio", "-itv", "--quiet"], stdin=f,
                                         capture_output=True, text=True).stdout
        lines = listing.splitlines()
        self.assertEqual([l.split()[-1] for l in lines], ["dev", "dev/console", "init"])
        self.assertTrue(lines[1].startswith("crw-------") and "5,   1" in lines[1], lines[1])
        self.assertTrue(lines[2].startswith("-rwxr-xr-x") and " 1005 " in lines[2], lines[2])


class Matrix(unittest.TestCase):
    def test_quick_matrix_and_rows_waiting_for_a_feature(self):
        rows, left_out = machines.select([], full=False)
        self.assertEqual([m.name for m in rows][:2], ["2g-1cpu", "2g-2cpu"])
        for m, why in left_out:
            self.assertIn(m.needs, why)
        rows, _ = machines.select([], full=True)
        self.assertGreater(len(rows), 4)
        self.assertIn("bochs", [m.emulator for m in rows])

    def test_numa_rows_split_ram_and_cpus(self):
        m = machines.Machine("t", "64G", 4, nodes=2)
        cfg = machines.config(m, "x", 60)
        self.assertEqual(cfg.nodes, ["0-1", "2-3"])
        args = machine.numa_args(cfg)
        self.assertIn("node,nodeid=1,memdev=m1,cpus=2-3", args)
        self.assertIn("memory-backend-ram,id=m0,size=32768M,reserve=off", args)
        self.assertEqual(cfg.qemu, "qemu-system-x86_64")
        self.assertEqual(machines.node_cpus(machines.Machine("u", "2G", 4, nodes=4)),
                         ["0", "1", "2", "3"])


if __name__ == "__main__":
    sys.exit(hostcheck.main("experiments", sys.modules[__name__]))
