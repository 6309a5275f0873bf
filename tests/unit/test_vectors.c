/*
 * test_vectors.c - every known-answer vector in tests/vectors/ checked
 * against OpenSSL (ciphers both ways), so that a transcription error in a
 * vector file fails the tests before any model is tested with it; and the
 * vector file parser (vectors.c) checked on files that must be rejected.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "helpers.h"
#include "vectors.h"

/* Largest output: a 512-byte XTS data unit plus a block of slack. */
#define OUT_MAX 1024

/* The file being checked, for messages (vectors know only their line). */
static const char *cur_file;

static const struct vec_field *need(const struct vec *v, const char *name)
{
	const struct vec_field *f = vec_get(v, name);

	if (!f)
		fail_msg("%s:%u [%s] %s: no field '%s'", cur_file, v->line, v->alg, v->source,
			 name);
	return f;
}

static void check_bytes(const struct vec *v, const char *what, const u8 *got, size_t got_len,
			const struct vec_field *want)
{
	if (got_len == want->len && !memcmp(got, want->data, got_len))
		return;
	fail_msg("%s:%u [%s] %s: %s gives %zu bytes that differ from '%s' (%zu bytes)",
		 cur_file, v->line, v->alg, v->source, what, got_len, want->name, want->len);
}

/* "cbc(aes)" with a 16-byte key is OpenSSL's "AES-128-CBC"; XTS keys are doubled. */
static EVP_CIPHER *fetch_cipher(const struct vec *v, size_t keylen)
{
	static const char *const modes[][2] = {
		{ "ecb(aes)", "ECB" }, { "cbc(aes)", "CBC" },
		{ "ctr(aes)", "CTR" }, { "xts(aes)", "XTS" },
	};
	char name[32];
	size_t i, bits;
	EVP_CIPHER *c;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(v->alg, modes[i][0]))
			break;
	if (i == ARRAY_SIZE(modes))
		fail_msg("%s:%u: [%s] is not a cipher", cur_file, v->line, v->alg);
	bits = keylen * 8 / (strcmp(modes[i][1], "XTS") ? 1 : 2);
	snprintf(name, sizeof(name), "AES-%zu-%s", bits, modes[i][1]);
	c = EVP_CIPHER_fetch(NULL, name, NULL);
	if (!c)
		fail_msg("%s:%u [%s]: OpenSSL has no %s", cur_file, v->line, v->alg, name);
	return c;
}

/*
 * OpenSSL 3 refuses XTS encryption when Key1 == Key2 (IEEE 1619 vector 1).
 * The decryption check still proves such a vector: for a fixed key and
 * tweak XTS is a permutation, so D(ct) == pt implies E(pt) == ct.
 */
static bool xts_weak_key(const struct vec *v, const struct vec_field *key)
{
	return !strcmp(v->alg, "xts(aes)") &&
	       !memcmp(key->data, key->data + key->len / 2, key->len / 2);
}

static void check_cipher(const struct vec *v, int enc)
{
	const struct vec_field *key = need(v, "key"), *pt = need(v, "pt"), *ct = need(v, "ct");
	const struct vec_field *iv = strcmp(v->alg, "ecb(aes)") ? need(v, "iv") : NULL;
	const struct vec_field *in = enc ? pt : ct, *want = enc ? ct : pt;
	EVP_CIPHER *c = fetch_cipher(v, key->len);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u8 out[OUT_MAX + 16];
	int n = 0, fin = 0;

	assert_non_null(ctx);
	if (pt->len != ct->len || pt->len % 16 || pt->len > OUT_MAX)
		fail_msg("%s:%u [%s]: pt %zu and ct %zu bytes, want equal multiples of 16",
			 cur_file, v->line, v->alg, pt->len, ct->len);
	if (enc && xts_weak_key(v, key))
		goto out;
	if (EVP_CipherInit_ex2(ctx, c, key->data, iv ? iv->data : NULL, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n, in->data, (int)in->len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + n, &fin) != 1)
		fail_msg("%s:%u [%s] %s: OpenSSL rejects the vector", cur_file, v->line,
			 v->alg, v->source);
	check_bytes(v, enc ? "encryption" : "decryption", out, (size_t)(n + fin), want);
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
}

