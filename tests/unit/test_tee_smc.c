/*
 * test_tee_smc.c - the SMC monitor and the TEE core: fast calls, the
 * register-level checks of yielding calls, the bound on calls in flight,
 * the message rules checked on the secure copy, sessions (open, invoke,
 * close, unknown TA or session), the client driver's context and where
 * completions run.
 */
#include "tee_fixture.h"

/* A normal-world SMC as CPU0 would make it. */
static struct arm_smccc_res smc(u32 a0, u32 a1, u32 a2, u32 a3)
{
	struct arm_smccc_res res;

	tee_smc_call(tfx.soc, &tfx.soc->cpus[0], a0, a1, a2, a3, &res);
	return res;
}

/* Raw yielding calls, with the test as the notification's receiver. */
struct raw_calls {
	unsigned int notified;
	u32 last_id;
};

static void raw_notify(void *ctx, u32 call_id)
{
	struct raw_calls *rc = ctx;

	rc->notified++;
	rc->last_id = call_id;
}

static struct arm_smccc_res smc_msg(u32 func, const struct tee_msg_arg *msg)
{
	u64 pa = virt_to_phys(msg);

	return smc(func, (u32)(pa >> 32), (u32)pa, sizeof(*msg));
}

static void test_fast_calls_answer_uid_version_and_count(void **state)
{
	struct arm_smccc_res res = smc(TEE_SMC_CALLS_UID, 0, 0, 0);

	assert_int_equal(res.a0, TEE_SMC_UID_0);
	assert_int_equal(res.a1, TEE_SMC_UID_1);
	assert_int_equal(res.a2, TEE_SMC_UID_2);
	assert_int_equal(res.a3, TEE_SMC_UID_3);
	res = smc(TEE_SMC_GET_VERSION, 0, 0, 0);
	assert_int_equal(res.a0, TEE_SUCCESS);
	assert_int_equal(res.a1, TEE_VERSION_MAJOR);
	assert_int_equal(res.a2, TEE_VERSION_MINOR);
	assert_int_equal(res.a3, TEE_CALLS_MAX);
	assert_int_equal(smc(TEE_SMC_CALLS_COUNT, 0, 0, 0).a0, 9);
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 0);
}

static void test_unknown_functions_are_not_supported(void **state)
{
	assert_int_equal(smc(TEE_SMC_FAST_CALL(0x42), 0, 0, 0).a0, SMCCC_RET_NOT_SUPPORTED);
	assert_int_equal(smc(TEE_SMC_STD_CALL(3), 0, 0, 0).a0, SMCCC_RET_NOT_SUPPORTED);
	assert_int_equal(smc(0x84000000u /* PSCI_VERSION */, 0, 0, 0).a0,
			 SMCCC_RET_NOT_SUPPORTED);
}

static void test_no_secure_firmware_no_monitor(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct arm_smccc_res res;
	struct soc *soc;
	struct dt *dt;
	struct sim *sim;

	assert_int_equal(soc_load_dt(NULL, NULL, &dt, &err), 0);
	sim = sim_create(&cfg);
	assert_int_equal(soc_create(sim, dt, &soc, &err), 0);
	tee_smc_call(soc, &soc->cpus[0], TEE_SMC_CALLS_UID, 0, 0, 0, &res);
	assert_int_equal(res.a0, SMCCC_RET_NOT_SUPPORTED);
	assert_int_equal(tee_smc_set_notifier(soc, raw_notify, NULL), -ENODEV);
	soc_destroy(soc);
	sim_destroy(sim);
	dt_free(dt);
}

static int refuse_all(struct tee_ioctl_version_data *v, const void *data)
{
	return 0;
}

static int want_secsoc(struct tee_ioctl_version_data *v, const void *data)
{
	return v->impl_id == TEE_IMPL_ID_SECSOC && (v->gen_caps & TEE_GEN_CAP_GP);
}

