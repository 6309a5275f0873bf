/*
 * test_sim.c - the event kernel with toy actors (counters that step while
 * they have work left): quiescence, timed earliest-first order, seeded
 * tie-breaks, the random strategy, limits, always/sometimes, preemption
 * counting, state hashing, fault sites, jitter and guest errors.
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/sim.h>
#include <secsoc/trace.h>

#include "helpers.h"

#define TOYS_MAX 4
#define ORDER_MAX 256

struct toy {
	struct sim_actor actor;
	unsigned int work;	/* steps left */
	unsigned int done;	/* steps taken */
	u64 cost;
	int fail_at;		/* always() fails on this step (counting from 1), or 0 */
	int stop_at;		/* sim_request_stop() on this step, or 0 */
};

/* What happened, in order, as the toys saw it. */
static struct {
	unsigned int n;
	unsigned int id[ORDER_MAX];
	u64 t[ORDER_MAX];
	int last;			/* id of the previous step, or -1 */
	u64 expected_preemptions;
} seen;

static struct toy toys[TOYS_MAX];

static struct toy *to_toy(const struct sim_actor *a)
{
	return container_of(a, struct toy, actor);
}

static bool toy_ready(struct sim_actor *a)
{
	return to_toy(a)->work > 0;
}

static u64 toy_step(struct sim_actor *a)
{
	struct toy *t = to_toy(a);

	/* The previous actor is still ready and was passed over: a preemption. */
	if (seen.last >= 0 && (unsigned int)seen.last != a->id && toys[seen.last].work)
		seen.expected_preemptions++;
	seen.last = (int)a->id;
	if (seen.n < ORDER_MAX) {
		seen.id[seen.n] = a->id;
		seen.t[seen.n++] = sim_now_ns(a->sim);
	}
	t->work--;
	t->done++;
	sim_actor_label(a, "work %u", t->work);
	always((int)t->done != t->fail_at, "%s failed at %u", a->name, t->done);
	if ((int)t->done == t->stop_at)
		sim_request_stop(a->sim);
	return t->cost;
}

static u64 toy_hash(const struct sim_actor *a)
{
	return to_toy(a)->work;
}

static const struct sim_actor_ops toy_ops = {
	.ready = toy_ready,
	.step = toy_step,
	.state_hash = toy_hash,
};

static const char *const toy_names[TOYS_MAX] = { "toy-a", "toy-b", "toy-c", "toy-d" };

/* A sim with @n toys; toy i has work[i] steps of cost cost[i]. */
static struct sim *toy_sim(const struct sim_config *cfg, unsigned int n, const unsigned int *work,
			   const u64 *cost)
{
	struct sim *s = sim_create(cfg);
	unsigned int i;

	memset(&seen, 0, sizeof(seen));
	seen.last = -1;
	memset(toys, 0, sizeof(toys));
	for (i = 0; i < n; i++) {
		toys[i].actor.name = toy_names[i];
		toys[i].actor.ops = &toy_ops;
		toys[i].work = work[i];
		toys[i].cost = cost[i];
		sim_actor_add(s, &toys[i].actor);
	}
	return s;
}

static void test_quiescent(void **state)
{
	static const unsigned int work[] = { 3, 2 };
	static const u64 cost[] = { 10, 10 };
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = toy_sim(&cfg, 2, work, cost);

	assert_ptr_equal(sim_current(), s);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(sim_steps(s), 5);
	assert_int_equal(toys[0].done, 3);
	assert_int_equal(toys[1].done, 2);
	assert_int_equal(toys[0].actor.steps, 3);
	assert_int_equal(toys[1].actor.id, 1);
	assert_false(sim_step_once(s));
	assert_null(sim_running_actor(s));
	sim_destroy(s);
	assert_null(sim_current());
}

