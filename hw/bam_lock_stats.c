/*
 * bam_lock_stats.c - who held the pipe lock, for how long, and who waited
 * for it (struct bam_lock_stats in bam.h), plus the coverage goals that
 * prove two execution environments really contended.
 *
 * A pipe "waits" while it has descriptors to run but another EE's pipe
 * holds the lock and keeps it from being served: either its pipes are in
 * another lock group, or its next descriptor is a LOCK. The wait is
 * measured from the first moment both hold (the lock is taken, or work is
 * posted while it is held) to the moment the lock is released or taken by
 * the waiter; the waiter's EE is charged.
 */
#include <stdio.h>

#include "hw/bam_internal.h"

/* Goal names must outlive the simulation: one static table for all BAMs. */
static char wait_goal[BAM_EES_MAX][BAM_EES_MAX][64];

static const char *wait_goal_name(unsigned int waiter, unsigned int holder)
{
	char *name = wait_goal[waiter][holder];

	if (!name[0])
		snprintf(name, sizeof(wait_goal[0][0]), "bam: EE %u waited while EE %u held the lock",
			 waiter, holder);
	return name;
}

static bool pipe_has_work(const struct bam_pipe *p)
{
	return (p->ctrl & BAM_P_EN) && !p->in_reset && !p->error &&
	       FIELD_GET(BAM_P_SW_OFSTS_OFFSET, p->sw_ofsts) != (p->evnt_reg & 0xffff);
}

/* @p has work while pipe @holder_pipe holds the lock: it waits if another EE holds it. */
static void start_wait(struct bam *bam, struct bam_pipe *p, int holder_pipe, u64 now)
{
	unsigned int holder = bam_pipe_ee(bam, (unsigned int)holder_pipe);
	unsigned int waiter = bam_pipe_ee(bam, p->id);

	if (p->lock_wait_since || waiter == holder)
		return;
	p->lock_wait_since = now + 1;	/* 0 means "not waiting" */
	sometimes(true, wait_goal_name(waiter, holder));
}

static void end_wait(struct bam *bam, struct bam_pipe *p, u64 now)
{
	struct bam_lock_stats *st = &bam->lock_stats[bam_pipe_ee(bam, p->id)];
	u64 waited;

	if (!p->lock_wait_since)
		return;
	waited = now - (p->lock_wait_since - 1);
	p->lock_wait_since = 0;
	st->waits++;
	st->wait_ns += waited;
	st->max_wait_ns = MAX(st->max_wait_ns, waited);
}

/**
 * bam_lock_note_change - the lock goes from bam->lock_pipe to @pipe (-1:
 * released); called by bam_set_lock() before it changes hands
 */
void bam_lock_note_change(struct bam *bam, int pipe)
{
	u64 now = sim_now_ns(bam->sim);

	if (bam->lock_pipe >= 0 && pipe != bam->lock_pipe) {
		struct bam_lock_stats *st =
			&bam->lock_stats[bam_pipe_ee(bam, (unsigned int)bam->lock_pipe)];
		u64 held = now - bam->lock_since;

		st->hold_ns += held;
		st->max_hold_ns = MAX(st->max_hold_ns, held);
		for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++)
			end_wait(bam, &bam->pipes[i], now);
	}
	if (pipe < 0 || pipe == bam->lock_pipe)
		return;
	bam->lock_stats[bam_pipe_ee(bam, (unsigned int)pipe)].acquisitions++;
	bam->lock_since = now;
	for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++)
		if (pipe_has_work(&bam->pipes[i]))
			start_wait(bam, &bam->pipes[i], pipe, now);
}

/**
 * bam_lock_note_posted - pipe @p was given descriptors: it waits if another
 * EE holds the lock
 */
void bam_lock_note_posted(struct bam_pipe *p)
{
	struct bam *bam = p->bam;

	if (bam->lock_pipe >= 0 && bam->lock_pipe != (int)p->id && pipe_has_work(p))
		start_wait(bam, p, bam->lock_pipe, sim_now_ns(bam->sim));
}

/** bam_lock_note_reset - a reset pipe no longer waits (nothing is charged) */
void bam_lock_note_reset(struct bam_pipe *p)
{
	p->lock_wait_since = 0;
}

void bam_lock_stats(const struct bam *bam, unsigned int ee, struct bam_lock_stats *st)
{
	always(ee < BAM_EES_MAX, "%s: lock statistics of EE %u", bam->name, ee);
	*st = bam->lock_stats[ee];
}
