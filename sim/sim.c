/*
 * sim.c - the deterministic event kernel: actors, the run loop, the one
 * choice point and its log, modelled time, assertions (always/sometimes),
 * fault-site decisions and guest-error accounting (see sim.h).
 *
 * Owns struct sim. Strategies (strategy.c) only answer choices; everything
 * that must be identical between a run and its replay - which actor steps,
 * when, for how long - is decided here from those answers alone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/sim.h>
#include <secsoc/trace.h>

#ifndef SECSOC_VERSION
#define SECSOC_VERSION "unknown"
#endif

#define SIM_DIVERGENCE_MAX 320

/* sim.awake has one bit per actor. */
_Static_assert(SIM_ACTORS_MAX <= 64, "sim.awake is a u64 bitmap of actors");

struct sim {
	struct sim_config cfg;
	const struct sim_strategy_ops *strategy;
	bool timed;			/* does modelled time decide scheduling? */
	bool earliest_only;		/* the built-in timed strategy: offer only the earliest */
	struct prng prng;
	void *strategy_state;		/* the strategy's create() result */

	struct sim_actor *actors[SIM_ACTORS_MAX];
	unsigned int nactors;
	u64 awake;			/* bit id: the actor is not asleep (asked if ready) */
	struct sim_actor *running;	/* inside a step, else NULL */
	struct sim_actor *last;		/* took the previous step */

	u64 now_ns;
	u64 steps;
	u64 preemptions;
	u64 nchoices;			/* choices asked, logged or not */
	u64 fault_fired[FAULT_NR_SITES];
	struct schedule log;

	struct sim_violation violations[SIM_VIOLATIONS_MAX];
	unsigned int nviolations;
	struct sim_sometimes_goal goals[SIM_SOMETIMES_MAX];
	unsigned int ngoals;
	u64 guest_errors;
	FILE *log_stream;

	bool stop_requested;
	bool diverged;
	char divergence[SIM_DIVERGENCE_MAX];
};

static struct sim *sim_cur;

