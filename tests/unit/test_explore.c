/*
 * test_explore.c - the explorer (sim/explore.c) on toy protocols: threads
 * that add to a shared counter, either with a racy read-then-write (a bug
 * that needs exactly one preemption) or atomically (correct). Checks the
 * preemption bound, exhaustive enumeration, state hashing, limits, sampling
 * and that a counterexample replays to the same violation; a variant whose
 * threads reach a fault site at every step checks the fault bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/explore.h>

#include "helpers.h"

#define THREADS_MAX 4

struct thread {
	struct sim_actor actor;
	unsigned int pc;	/* steps taken */
	u64 r;			/* the value read (racy protocol) */
};

/* The toy world: a shared counter and the threads that add to it. */
static struct {
	bool racy;		/* read, then write back r + 1 (two steps per add) */
	bool hash_x_only;	/* threads hash the counter only, like a CPU its tasks' names */
	unsigned int nthreads;
	unsigned int steps;	/* steps per thread */
	bool faulty;		/* every step reaches the fault site irq-delay */
	u64 fires_to_fail;	/* the check fails once the site fired this often (0: never) */
	u64 fired;		/* this run's firings: no actor hashes them */
	u64 x;
	struct thread th[THREADS_MAX];
	u64 starts;		/* runs started */
} toy;

static const char *const thread_names[THREADS_MAX] = { "t0", "t1", "t2", "t3" };

static struct thread *to_thread(const struct sim_actor *a)
{
	return container_of(a, struct thread, actor);
}

static bool thread_ready(struct sim_actor *a)
{
	return to_thread(a)->pc < toy.steps;
}

/* Racy: even steps read, odd steps write; atomic: every step adds one. */
static u64 thread_step(struct sim_actor *a)
{
	struct thread *t = to_thread(a);

	if (toy.faulty && sim_fault(a->sim, FAULT_IRQ_DELAY))
		toy.fired++;
	if (!toy.racy)
		toy.x++;
	else if (t->pc % 2 == 0)
		t->r = toy.x;
	else
		toy.x = t->r + 1;
	t->pc++;
	return 10;
}

static u64 thread_hash(const struct sim_actor *a)
{
	const struct thread *t = to_thread(a);

	if (toy.hash_x_only)
		return sim_hash_mix(SIM_HASH_INIT, toy.x);
	return sim_hash_mix(sim_hash_mix(sim_hash_mix(SIM_HASH_INIT, t->pc), t->r), toy.x);
}

static const struct sim_actor_ops thread_ops = {
	.ready = thread_ready,
	.step = thread_step,
	.state_hash = thread_hash,
};

static int toy_start(void *ctx, const struct sim_config *cfg, struct sim **sim,
		     struct secsoc_error *err)
{
	struct sim *s = sim_create(cfg);

	(void)ctx;
	(void)err;
	toy.x = 0;
	toy.fired = 0;
	toy.starts++;
	memset(toy.th, 0, sizeof(toy.th));
	for (unsigned int i = 0; i < toy.nthreads; i++) {
		toy.th[i].actor.name = thread_names[i];
		toy.th[i].actor.ops = &thread_ops;
		sim_actor_add(s, &toy.th[i].actor);
	}
	*sim = s;
	return 0;
}

/* Every add must count. */
static void toy_check(void *ctx, struct sim *sim)
{
	u64 want = toy.nthreads * (toy.racy ? toy.steps / 2 : toy.steps);

	(void)ctx;
	(void)sim;
	always(toy.x == want, "lost update: x = %llu, expected %llu", (unsigned long long)toy.x,
	       (unsigned long long)want);
	always(!toy.fires_to_fail || toy.fired < toy.fires_to_fail, "the fault fired %llu times",
	       (unsigned long long)toy.fired);
}

static void toy_stop(void *ctx, struct sim *sim)
{
	(void)ctx;
	sim_destroy(sim);
}

