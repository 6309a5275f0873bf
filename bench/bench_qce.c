/*
 * bench_qce.c - `secsoc bench qce`: how fast the crypto engine model runs
 * on this host, against raw OpenSSL EVP on the same buffers.
 *
 * The engine runs detached from any BAM: the benchmark plays the pipes,
 * pushing input through the engine's port and lending it the output buffer
 * (qce_set_dout_buffer), so what is measured is the engine model itself:
 * every register write of the Linux driver's programming sequence, the
 * engine's sim steps, the result dump. The reference does the same
 * operation (key set-up included) with EVP on the same input and output
 * buffers. AES-256-XTS, AES-128-CBC and SHA-256, at 4 KiB and 64 KiB.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <secsoc/qce.h>
#include <secsoc/sim.h>

#include "bench/bench.h"

#define QB_BASE 0x01dfa000ULL
#define QB_ROUND_BYTES (4u << 20)	/* bytes per timed round and size */
#define QB_RX 0				/* pipe pair 0 */
#define QB_TX 1
/* CONFIG as the driver writes it for pair 0: REQ_SIZE 7, interrupts masked. */
#define QB_CONFIG_BE 0x000e000bu
#define QB_CONFIG_LE (QB_CONFIG_BE | QCE_CONFIG_LITTLE_ENDIAN_MODE)

enum qb_alg { QB_XTS256, QB_CBC128, QB_SHA256, QB_NR_ALGS };

static const char *const qb_alg_names[QB_NR_ALGS] = {
	[QB_XTS256] = "aes-256-xts", [QB_CBC128] = "aes-128-cbc", [QB_SHA256] = "sha256",
};

static const u32 sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

struct qce_rig {
	struct sim *sim;
	struct bus *bus;
	struct qce *qce;
	struct bus_master cpu;
	EVP_CIPHER_CTX *cctx;
	EVP_MD_CTX *mctx;
	EVP_CIPHER *xts, *cbc;
	EVP_MD *sha256;
	u8 *in, *out;
	u8 key[64], iv[16], md[32];
	u8 dump[QCE_RESULT_DUMP_BYTES];
	enum qb_alg alg;
	u32 len;
};

static void reg(struct qce_rig *rig, u32 off, u32 val)
{
	bus_write_sized(rig->bus, &rig->cpu, QB_BASE + off, 4, val);
}

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void program_cipher(struct qce_rig *rig)
{
	bool xts = rig->alg == QB_XTS256;
	unsigned int key_words = xts ? 8 : 4;
	u32 cfg = (u32)(FIELD_PREP(QCE_ENCR_ALG, QCE_ENCR_ALG_AES) |
			FIELD_PREP(QCE_ENCR_KEY_SZ, xts ? QCE_ENCR_KEY_SZ_AES256 :
				   QCE_ENCR_KEY_SZ_AES128) |
			FIELD_PREP(QCE_ENCR_MODE, xts ? QCE_ENCR_MODE_XTS : QCE_ENCR_MODE_CBC) |
			QCE_ENCR_ENCODE);

	reg(rig, QCE_AUTH_SEG_CFG, 0);
	if (xts) {
		for (unsigned int i = 0; i < key_words; i++)
			reg(rig, QCE_ENCR_XTS_KEY(i), be32_at(rig->key + 32 + 4 * i));
		reg(rig, QCE_ENCR_XTS_DU_SIZE, rig->len);
	}
	for (unsigned int i = 0; i < key_words; i++)
		reg(rig, QCE_ENCR_KEY(i), be32_at(rig->key + 4 * i));
	for (unsigned int i = 0; i < 4; i++)
		reg(rig, QCE_CNTR_IV(i), be32_at(rig->iv + 4 * i));
	reg(rig, QCE_ENCR_SEG_CFG, cfg);
	reg(rig, QCE_ENCR_SEG_SIZE, rig->len);
	reg(rig, QCE_ENCR_SEG_START, 0);
}

static void program_hash(struct qce_rig *rig)
{
	for (unsigned int i = 0; i < 8; i++)
		reg(rig, QCE_AUTH_IV(i), sha256_iv[i]);
	reg(rig, QCE_AUTH_BYTECNT(0), 0);
	reg(rig, QCE_AUTH_BYTECNT(1), 0);
	reg(rig, QCE_AUTH_SEG_CFG, (u32)(FIELD_PREP(QCE_AUTH_ALG, QCE_AUTH_ALG_SHA) |
					 FIELD_PREP(QCE_AUTH_SIZE, QCE_AUTH_SIZE_SHA256) |
					 QCE_AUTH_FIRST | QCE_AUTH_LAST));
	reg(rig, QCE_AUTH_SEG_SIZE, rig->len);
	reg(rig, QCE_AUTH_SEG_START, 0);
	reg(rig, QCE_ENCR_SEG_CFG, 0);
}

