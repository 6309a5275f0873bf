/*
 * test_tee_drm.c - the DRM TA: cenc and cbcs samples of many sub-sample
 * layouts decrypted into protected memory and compared with OpenSSL; the
 * refusals (output not entirely protected, input not normal memory,
 * inconsistent lengths, unknown key) that leave the output untouched; the
 * secure BAM stream LOCK..NWD..UNLOCK; the queue of invokes; and the
 * protected carve-out itself (Linux cannot read it, protecting it again
 * only takes a reference).
 */
#include "tee_fixture.h"

#define LAYOUT(...) ((const u32[]){ __VA_ARGS__ }), (sizeof((const u32[]){ __VA_ARGS__ }) / 8)

/* Decrypt one sample of @scheme and @layout at @out_off in the carve-out. */
static void decrypt_ok(u32 scheme, const u32 *layout, unsigned int nr, u64 out_off)
{
	struct fx_sample s;
	u32 session = fx_drm_session();

	fx_sample_init(&s, scheme, layout, nr, tfx.tee.prot_base + out_off);
	assert_int_equal(fx_sample_decrypt(&s, session), TEE_SUCCESS);
	assert_int_equal(s.arg.ret_origin, TEE_ORIGIN_TRUSTED_APP);
	fx_assert_decrypted(&s);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
}

static void test_cenc_one_encrypted_range(void **state)
{
	decrypt_ok(TEE_DRM_SCHEME_CENC, LAYOUT(0, 4096), 0);
	assert_int_equal(tee_drm_stats(&tfx.tee).samples, 1);
	assert_int_equal(tee_drm_stats(&tfx.tee).qce_ops, 1);
}

/* The counter runs on mid-block across sub-samples; parts may be empty. */
static void test_cenc_counter_runs_across_subsamples(void **state)
{
	decrypt_ok(TEE_DRM_SCHEME_CENC, LAYOUT(16, 100, 33, 7, 0, 1000, 5, 0, 0, 9), 0x1005);
	assert_int_equal(tee_drm_stats(&tfx.tee).qce_ops, 1);
}

/* Encrypted parts larger than one BAM descriptor (0x7ff8 bytes) are split. */
static void test_cenc_large_parts_span_descriptors(void **state)
{
	decrypt_ok(TEE_DRM_SCHEME_CENC, LAYOUT(1000, 70000, 3, 100000), 0x20000);
}

static void test_cenc_thirty_two_subsamples(void **state)
{
	u32 layout[2 * TEE_DRM_SUBSAMPLES_MAX];

	for (unsigned int i = 0; i < TEE_DRM_SUBSAMPLES_MAX; i++) {
		layout[2 * i] = 3 + i;
		layout[2 * i + 1] = 29 * i;
	}
	decrypt_ok(TEE_DRM_SCHEME_CENC, layout, TEE_DRM_SUBSAMPLES_MAX, 0x3000);
}

static void test_clear_only_sample_needs_no_engine(void **state)
{
	decrypt_ok(TEE_DRM_SCHEME_CENC, LAYOUT(64, 0, 100, 0), 0x40);
	decrypt_ok(TEE_DRM_SCHEME_CBCS, LAYOUT(10, 15), 0x400);	/* no whole block */
	assert_int_equal(tee_drm_stats(&tfx.tee).qce_ops, 0);
	assert_int_equal(tee_drm_stats(&tfx.tee).samples, 2);
}

static void test_cbcs_pattern_in_one_subsample(void **state)
{
	decrypt_ok(TEE_DRM_SCHEME_CBCS, LAYOUT(0, 160 * 4), 0);
	decrypt_ok(TEE_DRM_SCHEME_CBCS, LAYOUT(10, 1600 + 7), 0x777);	/* trailing partial block */
	decrypt_ok(TEE_DRM_SCHEME_CBCS, LAYOUT(0, 16 * 13), 0x9000);	/* a partial pattern */
	assert_int_equal(tee_drm_stats(&tfx.tee).qce_ops, 3);
}

/* The IV restarts at each sub-sample: one operation per sub-sample with blocks. */
static void test_cbcs_chain_restarts_per_subsample(void **state)
{
	decrypt_ok(TEE_DRM_SCHEME_CBCS, LAYOUT(100, 3000, 17, 161, 5, 15, 0, 16, 1, 65536),
		   0x10000);
	assert_int_equal(tee_drm_stats(&tfx.tee).qce_ops, 4);
}

