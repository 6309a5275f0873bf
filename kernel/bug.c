/*
 * bug.c - WARN(): the kernel's record of API misuse it survives.
 *
 * Owns the warning count and the last message. A warning is written to
 * the current simulation's log when it has one ("WARNING: file:line:
 * message", as the kernel log shows a WARN's location) and never stops
 * anything: the caller carries on, as Linux does.
 */
#include <stdarg.h>
#include <stdio.h>

#include <secsoc/bug.h>
#include <secsoc/sim.h>

static u64 warnings;
static char last_warning[WARN_MSG_MAX];

/**
 * __warn - count a warning, keep its message and log it
 * @file: source file of the WARN
 * @line: its line
 * @fmt: printf format of the message
 */
void __warn(const char *file, int line, const char *fmt, ...)
{
	struct sim *s = sim_current();
	size_t at;
	va_list ap;

	/* The location first, so that a long message is what gets cut. */
	at = (size_t)snprintf(last_warning, sizeof(last_warning), "%s:%d: ",
			      sim_short_path(file), line);
	at = MIN(at, sizeof(last_warning) - 1);
	va_start(ap, fmt);
	vsnprintf(last_warning + at, sizeof(last_warning) - at, fmt, ap);
	va_end(ap);
	warnings++;
	if (s && sim_log(s))
		fprintf(sim_log(s), "WARNING: %s\n", last_warning);
}

/** warn_count - see bug.h */
u64 warn_count(void)
{
	return warnings;
}

/** warn_last - see bug.h */
const char *warn_last(void)
{
	return last_warning;
}

/** warn_reset - see bug.h */
void warn_reset(void)
{
	warnings = 0;
	last_warning[0] = '\0';
}
