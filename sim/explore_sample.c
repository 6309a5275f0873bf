/*
 * explore_sample.c - sampling runs under the random and PCT strategies
 * (explore_sample()): seed after seed until a violation; proves nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

/* One sampled run: the strategy decides everything. */
static int sample_one(const struct explore_target *t, const struct sim_config *cfg,
		      struct explore_result *res, struct secsoc_error *err)
{
	enum sim_stop_reason stop;
	struct sim *s = NULL;
	int ret = explore_run_whole(t, cfg, &s, &stop, err);

	if (ret)
		return ret;
	if (sim_violation_count(s))
		ret = explore_keep_counterexample(res, s, stop, err);
	else if (stop != SIM_STOP_QUIESCENT)
		snprintf(res->incomplete, sizeof(res->incomplete),
			 "a run stopped before finishing (%s)", sim_stop_reason_name(stop));
	res->stats.steps += sim_steps(s);
	t->stop(t->ctx, s);
	return ret;
}

int explore_sample(const struct explore_target *t, const struct sim_config *base, u64 runs,
		   struct explore_result *res, struct secsoc_error *err)
{
	struct sim_config cfg = *base;
	int ret = 0;

	explore_result_init(res);
	for (u64 i = 0; !ret && i < runs && res->verdict != EXPLORE_VIOLATION; i++) {
		cfg.seed = base->seed + i;
		ret = sample_one(t, &cfg, res, err);
		res->stats.schedules++;
		if (t->progress)
			t->progress(t->ctx, &res->stats);
	}
	if (!ret && res->verdict != EXPLORE_VIOLATION) {
		res->verdict = EXPLORE_INCOMPLETE;
		if (!res->incomplete[0])
			snprintf(res->incomplete, sizeof(res->incomplete),
				 "sampling %llu runs proves nothing", (unsigned long long)runs);
	}
	return ret;
}