/* A broken promise between kernel and caller: no way to continue sensibly. */
static void __attribute__((noreturn, format(printf, 1, 2))) sim_bug(const char *fmt, ...)
{
	va_list ap;

	fputs("secsoc: BUG: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * The log header records what is needed to reproduce the run, limits
 * included: a replay that stopped at another step limit would ask more (or
 * fewer) questions than the log answers. max_steps is the limit in force,
 * already defaulted, so the file does not depend on this build's default.
 */
static void sim_log_header(struct sim *s)
{
	const struct sim_config *cfg = &s->cfg;
	struct schedule *log = &s->log;
	const char *strategy = s->strategy->name;

	if (s->strategy == &sim_strategy_replay)
		strategy = cfg->replay->strategy;
	snprintf(log->version, sizeof(log->version), "%s", SECSOC_VERSION);
	snprintf(log->scenario, sizeof(log->scenario), "%s", cfg->scenario ? cfg->scenario : "");
	snprintf(log->lock_policy, sizeof(log->lock_policy), "%s",
		 cfg->lock_policy ? cfg->lock_policy : "");
	snprintf(log->strategy, sizeof(log->strategy), "%s", strategy);
	fault_spec_format(&cfg->faults, log->faults, sizeof(log->faults));
	log->seed = cfg->seed;
	log->duration_ns = cfg->duration_ns;
	log->max_steps = cfg->max_steps;
	log->jitter_pct = cfg->jitter_pct;
}

/*
 * The strategy whose decisions this run follows: for a replay, the one that
 * recorded the log. Replay is as timed as the run it replays, so that time,
 * and with it every eligibility and jitter question, comes out the same.
 */
static const struct sim_strategy_ops *sim_deciding_strategy(const struct sim *s)
{
	const struct sim_strategy_ops *recorded;

	if (s->strategy != &sim_strategy_replay)
		return s->strategy;
	if (!s->cfg.replay)
		sim_bug("the replay strategy needs a schedule (sim_config.replay)");
	recorded = sim_strategy_find(s->cfg.replay->strategy);
	if (!recorded || recorded == &sim_strategy_replay)
		sim_bug("cannot replay a schedule of strategy '%s'", s->cfg.replay->strategy);
	return recorded;
}

/**
 * sim_create - a new simulation; also makes it the current one
 * @cfg: copied; the trace/vcd writers and the replay schedule are borrowed
 *
 * A replay takes its limits and jitter from @cfg like any run, not from the
 * schedule: the caller copies duration_ns, max_steps and jitter_pct from the
 * schedule header so that the replay stops where, and jitters as, the
 * recorded run did.
 *
 * Return: the simulation (aborts if memory runs out or @cfg is inconsistent).
 */
struct sim *sim_create(const struct sim_config *cfg)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		sim_bug("out of memory creating a simulation");
	s->cfg = *cfg;
	if (!s->cfg.max_steps)
		s->cfg.max_steps = SIM_DEFAULT_MAX_STEPS;
	if (s->cfg.jitter_pct > SIM_JITTER_PCT_MAX)
		sim_bug("jitter_pct %u is above %d", s->cfg.jitter_pct, SIM_JITTER_PCT_MAX);
	if (s->cfg.pct_depth > SIM_PCT_DEPTH_MAX)
		sim_bug("pct_depth %u is above %d", s->cfg.pct_depth, SIM_PCT_DEPTH_MAX);
	s->strategy = cfg->strategy ? cfg->strategy : &sim_strategy_timed;
	s->timed = sim_deciding_strategy(s)->timed;
	s->earliest_only = sim_deciding_strategy(s) == &sim_strategy_timed;
	prng_seed(&s->prng, cfg->seed);
	if (s->strategy->create)
		s->strategy_state = s->strategy->create(s);
	sim_log_header(s);
	sim_cur = s;
	return s;
}

/**
 * sim_destroy - free a simulation (the actors and writers are not touched)
 * @s: the simulation, or NULL
 */
void sim_destroy(struct sim *s)
{
	if (!s)
		return;
	if (sim_cur == s)
		sim_cur = NULL;
	if (s->strategy->release)
		s->strategy->release(s->strategy_state);
	schedule_free(&s->log);
	free(s);
}

/** sim_current - the simulation models and drivers are running in (or NULL) */
struct sim *sim_current(void)
{
	return sim_cur;
}

/**
 * sim_set_current - make @s the simulation that always()/sometimes() report to
 * @s: a simulation, or NULL
 */
void sim_set_current(struct sim *s)
{
	sim_cur = s;
}

/**
 * sim_actor_add - register an actor; ids follow registration order
 * @s: the simulation
 * @a: name and ops filled in; must outlive @s
 */
void sim_actor_add(struct sim *s, struct sim_actor *a)
{
	unsigned int i;

	if (!a->name || !a->name[0] || !a->ops || !a->ops->ready || !a->ops->step)
		sim_bug("actor '%s' lacks a name, ready() or step()", a->name ? a->name : "?");
	if (s->nactors == SIM_ACTORS_MAX)
		sim_bug("more than %d actors (adding '%s')", SIM_ACTORS_MAX, a->name);
	for (i = 0; i < s->nactors; i++)
		if (!strcmp(s->actors[i]->name, a->name))
			sim_bug("two actors are named '%s'", a->name);
	a->sim = s;
	a->id = s->nactors;
	a->busy_until_ns = 0;
	a->steps = 0;
	a->label[0] = '\0';
	if (!a->asleep)
		s->awake |= BIT_ULL(a->id);
	s->actors[s->nactors++] = a;
	if (s->cfg.trace)
		trace_track(s->cfg.trace, a->id, a->name);
}

/**
 * sim_actor_label - name what the current step does (shown in traces)
 * @a: the actor
 * @fmt: printf format; truncated to SIM_LABEL_MAX - 1 characters
 *
 * Only traces show labels, so without a trace nothing is formatted: models
 * label every step, and formatting would cost more than many steps do.
 */
void sim_actor_label(struct sim_actor *a, const char *fmt, ...)
{
	va_list ap;

	if (!a->sim || !a->sim->cfg.trace)
		return;
	va_start(ap, fmt);
	vsnprintf(a->label, sizeof(a->label), fmt, ap);
	va_end(ap);
}

/**
 * sim_actor_set_asleep - whether the kernel may skip asking @a if it is ready
 * @a: the actor, added or not yet
 * @asleep: true: @a's ready() is false until it is woken with false
 *
 * Most actors are idle most of the time (BAM pipes nobody uses): asking each
 * of them every step would cost more host time than the steps themselves.
 */
void sim_actor_set_asleep(struct sim_actor *a, bool asleep)
{
	/* Models call this after every step: added, the awake bit already says so. */
	if (a->asleep == asleep && a->sim)
		return;
	a->asleep = asleep;
	if (!a->sim)
		return;
	if (asleep)
		a->sim->awake &= ~BIT_ULL(a->id);
	else
		a->sim->awake |= BIT_ULL(a->id);
}

/**
 * sim_actor_wait_until - make @a ineligible for the timed strategy until @t_ns
 * @a: the actor
 * @t_ns: never moves an existing busy time earlier
 */
void sim_actor_wait_until(struct sim_actor *a, u64 t_ns)
{
	a->busy_until_ns = MAX(a->busy_until_ns, t_ns);
}

static void sim_record(struct sim *s, const struct sim_choice *c, unsigned int answer)
{
	struct schedule_entry e = { .kind = (u8)c->kind, .answer = answer, .n = c->n };

	s->nchoices++;
	if (s->cfg.no_choice_log)
		return;
	if (c->kind == SIM_CHOICE_SCHED || c->kind == SIM_CHOICE_TASK)
		schedule_entry_set_name(&e, c->names[answer]);
	else if (c->kind == SIM_CHOICE_FAULT)
		schedule_entry_set_name(&e, c->label);
	else
		e.name[0] = '\0';
	if (schedule_append(&s->log, &e))
		sim_bug("the choice log cannot grow past %llu entries",
			(unsigned long long)s->log.count);
}

/**
 * sim_choose - the one choice point
 * @s: the simulation
 * @c: the question; SCHED and TASK need @c->names
 *
 * Asks the strategy, records the answer in the choice log and returns it.
 * A choice with n == 1 is answered 0 without being logged.
 *
 * Return: the answer, in [0, c->n).
 */
unsigned int sim_choose(struct sim *s, const struct sim_choice *c)
{
	bool named = c->kind == SIM_CHOICE_SCHED || c->kind == SIM_CHOICE_TASK;
	unsigned int answer;

	if ((unsigned int)c->kind >= SIM_CHOICE_NR_KINDS || c->n == 0)
		sim_bug("bad choice: kind %d, n %u", (int)c->kind, c->n);
	if (named && (!c->names || c->n > SIM_CHOICE_OPTIONS_MAX))
		sim_bug("a %s choice needs 1..%d named options", sim_choice_kind_name(c->kind),
			SIM_CHOICE_OPTIONS_MAX);
	if (c->n == 1)
		return 0;
	answer = s->strategy->choose(s, c);
	if (answer >= c->n)
		sim_bug("strategy %s answered %u to a choice with n=%u", s->strategy->name, answer,
			c->n);
	sim_record(s, c, answer);
	if (c->kind == SIM_CHOICE_SCHED && c->prev >= 0 && answer != (unsigned int)c->prev)
		s->preemptions++;
	return answer;
}

/**
 * sim_fault - may the fault site fire here?
 * @s: the simulation (NULL: never fires)
 * @site: the site
 *
 * Sites not enabled in the --faults spec return false without a choice.
 *
 * Return: true if the site fires.
 */
bool sim_fault(struct sim *s, enum fault_site site)
{
	struct sim_choice c = { .kind = SIM_CHOICE_FAULT, .n = 2, .prev = -1 };

	if (!s || (unsigned int)site >= FAULT_NR_SITES || !s->cfg.faults.enabled[site])
		return false;
	c.label = fault_site_name(site);
	c.prob_q32 = s->cfg.faults.prob_q32[site];
	if (!sim_choose(s, &c))
		return false;
	s->fault_fired[site]++;
	return true;
}

/* Timed runs stretch a step by a chosen 0..cost*jitter_pct/100 nanoseconds. */
static u64 sim_jitter(struct sim *s, u64 cost)
{
	struct sim_choice c = { .kind = SIM_CHOICE_JITTER, .label = "jitter", .prev = -1 };
	u64 max = cost / 100 * s->cfg.jitter_pct + cost % 100 * s->cfg.jitter_pct / 100;

	if (!max)
		return 0;
	c.n = (unsigned int)MIN(max, (u64)UINT32_MAX - 1) + 1;
	return sim_choose(s, &c);
}

static void sim_trace_step(struct sim *s, struct sim_actor *a, u64 dur)
{
	struct trace_arg args[] = { TARG_U64("step", s->steps), TARG_END };

	trace_slice(s->cfg.trace, a->id, "step", a->label[0] ? a->label : "step", s->now_ns, dur,
		    args);
}

/* Run one step of @a, which became eligible at @eligible_ns. */
static void sim_step_actor(struct sim *s, struct sim_actor *a, u64 eligible_ns)
{
	u64 cost, jitter;

	s->now_ns = MAX(s->now_ns, eligible_ns);
	s->running = a;
	a->label[0] = '\0';
	cost = a->ops->step(a);
	/* Every step comes here: no jitter choice or trace record is set up unless used. */
	jitter = s->timed && s->cfg.jitter_pct ? sim_jitter(s, cost) : 0;
	a->busy_until_ns = MAX(a->busy_until_ns, s->now_ns + cost + jitter);
	if (s->cfg.trace)
		sim_trace_step(s, a, cost + jitter);
	a->steps++;
	s->steps++;
	s->last = a;
	s->running = NULL;
	if (s->cfg.on_step)
		s->cfg.on_step(s->cfg.on_step_ctx, s, a);
}

/*
 * The option that would continue the previous actor (@prev, or -1), if it
 * could have continued: under a timed strategy an actor still busy with its
 * last step, later than the earliest option, could not run now, so
 * switching away from it is no preemption.
 */
static int sim_prev_option(const struct sim *s, const u64 *eligible, unsigned int n, int prev)
{
	unsigned int i;

	if (prev < 0 || !s->timed)
		return prev;
	for (i = 0; i < n; i++)
		if (eligible[i] < eligible[prev])
			return -1;
	return prev;
}

/*
 * The built-in timed strategy only ever picks among the earliest eligible
 * options (strategy.c), so only they are offered. The answer is the same; a
 * lone earliest option is no choice at all and costs neither a strategy call
 * nor a log entry.
 */
static unsigned int sim_keep_earliest(struct sim_actor **ready, const char **names,
				      u64 *eligible, unsigned int n, int *prev)
{
	u64 best = UINT64_MAX;
	unsigned int i, kept = 0;
	int kept_prev = -1;

	for (i = 0; i < n; i++)
		best = MIN(best, eligible[i]);
	for (i = 0; i < n; i++) {
		if (eligible[i] != best)
			continue;
		if ((int)i == *prev)
			kept_prev = (int)kept;
		ready[kept] = ready[i];
		names[kept] = names[i];
		eligible[kept] = eligible[i];
		kept++;
	}
	*prev = kept_prev;
	return kept;
}

/* Untimed strategies: a timer whose time has not come waits while others can run. */
static bool sim_timer_not_due(const struct sim *s, const struct sim_actor *a)
{
	return a->timer && !s->timed && s->now_ns < a->busy_until_ns;
}

#ifndef NDEBUG
/*
 * Debug builds hold asleep actors to their promise: one that is ready would
 * silently never run, which no test would notice as such.
 */
static void sim_check_asleep(const struct sim *s)
{
	u64 all = s->nactors == 64 ? ~0ULL : BIT_ULL(s->nactors) - 1;
	u64 bits;

	for (bits = all & ~s->awake; bits; bits &= bits - 1) {
		struct sim_actor *a = s->actors[__builtin_ctzll(bits)];

		if (a->ops->ready(a))
			sim_bug("actor '%s' is asleep but ready: its model missed a wake-up",
				a->name);
	}
}
#else
static void sim_check_asleep(const struct sim *s)
{
}
#endif

/*
 * The SCHED choice among the @n ready actors of this round (@prev: the one
 * that stepped last, or -1), then the chosen actor's step.
 */
static void sim_step_chosen(struct sim *s, struct sim_actor **ready, u64 *eligible,
			    unsigned int n, int prev)
{
	const char *names[SIM_ACTORS_MAX];
	unsigned int ids[SIM_ACTORS_MAX];
	struct sim_choice c = { .kind = SIM_CHOICE_SCHED, .label = "sched", .prev = prev };
	unsigned int pick;

	for (unsigned int i = 0; i < n; i++)
		names[i] = ready[i]->name;
	if (s->earliest_only)
		n = sim_keep_earliest(ready, names, eligible, n, &c.prev);
	for (unsigned int i = 0; i < n; i++)
		ids[i] = ready[i]->id;
	c.n = n;
	c.names = names;
	c.actor_ids = ids;
	c.eligible_ns = eligible;
	c.prev = sim_prev_option(s, eligible, n, c.prev);
	pick = sim_choose(s, &c);
	sim_step_actor(s, ready[pick], eligible[pick]);
}

/**
 * sim_step_once - run one scheduling round
 * @s: the simulation
 *
 * Collects the ready actors in id order (asleep ones are not asked); if more
 * than one is ready the strategy chooses (SCHED), then the chosen actor takes
 * one step.
 *
 * Host speed: a choice of one option is answered 0 without being asked or
 * logged (sim_choose()), and the built-in timed strategy is only offered the
 * earliest options. So when one actor is ready, or under that strategy one
 * alone is earliest, it steps at once, without building the choice.
 *
 * Return: false if nothing was ready (quiescent).
 */
bool sim_step_once(struct sim *s)
{
	struct sim_actor *ready[SIM_ACTORS_MAX];
	u64 eligible[SIM_ACTORS_MAX];
	struct sim_actor *held_timer = NULL;
	unsigned int n = 0, first = 0, nfirst = 0;
	u64 bits, best = UINT64_MAX;
	int prev = -1;

	sim_check_asleep(s);
	for (bits = s->awake; bits; bits &= bits - 1) {
		struct sim_actor *a = s->actors[__builtin_ctzll(bits)];

		if (!a->ops->ready(a))
			continue;
		if (sim_timer_not_due(s, a)) {
			held_timer = held_timer ? held_timer : a;
			continue;
		}
		if (a == s->last)
			prev = (int)n;
		ready[n] = a;
		eligible[n] = MAX(s->now_ns, a->busy_until_ns);
		if (eligible[n] < best) {
			best = eligible[n];
			first = n;
			nfirst = 0;
		}
		nfirst += eligible[n] == best;
		n++;
	}
	if (!n && held_timer) {
		/* Nothing else can happen: time jumps to the first timer held back. */
		ready[n] = held_timer;
		eligible[n] = MAX(s->now_ns, held_timer->busy_until_ns);
		n++;
	}
	if (!n)
		return false;
	if (n == 1 || (s->earliest_only && nfirst == 1))
		sim_step_actor(s, ready[n == 1 ? 0 : first], eligible[n == 1 ? 0 : first]);
	else
		sim_step_chosen(s, ready, eligible, n, prev);
	return true;
}

/* Why the run must stop now, or -1 to go on. */
static int sim_stop_check(struct sim *s)
{
	if (s->nviolations)
		return SIM_STOP_VIOLATION;
	if (s->diverged)
		return SIM_STOP_DIVERGED;
	if (s->stop_requested) {
		s->stop_requested = false;	/* a later sim_run() continues */
		return SIM_STOP_REQUESTED;
	}
	if (s->cfg.duration_ns && s->now_ns > s->cfg.duration_ns)
		return SIM_STOP_DURATION;
	if (s->steps >= s->cfg.max_steps)
		return SIM_STOP_STEPS;
	return -1;
}

/*
 * Has the replayed run ended where the recorded one ended? The recorded run
 * stopped for good when it went quiescent or hit a violation, and its log
 * ends there; at a step or duration limit only if the limits are the ones
 * its header records (a replay with other limits may stop early on purpose).
 * A requested stop is a pause: a later sim_run() continues.
 */
static bool sim_replay_ended(const struct sim *s, enum sim_stop_reason why)
{
	const struct schedule *log = s->cfg.replay;
	u64 max_steps = log->max_steps ? log->max_steps : SIM_DEFAULT_MAX_STEPS;

	if (why == SIM_STOP_QUIESCENT || why == SIM_STOP_VIOLATION)
		return true;
	if (why != SIM_STOP_STEPS && why != SIM_STOP_DURATION)
		return false;
	return s->cfg.max_steps == max_steps && s->cfg.duration_ns == log->duration_ns;
}

/*
 * Replay: a run that ends without using the whole log is not the recorded
 * run. A violation keeps its stop reason (as when a step both fails an
 * always() and diverges); the divergence message is recorded either way.
 */
static enum sim_stop_reason sim_replay_check_end(struct sim *s, enum sim_stop_reason why)
{
	const struct schedule *log = s->cfg.replay;
	const struct schedule_entry *e;
	u64 used = s->nchoices;

	if (s->strategy != &sim_strategy_replay || s->diverged || used >= log->count ||
	    !sim_replay_ended(s, why))
		return why;
	e = &log->entries[used];
	sim_replay_diverged(s, "replay diverged at choice %llu: the log has %llu choices the run "
			    "never asked for (first: %s %u %u%s%s)",
			    (unsigned long long)used + 1, (unsigned long long)(log->count - used),
			    sim_choice_kind_name(e->kind), e->answer, e->n, e->name[0] ? " " : "",
			    e->name);
	return why == SIM_STOP_VIOLATION ? why : SIM_STOP_DIVERGED;
}

/**
 * sim_run - step actors until a stop condition
 * @s: the simulation
 *
 * Return: why it stopped.
 */
enum sim_stop_reason sim_run(struct sim *s)
{
	int why;

	while ((why = sim_stop_check(s)) < 0) {
		if (!sim_step_once(s)) {
			why = SIM_STOP_QUIESCENT;
			break;
		}
	}
	why = sim_replay_check_end(s, (enum sim_stop_reason)why);
	if (s->strategy->finish)
		s->strategy->finish(s);
	return (enum sim_stop_reason)why;
}

/** sim_request_stop - end sim_run() after the current step */
void sim_request_stop(struct sim *s)
{
	s->stop_requested = true;
}

/**
 * sim_stop_reason_name - a stop reason as reports spell it
 * @r: the reason
 *
 * Return: e.g. "quiescent", or "?" for an unknown value.
 */
const char *sim_stop_reason_name(enum sim_stop_reason r)
{
	static const char *const names[] = {
		[SIM_STOP_QUIESCENT] = "quiescent",
		[SIM_STOP_VIOLATION] = "violation",
		[SIM_STOP_DURATION] = "duration",
		[SIM_STOP_STEPS] = "steps",
		[SIM_STOP_REQUESTED] = "requested",
		[SIM_STOP_DIVERGED] = "diverged",
	};

	return (unsigned int)r < ARRAY_SIZE(names) ? names[r] : "?";
}

/** sim_now_ns - modelled time: when the current (or last) step started */
u64 sim_now_ns(const struct sim *s)
{
	return s->now_ns;
}

/** sim_steps - steps taken so far */
u64 sim_steps(const struct sim *s)
{
	return s->steps;
}

/** sim_seed - the seed the run was created with */
u64 sim_seed(const struct sim *s)
{
	return s->cfg.seed;
}

/** sim_preemptions - SCHED choices that switched away from an actor that could continue */
u64 sim_preemptions(const struct sim *s)
{
	return s->preemptions;
}

/** sim_choices - choices asked so far (n == 1 questions are not choices) */
u64 sim_choices(const struct sim *s)
{
	return s->nchoices;
}

/** sim_fault_fired - times @site fired */
u64 sim_fault_fired(const struct sim *s, enum fault_site site)
{
	return (unsigned int)site < FAULT_NR_SITES ? s->fault_fired[site] : 0;
}

/** sim_config - the configuration (max_steps filled with its default) */
const struct sim_config *sim_config(const struct sim *s)
{
	return &s->cfg;
}

/** sim_running_actor - the actor inside its step, NULL between steps */
struct sim_actor *sim_running_actor(const struct sim *s)
{
	return s->running;
}

/** sim_trace - the Chrome trace writer, or NULL */
struct trace *sim_trace(const struct sim *s)
{
	return s->cfg.trace;
}

/** sim_vcd - the VCD writer, or NULL */
struct vcd *sim_vcd(const struct sim *s)
{
	return s->cfg.vcd;
}

/** sim_last_actor - the actor that took the latest step, or NULL before the first */
struct sim_actor *sim_last_actor(const struct sim *s)
{
	return s->last;
}

/** sim_strategy_state - what the strategy's create() returned (NULL without one) */
void *sim_strategy_state(const struct sim *s)
{
	return s->strategy_state;
}

/** sim_prng - the seeded PRNG; for strategies only, never for models */
struct prng *sim_prng(struct sim *s)
{
	return &s->prng;
}

/** sim_schedule - the choice log of this run so far (borrowed) */
const struct schedule *sim_schedule(const struct sim *s)
{
	return &s->log;
}

/** sim_replay_divergence - why a replay left its log ("" if it did not) */
const char *sim_replay_divergence(const struct sim *s)
{
	return s->divergence;
}

/**
 * sim_replay_diverged - record why a replay left its log and stop the run
 * @s: the simulation
 * @fmt: printf format; the first message is kept
 */
void sim_replay_diverged(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->diverged)
		return;
	s->diverged = true;
	va_start(ap, fmt);
	vsnprintf(s->divergence, sizeof(s->divergence), fmt, ap);
	va_end(ap);
}

