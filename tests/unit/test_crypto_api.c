/*
 * test_crypto_api.c - the normal-world crypto API (kernel/crypto.c) with
 * fake algorithms on the default board: lookup by algorithm and driver
 * name with priorities, registration refusals and limits, key size
 * bounds, zeroed contexts, forwarding of the operations, completion from a
 * bottom half through crypto_wait_req(), its timeout and its misuse inside
 * a step, and the accounting kernel_shutdown() checks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/crypto.h>
#include <secsoc/err.h>
#include <secsoc/workqueue.h>

#include "kmem_fixture.h"

/* ---- fake implementations ---- */

enum fake_mode { FAKE_SYNC, FAKE_ASYNC, FAKE_NEVER };

struct fake_ctx {
	u8 key[AES_MAX_KEY_SIZE];
	unsigned int keylen;
	bool inited;
	u8 dirt[200];			/* scribbled on to prove the next ctx is zeroed */
};

struct fake_req_ctx {
	struct work_struct work;
	struct skcipher_request *req;
	int result;
	u8 dirt[100];
};

static enum fake_mode fake_mode;
static int fake_async_result;
static unsigned int fake_exits;

/* Completes the request from a bottom half, as a driver's done handler does. */
static void fake_complete_work(struct work_struct *work)
{
	struct fake_req_ctx *rctx = container_of(work, struct fake_req_ctx, work);

	crypto_request_complete(&rctx->req->base, rctx->result);
}

static int fake_setkey(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen)
{
	struct fake_ctx *ctx = crypto_skcipher_ctx(tfm);

	if (keylen == AES_KEYSIZE_192)
		return -EINVAL;		/* within the bounds, refused by the driver */
	memcpy(ctx->key, key, keylen);
	ctx->keylen = keylen;
	return 0;
}

/* "Encrypts" by XOR with the first key byte, then finishes per fake_mode. */
static int fake_crypt(struct skcipher_request *req)
{
	struct fake_ctx *ctx = crypto_skcipher_ctx(crypto_skcipher_reqtfm(req));
	struct fake_req_ctx *rctx = skcipher_request_ctx(req);
	u8 *buf = sg_virt(req->src);

	for (unsigned int i = 0; i < req->cryptlen; i++)
		buf[i] ^= ctx->key[0];
	if (fake_mode == FAKE_SYNC)
		return 0;
	if (fake_mode == FAKE_ASYNC) {
		INIT_WORK(&rctx->work, fake_complete_work);
		rctx->req = req;
		rctx->result = fake_async_result;
		queue_work(system_bh_wq, &rctx->work);
	}
	return -EINPROGRESS;
}

static int fake_init(struct crypto_skcipher *tfm)
{
	struct fake_ctx *ctx = crypto_skcipher_ctx(tfm);

	ctx->inited = true;
	crypto_skcipher_set_reqsize(tfm, sizeof(struct fake_req_ctx));
	return 0;
}

static void fake_exit(struct crypto_skcipher *tfm)
{
	(void)tfm;
	fake_exits++;
}

static int fake_init_fails(struct crypto_skcipher *tfm)
{
	(void)tfm;
	return -ENODEV;
}

static void fake_skcipher(struct skcipher_alg *alg, const char *name, const char *driver,
			  int priority)
{
	*alg = (struct skcipher_alg){
		.setkey = fake_setkey, .encrypt = fake_crypt, .decrypt = fake_crypt,
		.init = fake_init, .exit = fake_exit,
		.min_keysize = AES_KEYSIZE_128, .max_keysize = AES_KEYSIZE_256,
		.ivsize = AES_BLOCK_SIZE,
		.base = { .cra_priority = priority, .cra_flags = CRYPTO_ALG_ASYNC,
			  .cra_blocksize = AES_BLOCK_SIZE, .cra_ctxsize = sizeof(struct fake_ctx) },
	};
	snprintf(alg->base.cra_name, sizeof(alg->base.cra_name), "%s", name);
	snprintf(alg->base.cra_driver_name, sizeof(alg->base.cra_driver_name), "%s", driver);
}

