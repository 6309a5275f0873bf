/*
 * test_scenario_run.c - the crypto scenarios run end to end through
 * run_scenario(), as `secsoc run` runs them: each passes under the default
 * lock policy, the rejected policies are caught naming the invariant, runs
 * are deterministic, a crashing TA is survived, an interrupted run reports
 * what was left in flight, and lock-race stays small enough to explore.
 */
#include "run_fixture.h"

static void run(struct run *r, const char *scenario, const char *policy, u64 seed,
		const char *faults, u64 duration_ns)
{
	struct run_options opt = {
		.scenario = scenario, .seed = seed, .lock_policy = policy, .faults = faults,
		.duration_ns = duration_ns, .jitter_pct = SIM_DEFAULT_JITTER_PCT,
	};

	run_with(r, &opt);
}

static u64 field_u64(const struct run *r, const char *key)
{
	const char *at = strstr(r->report, key);

	assert_non_null(at);
	return strtoull(at + strlen(key), NULL, 10);
}

static void test_every_crypto_scenario_passes_under_nwd(void **state)
{
	static const char *const names[] = { "disk-crypt", "drm-decrypt", "contention",
					     "lock-race" };

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		struct run r;

		run(&r, names[i], "nwd", 1, NULL, 0);
		if (r.exit_code)
			fprintf(stderr, "%s\n", r.report);
		assert_int_equal(r.exit_code, 0);
		assert_int_equal(r.res.violations, 0);
		assert_report_has(&r, "kmem_objects: 0");
		free(r.report);
	}
}

/* The "reached=N" of the coverage goal @name on its report line. */
static u64 goal_reached(const struct run *r, const char *name)
{
	char key[128];
	const char *at, *line;

	snprintf(key, sizeof(key), "goal=\"%s\"", name);
	at = strstr(r->report, key);
	assert_non_null(at);
	for (line = at; line > r->report && line[-1] != '\n'; line--)
		;
	line = strstr(line, "reached=");
	assert_true(line && line < at);
	return strtoull(line + strlen("reached="), NULL, 10);
}

static void test_contention_reaches_its_goals(void **state)
{
	struct run r;

	(void)state;
	run(&r, "contention", "nwd", 2, NULL, 0);
	assert_int_equal(r.exit_code, 0);
	assert_true(goal_reached(&r, "bam: EE 1 waited while EE 0 held the lock") > 0);
	assert_true(goal_reached(&r, "bam: EE 0 waited while EE 1 held the lock") > 0);
	assert_true(goal_reached(&r, "Linux issued while the TA was mid-operation") > 0);
	assert_true(field_u64(&r, "samples_verified: ") == 8);
	assert_true(field_u64(&r, "sectors_verified: ") == 16);
	free(r.report);
}

static void test_policy_none_is_caught_by_invariant_2(void **state)
{
	struct run r;

	(void)state;
	run(&r, "contention", "none", 3, NULL, 0);
	assert_int_equal(r.exit_code, 1);
	assert_int_equal(r.res.stop, SIM_STOP_VIOLATION);
	assert_report_has(&r, "invariant 2 (no QCE configuration write from one EE while the "
			  "engine runs another's operation)");
	free(r.report);
}

static void test_policy_v12_is_caught_by_invariant_3(void **state)
{
	struct run r;

	(void)state;
	run(&r, "disk-crypt", "v12", 3, NULL, 0);
	assert_int_equal(r.exit_code, 1);
	assert_report_has(&r, "invariant 3 (no UNLOCK while the locking EE's operation is in "
			  "flight)");
	free(r.report);
}

static void test_same_seed_same_report(void **state)
{
	struct run a, b, c;

	(void)state;
	run(&a, "contention", "nwd", 9, NULL, 0);
	run(&b, "contention", "nwd", 9, NULL, 0);
	run(&c, "contention", "nwd", 10, NULL, 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.report, b.report, a.len);
	assert_true(a.len != c.len || memcmp(a.report, c.report, a.len));
	free(a.report);
	free(b.report);
	free(c.report);
}

/* Every sample crashes the TA: each fails with an error, a new session follows. */
static void test_ta_crashing_every_sample_is_survived(void **state)
{
	struct run r;

	(void)state;
	run(&r, "contention", "nwd", 4, "ta-crash:1", 0);
	assert_int_equal(r.exit_code, 0);
	assert_true(field_u64(&r, "samples_failed: ") == 8);
	assert_true(field_u64(&r, "ta_panics: ") == 8);
	assert_true(field_u64(&r, " sessions: ") == 8);
	assert_report_has(&r, "first_tee_error: 0xffff3024");
	assert_report_has(&r, "sectors_verified: 16");
	assert_report_has(&r, "tee_sessions: 0");
	free(r.report);
}

/* Stopped after 20 us: the report says what never completed and what leaked. */
static void test_interrupted_run_names_invariant_5(void **state)
{
	struct run r;

	(void)state;
	run(&r, "contention", "nwd", 5, NULL, 20000);
	assert_int_equal(r.exit_code, 1);
	assert_int_equal(r.res.stop, SIM_STOP_DURATION);
	assert_report_has(&r, "invariant 5 (every request completes): disk: 0 of 16 sectors");
	/* Declared goals are listed even when unreached. */
	assert_int_equal(goal_reached(&r, "bam: EE 0 waited while EE 1 held the lock"), 0);
	free(r.report);
}

static void test_lock_race_is_small(void **state)
{
	struct run r;

	(void)state;
	run(&r, "lock-race", "nwd", 6, NULL, 0);
	assert_int_equal(r.exit_code, 0);
	assert_true(field_u64(&r, "steps: ") < 400);
	assert_true(field_u64(&r, "requests: ") == 2);
	free(r.report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_crypto_scenario_passes_under_nwd),
		cmocka_unit_test(test_contention_reaches_its_goals),
		cmocka_unit_test(test_policy_none_is_caught_by_invariant_2),
		cmocka_unit_test(test_policy_v12_is_caught_by_invariant_3),
		cmocka_unit_test(test_same_seed_same_report),
		cmocka_unit_test(test_ta_crashing_every_sample_is_survived),
		cmocka_unit_test(test_interrupted_run_names_invariant_5),
		cmocka_unit_test(test_lock_race_is_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
