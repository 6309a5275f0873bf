/*
 * spinlock.c - spinlocks as held-state assertions (see spinlock.h).
 *
 * Owns the count of held locks, which lets the kernel check at the end of
 * each CPU step that no code left a lock held behind it.
 */
#include <secsoc/spinlock.h>

static unsigned int locks_held;

void spin_lock_init(spinlock_t *lock)
{
	lock->held = false;
}

void spin_lock(spinlock_t *lock)
{
	always(!lock->held, "spin_lock(%s): already held (recursive locking)",
	       lock->name ? lock->name : "?");
	lock->held = true;
	locks_held++;
}

void spin_unlock(spinlock_t *lock)
{
	always(lock->held, "spin_unlock(%s): not held", lock->name ? lock->name : "?");
	lock->held = false;
	locks_held--;
}

unsigned int spin_locks_held(void)
{
	return locks_held;
}

bool spin_is_locked(const spinlock_t *lock)
{
	return lock->held;
}