/* A "hash" that adds the bytes up; the running sum is the exported state. */
struct fake_hash_state {
	u32 sum;
};

static int fake_hash_init(struct ahash_request *req)
{
	((struct fake_hash_state *)ahash_request_ctx(req))->sum = 0;
	return 0;
}

static int fake_hash_update(struct ahash_request *req)
{
	struct fake_hash_state *st = ahash_request_ctx(req);
	const u8 *p = sg_virt(req->src);

	for (unsigned int i = 0; i < req->nbytes; i++)
		st->sum += p[i];
	return 0;
}

static int fake_hash_final(struct ahash_request *req)
{
	memcpy(req->result, ahash_request_ctx(req), sizeof(u32));
	return 0;
}

static int fake_hash_init_tfm(struct crypto_ahash *tfm)
{
	crypto_ahash_set_reqsize(tfm, sizeof(struct fake_hash_state));
	return 0;
}

static int fake_hash_setkey(struct crypto_ahash *tfm, const u8 *key, unsigned int keylen)
{
	(void)tfm;
	(void)key;
	return keylen ? 0 : -EINVAL;
}

static void fake_ahash(struct ahash_alg *alg, const char *name, const char *driver, bool keyed)
{
	*alg = (struct ahash_alg){
		.init = fake_hash_init, .update = fake_hash_update, .final = fake_hash_final,
		.setkey = keyed ? fake_hash_setkey : NULL, .init_tfm = fake_hash_init_tfm,
		.halg = { .digestsize = sizeof(u32), .statesize = sizeof(struct fake_hash_state),
			  .base = { .cra_priority = 100, .cra_blocksize = 64 } },
	};
	snprintf(alg->halg.base.cra_name, sizeof(alg->halg.base.cra_name), "%s", name);
	snprintf(alg->halg.base.cra_driver_name, sizeof(alg->halg.base.cra_driver_name), "%s",
		 driver);
}

/* ---- fixture: the default board; every test must leave the registry empty ---- */

static int crypto_fx_boot(void **state)
{
	fake_mode = FAKE_SYNC;
	fake_async_result = 0;
	fake_exits = 0;
	return kmem_fx_boot(state);
}

static int crypto_fx_shutdown(void **state)
{
	assert_int_equal(crypto_nr_tfms(), 0);
	assert_int_equal(crypto_nr_algs(), 0);
	assert_int_equal(kmem_stats().objects, 0);
	return kmem_fx_shutdown(state);
}

#define CRYPTO_TEST(fn) cmocka_unit_test_setup_teardown(fn, crypto_fx_boot, crypto_fx_shutdown)

static struct crypto_skcipher *alloc_keyed(const char *name)
{
	static const u8 key[16] = { 0x5a };
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(name, 0, 0);

	assert_false(IS_ERR(tfm));
	assert_int_equal(crypto_skcipher_setkey(tfm, key, sizeof(key)), 0);
	return tfm;
}

/* ---- lookup ---- */

static void test_lookup_picks_highest_priority(void **state)
{
	struct skcipher_alg a, b, c;
	struct crypto_skcipher *tfm;

	fake_skcipher(&a, "cbc(fake)", "cbc-fake-a", 100);
	fake_skcipher(&b, "cbc(fake)", "cbc-fake-b", 300);
	fake_skcipher(&c, "cbc(fake)", "cbc-fake-c", 200);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_int_equal(crypto_register_skcipher(&b), 0);
	assert_int_equal(crypto_register_skcipher(&c), 0);
	tfm = crypto_alloc_skcipher("cbc(fake)", 0, 0);
	assert_false(IS_ERR(tfm));
	assert_string_equal(crypto_skcipher_driver_name(tfm), "cbc-fake-b");
	crypto_free_skcipher(tfm);
	crypto_unregister_skcipher(&b);
	tfm = crypto_alloc_skcipher("cbc(fake)", 0, 0);
	assert_string_equal(crypto_skcipher_driver_name(tfm), "cbc-fake-c");
	crypto_free_skcipher(tfm);
	crypto_unregister_skcipher(&a);
	crypto_unregister_skcipher(&c);
}

