/*
 * explore.c - systematic exploration (explore.h), the part every search
 * shares: the explore strategy that follows a path of choice points, the
 * visited-state table and the state key, and one schedule run, judged and
 * accounted. The searches are in explore_dfs.c, explore_bfs.c,
 * explore_part.c (partitions), explore_jobs.c (worker processes),
 * explore_merge.c (combining parts) and explore_shard.c (shard result
 * files); ddmin in explore_min.c, sampling in explore_sample.c.
 * docs/exploration.md explains the search.
 *
 * Why re-execution: a booted machine cannot be copied cheaply (a fork costs
 * about 200 model steps), while a run of the lock-race scenario is a few
 * hundred steps plus a millisecond of boot, so every schedule is one fresh
 * run and the search state is only the path (a few words per choice point)
 * and the table.
 *
 * Why the table stores the preemption budget left: a state first reached
 * with b preemptions left has had everything reachable within b explored
 * below it, so reaching it again with no more than b left adds nothing, in
 * this bound or a later one; the table is therefore kept across bounds.
 *
 * Why faults have a bound of their own (explore_limits.max_faults) and are
 * part of the state key: a fault firing is no preemption, but unbounded it
 * doubles the space at every visit of an enabled site; and a state reached
 * after f firings can still reach less than the same state after fewer, so
 * the firings so far tell states apart (the fault bound is the same in every
 * preemption bound, so the table stays valid across them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

/* Inside the prefix: the path's answer, provided the model asks the same. */
static unsigned int explore_follow(struct sim *s, struct explore_path *p,
				   const struct sim_choice *c)
{
	const struct explore_point *pt = &p->pts[p->pos];

	if (pt->n != c->n || pt->kind != c->kind || pt->prev != c->prev) {
		p->diverged = true;
		sim_request_stop(s);
		return default_answer(c);
	}
	p->pos++;
	p->preempted = pt->preempted + is_preemption(pt->kind, pt->prev, pt->answer);
	p->faulted = pt->faulted + is_firing(pt->kind, pt->answer);
	return pt->answer;
}

/* Past the prefix: the default rule (never a preemption), remembered. */
static unsigned int explore_extend(struct sim *s, struct explore_path *p,
				   const struct sim_choice *c)
{
	unsigned int a = default_answer(c);

	if (p->pos >= p->cap) {
		p->too_deep = true;
		sim_request_stop(s);
		return a;
	}
	p->pts[p->pos++] = (struct explore_point){
		.n = c->n, .answer = a, .first = a, .prev = c->prev, .kind = (u8)c->kind,
		.preempted = p->preempted, .faulted = p->faulted,
	};
	p->len = p->pos;
	if (p->stop_at_end) {
		p->at_end = true;
		sim_request_stop(s);
	}
	return a;
}

/*
 * Minimising: the kept answers at their positions, when the model offers
 * them, else the default rule; the default is recorded to tell deviations.
 */
static unsigned int explore_lenient(struct explore_path *p, const struct sim_choice *c)
{
	struct explore_point *pt = &p->pts[p->pos++];

	pt->first = default_answer(c);
	return pt->kept && pt->kind == c->kind && pt->answer < c->n ? pt->answer : pt->first;
}

static unsigned int explore_choose(struct sim *s, const struct sim_choice *c)
{
	struct explore_path *p = sim_config(s)->strategy_arg;

	if (p && p->lenient)
		return p->pos < p->prefix ? explore_lenient(p, c) : default_answer(c);
	if (!p || p->too_deep || p->diverged || p->at_end)
		return default_answer(c);
	if (p->pos < p->prefix)
		return explore_follow(s, p, c);
	return explore_extend(s, p, c);
}

const struct sim_strategy_ops sim_strategy_explore = {
	.name = "explore",
	.timed = false,
	.choose = explore_choose,
};

/*
 * Has the state @key been reached before with at least @left preemptions
 * left? Otherwise remember it (until the table is 3/4 full; past that the
 * search stays sound, only slower).
 */
static bool table_visit(struct explore_table *t, u64 key, u32 left)
{
	u64 mask = t->slots - 1, i;

	key = key ? key : 1;
	for (i = key & mask; t->keys[i]; i = (i + 1) & mask) {
		if (t->keys[i] != key)
			continue;
		if (t->left[i] >= left)
			return true;
		t->left[i] = (u8)left;
		return false;
	}
	if (t->used >= t->slots / 4 * 3) {
		t->full = true;
		return false;
	}
	t->keys[i] = key;
	t->left[i] = (u8)left;
	t->used++;
	return false;
}

/*
 * The state key: every actor's abstract state (sim_state_hash()), the actor
 * that ran last (it decides which option is no preemption) and the step
 * counts of the actors whose hash does not cover their state (the CPUs:
 * their count stands for the progress of the driver and TA code they run,
 * which reports no hash); explore_limits.abstract_key leaves the counts out
 * (@nids 0). The fault firings so far (@faulted) are mixed in when there
 * were any, so that runs without faults keep the keys they always had.
 */
