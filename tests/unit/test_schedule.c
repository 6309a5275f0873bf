/*
 * test_schedule.c - the choice log: save/load round trip, record-then-replay
 * reproducing the run exactly (steps, times, the log itself), replay of a
 * tampered or short log diverging with a message, and every malformed-file
 * error naming file and line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/sim.h>

#include "helpers.h"

#define WORKERS 3
#define TRACE_MAX 512

/* A worker steps while it has work; each step picks a task and may hit a fault. */
struct worker {
	struct sim_actor actor;
	unsigned int work;
	u64 cost;
};

static struct worker workers[WORKERS];
static const char *const worker_names[WORKERS] = { "cpu0", "cpu1", "dma" };
static const char *const task_names[] = { "kworker", "fio", "ta main" };

/* What the run did: which actor stepped when, in order, and why it stopped. */
static struct {
	unsigned int n;
	unsigned int id[TRACE_MAX];
	u64 t[TRACE_MAX];
	enum sim_stop_reason stop;
} seen;

/* always() fails in this step of the run (counting from 1), or never if 0. */
static unsigned int fail_at;

static struct worker *to_worker(const struct sim_actor *a)
{
	return container_of(a, struct worker, actor);
}

static bool worker_ready(struct sim_actor *a)
{
	return to_worker(a)->work > 0;
}

static u64 worker_step(struct sim_actor *a)
{
	struct sim_choice task = { .kind = SIM_CHOICE_TASK, .n = ARRAY_SIZE(task_names),
				   .label = "task", .names = task_names, .prev = -1 };
	struct worker *w = to_worker(a);
	u64 cost = w->cost;

	if (seen.n < TRACE_MAX) {
		seen.id[seen.n] = a->id;
		seen.t[seen.n++] = sim_now_ns(a->sim);
	}
	always(seen.n != fail_at, "step %u fails", seen.n);
	w->work--;
	cost += 7 * sim_choose(a->sim, &task);
	if (sim_fault(a->sim, FAULT_IRQ_DELAY))
		cost += 50;
	return cost;
}

static const struct sim_actor_ops worker_ops = { .ready = worker_ready, .step = worker_step };

/* Run the workers to completion under @cfg; the caller destroys the sim. */
static struct sim *run_workers(struct sim_config *cfg)
{
	struct secsoc_error err = { 0 };
	struct sim *s;
	unsigned int i;

	assert_int_equal(fault_spec_parse("irq-delay:0.3", &cfg->faults, &err), 0);
	cfg->scenario = "toy";
	cfg->lock_policy = "nwd";
	s = sim_create(cfg);
	memset(&seen, 0, sizeof(seen));
	for (i = 0; i < WORKERS; i++) {
		workers[i] = (struct worker){
			.actor = { .name = worker_names[i], .ops = &worker_ops },
			.work = 10 + i,
			.cost = 20 + 5 * i,
		};
		sim_actor_add(s, &workers[i].actor);
	}
	seen.stop = sim_run(s);
	return s;
}

static void assert_entries_equal(const struct schedule *a, const struct schedule *b)
{
	u64 i;

	assert_int_equal(a->count, b->count);
	for (i = 0; i < a->count; i++) {
		assert_int_equal(a->entries[i].kind, b->entries[i].kind);
		assert_int_equal(a->entries[i].answer, b->entries[i].answer);
		assert_int_equal(a->entries[i].n, b->entries[i].n);
		assert_string_equal(a->entries[i].name, b->entries[i].name);
	}
}

