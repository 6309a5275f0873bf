/*
 * error.h - error reports that name the thing at fault.
 *
 * Every function that can reject user input (a file, a device-tree node or
 * property, a command-line argument) fills a struct secsoc_error with one
 * human-readable sentence and returns a negative errno. The CLI prints the
 * sentence and maps the kind to the documented exit code.
 */
#ifndef SECSOC_ERROR_H
#define SECSOC_ERROR_H

#include <secsoc/types.h>

enum secsoc_error_kind {
	SECSOC_ERR_NONE = 0,
	SECSOC_ERR_INPUT,	/* bad usage or bad input: exit code 2 */
	SECSOC_ERR_INTERNAL,	/* a bug or a host failure: exit code 3 */
};

#define SECSOC_ERROR_MSG_MAX 512

struct secsoc_error {
	enum secsoc_error_kind kind;
	char msg[SECSOC_ERROR_MSG_MAX];
};

/**
 * secsoc_error_set - record an error, keeping the first one
 * @err: where to record (may be NULL, then the error is dropped)
 * @kind: input error (exit 2) or internal error (exit 3)
 * @fmt: printf format naming the file, node, property or argument at fault
 *
 * Return: -EINVAL for input errors, -EIO for internal errors, so callers can
 * write "return secsoc_error_set(err, ...);".
 */
int secsoc_error_set(struct secsoc_error *err, enum secsoc_error_kind kind,
		     const char *fmt, ...) SECSOC_PRINTF(3, 4);

#define input_error(err, ...) secsoc_error_set(err, SECSOC_ERR_INPUT, __VA_ARGS__)
#define internal_error(err, ...) secsoc_error_set(err, SECSOC_ERR_INTERNAL, __VA_ARGS__)

/**
 * secsoc_error_prefix - put "@prefix: " before the recorded message, unless
 * it already starts with @prefix (e.g. the board file's name)
 */
void secsoc_error_prefix(struct secsoc_error *err, const char *prefix);

/**
 * secsoc_error_exit_code - the CLI exit code for an error (0, 2 or 3)
 */
int secsoc_error_exit_code(const struct secsoc_error *err);

#endif /* SECSOC_ERROR_H */
