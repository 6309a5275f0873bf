/*
 * crypto.h - the normal-world crypto API: algorithm registration and
 * lookup, skcipher and ahash transforms, asynchronous requests with
 * completion callbacks, and the wait helper for synchronous users
 * (include/crypto/skcipher.h, include/crypto/hash.h, include/linux/crypto.h).
 *
 * Lookup is by algorithm name ("xts(aes)") or driver name ("xts-aes-qce");
 * among the registered implementations of a name the one with the highest
 * cra_priority wins, as in Linux. A request returns 0 or an error when it
 * finished at once, or -EINPROGRESS (queued) / -EBUSY (queued on a full
 * backlog, CRYPTO_TFM_REQ_MAY_BACKLOG) when its callback will report the
 * result later, from a bottom half.
 *
 * The registry is the one booted kernel's (kernel_current()); algorithms
 * registered by a driver's probe are unregistered by its remove, and
 * kernel_shutdown() checks that none and no transform is left.
 */
#ifndef SECSOC_CRYPTO_H
#define SECSOC_CRYPTO_H

#include <secsoc/list.h>
#include <secsoc/slab.h>
#include <secsoc/scatterlist.h>
#include <secsoc/types.h>

#define CRYPTO_MAX_ALG_NAME 128
#define CRYPTO_ALGS_MAX 64		/* registered at once */
#define CRYPTO_TFMS_MAX 1024		/* allocated at once */

/* cra_flags and type/mask of the lookups */
#define CRYPTO_ALG_TYPE_MASK 0x0000000f
#define CRYPTO_ALG_TYPE_SKCIPHER 0x00000005
#define CRYPTO_ALG_TYPE_AHASH 0x0000000f
#define CRYPTO_ALG_ASYNC 0x00000080
#define CRYPTO_ALG_KERN_DRIVER_ONLY 0x00001000

/* Request flags */
#define CRYPTO_TFM_REQ_MAY_SLEEP 0x00000200
#define CRYPTO_TFM_REQ_MAY_BACKLOG 0x00000400

#define AES_BLOCK_SIZE 16
#define AES_KEYSIZE_128 16
#define AES_KEYSIZE_192 24
#define AES_KEYSIZE_256 32
#define AES_MAX_KEY_SIZE 32
#define SHA1_DIGEST_SIZE 20
#define SHA256_DIGEST_SIZE 32
#define SHA1_BLOCK_SIZE 64
#define SHA256_BLOCK_SIZE 64
#define HASH_MAX_DIGESTSIZE 64
#define HASH_MAX_STATESIZE 512

struct crypto_tfm;

/* Linux 6.3+: the callback gets the request's data pointer. */
typedef void (*crypto_completion_t)(void *data, int err);

struct crypto_async_request {
	struct list_head list;		/* on a driver's queue */
	crypto_completion_t complete;
	void *data;
	struct crypto_tfm *tfm;
	u32 flags;
};

struct crypto_alg {
	char cra_name[CRYPTO_MAX_ALG_NAME];		/* "xts(aes)" */
	char cra_driver_name[CRYPTO_MAX_ALG_NAME];	/* "xts-aes-qce" */
	int cra_priority;
	u32 cra_flags;
	unsigned int cra_blocksize;
	unsigned int cra_ctxsize;	/* bytes of crypto_tfm_ctx() */
	/* Filled in by registration. */
	struct list_head cra_list;
	unsigned int cra_refcnt;	/* transforms alive */
};

struct crypto_tfm {
	struct crypto_alg *__crt_alg;
	void *__crt_ctx;		/* cra_ctxsize bytes, zeroed */
};

static inline void *crypto_tfm_ctx(struct crypto_tfm *tfm)
{
	return tfm->__crt_ctx;
}

static inline struct crypto_alg *crypto_tfm_alg(struct crypto_tfm *tfm)
{
	return tfm->__crt_alg;
}

/** crypto_has_alg - is an implementation of @name (algorithm or driver name) registered? */
bool crypto_has_alg(const char *name, u32 type, u32 mask);

/* ---- skcipher ---- */

struct crypto_skcipher {
	unsigned int reqsize;		/* bytes of skcipher_request_ctx() */
	struct crypto_tfm base;
};

struct skcipher_request {
	unsigned int cryptlen;
	u8 *iv;				/* ivsize bytes; updated for chaining */
	struct scatterlist *src;
	struct scatterlist *dst;
	struct crypto_async_request base;
	void *__ctx;			/* reqsize bytes, zeroed */
};

struct skcipher_alg {
	int (*setkey)(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen);
	int (*encrypt)(struct skcipher_request *req);
	int (*decrypt)(struct skcipher_request *req);
	int (*init)(struct crypto_skcipher *tfm);	/* optional */
	void (*exit)(struct crypto_skcipher *tfm);	/* optional */
	unsigned int min_keysize;
	unsigned int max_keysize;
	unsigned int ivsize;
	unsigned int chunksize;
	struct crypto_alg base;
};