static void test_client_context_needs_a_matching_device(void **state)
{
	struct tee_ioctl_version_data vers = { 0 };
	struct tee_context *ctx;

	assert_true(device_is_bound(driver_core_find(&tfx.k.dc, tfx.soc->tee_node)));
	assert_ptr_equal(tee_client_open_context(NULL, refuse_all, NULL, NULL), ERR_PTR(-ENOENT));
	assert_ptr_equal(tee_client_open_context(tfx.ctx, want_secsoc, NULL, NULL),
			 ERR_PTR(-ENOENT));
	ctx = tee_client_open_context(NULL, want_secsoc, NULL, &vers);
	assert_false(IS_ERR(ctx));
	assert_int_equal(vers.impl_id, TEE_IMPL_ID_SECSOC);
	tee_client_close_context(ctx);
}

static void test_open_invoke_close(void **state)
{
	struct tee_ioctl_invoke_arg arg = { .func = 99, .num_params = 0 };
	struct fx_done d = { 0 };
	u32 session = fx_drm_session();

	assert_int_equal(tee_sessions_open(&tfx.tee), 1);
	arg.session = session;
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &arg, NULL, fx_done_cb, &d), 0);
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 1);
	assert_int_equal(fx_wait(&d), TEE_ERROR_NOT_SUPPORTED);
	assert_int_equal(arg.ret, TEE_ERROR_NOT_SUPPORTED);
	assert_int_equal(arg.ret_origin, TEE_ORIGIN_TRUSTED_APP);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	assert_int_equal(tee_sessions_open(&tfx.tee), 0);
	/* The session is gone: the core no longer knows it. */
	d.calls = 0;
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &arg, NULL, fx_done_cb, &d), 0);
	assert_int_equal(fx_wait(&d), TEE_ERROR_ITEM_NOT_FOUND);
	assert_int_equal(arg.ret_origin, TEE_ORIGIN_TEE);
	assert_int_equal(fx_close(session), TEE_ERROR_ITEM_NOT_FOUND);
}

static void test_unknown_ta_is_item_not_found(void **state)
{
	const u8 nobody[16] = { 0x01, 0x02 };
	u32 session = 0xdead;

	assert_int_equal(fx_open(nobody, &session), TEE_ERROR_ITEM_NOT_FOUND);
	assert_int_equal(tee_sessions_open(&tfx.tee), 0);
}

static void test_session_table_is_bounded(void **state)
{
	u32 ids[TEE_SESSIONS_MAX], extra = 0;

	for (unsigned int i = 0; i < TEE_SESSIONS_MAX; i++)
		ids[i] = fx_drm_session();
	assert_int_equal(fx_open(fx_drm_uuid, &extra), TEE_ERROR_OUT_OF_MEMORY);
	for (unsigned int i = 0; i < TEE_SESSIONS_MAX; i++)
		assert_int_equal(fx_close(ids[i]), TEE_SUCCESS);
}

