/*
 * test_scenario_heap_security.c - the heap-security scenario (the
 * protected-memory security matrix): it passes for several seeds and
 * under the random strategy, every attack path is observed with the
 * outcome this test expects (stated here, independently of the scenario's
 * own expectations), the GPU and display rows set off the mechanisms
 * they name (stream fault, protected-mode fault and reset, a scan-out CRC),
 * a board whose TZC answers denials with OKAY changes exactly the outcomes
 * it should, and a row that goes differently fails the run. The checker
 * accounting it relies on is tested in test_scenario_checker.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/err.h>
#include <secsoc/panthor.h>
#include <secsoc/secsoc_disp.h>

#include "scenarios/heap_security.h"

#include "run_fixture.h"

/* ---- driving the scenario, with its state kept for inspection ---- */

struct hs_run {
	const struct scenario *scn;
	struct machine m;
	struct hsec *s;
	enum sim_stop_reason stop;
};

static void hs_boot(struct hs_run *r, u64 seed, const struct sim_strategy_ops *strategy,
		    const char *dts)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = seed, .strategy = strategy, .scenario = "heap-security",
				  .jitter_pct = SIM_DEFAULT_JITTER_PCT };

	memset(r, 0, sizeof(*r));
	r->scn = scenario_find("heap-security", &err);
	assert_non_null(r->scn);
	r->s = calloc(1, r->scn->state_size);
	assert_non_null(r->s);
	if (machine_open(&r->m, NULL, dts, &cfg, r->scn->needs, &err) ||
	    r->scn->setup(&r->m, r->s, &err))
		fail_msg("set-up: %s", err.msg);
}

static void hs_go(struct hs_run *r)
{
	r->stop = sim_run(r->m.sim);
	if (r->stop != SIM_STOP_VIOLATION)
		r->scn->check(&r->m, r->s);
}

static void hs_run(struct hs_run *r, u64 seed, const struct sim_strategy_ops *strategy,
		   const char *dts)
{
	hs_boot(r, seed, strategy, dts);
	hs_go(r);
}

static void hs_close(struct hs_run *r)
{
	r->scn->teardown(&r->m, r->s);
	machine_close(&r->m);
	free(r->s);
}

static void assert_clean(const struct hs_run *r)
{
	unsigned int n = sim_violation_count(r->m.sim);

	for (unsigned int i = 0; i < n; i++)
		fprintf(stderr, "violation: %s\n", sim_violation(r->m.sim, i)->msg);
	assert_int_equal(n, 0);
	assert_int_equal(r->stop, SIM_STOP_QUIESCENT);
}

/* Row @path was tried and observed as @observed. */
static void assert_row(const struct hs_run *r, const char *path, const char *observed)
{
	for (unsigned int i = 0; i < HS_NR_ROWS; i++) {
		const struct hs_row *row = &r->s->rows[i];

		if (strcmp(row->info->path, path))
			continue;
		assert_true(row->done);
		assert_string_equal(row->observed, observed);
		assert_true(row->fired);
		return;
	}
	fail_msg("no row %s", path);
}

/* ---- the scenario ---- */

static void test_passes_for_several_seeds(void **state)
{
	(void)state;
	for (u64 seed = 1; seed <= 4; seed++) {
		struct hs_run r;

		hs_run(&r, seed, NULL, NULL);
		assert_clean(&r);
		for (unsigned int i = 0; i < HS_NR_ROWS; i++)
			assert_string_equal(r.s->rows[i].observed, r.s->rows[i].expected);
		hs_close(&r);
	}
}

static void test_passes_under_random_and_pct(void **state)
{
	const struct sim_strategy_ops *strategies[] = { &sim_strategy_random,
							&sim_strategy_pct };

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(strategies); i++) {
		for (u64 seed = 7; seed <= 9; seed++) {
			struct hs_run r;

			hs_run(&r, seed, strategies[i], NULL);
			assert_clean(&r);
			hs_close(&r);
		}
	}
}

