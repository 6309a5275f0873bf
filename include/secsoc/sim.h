/*
 * sim.h - the deterministic event kernel: actors, the one choice point,
 * strategies, the choice log, assertions and the run loop.
 *
 * Everything that can happen in a simulation is a step of an actor (a CPU,
 * a DMA pipe, an engine, the interrupt controller). A step is atomic. When
 * more than one actor is ready, or a fault site is reached, or the timed
 * strategy adds jitter, the decision goes through sim_choose(): the active
 * strategy answers and the answer is appended to the choice log. Replaying
 * the log reproduces the run exactly, because nothing else is allowed to
 * influence it (no threads, no wall clock, no unseeded randomness).
 *
 * Time: every step has a modelled cost in nanoseconds. The timed strategy
 * runs the ready actor whose eligible time (max(now, busy_until)) is the
 * earliest, breaking ties with the seeded PRNG and adding jitter to costs.
 * Untimed strategies (random, PCT, and later exhaustive search) choose
 * among all ready actors regardless of time; time still advances so traces
 * have timestamps, but it never decides anything.
 *
 * A "preemption" is a scheduling choice that switches away from the actor
 * that took the previous step while that actor could have continued: under
 * an untimed strategy, while it is still ready; under a timed strategy,
 * while it is ready and its eligible time is the earliest among the options
 * (an actor still busy with its last step could not have run now). Exhaustive
 * strategies bound the number of preemptions; sim_choice.prev tells them
 * which option would not be one.
 */
#ifndef SECSOC_SIM_H
#define SECSOC_SIM_H

#include <stdio.h>

#include <secsoc/error.h>
#include <secsoc/fault.h>
#include <secsoc/prng.h>
#include <secsoc/types.h>

struct sim;
struct sim_actor;
struct trace;
struct vcd;
struct schedule;

/* Limits on everything (TigerBeetle): a run that exceeds one is a bug. */
#define SIM_ACTORS_MAX 64
#define SIM_SOMETIMES_MAX 128
#define SIM_VIOLATIONS_MAX 16
#define SIM_LABEL_MAX 64

struct sim_actor_ops {
	/* Can the actor take a step now? Must not change any state. */
	bool (*ready)(struct sim_actor *a);
	/* Take one atomic step; return its modelled cost in nanoseconds. */
	u64 (*step)(struct sim_actor *a);
	/* Optional: hash of the actor's abstract state (for state hashing). */
	u64 (*state_hash)(const struct sim_actor *a);
	/*
	 * state_hash covers everything the actor's future steps depend on,
	 * apart from what other actors' progress determines. The explorer keys
	 * states on the step counts of the actors that do not promise this.
	 */
	bool state_hash_complete;
};

struct sim_actor {
	const char *name;		/* unique; names the trace track */
	const struct sim_actor_ops *ops;
	void *priv;
	/*
	 * A timer (a clock that fires at busy_until_ns): untimed strategies
	 * offer it only once modelled time has reached busy_until_ns, or when
	 * no other actor is ready, so a timeout does not fire after a few
	 * steps of a long operation. The timed strategy treats it like any
	 * other actor.
	 */
	bool timer;
	/*
	 * Asleep: the actor's model promises that ready() is false until it
	 * wakes the actor again (sim_actor_set_asleep()), so the kernel does
	 * not ask. Host speed only: it never changes what runs. Set it only
	 * under a condition the model re-evaluates at every change of the
	 * state ready() reads; builds without NDEBUG check the promise.
	 */
	bool asleep;
	/* Owned by the kernel once added. */
	struct sim *sim;
	unsigned int id;		/* registration order, also the trace tid */
	u64 busy_until_ns;		/* not eligible (timed) before this time */
	u64 steps;			/* steps taken */
	char label[SIM_LABEL_MAX];	/* what the current step did */
};

enum sim_choice_kind {
	SIM_CHOICE_SCHED,	/* which ready actor steps next */
	SIM_CHOICE_TASK,	/* which ready software task a CPU runs */
	SIM_CHOICE_FAULT,	/* does a fault site fire (1) or not (0) */
	SIM_CHOICE_JITTER,	/* extra nanoseconds added to a step's cost */
	SIM_CHOICE_NR_KINDS
};

#define SIM_CHOICE_OPTIONS_MAX SIM_ACTORS_MAX

