/*
 * common.c - the crypto engine driver's register programming
 * (drivers/crypto/qce/common.c): the register sequences of an skcipher and
 * an ahash request in mainline's order (reference §3.2), the status check,
 * and how the writes reach the engine under each lock policy: CPU stores
 * under "none", command elements in one BAM transaction under "v12" and
 * "nwd" (the locking series, §3.3), where the CPU never touches the
 * engine after probe, because while the secure world holds the pipe lock
 * such an access is an external abort.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "drivers/crypto/qce/cipher.h"
#include "drivers/crypto/qce/core.h"
#include "drivers/crypto/qce/sha.h"

#define QCE_BAM_BURST_SIZE 64
#define QCE_STATUS_ERRORS (QCE_STATUS_SW_ERR | QCE_STATUS_AXI_ERR | QCE_STATUS_HSD_ERR)

void qce_write(struct qce_device *qce, u32 offset, u32 val)
{
	if (qce->use_cmd)
		qce_write_dma(&qce->dma, qce->base_phys + offset, val);
	else
		writel(val, qce->base + offset);
}

/* qce_write_array after qce_cpu_to_be32p_array: the big-endian words of @bytes. */
static void qce_write_be_array(struct qce_device *qce, u32 offset, const u8 *bytes,
			       unsigned int len)
{
	for (unsigned int i = 0; i < len / 4; i++)
		qce_write(qce, offset + 4 * i, get_unaligned_be32(bytes + 4 * i));
}

void qce_get_version(struct qce_device *qce, u32 *major, u32 *minor, u32 *step)
{
	u32 val = readl(qce->base + QCE_VERSION);

	*major = val >> 24;
	*minor = (val >> 16) & 0xff;
	*step = val & 0xffff;
}

/*
 * 64-byte bursts, the interrupts masked (the BAM's interrupts are used),
 * the pipe pair. Mainline then clears "HIGH_SPD_EN_N_SHIFT", i.e. the
 * value 4: bit 2, a mask bit, not bit 4. Kept, so the writes are the
 * ones Linux makes (pair 2, little endian: 0x000e024b).
 */
static u32 qce_config_reg(struct qce_device *qce, bool little)
{
	u32 beats = QCE_BAM_BURST_SIZE / 8 - 1;
	u32 config = (u32)FIELD_PREP(QCE_CONFIG_REQ_SIZE, beats) | QCE_CONFIG_MASK_INTR |
		     (u32)FIELD_PREP(QCE_CONFIG_PIPE_SET_SELECT, qce->pipe_pair_id);

	config &= ~FIELD_SHIFT(QCE_CONFIG_HIGH_SPD_EN_N);
	if (little)
		config |= QCE_CONFIG_LITTLE_ENDIAN_MODE;
	return config;
}

/* Clear the status, big-endian mode while the other registers are written. */
static void qce_setup_config(struct qce_device *qce)
{
	qce_write(qce, QCE_STATUS, 0);
	qce_write(qce, QCE_CONFIG, qce_config_reg(qce, false));
}