/* The default board: the TZC answers a denial with DECERR, CPUs abort, pipes halt. */
static void test_every_path_observed_as_designed(void **state)
{
	struct hs_run r;

	(void)state;
	hs_run(&r, 3, NULL, NULL);
	assert_clean(&r);
	assert_row(&r, "cpu-read", "denied, zeros read, external abort");
	assert_row(&r, "cpu-write", "denied, external abort, secret intact");
	assert_row(&r, "mmap", "-EPERM");
	assert_row(&r, "vmap", "-EPERM");
	assert_row(&r, "begin-cpu-access", "begin -EPERM, end -EPERM");
	assert_row(&r, "sync-ioctl", "SYNC_START -EPERM, SYNC_END -EPERM");
	assert_row(&r, "bam-pipe-write",
		   "denied, pipe error (bus error), pipe reset, secret intact");
	assert_row(&r, "bam-pipe-read", "denied, pipe error (bus error), pipe reset");
	assert_row(&r, "bam-pipe-control", "allowed, the register's value written, pipe reset");
	assert_row(&r, "drm-ta-normal-output", "TEE_ERROR_SECURITY, nothing written");
	assert_row(&r, "shm-normal-buffer", "by fd -EINVAL, by dma-buf -EINVAL");
	assert_row(&r, "attach-unreachable", "-EBUSY");
	assert_row(&r, "attach-granted",
		   "display@ae00000 attached, 1 entry in protected memory (read-only)");
	assert_row(&r, "gpu-normal-read", "denied, CS_BUS_FAULT, job -EIO, destination unchanged");
	assert_row(&r, "gpu-protected-write-normal", "denied, PROTM fault, reset, job -EIO, "
		   "buffer unchanged, next protected job 0");
	assert_row(&r, "gpu-protm-fw-normal", "denied, PROTM fault, reset, job -EIO, buffer "
		   "unchanged, driver's FW base back, next protected job 0");
	assert_row(&r, "display-protected", "scanned out, no fault, CRC matches the buffer");
	assert_row(&r, "reuse-into-system",
		   "scrubbed on release, normal again, reused by system, zeros read");
	assert_row(&r, "double-put", "1 WARN, released once");
	assert_row(&r, "use-after-put", "begin_cpu_access -EINVAL, attach -EINVAL, 2 WARNs");
	assert_row(&r, "closed-fd", "dma_buf_get -EBADF, ioctl -EBADF, shm register -EBADF");
	assert_row(&r, "heap-removal", "find none, open -ENOENT, alloc -EINVAL, live buffer "
		   "mapped, freed at its last reference");
	assert_row(&r, "secure-cpu-access", "allowed, read back what it wrote, no abort");
	hs_close(&r);
}

static void test_forged_smcs_get_their_documented_errors(void **state)
{
	static const char *const rows[][2] = {
		{ "smc-assign-carveout", "TEE_ERROR_ACCESS_DENIED" },
		{ "smc-assign-private", "TEE_ERROR_ACCESS_DENIED" },
		{ "smc-assign-window", "TEE_ERROR_ACCESS_DENIED" },
		{ "smc-assign-unaligned-base", "TEE_ERROR_BAD_PARAMETERS" },
		{ "smc-assign-unaligned-size", "TEE_ERROR_BAD_PARAMETERS" },
		{ "smc-assign-size-0", "TEE_ERROR_BAD_PARAMETERS" },
		{ "smc-assign-wrap", "TEE_ERROR_BAD_PARAMETERS" },
		{ "smc-assign-mmio", "TEE_ERROR_BAD_PARAMETERS" },
		{ "smc-assign-past-ram", "TEE_ERROR_BAD_PARAMETERS" },
		{ "smc-release-unassigned", "TEE_ERROR_ACCESS_DENIED" },
		{ "smc-release-carveout", "TEE_ERROR_ACCESS_DENIED" },
		{ "smc-release-private", "TEE_ERROR_ACCESS_DENIED" },
	};
	struct hs_run r;

	(void)state;
	hs_run(&r, 4, NULL, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++) {
		char want[HS_TEXT_MAX];

		snprintf(want, sizeof(want), "%s, nothing changed", rows[i][1]);
		assert_row(&r, rows[i][0], want);
	}
	hs_close(&r);
}

