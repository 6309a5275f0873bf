/*
 * bench.c - what the benchmarks share: host time and side-by-side timing.
 */
#include <errno.h>
#include <time.h>

#include "bench/bench.h"

u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

int bench_side_by_side(bench_fn model, bench_fn reference, void *ctx, unsigned int rounds,
		       struct bench_pair *out, struct secsoc_error *err)
{
	*out = (struct bench_pair){ .model_ns = ~0ULL, .reference_ns = ~0ULL };
	for (unsigned int i = 0; i < rounds; i++) {
		u64 t0 = bench_now_ns(), t1;

		if (model(ctx, err))
			return -EINVAL;
		t1 = bench_now_ns();
		out->model_ns = MIN(out->model_ns, MAX(t1 - t0, 1));
		if (reference(ctx, err))
			return -EINVAL;
		out->reference_ns = MIN(out->reference_ns, MAX(bench_now_ns() - t1, 1));
	}
	return 0;
}

void bench_report_ratio(struct report *r, const char *key, const struct bench_pair *p,
			double target)
{
	double ratio = (double)p->reference_ns / (double)p->model_ns;

	report_double(r, key, ratio);
	report_double(r, "target", target);
	report_bool(r, "target_met", ratio >= target);
}
