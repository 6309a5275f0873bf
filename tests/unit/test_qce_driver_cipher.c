/*
 * test_qce_driver_cipher.c - the crypto engine driver's skciphers against
 * OpenSSL: every algorithm, key size and direction at lengths from 16
 * bytes to 64 KiB (odd ones for CTR and XTS) under each lock policy, IV
 * chaining across requests, in-place requests and scatterlists split at
 * odd places.
 */
#include "qce_driver_fixture.h"

struct qd_alg {
	const char *name;
	u32 mode;		/* QCE_ENCR_MODE_* (qce_driver_flow.h's references) */
	unsigned int keylens[2];
};

static const struct qd_alg qd_algs[] = {
	{ "ecb(aes)", QCE_ENCR_MODE_ECB, { 16, 32 } },
	{ "cbc(aes)", QCE_ENCR_MODE_CBC, { 16, 32 } },
	{ "ctr(aes)", QCE_ENCR_MODE_CTR, { 16, 32 } },
	{ "xts(aes)", QCE_ENCR_MODE_XTS, { 32, 64 } },
};

/* Block multiples for every mode, then lengths only CTR and XTS take. */
static const unsigned int qd_lens[] = { 16, 32, 48, 4096, 65536, 17, 1000, 12345, 65535 };
#define QD_BLOCK_LENS 5

/*
 * @len bytes as one request (@first == @len) or as two, of @first and
 * @len - @first bytes, chained through req->iv: the output must be what
 * one OpenSSL pass over all of it gives.
 */
static void qd_check_requests(const char *name, u32 mode, unsigned int keylen, bool enc,
			      unsigned int len, unsigned int first)
{
	u8 key[64], iv[16], iv_in[16];
	u8 *in = qd_kbuf(len), *out = qd_kbuf(len), *want = malloc(len);
	struct cipher_req r = { .mode = mode, .enc = enc, .key = key, .keylen = keylen,
				.iv = iv_in, .len = len };
	struct crypto_skcipher *tfm;

	assert_non_null(want);
	rng_fill(key, keylen);	/* XTS halves equal with odds 2^-128 */
	rng_fill(iv, sizeof(iv));
	memcpy(iv_in, iv, sizeof(iv));
	tfm = qd_cipher_tfm(name, key, keylen);
	assert_int_equal(qd_crypt(tfm, enc, iv, in, out, first), 0);
	if (first < len)
		assert_int_equal(qd_crypt(tfm, enc, iv, in + first, out + first, len - first), 0);
	ref_skcipher(&r, in, want);
	assert_bytes(out, want, len);
	crypto_free_skcipher(tfm);
	kfree(in);
	kfree(out);
	free(want);
}

/* One request of @len bytes through the driver, compared with OpenSSL. */
static void qd_check_one(const struct qd_alg *alg, unsigned int keylen, bool enc,
			 unsigned int len)
{
	qd_check_requests(alg->name, alg->mode, keylen, enc, len, len);
}

static void test_every_cipher_matches_openssl(void **state)
{
	for (unsigned int a = 0; a < ARRAY_SIZE(qd_algs); a++) {
		const struct qd_alg *alg = &qd_algs[a];
		bool any_len = alg->mode == QCE_ENCR_MODE_CTR || alg->mode == QCE_ENCR_MODE_XTS;
		unsigned int nr_lens = any_len ? ARRAY_SIZE(qd_lens) : QD_BLOCK_LENS;

		for (unsigned int k = 0; k < 2; k++)
			for (unsigned int l = 0; l < nr_lens; l++)
				for (unsigned int enc = 0; enc < 2; enc++)
					qd_check_one(alg, alg->keylens[k], enc, qd_lens[l]);
	}
	assert_int_equal(qd.qce->stats.errors, 0);
}

static void test_cbc_iv_chains_across_requests(void **state)
{
	qd_check_requests("cbc(aes)", QCE_ENCR_MODE_CBC, 32, true, 4096, 1024);
	qd_check_requests("cbc(aes)", QCE_ENCR_MODE_CBC, 32, false, 4096, 16);
}

static void test_ctr_counter_chains_across_requests(void **state)
{
	qd_check_requests("ctr(aes)", QCE_ENCR_MODE_CTR, 32, true, 4096, 160);
	qd_check_requests("ctr(aes)", QCE_ENCR_MODE_CTR, 32, false, 4096, 2048);
}

