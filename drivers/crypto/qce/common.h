/*
 * common.h - what the crypto engine driver's algorithm files share
 * (drivers/crypto/qce/common.h): algorithm flags, key and block sizes, the
 * algorithm template, and the register programming of common.c.
 */
#ifndef SECSOC_DRIVERS_CRYPTO_QCE_COMMON_H
#define SECSOC_DRIVERS_CRYPTO_QCE_COMMON_H

#include <secsoc/crypto.h>

#include "drivers/crypto/qce/dma.h"

struct qce_device;

/* Keys, IVs and hash sizes. */
#define QCE_MAX_KEY_SIZE (2 * AES_MAX_KEY_SIZE)	/* XTS: two AES-256 keys */
#define QCE_MAX_IV_SIZE AES_BLOCK_SIZE
#define QCE_SHA_MAX_BLOCKSIZE SHA256_BLOCK_SIZE
#define QCE_SHA_MAX_DIGESTSIZE SHA256_DIGEST_SIZE
#define QCE_SHA_HMAC_KEY_SIZE 64

/* Algorithm and mode flags of a template and a request (Linux's common.h). */
#define QCE_ALG_AES BIT(2)
#define QCE_HASH_SHA1 BIT(3)
#define QCE_HASH_SHA256 BIT(4)
#define QCE_HASH_SHA1_HMAC BIT(5)
#define QCE_HASH_SHA256_HMAC BIT(6)
#define QCE_MODE_CBC BIT(8)
#define QCE_MODE_ECB BIT(9)
#define QCE_MODE_CTR BIT(10)
#define QCE_MODE_XTS BIT(11)
#define QCE_MODE_MASK GENMASK(11, 8)
#define QCE_ENCRYPT BIT(30)
#define QCE_DECRYPT BIT(31)

#define IS_SHA1(flags) ((flags) & QCE_HASH_SHA1)
#define IS_SHA256(flags) ((flags) & QCE_HASH_SHA256)
#define IS_SHA1_HMAC(flags) ((flags) & QCE_HASH_SHA1_HMAC)
#define IS_SHA256_HMAC(flags) ((flags) & QCE_HASH_SHA256_HMAC)
#define IS_SHA_HMAC(flags) (IS_SHA1_HMAC(flags) || IS_SHA256_HMAC(flags))
#define IS_CBC(mode) ((mode) & QCE_MODE_CBC)
#define IS_ECB(mode) ((mode) & QCE_MODE_ECB)
#define IS_CTR(mode) ((mode) & QCE_MODE_CTR)
#define IS_XTS(mode) ((mode) & QCE_MODE_XTS)
#define IS_ENCRYPT(dir) ((dir) & QCE_ENCRYPT)

/**
 * struct qce_alg_template - one registered algorithm
 * @entry: on the engine's list of registered algorithms
 * @crypto_alg_type: CRYPTO_ALG_TYPE_SKCIPHER or CRYPTO_ALG_TYPE_AHASH
 * @alg_flags: QCE_ALG_* / QCE_HASH_* and QCE_MODE_* of the algorithm
 * @std_iv: hashes: the standard initial state words
 * @alg: what is registered with the crypto API
 * @qce: the engine that runs it
 */
struct qce_alg_template {
	struct list_head entry;
	u32 crypto_alg_type;
	unsigned long alg_flags;
	const u32 *std_iv;
	union {
		struct skcipher_alg skcipher;
		struct ahash_alg ahash;
	} alg;
	struct qce_device *qce;
};

/* Big-endian words of byte strings (the engine's key, IV and digest order), <asm/unaligned.h>. */
static inline u32 get_unaligned_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void put_unaligned_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/** qce_write - one register write: a CPU store (none) or a command element (v12, nwd) */
void qce_write(struct qce_device *qce, u32 offset, u32 val);
/** qce_get_version - VERSION, read by the CPU (probe only) */
void qce_get_version(struct qce_device *qce, u32 *major, u32 *minor, u32 *step);
/**
 * qce_check_status - the operation's STATUS: from the result dump under v12
 * and nwd, by a CPU read under none
 *
 * Return: 0, -ENXIO (SW_ERR, AXI_ERR, HSD_ERR, or OPERATION_DONE clear) or
 * -EBADMSG (MAC_FAILED).
 */
int qce_check_status(struct qce_device *qce, u32 *status);
/**
 * qce_run - program the engine for @async_req and start its data
 * @rx: the input, mapped (may be empty)
 * @tx: the output, mapped, the result buffer last
 *
 * Under none: data descriptors issued rx then tx, then the CPU writes the
 * registers, GOPROC last. Under v12 and nwd: the register writes as one
 * command-descriptor transaction on rx, then the data (rx with NWD under
 * nwd), issued tx then rx. On error nothing stays queued.
 *
 * Return: 0, or a DMA error.
 */
int qce_run(struct qce_device *qce, struct crypto_async_request *async_req,
	    const struct qce_sg *rx, const struct qce_sg *tx);
/**
 * qce_clear_context - abandon whatever the engine was doing (GOPROC.CLR_CNTXT)
 * @by_cpu: write it with the CPU even under v12/nwd, which is safe only
 *	while this engine's own rx pipe holds the BAM lock
 */
int qce_clear_context(struct qce_device *qce, bool by_cpu);

/* Template of a request's transform, by type. */
struct qce_alg_template *qce_skcipher_tmpl(struct crypto_tfm *tfm);
struct qce_alg_template *qce_ahash_tmpl(struct crypto_tfm *tfm);

#endif /* SECSOC_DRIVERS_CRYPTO_QCE_COMMON_H */
