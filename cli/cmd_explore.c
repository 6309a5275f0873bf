/*
 * cmd_explore.c - `secsoc explore`: search a scenario's schedules for an
 * invariant violation, systematically (dfs, bfs; sim/explore.c) or by
 * sampling seeds (random, pct), minimise the violating run and save its
 * choice log so that `secsoc replay --schedule` reproduces it, with its step
 * table and trace. Owns the binding of a scenario to the explorer (boot,
 * setup, check, teardown per schedule), the step table and the progress
 * line, which is the only place that reads the wall clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <secsoc/bam.h>
#include <secsoc/explore.h>
#include <secsoc/qce.h>
#include <secsoc/trace.h>

#include "cli/cli.h"
#include "scenarios/scenario.h"

#define EXPLORE_RUNS_DEFAULT 1000ULL
#define EXPLORE_RUNS_MAX 1000000000ULL
#define EXPLORE_PREEMPTIONS_DEFAULT 2
#define EXPLORE_FAULTS_DEFAULT 1
#define EXPLORE_OUT_MAX 3072
#define CEX_NAME "counterexample.schedule"
#define CEX_ORIG_NAME "counterexample.original.schedule"
#define CEX_STEPS_NAME "counterexample.steps.txt"
#define CEX_TRACE_NAME "counterexample.json"

static const char explore_help[] =
	"usage: secsoc explore --scenario NAME [--strategy dfs|bfs|random|pct] [--runs N]\n"
	"                      [--max-preemptions K] [--lock-policy none|v12|nwd] [--seed N]\n"
	"                      [--out DIR] [--json] [--dtb F | --dts F] [--pct-depth D]\n"
	"                      [--max-schedules N] [--max-depth N] [--max-steps N]\n"
	"                      [--table-slots N] [--no-state-hashing]\n"
	"                      [--state-key steps|abstract]\n"
	"                      [--max-frontier N] [--no-minimise] [--minimise-runs N]\n"
	"                      [--faults SPEC] [--max-faults F] [--jobs N | --shard I/N]\n"
	"       secsoc explore --merge DIR [--merge DIR...] [--out DIR] [--json]\n"
	"Searches the scenario's schedules for an invariant violation. dfs (default) runs\n"
	"every schedule with at most 0, 1, ... K preemptions (default 2), cutting runs at\n"
	"states already visited; bfs runs the same schedules in order of increasing number\n"
	"of choices (its counterexample is a shortest one; --max-frontier bounds its memory);\n"
	"random and pct run seeds N..N+runs-1 (default 1000 runs).\n"
	"--faults SPEC (site:prob[,site:prob...], as for `secsoc run`) enables fault sites.\n"
	"Under dfs and bfs an enabled site is a choice point (fires or not) whatever its\n"
	"probability, and at most F firings (--max-faults, default 1; not preemptions) are\n"
	"explored per schedule; random and pct fire sites with their probabilities.\n"
	"On a violation, DIR/" CEX_NAME " (DIR default\n"
	"'.') holds the run's choices for `secsoc replay --schedule`; a dfs, random or pct\n"
	"counterexample is first minimised by delta debugging (at most --minimise-runs\n"
	"re-runs, default 2000), the original kept as DIR/" CEX_ORIG_NAME ".\n"
	"The counterexample's replay gives DIR/" CEX_STEPS_NAME " (one row per step)\n"
	"and DIR/" CEX_TRACE_NAME " (a Chrome trace).\n"
	"--jobs N (dfs, bfs) splits the search into N parts explored by N worker processes;\n"
	"--shard I/N explores part I of N only and writes DIR/shard-I-of-N.json (exit 0\n"
	"whatever it found); --merge DIR... merges a complete set of shard results into\n"
	"one verdict, counterexample and exit code (docs/exploration.md).\n"
	"Exit: 0 no violation found (the summary says whether the search was complete),\n"
	"1 a violation was found, 2 bad input, 3 internal error.\n";

enum { OPT_DTB = 256, OPT_DTS, OPT_SCENARIO, OPT_STRATEGY, OPT_RUNS, OPT_PREEMPT, OPT_LOCK,
       OPT_SEED, OPT_OUT, OPT_JSON, OPT_PCT_DEPTH, OPT_SCHEDULES, OPT_DEPTH, OPT_STEPS,
       OPT_TABLE, OPT_NO_HASH, OPT_KEY, OPT_FRONTIER, OPT_NO_MIN,
       OPT_MIN_RUNS, OPT_FAULTS, OPT_MAX_FAULTS, OPT_JOBS, OPT_SHARD, OPT_MERGE, OPT_HELP };

static const struct option explore_longopts[] = {
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "dts", required_argument, NULL, OPT_DTS },
	{ "scenario", required_argument, NULL, OPT_SCENARIO },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "max-preemptions", required_argument, NULL, OPT_PREEMPT },
	{ "lock-policy", required_argument, NULL, OPT_LOCK },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "pct-depth", required_argument, NULL, OPT_PCT_DEPTH },
	{ "max-schedules", required_argument, NULL, OPT_SCHEDULES },
	{ "max-depth", required_argument, NULL, OPT_DEPTH },
	{ "max-steps", required_argument, NULL, OPT_STEPS },
	{ "table-slots", required_argument, NULL, OPT_TABLE },
	{ "no-state-hashing", no_argument, NULL, OPT_NO_HASH },
	{ "state-key", required_argument, NULL, OPT_KEY },
	{ "max-frontier", required_argument, NULL, OPT_FRONTIER },
	{ "no-minimise", no_argument, NULL, OPT_NO_MIN },
	{ "minimise-runs", required_argument, NULL, OPT_MIN_RUNS },
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "max-faults", required_argument, NULL, OPT_MAX_FAULTS },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "merge", required_argument, NULL, OPT_MERGE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct explore_cli {
	const char *dtb;
	const char *dts;
	const char *scenario;
	const char *strategy;		/* dfs, bfs, random or pct */
	const char *lock_policy;
	const char *out;
	u64 runs;
	u64 seed;
	u64 preemptions;
	u64 max_faults;
	struct fault_spec faults;
	u64 pct_depth;
	u64 min_runs;
	bool no_minimise;
	bool minimised;
	bool json;
	struct explore_limits lim;
	u64 jobs;
	struct explore_part shard;	/* count 0: not a shard */
	const char *merge[EXPLORE_SHARD_DIRS_MAX];
	unsigned int nmerge;
	/* The scenario bound to the explorer. */
	const struct scenario *scn;
	struct dt *dt;			/* loaded once, booted once per schedule */
	struct machine m;
	void *state;
	/* Progress. */
	bool tty;
	struct timespec t0;
	double last_shown;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static int parse_strategy(struct explore_cli *c, const char *arg, struct secsoc_error *err)
{
	if (strcmp(arg, "dfs") && strcmp(arg, "bfs") && strcmp(arg, "random") && strcmp(arg, "pct"))
		return input_error(err, "--strategy: unknown strategy '%s' (expected dfs, bfs, "
				   "random or pct)", arg);
	c->strategy = arg;
	return 0;
}

