/*
 * qce_driver_flow.h - the crypto engine programmed as the Linux driver does
 * it (../shared/reference/bam-qce-facts.md §3.2), for the QCE tests with and
 * without the BAM (tests/unit/test_qce.c, qce_bam_fixture.h): the register
 * sequences of an skcipher and an ahash request through a caller-supplied
 * register writer (CPU stores or command elements), the hash state carried
 * between requests, result dump offsets, the test's own PRNG, vector-file
 * look-ups and one-shot OpenSSL references.
 *
 * Everything is static inline so each test program carries its own copy
 * (tests/CMakeLists.txt links no shared fixture object).
 */
#ifndef SECSOC_TEST_QCE_DRIVER_FLOW_H
#define SECSOC_TEST_QCE_DRIVER_FLOW_H

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "helpers.h"
#include "vectors.h"

#include <secsoc/qce.h>

/* Offsets in the result dump (struct qce_result_dump). */
#define DUMP QCE_RESULT_DUMP_BYTES
#define DUMP_AUTH_IV 0
#define DUMP_BYTECNT 64
#define DUMP_CNTR_IV 80
#define DUMP_STATUS 96
#define DUMP_STATUS2 100

static inline u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u32 le32_at(const u8 *p)
{
	return (u32)p[3] << 24 | (u32)p[2] << 16 | (u32)p[1] << 8 | p[0];
}

/* ---- the test's own choices ---- */

/* A small deterministic PRNG (xorshift64) for splits, sizes and data. */
static u64 rng_state;

static inline u32 rng(u32 bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return bound ? (u32)(rng_state % bound) : 0;
}

static inline void rng_fill(u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)rng(256);
}

/* ---- vector files ---- */

/** find_vec - the first vector of @vf whose source starts with @source_prefix */
static inline const struct vec *find_vec(const struct vec_file *vf, const char *source_prefix)
{
	for (unsigned int i = 0; i < vf->count; i++)
		if (!strncmp(vf->vecs[i].source, source_prefix, strlen(source_prefix)))
			return &vf->vecs[i];
	fail_msg("no vector '%s'", source_prefix);
	return NULL;
}

/** mode_of - QCE_ENCR_MODE_* of a vector's algorithm name, e.g. "cbc(aes)" */
static inline u32 mode_of(const char *alg)
{
	static const char *const algs[] = { "ecb(aes)", "cbc(aes)", "ctr(aes)", "xts(aes)" };

	for (u32 i = 0; i < ARRAY_SIZE(algs); i++)
		if (!strcmp(alg, algs[i]))
			return i;
	fail_msg("unknown cipher %s", alg);
	return 0;
}

/** xts_same_halves - an XTS vector with Key1 == Key2, which OpenSSL only decrypts */
static inline bool xts_same_halves(u32 mode, const struct vec_field *key)
{
	return mode == QCE_ENCR_MODE_XTS &&
	       !memcmp(key->data, key->data + key->len / 2, key->len / 2);
}

/* ---- register writes ---- */

/*
 * Where the driver's register writes go: @write performs one, as a CPU
 * store by @cpu or as a command element on @pipe, whichever it implements.
 */
struct qce_writer {
	void (*write)(const struct qce_writer *w, u32 off, u32 val);
	const struct bus_master *cpu;
	unsigned int pipe;
};

/* qce_write() / qce_write_dma(): one register write. */
static inline void qw(const struct qce_writer *w, u32 off, u32 val)
{
	w->write(w, off, val);
}

/* qce_cpu_to_be32p_array + qce_write_array: big-endian words of a byte string. */
static inline void qw_be_words(const struct qce_writer *w, u32 off, const u8 *bytes, size_t len)
{
	for (size_t i = 0; i < len / 4; i++)
		qw(w, off + 4 * (u32)i, be32_at(bytes + 4 * i));
}

/* ---- skcipher (§3.2) ---- */

/* qce_config_reg(): REQ_SIZE 7, interrupts masked, the pair, bit 2 cleared (the quirk). */
static inline u32 config_reg(unsigned int pair, bool little)
{
	u32 cfg = ((7u << 17) | 0xf | pair << 5) & ~BIT(2);

	return little ? cfg | QCE_CONFIG_LITTLE_ENDIAN_MODE : cfg;
}

struct cipher_req {
	u32 mode;		/* QCE_ENCR_MODE_* */
	bool enc;
	const u8 *key;		/* XTS: Key1 || Key2 */
	size_t keylen;		/* 16, 24 (AES-192: the engine refuses it) or 32; twice for XTS */
	const u8 *iv;		/* XTS: the tweak, a little-endian sequence number */
	u32 len;
	u32 du;			/* XTS data unit; 0: len (what the driver asks) */
};

static inline size_t aes_key_len(const struct cipher_req *r)
{
	return r->mode == QCE_ENCR_MODE_XTS ? r->keylen / 2 : r->keylen;
}

