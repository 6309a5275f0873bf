/*
 * stats.c - per-EE request figures for scenario reports: counts, bytes,
 * modelled throughput and latency percentiles (nearest-rank).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/stats.h"

void ee_stats_submit(struct ee_stats *st, u64 now_ns)
{
	if (!st->requests)
		st->first_submit_ns = now_ns;
	st->requests++;
}

void ee_stats_complete(struct ee_stats *st, u64 submit_ns, u64 now_ns, u64 bytes, int err)
{
	st->completed++;
	st->last_complete_ns = MAX(st->last_complete_ns, now_ns);
	if (err) {
		if (!st->errors++)
			st->first_error = err;
		return;
	}
	st->bytes += bytes;
	if (st->nr_samples == EE_STATS_SAMPLES_MAX) {
		st->samples_dropped++;
		return;
	}
	st->latency_ns[st->nr_samples++] = now_ns - submit_ns;
}

u64 ee_stats_in_flight(const struct ee_stats *st)
{
	return st->requests - st->completed;
}

double ee_stats_mbps(const struct ee_stats *st)
{
	u64 span = st->last_complete_ns - st->first_submit_ns;

	if (!st->bytes || st->last_complete_ns <= st->first_submit_ns)
		return 0.0;
	/* bytes per ns * 10^9 / 10^6 */
	return (double)st->bytes * 1000.0 / (double)span;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Sorting a copy keeps the samples in completion order for later additions. */
u64 ee_stats_percentile(const struct ee_stats *st, unsigned int pct)
{
	static u64 sorted[EE_STATS_SAMPLES_MAX];
	u64 rank;

	if (!st->nr_samples)
		return 0;
	memcpy(sorted, st->latency_ns, st->nr_samples * sizeof(sorted[0]));
	qsort(sorted, st->nr_samples, sizeof(sorted[0]), cmp_u64);
	rank = DIV_ROUND_UP((u64)MIN(pct, 100U) * st->nr_samples, 100);
	return sorted[rank ? rank - 1 : 0];
}

static void report_error(struct report *r, int err)
{
	char buf[80];

	snprintf(buf, sizeof(buf), "%s (%d)", strerror(-err), err);
	report_str(r, "first_error", buf);
}

void ee_stats_report(const struct ee_stats *st, const char *key, struct report *r)
{
	report_section_begin(r, key);
	report_u64(r, "requests", st->requests);
	report_u64(r, "completed", st->completed);
	report_u64(r, "errors", st->errors);
	if (st->errors)
		report_error(r, st->first_error);
	report_u64(r, "bytes", st->bytes);
	report_double(r, "throughput_mbps", ee_stats_mbps(st));
	report_u64(r, "latency_p50_ns", ee_stats_percentile(st, 50));
	report_u64(r, "latency_p90_ns", ee_stats_percentile(st, 90));
	report_u64(r, "latency_p99_ns", ee_stats_percentile(st, 99));
	report_u64(r, "latency_max_ns", ee_stats_percentile(st, 100));
	if (st->samples_dropped)
		report_u64(r, "latency_samples_left_out", st->samples_dropped);
	report_section_end(r);
}