/* Little-endian mode for the result dump, then GO with RESULTS_DUMP. */
static void qce_crypto_go(struct qce_device *qce)
{
	qce_write(qce, QCE_CONFIG, qce_config_reg(qce, true));
	qce_write(qce, QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
}

int qce_check_status(struct qce_device *qce, u32 *status)
{
	if (qce->use_cmd)	/* LE mode stores dump words big-endian (docs/qce.md) */
		*status = get_unaligned_be32(qce->dma.result_buf +
				      offsetof(struct qce_result_dump, status));
	else
		*status = readl(qce->base + QCE_STATUS);
	if ((*status & QCE_STATUS_ERRORS) || !(*status & QCE_STATUS_OPERATION_DONE))
		return -ENXIO;
	if (*status & QCE_STATUS_MAC_FAILED)
		return -EBADMSG;
	return 0;
}

/* ---- skcipher ---- */

static u32 qce_encr_cfg(unsigned long flags, unsigned int aes_key_size)
{
	u32 key_sz = aes_key_size == AES_KEYSIZE_256 ? QCE_ENCR_KEY_SZ_AES256 :
						       QCE_ENCR_KEY_SZ_AES128;
	u32 mode = IS_ECB(flags) ? QCE_ENCR_MODE_ECB : IS_CBC(flags) ? QCE_ENCR_MODE_CBC :
		   IS_CTR(flags) ? QCE_ENCR_MODE_CTR : QCE_ENCR_MODE_XTS;

	return (u32)(FIELD_PREP(QCE_ENCR_ALG, QCE_ENCR_ALG_AES) |
		     FIELD_PREP(QCE_ENCR_KEY_SZ, key_sz) | FIELD_PREP(QCE_ENCR_MODE, mode)) |
	       (IS_ENCRYPT(flags) ? QCE_ENCR_ENCODE : 0);
}

/* The tweak key and the data unit: the whole request is one unit. */
static void qce_xtskey(struct qce_device *qce, const u8 *key2, unsigned int keylen,
		       unsigned int cryptlen)
{
	qce_write_be_array(qce, QCE_ENCR_XTS_KEY(0), key2, keylen);
	qce_write(qce, QCE_ENCR_XTS_DU_SIZE, cryptlen);
}

/* The engine's tweak is a number whose little-endian bytes are the IV. */
static void qce_xts_swapiv(u8 *dst, const u8 *src, unsigned int ivsize)
{
	for (unsigned int i = 0; i < ivsize; i++)
		dst[i] = src[ivsize - 1 - i];
}

static void qce_setup_regs_skcipher(struct qce_device *qce,
				    struct crypto_async_request *async_req)
{
	struct skcipher_request *req = container_of(async_req, struct skcipher_request, base);
	struct qce_cipher_reqctx *rctx = skcipher_request_ctx(req);
	struct qce_cipher_ctx *ctx = crypto_tfm_ctx(async_req->tfm);
	unsigned long flags = rctx->flags;
	unsigned int keylen = IS_XTS(flags) ? ctx->enc_keylen / 2 : ctx->enc_keylen;
	u8 iv[QCE_MAX_IV_SIZE];

	qce_setup_config(qce);
	qce_write(qce, QCE_AUTH_SEG_CFG, 0);
	if (IS_XTS(flags))
		qce_xtskey(qce, ctx->enc_key + keylen, keylen, rctx->cryptlen);
	qce_write_be_array(qce, QCE_ENCR_KEY(0), ctx->enc_key, keylen);
	if (!IS_ECB(flags)) {
		if (IS_XTS(flags))
			qce_xts_swapiv(iv, rctx->iv, rctx->ivsize);
		else
			memcpy(iv, rctx->iv, rctx->ivsize);
		qce_write_be_array(qce, QCE_CNTR_IV(0), iv, rctx->ivsize);
	}
	qce_write(qce, QCE_ENCR_SEG_CFG, qce_encr_cfg(flags, keylen));
	qce_write(qce, QCE_ENCR_SEG_SIZE, rctx->cryptlen);
	qce_write(qce, QCE_ENCR_SEG_START, 0);
	if (IS_CTR(flags)) {	/* a plain 128-bit counter */
		qce_write(qce, QCE_CNTR_MASK, ~0u);
		qce_write(qce, QCE_CNTR_MASK0, ~0u);
		qce_write(qce, QCE_CNTR_MASK1, ~0u);
		qce_write(qce, QCE_CNTR_MASK2, ~0u);
	}
	qce_write(qce, QCE_SEG_SIZE, rctx->cryptlen);
}

/* ---- ahash ---- */

static u32 qce_auth_cfg(const struct qce_sha_reqctx *rctx)
{
	unsigned long flags = rctx->flags;
	bool sha256 = IS_SHA256(flags) || IS_SHA256_HMAC(flags);

	return (u32)(FIELD_PREP(QCE_AUTH_ALG, QCE_AUTH_ALG_SHA) |
		     FIELD_PREP(QCE_AUTH_SIZE, sha256 ? QCE_AUTH_SIZE_SHA256 :
							QCE_AUTH_SIZE_SHA1) |
		     FIELD_PREP(QCE_AUTH_MODE, IS_SHA_HMAC(flags) ? QCE_AUTH_MODE_HMAC :
								   QCE_AUTH_MODE_HASH)) |
	       (rctx->last_blk ? QCE_AUTH_LAST : 0) | (rctx->first_blk ? QCE_AUTH_FIRST : 0);
}

static void qce_setup_regs_ahash(struct qce_device *qce, struct crypto_async_request *async_req)
{
	struct ahash_request *req = container_of(async_req, struct ahash_request, base);
	struct qce_sha_reqctx *rctx = ahash_request_ctx(req);
	struct qce_sha_ctx *ctx = crypto_tfm_ctx(async_req->tfm);
	unsigned int digestsize = crypto_ahash_digestsize(crypto_ahash_reqtfm(req));
	u32 nbytes = rctx->tmplen + rctx->src_len;

	qce_setup_config(qce);
	if (IS_SHA_HMAC(rctx->flags))
		qce_write_be_array(qce, QCE_AUTH_KEY(0), ctx->authkey, QCE_SHA_HMAC_KEY_SIZE);
	/* The first request's digest holds the standard initial state. */
	qce_write_be_array(qce, QCE_AUTH_IV(0), rctx->digest, digestsize);
	for (unsigned int i = 0; i < (rctx->first_blk ? 4u : 2u); i++)
		qce_write(qce, QCE_AUTH_BYTECNT(i), rctx->first_blk ? 0 : rctx->byte_count[i]);
	qce_write(qce, QCE_AUTH_SEG_CFG, qce_auth_cfg(rctx));
	qce_write(qce, QCE_AUTH_SEG_SIZE, nbytes);
	qce_write(qce, QCE_AUTH_SEG_START, 0);
	qce_write(qce, QCE_ENCR_SEG_CFG, 0);
	qce_write(qce, QCE_SEG_SIZE, nbytes);
}

/* ---- starting a request ---- */

static void qce_start(struct qce_device *qce, struct crypto_async_request *async_req)
{
	if ((crypto_tfm_alg(async_req->tfm)->cra_flags & CRYPTO_ALG_TYPE_MASK) ==
	    CRYPTO_ALG_TYPE_SKCIPHER)
		qce_setup_regs_skcipher(qce, async_req);
	else
		qce_setup_regs_ahash(qce, async_req);
	qce_crypto_go(qce);
}

/* Mainline before the series: data first, then the CPU programs and starts the engine. */
static int qce_run_cpu(struct qce_device *qce, struct crypto_async_request *async_req,
		       const struct qce_sg *rx, const struct qce_sg *tx)
{
	int ret = qce_dma_prep_sgs(&qce->dma, rx, tx, 0);

	if (ret)
		return ret;
	qce_dma_issue_pending(&qce->dma, false);
	qce_start(qce, async_req);
	return 0;
}

/*
 * The series: [LOCK] [one CMD descriptor per write ... GOPROC] [data, NWD on
 * the last] [UNLOCK] on rx (the BAM driver adds LOCK/UNLOCK). A request
 * without input ends its rx stream with the GOPROC descriptor, which then
 * carries the NWD and the callback.
 */
static int qce_run_cmd(struct qce_device *qce, struct crypto_async_request *async_req,
		       const struct qce_sg *rx, const struct qce_sg *tx)
{
	unsigned long fence = qce->use_fence ? DMA_PREP_FENCE : 0;
	int ret;

	qce_bam_txn_clear(&qce->dma);
	qce_start(qce, async_req);
	ret = qce_submit_cmd_desc(&qce->dma, qce->base_phys + QCE_VERSION,
				  rx->nents ? 0 : DMA_PREP_INTERRUPT | fence);
	if (!ret)
		ret = qce_dma_prep_sgs(&qce->dma, rx, tx, fence);
	if (ret)
		return ret;
	qce_dma_issue_pending(&qce->dma, true);
	return 0;
}

int qce_run(struct qce_device *qce, struct crypto_async_request *async_req,
	    const struct qce_sg *rx, const struct qce_sg *tx)
{
	int ret;

	memset(qce->dma.result_buf, 0, QCE_RESULT_BUF_SZ);	/* no stale status */
	qce_dma_begin(&qce->dma);
	if (qce->use_cmd)
		ret = qce_run_cmd(qce, async_req, rx, tx);
	else
		ret = qce_run_cpu(qce, async_req, rx, tx);
	if (ret) {
		/* Nothing was issued: this frees what was prepared and submitted. */
		qce_dma_terminate_all(&qce->dma, false);
		qce_bam_txn_unmap(&qce->dma);
		dev_err(qce->dev, "cannot queue the request's DMA: %d", ret);
	}
	return ret;
}

/**
 * qce_clear_context - see common.h
 *
 * Return: 0 when done (a CPU write), -EINPROGRESS when a command
 * transaction was issued (its callback reports), or an error. The
 * transaction has no NWD: CLR_CNTXT signals no "done".
 */
int qce_clear_context(struct qce_device *qce, bool by_cpu)
{
	int ret;

	if (!qce->use_cmd || by_cpu) {
		writel(QCE_GOPROC_CLR_CNTXT, qce->base + QCE_GOPROC);
		return 0;
	}
	qce_dma_begin(&qce->dma);
	qce_bam_txn_clear(&qce->dma);
	qce_write(qce, QCE_GOPROC, QCE_GOPROC_CLR_CNTXT);
	ret = qce_submit_cmd_desc(&qce->dma, qce->base_phys + QCE_VERSION, DMA_PREP_INTERRUPT);
	if (ret) {
		qce_dma_terminate_all(&qce->dma, false);
		qce_bam_txn_unmap(&qce->dma);
		return ret;
	}
	dma_async_issue_pending(qce->dma.rxchan);
	return -EINPROGRESS;
}
