/*
 * sha.c - the crypto engine driver's hashes (drivers/crypto/qce/sha.c):
 * sha1, sha256, hmac(sha1) and hmac(sha256), registered at priority 175,
 * with init/update/final/finup/digest and export/import of a partial hash.
 *
 * Only whole 64-byte blocks reach the engine before the final request, and
 * an update whose data ends on a block boundary still holds its last block
 * back (as mainline's qce_ahash_update), so the final request carries
 * 1..64 bytes; only an empty message ends with a 0-byte LAST segment, which
 * the engine runs from its registers alone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/crypto/qce/core.h"
#include "drivers/crypto/qce/sha.h"

#define QCE_AHASH_PRIORITY 175		/* below the CPU's SHA (commit 49b9258b05b9) */

static const u32 std_iv_sha1[] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
};

static const u32 std_iv_sha256[] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

struct qce_alg_template *qce_ahash_tmpl(struct crypto_tfm *tfm)
{
	struct ahash_alg *alg = container_of(crypto_tfm_alg(tfm), struct ahash_alg, halg.base);

	return container_of(alg, struct qce_alg_template, alg.ahash);
}

static struct qce_alg_template *qce_req_tmpl(struct ahash_request *req)
{
	return qce_ahash_tmpl(req->base.tfm);
}

/* ---- the engine side ---- */

static void qce_ahash_unmap(struct qce_dma_data *dma, struct qce_sha_reqctx *rctx)
{
	qce_sg_free(dma, &rctx->tx);
	qce_sg_free(dma, &rctx->rx);
}

/* Input: the held-back bytes, then the request's own; output: the result dump. */
static int qce_ahash_async_req_handle(struct crypto_async_request *async_req)
{
	struct ahash_request *req = container_of(async_req, struct ahash_request, base);
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	struct qce_device *qce = qce_req_tmpl(req)->qce;
	struct qce_dma_data *dma = &qce->dma;
	int ret;

	memcpy(dma->pending_buf, rctx->tmpbuf, rctx->tmplen);
	ret = qce_sg_build(&rctx->rx, dma->pending_buf, rctx->tmplen, rctx->src, rctx->src_len,
			   NULL, 0);
	if (!ret)
		ret = qce_sg_build(&rctx->tx, NULL, 0, NULL, 0, dma->result_buf,
				   QCE_RESULT_BUF_SZ);
	if (!ret)
		ret = qce_sg_map(dma, &rctx->rx, DMA_TO_DEVICE);
	if (!ret)
		ret = qce_sg_map(dma, &rctx->tx, DMA_FROM_DEVICE);
	if (!ret)
		ret = qce_run(qce, async_req, &rctx->rx, &rctx->tx);
	if (ret)
		qce_ahash_unmap(dma, rctx);
	return ret;
}

/*
 * The dump's AUTH_IV is the state (or the digest after LAST) as digest
 * bytes; its AUTH_BYTECNT words, stored big-endian, are the bytes hashed.
 */
static int qce_ahash_async_req_done(struct crypto_async_request *async_req, int err)
{
	struct ahash_request *req = container_of(async_req, struct ahash_request, base);
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	struct qce_device *qce = qce_req_tmpl(req)->qce;
	unsigned int digestsize = crypto_ahash_digestsize(crypto_ahash_reqtfm(req));
	const u8 *dump = qce->dma.result_buf;
	u32 status;

	qce_ahash_unmap(&qce->dma, rctx);
	if (err)
		return err;
	err = qce_check_status(qce, &status);
	if (err) {
		dev_err(qce->dev, "ahash operation failed: STATUS 0x%08x", status);
		return err;
	}
	memcpy(rctx->digest, dump + offsetof(struct qce_result_dump, auth_iv), digestsize);
	for (unsigned int i = 0; i < 2; i++)
		rctx->byte_count[i] = get_unaligned_be32(dump + offsetof(struct qce_result_dump,
								   auth_byte_count[i]));
	rctx->first_blk = false;
	if (rctx->last_blk && req->result)
		memcpy(req->result, rctx->digest, digestsize);
	return 0;
}