static int parse_limit(const char *opt, const char *arg, u64 max, u64 *v,
		       struct secsoc_error *err)
{
	if (cli_parse_u64(opt, arg, max, v, err))
		return -1;
	if (!*v)
		return input_error(err, "%s: 0 is not a limit (1..%llu)", opt,
				   (unsigned long long)max);
	return 0;
}

static int parse_table(struct explore_cli *c, const char *arg, struct secsoc_error *err)
{
	u64 v;

	if (parse_limit("--table-slots", arg, EXPLORE_TABLE_MAX, &v, err))
		return -1;
	if (v & (v - 1))
		return input_error(err, "--table-slots: %s is not a power of 2", arg);
	c->lim.table_slots = v;
	return 0;
}

static int parse_state_key(struct explore_cli *c, const char *arg, struct secsoc_error *err)
{
	if (strcmp(arg, "steps") && strcmp(arg, "abstract"))
		return input_error(err, "--state-key: '%s' is not steps or abstract", arg);
	c->lim.abstract_key = !strcmp(arg, "abstract");
	return 0;
}

static int parse_faults(struct explore_cli *c, const char *arg, struct secsoc_error *err)
{
	struct secsoc_error spec_err = { 0 };

	if (fault_spec_parse(arg, &c->faults, &spec_err))
		return input_error(err, "--faults: %s", spec_err.msg);
	return 0;
}

static int parse_shard(struct explore_cli *c, const char *arg, struct secsoc_error *err)
{
	unsigned int i, n;
	int end = 0;

	if (sscanf(arg, "%u/%u%n", &i, &n, &end) != 2 || arg[end] || !n ||
	    n > EXPLORE_PARTS_MAX || i >= n)
		return input_error(err, "--shard: '%s' is not I/N with 0 <= I < N <= %d", arg,
				   EXPLORE_PARTS_MAX);
	c->shard = (struct explore_part){ .index = i, .count = n };
	return 0;
}

static int parse_merge(struct explore_cli *c, const char *arg, struct secsoc_error *err)
{
	if (c->nmerge >= EXPLORE_SHARD_DIRS_MAX)
		return input_error(err, "--merge: at most %d directories", EXPLORE_SHARD_DIRS_MAX);
	c->merge[c->nmerge++] = arg;
	return 0;
}

