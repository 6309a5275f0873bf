/*
 * explore_bfs.c - the breadth-first search (explore_bfs()): one run per node
 * of the search tree, level by level, so that the first violation has the
 * fewest choice points; it shares runs and table with the DFS. The same
 * loop builds the units of a partitioned search (explore_part.c) and runs a
 * part of a partitioned BFS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

/* The path of node @i (NODE_ROOT: the empty one): its ancestors' points, root first. */
void explore_bfs_load(struct explorer *x, u64 i)
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
		x->tree.nodes[x->tree.count++] = (struct explore_node){ .pt = pt,
									.parent = parent };
	}
	return 0;
}

/* The unit (index among the split level's nodes) node @i lies in; 0 before a split. */
static u64 bfs_unit(const struct explorer *x, const struct explore_units *u, u64 i)
{
	for (u64 j = i; u && u->split && j != NODE_ROOT; j = x->tree.nodes[j].parent)
		if (j >= u->begin && j < u->end)
			return j - u->begin;
	return 0;
}

/* Is node @i of the split level another part's? (Its descendants are never made.) */
static bool bfs_skip(const struct explore_units *u, u64 i)
{
	return u && u->split && i >= u->begin && i < u->end &&
	       (i - u->begin) % u->part->count != u->part->index;
}

/*
 * Does the node just loaded lie deeper than a violation another worker
 * found? Never while building a DFS's units: those are every part's.
 */
static bool bfs_passed(const struct explorer *x, const struct explore_units *u)
{
	return x->best && !(u && u->tree_only) &&
	       explore_order(x->path.prefix, 0) > __atomic_load_n(x->best, __ATOMIC_RELAXED);
}

/*
 * A new level starts at node @i: split here if it is wide enough. Return:
 * true if a tree_only search ends here.
 */
static bool bfs_level(struct explorer *x, struct explore_units *u, u64 i)
{
	if (!u || u->split || x->tree.count - i < u->target)
		return false;
	u->split = true;
	u->begin = i;
	u->end = x->tree.count;
	u->before = x->res->stats;
	return u->tree_only;
}

/* The end of node @i's run: children, a leaf of the unit tree, or a violation's order. */
static int bfs_ran(struct explorer *x, struct explore_units *u, u64 i, int end)
{
	if (end == RUN_FRONTIER)
		return bfs_expand(x, i);
	if (u && u->tree_only) {
		u->leaves[u->nleaves++] = i;
	} else if (end == RUN_VIOLATION) {
		x->res->cex_order = explore_order(x->res->counterexample.count, bfs_unit(x, u, i));
		explore_best_lower(x->best, x->res->cex_order);
	}
	return 0;
}

/*
 * Run the root (the empty prefix), then every node in the order they were
 * made. @u: NULL for the whole search, else the partition (above).
 * Return: 0 or a negative errno.
 */
int explore_bfs_search(struct explorer *x, struct explore_units *u, struct secsoc_error *err)
{
	u64 i = NODE_ROOT, level_end = 0;
	int end;

	x->path.stop_at_end = true;
	for (;;) {
		bool stop;

		end = explore_next(x, &stop, err);
		if (end < 0)
			return end;
		if (bfs_ran(x, u, i, end) || (stop && !(u && u->tree_only && end == RUN_VIOLATION)))
			return 0;
		do {
			if (x->tree.head >= x->tree.count)
				return 0;
			if (x->tree.head == level_end) {
				level_end = x->tree.count;
				if (bfs_level(x, u, x->tree.head))
					return 0;
			}
			i = x->tree.head++;
		} while (bfs_skip(u, i));
		explore_bfs_load(x, i);
		if (bfs_passed(x, u))
			return 0;
	}
}

int explore_bfs_alloc(struct explorer *x, struct secsoc_error *err)
{
	x->tree.cap = x->lim.max_frontier;
	x->tree.nodes = calloc(x->tree.cap, sizeof(*x->tree.nodes));
	if (!x->tree.nodes)
		return internal_error(err, "explore: out of memory for the BFS frontier");
	return 0;
}

int explore_bfs(const struct explore_target *t, const struct sim_config *base,
		const struct explore_limits *lim, struct explore_result *res,
		struct secsoc_error *err)
{
	struct explorer x;
	int ret;

	explore_result_init(res);
	ret = explorer_init(&x, t, base, lim, res, err) ?: explore_bfs_alloc(&x, err);
	x.bound = x.lim.max_preemptions;
	res->stats.bound = x.bound;
	if (!ret)
		ret = explore_bfs_search(&x, NULL, err);
	if (!ret && res->verdict != EXPLORE_VIOLATION) {
		res->verdict = x.limited ? EXPLORE_INCOMPLETE : EXPLORE_SAFE;
		res->bound_done = x.limited ? -1 : (int)x.bound;
	}
	explorer_release(&x);
	return ret;
}
