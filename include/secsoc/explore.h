/*
 * explore.h - systematic schedule exploration: the explore strategy and the
 * depth-first search over choice points with iterative preemption bounding
 * and visited-state hashing (sim/explore.c; docs/exploration.md).
 *
 * Stateless search by re-execution (CHESS): every explored schedule is one
 * fresh run that follows a prefix of choices and then a default rule
 * (continue the actor that ran last, else option 0; no fault fires). The
 * driver keeps the path of choice points in the parent and enumerates the
 * alternatives depth first. A run is cut when it reaches a state already
 * visited with no more preemptions used (so no fewer left) than now.
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
#define EXPLORE_SCHEDULES_DEFAULT 1000000ULL
#define EXPLORE_DEPTH_DEFAULT 10000ULL		/* choice points per schedule */
#define EXPLORE_DEPTH_MAX 1000000ULL
#define EXPLORE_STEPS_DEFAULT 100000ULL		/* steps per schedule */
#define EXPLORE_TABLE_DEFAULT (1ULL << 22)	/* visited-state slots */
#define EXPLORE_TABLE_MAX (1ULL << 28)

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
 * @lim->max_preemptions preemptions, bound by bound
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
 * explore_sample - @runs runs with seeds @base->seed, +1, ... under
 * @base->strategy (random or PCT), stopping at the first violation
 *
 * Return: as explore_dfs(); the verdict is never SAFE (sampling proves
 * nothing): INCOMPLETE when no run failed.
 */
int explore_sample(const struct explore_target *t, const struct sim_config *base, u64 runs,
		   struct explore_result *res, struct secsoc_error *err);

/** explore_result_free - release the counterexample */
void explore_result_free(struct explore_result *res);

#endif /* SECSOC_EXPLORE_H */