static int parse_one(void *ctx, int opt, const char *arg, struct secsoc_error *err)
{
	struct explore_cli *c = ctx;
	enum lock_policy policy;

	switch (opt) {
	case OPT_DTB: c->dtb = arg; return 0;
	case OPT_DTS: c->dts = arg; return 0;
	case OPT_SCENARIO: c->scenario = arg; return 0;
	case OPT_STRATEGY: return parse_strategy(c, arg, err);
	case OPT_RUNS: return parse_limit("--runs", arg, EXPLORE_RUNS_MAX, &c->runs, err);
	case OPT_PREEMPT: return cli_parse_u64("--max-preemptions", arg, EXPLORE_PREEMPTIONS_MAX,
					       &c->preemptions, err);
	case OPT_LOCK: c->lock_policy = arg; return lock_policy_parse(arg, &policy, err);
	case OPT_SEED: return cli_parse_u64("--seed", arg, UINT64_MAX, &c->seed, err);
	case OPT_OUT: c->out = arg; return 0;
	case OPT_JSON: c->json = true; return 0;
	case OPT_PCT_DEPTH: return parse_limit("--pct-depth", arg, SIM_PCT_DEPTH_MAX,
					       &c->pct_depth, err);
	case OPT_SCHEDULES: return parse_limit("--max-schedules", arg, UINT64_MAX,
					       &c->lim.max_schedules, err);
	case OPT_DEPTH: return parse_limit("--max-depth", arg, EXPLORE_DEPTH_MAX,
					   &c->lim.max_depth, err);
	case OPT_STEPS: return parse_limit("--max-steps", arg, UINT64_MAX, &c->lim.max_steps,
					   err);
	case OPT_TABLE: return parse_table(c, arg, err);
	case OPT_NO_HASH: c->lim.no_state_hashing = true; return 0;
	case OPT_KEY: return parse_state_key(c, arg, err);
	case OPT_FRONTIER: return parse_limit("--max-frontier", arg, EXPLORE_FRONTIER_MAX,
					      &c->lim.max_frontier, err);
	case OPT_NO_MIN: c->no_minimise = true; return 0;
	case OPT_MIN_RUNS: return parse_limit("--minimise-runs", arg, EXPLORE_MIN_RUNS_MAX,
					      &c->min_runs, err);
	case OPT_FAULTS: return parse_faults(c, arg, err);
	case OPT_MAX_FAULTS: return cli_parse_u64("--max-faults", arg, EXPLORE_FAULTS_MAX,
						  &c->max_faults, err);
	case OPT_JOBS: return parse_limit("--jobs", arg, EXPLORE_PARTS_MAX, &c->jobs, err);
	case OPT_SHARD: return parse_shard(c, arg, err);
	case OPT_MERGE: return parse_merge(c, arg, err);
	}
	return -1;
}

/* --out must be a directory we can write into (made if absent), checked before searching. */
static int check_out_dir(const char *dir, struct secsoc_error *err)
{
	struct stat st;

	if (strlen(dir) > EXPLORE_OUT_MAX)
		return input_error(err, "--out: the directory name is too long");
	if (mkdir(dir, 0777) && errno != EEXIST)
		return input_error(err, "--out: cannot create directory '%s': %s", dir,
				   strerror(errno));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return input_error(err, "--out: '%s' is not a directory", dir);
	if (access(dir, W_OK | X_OK))
		return input_error(err, "--out: directory '%s' is not writable", dir);
	return 0;
}

/* explore_target: one fresh machine per schedule, all on the one tree. */
static void machine_end(struct explore_cli *c)
{
	struct sim *sim = c->m.sim;

	machine_shutdown(&c->m);
	sim_destroy(sim);
	free(c->state);
	c->state = NULL;
}

static void target_stop(void *ctx, struct sim *sim)
{
	struct explore_cli *c = ctx;

	(void)sim;
	if (c->scn->teardown)
		c->scn->teardown(&c->m, c->state);
	machine_end(c);
}

static int target_start(void *ctx, const struct sim_config *cfg, struct sim **sim,
			struct secsoc_error *err)
{
	struct explore_cli *c = ctx;
	int ret;

	c->state = calloc(1, c->scn->state_size);
	if (!c->state)
		return internal_error(err, "out of memory for scenario %s", c->scn->name);
	ret = machine_boot(&c->m, sim_create(cfg), c->dt, c->scn->needs, err);
	if (ret) {
		machine_end(c);
		return ret;
	}
	ret = c->scn->setup(&c->m, c->state, err);
	if (ret) {
		target_stop(c, c->m.sim);
		return ret;
	}
	*sim = c->m.sim;
	return 0;
}

