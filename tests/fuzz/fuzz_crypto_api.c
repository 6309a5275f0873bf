/*
 * fuzz_crypto_api.c - libFuzzer harness for the kernel crypto API
 * (kernel/crypto.c) and the crypto engine driver behind it
 * (drivers/crypto/qce/): random programs of transforms, keys, cipher
 * requests and hash streams, several in flight at once, with simulation
 * steps in between, checked against OpenSSL.
 *
 * Every input boots the default board (machine_open(), every built-in
 * driver). Its first byte picks the lock policy (bits 1:0: none, v12, nwd,
 * nwd), the random strategy instead of the timed one (bit 2), the fault
 * sites (bits 4:3: none, bam-irq-drop, bam-desc-error, both, at small
 * probabilities) and the seed (bits 7:5). The rest is at most C_OPS_MAX
 * operations, one opcode byte (modulo their number) and its arguments;
 * slot arguments pick among the live objects (modulo their number):
 *
 *   0 alloc alg8             a transform of ecb/cbc/ctr/xts-aes-qce or
 *                            sha1/sha256/hmac-sha1/hmac-sha256-qce
 *   1 free tfm8              once nothing of it is in flight
 *   2 setkey tfm8 len8 seed8 a key of len8 % 80 bytes (bit 7 of seed8:
 *                            XTS halves equal)
 *   3 crypt tfm8 fl8 len16 seed8 {sg}*  an skcipher request: fl8 picks
 *                            encrypt (bit 0), in place (1), no IV (2),
 *                            backlog (3), a fuzzed cryptlen (4: len16 as
 *                            is, else rounded to the mode), a list shorter
 *                            than it (5); each list is n8 {piece16 gap8}*
 *   4 hnew tfm8              a hash request (stream) of an ahash transform
 *   5 hinit h8               6 hupdate h8 len16 seed8 fl8 {sg}
 *   7 hfinal h8 kind8 [len16 seed8 fl8 {sg}]  final, finup or digest
 *   8 hexport h8 slot8       9 himport h8 slot8 how8 {off8 x8}*  a saved
 *                            state, one with bytes changed, or garbage
 *   10 hfree h8              11 steps n8     12 run (to quiescence)
 *
 * The harness is a careful client: a request is not touched while it is
 * in flight, a key is set and a transform freed only when nothing of it
 * is in flight, buffers stay allocated until the callback.
 *
 * Bugs it reports by abort(): an always() failure; a return value other
 * than the API's for the request (docs/crypto.md, "Checks before the
 * engine"); a callback for a request that was refused, or called twice, or
 * with a positive value, or never; a successful output, output IV or
 * digest other than OpenSSL's; a byte written outside the output list; a
 * valid request failing without a fault; an import of garbage that
 * crashes; no quiescence; transforms, timers, algorithms, memory, DMA
 * mappings or ioremaps left once everything is freed and every driver is
 * removed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <secsoc/crypto.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/err.h>
#include <secsoc/io.h>
#include <secsoc/timer.h>

#include "drivers/crypto/qce/sha.h"
#include "scenarios/scenario.h"

#include "fuzz_check.h"
#include "fuzz_input.h"

#define HARNESS "fuzz_crypto_api"

#define C_OPS_MAX 64
#define C_OP_STEPS 60000	/* steps the operations may take in all */
#define C_END_STEPS 400000	/* then, to quiescence */
#define C_TFMS 6
#define C_REQS 12
#define C_HASHES 4
#define C_STATES 4
#define C_STATE_MAX HASH_MAX_STATESIZE
#define C_SG_MAX 64
#define C_BUF_MAX (32u << 10)
#define C_MSG_MAX (64u << 10)	/* bytes one hash stream takes in */
#define C_KEY_MAX 80
#define C_CANARY 0xa5

enum c_alg { C_ECB, C_CBC, C_CTR, C_XTS, C_SHA1, C_SHA256, C_HMAC1, C_HMAC256, C_NR_ALGS };

static const char *const c_names[C_NR_ALGS] = {
	"ecb-aes-qce", "cbc-aes-qce", "ctr-aes-qce", "xts-aes-qce",
	"sha1-qce", "sha256-qce", "hmac-sha1-qce", "hmac-sha256-qce",
};

struct c_tfm {
	bool used;
	enum c_alg alg;
	struct crypto_skcipher *sk;
	struct crypto_ahash *ah;
	bool keyed;		/* the last setkey succeeded */
	u8 key[C_KEY_MAX];
	u32 keylen;
	u32 key_gen;		/* changes with every setkey */
	unsigned int users;	/* requests and hash streams of it */
	unsigned int busy;	/* of those, in flight */
};