static const struct explore_target toy_target = {
	.start = toy_start, .check = toy_check, .stop = toy_stop,
};

static void toy_setup(bool racy, unsigned int nthreads, unsigned int steps)
{
	memset(&toy, 0, sizeof(toy));
	toy.racy = racy;
	toy.nthreads = nthreads;
	toy.steps = steps;
}

static void dfs(const struct explore_limits *lim, struct explore_result *res)
{
	struct sim_config cfg = { .seed = 1, .scenario = "toy" };
	struct secsoc_error err = { 0 };

	assert_int_equal(explore_dfs(&toy_target, &cfg, lim, res, &err), 0);
}

static void test_bug_needs_one_preemption(void **state)
{
	struct explore_limits lim = { .max_preemptions = 0 };
	struct explore_result res;

	(void)state;
	toy_setup(true, 2, 2);
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	assert_int_equal(res.bound_done, 0);
	explore_result_free(&res);

	lim.max_preemptions = 1;
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	assert_int_equal(res.bound_done, 0);
	assert_int_equal(res.stats.bound, 1);
	assert_int_equal(res.cex_preemptions, 1);
	assert_non_null(strstr(res.violation.msg, "lost update: x = 1"));
	assert_string_equal(res.counterexample.strategy, "explore");
	explore_result_free(&res);
}

/* 2 + 4 + 6 interleavings of two 2-step threads with at most 0, 1, 2 preemptions. */
static void test_exhaustive_counts_every_schedule(void **state)
{
	struct explore_limits lim = { .max_preemptions = 2, .no_state_hashing = true };
	struct explore_result res;

	(void)state;
	toy_setup(false, 2, 2);
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	assert_int_equal(res.bound_done, 2);
	assert_int_equal(res.stats.schedules, 12);
	assert_int_equal(res.stats.cut, 0);
	assert_int_equal(toy.starts, 12);
	explore_result_free(&res);
}

static void test_state_hashing_cuts_revisits(void **state)
{
	struct explore_limits lim = { .max_preemptions = 3, .no_state_hashing = true };
	struct explore_result plain, hashed;

	(void)state;
	toy_setup(false, 3, 3);
	dfs(&lim, &plain);
	lim.no_state_hashing = false;
	dfs(&lim, &hashed);
	assert_int_equal(plain.verdict, EXPLORE_SAFE);
	assert_int_equal(hashed.verdict, EXPLORE_SAFE);
	assert_int_equal(hashed.bound_done, 3);
	assert_true(hashed.stats.cut > 0);
	assert_true(hashed.stats.states > 0);
	assert_true(hashed.stats.schedules < plain.stats.schedules);
	print_message("toy 3x3, bound 3: %llu schedules plain, %llu hashed (%llu states)\n",
		      (unsigned long long)plain.stats.schedules,
		      (unsigned long long)hashed.stats.schedules,
		      (unsigned long long)hashed.stats.states);
	explore_result_free(&plain);
	explore_result_free(&hashed);
}

/* With hashing the racy bug is still found (the cut is sound here). */
static void test_state_hashing_keeps_the_bug(void **state)
{
	struct explore_limits lim = { .max_preemptions = 2 };
	struct explore_result res;

	(void)state;
	toy_setup(true, 3, 4);
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	assert_int_equal(res.cex_preemptions, 1);
	explore_result_free(&res);
}

/*
 * A hash that leaves out where a thread is (as a CPU's leaves out its tasks'
 * progress) merges the preempted read with the finished add: the abstract
 * key misses the lost update, the default key (step counts) does not.
 */
static void test_step_counts_cover_an_incomplete_hash(void **state)
{
	struct explore_limits lim = { .max_preemptions = 1, .abstract_key = true };
	struct explore_result res;

	(void)state;
	toy_setup(true, 2, 2);
	toy.hash_x_only = true;
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	explore_result_free(&res);

	lim.abstract_key = false;
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	explore_result_free(&res);
}