/* SplitMix64's finaliser: a bijective mixer with full avalanche. */
static u64 mix64(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

u64 sim_hash_str(u64 h, const char *str)
{
	while (*str)
		h = sim_hash_mix(h, (u8)*str++);
	return h;
}

/**
 * sim_state_hash - combine every actor's abstract-state hash
 * @s: the simulation
 *
 * Chained in id order, each hash bound to its actor id, so swapping the
 * states of two actors changes the result. Actors without state_hash add
 * nothing.
 *
 * Return: the combined hash.
 */
u64 sim_state_hash(const struct sim *s)
{
	u64 h = 0x243f6a8885a308d3ULL;	/* any non-zero start; digits of pi */
	unsigned int i;

	for (i = 0; i < s->nactors; i++) {
		const struct sim_actor *a = s->actors[i];

		if (!a->ops->state_hash)
			continue;
		h = mix64(h + 0x9e3779b97f4a7c15ULL * (a->id + 1ULL));
		h = mix64(h ^ a->ops->state_hash(a));
	}
	return h;
}

/** sim_violation_count - violations recorded (at most SIM_VIOLATIONS_MAX) */
unsigned int sim_violation_count(const struct sim *s)
{
	return s->nviolations;
}

/** sim_violation - the @i-th violation, or NULL */
const struct sim_violation *sim_violation(const struct sim *s, unsigned int i)
{
	return i < s->nviolations ? &s->violations[i] : NULL;
}

/* The running actor's track, or track 0 between steps. */
static unsigned int sim_tid(const struct sim *s)
{
	return s->running ? s->running->id : 0;
}

/** sim_short_path - see sim.h; the last two components keep a location readable */
const char *sim_short_path(const char *file)
{
	const char *p = file + strlen(file);
	int slashes = 0;

	while (p > file && slashes < 2)
		if (*--p == '/')
			slashes++;
	return slashes == 2 ? p + 1 : file;
}

/**
 * sim_always_failed - record an always() violation and stop the run
 * @s: the simulation (NULL: outside any simulation, which aborts)
 * @file: source file of the assertion
 * @line: its line
 * @cond: the condition as written
 * @fmt: printf format explaining the failure
 */
void sim_always_failed(struct sim *s, const char *file, int line, const char *cond,
		       const char *fmt, ...)
{
	struct sim_violation *v;
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!s)
		sim_bug("%s:%d: always(%s) failed outside a simulation: %s", file, line, cond, msg);
	if (s->nviolations == SIM_VIOLATIONS_MAX)
		return;
	v = &s->violations[s->nviolations++];
	v->step = s->steps;
	v->time_ns = s->now_ns;
	snprintf(v->actor, sizeof(v->actor), "%s", s->running ? s->running->name : "-");
	snprintf(v->where, sizeof(v->where), "%s:%d", sim_short_path(file), line);
	snprintf(v->msg, sizeof(v->msg), "%s: %s", cond, msg);
	if (s->cfg.trace) {
		struct trace_arg args[] = { TARG_STR("where", v->where), TARG_STR("msg", v->msg),
					    TARG_END };

		trace_instant(s->cfg.trace, sim_tid(s), "check", "violation", s->now_ns, args);
	}
}

