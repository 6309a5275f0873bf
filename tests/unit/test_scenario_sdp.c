/*
 * test_scenario_sdp.c - the sdp scenario (scenarios/sdp.c) through
 * run_scenario(), as `secsoc run --scenario sdp` runs it: it passes for
 * several seeds under the timed and the random strategy, its report names
 * each out-of-bounds case with the code and origin it got and the TA's
 * invocations per command, a run stopped half-way fails and releases what
 * it can, and a deliberately broken TA transform is caught by the check of
 * the dumped bytes.
 */
#include "run_fixture.h"

static void run(struct run *r, const char *strategy, u64 seed, u64 duration_ns)
{
	struct run_options opt = {
		.scenario = "sdp", .seed = seed, .strategy = sim_strategy_find(strategy),
		.lock_policy = "nwd", .duration_ns = duration_ns,
		.jitter_pct = SIM_DEFAULT_JITTER_PCT,
	};

	assert_non_null(opt.strategy);
	run_with(r, &opt);
}

static void test_passes_for_several_seeds(void **state)
{
	static const char *const strategies[] = { "timed", "random" };

	(void)state;
	for (unsigned int s = 0; s < ARRAY_SIZE(strategies); s++) {
		for (u64 seed = 0; seed < 4; seed++) {
			struct run r;

			run(&r, strategies[s], seed, 0);
			if (r.exit_code)
				fprintf(stderr, "%s seed %llu:\n%s\n", strategies[s],
					(unsigned long long)seed, r.report);
			assert_int_equal(r.exit_code, 0);
			assert_report_has(&r, "loops_verified: 10");
			assert_report_has(&r, "bytes_verified: 167450");
			free(r.report);
		}
	}
}

/* Each case with its offset and length against the 20 KiB the TEE reports. */
static void test_report_names_each_out_of_bounds_case(void **state)
{
	static const char *const refused[] = {
		"case=\"1 byte past the end\" offset=0x4fff len=0x2",
		"case=\"4 KiB past the end\" offset=0x4fff len=0x1388",
		"case=\"offset at the size\" offset=0x5000 len=0x1",
		"case=\"offset at the size, 4 KiB\" offset=0x5000 len=0x1000",
		"case=\"offset + length wraps\" offset=0x2 len=0xffffffffffffffff",
	};
	struct run r;

	(void)state;
	run(&r, "timed", 7, 0);
	assert_int_equal(r.exit_code, 0);
	assert_report_has(&r, "buffer_size: 20480");
	for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++) {
		char want[256];

		snprintf(want, sizeof(want), "%s expected=\"TEE_ERROR_BAD_PARAMETERS|GENERIC, not "
			 "from trusted_app\" ret=TEE_ERROR_BAD_PARAMETERS ret_code=0xffff0006 "
			 "origin=api sent_to_tee=no ta_invocations=0 as_expected=yes", refused[i]);
		assert_report_has(&r, want);
	}
	assert_report_has(&r, "case=\"last byte\" offset=0x4fff len=0x1 expected=\"TEE_SUCCESS "
			  "from trusted_app\" ret=TEE_SUCCESS ret_code=0x0 origin=trusted_app "
			  "sent_to_tee=yes ta_invocations=1 as_expected=yes");
	free(r.report);
}

/* 10 loops of three commands, plus the last-byte INJECT: nothing else reached the TA. */
static void test_report_counts_ta_invocations_per_command(void **state)
{
	struct run r;

	(void)state;
	run(&r, "timed", 8, 0);
	assert_int_equal(r.exit_code, 0);
	assert_report_has(&r, "  ta:\n    inject: 11\n    transform: 10\n    dump: 10\n"
			  "    unknown: 0\n    succeeded: 31\n    refused: 0\n");
	assert_report_has(&r, "process_exited: yes");
	assert_report_has(&r, "    tee_sessions: 0\n    dma_bufs: 0\n    dma_buf_attachments: 0\n"
			  "    files: 0\n    processes: 0\n    protected_buffers: 0\n"
			  "    tee_shms: 0\n    protmem_windows: 0\n    protmem_bytes: 0\n");
	assert_report_has(&r, "case=\"NonSecure client invokes a SDP TA\" result=pass");
	assert_report_has(&r, "case=\"SDP TA invokes a SDP TA\" result=\"not modelled\"");
	free(r.report);
}

