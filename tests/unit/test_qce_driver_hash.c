/*
 * test_qce_driver_hash.c - the crypto engine driver's hashes against
 * OpenSSL: sha1, sha256, hmac(sha1), hmac(sha256) at lengths from 0 to
 * 64 KiB under each lock policy, updates split at odd places with an
 * export/import midway, finup, HMAC keys longer than a block, and the
 * refusal of a state this driver could not have exported.
 */
#include "qce_driver_fixture.h"

struct qd_hash {
	const char *name;
	bool sha256;
	bool hmac;
};

static const struct qd_hash qd_hashes[] = {
	{ "sha1", false, false },
	{ "sha256", true, false },
	{ "hmac(sha1)", false, true },
	{ "hmac(sha256)", true, true },
};

static const unsigned int qd_lens[] = {
	0, 1, 3, 55, 56, 63, 64, 65, 127, 128, 1000, 4096, 12345, 65536,
};

static const u8 qd_key[] = "an HMAC key of no particular length";

static void qd_check_digest(const struct qd_hash *h, unsigned int len)
{
	struct crypto_ahash *tfm = qd_hash_tfm(h->name, h->hmac ? qd_key : NULL,
					       sizeof(qd_key));
	u8 *msg = qd_kbuf(len), md[32], want[32];

	assert_int_equal(qd_digest(tfm, msg, len, md), 0);
	ref_digest(h->sha256, h->hmac ? qd_key : NULL, sizeof(qd_key), msg, len, want);
	assert_bytes(md, want, h->sha256 ? 32 : 20);
	crypto_free_ahash(tfm);
	kfree(msg);
}

static void test_every_hash_matches_openssl(void **state)
{
	for (unsigned int h = 0; h < ARRAY_SIZE(qd_hashes); h++)
		for (unsigned int l = 0; l < ARRAY_SIZE(qd_lens); l++)
			qd_check_digest(&qd_hashes[h], qd_lens[l]);
	assert_int_equal(qd.qce->stats.errors, 0);
}

/* The empty message runs on the engine as a 0-byte LAST segment. */
static void test_empty_messages_run_on_the_engine(void **state)
{
	u64 ops = qce_ops_done(dfx.soc->qce);

	for (unsigned int h = 0; h < ARRAY_SIZE(qd_hashes); h++)
		qd_check_digest(&qd_hashes[h], 0);
	assert_int_equal(qce_ops_done(dfx.soc->qce), ops + ARRAY_SIZE(qd_hashes));
}

/* One ahash operation on @len bytes at @p (kernel memory). */
static int qd_op(struct ahash_request *req, int (*op)(struct ahash_request *req), u8 *p,
		 unsigned int len, u8 *md)
{
	struct scatterlist sg;

	sg_init_one(&sg, p, len ? len : 1);
	ahash_request_set_crypt(req, &sg, md, len);
	return qd_wait(req, op);
}

/*
 * Updates of random sizes (0 included), the state exported after
 * @export_at of them and imported into a fresh request, then final or finup.
 */
static void qd_check_split(const struct qd_hash *h, unsigned int len, unsigned int export_at,
			   bool finup)
{
	struct crypto_ahash *tfm = qd_hash_tfm(h->name, h->hmac ? qd_key : NULL,
					       sizeof(qd_key));
	struct ahash_request *req = ahash_request_alloc(tfm, GFP_KERNEL);
	u8 *msg = qd_kbuf(len), md[32], want[32], st[HASH_MAX_STATESIZE];
	unsigned int off = 0, n = 0, piece;

	assert_int_equal(qd_wait(req, crypto_ahash_init), 0);
	while (off < len) {
		piece = rng(200);
		piece = MIN(len - off, piece);
		if (finup && off + piece == len)
			break;
		assert_int_equal(qd_op(req, crypto_ahash_update, msg + off, piece, NULL), 0);
		off += piece;
		if (++n != export_at)
			continue;
		assert_int_equal(crypto_ahash_export(req, st), 0);
		ahash_request_free(req);
		req = ahash_request_alloc(tfm, GFP_KERNEL);
		assert_int_equal(crypto_ahash_import(req, st), 0);
	}
	if (finup)
		assert_int_equal(qd_op(req, crypto_ahash_finup, msg + off, len - off, md), 0);
	else
		assert_int_equal(qd_op(req, crypto_ahash_final, msg, 0, md), 0);
	ref_digest(h->sha256, h->hmac ? qd_key : NULL, sizeof(qd_key), msg, len, want);
	assert_bytes(md, want, h->sha256 ? 32 : 20);
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	kfree(msg);
}

