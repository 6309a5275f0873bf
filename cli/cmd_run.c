/*
 * cmd_run.c - `secsoc run` and `secsoc replay`: one scenario on one board,
 * with the trace writers, the determinism check and schedule files.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/explore.h>
#include <secsoc/trace.h>

#include "cli/cli.h"
#include "scenarios/scenario.h"

#define DURATION_US_MAX (1ULL << 40)

struct mem_out {
	char *buf;
	size_t len;
};

struct run_cli {
	struct run_options opt;
	const char *trace_path;
	const char *vcd_path;
	const char *schedule_path;	/* replay */
	bool check_determinism;
	struct schedule sched;
};

static const char run_help[] =
	"usage: secsoc run [--dtb F | --dts F] [--scenario NAME] [--seed N]\n"
	"                  [--strategy timed|random|pct] [--pct-depth D]\n"
	"                  [--lock-policy none|v12|nwd]\n"
	"                  [--duration-us N] [--max-steps N] [--faults SPEC]\n"
	"                  [--trace F.json] [--vcd F.vcd] [--json]\n"
	"                  [--save-schedule F] [--check-determinism] [--png DIR]\n"
	"Runs a scenario (default " SCENARIO_DEFAULT ") and prints the run report.\n"
	"Exit: 0 all invariants held, 1 a check failed, 2 bad input, 3 internal error.\n";

static const char replay_help[] =
	"usage: secsoc replay --schedule F [--dtb F | --dts F] [--trace F.json] [--vcd F.vcd]\n"
	"                     [--json]\n"
	"Re-runs the scenario, seed, lock policy and faults recorded in F, following its\n"
	"choices exactly, and prints the same report (and the same violation, if any).\n";

enum { OPT_DTB = 256, OPT_DTS, OPT_SCENARIO, OPT_SEED, OPT_STRATEGY, OPT_LOCK, OPT_DURATION,
       OPT_MAX_STEPS, OPT_FAULTS, OPT_TRACE, OPT_VCD, OPT_JSON, OPT_SAVE, OPT_DETERMINISM,
       OPT_SCHEDULE, OPT_PCT_DEPTH, OPT_PNG, OPT_HELP };

#define OPTION_BOARD \
	{ "dtb", required_argument, NULL, OPT_DTB }, \
	{ "dts", required_argument, NULL, OPT_DTS }
#define OPTION_OUTPUTS \
	{ "trace", required_argument, NULL, OPT_TRACE }, \
	{ "vcd", required_argument, NULL, OPT_VCD }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "help", no_argument, NULL, OPT_HELP }

static const struct option run_longopts[] = {
	OPTION_BOARD,
	OPTION_OUTPUTS,
	{ "scenario", required_argument, NULL, OPT_SCENARIO },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "pct-depth", required_argument, NULL, OPT_PCT_DEPTH },
	{ "lock-policy", required_argument, NULL, OPT_LOCK },
	{ "duration-us", required_argument, NULL, OPT_DURATION },
	{ "max-steps", required_argument, NULL, OPT_MAX_STEPS },
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "save-schedule", required_argument, NULL, OPT_SAVE },
	{ "check-determinism", no_argument, NULL, OPT_DETERMINISM },
	{ "png", required_argument, NULL, OPT_PNG },
	{ NULL, 0, NULL, 0 },
};

static const struct option replay_longopts[] = {
	OPTION_BOARD,
	OPTION_OUTPUTS,
	{ "schedule", required_argument, NULL, OPT_SCHEDULE },
	{ NULL, 0, NULL, 0 },
};

static int parse_strategy(const char *name, struct run_options *opt, struct secsoc_error *err)
{
	opt->strategy = sim_strategy_find(name);
	if (!opt->strategy || opt->strategy == &sim_strategy_replay ||
	    opt->strategy == &sim_strategy_explore)
		return input_error(err, "--strategy: unknown strategy '%s' (expected timed, "
				   "random or pct; use `secsoc replay` to replay and `secsoc "
				   "explore` to explore)", name);
	return 0;
}

static int parse_pct_depth(const char *arg, struct run_options *opt, struct secsoc_error *err)
{
	u64 d;

	if (cli_parse_u64("--pct-depth", arg, SIM_PCT_DEPTH_MAX, &d, err))
		return -1;
	if (!d)
		return input_error(err, "--pct-depth: 0 is not a bug depth (1..%d)",
				   SIM_PCT_DEPTH_MAX);
	opt->pct_depth = (u32)d;
	return 0;
}