/* A list of pieces of one buffer, with canary gaps between them. */
struct c_sg {
	struct scatterlist ents[C_SG_MAX];
	u8 *buf;		/* kmalloc'd, NULL if none */
	u32 buflen;
	u32 bytes;		/* in the entries */
	unsigned int n;
};

/* What a request's callback must look like. */
struct c_wait {
	bool in_flight;
	bool backlogged;	/* submitted with -EBUSY: one -EINPROGRESS first */
	bool valid;		/* must succeed without faults */
	unsigned int calls;
	int err;
};

struct c_req {
	bool used;
	int tfm;
	bool enc;
	u32 cryptlen;
	struct skcipher_request *req;
	struct c_sg src, dst;
	bool in_place;
	u8 iv[AES_BLOCK_SIZE];
	u8 *expect;		/* host copy of OpenSSL's output */
	u8 *src_copy;		/* out of place: the input buffer, which must not change */
	u8 expect_iv[AES_BLOCK_SIZE];
	bool check_iv;
	struct c_wait w;
};

struct c_state {
	bool used;
	int tfm;
	u32 key_gen;
	u8 blob[C_STATE_MAX];
	u8 *msg;		/* the message up to the export (host) */
	u32 msglen;
};

struct c_hash {
	bool used;
	int tfm;
	struct ahash_request *req;
	bool ready;		/* initialised, not finished */
	bool known;		/* the reference follows the engine's state */
	u32 key_gen;
	u8 *msg;		/* everything hashed so far (host) */
	u32 msglen;
	u32 pending;		/* bytes of the request in flight */
	bool last;		/* the request in flight ends the message */
	struct c_sg sg;
	u8 result[HASH_MAX_DIGESTSIZE + 16];
	struct c_wait w;
};

static struct {
	struct machine m;
	bool faults;
	struct c_tfm tfms[C_TFMS];
	struct c_req reqs[C_REQS];
	struct c_hash hashes[C_HASHES];
	struct c_state states[C_STATES];
	u64 op_steps;
} cz;

#define fail(...) fuzz_fail(HARNESS, __VA_ARGS__)

static void check_violations(void)
{
	fuzz_check_violations(HARNESS, cz.m.sim);
}

static void fill(u8 *p, size_t n, u64 x)
{
	x = x * 0x9e3779b97f4a7c15ULL + 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (u8)(x >> 24);
	}
}

static void *host_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fail("malloc(%zu) failed", n);
	return p;
}

static bool is_hash(enum c_alg alg)
{
	return alg >= C_SHA1;
}

static bool is_hmac(enum c_alg alg)
{
	return alg == C_HMAC1 || alg == C_HMAC256;
}

/* The (@sel modulo their number)-th used slot of @n for which @ok holds, or -1. */
static int pick(unsigned int n, bool (*ok)(unsigned int i, int arg), int arg, u32 sel)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < n; i++)
		count += ok(i, arg);
	if (!count)
		return -1;
	sel %= count;
	for (unsigned int i = 0; i < n; i++)
		if (ok(i, arg) && !sel--)
			return (int)i;
	return -1;
}

/* arg: 0 any, 1 skcipher, 2 ahash */
static bool tfm_ok(unsigned int i, int kind)
{
	const struct c_tfm *t = &cz.tfms[i];

	return t->used && (!kind || (kind == 2) == is_hash(t->alg));
}

static bool hash_ok(unsigned int i, int idle)
{
	return cz.hashes[i].used && (!idle || !cz.hashes[i].w.in_flight);
}

/* ---- scatterlists ---- */

/*
 * A list from the input: n8 % 8 + 1 pieces (n8 >= 0xf0: up to C_SG_MAX), each
 * piece16 bytes followed by a gap8 % 4 canary gap, together at least @want
 * bytes unless @short_ok (the last piece then ends early).
 */
static void sg_build(struct c_sg *s, u32 want, bool short_ok, u64 seed, struct input *in)
{
	u32 nsel = take(in, 1), n = nsel >= 0xf0 ? nsel % C_SG_MAX + 1 : nsel % 8 + 1;
	u32 piece[C_SG_MAX], gap[C_SG_MAX], total = 0, room = 0, off = 0;

	for (u32 i = 0; i < n; i++) {
		piece[i] = take(in, 2) % (want + 1);
		gap[i] = take(in, 1) % 4;
		if (i == n - 1)
			piece[i] = total >= want ? piece[i] % 17 :
				   short_ok ? (want - total) / 2 : want - total;
		total += piece[i];
		room += piece[i] + gap[i];
	}
	s->n = n;
	s->bytes = total;
	s->buflen = room + 1;
	s->buf = kmalloc(s->buflen, GFP_KERNEL);
	if (!s->buf)
		fail("kmalloc(%u) failed", s->buflen);
	fill(s->buf, s->buflen, seed);
	sg_init_table(s->ents, n);
	for (u32 i = 0; i < n; i++) {
		sg_set_buf(&s->ents[i], s->buf + off, piece[i]);
		memset(s->buf + off + piece[i], C_CANARY, gap[i]);
		off += piece[i] + gap[i];
	}
	s->buf[off] = C_CANARY;
}