/** crypto_register_skcipher - make @alg available; -EEXIST for a taken driver name */
int crypto_register_skcipher(struct skcipher_alg *alg);
/** crypto_unregister_skcipher - withdraw @alg; no transform may still use it */
void crypto_unregister_skcipher(struct skcipher_alg *alg);

/**
 * crypto_alloc_skcipher - a transform of the best implementation of @alg_name
 * @alg_name: algorithm name ("cbc(aes)") or driver name ("cbc-aes-qce")
 *
 * Return: the transform, or ERR_PTR(-ENOENT) when nothing implements the
 * name, -ENOMEM, or the implementation's init() error.
 */
struct crypto_skcipher *crypto_alloc_skcipher(const char *alg_name, u32 type, u32 mask);
void crypto_free_skcipher(struct crypto_skcipher *tfm);

static inline struct skcipher_alg *crypto_skcipher_alg(struct crypto_skcipher *tfm)
{
	return container_of(tfm->base.__crt_alg, struct skcipher_alg, base);
}

static inline void *crypto_skcipher_ctx(struct crypto_skcipher *tfm)
{
	return crypto_tfm_ctx(&tfm->base);
}

static inline struct crypto_tfm *crypto_skcipher_tfm(struct crypto_skcipher *tfm)
{
	return &tfm->base;
}

static inline unsigned int crypto_skcipher_ivsize(struct crypto_skcipher *tfm)
{
	return crypto_skcipher_alg(tfm)->ivsize;
}

static inline unsigned int crypto_skcipher_blocksize(struct crypto_skcipher *tfm)
{
	return tfm->base.__crt_alg->cra_blocksize;
}

static inline const char *crypto_skcipher_driver_name(struct crypto_skcipher *tfm)
{
	return tfm->base.__crt_alg->cra_driver_name;
}

static inline void crypto_skcipher_set_reqsize(struct crypto_skcipher *tfm,
					       unsigned int reqsize)
{
	tfm->reqsize = reqsize;
}

/**
 * crypto_skcipher_setkey - set the key
 *
 * Return: 0, or -EINVAL for a length outside [min_keysize, max_keysize]
 * (checked here) or one the implementation refuses.
 */
int crypto_skcipher_setkey(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen);

static inline struct crypto_skcipher *crypto_skcipher_reqtfm(struct skcipher_request *req)
{
	return container_of(req->base.tfm, struct crypto_skcipher, base);
}

static inline void *skcipher_request_ctx(struct skcipher_request *req)
{
	return req->__ctx;
}

/** skcipher_request_alloc - a request for @tfm with its context; NULL on failure */
struct skcipher_request *skcipher_request_alloc(struct crypto_skcipher *tfm, gfp_t gfp);
void skcipher_request_free(struct skcipher_request *req);

static inline void skcipher_request_set_callback(struct skcipher_request *req, u32 flags,
						 crypto_completion_t compl, void *data)
{
	req->base.complete = compl;
	req->base.data = data;
	req->base.flags = flags;
}

static inline void skcipher_request_set_crypt(struct skcipher_request *req,
					      struct scatterlist *src, struct scatterlist *dst,
					      unsigned int cryptlen, void *iv)
{
	req->src = src;
	req->dst = dst;
	req->cryptlen = cryptlen;
	req->iv = iv;
}

/** crypto_skcipher_encrypt - 0 or an error when done at once, else -EINPROGRESS/-EBUSY */
int crypto_skcipher_encrypt(struct skcipher_request *req);
int crypto_skcipher_decrypt(struct skcipher_request *req);

/* ---- ahash ---- */

struct crypto_ahash {
	unsigned int reqsize;
	struct crypto_tfm base;
};

struct ahash_request {
	unsigned int nbytes;
	struct scatterlist *src;
	u8 *result;			/* digestsize bytes, written by final/finup/digest */
	struct crypto_async_request base;
	void *__ctx;
};

struct hash_alg_common {
	unsigned int digestsize;
	unsigned int statesize;		/* bytes export() writes and import() reads */
	struct crypto_alg base;
};

struct ahash_alg {
	int (*init)(struct ahash_request *req);
	int (*update)(struct ahash_request *req);
	int (*final)(struct ahash_request *req);
	int (*finup)(struct ahash_request *req);
	int (*digest)(struct ahash_request *req);
	int (*export)(struct ahash_request *req, void *out);
	int (*import)(struct ahash_request *req, const void *in);
	int (*setkey)(struct crypto_ahash *tfm, const u8 *key, unsigned int keylen);
	int (*init_tfm)(struct crypto_ahash *tfm);	/* optional */
	void (*exit_tfm)(struct crypto_ahash *tfm);	/* optional */
	struct hash_alg_common halg;
};

