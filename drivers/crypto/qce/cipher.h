/*
 * cipher.h - the crypto engine driver's skcipher contexts
 * (drivers/crypto/qce/cipher.h): the key of a transform and the state of
 * one request.
 */
#ifndef SECSOC_DRIVERS_CRYPTO_QCE_CIPHER_H
#define SECSOC_DRIVERS_CRYPTO_QCE_CIPHER_H

#include "drivers/crypto/qce/common.h"

/**
 * struct qce_cipher_ctx - a transform's key
 * @enc_key: the key as given (XTS: Key1 || Key2)
 * @enc_keylen: its length, 0 before setkey()
 */
struct qce_cipher_ctx {
	u8 enc_key[QCE_MAX_KEY_SIZE];
	unsigned int enc_keylen;
};

/**
 * struct qce_cipher_reqctx - one request on its way through the engine
 * @flags: the template's flags plus QCE_ENCRYPT or QCE_DECRYPT
 * @iv: the caller's IV (req->iv), updated for chaining on success
 * @ivsize: its length (0 for ECB)
 * @cryptlen: bytes to process
 * @src: the input list built for the engine
 * @dst: the output list, the result buffer last
 */
struct qce_cipher_reqctx {
	unsigned long flags;
	u8 *iv;
	unsigned int ivsize;
	unsigned int cryptlen;
	struct qce_sg src;
	struct qce_sg dst;
};

#endif /* SECSOC_DRIVERS_CRYPTO_QCE_CIPHER_H */