/* The first @len bytes the list holds, into host memory @out. */
static void sg_gather(const struct c_sg *s, u8 *out, u32 len)
{
	for (u32 i = 0; i < s->n && len; i++) {
		u32 n = MIN(len, s->ents[i].length);

		memcpy(out, sg_virt(&s->ents[i]), n);
		out += n;
		len -= n;
	}
}

/* Nothing outside the entries was written: the canaries between them hold. */
static void sg_check_gaps(const struct c_sg *s, const char *what)
{
	u32 off = 0;

	for (u32 i = 0; i < s->n; i++) {
		u32 start = (u32)((u8 *)sg_virt(&s->ents[i]) - s->buf);

		for (; off < start; off++)
			if (s->buf[off] != C_CANARY)
				fail("%s: byte %u, between entries, was overwritten", what, off);
		off = start + s->ents[i].length;
	}
	if (s->buf[off] != C_CANARY)
		fail("%s: the byte after the last entry was overwritten", what);
}

static void sg_free(struct c_sg *s)
{
	kfree(s->buf);
	s->buf = NULL;
	s->n = 0;
}

/* ---- callbacks ---- */

/* A callback: at most one -EINPROGRESS (from the backlog), then exactly one result. */
static bool wait_called(struct c_wait *w, int err, const char *what)
{
	if (!w->in_flight)
		fail("%s: a callback (%d) for a request not in flight", what, err);
	if (err == -EINPROGRESS && w->backlogged) {
		w->backlogged = false;
		return false;
	}
	if (err > 0 || err == -EINPROGRESS)
		fail("%s: callback with %d", what, err);
	if (err && w->valid && !cz.faults)
		fail("%s: a valid request failed without a fault: %d", what, err);
	w->in_flight = false;
	w->calls++;
	w->err = err;
	return true;
}

/* What a submission returned: done at once, or queued (the callback will run). */
static bool wait_submitted(struct c_wait *w, int ret, bool backlog, const char *what)
{
	if (ret == -EINPROGRESS || (ret == -EBUSY && backlog)) {
		w->in_flight = true;
		w->backlogged = ret == -EBUSY;
		return true;
	}
	if (ret > 0 || ret == -EBUSY)
		fail("%s returned %d", what, ret);
	return false;
}

/* ---- skcipher ---- */

static const EVP_CIPHER *cipher_of(enum c_alg alg, u32 keylen)
{
	bool big = keylen == (alg == C_XTS ? 64 : 32);

	switch (alg) {
	case C_ECB:
		return big ? EVP_aes_256_ecb() : EVP_aes_128_ecb();
	case C_CBC:
		return big ? EVP_aes_256_cbc() : EVP_aes_128_cbc();
	case C_CTR:
		return big ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
	default:
		return big ? EVP_aes_256_xts() : EVP_aes_128_xts();
	}
}

/* OpenSSL's output, and the IV the API leaves (CBC: last ciphertext block; CTR: next counter). */
static void cipher_ref(struct c_req *r, const u8 *in)
{
	const struct c_tfm *t = &cz.tfms[r->tfm];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u32 blocks = DIV_ROUND_UP(r->cryptlen, AES_BLOCK_SIZE);
	int outl;

	if (!ctx || !EVP_CipherInit_ex(ctx, cipher_of(t->alg, t->keylen), NULL, t->key,
				       t->alg == C_ECB ? NULL : r->iv, r->enc) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, r->expect, &outl, in, (int)r->cryptlen))
		fail("OpenSSL %s of %u bytes failed", c_names[t->alg], r->cryptlen);
	EVP_CIPHER_CTX_free(ctx);
	memcpy(r->expect_iv, r->iv, AES_BLOCK_SIZE);
	r->check_iv = t->alg == C_CBC || (t->alg == C_CTR && !(r->cryptlen % AES_BLOCK_SIZE));
	if (t->alg == C_CBC)
		memcpy(r->expect_iv, (r->enc ? r->expect : in) + r->cryptlen - AES_BLOCK_SIZE,
		       AES_BLOCK_SIZE);
	for (int i = AES_BLOCK_SIZE - 1; t->alg == C_CTR && i >= 0; i--) {
		u32 sum = r->expect_iv[i] + (blocks & 0xff);

		r->expect_iv[i] = (u8)sum;
		blocks = (blocks >> 8) + (sum >> 8);
	}
}

