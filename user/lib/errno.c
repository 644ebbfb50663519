/* Names of error numbers, for test diagnostics. */
#include "errno.h"

#include <stddef.h>

static const char *const names[] = {
	[EPERM] = "EPERM",       [ENOENT] = "ENOENT",   [ESRCH] = "ESRCH",
	[EINTR] = "EINTR",       [EIO] = "EIO",         [E2BIG] = "E2BIG",
	[ENOEXEC] = "ENOEXEC",   [EBADF] = "EBADF",     [ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN",     [ENOMEM] = "ENOMEM",   [EACCES] = "EACCES",
	[EFAULT] = "EFAULT",     [EBUSY] = "EBUSY",     [EEXIST] = "EEXIST",
	[ENOTDIR] = "ENOTDIR",   [EISDIR] = "EISDIR",   [EINVAL] = "EINVAL",
	[EMFILE] = "EMFILE",     [ENOSPC] = "ENOSPC",   [ESPIPE] = "ESPIPE",
	[EPIPE] = "EPIPE",       [ERANGE] = "ERANGE",
	[ENAMETOOLONG] = "ENAMETOOLONG",                [ENOSYS] = "ENOSYS",
	[EOPNOTSUPP] = "EOPNOTSUPP",
	[ETIMEDOUT] = "ETIMEDOUT",
};

/* Returns the symbolic name of error number e ("EFAULT"), or "?". */
const char *errno_name(long e)
{
	if (e <= 0 || e >= (long)(sizeof(names) / sizeof(names[0])) ||
	    names[e] == NULL)
		return "?";
	return names[e];
}