static void test_round_trip(void **state)
{
	struct schedule out = { .seed = 7, .duration_ns = 5000, .max_steps = 123,
				.jitter_pct = 15 }, in;
	static const struct schedule_entry e[] = {
		{ SIM_CHOICE_SCHED, 2, 3, "cpu1" },
		{ SIM_CHOICE_TASK, 0, 2, "kworker" },
		{ SIM_CHOICE_FAULT, 1, 2, "irq-delay" },
		{ SIM_CHOICE_JITTER, 17, 31, "" },
	};
	struct secsoc_error err = { 0 };
	const char *path = test_tmp_path("round-trip.sched");
	char *first, *second;
	size_t len1, len2;
	unsigned int i;

	strcpy(out.version, "0.1.0");
	strcpy(out.scenario, "tzc-smoke");
	strcpy(out.strategy, "timed");
	strcpy(out.faults, "irq-delay:0.01");	/* lock_policy stays empty: written as '-' */
	for (i = 0; i < ARRAY_SIZE(e); i++)
		assert_int_equal(schedule_append(&out, &e[i]), 0);
	assert_int_equal(schedule_save(&out, path, &err), 0);
	first = test_read_file(path, &len1);
	assert_non_null(strstr(first, "lock-policy -\n"));
	assert_non_null(strstr(first, "duration-ns 5000\nmax-steps 123\njitter-pct 15\n"
			       "choices 4\n"));
	assert_non_null(strstr(first, "---\nsched 2 3 cpu1\ntask 0 2 kworker\n"));
	assert_int_equal(schedule_load(path, &in, &err), 0);
	assert_string_equal(in.version, "0.1.0");
	assert_string_equal(in.scenario, "tzc-smoke");
	assert_string_equal(in.strategy, "timed");
	assert_string_equal(in.lock_policy, "");
	assert_string_equal(in.faults, "irq-delay:0.01");
	assert_int_equal(in.seed, 7);
	assert_int_equal(in.duration_ns, 5000);
	assert_int_equal(in.max_steps, 123);
	assert_int_equal(in.jitter_pct, 15);
	assert_entries_equal(&out, &in);
	assert_int_equal(schedule_save(&in, path, &err), 0);
	second = test_read_file(path, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(first, second, len1);
	free(first);
	free(second);
	schedule_free(&out);
	schedule_free(&in);
	assert_null(in.entries);
}

static void test_header_order_and_comments(void **state)
{
	static const char text[] =
		"# a comment line\n"
		"secsoc-schedule 1\n"
		"version 0.1.0\n"
		"scenario -   # trailing comment\n"
		"seed 18446744073709551615\n"
		"strategy random\n"
		"lock-policy v12\n"
		"faults -\n"
		"\n"
		"duration-ns 0\n"
		"max-steps 0\n"
		"jitter-pct 100\n"
		"choices 1\n"
		"---\n"
		"sched 0 2 cpu0\n";
	const char *path = test_tmp_path("comments.sched");
	struct secsoc_error err = { 0 };
	struct schedule in;
	char *back = NULL;
	size_t len = 0;
	FILE *f;

	test_write_file(path, text, sizeof(text) - 1);
	assert_int_equal(schedule_load(path, &in, &err), 0);
	assert_int_equal(in.seed, UINT64_MAX);
	assert_string_equal(in.scenario, "");
	assert_string_equal(in.faults, "");
	assert_int_equal(in.max_steps, 0);
	assert_int_equal(in.jitter_pct, 100);
	f = open_memstream(&back, &len);
	assert_int_equal(schedule_write(&in, f), 0);
	fclose(f);
	assert_string_equal(back, "secsoc-schedule 1\nversion 0.1.0\nscenario -\n"
			    "seed 18446744073709551615\nstrategy random\nlock-policy v12\n"
			    "faults -\nduration-ns 0\nmax-steps 0\njitter-pct 100\nchoices 1\n"
			    "---\nsched 0 2 cpu0\n");
	free(back);
	schedule_free(&in);
}

/* Record a run, save it, load it, replay it: the same run, step for step. */
static void replay_matches(const struct sim_strategy_ops *recorded, u32 jitter)
{
	struct sim_config cfg = { .seed = 21, .strategy = recorded, .jitter_pct = jitter };
	const char *path = test_tmp_path("replay.sched");
	unsigned int id[TRACE_MAX], n;
	struct secsoc_error err = { 0 };
	struct schedule log;
	u64 t[TRACE_MAX], now;
	struct sim *s = run_workers(&cfg);

	assert_true(sim_choices(s) > 30);
	assert_int_equal(schedule_save(sim_schedule(s), path, &err), 0);
	n = seen.n;
	memcpy(id, seen.id, sizeof(id));
	memcpy(t, seen.t, sizeof(t));
	now = sim_now_ns(s);
	sim_destroy(s);

	assert_int_equal(schedule_load(path, &log, &err), 0);
	cfg = (struct sim_config){ .seed = 999, .strategy = &sim_strategy_replay,
				   .replay = &log, .jitter_pct = jitter };
	s = run_workers(&cfg);
	assert_string_equal(sim_replay_divergence(s), "");
	assert_int_equal(seen.n, n);
	assert_memory_equal(seen.id, id, n * sizeof(*id));
	assert_memory_equal(seen.t, t, n * sizeof(*t));
	assert_int_equal(sim_now_ns(s), now);
	assert_entries_equal(sim_schedule(s), &log);
	assert_string_equal(sim_schedule(s)->strategy, recorded->name);
	sim_destroy(s);
	schedule_free(&log);
}

static void test_replay_timed(void **state)
{
	replay_matches(&sim_strategy_timed, 20);
}

static void test_replay_random(void **state)
{
	replay_matches(&sim_strategy_random, 0);
}

/* Replay @log (tampered by the caller); expect a divergence containing @want. */
static void replay_diverges(struct schedule *log, const char *want)
{
	struct sim_config cfg = { .seed = 21, .strategy = &sim_strategy_replay, .replay = log };
	struct sim *s = run_workers(&cfg);

	if (!strstr(sim_replay_divergence(s), want))
		fail_msg("divergence '%s' lacks '%s'", sim_replay_divergence(s), want);
	sim_destroy(s);
}

/* Run under @cfg and keep a copy of the log in @log. */
static void record_cfg(struct sim_config *cfg, struct schedule *log)
{
	struct sim *s = run_workers(cfg);
	const struct schedule *rec = sim_schedule(s);
	u64 i;

	*log = *rec;
	log->entries = NULL;
	log->count = log->capacity = 0;
	for (i = 0; i < rec->count; i++)
		assert_int_equal(schedule_append(log, &rec->entries[i]), 0);
	sim_destroy(s);
}

static void record(struct schedule *log)
{
	struct sim_config cfg = { .seed = 21 };

	record_cfg(&cfg, log);
}

/* Replay @log with the limits its header records (as `secsoc replay` does). */
static struct sim *replay_log(const struct schedule *log)
{
	struct sim_config cfg = { .seed = log->seed, .strategy = &sim_strategy_replay,
				  .replay = log, .duration_ns = log->duration_ns,
				  .max_steps = log->max_steps, .jitter_pct = log->jitter_pct };

	return run_workers(&cfg);
}

static void append_entry(struct schedule *log, enum sim_choice_kind kind, u32 answer, u32 n,
			 const char *name)
{
	struct schedule_entry e = { .kind = (u8)kind, .answer = answer, .n = n };

	schedule_entry_set_name(&e, name);
	assert_int_equal(schedule_append(log, &e), 0);
}

static void assert_divergence(const struct sim *s, const char *want)
{
	if (!strstr(sim_replay_divergence(s), want))
		fail_msg("divergence '%s' lacks '%s'", sim_replay_divergence(s), want);
}

/*
 * A run that stopped at its step limit records the limit (and the jitter
 * percentage) in the header; a replay with them stops at the same step, with
 * the log used up exactly.
 */
static void test_replay_step_limit(void **state)
{
	struct sim_config cfg = { .seed = 21, .max_steps = 9, .jitter_pct = 15 };
	const char *path = test_tmp_path("limit.sched");
	struct secsoc_error err = { 0 };
	struct schedule log;
	struct sim *s = run_workers(&cfg);

	assert_int_equal(seen.stop, SIM_STOP_STEPS);
	assert_int_equal(schedule_save(sim_schedule(s), path, &err), 0);
	sim_destroy(s);
	assert_int_equal(schedule_load(path, &log, &err), 0);
	assert_int_equal(log.max_steps, 9);
	assert_int_equal(log.jitter_pct, 15);
	s = replay_log(&log);
	assert_string_equal(sim_replay_divergence(s), "");
	assert_int_equal(seen.stop, SIM_STOP_STEPS);
	assert_int_equal(sim_steps(s), 9);
	assert_entries_equal(sim_schedule(s), &log);
	assert_int_equal(sim_schedule(s)->max_steps, 9);
	assert_int_equal(sim_schedule(s)->jitter_pct, 15);
	sim_destroy(s);
	schedule_free(&log);
}

/* The default limit is recorded as the number it is, never as 0. */
static void test_default_limit_recorded(void **state)
{
	struct schedule log;

	record(&log);
	assert_int_equal(log.max_steps, SIM_DEFAULT_MAX_STEPS);
	assert_int_equal(log.jitter_pct, 0);
	schedule_free(&log);
}

/* A run that finishes with log entries left over did not follow the log. */
static void test_replay_leftover_quiescent(void **state)
{
	struct schedule log;
	char want[160];
	struct sim *s;
	u64 used;

	record(&log);
	used = log.count;
	append_entry(&log, SIM_CHOICE_SCHED, 1, 3, "cpu0");
	append_entry(&log, SIM_CHOICE_JITTER, 4, 9, NULL);
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_DIVERGED);
	snprintf(want, sizeof(want), "replay diverged at choice %llu: the log has 2 choices the "
		 "run never asked for (first: sched 1 3 cpu0)", (unsigned long long)used + 1);
	assert_string_equal(sim_replay_divergence(s), want);
	sim_destroy(s);
	schedule_free(&log);
}