static void test_priority_tie_takes_first_registered(void **state)
{
	struct skcipher_alg a, b;
	struct crypto_skcipher *tfm;

	fake_skcipher(&a, "ctr(fake)", "ctr-fake-first", 200);
	fake_skcipher(&b, "ctr(fake)", "ctr-fake-second", 200);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_int_equal(crypto_register_skcipher(&b), 0);
	tfm = crypto_alloc_skcipher("ctr(fake)", 0, 0);
	assert_string_equal(crypto_skcipher_driver_name(tfm), "ctr-fake-first");
	crypto_free_skcipher(tfm);
	crypto_unregister_skcipher(&a);
	crypto_unregister_skcipher(&b);
}

static void test_lookup_by_driver_name_ignores_priority(void **state)
{
	struct skcipher_alg lo, hi;
	struct crypto_skcipher *tfm;

	fake_skcipher(&lo, "xts(fake)", "xts-fake-lo", 100);
	fake_skcipher(&hi, "xts(fake)", "xts-fake-hi", 400);
	assert_int_equal(crypto_register_skcipher(&lo), 0);
	assert_int_equal(crypto_register_skcipher(&hi), 0);
	tfm = crypto_alloc_skcipher("xts-fake-lo", 0, 0);
	assert_false(IS_ERR(tfm));
	assert_string_equal(crypto_skcipher_driver_name(tfm), "xts-fake-lo");
	assert_string_equal(crypto_tfm_alg(crypto_skcipher_tfm(tfm))->cra_name, "xts(fake)");
	crypto_free_skcipher(tfm);
	crypto_unregister_skcipher(&lo);
	crypto_unregister_skcipher(&hi);
}

static void test_unknown_name_is_enoent(void **state)
{
	struct skcipher_alg a;
	struct ahash_alg h;
	void *tfm;

	assert_int_equal(PTR_ERR(crypto_alloc_skcipher("cbc(aes)", 0, 0)), -ENOENT);
	fake_skcipher(&a, "ecb(fake)", "ecb-fake", 100);
	fake_ahash(&h, "sum", "sum-fake", false);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_int_equal(crypto_register_ahash(&h), 0);
	/* The name exists, but as the other type. */
	tfm = crypto_alloc_ahash("ecb(fake)", 0, 0);
	assert_int_equal(PTR_ERR(tfm), -ENOENT);
	tfm = crypto_alloc_skcipher("sum-fake", 0, 0);
	assert_int_equal(PTR_ERR(tfm), -ENOENT);
	assert_true(crypto_has_alg("ecb(fake)", 0, 0));
	assert_true(crypto_has_alg("sum-fake", CRYPTO_ALG_TYPE_AHASH, CRYPTO_ALG_TYPE_MASK));
	assert_false(crypto_has_alg("sum-fake", CRYPTO_ALG_TYPE_SKCIPHER, CRYPTO_ALG_TYPE_MASK));
	assert_false(crypto_has_alg("ecb", 0, 0));
	assert_int_equal(crypto_nr_tfms(), 0);
	crypto_unregister_skcipher(&a);
	crypto_unregister_ahash(&h);
}

/* ---- registration ---- */

static void test_duplicate_driver_name_is_eexist(void **state)
{
	struct skcipher_alg a, b;
	struct ahash_alg h;

	fake_skcipher(&a, "cbc(fake)", "fake-drv", 100);
	fake_skcipher(&b, "ctr(fake)", "fake-drv", 200);
	fake_ahash(&h, "sum", "fake-drv", false);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_int_equal(crypto_register_skcipher(&b), -EEXIST);
	assert_int_equal(crypto_register_ahash(&h), -EEXIST);
	assert_int_equal(crypto_register_skcipher(&a), -EEXIST);
	assert_int_equal(crypto_nr_algs(), 1);
	crypto_unregister_skcipher(&a);
	assert_int_equal(crypto_nr_algs(), 0);
}

