/*
 * explore_merge.c - combining the results of the parts of a partitioned
 * search (explore_merge()), whether they come from worker processes
 * (explore_jobs.c) or from shard files (`secsoc explore --merge`), and
 * re-running a part's counterexample to recover its violation
 * (explore_reproduce()), which a shard file does not carry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

/* The number of distinct keys over all parts (each part's are sorted and unique). */
static int union_states(const struct explore_result *parts, u32 n, u64 *states,
			struct secsoc_error *err)
{
	u64 total = 0, k = 0, *all;

	for (u32 i = 0; i < n; i++)
		total += parts[i].nkeys;
	all = malloc(MAX(total, 1) * sizeof(*all));
	if (!all)
		return internal_error(err, "explore: out of memory merging the state keys");
	for (u32 i = 0; i < n; i++) {
		memcpy(all + k, parts[i].keys, parts[i].nkeys * sizeof(*all));
		k += parts[i].nkeys;
	}
	qsort(all, total, sizeof(*all), explore_key_cmp);
	*states = 0;
	for (u64 i = 0; i < total; i++)
		*states += !i || all[i] != all[i - 1];
	free(all);
	return 0;
}

/* Add part @st's statistics into @to (the merge, and --jobs' progress line). */
void explore_stats_add(struct explore_stats *to, const struct explore_stats *st)
{
	to->schedules += st->schedules;
	to->cut += st->cut;
	to->states += st->states;
	to->steps += st->steps;
	to->faulted += st->faulted;
	to->bound = MAX(to->bound, st->bound);
	to->table_full |= st->table_full;
}

/* The winner's violation and counterexample move into @out. */
static void merge_violation(struct explore_result *out, struct explore_result *w)
{
	out->verdict = EXPLORE_VIOLATION;
	out->violation = w->violation;
	out->stop = w->stop;
	out->cex_steps = w->cex_steps;
	out->cex_preemptions = w->cex_preemptions;
	out->cex_order = w->cex_order;
	out->counterexample = w->counterexample;
	memset(&w->counterexample, 0, sizeof(w->counterexample));
}

int explore_merge(struct explore_result *parts, u32 n, struct explore_result *out,
		  struct secsoc_error *err)
{
	int win = -1, inc = -1;
	bool keys = n > 0;

	explore_result_init(out);
	out->parts = n;
	out->bound_done = n ? parts[0].bound_done : -1;
	for (u32 i = 0; i < n; i++) {
		struct explore_result *p = &parts[i];

		explore_stats_add(&out->stats, &p->stats);
		out->bound_done = MIN(out->bound_done, p->bound_done);
		out->units = MAX(out->units, p->units);
		keys &= p->keys != NULL;
		if (p->verdict == EXPLORE_VIOLATION &&
		    (win < 0 || p->cex_order < parts[win].cex_order))
			win = (int)i;
		if (p->verdict == EXPLORE_INCOMPLETE && inc < 0)
			inc = (int)i;
	}
	if (win >= 0)
		merge_violation(out, &parts[win]);
	else if (inc >= 0)
		out->verdict = EXPLORE_INCOMPLETE;
	if (inc >= 0)
		memcpy(out->incomplete, parts[inc].incomplete, sizeof(out->incomplete));
	return keys ? union_states(parts, n, &out->stats.states, err) : 0;
}

int explore_reproduce(const struct explore_target *t, const struct sim_config *base,
		      struct explore_result *res, struct secsoc_error *err)
{
	struct sim_config cfg = *base;
	struct schedule cex = res->counterexample;
	enum sim_stop_reason stop;
	struct sim *s = NULL;
	int ret;

	cfg.strategy = &sim_strategy_replay;
	cfg.replay = &cex;
	cfg.seed = cex.seed;
	cfg.max_steps = cex.max_steps;
	ret = explore_run_whole(t, &cfg, &s, &stop, err);
	if (ret)
		return ret;
	if (sim_violation_count(s)) {
		memset(&res->counterexample, 0, sizeof(res->counterexample));
		ret = explore_keep_counterexample(res, s, stop, err);
	} else {
		ret = input_error(err, "the counterexample breaks no invariant when replayed");
	}
	t->stop(t->ctx, s);
	if (res->counterexample.entries != cex.entries)
		schedule_free(&cex);
	return ret;
}
