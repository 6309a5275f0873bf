/*
 * qce_hash.c - the crypto engine's hash operations: SHA-1 and SHA-256 and
 * their HMACs, with FIRST/LAST segments so that one hash spans several
 * operations.
 *
 * Continuation needs the raw state: a segment that is not the last leaves
 * the intermediate state words in AUTH_IV0..7 and the message bytes hashed
 * so far in AUTH_BYTECNT0..1; a segment that is not the first starts from
 * them. OpenSSL 3's EVP cannot import a raw SHA state, so this file uses
 * the low-level SHA_CTX/SHA256_CTX (deprecated in OpenSSL 3, hence the
 * define below): after SHAx_Init it sets h[] and the bit count Nl/Nh,
 * which is all the state there is at a block boundary.
 *
 * HMAC: FIRST hashes the 64-byte key block XOR ipad before the message;
 * the intermediate state then includes it (the byte count does not: the
 * engine adds the block when it resumes). LAST finishes the inner hash and
 * computes the outer one, H(key XOR opad || inner digest), from AUTH_KEY.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <stdio.h>
#include <string.h>

#include "hw/qce_internal.h"

#define QCE_HMAC_IPAD 0x36
#define QCE_HMAC_OPAD 0x5c

/** qce_hash_check - can AUTH_SEG_CFG be computed? NULL if so, else why not */
const char *qce_hash_check(const struct qce *q, bool at_start)
{
	u32 cfg = qce_rd(q, QCE_AUTH_SEG_CFG);
	u32 size = FIELD_GET(QCE_AUTH_SIZE, cfg), mode = FIELD_GET(QCE_AUTH_MODE, cfg);

	switch (FIELD_GET(QCE_AUTH_ALG, cfg)) {
	case QCE_AUTH_ALG_SHA:
		break;
	case QCE_AUTH_ALG_AES:
		return "AES CMAC and CCM authentication are not modelled";
	default:
		return "AUTH_SEG_CFG.ALG is not SHA or AES";
	}
	if (size != QCE_AUTH_SIZE_SHA1 && size != QCE_AUTH_SIZE_SHA256)
		return "AUTH_SEG_CFG.SIZE is not SHA-1 or SHA-256";
	if (mode != QCE_AUTH_MODE_HASH && mode != QCE_AUTH_MODE_HMAC)
		return "AUTH_SEG_CFG.MODE is not HASH or HMAC";
	if (cfg & (QCE_AUTH_USE_HW_KEY | QCE_AUTH_USE_PIPE_KEY))
		return "hardware and pipe keys are not modelled";
	if (cfg & QCE_AUTH_COMP_EXP_MAC)
		return "MAC comparison (COMP_EXP_MAC) is not modelled";
	if (at_start && !(cfg & QCE_AUTH_LAST) && q->op.seg_size % QCE_SHA_BLOCK)
		return "a hash segment that is not the last must be whole 64-byte blocks";
	return NULL;
}

static void qce_sha_update(struct qce_hash *h, const void *data, size_t len)
{
	if (h->sha256)
		SHA256_Update(&h->c.sha256, data, len);
	else
		SHA1_Update(&h->c.sha1, data, len);
}

static void qce_hmac_pad(struct qce_hash *h, u8 pad)
{
	u8 block[QCE_SHA_BLOCK];

	for (unsigned int i = 0; i < QCE_SHA_BLOCK; i++)
		block[i] = h->key[i] ^ pad;
	qce_sha_update(h, block, sizeof(block));
}

static void qce_sha_init(struct qce_hash *h)
{
	if (h->sha256)
		SHA256_Init(&h->c.sha256);
	else
		SHA1_Init(&h->c.sha1);
}

/* Resume from state words @w after @bytes bytes (a whole number of blocks). */
static void qce_sha_resume(struct qce_hash *h, const u32 *w, u64 bytes)
{
	u64 bits = bytes * 8;

	qce_sha_init(h);
	if (h->sha256) {
		memcpy(h->c.sha256.h, w, 8 * sizeof(u32));
		h->c.sha256.Nl = (SHA_LONG)bits;
		h->c.sha256.Nh = (SHA_LONG)(bits >> 32);
		return;
	}
	h->c.sha1.h0 = w[0];
	h->c.sha1.h1 = w[1];
	h->c.sha1.h2 = w[2];
	h->c.sha1.h3 = w[3];
	h->c.sha1.h4 = w[4];
	h->c.sha1.Nl = (SHA_LONG)bits;
	h->c.sha1.Nh = (SHA_LONG)(bits >> 32);
}

