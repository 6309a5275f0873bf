/*
 * bench_crypt.c - `secsoc bench crypt`: synchronous AES-256-XTS requests
 * through the whole normal-world stack (crypto API, QCE driver, BAM driver,
 * BAM and QCE models) on the built-in SoC.
 *
 * Modelled figures: for request sizes 256 B .. 64 KiB, each request
 * submitted when the previous one completed (as fscrypt's synchronous
 * 4 KiB messages in the published SM8650 measurement, reference §5), the
 * bytes per modelled second under the policies `none` and `nwd`
 * uncontended and `nwd` while the DRM TA decrypts samples on the same
 * engine, and the cost of the lock (nwd against none) in percent. The
 * 4 KiB nwd figure is the calibration point of docs/timing.md.
 *
 * Host figures: the same stack under `nwd` against raw OpenSSL EVP doing
 * the same requests (same key, one data unit per request, the request's
 * sector number as tweak) on the same buffers, side by side; the outputs
 * must match byte for byte.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include <secsoc/crypto.h>
#include <secsoc/err.h>
#include <secsoc/slab.h>

#include "bench/bench.h"
#include "scenarios/scenario.h"

#define CRYPT_DRIVER "xts-aes-qce"
#define CRYPT_KEY_BYTES 64			/* AES-256-XTS: two 256-bit keys */
#define CRYPT_MODEL_BYTES (512u << 10)		/* per size: 8 requests of 64 KiB */
#define CRYPT_HOST_BYTES (4u << 20)		/* per timed round, for the host figures */
#define CRYPT_QUICK_BYTES (64u << 10)
#define CRYPT_CALIBRATION_SIZE 4096
#define CRYPT_CALIBRATION_MBPS 73.0		/* SM8650 QCE, xts-aes-qce, 4 KiB (ref. §5) */
#define CRYPT_CALIBRATION_TOLERANCE 0.25

static const unsigned int model_sizes[] = { 256, 512, 1024, 4096, 16384, 65536 };

/* The host targets of the issue: ratio to raw OpenSSL per request size. */
static const struct {
	unsigned int size;
	double target;
} host_points[] = { { 4096, 0.3 }, { 65536, 0.8 } };

enum crypt_setup { SETUP_NONE, SETUP_NWD, SETUP_NWD_LOAD, SETUP_NR };

static const char *const setup_names[SETUP_NR] = { "none", "nwd", "nwd_tee_load" };

struct crypt_rig {
	struct machine m;
	struct drm_load *load;
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct crypto_wait wait;
	u8 key[CRYPT_KEY_BYTES];
	u8 *src, *dst;			/* kernel memory, bytes each */
	u8 *ref;			/* host memory: OpenSSL's output */
	u32 bytes;
	unsigned int len, reqs;		/* request size, requests per round */
	EVP_CIPHER_CTX *evp;
};

static int rig_open(struct crypt_rig *rig, enum crypt_setup setup, struct secsoc_error *err)
{
	struct sim_config sc = { .seed = 1, .max_steps = ~0ULL >> 1, .jitter_pct = 0,
				 .no_choice_log = true,
				 .lock_policy = setup == SETUP_NONE ? "none" : "nwd" };
	int ret = machine_open(&rig->m, NULL, NULL, &sc, SCENARIO_NEEDS_RAM, err);

	if (ret)
		return ret;
	rig->tfm = crypto_alloc_skcipher(CRYPT_DRIVER, 0, 0);
	if (IS_ERR(rig->tfm)) {
		ret = (int)PTR_ERR(rig->tfm);
		rig->tfm = NULL;
		return internal_error(err, "bench crypt: no %s on the built-in SoC (%d): is the "
				      "QCE driver bound?", CRYPT_DRIVER, ret);
	}
	for (unsigned int i = 0; i < CRYPT_KEY_BYTES; i++)
		rig->key[i] = (u8)(i * 37 + 11);
	ret = crypto_skcipher_setkey(rig->tfm, rig->key, CRYPT_KEY_BYTES);
	rig->req = skcipher_request_alloc(rig->tfm, GFP_KERNEL);
	rig->src = alloc_pages_exact(rig->bytes, GFP_KERNEL);
	rig->dst = alloc_pages_exact(rig->bytes, GFP_KERNEL);
	rig->ref = malloc(rig->bytes);
	rig->evp = EVP_CIPHER_CTX_new();
	if (ret || !rig->req || !rig->src || !rig->dst || !rig->ref || !rig->evp)
		return internal_error(err, "bench crypt: setting up %s failed (setkey %d, or out "
				      "of memory)", CRYPT_DRIVER, ret);
	skcipher_request_set_callback(rig->req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done,
				      &rig->wait);
	for (u32 i = 0; i < rig->bytes; i++)
		rig->src[i] = (u8)(i * 2654435761u >> 24);
	if (setup == SETUP_NWD_LOAD) {
		rig->load = drm_load_start(&rig->m, 1, err);
		if (!rig->load)
			return -EINVAL;
	}
	return 0;
}

