/*
 * bench.h - the benchmarks behind `secsoc bench NAME`.
 *
 * Every benchmark measures host figures side by side in one run (the model
 * against a reference doing the same work on the same buffers: memcpy, raw
 * OpenSSL) and reports their ratio next to its target, plus the modelled
 * figures where there are any, labelled as such (DESIGN.md, "Measuring
 * performance"). Host timing uses the wall clock, which is fine here: it
 * measures the simulator and never feeds back into a simulation.
 */
#ifndef SECSOC_BENCH_H
#define SECSOC_BENCH_H

#include <secsoc/error.h>
#include <secsoc/report.h>

struct bench_options {
	bool quick;		/* a short run that checks the benchmark works */
};

struct bench {
	const char *name;
	const char *summary;
	/*
	 * Fill @r with the figures; 0, or a negative errno with @err set:
	 * -EBADMSG when the work's output failed verification (exit code 1).
	 */
	int (*run)(const struct bench_options *opt, struct report *r, struct secsoc_error *err);
};

extern const struct bench bench_bam;
extern const struct bench bench_crypt;
extern const struct bench bench_explore;
extern const struct bench bench_dma;
extern const struct bench bench_playback;
extern const struct bench bench_qce;

/** bench_now_ns - monotonic host time in nanoseconds */
u64 bench_now_ns(void);

/*
 * Side-by-side timing: run @model and @reference alternately for @rounds
 * rounds and keep the fastest time of each, so that a noisy neighbour on
 * the machine hurts both sides alike.
 */
struct bench_pair {
	u64 model_ns;
	u64 reference_ns;
};

typedef int (*bench_fn)(void *ctx, struct secsoc_error *err);

/** bench_side_by_side - best-of-@rounds host time of @model and @reference */
int bench_side_by_side(bench_fn model, bench_fn reference, void *ctx, unsigned int rounds,
		       struct bench_pair *out, struct secsoc_error *err);

/** bench_report_ratio - "ratio_vs_<what>", the target and whether it is met */
void bench_report_ratio(struct report *r, const char *key, const struct bench_pair *p,
			double target);

#endif /* SECSOC_BENCH_H */
