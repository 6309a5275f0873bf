/*
 * tee_fixture.h - the secure world on the default board, for
 * tests/unit/test_tee_*.c: the machine boots as machine_open() boots it
 * (hardware, secure firmware, then the kernel with every built-in driver
 * and the TEE client driver), with a DRM content key provisioned; tests
 * talk to the TEE through the client API (or raw SMCs) and run the
 * simulation until it is quiescent.
 *
 * Teardown is the resource check of invariant 7 for both worlds: the
 * context closed, every driver removed, no kernel memory left, no session
 * open or call in flight in the TEE, the BAM lock free, no always() failed.
 */
#ifndef SECSOC_TEST_TEE_FIXTURE_H
#define SECSOC_TEST_TEE_FIXTURE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <secsoc/err.h>
#include <secsoc/kernel.h>
#include <secsoc/slab.h>
#include <secsoc/tee.h>

#include "helpers.h"

#define FX_KEY_ID 7
#define FX_RX_PIPE 6
#define FX_TX_PIPE 7

extern const struct platform_driver secsoc_tee_driver;

static const u8 fx_key[TEE_DRM_KEY_BYTES] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const u8 fx_drm_uuid[16] = TEE_DRM_TA_UUID;

struct tee_fx {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct tee tee;
	struct kernel k;
	struct tee_context *ctx;
	const struct platform_driver *drivers[DRIVER_CORE_DRIVERS_MAX];
};

static struct tee_fx tfx;

/* The built-in drivers, plus the TEE client driver if drivers.c does not list it yet. */
static inline unsigned int tee_fx_drivers(void)
{
	unsigned int n = 0;
	bool listed = false;

	for (unsigned int i = 0; i < kernel_nr_drivers; i++) {
		listed |= kernel_drivers[i] == &secsoc_tee_driver;
		tfx.drivers[n++] = kernel_drivers[i];
	}
	if (!listed)
		tfx.drivers[n++] = &secsoc_tee_driver;
	return n;
}

/**
 * tee_fx_boot_board - boot @dts (NULL: the default board) with @cfg; the
 * DRM key is provisioned
 */
static inline void tee_fx_boot_board(const char *dts, const struct sim_config *cfg)
{
	struct secsoc_error err = { 0 };
	unsigned int n;

	memset(&tfx, 0, sizeof(tfx));
	n = tee_fx_drivers();
	assert_int_equal(soc_load_dt(NULL, dts, &tfx.dt, &err), 0);
	tfx.sim = sim_create(cfg);
	assert_int_equal(soc_create(tfx.sim, tfx.dt, &tfx.soc, &err), 0);
	assert_int_equal(tee_boot(&tfx.tee, tfx.soc, &err), 0);
	assert_int_equal(kernel_boot(&tfx.k, tfx.soc, NULL, tfx.drivers, n, &err), 0);
	assert_int_equal(tee_drm_provision_key(&tfx.tee, FX_KEY_ID, fx_key), 0);
	tfx.ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	assert_false(IS_ERR(tfx.ctx));
}

/** tee_fx_boot_cfg - boot the default board with @cfg */
static inline void tee_fx_boot_cfg(const struct sim_config *cfg)
{
	tee_fx_boot_board(NULL, cfg);
}

static inline int tee_fx_setup(void **state)
{
	struct sim_config cfg = { .seed = 1 };

	tee_fx_boot_cfg(&cfg);
	return 0;
}

/** tee_fx_shutdown - close everything and check that nothing is left in either world */
static inline void tee_fx_shutdown(void)
{
	struct kmem_stats mem;

	if (tfx.ctx)
		tee_client_close_context(tfx.ctx);
	driver_core_remove_all(&tfx.k.dc);
	mem = kmem_stats();
	assert_int_equal(mem.objects, 0);
	assert_int_equal(mem.pages, 0);
	assert_int_equal(tee_sessions_open(&tfx.tee), 0);
	assert_int_equal(tee_calls_in_flight(&tfx.tee), 0);
	assert_false(tee_bam_busy(&tfx.tee));
	assert_int_equal(bam_lock_owner_ee(tfx.tee.bam->bam), BAM_NO_EE);
	if (sim_violation_count(tfx.sim))
		fail_msg("always() failed: %s", sim_violation(tfx.sim, 0)->msg);
	kernel_shutdown(&tfx.k);
	soc_destroy(tfx.soc);
	sim_destroy(tfx.sim);
	dt_free(tfx.dt);
}

