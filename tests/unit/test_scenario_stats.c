/*
 * test_scenario_stats.c - the scenario figures (scenarios/stats.c):
 * nearest-rank percentiles, modelled throughput, error and in-flight
 * counting, and the fixed sample limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/stats.h"

#include "helpers.h"

static struct ee_stats *stats_new(void)
{
	struct ee_stats *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	return st;
}

/* Latencies 100, 200, ... 1000 ns, completed in a shuffled order. */
static void add_ten(struct ee_stats *st)
{
	static const unsigned int order[10] = { 7, 2, 9, 0, 5, 3, 8, 1, 6, 4 };

	for (unsigned int i = 0; i < 10; i++) {
		ee_stats_submit(st, 0);
		ee_stats_complete(st, 0, (order[i] + 1) * 100, 4096, 0);
	}
}

static void test_percentiles_nearest_rank(void **state)
{
	struct ee_stats *st = stats_new();

	(void)state;
	add_ten(st);
	assert_int_equal(ee_stats_percentile(st, 50), 500);
	assert_int_equal(ee_stats_percentile(st, 90), 900);
	assert_int_equal(ee_stats_percentile(st, 99), 1000);
	assert_int_equal(ee_stats_percentile(st, 100), 1000);
	assert_int_equal(ee_stats_percentile(st, 0), 100);
	free(st);
}

static void test_percentile_without_samples_is_zero(void **state)
{
	struct ee_stats *st = stats_new();

	(void)state;
	assert_int_equal(ee_stats_percentile(st, 50), 0);
	assert_true(ee_stats_mbps(st) == 0.0);
	free(st);
}

/* 40960 bytes between the first submission (0) and the last completion (1000 ns). */
static void test_throughput_over_modelled_span(void **state)
{
	struct ee_stats *st = stats_new();

	(void)state;
	add_ten(st);
	assert_int_equal(st->bytes, 40960);
	assert_true(ee_stats_mbps(st) > 40959.0 && ee_stats_mbps(st) < 40961.0);
	free(st);
}

static void test_errors_counted_not_measured(void **state)
{
	struct ee_stats *st = stats_new();

	(void)state;
	ee_stats_submit(st, 10);
	ee_stats_submit(st, 20);
	ee_stats_submit(st, 30);
	ee_stats_complete(st, 10, 110, 512, 0);
	ee_stats_complete(st, 20, 5000, 512, -EIO);
	assert_int_equal(st->completed, 2);
	assert_int_equal(st->errors, 1);
	assert_int_equal(st->bytes, 512);
	assert_int_equal(st->nr_samples, 1);
	assert_int_equal(ee_stats_in_flight(st), 1);
	assert_int_equal(ee_stats_percentile(st, 100), 100);
	free(st);
}

static void test_samples_beyond_limit_left_out(void **state)
{
	struct ee_stats *st = stats_new();

	(void)state;
	for (unsigned int i = 0; i < EE_STATS_SAMPLES_MAX + 3; i++) {
		ee_stats_submit(st, 0);
		ee_stats_complete(st, 0, 1 + i, 16, 0);
	}
	assert_int_equal(st->nr_samples, EE_STATS_SAMPLES_MAX);
	assert_int_equal(st->samples_dropped, 3);
	assert_int_equal(st->bytes, 16ULL * (EE_STATS_SAMPLES_MAX + 3));
	assert_int_equal(ee_stats_percentile(st, 100), EE_STATS_SAMPLES_MAX);
	free(st);
}

static void test_report_fields(void **state)
{
	struct ee_stats *st = stats_new();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct report r;

	(void)state;
	assert_non_null(out);
	add_ten(st);
	report_begin(&r, out, false);
	ee_stats_report(st, "linux", &r);
	report_end(&r);
	fclose(out);
	assert_non_null(strstr(buf, "requests: 10"));
	assert_non_null(strstr(buf, "latency_p90_ns: 900"));
	assert_non_null(strstr(buf, "latency_max_ns: 1000"));
	assert_null(strstr(buf, "latency_samples_left_out"));
	free(buf);
	free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles_nearest_rank),
		cmocka_unit_test(test_percentile_without_samples_is_zero),
		cmocka_unit_test(test_throughput_over_modelled_span),
		cmocka_unit_test(test_errors_counted_not_measured),
		cmocka_unit_test(test_samples_beyond_limit_left_out),
		cmocka_unit_test(test_report_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
