/* What a process was started with: environment and auxiliary vector. */
#ifndef USER_START_H
#define USER_START_H

/* The environment strings, NULL-terminated, as passed to main. */
extern char **environ;

/* Returns the value of environment variable name, or NULL if unset. */
const char *getenv(const char *name);

/* Returns the auxiliary vector value for key (AT_PAGESZ...), or 0. */
unsigned long getauxval(unsigned long key);

#endif
