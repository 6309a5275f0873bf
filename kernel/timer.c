/*
 * timer.c - kernel timers over modelled time (see timer.h): the armed
 * list in expiry order, the timer actor that expires them, and the timer
 * softirq that runs their callbacks on CPU 0.
 *
 * The actor stands for the CPU's architected timer: it is ready while a
 * timer is armed, and the timed strategy makes it eligible only at the
 * earliest expiry. Its step moves that timer to the expired list and
 * raises the softirq; the callback runs in the softirq, on a CPU, like any
 * other bottom half, so it may use everything a BH may. With nothing armed
 * the actor sleeps (sim_actor_set_asleep()), so idle rounds do not ask it.
 */
#include <secsoc/kernel.h>
#include <secsoc/spinlock.h>
#include <secsoc/timer.h>

#define NS_PER_JIFFY (1000000000ULL / HZ)

static struct kernel_timers *timers(void)
{
	struct kernel *k = kernel_current();

	always(k, "kernel timer used with no kernel booted");
	return &k->timers;
}

u64 get_jiffies(void)
{
	struct kernel *k = kernel_current();

	return k ? sim_now_ns(k->soc->sim) / NS_PER_JIFFY : 0;
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t), u32 flags)
{
	*t = (struct timer_list){ .function = fn, .flags = flags };
	INIT_LIST_HEAD(&t->entry);
}

/* The actor is ready exactly while a timer is armed: asleep otherwise. */
static void timers_update_sleep(struct kernel_timers *kt)
{
	sim_actor_set_asleep(&kt->actor, list_empty(&kt->armed));
}

/* The timed strategy may run the actor no earlier than the first expiry. */
static void timers_rearm_actor(struct kernel_timers *kt)
{
	struct timer_list *first;

	timers_update_sleep(kt);
	if (list_empty(&kt->armed))
		return;
	first = list_first_entry(&kt->armed, struct timer_list, entry);
	/* Set, not raised: a re-armed earlier timer must move the time back. */
	kt->actor.busy_until_ns = first->expires * NS_PER_JIFFY;
}

static void timer_unlink(struct kernel_timers *kt, struct timer_list *t)
{
	list_del_init(&t->entry);
	t->pending = false;
	kt->nr_armed--;
}

int mod_timer(struct timer_list *t, u64 expires)
{
	struct kernel_timers *kt = timers();
	struct timer_list *pos;
	int was = t->pending;

	always(t->function, "mod_timer on a timer without timer_setup()");
	if (was)
		timer_unlink(kt, t);
	always(kt->nr_armed < TIMERS_MAX, "more than %u kernel timers armed", TIMERS_MAX);
	t->expires = expires;
	t->pending = true;
	kt->nr_armed++;
	/* After every timer expiring no later: equal expiries fire in arming order. */
	list_for_each_entry(pos, &kt->armed, entry)
		if (pos->expires > expires)
			break;
	list_add_tail(&t->entry, &pos->entry);
	timers_rearm_actor(kt);
	return was;
}

int del_timer_sync(struct timer_list *t)
{
	struct kernel_timers *kt;

	if (!t->pending)
		return 0;
	kt = timers();
	timer_unlink(kt, t);
	timers_update_sleep(kt);
	return 1;
}

unsigned int timers_armed(void)
{
	struct kernel *k = kernel_current();

	return k ? k->timers.nr_armed : 0;
}

/* The timer softirq: run every expired timer's callback, in expiry order. */
static void timer_softirq(struct cpu_work *w)
{
	struct kernel_timers *kt = container_of(w, struct kernel_timers, softirq);

	while (!list_empty(&kt->expired)) {
		struct timer_list *t = list_first_entry(&kt->expired, struct timer_list, entry);

		timer_unlink(kt, t);
		t->function(t);
		always(spin_locks_held() == 0, "timer callback returned with a spinlock held");
	}
}

static bool timer_actor_ready(struct sim_actor *a)
{
	struct kernel_timers *kt = container_of(a, struct kernel_timers, actor);

	return !list_empty(&kt->armed);
}

static u64 timer_actor_step(struct sim_actor *a)
{
	struct kernel_timers *kt = container_of(a, struct kernel_timers, actor);
	struct timer_list *t = list_first_entry(&kt->armed, struct timer_list, entry);

	/* Still pending (del_timer_sync can take it back) until the softirq runs it. */
	list_move_tail(&t->entry, &kt->expired);
	sim_actor_label(a, "expire timer due at %llu ms", (unsigned long long)t->expires);
	cpu_queue_work(&kernel_current()->soc->cpus[0], &kt->softirq);
	timers_rearm_actor(kt);
	return 0;
}

static u64 timer_actor_hash(const struct sim_actor *a)
{
	const struct kernel_timers *kt = container_of(a, struct kernel_timers, actor);

	return sim_hash_mix(0x71e3, kt->nr_armed);
}

static const struct sim_actor_ops timer_actor_ops = {
	.ready = timer_actor_ready,
	.step = timer_actor_step,
	.state_hash = timer_actor_hash,
	.state_hash_complete = true,
};

/** kernel_timers_init - no timer armed; register the timer actor with @s */
void kernel_timers_init(struct kernel_timers *kt, struct sim *s)
{
	*kt = (struct kernel_timers){ 0 };
	INIT_LIST_HEAD(&kt->armed);
	INIT_LIST_HEAD(&kt->expired);
	INIT_LIST_HEAD(&kt->softirq.node);
	kt->softirq.name = "timer";
	kt->softirq.fn = timer_softirq;
	kt->actor.name = "timer";
	kt->actor.ops = &timer_actor_ops;
	kt->actor.timer = true;
	kt->actor.asleep = true;	/* nothing armed */
	sim_actor_add(s, &kt->actor);
}