static struct sim_sometimes_goal *sim_goal(struct sim *s, const char *name)
{
	struct sim_sometimes_goal *g;
	unsigned int i;

	/* Goals are named by string literals: the pointer usually matches. */
	for (i = 0; i < s->ngoals; i++)
		if (s->goals[i].name == name)
			return &s->goals[i];
	for (i = 0; i < s->ngoals; i++)
		if (!strcmp(s->goals[i].name, name))
			return &s->goals[i];
	if (s->ngoals == SIM_SOMETIMES_MAX)
		sim_bug("more than %d sometimes() goals (adding '%s')", SIM_SOMETIMES_MAX, name);
	g = &s->goals[s->ngoals++];
	g->name = name;
	return g;
}

/**
 * sim_sometimes_declare - a coverage goal that the report must show reached
 * @s: the simulation (NULL: ignored)
 * @name: borrowed; must outlive @s (a string literal)
 */
void sim_sometimes_declare(struct sim *s, const char *name)
{
	if (s)
		sim_goal(s, name);
}

/**
 * sim_sometimes - count one evaluation of goal @name, reached if @cond
 * @s: the simulation (NULL: ignored)
 * @cond: whether the interesting state holds now
 * @name: borrowed, as for sim_sometimes_declare(); declared on first use
 */