/* The aborts the attacks cost are exactly the expected ones, and the freed pages came back. */
static void test_only_the_attacks_abort(void **state)
{
	struct hs_run r;

	(void)state;
	hs_run(&r, 5, NULL, NULL);
	assert_clean(&r);
	assert_int_equal(r.s->chk.expected_aborts[0], 1);		/* the read */
	assert_int_equal(r.s->chk.expected_aborts[1], 1);		/* the write */
	assert_int_equal(r.s->chk.expected_aborts[SOC_NS_CPUS_MAX], 0);
	assert_int_equal(r.m.soc->cpus[0].aborts, 1);
	assert_int_equal(r.m.soc->cpus[1].aborts, 1);
	assert_true(r.s->chk.expected_denials >= 4);	/* CPU read, write, two pipe accesses */
	assert_int_equal(r.s->chk.protected_touches, 0);
	assert_true(r.s->reuse.overlap_len > 0);
	assert_true(r.s->reuse.overlap_pa >= r.s->reuse.pa &&
		    r.s->reuse.overlap_pa < r.s->reuse.pa + HS_REUSE_SIZE);
	hs_close(&r);
}

/*
 * The GPU and display rows, by the model's and the drivers' own counters:
 * one stream bus fault (the normal-mode read), two protected-mode faults
 * each followed by one reset (the write to normal memory, the firmware
 * section in normal memory), three jobs failed and the two recovery jobs
 * done; the display showed frames and gave the victim back.
 */
static void test_gpu_and_display_mechanisms(void **state)
{
	struct hs_run r;
	struct gpu_stats g;
	struct panthor_stats d;

	(void)state;
	hs_run(&r, 2, NULL, NULL);
	g = gpu_stats(r.m.soc->gpu);
	d = panthor_stats(panthor_device_get());
	assert_int_equal(g.cs_faults, 1);
	assert_int_equal(g.protm_faults, 2);
	assert_int_equal(g.resets, 2);
	assert_int_equal(d.cs_faults, 1);
	assert_int_equal(d.protm_faults, 2);
	assert_int_equal(d.resets, 2);
	assert_int_equal(d.jobs_failed, 3);
	assert_int_equal(d.jobs_done, 2);
	assert_true(g.protected_instrs >= 2);		/* the recovery jobs ran protected */
	assert_true(r.s->chk.expected_denials >= 7);	/* 4 CPU and BAM, 3 GPU */
	assert_int_equal(r.s->chk.protected_touches, 0);
	assert_int_equal(r.s->chk.plaintext_leaks, 0);
	assert_true(display_stats(r.m.soc->display).frames > 0);
	assert_int_equal(display_stats(r.m.soc->display).faults, 0);
	assert_int_equal(secsoc_disp_stats(secsoc_disp_get()).held, 0);
	assert_null(r.s->gpu.group);
	assert_clean(&r);
	hs_close(&r);
}

/* ACTION OKAY: denied loads read zeros without aborting, a denied BAM store is dropped. */
static void test_okay_action_board(void **state)
{
	struct hs_run r;

	(void)state;
	hs_run(&r, 1, NULL, test_src_path("tests/cli/boards/tzc-action-0.dts"));
	assert_clean(&r);
	assert_row(&r, "cpu-read", "denied, zeros read, no abort");
	assert_row(&r, "cpu-write", "denied, no abort, secret intact");
	assert_row(&r, "bam-pipe-write", "denied, write dropped, pipe reset, secret intact");
	assert_row(&r, "bam-pipe-read", "denied, pipe error, pipe reset");
	assert_row(&r, "gpu-normal-read", "denied, no fault, job 0, destination unchanged");
	assert_row(&r, "gpu-protected-write-normal", "denied, no fault, no reset, job 0, buffer "
		   "unchanged, next protected job 0");
	assert_row(&r, "gpu-protm-fw-normal", "denied, no fault, no reset, job 0, buffer "
		   "unchanged, attacker's FW base kept, next protected job 0");
	assert_row(&r, "display-protected", "scanned out, no fault, CRC matches the buffer");
	assert_int_equal(gpu_stats(r.m.soc->gpu).resets, 0);
	assert_int_equal(r.m.soc->cpus[0].aborts + r.m.soc->cpus[1].aborts, 0);
	hs_close(&r);
}