/*
 * At a step limit the log ends where the run stopped, so only a replay with
 * the recorded limits checks for leftovers; a shorter limit replays a prefix.
 */
static void test_replay_leftover_at_limits(void **state)
{
	struct sim_config cfg = { .seed = 21, .max_steps = 9 };
	struct schedule log;
	struct sim *s;

	record_cfg(&cfg, &log);
	cfg = (struct sim_config){ .strategy = &sim_strategy_replay, .replay = &log,
				   .max_steps = 5 };
	s = run_workers(&cfg);
	assert_int_equal(seen.stop, SIM_STOP_STEPS);
	assert_int_equal(sim_steps(s), 5);
	assert_true(sim_choices(s) < log.count);
	assert_string_equal(sim_replay_divergence(s), "");
	sim_destroy(s);

	append_entry(&log, SIM_CHOICE_FAULT, 1, 2, "irq-delay");
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_DIVERGED);
	assert_divergence(s, "the log has 1 choices the run never asked for "
			  "(first: fault 1 2 irq-delay)");
	sim_destroy(s);
	schedule_free(&log);
}

/* The same at a duration limit. */
static void test_replay_leftover_at_duration(void **state)
{
	struct sim_config cfg = { .seed = 21, .duration_ns = 100 };
	struct schedule log;
	struct sim *s;

	record_cfg(&cfg, &log);
	assert_int_equal(seen.stop, SIM_STOP_DURATION);
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_DURATION);
	assert_string_equal(sim_replay_divergence(s), "");
	sim_destroy(s);

	append_entry(&log, SIM_CHOICE_SCHED, 0, 2, "cpu1");
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_DIVERGED);
	assert_divergence(s, "(first: sched 0 2 cpu1)");
	sim_destroy(s);
	schedule_free(&log);
}

