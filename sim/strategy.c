/*
 * strategy.c - the scheduling strategies that answer sim_choose(): timed
 * (earliest eligible actor first, PRNG tie-breaks and jitter), random
 * (uniform over ready actors, time ignored) and replay (follow a log); PCT
 * has its own file (pct.c).
 *
 * Strategies only decide; recording the answer, counting preemptions and
 * advancing time belong to the kernel (sim.c), so every strategy is logged
 * and replayable the same way.
 */
#include <string.h>

#include <secsoc/explore.h>
#include <secsoc/sim.h>

/* Timed SCHED: the earliest eligible option; ties drawn uniformly. */
static unsigned int timed_sched(struct sim *s, const struct sim_choice *c)
{
	unsigned int tied[SIM_CHOICE_OPTIONS_MAX];
	unsigned int i, ntied = 0;
	u64 best = UINT64_MAX;

	for (i = 0; i < c->n; i++)
		if (c->eligible_ns[i] < best)
			best = c->eligible_ns[i];
	for (i = 0; i < c->n; i++)
		if (c->eligible_ns[i] == best)
			tied[ntied++] = i;
	return ntied == 1 ? tied[0] : tied[prng_below(sim_prng(s), ntied)];
}

/* Everything but timed scheduling is the same for the PRNG-driven strategies. */
static unsigned int prng_answer(struct sim *s, const struct sim_choice *c)
{
	if (c->kind == SIM_CHOICE_FAULT)
		return prng_chance(sim_prng(s), c->prob_q32);
	return (unsigned int)prng_below(sim_prng(s), c->n);
}

static unsigned int timed_choose(struct sim *s, const struct sim_choice *c)
{
	if (c->kind == SIM_CHOICE_SCHED && c->eligible_ns && c->n <= SIM_CHOICE_OPTIONS_MAX)
		return timed_sched(s, c);
	return prng_answer(s, c);
}

const struct sim_strategy_ops sim_strategy_timed = {
	.name = "timed",
	.timed = true,
	.choose = timed_choose,
};

const struct sim_strategy_ops sim_strategy_random = {
	.name = "random",
	.timed = false,
	.choose = prng_answer,
};

/*
 * What the model asked, for a divergence message: "sched with n=3, option 1
 * being 'cpu1'" or "fault with n=2 at site 'irq-delay'".
 */
static void replay_describe(const struct sim_choice *c, unsigned int answer, char *buf,
			    size_t len)
{
	struct schedule_entry asked;

	if (c->kind == SIM_CHOICE_FAULT) {
		schedule_entry_set_name(&asked, c->label);
		snprintf(buf, len, "fault with n=%u at site '%s'", c->n, asked.name);
		return;
	}
	if (!c->names || answer >= c->n) {
		snprintf(buf, len, "%s with n=%u", sim_choice_kind_name(c->kind), c->n);
		return;
	}
	schedule_entry_set_name(&asked, c->names[answer]);
	snprintf(buf, len, "%s with n=%u, option %u being '%s'", sim_choice_kind_name(c->kind),
		 c->n, answer, asked.name);
}

/*
 * Does log entry @e answer choice @c? Names are compared as the log spells
 * them: the option chosen for sched/task, the site for fault.
 */
static bool replay_matches(const struct schedule_entry *e, const struct sim_choice *c)
{
	struct schedule_entry asked;

	if (e->kind != c->kind || e->n != c->n || e->answer >= c->n)
		return false;
	if (c->kind == SIM_CHOICE_FAULT) {
		schedule_entry_set_name(&asked, c->label);
		return !strcmp(asked.name, e->name);
	}
	if (c->kind != SIM_CHOICE_SCHED && c->kind != SIM_CHOICE_TASK)
		return true;
	if (!c->names)
		return false;
	schedule_entry_set_name(&asked, c->names[e->answer]);
	return !strcmp(asked.name, e->name);
}

/*
 * Every logged choice consumes one log entry, so the number of choices made
 * so far is the index of the entry that answers this one.
 */
static unsigned int replay_choose(struct sim *s, const struct sim_choice *c)
{
	const struct schedule *log = sim_config(s)->replay;
	u64 i = sim_choices(s);
	const struct schedule_entry *e;
	char asked[160];

	if (sim_replay_divergence(s)[0])
		return 0;	/* already off the log: finish the step quietly */
	if (!log || i >= log->count) {
		replay_describe(c, 0, asked, sizeof(asked));
		sim_replay_diverged(s, "replay diverged at choice %llu: the log has only %llu "
				    "choices but the model asked %s",
				    (unsigned long long)i + 1,
				    (unsigned long long)(log ? log->count : 0), asked);
		return 0;
	}
	e = &log->entries[i];
	if (replay_matches(e, c))
		return e->answer;
	replay_describe(c, e->answer, asked, sizeof(asked));
	sim_replay_diverged(s, "replay diverged at choice %llu: the log has %s %u/%u%s%s%s "
			    "but the model asked %s",
			    (unsigned long long)i + 1, sim_choice_kind_name(e->kind), e->answer,
			    e->n, e->name[0] ? " '" : "", e->name, e->name[0] ? "'" : "", asked);
	return 0;
}

/* Not timed by itself: the kernel follows the recorded run's strategy. */
const struct sim_strategy_ops sim_strategy_replay = {
	.name = "replay",
	.timed = false,
	.choose = replay_choose,
};

static const struct sim_strategy_ops *const sim_strategies[] = {
	&sim_strategy_timed,
	&sim_strategy_random,
	&sim_strategy_pct,
	&sim_strategy_explore,
	&sim_strategy_replay,
};

/**
 * sim_strategy_find - look a strategy up by name
 * @name: "timed", "random", "pct", "explore" or "replay"
 *
 * Return: the strategy, or NULL if there is none by that name.
 */
const struct sim_strategy_ops *sim_strategy_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(sim_strategies); i++)
		if (!strcmp(sim_strategies[i]->name, name))
			return sim_strategies[i];
	return NULL;
}