/* A refused command: the return code, and the output not touched. */
static void decrypt_refused(struct fx_sample *s, u32 want)
{
	u32 session = fx_drm_session();
	u64 refused = tee_drm_stats(&tfx.tee).refused;
	const u8 *out = bus_ram_backdoor(tfx.soc->bus, s->out_pa, s->out_len);
	u8 *before = malloc(s->out_len);

	assert_non_null(out);
	assert_non_null(before);
	memcpy(before, out, s->out_len);
	assert_int_equal(fx_sample_decrypt(s, session), want);
	assert_memory_equal(out, before, s->out_len);
	/* The TA counts what it refused; the core refuses some before the TA sees them. */
	assert_int_equal(tee_drm_stats(&tfx.tee).refused,
			 refused + (s->arg.ret_origin == TEE_ORIGIN_TRUSTED_APP));
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	free(before);
}

static void test_output_in_normal_memory_is_refused(void **state)
{
	u8 *out = kmalloc(4096, GFP_KERNEL);
	struct fx_sample s;

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, LAYOUT(16, 4000), virt_to_phys(out));
	memset(out, 0xa5, 4096);
	decrypt_refused(&s, TEE_ERROR_SECURITY);
	assert_int_equal(s.arg.ret_origin, TEE_ORIGIN_TRUSTED_APP);
	fx_sample_free(&s);
	kfree(out);
}

static void test_output_straddling_the_protected_boundary_is_refused(void **state)
{
	const u64 end = tfx.tee.prot_base + tfx.tee.prot_size;
	const u64 outs[] = { end - 100, tfx.tee.prot_base - 100 };
	struct fx_sample s;

	for (unsigned int i = 0; i < ARRAY_SIZE(outs); i++) {
		fx_sample_init(&s, TEE_DRM_SCHEME_CBCS, LAYOUT(0, 160), outs[i]);
		decrypt_refused(&s, TEE_ERROR_SECURITY);
		fx_sample_free(&s);
	}
	/* A bigger output than the sample must be protected as a whole, too. */
	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, LAYOUT(0, 64), end - 64);
	s.out_len = 128;
	decrypt_refused(&s, TEE_ERROR_SECURITY);
	fx_sample_free(&s);
}

static void test_input_in_secure_memory_is_access_denied(void **state)
{
	const u64 ins[] = { tfx.tee.priv_base + 0x8000, tfx.tee.prot_base + 0x100000 };
	const u32 origins[] = { TEE_ORIGIN_TEE, TEE_ORIGIN_TRUSTED_APP };
	struct fx_sample s;

	for (unsigned int i = 0; i < ARRAY_SIZE(ins); i++) {
		fx_sample_init(&s, TEE_DRM_SCHEME_CENC, LAYOUT(0, 256), tfx.tee.prot_base);
		s.in_pa = ins[i];
		decrypt_refused(&s, TEE_ERROR_ACCESS_DENIED);
		assert_int_equal(s.arg.ret_origin, origins[i]);
		fx_sample_free(&s);
	}
}

static void test_descriptor_in_protected_memory_is_access_denied(void **state)
{
	struct fx_sample s;
	u32 session = fx_drm_session();

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, LAYOUT(0, 256), tfx.tee.prot_base);
	assert_int_equal(fx_sample_decrypt(&s, session), TEE_SUCCESS);
	/* The same command again, its descriptor now in protected memory. */
	memcpy(bus_ram_backdoor(tfx.soc->bus, tfx.tee.prot_base + 0x200000, sizeof(*s.desc)),
	       s.desc, sizeof(*s.desc));
	s.params[0].u.memref.pa = tfx.tee.prot_base + 0x200000;
	s.done.calls = 0;
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &s.arg, s.params, fx_done_cb, &s.done),
			 0);
	assert_int_equal(fx_wait(&s.done), TEE_ERROR_ACCESS_DENIED);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
}

/* Each bad descriptor or size: refused with @want, nothing written. */
static void refuse_desc(void (*spoil)(struct fx_sample *s), u32 want)
{
	struct fx_sample s;

	fx_sample_init(&s, TEE_DRM_SCHEME_CBCS, LAYOUT(8, 320, 8, 160), tfx.tee.prot_base);
	spoil(&s);
	decrypt_refused(&s, want);
	fx_sample_free(&s);
}

static void sum_too_big(struct fx_sample *s)
{
	s->desc->subsamples[1].clear_bytes++;
}

static void no_subsamples(struct fx_sample *s)
{
	s->desc->nr_subsamples = 0;
}

static void too_many(struct fx_sample *s)
{
	s->desc->nr_subsamples = TEE_DRM_SUBSAMPLES_MAX + 1;
}

static void short_output(struct fx_sample *s)
{
	s->out_len = s->len - 1;
}

static void bad_scheme(struct fx_sample *s)
{
	s->desc->scheme = 0x63656e73;	/* 'cens': not supported */
}