/* Stop the TA's load and let what it has in flight finish. */
static int rig_drain(struct crypt_rig *rig, struct secsoc_error *err)
{
	if (!rig->load)
		return 0;
	drm_load_stop(rig->load);
	while (!drm_load_idle(rig->load))
		if (!sim_step_once(rig->m.sim))
			return internal_error(err, "bench crypt: the DRM TA's load never went idle");
	if (drm_load_errors(rig->load))
		return internal_error(err, "bench crypt: %llu DRM samples failed",
				      (unsigned long long)drm_load_errors(rig->load));
	return 0;
}

static void rig_close(struct crypt_rig *rig)
{
	if (rig->load)
		drm_load_free(rig->load);
	if (rig->src)
		free_pages_exact(rig->src, rig->bytes);
	if (rig->dst)
		free_pages_exact(rig->dst, rig->bytes);
	skcipher_request_free(rig->req);
	if (rig->tfm)
		crypto_free_skcipher(rig->tfm);
	if (rig->m.sim)
		machine_close(&rig->m);
	EVP_CIPHER_CTX_free(rig->evp);
	free(rig->ref);
}

/* The tweak of request @i: its sector number, little-endian (dm-crypt plain64). */
static void sector_iv(u8 iv[16], u64 i)
{
	memset(iv, 0, 16);
	for (unsigned int b = 0; b < 8; b++)
		iv[b] = (u8)(i >> (8 * b));
}

static int stack_request(struct crypt_rig *rig, unsigned int i, struct secsoc_error *err)
{
	struct scatterlist src, dst;
	u8 iv[16];
	int ret;

	sector_iv(iv, i);
	sg_init_one(&src, rig->src + (size_t)i * rig->len, rig->len);
	sg_init_one(&dst, rig->dst + (size_t)i * rig->len, rig->len);
	skcipher_request_set_crypt(rig->req, &src, &dst, rig->len, iv);
	ret = crypto_wait_req(crypto_skcipher_encrypt(rig->req), &rig->wait);
	if (ret)
		return internal_error(err, "bench crypt: a %u-byte %s request failed (%d)",
				      rig->len, CRYPT_DRIVER, ret);
	return 0;
}

static int stack_round(void *ctx, struct secsoc_error *err)
{
	struct crypt_rig *rig = ctx;

	for (unsigned int i = 0; i < rig->reqs; i++)
		if (stack_request(rig, i, err))
			return -EINVAL;
	return 0;
}

/* Raw OpenSSL: the key schedule once, as the tfm's setkey; one IV per request. */
static int openssl_round(void *ctx, struct secsoc_error *err)
{
	struct crypt_rig *rig = ctx;
	u8 iv[16];
	int outl;

	if (!EVP_EncryptInit_ex2(rig->evp, EVP_aes_256_xts(), rig->key, NULL, NULL))
		return internal_error(err, "bench crypt: OpenSSL refused the XTS key");
	for (unsigned int i = 0; i < rig->reqs; i++) {
		sector_iv(iv, i);
		if (!EVP_EncryptInit_ex2(rig->evp, NULL, NULL, iv, NULL) ||
		    !EVP_EncryptUpdate(rig->evp, rig->ref + (size_t)i * rig->len, &outl,
				       rig->src + (size_t)i * rig->len, (int)rig->len))
			return internal_error(err, "bench crypt: OpenSSL XTS failed");
	}
	return 0;
}

/* The stack's output (dst) against OpenSSL's (ref) for the last round. */
static int outputs_match(struct crypt_rig *rig, struct secsoc_error *err)
{
	if (memcmp(rig->dst, rig->ref, (size_t)rig->reqs * rig->len)) {
		internal_error(err, "bench crypt: %u-byte requests through the stack differ from "
			       "OpenSSL", rig->len);
		return -EBADMSG;
	}
	return 0;
}

/* Modelled bytes per second of @rig's synchronous requests of @len bytes. */
static int modelled_rate(struct crypt_rig *rig, unsigned int len, double *bps,
			 struct secsoc_error *err)
{
	u64 t0 = sim_now_ns(rig->m.sim);
	int ret;

	rig->len = len;
	rig->reqs = rig->bytes / len;
	ret = stack_round(rig, err);
	if (!ret)
		ret = openssl_round(rig, err);
	if (!ret)
		ret = outputs_match(rig, err);
	*bps = (double)rig->reqs * len * 1e9 / (double)(sim_now_ns(rig->m.sim) - t0);
	return ret;
}