static const EVP_MD *md_for(const struct vec *v, const char *sha1, const char *sha256)
{
	if (!strcmp(v->alg, sha1))
		return EVP_sha1();
	if (!strcmp(v->alg, sha256))
		return EVP_sha256();
	fail_msg("%s:%u: [%s] is not a hash", cur_file, v->line, v->alg);
	return NULL;
}

static void check_digest(const struct vec *v)
{
	u8 md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	size_t len;
	u8 *msg = vec_expand(v, "msg", &len);

	assert_int_equal(EVP_Digest(msg, len, md, &mdlen, md_for(v, "sha1", "sha256"), NULL),
			 1);
	free(msg);
	check_bytes(v, "the digest", md, mdlen, need(v, "md"));
}

static void check_hmac(const struct vec *v)
{
	const struct vec_field *key = need(v, "key");
	u8 mac[EVP_MAX_MD_SIZE];
	unsigned int maclen;
	size_t len;
	u8 *msg = vec_expand(v, "msg", &len);

	assert_non_null(HMAC(md_for(v, "hmac(sha1)", "hmac(sha256)"), key->data,
			     (int)key->len, msg, len, mac, &maclen));
	free(msg);
	check_bytes(v, "the HMAC", mac, maclen, need(v, "mac"));
}

/* The fields each algorithm takes, all required (README.md). */
static const struct {
	const char *alg;
	const char *fields[4];
} layouts[] = {
	{ "ecb(aes)", { "key", "pt", "ct" } },
	{ "cbc(aes)", { "key", "iv", "pt", "ct" } },
	{ "ctr(aes)", { "key", "iv", "pt", "ct" } },
	{ "xts(aes)", { "key", "iv", "pt", "ct" } },
	{ "sha1", { "msg", "md" } },
	{ "sha256", { "msg", "md" } },
	{ "hmac(sha1)", { "key", "msg", "mac" } },
	{ "hmac(sha256)", { "key", "msg", "mac" } },
};

/* A known algorithm with exactly its fields: a stray one would go unchecked. */
static void check_layout(const struct vec *v)
{
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(layouts); i++)
		if (!strcmp(v->alg, layouts[i].alg))
			break;
	if (i == ARRAY_SIZE(layouts))
		fail_msg("%s:%u: unknown algorithm [%s]", cur_file, v->line, v->alg);
	for (n = 0; n < ARRAY_SIZE(layouts[i].fields) && layouts[i].fields[n]; n++)
		need(v, layouts[i].fields[n]);
	if (v->nfields != n)
		fail_msg("%s:%u [%s]: %u fields, want %u", cur_file, v->line, v->alg,
			 v->nfields, n);
}

static void check_vector(const struct vec *v)
{
	check_layout(v);
	if (!strncmp(v->alg, "hmac(", 5)) {
		check_hmac(v);
	} else if (!strncmp(v->alg, "sha", 3)) {
		check_digest(v);
	} else {
		check_cipher(v, 1);
		check_cipher(v, 0);
	}
}

/* Check every vector of @name; @count guards against a file that lost vectors. */
static void check_file(const char *name, unsigned int count)
{
	struct vec_file vf;
	unsigned int i;

	cur_file = name;
	vec_load(name, &vf);
	assert_int_equal(vf.count, count);
	for (i = 0; i < vf.count; i++)
		check_vector(&vf.vecs[i]);
	vec_free(&vf);
}

static void test_aes_vectors_match_openssl(void **state)
{
	(void)state;
	check_file("aes.vec", 8);
}

