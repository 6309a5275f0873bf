/*
 * test_tee_shm.c - protected dma-bufs registered with the TEE as shared
 * memory (tee_shm.h, drivers/tee/tee_drv.c), as TEE_IOC_SHM_REGISTER_FD
 * and OP-TEE's SDP tests use them: registration by fd and its refusals,
 * ids and limits, the memory staying alive after the process closed its
 * fd, memory references by shm and offset resolved for the DRM TA, and the
 * out-of-bounds references of OP-TEE regression 1014, which the driver
 * refuses with TEE_ERROR_BAD_PARAMETERS before anything reaches the TA.
 */
#include <secsoc/dma-heap.h>
#include <secsoc/protected_heap.h>
#include <secsoc/tee_shm.h>

#include "tee_fixture.h"

#define SECURE_VIDEO "protected,secure-video"
#define P PAGE_SIZE
#define SHM_SIZE (5 * P)

static struct process proc;
static u64 scratch;

/* ---- fixture ---- */

static int setup(void **state)
{
	tee_fx_setup(state);
	assert_int_equal(process_init(&proc, "sdp", &tfx.soc->cpus[0]), 0);
	scratch = process_alloc_user(&proc, P);
	assert_int_not_equal(scratch, 0);
	return 0;
}

static int teardown(void **state)
{
	struct arm_smccc_res info;

	process_exit(&proc);
	assert_int_equal(tee_shm_stats().live, 0);
	assert_int_equal(dma_buf_stats().live, 0);
	tee_smc_call(tfx.soc, &tfx.soc->cpus[0], TEE_SMC_PROTMEM_INFO, 0, 0, 0, &info);
	assert_int_equal(info.a3, 0);			/* no window left */
	tee_fx_shutdown();
	return 0;
}

#define SHM_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- helpers ---- */

/* DMA_HEAP_IOCTL_ALLOC by the process; returns the new buffer's fd. */
static int heap_alloc_fd(const char *heap_name, u64 len)
{
	return test_heap_alloc_fd(&proc, scratch, heap_name, len);
}

/* A protected buffer registered by fd; the fd is closed, as the SDP tests do. */
static struct tee_shm *shm_new(u64 len)
{
	int fd = heap_alloc_fd(SECURE_VIDEO, len);
	struct tee_shm *shm = tee_shm_register_fd(tfx.ctx, &proc, fd, 0);

	assert_false(IS_ERR(shm));
	assert_int_equal(sys_close(&proc, fd), 0);
	return shm;
}

static phys_addr_t shm_pa(const struct tee_shm *shm, size_t offs)
{
	phys_addr_t pa = 0;

	assert_int_equal(tee_shm_get_pa(shm, offs, &pa), 0);
	return pa;
}

/* Commands the DRM TA has seen: each one is refused, decrypted or failed. */
static u64 ta_invocations(void)
{
	struct tee_drm_stats st = tee_drm_stats(&tfx.tee);

	return st.refused + st.samples + st.failed;
}

/* A decrypt whose output is [@off, @off + @len) of @shm; returns tee_client_invoke_func(). */
static int invoke_into_shm(struct fx_sample *s, u32 session, struct tee_shm *shm, u64 off,
			   u64 len)
{
	s->params[0] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = virt_to_phys(s->desc), .size = sizeof(*s->desc) } };
	s->params[1] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = s->in_pa, .size = s->len } };
	s->params[2] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
		.u.memref = { .shm = shm, .offset = off, .size = len } };
	s->arg = (struct tee_ioctl_invoke_arg){ .func = TEE_DRM_CMD_DECRYPT, .session = session,
						.num_params = 3 };
	return tee_client_invoke_func(tfx.ctx, &s->arg, s->params, fx_done_cb, &s->done);
}

/* ---- registration ---- */

