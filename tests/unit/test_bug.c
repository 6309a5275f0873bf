/*
 * test_bug.c - WARN() and WARN_ON() (kernel/bug.c): the value they give,
 * the count, the last message with its short location, the simulation's
 * log, and that a warning never stops a run.
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/sim.h>

#include "helpers.h"

static int reset(void **state)
{
	warn_reset();
	return 0;
}

#define BUG_TEST(fn) cmocka_unit_test_setup(fn, reset)

static void test_warn_gives_the_condition_and_counts_only_true_ones(void **state)
{
	assert_false(WARN(0, "never"));
	assert_false(WARN_ON(1 == 2));
	assert_int_equal(warn_count(), 0);
	assert_string_equal(warn_last(), "");
	assert_true(WARN(2, "value %d", 7));
	assert_true(WARN_ON(1 == 1));
	assert_int_equal(warn_count(), 2);
}

static void test_last_message_names_the_short_location(void **state)
{
	char want[64];
	int line = __LINE__ + 1;
	WARN(1, "bad %s", "thing");

	snprintf(want, sizeof(want), "unit/test_bug.c:%d: bad thing", line);
	assert_string_equal(warn_last(), want);
}

static void test_warn_on_shows_the_condition(void **state)
{
	void *ptr = NULL;

	WARN_ON(!ptr);
	assert_non_null(strstr(warn_last(), ": WARN_ON(!ptr)"));
}

static void test_a_long_message_is_cut_not_overflowed(void **state)
{
	char big[2 * WARN_MSG_MAX];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	WARN(1, "%s", big);
	assert_int_equal(strlen(warn_last()), WARN_MSG_MAX - 1);
	assert_non_null(strstr(warn_last(), "test_bug.c:"));
}

static void test_reset_forgets_count_and_message(void **state)
{
	WARN(1, "something");
	warn_reset();
	assert_int_equal(warn_count(), 0);
	assert_string_equal(warn_last(), "");
}

static void test_warning_goes_to_the_simulation_log_and_stops_nothing(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct sim *s = sim_create(&cfg);
	char *buf = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&buf, &len);

	WARN(1, "quiet");
	sim_set_log(s, log);
	WARN(1, "loud %d", 2);
	fclose(log);
	assert_non_null(strstr(buf, "WARNING: unit/test_bug.c:"));
	assert_non_null(strstr(buf, ": loud 2\n"));
	assert_null(strstr(buf, "quiet"));
	assert_int_equal(sim_violation_count(s), 0);
	assert_int_equal(warn_count(), 2);
	free(buf);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BUG_TEST(test_warn_gives_the_condition_and_counts_only_true_ones),
		BUG_TEST(test_last_message_names_the_short_location),
		BUG_TEST(test_warn_on_shows_the_condition),
		BUG_TEST(test_a_long_message_is_cut_not_overflowed),
		BUG_TEST(test_reset_forgets_count_and_message),
		BUG_TEST(test_warning_goes_to_the_simulation_log_and_stops_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
