/*
 * error.c - the first-error-wins error record used for every user-facing
 * failure (see include/secsoc/error.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/error.h>

int secsoc_error_set(struct secsoc_error *err, enum secsoc_error_kind kind,
		     const char *fmt, ...)
{
	int ret = kind == SECSOC_ERR_INPUT ? -EINVAL : -EIO;
	va_list ap;

	if (!err || err->kind != SECSOC_ERR_NONE)
		return ret;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}

void secsoc_error_prefix(struct secsoc_error *err, const char *prefix)
{
	char msg[2 * SECSOC_ERROR_MSG_MAX + 3];

	if (!err || err->kind == SECSOC_ERR_NONE || !strncmp(err->msg, prefix, strlen(prefix)))
		return;
	snprintf(msg, sizeof(msg), "%.*s: %s", SECSOC_ERROR_MSG_MAX, prefix, err->msg);
	memcpy(err->msg, msg, sizeof(err->msg) - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
}

int secsoc_error_exit_code(const struct secsoc_error *err)
{
	switch (err->kind) {
	case SECSOC_ERR_NONE:
		return 0;
	case SECSOC_ERR_INPUT:
		return 2;
	default:
		return 3;
	}
}