struct sim_choice {
	enum sim_choice_kind kind;
	unsigned int n;			/* the answer is in [0, n), n >= 1 */
	const char *label;		/* fault site, or what is being chosen */
	/* SCHED and TASK: option names, checked on replay. */
	const char *const *names;
	/* SCHED: earliest time each option may run (timed strategy). */
	const u64 *eligible_ns;
	/* SCHED: the actor id (sim_actor.id) of each option. */
	const unsigned int *actor_ids;
	/*
	 * SCHED: index of the actor that stepped last if it could continue now
	 * (an option, and under a timed strategy among the earliest eligible),
	 * else -1. Choosing another option is a preemption.
	 */
	int prev;
	/* FAULT: probability of answering 1, as a 0.32 fixed-point number. */
	u32 prob_q32;
};

struct sim_strategy_ops {
	const char *name;
	bool timed;		/* does modelled time decide scheduling? */
	/* Answer a choice; must return a value in [0, c->n). */
	unsigned int (*choose)(struct sim *s, const struct sim_choice *c);
	/* Optional: called when the run ends. */
	void (*finish)(struct sim *s);
	/*
	 * Optional: the strategy's own state, made when the simulation is
	 * created (after its PRNG is seeded) and released with it.
	 */
	void *(*create)(struct sim *s);
	void (*release)(void *state);
};

/* Strategies available in this build. */
extern const struct sim_strategy_ops sim_strategy_timed;
extern const struct sim_strategy_ops sim_strategy_random;
extern const struct sim_strategy_ops sim_strategy_replay;
/*
 * PCT (Burckhardt et al., ASPLOS'10): random actor priorities, the
 * highest-priority ready actor runs, and at pct_depth - 1 random steps of
 * the first pct_steps the actor that just ran drops below all others. A bug
 * of depth d in a run of k steps among n actors is found with probability
 * at least 1/(n k^(d-1)) per run. Untimed. sim/pct.c.
 */
extern const struct sim_strategy_ops sim_strategy_pct;

/** sim_strategy_find - look a strategy up by name (timed, random, pct, explore, replay) */
const struct sim_strategy_ops *sim_strategy_find(const char *name);
/** sim_choice_kind_name - "sched", "task", "fault" or "jitter" (the log's spelling) */
const char *sim_choice_kind_name(enum sim_choice_kind kind);

struct sim_config {
	u64 seed;
	const struct sim_strategy_ops *strategy;	/* NULL means timed */
	const struct schedule *replay;	/* the log to follow (replay strategy) */
	struct fault_spec faults;
	u64 duration_ns;		/* stop once modelled time passes this; 0 = no limit */
	u64 max_steps;			/* 0 = SIM_DEFAULT_MAX_STEPS */
	u32 jitter_pct;			/* timed: jitter up to this % of a step's cost */
	struct trace *trace;		/* optional Chrome trace writer (not owned) */
	struct vcd *vcd;		/* optional VCD writer (not owned) */
	/* Recorded in the schedule header; informational for the kernel. */
	const char *scenario;
	const char *lock_policy;
	/*
	 * Keep no choice log: for runs that never save or check one (the
	 * benchmarks, crypt/dgst), where it would only cost memory. Choices
	 * are still counted; a replay needs no log of its own.
	 */
	bool no_choice_log;
	/* PCT: bug depth d (0: SIM_PCT_DEPTH_DEFAULT) and the run length k it
	 * spreads its d - 1 priority changes over (0: SIM_PCT_STEPS_DEFAULT). */
	u32 pct_depth;
	u64 pct_steps;
	/* Optional input of the strategy (the explore strategy's path), borrowed. */
	void *strategy_arg;
	/*
	 * Optional observer called after every step with the actor that ran
	 * (its label says what it did): how `secsoc explore` prints the step
	 * table of a counterexample while replaying it. Must not change the model.
	 */
	void (*on_step)(void *ctx, struct sim *s, const struct sim_actor *a);
	void *on_step_ctx;
};

#define SIM_PCT_DEPTH_DEFAULT 3
#define SIM_PCT_DEPTH_MAX 16
#define SIM_PCT_STEPS_DEFAULT 2000ULL

#define SIM_DEFAULT_MAX_STEPS 10000000ULL
#define SIM_DEFAULT_JITTER_PCT 10
/* Largest jitter_pct accepted: jitter never more than doubles a step. */
#define SIM_JITTER_PCT_MAX 100

