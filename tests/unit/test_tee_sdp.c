/*
 * test_tee_sdp.c - the SDP test TA (tee_sdp.h, tee/ta_sdp.c) through the
 * TEE client API: the inject / transform / dump round trip through the
 * protected carve-out and through a registered protected buffer, queued
 * commands, the memory-rights refusals (SDP memref not wholly protected,
 * client memref not wholly normal) that leave memory untouched, bad
 * parameter types and sizes, unknown commands, the counters (and what never
 * reaches the TA), the modelled cost, and the TA's absence until installed.
 */
#include <secsoc/dma-heap.h>
#include <secsoc/tee_shm.h>

#include "tee_fixture.h"

#define LEN 5000u
#define FILL 0x5a

static const u8 sdp_uuid[16] = TEE_SDP_TA_UUID;
static u32 session;
static u8 *nbuf_in, *nbuf_out;		/* kmalloc: the client's normal memory */

static int setup(void **state)
{
	tee_fx_setup(state);
	tee_sdp_install(&tfx.tee);
	assert_int_equal(fx_open(sdp_uuid, &session), TEE_SUCCESS);
	nbuf_in = kmalloc(LEN, GFP_KERNEL);
	nbuf_out = kmalloc(LEN, GFP_KERNEL);
	assert_non_null(nbuf_in);
	assert_non_null(nbuf_out);
	fx_pattern(nbuf_in, LEN, 3);
	memset(nbuf_out, FILL, LEN);
	return 0;
}

static int teardown(void **state)
{
	kfree(nbuf_in);
	kfree(nbuf_out);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	return tee_fx_teardown(state);
}

#define SDP_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- helpers ---- */

static struct tee_param ref(u64 attr, u64 pa, u64 size)
{
	return (struct tee_param){ .attr = attr, .u.memref = { .pa = pa, .size = size } };
}

static struct tee_param in_ref(u64 pa, u64 size)
{
	return ref(TEE_PARAM_ATTR_TYPE_MEMREF_INPUT, pa, size);
}

static struct tee_param out_ref(u64 pa, u64 size)
{
	return ref(TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT, pa, size);
}

static struct tee_param inout_ref(u64 pa, u64 size)
{
	return ref(TEE_PARAM_ATTR_TYPE_MEMREF_INOUT, pa, size);
}

struct sdp_call {
	struct tee_param p[TEE_NUM_PARAMS];
	struct tee_ioctl_invoke_arg arg;
	struct fx_done done;
};

/* Post @func with params @p0 and @p1 (NONE: not passed); the driver must accept it. */
static void post(struct sdp_call *c, u32 func, struct tee_param p0, struct tee_param p1)
{
	memset(c, 0, sizeof(*c));
	c->p[0] = p0;
	c->p[1] = p1;
	c->arg = (struct tee_ioctl_invoke_arg){ .func = func, .session = session,
						.num_params = p1.attr ? 2 : 1 };
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &c->arg, c->p, fx_done_cb, &c->done), 0);
}

/* Invoke and wait; returns the code; *@origin gets its origin. */
static u32 invoke(u32 func, struct tee_param p0, struct tee_param p1, u32 *origin)
{
	struct sdp_call c;
	u32 ret;

	post(&c, func, p0, p1);
	ret = fx_wait(&c.done);
	assert_int_equal(c.arg.ret, ret);
	*origin = c.arg.ret_origin;
	return ret;
}

/* The TA itself refused: @want from TEE_ORIGIN_TRUSTED_APP. */
static void assert_ta_refuses(u32 want, u32 func, struct tee_param p0, struct tee_param p1)
{
	u64 refused = tee_sdp_stats(&tfx.tee).refused;
	u32 origin = 0;

	assert_int_equal(invoke(func, p0, p1, &origin), want);
	assert_int_equal(origin, TEE_ORIGIN_TRUSTED_APP);
	assert_int_equal(tee_sdp_stats(&tfx.tee).refused, refused + 1);
}

static void assert_ok(u32 func, struct tee_param p0, struct tee_param p1)
{
	u32 origin = 0;

	assert_int_equal(invoke(func, p0, p1, &origin), TEE_SUCCESS);
	assert_int_equal(origin, TEE_ORIGIN_TRUSTED_APP);
}

static const u8 *backdoor(u64 pa, size_t len)
{
	const u8 *p = bus_ram_backdoor(tfx.soc->bus, pa, len);

	assert_non_null(p);
	return p;
}

static void assert_filled(const u8 *p, size_t len, u8 val)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != val)
			fail_msg("byte %zu: %02x, want %02x (left untouched)", i, p[i], val);
}