/* a costs 10, b costs 25 and may not start before 5: a b a a b at 0 5 10 20 30. */
static void test_timed_earliest_first(void **state)
{
	static const unsigned int work[] = { 3, 2 };
	static const u64 cost[] = { 10, 25 };
	static const unsigned int want_id[] = { 0, 1, 0, 0, 1 };
	static const u64 want_t[] = { 0, 5, 10, 20, 30 };
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = toy_sim(&cfg, 2, work, cost);
	unsigned int i;

	sim_actor_wait_until(&toys[1].actor, 5);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.n, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(seen.id[i], want_id[i]);
		assert_int_equal(seen.t[i], want_t[i]);
	}
	assert_int_equal(sim_now_ns(s), 30);
	assert_int_equal(toys[1].actor.busy_until_ns, 55);
	sim_destroy(s);
}

/* Equal costs tie at every round: the order is a function of the seed alone. */
static unsigned int tie_order(u64 seed, unsigned int *order)
{
	static const unsigned int work[] = { 8, 8, 8 };
	static const u64 cost[] = { 10, 10, 10 };
	struct sim_config cfg = { .seed = seed };
	struct sim *s = toy_sim(&cfg, 3, work, cost);

	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	memcpy(order, seen.id, seen.n * sizeof(*order));
	assert_int_equal(sim_now_ns(s), 70);	/* ties never waste time */
	sim_destroy(s);
	return seen.n;
}

static void test_tie_break_seeded(void **state)
{
	unsigned int a[ORDER_MAX], b[ORDER_MAX];
	unsigned int n = tie_order(1, a), differ = 0;
	u64 seed;

	assert_int_equal(n, 24);
	assert_int_equal(tie_order(1, b), n);
	assert_memory_equal(a, b, n * sizeof(*a));
	for (seed = 2; seed < 6; seed++) {
		tie_order(seed, b);
		differ += memcmp(a, b, n * sizeof(*a)) != 0;
	}
	assert_true(differ > 0);
}

/* How many of the first @n steps toy-b took. */
static unsigned int b_steps_in(const unsigned int *order, unsigned int n)
{
	unsigned int i, b = 0;

	for (i = 0; i < n; i++)
		b += order[i] == 1;
	return b;
}

/*
 * a costs 1, b costs 1000. Timed: b's second step waits until a's fifty are
 * done. Random: b is not held back (two of its steps among the first 52 with
 * probability above 1 - 2^-40).
 */
static void test_random_ignores_time(void **state)
{
	static const unsigned int work[] = { 50, 50 };
	static const u64 cost[] = { 1, 1000 };
	struct sim_config timed = { .seed = 9 };
	struct sim_config random = { .seed = 9, .strategy = &sim_strategy_random };
	unsigned int first[ORDER_MAX];
	struct sim *s;

	s = toy_sim(&timed, 2, work, cost);
	sim_run(s);
	assert_int_equal(b_steps_in(seen.id, 51), 1);
	sim_destroy(s);

	s = toy_sim(&random, 2, work, cost);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.n, 100);
	memcpy(first, seen.id, sizeof(first));
	assert_true(b_steps_in(first, 52) >= 2);
	sim_destroy(s);

	s = toy_sim(&random, 2, work, cost);	/* same seed, same order */
	sim_run(s);
	assert_memory_equal(first, seen.id, 100 * sizeof(*first));
	sim_destroy(s);
}

static void test_duration_limit(void **state)
{
	static const unsigned int work[] = { 1000 };
	static const u64 cost[] = { 10 };
	struct sim_config cfg = { .seed = 1, .duration_ns = 100 };
	struct sim *s = toy_sim(&cfg, 1, work, cost);

	assert_int_equal(sim_run(s), SIM_STOP_DURATION);
	assert_int_equal(sim_now_ns(s), 110);	/* the first step to start after 100 */
	assert_int_equal(sim_steps(s), 12);
	sim_destroy(s);
}