static void test_malformed_algorithms_are_refused(void **state)
{
	struct skcipher_alg a;
	struct ahash_alg h;

	fake_skcipher(&a, "cbc(fake)", "", 100);
	assert_int_equal(crypto_register_skcipher(&a), -EINVAL);
	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	a.encrypt = NULL;
	assert_int_equal(crypto_register_skcipher(&a), -EINVAL);
	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	a.min_keysize = 64;
	assert_int_equal(crypto_register_skcipher(&a), -EINVAL);
	fake_ahash(&h, "sum", "sum-fake", false);
	h.halg.digestsize = HASH_MAX_DIGESTSIZE + 1;
	assert_int_equal(crypto_register_ahash(&h), -EINVAL);
	fake_ahash(&h, "sum", "sum-fake", false);
	h.halg.statesize = HASH_MAX_STATESIZE + 1;
	assert_int_equal(crypto_register_ahash(&h), -EINVAL);
	assert_int_equal(crypto_nr_algs(), 0);
}

static void test_registry_is_bounded(void **state)
{
	struct skcipher_alg *algs = calloc(CRYPTO_ALGS_MAX + 1, sizeof(*algs));
	char name[32];

	assert_non_null(algs);
	for (int i = 0; i <= CRYPTO_ALGS_MAX; i++) {
		snprintf(name, sizeof(name), "fake-%d", i);
		fake_skcipher(&algs[i], "cbc(fake)", name, i);
		assert_int_equal(crypto_register_skcipher(&algs[i]),
				 i < CRYPTO_ALGS_MAX ? 0 : -ENOSPC);
	}
	assert_int_equal(crypto_nr_algs(), CRYPTO_ALGS_MAX);
	for (int i = 0; i < CRYPTO_ALGS_MAX; i++)
		crypto_unregister_skcipher(&algs[i]);
	free(algs);
}

/* ---- transforms, keys and contexts ---- */

static void test_setkey_checks_key_size_bounds(void **state)
{
	static const u8 key[64] = { 1 };
	struct skcipher_alg a;
	struct crypto_skcipher *tfm;
	struct fake_ctx *ctx;

	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	tfm = crypto_alloc_skcipher("cbc(fake)", 0, 0);
	ctx = crypto_skcipher_ctx(tfm);
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 15), -EINVAL);
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 33), -EINVAL);
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 0), -EINVAL);
	assert_int_equal(ctx->keylen, 0);	/* refused before reaching the driver */
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 24), -EINVAL);	/* driver */
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 16), 0);
	assert_int_equal(ctx->keylen, 16);
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 32), 0);
	assert_int_equal(ctx->keylen, 32);
	crypto_free_skcipher(tfm);
	crypto_unregister_skcipher(&a);
}

static void test_crypt_without_key_is_enokey(void **state)
{
	static const u8 key[16] = { 1 };
	struct skcipher_alg a;
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	u8 *buf = kzalloc(16, GFP_KERNEL);

	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	tfm = crypto_alloc_skcipher("cbc(fake)", 0, 0);
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	sg_init_one(&sg, buf, 16);
	skcipher_request_set_crypt(req, &sg, &sg, 16, NULL);
	assert_int_equal(crypto_skcipher_encrypt(req), -ENOKEY);
	assert_int_equal(crypto_skcipher_decrypt(req), -ENOKEY);
	/* A refused key leaves the transform without one. */
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 24), -EINVAL);
	assert_int_equal(crypto_skcipher_encrypt(req), -ENOKEY);
	assert_int_equal(crypto_skcipher_setkey(tfm, key, 16), 0);
	assert_int_equal(crypto_skcipher_encrypt(req), 0);
	assert_int_equal(buf[0], 1);
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
	crypto_unregister_skcipher(&a);
	kfree(buf);
}