/* out == (u8)(~in + 1), byte for byte */
static void assert_transformed(const u8 *in, const u8 *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (out[i] != (u8)(~in[i] + 1))
			fail_msg("byte %zu: %02x from %02x, want %02x", i, out[i], in[i],
				 (u8)(~in[i] + 1));
}

static struct tee_param none(void)
{
	return (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_NONE };
}

static u64 nin(void)
{
	return virt_to_phys(nbuf_in);
}

static u64 nout(void)
{
	return virt_to_phys(nbuf_out);
}

/* ---- the round trip ---- */

/* Inject at @sdp, transform there, dump into nbuf_out: the regression's loop body. */
static void round_trip(u64 sdp, u32 len)
{
	assert_ok(TEE_SDP_CMD_INJECT, in_ref(nin(), len), out_ref(sdp, len));
	assert_memory_equal(backdoor(sdp, len), nbuf_in, len);
	assert_ok(TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, len), none());
	assert_transformed(nbuf_in, backdoor(sdp, len), len);
	assert_ok(TEE_SDP_CMD_DUMP, in_ref(sdp, len), out_ref(nout(), len));
	assert_transformed(nbuf_in, nbuf_out, len);
}

static void test_inject_transform_dump_round_trip(void **state)
{
	struct tee_sdp_stats st;

	round_trip(tfx.tee.prot_base + 0x1003, LEN);
	st = tee_sdp_stats(&tfx.tee);
	assert_int_equal(st.invoked[TEE_SDP_CMD_INJECT], 1);
	assert_int_equal(st.invoked[TEE_SDP_CMD_TRANSFORM], 1);
	assert_int_equal(st.invoked[TEE_SDP_CMD_DUMP], 1);
	assert_int_equal(st.done, 3);
	assert_int_equal(st.refused, 0);
	assert_int_equal(st.bytes, 3 * LEN);
}

/* A registered buffer of the secure-video heap, by shm and offset, as the regression uses. */
static void test_round_trip_through_a_registered_protected_buffer(void **state)
{
	struct dma_heap *heap = dma_heap_find("protected,secure-video");
	struct dma_buf *buf;
	struct tee_shm *shm;
	phys_addr_t pa = 0;
	struct tee_param sdp = { .attr = TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
				 .u.memref = { .offset = 255, .size = LEN } };

	assert_non_null(heap);
	buf = dma_heap_buffer_alloc(heap, 2 * PAGE_SIZE, O_RDWR, 0);
	assert_false(IS_ERR(buf));
	shm = tee_shm_register_dma_buf(tfx.ctx, buf);
	assert_false(IS_ERR(shm));
	sdp.u.memref.shm = shm;
	assert_ok(TEE_SDP_CMD_INJECT, in_ref(nin(), LEN), sdp);
	sdp.attr = TEE_PARAM_ATTR_TYPE_MEMREF_INOUT;
	assert_ok(TEE_SDP_CMD_TRANSFORM, sdp, none());
	sdp.attr = TEE_PARAM_ATTR_TYPE_MEMREF_INPUT;
	assert_ok(TEE_SDP_CMD_DUMP, sdp, out_ref(nout(), LEN));
	assert_transformed(nbuf_in, nbuf_out, LEN);
	assert_int_equal(tee_shm_get_pa(shm, 255, &pa), 0);
	assert_transformed(nbuf_in, backdoor(pa, LEN), LEN);
	tee_shm_free(shm);
	dma_buf_put(buf);
	dma_heap_put(heap);
}

/* Posted back to back, the three run one at a time, in order. */
static void test_queued_commands_run_in_order(void **state)
{
	u64 sdp = tfx.tee.prot_base;
	struct sdp_call c[3];

	post(&c[0], TEE_SDP_CMD_INJECT, in_ref(nin(), LEN), out_ref(sdp, LEN));
	post(&c[1], TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, LEN), none());
	post(&c[2], TEE_SDP_CMD_DUMP, in_ref(sdp, LEN), out_ref(nout(), LEN));
	tee_fx_run();
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(c[i].done.calls, 1);
		assert_int_equal(c[i].done.ret, TEE_SUCCESS);
	}
	assert_transformed(nbuf_in, nbuf_out, LEN);
}

/* Two transforms undo each other: -(-b) == b. */
static void test_transform_twice_restores(void **state)
{
	u64 sdp = tfx.tee.prot_base + 0x40000;

	assert_ok(TEE_SDP_CMD_INJECT, in_ref(nin(), LEN), out_ref(sdp, LEN));
	assert_ok(TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, LEN), none());
	assert_ok(TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, LEN), none());
	assert_memory_equal(backdoor(sdp, LEN), nbuf_in, LEN);
}