int crypto_register_ahash(struct ahash_alg *alg);
void crypto_unregister_ahash(struct ahash_alg *alg);
/** crypto_alloc_ahash - as crypto_alloc_skcipher(), for hashes */
struct crypto_ahash *crypto_alloc_ahash(const char *alg_name, u32 type, u32 mask);
void crypto_free_ahash(struct crypto_ahash *tfm);

static inline struct ahash_alg *crypto_ahash_alg(struct crypto_ahash *tfm)
{
	return container_of(tfm->base.__crt_alg, struct ahash_alg, halg.base);
}

static inline void *crypto_ahash_ctx(struct crypto_ahash *tfm)
{
	return crypto_tfm_ctx(&tfm->base);
}

static inline unsigned int crypto_ahash_digestsize(struct crypto_ahash *tfm)
{
	return crypto_ahash_alg(tfm)->halg.digestsize;
}

static inline unsigned int crypto_ahash_statesize(struct crypto_ahash *tfm)
{
	return crypto_ahash_alg(tfm)->halg.statesize;
}

static inline unsigned int crypto_ahash_blocksize(struct crypto_ahash *tfm)
{
	return tfm->base.__crt_alg->cra_blocksize;
}

static inline const char *crypto_ahash_driver_name(struct crypto_ahash *tfm)
{
	return tfm->base.__crt_alg->cra_driver_name;
}

static inline void crypto_ahash_set_reqsize(struct crypto_ahash *tfm, unsigned int reqsize)
{
	tfm->reqsize = reqsize;
}

/** crypto_ahash_setkey - HMAC key; -ENOSYS for an unkeyed hash */
int crypto_ahash_setkey(struct crypto_ahash *tfm, const u8 *key, unsigned int keylen);

static inline struct crypto_ahash *crypto_ahash_reqtfm(struct ahash_request *req)
{
	return container_of(req->base.tfm, struct crypto_ahash, base);
}

static inline void *ahash_request_ctx(struct ahash_request *req)
{
	return req->__ctx;
}

struct ahash_request *ahash_request_alloc(struct crypto_ahash *tfm, gfp_t gfp);
void ahash_request_free(struct ahash_request *req);

static inline void ahash_request_set_callback(struct ahash_request *req, u32 flags,
					      crypto_completion_t compl, void *data)
{
	req->base.complete = compl;
	req->base.data = data;
	req->base.flags = flags;
}

static inline void ahash_request_set_crypt(struct ahash_request *req, struct scatterlist *src,
					   u8 *result, unsigned int nbytes)
{
	req->src = src;
	req->result = result;
	req->nbytes = nbytes;
}

int crypto_ahash_init(struct ahash_request *req);
int crypto_ahash_update(struct ahash_request *req);
int crypto_ahash_final(struct ahash_request *req);
int crypto_ahash_finup(struct ahash_request *req);
int crypto_ahash_digest(struct ahash_request *req);
int crypto_ahash_export(struct ahash_request *req, void *out);
int crypto_ahash_import(struct ahash_request *req, const void *in);

/* ---- completion, for drivers and synchronous users ---- */

/** crypto_request_complete - a driver reports @req finished with @err (0 or -errno) */
static inline void crypto_request_complete(struct crypto_async_request *req, int err)
{
	req->complete(req->data, err);
}

/*
 * struct crypto_wait - what a synchronous user waits on. There are no
 * threads to put to sleep: crypto_wait_req() runs the simulation instead.
 */
struct crypto_wait {
	bool done;
	int err;
};

#define DECLARE_CRYPTO_WAIT(name) struct crypto_wait name = { .done = false, .err = 0 }

static inline void crypto_init_wait(struct crypto_wait *wait)
{
	wait->done = false;
	wait->err = 0;
}

/** crypto_req_done - the completion callback to pass with a struct crypto_wait as data */
void crypto_req_done(void *data, int err);

/**
 * crypto_wait_req - finish a request that may have gone asynchronous
 * @err: what encrypt/decrypt/update/... returned
 *
 * For -EINPROGRESS and -EBUSY, steps the current simulation until the
 * callback reports (only from outside any actor step: a modelled CPU
 * cannot block) and re-arms @wait for its next request.
 *
 * Return: the request's result, or -ETIMEDOUT when the simulation stopped
 * (nothing ready, or a limit reached) before the callback came.
 */
int crypto_wait_req(int err, struct crypto_wait *wait);

/* Accounting: algorithms registered and transforms alive (0 at shutdown). */
unsigned int crypto_nr_algs(void);
unsigned int crypto_nr_tfms(void);

/**
 * crypto_exit - forget the registry (kernel_shutdown(), after its checks):
 * algorithms or transforms still there are abandoned, as kmem_exit()
 * abandons allocations, so the next kernel starts empty
 */
void crypto_exit(void);

#endif /* SECSOC_CRYPTO_H */