static inline int tee_fx_teardown(void **state)
{
	tee_fx_shutdown();
	return 0;
}

#define TEE_TEST(fn) cmocka_unit_test_setup_teardown(fn, tee_fx_setup, tee_fx_teardown)

/** tee_fx_run - run the simulation until nothing is ready */
static inline void tee_fx_run(void)
{
	assert_int_equal(sim_run(tfx.sim), SIM_STOP_QUIESCENT);
}

/* ---- asynchronous calls, waited for ---- */

struct fx_done {
	unsigned int calls;
	u32 ret;
};

static inline void fx_done_cb(void *data, u32 ret)
{
	struct fx_done *d = data;

	d->calls++;
	d->ret = ret;
}

/** fx_wait - run until quiescent; @d must have completed exactly once */
static inline u32 fx_wait(const struct fx_done *d)
{
	tee_fx_run();
	assert_int_equal(d->calls, 1);
	return d->ret;
}

/** fx_open - open a session with the TA @uuid and wait; returns its return code */
static inline u32 fx_open(const u8 *uuid, u32 *session)
{
	struct tee_ioctl_open_session_arg arg = { 0 };
	struct fx_done d = { 0 };

	memcpy(arg.uuid, uuid, sizeof(arg.uuid));
	assert_int_equal(tee_client_open_session(tfx.ctx, &arg, NULL, fx_done_cb, &d), 0);
	fx_wait(&d);
	assert_int_equal(arg.ret, d.ret);
	*session = arg.session;
	return d.ret;
}

/** fx_close - close @session and wait */
static inline u32 fx_close(u32 session)
{
	struct fx_done d = { 0 };

	assert_int_equal(tee_client_close_session(tfx.ctx, session, fx_done_cb, &d), 0);
	return fx_wait(&d);
}

/** fx_drm_session - a DRM session, which must open */
static inline u32 fx_drm_session(void)
{
	u32 session = 0;

	assert_int_equal(fx_open(fx_drm_uuid, &session), TEE_SUCCESS);
	assert_int_not_equal(session, 0);
	return session;
}

/* ---- samples ---- */

/* One DRM_CMD_DECRYPT in preparation: descriptor and input in kernel memory. */
struct fx_sample {
	struct tee_drm_decrypt_desc *desc;
	u8 *clear;			/* the content (the test's copy, host memory) */
	u8 *in;				/* the encrypted sample (kernel memory) */
	u32 len;
	u64 in_pa, out_pa;
	u64 out_len;
	struct tee_param params[TEE_NUM_PARAMS];
	struct tee_ioctl_invoke_arg arg;
	struct fx_done done;
};

static inline void fx_pattern(u8 *p, size_t n, u32 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed * 131 + i * 7 + (i >> 9));
}

/*
 * What a packager does, by OpenSSL: cenc encrypts the encrypted parts as
 * one CTR stream; cbcs encrypts the first block of every ten in each
 * encrypted part, one CBC chain per sub-sample from the constant IV.
 * @enc: encrypt (package) or decrypt (the reference for the TA's output).
 */
static inline void fx_ref_crypt(const struct tee_drm_decrypt_desc *d, const u8 *src, u8 *dst,
				bool enc)
{
	bool cenc = d->scheme == TEE_DRM_SCHEME_CENC;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u32 off = 0;
	int outl;

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, cenc ? EVP_aes_128_ctr() : EVP_aes_128_cbc(),
					   NULL, fx_key, d->iv, enc), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	for (unsigned int i = 0; i < d->nr_subsamples; i++) {
		const struct tee_drm_subsample *s = &d->subsamples[i];
		u32 e = off + s->clear_bytes;

		memcpy(dst + off, src + off, s->clear_bytes + s->encrypted_bytes);
		if (cenc && s->encrypted_bytes)
			assert_int_equal(EVP_CipherUpdate(ctx, dst + e, &outl, src + e,
							  (int)s->encrypted_bytes), 1);
		if (!cenc)
			assert_int_equal(EVP_CipherInit_ex(ctx, NULL, NULL, NULL, d->iv, enc), 1);
		for (u32 b = 0; !cenc && b + 16 <= s->encrypted_bytes; b += 160)
			assert_int_equal(EVP_CipherUpdate(ctx, dst + e + b, &outl, src + e + b, 16),
					 1);
		off += s->clear_bytes + s->encrypted_bytes;
	}
	EVP_CIPHER_CTX_free(ctx);
}

