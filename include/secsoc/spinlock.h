/*
 * spinlock.h - kernel spinlocks as lockdep-style assertions.
 *
 * A CPU step runs to completion, so nothing can race inside the host;
 * what can go wrong is the modelled code's own discipline. A lock records
 * that it is held: taking it twice, releasing it when not held, and
 * lockdep_assert_held() on a free lock are always() violations, and
 * spin_locks_held() lets the kernel check that no step ends with a lock
 * held.
 */
#ifndef SECSOC_SPINLOCK_H
#define SECSOC_SPINLOCK_H

#include <secsoc/sim.h>
#include <secsoc/types.h>

typedef struct spinlock {
	const char *name;
	bool held;
} spinlock_t;

void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
/** spin_locks_held - locks currently held by any code */
unsigned int spin_locks_held(void);
/** spin_is_locked - is @lock held? */
bool spin_is_locked(const spinlock_t *lock);

#define spin_lock_irqsave(lock, flags)	\
	do {				\
		(flags) = 0;		\
		spin_lock(lock);	\
	} while (0)
#define spin_unlock_irqrestore(lock, flags)	\
	do {					\
		(void)(flags);			\
		spin_unlock(lock);		\
	} while (0)
#define spin_lock_bh(lock) spin_lock(lock)
#define spin_unlock_bh(lock) spin_unlock(lock)

/** lockdep_assert_held - @lock must be held here */
#define lockdep_assert_held(lock)					\
	always(spin_is_locked(lock), "%s: lock %s not held", __func__,	\
	       (lock)->name ? (lock)->name : "?")

#endif /* SECSOC_SPINLOCK_H */
