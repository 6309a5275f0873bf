/*
 * test_trace.c - the trace writers (sim/trace.c, sim/vcd.c): byte-exact
 * Chrome JSON for a fixed trace, validity of a trace with every event kind
 * (checked by Python's JSON parser when python3 exists), exact timestamps,
 * error reporting, and the VCD header, value changes and their limits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#include <secsoc/trace.h>

/* A memory stream and the text written to it. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static void capture_expect(struct capture *c, const char *expect)
{
	assert_int_equal(fclose(c->f), 0);
	assert_string_equal(c->buf, expect);
	free(c->buf);
}

/* ---- Chrome JSON ---- */

static void test_trace_golden_bytes(void **state)
{
	const struct trace_arg args[] = {
		TARG_STR("alg", "cbc(aes)"), TARG_U64("len", 4096),
		TARG_HEX("addr", 0x8000f000), TARG_END,
	};
	struct secsoc_error err = { 0 };
	struct capture c;
	struct trace *t = trace_open_stream(capture_open(&c));

	trace_track(t, 1, "cpu0");
	trace_slice(t, 1, "drv", "submit \"aes\"", 1500, 250, args);
	trace_flow_begin(t, 1, "desc", 7, 1600);
	trace_instant(t, 1, "irq", "irq", 2000, NULL);
	trace_counter(t, "fifo", 2001, -3);
	trace_flow_end(t, 2, "desc", 7, 3000);
	assert_int_equal(trace_events(t), 8);
	assert_int_equal(trace_close(t, &err), 0);
	capture_expect(&c,
		"{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
		"{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\","
		"\"args\":{\"name\":\"secsoc\"}},\n"
		"{\"ph\":\"M\",\"pid\":1,\"tid\":1,\"name\":\"thread_name\","
		"\"args\":{\"name\":\"cpu0\"}},\n"
		"{\"ph\":\"M\",\"pid\":1,\"tid\":1,\"name\":\"thread_sort_index\","
		"\"args\":{\"sort_index\":1}},\n"
		"{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"name\":\"submit \\\"aes\\\"\",\"cat\":\"drv\","
		"\"ts\":1.500,\"dur\":0.250,"
		"\"args\":{\"alg\":\"cbc(aes)\",\"len\":4096,\"addr\":\"0x8000f000\"}},\n"
		"{\"ph\":\"s\",\"pid\":1,\"tid\":1,\"name\":\"desc\",\"cat\":\"flow\","
		"\"ts\":1.600,\"id\":7},\n"
		"{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"name\":\"irq\",\"cat\":\"irq\","
		"\"ts\":2.000,\"s\":\"t\"},\n"
		"{\"ph\":\"C\",\"pid\":1,\"tid\":0,\"name\":\"fifo\",\"cat\":\"counter\","
		"\"ts\":2.001,\"args\":{\"value\":-3}},\n"
		"{\"ph\":\"f\",\"pid\":1,\"tid\":2,\"name\":\"desc\",\"cat\":\"flow\","
		"\"ts\":3.000,\"id\":7,\"bp\":\"e\"}\n"
		"]}\n");
}

static void test_trace_timestamps_exact(void **state)
{
	struct capture c;
	struct trace *t = trace_open_stream(capture_open(&c));

	trace_slice(t, 3, "c", "a", 0, 1, NULL);
	trace_slice(t, 3, "c", "b", 1234567, UINT64_MAX, NULL);
	assert_int_equal(trace_close(t, NULL), 0);
	assert_int_equal(fclose(c.f), 0);
	assert_non_null(strstr(c.buf, "\"name\":\"a\",\"cat\":\"c\",\"ts\":0.000,\"dur\":0.001}"));
	assert_non_null(strstr(c.buf, "\"ts\":1234.567,\"dur\":18446744073709551.615}"));
	free(c.buf);
}

