/*
 * timer.h - kernel timers over modelled time (<linux/timer.h>,
 * <linux/jiffies.h>).
 *
 * The clock is the simulation's: jiffies count modelled milliseconds
 * (HZ = 1000). An armed timer makes the kernel's timer actor ready; under
 * the timed strategy it is eligible only at the expiry time, so the
 * callback runs then, in bottom-half context on CPU 0 (the timer softirq).
 * Under untimed strategies expiry is one more interleaving: the actor may
 * run before the deadline, as a slow machine would make a timeout fire
 * "early", which drivers must survive.
 */
#ifndef SECSOC_TIMER_H
#define SECSOC_TIMER_H

#include <secsoc/cpu.h>
#include <secsoc/list.h>
#include <secsoc/types.h>

#define HZ 1000
#define TIMERS_MAX 256			/* armed at once */

struct timer_list {
	struct list_head entry;		/* on the armed list, by expiry */
	u64 expires;			/* jiffies */
	void (*function)(struct timer_list *t);
	u32 flags;
	bool pending;
};

/** timer_setup - prepare @t to call @fn when it expires */
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t), u32 flags);
/**
 * mod_timer - (re)arm @t to expire at @expires (jiffies)
 *
 * Return: 1 if @t was pending (it is moved), 0 if it was not.
 */
int mod_timer(struct timer_list *t, u64 expires);
/** timer_pending - is @t armed? */
static inline bool timer_pending(const struct timer_list *t)
{
	return t->pending;
}
/**
 * del_timer_sync - disarm @t. A callback never runs concurrently with its
 * caller here, so nothing is waited for. Return: 1 if it was pending.
 */
int del_timer_sync(struct timer_list *t);
static inline int timer_delete_sync(struct timer_list *t)
{
	return del_timer_sync(t);
}

/** get_jiffies - modelled milliseconds since the simulation started */
u64 get_jiffies(void);
#define jiffies get_jiffies()

static inline u64 msecs_to_jiffies(u64 ms)
{
	return ms * HZ / 1000;
}

static inline u64 usecs_to_jiffies(u64 us)
{
	return DIV_ROUND_UP(us * HZ, 1000000);
}

/** timers_armed - timers still pending (0 at shutdown) */
unsigned int timers_armed(void);

#endif /* SECSOC_TIMER_H */