static void test_register_fd_gives_the_protected_range(void **state)
{
	int fd = heap_alloc_fd(SECURE_VIDEO, SHM_SIZE);
	struct tee_shm *shm = tee_shm_register_fd(tfx.ctx, &proc, fd, 0);
	phys_addr_t pa = 0;

	assert_false(IS_ERR(shm));
	assert_int_equal(tee_shm_get_size(shm), SHM_SIZE);
	assert_true(tee_shm_get_id(shm) > 0);
	assert_true(tee_range_protected(&tfx.tee, shm_pa(shm, 0), SHM_SIZE));
	assert_int_equal(tee_shm_get_pa(shm, SHM_SIZE - 1, &pa), 0);
	assert_int_equal(pa, shm_pa(shm, 0) + SHM_SIZE - 1);
	assert_int_equal(tee_shm_get_pa(shm, SHM_SIZE, &pa), -EINVAL);
	assert_int_equal(tee_shm_stats().live, 1);
	tee_shm_free(shm);
	assert_int_equal(sys_close(&proc, fd), 0);
}

static void test_register_fd_refuses_flags(void **state)
{
	int fd = heap_alloc_fd(SECURE_VIDEO, P);
	u64 registered = tee_shm_stats().registered;

	assert_int_equal(PTR_ERR(tee_shm_register_fd(tfx.ctx, &proc, fd, 1)), -EINVAL);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(tee_shm_stats().registered, registered);
}

static void test_register_fd_refuses_a_bad_fd(void **state)
{
	assert_int_equal(PTR_ERR(tee_shm_register_fd(tfx.ctx, &proc, 77, 0)), -EBADF);
	assert_int_equal(PTR_ERR(tee_shm_register_fd(tfx.ctx, &proc, -1, 0)), -EBADF);
}

static void test_register_fd_refuses_a_file_that_is_not_a_dma_buf(void **state)
{
	int hfd = sys_open(&proc, "/dev/dma_heap/" SECURE_VIDEO, O_RDWR);

	assert_true(hfd >= 0);
	assert_int_equal(PTR_ERR(tee_shm_register_fd(tfx.ctx, &proc, hfd, 0)), -EINVAL);
	assert_int_equal(sys_close(&proc, hfd), 0);
}

/* Normal memory is not this TEE's protected memory. */
static void test_register_fd_refuses_a_system_heap_buffer(void **state)
{
	int fd = heap_alloc_fd("system", P);

	assert_int_equal(PTR_ERR(tee_shm_register_fd(tfx.ctx, &proc, fd, 0)), -EINVAL);
	assert_int_equal(sys_close(&proc, fd), 0);
}

static void test_shm_ids_are_unique(void **state)
{
	struct tee_shm *a = shm_new(P), *b = shm_new(P), *c;
	int a_id = tee_shm_get_id(a);

	assert_int_not_equal(a_id, tee_shm_get_id(b));
	tee_shm_free(a);
	c = shm_new(P);
	assert_int_not_equal(tee_shm_get_id(c), a_id);
	assert_int_not_equal(tee_shm_get_id(c), tee_shm_get_id(b));
	tee_shm_free(b);
	tee_shm_free(c);
}

static void test_live_shms_are_limited(void **state)
{
	int fd = heap_alloc_fd(SECURE_VIDEO, P);
	struct tee_shm *shms[TEE_SHM_MAX];

	for (unsigned int i = 0; i < TEE_SHM_MAX; i++) {
		shms[i] = tee_shm_register_fd(tfx.ctx, &proc, fd, 0);
		assert_false(IS_ERR(shms[i]));
	}
	assert_int_equal(PTR_ERR(tee_shm_register_fd(tfx.ctx, &proc, fd, 0)), -ENOSPC);
	for (unsigned int i = 0; i < TEE_SHM_MAX; i++)
		tee_shm_free(shms[i]);
	assert_int_equal(sys_close(&proc, fd), 0);
}