/* No GPU and no display bound: their rows say so, and the rest runs as ever. */
static void test_board_without_gpu_or_display(void **state)
{
	struct hs_run r;

	(void)state;
	hs_run(&r, 3, NULL, test_src_path("tests/cli/boards/disabled-display-gpu.dts"));
	assert_clean(&r);
	for (unsigned int i = 0; i < HS_NR_ROWS; i++)
		assert_string_equal(r.s->rows[i].observed, r.s->rows[i].expected);
	assert_string_equal(r.s->rows[HS_GPU_NORMAL_READ].observed, "no GPU with a protected mode");
	assert_string_equal(r.s->rows[HS_GPU_PROTM_FW_NORMAL].observed,
			    "no GPU with a protected mode");
	assert_string_equal(r.s->rows[HS_DISPLAY_PROTECTED].observed, "no display");
	assert_false(r.s->rows[HS_GPU_PROTECTED_WRITE].fired);
	hs_close(&r);
}

/* A path that goes otherwise than expected fails the run, naming it. */
static void test_unexpected_outcome_fails_the_run(void **state)
{
	struct hs_run r;
	bool named = false;

	(void)state;
	hs_boot(&r, 2, NULL, NULL);
	snprintf(r.s->rows[HS_MMAP].expected, HS_TEXT_MAX, "0");	/* "mmap works" */
	hs_go(&r);
	for (unsigned int i = 0; i < sim_violation_count(r.m.sim); i++)
		named |= strstr(sim_violation(r.m.sim, i)->msg, "heap-security: mmap (") != NULL;
	assert_true(named);
	hs_close(&r);
}

/* Through run_scenario(), as `secsoc run` runs it: the report's matrix and goals. */
static void test_report_lists_the_matrix(void **state)
{
	struct run_options opt = { .scenario = "heap-security", .seed = 6,
				   .jitter_pct = SIM_DEFAULT_JITTER_PCT };
	struct run r;

	(void)state;
	run_with(&r, &opt);
	assert_int_equal(r.exit_code, 0);
	assert_report_has(&r, "paths_as_expected: 35");
	assert_report_has(&r, "- path=gpu-protm-fw-normal ");
	assert_report_has(&r, "- path=cpu-read ");
	assert_null(strstr(r.report, "UNEXPECTED"));
	assert_null(strstr(r.report, "reached=0 evaluated=1 goal=\"heap-security"));
	assert_report_has(&r, "reached=1 evaluated=1 goal=\"heap-security: the TZC "
			  "denied a BAM pipe write to protected memory\"");
	assert_report_has(&r, "reached=1 evaluated=1 goal=\"heap-security: the TZC "
			  "denied a protected-mode GPU write to normal memory\"");
	free(r.report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passes_for_several_seeds),
		cmocka_unit_test(test_passes_under_random_and_pct),
		cmocka_unit_test(test_every_path_observed_as_designed),
		cmocka_unit_test(test_forged_smcs_get_their_documented_errors),
		cmocka_unit_test(test_only_the_attacks_abort),
		cmocka_unit_test(test_gpu_and_display_mechanisms),
		cmocka_unit_test(test_okay_action_board),
		cmocka_unit_test(test_board_without_gpu_or_display),
		cmocka_unit_test(test_unexpected_outcome_fails_the_run),
		cmocka_unit_test(test_report_lists_the_matrix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