static void test_bad_message_address_or_length_is_refused_at_the_smc(void **state)
{
	struct tee_msg_arg *msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	u64 pa = virt_to_phys(msg);
	const u64 bad[] = { tfx.tee.priv_base, tfx.tee.prot_base, 0x1000, pa + 4,
			    tfx.tee.priv_base - 8 /* straddles into private memory */ };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(smc(TEE_SMC_INVOKE_COMMAND, (u32)(bad[i] >> 32), (u32)bad[i],
				     sizeof(*msg)).a0, TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(smc(TEE_SMC_OPEN_SESSION, (u32)(pa >> 32), (u32)pa, sizeof(*msg) - 8).a0,
			 TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(smc(TEE_SMC_OPEN_SESSION, (u32)(pa >> 32), (u32)pa, 0).a0,
			 TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 0);
	kfree(msg);
}

/* Post @msg raw; its contents come back with the result. */
static u32 raw_result(struct tee_msg_arg *msg, u32 func)
{
	struct raw_calls rc = { 0 };
	struct arm_smccc_res res;

	assert_int_equal(tee_smc_set_notifier(tfx.soc, raw_notify, &rc), 0);
	msg->ret = 0x12345678;
	res = smc_msg(func, msg);
	assert_int_equal(res.a0, TEE_SUCCESS);
	tee_fx_run();
	assert_int_equal(rc.notified, 1);
	assert_int_equal(rc.last_id, res.a1);
	return msg->ret;
}

static void test_bad_message_contents_come_back_as_errors(void **state)
{
	struct tee_msg_arg *msg = kzalloc(sizeof(*msg), GFP_KERNEL);

	memcpy(msg->uuid, fx_drm_uuid, sizeof(msg->uuid));
	msg->num_params = TEE_NUM_PARAMS + 1;
	assert_int_equal(raw_result(msg, TEE_SMC_OPEN_SESSION), TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(msg->ret_origin, TEE_ORIGIN_TEE);
	msg->num_params = 1;
	msg->params[1].attr = TEE_PARAM_ATTR_TYPE_VALUE_INPUT;	/* beyond num_params */
	assert_int_equal(raw_result(msg, TEE_SMC_OPEN_SESSION), TEE_ERROR_BAD_PARAMETERS);
	msg->params[1].attr = 0;
	msg->params[0].attr = 4;	/* no such type */
	assert_int_equal(raw_result(msg, TEE_SMC_OPEN_SESSION), TEE_ERROR_BAD_PARAMETERS);
	msg->params[0] = (struct tee_msg_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
						 ~0ull - 8, 64, 0 };	/* wraps */
	assert_int_equal(raw_result(msg, TEE_SMC_OPEN_SESSION), TEE_ERROR_BAD_PARAMETERS);
	msg->params[0] = (struct tee_msg_param){ TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
						 tfx.tee.priv_base + 64, 64, 0 };
	assert_int_equal(raw_result(msg, TEE_SMC_OPEN_SESSION), TEE_ERROR_ACCESS_DENIED);
	msg->params[0].attr = 0;
	msg->num_params = 0;
	msg->reserved = 1;
	assert_int_equal(raw_result(msg, TEE_SMC_OPEN_SESSION), TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(tee_sessions_open(&tfx.tee), 0);
	kfree(msg);
}

static void test_call_slots_bound_the_calls_in_flight(void **state)
{
	struct tee_msg_arg *msgs = kcalloc(TEE_CALLS_MAX + 1, sizeof(*msgs), GFP_KERNEL);
	struct raw_calls rc = { 0 };

	assert_int_equal(tee_smc_set_notifier(tfx.soc, raw_notify, &rc), 0);
	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++) {
		struct arm_smccc_res res = smc_msg(TEE_SMC_CLOSE_SESSION, &msgs[i]);

		assert_int_equal(res.a0, TEE_SUCCESS);
		assert_int_equal(res.a1, i);
	}
	assert_int_equal(tee_calls_in_flight(&tfx.tee), TEE_CALLS_MAX);
	assert_int_equal(smc_msg(TEE_SMC_CLOSE_SESSION, &msgs[TEE_CALLS_MAX]).a0,
			 TEE_ERROR_BUSY);
	tee_fx_run();
	assert_int_equal(rc.notified, TEE_CALLS_MAX);
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 0);
	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++)
		assert_int_equal(msgs[i].ret, TEE_ERROR_ITEM_NOT_FOUND);
	kfree(msgs);
}

static void test_client_refuses_bad_arguments(void **state)
{
	struct tee_ioctl_invoke_arg arg = { .num_params = TEE_NUM_PARAMS + 1 };
	struct tee_param params[TEE_NUM_PARAMS + 1] = { 0 };
	struct fx_done d = { 0 };

	assert_int_equal(tee_client_invoke_func(tfx.ctx, &arg, params, fx_done_cb, &d), -EINVAL);
	arg.num_params = 1;
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &arg, NULL, fx_done_cb, &d), -EINVAL);
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &arg, params, NULL, &d), -EINVAL);
	assert_int_equal(tee_client_open_session(tfx.ctx, NULL, NULL, fx_done_cb, &d), -EINVAL);
	assert_int_equal(d.calls, 0);
}

/* A close while an invoke of the session is pending is refused, then works. */
static void test_close_waits_for_the_sessions_invokes(void **state)
{
	const u32 layout[] = { 16, 4096 };
	struct fx_done closed = { 0 };
	struct fx_sample s;
	u32 session = fx_drm_session();

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, layout, 1, tfx.tee.prot_base);
	fx_sample_submit(&s, session);
	assert_int_equal(tee_client_close_session(tfx.ctx, session, fx_done_cb, &closed), 0);
	tee_fx_run();
	assert_int_equal(s.done.calls, 1);
	assert_int_equal(s.done.ret, TEE_SUCCESS);
	assert_int_equal(closed.ret, TEE_ERROR_BUSY);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
}

