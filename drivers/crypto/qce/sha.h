/*
 * sha.h - the crypto engine driver's ahash contexts (drivers/crypto/qce/
 * sha.h): the HMAC key of a transform, the state of one hash request, and
 * the exported state.
 */
#ifndef SECSOC_DRIVERS_CRYPTO_QCE_SHA_H
#define SECSOC_DRIVERS_CRYPTO_QCE_SHA_H

#include "drivers/crypto/qce/common.h"

/**
 * struct qce_sha_ctx - an HMAC transform's key
 * @authkey: the block-sized key (zero padded, or the digest of a longer key)
 */
struct qce_sha_ctx {
	u8 authkey[QCE_SHA_HMAC_KEY_SIZE];
};

/**
 * struct qce_sha_reqctx - one hash in progress
 * @buf: bytes held back for a later request (at most one block)
 * @buflen: how many
 * @tmpbuf: the held-back bytes this request sends ahead of its own data
 * @tmplen: how many
 * @src: the caller's data of this request (req->src)
 * @src_len: bytes of @src this request sends
 * @flags: the template's QCE_HASH_* flag
 * @count: message bytes given so far (sent and held back)
 * @first_blk: nothing has reached the engine yet (AUTH_SEG_CFG.FIRST)
 * @last_blk: this request ends the message (AUTH_SEG_CFG.LAST)
 * @byte_count: AUTH_BYTECNT0..1 after the last request (message bytes hashed)
 * @digest: the state after the last request, as digest bytes; before the
 *	first, the standard initial state
 * @rx: the input list built for the engine
 * @tx: the output list: the result buffer
 */
struct qce_sha_reqctx {
	u8 buf[QCE_SHA_MAX_BLOCKSIZE];
	unsigned int buflen;
	u8 tmpbuf[QCE_SHA_MAX_BLOCKSIZE];
	unsigned int tmplen;
	struct scatterlist *src;
	unsigned int src_len;
	unsigned long flags;
	u64 count;
	bool first_blk;
	bool last_blk;
	u32 byte_count[2];
	u8 digest[QCE_SHA_MAX_DIGESTSIZE];
	struct qce_sg rx;
	struct qce_sg tx;
};

/**
 * struct qce_sha_saved_state - what export() writes and import() reads
 * (the statesize of every hash of this driver)
 * @pending_buf: bytes held back, not yet hashed
 * @partial_digest: the intermediate state as digest bytes (the standard
 *	initial state before anything was hashed)
 * @byte_count: message bytes the engine has hashed, [31:0] and [63:32]
 * @pending_buflen: bytes in @pending_buf, 0..64
 * @count: message bytes given so far
 * @first_blk: nothing hashed yet
 */
struct qce_sha_saved_state {
	u8 pending_buf[QCE_SHA_MAX_BLOCKSIZE];
	u8 partial_digest[QCE_SHA_MAX_DIGESTSIZE];
	u32 byte_count[2];
	u32 pending_buflen;
	u64 count;
	u8 first_blk;		/* 0 or 1: a u8, since import() reads untrusted bytes */
};

#endif /* SECSOC_DRIVERS_CRYPTO_QCE_SHA_H */