/* The SDP flow closes the dma-buf fd right after registering: the shm keeps the memory. */
static void test_closed_fd_keeps_the_buffer_until_shm_free(void **state)
{
	struct tee_shm *shm = shm_new(SHM_SIZE);
	phys_addr_t pa = shm_pa(shm, 0);
	struct protected_pool_stats st;

	assert_int_equal(dma_buf_stats().live, 1);
	assert_true(tee_range_protected(&tfx.tee, pa, SHM_SIZE));
	assert_int_equal(protected_heap_pool_stats(SECURE_VIDEO, &st), 0);
	assert_int_equal(st.allocations, 1);
	tee_shm_free(shm);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(protected_heap_pool_stats(SECURE_VIDEO, &st), 0);
	assert_int_equal(st.allocations, 0);
	assert_false(tee_range_protected(&tfx.tee, pa, P));
}

static void test_shm_free_of_null_is_a_no_op(void **state)
{
	u64 freed = tee_shm_stats().freed;

	tee_shm_free(NULL);
	tee_shm_free(ERR_PTR(-EINVAL));
	assert_int_equal(tee_shm_stats().freed, freed);
}

/* ---- memory references by shm ---- */

static const u32 one_clear_byte[] = { 1, 0 };

/* The DRM TA decrypts into a registered protected buffer, at an offset. */
static void test_decrypt_into_a_registered_buffer(void **state)
{
	static const u32 layout[] = { 10, 300, 7, 700 };
	struct tee_shm *shm = shm_new(SHM_SIZE);
	u32 session = fx_drm_session();
	struct fx_sample s;

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, layout, 2, shm_pa(shm, 100));
	assert_int_equal(invoke_into_shm(&s, session, shm, 100, s.len), 0);
	assert_int_equal(fx_wait(&s.done), TEE_SUCCESS);
	assert_int_equal(s.arg.ret_origin, TEE_ORIGIN_TRUSTED_APP);
	fx_assert_decrypted(&s);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
	tee_shm_free(shm);
}

/* The last byte of the shm is inside it: that reference reaches the TA. */
static void test_last_byte_reaches_the_ta(void **state)
{
	struct tee_shm *shm = shm_new(SHM_SIZE);
	u32 session = fx_drm_session();
	u64 seen = ta_invocations();
	struct fx_sample s;

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, one_clear_byte, 1, shm_pa(shm, SHM_SIZE - 1));
	assert_int_equal(invoke_into_shm(&s, session, shm, SHM_SIZE - 1, 1), 0);
	assert_int_equal(fx_wait(&s.done), TEE_SUCCESS);
	assert_int_equal(ta_invocations(), seen + 1);
	fx_assert_decrypted(&s);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
	tee_shm_free(shm);
}

/*
 * Regression 1014's out-of-bounds reference (offset, length) into a shm of
 * SHM_SIZE bytes: refused by the driver, origin the client API, no SMC
 * posted, the TA never reached, no completion.
 */
static void assert_out_of_bounds_refused(u64 off, u64 len)
{
	struct tee_shm *shm = shm_new(SHM_SIZE);
	u32 session = fx_drm_session();
	u64 seen = ta_invocations();
	struct fx_sample s;

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, one_clear_byte, 1, 0);
	assert_int_equal(invoke_into_shm(&s, session, shm, off, len), -EINVAL);
	assert_int_equal(s.arg.ret, TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(s.arg.ret_origin, TEE_ORIGIN_API);
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 0);
	tee_fx_run();
	assert_int_equal(s.done.calls, 0);
	assert_int_equal(ta_invocations(), seen);
	assert_int_equal(tee_shm_stats().live, 1);	/* the refused call kept no reference */
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
	tee_shm_free(shm);
}

static void test_oob_last_byte_plus_one(void **state)
{
	assert_out_of_bounds_refused(SHM_SIZE - 1, 2);
}

static void test_oob_last_byte_and_5000(void **state)
{
	assert_out_of_bounds_refused(SHM_SIZE - 1, 5000);
}