/* ---- memory rights ---- */

static void test_sdp_memref_in_normal_memory_is_refused(void **state)
{
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_INJECT, in_ref(nin(), LEN),
			  out_ref(nout(), LEN));
	assert_filled(nbuf_out, LEN, FILL);
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_TRANSFORM, inout_ref(nout(), LEN),
			  none());
	assert_filled(nbuf_out, LEN, FILL);
	/* DUMP of normal memory would let the TA copy anything: refused too. */
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_DUMP, in_ref(nin(), LEN),
			  out_ref(nout(), LEN));
	assert_filled(nbuf_out, LEN, FILL);
}

/* Every byte must be protected: a memref that runs past the carve-out's end is refused. */
static void test_sdp_memref_partly_protected_is_refused(void **state)
{
	u64 end = tfx.tee.prot_base + tfx.tee.prot_size;
	const u8 *tail = backdoor(end - 16, 16);
	u8 before[16];

	memcpy(before, tail, sizeof(before));
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_INJECT, in_ref(nin(), 32),
			  out_ref(end - 16, 32));
	assert_memory_equal(tail, before, sizeof(before));
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_TRANSFORM,
			  inout_ref(tfx.tee.prot_base - 16, 32), none());
}

static void test_client_memref_in_protected_memory_is_refused(void **state)
{
	u64 sdp = tfx.tee.prot_base, other = tfx.tee.prot_base + 0x10000;
	const u8 *dst = backdoor(other, LEN);

	/* INJECT from protected memory would copy protected content around: refused. */
	memset((u8 *)backdoor(sdp, LEN), 0x11, LEN);
	memset((u8 *)dst, 0x22, LEN);
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_INJECT, in_ref(sdp, LEN),
			  out_ref(other, LEN));
	assert_filled(dst, LEN, 0x22);
	/* DUMP into protected memory: refused, nothing written. */
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_DUMP, in_ref(sdp, LEN),
			  out_ref(other, LEN));
	assert_filled(dst, LEN, 0x22);
	/* A client memref that ends inside protected memory is not wholly normal. */
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_INJECT,
			  in_ref(tfx.tee.prot_base - 16, 32), out_ref(other, 32));
}

/* The secure world's private memory never reaches the TA: the core refuses it. */
static void test_private_memory_is_refused_by_the_core(void **state)
{
	struct tee_sdp_stats before = tee_sdp_stats(&tfx.tee);
	u32 origin = 0;

	assert_int_equal(invoke(TEE_SDP_CMD_DUMP, in_ref(tfx.tee.priv_base, 64),
				out_ref(nout(), 64), &origin), TEE_ERROR_ACCESS_DENIED);
	assert_int_equal(origin, TEE_ORIGIN_TEE);
	assert_int_equal(tee_sdp_invocations(tee_sdp_stats(&tfx.tee)),
			 tee_sdp_invocations(before));
	assert_filled(nbuf_out, LEN, FILL);
}

/* ---- parameters ---- */

static void test_bad_parameter_types_are_refused(void **state)
{
	u64 sdp = tfx.tee.prot_base;
	struct tee_param value = { .attr = TEE_PARAM_ATTR_TYPE_VALUE_INPUT };

	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_INJECT, in_ref(nin(), LEN),
			  in_ref(sdp, LEN));
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_INJECT, in_ref(nin(), LEN),
			  none());
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_TRANSFORM, in_ref(sdp, LEN),
			  none());
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, LEN),
			  value);
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_DUMP, inout_ref(sdp, LEN),
			  out_ref(nout(), LEN));
	assert_filled(nbuf_out, LEN, FILL);
}

static void test_output_shorter_than_input_is_refused(void **state)
{
	u64 sdp = tfx.tee.prot_base;

	memset((u8 *)backdoor(sdp, LEN), 0x33, LEN);
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_INJECT, in_ref(nin(), LEN),
			  out_ref(sdp, LEN - 1));
	assert_filled(backdoor(sdp, LEN), LEN, 0x33);
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_DUMP, in_ref(sdp, LEN),
			  out_ref(nout(), LEN - 1));
	assert_filled(nbuf_out, LEN, FILL);
}

static void test_empty_and_oversized_data_are_refused(void **state)
{
	u64 sdp = tfx.tee.prot_base;

	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, 0),
			  none());
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_TRANSFORM,
			  inout_ref(sdp, TEE_SDP_BYTES_MAX + 1), none());
	assert_ok(TEE_SDP_CMD_TRANSFORM, inout_ref(sdp, TEE_SDP_BYTES_MAX), none());
}

