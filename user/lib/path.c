/* Paths of sibling programs. */
#include "path.h"

#include "string.h"

/* Writes dirname(self) + "/" + name into buf (size bytes). Returns 0, or -1
 * if it did not fit. */
int path_sibling(char *buf, size_t size, const char *self, const char *name)
{
	const char *slash = strrchr(self, '/');
	const char *dir = slash != NULL ? self : ".";
	size_t dlen = slash != NULL ? (size_t)(slash - self) : 1;
	size_t nlen = strlen(name);

	if (dlen + 1 + nlen + 1 > size)
		return -1;
	memcpy(buf, dir, dlen);
	buf[dlen] = '/';
	memcpy(buf + dlen + 1, name, nlen + 1);
	return 0;
}
