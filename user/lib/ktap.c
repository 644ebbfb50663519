/* KTAP output and the EXPECT checks of ktap.h. */
#include "ktap.h"

#include <stdarg.h>

#include "printf.h"
#include "start.h"
#include "string.h"
#include "syscall.h"

static int depth;		/* nesting level, from KTAP_DEPTH */
static bool case_failed;	/* the current case had a failed check */
static const char *skip_reason;	/* the current case was skipped */

/* Prints one KTAP line (without its newline) at the current indentation,
 * with a single write so lines from several processes stay whole. */
static void ktap_line(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void ktap_line(const char *fmt, ...)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%*s", 2 * depth, "");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	write_all(1, line, (size_t)n);
}

/* Prints a "# ..." diagnostic line at the current indentation. */
void ktap_diag(const char *fmt, ...)
{
	char text[448];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ktap_line("# %s", text);
}

/* Returns true if a check of the current case failed in this process. */
bool ktap_failed(void)
{
	return case_failed;
}

/* Marks the current case skipped with a reason; the case should return. */
void ktap_skip(const char *reason)
{
	skip_reason = reason;
}

/* Runs the n cases of suite name, printing KTAP; returns the exit status of
 * the program: 0 iff no case failed. */
int ktap_run(const char *name, const struct ktap_case *cases, int n)
{
	const char *d = getenv("KTAP_DEPTH");
	int failed = 0;

	for (depth = 0; d != NULL && *d >= '0' && *d <= '9'; d++)
		depth = depth * 10 + (*d - '0');
	if (depth > 8)		/* keep the indentation within a line */
		depth = 8;
	ktap_line("KTAP version 1");
	ktap_line("# Subtest: %s", name);
	ktap_line("1..%d", n);
	for (int i = 0; i < n; i++) {
		case_failed = false;
		skip_reason = NULL;
		cases[i].fn();
		if (case_failed) {
			failed++;
			ktap_line("not ok %d %s", i + 1, cases[i].name);
		} else if (skip_reason != NULL) {
			ktap_line("ok %d %s # SKIP %s", i + 1, cases[i].name,
				  skip_reason);
		} else {
			ktap_line("ok %d %s", i + 1, cases[i].name);
		}
	}
	return failed == 0 ? 0 : 1;
}

/* Records a failure of the current case. */
static void fail(void)
{
	case_failed = true;
}

/* Formats v for a diagnostic, naming it if it looks like -errno. */
static void describe(char *buf, size_t size, long long v)
{
	if (v < 0 && v >= -MAX_ERRNO)
		snprintf(buf, size, "%lld (-%s)", v, errno_name((long)-v));
	else if (v > 9 || v < -9)
		snprintf(buf, size, "%lld (0x%llx)", v, (unsigned long long)v);
	else
		snprintf(buf, size, "%lld", v);
}

/* Formats a wait status word the way a person would say it. */
static void describe_status(char *buf, size_t size, long s)
{
	if (s < 0)
		snprintf(buf, size, "wait failed: -%s", errno_name(-s));
	else if (WIFEXITED(s))
		snprintf(buf, size, "exited with %ld", WEXITSTATUS(s));
	else if (WIFSIGNALED(s))
		snprintf(buf, size, "killed by signal %ld", WTERMSIG(s));
	else
		snprintf(buf, size, "status 0x%lx", s);
}

/* Checks cond; returns it. */
bool ktap_expect(bool ok, const char *file, int line, const char *expr)
{
	if (!ok) {
		ktap_diag("%s:%d: expected %s", file, line, expr);
		fail();
	}
	return ok;
}

/* Checks a op b with op '=' (==), '!' (!=) or '>' (>=); returns the result. */
bool ktap_expect_cmp(long long a, long long b, char op, const char *file,
		     int line, const char *as, const char *bs)
{
	bool ok = op == '=' ? a == b : op == '!' ? a != b : a >= b;
	const char *ops = op == '=' ? "==" : op == '!' ? "!=" : ">=";
	char av[48], bv[48];

	if (!ok) {
		describe(av, sizeof(av), a);
		describe(bv, sizeof(bv), b);
		ktap_diag("%s:%d: expected %s %s %s: got %s, %s", file, line,
			  as, ops, bs, av, bv);
		fail();
	}
	return ok;
}

/* Checks that system call result r is not -errno; returns the result. */
bool ktap_expect_ok(long r, const char *file, int line, const char *expr)
{
	if (is_err(r)) {
		ktap_diag("%s:%d: %s failed: %ld (-%s)", file, line, expr, r,
			  errno_name(-r));
		fail();
		return false;
	}
	return true;
}

/* Checks that system call result r is -err; returns the result. */
bool ktap_expect_errno(long r, long err, const char *file, int line,
		       const char *expr, const char *errs)
{
	char got[48];

	if (r != -err) {
		describe(got, sizeof(got), r);
		ktap_diag("%s:%d: expected %s == -%s (-%ld): got %s", file,
			  line, expr, errs, err, got);
		fail();
		return false;
	}
	return true;
}

/* Checks that wait status is "exited with code" (sig == 0) or "killed by
 * signal sig"; returns the result. */
bool ktap_expect_status(long status, int code, int sig, const char *file,
			int line, const char *expr)
{
	bool ok = status >= 0 && (sig == 0 ? status == code << 8
					   : (status & ~0x80) == sig);
	char got[48];

	if (!ok) {
		describe_status(got, sizeof(got), status);
		if (sig == 0)
			ktap_diag("%s:%d: %s: expected exit %d: %s", file, line,
				  expr, code, got);
		else
			ktap_diag("%s:%d: %s: expected signal %d: %s", file,
				  line, expr, sig, got);
		fail();
	}
	return ok;
}
