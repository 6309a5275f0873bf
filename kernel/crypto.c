/*
 * crypto.c - the normal-world crypto API (include/secsoc/crypto.h): the
 * registry of skcipher and ahash algorithms, lookup by name and priority,
 * transforms and requests with their zeroed contexts, the forwarding of
 * operations to the implementation, and the wait helper that runs the
 * simulation for synchronous users.
 *
 * Owns the registry and its accounting. The state is static because there
 * is one booted kernel at a time (as in kmem); kernel_shutdown() checks
 * that every driver took its algorithms back and every user freed its
 * transforms.
 *
 * A transform lives in one kzalloc'd block of modelled RAM: a private box
 * (what the API keeps about it: does it still need a key) holding the
 * public struct, then the implementation's context. Requests are one block
 * too: the request, then the implementation's per-request context.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <secsoc/cpu.h>
#include <secsoc/crypto.h>
#include <secsoc/err.h>
#include <secsoc/sim.h>

/* Contexts larger than this are a bug in the implementation. */
#define CRYPTO_CTX_MAX (64 * 1024)

struct crypto_tfm_box {
	bool need_key;			/* keyed and setkey() has not succeeded yet */
	union {
		struct crypto_skcipher skcipher;
		struct crypto_ahash ahash;
	};
};

/* The context starts after the box, aligned as kmalloc aligns. */
#define TFM_CTX_OFFSET ALIGN_UP(sizeof(struct crypto_tfm_box), (size_t)KMALLOC_MIN_ALIGN)

static struct {
	struct list_head algs;		/* struct crypto_alg, registration order */
	unsigned int nr_algs;
	unsigned int nr_tfms;
} registry = { LIST_HEAD_INIT(registry.algs), 0, 0 };

unsigned int crypto_nr_algs(void)
{
	return registry.nr_algs;
}

unsigned int crypto_nr_tfms(void)
{
	return registry.nr_tfms;
}

void crypto_exit(void)
{
	INIT_LIST_HEAD(&registry.algs);
	registry.nr_algs = 0;
	registry.nr_tfms = 0;
}

/* ---- the registry ---- */

static bool crypto_alg_registered(const struct crypto_alg *alg)
{
	const struct crypto_alg *q;

	list_for_each_entry(q, &registry.algs, cra_list)
		if (q == alg)
			return true;
	return false;
}

static bool crypto_name_ok(const char *name)
{
	size_t len = strnlen(name, CRYPTO_MAX_ALG_NAME);

	return len > 0 && len < CRYPTO_MAX_ALG_NAME;
}

/* Checks common to both types, then stamp the type and link the algorithm. */
static int crypto_register_alg(struct crypto_alg *alg, u32 type)
{
	const struct crypto_alg *q;

	if (!crypto_name_ok(alg->cra_name) || !crypto_name_ok(alg->cra_driver_name) ||
	    alg->cra_ctxsize > CRYPTO_CTX_MAX)
		return -EINVAL;
	list_for_each_entry(q, &registry.algs, cra_list)
		if (!strcmp(q->cra_driver_name, alg->cra_driver_name))
			return -EEXIST;
	if (registry.nr_algs == CRYPTO_ALGS_MAX)
		return -ENOSPC;
	alg->cra_flags = (alg->cra_flags & ~(u32)CRYPTO_ALG_TYPE_MASK) | type;
	alg->cra_refcnt = 0;
	list_add_tail(&alg->cra_list, &registry.algs);
	registry.nr_algs++;
	return 0;
}

static void crypto_unregister_alg(struct crypto_alg *alg)
{
	always(crypto_alg_registered(alg), "crypto: unregistering %s, which is not registered",
	       alg->cra_driver_name);
	always(alg->cra_refcnt == 0, "crypto: unregistering %s while %u transforms use it",
	       alg->cra_driver_name, alg->cra_refcnt);
	if (!crypto_alg_registered(alg))
		return;
	list_del_init(&alg->cra_list);
	registry.nr_algs--;
}

int crypto_register_skcipher(struct skcipher_alg *alg)
{
	if (!alg->setkey || !alg->encrypt || !alg->decrypt ||
	    alg->min_keysize > alg->max_keysize)
		return -EINVAL;
	return crypto_register_alg(&alg->base, CRYPTO_ALG_TYPE_SKCIPHER);
}