void sim_sometimes(struct sim *s, bool cond, const char *name)
{
	struct sim_sometimes_goal *g;

	if (!s)
		return;
	g = sim_goal(s, name);
	g->evaluated++;
	if (cond)
		g->reached++;
}

/** sim_sometimes_count - goals declared or used so far */
unsigned int sim_sometimes_count(const struct sim *s)
{
	return s->ngoals;
}

/** sim_sometimes_goal - the @i-th goal in declaration order, or NULL */
const struct sim_sometimes_goal *sim_sometimes_goal(const struct sim *s, unsigned int i)
{
	return i < s->ngoals ? &s->goals[i] : NULL;
}

/**
 * sim_guest_error - the modelled software did something the hardware does not define
 * @s: the simulation (NULL: ignored)
 * @device: the device that noticed, e.g. "bam0"
 * @fmt: printf format saying what happened
 */
void sim_guest_error(struct sim *s, const char *device, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!s)
		return;
	s->guest_errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->log_stream)
		fprintf(s->log_stream, "guest-error: %s: %s\n", device, msg);
	if (s->cfg.trace) {
		struct trace_arg args[] = { TARG_STR("device", device), TARG_STR("msg", msg),
					    TARG_END };

		trace_instant(s->cfg.trace, sim_tid(s), "guest", "guest-error", s->now_ns, args);
	}
}

/** sim_guest_error_count - guest errors reported so far */
u64 sim_guest_error_count(const struct sim *s)
{
	return s->guest_errors;
}

/** sim_set_log - where guest errors are printed (NULL: nowhere; not closed) */
void sim_set_log(struct sim *s, FILE *log)
{
	s->log_stream = log;
}

/** sim_log - see sim.h */
FILE *sim_log(const struct sim *s)
{
	return s->log_stream;
}