static void cipher_done(void *data, int err)
{
	struct c_req *r = data;
	u8 *out;

	if (!wait_called(&r->w, err, c_names[cz.tfms[r->tfm].alg]))
		return;
	cz.tfms[r->tfm].busy--;
	sg_check_gaps(r->in_place ? &r->src : &r->dst, "cipher output");
	if (!r->in_place && memcmp(r->src.buf, r->src_copy, r->src.buflen))
		fail("%s of %u bytes wrote into its input list", c_names[cz.tfms[r->tfm].alg],
		     r->cryptlen);
	if (err)
		return;
	if (!r->w.valid)
		fail("%s of %u bytes from a list of %u succeeded", c_names[cz.tfms[r->tfm].alg],
		     r->cryptlen, r->src.bytes);
	out = host_alloc(r->cryptlen);
	sg_gather(r->in_place ? &r->src : &r->dst, out, r->cryptlen);
	for (u32 i = 0; i < r->cryptlen; i++)
		if (out[i] != r->expect[i])
			fail("%s %s of %u bytes: byte %u is 0x%02x, OpenSSL says 0x%02x",
			     c_names[cz.tfms[r->tfm].alg], r->enc ? "encryption" : "decryption",
			     r->cryptlen, i, out[i], r->expect[i]);
	free(out);
	if (r->check_iv && memcmp(r->iv, r->expect_iv, AES_BLOCK_SIZE))
		fail("%s of %u bytes: the output IV is not the chaining value",
		     c_names[cz.tfms[r->tfm].alg], r->cryptlen);
}

/* The length the mode takes (fl8 bit 4 off), @len as it is, or huge (fl8 bit 6). */
static u32 crypt_len(enum c_alg alg, u32 len, u32 fl)
{
	if (fl & 0x40)
		return (1u << 20) - AES_BLOCK_SIZE + len % 32;
	if (fl & 0x10)
		return len;
	if (alg == C_ECB || alg == C_CBC)
		return len & ~(AES_BLOCK_SIZE - 1);
	if (alg == C_XTS)
		return MAX(len, AES_BLOCK_SIZE);
	return len;
}

/* docs/crypto.md, "Checks before the engine"; 1 means "queued". */
static int crypt_expect(const struct c_req *r, bool no_iv)
{
	const struct c_tfm *t = &cz.tfms[r->tfm];
	bool blocks = t->alg == C_ECB || t->alg == C_CBC;

	if (!t->keyed)
		return -ENOKEY;
	if (!r->cryptlen)
		return 0;
	if ((blocks && r->cryptlen % AES_BLOCK_SIZE) ||
	    (t->alg == C_XTS && (r->cryptlen < AES_BLOCK_SIZE || r->cryptlen >= (1u << 20))))
		return -EINVAL;
	if (no_iv && t->alg != C_ECB)
		return -EINVAL;
	return 1;
}

static bool req_free_slot(unsigned int i, int arg)
{
	return !cz.reqs[i].used;
}

static void crypt_release(struct c_req *r)
{
	skcipher_request_free(r->req);
	sg_free(&r->src);
	sg_free(&r->dst);
	free(r->expect);
	free(r->src_copy);
	cz.tfms[r->tfm].users--;
	r->used = false;
}

/*
 * The lists of request @r from the input (shorter than cryptlen if fl8 bit
 * 5 says so, or cryptlen is beyond C_BUF_MAX), and OpenSSL's answer when
 * the request will be @queued with lists long enough.
 */
static void crypt_build(struct c_req *r, u32 fl, u64 seed, bool queued, struct input *in)
{
	u32 want = MIN(r->cryptlen, C_BUF_MAX);
	bool short_ok = fl & 0x20 || r->cryptlen > C_BUF_MAX;
	u8 *src;

	r->in_place = fl & 2;
	sg_build(&r->src, want, short_ok, seed, in);
	if (!r->in_place)
		sg_build(&r->dst, want, short_ok, seed + 1, in);
	r->w.valid = r->src.bytes >= r->cryptlen &&
		     (r->in_place || r->dst.bytes >= r->cryptlen);
	fill(r->iv, sizeof(r->iv), seed + 2);
	if (!r->in_place) {
		r->src_copy = host_alloc(r->src.buflen);
		memcpy(r->src_copy, r->src.buf, r->src.buflen);
	}
	if (!r->w.valid || !queued)
		return;
	r->expect = host_alloc(r->cryptlen);
	src = host_alloc(r->cryptlen);
	sg_gather(&r->src, src, r->cryptlen);
	cipher_ref(r, src);
	free(src);
}