static bool all_zero(const void *p, size_t len)
{
	const u8 *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* Dirty a transform's and a request's context, free them, allocate again. */
static void test_contexts_are_zeroed_kernel_memory(void **state)
{
	struct skcipher_alg a;
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct fake_ctx *ctx;
	struct fake_req_ctx *rctx;

	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	for (int round = 0; round < 2; round++) {
		tfm = crypto_alloc_skcipher("cbc(fake)", 0, 0);
		req = skcipher_request_alloc(tfm, GFP_KERNEL);
		assert_non_null(req);
		ctx = crypto_skcipher_ctx(tfm);
		rctx = skcipher_request_ctx(req);
		assert_true(ctx->inited);
		assert_int_equal(tfm->reqsize, sizeof(struct fake_req_ctx));
		assert_true(all_zero(ctx->dirt, sizeof(ctx->dirt)));
		assert_true(all_zero(rctx, sizeof(*rctx)));
		assert_true(virt_addr_valid(ctx) && virt_addr_valid(&ctx->dirt[199]));
		assert_true(virt_addr_valid(rctx) && virt_addr_valid(&rctx->dirt[99]));
		assert_int_equal((uintptr_t)ctx % KMALLOC_MIN_ALIGN, 0);
		assert_int_equal((uintptr_t)rctx % KMALLOC_MIN_ALIGN, 0);
		assert_ptr_equal(req->base.tfm, crypto_skcipher_tfm(tfm));
		assert_ptr_equal(crypto_skcipher_reqtfm(req), tfm);
		memset(ctx->dirt, 0xa5, sizeof(ctx->dirt));
		memset(rctx->dirt, 0xa5, sizeof(rctx->dirt));
		skcipher_request_free(req);
		crypto_free_skcipher(tfm);
	}
	assert_int_equal(fake_exits, 2);
	crypto_unregister_skcipher(&a);
}

static void test_init_error_frees_the_transform(void **state)
{
	struct skcipher_alg a;

	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	a.init = fake_init_fails;
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_int_equal(PTR_ERR(crypto_alloc_skcipher("cbc(fake)", 0, 0)), -ENODEV);
	assert_int_equal(crypto_nr_tfms(), 0);
	assert_int_equal(a.base.cra_refcnt, 0);
	assert_int_equal(fake_exits, 0);
	crypto_unregister_skcipher(&a);
}

/* ---- ahash ---- */

static void test_ahash_operations_are_forwarded(void **state)
{
	struct ahash_alg h;
	struct crypto_ahash *tfm;
	struct ahash_request *req;
	struct scatterlist sg;
	u8 *data = kzalloc(4, GFP_KERNEL);
	u8 state_buf[8];
	u32 digest = 0;

	fake_ahash(&h, "sum", "sum-fake", false);
	assert_int_equal(crypto_register_ahash(&h), 0);
	tfm = crypto_alloc_ahash("sum", 0, 0);
	assert_false(IS_ERR(tfm));
	assert_int_equal(crypto_ahash_digestsize(tfm), 4);
	assert_int_equal(crypto_ahash_statesize(tfm), sizeof(struct fake_hash_state));
	assert_int_equal(crypto_ahash_setkey(tfm, data, 4), -ENOSYS);
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	memcpy(data, "\x01\x02\x03\x04", 4);
	sg_init_one(&sg, data, 4);
	ahash_request_set_crypt(req, &sg, (u8 *)&digest, 4);
	assert_int_equal(crypto_ahash_init(req), 0);
	assert_int_equal(crypto_ahash_update(req), 0);
	assert_int_equal(crypto_ahash_update(req), 0);
	assert_int_equal(crypto_ahash_final(req), 0);
	assert_int_equal(digest, 20);
	/* Optional operations this implementation lacks. */
	assert_int_equal(crypto_ahash_finup(req), -ENOSYS);
	assert_int_equal(crypto_ahash_digest(req), -ENOSYS);
	assert_int_equal(crypto_ahash_export(req, state_buf), -ENOSYS);
	assert_int_equal(crypto_ahash_import(req, state_buf), -ENOSYS);
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	crypto_unregister_ahash(&h);
	kfree(data);
}

static void test_keyed_hash_needs_its_key(void **state)
{
	struct ahash_alg h;
	struct crypto_ahash *tfm;
	struct ahash_request *req;
	static const u8 key[3] = { 1, 2, 3 };

	fake_ahash(&h, "hmac(sum)", "hmac-sum-fake", true);
	assert_int_equal(crypto_register_ahash(&h), 0);
	tfm = crypto_alloc_ahash("hmac-sum-fake", 0, 0);
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	assert_int_equal(crypto_ahash_init(req), -ENOKEY);
	assert_int_equal(crypto_ahash_setkey(tfm, key, 0), -EINVAL);
	assert_int_equal(crypto_ahash_init(req), -ENOKEY);
	assert_int_equal(crypto_ahash_setkey(tfm, key, sizeof(key)), 0);
	assert_int_equal(crypto_ahash_init(req), 0);
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	crypto_unregister_ahash(&h);
}

/* ---- completion and waiting ---- */

struct fake_op {
	struct skcipher_alg alg;
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	u8 *buf;
	struct crypto_wait wait;
};

static void fake_op_start(struct fake_op *op, enum fake_mode mode)
{
	fake_mode = mode;
	fake_skcipher(&op->alg, "cbc(fake)", "cbc-fake", 100);
	assert_int_equal(crypto_register_skcipher(&op->alg), 0);
	op->tfm = alloc_keyed("cbc-fake");
	op->req = skcipher_request_alloc(op->tfm, GFP_KERNEL);
	op->buf = kzalloc(32, GFP_KERNEL);
	sg_init_one(&op->sg, op->buf, 32);
	crypto_init_wait(&op->wait);
	skcipher_request_set_callback(op->req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done,
				      &op->wait);
	skcipher_request_set_crypt(op->req, &op->sg, &op->sg, 32, NULL);
}

static void fake_op_end(struct fake_op *op)
{
	kfree(op->buf);
	skcipher_request_free(op->req);
	crypto_free_skcipher(op->tfm);
	crypto_unregister_skcipher(&op->alg);
}

static void test_sync_result_is_returned_without_stepping(void **state)
{
	struct fake_op op;
	u64 steps;

	fake_op_start(&op, FAKE_SYNC);
	steps = sim_steps(fx.sim);
	assert_int_equal(crypto_wait_req(crypto_skcipher_encrypt(op.req), &op.wait), 0);
	assert_int_equal(sim_steps(fx.sim), steps);
	assert_int_equal(op.buf[0], 0x5a);
	fake_op_end(&op);
}

static void test_async_completion_from_a_bottom_half(void **state)
{
	struct fake_op op;
	u64 steps;
	int ret;

	fake_op_start(&op, FAKE_ASYNC);
	steps = sim_steps(fx.sim);
	ret = crypto_skcipher_encrypt(op.req);
	assert_int_equal(ret, -EINPROGRESS);
	assert_false(op.wait.done);
	assert_int_equal(crypto_wait_req(ret, &op.wait), 0);
	assert_true(sim_steps(fx.sim) > steps);
	assert_false(op.wait.done);		/* re-armed for the next request */
	/* The next request waits again, and its error comes through. */
	fake_async_result = -EBADMSG;
	assert_int_equal(crypto_wait_req(crypto_skcipher_decrypt(op.req), &op.wait), -EBADMSG);
	assert_int_equal(op.buf[0], 0);		/* encrypted, then decrypted */
	assert_int_equal(sim_violation_count(fx.sim), 0);
	fake_op_end(&op);
}

static void test_wait_times_out_when_nothing_completes(void **state)
{
	struct fake_op op;

	fake_op_start(&op, FAKE_NEVER);
	assert_int_equal(crypto_wait_req(crypto_skcipher_encrypt(op.req), &op.wait), -ETIMEDOUT);
	assert_false(op.wait.done);
	assert_int_equal(crypto_wait_req(-EBUSY, &op.wait), -ETIMEDOUT);
	assert_int_equal(sim_violation_count(fx.sim), 0);
	fake_op_end(&op);
}

static void test_backlog_notice_is_not_the_completion(void **state)
{
	DECLARE_CRYPTO_WAIT(wait);

	crypto_req_done(&wait, -EINPROGRESS);
	assert_false(wait.done);
	crypto_req_done(&wait, -EIO);
	assert_true(wait.done);
	assert_int_equal(crypto_wait_req(-EBUSY, &wait), -EIO);
	assert_false(wait.done);
	/* Results that are not "queued" pass straight through. */
	assert_int_equal(crypto_wait_req(-EINVAL, &wait), -EINVAL);
	assert_int_equal(crypto_wait_req(0, &wait), 0);
}

static struct crypto_wait misuse_wait;
static int misuse_ret;

static void wait_inside_a_step(struct work_struct *work)
{
	(void)work;
	misuse_ret = crypto_wait_req(-EINPROGRESS, &misuse_wait);
}

static void test_wait_inside_a_step_is_a_violation(void **state)
{
	struct work_struct work;

	crypto_init_wait(&misuse_wait);
	misuse_ret = 0;
	INIT_WORK(&work, wait_inside_a_step);
	queue_work(system_bh_wq, &work);
	assert_int_equal(sim_run(fx.sim), SIM_STOP_VIOLATION);
	assert_int_equal(misuse_ret, -ETIMEDOUT);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "a modelled CPU cannot block"));
}

