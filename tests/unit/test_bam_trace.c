/*
 * test_bam_trace.c - what the BAM model writes into traces: a track per
 * pipe with its steps, a flow from the P_EVNT_REG write to the fetch, FIFO
 * depth and lock owner counters, an instant for an error, and the VCD
 * signals for the lock owner and busy pipes.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "bam_fixture.h"

#include <secsoc/trace.h>

struct traced {
	char *json, *vcd;
	size_t json_len, vcd_len;
	FILE *json_out, *vcd_out;
	struct trace *trace;
	struct vcd *v;
};

static struct traced tr;

/* The bench fixture, with its simulation writing a trace and a VCD. */
static int traced_setup(void **state)
{
	struct sim_config scfg = { .seed = 1 };
	struct bam_config cfg = bam_fx_config(BAM_V1_7_0);
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	memset(&tr, 0, sizeof(tr));
	tr.json_out = open_memstream(&tr.json, &tr.json_len);
	tr.vcd_out = open_memstream(&tr.vcd, &tr.vcd_len);
	tr.trace = trace_open_stream(tr.json_out);
	tr.v = vcd_open_stream(tr.vcd_out);
	scfg.trace = tr.trace;
	scfg.vcd = tr.v;
	fx.v = BAM_V1_7_0;
	fx.sim = sim_create(&scfg);
	fx.bus = bus_create();
	assert_int_equal(bus_add_ram(fx.bus, "dram", RAM_BASE, RAM_SIZE, &err), 0);
	fx.bam = bam_create(fx.sim, fx.bus, &cfg, &err);
	fx.lb = bam_loopback_create(fx.sim, fx.bus, fx.bam, "loop@1dfa000", LOOP_BASE, &err);
	assert_non_null(fx.lb);
	bam_fx_linux();
	return 0;
}

/* Finish both documents so that the tests can search them. */
static void close_traces(void)
{
	assert_int_equal(trace_close(tr.trace, NULL), 0);
	assert_int_equal(vcd_close(tr.v, NULL), 0);
	fclose(tr.json_out);
	fclose(tr.vcd_out);
	tr.trace = NULL;
	tr.v = NULL;
}

static int traced_teardown(void **state)
{
	if (tr.trace)
		close_traces();
	bam_fx_teardown(state);
	free(tr.json);
	free(tr.vcd);
	return 0;
}

static void assert_contains(const char *doc, const char *what)
{
	if (!strstr(doc, what))
		fail_msg("expected to find '%s' in:\n%.2000s", what, doc);
}

static void loop_one_descriptor(void)
{
	fill(BUF(0), 256, 7);
	post(1, BUF(1), 256, BAM_DESC_INT);
	post(0, BUF(0), 256, BAM_DESC_INT | BAM_DESC_EOT);
	run();
}

static void test_pipe_tracks_show_steps(void **state)
{
	loop_one_descriptor();
	close_traces();
	assert_contains(tr.json, "\"name\":\"bam@1dc4000/pipe0\"");
	assert_contains(tr.json, "\"name\":\"bam@1dc4000/pipe1\"");
	assert_contains(tr.json, "\"name\":\"fetch @0x0\"");
	assert_contains(tr.json, "\"name\":\"push 256\"");
}

static void test_flow_from_evnt_reg_to_fetch(void **state)
{
	loop_one_descriptor();
	close_traces();
	/* Begun on the CPU's track (tid 0 outside steps), ended on pipe 0's. */
	assert_contains(tr.json, "{\"ph\":\"s\",\"pid\":1,\"tid\":0,\"name\":\"desc\"");
	assert_contains(tr.json, "{\"ph\":\"f\",\"pid\":1,\"tid\":0,\"name\":\"desc\"");
}

static void test_fifo_depth_counter(void **state)
{
	loop_one_descriptor();
	close_traces();
	assert_contains(tr.json, "\"name\":\"bam@1dc4000/pipe0 fifo depth\"");
}

static void test_lock_owner_counter_and_signal(void **state)
{
	post_cmd(0, 0, 1, BAM_DESC_LOCK);
	run();
	post_cmd(0, 1, 2, BAM_DESC_UNLOCK);
	run();
	close_traces();
	assert_contains(tr.json, "\"name\":\"bam@1dc4000 lock owner EE\"");
	assert_contains(tr.vcd, "lock_owner_ee_plus1");
	assert_contains(tr.vcd, "pipe0_busy");
	/* Taken by EE 0 (value 1) and released (value 0) on the 4-bit signal. */
	assert_contains(tr.vcd, "b1 ");
	assert_contains(tr.vcd, "b0 ");
}

static void test_error_is_an_instant(void **state)
{
	post(0, BUF(0), 0, BAM_DESC_INT);	/* size 0 */
	run();
	close_traces();
	assert_contains(tr.json, "\"ph\":\"i\"");
	assert_contains(tr.json, "has size 0");
}

#define TRACED(fn) cmocka_unit_test_setup_teardown(fn, traced_setup, traced_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TRACED(test_pipe_tracks_show_steps),
		TRACED(test_flow_from_evnt_reg_to_fetch),
		TRACED(test_fifo_depth_counter),
		TRACED(test_lock_owner_counter_and_signal),
		TRACED(test_error_is_an_instant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