static void test_oob_one_byte_at_the_end(void **state)
{
	assert_out_of_bounds_refused(SHM_SIZE, 1);
}

static void test_oob_a_page_at_the_end(void **state)
{
	assert_out_of_bounds_refused(SHM_SIZE, 4096);
}

static void test_oob_length_that_wraps(void **state)
{
	assert_out_of_bounds_refused(2, ~0ull);
}

static void test_oob_offset_that_wraps(void **state)
{
	assert_out_of_bounds_refused(~0ull, 2);
}

/* A shm registered through another context is not this context's to name. */
static void test_shm_of_another_context_is_refused(void **state)
{
	struct tee_context *other = tee_client_open_context(NULL, NULL, NULL, NULL);
	int fd = heap_alloc_fd(SECURE_VIDEO, P);
	struct tee_shm *shm = tee_shm_register_fd(other, &proc, fd, 0);
	u32 session = fx_drm_session();
	struct fx_sample s;

	assert_false(IS_ERR(shm));
	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, one_clear_byte, 1, 0);
	assert_int_equal(invoke_into_shm(&s, session, shm, 0, 1), -EINVAL);
	assert_int_equal(s.arg.ret, TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
	tee_shm_free(shm);
	tee_client_close_context(other);
	assert_int_equal(sys_close(&proc, fd), 0);
}

/*
 * A shm freed by its owner while a call names it lives until the call
 * completes: the TA writes into protected memory that is still there, and
 * only then does the buffer go (scrubbed, its window released).
 */
static void test_call_in_flight_keeps_its_shm(void **state)
{
	struct tee_shm *shm = shm_new(SHM_SIZE);
	phys_addr_t pa = shm_pa(shm, 0);
	u32 session = fx_drm_session();
	u64 samples = tee_drm_stats(&tfx.tee).samples;
	struct fx_sample s;

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, one_clear_byte, 1, pa);
	assert_int_equal(invoke_into_shm(&s, session, shm, 0, 1), 0);
	tee_shm_free(shm);
	assert_int_equal(tee_shm_stats().live, 1);
	assert_int_equal(dma_buf_stats().live, 1);
	assert_int_equal(fx_wait(&s.done), TEE_SUCCESS);
	assert_int_equal(tee_drm_stats(&tfx.tee).samples, samples + 1);
	assert_int_equal(tee_shm_stats().live, 0);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_false(tee_range_protected(&tfx.tee, pa, P));
	assert_int_equal(*(const u8 *)bus_ram_backdoor(tfx.soc->bus, pa, 1), 0);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SHM_TEST(test_register_fd_gives_the_protected_range),
		SHM_TEST(test_register_fd_refuses_flags),
		SHM_TEST(test_register_fd_refuses_a_bad_fd),
		SHM_TEST(test_register_fd_refuses_a_file_that_is_not_a_dma_buf),
		SHM_TEST(test_register_fd_refuses_a_system_heap_buffer),
		SHM_TEST(test_shm_ids_are_unique),
		SHM_TEST(test_live_shms_are_limited),
		SHM_TEST(test_closed_fd_keeps_the_buffer_until_shm_free),
		SHM_TEST(test_shm_free_of_null_is_a_no_op),
		SHM_TEST(test_decrypt_into_a_registered_buffer),
		SHM_TEST(test_last_byte_reaches_the_ta),
		SHM_TEST(test_oob_last_byte_plus_one),
		SHM_TEST(test_oob_last_byte_and_5000),
		SHM_TEST(test_oob_one_byte_at_the_end),
		SHM_TEST(test_oob_a_page_at_the_end),
		SHM_TEST(test_oob_length_that_wraps),
		SHM_TEST(test_oob_offset_that_wraps),
		SHM_TEST(test_shm_of_another_context_is_refused),
		SHM_TEST(test_call_in_flight_keeps_its_shm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