enum sim_stop_reason {
	SIM_STOP_QUIESCENT,	/* no actor ready: the workload finished */
	SIM_STOP_VIOLATION,	/* an always() assertion failed */
	SIM_STOP_DURATION,	/* modelled time limit reached */
	SIM_STOP_STEPS,		/* step limit reached */
	SIM_STOP_REQUESTED,	/* sim_request_stop() */
	SIM_STOP_DIVERGED,	/* replay: the model asked a different question, or
				 * the run ended with log entries left over */
};

struct sim_violation {
	u64 step;
	u64 time_ns;
	char actor[SIM_LABEL_MAX];
	char where[96];		/* file:line */
	char msg[256];
};

struct sim_sometimes_goal {
	const char *name;
	u64 reached;		/* times the condition was true */
	u64 evaluated;		/* times it was evaluated */
};

/**
 * sim_create - a new simulation; also makes it the current one
 * @cfg: copied; the trace/vcd writers are borrowed. A replay uses @cfg's
 *       duration_ns, max_steps and jitter_pct: copy them from the schedule.
 */
struct sim *sim_create(const struct sim_config *cfg);
void sim_destroy(struct sim *s);

/** sim_current - the simulation models and drivers are running in */
struct sim *sim_current(void);
void sim_set_current(struct sim *s);

/**
 * sim_actor_add - register an actor; ids follow registration order
 *
 * The actor must outlive the simulation. Declares its trace track.
 */
void sim_actor_add(struct sim *s, struct sim_actor *a);

/**
 * sim_actor_label - name what the current step does (shown in traces; not
 * formatted when the run writes no trace)
 */
void sim_actor_label(struct sim_actor *a, const char *fmt, ...) SECSOC_PRINTF(2, 3);

/**
 * sim_actor_set_asleep - @asleep: ready() is false until this is called again
 * with false (see struct sim_actor's asleep); may be called before or after
 * sim_actor_add()
 */
void sim_actor_set_asleep(struct sim_actor *a, bool asleep);

/** sim_actor_wait_until - make @a ineligible for the timed strategy until @t_ns */
void sim_actor_wait_until(struct sim_actor *a, u64 t_ns);

/**
 * sim_choose - the one choice point
 *
 * Asks the strategy, records the answer in the choice log and returns it.
 * A choice with n == 1 is answered 0 without being logged.
 */
unsigned int sim_choose(struct sim *s, const struct sim_choice *c);

/**
 * sim_fault - may the fault site fire here?
 *
 * Sites not enabled in the --faults spec return false without a choice.
 */
bool sim_fault(struct sim *s, enum fault_site site);

/**
 * sim_run - step actors until a stop condition; returns why it stopped
 *
 * Replay: a run that ends (quiescent, on a violation, or at the step or
 * duration limit the log's header records) with log entries it never asked
 * for did not reproduce the recorded run; that is a divergence too.
 */
enum sim_stop_reason sim_run(struct sim *s);

/** sim_step_once - run one scheduling round; false if nothing was ready */
bool sim_step_once(struct sim *s);

void sim_request_stop(struct sim *s);

/* Accessors. */
u64 sim_now_ns(const struct sim *s);
u64 sim_steps(const struct sim *s);
u64 sim_seed(const struct sim *s);
u64 sim_preemptions(const struct sim *s);
u64 sim_choices(const struct sim *s);
u64 sim_fault_fired(const struct sim *s, enum fault_site site);
const struct sim_config *sim_config(const struct sim *s);
struct sim_actor *sim_running_actor(const struct sim *s);	/* NULL between steps */
struct sim_actor *sim_last_actor(const struct sim *s);	/* took the latest step */
struct trace *sim_trace(const struct sim *s);
struct vcd *sim_vcd(const struct sim *s);
struct prng *sim_prng(struct sim *s);	/* for strategies only, never for models */
void *sim_strategy_state(const struct sim *s);	/* the strategy's create() result */
const char *sim_stop_reason_name(enum sim_stop_reason r);

/*
 * sim_hash_mix - fold @v into the hash @h (an FNV-1a step on a whole word),
 * for actors' state_hash functions; start from SIM_HASH_INIT.
 */
#define SIM_HASH_INIT 0xcbf29ce484222325ULL

