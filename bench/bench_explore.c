/*
 * bench_explore.c - `secsoc bench explore`: how fast `secsoc explore`
 * stores new states on the nwd lock-race search, against SPIN on the
 * Promela model of the same protocol (model/bam_lock.pml, nwd), measured in
 * the same run; and whether the exhaustive nwd search (preemption bound 3,
 * hashing the abstract state the actors report) finishes within its budget
 * (issue #9: 60 s on this 2-core machine; it is stopped at twice that).
 *
 * Both sides run as they would for a user: the explorer as a child
 * `secsoc explore --json` (this very binary), SPIN as spin -a, gcc and
 * ./pan in a scratch directory; the figures are parsed from their output,
 * the wall time measured here. Without spin or gcc, or without the model
 * file, the SPIN side is reported as absent and the explorer's figures
 * stand alone (exit 0). docs/exploration.md gives the configuration.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"

#define BX_OUT_MAX (64 * 1024)
#define BX_PATH_MAX 4096
#define BX_TARGET_S 60.0
#define BX_RATIO_TARGET 0.1

/* The configurations: the full one is the acceptance search, the quick one bound 0. */
struct bx_config {
	const char *explore;	/* the rate: options after `explore --scenario lock-race` */
	const char *exhaustive;	/* the acceptance search, likewise */
	const char *spin_defs;
	const char *pan_opts;
};

static const struct bx_config bx_full = {
	.explore = "--lock-policy nwd --max-preemptions 3 --max-schedules 60000",
	.exhaustive = "--lock-policy nwd --max-preemptions 3 --state-key abstract",
	.spin_defs = "-DPOLICY_NWD -DREQS=64 -DNCFG=2",
	.pan_opts = "-m10000000 -w24",
};

static const struct bx_config bx_quick = {
	.explore = "--lock-policy nwd --max-preemptions 0",
	.exhaustive = "--lock-policy nwd --max-preemptions 0 --state-key abstract",
	.spin_defs = "-DPOLICY_NWD -DREQS=8 -DNCFG=2",
	.pan_opts = "-m10000000 -w20",
};

struct bx_side {
	bool ran;
	char verdict[16];	/* the explorer's: safe, violation, incomplete or stopped */
	u64 states;
	double secs;
	bool complete;
};

