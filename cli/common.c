/*
 * common.c - option parsing and error reporting shared by the subcommands.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_fail(const struct secsoc_error *err)
{
	fprintf(stderr, "secsoc: error: %s\n", err->msg[0] ? err->msg : "unknown failure");
	return err->kind == SECSOC_ERR_NONE ? EXIT_INTERNAL : secsoc_error_exit_code(err);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "secsoc %s: error: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'secsoc %s --help'.\n", cmd);
	return EXIT_BAD_INPUT;
}

int cli_parse_options(const char *cmd, int argc, char **argv, const char *shortopts,
		      const struct option *longopts, int help_opt, const char *help,
		      cli_option_fn one, void *ctx)
{
	struct secsoc_error err = { 0 };
	char optstring[64];
	int opt;

	/* A leading ':' makes getopt tell a missing value (':') from an unknown option. */
	if ((size_t)snprintf(optstring, sizeof(optstring), ":%s", shortopts) >= sizeof(optstring))
		return cli_usage_error(cmd, "internal: too many short options");
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (opt == help_opt) {
			fputs(help, stdout);
			return 0;
		}
		if (opt == ':')
			return cli_usage_error(cmd, "unknown or incomplete option '%s' (option '%s' "
					       "needs a value)", argv[optind - 1], argv[optind - 1]);
		if (opt == '?')
			return cli_usage_error(cmd, "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		if (one(ctx, opt, optarg, &err))
			return cli_fail(&err);
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* Decimal, or hexadecimal after an explicit 0x (never octal). */
int cli_parse_u64(const char *opt, const char *text, u64 max, u64 *val, struct secsoc_error *err)
{
	bool hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	const char *digits = hex ? text + 2 : text;
	unsigned long long v;
	char *end;

	if (!isxdigit((unsigned char)digits[0]) || (!hex && !isdigit((unsigned char)digits[0])))
		return input_error(err, "%s: '%s' is not a number (expected 0..%llu, decimal or "
				   "0x hex)", opt, text, (unsigned long long)max);
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (*end)
		return input_error(err, "%s: '%s' is not a number (expected 0..%llu, decimal or "
				   "0x hex)", opt, text, (unsigned long long)max);
	if (errno == ERANGE || v > max)
		return input_error(err, "%s: %s is out of range (expected 0..%llu)", opt, text,
				   (unsigned long long)max);
	*val = v;
	return 0;
}

