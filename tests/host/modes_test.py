#!/usr/bin/env python3
"""tests/qemu/modes.py: the mode names read from C sources in the forms the
kernel uses (a table indexed by the enum, one ops table per mode), a mode
the reader cannot see is an error, and the real tree gives the modes the
kernel's mm= option names.  Ends with "mode reader: N passed, N failed".
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "qemu"))
import hostcheck                    # noqa: E402
import modes                        # noqa: E402

ENUM = "enum ukva_mode { UKVA_SHARED, UKVA_PER_MM, UKVA_PER_TASK%s };\n"
INDEXED = '''static const char *const mode_names[] = {
	[UKVA_PER_MM] = "per-mm",   /* order here is not the enum's */
	[UKVA_SHARED] = "shared",
	[UKVA_PER_TASK] = "per-task",
};
static const char *const what[] = { [UKVA_SHARED] = "one kernel PMD for all" };
const struct ukva_mode_ops x = { .summary = "not a name", .min_highmem = 0 };
'''


def ops(name):
    return 'const struct ukva_mode_ops %s_ops = {\n\t.name = "%s",\n\t.attach = f,\n};\n' % (
        name.replace("-", "_"), name)


class Parse(unittest.TestCase):
    def test_indexed_table_in_enum_order(self):
        self.assertEqual(modes.parse([ENUM % "", INDEXED]), ["shared", "per-mm", "per-task"])

    def test_one_ops_table_per_file_in_the_order_of_the_enum(self):
        table = """const struct ukva_mode_ops *const ukva_modes[] = {
	[UKVA_SHARED] = &shared_ops,
	[UKVA_PER_MM] = &per_mm_ops,
	[UKVA_PER_TASK] = &per_task_ops,
	[UKVA_PER_CPU] = &per_cpu_ops,
};"""
        files = [ops(n) for n in ["per-cpu", "per-mm", "per-task", "shared"]]   # file order
        srcs = [ENUM % ", UKVA_PER_CPU, UKVA_NR_MODES", table] + files
        self.assertEqual(modes.parse(srcs), ["shared", "per-mm", "per-task", "per-cpu"])

    def test_a_mode_without_a_readable_name_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "4 modes .* 3 names"):
            modes.parse([ENUM % ", UKVA_PER_CPU", INDEXED])

    def test_commented_out_names_do_not_count(self):
        with self.assertRaisesRegex(ValueError, "no mode names"):
            modes.parse(['/* .name = "old" */ // .name = "older"\n'])

    def test_the_kernel_tree(self):
        names = modes.kernel_modes()
        self.assertEqual(names[:3], ["shared", "per-mm", "per-task"])   # README's order


if __name__ == "__main__":
    sys.exit(hostcheck.main("mode reader", sys.modules[__name__]))
