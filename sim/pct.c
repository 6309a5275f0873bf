/*
 * pct.c - the PCT strategy (Probabilistic Concurrency Testing, Burckhardt,
 * Kothari, Musuvathi and Nagarakatte, ASPLOS'10).
 *
 * Why: a uniformly random scheduler switches actors at almost every step,
 * so it rarely keeps one actor running long enough to reach the deep state
 * a race needs (Linux mid-operation when the TA's LOCK lands). PCT runs
 * the highest-priority ready actor until it blocks, and changes priorities
 * at only d - 1 random points, which is exactly a bug of depth d: a run of
 * k steps among n actors finds it with probability at least
 * 1 / (n k^(d-1)).
 *
 * Priorities: every actor draws a random 64-bit priority above 2^32 when
 * the simulation is created (from the seeded PRNG, so a seed is a run).
 * The change points are d - 1 distinct steps drawn from [1, k]; when the
 * run reaches change point i (0-based), the actor that took the latest
 * step drops to priority i + 1, below every initial priority. A change
 * point is applied at the first scheduling choice at or after its step:
 * between choices only one actor can run, so the order of who runs does
 * not depend on it.
 *
 * Only scheduling is prioritised; which software task a CPU runs is drawn
 * uniformly and fault sites fire with their probability, as under the
 * random strategy.
 */
#include <stdio.h>
#include <stdlib.h>

#include <secsoc/sim.h>

#define PCT_LOW_PRIORITY_MAX (1ULL << 32)	/* initial priorities are above */

struct pct_state {
	u64 prio[SIM_ACTORS_MAX];
	u64 change_at[SIM_PCT_DEPTH_MAX - 1];	/* ascending step numbers */
	unsigned int nchanges;
	unsigned int applied;			/* change points already applied */
};

static bool pct_step_taken(const struct pct_state *st, unsigned int n, u64 step)
{
	for (unsigned int i = 0; i < n; i++)
		if (st->change_at[i] == step)
			return true;
	return false;
}

/* d - 1 distinct change points in [1, k], sorted (insertion: d <= 16). */
static void pct_draw_changes(struct pct_state *st, struct prng *p, u32 depth, u64 steps)
{
	unsigned int want = depth - 1;

	if (want > steps)
		want = (unsigned int)steps;
	while (st->nchanges < want) {
		u64 step = 1 + prng_below(p, steps);
		unsigned int i;

		if (pct_step_taken(st, st->nchanges, step))
			continue;
		for (i = st->nchanges; i > 0 && st->change_at[i - 1] > step; i--)
			st->change_at[i] = st->change_at[i - 1];
		st->change_at[i] = step;
		st->nchanges++;
	}
}

static void *pct_create(struct sim *s)
{
	const struct sim_config *cfg = sim_config(s);
	u32 depth = cfg->pct_depth ? cfg->pct_depth : SIM_PCT_DEPTH_DEFAULT;
	u64 steps = cfg->pct_steps ? cfg->pct_steps : SIM_PCT_STEPS_DEFAULT;
	struct pct_state *st = calloc(1, sizeof(*st));

	if (!st) {
		fputs("secsoc: BUG: out of memory creating the PCT strategy\n", stderr);
		abort();
	}
	for (unsigned int i = 0; i < SIM_ACTORS_MAX; i++)
		st->prio[i] = PCT_LOW_PRIORITY_MAX + (prng_next(sim_prng(s)) >> 1);
	pct_draw_changes(st, sim_prng(s), depth, steps);
	return st;
}

static void pct_release(void *state)
{
	free(state);
}

/* Lower the latest actor for every change point the run has reached. */
static void pct_apply_changes(struct pct_state *st, const struct sim *s)
{
	const struct sim_actor *last = sim_last_actor(s);

	while (st->applied < st->nchanges && st->change_at[st->applied] <= sim_steps(s)) {
		if (last)
			st->prio[last->id] = st->applied + 1;
		st->applied++;
	}
}

static unsigned int pct_sched(struct pct_state *st, const struct sim_choice *c)
{
	unsigned int best = 0;

	for (unsigned int i = 1; i < c->n; i++)
		if (st->prio[c->actor_ids[i]] > st->prio[c->actor_ids[best]])
			best = i;
	return best;
}

static unsigned int pct_choose(struct sim *s, const struct sim_choice *c)
{
	struct pct_state *st = sim_strategy_state(s);

	if (c->kind == SIM_CHOICE_FAULT)
		return prng_chance(sim_prng(s), c->prob_q32);
	if (c->kind != SIM_CHOICE_SCHED || !c->actor_ids)
		return (unsigned int)prng_below(sim_prng(s), c->n);
	pct_apply_changes(st, s);
	return pct_sched(st, c);
}

const struct sim_strategy_ops sim_strategy_pct = {
	.name = "pct",
	.timed = false,
	.choose = pct_choose,
	.create = pct_create,
	.release = pct_release,
};
