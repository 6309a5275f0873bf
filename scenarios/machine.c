/*
 * machine.c - boot a whole machine in the order real ones boot: hardware,
 * secure firmware (it must program the TZC before anyone else touches RAM),
 * then the normal-world kernel and its drivers.
 */
#include <string.h>

#include "scenarios/scenario.h"

static int check_needs(const struct soc *soc, u32 needs, struct secsoc_error *err)
{
	const char *src = soc->dt->source;

	if ((needs & SCENARIO_NEEDS_SECURE_WORLD) && !soc->tee_node)
		return input_error(err, "%s: this scenario needs a secure world (a secsoc,tee "
				   "node), which the board lacks", src);
	if ((needs & SCENARIO_NEEDS_TZC) && !soc->tzc)
		return input_error(err, "%s: this scenario needs a TZC-400 (an arm,tzc400 node), "
				   "which the board lacks", src);
	if ((needs & SCENARIO_NEEDS_RAM) && !dt_memory_node(soc->dt, 0))
		return input_error(err, "%s: this scenario needs RAM (a memory node), which the "
				   "board lacks", src);
	return 0;
}

/* The kernel's boot parameters come from the run's configuration. */
static int boot_params(struct sim *sim, struct kernel_params *params, struct secsoc_error *err)
{
	const char *policy = sim_config(sim)->lock_policy;

	params->lock_policy = LOCK_POLICY_DEFAULT;
	if (policy && policy[0])
		return lock_policy_parse(policy, &params->lock_policy, err);
	return 0;
}

int machine_boot(struct machine *m, struct sim *sim, struct dt *dt, u32 needs,
		 struct secsoc_error *err)
{
	struct kernel_params params;
	int ret;

	memset(m, 0, sizeof(*m));
	m->sim = sim;
	m->dt = dt;
	ret = soc_create(sim, dt, &m->soc, err);
	if (!ret)
		ret = check_needs(m->soc, needs, err);
	if (!ret && m->soc->tee_node) {
		ret = tee_boot(&m->tee, m->soc, err);
		m->has_tee = ret == 0;
	}
	if (!ret)
		ret = boot_params(sim, &params, err);
	if (!ret) {
		ret = kernel_boot(&m->kernel, m->soc, &params, kernel_drivers, kernel_nr_drivers,
				  err);
		m->kernel_up = true;
	}
	/* Every complaint about the board names the board file first. */
	secsoc_error_prefix(err, dt->source);
	return ret;
}

void machine_shutdown(struct machine *m)
{
	if (m->kernel_up)
		kernel_shutdown(&m->kernel);
	soc_destroy(m->soc);
	memset(m, 0, sizeof(*m));
}

int machine_open(struct machine *m, const char *dtb, const char *dts,
		 const struct sim_config *cfg, u32 needs, struct secsoc_error *err)
{
	struct dt *dt;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = soc_load_dt(dtb, dts, &dt, err);
	if (ret)
		return ret;
	return machine_boot(m, sim_create(cfg), dt, needs, err);
}

void machine_close(struct machine *m)
{
	struct sim *sim = m->sim;
	struct dt *dt = m->dt;

	machine_shutdown(m);
	sim_destroy(sim);
	dt_free(dt);
}