static inline u32 xts_du(const struct cipher_req *r)
{
	return r->du ? r->du : r->len;
}

static inline u32 encr_seg_cfg(const struct cipher_req *r)
{
	u32 key_sz = (u32)(aes_key_len(r) - 16) / 8;	/* 16: 0, 24: 1, 32: 2 */

	return (u32)(FIELD_PREP(QCE_ENCR_ALG, QCE_ENCR_ALG_AES) |
		     FIELD_PREP(QCE_ENCR_KEY_SZ, key_sz) | FIELD_PREP(QCE_ENCR_MODE, r->mode)) |
	       (r->enc ? QCE_ENCR_ENCODE : 0);
}

/* qce_setup_regs_skcipher, in its order, up to (not including) the GO sequence. */
static inline void program_skcipher(const struct qce_writer *w, unsigned int pair,
				    const struct cipher_req *r)
{
	size_t klen = aes_key_len(r);

	qw(w, QCE_STATUS, 0);
	qw(w, QCE_CONFIG, config_reg(pair, false));
	qw(w, QCE_AUTH_SEG_CFG, 0);
	if (r->mode == QCE_ENCR_MODE_XTS) {
		qw_be_words(w, QCE_ENCR_XTS_KEY(0), r->key + klen, klen);
		qw(w, QCE_ENCR_XTS_DU_SIZE, xts_du(r));
	}
	qw_be_words(w, QCE_ENCR_KEY(0), r->key, klen);
	if (r->mode == QCE_ENCR_MODE_XTS) {
		u8 swapped[16];

		for (unsigned int i = 0; i < 16; i++)
			swapped[i] = r->iv[15 - i];
		qw_be_words(w, QCE_CNTR_IV(0), swapped, 16);
	} else if (r->mode != QCE_ENCR_MODE_ECB) {
		qw_be_words(w, QCE_CNTR_IV(0), r->iv, 16);
	}
	qw(w, QCE_ENCR_SEG_CFG, encr_seg_cfg(r));
	qw(w, QCE_ENCR_SEG_SIZE, r->len);
	qw(w, QCE_ENCR_SEG_START, 0);
	if (r->mode == QCE_ENCR_MODE_CTR) {
		qw(w, QCE_CNTR_MASK, ~0u);
		qw(w, QCE_CNTR_MASK0, ~0u);
		qw(w, QCE_CNTR_MASK1, ~0u);
		qw(w, QCE_CNTR_MASK2, ~0u);
	}
	qw(w, QCE_SEG_SIZE, r->len);
}

/* qce_crypto_go after CONFIG in little-endian mode: GOPROC = GO | RESULTS_DUMP. */
static inline void qce_go(const struct qce_writer *w, unsigned int pair)
{
	qw(w, QCE_CONFIG, config_reg(pair, true));
	qw(w, QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
}

/* ---- ahash (§3.2) ---- */

struct hash_state {
	bool sha256;
	bool hmac;
	u8 key[64];		/* HMAC: the block-sized key */
	bool first;
	u8 digest[32];		/* rctx->digest: the last dump's auth_iv */
	u32 byte_count[2];	/* rctx->byte_count */
};

static const u32 sha1_iv[] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
static const u32 sha256_iv[] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

static inline unsigned int digest_size(const struct hash_state *h)
{
	return h->sha256 ? 32 : 20;
}

static inline u32 auth_seg_cfg(const struct hash_state *h, bool last)
{
	return (u32)(FIELD_PREP(QCE_AUTH_ALG, QCE_AUTH_ALG_SHA) |
		     FIELD_PREP(QCE_AUTH_SIZE, h->sha256 ? QCE_AUTH_SIZE_SHA256 :
							   QCE_AUTH_SIZE_SHA1) |
		     FIELD_PREP(QCE_AUTH_MODE, h->hmac ? QCE_AUTH_MODE_HMAC : QCE_AUTH_MODE_HASH)) |
	       (last ? QCE_AUTH_LAST : 0) | (h->first ? QCE_AUTH_FIRST : 0);
}

/* qce_setup_regs_ahash, in its order, up to the GO sequence. */
static inline void program_ahash(const struct qce_writer *w, unsigned int pair,
				 const struct hash_state *h, u32 len, bool last)
{
	unsigned int words = digest_size(h) / 4;

	qw(w, QCE_STATUS, 0);
	qw(w, QCE_CONFIG, config_reg(pair, false));
	if (h->hmac)
		qw_be_words(w, QCE_AUTH_KEY(0), h->key, 64);
	for (unsigned int i = 0; i < words; i++)
		/* first: the standard IV as u32; later: cpu_to_be32p of the saved digest */
		qw(w, QCE_AUTH_IV(i), h->first ? (h->sha256 ? sha256_iv[i] : sha1_iv[i]) :
						  be32_at(h->digest + 4 * i));
	for (unsigned int i = 0; i < (h->first ? 4u : 2u); i++)
		qw(w, QCE_AUTH_BYTECNT(i), h->first ? 0 : h->byte_count[i]);
	qw(w, QCE_AUTH_SEG_CFG, auth_seg_cfg(h, last));
	qw(w, QCE_AUTH_SEG_SIZE, len);
	qw(w, QCE_AUTH_SEG_START, 0);
	qw(w, QCE_ENCR_SEG_CFG, 0);
	qw(w, QCE_SEG_SIZE, len);
}

/*
 * The ahash completion: digest <- auth_iv (memcpy), byte_count <-
 * cpu_to_be32(auth_byte_count) on a little-endian CPU.
 */
static inline void hash_complete(struct hash_state *h, const u8 *dump)
{
	memcpy(h->digest, dump + DUMP_AUTH_IV, digest_size(h));
	h->byte_count[0] = __builtin_bswap32(le32_at(dump + DUMP_BYTECNT));
	h->byte_count[1] = __builtin_bswap32(le32_at(dump + DUMP_BYTECNT + 4));
	h->first = false;
}

/** hash_init - a fresh request state; HMAC when @key is set */
static inline void hash_init(struct hash_state *h, bool sha256, const u8 *key, size_t keylen)
{
	memset(h, 0, sizeof(*h));
	h->sha256 = sha256;
	h->first = true;
	if (!key)
		return;
	h->hmac = true;
	if (keylen > 64) {	/* the driver digests long keys first */
		unsigned int n = 0;

		EVP_Digest(key, keylen, h->key, &n, sha256 ? EVP_sha256() : EVP_sha1(), NULL);
	} else {
		memcpy(h->key, key, keylen);
	}
}

/* ---- checks ---- */

static inline void assert_bytes(const u8 *got, const u8 *want, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i])
			fail_msg("byte %zu of %zu: got %02x, want %02x", i, len, got[i], want[i]);
}

