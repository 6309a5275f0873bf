/*
 * explore.h - systematic schedule exploration: the explore strategy, the
 * depth-first and breadth-first searches over choice points with preemption
 * bounding and visited-state hashing, the delta-debugging minimiser of
 * counterexamples, and the partition of a search into parts for worker
 * processes and shards (sim/explore*.c; docs/exploration.md).
 *
 * Stateless search by re-execution (CHESS): every explored schedule is one
 * fresh run that follows a prefix of choices and then a default rule
 * (continue the actor that ran last, else option 0; no fault fires). The
 * driver keeps the path of choice points in the parent and enumerates the
 * alternatives depth first. A run is cut when it reaches a state already
 * visited with no more preemptions used (so no fewer left) than now.
 * Enabled fault sites are choice points like any other; the search lets at
 * most explore_limits.max_faults of them fire per schedule.
 */
#ifndef SECSOC_EXPLORE_H
#define SECSOC_EXPLORE_H

#include <secsoc/error.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

/*
 * The explore strategy: answers from the explorer's path given as
 * sim_config.strategy_arg, else by the default rule alone. Untimed.
 */
extern const struct sim_strategy_ops sim_strategy_explore;

/* Defaults and maxima of the limits (limits on everything). */
#define EXPLORE_PREEMPTIONS_MAX 64
#define EXPLORE_FAULTS_MAX 64
#define EXPLORE_SCHEDULES_DEFAULT 1000000ULL
#define EXPLORE_DEPTH_DEFAULT 10000ULL		/* choice points per schedule */
#define EXPLORE_DEPTH_MAX 1000000ULL
#define EXPLORE_STEPS_DEFAULT 100000ULL		/* steps per schedule */
#define EXPLORE_TABLE_DEFAULT (1ULL << 22)	/* visited-state slots */
#define EXPLORE_TABLE_MAX (1ULL << 28)
#define EXPLORE_FRONTIER_DEFAULT (1ULL << 21)	/* BFS nodes kept (32 bytes each) */
#define EXPLORE_FRONTIER_MAX (1ULL << 26)

/*
 * What is explored: start() makes a fresh simulation from @cfg (whose
 * strategy it must keep) and sets the workload up; check() judges the end
 * state of a quiescent run with always(); stop() releases what start() made.
 * progress() (optional) is called after every schedule.
 */
struct explore_stats;

struct explore_target {
	int (*start)(void *ctx, const struct sim_config *cfg, struct sim **sim,
		     struct secsoc_error *err);
	void (*check)(void *ctx, struct sim *sim);
	void (*stop)(void *ctx, struct sim *sim);
	void (*progress)(void *ctx, const struct explore_stats *st);
	void *ctx;
};

struct explore_limits {
	u32 max_preemptions;	/* iterative bound 0, 1, ... up to this */
	u64 max_schedules;	/* 0: EXPLORE_SCHEDULES_DEFAULT (all bounds together) */
	u64 max_depth;		/* choice points per schedule; 0: EXPLORE_DEPTH_DEFAULT */
	u64 max_steps;		/* steps per schedule; 0: EXPLORE_STEPS_DEFAULT */
	u64 table_slots;	/* visited-state table; 0: EXPLORE_TABLE_DEFAULT; power of 2 */
	bool no_state_hashing;	/* plain stateless search (for comparison) */
	/*
	 * Key states on the actors' abstract state alone, without the step
	 * counts of the actors whose hash is not complete (the CPUs): fewer
	 * states, but unsound where software state no actor hashes (driver and
	 * TA progress) tells two states apart.
	 */
	bool abstract_key;
	/* BFS: search-tree nodes kept in memory; 0: EXPLORE_FRONTIER_DEFAULT */
	u64 max_frontier;
	/*
	 * Fault firings (a FAULT choice answered 1) per schedule, at most
	 * EXPLORE_FAULTS_MAX; 0: no fault fires. A bound of its own, not counted
	 * as preemptions: faults are rare events, and letting every enabled site
	 * fire at every visit would multiply the space by 2 per visit.
	 */
	u32 max_faults;
};

enum explore_verdict {
	EXPLORE_SAFE,		/* every schedule within the bound explored, no violation */
	EXPLORE_VIOLATION,	/* a run broke an invariant: see the counterexample */
	EXPLORE_INCOMPLETE,	/* a limit cut the search: nothing is proven */
};

struct explore_stats {
	u64 schedules;		/* runs made */
	u64 cut;		/* runs cut at an already visited state */
	u64 states;		/* distinct state keys stored */
	u64 steps;		/* model steps over all runs */
	u32 bound;		/* preemption bound being explored */
	u64 faulted;		/* runs in which at least one fault fired */
	bool table_full;	/* states past the table's size were not stored */
};