static void test_step_limit(void **state)
{
	static const unsigned int work[] = { 1000, 1000 };
	static const u64 cost[] = { 10, 10 };
	struct sim_config cfg = { .seed = 1, .max_steps = 7 };
	struct sim *s = toy_sim(&cfg, 2, work, cost);

	assert_int_equal(sim_run(s), SIM_STOP_STEPS);
	assert_int_equal(sim_steps(s), 7);
	assert_int_equal(sim_config(s)->max_steps, 7);
	sim_destroy(s);
}

static void test_default_step_limit(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = sim_create(&cfg);

	assert_int_equal(sim_config(s)->max_steps, SIM_DEFAULT_MAX_STEPS);
	sim_destroy(s);
}

static void test_always_violation(void **state)
{
	static const unsigned int work[] = { 10 };
	static const u64 cost[] = { 10 };
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = toy_sim(&cfg, 1, work, cost);
	const struct sim_violation *v;

	toys[0].fail_at = 3;
	assert_int_equal(sim_run(s), SIM_STOP_VIOLATION);
	/* The failing step completes, then the run stops. */
	assert_int_equal(sim_steps(s), 3);
	assert_int_equal(sim_violation_count(s), 1);
	v = sim_violation(s, 0);
	assert_int_equal(v->step, 2);		/* steps count from 0 */
	assert_int_equal(v->time_ns, 20);
	assert_string_equal(v->actor, "toy-a");
	assert_string_equal(v->msg, "(int)t->done != t->fail_at: toy-a failed at 3");
	assert_non_null(strstr(v->where, "test_sim.c:"));
	assert_null(sim_violation(s, 1));
	sim_destroy(s);
}

static void test_sometimes_goals(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = sim_create(&cfg);
	const struct sim_sometimes_goal *g;
	int i;

	sim_sometimes_declare(s, "never");
	for (i = 0; i < 10; i++)
		sometimes(i % 2 == 0, "even");
	sim_sometimes_declare(s, "even");	/* declaring again adds nothing */
	assert_int_equal(sim_sometimes_count(s), 2);
	g = sim_sometimes_goal(s, 0);
	assert_string_equal(g->name, "never");
	assert_int_equal(g->reached, 0);
	assert_int_equal(g->evaluated, 0);
	g = sim_sometimes_goal(s, 1);
	assert_string_equal(g->name, "even");
	assert_int_equal(g->reached, 5);
	assert_int_equal(g->evaluated, 10);
	assert_null(sim_sometimes_goal(s, 2));
	sim_destroy(s);
}

static void test_preemptions_counted(void **state)
{
	static const unsigned int work[] = { 20, 20, 20 };
	static const u64 cost[] = { 5, 7, 11 };
	struct sim_config cfg = { .seed = 5, .strategy = &sim_strategy_random };
	struct sim *s = toy_sim(&cfg, 3, work, cost);

	sim_run(s);
	assert_true(seen.expected_preemptions > 5);
	assert_int_equal(sim_preemptions(s), seen.expected_preemptions);
	sim_destroy(s);
}

/* What a recording strategy saw as sim_choice.prev, one per SCHED choice. */
static struct {
	unsigned int n;
	int prev[ORDER_MAX];
} prevs;

static void note_prev(const struct sim_choice *c)
{
	if (c->kind == SIM_CHOICE_SCHED && prevs.n < ORDER_MAX)
		prevs.prev[prevs.n++] = c->prev;
}

/* The timed strategy's answers, with prev recorded. */
static unsigned int record_timed_choose(struct sim *s, const struct sim_choice *c)
{
	note_prev(c);
	return sim_strategy_timed.choose(s, c);
}

/* Always switch: the earliest option that is not prev (there is one: n >= 2). */
static unsigned int switch_choose(struct sim *s, const struct sim_choice *c)
{
	unsigned int i, best = c->n;

	note_prev(c);
	for (i = 0; i < c->n; i++)
		if ((int)i != c->prev && (best == c->n || c->eligible_ns[i] < c->eligible_ns[best]))
			best = i;
	return best;
}