static void test_schedule_limit_is_incomplete(void **state)
{
	struct explore_limits lim = { .max_preemptions = 2, .max_schedules = 3,
				      .no_state_hashing = true };
	struct explore_result res;

	(void)state;
	toy_setup(false, 2, 2);
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_INCOMPLETE);
	assert_int_equal(res.stats.schedules, 3);
	assert_int_equal(res.bound_done, 0);
	assert_non_null(strstr(res.incomplete, "--max-schedules"));
	explore_result_free(&res);
}

static void test_depth_and_step_limits_are_incomplete(void **state)
{
	struct explore_limits lim = { .max_preemptions = 1, .max_depth = 1 };
	struct explore_result res;

	(void)state;
	toy_setup(false, 2, 3);
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_INCOMPLETE);
	assert_int_equal(res.bound_done, -1);
	assert_non_null(strstr(res.incomplete, "--max-depth"));
	explore_result_free(&res);

	lim.max_depth = 0;
	lim.max_steps = 4;
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_INCOMPLETE);
	assert_non_null(strstr(res.incomplete, "--max-steps"));
	explore_result_free(&res);
}

static void test_bad_limits_are_input_errors(void **state)
{
	struct explore_limits lim = { .max_preemptions = EXPLORE_PREEMPTIONS_MAX + 1 };
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct explore_result res;

	(void)state;
	toy_setup(false, 2, 2);
	assert_int_equal(explore_dfs(&toy_target, &cfg, &lim, &res, &err), -EINVAL);
	lim.max_preemptions = 0;
	lim.table_slots = 3;
	assert_int_equal(explore_dfs(&toy_target, &cfg, &lim, &res, &err), -EINVAL);
	assert_int_equal(toy.starts, 0);
}

/* The saved choice log, replayed, hits the same violation at the same step. */
static void test_counterexample_replays(void **state)
{
	struct explore_limits lim = { .max_preemptions = 1 };
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct explore_result res;
	struct sim *s;

	(void)state;
	toy_setup(true, 2, 2);
	dfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	cfg.strategy = &sim_strategy_replay;
	cfg.replay = &res.counterexample;
	cfg.max_steps = res.counterexample.max_steps;
	assert_int_equal(toy_start(NULL, &cfg, &s, &err), 0);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	toy_check(NULL, s);
	assert_int_equal(sim_violation_count(s), 1);
	assert_string_equal(sim_violation(s, 0)->msg, res.violation.msg);
	assert_int_equal(sim_steps(s), res.cex_steps);
	assert_string_equal(sim_replay_divergence(s), "");
	toy_stop(NULL, s);
	explore_result_free(&res);
}

static void test_sampling_finds_the_bug_or_proves_nothing(void **state)
{
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_random };
	struct secsoc_error err = { 0 };
	struct explore_result res;

	(void)state;
	toy_setup(true, 2, 2);
	assert_int_equal(explore_sample(&toy_target, &cfg, 200, &res, &err), 0);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	assert_true(res.stats.schedules <= 200);
	assert_string_equal(res.counterexample.strategy, "random");
	explore_result_free(&res);

	toy_setup(false, 2, 2);
	cfg.strategy = &sim_strategy_pct;
	assert_int_equal(explore_sample(&toy_target, &cfg, 20, &res, &err), 0);
	assert_int_equal(res.verdict, EXPLORE_INCOMPLETE);
	assert_int_equal(res.stats.schedules, 20);
	explore_result_free(&res);
}

/* Without a path the explore strategy is the default rule: continue, else option 0. */
static void test_explore_strategy_alone_runs_the_default_schedule(void **state)
{
	struct sim_config cfg = { .seed = 1, .strategy = sim_strategy_find("explore") };
	struct secsoc_error err = { 0 };
	struct sim *s;

	(void)state;
	toy_setup(true, 2, 2);
	assert_ptr_equal(cfg.strategy, &sim_strategy_explore);
	assert_int_equal(toy_start(NULL, &cfg, &s, &err), 0);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(sim_preemptions(s), 0);
	assert_int_equal(toy.x, 2);
	toy_stop(NULL, s);
}