static void target_check(void *ctx, struct sim *sim)
{
	struct explore_cli *c = ctx;

	(void)sim;
	c->scn->check(&c->m, c->state);
}

/* One updating line on a terminal, at most ten times a second. */
static void target_progress(void *ctx, const struct explore_stats *st)
{
	struct explore_cli *c = ctx;
	double t;

	if (!c->tty)
		return;
	t = seconds_since(&c->t0);
	if (t - c->last_shown < 0.1)
		return;
	c->last_shown = t;
	fprintf(stderr, "\rexplore: bound %u, %llu schedules, %llu states, %.0f schedules/s, "
		"%.1f s ", st->bound, (unsigned long long)st->schedules,
		(unsigned long long)st->states, (double)st->schedules / t, t);
}

static bool systematic(const struct explore_cli *c)
{
	return !strcmp(c->strategy, "dfs") || !strcmp(c->strategy, "bfs");
}

static void report_stats(struct report *r, const struct explore_cli *c,
			 const struct explore_result *res, double secs)
{
	const struct explore_stats *st = &res->stats;

	report_u64(r, "schedules", st->schedules);
	report_u64(r, "cut_at_visited_state", st->cut);
	report_u64(r, "unique_states", st->states);
	report_bool(r, "state_table_full", st->table_full);
	report_str(r, "state_key", c->lim.no_state_hashing ? "none" :
		   c->lim.abstract_key ? "abstract" : "steps");
	report_u64(r, "steps", st->steps);
	if (systematic(c)) {
		report_u64(r, "max_preemptions", c->preemptions);
		report_u64(r, "max_faults", c->max_faults);
		report_u64(r, "schedules_with_faults", st->faulted);
		if (res->bound_done >= 0)
			report_u64(r, "bound_explored_in_full", (u64)res->bound_done);
		else
			report_str(r, "bound_explored_in_full", "none");
	}
	if (res->parts > 1 || c->shard.count) {
		report_u64(r, "parts", c->shard.count ? c->shard.count : res->parts);
		report_u64(r, "units", res->units);
		report_str(r, "unique_states_of_parts", c->shard.count ? "this shard's" :
			   res->nkeys || c->jobs > 1 ? "union" : "sum (shards keep no keys)");
	}
	report_bool(r, "complete", res->verdict == EXPLORE_SAFE);
	if (res->verdict == EXPLORE_INCOMPLETE)
		report_str(r, "incomplete_because", res->incomplete);
	report_double(r, "elapsed_s", secs);
	if (c->nmerge)
		return;		/* the merge's own time: no rate of the search */
	report_double(r, "schedules_per_s", secs > 0 ? (double)st->schedules / secs : 0);
	report_double(r, "states_per_s", secs > 0 ? (double)st->states / secs : 0);
}

static void report_minimised(struct report *r, const struct explore_min_stats *ms)
{
	report_section_begin(r, "minimised");
	report_u64(r, "original_choices", ms->choices_before);
	report_u64(r, "original_steps", ms->steps_before);
	report_u64(r, "deviations_before", ms->deviations_before);
	report_u64(r, "deviations_after", ms->deviations_after);
	report_u64(r, "reruns", ms->runs);
	report_bool(r, "stopped_by_rerun_limit", ms->run_limit);
	report_section_end(r);
}

static u64 fault_firings(const struct schedule *log)
{
	u64 n = 0;

	for (u64 i = 0; i < log->count; i++)
		n += log->entries[i].kind == SIM_CHOICE_FAULT && log->entries[i].answer;
	return n;
}

static void report_violation(struct report *r, const struct explore_cli *c,
			     const struct explore_result *res, const struct explore_min_stats *ms,
			     const char *cex_path)
{
	const struct sim_violation *v = &res->violation;

	report_section_begin(r, "violation");
	report_u64(r, "step", v->step);
	report_str(r, "actor", v->actor);
	report_str(r, "where", v->where);
	report_str(r, "message", v->msg);
	report_section_end(r);
	report_section_begin(r, "counterexample");
	report_str(r, "schedule", cex_path);
	report_u64(r, "choices", res->counterexample.count);
	report_u64(r, "steps", res->cex_steps);
	report_u64(r, "preemptions", res->cex_preemptions);
	report_u64(r, "fault_firings", fault_firings(&res->counterexample));
	report_section_end(r);
	if (c->minimised)
		report_minimised(r, ms);
}

