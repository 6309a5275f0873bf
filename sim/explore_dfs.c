/*
 * explore_dfs.c - the depth-first search (explore_dfs()) with iterative
 * preemption bounding, over the whole tree or over the units of a part
 * (explore_part.c): a unit's prefix is fixed, the search below it is the
 * same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore_impl.h"

/*
 * Depth first: the deepest choice point below @floor with an option not
 * tried yet that keeps the run within @bound preemptions and @max_faults
 * fault firings becomes the new end of the prefix.
 */
static bool next_branch(struct explore_path *p, u64 floor, u32 bound, u32 max_faults)
{
	while (p->len > floor) {
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
 * Every schedule within @bound preemptions below the path's first
 * x->floor points (already in place). Return: 0 or a negative errno.
 */
static int explore_bound(struct explorer *x, u32 bound, struct secsoc_error *err)
{
	bool stop;
	int end;

	x->bound = bound;
	x->res->stats.bound = bound;
	x->path.len = x->floor;
	x->path.prefix = x->floor;
	do {
		end = explore_next(x, &stop, err);
		if (end < 0 || stop)
			return end < 0 ? end : 0;
	} while (next_branch(&x->path, x->floor, bound, x->lim.max_faults));
	return 0;
}

int explore_dfs(const struct explore_target *t, const struct sim_config *base,
		const struct explore_limits *lim, struct explore_result *res,
		struct secsoc_error *err)
{
	struct explorer x;
	int ret;

	explore_result_init(res);
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

/* Did another worker find a violation earlier in the order than (@bound, @unit)? */
static bool dfs_passed(const struct explorer *x, u32 bound, u64 unit)
{
	return x->best && explore_order(bound, unit) > __atomic_load_n(x->best, __ATOMIC_RELAXED);
}

/*
 * Unit @unit (node @node of x->tree) within @bound: skipped when its own
 * prefix needs more preemptions. Return: 0 or a negative errno.
 */
static int dfs_unit(struct explorer *x, u64 node, u64 unit, u32 bound, struct secsoc_error *err)
{
	const struct explore_point *last;
	int ret;

	explore_bfs_load(x, node);
	x->floor = x->path.prefix;
	last = x->floor ? &x->path.pts[x->floor - 1] : NULL;
	if (last && !within_bounds(last, last->answer, bound, x->lim.max_faults))
		return 0;
	ret = explore_bound(x, bound, err);
	if (!ret && x->res->verdict == EXPLORE_VIOLATION) {
		x->res->cex_order = explore_order(bound, unit);
		explore_best_lower(x->best, x->res->cex_order);
	}
	return ret;
}

/*
 * Bound by bound, this part's units (@units[i] is unit i's node; part
 * p owns units p, p + N, ...). Stops at the first violation, at a limit,
 * or once another worker's violation comes first in the order.
 * Return: 0 or a negative errno.
 */
int explore_dfs_units(struct explorer *x, const struct explore_part *part,
		      const u64 *units, u64 nunits, struct secsoc_error *err)
{
	for (u32 b = 0; b <= x->lim.max_preemptions; b++) {
		for (u64 u = part->index; u < nunits; u += part->count) {
			int ret;

			if (dfs_passed(x, b, u))
				return 0;
			ret = dfs_unit(x, units[u], u, b, err);
			if (ret || x->res->verdict == EXPLORE_VIOLATION || x->limited)
				return ret;
		}
		x->res->bound_done = (int)b;
	}
	return 0;
}