static void reserved_set(struct fx_sample *s)
{
	s->desc->reserved = 1;
}

static void unknown_key(struct fx_sample *s)
{
	s->desc->key_id = FX_KEY_ID + 1;
}

static void test_inconsistent_lengths_are_bad_parameters(void **state)
{
	refuse_desc(sum_too_big, TEE_ERROR_BAD_PARAMETERS);
	refuse_desc(no_subsamples, TEE_ERROR_BAD_PARAMETERS);
	refuse_desc(too_many, TEE_ERROR_BAD_PARAMETERS);
	refuse_desc(short_output, TEE_ERROR_BAD_PARAMETERS);
	refuse_desc(bad_scheme, TEE_ERROR_BAD_PARAMETERS);
	refuse_desc(reserved_set, TEE_ERROR_BAD_PARAMETERS);
}

static void test_unknown_key_is_item_not_found(void **state)
{
	refuse_desc(unknown_key, TEE_ERROR_ITEM_NOT_FOUND);
}

static void test_wrong_parameter_types_are_bad_parameters(void **state)
{
	struct fx_sample s;
	u32 session = fx_drm_session();

	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, LAYOUT(0, 32), tfx.tee.prot_base);
	fx_sample_submit(&s, session);
	assert_int_equal(fx_wait(&s.done), TEE_SUCCESS);
	s.params[2].attr = TEE_PARAM_ATTR_TYPE_MEMREF_INPUT;
	s.done.calls = 0;
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &s.arg, s.params, fx_done_cb, &s.done),
			 0);
	assert_int_equal(fx_wait(&s.done), TEE_ERROR_BAD_PARAMETERS);
	s.params[2].attr = TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
	s.params[0].u.memref.size--;
	s.done.calls = 0;
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &s.arg, s.params, fx_done_cb, &s.done),
			 0);
	assert_int_equal(fx_wait(&s.done), TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
	fx_sample_free(&s);
}

/* ---- the secure BAM stream ---- */

#define STREAM_MAX 64

struct stream {
	u16 flags[STREAM_MAX];		/* descriptors the rx pipe fetched, in order */
	unsigned int n;
	unsigned int version_after[8];	/* descriptors fetched before each VERSION write */
	unsigned int nr_version;
	unsigned int private_elements;	/* 16-byte reads of secure memory */
};

static void observe_rx(void *opaque, const struct bus_access *a)
{
	struct stream *st = opaque;
	const struct tee *t = &tfx.tee;

	if (a->master != bam_pipe_master(tfx.soc->bams[0].bam, FX_RX_PIPE))
		return;
	if (a->target == BUS_TARGET_MMIO && a->write &&
	    a->addr == tfx.soc->qce_node->reg[0].addr + QCE_VERSION) {
		assert_true(st->nr_version < ARRAY_SIZE(st->version_after));
		st->version_after[st->nr_version++] = st->n;
	}
	if (a->target != BUS_TARGET_RAM || a->write)
		return;
	if (a->addr < t->priv_base || a->addr >= t->priv_base + t->priv_size)
		return;		/* data: the input */
	if (a->len == sizeof(struct bam_desc)) {
		const struct bam_desc *d = bus_ram_backdoor(tfx.soc->bus, a->addr, a->len);

		assert_true(st->n < STREAM_MAX);
		st->flags[st->n++] = d->flags;
	} else {
		assert_int_equal(a->len, sizeof(struct bam_ce_hw));
		st->private_elements++;
	}
}

static void test_rx_stream_is_lock_program_data_nwd_unlock(void **state)
{
	const u16 lock = BAM_DESC_CMD | BAM_DESC_LOCK | BAM_DESC_INT;
	const u16 unlock = BAM_DESC_CMD | BAM_DESC_UNLOCK | BAM_DESC_INT;
	const u16 last = BAM_DESC_NWD | BAM_DESC_EOT | BAM_DESC_INT;
	/* cbcs, two sub-samples with blocks: two operations, of 2 blocks and of 1. */
	const u16 want[] = { lock, BAM_DESC_CMD, 0, last, unlock,
			     lock, BAM_DESC_CMD, last, unlock };
	struct stream st = { 0 };

	assert_int_equal(bus_add_observer(tfx.soc->bus, observe_rx, &st), 0);
	decrypt_ok(TEE_DRM_SCHEME_CBCS, LAYOUT(7, 180, 3, 20), 0x50);
	bus_remove_observer(tfx.soc->bus, observe_rx, &st);
	assert_int_equal(st.n, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < st.n; i++)
		if (st.flags[i] != want[i])
			fail_msg("descriptor %u has flags 0x%04x, want 0x%04x", i, st.flags[i],
				 want[i]);
	/* The dummy VERSION writes are the LOCK's and the UNLOCK's elements. */
	assert_int_equal(st.nr_version, 4);
	assert_int_equal(st.version_after[0], 1);
	assert_int_equal(st.version_after[1], 5);
	assert_int_equal(st.version_after[2], 6);
	assert_int_equal(st.version_after[3], 9);
	/*
	 * Every command element comes from secure memory: per operation the
	 * LOCK's, 17 register writes (key and IV included) and the UNLOCK's.
	 */
	assert_int_equal(st.private_elements, 2 * (1 + 17 + 1));
}