/**
 * fx_sample_init - a sample of @scheme with sub-samples @layout (pairs of
 * clear, encrypted bytes), output at @out_pa
 */
static inline void fx_sample_init(struct fx_sample *s, u32 scheme, const u32 *layout,
				  unsigned int nr, u64 out_pa)
{
	memset(s, 0, sizeof(*s));
	s->desc = kzalloc(sizeof(*s->desc), GFP_KERNEL);
	assert_non_null(s->desc);
	s->desc->key_id = FX_KEY_ID;
	s->desc->scheme = scheme;
	fx_pattern(s->desc->iv, sizeof(s->desc->iv), scheme);
	s->desc->nr_subsamples = nr;
	for (unsigned int i = 0; i < nr; i++) {
		s->desc->subsamples[i] = (struct tee_drm_subsample){ layout[2 * i],
								     layout[2 * i + 1] };
		s->len += layout[2 * i] + layout[2 * i + 1];
	}
	s->clear = malloc(s->len);
	s->in = kmalloc(s->len, GFP_KERNEL);
	assert_non_null(s->clear);
	assert_non_null(s->in);
	fx_pattern(s->clear, s->len, s->len);
	fx_ref_crypt(s->desc, s->clear, s->in, true);
	s->in_pa = virt_to_phys(s->in);
	s->out_pa = out_pa;
	s->out_len = s->len;
}

/** fx_sample_submit - post the decrypt in @session (the invoke must be accepted) */
static inline void fx_sample_submit(struct fx_sample *s, u32 session)
{
	s->params[0] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = virt_to_phys(s->desc), .size = sizeof(*s->desc) } };
	s->params[1] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = s->in_pa, .size = s->len } };
	s->params[2] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
		.u.memref = { .pa = s->out_pa, .size = s->out_len } };
	s->arg = (struct tee_ioctl_invoke_arg){ .func = TEE_DRM_CMD_DECRYPT, .session = session,
						.num_params = 3 };
	assert_int_equal(tee_client_invoke_func(tfx.ctx, &s->arg, s->params, fx_done_cb,
						&s->done), 0);
}

/** fx_sample_decrypt - submit and wait; returns the TEE return code */
static inline u32 fx_sample_decrypt(struct fx_sample *s, u32 session)
{
	fx_sample_submit(s, session);
	return fx_wait(&s->done);
}

/** fx_out - the output as the backdoor sees it (checkers are outside the model) */
static inline const u8 *fx_out(const struct fx_sample *s)
{
	const u8 *p = bus_ram_backdoor(tfx.soc->bus, s->out_pa, s->len);

	assert_non_null(p);
	return p;
}

/*
 * fx_assert_decrypted - the protected output is OpenSSL's decryption of the
 * input, byte for byte (and that is the content the test started from)
 */
static inline void fx_assert_decrypted(const struct fx_sample *s)
{
	const u8 *out = fx_out(s);
	u8 *ref = malloc(s->len);

	assert_non_null(ref);
	fx_ref_crypt(s->desc, s->in, ref, false);
	assert_memory_equal(ref, s->clear, s->len);
	for (u32 i = 0; i < s->len; i++)
		if (out[i] != ref[i])
			fail_msg("byte %u of %u: got %02x, want %02x", i, s->len, out[i], ref[i]);
	free(ref);
}

static inline void fx_sample_free(struct fx_sample *s)
{
	kfree(s->desc);
	kfree(s->in);
	free(s->clear);
}

#endif /* SECSOC_TEST_TEE_FIXTURE_H */