static void bfs(const struct explore_limits *lim, struct explore_result *res)
{
	struct sim_config cfg = { .seed = 1, .scenario = "toy" };
	struct secsoc_error err = { 0 };

	assert_int_equal(explore_bfs(&toy_target, &cfg, lim, res, &err), 0);
}

/*
 * Two racy threads of 4 steps: DFS preempts deepest first, so its first
 * violation comes after t0 ran almost all its steps and has 7 choices; the
 * fewest choice points a lost update needs are 5 (t0 reads, t1 runs its 4
 * steps while t0 is still ready, then t0 alone).
 */
static void test_bfs_finds_the_shortest_violation(void **state)
{
	struct explore_limits lim = { .max_preemptions = 2 };
	struct explore_result d, b;

	(void)state;
	toy_setup(true, 2, 4);
	dfs(&lim, &d);
	bfs(&lim, &b);
	assert_int_equal(d.verdict, EXPLORE_VIOLATION);
	assert_int_equal(b.verdict, EXPLORE_VIOLATION);
	assert_int_equal(d.counterexample.count, 7);
	assert_int_equal(b.counterexample.count, 5);
	assert_string_equal(b.counterexample.strategy, "explore");
	assert_string_equal(b.violation.where, d.violation.where);
	explore_result_free(&d);
	explore_result_free(&b);
}

/* A correct protocol: BFS covers the bound (safe); a small frontier makes it incomplete. */
static void test_bfs_safe_and_frontier_limit(void **state)
{
	struct explore_limits lim = { .max_preemptions = 1 };
	struct explore_result res;

	(void)state;
	toy_setup(false, 2, 3);
	bfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	assert_int_equal(res.bound_done, 1);
	explore_result_free(&res);
	lim.max_frontier = 2;
	bfs(&lim, &res);
	assert_int_equal(res.verdict, EXPLORE_INCOMPLETE);
	assert_non_null(strstr(res.incomplete, "max-frontier"));
	explore_result_free(&res);
}

/*
 * A random run's counterexample, padded with many needless preemptions,
 * shrinks to a 1-minimal set: one or two of its deviations (a lost update
 * needs one preemption, but ddmin only keeps deviations the run made).
 */
static void test_minimise_shrinks_a_padded_counterexample(void **state)
{
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_random };
	struct secsoc_error err = { 0 };
	struct explore_min_stats ms;
	struct explore_result res;
	struct sim_violation orig;
	u64 choices;

	(void)state;
	toy_setup(true, 3, 6);
	assert_int_equal(explore_sample(&toy_target, &cfg, 200, &res, &err), 0);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	orig = res.violation;
	choices = res.counterexample.count;
	assert_int_equal(explore_minimise(&toy_target, &cfg, 0, &res, &ms, &err), 0);
	assert_true(ms.deviations_before > 3);
	assert_in_range(ms.deviations_after, 1, 2);
	assert_in_range(res.cex_preemptions, 1, 2);
	assert_false(ms.run_limit);
	assert_string_equal(res.violation.where, orig.where);
	assert_string_equal(res.counterexample.strategy, "explore");
	assert_int_equal(ms.choices_before, choices);
	explore_result_free(&res);
}

/* The re-run bound stops ddmin early and says so. */
static void test_minimise_run_limit(void **state)
{
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_random };
	struct secsoc_error err = { 0 };
	struct explore_min_stats ms;
	struct explore_result res;

	(void)state;
	toy_setup(true, 3, 6);
	assert_int_equal(explore_sample(&toy_target, &cfg, 200, &res, &err), 0);
	assert_int_equal(explore_minimise(&toy_target, &cfg, 3, &res, &ms, &err), 0);
	assert_true(ms.run_limit);
	assert_int_equal(ms.runs, 4);	/* 3 in the search and the final re-record */
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	explore_result_free(&res);
}