/*
 * A run that stopped on a violation ends its log there: a faithful replay
 * stops on the same violation with nothing left over. Leftovers are reported,
 * but the violation stays the stop reason.
 */
static void test_replay_leftover_violation(void **state)
{
	struct schedule log;
	struct sim *s;

	fail_at = 7;
	record(&log);
	assert_int_equal(seen.stop, SIM_STOP_VIOLATION);
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_VIOLATION);
	assert_string_equal(sim_replay_divergence(s), "");
	assert_int_equal(sim_steps(s), 7);
	sim_destroy(s);

	append_entry(&log, SIM_CHOICE_TASK, 0, 3, "kworker");
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_VIOLATION);
	assert_divergence(s, "the log has 1 choices the run never asked for "
			  "(first: task 0 3 kworker)");
	fail_at = 0;
	sim_destroy(s);
	schedule_free(&log);
}

/* A fault entry must name the site that asks: another site's answer diverges. */
static void test_replay_tampered_fault_site(void **state)
{
	struct schedule log;
	char want[160];
	struct sim *s;
	u64 i;

	record(&log);
	for (i = 0; log.entries[i].kind != SIM_CHOICE_FAULT; i++)
		;
	strcpy(log.entries[i].name, "dma-stall");
	s = replay_log(&log);
	assert_int_equal(seen.stop, SIM_STOP_DIVERGED);
	snprintf(want, sizeof(want), "replay diverged at choice %llu: the log has fault %u/2 "
		 "'dma-stall' but the model asked fault with n=2 at site 'irq-delay'",
		 (unsigned long long)i + 1, log.entries[i].answer);
	assert_string_equal(sim_replay_divergence(s), want);
	sim_destroy(s);
	schedule_free(&log);
}