static void test_unknown_command_is_not_supported(void **state)
{
	assert_ta_refuses(TEE_ERROR_NOT_SUPPORTED, TEE_SDP_CMDS, in_ref(nin(), LEN), none());
	assert_int_equal(tee_sdp_stats(&tfx.tee).unknown, 1);
	assert_int_equal(tee_sdp_invocations(tee_sdp_stats(&tfx.tee)), 1);
}

/* Refusals count as invocations of their command: they reached the TA. */
static void test_counts_per_command(void **state)
{
	u64 sdp = tfx.tee.prot_base;
	struct tee_sdp_stats st;

	round_trip(sdp, 100);
	assert_ta_refuses(TEE_ERROR_ACCESS_DENIED, TEE_SDP_CMD_DUMP, in_ref(nin(), 8),
			  out_ref(nout(), 8));
	assert_ta_refuses(TEE_ERROR_BAD_PARAMETERS, TEE_SDP_CMD_DUMP, in_ref(sdp, 8),
			  out_ref(nout(), 7));
	st = tee_sdp_stats(&tfx.tee);
	assert_int_equal(st.invoked[TEE_SDP_CMD_INJECT], 1);
	assert_int_equal(st.invoked[TEE_SDP_CMD_TRANSFORM], 1);
	assert_int_equal(st.invoked[TEE_SDP_CMD_DUMP], 3);
	assert_int_equal(st.done, 3);
	assert_int_equal(st.refused, 2);
	assert_int_equal(st.bytes, 300);
	assert_int_equal(tee_sdp_invocations(st), 5);
}

/*
 * The cost of the secure CPU's last step: how long it stays busy after the
 * step that answered the command (its completion ran at that step's start).
 */
static u64 ta_step_cost(void)
{
	return tfx.soc->secure_cpu.actor.busy_until_ns - sim_now_ns(tfx.sim);
}

/* The secure CPU's copy costs modelled time per byte: 64 KiB cost at least 16 us more. */
static void test_copy_cost_grows_with_size(void **state)
{
	const u32 big = 64 * 1024;
	u8 *src = kmalloc(big, GFP_KERNEL);
	u64 small_cost;

	assert_non_null(src);
	assert_ok(TEE_SDP_CMD_INJECT, in_ref(virt_to_phys(src), 1), out_ref(tfx.tee.prot_base, 1));
	small_cost = ta_step_cost();
	assert_ok(TEE_SDP_CMD_INJECT, in_ref(virt_to_phys(src), big),
		  out_ref(tfx.tee.prot_base, big));
	kfree(src);
	assert_true(ta_step_cost() >= small_cost + (u64)big * 250 / 1000);
}

/* ---- installation ---- */

static int setup_uninstalled(void **state)
{
	return tee_fx_setup(state);
}

/* Like optee_test's TAs, the SDP TA is there only in a test build's firmware. */
static void test_not_found_until_installed(void **state)
{
	u32 s = 0;

	assert_int_equal(fx_open(sdp_uuid, &s), TEE_ERROR_ITEM_NOT_FOUND);
	tee_sdp_install(&tfx.tee);
	assert_int_equal(fx_open(sdp_uuid, &s), TEE_SUCCESS);
	assert_int_equal(fx_close(s), TEE_SUCCESS);
}

/* The DRM TA is still found, next to it. */
static void test_drm_ta_still_opens(void **state)
{
	u32 s = fx_drm_session();

	assert_int_equal(fx_close(s), TEE_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SDP_TEST(test_inject_transform_dump_round_trip),
		SDP_TEST(test_round_trip_through_a_registered_protected_buffer),
		SDP_TEST(test_queued_commands_run_in_order),
		SDP_TEST(test_transform_twice_restores),
		SDP_TEST(test_sdp_memref_in_normal_memory_is_refused),
		SDP_TEST(test_sdp_memref_partly_protected_is_refused),
		SDP_TEST(test_client_memref_in_protected_memory_is_refused),
		SDP_TEST(test_private_memory_is_refused_by_the_core),
		SDP_TEST(test_bad_parameter_types_are_refused),
		SDP_TEST(test_output_shorter_than_input_is_refused),
		SDP_TEST(test_empty_and_oversized_data_are_refused),
		SDP_TEST(test_unknown_command_is_not_supported),
		SDP_TEST(test_counts_per_command),
		SDP_TEST(test_copy_cost_grows_with_size),
		cmocka_unit_test_setup_teardown(test_not_found_until_installed, setup_uninstalled,
						tee_fx_teardown),
		SDP_TEST(test_drm_ta_still_opens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