static void op_crypt(struct input *in)
{
	int ti = pick(C_TFMS, tfm_ok, 1, take(in, 1)), ri = pick(C_REQS, req_free_slot, 0, 0);
	u32 fl = take(in, 1), len = take(in, 2) % C_BUF_MAX, seed = take(in, 1);
	struct c_req *r = &cz.reqs[ri < 0 ? 0 : ri];
	struct c_tfm *t = &cz.tfms[ti < 0 ? 0 : ti];
	bool no_iv;
	int ret, want;

	if (ti < 0 || ri < 0)
		return;
	*r = (struct c_req){ .used = true, .tfm = ti, .enc = fl & 1 };
	r->req = skcipher_request_alloc(t->sk, GFP_KERNEL);
	if (!r->req)
		fail("skcipher_request_alloc failed");
	t->users++;
	/* ECB takes no IV, so Linux users may pass NULL. */
	no_iv = fl & 4;
	r->cryptlen = crypt_len(t->alg, len, fl);
	want = crypt_expect(r, no_iv);
	crypt_build(r, fl, seed, want == 1, in);
	skcipher_request_set_callback(r->req, fl & 8 ? CRYPTO_TFM_REQ_MAY_BACKLOG : 0,
				      cipher_done, r);
	skcipher_request_set_crypt(r->req, r->src.ents, r->in_place ? r->src.ents : r->dst.ents,
				   r->cryptlen, no_iv ? NULL : r->iv);
	ret = r->enc ? crypto_skcipher_encrypt(r->req) : crypto_skcipher_decrypt(r->req);
	if (want != 1 && ret != want)
		fail("%s of %u bytes returned %d, not %d", c_names[t->alg], r->cryptlen, ret, want);
	if (wait_submitted(&r->w, ret, fl & 8, c_names[t->alg]))
		t->busy++;
	else if (want == 1 && ret != -ENOSPC)
		fail("%s of %u bytes returned %d", c_names[t->alg], r->cryptlen, ret);
}

/* ---- transforms ---- */

static bool tfm_free_slot(unsigned int i, int arg)
{
	return !cz.tfms[i].used;
}

static void op_alloc(struct input *in)
{
	enum c_alg alg = take(in, 1) % C_NR_ALGS;
	int ti = pick(C_TFMS, tfm_free_slot, 0, 0);
	struct c_tfm *t = &cz.tfms[ti < 0 ? 0 : ti];

	if (ti < 0)
		return;
	*t = (struct c_tfm){ .used = true, .alg = alg };
	if (is_hash(alg))
		t->ah = crypto_alloc_ahash(c_names[alg], 0, 0);
	else
		t->sk = crypto_alloc_skcipher(c_names[alg], 0, 0);
	if (IS_ERR_OR_NULL(t->ah) && IS_ERR_OR_NULL(t->sk))
		fail("cannot allocate %s: %ld", c_names[alg],
		     PTR_ERR(is_hash(alg) ? (void *)t->ah : (void *)t->sk));
	t->keyed = is_hash(alg) && !is_hmac(alg);	/* a cipher or HMAC needs a key first */
}

static void tfm_free(struct c_tfm *t)
{
	if (t->ah)
		crypto_free_ahash(t->ah);
	else
		crypto_free_skcipher(t->sk);
	t->used = false;
}

static void hash_release(struct c_hash *h);

/* Free transform @ti and everything of it; nothing may be in flight. */
static void tfm_release(int ti)
{
	struct c_tfm *t = &cz.tfms[ti];

	for (unsigned int i = 0; i < C_HASHES; i++)
		if (cz.hashes[i].used && cz.hashes[i].tfm == ti)
			hash_release(&cz.hashes[i]);
	for (unsigned int i = 0; i < C_REQS; i++)
		if (cz.reqs[i].used && cz.reqs[i].tfm == ti)
			crypt_release(&cz.reqs[i]);
	if (t->users)
		fail("transform %s still has %u users", c_names[t->alg], t->users);
	tfm_free(t);
}

static void op_free(struct input *in)
{
	int ti = pick(C_TFMS, tfm_ok, 0, take(in, 1));

	if (ti >= 0 && !cz.tfms[ti].busy)
		tfm_release(ti);
}

/* A cipher key length within the algorithm's [min_keysize, max_keysize]? */
static bool key_in_range(const struct c_tfm *t, u32 len)
{
	u32 min = t->alg == C_XTS ? 2 * AES_KEYSIZE_128 : AES_KEYSIZE_128;

	return len >= min && len <= 2 * min;
}

/* docs/crypto.md: AES-128/256 only, XTS two distinct halves; HMAC any length. */
static int setkey_expect(const struct c_tfm *t, const u8 *key, u32 len)
{
	u32 aes = t->alg == C_XTS ? len / 2 : len;

	if (is_hmac(t->alg))
		return 0;
	if (is_hash(t->alg))
		return -ENOSYS;
	if ((t->alg == C_XTS && len % 2) || (aes != AES_KEYSIZE_128 && aes != AES_KEYSIZE_256))
		return -EINVAL;
	if (t->alg == C_XTS && !memcmp(key, key + aes, aes))
		return -ENOKEY;
	return 0;
}