/* Every kind of event, including the escapes a name may need. */
static u64 write_every_kind(struct trace *t)
{
	const struct trace_arg args[] = {
		TARG_STR("note", "tab\there \"q\" \\ \x01"), TARG_U64("n", UINT64_MAX),
		TARG_HEX("h", 0), TARG_END,
	};

	trace_track(t, 1, "driver");
	trace_track(t, 2, "bam pipe 4");
	trace_slice(t, 1, "drv", "submit", 1000, 500, args);
	trace_flow_begin(t, 1, "desc", 1, 1100);
	trace_slice(t, 2, "bam", "execute", 2000, 300, NULL);
	trace_flow_step(t, 2, "desc", 1, 2100);
	trace_flow_end(t, 2, "desc", 1, 2200);
	trace_instant(t, 2, "irq", "eot", 2300, args);
	trace_counter(t, "fifo_depth", 2300, 2);
	trace_counter(t, "lock_owner", 2400, -1);
	return trace_events(t);
}

static const char trace_check_py[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"ev = d['traceEvents']\n"
	"assert d['displayTimeUnit'] == 'ns'\n"
	"assert isinstance(ev, list) and len(ev) == int(sys.argv[2]), len(ev)\n"
	"assert ev[0]['ph'] == 'M' and ev[0]['args']['name'] == 'secsoc'\n"
	"assert set(e['ph'] for e in ev) == set('MXiCstf')\n"
	"flows = {}\n"
	"for e in ev:\n"
	"    assert all(k in e for k in ('ph', 'pid', 'tid', 'name')), e\n"
	"    assert e['pid'] == 1 and type(e['tid']) is int, e\n"
	"    if e['ph'] != 'M':\n"
	"        assert type(e['ts']) in (int, float), e\n"
	"    if e['ph'] == 'X':\n"
	"        assert type(e['dur']) in (int, float), e\n"
	"    if e['ph'] == 'C':\n"
	"        assert type(e['args']['value']) is int, e\n"
	"    if e['ph'] in 'stf':\n"
	"        flows.setdefault((e['id'], e['cat'], e['name']), []).append(e['ph'])\n"
	"    if e['ph'] == 'f':\n"
	"        assert e['bp'] == 'e', e\n"
	"assert flows and all(p[0] == 's' and p[-1] == 'f' for p in flows.values()), flows\n"
	"assert ev[5]['args']['note'] == 'tab\\there \"q\" \\\\ \\x01', ev[5]\n";

/* Without python3: every line between the brackets is one event object. */
static void check_trace_structure(char *text, u64 events)
{
	const char *head = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
	char *line, *save = NULL;
	u64 n = 0;

	assert_memory_equal(text, head, strlen(head));
	assert_string_equal(text + strlen(text) - 4, "\n]}\n");
	for (line = strtok_r(text + strlen(head), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		if (!strcmp(line, "]}"))
			break;
		assert_true(len > 2 && line[0] == '{');
		assert_true(line[len - 1] == '}' || !strcmp(line + len - 2, "},"));
		assert_non_null(strstr(line, "\"ph\":"));
		assert_non_null(strstr(line, "\"pid\":1,\"tid\":"));
		assert_non_null(strstr(line, "\"name\":"));
		n++;
	}
	assert_int_equal(n, events);
}

static void test_trace_every_kind_is_valid_json(void **state)
{
	struct secsoc_error err = { 0 };
	char path[256], script[256], cmd[1024];
	struct trace *t;
	u64 events;
	char *text;

	snprintf(path, sizeof(path), "%s", test_tmp_path("every-kind.json"));
	snprintf(script, sizeof(script), "%s", test_tmp_path("check-trace.py"));
	t = trace_open(path, &err);
	assert_non_null(t);
	events = write_every_kind(t);
	assert_int_equal(events, 13);
	assert_int_equal(trace_close(t, &err), 0);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);

	if (system("command -v python3 >/dev/null 2>&1") == 0) {
		test_write_file(script, trace_check_py, strlen(trace_check_py));
		snprintf(cmd, sizeof(cmd), "python3 %s %s %llu", script, path,
			 (unsigned long long)events);
		assert_int_equal(system(cmd), 0);
		unlink(script);
	} else {
		printf("note: python3 not found; checked the trace's structure in C only\n");
	}
	text = test_read_file(path, NULL);
	check_trace_structure(text, events);
	free(text);
	unlink(path);
}

static void test_trace_write_failure_is_eio(void **state)
{
	struct secsoc_error err = { 0 };
	struct trace *t = trace_open("/dev/full", &err);
	int i;

	assert_non_null(t);
	for (i = 0; i < 100; i++)
		trace_instant(t, 1, "c", "n", (u64)i, NULL);
	assert_int_equal(trace_close(t, &err), -EIO);
	assert_int_equal(err.kind, SECSOC_ERR_INTERNAL);
	assert_non_null(strstr(err.msg, "'/dev/full'"));
}

static void test_trace_open_bad_path_names_it(void **state)
{
	struct secsoc_error err = { 0 };

	assert_null(trace_open("/nonexistent-dir/t.json", &err));
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/t.json"));
}

static void test_trace_null_is_noop(void **state)
{
	trace_track(NULL, 1, "x");
	trace_slice(NULL, 1, "c", "n", 0, 1, NULL);
	trace_counter(NULL, "n", 0, 1);
	trace_flow_begin(NULL, 1, "n", 1, 0);
	assert_int_equal(trace_events(NULL), 0);
	assert_int_equal(trace_close(NULL, NULL), 0);
}

/* ---- VCD ---- */

#define VCD_HEAD \
	"$date secsoc $end\n" \
	"$version secsoc " SECSOC_VERSION " $end\n" \
	"$timescale 1ns $end\n"

/* bam.irq (1 bit), ce.busy (1 bit), bam.lock_owner (4 bits): ids ! " # */
static struct vcd *vcd_three_vars(FILE *f)
{
	struct vcd *v = vcd_open_stream(f);

	assert_int_equal(vcd_var(v, "bam", "irq", 1), 0);
	assert_int_equal(vcd_var(v, "ce", "busy", 1), 1);
	assert_int_equal(vcd_var(v, "bam", "lock owner", 4), 2);
	return v;
}

#define VCD_THREE_VARS_HEADER \
	VCD_HEAD \
	"$scope module bam $end\n" \
	"$var wire 1 ! irq $end\n" \
	"$var wire 4 # lock_owner $end\n" \
	"$upscope $end\n" \
	"$scope module ce $end\n" \
	"$var wire 1 \" busy $end\n" \
	"$upscope $end\n" \
	"$enddefinitions $end\n" \
	"#0\n" \
	"$dumpvars\n" \
	"0!\n" \
	"0\"\n" \
	"b0 #\n" \
	"$end\n"

static void test_vcd_header_grouped_and_initialised(void **state)
{
	struct capture c;
	struct vcd *v = vcd_three_vars(capture_open(&c));

	assert_int_equal(vcd_close(v, NULL), 0);
	capture_expect(&c, VCD_THREE_VARS_HEADER);
}

static void test_vcd_changes_in_time_order(void **state)
{
	struct capture c;
	struct vcd *v = vcd_three_vars(capture_open(&c));

	vcd_change(v, 0, 0, 1);
	vcd_change(v, 2, 10, 0xa);
	vcd_change(v, 1, 10, 1);
	vcd_change(v, 0, 25, 0);
	vcd_change(v, 2, 1000000, 0x1);
	assert_int_equal(vcd_close(v, NULL), 0);
	capture_expect(&c, VCD_THREE_VARS_HEADER
		       "1!\n"
		       "#10\n"
		       "b1010 #\n"
		       "1\"\n"
		       "#25\n"
		       "0!\n"
		       "#1000000\n"
		       "b1 #\n");
}

static void test_vcd_unchanged_values_suppressed(void **state)
{
	struct capture c;
	struct vcd *v = vcd_three_vars(capture_open(&c));

	vcd_change(v, 0, 5, 0);		/* still 0: no line, no time */
	vcd_change(v, 2, 7, 0x13);	/* truncated to 4 bits: 3 */
	vcd_change(v, 2, 8, 0x3);	/* same value after truncation */
	vcd_change(v, 2, 9, 0x23);
	vcd_change(v, 0, 9, 1);
	assert_int_equal(vcd_close(v, NULL), 0);
	capture_expect(&c, VCD_THREE_VARS_HEADER "#7\nb11 #\n#9\n1!\n");
}

static void test_vcd_var_after_first_change_fails(void **state)
{
	struct capture c;
	struct vcd *v = vcd_three_vars(capture_open(&c));

	vcd_change(v, 1, 3, 1);
	assert_int_equal(vcd_var(v, "bam", "late", 1), -1);
	vcd_change(v, -1, 4, 1);	/* the failed handle is ignored */
	assert_int_equal(vcd_close(v, NULL), 0);
	capture_expect(&c, VCD_THREE_VARS_HEADER "#3\n1\"\n");
}

static void test_vcd_var_limit_and_ids(void **state)
{
	struct capture c;
	struct vcd *v = vcd_open_stream(capture_open(&c));
	int i;

	for (i = 0; i < VCD_VARS_MAX; i++)
		assert_int_equal(vcd_var(v, "s", "w", 64), i);
	assert_int_equal(vcd_var(v, "s", "w", 1), -1);
	vcd_change(v, VCD_VARS_MAX - 1, 1, UINT64_MAX);
	assert_int_equal(vcd_close(v, NULL), 0);
	assert_int_equal(fclose(c.f), 0);
	/* 94 printable codes per digit: var 93 is "~", 94 is "!\"", 255 is "d#". */
	assert_non_null(strstr(c.buf, "$var wire 64 ~ w $end\n$var wire 64 !\" w $end\n"));
	assert_non_null(strstr(c.buf, "#1\nb" "11111111111111111111111111111111"
			       "11111111111111111111111111111111 d#\n"));
	free(c.buf);
}

static void test_vcd_file_and_bad_path(void **state)
{
	struct secsoc_error err = { 0 };
	const char *path = test_tmp_path("signals.vcd");
	struct vcd *v = vcd_open(path, &err);
	char *text;

	assert_non_null(v);
	assert_int_equal(vcd_var(v, "gic", "spi 3", 1), 0);
	vcd_change(v, 0, 2, 1);
	assert_int_equal(vcd_close(v, &err), 0);
	text = test_read_file(path, NULL);
	assert_non_null(strstr(text, "$var wire 1 ! spi_3 $end\n"));
	assert_non_null(strstr(text, "$end\n#2\n1!\n"));
	free(text);
	unlink(path);

	assert_null(vcd_open("/nonexistent-dir/s.vcd", &err));
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/s.vcd"));
}

static void vcd_time_backwards(FILE *null)
{
	struct vcd *v = vcd_open_stream(null);

	vcd_var(v, "s", "a", 1);
	vcd_change(v, 0, 10, 0);	/* unchanged, but time still counts */
	vcd_change(v, 0, 9, 1);
}

static void test_vcd_time_backwards_aborts(void **state)
{
	assert_int_equal(test_child_signal(vcd_time_backwards), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_golden_bytes),
		cmocka_unit_test(test_trace_timestamps_exact),
		cmocka_unit_test(test_trace_every_kind_is_valid_json),
		cmocka_unit_test(test_trace_write_failure_is_eio),
		cmocka_unit_test(test_trace_open_bad_path_names_it),
		cmocka_unit_test(test_trace_null_is_noop),
		cmocka_unit_test(test_vcd_header_grouped_and_initialised),
		cmocka_unit_test(test_vcd_changes_in_time_order),
		cmocka_unit_test(test_vcd_unchanged_values_suppressed),
		cmocka_unit_test(test_vcd_var_after_first_change_fails),
		cmocka_unit_test(test_vcd_var_limit_and_ids),
		cmocka_unit_test(test_vcd_file_and_bad_path),
		cmocka_unit_test(test_vcd_time_backwards_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