static const struct sim_strategy_ops record_timed = {
	.name = "record-timed", .timed = true, .choose = record_timed_choose,
};
static const struct sim_strategy_ops switch_timed = {
	.name = "switch-timed", .timed = true, .choose = switch_choose,
};
static const struct sim_strategy_ops switch_untimed = {
	.name = "switch-untimed", .timed = false, .choose = switch_choose,
};

/* Run toys under @st from a clean prevs record; check the prevs seen. */
static struct sim *prev_run(const struct sim_strategy_ops *st, unsigned int n,
			    const unsigned int *work, const u64 *cost, u64 b_start,
			    const int *want_prev, unsigned int nwant)
{
	struct sim_config cfg = { .seed = 1, .strategy = st };
	struct sim *s = toy_sim(&cfg, n, work, cost);
	unsigned int i;

	memset(&prevs, 0, sizeof(prevs));
	sim_actor_wait_until(&toys[1].actor, b_start);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(prevs.n, nwant);
	for (i = 0; i < nwant; i++)
		assert_int_equal(prevs.prev[i], want_prev[i]);
	return s;
}

/*
 * Timed: a (cost 100) steps at 0, then b (cost 10, from 1) runs at 1, 11, 21
 * while a is busy until 100. Switching from a to b is no preemption: a could
 * not have continued at 1. Then b is the earliest and continues: prev is b.
 */
static void test_timed_busy_prev_no_preemption(void **state)
{
	static const unsigned int work[] = { 2, 3 };
	static const u64 cost[] = { 100, 10 };
	static const int want[] = { -1, -1, 1, 1 };
	struct sim *s = prev_run(&record_timed, 2, work, cost, 1, want, ARRAY_SIZE(want));

	assert_int_equal(seen.n, 5);
	assert_int_equal(seen.id[1], 1);	/* b ran while a was busy */
	assert_int_equal(seen.expected_preemptions, 1);	/* a was ready, but busy */
	assert_int_equal(sim_preemptions(s), 0);
	sim_destroy(s);
}

/*
 * Timed, equal costs: when the last actor ties for the earliest time it could
 * continue, so switching away is a preemption (rounds 3 and 5: a at 10, 20).
 */
static void test_timed_tied_prev_preempted(void **state)
{
	static const unsigned int work[] = { 3, 3 };
	static const u64 cost[] = { 10, 10 };
	static const int want[] = { -1, -1, 1, -1, 1 };
	struct sim *s = prev_run(&switch_timed, 2, work, cost, 0, want, ARRAY_SIZE(want));

	assert_int_equal(sim_preemptions(s), 2);
	sim_destroy(s);
}

/* Untimed: the last actor could continue whenever it is ready, busy or not. */
static void test_untimed_ready_prev_preempted(void **state)
{
	static const unsigned int work[] = { 3, 3 };
	static const u64 cost[] = { 100, 10 };
	static const int want[] = { -1, 0, 1, 0, 1 };
	struct sim *s = prev_run(&switch_untimed, 2, work, cost, 1, want, ARRAY_SIZE(want));

	assert_int_equal(sim_preemptions(s), 4);
	assert_int_equal(sim_preemptions(s), seen.expected_preemptions);
	sim_destroy(s);
}

static void test_state_hash(void **state)
{
	static const unsigned int work[] = { 3, 5 };
	static const u64 cost[] = { 1, 1 };
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = toy_sim(&cfg, 2, work, cost);
	u64 h0 = sim_state_hash(s), h1;

	assert_int_equal(sim_state_hash(s), h0);
	toys[0].work = 2;
	h1 = sim_state_hash(s);
	assert_int_not_equal(h1, h0);
	toys[0].work = 3;
	assert_int_equal(sim_state_hash(s), h0);
	toys[0].work = 5;			/* swap the two states: order matters */
	toys[1].work = 3;
	assert_int_not_equal(sim_state_hash(s), h0);
	sim_destroy(s);
}