static void report_result(const struct explore_cli *c, const struct explore_result *res,
			  const struct explore_min_stats *ms, double secs, const char *cex_path)
{
	char faults[sizeof(res->counterexample.faults)];
	struct report r;

	fault_spec_format(&c->faults, faults, sizeof(faults));
	report_begin(&r, stdout, c->json);
	report_str(&r, "secsoc", SECSOC_VERSION);
	report_str(&r, "scenario", c->scn->name);
	report_str(&r, "lock_policy", c->lock_policy);
	report_str(&r, "strategy", c->strategy);
	report_str(&r, "faults", faults);
	report_u64(&r, "seed", c->seed);
	report_str(&r, "verdict", explore_verdict_name(res->verdict));
	report_stats(&r, c, res, secs);
	if (res->verdict == EXPLORE_VIOLATION)
		report_violation(&r, c, res, ms, cex_path);
	report_end(&r);
}

static void base_config(const struct explore_cli *c, struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = c->seed;
	cfg->scenario = c->scn->name;
	cfg->lock_policy = c->lock_policy;
	cfg->pct_depth = (u32)c->pct_depth;
	cfg->strategy = sim_strategy_find(c->strategy);
	cfg->faults = c->faults;
}

/* The scenario as the explorer's target: one fresh machine per schedule. */
static struct explore_target explore_target_of(struct explore_cli *c)
{
	return (struct explore_target){
		.start = target_start, .check = target_check, .stop = target_stop,
		.progress = target_progress, .ctx = c,
	};
}

static int explore_search(struct explore_cli *c, struct explore_result *res,
			  struct secsoc_error *err)
{
	const struct explore_target tgt = explore_target_of(c), *t = &tgt;
	enum explore_kind kind = strcmp(c->strategy, "bfs") ? EXPLORE_DFS : EXPLORE_BFS;
	struct sim_config cfg;

	base_config(c, &cfg);
	c->lim.max_preemptions = (u32)c->preemptions;
	c->lim.max_faults = (u32)c->max_faults;
	if (!systematic(c))
		return explore_sample(t, &cfg, c->runs, res, err);
	if (c->shard.count)
		return explore_part(t, &cfg, &c->lim, kind, &c->shard, res, err);
	return explore_jobs(t, &cfg, &c->lim, kind, (u32)MAX(c->jobs, 1), res, err);
}

/* Append " --OPT VALUE" to the exploration text; values with blanks cannot be split again. */
static int exploration_add(char *buf, size_t len, const char *opt, const char *val,
			   struct secsoc_error *err)
{
	size_t n = strlen(buf);

	if (val && (!val[0] || strpbrk(val, " \t\n\"\\")))
		return input_error(err, "--shard: --%s '%s' cannot be recorded in a shard result "
				   "(empty, blanks, quotes or backslashes)", opt, val);
	if ((size_t)snprintf(buf + n, len - n, "%s--%s%s%s", n ? " " : "", opt, val ? " " : "",
			     val ? val : "") >= len - n)
		return input_error(err, "--shard: the options are too long to record");
	return 0;
}

static int exploration_num(char *buf, size_t len, const char *opt, u64 v,
			   struct secsoc_error *err)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return exploration_add(buf, len, opt, num, err);
}

/* The limits given (0: the default, left out). */
static int exploration_limits(const struct explore_cli *c, char *buf, size_t len,
			      struct secsoc_error *err)
{
	const struct { const char *opt; u64 v; } lims[] = {
		{ "max-schedules", c->lim.max_schedules }, { "max-depth", c->lim.max_depth },
		{ "max-steps", c->lim.max_steps }, { "table-slots", c->lim.table_slots },
		{ "max-frontier", c->lim.max_frontier }, { "minimise-runs", c->min_runs },
	};

	for (size_t i = 0; i < ARRAY_SIZE(lims); i++)
		if (lims[i].v && exploration_num(buf, len, lims[i].opt, lims[i].v, err))
			return -EINVAL;
	return 0;
}

/*
 * The options that define the search, canonical (the same search gives the
 * same text whatever the order on the command line): a shard's header, and
 * what --merge parses back to minimise and replay the counterexample.
 */
static int exploration_text(const struct explore_cli *c, char *buf, size_t len,
			    struct secsoc_error *err)
{
	const struct explore_limits *l = &c->lim;
	char faults[sizeof(((struct schedule *)0)->faults)];
	int ret;