struct explore_result {
	enum explore_verdict verdict;
	struct explore_stats stats;
	int bound_done;		/* highest preemption bound explored in full, -1: none */
	char incomplete[160];	/* why the search is incomplete */
	/* EXPLORE_VIOLATION: the violating run */
	struct sim_violation violation;
	enum sim_stop_reason stop;
	u64 cex_steps;
	u64 cex_preemptions;
	struct schedule counterexample;	/* its choice log; explore_result_free() */
	/*
	 * A partitioned search (explore_part(), explore_jobs()): where in the
	 * search order the counterexample was found, lower first: dfs
	 * (bound << 32 | unit), bfs (choices << 32 | unit). The parts' results
	 * are merged by the lowest order, so the pick does not depend on timing.
	 */
	u64 cex_order;
	u64 units;		/* units of the partition (0: not partitioned) */
	u32 parts;		/* parts merged into this result (0 or 1: one search) */
	/* The visited-state keys, sorted and unique, when asked (explore_part()). */
	u64 *keys;
	u64 nkeys;
};

/**
 * explore_dfs - depth-first search of every schedule of @t with at most
 * @lim->max_preemptions preemptions, bound by bound, and at most
 * @lim->max_faults fault firings
 * @base: the run's configuration (seed, names for the schedule header); its
 *	strategy, strategy_arg and max_steps are the explorer's
 *
 * Return: 0 with @res filled (also on a violation), or a negative errno with
 * @err set when start() fails or the model is not deterministic.
 */
int explore_dfs(const struct explore_target *t, const struct sim_config *base,
		const struct explore_limits *lim, struct explore_result *res,
		struct secsoc_error *err);

/**
 * explore_bfs - breadth-first search of every schedule of @t with at most
 * @lim->max_preemptions preemptions and @lim->max_faults fault firings, in
 * order of increasing number of choice points (the entries of the schedule
 * file), so that the first violation found is one with the fewest choices
 * @base: as explore_dfs()
 *
 * Every node of the search tree (a prefix of d answers) is one run that
 * follows the prefix and stops at choice point d + 1, whose admissible
 * answers become the children. A run is cut at a state already reached at
 * a depth no greater with no fewer preemptions left. More than
 * @lim->max_frontier nodes make the search INCOMPLETE.
 *
 * Return: as explore_dfs().
 */
int explore_bfs(const struct explore_target *t, const struct sim_config *base,
		const struct explore_limits *lim, struct explore_result *res,
		struct secsoc_error *err);

/**
 * explore_sample - @runs runs with seeds @base->seed, +1, ... under
 * @base->strategy (random or PCT), stopping at the first violation
 *
 * Return: as explore_dfs(); the verdict is never SAFE (sampling proves
 * nothing): INCOMPLETE when no run failed.
 */
int explore_sample(const struct explore_target *t, const struct sim_config *base, u64 runs,
		   struct explore_result *res, struct secsoc_error *err);

#define EXPLORE_MIN_RUNS_DEFAULT 2000ULL
#define EXPLORE_MIN_RUNS_MAX 1000000ULL

struct explore_min_stats {
	u64 runs;		/* re-runs made */
	bool run_limit;		/* the re-run bound stopped it: maybe not 1-minimal */
	u64 choices_before;	/* the original counterexample */
	u64 steps_before;
	u64 deviations_before;	/* answers that differ from the default rule */
	u64 deviations_after;
};

/**
 * explore_minimise - shrink @res's counterexample by delta debugging (ddmin)
 * over its deviations: the choices whose answer differs from the explore
 * strategy's default rule. A candidate keeps a subset of them (every other
 * choice answered by the default rule) and is kept if its run still breaks
 * the same invariant (same where and the message up to the first ')').
 * @max_runs: bound on re-runs (0: EXPLORE_MIN_RUNS_DEFAULT)
 *
 * On return @res holds the smallest violating run found, re-recorded as a
 * real schedule (strategy "explore", replayable); the original is lost, so a
 * caller that wants it copies it first.
 *
 * Return: 0, or a negative errno with @err set (start() failed, or the
 * counterexample does not reproduce under the explore strategy).
 */
int explore_minimise(const struct explore_target *t, const struct sim_config *base,
		     u64 max_runs, struct explore_result *res, struct explore_min_stats *st,
		     struct secsoc_error *err);

/*
 * Partitioned search (sim/explore_part.c, docs/exploration.md): the search
 * tree is cut at its first level with at least EXPLORE_UNITS_PER_PART x
 * parts nodes (DFS: without state hashing and within the last bound; BFS:
 * the real search up to there); those nodes, in tree order, then the
 * schedules that ended above that level, are the units. Part i of N
 * explores units i, i + N, i + 2N, ... with its own visited-state table,
 * so that a part's result depends on nothing but i and N.
 */