static struct sim *fault_sim(const char *spec)
{
	struct sim_config cfg = { .seed = 3 };
	struct secsoc_error err = { 0 };

	assert_int_equal(fault_spec_parse(spec, &cfg.faults, &err), 0);
	return sim_create(&cfg);
}

static void test_fault_disabled(void **state)
{
	struct sim *s = fault_sim("");
	int i;

	for (i = 0; i < 100; i++)
		assert_false(sim_fault(s, FAULT_IRQ_DELAY));
	assert_int_equal(sim_choices(s), 0);
	assert_int_equal(sim_fault_fired(s, FAULT_IRQ_DELAY), 0);
	sim_destroy(s);
}

static void test_fault_prob_zero_and_one(void **state)
{
	struct sim *s = fault_sim("irq-delay:0");
	const struct schedule *log;
	int i;

	for (i = 0; i < 100; i++)
		assert_false(sim_fault(s, FAULT_IRQ_DELAY));
	assert_int_equal(sim_choices(s), 100);	/* enabled: each is a logged choice */
	assert_int_equal(sim_fault_fired(s, FAULT_IRQ_DELAY), 0);
	sim_destroy(s);

	s = fault_sim("irq-delay:1");
	for (i = 0; i < 100; i++)
		assert_true(sim_fault(s, FAULT_IRQ_DELAY));
	assert_int_equal(sim_fault_fired(s, FAULT_IRQ_DELAY), 100);
	log = sim_schedule(s);
	assert_int_equal(log->count, 100);
	assert_int_equal(log->entries[0].kind, SIM_CHOICE_FAULT);
	assert_int_equal(log->entries[0].answer, 1);
	assert_int_equal(log->entries[0].n, 2);
	assert_string_equal(log->entries[0].name, "irq-delay");
	assert_string_equal(log->faults, "irq-delay:1");
	sim_destroy(s);
}

static void test_single_option_not_logged(void **state)
{
	static const unsigned int work[] = { 5 };
	static const u64 cost[] = { 10 };
	static const char *const one[] = { "only" };
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = toy_sim(&cfg, 1, work, cost);
	struct sim_choice c = { .kind = SIM_CHOICE_TASK, .n = 1, .names = one, .prev = -1 };

	assert_int_equal(sim_choose(s, &c), 0);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(sim_steps(s), 5);
	assert_int_equal(sim_choices(s), 0);
	assert_int_equal(sim_preemptions(s), 0);
	sim_destroy(s);
}

/* Jitter of up to 50% of a 100 ns step: n = 51 and the gap is 100 + answer. */
static void test_jitter(void **state)
{
	static const unsigned int work[] = { 20 };
	static const u64 cost[] = { 100 };
	struct sim_config cfg = { .seed = 11, .jitter_pct = 50 };
	struct sim *s = toy_sim(&cfg, 1, work, cost);
	const struct schedule *log;
	unsigned int i, extra = 0;

	sim_run(s);
	log = sim_schedule(s);
	assert_int_equal(log->count, 20);
	for (i = 0; i < 19; i++) {
		assert_int_equal(log->entries[i].kind, SIM_CHOICE_JITTER);
		assert_int_equal(log->entries[i].n, 51);
		assert_int_equal(seen.t[i + 1] - seen.t[i], 100 + log->entries[i].answer);
		extra += log->entries[i].answer;
	}
	assert_true(extra > 0);
	sim_destroy(s);
}

static void test_untimed_has_no_jitter(void **state)
{
	static const unsigned int work[] = { 20 };
	static const u64 cost[] = { 100 };
	struct sim_config cfg = { .seed = 11, .jitter_pct = 50,
				  .strategy = &sim_strategy_random };
	struct sim *s = toy_sim(&cfg, 1, work, cost);

	sim_run(s);
	assert_int_equal(sim_choices(s), 0);
	assert_int_equal(sim_now_ns(s), 1900);
	sim_destroy(s);
}