static void test_invokes_queue_for_the_ta_one_at_a_time(void **state)
{
	struct fx_sample s[3];
	u32 session = fx_drm_session();

	for (unsigned int i = 0; i < 3; i++) {
		fx_sample_init(&s[i], i % 2 ? TEE_DRM_SCHEME_CBCS : TEE_DRM_SCHEME_CENC,
			       LAYOUT(32, 3200 + 16 * i), tfx.tee.prot_base + 0x100000 * i);
		fx_sample_submit(&s[i], session);
	}
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 3);
	tee_fx_run();
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(s[i].done.calls, 1);
		assert_int_equal(s[i].done.ret, TEE_SUCCESS);
		fx_assert_decrypted(&s[i]);
		fx_sample_free(&s[i]);
	}
	assert_int_equal(tee_drm_stats(&tfx.tee).samples, 3);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
}

/* ---- the protected carve-out ---- */

static void test_linux_cannot_read_the_carve_out(void **state)
{
	struct cpu *cpu0 = &tfx.soc->cpus[0];
	u64 aborts = cpu0->aborts;
	u32 *secret = bus_ram_backdoor(tfx.soc->bus, tfx.tee.prot_base + 0x40, 4);

	*secret = 0x5ec2e7;
	assert_int_equal(cpu_read32(cpu0, tfx.tee.prot_base + 0x40), 0);
	/* The board's ACTION is DECERR + interrupt: an external abort, and a report. */
	assert_int_equal(cpu0->aborts, aborts + 1);
	tee_fx_run();
	assert_int_equal(tfx.tee.nr_faults, 1);
	assert_int_equal(tfx.tee.faults[0].addr, tfx.tee.prot_base + 0x40);
	assert_true(tee_range_protected(&tfx.tee, tfx.tee.prot_base, tfx.tee.prot_size));
	assert_false(tee_range_normal(&tfx.tee, tfx.tee.prot_base - 4096, 8192));
}

static void test_protecting_the_carve_out_again_takes_a_reference(void **state)
{
	unsigned int region, other;

	assert_int_equal(tee_protect_region(&tfx.tee, tfx.tee.prot_base, tfx.tee.prot_size,
					    &region), 0);
	assert_int_equal(tee_protect_region(&tfx.tee, tfx.tee.prot_base, 4096, &other), -EBUSY);
	assert_int_equal(tee_protect_region(&tfx.tee, tfx.tee.priv_base, 4096, &other), -EBUSY);
	tee_release_region(&tfx.tee, region);
	assert_true(tee_range_protected(&tfx.tee, tfx.tee.prot_base, tfx.tee.prot_size));
	decrypt_ok(TEE_DRM_SCHEME_CENC, LAYOUT(3, 300), 0x123);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEE_TEST(test_cenc_one_encrypted_range),
		TEE_TEST(test_cenc_counter_runs_across_subsamples),
		TEE_TEST(test_cenc_large_parts_span_descriptors),
		TEE_TEST(test_cenc_thirty_two_subsamples),
		TEE_TEST(test_clear_only_sample_needs_no_engine),
		TEE_TEST(test_cbcs_pattern_in_one_subsample),
		TEE_TEST(test_cbcs_chain_restarts_per_subsample),
		TEE_TEST(test_output_in_normal_memory_is_refused),
		TEE_TEST(test_output_straddling_the_protected_boundary_is_refused),
		TEE_TEST(test_input_in_secure_memory_is_access_denied),
		TEE_TEST(test_descriptor_in_protected_memory_is_access_denied),
		TEE_TEST(test_inconsistent_lengths_are_bad_parameters),
		TEE_TEST(test_unknown_key_is_item_not_found),
		TEE_TEST(test_wrong_parameter_types_are_bad_parameters),
		TEE_TEST(test_rx_stream_is_lock_program_data_nwd_unlock),
		TEE_TEST(test_invokes_queue_for_the_ta_one_at_a_time),
		TEE_TEST(test_linux_cannot_read_the_carve_out),
		TEE_TEST(test_protecting_the_carve_out_again_takes_a_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