void crypto_unregister_skcipher(struct skcipher_alg *alg)
{
	crypto_unregister_alg(&alg->base);
}

int crypto_register_ahash(struct ahash_alg *alg)
{
	const struct hash_alg_common *h = &alg->halg;

	if (!alg->init || !alg->update || !alg->final || !h->digestsize ||
	    h->digestsize > HASH_MAX_DIGESTSIZE || h->statesize > HASH_MAX_STATESIZE)
		return -EINVAL;
	return crypto_register_alg(&alg->halg.base, CRYPTO_ALG_TYPE_AHASH);
}

void crypto_unregister_ahash(struct ahash_alg *alg)
{
	crypto_unregister_alg(&alg->halg.base);
}

/*
 * The implementation of @name whose flags agree with @type under @mask: a
 * driver-name match is taken at once (driver names are unique); among
 * algorithm-name matches the highest priority wins, the first registered
 * on a tie (Linux's __crypto_alg_lookup()).
 */
static struct crypto_alg *crypto_alg_lookup(const char *name, u32 type, u32 mask)
{
	struct crypto_alg *q, *best = NULL;

	list_for_each_entry(q, &registry.algs, cra_list) {
		if ((q->cra_flags ^ type) & mask)
			continue;
		if (!strcmp(q->cra_driver_name, name))
			return q;
		if (!strcmp(q->cra_name, name) && (!best || q->cra_priority > best->cra_priority))
			best = q;
	}
	return best;
}

bool crypto_has_alg(const char *name, u32 type, u32 mask)
{
	return crypto_alg_lookup(name, type, mask) != NULL;
}

/* ---- transforms ---- */

/*
 * A zeroed box and context for the implementation of @name of type
 * @alg_type; the caller fills in the front end and runs its init hook.
 */
static struct crypto_tfm_box *crypto_box_alloc(const char *name, u32 alg_type, u32 type,
					       u32 mask, struct crypto_alg **algp)
{
	struct crypto_alg *alg;
	struct crypto_tfm_box *box;

	type = (type & ~(u32)CRYPTO_ALG_TYPE_MASK) | alg_type;
	alg = crypto_alg_lookup(name, type, mask | CRYPTO_ALG_TYPE_MASK);
	if (!alg)
		return ERR_PTR(-ENOENT);
	always(registry.nr_tfms < CRYPTO_TFMS_MAX, "crypto: more than %d transforms alive",
	       CRYPTO_TFMS_MAX);
	if (registry.nr_tfms >= CRYPTO_TFMS_MAX)
		return ERR_PTR(-ENOMEM);
	box = kzalloc(TFM_CTX_OFFSET + alg->cra_ctxsize, GFP_KERNEL);
	if (!box)
		return ERR_PTR(-ENOMEM);
	alg->cra_refcnt++;
	registry.nr_tfms++;
	*algp = alg;
	return box;
}

static void crypto_box_free(struct crypto_tfm_box *box, struct crypto_tfm *tfm)
{
	always(tfm->__crt_alg->cra_refcnt > 0 && registry.nr_tfms > 0,
	       "crypto: freeing a transform of %s twice", tfm->__crt_alg->cra_driver_name);
	tfm->__crt_alg->cra_refcnt--;
	registry.nr_tfms--;
	kfree(box);
}

static void crypto_tfm_set(struct crypto_tfm *tfm, struct crypto_alg *alg,
			   struct crypto_tfm_box *box)
{
	tfm->__crt_alg = alg;
	tfm->__crt_ctx = (u8 *)box + TFM_CTX_OFFSET;
}

static struct crypto_tfm_box *skcipher_box(struct crypto_skcipher *tfm)
{
	return container_of(tfm, struct crypto_tfm_box, skcipher);
}

static struct crypto_tfm_box *ahash_box(struct crypto_ahash *tfm)
{
	return container_of(tfm, struct crypto_tfm_box, ahash);
}

struct crypto_skcipher *crypto_alloc_skcipher(const char *alg_name, u32 type, u32 mask)
{
	struct crypto_alg *alg = NULL;
	struct crypto_tfm_box *box;
	struct crypto_skcipher *tfm;
	int ret;