/* One thread of two steps, each asking the fault site; DFS at bound 0. */
static void fault_dfs(u32 max_faults, u64 fires_to_fail, struct explore_result *res)
{
	struct explore_limits lim = { .max_faults = max_faults };
	struct sim_config cfg = { .seed = 1, .scenario = "toy" };
	struct secsoc_error err = { 0 };

	toy_setup(false, 1, 2);
	toy.faulty = true;
	toy.fires_to_fail = fires_to_fail;
	cfg.faults.enabled[FAULT_IRQ_DELAY] = true;
	assert_int_equal(explore_dfs(&toy_target, &cfg, &lim, res, &err), 0);
}

/* --max-faults 0: the site is asked, never fires: one schedule. */
static void test_fault_bound_zero_never_fires(void **state)
{
	struct explore_result res;

	(void)state;
	fault_dfs(0, 0, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	assert_int_equal(res.stats.schedules, 1);
	assert_int_equal(res.stats.faulted, 0);
	assert_int_equal(toy.fired, 0);
	explore_result_free(&res);
}

/* --max-faults 1: no firing, a firing at the first visit, one at the second. */
static void test_fault_bound_one_explores_both_outcomes(void **state)
{
	struct explore_result res;

	(void)state;
	fault_dfs(1, 0, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	assert_int_equal(res.stats.schedules, 3);
	assert_int_equal(res.stats.faulted, 2);
	assert_int_equal(toy.starts, 3);
	explore_result_free(&res);
}

/*
 * A bug that needs two firings, which change no hashed state: only the
 * firings in the state key keep the search from cutting the second firing
 * at a state reached without it. Its counterexample replays.
 */
static void test_fault_count_in_the_key_finds_a_two_fault_bug(void **state)
{
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_replay };
	struct secsoc_error err = { 0 };
	struct explore_result res;
	struct sim *s;

	(void)state;
	fault_dfs(1, 2, &res);
	assert_int_equal(res.verdict, EXPLORE_SAFE);
	explore_result_free(&res);

	fault_dfs(2, 2, &res);
	assert_int_equal(res.verdict, EXPLORE_VIOLATION);
	assert_non_null(strstr(res.violation.msg, "the fault fired 2 times"));
	assert_string_equal(res.counterexample.faults, "irq-delay:0");
	cfg.replay = &res.counterexample;
	cfg.max_steps = res.counterexample.max_steps;
	cfg.faults.enabled[FAULT_IRQ_DELAY] = true;
	assert_int_equal(toy_start(NULL, &cfg, &s, &err), 0);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	toy_check(NULL, s);
	assert_int_equal(sim_fault_fired(s, FAULT_IRQ_DELAY), 2);
	assert_int_equal(sim_violation_count(s), 1);
	assert_string_equal(sim_violation(s, 0)->msg, res.violation.msg);
	assert_string_equal(sim_replay_divergence(s), "");
	toy_stop(NULL, s);
	explore_result_free(&res);
}

static void test_fault_bound_out_of_range(void **state)
{
	struct explore_limits lim = { .max_faults = EXPLORE_FAULTS_MAX + 1 };
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct explore_result res;

	(void)state;
	toy_setup(false, 1, 1);
	assert_int_equal(explore_dfs(&toy_target, &cfg, &lim, &res, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "faults <= 64"));
	explore_result_free(&res);
}

/* Every part of @n, merged (the parts' results are freed). */
static void parts(enum explore_kind kind, const struct explore_limits *lim, u32 n,
		  struct explore_result *merged)
{
	struct sim_config cfg = { .seed = 1, .scenario = "toy" };
	struct secsoc_error err = { 0 };
	struct explore_result res[4];

	assert_true(n <= ARRAY_SIZE(res));
	for (u32 i = 0; i < n; i++) {
		struct explore_part part = { .index = i, .count = n, .keep_keys = true };

		assert_int_equal(explore_part(&toy_target, &cfg, lim, kind, &part, &res[i], &err),
				 0);
		assert_int_equal(res[i].parts, 1);
	}
	assert_int_equal(explore_merge(res, n, merged, &err), 0);
	assert_int_equal(merged->parts, n);
	for (u32 i = 0; i < n; i++)
		explore_result_free(&res[i]);
}

/*
 * Without state hashing the parts split the schedules exactly: the DFS's
 * leaves and the BFS's nodes, summed over the parts, are the single search's.
 */
static void test_parts_cover_the_schedules_exactly(void **state)
{
	struct explore_limits lim = { .max_preemptions = 3, .no_state_hashing = true };
	struct explore_result one, merged;

	(void)state;
	toy_setup(false, 3, 3);
	for (int kind = EXPLORE_DFS; kind <= EXPLORE_BFS; kind++) {
		if (kind == EXPLORE_DFS)
			dfs(&lim, &one);
		else
			bfs(&lim, &one);
		parts(kind, &lim, 3, &merged);
		assert_int_equal(merged.verdict, EXPLORE_SAFE);
		assert_int_equal(merged.bound_done, 3);
		assert_int_equal(merged.stats.schedules, one.stats.schedules);
		assert_true(merged.units > 3);
		explore_result_free(&one);
		explore_result_free(&merged);
	}
}

/* With state hashing: the same verdict, and the union of the parts' states. */
static void test_parts_merged_keep_verdict_and_states(void **state)
{
	struct explore_limits lim = { .max_preemptions = 2 };
	struct explore_result one, merged;

	(void)state;
	toy_setup(false, 3, 3);
	dfs(&lim, &one);
	parts(EXPLORE_DFS, &lim, 3, &merged);
	assert_int_equal(merged.verdict, EXPLORE_SAFE);
	assert_true(merged.stats.states >= one.stats.states / 2);
	assert_true(merged.stats.states <= one.stats.states * 3);
	explore_result_free(&one);
	explore_result_free(&merged);

	toy_setup(true, 2, 4);
	bfs(&lim, &one);
	parts(EXPLORE_BFS, &lim, 2, &merged);
	assert_int_equal(merged.verdict, EXPLORE_VIOLATION);
	assert_int_equal(merged.counterexample.count, one.counterexample.count);
	assert_int_equal(merged.cex_order >> 32, 5);
	assert_string_equal(merged.violation.where, one.violation.where);
	explore_result_free(&one);
	explore_result_free(&merged);
}

static void assert_same_schedule(const struct schedule *a, const struct schedule *b)
{
	assert_int_equal(a->count, b->count);
	for (u64 i = 0; i < a->count; i++) {
		assert_int_equal(a->entries[i].kind, b->entries[i].kind);
		assert_int_equal(a->entries[i].answer, b->entries[i].answer);
	}
}

/* Worker processes: the counterexample and verdict of one search (racy), the union (safe). */
static void test_jobs_match_one_search(void **state)
{
	struct explore_limits lim = { .max_preemptions = 2 };
	struct sim_config cfg = { .seed = 1, .scenario = "toy" };
	struct secsoc_error err = { 0 };
	struct explore_result one, two;

	(void)state;
	toy_setup(true, 2, 4);
	for (int kind = EXPLORE_DFS; kind <= EXPLORE_BFS; kind++) {
		assert_int_equal(explore_jobs(&toy_target, &cfg, &lim, kind, 1, &one, &err), 0);
		assert_int_equal(explore_jobs(&toy_target, &cfg, &lim, kind, 2, &two, &err), 0);
		assert_int_equal(one.verdict, EXPLORE_VIOLATION);
		assert_int_equal(two.verdict, EXPLORE_VIOLATION);
		assert_int_equal(two.parts, 2);
		assert_same_schedule(&one.counterexample, &two.counterexample);
		explore_result_free(&one);
		explore_result_free(&two);
	}
	toy_setup(false, 3, 3);
	assert_int_equal(explore_jobs(&toy_target, &cfg, &lim, EXPLORE_DFS, 2, &two, &err), 0);
	assert_int_equal(two.verdict, EXPLORE_SAFE);
	assert_true(two.stats.states > 0);
	explore_result_free(&two);
}

/* The lowest order wins, whatever the part; an incomplete part makes the whole so. */
static void test_merge_picks_the_lowest_order(void **state)
{
	struct explore_result p[3], out;
	struct secsoc_error err = { 0 };

	(void)state;
	memset(p, 0, sizeof(p));
	p[0].verdict = EXPLORE_INCOMPLETE;
	snprintf(p[0].incomplete, sizeof(p[0].incomplete), "limit");
	p[1].verdict = EXPLORE_VIOLATION;
	p[1].cex_order = 7;
	p[1].cex_steps = 11;
	p[2].verdict = EXPLORE_VIOLATION;
	p[2].cex_order = 3;
	p[2].cex_steps = 22;
	for (int i = 0; i < 3; i++)
		p[i].stats.schedules = 10;
	assert_int_equal(explore_merge(p, 3, &out, &err), 0);
	assert_int_equal(out.verdict, EXPLORE_VIOLATION);
	assert_int_equal(out.cex_steps, 22);
	assert_int_equal(out.stats.schedules, 30);
	p[1].verdict = p[2].verdict = EXPLORE_SAFE;
	assert_int_equal(explore_merge(p, 3, &out, &err), 0);
	assert_int_equal(out.verdict, EXPLORE_INCOMPLETE);
	assert_string_equal(out.incomplete, "limit");
}

static void test_part_out_of_range(void **state)
{
	struct explore_limits lim = { 0 };
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct explore_part part = { .index = 2, .count = 2 };
	struct explore_result res;

	(void)state;
	toy_setup(false, 1, 1);
	assert_int_equal(explore_part(&toy_target, &cfg, &lim, EXPLORE_DFS, &part, &res, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "part 2 of 2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bug_needs_one_preemption),
		cmocka_unit_test(test_exhaustive_counts_every_schedule),
		cmocka_unit_test(test_state_hashing_cuts_revisits),
		cmocka_unit_test(test_state_hashing_keeps_the_bug),
		cmocka_unit_test(test_step_counts_cover_an_incomplete_hash),
		cmocka_unit_test(test_schedule_limit_is_incomplete),
		cmocka_unit_test(test_depth_and_step_limits_are_incomplete),
		cmocka_unit_test(test_bad_limits_are_input_errors),
		cmocka_unit_test(test_counterexample_replays),
		cmocka_unit_test(test_sampling_finds_the_bug_or_proves_nothing),
		cmocka_unit_test(test_explore_strategy_alone_runs_the_default_schedule),
		cmocka_unit_test(test_bfs_finds_the_shortest_violation),
		cmocka_unit_test(test_bfs_safe_and_frontier_limit),
		cmocka_unit_test(test_minimise_shrinks_a_padded_counterexample),
		cmocka_unit_test(test_minimise_run_limit),
		cmocka_unit_test(test_fault_bound_zero_never_fires),
		cmocka_unit_test(test_fault_bound_one_explores_both_outcomes),
		cmocka_unit_test(test_fault_count_in_the_key_finds_a_two_fault_bug),
		cmocka_unit_test(test_fault_bound_out_of_range),
		cmocka_unit_test(test_parts_cover_the_schedules_exactly),
		cmocka_unit_test(test_parts_merged_keep_verdict_and_states),
		cmocka_unit_test(test_jobs_match_one_search),
		cmocka_unit_test(test_merge_picks_the_lowest_order),
		cmocka_unit_test(test_part_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