/* The report's list of loops (offsets and bytes), as a string to free. */
static char *loops_of(const struct run *r)
{
	const char *from = strstr(r->report, "  loops:\n");
	const char *to = from ? strstr(from, "  out_of_bounds:") : NULL;

	assert_non_null(to);
	return strndup(from, (size_t)(to - from));
}

/* The data, hence the offsets, follow the seed, whatever the strategy. */
static void test_offsets_follow_the_seed(void **state)
{
	struct run a, b, c;
	char *la, *lb, *lc;

	(void)state;
	run(&a, "timed", 3, 0);
	run(&b, "random", 3, 0);
	run(&c, "timed", 4, 0);
	la = loops_of(&a);
	lb = loops_of(&b);
	lc = loops_of(&c);
	assert_string_equal(la, lb);
	assert_string_not_equal(la, lc);
	free(la);
	free(lb);
	free(lc);
	free(a.report);
	free(b.report);
	free(c.report);
}

/* Stopped after 20 us of modelled time: the flow is caught unfinished. */
static void test_interrupted_run_fails(void **state)
{
	struct run r;

	(void)state;
	run(&r, "timed", 1, 20000);
	assert_int_equal(r.exit_code, 1);
	assert_int_equal(r.res.stop, SIM_STOP_DURATION);
	assert_report_has(&r, "sdp: the flow stopped at stage");
	assert_report_has(&r, "verdict: FAIL");
	free(r.report);
}

/*
 * A broken TRANSFORM: while the TA transforms, every byte it loads from the
 * buffer has its top bit flipped first (a bus observer, through the RAM
 * backdoor, before the load completes), so it stores the wrong bytes.
 */
static void break_transform(void *opaque, const struct bus_access *a)
{
	struct machine *m = opaque;
	const struct tee_call *call = m->tee.sdp.call;
	u8 *p;

	if (!call || call->msg.func != TEE_SDP_CMD_TRANSFORM || a->write ||
	    a->master != &m->soc->secure_cpu.master || a->target != BUS_TARGET_RAM)
		return;
	p = bus_ram_backdoor(m->soc->bus, a->addr, a->len);
	for (u32 i = 0; p && i < a->len; i++)
		p[i] ^= 0x80;
}

static void test_broken_transform_is_caught(void **state)
{
	const struct scenario *scn = scenario_find("sdp", NULL);
	struct sim_config cfg = { .seed = 2, .scenario = "sdp", .lock_policy = "nwd" };
	struct secsoc_error err = { 0 };
	struct machine m;
	void *st;

	(void)state;
	assert_non_null(scn);
	st = calloc(1, scn->state_size);
	assert_non_null(st);
	assert_int_equal(machine_open(&m, NULL, NULL, &cfg, scn->needs, &err), 0);
	assert_int_equal(scn->setup(&m, st, &err), 0);
	assert_int_equal(bus_add_observer(m.soc->bus, break_transform, &m), 0);
	assert_int_equal(sim_run(m.sim), SIM_STOP_VIOLATION);
	assert_true(sim_violation_count(m.sim) >= 1);
	assert_non_null(strstr(sim_violation(m.sim, 0)->msg, "sdp: loop 0 (offset"));
	assert_non_null(strstr(sim_violation(m.sim, 0)->msg, "16745 of 16745 dumped bytes are "
			       "not (u8)(~b + 1)"));
	bus_remove_observer(m.soc->bus, break_transform, &m);
	scn->teardown(&m, st);
	machine_close(&m);
	free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passes_for_several_seeds),
		cmocka_unit_test(test_report_names_each_out_of_bounds_case),
		cmocka_unit_test(test_report_counts_ta_invocations_per_command),
		cmocka_unit_test(test_offsets_follow_the_seed),
		cmocka_unit_test(test_interrupted_run_fails),
		cmocka_unit_test(test_broken_transform_is_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