static void test_split_updates_with_export_import_equal_one_shot(void **state)
{
	static const unsigned int lens[] = { 0, 64, 200, 1000, 4097 };

	for (unsigned int h = 0; h < ARRAY_SIZE(qd_hashes); h++)
		for (unsigned int l = 0; l < ARRAY_SIZE(lens); l++) {
			qd_check_split(&qd_hashes[h], lens[l], 1 + rng(6), false);
			qd_check_split(&qd_hashes[h], lens[l], 1 + rng(6), true);
		}
}

/* Updates of exactly one block each: the last one is held back for final. */
static void test_block_sized_updates_then_final(void **state)
{
	struct crypto_ahash *tfm = qd_hash_tfm("sha256", NULL, 0);
	struct ahash_request *req = ahash_request_alloc(tfm, GFP_KERNEL);
	u8 *msg = qd_kbuf(256), md[32], want[32];

	assert_int_equal(qd_wait(req, crypto_ahash_init), 0);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(qd_op(req, crypto_ahash_update, msg + 64 * i, 64, NULL), 0);
	assert_int_equal(qd_op(req, crypto_ahash_final, msg, 0, md), 0);
	ref_digest(true, NULL, 0, msg, 256, want);
	assert_bytes(md, want, 32);
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	kfree(msg);
}

/* Keys longer than a block are digested first, with this driver's own hash. */
static void test_hmac_keys_longer_than_a_block(void **state)
{
	static const unsigned int keylens[] = { 64, 65, 100, 300 };
	u8 key[300], *msg = qd_kbuf(777), md[32], want[32];

	rng_fill(key, sizeof(key));
	for (unsigned int h = 2; h < ARRAY_SIZE(qd_hashes); h++) {
		for (unsigned int k = 0; k < ARRAY_SIZE(keylens); k++) {
			struct crypto_ahash *tfm = qd_hash_tfm(qd_hashes[h].name, key, keylens[k]);

			assert_int_equal(qd_digest(tfm, msg, 777, md), 0);
			ref_digest(qd_hashes[h].sha256, key, keylens[k], msg, 777, want);
			assert_bytes(md, want, qd_hashes[h].sha256 ? 32 : 20);
			crypto_free_ahash(tfm);
		}
	}
	kfree(msg);
}

static void test_import_refuses_an_impossible_state(void **state)
{
	struct crypto_ahash *tfm = qd_hash_tfm("sha1", NULL, 0);
	struct ahash_request *req = ahash_request_alloc(tfm, GFP_KERNEL);
	struct qce_sha_saved_state st;

	assert_int_equal(qd_wait(req, crypto_ahash_init), 0);
	assert_int_equal(crypto_ahash_export(req, &st), 0);
	st.pending_buflen = 65;
	st.count = 65;
	assert_int_equal(crypto_ahash_import(req, &st), -EINVAL);
	st.pending_buflen = 10;
	st.count = 70;		/* 60 bytes hashed: not whole blocks */
	assert_int_equal(crypto_ahash_import(req, &st), -EINVAL);
	/* Found by fuzz_crypto_api: a first-block flag that is neither 0 nor 1. */
	assert_int_equal(crypto_ahash_export(req, &st), 0);
	st.first_blk = 16;
	assert_int_equal(crypto_ahash_import(req, &st), -EINVAL);
	ahash_request_free(req);
	crypto_free_ahash(tfm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		QD_TEST_POLICY(test_every_hash_matches_openssl, none),
		QD_TEST_POLICY(test_every_hash_matches_openssl, v12),
		QD_TEST_POLICY(test_every_hash_matches_openssl, nwd),
		QD_TEST(test_empty_messages_run_on_the_engine),
		QD_TEST(test_split_updates_with_export_import_equal_one_shot),
		QD_TEST(test_block_sized_updates_then_final),
		QD_TEST(test_hmac_keys_longer_than_a_block),
		QD_TEST(test_import_refuses_an_impossible_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