	buf[0] = '\0';
	fault_spec_format(&c->faults, faults, sizeof(faults));
	ret = exploration_add(buf, len, "scenario", c->scn->name, err) ?:
	      exploration_add(buf, len, "lock-policy", c->lock_policy, err) ?:
	      exploration_add(buf, len, "strategy", c->strategy, err) ?:
	      exploration_num(buf, len, "seed", c->seed, err) ?:
	      exploration_num(buf, len, "max-preemptions", c->preemptions, err) ?:
	      exploration_num(buf, len, "max-faults", c->max_faults, err) ?:
	      exploration_add(buf, len, "state-key", l->abstract_key ? "abstract" : "steps", err);
	ret = ret ?: (faults[0] ? exploration_add(buf, len, "faults", faults, err) : 0);
	ret = ret ?: (l->no_state_hashing ? exploration_add(buf, len, "no-state-hashing", NULL,
							     err) : 0);
	ret = ret ?: (c->no_minimise ? exploration_add(buf, len, "no-minimise", NULL, err) : 0);
	ret = ret ?: (c->dtb ? exploration_add(buf, len, "dtb", c->dtb, err) : 0);
	ret = ret ?: (c->dts ? exploration_add(buf, len, "dts", c->dts, err) : 0);
	ret = ret ?: exploration_limits(c, buf, len, err);
	return ret;
}

/*
 * Save the counterexample: BFS's as found (it is a shortest one), the
 * others' minimised, with the original beside it. Return: 0, or an errno.
 */
static int save_counterexample(struct explore_cli *c, struct explore_result *res,
			       struct explore_min_stats *ms, struct secsoc_error *err)
{
	char path[EXPLORE_OUT_MAX + sizeof(CEX_ORIG_NAME) + 1];
	struct explore_target t = explore_target_of(c);
	struct sim_config cfg;
	int ret;

	if (!strcmp(c->strategy, "bfs") || c->no_minimise)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", c->out, CEX_ORIG_NAME);
	ret = schedule_save(&res->counterexample, path, err);
	if (ret)
		return ret;
	base_config(c, &cfg);
	ret = explore_minimise(&t, &cfg, c->min_runs, res, ms, err);
	c->minimised = !ret;
	return ret;
}

/* The step table: one row per replayed step (docs/exploration.md). */
struct step_table {
	FILE *out;
	struct bam *bam;	/* the crypto engine's BAM, or NULL */
	struct qce *qce;
	unsigned int nr_ees;
	bool fired;
};

static struct bam *crypto_bam(const struct soc *soc)
{
	for (unsigned int i = 0; i < soc->nr_bams; i++)
		if (soc->qce_node && soc->bams[i].periph_np == soc->qce_node)
			return soc->bams[i].bam;
	return soc->nr_bams ? soc->bams[0].bam : NULL;
}

/* An EE's cell: L holds the pipe lock, R the engine runs its operation, C it configured it. */
static void step_cell(const struct step_table *t, int ee, char cell[4])
{
	int n = 0;

	if (t->bam && bam_lock_owner_ee(t->bam) == ee)
		cell[n++] = 'L';
	if (t->qce && qce_busy(t->qce) && qce_op_ee(t->qce) == ee)
		cell[n++] = 'R';
	if (t->qce && qce_config_ee(t->qce) == ee)
		cell[n++] = 'C';
	if (!n)
		cell[n++] = '-';
	cell[n] = '\0';
}

static void step_row(void *ctx, struct sim *s, const struct sim_actor *a)
{
	struct step_table *t = ctx;
	char cell[4];

	fprintf(t->out, "%5llu %11llu  %-38s %-32s", (unsigned long long)sim_steps(s) - 1,
		(unsigned long long)sim_now_ns(s), a->name, a->label[0] ? a->label : "-");
	for (unsigned int ee = 0; ee < t->nr_ees; ee++) {
		step_cell(t, (int)ee, cell);
		fprintf(t->out, " %-4s", cell);
	}
	if (!t->fired && sim_violation_count(s)) {
		t->fired = true;
		fprintf(t->out, "  <-- VIOLATION %s: %.60s", sim_violation(s, 0)->where,
			sim_violation(s, 0)->msg);
	}
	fputc('\n', t->out);
}

static void step_header(struct step_table *t, const struct soc *soc)
{
	t->bam = crypto_bam(soc);
	t->qce = soc->qce;
	t->nr_ees = t->bam ? bam_config(t->bam)->nr_ees : 0;
	fprintf(t->out, "# cells per EE: L holds the BAM pipe lock, R the engine runs its "
		"operation, C owns the engine's configuration\n%5s %11s  %-38s %-32s", "step",
		"time_ns", "actor", "label");
	for (unsigned int ee = 0; ee < t->nr_ees; ee++)
		fprintf(t->out, " EE%-2u", ee);
	fputc('\n', t->out);
}

/* Replay the counterexample once with the step observer and the trace writer. */
static int replay_steps(struct explore_cli *c, const struct schedule *cex, struct trace *tr,
			struct step_table *t, struct secsoc_error *err)
{
	struct sim_config cfg;
	struct sim *s;
	int ret;

