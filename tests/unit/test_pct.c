/*
 * test_pct.c - the PCT strategy with toy actors (three counters of equal
 * work): the highest priority runs until it has no work left, at most
 * d - 1 priority changes, a seed is a run, change points do happen within
 * k steps, and a PCT run replays from its log.
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/sim.h>

#include "helpers.h"

#define TOYS 3
#define WORK 20
#define STEPS (TOYS * WORK)

struct toy {
	struct sim_actor actor;
	unsigned int work;
};

static struct toy toys[TOYS];
static unsigned int order[STEPS];
static unsigned int norder;

static bool toy_ready(struct sim_actor *a)
{
	return container_of(a, struct toy, actor)->work > 0;
}

static u64 toy_step(struct sim_actor *a)
{
	container_of(a, struct toy, actor)->work--;
	if (norder < STEPS)
		order[norder++] = a->id;
	return 1;
}

static const struct sim_actor_ops toy_ops = { .ready = toy_ready, .step = toy_step };
static const char *const names[TOYS] = { "toy-a", "toy-b", "toy-c" };

/* Run the toys under PCT (or replaying @replay) and return the simulation. */
static struct sim *run_toys(u64 seed, u32 depth, const struct schedule *replay)
{
	struct sim_config cfg = { .seed = seed, .strategy = &sim_strategy_pct,
				  .pct_depth = depth, .pct_steps = STEPS };
	struct sim *s;

	if (replay) {
		cfg.strategy = &sim_strategy_replay;
		cfg.replay = replay;
	}
	s = sim_create(&cfg);
	norder = 0;
	for (unsigned int i = 0; i < TOYS; i++) {
		toys[i] = (struct toy){ .actor = { .name = names[i], .ops = &toy_ops },
					.work = WORK };
		sim_actor_add(s, &toys[i].actor);
	}
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(norder, STEPS);
	return s;
}

/* Times the run switched from one toy to another. */
static unsigned int switches(void)
{
	unsigned int n = 0;

	for (unsigned int i = 1; i < norder; i++)
		n += order[i] != order[i - 1];
	return n;
}

static void test_pct_depth1_runs_each_actor_to_the_end(void **state)
{
	(void)state;
	for (u64 seed = 1; seed <= 20; seed++) {
		struct sim *s = run_toys(seed, 1, NULL);

		/* No change point: only a finished toy hands over. */
		assert_int_equal(switches(), TOYS - 1);
		assert_int_equal(sim_preemptions(s), 0);
		sim_destroy(s);
	}
}

static void test_pct_preempts_at_most_depth_minus_one_times(void **state)
{
	(void)state;
	for (u64 seed = 1; seed <= 50; seed++) {
		struct sim *s = run_toys(seed, 3, NULL);

		assert_in_range(sim_preemptions(s), 0, 2);
		sim_destroy(s);
	}
}

static void test_pct_change_points_fall_inside_k_steps(void **state)
{
	unsigned int preempted = 0;

	(void)state;
	/* k = the run's length: most seeds place the change inside the run. */
	for (u64 seed = 1; seed <= 50; seed++) {
		struct sim *s = run_toys(seed, 2, NULL);

		preempted += sim_preemptions(s) == 1;
		sim_destroy(s);
	}
	assert_in_range(preempted, 25, 50);
}

static void test_pct_same_seed_same_run(void **state)
{
	unsigned int first[STEPS];
	struct sim *s;

	(void)state;
	s = run_toys(7, 3, NULL);
	memcpy(first, order, sizeof(first));
	sim_destroy(s);
	s = run_toys(7, 3, NULL);
	assert_memory_equal(first, order, sizeof(first));
	sim_destroy(s);
}

static void test_pct_seeds_give_different_first_actors(void **state)
{
	bool seen[TOYS] = { false };

	(void)state;
	for (u64 seed = 1; seed <= 30; seed++) {
		sim_destroy(run_toys(seed, 1, NULL));
		seen[order[0]] = true;
	}
	for (unsigned int i = 0; i < TOYS; i++)
		assert_true(seen[i]);
}

static void test_pct_run_replays_from_its_log(void **state)
{
	unsigned int first[STEPS];
	struct schedule log = { 0 };
	struct sim *s;

	(void)state;
	s = run_toys(11, 3, NULL);
	memcpy(first, order, sizeof(first));
	log = *sim_schedule(s);
	log.entries = malloc(log.count * sizeof(*log.entries));
	assert_non_null(log.entries);
	memcpy(log.entries, sim_schedule(s)->entries, log.count * sizeof(*log.entries));
	log.capacity = log.count;
	sim_destroy(s);
	s = run_toys(999, 3, &log);
	assert_memory_equal(first, order, sizeof(first));
	assert_string_equal(sim_replay_divergence(s), "");
	sim_destroy(s);
	schedule_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pct_depth1_runs_each_actor_to_the_end),
		cmocka_unit_test(test_pct_preempts_at_most_depth_minus_one_times),
		cmocka_unit_test(test_pct_change_points_fall_inside_k_steps),
		cmocka_unit_test(test_pct_same_seed_same_run),
		cmocka_unit_test(test_pct_seeds_give_different_first_actors),
		cmocka_unit_test(test_pct_run_replays_from_its_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