/* ---- OpenSSL references ---- */

static inline const EVP_CIPHER *ref_cipher(u32 mode, size_t aes_key)
{
	static const char *const names[4][2] = {
		{ "AES-128-ECB", "AES-256-ECB" }, { "AES-128-CBC", "AES-256-CBC" },
		{ "AES-128-CTR", "AES-256-CTR" }, { "AES-128-XTS", "AES-256-XTS" },
	};
	static EVP_CIPHER *cache[4][2];
	unsigned int k = aes_key == 32;

	assert_true(mode < 4);
	if (!cache[mode][k])
		cache[mode][k] = EVP_CIPHER_fetch(NULL, names[mode][k], NULL);
	assert_non_null(cache[mode][k]);
	return cache[mode][k];
}

/** ref_crypt - one-shot OpenSSL over @len bytes (XTS: one data unit, tweak @iv) */
static inline void ref_crypt(u32 mode, bool enc, const u8 *key, size_t aes_key, const u8 *iv,
			     const u8 *in, u32 len, u8 *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0;

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex2(ctx, ref_cipher(mode, aes_key), key, iv, enc, NULL),
			 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &outl, in, (int)len), 1);
	assert_int_equal((u32)outl, len);
	EVP_CIPHER_CTX_free(ctx);
}

/* XTS over data units of @du bytes, the tweak (little-endian) incremented per unit. */
static inline void ref_xts(bool enc, const u8 *key, size_t keylen, const u8 *iv, u32 du,
			   const u8 *in, u32 len, u8 *out)
{
	u8 tweak[16];

	memcpy(tweak, iv, 16);
	for (u32 off = 0; off < len; off += du) {
		ref_crypt(QCE_ENCR_MODE_XTS, enc, key, keylen / 2, tweak, in + off,
			  MIN(du, len - off), out + off);
		for (unsigned int i = 0; i < 16 && ++tweak[i] == 0; i++)
			;
	}
}

/** ref_skcipher - what @r should make of @in, by one-shot OpenSSL */
static inline void ref_skcipher(const struct cipher_req *r, const u8 *in, u8 *out)
{
	if (r->mode == QCE_ENCR_MODE_XTS)
		ref_xts(r->enc, r->key, r->keylen, r->iv, xts_du(r), in, r->len, out);
	else
		ref_crypt(r->mode, r->enc, r->key, aes_key_len(r),
			  r->mode == QCE_ENCR_MODE_ECB ? NULL : r->iv, in, r->len, out);
}

static inline void ref_digest(bool sha256, const u8 *key, size_t keylen, const u8 *msg,
			      size_t len, u8 *md)
{
	unsigned int n = 0;

	if (key)
		assert_non_null(HMAC(sha256 ? EVP_sha256() : EVP_sha1(), key, (int)keylen, msg,
				     len, md, &n));
	else
		assert_int_equal(EVP_Digest(msg, len, md, &n, sha256 ? EVP_sha256() : EVP_sha1(),
					    NULL), 1);
}

#endif /* SECSOC_TEST_QCE_DRIVER_FLOW_H */