/* One request as the driver makes it, with the benchmark playing the pipes. */
static int model_op(struct qce_rig *rig, struct secsoc_error *err)
{
	u32 pushed = 0;

	qce_set_dout_buffer(rig->qce, rig->alg == QB_SHA256 ? NULL : rig->out,
			    rig->alg == QB_SHA256 ? 0 : rig->len);
	reg(rig, QCE_STATUS, 0);
	reg(rig, QCE_CONFIG, QB_CONFIG_BE);
	if (rig->alg == QB_SHA256)
		program_hash(rig);
	else
		program_cipher(rig);
	reg(rig, QCE_SEG_SIZE, rig->len);
	reg(rig, QCE_CONFIG, QB_CONFIG_LE);
	reg(rig, QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
	sim_run(rig->sim);
	while (pushed < rig->len) {
		u32 n = MIN(qce_periph_ops.din_space(rig->qce, QB_RX), rig->len - pushed);

		if (!n)
			return internal_error(err, "bench qce: the engine stopped taking input "
					      "after %u of %u bytes", pushed, rig->len);
		qce_periph_ops.din_push(rig->qce, QB_RX, rig->in + pushed, n,
					pushed + n == rig->len);
		pushed += n;
		sim_run(rig->sim);
	}
	qce_periph_ops.dout_pull(rig->qce, QB_TX, rig->dump, sizeof(rig->dump));
	sim_run(rig->sim);
	if (qce_busy(rig->qce) || (rig->alg != QB_SHA256 &&
				   qce_dout_buffer_used(rig->qce) != rig->len))
		return internal_error(err, "bench qce: %s of %u bytes did not finish",
				      qb_alg_names[rig->alg], rig->len);
	return 0;
}

static int reference_op(struct qce_rig *rig, struct secsoc_error *err)
{
	int len = 0, fin = 0;
	unsigned int mdlen;

	if (rig->alg == QB_SHA256) {
		if (!EVP_DigestInit_ex2(rig->mctx, rig->sha256, NULL) ||
		    !EVP_DigestUpdate(rig->mctx, rig->in, rig->len) ||
		    !EVP_DigestFinal_ex(rig->mctx, rig->md, &mdlen))
			return internal_error(err, "bench qce: OpenSSL SHA-256 failed");
		return 0;
	}
	if (!EVP_CipherInit_ex2(rig->cctx, rig->alg == QB_XTS256 ? rig->xts : rig->cbc, rig->key,
				rig->iv, 1, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(rig->cctx, 0) ||
	    !EVP_CipherUpdate(rig->cctx, rig->out, &len, rig->in, (int)rig->len) ||
	    !EVP_CipherFinal_ex(rig->cctx, rig->out + len, &fin))
		return internal_error(err, "bench qce: OpenSSL %s failed", qb_alg_names[rig->alg]);
	return 0;
}

static int model_round(void *ctx, struct secsoc_error *err)
{
	struct qce_rig *rig = ctx;

	for (u32 done = 0; done < QB_ROUND_BYTES; done += rig->len)
		if (model_op(rig, err))
			return -EINVAL;
	return 0;
}

static int reference_round(void *ctx, struct secsoc_error *err)
{
	struct qce_rig *rig = ctx;

	for (u32 done = 0; done < QB_ROUND_BYTES; done += rig->len)
		if (reference_op(rig, err))
			return -EINVAL;
	return 0;
}

/* Before timing anything: the model's answer must be OpenSSL's. */
static int check_same_answer(struct qce_rig *rig, struct secsoc_error *err)
{
	u8 *want = malloc(rig->len);
	int ret = -ENOMEM;

	if (!want)
		return internal_error(err, "bench qce: out of memory");
	if (reference_op(rig, err))
		goto out;
	memcpy(want, rig->alg == QB_SHA256 ? rig->md : rig->out,
	       rig->alg == QB_SHA256 ? sizeof(rig->md) : rig->len);
	memset(rig->out, 0, rig->len);
	if (model_op(rig, err))
		goto out;
	/* SHA-256: the digest is the dump's auth_iv, big-endian words in LE mode. */
	ret = memcmp(want, rig->alg == QB_SHA256 ? rig->dump : rig->out,
		     rig->alg == QB_SHA256 ? sizeof(rig->md) : rig->len) ?
	      internal_error(err, "bench qce: the model's %s of %u bytes differs from OpenSSL",
			     qb_alg_names[rig->alg], rig->len) : 0;
out:
	free(want);
	return ret;
}

static int rig_create(struct qce_rig *rig, struct secsoc_error *err)
{
	struct sim_config sc = { .seed = 1, .max_steps = ~0ULL >> 1 };
	struct qce_config qc = {
		.name = "bench-qce", .base = QB_BASE, .version = 0x05060000, .nr_pipe_pairs = 1,
		.timing = qce_timing_defaults,
	};

	*rig = (struct qce_rig){ .cpu = { .name = "bench-cpu", .kind = BUS_MASTER_CPU } };
	rig->sim = sim_create(&sc);
	rig->bus = bus_create();
	rig->in = malloc(64 * 1024);
	rig->out = malloc(64 * 1024);
	rig->cctx = EVP_CIPHER_CTX_new();
	rig->mctx = EVP_MD_CTX_new();
	rig->xts = EVP_CIPHER_fetch(NULL, "AES-256-XTS", NULL);
	rig->cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
	rig->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!rig->sim || !rig->bus || !rig->in || !rig->out || !rig->cctx || !rig->mctx ||
	    !rig->xts || !rig->cbc || !rig->sha256)
		return internal_error(err, "bench qce: out of memory or OpenSSL algorithms missing");
	rig->qce = qce_create(rig->sim, rig->bus, NULL, &qc, err);
	if (!rig->qce)
		return -EINVAL;
	for (unsigned int i = 0; i < sizeof(rig->key); i++)
		rig->key[i] = (u8)(i * 7 + 1);	/* XTS halves differ, as OpenSSL requires */
	for (u32 i = 0; i < 64 * 1024; i++)
		rig->in[i] = (u8)(i * 2654435761u >> 24);
	return 0;
}

static void rig_destroy(struct qce_rig *rig)
{
	qce_destroy(rig->qce);
	EVP_MD_free(rig->sha256);
	EVP_CIPHER_free(rig->cbc);
	EVP_CIPHER_free(rig->xts);
	EVP_MD_CTX_free(rig->mctx);
	EVP_CIPHER_CTX_free(rig->cctx);
	free(rig->out);
	free(rig->in);
	bus_destroy(rig->bus);
	sim_destroy(rig->sim);
}

static int measure(struct qce_rig *rig, const struct bench_options *opt, struct report *r,
		   struct secsoc_error *err)
{
	static const u32 sizes[] = { 4096, 65536 };
	struct bench_pair p;

	report_list_begin(r, "results");
	for (unsigned int a = 0; a < QB_NR_ALGS; a++) {
		for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
			rig->alg = (enum qb_alg)a;
			rig->len = sizes[s];
			if (check_same_answer(rig, err) ||
			    bench_side_by_side(model_round, reference_round, rig,
					       opt->quick ? 1 : 7, &p, err))
				return -EINVAL;
			report_row_begin(r);
			report_str(r, "algorithm", qb_alg_names[a]);
			report_u64(r, "bytes", sizes[s]);
			report_double(r, "host_bytes_per_s", QB_ROUND_BYTES * 1e9 / p.model_ns);
			report_double(r, "openssl_bytes_per_s",
				      QB_ROUND_BYTES * 1e9 / p.reference_ns);
			/* The target is for 64 KiB requests; 4 KiB is reported for scale. */
			if (sizes[s] == 65536)
				bench_report_ratio(r, "ratio_vs_openssl", &p, 0.9);
			else
				report_double(r, "ratio_vs_openssl",
					      (double)p.reference_ns / (double)p.model_ns);
			report_row_end(r);
		}
	}
	report_list_end(r);
	return 0;
}

static int bench_qce_run(const struct bench_options *opt, struct report *r,
			 struct secsoc_error *err)
{
	struct qce_rig rig;
	int ret = rig_create(&rig, err);

	if (!ret)
		ret = measure(&rig, opt, r, err);
	rig_destroy(&rig);
	return ret;
}

const struct bench bench_qce = {
	.name = "qce",
	.summary = "QCE model alone: AES-256-XTS, AES-128-CBC, SHA-256 vs raw OpenSSL EVP",
	.run = bench_qce_run,
};