static u64 state_key(const struct sim *s, u32 faulted, const u64 *counts, unsigned int nids)
{
	u64 h = sim_hash_mix(sim_state_hash(s), sim_last_actor(s)->id + 1ULL);

	if (faulted)
		h = sim_hash_mix(h, faulted);
	for (unsigned int i = 0; i < nids; i++)
		h = sim_hash_mix(h, counts[i]);
	return h;
}

int explore_limit(struct explorer *x, const char *why)
{
	if (!x->limited)
		snprintf(x->res->incomplete, sizeof(x->res->incomplete), "%s", why);
	x->limited = true;
	return RUN_LIMIT;
}

/* Step the run to its end, a cut, a limit or a violation. */
static int explore_drive(struct explorer *x, struct sim *s)
{
	u64 counts[SIM_ACTORS_MAX] = { 0 };
	const struct sim_actor *last;
	unsigned int nids = 0;

	if (sim_violation_count(s))
		return RUN_VIOLATION;
	for (;;) {
		if (sim_steps(s) >= x->lim.max_steps)
			return explore_limit(x, "a schedule reached the step limit (--max-steps)");
		if (!sim_step_once(s)) {
			x->t->check(x->t->ctx, s);
			return sim_violation_count(s) ? RUN_VIOLATION : RUN_DONE;
		}
		/* The step that reached the end ran a child's default: its business. */
		if (x->path.at_end)
			return RUN_FRONTIER;
		if (sim_violation_count(s))
			return RUN_VIOLATION;
		if (x->path.too_deep)
			return explore_limit(x, "a schedule reached the choice-point limit "
					     "(--max-depth)");
		if (x->path.diverged)
			return RUN_LIMIT;
		last = sim_last_actor(s);
		if (!last->ops->state_hash_complete && !x->lim.abstract_key) {
			counts[last->id]++;
			nids = MAX(nids, last->id + 1);
		}
		if (x->table.slots && x->path.pos >= x->path.prefix &&
		    table_visit(&x->table, state_key(s, x->path.faulted, counts, nids),
				x->bound - x->path.preempted))
			return RUN_CUT;
	}
}

/* Copy the violating run's choice log and first violation into the result. */
int explore_keep_counterexample(struct explore_result *res, struct sim *s,
				enum sim_stop_reason stop, struct secsoc_error *err)
{
	const struct schedule *log = sim_schedule(s);
	struct schedule *cex = &res->counterexample;

	schedule_free(cex);
	*cex = *log;
	cex->entries = NULL;
	cex->count = 0;
	cex->capacity = 0;
	for (u64 i = 0; i < log->count; i++)
		if (schedule_append(cex, &log->entries[i]))
			return internal_error(err, "out of memory keeping the counterexample");
	res->verdict = EXPLORE_VIOLATION;
	res->violation = *sim_violation(s, 0);
	res->stop = stop;
	res->cex_steps = sim_steps(s);
	res->cex_preemptions = sim_preemptions(s);
	return 0;
}

/*
 * A fresh start() run to its stop under @cfg, checked at the end if it
 * finished (sampling, minimising and reproducing: no step-by-step search).
 * On 0 the caller owns *@s and stops it. Return: 0 or start()'s errno.
 */
int explore_run_whole(const struct explore_target *t, const struct sim_config *cfg,
		      struct sim **s, enum sim_stop_reason *stop, struct secsoc_error *err)
{
	int ret = t->start(t->ctx, cfg, s, err);

	if (ret)
		return ret;
	*stop = sim_run(*s);
	if (*stop == SIM_STOP_QUIESCENT)
		t->check(t->ctx, *s);
	return 0;
}

/* One schedule: a fresh run following the path's prefix. */
static void path_rewind(struct explore_path *p)
{
	p->pos = 0;
	p->preempted = 0;
	p->faulted = 0;
	p->too_deep = false;
	p->at_end = false;
}

/* A fresh start() and run. Return: how the run ended, or a negative errno. */
static int explore_fresh(struct explorer *x, struct secsoc_error *err)
{
	const struct explore_target *t = x->t;
	struct sim *s = NULL;
	int ret, end;

	path_rewind(&x->path);
	ret = t->start(t->ctx, &x->cfg, &s, err);
	if (ret)
		return ret;
	end = explore_drive(x, s);
	if (end == RUN_VIOLATION)
		ret = explore_keep_counterexample(x->res, s, SIM_STOP_VIOLATION, err);
	x->res->stats.steps += sim_steps(s);
	t->stop(t->ctx, s);
	return ret ?: end;
}

/*
 * One schedule. (A fork of a booted template per schedule was tried and
 * measured slower: docs/exploration.md, "Where the time goes".)
 */
static int explore_one(struct explorer *x, struct secsoc_error *err)
{
	int end = explore_fresh(x, err);

	if (end < 0)
		return end;
	if (x->path.diverged)
		return internal_error(err, "explore: the model asked different questions when a "
				      "schedule was re-run: it is not deterministic");
	return end;
}