static void test_request_stop(void **state)
{
	static const unsigned int work[] = { 5 };
	static const u64 cost[] = { 10 };
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = toy_sim(&cfg, 1, work, cost);

	toys[0].stop_at = 2;
	assert_int_equal(sim_run(s), SIM_STOP_REQUESTED);
	assert_int_equal(sim_steps(s), 2);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);	/* a later run continues */
	assert_int_equal(sim_steps(s), 5);
	sim_destroy(s);
}

static void test_guest_error(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = sim_create(&cfg);
	char *buf = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&buf, &len);

	sim_guest_error(s, "bam0", "quiet %d", 1);
	sim_set_log(s, log);
	sim_guest_error(s, "bam0", "write to read-only register 0x%x", 0x10);
	fclose(log);
	assert_string_equal(buf, "guest-error: bam0: write to read-only register 0x10\n");
	assert_int_equal(sim_guest_error_count(s), 2);
	free(buf);
	sim_destroy(s);
}

static void test_trace_steps(void **state)
{
	static const unsigned int work[] = { 2, 1 };
	static const u64 cost[] = { 10, 10 };
	struct sim_config cfg = { .seed = 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct sim *s;

	cfg.trace = trace_open_stream(out);
	s = toy_sim(&cfg, 2, work, cost);
	toys[1].fail_at = 1;
	sim_run(s);
	assert_ptr_equal(sim_trace(s), cfg.trace);
	assert_int_equal(trace_close(cfg.trace, NULL), 0);
	fclose(out);
	assert_non_null(strstr(buf, "toy-b"));
	assert_non_null(strstr(buf, "work 0"));	/* the step's label names its slice */
	assert_non_null(strstr(buf, "violation"));
	free(buf);
	sim_destroy(s);
}

static void test_stop_reason_names(void **state)
{
	assert_string_equal(sim_stop_reason_name(SIM_STOP_QUIESCENT), "quiescent");
	assert_string_equal(sim_stop_reason_name(SIM_STOP_VIOLATION), "violation");
	assert_string_equal(sim_stop_reason_name(SIM_STOP_DURATION), "duration");
	assert_string_equal(sim_stop_reason_name(SIM_STOP_STEPS), "steps");
	assert_string_equal(sim_stop_reason_name(SIM_STOP_REQUESTED), "requested");
	assert_string_equal(sim_stop_reason_name(SIM_STOP_DIVERGED), "diverged");
}

static void test_strategy_find(void **state)
{
	assert_ptr_equal(sim_strategy_find("timed"), &sim_strategy_timed);
	assert_ptr_equal(sim_strategy_find("random"), &sim_strategy_random);
	assert_ptr_equal(sim_strategy_find("replay"), &sim_strategy_replay);
	assert_ptr_equal(sim_strategy_find("pct"), &sim_strategy_pct);
	assert_null(sim_strategy_find("dfs"));
	assert_null(sim_strategy_find(NULL));
}

/* The step times of toy @id, in order, from seen (at most @max). */
static unsigned int toy_times(unsigned int id, u64 *t, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < seen.n && n < max; i++)
		if (seen.id[i] == id)
			t[n++] = seen.t[i];
	return n;
}

/* Random: a timer is offered only once time reaches its expiry. */
static void test_untimed_timer_waits_for_its_time(void **state)
{
	static const unsigned int work[] = { 6, 1 };
	static const u64 cost[] = { 10, 1 };
	u64 t[1];

	for (u64 seed = 1; seed <= 20; seed++) {
		struct sim_config cfg = { .seed = seed, .strategy = &sim_strategy_random };
		struct sim *s = toy_sim(&cfg, 2, work, cost);

		toys[1].actor.timer = true;
		sim_actor_wait_until(&toys[1].actor, 30);
		assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
		assert_int_equal(toy_times(1, t, 1), 1);
		assert_in_range(t[0], 30, 60);
		sim_destroy(s);
	}
}

