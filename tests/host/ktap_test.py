#!/usr/bin/env python3
"""The KTAP parser (tests/qemu/ktap.py) and the harness's verdict on the
logs in tests/host/data/ktap/: one clean run and one for every way a
kernel's output goes wrong (a crash mid-suite, a missing plan, bad
numbering, a summary that disagrees, a suite verdict that contradicts its
cases, no KTAP at all).  Ends with "ktap parser: N passed, N failed".
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "qemu"))
import configs                      # noqa: E402
import hostcheck                    # noqa: E402
import harness                      # noqa: E402
import ktap                         # noqa: E402

FIXTURES = os.path.join(HERE, "data", "ktap")


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".log")) as f:
        return f.read()


def outcomes(report):
    return {c.path: c.outcome for c in report.cases}


def mentions(lines, words):
    """Does one of lines contain every one of words?"""
    return any(all(w in line for w in words) for line in lines)


class Parse(unittest.TestCase):
    def test_good_log_has_every_case_and_no_problem(self):
        r = ktap.parse(fixture("good"))
        self.assertTrue(r.found)
        self.assertEqual(outcomes(r), {"frames.alloc_all_free_all": "ok",
                                       "frames.kmap_patterns": "skip",
                                       "vma.split_merge": "not ok"})
        self.assertEqual(r.problems, [])
        self.assertEqual(r.unfinished, [])
        self.assertEqual(r.summary, (1, 1, 1))

    def test_diagnostics_belong_to_the_case_after_them(self):
        r = ktap.parse(fixture("good"))
        split = next(c for c in r.cases if c.path == "vma.split_merge")
        self.assertEqual(split.diagnostics, ["# split_merge: expected 3, got 4"])

    def test_crash_mid_suite_keeps_finished_cases_and_says_unfinished(self):
        r = ktap.parse(fixture("crash-mid-suite"))
        self.assertEqual(outcomes(r), {"frames.alloc_all_free_all": "ok",
                                       "vma.insert": "ok"})
        self.assertTrue(mentions(r.unfinished, ["vma", "never finished"]))
        self.assertTrue(mentions(r.unfinished, ["vma", "plan 1..3", "only 1"]))
        self.assertTrue(mentions(r.unfinished, ["top level", "plan 1..2", "only 1"]))

    def test_missing_plan_is_unfinished(self):
        r = ktap.parse(fixture("missing-plan"))
        self.assertTrue(mentions(r.unfinished, ["frames", "no plan line"]))
        self.assertEqual(len(r.cases), 2)

    def test_bad_numbering_is_a_problem(self):
        r = ktap.parse(fixture("bad-numbering"))
        self.assertTrue(mentions(r.problems, ["kmap_patterns", "numbered 3, expected 2"]))
        self.assertTrue(mentions(r.problems, ["free_counts", "numbered 2, expected 3"]))

    def test_summary_that_disagrees_is_a_problem(self):
        r = ktap.parse(fixture("summary-disagrees"))
        self.assertTrue(mentions(r.problems, ["summary says 2 passed, 0 failed", "1/1/0"]))

    def test_suite_ok_over_a_failed_case_is_a_problem(self):
        r = ktap.parse(fixture("suite-verdict-wrong"))
        self.assertTrue(mentions(r.problems, ["suite 'frames' reported 'ok'", "include failures"]))

    def test_no_ktap_is_a_problem_not_an_exception(self):
        r = ktap.parse(fixture("no-ktap"))
        self.assertFalse(r.found)
        self.assertEqual(r.cases, [])
        self.assertTrue(mentions(r.problems, ["no KTAP output"]))

    def test_garbage_never_raises(self):
        for text in ["", "\x00\xff", "KTAP version 1\n  ok x y\nnot ok\n1..\n",
                     "KTAP version 1\n" + "  KTAP version 1\n" * 50]:
            ktap.parse(text)


class Judge(unittest.TestCase):
    """harness.judge on the fixtures, for a machine that expects a full pass."""
    cfg = configs.Config("fixture")

    def test_good_log_fails_only_its_failed_case(self):
        out = harness.judge(self.cfg, fixture("good"), machine_fail())
        self.assertEqual((out.passed, out.failed, out.skipped), (1, 1, 1))
        self.assertFalse(out.show_log)

    def test_every_broken_log_fails(self):
        for name in ["crash-mid-suite", "missing-plan", "bad-numbering",
                     "summary-disagrees", "suite-verdict-wrong", "no-ktap"]:
            with self.subTest(name):
                out = harness.judge(self.cfg, fixture(name), None)
                self.assertGreater(out.failed, 0)
                self.assertTrue(out.show_log)

    def test_crash_is_allowed_where_the_machine_expects_it(self):
        cfg = configs.Config("fixture", expect=configs.Expect(exit="fail", complete=False))
        out = harness.judge(cfg, fixture("crash-mid-suite"), machine_fail())
        self.assertEqual((out.passed, out.failed), (2, 0))

    def test_wrong_exit_status_fails(self):
        out = harness.judge(self.cfg, fixture("good"), harness.machine.QEMU_EXIT_PASS)
        self.assertTrue(mentions(out.problems, ["exit status 33", "expected 35"]))


def machine_fail():
    return harness.machine.QEMU_EXIT_FAIL


if __name__ == "__main__":
    sys.exit(hostcheck.main("ktap parser", sys.modules[__name__]))