static void test_wait_stops_at_a_violation(void **state)
{
	struct fake_op op;
	int ret;

	fake_op_start(&op, FAKE_ASYNC);
	ret = crypto_skcipher_encrypt(op.req);
	always(false, "an earlier check failed");
	assert_int_equal(crypto_wait_req(ret, &op.wait), -ETIMEDOUT);
	/* The completion is still queued: let it run before cleaning up. */
	while (sim_step_once(fx.sim))
		;
	fake_op_end(&op);
}

/* ---- accounting ---- */

static void test_accounting_counts_algs_and_tfms(void **state)
{
	struct skcipher_alg a;
	struct ahash_alg h;
	struct crypto_skcipher *t1, *t2;
	struct crypto_ahash *t3;

	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	fake_ahash(&h, "sum", "sum-fake", false);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_int_equal(crypto_register_ahash(&h), 0);
	assert_int_equal(crypto_nr_algs(), 2);
	t1 = crypto_alloc_skcipher("cbc(fake)", 0, 0);
	t2 = crypto_alloc_skcipher("cbc-fake", 0, 0);
	t3 = crypto_alloc_ahash("sum", 0, 0);
	assert_int_equal(crypto_nr_tfms(), 3);
	assert_int_equal(a.base.cra_refcnt, 2);
	assert_int_equal(h.halg.base.cra_refcnt, 1);
	crypto_free_skcipher(t1);
	assert_int_equal(a.base.cra_refcnt, 1);
	/* Taking the algorithm away under a live transform is a bug. */
	crypto_unregister_skcipher(&a);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "while 1 transforms use it"));
	crypto_free_skcipher(t2);
	crypto_free_ahash(t3);
	crypto_free_skcipher(NULL);
	crypto_free_ahash(ERR_PTR(-ENOENT));
	assert_int_equal(crypto_nr_tfms(), 0);
	crypto_unregister_ahash(&h);
	assert_int_equal(crypto_nr_algs(), 0);
}