static void op_setkey(struct input *in)
{
	int ti = pick(C_TFMS, tfm_ok, 0, take(in, 1));
	u32 len = take(in, 1) % C_KEY_MAX, seed = take(in, 1);
	struct c_tfm *t = &cz.tfms[ti < 0 ? 0 : ti];
	u8 key[C_KEY_MAX];
	int ret, want;

	if (ti < 0 || t->busy)
		return;
	fill(key, sizeof(key), seed);
	if (seed & 0x80)
		memcpy(key + len / 2, key, len / 2);
	want = setkey_expect(t, key, len);
	ret = t->ah ? crypto_ahash_setkey(t->ah, key, len) :
		      crypto_skcipher_setkey(t->sk, key, len);
	check_violations();
	/* A long HMAC key is hashed on the engine, which may fail under faults. */
	if (ret != want && !(cz.faults && is_hmac(t->alg) && len > SHA256_BLOCK_SIZE && ret < 0))
		fail("%s setkey of %u bytes returned %d, not %d", c_names[t->alg], len, ret, want);
	/* As Linux's, a length outside the algorithm's range changes nothing. */
	if ((is_hash(t->alg) && !is_hmac(t->alg)) || (!is_hash(t->alg) && !key_in_range(t, len)))
		return;
	t->keyed = !ret;
	memcpy(t->key, key, len);
	t->keylen = len;
	t->key_gen++;
}

/* ---- hashes ---- */

static const EVP_MD *md_of(enum c_alg alg)
{
	return alg == C_SHA1 || alg == C_HMAC1 ? EVP_sha1() : EVP_sha256();
}

static void hash_done(void *data, int err)
{
	struct c_hash *h = data;
	const struct c_tfm *t = &cz.tfms[h->tfm];
	u8 md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!wait_called(&h->w, err, c_names[t->alg]))
		return;
	cz.tfms[h->tfm].busy--;
	for (unsigned int i = h->last ? crypto_ahash_digestsize(t->ah) : 0;
	     i < sizeof(h->result); i++)
		if (h->result[i] != C_CANARY)
			fail("%s wrote byte %u of the result (%s request)", c_names[t->alg], i,
			     h->last ? "a final" : "an update");
	h->ready &= !h->last;	/* a finished hash needs init (or import) again */
	if (err) {
		h->known = false;	/* the engine's state is lost; the driver's is unknown */
		return;
	}
	if (h->known)
		sg_gather(&h->sg, h->msg + h->msglen, h->pending);
	h->msglen += h->pending;
	if (!h->last || !h->known || h->key_gen != t->key_gen)
		return;
	if (is_hmac(t->alg))
		HMAC(md_of(t->alg), t->key, (int)t->keylen, h->msg, h->msglen, md, &mdlen);
	else
		EVP_Digest(h->msg, h->msglen, md, &mdlen, md_of(t->alg), NULL);
	if (mdlen != crypto_ahash_digestsize(t->ah) || memcmp(md, h->result, mdlen))
		fail("%s of %u bytes: the digest is not OpenSSL's", c_names[t->alg], h->msglen);
}

static bool hash_free_slot(unsigned int i, int arg)
{
	return !cz.hashes[i].used;
}

static void hash_release(struct c_hash *h)
{
	ahash_request_free(h->req);
	sg_free(&h->sg);
	free(h->msg);
	cz.tfms[h->tfm].users--;
	h->used = false;
}

static void op_hnew(struct input *in)
{
	int ti = pick(C_TFMS, tfm_ok, 2, take(in, 1)), hi = pick(C_HASHES, hash_free_slot, 0, 0);
	struct c_hash *h = &cz.hashes[hi < 0 ? 0 : hi];

	if (ti < 0 || hi < 0)
		return;
	*h = (struct c_hash){ .used = true, .tfm = ti, .msg = host_alloc(C_MSG_MAX + C_BUF_MAX) };
	h->req = ahash_request_alloc(cz.tfms[ti].ah, GFP_KERNEL);
	if (!h->req)
		fail("ahash_request_alloc failed");
	cz.tfms[ti].users++;
}

static struct c_hash *pick_idle_hash(struct input *in)
{
	int hi = pick(C_HASHES, hash_ok, 1, take(in, 1));

	return hi < 0 ? NULL : &cz.hashes[hi];
}

static void op_hinit(struct input *in)
{
	struct c_hash *h = pick_idle_hash(in);
	const struct c_tfm *t;
	int ret;

	if (!h)
		return;
	t = &cz.tfms[h->tfm];
	ret = crypto_ahash_init(h->req);
	if (ret != (t->keyed ? 0 : -ENOKEY))
		fail("%s init returned %d", c_names[t->alg], ret);
	h->ready = !ret;
	h->known = !ret;
	h->key_gen = t->key_gen;
	h->msglen = 0;
}