#define EXPLORE_PARTS_MAX 1024
#define EXPLORE_UNITS_PER_PART 16

enum explore_kind { EXPLORE_DFS, EXPLORE_BFS };

struct explore_part {
	u32 index;		/* this part, < count */
	u32 count;		/* parts, 1..EXPLORE_PARTS_MAX */
	bool keep_keys;		/* return the visited-state keys (explore_result.keys) */
};

/**
 * explore_part - one part of a partitioned dfs or bfs search (--shard I/N)
 * @kind: EXPLORE_DFS or EXPLORE_BFS, as explore_dfs() and explore_bfs()
 * @part: which part of how many
 *
 * Return: as explore_dfs(); a violation's explore_result.cex_order says
 * where it lies in the search order of the whole partition.
 */
int explore_part(const struct explore_target *t, const struct sim_config *base,
		 const struct explore_limits *lim, enum explore_kind kind,
		 const struct explore_part *part, struct explore_result *res,
		 struct secsoc_error *err);

/**
 * explore_jobs - a dfs or bfs search split into @jobs parts, each explored by
 * a worker process (fork) on this machine
 *
 * The parent waits, calls @t->progress about ten times a second with the
 * workers' summed statistics, and merges their results with
 * explore_merge(); unique states are the union of the workers' visited
 * keys. A worker stops early once every unit left to it lies past a
 * violation already found, which never changes the pick. @jobs 1 is
 * explore_dfs() or explore_bfs() itself.
 *
 * Return: as explore_dfs().
 */
int explore_jobs(const struct explore_target *t, const struct sim_config *base,
		 const struct explore_limits *lim, enum explore_kind kind, u32 jobs,
		 struct explore_result *res, struct secsoc_error *err);

/**
 * explore_merge - combine the results of parts 0..@n-1 of one partition
 * @parts: the parts' results, indexed by part; their counterexamples and
 *	keys move into @out
 *
 * A violation wins over everything, the one with the lowest cex_order (then
 * the lowest part); else any incomplete part makes the whole incomplete
 * (the lowest part's reason). Counts are summed; unique states are the
 * union of the parts' keys when every part kept them, else their sum.
 *
 * Return: 0, or -ENOMEM with @err set.
 */
int explore_merge(struct explore_result *parts, u32 n, struct explore_result *out,
		  struct secsoc_error *err);

/**
 * explore_reproduce - re-run @res->counterexample (replay strategy) and fill
 * @res's violation, stop reason, steps and preemptions from the run
 * @base: the search's configuration, as for explore_dfs()
 *
 * Return: 0, or a negative errno with @err set (start() failed, or the run
 * broke no invariant).
 */
int explore_reproduce(const struct explore_target *t, const struct sim_config *base,
		      struct explore_result *res, struct secsoc_error *err);

/*
 * Shard result files (sim/explore_shard.c, docs/exploration.md): part I of
 * N writes DIR/shard-I-of-N.json and, on a violation, the counterexample as
 * found (not minimised) in DIR/shard-I-of-N.schedule.
 */
#define EXPLORE_SHARD_FORMAT "secsoc-explore-shard-1"
#define EXPLORE_EXPLORATION_MAX 1024
#define EXPLORE_SHARD_DIRS_MAX 64

struct explore_shard {
	/* The search, as the options that define it: equal in all shards. */
	char exploration[EXPLORE_EXPLORATION_MAX];
	u32 index;
	u32 count;
	struct explore_result res;	/* keys are not saved */
};

/**
 * explore_shard_save - write @sh into directory @dir (its JSON file, and the
 * counterexample's schedule file on a violation)
 * Return: 0, or a negative errno with @err set.
 */
int explore_shard_save(const char *dir, const struct explore_shard *sh,
		       struct secsoc_error *err);

/**
 * explore_shards_load - every shard-*-of-*.json in @dirs, as the complete
 * set of one exploration's shards
 * @shards: set to an array of @(*count) shards, indexed by shard; free with
 *	explore_shards_free()
 *
 * Return: 0, or -EINVAL with @err naming the problem: no shard file, a file
 * that is no shard result, shards of different explorations or counts, a
 * shard given twice, or the missing shards.
 */
int explore_shards_load(const char *const *dirs, unsigned int ndirs,
			struct explore_shard **shards, u32 *count, struct secsoc_error *err);

/** explore_shards_free - release what explore_shards_load() returned */
void explore_shards_free(struct explore_shard *shards, u32 count);

/** explore_result_free - release the counterexample */
void explore_result_free(struct explore_result *res);

/**
 * explore_verdict_name - the verdict's name in reports and shard files
 * @v: the verdict
 *
 * Return: "safe", "violation" or "incomplete".
 */
const char *explore_verdict_name(enum explore_verdict v);

#endif /* SECSOC_EXPLORE_H */