/* Random: with nothing else ready, time jumps to the timer's expiry. */
static void test_untimed_timer_runs_when_nothing_else_can(void **state)
{
	static const unsigned int work[] = { 1, 1 };
	static const u64 cost[] = { 10, 1 };
	struct sim_config cfg = { .seed = 3, .strategy = &sim_strategy_random };
	struct sim *s = toy_sim(&cfg, 2, work, cost);
	u64 t[1];

	toys[1].actor.timer = true;
	sim_actor_wait_until(&toys[1].actor, 1000);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(toy_times(1, t, 1), 1);
	assert_int_equal(t[0], 1000);
	assert_int_equal(seen.id[0], 0);
	sim_destroy(s);
}

/* Timed: a lone earliest option is no choice: nothing asked, nothing logged. */
static void test_timed_lone_earliest_is_not_a_choice(void **state)
{
	static const unsigned int work[] = { 3, 1 };
	static const u64 cost[] = { 10, 100 };
	struct sim_config cfg = { .seed = 5 };
	struct sim *s = toy_sim(&cfg, 2, work, cost);

	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.n, 4);
	/* Only the first round is a tie (both at 0); later one toy is always earliest. */
	assert_int_equal(sim_choices(s), 1);
	assert_int_equal(sim_schedule(s)->count, 1);
	sim_destroy(s);
}

/* no_choice_log: the same run, choices counted, nothing kept. */
static void test_no_choice_log_counts_but_keeps_nothing(void **state)
{
	static const unsigned int work[] = { 4, 4, 4 };
	static const u64 cost[] = { 10, 10, 10 };
	struct sim_config logged = { .seed = 9 }, bare = { .seed = 9, .no_choice_log = true };
	struct sim *s = toy_sim(&logged, 3, work, cost);
	u64 choices, t;

	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	choices = sim_choices(s);
	t = sim_now_ns(s);
	assert_true(choices > 0);
	assert_int_equal(sim_schedule(s)->count, choices);
	sim_destroy(s);

	s = toy_sim(&bare, 3, work, cost);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(sim_choices(s), choices);
	assert_int_equal(sim_now_ns(s), t);
	assert_int_equal(sim_schedule(s)->count, 0);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiescent),
		cmocka_unit_test(test_no_choice_log_counts_but_keeps_nothing),
		cmocka_unit_test(test_untimed_timer_waits_for_its_time),
		cmocka_unit_test(test_untimed_timer_runs_when_nothing_else_can),
		cmocka_unit_test(test_timed_lone_earliest_is_not_a_choice),
		cmocka_unit_test(test_timed_earliest_first),
		cmocka_unit_test(test_tie_break_seeded),
		cmocka_unit_test(test_random_ignores_time),
		cmocka_unit_test(test_duration_limit),
		cmocka_unit_test(test_step_limit),
		cmocka_unit_test(test_default_step_limit),
		cmocka_unit_test(test_always_violation),
		cmocka_unit_test(test_sometimes_goals),
		cmocka_unit_test(test_preemptions_counted),
		cmocka_unit_test(test_timed_busy_prev_no_preemption),
		cmocka_unit_test(test_timed_tied_prev_preempted),
		cmocka_unit_test(test_untimed_ready_prev_preempted),
		cmocka_unit_test(test_state_hash),
		cmocka_unit_test(test_fault_disabled),
		cmocka_unit_test(test_fault_prob_zero_and_one),
		cmocka_unit_test(test_single_option_not_logged),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_untimed_has_no_jitter),
		cmocka_unit_test(test_request_stop),
		cmocka_unit_test(test_guest_error),
		cmocka_unit_test(test_trace_steps),
		cmocka_unit_test(test_stop_reason_names),
		cmocka_unit_test(test_strategy_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
