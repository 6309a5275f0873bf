/*
 * explore_min.c - delta debugging (ddmin) of a counterexample over its
 * deviations from the explore strategy's default rule (explore_minimise()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

/* Same invariant: the same always() site and message up to its first ')'. */
static bool same_violation(const struct sim_violation *a, const struct sim_violation *b)
{
	const char *end = strchr(a->msg, ')');
	size_t n = end ? (size_t)(end - a->msg) + 1 : sizeof(a->msg);

	return !strcmp(a->where, b->where) && !strncmp(a->msg, b->msg, n);
}

struct minimiser {
	struct explorer x;
	struct explore_min_stats *st;
	u64 max_runs;
	u64 *dev;		/* positions of the deviations kept so far */
	u64 ndev;
	u64 *cand;		/* scratch: a candidate's positions */
};

/*
 * Run with only @keep[0..@n) kept. Return: 1 if it breaks the same invariant
 * (@final: re-record it into the result), 0 if not, or a negative errno.
 */
static int min_run(struct minimiser *m, const u64 *keep, u64 n, bool final,
		   struct secsoc_error *err)
{
	struct explorer *x = &m->x;
	enum sim_stop_reason stop;
	struct sim *s = NULL;
	int ret;

	for (u64 i = 0; i < x->path.prefix; i++)
		x->path.pts[i].kept = false;
	for (u64 i = 0; i < n; i++)
		x->path.pts[keep[i]].kept = true;
	x->path.pos = 0;
	m->st->runs++;
	ret = explore_run_whole(x->t, &x->cfg, &s, &stop, err);
	if (ret)
		return ret;
	ret = sim_violation_count(s) && same_violation(sim_violation(s, 0), &x->res->violation);
	if (ret && final)
		ret = explore_keep_counterexample(x->res, s, stop, err) ?: 1;
	x->t->stop(x->t->ctx, s);
	return ret;
}

/* Candidate: chunk @k of @parts (@complement: everything but it). */
static u64 min_candidate(struct minimiser *m, u64 parts, u64 k, bool complement)
{
	u64 lo = m->ndev * k / parts, hi = m->ndev * (k + 1) / parts, n = 0;

	for (u64 i = 0; i < m->ndev; i++)
		if ((i >= lo && i < hi) != complement)
			m->cand[n++] = m->dev[i];
	return n;
}

/* One ddmin round at granularity @parts: 1 if a candidate was kept (@parts updated). */
static int min_round(struct minimiser *m, u64 *parts, struct secsoc_error *err)
{
	for (int complement = 0; complement < 2; complement++) {
		for (u64 k = 0; k < *parts; k++) {
			u64 n = min_candidate(m, *parts, k, complement);
			int ret;

			if (m->st->runs >= m->max_runs) {
				m->st->run_limit = true;
				return 0;
			}
			ret = min_run(m, m->cand, n, false, err);
			if (ret < 0)
				return ret;
			if (ret) {
				memcpy(m->dev, m->cand, n * sizeof(*m->dev));
				m->ndev = n;
				*parts = complement ? MAX(*parts - 1, 2) : 2;
				return 1;
			}
		}
	}
	return 0;
}

/* ddmin (Zeller and Hildebrandt): the empty set first, then finer and finer chunks. */
static int min_ddmin(struct minimiser *m, struct secsoc_error *err)
{
	u64 parts = 2;
	int ret = min_run(m, NULL, 0, false, err);

	if (ret < 0)
		return ret;
	if (ret) {
		m->ndev = 0;
		return 0;
	}
	while (m->ndev >= 2 && !m->st->run_limit) {
		ret = min_round(m, &parts, err);
		if (ret < 0)
			return ret;
		if (ret)
			continue;
		if (parts >= m->ndev)
			break;
		parts = MIN(parts * 2, m->ndev);
	}
	return 0;
}

/* Load the counterexample as a lenient path; run it whole to learn its deviations. */
static int min_load(struct minimiser *m, struct secsoc_error *err)
{
	const struct schedule *cex = &m->x.res->counterexample;
	struct explore_path *p = &m->x.path;
	int ret;

	if (cex->count > p->cap)
		return input_error(err, "minimise: the counterexample has more choices than "
				   "--max-depth");
	for (u64 i = 0; i < cex->count; i++)
		p->pts[i] = (struct explore_point){
			.n = cex->entries[i].n, .answer = cex->entries[i].answer,
			.kind = cex->entries[i].kind,
		};
	p->prefix = cex->count;
	p->lenient = true;
	m->dev = calloc(cex->count + 1, sizeof(*m->dev));
	m->cand = calloc(cex->count + 1, sizeof(*m->cand));
	if (!m->dev || !m->cand)
		return internal_error(err, "minimise: out of memory");
	for (u64 i = 0; i < cex->count; i++)
		m->dev[i] = i;
	ret = min_run(m, m->dev, cex->count, false, err);
	if (ret <= 0)
		return ret ? ret : internal_error(err, "minimise: the counterexample does not "
						  "break the same invariant when re-run");
	for (u64 i = 0; i < cex->count; i++)
		if (p->pts[i].answer != p->pts[i].first)
			m->dev[m->ndev++] = i;
	return 0;
}

int explore_minimise(const struct explore_target *t, const struct sim_config *base,
		     u64 max_runs, struct explore_result *res, struct explore_min_stats *st,
		     struct secsoc_error *err)
{
	const struct explore_limits lim = { .no_state_hashing = true,
					    .max_depth = MAX(res->counterexample.count, 1) };
	struct minimiser m = { .st = st, .max_runs = max_runs ?: EXPLORE_MIN_RUNS_DEFAULT };
	int ret;

	memset(st, 0, sizeof(*st));
	st->choices_before = res->counterexample.count;
	st->steps_before = res->cex_steps;
	ret = explorer_init(&m.x, t, base, &lim, res, err);
	m.x.cfg.seed = res->counterexample.seed;	/* a sampled run's own seed */
	ret = ret ?: min_load(&m, err);
	st->deviations_before = m.ndev;
	ret = ret ?: min_ddmin(&m, err);
	st->deviations_after = m.ndev;
	if (!ret) {
		ret = min_run(&m, m.dev, m.ndev, true, err);
		ret = ret == 1 ? 0 : ret ?: internal_error(err, "minimise: the minimal candidate "
							   "did not fail again");
	}
	free(m.dev);
	free(m.cand);
	explorer_release(&m.x);
	return ret;
}
