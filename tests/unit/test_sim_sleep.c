/*
 * test_sim_sleep.c - asleep actors (sim_actor_set_asleep()): the run loop
 * skips them without changing what runs, and a woken actor runs again, in
 * competing with the others, whether it was put to sleep before or after
 * sim_actor_add().
 */
#include <string.h>

#include <secsoc/sim.h>

#include "helpers.h"

#define NAPPERS 3

/* A toy that steps while it has work; it sleeps exactly while it has none. */
struct napper {
	struct sim_actor actor;
	unsigned int work;
	unsigned int done;
};

static struct napper nappers[NAPPERS];
static unsigned int order[16], norder;

static bool napper_ready(struct sim_actor *a)
{
	return container_of(a, struct napper, actor)->work > 0;
}

static u64 napper_step(struct sim_actor *a)
{
	struct napper *n = container_of(a, struct napper, actor);

	n->work--;
	n->done++;
	if (norder < ARRAY_SIZE(order))
		order[norder++] = a->id;
	sim_actor_set_asleep(a, !n->work);
	return 10;
}

static const struct sim_actor_ops napper_ops = { .ready = napper_ready, .step = napper_step };

/* Give @n work and wake it, as a model does when something posts work. */
static void napper_give(struct napper *n, unsigned int work)
{
	n->work += work;
	sim_actor_set_asleep(&n->actor, false);
}

/* Three nappers, all asleep without work; nappers[1] is put to sleep before it is added. */
static struct sim *nappers_sim(void)
{
	static const char *const names[NAPPERS] = { "a", "b", "c" };
	struct sim_config cfg = { .seed = 1, .jitter_pct = 0 };
	struct sim *s = sim_create(&cfg);

	memset(nappers, 0, sizeof(nappers));
	norder = 0;
	for (unsigned int i = 0; i < NAPPERS; i++) {
		nappers[i].actor = (struct sim_actor){ .name = names[i], .ops = &napper_ops };
		if (i == 1)
			sim_actor_set_asleep(&nappers[i].actor, true);
		sim_actor_add(s, &nappers[i].actor);
		if (i != 1)
			sim_actor_set_asleep(&nappers[i].actor, true);
	}
	return s;
}

static void test_all_asleep_is_quiescent(void **state)
{
	struct sim *s = nappers_sim();

	assert_false(sim_step_once(s));
	assert_int_equal(sim_steps(s), 0);
	sim_destroy(s);
}

static void test_woken_actor_runs_until_it_sleeps(void **state)
{
	struct sim *s = nappers_sim();

	napper_give(&nappers[1], 2);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(nappers[1].done, 2);
	assert_int_equal(nappers[0].done, 0);
	assert_int_equal(nappers[2].done, 0);
	assert_true(nappers[1].actor.asleep);
	sim_destroy(s);
}

/* Woken actors compete like any others: one tie between both, both run. */
static void test_woken_actors_compete(void **state)
{
	struct sim *s = nappers_sim();

	napper_give(&nappers[2], 1);
	napper_give(&nappers[0], 1);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(norder, 2);
	assert_int_equal(nappers[0].done, 1);
	assert_int_equal(nappers[2].done, 1);
	assert_int_equal(sim_schedule(s)->count, 1);
	assert_int_equal(sim_schedule(s)->entries[0].n, 2);
	assert_string_equal(sim_schedule(s)->entries[0].name, order[0] == 0 ? "a" : "c");
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_asleep_is_quiescent),
		cmocka_unit_test(test_woken_actor_runs_until_it_sleeps),
		cmocka_unit_test(test_woken_actors_compete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