/* Run @cmd with the shell, its stdout into @out (NUL-terminated). Return: exit status. */
static int bx_capture(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;

	if (!p)
		return -1;
	while (n + 1 < len && (got = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	return pclose(p);
}

/* The number after @key in @text, or 0. */
static double bx_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtod(p + strlen(key), NULL) : 0;
}

/* The number just before @marker in @text ("   4916 states, stored"), or 0. */
static u64 bx_number_before(const char *text, const char *marker)
{
	const char *m = strstr(text, marker), *p = m;

	while (p && p > text && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return p && p != m ? strtoull(p, NULL, 10) : 0;
}

/* This executable's path into @buf (empty if unknown). Return: its length, or <= 0. */
static ssize_t bx_self(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* `secsoc explore` with @options, stopped after twice the budget. */
static int bx_explorer(const char *options, struct bx_side *x, struct secsoc_error *err)
{
	char self[BX_PATH_MAX], cmd[2 * BX_PATH_MAX], *out;
	ssize_t n = bx_self(self, sizeof(self));
	u64 t0;

	if (n <= 0)
		return internal_error(err, "bench explore: cannot find this executable");
	out = malloc(BX_OUT_MAX);
	if (!out)
		return internal_error(err, "bench explore: out of memory");
	snprintf(cmd, sizeof(cmd), "timeout %d '%s' explore --scenario lock-race %s --json "
		 "--out \"${TMPDIR:-/tmp}\"", (int)(2 * BX_TARGET_S), self, options);
	t0 = bench_now_ns();
	n = bx_capture(cmd, out, BX_OUT_MAX);
	x->secs = (double)(bench_now_ns() - t0) / 1e9;
	x->states = (u64)bx_field(out, "\"unique_states\": ");
	x->complete = strstr(out, "\"complete\": true") != NULL;
	/* Exit 1 is a verdict (a violation), not a failure: the summary says which. */
	x->ran = sscanf(strstr(out, "\"verdict\": \"") ?: "", "\"verdict\": \"%15[a-z]",
			x->verdict) == 1;
	free(out);
	/* Stopped by timeout(1): not finished within the budget, which is a result. */
	if (!x->ran && n > 0 && WIFEXITED(n) && WEXITSTATUS(n) == 124) {
		snprintf(x->verdict, sizeof(x->verdict), "stopped");
		return 0;
	}
	if (!x->ran)
		return internal_error(err, "bench explore: `%s` failed (status %zd)", cmd, n);
	return 0;
}

/*
 * The model, as an absolute path (@path holds PATH_MAX): $SECSOC_SRC/model,
 * ./model, or the source tree above the build directory.
 */
static bool bx_model(char *path)
{
	const char *src = getenv("SECSOC_SRC");
	char self[BX_PATH_MAX - 32], try[BX_PATH_MAX];

	snprintf(try, sizeof(try), "%s/model/bam_lock.pml", src ? src : ".");
	if (realpath(try, path))
		return true;
	bx_self(self, sizeof(self));
	if (strrchr(self, '/'))
		*strrchr(self, '/') = '\0';
	snprintf(try, sizeof(try), "%s/../model/bam_lock.pml", self);
	return realpath(try, path) != NULL;
}

/* spin -a, gcc and ./pan in a scratch directory; @why says what is missing. */
static void bx_spin(const struct bx_config *cfg, struct bx_side *s, const char **why)
{
	char model[PATH_MAX], dir[] = "/tmp/secsoc-bench-spin-XXXXXX", cmd[3 * BX_PATH_MAX];
	char out[4096];
	u64 t0;

	*why = "spin or gcc not installed (apt-get install spin gcc)";
	if (system("command -v spin >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1"))
		return;
	*why = "model/bam_lock.pml not found (set SECSOC_SRC to the source tree)";
	if (!bx_model(model) || !mkdtemp(dir))
		return;
	*why = "spin -a or gcc failed on the model";
	snprintf(cmd, sizeof(cmd), "cd '%s' && cp '%s' m.pml && spin %s -a m.pml >/dev/null 2>&1 "
		 "&& gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c 2>/dev/null", dir, model,
		 cfg->spin_defs);
	if (!system(cmd)) {
		snprintf(cmd, sizeof(cmd), "cd '%s' && ./pan %s 2>&1", dir, cfg->pan_opts);
		t0 = bench_now_ns();
		bx_capture(cmd, out, sizeof(out));
		s->secs = (double)(bench_now_ns() - t0) / 1e9;
		s->states = bx_number_before(out, " states, stored");
		s->ran = s->states > 0;
		s->complete = strstr(out, "errors: 0") != NULL;
		*why = s->ran ? NULL : "pan printed no 'states, stored'";
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		*why = *why ? *why : "could not remove the scratch directory";
}

static double bx_rate(const struct bx_side *x)
{
	return x->secs > 0 ? (double)x->states / x->secs : 0;
}

static void bx_report_side(struct report *r, const char *name, const char *config,
			   const struct bx_side *x)
{
	report_section_begin(r, name);
	report_str(r, "configuration", config);
	if (x->verdict[0])
		report_str(r, "verdict", x->verdict);
	report_u64(r, "unique_states", x->states);
	report_double(r, "wall_s", x->secs);
	report_double(r, "states_per_s", bx_rate(x));
	report_bool(r, "complete", x->complete);
	report_section_end(r);
}

static int bx_run(const struct bench_options *opt, struct report *r, struct secsoc_error *err)
{
	const struct bx_config *cfg = opt->quick ? &bx_quick : &bx_full;
	struct bx_side x = { 0 }, e = { 0 }, s = { 0 };
	const char *why = NULL;
	char spin_cfg[256];
	double ratio;
	int ret = bx_explorer(cfg->explore, &x, err);

	if (!ret)
		ret = bx_explorer(cfg->exhaustive, &e, err);
	if (ret)
		return ret;
	bx_spin(cfg, &s, &why);
	bx_report_side(r, "explorer", cfg->explore, &x);
	report_section_begin(r, "exhaustive_nwd");
	report_str(r, "configuration", cfg->exhaustive);
	report_str(r, "verdict", e.verdict);
	report_u64(r, "unique_states", e.states);
	report_bool(r, "finished", e.complete);
	report_double(r, "wall_s", e.secs);
	report_double(r, "target_s", BX_TARGET_S);
	report_bool(r, "target_met", e.complete && e.secs <= BX_TARGET_S);
	report_section_end(r);
	if (why) {
		report_str(r, "spin", why);
		return 0;
	}
	snprintf(spin_cfg, sizeof(spin_cfg), "spin %s -a; gcc -O2 -DSAFETY -DNOREDUCE; ./pan %s",
		 cfg->spin_defs, cfg->pan_opts);
	bx_report_side(r, "spin", spin_cfg, &s);
	ratio = bx_rate(&s) > 0 ? bx_rate(&x) / bx_rate(&s) : 0;
	report_double(r, "ratio_vs_spin", ratio);
	report_double(r, "target", BX_RATIO_TARGET);
	report_bool(r, "target_met", ratio >= BX_RATIO_TARGET);
	return 0;
}

const struct bench bench_explore = {
	.name = "explore",
	.summary = "explorer unique states/s on nwd lock-race vs SPIN on model/bam_lock.pml",
	.run = bx_run,
};
