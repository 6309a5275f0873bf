/*
 * run.c - one run of one scenario: load the board, create the simulation
 * with its trace writers, boot the machine, set the scenario up, run to a
 * stop, judge, report, and save the choice log if asked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/scenario.h"

static int sim_config_of(const struct run_options *opt, const struct scenario *scn,
			 struct sim_config *cfg, struct secsoc_error *err)
{
	struct secsoc_error spec_err = { 0 };

	memset(cfg, 0, sizeof(*cfg));
	if (fault_spec_parse(opt->faults, &cfg->faults, &spec_err))
		return input_error(err, "--faults: %s", spec_err.msg);
	cfg->seed = opt->seed;
	cfg->strategy = opt->strategy;
	cfg->replay = opt->replay;
	cfg->duration_ns = opt->duration_ns;
	cfg->max_steps = opt->max_steps;
	cfg->jitter_pct = opt->jitter_pct;
	cfg->pct_depth = opt->pct_depth;
	cfg->scenario = scn->name;
	cfg->lock_policy = opt->lock_policy;
	cfg->trace = opt->trace;
	cfg->vcd = opt->vcd;
	return 0;
}

static void report_run(const struct run_options *opt, const struct scenario *scn,
		       struct machine *m, void *state, const struct run_result *res)
{
	struct report r;

	report_begin(&r, opt->report_out, opt->json);
	report_str(&r, "secsoc", SECSOC_VERSION);
	report_str(&r, "scenario", scn->name);
	report_str(&r, "board", m->dt->source);
	report_str(&r, "lock_policy", opt->lock_policy);
	report_sim(&r, m->sim, res->stop);
	report_section_begin(&r, "scenario_report");
	scn->report(m, state, &r);
	report_section_end(&r);
	report_str(&r, "verdict", run_exit_code(res) ? "FAIL" : "PASS");
	report_end(&r);
}

/*
 * Run, judge and report on an already booted machine. The scenario's state
 * outlives the machine (run_scenario() frees it after machine_close()):
 * after a violation, work may still be in flight, and whatever the
 * shutdown of the drivers completes must find its callbacks' data alive.
 */
static int run_booted(const struct run_options *opt, const struct scenario *scn,
		      struct machine *m, void *state, struct run_result *res,
		      struct secsoc_error *err)
{
	int ret = scn->setup(m, state, err);

	if (!ret) {
		res->stop = sim_run(m->sim);
		if (res->stop != SIM_STOP_VIOLATION && res->stop != SIM_STOP_DIVERGED)
			scn->check(m, state);
		res->violations = sim_violation_count(m->sim);
		snprintf(res->divergence, sizeof(res->divergence), "%s",
			 sim_replay_divergence(m->sim));
		if (opt->report_out)
			report_run(opt, scn, m, state, res);
		if (opt->save_schedule)
			ret = schedule_save(sim_schedule(m->sim), opt->save_schedule, err);
	}
	if (scn->teardown)
		scn->teardown(m, state);
	return ret;
}

int run_scenario(const struct run_options *opt, struct run_result *res,
		 struct secsoc_error *err)
{
	const struct scenario *scn = scenario_find(opt->scenario, err);
	struct sim_config cfg;
	struct machine m;
	void *state;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!scn)
		return -EINVAL;
	if (opt->png_dir && !scn->shows_frames)
		return input_error(err, "--png: scenario %s shows no frames (secure-playback does)",
				   scn->name);
	ret = sim_config_of(opt, scn, &cfg, err);
	if (ret)
		return ret;
	state = calloc(1, scn->state_size);
	if (!state)
		return internal_error(err, "out of memory for scenario %s", scn->name);
	ret = machine_open(&m, opt->dtb, opt->dts, &cfg, scn->needs, err);
	m.png_dir = opt->png_dir;
	if (!ret)
		ret = run_booted(opt, scn, &m, state, res, err);
	machine_close(&m);
	free(state);
	return ret;
}

int run_exit_code(const struct run_result *res)
{
	if (res->violations || res->stop == SIM_STOP_STEPS || res->stop == SIM_STOP_DIVERGED)
		return 1;
	return 0;
}
