/*
 * run_fixture.h - one scenario run through run_scenario(), as `secsoc run`
 * runs it, with its report captured for the test to read.
 */
#ifndef SECSOC_TEST_RUN_FIXTURE_H
#define SECSOC_TEST_RUN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/scenario.h"

#include "helpers.h"

struct run {
	struct run_result res;
	int exit_code;
	char *report;		/* the text report; free() it */
	size_t len;
};

/* Run @opt (its report_out is set here); the run itself must happen (ret 0). */
static inline void run_with(struct run *r, struct run_options *opt)
{
	FILE *out = open_memstream(&r->report, &r->len);
	struct secsoc_error err = { 0 };
	int ret;

	assert_non_null(out);
	opt->report_out = out;
	ret = run_scenario(opt, &r->res, &err);
	fclose(out);
	if (ret)
		fprintf(stderr, "%s: %s\n", opt->scenario ? opt->scenario : "run", err.msg);
	assert_int_equal(ret, 0);
	r->exit_code = run_exit_code(&r->res);
}

static inline void assert_report_has(const struct run *r, const char *text)
{
	if (!strstr(r->report, text))
		fprintf(stderr, "report lacks \"%s\":\n%s\n", text, r->report);
	assert_non_null(strstr(r->report, text));
}

#endif /* SECSOC_TEST_RUN_FIXTURE_H */
