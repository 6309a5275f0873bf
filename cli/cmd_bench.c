/*
 * cmd_bench.c - `secsoc bench NAME [--json] [--quick]`: run a benchmark and
 * print its figures (bench/ holds the benchmarks).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "cli/cli.h"

static const struct bench *const benches[] = { &bench_bam, &bench_crypt, &bench_dma,
						&bench_explore, &bench_playback, &bench_qce };
#define BENCH_KNOWN "known: bam, crypt, dma, explore, playback, qce"	/* the names above */

enum { BENCH_HELP = 'h', BENCH_JSON = 'j', BENCH_QUICK = 'q' };

static const struct option bench_longopts[] = {
	{ "json", no_argument, NULL, BENCH_JSON },
	{ "quick", no_argument, NULL, BENCH_QUICK },
	{ "help", no_argument, NULL, BENCH_HELP },
	{ NULL, 0, NULL, 0 },
};

static const char bench_help[] =
	"usage: secsoc bench NAME [--json] [--quick]\n"
	"\n"
	"Measure how fast a model runs on this host, side by side with a reference\n"
	"doing the same work in the same run, and print the ratio and its target.\n"
	"\n"
	"  --json     one JSON object instead of text\n"
	"  --quick    a short run that only checks the benchmark works\n"
	"\n"
	"benchmarks:\n"
	"  bam        BAM model: command descriptors/s, 32 KiB data descriptors vs memcpy\n"
	"  crypt      AES-256-XTS through the QCE driver: modelled MB/s per lock policy,\n"
	"             host vs raw OpenSSL\n"
	"  dma        BAM driver + model via the loopback: 4 KiB..1 MiB transfers vs memcpy\n"
	"  explore    explorer unique states/s on nwd lock-race vs SPIN on model/bam_lock.pml\n"
	"  qce        QCE model: AES-256-XTS, AES-128-CBC, SHA-256 vs raw OpenSSL\n";

struct bench_cli {
	bool json;
	struct bench_options opt;
};

static int bench_option(void *ctx, int opt, const char *arg, struct secsoc_error *err)
{
	struct bench_cli *c = ctx;

	if (opt == BENCH_JSON)
		c->json = true;
	else
		c->opt.quick = true;
	return 0;
}

static const struct bench *bench_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(benches); i++)
		if (!strcmp(benches[i]->name, name))
			return benches[i];
	return NULL;
}

int cmd_bench(int argc, char **argv)
{
	struct bench_cli c = { 0 };
	struct secsoc_error err = { 0 };
	const struct bench *b = NULL;
	struct report r;
	int ret;

	if (argc >= 2 && argv[1][0] != '-') {
		b = bench_find(argv[1]);
		if (!b)
			return cli_usage_error("bench", "unknown benchmark '%s' (" BENCH_KNOWN ")",
					       argv[1]);
		argc--;
		argv++;
	}
	ret = cli_parse_options("bench", argc, argv, "", bench_longopts, BENCH_HELP, bench_help,
				bench_option, &c);
	if (ret >= 0)
		return ret;
	if (!b)
		return cli_usage_error("bench", "missing the benchmark name (" BENCH_KNOWN ")");
	report_begin(&r, stdout, c.json);
	report_str(&r, "benchmark", b->name);
	report_str(&r, "figures", "host: this machine running the model; modelled: the "
		   "modelled hardware");
	ret = b->run(&c.opt, &r, &err);
	report_end(&r);
	if (ret == -EBADMSG) {
		cli_fail(&err);
		return EXIT_VERIFY_FAILED;
	}
	return ret ? cli_fail(&err) : 0;
}