static void test_replay_tampered_name(void **state)
{
	struct sim_config cfg = { .seed = 21, .strategy = &sim_strategy_replay };
	struct schedule log;
	char want[80];
	struct sim *s;
	u64 i;

	record(&log);
	for (i = 0; log.entries[i].kind != SIM_CHOICE_TASK; i++)
		;
	strcpy(log.entries[i].name, "nobody");
	cfg.replay = &log;
	s = run_workers(&cfg);
	snprintf(want, sizeof(want), "replay diverged at choice %llu: the log has task ",
		 (unsigned long long)i + 1);
	assert_non_null(strstr(sim_replay_divergence(s), want));
	assert_non_null(strstr(sim_replay_divergence(s), "'nobody' but the model asked task"));
	assert_int_equal(sim_steps(s), seen.n);
	assert_true(seen.n < 33);		/* the run stopped at the divergence */
	sim_destroy(s);
	schedule_free(&log);
}

static void test_replay_tampered_kind(void **state)
{
	struct schedule log;

	record(&log);
	log.entries[0].kind = SIM_CHOICE_JITTER;
	log.entries[0].name[0] = '\0';
	replay_diverges(&log, "replay diverged at choice 1: the log has jitter");
	schedule_free(&log);
}

static void test_replay_log_exhausted(void **state)
{
	struct schedule log;
	char want[80];

	record(&log);
	log.count = 5;
	snprintf(want, sizeof(want), "diverged at choice 6: the log has only 5 choices");
	replay_diverges(&log, want);
	schedule_free(&log);
}

static void test_replay_stop_reason(void **state)
{
	struct sim_config cfg = { .seed = 21, .strategy = &sim_strategy_replay };
	struct schedule log;
	struct sim *s;
	unsigned int i;

	record(&log);
	log.count = 3;
	cfg.replay = &log;
	s = run_workers(&cfg);
	assert_int_equal(sim_steps(s), seen.n);
	for (i = 0; i < WORKERS; i++)
		workers[i].work = 1;		/* ready again: a new run stops at once */
	assert_int_equal(sim_run(s), SIM_STOP_DIVERGED);
	sim_destroy(s);
	schedule_free(&log);
}

/* The standard header; tests append (or replace) lines after it. */
#define HDR_TO_FAULTS "secsoc-schedule 1\nversion 0.1.0\nscenario x\nseed 7\n" \
	"strategy timed\nlock-policy nwd\nfaults -\n"
#define HDR_TO_DURATION HDR_TO_FAULTS "duration-ns 0\n"
#define HDR HDR_TO_DURATION "max-steps 0\njitter-pct 10\n"

