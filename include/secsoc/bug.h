/*
 * bug.h - WARN() and WARN_ON(): misuse of a kernel API that Linux reports
 * with a warning and survives (a put of NULL, detaching from the wrong
 * buffer, releasing a buffer that is still attached).
 *
 * A warning is not an always() violation: Linux carries on, and so does
 * the model, so a test or an attack path can show what happens next. Each
 * warning is counted and written to the kernel log (the simulation's log
 * when there is one); tests and checkers read the count and the last
 * message.
 */
#ifndef SECSOC_BUG_H
#define SECSOC_BUG_H

#include <stdbool.h>

#include <secsoc/types.h>

#define WARN_MSG_MAX 256

/**
 * __warn - record one warning (use WARN/WARN_ON)
 * @file: source file
 * @line: source line
 * @fmt: printf format (WARN_ON: the condition is the message)
 */
void __warn(const char *file, int line, const char *fmt, ...) SECSOC_PRINTF(3, 4);

/* Both evaluate to the condition, as in Linux: if (WARN_ON(!buf)) return -EINVAL; */
#define WARN(cond, ...)								\
	({									\
		bool __c = !!(cond);						\
		if (__c)							\
			__warn(__FILE__, __LINE__, __VA_ARGS__);		\
		__c;								\
	})

#define WARN_ON(cond)								\
	({									\
		bool __c = !!(cond);						\
		if (__c)							\
			__warn(__FILE__, __LINE__, "WARN_ON(%s)", #cond);	\
		__c;								\
	})

/** warn_count - warnings since the last warn_reset() */
u64 warn_count(void);
/** warn_last - the last warning's message ("file:line: message"), "" if none */
const char *warn_last(void);
/** warn_reset - forget the count and the last message (tests, kernel boot) */
void warn_reset(void);

#endif /* SECSOC_BUG_H */