/*
 * Send @len bytes (a list from the input) with @op; @last ends the message.
 * A list shorter than @len (fl8 bit 5) is refused at once with -EINVAL.
 */
static void hash_send(struct c_hash *h, int (*op)(struct ahash_request *req), bool last,
		      struct input *in)
{
	struct c_tfm *t = &cz.tfms[h->tfm];
	u32 len = take(in, 2) % C_BUF_MAX, seed = take(in, 1), fl = take(in, 1);
	int ret;

	sg_free(&h->sg);
	sg_build(&h->sg, len, fl & 0x20, seed, in);
	if (h->msglen + len > C_MSG_MAX)
		h->known = false;
	memset(h->result, C_CANARY, sizeof(h->result));
	ahash_request_set_callback(h->req, fl & 8 ? CRYPTO_TFM_REQ_MAY_BACKLOG : 0, hash_done, h);
	ahash_request_set_crypt(h->req, h->sg.ents, h->result, len);
	h->pending = len;
	h->last = last;
	h->w.valid = h->sg.bytes >= len;
	ret = op(h->req);
	if (!t->keyed && ret != -ENOKEY)
		fail("%s without a key returned %d", c_names[t->alg], ret);
	if (!h->w.valid && t->keyed && ret != -EINVAL)
		fail("%s of %u bytes from a list of %u returned %d", c_names[t->alg], len,
		     h->sg.bytes, ret);
	if (wait_submitted(&h->w, ret, fl & 8, c_names[t->alg])) {
		t->busy++;
		return;
	}
	if (!ret && last)
		fail("%s: a final request finished at once", c_names[t->alg]);
	if (!ret && h->known)
		sg_gather(&h->sg, h->msg + h->msglen, len);
	h->msglen += ret ? 0 : len;
}

static void op_hupdate(struct input *in)
{
	struct c_hash *h = pick_idle_hash(in);

	if (h && h->ready)
		hash_send(h, crypto_ahash_update, false, in);
}

/* kind8: final, finup or digest (which initialises first). */
static void op_hfinal(struct input *in)
{
	struct c_hash *h = pick_idle_hash(in);
	u32 kind = take(in, 1) % 3;
	struct input none = { NULL, 0 };

	if (!h || (kind < 2 && !h->ready))
		return;
	if (kind == 2) {
		h->ready = cz.tfms[h->tfm].keyed;	/* digest() initialises first */
		h->known = h->ready;
		h->key_gen = cz.tfms[h->tfm].key_gen;
		h->msglen = 0;
	}
	hash_send(h, kind == 0 ? crypto_ahash_final : kind == 1 ? crypto_ahash_finup :
		  crypto_ahash_digest, true, kind ? in : &none);
}

static void op_hexport(struct input *in)
{
	struct c_hash *h = pick_idle_hash(in);
	struct c_state *s = &cz.states[take(in, 1) % C_STATES];
	int ret;

	if (!h || !h->ready)
		return;
	memset(s->blob, 0, sizeof(s->blob));
	ret = crypto_ahash_export(h->req, s->blob);
	/* As in Linux, a failed setkey since init leaves the transform needing a key. */
	if (ret != (cz.tfms[h->tfm].keyed ? 0 : -ENOKEY))
		fail("%s export returned %d", c_names[cz.tfms[h->tfm].alg], ret);
	if (ret)
		return;
	free(s->msg);
	s->used = h->known;
	s->tfm = h->tfm;
	s->key_gen = h->key_gen;
	s->msglen = h->known ? h->msglen : 0;
	s->msg = host_alloc(s->msglen);
	memcpy(s->msg, h->msg, s->msglen);
}

/*
 * how8: bits 1:0 a saved state as it is, with bytes changed, or garbage;
 * bits 4:2 how many bytes change. Garbage must be refused or harmless.
 */
static void op_himport(struct input *in)
{
	struct c_hash *h = pick_idle_hash(in);
	struct c_state *s = &cz.states[take(in, 1) % C_STATES];
	u32 how = take(in, 1);
	u8 blob[C_STATE_MAX];
	bool intact = (how & 3) == 0;
	int ret;

	if (!h)
		return;
	if ((how & 3) == 3 || !s->msg)
		fill(blob, sizeof(blob), how);
	else
		memcpy(blob, s->blob, sizeof(blob));
	for (u32 n = (how >> 2) & 7; !intact && n; n--) {
		u32 off = take(in, 1) % crypto_ahash_statesize(cz.tfms[h->tfm].ah);

		blob[off] ^= (u8)take(in, 1) | 1;
	}
	ret = crypto_ahash_import(h->req, blob);
	if (ret && ret != -EINVAL && ret != -ENOKEY)
		fail("import returned %d", ret);
	if (ret)
		return;
	h->ready = true;
	h->known = intact && s->used && s->msg && s->tfm == h->tfm &&
		   s->key_gen == cz.tfms[h->tfm].key_gen;
	h->key_gen = cz.tfms[h->tfm].key_gen;
	h->msglen = h->known ? s->msglen : 0;
	if (h->known)
		memcpy(h->msg, s->msg, s->msglen);
}

