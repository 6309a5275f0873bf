/*
 * stats.h - what a scenario measures per execution environment: requests,
 * errors, bytes, modelled throughput and latency percentiles.
 *
 * All figures are modelled (simulation nanoseconds), never host time.
 * Latencies are kept in a fixed array; a run with more requests than
 * EE_STATS_SAMPLES_MAX computes its percentiles over the first ones and
 * says how many were left out.
 */
#ifndef SECSOC_SCENARIO_STATS_H
#define SECSOC_SCENARIO_STATS_H

#include <secsoc/report.h>
#include <secsoc/types.h>

#define EE_STATS_SAMPLES_MAX 4096

struct ee_stats {
	u64 requests;		/* submitted */
	u64 completed;		/* callback came, with success or an error */
	u64 errors;		/* completed with an error code */
	int first_error;	/* the first of those codes (negative errno), 0 if none */
	u64 bytes;		/* processed by successful requests */
	u64 first_submit_ns;
	u64 last_complete_ns;
	u64 nr_samples;
	u64 samples_dropped;	/* latencies beyond EE_STATS_SAMPLES_MAX */
	u64 latency_ns[EE_STATS_SAMPLES_MAX];
};

/** ee_stats_submit - a request was submitted at @now_ns */
void ee_stats_submit(struct ee_stats *st, u64 now_ns);
/**
 * ee_stats_complete - a request submitted at @submit_ns completed at @now_ns
 * @bytes: bytes it processed (counted only when @err is 0)
 * @err: 0 or the negative error code it completed with
 */
void ee_stats_complete(struct ee_stats *st, u64 submit_ns, u64 now_ns, u64 bytes, int err);
/** ee_stats_in_flight - submitted and not completed */
u64 ee_stats_in_flight(const struct ee_stats *st);
/** ee_stats_mbps - MB/s (10^6 bytes) from the first submission to the last completion */
double ee_stats_mbps(const struct ee_stats *st);
/** ee_stats_percentile - the nearest-rank @pct-th percentile latency (0 if none) */
u64 ee_stats_percentile(const struct ee_stats *st, unsigned int pct);
/** ee_stats_report - the figures as one report section named @key */
void ee_stats_report(const struct ee_stats *st, const char *key, struct report *r);

#endif /* SECSOC_SCENARIO_STATS_H */
