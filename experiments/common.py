"""What the experiments share with the test harness: the machine
definitions and command lines of tests/qemu (one definition of a boot for
both), and the modes read from the kernel source."""
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

import configs                      # noqa: E402,F401
import machine                      # noqa: E402,F401
import modes                        # noqa: E402,F401