/* ---- the API side ---- */

static int qce_ahash_init(struct ahash_request *req)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	struct qce_alg_template *tmpl = qce_req_tmpl(req);
	unsigned int words = crypto_ahash_digestsize(crypto_ahash_reqtfm(req)) / 4;

	memset(rctx, 0, sizeof(*rctx));
	rctx->first_blk = true;
	rctx->flags = tmpl->alg_flags;
	for (unsigned int i = 0; i < words; i++)
		put_unaligned_be32(rctx->digest + 4 * i, tmpl->std_iv[i]);
	return 0;
}

/* Send the held-back bytes and @src_len bytes of @src; a refused request changes nothing. */
static int qce_ahash_enqueue(struct ahash_request *req, struct scatterlist *src,
			     unsigned int src_len, bool last)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	int ret;

	rctx->src = src;
	rctx->src_len = src_len;
	rctx->last_blk = last;
	ret = qce_async_request_enqueue(qce_req_tmpl(req)->qce, &req->base);
	if (ret == -ENOSPC) {
		memcpy(rctx->buf, rctx->tmpbuf, rctx->tmplen);
		rctx->buflen = rctx->tmplen;
	}
	return ret;
}

static int qce_ahash_update(struct ahash_request *req)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	unsigned int blocksize = crypto_ahash_blocksize(crypto_ahash_reqtfm(req));
	unsigned int total = rctx->buflen + req->nbytes, hash_later;
	int ret;

	if (total <= blocksize) {
		if (qce_sg_copy(rctx->buf + rctx->buflen, req->src, 0, req->nbytes))
			return -EINVAL;
		rctx->buflen = total;
		rctx->count += req->nbytes;
		return 0;
	}
	/* Keep a block back even on a boundary: the final request needs data. */
	hash_later = total % blocksize ? total % blocksize : blocksize;
	memcpy(rctx->tmpbuf, rctx->buf, rctx->buflen);
	rctx->tmplen = rctx->buflen;
	if (qce_sg_copy(rctx->buf, req->src, req->nbytes - hash_later, hash_later))
		return -EINVAL;
	rctx->buflen = hash_later;
	ret = qce_ahash_enqueue(req, req->src, req->nbytes - hash_later, false);
	if (ret != -ENOSPC)
		rctx->count += req->nbytes;
	return ret;
}

static int qce_ahash_final(struct ahash_request *req)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);

	memcpy(rctx->tmpbuf, rctx->buf, rctx->buflen);
	rctx->tmplen = rctx->buflen;
	return qce_ahash_enqueue(req, NULL, 0, true);
}

static int qce_ahash_finup(struct ahash_request *req)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	int ret;

	if (qce_sg_copy(NULL, req->src, req->nbytes, 0))
		return -EINVAL;
	memcpy(rctx->tmpbuf, rctx->buf, rctx->buflen);
	rctx->tmplen = rctx->buflen;
	ret = qce_ahash_enqueue(req, req->src, req->nbytes, true);
	if (ret != -ENOSPC)
		rctx->count += req->nbytes;
	return ret;
}

static int qce_ahash_digest(struct ahash_request *req)
{
	qce_ahash_init(req);
	return qce_ahash_finup(req);
}

static int qce_ahash_export(struct ahash_request *req, void *out)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	struct qce_sha_saved_state st = {
		.pending_buflen = rctx->buflen,
		.count = rctx->count,
		.first_blk = rctx->first_blk,
	};

	memcpy(st.pending_buf, rctx->buf, rctx->buflen);
	memcpy(st.partial_digest, rctx->digest, sizeof(st.partial_digest));
	memcpy(st.byte_count, rctx->byte_count, sizeof(st.byte_count));
	memcpy(out, &st, sizeof(st));
	return 0;
}