	base_config(c, &cfg);
	cfg.strategy = &sim_strategy_replay;
	cfg.replay = cex;
	cfg.seed = cex->seed;
	cfg.max_steps = cex->max_steps;
	cfg.trace = tr;
	cfg.on_step = step_row;
	cfg.on_step_ctx = t;
	ret = target_start(c, &cfg, &s, err);
	if (ret)
		return ret;
	step_header(t, c->m.soc);
	if (sim_run(s) == SIM_STOP_QUIESCENT)
		target_check(c, s);
	if (!t->fired && sim_violation_count(s))
		fprintf(t->out, "  <-- VIOLATION at the end-state check %s: %s\n",
			sim_violation(s, 0)->where, sim_violation(s, 0)->msg);
	target_stop(c, s);
	return 0;
}

/* DIR/counterexample.steps.txt and DIR/counterexample.json from one replay. */
static int write_steps(struct explore_cli *c, const struct schedule *cex,
		       struct secsoc_error *err)
{
	char path[EXPLORE_OUT_MAX + sizeof(CEX_STEPS_NAME) + 1];
	struct step_table t = { 0 };
	struct trace *tr;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", c->out, CEX_TRACE_NAME);
	tr = trace_open(path, err);
	if (!tr)
		return -EIO;
	snprintf(path, sizeof(path), "%s/%s", c->out, CEX_STEPS_NAME);
	t.out = fopen(path, "w");
	if (!t.out) {
		trace_close(tr, err);
		return input_error(err, "cannot write '%s': %s", path, strerror(errno));
	}
	ret = replay_steps(c, cex, tr, &t, err);
	if (fclose(t.out) && !ret)
		ret = input_error(err, "cannot write '%s': %s", path, strerror(errno));
	if (trace_close(tr, err) && !ret)
		ret = -EIO;
	return ret;
}

/*
 * A violation's counterexample: minimised where it should be, saved,
 * replayed into the step table and the trace; then the summary.
 */
static int explore_finish(struct explore_cli *c, struct explore_result *res,
			  struct secsoc_error *err)
{
	char cex_path[EXPLORE_OUT_MAX + sizeof(CEX_NAME) + 1];
	struct explore_min_stats ms = { 0 };
	int ret = 0;

	snprintf(cex_path, sizeof(cex_path), "%s/%s", c->out, CEX_NAME);
	if (res->verdict == EXPLORE_VIOLATION)
		ret = save_counterexample(c, res, &ms, err) ?:
		      schedule_save(&res->counterexample, cex_path, err) ?:
		      write_steps(c, &res->counterexample, err);
	if (!ret)
		report_result(c, res, &ms, seconds_since(&c->t0), cex_path);
	return ret;
}

/* --shard: the part's result into DIR/shard-I-of-N.json, as found. */
static int shard_finish(struct explore_cli *c, struct explore_result *res, const char *text,
			struct secsoc_error *err)
{
	char path[EXPLORE_OUT_MAX + 64];
	struct explore_shard *sh = calloc(1, sizeof(*sh));
	int ret;

	if (!sh)
		return internal_error(err, "out of memory for the shard result");
	snprintf(sh->exploration, sizeof(sh->exploration), "%s", text);
	sh->index = c->shard.index;
	sh->count = c->shard.count;
	sh->res = *res;
	ret = explore_shard_save(c->out, sh, err);
	free(sh);
	snprintf(path, sizeof(path), "%s/shard-%u-of-%u.schedule", c->out, c->shard.index,
		 c->shard.count);
	if (!ret)
		report_result(c, res, NULL, seconds_since(&c->t0), path);
	return ret;
}

/* Options that only dfs and bfs take, and that exclude each other. */
static int check_modes(const struct explore_cli *c)
{
	if ((c->jobs > 1 || c->shard.count) && !systematic(c))
		return cli_usage_error("explore", "--jobs and --shard take --strategy dfs or bfs");
	if (c->jobs > 1 && c->shard.count)
		return cli_usage_error("explore", "--jobs and --shard exclude each other (run "
				       "one shard per job instead)");
	return 0;
}

/* The board, loaded once: every schedule boots a machine on it. */
static int load_board(struct explore_cli *c, struct secsoc_error *err)
{
	return soc_load_dt(c->dtb, c->dts, &c->dt, err);
}