static void test_xts_vectors_match_openssl(void **state)
{
	(void)state;
	check_file("xts.vec", 7);
}

static void test_sha_vectors_match_openssl(void **state)
{
	(void)state;
	check_file("sha.vec", 8);
}

static void test_hmac_vectors_match_openssl(void **state)
{
	(void)state;
	check_file("hmac.vec", 13);
}

/* Write @text to a temporary vector file and return its path (static buffer). */
static const char *write_vec(const char *text)
{
	const char *path = test_tmp_path("vectors.vec");

	test_write_file(path, text, strlen(text));
	return path;
}

static void test_parse_reads_fields_and_continuations(void **state)
{
	static const u8 key[] = { 0x00, 0x01, 0xab, 0xcd, 0xef, 0x10 };
	struct vec_file vf;
	char err[256];
	const struct vec_field *f;

	(void)state;
	assert_int_equal(vec_parse_path(write_vec("# comment\n\n[cbc(aes)]\nsource = X 1.2\n"
						  "key = 0001AbCd\n\tef10\nmsg =\n\n"
						  "[sha1]\n  # indented comment\n"
						  "source=Y\nmsg=61\nrepeat = 3\n"),
					&vf, err, sizeof(err)), 0);
	assert_int_equal(vf.count, 2);
	assert_string_equal(vf.vecs[0].alg, "cbc(aes)");
	assert_string_equal(vf.vecs[0].source, "X 1.2");
	assert_int_equal(vf.vecs[0].line, 3);
	assert_int_equal(vf.vecs[0].nfields, 2);
	assert_int_equal(vf.vecs[0].repeat, 1);
	f = vec_get(&vf.vecs[0], "key");
	assert_non_null(f);
	assert_int_equal(f->len, sizeof(key));
	assert_memory_equal(f->data, key, sizeof(key));
	f = vec_get(&vf.vecs[0], "msg");
	assert_non_null(f);
	assert_int_equal(f->len, 0);
	assert_null(vec_get(&vf.vecs[0], "iv"));
	assert_string_equal(vf.vecs[1].source, "Y");
	assert_int_equal(vf.vecs[1].line, 9);
	assert_int_equal(vf.vecs[1].repeat, 3);
	vec_free(&vf);
	assert_int_equal(vf.count, 0);
}

static void test_expand_applies_repeat(void **state)
{
	struct vec_file vf;
	size_t len;
	u8 *msg;

	(void)state;
	vec_load_path(write_vec("[sha1]\nsource = Z\nmsg = 6162\nrepeat = 3\nmd = 99\n"), &vf);
	msg = vec_expand(&vf.vecs[0], "msg", &len);
	assert_int_equal(len, 6);
	assert_memory_equal(msg, "ababab", 6);
	free(msg);
	msg = vec_expand(&vf.vecs[0], "md", &len);
	assert_int_equal(len, 1);
	assert_int_equal(msg[0], 0x99);
	free(msg);
	vec_free(&vf);
}

