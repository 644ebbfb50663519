/* Finding sibling programs: no open() or readdir here, only known paths. */
#ifndef USER_PATH_H
#define USER_PATH_H

#include <stddef.h>

/* Writes dirname(self) + "/" + name into buf (size bytes): the path of
 * program name installed beside the program whose argv[0] is self ("." if
 * self has no '/'). Returns 0, or -1 if it did not fit. */
int path_sibling(char *buf, size_t size, const char *self, const char *name);

#endif
