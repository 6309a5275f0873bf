/*
 * test_json.c - the streaming JSON writer (sim/json.c): commas and nesting,
 * escaping of every character class, numbers, pretty and compact layout,
 * and the abort on misuse.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#include <secsoc/json.h>

/* Output captured in memory: open, write through @w, then finish. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static void capture_open(struct capture *c, bool pretty)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	json_init(&c->w, c->f, pretty);
}

/* Close the stream, compare with @expect and free. */
static void capture_expect(struct capture *c, const char *expect)
{
	assert_int_equal(fclose(c->f), 0);
	assert_string_equal(c->buf, expect);
	free(c->buf);
}

static void escaped_expect(const char *in, const char *expect)
{
	struct capture c;

	capture_open(&c, false);
	json_write_escaped(c.f, in);
	capture_expect(&c, expect);
}

/* A small document with every container position, written twice. */
static void write_sample(struct json_writer *w)
{
	json_object_begin(w, NULL);
	json_string(w, "name", "bam");
	json_array_begin(w, "pipes");
	json_u64(w, NULL, 1);
	json_object_begin(w, NULL);
	json_bool(w, "locked", true);
	json_null(w, "owner");
	json_object_end(w);
	json_array_end(w);
	json_object_begin(w, "empty");
	json_object_end(w);
	json_array_begin(w, "none");
	json_array_end(w);
	json_object_end(w);
}

static void test_compact_commas_and_nesting(void **state)
{
	struct capture c;

	capture_open(&c, false);
	write_sample(&c.w);
	assert_int_equal(c.w.depth, 0);
	capture_expect(&c, "{\"name\":\"bam\",\"pipes\":[1,{\"locked\":true,\"owner\":null}],"
		       "\"empty\":{},\"none\":[]}");
}

static void test_pretty_two_space_indent(void **state)
{
	struct capture c;

	capture_open(&c, true);
	write_sample(&c.w);
	capture_expect(&c, "{\n"
		       "  \"name\": \"bam\",\n"
		       "  \"pipes\": [\n"
		       "    1,\n"
		       "    {\n"
		       "      \"locked\": true,\n"
		       "      \"owner\": null\n"
		       "    }\n"
		       "  ],\n"
		       "  \"empty\": {},\n"
		       "  \"none\": []\n"
		       "}");
}

static void test_top_level_scalar(void **state)
{
	struct capture c;

	capture_open(&c, true);
	json_u64(&c.w, NULL, 7);
	capture_expect(&c, "7");
}

static void test_escape_quote_and_backslash(void **state)
{
	escaped_expect("a\"b\\c/", "\"a\\\"b\\\\c/\"");
}

static void test_escape_named_controls(void **state)
{
	escaped_expect("1\n2\r3\t4", "\"1\\n2\\r3\\t4\"");
}

static void test_escape_other_controls_as_u00xx(void **state)
{
	escaped_expect("\x01\x08\x0c\x1b\x1f", "\"\\u0001\\u0008\\u000c\\u001b\\u001f\"");
}

static void test_utf8_and_del_pass_through(void **state)
{
	escaped_expect("caf\xc3\xa9 \xe2\x86\x92 \x7f", "\"caf\xc3\xa9 \xe2\x86\x92 \x7f\"");
}