/* Take algorithm, key and starting state from the registers. */
static void qce_hash_setup(struct qce *q)
{
	struct qce_hash *h = &q->hash;
	u32 cfg = qce_rd(q, QCE_AUTH_SEG_CFG), w[8];

	h->sha256 = FIELD_GET(QCE_AUTH_SIZE, cfg) == QCE_AUTH_SIZE_SHA256;
	h->hmac = FIELD_GET(QCE_AUTH_MODE, cfg) == QCE_AUTH_MODE_HMAC;
	h->last = cfg & QCE_AUTH_LAST;
	qce_load_be_words(q, QCE_AUTH_KEY(0), h->key, QCE_SHA_BLOCK / 4);
	if (cfg & QCE_AUTH_FIRST) {
		h->count = 0;
		qce_sha_init(h);
		if (h->hmac)
			qce_hmac_pad(h, QCE_HMAC_IPAD);
		return;
	}
	h->count = qce_rd(q, QCE_AUTH_BYTECNT(0)) | (u64)qce_rd(q, QCE_AUTH_BYTECNT(1)) << 32;
	for (unsigned int i = 0; i < 8; i++)
		w[i] = qce_rd(q, QCE_AUTH_IV(i));
	qce_sha_resume(h, w, h->count + (h->hmac ? QCE_SHA_BLOCK : 0));
}

/** qce_hash_start - set the hash up for a new operation (checked already) */
const char *qce_hash_start(struct qce *q)
{
	qce_hash_setup(q);
	return NULL;
}

/** qce_hash_input - @len bytes of input from the consumer pipe */
void qce_hash_input(struct qce *q, const u8 *data, u32 len)
{
	if (q->op.broken)
		return;
	qce_sha_update(&q->hash, data, len);
	q->hash.count += len;
}

/** qce_hash_reconfigure - the settings changed mid-operation: start over from them */
void qce_hash_reconfigure(struct qce *q)
{
	const char *why;

	if (q->op.broken)
		return;
	why = qce_hash_check(q, false);
	if (why) {
		q->op.broken = true;
		qce_op_fail(q, why);
		return;
	}
	qce_hash_setup(q);
}

static unsigned int qce_sha_final(struct qce_hash *h, u8 *md)
{
	if (h->sha256) {
		SHA256_Final(md, &h->c.sha256);
		return SHA256_DIGEST_LENGTH;
	}
	SHA1_Final(md, &h->c.sha1);
	return SHA_DIGEST_LENGTH;
}

/* The state words after the last whole block (what a non-LAST segment leaves). */
static unsigned int qce_sha_state(const struct qce_hash *h, u32 *w)
{
	if (h->sha256) {
		memcpy(w, h->c.sha256.h, 8 * sizeof(u32));
		return 8;
	}
	w[0] = h->c.sha1.h0;
	w[1] = h->c.sha1.h1;
	w[2] = h->c.sha1.h2;
	w[3] = h->c.sha1.h3;
	w[4] = h->c.sha1.h4;
	return 5;
}

/**
 * qce_hash_finish - all input is in: AUTH_IV takes the digest (LAST) or the
 * intermediate state, AUTH_BYTECNT0..1 the message bytes hashed so far
 */
void qce_hash_finish(struct qce *q)
{
	struct qce_hash *h = &q->hash;
	u8 md[SHA256_DIGEST_LENGTH];
	u32 w[8];
	unsigned int n, i;

	if (q->op.broken)
		return;
	if (h->last) {
		n = qce_sha_final(h, md);
		if (h->hmac) {
			qce_sha_init(h);
			qce_hmac_pad(h, QCE_HMAC_OPAD);
			qce_sha_update(h, md, n);
			qce_sha_final(h, md);
		}
		n /= 4;
		for (i = 0; i < n; i++)
			w[i] = qce_get_be32(md + 4 * i);
	} else {
		n = qce_sha_state(h, w);
	}
	for (i = 0; i < n; i++)
		q->regs[QCE_AUTH_IV(i) / 4] = w[i];
	q->regs[QCE_AUTH_BYTECNT(0) / 4] = (u32)h->count;
	q->regs[QCE_AUTH_BYTECNT(1) / 4] = (u32)(h->count >> 32);
}

/** qce_hash_cycles - engine cycles per 16 bytes */
u32 qce_hash_cycles(const struct qce *q)
{
	return q->hash.sha256 ? q->cfg.timing.sha256_cycles : q->cfg.timing.sha1_cycles;
}

/** qce_hash_name - e.g. "hmac(sha256)", for traces */
void qce_hash_name(const struct qce *q, char *buf, size_t size)
{
	const char *alg = q->hash.sha256 ? "sha256" : "sha1";

	if (q->hash.hmac)
		snprintf(buf, size, "hmac(%s)", alg);
	else
		snprintf(buf, size, "%s", alg);
}