static void check_bad_file(const char *text, const char *want)
{
	const char *path = test_tmp_path("bad.sched");
	struct secsoc_error err = { 0 };
	struct schedule in;

	test_write_file(path, text, strlen(text));
	assert_int_equal(schedule_load(path, &in, &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	if (!strstr(err.msg, want))
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	assert_null(in.entries);
	assert_int_equal(in.count, 0);
}

static void test_bad_magic(void **state)
{
	check_bad_file("hello\n",
		       "bad.sched:1: not a secsoc schedule (expected 'secsoc-schedule 1')");
	check_bad_file("", "bad.sched:1: not a secsoc schedule");
	check_bad_file("secsoc-schedule 2\n",
		       "bad.sched:1: schedule format '2' is not supported (this build reads 1)");
}

static void test_bad_missing_header(void **state)
{
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\n",
		       "bad.sched: header line 'scenario' is missing");
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\nseed 7\n",
		       "bad.sched:3: expected header line 'scenario', found 'seed'");
	check_bad_file("secsoc-schedule 1\nversion\n",
		       "bad.sched:2: 'version' takes exactly one value");
	check_bad_file(HDR "choices 0\n", "bad.sched:12: expected '---' after the header, "
		       "found 'end of file'");
}

static void test_bad_numbers(void **state)
{
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\nscenario x\nseed -7\n",
		       "bad.sched:4: seed '-7' is not a decimal number");
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\nscenario x\nseed 18446744073709551616\n",
		       "bad.sched:4: seed '18446744073709551616' is not a decimal number");
	check_bad_file(HDR "choices 1\n---\nsched x 3 cpu0\n",
		       "bad.sched:13: answer 'x' is not a number below 2^32");
	check_bad_file(HDR "choices 1\n---\nsched 0 4294967296 cpu0\n",
		       "bad.sched:13: n '4294967296' is not a number below 2^32");
}

static void test_bad_entries(void **state)
{
	check_bad_file(HDR "choices 1\n---\nsched 5 3 cpu0\n",
		       "bad.sched:13: answer 5 is not below n=3");
	check_bad_file(HDR "choices 1\n---\nsched 0 0 cpu0\n",
		       "bad.sched:13: answer 0 is not below n=0");
	check_bad_file(HDR "choices 1\n---\nschedule 0 2 cpu0\n",
		       "bad.sched:13: unknown choice kind 'schedule' "
		       "(sched, task, fault or jitter)");
	check_bad_file(HDR "choices 1\n---\njitter 0\n",
		       "bad.sched:13: a choice is '<kind> <answer> <n> [<name>]'");
	check_bad_file(HDR "choices 1\n---\ntask 0 2\n",
		       "bad.sched:13: a task choice needs the name of the option chosen");
	check_bad_file(HDR "choices 1\n---\nsched 0 2 cpu0 extra\n",
		       "bad.sched:13: too many fields");
}

static void test_bad_counts(void **state)
{
	check_bad_file(HDR "choices 3\n---\nsched 0 2 a\n\nfault 1 2 irq-delay\n",
		       "bad.sched: the header says 3 choices but the file has 2");
	check_bad_file(HDR "choices 1\n---\nsched 0 2 a\nsched 1 2 b\n",
		       "bad.sched:14: more choices than the header's 'choices 1'");
	check_bad_file(HDR "choices 100000001\n---\n",
		       "bad.sched: 100000001 choices is more than the limit of 100000000");
}

static void test_bad_header_values(void **state)
{
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\nscenario x\nseed 7\nstrategy dfs\n"
		       "lock-policy nwd\nfaults -\nduration-ns 0\nmax-steps 0\njitter-pct 0\n"
		       "choices 0\n---\n",
		       "bad.sched: strategy 'dfs' is not one a run can record");
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\nscenario x\nseed 7\nstrategy timed\n"
		       "lock-policy nwd\nfaults bogus:1\nduration-ns 0\nmax-steps 0\njitter-pct 0\n"
		       "choices 0\n---\n",
		       "bad.sched: faults: fault spec element 'bogus:1': unknown fault site");
	check_bad_file("secsoc-schedule 1\nversion 0.1.0\nscenario x\nseed 7\nstrategy timed\n"
		       "lock-policy much-too-long-a-policy\n",
		       "bad.sched:6: lock-policy 'much-too-long-a-policy' "
		       "is longer than 15 characters");
}