/* Every well-formed width, including the extremes of each range. */
static void test_utf8_boundaries_pass_through(void **state)
{
	escaped_expect("\xc2\x80\xdf\xbf", "\"\xc2\x80\xdf\xbf\"");		/* U+0080, U+07FF */
	escaped_expect("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf",	/* U+0800..U+FFFF */
		       "\"\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"");
	escaped_expect("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",	/* U+10000, U+10FFFF */
		       "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
}

/* Each byte that is not part of a well-formed sequence becomes \ufffd. */
static void test_invalid_utf8_replaced(void **state)
{
	escaped_expect("a\x80" "b", "\"a\\ufffdb\"");			/* stray continuation */
	escaped_expect("\xff\xfe", "\"\\ufffd\\ufffd\"");		/* never valid */
	escaped_expect("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong '/' */
	escaped_expect("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");	/* overlong, 3 bytes */
	escaped_expect("\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	escaped_expect("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate U+D800 */
	escaped_expect("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* U+110000 */
	escaped_expect("\xf5\x80", "\"\\ufffd\\ufffd\"");
}

/* A sequence cut short by the end of the string or by an ASCII byte. */
static void test_truncated_utf8_replaced(void **state)
{
	escaped_expect("x\xe2\x86", "\"x\\ufffd\\ufffd\"");
	escaped_expect("\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\"");
	escaped_expect("\xc3\"", "\"\\ufffd\\\"\"");
	escaped_expect("\xe2\x86\xe2\x86\x92", "\"\\ufffd\\ufffd\xe2\x86\x92\"");
}

static void test_null_string_is_null(void **state)
{
	escaped_expect(NULL, "null");
}

static void test_keys_are_escaped(void **state)
{
	struct capture c;

	capture_open(&c, false);
	json_object_begin(&c.w, NULL);
	json_string(&c.w, "k\"\n", "v\t");
	json_object_end(&c.w);
	capture_expect(&c, "{\"k\\\"\\n\":\"v\\t\"}");
}

static void test_integers_full_range(void **state)
{
	struct capture c;

	capture_open(&c, false);
	json_array_begin(&c.w, NULL);
	json_u64(&c.w, NULL, 0);
	json_u64(&c.w, NULL, UINT64_MAX);
	json_s64(&c.w, NULL, INT64_MIN);
	json_s64(&c.w, NULL, -1);
	json_array_end(&c.w);
	capture_expect(&c, "[0,18446744073709551615,-9223372036854775808,-1]");
}

static void test_doubles_round_trip_and_non_finite_null(void **state)
{
	struct capture c;

	capture_open(&c, false);
	json_array_begin(&c.w, NULL);
	json_double(&c.w, NULL, 0.1);
	json_double(&c.w, NULL, 2.0);
	json_double(&c.w, NULL, -0x1p100);
	json_double(&c.w, NULL, NAN);
	json_double(&c.w, NULL, INFINITY);
	json_double(&c.w, NULL, -INFINITY);
	json_array_end(&c.w);
	capture_expect(&c, "[0.10000000000000001,2,-1.2676506002282294e+30,null,null,null]");
}

static void test_depth_limit_reachable(void **state)
{
	struct capture c;
	int i;

	capture_open(&c, false);
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_array_begin(&c.w, NULL);
	assert_int_equal(c.w.depth, JSON_DEPTH_MAX);
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_array_end(&c.w);
	capture_expect(&c, "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]");
}

static void (*json_case)(struct json_writer *w);

static void run_json_case(FILE *out)
{
	struct json_writer w;

	json_init(&w, out, false);
	json_case(&w);
}

/* Run @fn on a writer in a child; return the signal that ended it. */
static int child_signal(void (*fn)(struct json_writer *w))
{
	json_case = fn;
	return test_child_signal(run_json_case);
}

static void nest_too_deep(struct json_writer *w)
{
	int i;

	for (i = 0; i <= JSON_DEPTH_MAX; i++)
		json_object_begin(w, i ? "k" : NULL);
}

static void close_unopened(struct json_writer *w)
{
	json_array_begin(w, NULL);
	json_array_end(w);
	json_array_end(w);
}

static void key_at_top_level(struct json_writer *w)
{
	json_u64(w, "k", 1);
}

static void test_overflow_aborts(void **state)
{
	assert_int_equal(child_signal(nest_too_deep), SIGABRT);
}

static void test_unbalanced_end_aborts(void **state)
{
	assert_int_equal(child_signal(close_unopened), SIGABRT);
}

static void test_top_level_key_aborts(void **state)
{
	assert_int_equal(child_signal(key_at_top_level), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_commas_and_nesting),
		cmocka_unit_test(test_pretty_two_space_indent),
		cmocka_unit_test(test_top_level_scalar),
		cmocka_unit_test(test_escape_quote_and_backslash),
		cmocka_unit_test(test_escape_named_controls),
		cmocka_unit_test(test_escape_other_controls_as_u00xx),
		cmocka_unit_test(test_utf8_and_del_pass_through),
		cmocka_unit_test(test_utf8_boundaries_pass_through),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_truncated_utf8_replaced),
		cmocka_unit_test(test_null_string_is_null),
		cmocka_unit_test(test_keys_are_escaped),
		cmocka_unit_test(test_integers_full_range),
		cmocka_unit_test(test_doubles_round_trip_and_non_finite_null),
		cmocka_unit_test(test_depth_limit_reachable),
		cmocka_unit_test(test_overflow_aborts),
		cmocka_unit_test(test_unbalanced_end_aborts),
		cmocka_unit_test(test_top_level_key_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
