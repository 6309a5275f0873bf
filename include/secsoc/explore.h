/*
 * explore.h - systematic schedule exploration: the explore strategy, the
 * depth-first and breadth-first searches over choice points with preemption
 * bounding and visited-state hashing, and the delta-debugging minimiser of
 * counterexamples (sim/explore.c; docs/exploration.md).
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

/** explore_result_free - release the counterexample */
void explore_result_free(struct explore_result *res);

#endif /* SECSOC_EXPLORE_H */
