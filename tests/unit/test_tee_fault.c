/*
 * test_tee_fault.c - the secure world under faults: a TA crash while it
 * holds the BAM lock (TEE_ERROR_TARGET_DEAD, the lock released by the
 * secure pipes' reset, the engine idle, a fresh instance for the next
 * session), BAM descriptor errors on the secure pipes
 * (TEE_ERROR_COMMUNICATION, pipes recovered), and lost interrupts (made up
 * for by the poll timer), over many seeds and under the random strategy.
 * Every sample must complete; the fixture's teardown checks nothing leaks.
 */
#include "tee_fixture.h"

#define SEEDS 24

static const u32 big_cenc[] = { 100, 65536 };
static const u32 cbcs_layout[] = { 16, 3200, 5, 1700 };

static void boot_with_faults(const char *faults, u64 seed, const struct sim_strategy_ops *st)
{
	struct sim_config cfg = { .seed = seed, .strategy = st };
	struct secsoc_error err = { 0 };

	assert_int_equal(fault_spec_parse(faults, &cfg.faults, &err), 0);
	tee_fx_boot_cfg(&cfg);
}

/* After any recovery: no lock held, the engine idle, the secure pipes not halted. */
static void assert_engine_free(void)
{
	struct bam *bam = tfx.soc->bams[0].bam;

	assert_int_equal(bam_lock_owner_ee(bam), BAM_NO_EE);
	assert_false(qce_busy(tfx.soc->qce));
	assert_false(tee_bam_busy(&tfx.tee));
	assert_string_equal(bam_pipe_error(bam, FX_RX_PIPE), "");
	assert_string_equal(bam_pipe_error(bam, FX_TX_PIPE), "");
}

static void test_ta_crash_is_target_dead_and_frees_the_lock(void **state)
{
	const u32 clear_only[] = { 64, 0 };
	struct fx_sample s, queued, later;
	u32 session, fresh;

	boot_with_faults("ta-crash:1", 1, NULL);
	session = fx_drm_session();
	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, big_cenc, 1, tfx.tee.prot_base);
	fx_sample_init(&queued, TEE_DRM_SCHEME_CENC, clear_only, 1, tfx.tee.prot_base + 0x20000);
	fx_sample_submit(&s, session);
	fx_sample_submit(&queued, session);
	tee_fx_run();
	assert_int_equal(sim_fault_fired(tfx.sim, FAULT_TA_CRASH), 1);
	assert_int_equal(s.done.ret, TEE_ERROR_TARGET_DEAD);
	assert_int_equal(s.arg.ret_origin, TEE_ORIGIN_TEE);
	assert_int_equal(queued.done.ret, TEE_ERROR_TARGET_DEAD);
	assert_int_equal(tee_drm_stats(&tfx.tee).panics, 1);
	assert_int_equal(tfx.tee.sbam.recoveries, 1);
	assert_engine_free();
	/* The dead session stays dead until closed. */
	queued.done.calls = 0;
	assert_int_equal(fx_sample_decrypt(&queued, session), TEE_ERROR_TARGET_DEAD);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	/* A new session gets a new instance (this sample needs no engine, which would crash). */
	fresh = fx_drm_session();
	fx_sample_init(&later, TEE_DRM_SCHEME_CENC, clear_only, 1, tfx.tee.prot_base + 0x40000);
	assert_int_equal(fx_sample_decrypt(&later, fresh), TEE_SUCCESS);
	fx_assert_decrypted(&later);
	assert_int_equal(fx_close(fresh), TEE_SUCCESS);
	fx_sample_free(&s);
	fx_sample_free(&queued);
	fx_sample_free(&later);
	tee_fx_shutdown();
}

/*
 * Samples one after the other, each in its own session: each completes
 * with success (and the right plaintext) or with @fail_ret; returns how
 * many failed.
 */
static unsigned int run_samples(unsigned int n, u32 fail_ret)
{
	unsigned int failed = 0;

	for (unsigned int i = 0; i < n; i++) {
		bool cenc = i % 2 == 0;
		struct fx_sample s;
		u32 session = fx_drm_session();
		u32 ret;

		fx_sample_init(&s, cenc ? TEE_DRM_SCHEME_CENC : TEE_DRM_SCHEME_CBCS,
			       cenc ? big_cenc : cbcs_layout, 2 - cenc, tfx.tee.prot_base + 0x100000 * i);
		ret = fx_sample_decrypt(&s, session);
		if (ret == TEE_SUCCESS)
			fx_assert_decrypted(&s);
		else
			assert_int_equal(ret, fail_ret);
		failed += ret != TEE_SUCCESS;
		assert_engine_free();
		assert_int_equal(fx_close(session), TEE_SUCCESS);
		fx_sample_free(&s);
	}
	return failed;
}

static void test_ta_crashes_over_many_seeds(void **state)
{
	unsigned int failed = 0;

	for (u64 seed = 1; seed <= SEEDS; seed++) {
		boot_with_faults("ta-crash:0.3", seed, seed % 2 ? NULL : &sim_strategy_random);
		failed += run_samples(4, TEE_ERROR_TARGET_DEAD);
		assert_int_equal(sim_fault_fired(tfx.sim, FAULT_TA_CRASH),
				 tee_drm_stats(&tfx.tee).panics);
		tee_fx_shutdown();
	}
	assert_in_range(failed, 1, SEEDS * 4 - 1);
}

static void test_bam_errors_are_communication_errors(void **state)
{
	unsigned int failed = 0;

	for (u64 seed = 1; seed <= SEEDS; seed++) {
		boot_with_faults("bam-desc-error:0.2", seed,
				 seed % 2 ? NULL : &sim_strategy_random);
		failed += run_samples(4, TEE_ERROR_COMMUNICATION);
		assert_int_equal(tfx.tee.sbam.errors, tee_drm_stats(&tfx.tee).failed);
		assert_int_equal(tfx.tee.sbam.recoveries, tfx.tee.sbam.errors);
		tee_fx_shutdown();
	}
	assert_in_range(failed, 1, SEEDS * 4 - 1);
}

static void test_lost_interrupts_are_made_up_by_the_poll_timer(void **state)
{
	boot_with_faults("bam-irq-drop:1", 3, NULL);
	assert_int_equal(run_samples(2, TEE_SUCCESS), 0);
	assert_true(sim_fault_fired(tfx.sim, FAULT_BAM_IRQ_DROP) > 0);
	assert_int_equal(tfx.tee.sbam.ops, 1 + 2);
	tee_fx_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ta_crash_is_target_dead_and_frees_the_lock),
		cmocka_unit_test(test_ta_crashes_over_many_seeds),
		cmocka_unit_test(test_bam_errors_are_communication_errors),
		cmocka_unit_test(test_lost_interrupts_are_made_up_by_the_poll_timer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
