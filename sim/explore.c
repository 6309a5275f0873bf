/*
 * explore.c - systematic exploration (explore.h): the explore strategy that
 * follows a path of choice points, the visited-state table, the depth-first
 * search with iterative preemption bounding, the breadth-first search that
 * shares its runs and table, sampling runs under the random and PCT
 * strategies, and ddmin over a counterexample's deviations from the default
 * rule. docs/exploration.md explains the search.
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
#include <stdlib.h>
#include <string.h>

#include <secsoc/explore.h>

/* One choice point on the path. */
struct explore_point {
	u32 n;
	u32 answer;
	u32 first;		/* the default rule's answer, tried first */
	u32 tried;		/* position of answer in the order first, 0, 1, ... */
	int prev;		/* sim_choice.prev */
	u8 kind;		/* enum sim_choice_kind */
	u32 preempted;		/* preemptions before this choice */
	u32 faulted;		/* fault firings before this choice */
	bool kept;		/* minimising: answer kept, else the default rule's */
};

struct explore_path {
	struct explore_point *pts;
	u64 cap;		/* the depth limit */
	u64 len;		/* points known */
	u64 prefix;		/* points a run follows before the default rule */
	u64 pos;		/* choice points reached by this run */
	u32 preempted;		/* preemptions of this run so far */
	u32 faulted;		/* fault firings of this run so far */
	bool too_deep;
	bool diverged;
	bool stop_at_end;	/* BFS: stop at the first choice point past the prefix */
	bool at_end;		/* ... and it was reached (recorded at pts[prefix]) */
	bool lenient;		/* minimising: kept answers where valid, no divergence */
};

/* Visited states: open addressing on the 64-bit key (0 marks a free slot). */
struct explore_table {
	u64 *keys;
	u8 *left;		/* most preemptions left with which the state was reached */
	u64 slots;
	u64 used;
	bool full;
};

/*
 * BFS search tree: a node is a prefix, stored as its last point and its
 * parent's index, so that a level costs one point per node.
 */
struct explore_node {
	struct explore_point pt;
	u64 parent;		/* index in nodes, NODE_ROOT for level 1 */
};

#define NODE_ROOT UINT64_MAX

struct explore_tree {
	struct explore_node *nodes;
	u64 cap;		/* explore_limits.max_frontier */
	u64 count;		/* nodes made */
	u64 head;		/* next node to run: nodes run in order are the BFS queue */
};

struct explorer {
	const struct explore_target *t;
	struct explore_limits lim;	/* defaults resolved */
	struct sim_config cfg;
	struct explore_path path;
	struct explore_table table;
	struct explore_tree tree;	/* BFS only */
	struct explore_result *res;
	u32 bound;
	bool limited;		/* a limit cut a run or the search */
};

enum run_end { RUN_DONE, RUN_CUT, RUN_LIMIT, RUN_VIOLATION, RUN_FRONTIER };

static unsigned int default_answer(const struct sim_choice *c)
{
	return c->kind == SIM_CHOICE_SCHED && c->prev >= 0 ? (unsigned int)c->prev : 0;
}

static u32 is_preemption(unsigned int kind, int prev, u32 answer)
{
	return kind == SIM_CHOICE_SCHED && prev >= 0 && answer != (u32)prev;
}

static u32 is_firing(unsigned int kind, u32 answer)
{
	return kind == SIM_CHOICE_FAULT && answer;
}

/* May @pt be answered @a within @bound preemptions and @max_faults firings? */
static bool within_bounds(const struct explore_point *pt, u32 a, u32 bound, u32 max_faults)
{
	return pt->preempted + is_preemption(pt->kind, pt->prev, a) <= bound &&
	       pt->faulted + is_firing(pt->kind, a) <= max_faults;
}

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

/* Option tried at position @t: the default first, then the others in order. */
static u32 option_at(const struct explore_point *pt, u32 t)
{
	if (!t)
		return pt->first;
	return t - 1 < pt->first ? t - 1 : t;
}

/*
 * Depth first: the deepest choice point with an option not tried yet that
 * keeps the run within @bound preemptions and @max_faults fault firings
 * becomes the new end of the prefix.
 */