	box = crypto_box_alloc(alg_name, CRYPTO_ALG_TYPE_SKCIPHER, type, mask, &alg);
	if (IS_ERR(box))
		return (void *)box;
	tfm = &box->skcipher;
	crypto_tfm_set(&tfm->base, alg, box);
	box->need_key = true;
	if (crypto_skcipher_alg(tfm)->init) {
		ret = crypto_skcipher_alg(tfm)->init(tfm);
		if (ret) {
			crypto_box_free(box, &tfm->base);
			return ERR_PTR(ret);
		}
	}
	return tfm;
}

void crypto_free_skcipher(struct crypto_skcipher *tfm)
{
	if (IS_ERR_OR_NULL(tfm))
		return;
	if (crypto_skcipher_alg(tfm)->exit)
		crypto_skcipher_alg(tfm)->exit(tfm);
	crypto_box_free(skcipher_box(tfm), &tfm->base);
}

struct crypto_ahash *crypto_alloc_ahash(const char *alg_name, u32 type, u32 mask)
{
	struct crypto_alg *alg = NULL;
	struct crypto_tfm_box *box;
	struct crypto_ahash *tfm;
	int ret;

	box = crypto_box_alloc(alg_name, CRYPTO_ALG_TYPE_AHASH, type, mask, &alg);
	if (IS_ERR(box))
		return (void *)box;
	tfm = &box->ahash;
	crypto_tfm_set(&tfm->base, alg, box);
	/* As in Linux, a keyed hash (one with setkey) needs its key first. */
	box->need_key = crypto_ahash_alg(tfm)->setkey != NULL;
	if (crypto_ahash_alg(tfm)->init_tfm) {
		ret = crypto_ahash_alg(tfm)->init_tfm(tfm);
		if (ret) {
			crypto_box_free(box, &tfm->base);
			return ERR_PTR(ret);
		}
	}
	return tfm;
}

void crypto_free_ahash(struct crypto_ahash *tfm)
{
	if (IS_ERR_OR_NULL(tfm))
		return;
	if (crypto_ahash_alg(tfm)->exit_tfm)
		crypto_ahash_alg(tfm)->exit_tfm(tfm);
	crypto_box_free(ahash_box(tfm), &tfm->base);
}

int crypto_skcipher_setkey(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen)
{
	struct skcipher_alg *alg = crypto_skcipher_alg(tfm);
	int ret;

	if (keylen < alg->min_keysize || keylen > alg->max_keysize)
		return -EINVAL;
	ret = alg->setkey(tfm, key, keylen);
	skcipher_box(tfm)->need_key = ret != 0;
	return ret;
}

int crypto_ahash_setkey(struct crypto_ahash *tfm, const u8 *key, unsigned int keylen)
{
	struct ahash_alg *alg = crypto_ahash_alg(tfm);
	int ret;

	if (!alg->setkey)
		return -ENOSYS;
	ret = alg->setkey(tfm, key, keylen);
	ahash_box(tfm)->need_key = ret != 0;
	return ret;
}

/* ---- requests ---- */

/*
 * Request and context in one zeroed block, the context aligned as kmalloc
 * aligns; NULL for an oversized context or without memory.
 */
#define REQ_CTX_OFFSET(type) ALIGN_UP(sizeof(type), (size_t)KMALLOC_MIN_ALIGN)

static void *crypto_req_block(size_t ctx_offset, unsigned int reqsize, gfp_t gfp)
{
	return reqsize > CRYPTO_CTX_MAX ? NULL : kzalloc(ctx_offset + reqsize, gfp);
}

static void crypto_req_base_init(struct crypto_async_request *base, struct crypto_tfm *tfm)
{
	INIT_LIST_HEAD(&base->list);
	base->tfm = tfm;
}

struct skcipher_request *skcipher_request_alloc(struct crypto_skcipher *tfm, gfp_t gfp)
{
	struct skcipher_request *req = crypto_req_block(REQ_CTX_OFFSET(*req), tfm->reqsize, gfp);

	if (!req)
		return NULL;
	crypto_req_base_init(&req->base, &tfm->base);
	req->__ctx = (u8 *)req + REQ_CTX_OFFSET(*req);
	return req;
}

void skcipher_request_free(struct skcipher_request *req)
{
	kfree(req);
}

struct ahash_request *ahash_request_alloc(struct crypto_ahash *tfm, gfp_t gfp)
{
	struct ahash_request *req = crypto_req_block(REQ_CTX_OFFSET(*req), tfm->reqsize, gfp);