static int explore_main(struct explore_cli *c)
{
	struct secsoc_error err = { 0 };
	struct explore_result res;
	char text[EXPLORE_EXPLORATION_MAX];
	int ret;

	if (!c->scenario)
		return cli_usage_error("explore", "--scenario NAME is required");
	if (check_modes(c))
		return EXIT_BAD_INPUT;
	c->scn = scenario_find(c->scenario, &err);
	if (!c->scn || check_out_dir(c->out, &err) ||
	    (c->shard.count && exploration_text(c, text, sizeof(text), &err)) ||
	    load_board(c, &err))
		return cli_fail(&err);
	c->tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	ret = explore_search(c, &res, &err);
	if (c->tty && c->last_shown > 0)
		fputc('\n', stderr);
	if (!ret)
		ret = c->shard.count ? shard_finish(c, &res, text, &err) :
				       explore_finish(c, &res, &err);
	explore_result_free(&res);
	dt_free(c->dt);
	if (ret)
		return cli_fail(&err);
	return res.verdict == EXPLORE_VIOLATION && !c->shard.count ? EXIT_VERIFY_FAILED : 0;
}

static void explore_defaults(struct explore_cli *c)
{
	*c = (struct explore_cli){
		.strategy = "dfs", .lock_policy = "nwd", .out = ".", .seed = 1,
		.runs = EXPLORE_RUNS_DEFAULT, .preemptions = EXPLORE_PREEMPTIONS_DEFAULT,
		.max_faults = EXPLORE_FAULTS_DEFAULT,
	};
}

/* The shards' exploration text back into @c's options. Return: -1 to go on, or an exit code. */
static int merge_options(struct explore_cli *c, char *text)
{
	char *argv[64] = { "explore" }, *save = NULL;
	int argc = 1;

	for (char *tok = strtok_r(text, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (argc >= (int)ARRAY_SIZE(argv) - 1)
			return cli_usage_error("explore", "--merge: the shards' options are too "
					       "many");
		argv[argc++] = tok;
	}
	return cli_parse_options("explore", argc, argv, "", explore_longopts, OPT_HELP,
				 explore_help, parse_one, c);
}

/* The parts' results, moved out of the shards, merged. */
static int merge_results(struct explore_shard *shards, u32 n, struct explore_result *res,
			 struct secsoc_error *err)
{
	struct explore_result *parts = calloc(n, sizeof(*parts));
	int ret;

	if (!parts)
		return internal_error(err, "out of memory merging %u shards", n);
	for (u32 i = 0; i < n; i++) {
		parts[i] = shards[i].res;
		memset(&shards[i].res, 0, sizeof(shards[i].res));
	}
	ret = explore_merge(parts, n, res, err);
	for (u32 i = 0; i < n; i++)
		explore_result_free(&parts[i]);
	free(parts);
	return ret;
}

/* --merge DIR...: the shards' results as one search's. */
static int merge_main(struct explore_cli *m)
{
	struct secsoc_error err = { 0 };
	struct explore_shard *shards = NULL;
	struct explore_result res = { 0 };
	struct explore_target t;
	struct explore_cli c;
	struct sim_config cfg;
	u32 n = 0;
	int ret;

	if (m->scenario || m->jobs || m->shard.count)
		return cli_usage_error("explore", "--merge takes only --out and --json: the "
				       "shards' results name their exploration");
	if (explore_shards_load(m->merge, m->nmerge, &shards, &n, &err))
		return cli_fail(&err);
	explore_defaults(&c);
	ret = merge_options(&c, shards[0].exploration);
	c.out = m->out;
	c.json = m->json;
	c.nmerge = m->nmerge;
	c.scn = ret < 0 ? scenario_find(c.scenario, &err) : NULL;
	if (ret < 0)
		ret = !c.scn || check_out_dir(c.out, &err) || load_board(&c, &err) ?
		      cli_fail(&err) : -1;
	clock_gettime(CLOCK_MONOTONIC, &c.t0);
	if (ret < 0 && merge_results(shards, n, &res, &err))
		ret = cli_fail(&err);
	t = explore_target_of(&c);
	base_config(&c, &cfg);
	if (ret < 0 && res.verdict == EXPLORE_VIOLATION && explore_reproduce(&t, &cfg, &res, &err))
		ret = cli_fail(&err);
	if (ret < 0 && explore_finish(&c, &res, &err))
		ret = cli_fail(&err);
	if (ret < 0)
		ret = res.verdict == EXPLORE_VIOLATION ? EXIT_VERIFY_FAILED : 0;
	explore_result_free(&res);
	explore_shards_free(shards, n);
	dt_free(c.dt);
	return ret;
}

int cmd_explore(int argc, char **argv)
{
	struct explore_cli c;
	int ret;

	explore_defaults(&c);
	ret = cli_parse_options("explore", argc, argv, "", explore_longopts, OPT_HELP,
				explore_help, parse_one, &c);
	if (ret >= 0)
		return ret;
	return c.nmerge ? merge_main(&c) : explore_main(&c);
}