static bool next_branch(struct explore_path *p, u32 bound, u32 max_faults)
{
	while (p->len) {
		struct explore_point *pt = &p->pts[p->len - 1];

		while (++pt->tried < pt->n) {
			u32 a = option_at(pt, pt->tried);

			if (within_bounds(pt, a, bound, max_faults)) {
				pt->answer = a;
				p->prefix = p->len;
				return true;
			}
		}
		p->len--;
	}
	return false;
}

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

static int explore_limit(struct explorer *x, const char *why)
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
static int keep_counterexample(struct explore_result *res, struct sim *s,
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

/* One schedule: a fresh run following the path's prefix. */
static int explore_one(struct explorer *x, struct secsoc_error *err)
{
	const struct explore_target *t = x->t;
	struct sim *s = NULL;
	int ret, end;

	x->path.pos = 0;
	x->path.preempted = 0;
	x->path.faulted = 0;
	x->path.too_deep = false;
	x->path.at_end = false;
	ret = t->start(t->ctx, &x->cfg, &s, err);
	if (ret)
		return ret;
	end = explore_drive(x, s);
	if (end == RUN_VIOLATION)
		ret = keep_counterexample(x->res, s, SIM_STOP_VIOLATION, err);
	x->res->stats.steps += sim_steps(s);
	t->stop(t->ctx, s);
	if (ret)
		return ret;
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
	if (x->t->progress)
		x->t->progress(x->t->ctx, st);
}

/*
 * One schedule of a search (DFS and BFS alike): none past --max-schedules,
 * else run and accounted. *stop says the search ends here (the limit, or a
 * violation). Return: how the run ended, or a negative errno.
 */
static int explore_next(struct explorer *x, bool *stop, struct secsoc_error *err)
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

/* Every schedule within @bound preemptions. Return: 0 or a negative errno. */
static int explore_bound(struct explorer *x, u32 bound, struct secsoc_error *err)
{
	bool stop;
	int end;

	x->bound = bound;
	x->res->stats.bound = bound;
	x->path.len = 0;
	x->path.prefix = 0;
	do {
		end = explore_next(x, &stop, err);
		if (end < 0 || stop)
			return end < 0 ? end : 0;
	} while (next_branch(&x->path, bound, x->lim.max_faults));
	return 0;
}

static u64 or_default(u64 v, u64 def)
{
	return v ? v : def;
}

static int explorer_init(struct explorer *x, const struct explore_target *t,
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
	if (x->lim.max_preemptions > EXPLORE_PREEMPTIONS_MAX || x->lim.max_depth > EXPLORE_DEPTH_MAX ||
	    x->lim.max_faults > EXPLORE_FAULTS_MAX ||
	    x->lim.table_slots > EXPLORE_TABLE_MAX || (x->lim.table_slots & (x->lim.table_slots - 1)) ||
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

static void explorer_release(struct explorer *x)
{
	free(x->tree.nodes);
	free(x->path.pts);
	free(x->table.keys);
	free(x->table.left);
}

static void result_init(struct explore_result *res)
{
	memset(res, 0, sizeof(*res));
	res->bound_done = -1;
}

int explore_dfs(const struct explore_target *t, const struct sim_config *base,
		const struct explore_limits *lim, struct explore_result *res,
		struct secsoc_error *err)
{
	struct explorer x;
	int ret;

	result_init(res);
	ret = explorer_init(&x, t, base, lim, res, err);
	for (u32 b = 0; !ret && b <= x.lim.max_preemptions; b++) {
		ret = explore_bound(&x, b, err);
		if (ret || res->verdict == EXPLORE_VIOLATION || x.limited)
			break;
		res->bound_done = (int)b;
	}
	if (!ret && res->verdict != EXPLORE_VIOLATION && x.limited)
		res->verdict = EXPLORE_INCOMPLETE;
	explorer_release(&x);
	return ret;
}

/* The path of node @i: its ancestors' points, root first. */
static void bfs_load(struct explorer *x, u64 i)
{
	u64 d = 0;

	for (u64 j = i; j != NODE_ROOT; j = x->tree.nodes[j].parent)
		d++;
	x->path.len = d;
	x->path.prefix = d;
	for (u64 j = i; j != NODE_ROOT; j = x->tree.nodes[j].parent)
		x->path.pts[--d] = x->tree.nodes[j].pt;
}

/*
 * The choice point recorded at the end of the path: every answer within the
 * bounds becomes a child of @parent, the default rule's first.
 */
static int bfs_expand(struct explorer *x, u64 parent)
{
	struct explore_point pt = x->path.pts[x->path.prefix];

	for (u32 t = 0; t < pt.n; t++) {
		pt.answer = option_at(&pt, t);
		pt.tried = t;
		if (!within_bounds(&pt, pt.answer, x->bound, x->lim.max_faults))
			continue;
		if (x->tree.count >= x->tree.cap)
			return explore_limit(x, "the BFS frontier reached its limit "
					     "(--max-frontier)");
		x->tree.nodes[x->tree.count++] = (struct explore_node){ .pt = pt, .parent = parent };
	}
	return 0;
}

/* Run the root (the empty prefix), then every node in the order they were made. */
static int bfs_search(struct explorer *x, struct secsoc_error *err)
{
	u64 i = NODE_ROOT;
	int end;

	x->path.stop_at_end = true;
	for (;;) {
		bool stop;

		end = explore_next(x, &stop, err);
		if (end < 0 || stop)
			return end < 0 ? end : 0;
		if (end == RUN_FRONTIER && bfs_expand(x, i))
			return 0;
		if (x->tree.head >= x->tree.count)
			return 0;
		i = x->tree.head++;
		bfs_load(x, i);
	}
}

int explore_bfs(const struct explore_target *t, const struct sim_config *base,
		const struct explore_limits *lim, struct explore_result *res,
		struct secsoc_error *err)
{
	struct explorer x;
	int ret;

	result_init(res);
	ret = explorer_init(&x, t, base, lim, res, err);
	if (!ret) {
		x.tree.cap = x.lim.max_frontier;
		x.tree.nodes = calloc(x.tree.cap, sizeof(*x.tree.nodes));
		if (!x.tree.nodes)
			ret = internal_error(err, "explore: out of memory for the BFS frontier");
	}
	x.bound = x.lim.max_preemptions;
	res->stats.bound = x.bound;
	if (!ret)
		ret = bfs_search(&x, err);
	if (!ret && res->verdict != EXPLORE_VIOLATION) {
		res->verdict = x.limited ? EXPLORE_INCOMPLETE : EXPLORE_SAFE;
		res->bound_done = x.limited ? -1 : (int)x.bound;
	}
	explorer_release(&x);
	return ret;
}

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
	ret = x->t->start(x->t->ctx, &x->cfg, &s, err);
	if (ret)
		return ret;
	stop = sim_run(s);
	if (stop == SIM_STOP_QUIESCENT)
		x->t->check(x->t->ctx, s);
	ret = sim_violation_count(s) && same_violation(sim_violation(s, 0), &x->res->violation);
	if (ret && final)
		ret = keep_counterexample(x->res, s, stop, err) ?: 1;
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
	struct explore_result tmp;
	struct minimiser m = { .st = st, .max_runs = max_runs ?: EXPLORE_MIN_RUNS_DEFAULT };
	int ret;

	memset(st, 0, sizeof(*st));
	st->choices_before = res->counterexample.count;
	st->steps_before = res->cex_steps;
	ret = explorer_init(&m.x, t, base, &lim, &tmp, err);
	m.x.res = res;
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

/* One sampled run: the strategy decides everything. */
static int sample_one(const struct explore_target *t, const struct sim_config *cfg,
		      struct explore_result *res, struct secsoc_error *err)
{
	enum sim_stop_reason stop;
	struct sim *s = NULL;
	int ret = t->start(t->ctx, cfg, &s, err);

	if (ret)
		return ret;
	stop = sim_run(s);
	if (stop == SIM_STOP_QUIESCENT)
		t->check(t->ctx, s);
	if (sim_violation_count(s))
		ret = keep_counterexample(res, s, stop, err);
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

	result_init(res);
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

void explore_result_free(struct explore_result *res)
{
	schedule_free(&res->counterexample);
}