static void test_ctr_counter_carries_across_64_bits(void **state)
{
	const unsigned int len = 256;
	u8 key[16] = { 1 }, iv[16], iv_in[16], *in = qd_kbuf(len), *out = qd_kbuf(len);
	u8 want[256];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CTR, .enc = true, .key = key,
				.keylen = 16, .iv = iv_in, .len = len };
	struct crypto_skcipher *tfm = qd_cipher_tfm("ctr(aes)", key, sizeof(key));

	memset(iv, 0xff, sizeof(iv));
	iv[0] = 0x12;
	iv[15] = 0xfd;		/* the counter wraps through its low 120 bits after 3 blocks */
	memcpy(iv_in, iv, sizeof(iv));
	assert_int_equal(qd_crypt(tfm, true, iv, in, out, len), 0);
	ref_skcipher(&r, in, want);
	assert_bytes(out, want, len);
	assert_int_equal(iv[0], 0x13);
	assert_int_equal(iv[15], 0x0d);
	crypto_free_skcipher(tfm);
	kfree(in);
	kfree(out);
}

static void test_in_place_request(void **state)
{
	const unsigned int len = 8192;
	u8 key[64], iv[16], iv_in[16], *buf = qd_kbuf(len), *want = malloc(len);
	struct cipher_req r = { .mode = QCE_ENCR_MODE_XTS, .enc = true, .key = key,
				.keylen = 64, .iv = iv_in, .len = len };
	struct crypto_skcipher *tfm;

	rng_fill(key, sizeof(key));
	rng_fill(iv, sizeof(iv));
	memcpy(iv_in, iv, sizeof(iv));
	tfm = qd_cipher_tfm("xts(aes)", key, sizeof(key));
	ref_skcipher(&r, buf, want);
	assert_int_equal(qd_crypt(tfm, true, iv, buf, buf, len), 0);
	assert_bytes(buf, want, len);
	crypto_free_skcipher(tfm);
	kfree(buf);
	free(want);
}

/* ECB takes no IV: a request without one works (found by fuzz_crypto_api). */
static void test_ecb_without_iv(void **state)
{
	const unsigned int len = 64;
	u8 key[16], *in = qd_kbuf(len), *out = qd_kbuf(len), want[64];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = key,
				.keylen = 16, .len = len };
	struct crypto_skcipher *tfm;

	rng_fill(key, sizeof(key));
	rng_fill(in, len);
	tfm = qd_cipher_tfm("ecb(aes)", key, sizeof(key));
	ref_skcipher(&r, in, want);
	assert_int_equal(qd_crypt(tfm, true, NULL, in, out, len), 0);
	assert_bytes(out, want, len);
	crypto_free_skcipher(tfm);
	kfree(in);
	kfree(out);
}

/* Source and destination lists of @n pieces each, cut at different random places. */
static void qd_split(struct scatterlist *sg, unsigned int n, u8 *buf, unsigned int len)
{
	unsigned int off = 0;

	sg_init_table(sg, n);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int piece = i == n - 1 ? len - off : 1 + rng((len - off) / (n - i));

		sg_set_buf(&sg[i], buf + off, piece);
		off += piece;
	}
}

static void test_scatterlists_split_at_odd_places(void **state)
{
	const unsigned int len = 40000;
	u8 key[32], iv[16], iv_in[16], *in = qd_kbuf(len), *out = qd_kbuf(len);
	u8 *want = malloc(len);
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = false, .key = key,
				.keylen = 32, .iv = iv_in, .len = len };
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist src[7], dst[5];
	DECLARE_CRYPTO_WAIT(wait);

	rng_fill(key, sizeof(key));
	rng_fill(iv, sizeof(iv));
	memcpy(iv_in, iv, sizeof(iv));
	tfm = qd_cipher_tfm("cbc(aes)", key, sizeof(key));
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	qd_split(src, ARRAY_SIZE(src), in, len);
	qd_split(dst, ARRAY_SIZE(dst), out, len);
	skcipher_request_set_callback(req, 0, crypto_req_done, &wait);
	skcipher_request_set_crypt(req, src, dst, len, iv);
	assert_int_equal(crypto_wait_req(crypto_skcipher_decrypt(req), &wait), 0);
	ref_skcipher(&r, in, want);
	assert_bytes(out, want, len);
	assert_bytes(iv, in + len - 16, 16);	/* CBC decryption: the last ciphertext block */
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
	kfree(in);
	kfree(out);
	free(want);
}

static void test_xts_of_one_mib_less_one_byte(void **state)
{
	const unsigned int len = (1u << 20) - 1;

	qd_check_one(&qd_algs[3], 64, true, len);
	qd_check_one(&qd_algs[3], 32, false, len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		QD_TEST_POLICY(test_every_cipher_matches_openssl, none),
		QD_TEST_POLICY(test_every_cipher_matches_openssl, v12),
		QD_TEST_POLICY(test_every_cipher_matches_openssl, nwd),
		QD_TEST(test_cbc_iv_chains_across_requests),
		QD_TEST(test_ctr_counter_chains_across_requests),
		QD_TEST(test_ctr_counter_carries_across_64_bits),
		QD_TEST(test_in_place_request),
		QD_TEST(test_ecb_without_iv),
		QD_TEST(test_scatterlists_split_at_odd_places),
		QD_TEST(test_xts_of_one_mib_less_one_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
