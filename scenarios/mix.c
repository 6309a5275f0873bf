/*
 * mix.c - the shared body of the crypto scenarios (scenarios/mix.h): set
 * the checker and the workloads up, judge the end state, release what the
 * scenario allocated, and write the report.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenarios/mix.h"

/* Different seeds for the two workloads, both from the run's seed. */
#define MIX_DISK_SALT 0x6469736b2d786f72ULL	/* "disk-xor" */
#define MIX_DRM_SALT 0x64726d2d6c6f6164ULL	/* "drm-load" */

static bool mix_both(const struct mix *x)
{
	return x->cfg->disk && x->cfg->drm;
}

/*
 * The BAM model reaches "bam: EE <w> waited while EE <h> held the lock"
 * (hw/bam_lock_stats.c) when a pipe of one EE has work but the other EE
 * holds the lock. Declaring them lists them in the report even when they
 * are never reached. Names must outlive the simulation: static storage.
 */
static const char *mix_wait_goal(unsigned int slot, int waiter, int holder)
{
	static char names[2][64];

	snprintf(names[slot], sizeof(names[slot]), "bam: EE %d waited while EE %d held the lock",
		 waiter, holder);
	return names[slot];
}

static void mix_declare_goals(struct mix *x)
{
	const struct checker *c = &x->chk;

	if (!mix_both(x))
		return;
	/* The TA's LOCK waited while Linux held the lock, and the other way round. */
	sim_sometimes_declare(x->m->sim, mix_wait_goal(0, c->tee_ee, c->linux_ee));
	sim_sometimes_declare(x->m->sim, mix_wait_goal(1, c->linux_ee, c->tee_ee));
	sim_sometimes_declare(x->m->sim, DISK_GOAL_ISSUED_MID_TA);
}

int mix_setup(struct machine *m, struct mix *x, const struct mix_config *cfg,
	      struct secsoc_error *err)
{
	u64 seed = sim_seed(m->sim);
	int ret;

	x->cfg = cfg;
	x->m = m;
	ret = checker_attach(&x->chk, m, err);
	if (ret)
		return ret;
	if (cfg->disk) {
		ret = disk_load_start(&x->disk, m, &x->chk, &cfg->disk_p, seed ^ MIX_DISK_SALT,
				      err);
		if (ret)
			return ret;
		x->disk.goal_mid_ta = mix_both(x);
	}
	if (cfg->drm) {
		x->drm = drm_load_create(m, &cfg->drm_p, seed ^ MIX_DRM_SALT, &x->chk, err);
		if (!x->drm)
			return -EINVAL;
	}
	mix_declare_goals(x);
	return 0;
}

/* Free what the workloads hold; in-flight work (after a violation) is abandoned. */
static void mix_release(struct mix *x)
{
	if (x->released)
		return;
	x->released = true;
	if (x->cfg->disk)
		disk_load_release(&x->disk);
	if (x->drm && drm_load_idle(x->drm))
		drm_load_release(x->drm);
}

void mix_check(struct machine *m, void *state)
{
	struct mix *x = state;

	(void)m;
	if (x->cfg->disk)
		disk_load_judge(&x->disk);
	if (x->drm)
		drm_load_judge(x->drm);
	mix_release(x);
	checker_judge(&x->chk);
}

static void mix_report_ees(const struct mix *x, struct report *r)
{
	report_section_begin(r, "per_ee");
	if (x->cfg->disk)
		ee_stats_report(&x->disk.stats, "linux", r);
	if (x->drm)
		ee_stats_report(drm_load_ee_stats(x->drm), "tee", r);
	report_section_end(r);
}

void mix_report(struct machine *m, void *state, struct report *r)
{
	struct mix *x = state;

	(void)m;
	if (x->cfg->disk)
		disk_load_report(&x->disk, r);
	if (x->drm)
		drm_load_report(x->drm, r);
	mix_report_ees(x, r);
	checker_report(&x->chk, r);
}

void mix_teardown(struct machine *m, void *state)
{
	struct mix *x = state;

	(void)m;
	mix_release(x);
	if (x->drm)
		drm_load_free(x->drm);
	x->drm = NULL;
	checker_detach(&x->chk);
}