static int parse_one(void *ctx, int opt, const char *arg, struct secsoc_error *err)
{
	struct run_cli *c = ctx;
	enum lock_policy policy;
	u64 us;

	switch (opt) {
	case OPT_DTB: c->opt.dtb = arg; return 0;
	case OPT_DTS: c->opt.dts = arg; return 0;
	case OPT_SCENARIO: c->opt.scenario = arg; return 0;
	case OPT_SEED: return cli_parse_u64("--seed", arg, UINT64_MAX, &c->opt.seed, err);
	case OPT_STRATEGY: return parse_strategy(arg, &c->opt, err);
	case OPT_PCT_DEPTH: return parse_pct_depth(arg, &c->opt, err);
	case OPT_LOCK:
		c->opt.lock_policy = arg;
		return lock_policy_parse(arg, &policy, err);
	case OPT_DURATION:
		if (cli_parse_u64("--duration-us", arg, DURATION_US_MAX, &us, err))
			return -1;
		c->opt.duration_ns = us * 1000;
		return 0;
	case OPT_MAX_STEPS: return cli_parse_u64("--max-steps", arg, UINT64_MAX,
						 &c->opt.max_steps, err);
	case OPT_FAULTS: c->opt.faults = arg; return 0;
	case OPT_TRACE: c->trace_path = arg; return 0;
	case OPT_VCD: c->vcd_path = arg; return 0;
	case OPT_JSON: c->opt.json = true; return 0;
	case OPT_SAVE: c->opt.save_schedule = arg; return 0;
	case OPT_DETERMINISM: c->check_determinism = true; return 0;
	case OPT_PNG: c->opt.png_dir = arg; return 0;
	case OPT_SCHEDULE: c->schedule_path = arg; return 0;
	}
	return -1;
}

/* Outputs go to files: stdout carries the report. */
static int check_outputs(const struct run_cli *c, struct secsoc_error *err)
{
	if ((c->trace_path && !strcmp(c->trace_path, "-")) ||
	    (c->vcd_path && !strcmp(c->vcd_path, "-")))
		return input_error(err, "--%s: '-' would mix it with the report on stdout; give a "
				   "file name", c->trace_path && !strcmp(c->trace_path, "-") ?
				   "trace" : "vcd");
	if (c->trace_path && c->vcd_path && !strcmp(c->trace_path, c->vcd_path))
		return input_error(err, "--trace and --vcd both name '%s'; give two files",
				   c->trace_path);
	return 0;
}

static int finish(struct run_cli *c, const struct run_result *res)
{
	if (res->divergence[0])
		fprintf(stderr, "secsoc: replay diverged: %s\n", res->divergence);
	return run_exit_code(res);
}

/* One run with the user's outputs. */
static int run_once(struct run_cli *c)
{
	struct secsoc_error err = { 0 };
	struct run_result res;
	int ret;

	ret = check_outputs(c, &err);
	if (!ret && c->trace_path && !(c->opt.trace = trace_open(c->trace_path, &err)))
		ret = -EINVAL;
	if (!ret && c->vcd_path && !(c->opt.vcd = vcd_open(c->vcd_path, &err)))
		ret = -EINVAL;
	c->opt.report_out = stdout;
	if (!ret)
		ret = run_scenario(&c->opt, &res, &err);
	if (c->opt.trace && trace_close(c->opt.trace, &err) && !ret)
		ret = -EIO;
	if (c->opt.vcd && vcd_close(c->opt.vcd, &err) && !ret)
		ret = -EIO;
	return ret ? cli_fail(&err) : finish(c, &res);
}

static int run_to_memory(struct run_cli *c, struct mem_out *trace, struct mem_out *vcd,
			 FILE *report, struct run_result *res, struct secsoc_error *err)
{
	FILE *trace_mem = open_memstream(&trace->buf, &trace->len);
	FILE *vcd_mem = open_memstream(&vcd->buf, &vcd->len);
	int ret;

	c->opt.trace = trace_mem ? trace_open_stream(trace_mem) : NULL;
	c->opt.vcd = vcd_mem ? vcd_open_stream(vcd_mem) : NULL;
	c->opt.report_out = report;
	if (!c->opt.trace || !c->opt.vcd)
		ret = internal_error(err, "cannot open in-memory trace buffers: %m");
	else
		ret = run_scenario(&c->opt, res, err);
	if (c->opt.trace && trace_close(c->opt.trace, err) && !ret)
		ret = -EIO;
	if (c->opt.vcd && vcd_close(c->opt.vcd, err) && !ret)
		ret = -EIO;
	if (trace_mem)
		fclose(trace_mem);
	if (vcd_mem)
		fclose(vcd_mem);
	return ret;
}