static int modelled_setup(enum crypt_setup setup, const struct bench_options *opt,
			  double bps[ARRAY_SIZE(model_sizes)], struct secsoc_error *err)
{
	struct crypt_rig rig = { .bytes = opt->quick ? CRYPT_QUICK_BYTES : CRYPT_MODEL_BYTES };
	int ret = rig_open(&rig, setup, err);

	for (size_t s = 0; s < ARRAY_SIZE(model_sizes) && !ret; s++)
		ret = modelled_rate(&rig, model_sizes[s], &bps[s], err);
	if (!ret)
		ret = rig_drain(&rig, err);
	rig_close(&rig);
	return ret;
}

static void report_modelled(struct report *r, double bps[SETUP_NR][ARRAY_SIZE(model_sizes)])
{
	report_list_begin(r, "modelled");
	for (size_t s = 0; s < ARRAY_SIZE(model_sizes); s++) {
		report_row_begin(r);
		report_u64(r, "request_bytes", model_sizes[s]);
		for (unsigned int k = 0; k < SETUP_NR; k++) {
			char key[48];

			snprintf(key, sizeof(key), "%s_MB_per_s", setup_names[k]);
			report_double(r, key, bps[k][s] / 1e6);
		}
		report_double(r, "lock_overhead_pct",
			      (bps[SETUP_NONE][s] / bps[SETUP_NWD][s] - 1.0) * 100.0);
		report_row_end(r);
	}
	report_list_end(r);
}

static void report_calibration(struct report *r, double mbps)
{
	double lo = CRYPT_CALIBRATION_MBPS * (1 - CRYPT_CALIBRATION_TOLERANCE);
	double hi = CRYPT_CALIBRATION_MBPS * (1 + CRYPT_CALIBRATION_TOLERANCE);

	report_section_begin(r, "calibration");
	report_str(r, "point", "synchronous 4 KiB AES-256-XTS, nwd, uncontended (modelled)");
	report_double(r, "modelled_MB_per_s", mbps);
	report_double(r, "target_MB_per_s", CRYPT_CALIBRATION_MBPS);
	report_str(r, "source", "SM8650 HDK, xts-aes-qce, 4 KiB (Eric Biggers, Jul 2025)");
	report_bool(r, "met", mbps >= lo && mbps <= hi);
	report_section_end(r);
}

static int host_point(const struct bench_options *opt, unsigned int i, struct report *r,
		      struct secsoc_error *err)
{
	struct crypt_rig rig = { .bytes = opt->quick ? CRYPT_QUICK_BYTES : CRYPT_HOST_BYTES };
	struct bench_pair p;
	int ret = rig_open(&rig, SETUP_NWD, err);

	rig.len = host_points[i].size;
	rig.reqs = rig.bytes / rig.len;
	if (!ret)
		ret = bench_side_by_side(stack_round, openssl_round, &rig, opt->quick ? 1 : 5, &p,
					 err);
	/* Both sides wrote their last round's output: compare, nothing to recompute. */
	if (!ret)
		ret = outputs_match(&rig, err);
	if (!ret) {
		double bytes = (double)rig.bytes;

		report_row_begin(r);
		report_u64(r, "request_bytes", rig.len);
		report_double(r, "host_MB_per_s", bytes * 1e3 / (double)p.model_ns);
		report_double(r, "openssl_MB_per_s", bytes * 1e3 / (double)p.reference_ns);
		bench_report_ratio(r, "ratio_vs_openssl", &p, host_points[i].target);
		report_row_end(r);
	}
	rig_close(&rig);
	return ret;
}

static int bench_crypt_run(const struct bench_options *opt, struct report *r,
			   struct secsoc_error *err)
{
	double bps[SETUP_NR][ARRAY_SIZE(model_sizes)] = { { 0 } };
	int ret = 0;

	report_str(r, "board", "built-in secsoc.dts");
	report_str(r, "algorithm", "xts(aes), 256-bit keys, driver " CRYPT_DRIVER);
	report_str(r, "requests", "synchronous: each submitted when the previous completed");
	for (unsigned int k = 0; k < SETUP_NR && !ret; k++)
		ret = modelled_setup(k, opt, bps[k], err);
	if (ret)
		return ret;
	report_modelled(r, bps);
	for (size_t s = 0; s < ARRAY_SIZE(model_sizes); s++)
		if (model_sizes[s] == CRYPT_CALIBRATION_SIZE)
			report_calibration(r, bps[SETUP_NWD][s] / 1e6);
	report_list_begin(r, "host");
	for (size_t i = 0; i < ARRAY_SIZE(host_points) && !ret; i++)
		ret = host_point(opt, (unsigned int)i, r, err);
	report_list_end(r);
	return ret;
}

const struct bench bench_crypt = {
	.name = "crypt",
	.summary = "AES-256-XTS through crypto API, QCE driver, BAM: modelled MB/s per policy, "
		   "host vs raw OpenSSL",
	.run = bench_crypt_run,
};
