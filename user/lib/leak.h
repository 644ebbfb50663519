/* Leak checks on this kernel: are free frames and tasks back? */
#ifndef USER_LEAK_H
#define USER_LEAK_H

#include <stdbool.h>

#include "ukva.h"

/* Waits until the kernel's free frames and tasks equal *before, reaping
 * any child that has exited meanwhile (as /init, orphans exiting late).
 * A thread's task and stack are freed at its last switch, which on another
 * CPU may come just after wait4 returned for its process (later still when
 * the host has descheduled that virtual CPU): so a difference counts only
 * if it is still there after two seconds. Then prints "# who: leaked N
 * frames and N tasks" and returns false. True off this kernel (no
 * meminfo). */
bool nothing_leaked(const char *who, const struct ukva_meminfo *before);

#endif
