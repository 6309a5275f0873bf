/*
 * test_fault.c - the --faults spec: good specs parse to the right sites and
 * fixed-point probabilities, the canonical form round-trips, and every kind
 * of bad spec is rejected with a message naming the bad element.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/fault.h>
#include <secsoc/prng.h>

#include "helpers.h"

static void test_empty_enables_nothing(void **state)
{
	struct secsoc_error err = { 0 };
	struct fault_spec spec;
	char buf[64];

	assert_int_equal(fault_spec_parse(NULL, &spec, &err), 0);
	assert_false(spec.enabled[FAULT_IRQ_DELAY]);
	assert_int_equal(fault_spec_parse("", &spec, &err), 0);
	assert_false(spec.enabled[FAULT_IRQ_DELAY]);
	fault_spec_format(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_parse_good(void **state)
{
	struct secsoc_error err = { 0 };
	struct fault_spec spec;

	assert_int_equal(fault_spec_parse("irq-delay:0.25", &spec, &err), 0);
	assert_true(spec.enabled[FAULT_IRQ_DELAY]);
	assert_int_equal(spec.prob_q32[FAULT_IRQ_DELAY], 1U << 30);
	assert_true(spec.prob[FAULT_IRQ_DELAY] == 0.25);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
}

static void test_prob_extremes(void **state)
{
	struct secsoc_error err = { 0 };
	struct fault_spec spec;

	assert_int_equal(fault_spec_parse("irq-delay:0", &spec, &err), 0);
	assert_true(spec.enabled[FAULT_IRQ_DELAY]);
	assert_int_equal(spec.prob_q32[FAULT_IRQ_DELAY], 0);
	assert_int_equal(fault_spec_parse("irq-delay:1", &spec, &err), 0);
	assert_int_equal(spec.prob_q32[FAULT_IRQ_DELAY], PRNG_Q32_ALWAYS);
	assert_int_equal(fault_spec_parse("irq-delay:1e-3", &spec, &err), 0);
	assert_int_equal(spec.prob_q32[FAULT_IRQ_DELAY], 4294967);	/* round(2^32 / 1000) */
}

/* A positive probability too small for a double underflows to 0: accepted as 0. */
static void test_prob_underflow_is_zero(void **state)
{
	struct secsoc_error err = { 0 };
	struct fault_spec spec;
	char buf[64];

	assert_int_equal(fault_spec_parse("irq-delay:1e-400", &spec, &err), 0);
	assert_true(spec.enabled[FAULT_IRQ_DELAY]);
	assert_true(spec.prob[FAULT_IRQ_DELAY] == 0.0);
	assert_int_equal(spec.prob_q32[FAULT_IRQ_DELAY], 0);
	fault_spec_format(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "irq-delay:0");
	assert_int_equal(fault_spec_parse("irq-delay:1e-310", &spec, &err), 0);	/* subnormal */
	assert_true(spec.prob[FAULT_IRQ_DELAY] == 0.0);
}

static void test_format_round_trip(void **state)
{
	struct secsoc_error err = { 0 };
	struct fault_spec spec, again;
	char buf[64];

	assert_int_equal(fault_spec_parse("irq-delay:0.01", &spec, &err), 0);
	fault_spec_format(&spec, buf, sizeof(buf));
	assert_string_equal(buf, "irq-delay:0.01");
	assert_int_equal(fault_spec_parse("irq-delay:0.123456789012345678", &spec, &err), 0);
	fault_spec_format(&spec, buf, sizeof(buf));
	assert_int_equal(fault_spec_parse(buf, &again, &err), 0);
	assert_memory_equal(&spec, &again, sizeof(spec));
}

static void test_site_names(void **state)
{
	assert_string_equal(fault_site_name(FAULT_IRQ_DELAY), "irq-delay");
	assert_true(strlen(fault_site_help(FAULT_IRQ_DELAY)) > 10);
	assert_string_equal(fault_site_name(FAULT_NR_SITES), "?");
}

/* Parse @text, expect -EINVAL and a message containing @want; nothing enabled. */
static void check_bad(const char *text, const char *want)
{
	struct secsoc_error err = { 0 };
	struct fault_spec spec;

	assert_int_equal(fault_spec_parse(text, &spec, &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	if (!strstr(err.msg, want))
		fail_msg("'%s': message '%s' lacks '%s'", text, err.msg, want);
	assert_false(spec.enabled[FAULT_IRQ_DELAY]);
}

static void test_bad_empty_element(void **state)
{
	check_bad("irq-delay:0.1,,", "fault spec element 2 is empty");
	check_bad(",irq-delay:0.1", "fault spec element 1 is empty");
}

static void test_bad_missing_colon(void **state)
{
	check_bad("irq-delay", "'irq-delay' needs a probability, as irq-delay:0.01");
}

static void test_bad_unknown_site(void **state)
{
	check_bad("irq-delya:0.1", "unknown fault site 'irq-delya' (known: irq-delay, "
		  "bam-lock-alloc, bam-desc-error, bam-irq-drop, ta-crash, gpu-protm-ack-drop)");
}

static void test_bad_not_a_number(void **state)
{
	check_bad("irq-delay:abc", "'irq-delay:abc': probability 'abc' is not a number");
	check_bad("irq-delay:", "probability '' is not a number");
	check_bad("irq-delay:0.1x", "probability '0.1x' is not a number");
	check_bad("irq-delay:nan", "probability 'nan' is not a number");
}

static void test_bad_out_of_range(void **state)
{
	check_bad("irq-delay:1.5", "'irq-delay:1.5': probability 1.5 is not between 0 and 1");
	check_bad("irq-delay:-0.1", "probability -0.1 is not between 0 and 1");
	/* Numbers beyond a double's range are out of range, not "not a number". */
	check_bad("irq-delay:1e400", "probability 1e400 is not between 0 and 1");
	check_bad("irq-delay:-1e-400", "probability -1e-400 is not between 0 and 1");
	check_bad("irq-delay:inf", "probability 'inf' is not a number");
}

static void test_bad_duplicate(void **state)
{
	check_bad("irq-delay:0.1,irq-delay:0.2", "site 'irq-delay' is given twice");
}

static void test_bad_too_long(void **state)
{
	char text[300];

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	check_bad(text, "fault spec element 1 is longer than");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_enables_nothing),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_prob_extremes),
		cmocka_unit_test(test_prob_underflow_is_zero),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_site_names),
		cmocka_unit_test(test_bad_empty_element),
		cmocka_unit_test(test_bad_missing_colon),
		cmocka_unit_test(test_bad_unknown_site),
		cmocka_unit_test(test_bad_not_a_number),
		cmocka_unit_test(test_bad_out_of_range),
		cmocka_unit_test(test_bad_duplicate),
		cmocka_unit_test(test_bad_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
