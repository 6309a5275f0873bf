/*
 * main.c - `secsoc`: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "run", cmd_run, "run a scenario on a board and print the run report" },
	{ "replay", cmd_replay, "replay a saved schedule exactly" },
	{ "explore", cmd_explore, "search a scenario's schedules for an invariant violation" },
	{ "info", cmd_info, "list the board's devices, models and bound drivers" },
	{ "scenarios", cmd_scenarios, "list the scenarios with one line each" },
	{ "crypt", cmd_crypt, "encrypt or decrypt a file with the modelled crypto engine" },
	{ "dgst", cmd_dgst, "hash a file (sha1, sha256, hmac) with the modelled crypto engine" },
	{ "bench", cmd_bench, "measure a model's host speed against a reference (bam, qce)" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: secsoc <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n`secsoc <command> --help` shows a command's options; docs/cli.md has "
		"them all.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("secsoc %s\n", SECSOC_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "secsoc: error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_BAD_INPUT;
}
