/*
 * explore_impl.h - what the files of the explorer share (sim/explore*.c):
 * the path of choice points, the visited-state table, the BFS search tree,
 * the explorer itself and the steps of one schedule. Private to sim/.
 */
#ifndef SECSOC_SIM_EXPLORE_IMPL_H
#define SECSOC_SIM_EXPLORE_IMPL_H

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

/*
 * A partitioned search's units (explore_part.c): the nodes [begin, end) of
 * the first level of the search tree at least @target wide, then, for the
 * DFS, the nodes whose run ended above it (@leaves).
 */
struct explore_units {
	const struct explore_part *part;	/* NULL: the whole search */
	u64 target;
	bool tree_only;		/* DFS: build the tree up to that level and stop */
	bool split;		/* the level was reached */
	u64 begin, end;
	u64 *leaves;		/* tree_only: capacity x->tree.cap */
	u64 nleaves;
	struct explore_stats before;	/* BFS: the statistics at the split */
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
	/* Partitioned search (explore_part.c). */
	u64 floor;		/* DFS: points of the unit's prefix, never backtracked */
	u64 *best;		/* --jobs: shared lowest cex_order found so far, or NULL */
	struct explore_stats *live;	/* --jobs: this worker's statistics, shared */
};

enum run_end { RUN_DONE, RUN_CUT, RUN_LIMIT, RUN_VIOLATION, RUN_FRONTIER };

static inline unsigned int default_answer(const struct sim_choice *c)
{
	return c->kind == SIM_CHOICE_SCHED && c->prev >= 0 ? (unsigned int)c->prev : 0;
}

static inline u32 is_preemption(unsigned int kind, int prev, u32 answer)
{
	return kind == SIM_CHOICE_SCHED && prev >= 0 && answer != (u32)prev;
}

static inline u32 is_firing(unsigned int kind, u32 answer)
{
	return kind == SIM_CHOICE_FAULT && answer;
}

/* May @pt be answered @a within @bound preemptions and @max_faults firings? */
static inline bool within_bounds(const struct explore_point *pt, u32 a, u32 bound,
				 u32 max_faults)
{
	return pt->preempted + is_preemption(pt->kind, pt->prev, a) <= bound &&
	       pt->faulted + is_firing(pt->kind, a) <= max_faults;
}

/* Option tried at position @t: the default first, then the others in order. */
static inline u32 option_at(const struct explore_point *pt, u32 t)
{
	if (!t)
		return pt->first;
	return t - 1 < pt->first ? t - 1 : t;
}

/* A partitioned search's order (explore_result.cex_order): @major, then the unit. */
static inline u64 explore_order(u64 major, u64 unit)
{
	return major << 32 | unit;
}

/* --jobs: lower the shared best order to @order (@best NULL: not a worker). */
static inline void explore_best_lower(u64 *best, u64 order)
{
	u64 cur = best ? __atomic_load_n(best, __ATOMIC_RELAXED) : 0;

	while (best && order < cur &&
	       !__atomic_compare_exchange_n(best, &cur, order, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/* explore.c: the explorer and one schedule */
int explorer_init(struct explorer *x, const struct explore_target *t,
		  const struct sim_config *base, const struct explore_limits *lim,
		  struct explore_result *res, struct secsoc_error *err);
void explorer_release(struct explorer *x);
void explore_result_init(struct explore_result *res);
int explore_limit(struct explorer *x, const char *why);
int explore_next(struct explorer *x, bool *stop, struct secsoc_error *err);
int explore_keep_counterexample(struct explore_result *res, struct sim *s,
				enum sim_stop_reason stop, struct secsoc_error *err);
int explore_keep_keys(struct explorer *x, struct secsoc_error *err);
int explore_key_cmp(const void *a, const void *b);
int explore_run_whole(const struct explore_target *t, const struct sim_config *cfg,
		      struct sim **s, enum sim_stop_reason *stop, struct secsoc_error *err);

/* explore_merge.c */
void explore_stats_add(struct explore_stats *to, const struct explore_stats *st);

/* explore_dfs.c */
int explore_dfs_units(struct explorer *x, const struct explore_part *part,
		      const u64 *units, u64 nunits, struct secsoc_error *err);

/* explore_bfs.c */
void explore_bfs_load(struct explorer *x, u64 i);
int explore_bfs_alloc(struct explorer *x, struct secsoc_error *err);
int explore_bfs_search(struct explorer *x, struct explore_units *u, struct secsoc_error *err);

/* explore_part.c: the part of a search this process explores */
int explore_part_run(const struct explore_target *t, const struct sim_config *base,
		     const struct explore_limits *lim, enum explore_kind kind,
		     const struct explore_part *part, u64 *best, struct explore_stats *live,
		     struct explore_result *res, struct secsoc_error *err);

#endif /* SECSOC_SIM_EXPLORE_IMPL_H */
