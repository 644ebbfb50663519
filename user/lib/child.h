/*
 * Child processes for tests: run a function in a forked child and collect
 * its wait status. The child never returns into the caller's code (which
 * would run the rest of the test suite twice): it exits with fn's value.
 */
#ifndef USER_CHILD_H
#define USER_CHILD_H

/* Forks; the child runs fn(arg) and exits with its return value. Returns
 * the child's pid, or -errno. */
long child_start(int (*fn)(void *), void *arg);

/* Reaps child pid; returns its wait status word, or -errno. */
long child_wait(long pid);

/* child_start then child_wait: returns the wait status, or -errno. */
long child_run(int (*fn)(void *), void *arg);

#endif
