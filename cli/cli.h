/*
 * cli.h - the secsoc command: subcommands and their shared option parsing.
 *
 * Exit codes (DESIGN.md): 0 success and every invariant held; 1 an
 * invariant or verification failed; 2 bad usage or bad input; 3 internal
 * error. Every error message names the argument, file, node or property.
 */
#ifndef SECSOC_CLI_H
#define SECSOC_CLI_H

#include <getopt.h>

#include <secsoc/error.h>
#include <secsoc/types.h>

#define EXIT_VERIFY_FAILED 1
#define EXIT_BAD_INPUT 2
#define EXIT_INTERNAL 3

int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_crypt(int argc, char **argv);
int cmd_dgst(int argc, char **argv);

/* Stores one parsed option; returns 0, or a negative errno with @err set. */
typedef int (*cli_option_fn)(void *ctx, int opt, const char *arg, struct secsoc_error *err);

/**
 * cli_parse_options - the getopt_long loop every subcommand shares
 * @cmd: the subcommand, for messages
 * @shortopts: getopt's short options ("c:k:e"; "" for none), each with the
 *	same value as its long form in @longopts
 * @help_opt: the value @longopts gives --help; @help is printed for it
 * @one: called for every other option with @ctx
 *
 * Return: -1 to go on, or the exit code to stop with (0 after --help, 2
 * for an unknown option, a missing value or a stray argument, the
 * error's code otherwise).
 */
int cli_parse_options(const char *cmd, int argc, char **argv, const char *shortopts,
		      const struct option *longopts, int help_opt, const char *help,
		      cli_option_fn one, void *ctx);

/** cli_fail - print "secsoc: error: <msg>" and return the exit code for @err */
int cli_fail(const struct secsoc_error *err);
/** cli_usage_error - report a usage problem of @cmd and return 2 */
int cli_usage_error(const char *cmd, const char *fmt, ...) SECSOC_PRINTF(2, 3);
/** cli_parse_u64 - a decimal or 0x-hex number for option @opt */
int cli_parse_u64(const char *opt, const char *text, u64 max, u64 *val, struct secsoc_error *err);

#endif /* SECSOC_CLI_H */
