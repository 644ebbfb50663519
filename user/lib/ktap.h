/*
 * A tiny KTAP test harness for user programs. A test program lists its cases
 * and hands them to ktap_run, which prints (to fd 1):
 *
 *   KTAP version 1
 *   # Subtest: t_pipe
 *   1..3
 *   ok 1 eof_after_writers_close
 *   # user/tests/t_pipe.c:42: sys_read(99, buf, 1) == -EBADF: got 0
 *   not ok 2 bad_fd
 *   ok 3 big_transfer # SKIP needs 2 CPUs
 *
 * Each line is indented two spaces per level in the environment variable
 * KTAP_DEPTH (init sets it to 1), so the output nests inside init's report.
 * The program exits 0 iff every case passed or was skipped.
 *
 * The EXPECT macros record a failure in the current case and print where and
 * why; they evaluate to true if the check passed, so a case can stop early:
 *   if (!EXPECT_OK(sys_pipe(fds))) return;
 */
#ifndef USER_KTAP_H
#define USER_KTAP_H

#include <stdbool.h>

struct ktap_case {
	const char *name;
	void (*fn)(void);
};

#define KTAP_CASE(fn) { #fn, fn }
#define ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Runs the n cases of suite name, printing KTAP; returns the exit status of
 * the program: 0 iff no case failed. */
int ktap_run(const char *name, const struct ktap_case *cases, int n);

/* Marks the current case skipped with a reason; the case should return. */
void ktap_skip(const char *reason);

/* Returns true if a check of the current case failed in this process: a
 * forked child that runs checks exits with it, for its parent to test. */
bool ktap_failed(void);

/* Prints a "# ..." diagnostic line at the current indentation. */
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cond holds. */
#define EXPECT(cond) ktap_expect((cond), __FILE__, __LINE__, #cond)
/* a == b, compared as long long. */
#define EXPECT_EQ(a, b)                                                  \
	ktap_expect_cmp((long long)(a), (long long)(b), '=', __FILE__, \
			__LINE__, #a, #b)
/* a != b */
#define EXPECT_NE(a, b)                                                  \
	ktap_expect_cmp((long long)(a), (long long)(b), '!', __FILE__, \
			__LINE__, #a, #b)
/* a >= b */
#define EXPECT_GE(a, b)                                                  \
	ktap_expect_cmp((long long)(a), (long long)(b), '>', __FILE__, \
			__LINE__, #a, #b)
/* A system call result r is not -errno. */
#define EXPECT_OK(r) ktap_expect_ok((long)(r), __FILE__, __LINE__, #r)
/* A system call result r is exactly -err. */
#define EXPECT_ERRNO(r, err) \
	ktap_expect_errno((long)(r), (err), __FILE__, __LINE__, #r, #err)
/* A wait status is exactly "exited with code" (code << 8). */
#define EXPECT_EXIT(status, code) \
	ktap_expect_status((status), (code), 0, __FILE__, __LINE__, #status)
/* A wait status is exactly "killed by signal sig" (sig, plus 0x80 if the
 * host dumped core). */
#define EXPECT_SIGNAL(status, sig) \
	ktap_expect_status((status), 0, (sig), __FILE__, __LINE__, #status)

bool ktap_expect(bool ok, const char *file, int line, const char *expr);
bool ktap_expect_cmp(long long a, long long b, char op, const char *file,
		     int line, const char *as, const char *bs);
bool ktap_expect_ok(long r, const char *file, int line, const char *expr);
bool ktap_expect_errno(long r, long err, const char *file, int line,
		       const char *expr, const char *errs);
bool ktap_expect_status(long status, int code, int sig, const char *file,
			int line, const char *expr);

#endif