/* A state this driver could have exported: whole blocks hashed, the rest pending. */
static bool qce_ahash_state_valid(const struct qce_sha_saved_state *st)
{
	u64 hashed = st->count - st->pending_buflen;

	return st->pending_buflen <= QCE_SHA_MAX_BLOCKSIZE && st->count >= st->pending_buflen &&
	       hashed % QCE_SHA_MAX_BLOCKSIZE == 0 && st->first_blk == (hashed == 0) &&
	       st->byte_count[0] == (u32)hashed && st->byte_count[1] == (u32)(hashed >> 32);
}

static int qce_ahash_import(struct ahash_request *req, const void *in)
{
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	struct qce_sha_saved_state st;

	memcpy(&st, in, sizeof(st));
	if (!qce_ahash_state_valid(&st))
		return -EINVAL;
	qce_ahash_init(req);
	memcpy(rctx->buf, st.pending_buf, st.pending_buflen);
	rctx->buflen = st.pending_buflen;
	rctx->count = st.count;
	rctx->first_blk = st.first_blk;
	if (!st.first_blk)
		memcpy(rctx->digest, st.partial_digest, sizeof(rctx->digest));
	memcpy(rctx->byte_count, st.byte_count, sizeof(rctx->byte_count));
	return 0;
}

/* ---- HMAC keys ---- */

/* A long key's digest, computed with this driver's own hash (as mainline). */
struct qce_key_digest {
	struct crypto_wait wait;
	bool finished;
	u8 key[];
};

static void qce_key_digest_done(void *data, int err)
{
	struct qce_key_digest *kd = data;

	if (err == -EINPROGRESS)
		return;
	kd->finished = true;
	crypto_req_done(&kd->wait, err);
}

/*
 * Runs the simulation until the digest is done (crypto_wait_req), so it
 * must be called from outside a simulation step. If the simulation stops
 * first, the request still belongs to the driver and is left allocated.
 */
static int qce_digest_key(struct device *dev, const char *alg_name, const u8 *key,
			  unsigned int keylen, u8 *out)
{
	struct crypto_ahash *tfm = crypto_alloc_ahash(alg_name, 0, 0);
	struct qce_key_digest *kd = NULL;
	struct ahash_request *req = NULL;
	struct scatterlist sg;
	int ret = -ENOMEM;

	if (IS_ERR(tfm))
		return (int)PTR_ERR(tfm);
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	kd = req ? kzalloc(sizeof(*kd) + keylen, GFP_KERNEL) : NULL;
	if (!kd)
		goto out;
	memcpy(kd->key, key, keylen);	/* the engine reads it: kernel memory */
	sg_init_one(&sg, kd->key, keylen);
	crypto_init_wait(&kd->wait);
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, qce_key_digest_done, kd);
	ahash_request_set_crypt(req, &sg, out, keylen);
	ret = crypto_wait_req(crypto_ahash_digest(req), &kd->wait);
	if (ret == -ETIMEDOUT && !kd->finished) {
		dev_err(dev, "the HMAC key digest did not finish; its request stays allocated");
		return ret;
	}
out:
	kfree(kd);
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	return ret;
}

static int qce_ahash_hmac_setkey(struct crypto_ahash *tfm, const u8 *key, unsigned int keylen)
{
	struct qce_sha_ctx *ctx = crypto_ahash_ctx(tfm);
	struct qce_alg_template *tmpl = qce_ahash_tmpl(&tfm->base);
	unsigned int blocksize = crypto_ahash_blocksize(tfm);

	memset(ctx->authkey, 0, sizeof(ctx->authkey));
	if (keylen <= blocksize) {
		if (keylen)
			memcpy(ctx->authkey, key, keylen);
		return 0;
	}
	return qce_digest_key(tmpl->qce->dev, IS_SHA1_HMAC(tmpl->alg_flags) ? "sha1-qce" :
			      "sha256-qce", key, keylen, ctx->authkey);
}