/* Parse @text, which must fail with "<path>:<line>: <what>" and leave vf empty. */
static void expect_error(const char *text, unsigned int line, const char *what)
{
	const char *path = write_vec(text);
	struct vec_file vf;
	char err[256], want[512];

	snprintf(want, sizeof(want), "%s:%u: %s", path, line, what);
	assert_int_equal(vec_parse_path(path, &vf, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_int_equal(vf.count, 0);
	assert_null(vf.vecs);
}

static void test_parse_rejects_unknown_field(void **state)
{
	(void)state;
	expect_error("[sha1]\nsource = S\nmsgg = 61\n", 3, "unknown field 'msgg'");
}

static void test_parse_rejects_odd_length_hex(void **state)
{
	(void)state;
	expect_error("[sha1]\nsource = S\nmsg = 616\n", 3,
		     "field 'msg': odd number of hex digits (3)");
}

static void test_parse_rejects_non_hex(void **state)
{
	(void)state;
	expect_error("[sha1]\nsource = S\nmsg = 6g\n", 3, "field 'msg': 'g' is not a hex digit");
}

static void test_parse_rejects_duplicate_field(void **state)
{
	(void)state;
	expect_error("[sha1]\nsource = S\nmsg = 61\nmsg = 62\n", 4, "duplicate field 'msg'");
	expect_error("[sha1]\nsource = S\nsource = T\nmsg = 61\n", 3,
		     "duplicate field 'source'");
	expect_error("[sha1]\nsource = S\nrepeat = 2\nrepeat = 2\n", 4,
		     "duplicate field 'repeat'");
}

static void test_parse_rejects_long_line(void **state)
{
	char text[400];

	(void)state;
	snprintf(text, sizeof(text), "[sha1]\nsource = S\nmsg = %0300d\n", 0);
	expect_error(text, 3, "line longer than 256 characters");
}

static void test_parse_rejects_field_before_alg(void **state)
{
	(void)state;
	expect_error("# no header\nsource = S\n", 2,
		     "field 'source' outside a vector (missing [alg] line)");
	expect_error("[sha1]\nsource = S\nmsg = 61\n\nmd = 00\n", 5,
		     "field 'md' outside a vector (missing [alg] line)");
}

static void test_parse_rejects_incomplete_vector(void **state)
{
	(void)state;
	expect_error("[sha1]\nmsg = 61\n\n", 3, "vector [sha1] from line 1 has no source");
	expect_error("#\n[sha1]\nsource = S\n", 3,
		     "vector [sha1] from line 2 has no data fields");
	expect_error("[sha1]\nsource = S\nmd = 00\nrepeat = 2\n[sha1]\n", 5,
		     "vector [sha1] from line 1 has repeat but no msg");
	expect_error("[sha1]\nsource = S\nmsg = 6162\nrepeat = 10000000\n", 4,
		     "vector [sha1] from line 1: repeated msg is larger than 16777216 bytes");
}

static void test_parse_rejects_bad_repeat(void **state)
{
	(void)state;
	expect_error("[sha1]\nsource = S\nrepeat = 0x10\n", 3,
		     "repeat '0x10' is not a decimal number");
	expect_error("[sha1]\nsource = S\nrepeat = 0\n", 3, "repeat 0 out of range 1..100000000");
}

static void test_parse_rejects_stray_continuation(void **state)
{
	(void)state;
	expect_error("[sha1]\nsource = S\n\t6162\n", 3,
		     "indented line does not continue a hex field");
}

static void test_parse_rejects_bad_alg_line(void **state)
{
	(void)state;
	expect_error("[sha1\n", 1, "malformed algorithm line '[sha1' (want [alg])");
	expect_error("[SHA 1]\n", 1, "bad algorithm name 'SHA 1'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aes_vectors_match_openssl),
		cmocka_unit_test(test_xts_vectors_match_openssl),
		cmocka_unit_test(test_sha_vectors_match_openssl),
		cmocka_unit_test(test_hmac_vectors_match_openssl),
		cmocka_unit_test(test_parse_reads_fields_and_continuations),
		cmocka_unit_test(test_expand_applies_repeat),
		cmocka_unit_test(test_parse_rejects_unknown_field),
		cmocka_unit_test(test_parse_rejects_odd_length_hex),
		cmocka_unit_test(test_parse_rejects_non_hex),
		cmocka_unit_test(test_parse_rejects_duplicate_field),
		cmocka_unit_test(test_parse_rejects_long_line),
		cmocka_unit_test(test_parse_rejects_field_before_alg),
		cmocka_unit_test(test_parse_rejects_incomplete_vector),
		cmocka_unit_test(test_parse_rejects_bad_repeat),
		cmocka_unit_test(test_parse_rejects_stray_continuation),
		cmocka_unit_test(test_parse_rejects_bad_alg_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