/* An open made by a task on CPU1, and the CPU its completion ran on. */
static struct {
	struct tee_ioctl_open_session_arg arg;
	struct fx_done d;
	struct cpu *done_on;
} cpu1_open;

static void note_cpu(void *data, u32 ret)
{
	cpu1_open.done_on = cpu_current();
	fx_done_cb(data, ret);
}

static bool open_from_cpu1(struct cpu_task *task)
{
	assert_int_equal(tee_client_open_session(tfx.ctx, &cpu1_open.arg, NULL, note_cpu,
						 &cpu1_open.d), 0);
	return true;
}

static void test_completion_runs_on_the_calling_cpu(void **state)
{
	struct cpu_task task = { .name = "open", .run = open_from_cpu1 };

	memset(&cpu1_open, 0, sizeof(cpu1_open));
	memcpy(cpu1_open.arg.uuid, fx_drm_uuid, sizeof(cpu1_open.arg.uuid));
	cpu_add_task(&tfx.soc->cpus[1], &task);
	assert_int_equal(fx_wait(&cpu1_open.d), TEE_SUCCESS);
	assert_ptr_equal(cpu1_open.done_on, &tfx.soc->cpus[1]);
	assert_int_equal(fx_close(cpu1_open.arg.session), TEE_SUCCESS);
}

/* The loopback board's secure pipes feed no crypto engine. */
static void test_drm_sessions_need_the_crypto_engine(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	u32 session = 0;

	tee_fx_boot_board(test_src_path("soc/boards/bam-loopback.dts"), &cfg);
	assert_int_equal(fx_open(fx_drm_uuid, &session), TEE_ERROR_NOT_SUPPORTED);
	assert_int_equal(tee_sessions_open(&tfx.tee), 0);
	tee_fx_shutdown();
}

/* The default board with a private memory too small for the secure BAM driver. */
static void test_small_private_memory_is_an_input_error(void **state)
{
	const char *from = "reg = <0x0 0x9ff00000 0x0 0x100000>;";
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	const char *path = test_tmp_path("small-tz.dts");
	size_t len;
	char *src = test_read_file(test_src_path("soc/secsoc.dts"), &len);
	char *hit = strstr(src, from);
	struct soc *soc;
	struct tee tee;
	struct dt *dt;
	struct sim *sim;
	FILE *f;

	assert_non_null(hit);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%.*s%s%s", (int)(hit - src), src, "reg = <0x0 0x9ff00000 0x0 0x8000>;",
		hit + strlen(from));
	fclose(f);
	free(src);
	assert_int_equal(soc_load_dt(NULL, path, &dt, &err), 0);
	sim = sim_create(&cfg);
	assert_int_equal(soc_create(sim, dt, &soc, &err), 0);
	assert_int_equal(tee_boot(&tee, soc, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'memory-region'"));
	assert_non_null(strstr(err.msg, "0x82c0 bytes"));
	soc_destroy(soc);
	sim_destroy(sim);
	dt_free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEE_TEST(test_fast_calls_answer_uid_version_and_count),
		TEE_TEST(test_unknown_functions_are_not_supported),
		cmocka_unit_test(test_no_secure_firmware_no_monitor),
		TEE_TEST(test_client_context_needs_a_matching_device),
		TEE_TEST(test_open_invoke_close),
		TEE_TEST(test_unknown_ta_is_item_not_found),
		TEE_TEST(test_session_table_is_bounded),
		TEE_TEST(test_bad_message_address_or_length_is_refused_at_the_smc),
		TEE_TEST(test_bad_message_contents_come_back_as_errors),
		TEE_TEST(test_call_slots_bound_the_calls_in_flight),
		TEE_TEST(test_client_refuses_bad_arguments),
		TEE_TEST(test_close_waits_for_the_sessions_invokes),
		TEE_TEST(test_completion_runs_on_the_calling_cpu),
		cmocka_unit_test(test_drm_sessions_need_the_crypto_engine),
		cmocka_unit_test(test_small_private_memory_is_an_input_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
