"""Run the unittest cases of a host test module and end with the one line
tests/host/run.sh counts: "LABEL: N passed, N failed" (failures above it)."""
import io
import unittest


def main(label, module):
    """Runs module's test cases; returns the exit status (1 on failure)."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    for case, trace in result.failures + result.errors:
        print(f"not ok {case.id()}\n{trace}")
    failed = len(result.failures) + len(result.errors)
    print(f"{label}: {result.testsRun - failed} passed, {failed} failed")
    return 1 if failed else 0