static void explore_account(struct explorer *x, int end)
{
	struct explore_stats *st = &x->res->stats;

	st->schedules++;
	st->cut += end == RUN_CUT;
	st->faulted += x->path.faulted > 0;
	st->states = x->table.used;
	st->table_full = x->table.full;
	if (x->live)
		*x->live = *st;
	else if (x->t->progress)
		x->t->progress(x->t->ctx, st);
}

/*
 * One schedule of a search (DFS and BFS alike): none past --max-schedules,
 * else run and accounted. *stop says the search ends here (the limit, or a
 * violation). Return: how the run ended, or a negative errno.
 */
int explore_next(struct explorer *x, bool *stop, struct secsoc_error *err)
{
	int end;

	*stop = x->res->stats.schedules >= x->lim.max_schedules;
	if (*stop) {
		explore_limit(x, "the schedule limit was reached (--max-schedules)");
		return RUN_LIMIT;
	}
	end = explore_one(x, err);
	if (end < 0)
		return end;
	explore_account(x, end);
	*stop = end == RUN_VIOLATION;
	return end;
}

static u64 or_default(u64 v, u64 def)
{
	return v ? v : def;
}

int explorer_init(struct explorer *x, const struct explore_target *t,
		  const struct sim_config *base, const struct explore_limits *lim,
		  struct explore_result *res, struct secsoc_error *err)
{
	memset(x, 0, sizeof(*x));
	x->t = t;
	x->res = res;
	x->lim = *lim;
	x->lim.max_schedules = or_default(lim->max_schedules, EXPLORE_SCHEDULES_DEFAULT);
	x->lim.max_depth = or_default(lim->max_depth, EXPLORE_DEPTH_DEFAULT);
	x->lim.max_steps = or_default(lim->max_steps, EXPLORE_STEPS_DEFAULT);
	x->lim.table_slots = or_default(lim->table_slots, EXPLORE_TABLE_DEFAULT);
	x->lim.max_frontier = or_default(lim->max_frontier, EXPLORE_FRONTIER_DEFAULT);
	if (x->lim.max_preemptions > EXPLORE_PREEMPTIONS_MAX ||
	    x->lim.max_depth > EXPLORE_DEPTH_MAX || x->lim.max_faults > EXPLORE_FAULTS_MAX ||
	    x->lim.table_slots > EXPLORE_TABLE_MAX ||
	    (x->lim.table_slots & (x->lim.table_slots - 1)) ||
	    x->lim.max_frontier > EXPLORE_FRONTIER_MAX)
		return input_error(err, "explore: a limit is out of range (preemptions <= %d, "
				   "faults <= %d, depth <= %llu, table a power of 2 <= %llu, "
				   "frontier <= %llu)", EXPLORE_PREEMPTIONS_MAX, EXPLORE_FAULTS_MAX,
				   EXPLORE_DEPTH_MAX, EXPLORE_TABLE_MAX, EXPLORE_FRONTIER_MAX);
	x->cfg = *base;
	x->cfg.strategy = &sim_strategy_explore;
	x->cfg.strategy_arg = &x->path;
	x->cfg.max_steps = x->lim.max_steps;
	x->path.cap = x->lim.max_depth;
	x->path.pts = calloc(x->path.cap, sizeof(*x->path.pts));
	if (!lim->no_state_hashing) {
		x->table.slots = x->lim.table_slots;
		x->table.keys = calloc(x->table.slots, sizeof(*x->table.keys));
		x->table.left = calloc(x->table.slots, sizeof(*x->table.left));
	}
	if (!x->path.pts || (x->table.slots && (!x->table.keys || !x->table.left)))
		return internal_error(err, "explore: out of memory for the search");
	return 0;
}

void explorer_release(struct explorer *x)
{
	free(x->tree.nodes);
	free(x->path.pts);
	free(x->table.keys);
	free(x->table.left);
}

void explore_result_init(struct explore_result *res)
{
	memset(res, 0, sizeof(*res));
	res->bound_done = -1;
}

void explore_result_free(struct explore_result *res)
{
	schedule_free(&res->counterexample);
	free(res->keys);
	res->keys = NULL;
	res->nkeys = 0;
}

const char *explore_verdict_name(enum explore_verdict v)
{
	return v == EXPLORE_SAFE ? "safe" : v == EXPLORE_VIOLATION ? "violation" : "incomplete";
}

/* qsort() order of state keys (u64), for this table's keys and the merge's. */
int explore_key_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The table's keys into the result, sorted (they are unique). Return: 0 or -ENOMEM. */
int explore_keep_keys(struct explorer *x, struct secsoc_error *err)
{
	struct explore_result *res = x->res;

	free(res->keys);
	res->nkeys = 0;
	res->keys = malloc(MAX(x->table.used, 1) * sizeof(*res->keys));
	if (!res->keys)
		return internal_error(err, "explore: out of memory for the state keys");
	for (u64 i = 0; i < x->table.slots; i++)
		if (x->table.keys[i])
			res->keys[res->nkeys++] = x->table.keys[i];
	qsort(res->keys, res->nkeys, sizeof(*res->keys), explore_key_cmp);
	return 0;
}
