/*
 * explore_part.c - one part of a partitioned search (explore_part(); the
 * partition is described in explore.h and docs/exploration.md): build the
 * units, then explore this part's units depth first (bound by bound) or
 * breadth first.
 *
 * Why units from the top of the search tree, dealt round robin: every part
 * computes the same units by itself, so shards on different machines need
 * no coordination, and a part's result depends only on its index and the
 * count, never on timing. Several units per part even out their very
 * different sizes (work stealing would balance better, but then which
 * worker explores a unit, and so its cuts, would depend on timing).
 *
 * Why each part has its own visited-state table: a cut is sound when the
 * state's subtree was explored by the same search; parts cannot see each
 * other's tables, so a state shared by two parts is explored twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

static void part_verdict(struct explorer *x)
{
	if (x->res->verdict != EXPLORE_VIOLATION)
		x->res->verdict = x->limited ? EXPLORE_INCOMPLETE : EXPLORE_SAFE;
}

/* A unit and its path's tried positions, root first, for sorting. */
struct unit_key {
	u64 node;
	const u32 *tried;
	u64 depth;
};

/* Depth-first order: lexicographic on the tried positions (no unit extends another). */
static int unit_cmp(const void *a, const void *b)
{
	const struct unit_key *x = a, *y = b;

	for (u64 i = 0; i < x->depth && i < y->depth; i++)
		if (x->tried[i] != y->tried[i])
			return x->tried[i] < y->tried[i] ? -1 : 1;
	return x->depth < y->depth ? -1 : x->depth > y->depth;
}

/* Sort @units[0..@n) into the order the whole DFS would reach them. */
static int dfs_order_units(struct explorer *x, u64 *units, u64 n, struct secsoc_error *err)
{
	struct unit_key *keys = calloc(MAX(n, 1), sizeof(*keys));
	u32 *tried = NULL;
	u64 total = 0;

	for (u64 i = 0; keys && i < n; i++) {
		for (u64 j = units[i]; j != NODE_ROOT; j = x->tree.nodes[j].parent)
			keys[i].depth++;
		total += keys[i].depth;
	}
	tried = keys ? calloc(MAX(total, 1), sizeof(*tried)) : NULL;
	if (!tried) {
		free(keys);
		return internal_error(err, "explore: out of memory ordering the units");
	}
	total = 0;
	for (u64 i = 0; i < n; i++) {
		u64 d = keys[i].depth;

		keys[i].node = units[i];
		keys[i].tried = tried + total;
		for (u64 j = units[i]; j != NODE_ROOT; j = x->tree.nodes[j].parent)
			tried[total + --d] = x->tree.nodes[j].pt.tried;
		total += keys[i].depth;
	}
	qsort(keys, n, sizeof(*keys), unit_cmp);
	for (u64 i = 0; i < n; i++)
		units[i] = keys[i].node;
	free(tried);
	free(keys);
	return 0;
}

/*
 * The units of a DFS: the split level's nodes and the leaves above it, in
 * the order the whole DFS reaches them, so that the first violating unit
 * holds the violation the whole DFS finds first.
 */
static int dfs_units(struct explorer *x, const struct explore_units *u, u64 **units, u64 *n,
		     struct secsoc_error *err)
{
	u64 width = u->split ? u->end - u->begin : 0;

	*n = width + u->nleaves;
	*units = calloc(MAX(*n, 1), sizeof(**units));
	if (!*units)
		return internal_error(err, "explore: out of memory for the units");
	for (u64 i = 0; i < width; i++)
		(*units)[i] = u->begin + i;
	memcpy(*units + width, u->leaves, u->nleaves * sizeof(**units));
	return dfs_order_units(x, *units, *n, err);
}

/*
 * DFS: the tree is built breadth first without state hashing, within the
 * last bound; those runs are not the search and are not counted.
 */
static int dfs_part(struct explorer *x, const struct explore_part *part, u64 target,
		    struct secsoc_error *err)
{
	struct explore_units u = { .part = part, .target = target, .tree_only = true };
	u64 slots = x->table.slots, *units = NULL, n = 0;
	int ret;

	u.leaves = calloc(x->tree.cap, sizeof(*u.leaves));
	if (!u.leaves)
		return internal_error(err, "explore: out of memory for the units");
	x->table.slots = 0;
	x->bound = x->lim.max_preemptions;
	ret = explore_bfs_search(x, &u, err);
	x->table.slots = slots;
	x->path.stop_at_end = false;
	if (!ret && !x->limited) {
		explore_result_free(x->res);
		explore_result_init(x->res);
		ret = dfs_units(x, &u, &units, &n, err);
		x->res->units = n;
	}
	if (!ret && !x->limited)
		ret = explore_dfs_units(x, part, units, n, err);
	free(units);
	free(u.leaves);
	return ret;
}

/*
 * A search too small to split is part 0's: the others report nothing. The
 * BFS before the split is every part's too, and counted in part 0 only.
 */
static void bfs_discount(struct explore_result *res, const struct explore_units *u)
{
	struct explore_stats *st = &res->stats;

	if (!u->split) {
		schedule_free(&res->counterexample);
		res->verdict = EXPLORE_SAFE;
		memset(st, 0, sizeof(*st));
		return;
	}
	st->schedules -= u->before.schedules;
	st->cut -= u->before.cut;
	st->steps -= u->before.steps;
	st->faulted -= u->before.faulted;
}

static int bfs_part(struct explorer *x, const struct explore_part *part, u64 target,
		    struct secsoc_error *err)
{
	struct explore_units u = { .part = part, .target = target };
	int ret;

	x->bound = x->lim.max_preemptions;
	x->res->stats.bound = x->bound;
	ret = explore_bfs_search(x, &u, err);
	x->res->units = u.split ? u.end - u.begin : 1;
	if (!ret && part->index)
		bfs_discount(x->res, &u);
	if (!ret && !x->limited && x->res->verdict != EXPLORE_VIOLATION)
		x->res->bound_done = (int)x->bound;
	return ret;
}

static int part_check(const struct explore_part *part, struct secsoc_error *err)
{
	if (!part->count || part->count > EXPLORE_PARTS_MAX || part->index >= part->count)
		return input_error(err, "explore: part %u of %u is not one of 1..%d parts",
				   part->index, part->count, EXPLORE_PARTS_MAX);
	return 0;
}

int explore_part_run(const struct explore_target *t, const struct sim_config *base,
		     const struct explore_limits *lim, enum explore_kind kind,
		     const struct explore_part *part, u64 *best, struct explore_stats *live,
		     struct explore_result *res, struct secsoc_error *err)
{
	u64 target = (u64)part->count * EXPLORE_UNITS_PER_PART;
	struct explorer x;
	int ret;

	explore_result_init(res);
	ret = part_check(part, err);
	if (ret)
		return ret;
	ret = explorer_init(&x, t, base, lim, res, err) ?: explore_bfs_alloc(&x, err);
	x.best = best;
	x.live = live;
	if (!ret)
		ret = kind == EXPLORE_DFS ? dfs_part(&x, part, target, err) :
					    bfs_part(&x, part, target, err);
	res->parts = 1;
	if (!ret) {
		part_verdict(&x);
		if (part->keep_keys && x.table.slots)
			ret = explore_keep_keys(&x, err);
	}
	explorer_release(&x);
	return ret;
}

int explore_part(const struct explore_target *t, const struct sim_config *base,
		 const struct explore_limits *lim, enum explore_kind kind,
		 const struct explore_part *part, struct explore_result *res,
		 struct secsoc_error *err)
{
	return explore_part_run(t, base, lim, kind, part, NULL, NULL, res, err);
}