static void test_transforms_are_bounded(void **state)
{
	struct crypto_skcipher **tfms = calloc(CRYPTO_TFMS_MAX, sizeof(*tfms));
	struct skcipher_alg a;

	assert_non_null(tfms);
	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	a.base.cra_ctxsize = 0;
	a.init = NULL;
	assert_int_equal(crypto_register_skcipher(&a), 0);
	for (int i = 0; i < CRYPTO_TFMS_MAX; i++) {
		tfms[i] = crypto_alloc_skcipher("cbc(fake)", 0, 0);
		assert_false(IS_ERR(tfms[i]));
	}
	assert_int_equal(kmem_fx_violations(), 0);
	assert_int_equal(PTR_ERR(crypto_alloc_skcipher("cbc(fake)", 0, 0)), -ENOMEM);
	assert_int_equal(kmem_fx_violations(), 1);
	for (int i = 0; i < CRYPTO_TFMS_MAX; i++)
		crypto_free_skcipher(tfms[i]);
	crypto_unregister_skcipher(&a);
	free(tfms);
}

/*
 * kernel_shutdown() checks the registry once the drivers are gone, then
 * forgets it, so that the next kernel starts empty.
 */
static void test_shutdown_with_an_algorithm_left_is_a_violation(void **state)
{
	struct skcipher_alg a;

	fake_skcipher(&a, "cbc(fake)", "cbc-fake", 100);
	assert_int_equal(crypto_register_skcipher(&a), 0);
	assert_false(IS_ERR(crypto_alloc_skcipher("cbc(fake)", 0, 0)));
	kernel_shutdown(&fx.k);
	assert_int_equal(kmem_fx_violations(), 2);
	assert_true(kmem_fx_violation_has(0, "1 crypto transforms alive"));
	assert_true(kmem_fx_violation_has(1, "1 crypto algorithms registered"));
	assert_int_equal(crypto_nr_algs(), 0);
	assert_int_equal(crypto_nr_tfms(), 0);
	assert_false(crypto_has_alg("cbc(fake)", 0, 0));
	soc_destroy(fx.soc);
	sim_destroy(fx.sim);
	dt_free(fx.dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CRYPTO_TEST(test_lookup_picks_highest_priority),
		CRYPTO_TEST(test_priority_tie_takes_first_registered),
		CRYPTO_TEST(test_lookup_by_driver_name_ignores_priority),
		CRYPTO_TEST(test_unknown_name_is_enoent),
		CRYPTO_TEST(test_duplicate_driver_name_is_eexist),
		CRYPTO_TEST(test_malformed_algorithms_are_refused),
		CRYPTO_TEST(test_registry_is_bounded),
		CRYPTO_TEST(test_setkey_checks_key_size_bounds),
		CRYPTO_TEST(test_crypt_without_key_is_enokey),
		CRYPTO_TEST(test_contexts_are_zeroed_kernel_memory),
		CRYPTO_TEST(test_init_error_frees_the_transform),
		CRYPTO_TEST(test_ahash_operations_are_forwarded),
		CRYPTO_TEST(test_keyed_hash_needs_its_key),
		CRYPTO_TEST(test_sync_result_is_returned_without_stepping),
		CRYPTO_TEST(test_async_completion_from_a_bottom_half),
		CRYPTO_TEST(test_wait_times_out_when_nothing_completes),
		CRYPTO_TEST(test_backlog_notice_is_not_the_completion),
		CRYPTO_TEST(test_wait_inside_a_step_is_a_violation),
		CRYPTO_TEST(test_wait_stops_at_a_violation),
		CRYPTO_TEST(test_accounting_counts_algs_and_tfms),
		CRYPTO_TEST(test_transforms_are_bounded),
		cmocka_unit_test_setup(test_shutdown_with_an_algorithm_left_is_a_violation,
				       crypto_fx_boot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