static int qce_ahash_cra_init(struct crypto_ahash *tfm)
{
	crypto_ahash_set_reqsize(tfm, sizeof(struct qce_sha_reqctx));
	return 0;
}

/* ---- registration ---- */

struct qce_ahash_def {
	unsigned long flags;
	const char *name;
	const char *drv_name;
	unsigned int digestsize;
	const u32 *std_iv;
};

static const struct qce_ahash_def ahash_def[] = {
	{ QCE_HASH_SHA1, "sha1", "sha1-qce", SHA1_DIGEST_SIZE, std_iv_sha1 },
	{ QCE_HASH_SHA256, "sha256", "sha256-qce", SHA256_DIGEST_SIZE, std_iv_sha256 },
	{ QCE_HASH_SHA1_HMAC, "hmac(sha1)", "hmac-sha1-qce", SHA1_DIGEST_SIZE, std_iv_sha1 },
	{ QCE_HASH_SHA256_HMAC, "hmac(sha256)", "hmac-sha256-qce", SHA256_DIGEST_SIZE,
	  std_iv_sha256 },
};

static void qce_ahash_fill(struct ahash_alg *alg, const struct qce_ahash_def *def)
{
	struct crypto_alg *base = &alg->halg.base;

	alg->init = qce_ahash_init;
	alg->update = qce_ahash_update;
	alg->final = qce_ahash_final;
	alg->finup = qce_ahash_finup;
	alg->digest = qce_ahash_digest;
	alg->export = qce_ahash_export;
	alg->import = qce_ahash_import;
	if (IS_SHA_HMAC(def->flags))
		alg->setkey = qce_ahash_hmac_setkey;
	alg->init_tfm = qce_ahash_cra_init;
	alg->halg.digestsize = def->digestsize;
	alg->halg.statesize = sizeof(struct qce_sha_saved_state);
	snprintf(base->cra_name, CRYPTO_MAX_ALG_NAME, "%s", def->name);
	snprintf(base->cra_driver_name, CRYPTO_MAX_ALG_NAME, "%s", def->drv_name);
	base->cra_priority = QCE_AHASH_PRIORITY;
	base->cra_flags = CRYPTO_ALG_TYPE_AHASH | CRYPTO_ALG_ASYNC | CRYPTO_ALG_KERN_DRIVER_ONLY;
	base->cra_blocksize = SHA256_BLOCK_SIZE;	/* SHA-1's is the same */
	base->cra_ctxsize = sizeof(struct qce_sha_ctx);
}

static int qce_ahash_register_one(const struct qce_ahash_def *def, struct qce_device *qce)
{
	struct qce_alg_template *tmpl = kzalloc(sizeof(*tmpl), GFP_KERNEL);

	if (!tmpl)
		return -ENOMEM;
	qce_ahash_fill(&tmpl->alg.ahash, def);
	tmpl->crypto_alg_type = CRYPTO_ALG_TYPE_AHASH;
	tmpl->alg_flags = def->flags;
	tmpl->std_iv = def->std_iv;
	return qce_template_register(qce, tmpl);
}

static int qce_ahash_register(struct qce_device *qce)
{
	int ret;

	for (unsigned int i = 0; i < ARRAY_SIZE(ahash_def); i++) {
		ret = qce_ahash_register_one(&ahash_def[i], qce);
		if (ret) {
			qce_templates_unregister(qce, CRYPTO_ALG_TYPE_AHASH);
			return ret;
		}
	}
	return 0;
}

const struct qce_algo_ops ahash_ops = {
	.type = CRYPTO_ALG_TYPE_AHASH,
	.register_algs = qce_ahash_register,
	.async_req_handle = qce_ahash_async_req_handle,
	.async_req_done = qce_ahash_async_req_done,
};