/* max-steps and jitter-pct are required, in order, after duration-ns. */
static void test_bad_limits(void **state)
{
	check_bad_file(HDR_TO_DURATION "choices 0\n---\n",
		       "bad.sched:9: expected header line 'max-steps', found 'choices'");
	check_bad_file(HDR_TO_DURATION "max-steps 5\nchoices 0\n---\n",
		       "bad.sched:10: expected header line 'jitter-pct', found 'choices'");
	check_bad_file(HDR_TO_DURATION "jitter-pct 10\nmax-steps 5\n",
		       "bad.sched:9: expected header line 'max-steps', found 'jitter-pct'");
	check_bad_file(HDR_TO_DURATION "max-steps -1\n",
		       "bad.sched:9: max-steps '-1' is not a decimal number");
	check_bad_file(HDR_TO_DURATION "max-steps 5\njitter-pct 101\n",
		       "bad.sched:10: jitter-pct 101 is above 100");
	check_bad_file(HDR_TO_DURATION "max-steps 5\njitter-pct 99999999999999999999\n",
		       "bad.sched:10: jitter-pct '99999999999999999999' is not a decimal number");
}

/* Fault choices name their site (replay checks it); jitter choices name nothing. */
static void test_bad_entry_names(void **state)
{
	check_bad_file(HDR "choices 1\n---\nfault 1 2\n",
		       "bad.sched:13: a fault choice needs the name of the fault site");
	check_bad_file(HDR "choices 1\n---\njitter 3 11 cpu0\n",
		       "bad.sched:13: a jitter choice has no name");
}

static void test_bad_bytes(void **state)
{
	static const char nul[] = "secsoc-schedule 1\nver\0sion 0.1.0\n";
	const char *path = test_tmp_path("bad.sched");
	struct secsoc_error err = { 0 };
	struct schedule in;
	char *longline = malloc(2000);

	memset(longline, 'x', 1999);
	longline[1999] = '\0';
	check_bad_file(longline, "bad.sched:1: line longer than 511 characters");
	free(longline);
	test_write_file(path, nul, sizeof(nul) - 1);
	assert_int_equal(schedule_load(path, &in, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "bad.sched:2: NUL byte in a text file"));
}

static void test_missing_file(void **state)
{
	struct secsoc_error err = { 0 };
	struct schedule in;

	assert_int_equal(schedule_load("/nonexistent/x.sched", &in, &err), -EINVAL);
	assert_string_equal(err.msg, "cannot open schedule '/nonexistent/x.sched': "
			    "No such file or directory");
	memset(&err, 0, sizeof(err));
	assert_int_equal(schedule_save(&in, "/nonexistent/x.sched", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "cannot create schedule '/nonexistent/x.sched'"));
}

static void test_entry_names_sanitised(void **state)
{
	struct schedule_entry e;
	char longname[100];

	schedule_entry_set_name(&e, "ta main#1");
	assert_string_equal(e.name, "ta_main_1");
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	schedule_entry_set_name(&e, longname);
	assert_int_equal(strlen(e.name), SIM_LABEL_MAX - 1);
	schedule_entry_set_name(&e, NULL);
	assert_string_equal(e.name, "");
	assert_string_equal(sim_choice_kind_name(SIM_CHOICE_JITTER), "jitter");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_header_order_and_comments),
		cmocka_unit_test(test_replay_timed),
		cmocka_unit_test(test_replay_random),
		cmocka_unit_test(test_replay_tampered_name),
		cmocka_unit_test(test_replay_tampered_kind),
		cmocka_unit_test(test_replay_log_exhausted),
		cmocka_unit_test(test_replay_stop_reason),
		cmocka_unit_test(test_replay_step_limit),
		cmocka_unit_test(test_default_limit_recorded),
		cmocka_unit_test(test_replay_leftover_quiescent),
		cmocka_unit_test(test_replay_leftover_at_limits),
		cmocka_unit_test(test_replay_leftover_at_duration),
		cmocka_unit_test(test_replay_leftover_violation),
		cmocka_unit_test(test_replay_tampered_fault_site),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_missing_header),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_bad_entries),
		cmocka_unit_test(test_bad_counts),
		cmocka_unit_test(test_bad_header_values),
		cmocka_unit_test(test_bad_limits),
		cmocka_unit_test(test_bad_entry_names),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_entry_names_sanitised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