static size_t first_difference(const struct mem_out *a, const struct mem_out *b)
{
	size_t n = MIN(a->len, b->len);

	for (size_t i = 0; i < n; i++)
		if (a->buf[i] != b->buf[i])
			return i;
	return a->len == b->len ? SIZE_MAX : n;
}

static int save_memory(const char *path, const char *what, const struct mem_out *m,
		       struct secsoc_error *err)
{
	FILE *f;

	if (!path)
		return 0;
	f = trace_file_open(path, what, err);
	if (!f)
		return -EINVAL;
	fwrite(m->buf, 1, m->len, f);
	return trace_file_close(f, path, what, err);
}

static int compare_runs(const struct mem_out out[2][2], const struct run_cli *c)
{
	static const char *const what[2] = { "traces", "VCDs" };

	for (int k = 0; k < 2; k++) {
		size_t at = first_difference(&out[0][k], &out[1][k]);

		if (at != SIZE_MAX) {
			fprintf(stderr, "secsoc: determinism check failed: the two runs' %s differ "
				"at byte %zu\n", what[k], at);
			return EXIT_VERIFY_FAILED;
		}
	}
	fprintf(stderr, "secsoc: determinism check: two runs of seed %llu gave byte-identical "
		"traces (%zu bytes) and VCDs (%zu bytes)\n", (unsigned long long)c->opt.seed,
		out[0][0].len, out[0][1].len);
	return 0;
}

/* --check-determinism: the same run twice must give the same bytes. */
static int run_twice_and_compare(struct run_cli *c)
{
	struct mem_out out[2][2] = { 0 };
	struct secsoc_error err = { 0 };
	struct run_result res[2];
	const char *save = c->opt.save_schedule;
	int ret;

	ret = check_outputs(c, &err);
	if (!ret)
		ret = run_to_memory(c, &out[0][0], &out[0][1], stdout, &res[0], &err);
	c->opt.save_schedule = NULL;
	if (!ret)
		ret = run_to_memory(c, &out[1][0], &out[1][1], NULL, &res[1], &err);
	c->opt.save_schedule = save;
	if (!ret)
		ret = save_memory(c->trace_path, "trace", &out[0][0], &err);
	if (!ret)
		ret = save_memory(c->vcd_path, "VCD", &out[0][1], &err);
	if (ret)
		ret = cli_fail(&err);
	else
		ret = MAX(compare_runs((const struct mem_out (*)[2])out, c), finish(c, &res[0]));
	for (int i = 0; i < 4; i++)
		free(out[i / 2][i % 2].buf);
	return ret;
}

static int run_main(struct run_cli *c)
{
	if (!c->opt.scenario)
		c->opt.scenario = SCENARIO_DEFAULT;
	if (!c->opt.lock_policy)
		c->opt.lock_policy = "nwd";
	c->opt.jitter_pct = SIM_DEFAULT_JITTER_PCT;
	return c->check_determinism ? run_twice_and_compare(c) : run_once(c);
}

int cmd_run(int argc, char **argv)
{
	struct run_cli c = { 0 };
	int ret = cli_parse_options("run", argc, argv, "", run_longopts, OPT_HELP, run_help,
				    parse_one, &c);

	return ret >= 0 ? ret : run_main(&c);
}

static int replay_options(struct run_cli *c, struct secsoc_error *err)
{
	enum lock_policy policy;

	if (!c->schedule_path)
		return input_error(err, "replay: --schedule F is required");
	if (schedule_load(c->schedule_path, &c->sched, err))
		return -1;
	if (c->sched.lock_policy[0] && lock_policy_parse(c->sched.lock_policy, &policy, err)) {
		secsoc_error_prefix(err, c->schedule_path);
		return -1;
	}
	c->opt.scenario = c->sched.scenario;
	c->opt.seed = c->sched.seed;
	c->opt.lock_policy = c->sched.lock_policy[0] ? c->sched.lock_policy : "nwd";
	c->opt.faults = c->sched.faults;
	c->opt.duration_ns = c->sched.duration_ns;
	c->opt.max_steps = c->sched.max_steps;
	c->opt.jitter_pct = c->sched.jitter_pct;
	c->opt.strategy = &sim_strategy_replay;
	c->opt.replay = &c->sched;
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct secsoc_error err = { 0 };
	struct run_cli c = { 0 };
	int ret = cli_parse_options("replay", argc, argv, "", replay_longopts, OPT_HELP,
				    replay_help, parse_one, &c);

	if (ret >= 0)
		return ret;
	if (replay_options(&c, &err))
		ret = cli_fail(&err);
	else
		ret = run_once(&c);
	schedule_free(&c.sched);
	return ret;
}
