/*
 * skcipher.c - the crypto engine driver's symmetric ciphers
 * (drivers/crypto/qce/skcipher.c): ecb(aes), cbc(aes), ctr(aes) and
 * xts(aes) with 128- and 256-bit keys, registered at priority 275.
 *
 * Unlike mainline there is no software fallback: AES-192 keys are refused
 * (-EINVAL), and XTS runs on the engine at every length from 16 bytes to
 * the 20-bit data-unit limit, one data unit per request (docs/crypto.md).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "drivers/crypto/qce/cipher.h"
#include "drivers/crypto/qce/core.h"

#define QCE_SKCIPHER_PRIORITY 275	/* below the CPU's AES (commit 49b9258b05b9) */

struct qce_alg_template *qce_skcipher_tmpl(struct crypto_tfm *tfm)
{
	struct skcipher_alg *alg = container_of(crypto_tfm_alg(tfm), struct skcipher_alg, base);

	return container_of(alg, struct qce_alg_template, alg.skcipher);
}

/* ---- requests ---- */

static void qce_skcipher_unmap(struct qce_dma_data *dma, struct qce_cipher_reqctx *rctx)
{
	qce_sg_free(dma, &rctx->dst);
	qce_sg_free(dma, &rctx->src);
}

static int qce_skcipher_async_req_handle(struct crypto_async_request *async_req)
{
	struct skcipher_request *req = container_of(async_req, struct skcipher_request, base);
	struct qce_cipher_reqctx *rctx = skcipher_request_ctx(req);
	struct qce_device *qce = qce_skcipher_tmpl(async_req->tfm)->qce;
	struct qce_dma_data *dma = &qce->dma;
	int ret;

	rctx->iv = req->iv;
	rctx->ivsize = crypto_skcipher_ivsize(crypto_skcipher_reqtfm(req));
	rctx->cryptlen = req->cryptlen;
	/* The output is followed by the result dump. */
	ret = qce_sg_build(&rctx->src, NULL, 0, req->src, req->cryptlen, NULL, 0);
	if (!ret)
		ret = qce_sg_build(&rctx->dst, NULL, 0, req->dst, req->cryptlen, dma->result_buf,
				   QCE_RESULT_BUF_SZ);
	if (ret)
		dev_err(qce->dev, "skcipher request: a scatterlist holds fewer than %u bytes "
			"or more than %u entries", req->cryptlen, QCE_SG_NENTS_MAX);
	if (!ret)
		ret = qce_sg_map(dma, &rctx->src, DMA_TO_DEVICE);
	if (!ret)
		ret = qce_sg_map(dma, &rctx->dst, DMA_FROM_DEVICE);
	if (!ret)
		ret = qce_run(qce, async_req, &rctx->src, &rctx->dst);
	if (ret)
		qce_skcipher_unmap(dma, rctx);
	return ret;
}

/* The engine's counter/IV registers after the operation: the IV of what follows. */
static int qce_skcipher_async_req_done(struct crypto_async_request *async_req, int err)
{
	struct skcipher_request *req = container_of(async_req, struct skcipher_request, base);
	struct qce_cipher_reqctx *rctx = skcipher_request_ctx(req);
	struct qce_device *qce = qce_skcipher_tmpl(async_req->tfm)->qce;
	u32 status;

	qce_skcipher_unmap(&qce->dma, rctx);
	if (err)
		return err;
	err = qce_check_status(qce, &status);
	if (err) {
		dev_err(qce->dev, "skcipher operation failed: STATUS 0x%08x", status);
		return err;
	}
	/* ECB has no IV, and its callers may pass none (req->iv NULL). */
	if (rctx->ivsize)
		memcpy(rctx->iv, qce->dma.result_buf +
		       offsetof(struct qce_result_dump, encr_cntr_iv), rctx->ivsize);
	return 0;
}

static int qce_skcipher_check_len(unsigned long flags, unsigned int cryptlen)
{
	/* ECB and CBC need whole blocks. */
	if ((IS_ECB(flags) || IS_CBC(flags)) && !IS_ALIGNED(cryptlen, AES_BLOCK_SIZE))
		return -EINVAL;
	/* XTS: one data unit of 16 bytes or more; ENCR_XTS_DU_SIZE has 20 bits. */
	if (IS_XTS(flags) && (cryptlen < AES_BLOCK_SIZE || cryptlen > QCE_XTS_DU_SIZE_MAX))
		return -EINVAL;
	return 0;
}

static int qce_skcipher_crypt(struct skcipher_request *req, bool encrypt)
{
	struct crypto_skcipher *tfm = crypto_skcipher_reqtfm(req);
	struct qce_cipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct qce_cipher_reqctx *rctx = skcipher_request_ctx(req);
	struct qce_alg_template *tmpl = qce_skcipher_tmpl(&tfm->base);
	int ret;

	rctx->flags = tmpl->alg_flags | (encrypt ? QCE_ENCRYPT : QCE_DECRYPT);
	if (!ctx->enc_keylen)
		return -ENOKEY;
	/* The engine does not take 0-length messages: nothing to do. */
	if (!req->cryptlen)
		return 0;
	ret = qce_skcipher_check_len(rctx->flags, req->cryptlen);
	if (ret)
		return ret;
	if (crypto_skcipher_ivsize(tfm) && !req->iv)
		return -EINVAL;
	return qce_async_request_enqueue(tmpl->qce, &req->base);
}