static void op_hfree(struct input *in)
{
	int hi = pick(C_HASHES, hash_ok, 1, take(in, 1));

	if (hi >= 0)
		hash_release(&cz.hashes[hi]);
}

/* ---- simulation ---- */

/* Up to @n steps within @budget; false once nothing is ready. */
static bool steps(u64 n, u64 budget)
{
	for (; n && cz.op_steps < budget; n--, cz.op_steps++) {
		if (!sim_step_once(cz.m.sim))
			return false;
		check_violations();
	}
	return true;
}

static void op_steps(struct input *in)
{
	steps(take(in, 1) + 1, C_OP_STEPS);
}

static void op_run(struct input *in)
{
	steps(C_OP_STEPS, C_OP_STEPS);
}

/* Completed cipher requests give their memory back. */
static void reap(void)
{
	for (unsigned int i = 0; i < C_REQS; i++)
		if (cz.reqs[i].used && !cz.reqs[i].w.in_flight)
			crypt_release(&cz.reqs[i]);
}

static void (*const ops[])(struct input *in) = {
	op_alloc, op_free, op_setkey, op_crypt, op_hnew, op_hinit, op_hupdate, op_hfinal,
	op_hexport, op_himport, op_hfree, op_steps, op_run,
};

/* ---- the machine ---- */

static void c_boot(u32 cfg)
{
	static const char *const policies[] = { "none", "v12", "nwd", "nwd" };
	static const char *const faults[] = {
		"", "bam-irq-drop:0.05", "bam-desc-error:0.03",
		"bam-irq-drop:0.03,bam-desc-error:0.02",
	};
	struct sim_config sc = { .seed = cfg >> 5, .max_steps = C_OP_STEPS + C_END_STEPS,
				 .lock_policy = policies[cfg & 3] };
	struct secsoc_error err = { 0 };

	memset(&cz, 0, sizeof(cz));
	cz.faults = (cfg >> 3) & 3;
	if (cfg & 4)
		sc.strategy = &sim_strategy_random;
	if (fault_spec_parse(faults[(cfg >> 3) & 3], &sc.faults, &err) ||
	    machine_open(&cz.m, NULL, NULL, &sc, 0, &err))
		fail("boot: %s", err.msg);
	if (!crypto_has_alg("xts-aes-qce", 0, 0) || !crypto_has_alg("hmac-sha256-qce", 0, 0))
		fail("the engine's algorithms are not registered");
}

/* Quiescence, and every callback came. */
static void c_quiesce(void)
{
	cz.op_steps = 0;
	if (steps(C_END_STEPS, C_END_STEPS))
		fail("no quiescence after %u steps", C_END_STEPS);
	for (unsigned int i = 0; i < C_REQS; i++)
		if (cz.reqs[i].used && cz.reqs[i].w.in_flight)
			fail("a %u-byte %s request never called back", cz.reqs[i].cryptlen,
			     c_names[cz.tfms[cz.reqs[i].tfm].alg]);
	for (unsigned int i = 0; i < C_HASHES; i++)
		if (cz.hashes[i].used && cz.hashes[i].w.in_flight)
			fail("a %s request never called back",
			     c_names[cz.tfms[cz.hashes[i].tfm].alg]);
}

static void c_teardown(void)
{
	unsigned int tfms, timers;

	c_quiesce();
	for (unsigned int i = 0; i < C_TFMS; i++)
		if (cz.tfms[i].used)
			tfm_release((int)i);
	for (unsigned int i = 0; i < C_STATES; i++)
		free(cz.states[i].msg);
	tfms = crypto_nr_tfms();
	timers = timers_armed();
	driver_core_remove_all(&cz.m.kernel.dc);
	check_violations();
	if (tfms || timers || crypto_nr_algs())
		fail("left at the end: %u transforms, %u timers, %u algorithms", tfms, timers,
		     crypto_nr_algs());
	fuzz_check_released(HARNESS);
	machine_close(&cz.m);
}

/**
 * LLVMFuzzerTestOneInput - boot the default board as the first byte says,
 * run the rest as a program of crypto API calls, then wait for every
 * callback, free everything and check that nothing is left
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };

	c_boot(take(&in, 1));
	for (unsigned int n = 0; in.left && n < C_OPS_MAX; n++) {
		ops[take(&in, 1) % ARRAY_SIZE(ops)](&in);
		check_violations();
		reap();
	}
	c_teardown();
	return 0;
}