	if (!req)
		return NULL;
	crypto_req_base_init(&req->base, &tfm->base);
	req->__ctx = (u8 *)req + REQ_CTX_OFFSET(*req);
	return req;
}

void ahash_request_free(struct ahash_request *req)
{
	kfree(req);
}

/* ---- operations: forwarded; a keyed transform without its key gets -ENOKEY ---- */

int crypto_skcipher_encrypt(struct skcipher_request *req)
{
	struct crypto_skcipher *tfm = crypto_skcipher_reqtfm(req);

	if (skcipher_box(tfm)->need_key)
		return -ENOKEY;
	return crypto_skcipher_alg(tfm)->encrypt(req);
}

int crypto_skcipher_decrypt(struct skcipher_request *req)
{
	struct crypto_skcipher *tfm = crypto_skcipher_reqtfm(req);

	if (skcipher_box(tfm)->need_key)
		return -ENOKEY;
	return crypto_skcipher_alg(tfm)->decrypt(req);
}

/* May @req's operation run? -ENOKEY without the key, -ENOSYS if not implemented. */
static int ahash_op_check(struct ahash_request *req, bool implemented)
{
	if (ahash_box(crypto_ahash_reqtfm(req))->need_key)
		return -ENOKEY;
	return implemented ? 0 : -ENOSYS;
}

static struct ahash_alg *ahash_req_alg(struct ahash_request *req)
{
	return crypto_ahash_alg(crypto_ahash_reqtfm(req));
}

int crypto_ahash_init(struct ahash_request *req)
{
	return ahash_op_check(req, true) ?: ahash_req_alg(req)->init(req);
}

int crypto_ahash_update(struct ahash_request *req)
{
	return ahash_op_check(req, true) ?: ahash_req_alg(req)->update(req);
}

int crypto_ahash_final(struct ahash_request *req)
{
	return ahash_op_check(req, true) ?: ahash_req_alg(req)->final(req);
}

int crypto_ahash_finup(struct ahash_request *req)
{
	struct ahash_alg *alg = ahash_req_alg(req);

	return ahash_op_check(req, alg->finup) ?: alg->finup(req);
}

int crypto_ahash_digest(struct ahash_request *req)
{
	struct ahash_alg *alg = ahash_req_alg(req);

	return ahash_op_check(req, alg->digest) ?: alg->digest(req);
}

int crypto_ahash_export(struct ahash_request *req, void *out)
{
	struct ahash_alg *alg = ahash_req_alg(req);

	return ahash_op_check(req, alg->export) ?: alg->export(req, out);
}

int crypto_ahash_import(struct ahash_request *req, const void *in)
{
	struct ahash_alg *alg = ahash_req_alg(req);

	return ahash_op_check(req, alg->import) ?: alg->import(req, in);
}

/* ---- waiting ---- */

void crypto_req_done(void *data, int err)
{
	struct crypto_wait *wait = data;

	/* A backlogged request moving to the queue: not its completion yet. */
	if (err == -EINPROGRESS)
		return;
	wait->err = err;
	wait->done = true;
}

/* Would sim_run() stop before the next step? (violation, step or time limit) */
static bool crypto_sim_stopped(const struct sim *s)
{
	const struct sim_config *cfg = sim_config(s);

	return sim_violation_count(s) > 0 || sim_steps(s) >= cfg->max_steps ||
	       (cfg->duration_ns && sim_now_ns(s) > cfg->duration_ns);
}

/*
 * After -ETIMEDOUT the request still belongs to the driver; the wait is
 * re-armed all the same, so a caller must not reuse the request.
 */
int crypto_wait_req(int err, struct crypto_wait *wait)
{
	struct sim *s = sim_current();

	if (err != -EINPROGRESS && err != -EBUSY)
		return err;
	always(s && cpu_current() == NULL && sim_running_actor(s) == NULL,
	       "crypto_wait_req inside a step of %s: a modelled CPU cannot block",
	       s && sim_running_actor(s) ? sim_running_actor(s)->name : "-");
	if (!s || sim_running_actor(s))
		return -ETIMEDOUT;
	while (!wait->done) {
		if (crypto_sim_stopped(s) || !sim_step_once(s))
			break;
	}
	err = wait->done ? wait->err : -ETIMEDOUT;
	crypto_init_wait(wait);
	return err;
}
