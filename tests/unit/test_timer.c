/*
 * test_timer.c - kernel timers over modelled time (kernel/timer.c): expiry
 * order and time under the timed strategy, re-arming, deletion, the
 * callback's context, and the shutdown accounting.
 */
#include <secsoc/timer.h>

#include "kmem_fixture.h"

#define FIRED_MAX 8

struct probe {
	struct timer_list t;
	int id;
};

static int fired[FIRED_MAX];
static u64 fired_ns[FIRED_MAX];
static enum cpu_context fired_ctx;
static unsigned int nr_fired;

static void record(struct timer_list *t)
{
	struct probe *p = container_of(t, struct probe, t);

	assert_true(nr_fired < FIRED_MAX);
	fired[nr_fired] = p->id;
	fired_ns[nr_fired] = sim_now_ns(fx.sim);
	fired_ctx = cpu_current() ? cpu_current()->ctx : CPU_CTX_IDLE;
	nr_fired++;
}

static void probe_init(struct probe *p, int id)
{
	timer_setup(&p->t, record, 0);
	p->id = id;
}

static void run_all(void)
{
	nr_fired = 0;
	sim_run(fx.sim);
}

static void test_fires_at_expiry_in_bh_context(void **state)
{
	struct probe a;

	probe_init(&a, 1);
	assert_int_equal(mod_timer(&a.t, jiffies + msecs_to_jiffies(5)), 0);
	assert_true(timer_pending(&a.t));
	run_all();
	assert_int_equal(nr_fired, 1);
	assert_false(timer_pending(&a.t));
	/* The callback runs in the timer softirq, just after the 5 ms expiry. */
	assert_true(fired_ns[0] >= 5000000);
	assert_true(fired_ns[0] < 5100000);
	assert_int_equal(fired_ctx, CPU_CTX_BH);
	assert_int_equal(timers_armed(), 0);
}

static void test_expiry_order_not_arming_order(void **state)
{
	struct probe a, b, c;

	probe_init(&a, 1);
	probe_init(&b, 2);
	probe_init(&c, 3);
	mod_timer(&a.t, 30);
	mod_timer(&b.t, 10);
	mod_timer(&c.t, 20);
	run_all();
	assert_int_equal(nr_fired, 3);
	assert_int_equal(fired[0], 2);
	assert_int_equal(fired[1], 3);
	assert_int_equal(fired[2], 1);
}

static void test_rearm_earlier_moves_expiry_back(void **state)
{
	struct probe a;

	probe_init(&a, 1);
	mod_timer(&a.t, 100);
	assert_int_equal(mod_timer(&a.t, 2), 1);
	run_all();
	assert_int_equal(nr_fired, 1);
	assert_true(fired_ns[0] < 3000000);
}

static void test_deleted_timer_never_fires(void **state)
{
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	mod_timer(&a.t, 3);
	mod_timer(&b.t, 4);
	assert_int_equal(del_timer_sync(&a.t), 1);
	assert_int_equal(del_timer_sync(&a.t), 0);
	run_all();
	assert_int_equal(nr_fired, 1);
	assert_int_equal(fired[0], 2);
}

static void test_delete_after_expiry_before_softirq(void **state)
{
	struct probe a;

	probe_init(&a, 1);
	mod_timer(&a.t, 1);
	nr_fired = 0;
	/* Step until the timer actor has expired it: the softirq is still queued. */
	while (list_empty(&fx.k.timers.expired))
		assert_true(sim_step_once(fx.sim));
	assert_true(timer_pending(&a.t));
	assert_int_equal(del_timer_sync(&a.t), 1);
	sim_run(fx.sim);
	assert_int_equal(nr_fired, 0);
	assert_int_equal(timers_armed(), 0);
}

static void test_nothing_armed_means_quiescent(void **state)
{
	assert_false(fx.k.timers.actor.ops->ready(&fx.k.timers.actor));
	assert_int_equal(get_jiffies(), 0);
	sim_run(fx.sim);
	assert_int_equal(sim_now_ns(fx.sim), 0);
}

static void test_shutdown_with_armed_timer_is_violation(void **state)
{
	static struct probe a;

	probe_init(&a, 1);
	mod_timer(&a.t, 50);
	kernel_shutdown(&fx.k);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "kernel shutdown with 1 timers armed"));
	soc_destroy(fx.soc);
	sim_destroy(fx.sim);
	dt_free(fx.dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		KMEM_TEST(test_fires_at_expiry_in_bh_context),
		KMEM_TEST(test_expiry_order_not_arming_order),
		KMEM_TEST(test_rearm_earlier_moves_expiry_back),
		KMEM_TEST(test_deleted_timer_never_fires),
		KMEM_TEST(test_delete_after_expiry_before_softirq),
		KMEM_TEST(test_nothing_armed_means_quiescent),
		/* This one shuts the kernel down itself. */
		cmocka_unit_test_setup(test_shutdown_with_armed_timer_is_violation, kmem_fx_boot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
