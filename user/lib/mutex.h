/* A sleeping mutex over a futex (Drepper, "Futexes Are Tricky", mutex 3). */
#ifndef USER_MUTEX_H
#define USER_MUTEX_H

struct mutex {
	int state;	/* 0 free, 1 held, 2 held and someone may be asleep */
};

#define MUTEX_INIT { 0 }

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

#endif