static inline u64 sim_hash_mix(u64 h, u64 v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

/** sim_hash_str - fold the bytes of @str into the hash @h */
u64 sim_hash_str(u64 h, const char *str);

/** sim_state_hash - combine every actor's abstract-state hash */
u64 sim_state_hash(const struct sim *s);

/* Violations and coverage. */
unsigned int sim_violation_count(const struct sim *s);
const struct sim_violation *sim_violation(const struct sim *s, unsigned int i);
void sim_always_failed(struct sim *s, const char *file, int line, const char *cond,
		       const char *fmt, ...) SECSOC_PRINTF(5, 6);
/** sim_sometimes_declare - a coverage goal that the report must show reached */
void sim_sometimes_declare(struct sim *s, const char *name);
void sim_sometimes(struct sim *s, bool cond, const char *name);
unsigned int sim_sometimes_count(const struct sim *s);
const struct sim_sometimes_goal *sim_sometimes_goal(const struct sim *s, unsigned int i);

/*
 * always() stops the run with a counterexample when @cond is false;
 * sometimes() records whether an interesting state was reached.
 */
#define always(cond, ...)							\
	do {									\
		if (!(cond))							\
			sim_always_failed(sim_current(), __FILE__, __LINE__,	\
					  #cond, __VA_ARGS__);			\
	} while (0)

#define sometimes(cond, name) sim_sometimes(sim_current(), (cond), (name))

/*
 * Guest errors: the modelled software did something the hardware does not
 * define (QEMU's LOG_GUEST_ERROR). Counted, traced and optionally printed.
 */
void sim_guest_error(struct sim *s, const char *device, const char *fmt, ...)
	SECSOC_PRINTF(3, 4);
u64 sim_guest_error_count(const struct sim *s);
/** sim_set_log - where guest errors and debug lines go (NULL: nowhere) */
void sim_set_log(struct sim *s, FILE *log);
/** sim_log - the stream sim_set_log() gave, or NULL */
FILE *sim_log(const struct sim *s);
/** sim_short_path - "dir/file.c" of a __FILE__ path, as violations name it */
const char *sim_short_path(const char *file);

/*
 * The choice log and schedule files.
 *
 * File format (text, one item per line, '#' starts a comment):
 *
 *   secsoc-schedule 1
 *   version 0.1.0
 *   scenario tzc-smoke
 *   seed 7
 *   strategy timed
 *   lock-policy nwd
 *   faults irq-delay:0.01
 *   duration-ns 0
 *   max-steps 10000000
 *   jitter-pct 10
 *   choices 42
 *   ---
 *   <kind> <answer> <n> [<name>]
 *
 * where <kind> is sched, task, fault or jitter and <name> is the actor,
 * task or fault site chosen. docs/schedule-format.md is the reference.
 */
struct schedule_entry {
	u8 kind;		/* enum sim_choice_kind */
	u32 answer;
	u32 n;
	char name[SIM_LABEL_MAX];
};

struct schedule {
	char version[32];
	char scenario[64];
	char lock_policy[16];
	char strategy[16];
	char faults[256];
	u64 seed;
	u64 duration_ns;
	u64 max_steps;		/* the step limit the run used (0 read: the default) */
	u32 jitter_pct;		/* <= SIM_JITTER_PCT_MAX */
	u64 count;
	u64 capacity;
	struct schedule_entry *entries;
};

/** sim_schedule - the choice log of this run so far (borrowed) */
const struct schedule *sim_schedule(const struct sim *s);
int schedule_save(const struct schedule *sch, const char *path, struct secsoc_error *err);
int schedule_write(const struct schedule *sch, FILE *out);
int schedule_load(const char *path, struct schedule *sch, struct secsoc_error *err);
int schedule_read(FILE *in, const char *name, struct schedule *sch, struct secsoc_error *err);
void schedule_free(struct schedule *sch);
/** sim_replay_divergence - replay: why the run left the log (empty if it did not) */
const char *sim_replay_divergence(const struct sim *s);
/**
 * sim_replay_diverged - replay strategies: record why the run left the log
 * and stop the run with SIM_STOP_DIVERGED (the first message is kept)
 */
void sim_replay_diverged(struct sim *s, const char *fmt, ...) SECSOC_PRINTF(2, 3);

/* A schedule never holds more entries than this (load and record alike). */
#define SCHEDULE_ENTRIES_MAX 100000000ULL

/** schedule_append - add @e to @sch; -E2BIG past SCHEDULE_ENTRIES_MAX, -ENOMEM */
int schedule_append(struct schedule *sch, const struct schedule_entry *e);
/**
 * schedule_entry_set_name - store @name as the log spells it: truncated to
 * SIM_LABEL_MAX - 1 characters, whitespace and '#' replaced by '_', so that it
 * stays one token of the text format (replay compares names through this too)
 */
void schedule_entry_set_name(struct schedule_entry *e, const char *name);

#endif /* SECSOC_SIM_H */
