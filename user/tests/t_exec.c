/*
 * execve: arguments and environment reach the new program, the pid and open
 * descriptors survive, exit codes come back through trees of fork, execve
 * and wait4, and every bad path or pointer gets Linux's errno. Programs are
 * found beside this one: dirname(argv[0]) + "/name".
 */
#include "child.h"
#include "ktap.h"
#include "path.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"

static const char *self;	/* our argv[0] */

/* Writes the path of sibling program name into buf[256]; returns buf. */
static char *sibling(char buf[256], const char *name)
{
	if (path_sibling(buf, 256, self, name) < 0)
		buf[0] = '\0';
	return buf;
}

/* Replaces each newline of s by '|', so that s fits on a diagnostic line;
 * returns s. */
static char *one_line(char *s)
{
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\n')
			*p = '|';
	return s;
}

/* Reads from fd until end of file into buf (size bytes, NUL-terminated);
 * returns the length, or -errno. */
static long read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	long r;

	while (len + 1 < size && (r = sys_read(fd, buf + len,
					       size - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	return r < 0 ? r : (long)len;
}

/* argv and envp reach the new program intact (including an empty string),
 * its pid is the one fork returned, and the pipe descriptor it writes to
 * was inherited across execve. */
static void args_env_pid_fds(void)
{
	char path[256], fdarg[12], got[1024], want[1024];
	char *argv[] = { "h_args", fdarg, "alpha", "", "a b c", NULL };
	char *envp[] = { "K1=v1", "EMPTY=", NULL };
	int fds[2], n;
	long pid;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
	sibling(path, "h_args");
	pid = sys_fork();
	if (pid == 0) {
		sys_close(fds[0]);
		sys_exit_group(-(int)sys_execve(path, argv, envp));
	}
	sys_close(fds[1]);
	EXPECT_OK(read_all(fds[0], got, sizeof(got)));
	sys_close(fds[0]);
	EXPECT_EXIT(child_wait(pid), 0);
	n = snprintf(want, sizeof(want), "pid=%ld\n", pid);
	for (char **a = argv; *a != NULL; a++)
		n += snprintf(want + n, sizeof(want) - (size_t)n, "arg=%s\n",
			      *a);
	for (char **e = envp; *e != NULL; e++)
		n += snprintf(want + n, sizeof(want) - (size_t)n, "env=%s\n",
			      *e);
	if (!EXPECT_EQ(strcmp(got, want), 0)) {
		ktap_diag("got:  %s", one_line(got));
		ktap_diag("want: %s", one_line(want));
	}
}

/* Many arguments: 64 of them, each a different string. */
static void many_args(void)
{
	char path[256], fdarg[12], got[2048], want[2048], strs[64][8];
	char *argv[67];
	char *envp[] = { NULL };
	int fds[2], n;
	long pid;

	if (!EXPECT_OK(sys_pipe(fds)))
		return;
	snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
	argv[0] = sibling(path, "h_args");
	argv[1] = fdarg;
	for (int i = 0; i < 64; i++) {
		snprintf(strs[i], sizeof(strs[i]), "a%d", i);
		argv[i + 2] = strs[i];
	}
	argv[66] = NULL;
	pid = sys_fork();
	if (pid == 0)
		sys_exit_group(-(int)sys_execve(path, argv, envp));
	sys_close(fds[1]);
	EXPECT_OK(read_all(fds[0], got, sizeof(got)));
	sys_close(fds[0]);
	EXPECT_EXIT(child_wait(pid), 0);
	n = snprintf(want, sizeof(want), "pid=%ld\n", pid);
	for (int i = 0; i < 66; i++)
		n += snprintf(want + n, sizeof(want) - (size_t)n, "arg=%s\n",
			      argv[i]);
	EXPECT_EQ(strcmp(got, want), 0);
}

/* What a child passes to execve. */
struct exec_args {
	const char *path;
	char *const *argv;
	char *const *envp;
};

/* Child side of exec_status and exec_error: exits with execve's errno if
 * execve returns. */
static int exec_child(void *arg)
{
	struct exec_args *e = arg;

	return -(int)sys_execve(e->path, e->argv, e->envp);
}

/* Runs execve(path, {path, arg}) in a child; returns the child's status. */
static long exec_status(const char *path, const char *arg)
{
	char *argv[] = { (char *)path, (char *)arg, NULL };
	char *envp[] = { NULL };
	struct exec_args e = { path, argv, envp };

	return child_run(exec_child, &e);
}

/* The exit code of an exec'd program is what its parent's wait sees. */
static void exit_code_after_exec(void)
{
	char path[256];

	sibling(path, "h_exit");
	EXPECT_EXIT(exec_status(path, "0"), 0);
	EXPECT_EXIT(exec_status(path, "3"), 3);
	EXPECT_EXIT(exec_status(path, "255"), 255);
}

/* Trees of fork + execve + wait4, three and four levels deep: each node
 * adds itself to its children's exit codes, so the root exits with the
 * number of processes (15, 31). */
static void process_tree(void)
{
	char path[256];

	sibling(path, "h_tree");
	EXPECT_EXIT(exec_status(path, "3"), 15);
	EXPECT_EXIT(exec_status(path, "4"), 31);
}

/* Returns the -errno of execve(path, argv, envp) tried in a child (so that
 * a wrong success does not replace this test), or a positive status. */
static long exec_error(const char *path, char *const *argv, char *const *envp)
{
	struct exec_args e = { path, argv, envp };
	long status = child_run(exec_child, &e);

	return WIFEXITED(status) && status != 0 ? -WEXITSTATUS(status)
						: status + 1000;
}

/* Missing files and empty paths: ENOENT. */
static void missing_path(void)
{
	char path[256];
	char *argv[] = { "x", NULL }, *envp[] = { NULL };

	EXPECT_ERRNO(exec_error(sibling(path, "no_such_program"), argv, envp),
		     ENOENT);
	EXPECT_ERRNO(exec_error("/no/such/dir/prog", argv, envp), ENOENT);
	EXPECT_ERRNO(exec_error("", argv, envp), ENOENT);
}

/* A directory is not executable (EACCES); a file used as a directory is
 * ENOTDIR; a file that is no ELF image is ENOEXEC; a path longer than
 * PATH_MAX (4096) is ENAMETOOLONG. */
static void wrong_kind_of_file(void)
{
	static char longpath[5000];
	char path[256], dir[256];
	char *argv[] = { "x", NULL }, *envp[] = { NULL };

	sibling(dir, "");			/* "DIR/" */
	if (strlen(dir) > 1)
		dir[strlen(dir) - 1] = '\0';	/* "DIR", but keep "/" */
	EXPECT_ERRNO(exec_error(dir, argv, envp), EACCES);
	sibling(path, "h_exit/x");
	EXPECT_ERRNO(exec_error(path, argv, envp), ENOTDIR);
	EXPECT_ERRNO(exec_error(sibling(path, "h_notelf"), argv, envp),
		     ENOEXEC);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	EXPECT_ERRNO(exec_error(longpath, argv, envp), ENAMETOOLONG);
}

/* Bad pointers for the path, argv, an argv string or envp: EFAULT. */
static void bad_pointers(void)
{
	char path[256];
	char *argv[] = { "x", NULL }, *envp[] = { NULL };
	char *bad_argv[] = { "x", (char *)1, NULL };
	char *bad_envp[] = { (char *)0xc0000000, NULL };

	sibling(path, "h_exit");
	EXPECT_ERRNO(exec_error((char *)1, argv, envp), EFAULT);
	EXPECT_ERRNO(exec_error((char *)0xc0000000, argv, envp), EFAULT);
	EXPECT_ERRNO(exec_error(path, (char **)1, envp), EFAULT);
	EXPECT_ERRNO(exec_error(path, bad_argv, envp), EFAULT);
	EXPECT_ERRNO(exec_error(path, argv, (char **)1), EFAULT);
	EXPECT_ERRNO(exec_error(path, argv, bad_envp), EFAULT);
}

/* A failed execve returns to the caller, which carries on unharmed. */
static void failure_returns(void)
{
	char path[256];
	char *argv[] = { "x", NULL }, *envp[] = { NULL };
	int canary = 1234;

	EXPECT_ERRNO(sys_execve(sibling(path, "no_such_program"), argv, envp),
		     ENOENT);
	EXPECT_EQ(canary, 1234);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(args_env_pid_fds),
	KTAP_CASE(many_args),
	KTAP_CASE(exit_code_after_exec),
	KTAP_CASE(process_tree),
	KTAP_CASE(missing_path),
	KTAP_CASE(wrong_kind_of_file),
	KTAP_CASE(bad_pointers),
	KTAP_CASE(failure_returns),
};

int main(int argc, char **argv)
{
	self = argc > 0 ? argv[0] : "/bin/t_exec";
	return ktap_run("t_exec", cases, ARRAY_SIZE(cases));
}