static int qce_skcipher_encrypt(struct skcipher_request *req)
{
	return qce_skcipher_crypt(req, true);
}

static int qce_skcipher_decrypt(struct skcipher_request *req)
{
	return qce_skcipher_crypt(req, false);
}

/*
 * AES-128 and AES-256 only: the engine has no AES-192 and this driver no
 * fallback. XTS refuses equal halves, as mainline does.
 */
static int qce_skcipher_setkey(struct crypto_skcipher *ablk, const u8 *key, unsigned int keylen)
{
	struct qce_cipher_ctx *ctx = crypto_skcipher_ctx(ablk);
	unsigned long flags = qce_skcipher_tmpl(&ablk->base)->alg_flags;
	unsigned int aes_keylen = IS_XTS(flags) ? keylen / 2 : keylen;

	if (!key || (IS_XTS(flags) && keylen % 2))
		return -EINVAL;
	if (aes_keylen != AES_KEYSIZE_128 && aes_keylen != AES_KEYSIZE_256)
		return -EINVAL;
	if (IS_XTS(flags) && !memcmp(key, key + aes_keylen, aes_keylen))
		return -ENOKEY;
	memcpy(ctx->enc_key, key, keylen);
	ctx->enc_keylen = keylen;
	return 0;
}

static int qce_skcipher_init(struct crypto_skcipher *tfm)
{
	crypto_skcipher_set_reqsize(tfm, sizeof(struct qce_cipher_reqctx));
	return 0;
}

/* ---- registration ---- */

struct qce_skcipher_def {
	unsigned long flags;
	const char *name;
	const char *drv_name;
	unsigned int blocksize;
	unsigned int chunksize;
	unsigned int ivsize;
	unsigned int min_keysize;
	unsigned int max_keysize;
};

static const struct qce_skcipher_def skcipher_def[] = {
	{ QCE_ALG_AES | QCE_MODE_ECB, "ecb(aes)", "ecb-aes-qce", AES_BLOCK_SIZE,
	  AES_BLOCK_SIZE, 0, AES_KEYSIZE_128, AES_MAX_KEY_SIZE },
	{ QCE_ALG_AES | QCE_MODE_CBC, "cbc(aes)", "cbc-aes-qce", AES_BLOCK_SIZE,
	  AES_BLOCK_SIZE, AES_BLOCK_SIZE, AES_KEYSIZE_128, AES_MAX_KEY_SIZE },
	{ QCE_ALG_AES | QCE_MODE_CTR, "ctr(aes)", "ctr-aes-qce", 1,
	  AES_BLOCK_SIZE, AES_BLOCK_SIZE, AES_KEYSIZE_128, AES_MAX_KEY_SIZE },
	{ QCE_ALG_AES | QCE_MODE_XTS, "xts(aes)", "xts-aes-qce", AES_BLOCK_SIZE,
	  AES_BLOCK_SIZE, AES_BLOCK_SIZE, 2 * AES_KEYSIZE_128, 2 * AES_MAX_KEY_SIZE },
};

static int qce_skcipher_register_one(const struct qce_skcipher_def *def, struct qce_device *qce)
{
	struct qce_alg_template *tmpl = kzalloc(sizeof(*tmpl), GFP_KERNEL);
	struct skcipher_alg *alg;

	if (!tmpl)
		return -ENOMEM;
	alg = &tmpl->alg.skcipher;
	snprintf(alg->base.cra_name, CRYPTO_MAX_ALG_NAME, "%s", def->name);
	snprintf(alg->base.cra_driver_name, CRYPTO_MAX_ALG_NAME, "%s", def->drv_name);
	alg->base.cra_blocksize = def->blocksize;
	alg->base.cra_priority = QCE_SKCIPHER_PRIORITY;
	alg->base.cra_flags = CRYPTO_ALG_TYPE_SKCIPHER | CRYPTO_ALG_ASYNC |
			      CRYPTO_ALG_KERN_DRIVER_ONLY;
	alg->base.cra_ctxsize = sizeof(struct qce_cipher_ctx);
	alg->chunksize = def->chunksize;
	alg->ivsize = def->ivsize;
	alg->min_keysize = def->min_keysize;
	alg->max_keysize = def->max_keysize;
	alg->setkey = qce_skcipher_setkey;
	alg->encrypt = qce_skcipher_encrypt;
	alg->decrypt = qce_skcipher_decrypt;
	alg->init = qce_skcipher_init;
	tmpl->crypto_alg_type = CRYPTO_ALG_TYPE_SKCIPHER;
	tmpl->alg_flags = def->flags;
	return qce_template_register(qce, tmpl);
}

static int qce_skcipher_register(struct qce_device *qce)
{
	int ret;

	for (unsigned int i = 0; i < ARRAY_SIZE(skcipher_def); i++) {
		ret = qce_skcipher_register_one(&skcipher_def[i], qce);
		if (ret) {
			qce_templates_unregister(qce, CRYPTO_ALG_TYPE_SKCIPHER);
			return ret;
		}
	}
	return 0;
}

const struct qce_algo_ops skcipher_ops = {
	.type = CRYPTO_ALG_TYPE_SKCIPHER,
	.register_algs = qce_skcipher_register,
	.async_req_handle = qce_skcipher_async_req_handle,
	.async_req_done = qce_skcipher_async_req_done,
};
