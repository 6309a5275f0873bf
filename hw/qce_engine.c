/*
 * qce_engine.c - what a crypto engine operation computes, except hashing
 * (hw/qce_hash.c): the checks an operation's settings must pass, and AES
 * ECB, CBC, CTR with counter masks and XTS with data units, computed with
 * OpenSSL EVP straight from the input into the output buffer.
 *
 * Keys and IVs are the big-endian words of their byte strings (CNTR0_IV
 * holds IV bytes 0..3). The CTR counter is the 128-bit big-endian number
 * CNTR0..3_IV; its increment only changes the bits the masks select. The
 * XTS tweak is the same 128-bit number, which the Linux driver writes
 * byte-reversed, so the tweak bytes are its little-endian encoding; each
 * data unit takes the next number (IEEE 1619 sequence numbers).
 *
 * XTS data units stream through in the pieces the BAM pushes, without
 * being gathered: EVP's XTS only starts at the beginning of a unit, so a
 * piece that starts at block j of a unit restarts it with the IV whose
 * encryption under Key2 is the tweak of block j (tracked here: times x^j
 * in GF(2^128)). Only the last full and the partial block of a unit are
 * held back, as ciphertext stealing needs them together.
 */
#include <stdio.h>
#include <string.h>

#include "hw/qce_internal.h"

/* XTS tweaks and IVs are little-endian 128-bit numbers, used straight as a u128. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "XTS needs a little-endian host");

static const char *const qce_mode_names[] = { "ecb", "cbc", "ctr", "xts" };

/*
 * The AES ciphers, fetched once per process: a fetch is a provider lookup,
 * and the explorer creates an engine per schedule. Fetched ciphers are
 * immutable, so every engine shares them; they live until the process ends.
 */
static EVP_CIPHER *qce_evp_cipher(unsigned int mode, unsigned int key)
{
	static const char *const names[4][2] = {
		{ "AES-128-ECB", "AES-256-ECB" }, { "AES-128-CBC", "AES-256-CBC" },
		{ "AES-128-CTR", "AES-256-CTR" }, { "AES-128-XTS", "AES-256-XTS" },
	};
	static EVP_CIPHER *fetched[4][2];

	if (!fetched[mode][key])
		fetched[mode][key] = EVP_CIPHER_fetch(NULL, names[mode][key], NULL);
	return fetched[mode][key];
}

/** qce_cipher_init - look the AES ciphers up and allocate the contexts */
int qce_cipher_init(struct qce_cipher *c)
{
	c->ctx = EVP_CIPHER_CTX_new();
	c->tctx[0] = EVP_CIPHER_CTX_new();
	c->tctx[1] = EVP_CIPHER_CTX_new();
	if (!c->ctx || !c->tctx[0] || !c->tctx[1])
		return -1;
	for (unsigned int m = 0; m < 4; m++) {
		for (unsigned int k = 0; k < 2; k++) {
			c->evp[m][k] = qce_evp_cipher(m, k);
			if (!c->evp[m][k])
				return -1;
		}
	}
	return 0;
}

/** qce_cipher_fini - release what qce_cipher_init() got (also after it failed) */
void qce_cipher_fini(struct qce_cipher *c)
{
	EVP_CIPHER_CTX_free(c->ctx);
	EVP_CIPHER_CTX_free(c->tctx[0]);
	EVP_CIPHER_CTX_free(c->tctx[1]);
	memset(c, 0, sizeof(*c));
}

/* Can ENCR_SEG_CFG (and, at the start, the lengths) be computed? NULL if so. */
static const char *qce_cipher_check(const struct qce *q, bool at_start)
{
	u32 cfg = qce_rd(q, QCE_ENCR_SEG_CFG), seg = q->op.seg_size;
	u32 du = qce_rd(q, QCE_ENCR_XTS_DU_SIZE), mode = FIELD_GET(QCE_ENCR_MODE, cfg);
	u32 key = FIELD_GET(QCE_ENCR_KEY_SZ, cfg);

	switch (FIELD_GET(QCE_ENCR_ALG, cfg)) {
	case QCE_ENCR_ALG_AES:
		break;
	case QCE_ENCR_ALG_DES:
		return "DES and 3DES are not modelled";
	case QCE_ENCR_ALG_NONE:
		return "ENCR_SEG_CFG selects no cipher";
	default:
		return "ENCR_SEG_CFG.ALG is not AES (KASUMI, SNOW3G and ZUC are not modelled)";
	}
	if (key != QCE_ENCR_KEY_SZ_AES128 && key != QCE_ENCR_KEY_SZ_AES256)
		return "ENCR_SEG_CFG.KEY_SZ is not AES-128 or AES-256 (the engine has no AES-192)";
	if (mode == QCE_ENCR_MODE_CCM)
		return "AES-CCM is not modelled";
	if (mode > QCE_ENCR_MODE_XTS)
		return "ENCR_SEG_CFG.MODE is not ECB, CBC, CTR, XTS or CCM";
	if (cfg & (QCE_ENCR_USE_HW_KEY | QCE_ENCR_USE_PIPE_KEY))
		return "hardware and pipe keys are not modelled";
	if (mode == QCE_ENCR_MODE_XTS && du < QCE_AES_BLOCK)
		return "ENCR_XTS_DU_SIZE is below 16 bytes";
	if (!at_start)
		return NULL;
	if ((mode == QCE_ENCR_MODE_ECB || mode == QCE_ENCR_MODE_CBC) && seg % QCE_AES_BLOCK)
		return "ECB/CBC length is not a multiple of 16 bytes";
	if (mode == QCE_ENCR_MODE_XTS && seg % du && seg % du < QCE_AES_BLOCK)
		return "the last XTS data unit is shorter than 16 bytes";
	return NULL;
}

/**
 * qce_op_check - which kind of operation the registers describe, and NULL,
 * or why the engine refuses it (SW_ERR)
 */
const char *qce_op_check(const struct qce *q, enum qce_kind *kind)
{
	u32 seg = q->op.seg_size;
	bool cipher = FIELD_GET(QCE_ENCR_ALG, qce_rd(q, QCE_ENCR_SEG_CFG)) != QCE_ENCR_ALG_NONE;
	bool hash = FIELD_GET(QCE_AUTH_ALG, qce_rd(q, QCE_AUTH_SEG_CFG)) != 0;

	if (cipher && hash)
		return "a cipher and a hash in one operation (AEAD) are not modelled";
	if (cipher) {
		*kind = QCE_OP_CIPHER;
		if (qce_rd(q, QCE_ENCR_SEG_START) || qce_rd(q, QCE_ENCR_SEG_SIZE) != seg)
			return "ENCR_SEG_START/ENCR_SEG_SIZE do not cover SEG_SIZE";
		return qce_cipher_check(q, true);
	}
	if (hash) {
		*kind = QCE_OP_HASH;
		if (qce_rd(q, QCE_AUTH_SEG_START) || qce_rd(q, QCE_AUTH_SEG_SIZE) != seg)
			return "AUTH_SEG_START/AUTH_SEG_SIZE do not cover SEG_SIZE";
		return qce_hash_check(q, true);
	}
	return "neither ENCR_SEG_CFG nor AUTH_SEG_CFG selects an algorithm";
}

static u128 qce_be128(const u8 *p)
{
	u128 v = 0;

	for (unsigned int i = 0; i < 16; i++)
		v = v << 8 | p[i];
	return v;
}

static void qce_put_be128(u8 *p, u128 v)
{
	for (int i = 15; i >= 0; i--, v >>= 8)
		p[i] = (u8)v;
}

static u128 qce_reg128(const struct qce *q, u32 w0, u32 w1, u32 w2, u32 w3)
{
	return (u128)qce_rd(q, w0) << 96 | (u128)qce_rd(q, w1) << 64 |
	       (u128)qce_rd(q, w2) << 32 | qce_rd(q, w3);
}

/* Increment only the bits of @mask, carrying across the others. */
static u128 qce_masked_inc(u128 ctr, u128 mask)
{
	return (ctr & ~mask) | (((ctr | ~mask) + 1) & mask);
}

/*
 * CTR bytes, from the current position, that OpenSSL's plain 128-bit
 * increment gets right: up to where the low run of mask bits wraps.
 */
static u64 qce_ctr_run(const struct qce_cipher *c)
{
	u128 inv = ~c->mask, k;
	unsigned int low = 0;

	if (!inv)
		return UINT64_MAX;
	low = (u64)inv ? (unsigned int)__builtin_ctzll((u64)inv) :
			 64 + (unsigned int)__builtin_ctzll((u64)(inv >> 64));
	k = ((u128)1 << low) - (c->ctr & (((u128)1 << low) - 1));
	if (k > (u128)1 << 59)
		return UINT64_MAX;	/* longer than any operation */
	return (u64)k * QCE_AES_BLOCK - c->ctr_pos;
}

/*
 * Key (and IV) into @ctx; the cipher is only set again when it changes, the
 * key (@len bytes) only when it or the direction does (*@cur). With the key
 * schedule kept, only the IV is set, which resets the rest of the context's
 * state as a full set-up does; padding, turned off at the set-up, stays off.
 */
static bool qce_evp_init(EVP_CIPHER_CTX *ctx, struct qce_evp_key *cur, const EVP_CIPHER *evp,
			 const u8 *key, u32 len, const u8 *iv, int enc)
{
	const EVP_CIPHER *reuse = evp == cur->evp ? NULL : evp;

	if (!reuse && cur->enc == enc && cur->len == len && !memcmp(cur->key, key, len))
		return !iv || EVP_CipherInit_ex2(ctx, NULL, NULL, iv, enc, NULL) == 1;
	cur->evp = NULL;
	if (EVP_CipherInit_ex2(ctx, reuse, key, iv, enc, NULL) != 1)
		return false;
	*cur = (struct qce_evp_key){ .evp = evp, .enc = enc, .len = len };
	memcpy(cur->key, key, len);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	return true;
}

/* Take key, IV and mode from the registers (operation start, or a mid-operation change). */
static const char *qce_cipher_setup(struct qce *q)
{
	struct qce_cipher *c = &q->cipher;
	u32 cfg = qce_rd(q, QCE_ENCR_SEG_CFG);
	u8 key[64], iv[QCE_AES_BLOCK];
	unsigned int words;

	c->mode = FIELD_GET(QCE_ENCR_MODE, cfg);
	c->aes256 = FIELD_GET(QCE_ENCR_KEY_SZ, cfg) == QCE_ENCR_KEY_SZ_AES256;
	c->enc = cfg & QCE_ENCR_ENCODE;
	words = c->aes256 ? 8 : 4;
	qce_load_be_words(q, QCE_ENCR_KEY(0), key, words);
	qce_load_be_words(q, QCE_ENCR_XTS_KEY(0), key + 4 * words, words);
	qce_load_be_words(q, QCE_CNTR_IV(0), iv, 4);
	c->ctr = qce_be128(iv);
	c->tweak = c->ctr;
	c->ctr_pos = 0;
	c->mask = qce_reg128(q, QCE_CNTR_MASK0, QCE_CNTR_MASK1, QCE_CNTR_MASK2, QCE_CNTR_MASK);
	c->ctr_run = qce_ctr_run(c);
	c->du = qce_rd(q, QCE_ENCR_XTS_DU_SIZE);
	c->du_len = 0;
	c->du_fill = 0;		/* the next input starts a data unit */
	c->tkeys = false;
	memcpy(c->iv, iv, sizeof(iv));
	if (!qce_evp_init(c->ctx, &c->cur, c->evp[c->mode][c->aes256], key,
			  4 * words * (c->mode == QCE_ENCR_MODE_XTS ? 2 : 1),
			  c->mode == QCE_ENCR_MODE_XTS ? NULL : iv, c->enc))
		return c->mode == QCE_ENCR_MODE_XTS ?
		       "OpenSSL refuses the XTS key (are both halves equal?)" :
		       "OpenSSL refuses the key";
	return NULL;
}

/** qce_cipher_start - set the cipher up for a new operation; NULL or why it cannot run */
const char *qce_cipher_start(struct qce *q)
{
	q->cipher.ncarry = 0;
	return qce_cipher_setup(q);
}

/* The cipher can no longer run: the rest of the output is zeros. */
static void qce_cipher_break(struct qce *q, const char *why)
{
	q->op.broken = true;
	qce_op_fail(q, why);
}

static void qce_evp_xform(struct qce *q, u8 *out, const u8 *in, u32 n)
{
	int outl = 0;

	if (EVP_CipherUpdate(q->cipher.ctx, out, &outl, in, (int)n) == 1 && (u32)outl == n)
		return;
	memset(out, 0, n);
	if (!q->op.broken)
		qce_cipher_break(q, "OpenSSL failed to process the data");
}

/* CBC: also keep the last ciphertext block, the IV of what comes next. */
static void qce_cbc_xform(struct qce *q, u8 *out, const u8 *in, u32 n)
{
	struct qce_cipher *c = &q->cipher;

	if (!c->enc)
		memcpy(c->iv, in + n - QCE_AES_BLOCK, QCE_AES_BLOCK);	/* before in-place */
	qce_evp_xform(q, out, in, n);
	if (c->enc)
		memcpy(c->iv, out + n - QCE_AES_BLOCK, QCE_AES_BLOCK);
}

/* ECB and CBC: whole blocks; a block split across pushes is gathered first. */
static void qce_block_input(struct qce *q, const u8 *data, u32 len)
{
	struct qce_cipher *c = &q->cipher;
	qce_xform_fn fn = c->mode == QCE_ENCR_MODE_CBC ? qce_cbc_xform : qce_evp_xform;
	u32 whole;

	if (c->ncarry) {
		u32 take = MIN(QCE_AES_BLOCK - c->ncarry, len);

		memcpy(c->carry + c->ncarry, data, take);
		c->ncarry += take;
		data += take;
		len -= take;
		if (c->ncarry < QCE_AES_BLOCK)
			return;
		c->ncarry = 0;
		qce_out_xform(q, c->carry, QCE_AES_BLOCK, QCE_AES_BLOCK, fn);
	}
	whole = len - len % QCE_AES_BLOCK;
	if (whole)
		qce_out_xform(q, data, whole, QCE_AES_BLOCK, fn);
	memcpy(c->carry, data + whole, len - whole);
	c->ncarry = len - whole;
}

/* CTR: @m bytes were processed; at the end of a run, restart at the masked increment. */
static void qce_ctr_advance(struct qce *q, u32 m)
{
	struct qce_cipher *c = &q->cipher;
	u64 total = (u64)c->ctr_pos + m;
	u8 iv[QCE_AES_BLOCK];

	c->ctr_run -= m;
	if (c->ctr_run) {
		c->ctr += total / QCE_AES_BLOCK;
		c->ctr_pos = total % QCE_AES_BLOCK;
		return;
	}
	c->ctr = qce_masked_inc(c->ctr + total / QCE_AES_BLOCK - 1, c->mask);
	c->ctr_pos = 0;
	c->ctr_run = qce_ctr_run(c);
	qce_put_be128(iv, c->ctr);
	if (EVP_CipherInit_ex2(c->ctx, NULL, NULL, iv, -1, NULL) != 1)
		qce_cipher_break(q, "OpenSSL refuses the counter");
}

static void qce_ctr_input(struct qce *q, const u8 *data, u32 len)
{
	while (len && !q->op.broken) {
		u32 m = (u32)MIN((u64)len, q->cipher.ctr_run);

		qce_out_xform(q, data, m, 1, qce_evp_xform);
		qce_ctr_advance(q, m);
		data += m;
		len -= m;
	}
	if (len)
		qce_out_zeros(q, len);
}

/* @t times x^@k in GF(2^128) (IEEE 1619: little-endian, x^128 = x^7 + x^2 + x + 1). */
static u128 qce_xts_mul_xk(u128 t, u32 k)
{
	while (k) {
		u32 s = MIN(k, 64u);
		u128 h = t >> (128 - s);	/* the bits that overflow, below 2^64 */

		t = t << s ^ h ^ h << 1 ^ h << 2 ^ h << 7;
		k -= s;
	}
	return t;
}

/* Key2, for the tweaks of a data unit split across pushes: once per operation, when needed. */
static bool qce_xts_tkeys(struct qce *q)
{
	struct qce_cipher *c = &q->cipher;
	const EVP_CIPHER *ecb = c->evp[QCE_ENCR_MODE_ECB][c->aes256];
	unsigned int words = c->aes256 ? 8 : 4;
	u8 key[32];

	if (c->tkeys)
		return true;
	/* Any write since the settings were taken was a CFG_CHNG_ERR, taken before this push. */
	qce_load_be_words(q, QCE_ENCR_XTS_KEY(0), key, words);
	for (int enc = 0; enc < 2; enc++)
		if (!qce_evp_init(c->tctx[enc], &c->tcur[enc], ecb, key, 4 * words, NULL, enc))
			return false;
	c->tkeys = true;
	return true;
}

/* One block through a Key2 context. */
static bool qce_xts_tblock(struct qce_cipher *c, bool enc, u128 in, u128 *out)
{
	int outl = 0;

	return EVP_CipherUpdate(c->tctx[enc], (u8 *)out, &outl, (const u8 *)&in,
				QCE_AES_BLOCK) == 1 && outl == QCE_AES_BLOCK;
}

/*
 * Restart EVP's XTS at block blk of the current data unit: the IV whose
 * encryption under Key2 is that block's tweak, i.e. the sequence number
 * at block 0 and the decryption of the tweak under Key2 further on.
 */
static bool qce_xts_restart(struct qce *q)
{
	struct qce_cipher *c = &q->cipher;
	u128 iv = c->seq;

	if (c->blk && (!qce_xts_tkeys(q) || !qce_xts_tblock(c, false, c->t, &iv)))
		return false;
	return EVP_CipherInit_ex2(c->ctx, NULL, NULL, (const u8 *)&iv, -1, NULL) == 1;
}

/*
 * @n bytes of the current data unit from block blk on: whole blocks, or
 * the rest of the unit, which may end in a partial block (ciphertext
 * stealing, done by EVP). Then the tweak of the block after them, if the
 * unit goes on. A unit below 16 bytes (only after a mid-operation change)
 * comes out as zeros.
 */
static void qce_xts_piece(struct qce *q, u8 *out, const u8 *in, u32 n)
{
	struct qce_cipher *c = &q->cipher;
	u32 blocks = n / QCE_AES_BLOCK;

	if (n < QCE_AES_BLOCK) {
		memset(out, 0, n);
		return;
	}
	if (!qce_xts_restart(q)) {
		memset(out, 0, n);
		qce_cipher_break(q, "OpenSSL failed to set the XTS tweak");
		return;
	}
	qce_evp_xform(q, out, in, n);
	if ((c->blk + blocks) * QCE_AES_BLOCK >= c->du_len || q->op.broken)
		return;
	if (!c->blk && !(qce_xts_tkeys(q) && qce_xts_tblock(c, true, c->seq, &c->t)))
		qce_cipher_break(q, "OpenSSL failed to compute the XTS tweak");
	c->t = qce_xts_mul_xk(c->t, blocks);
	c->blk += blocks;
}

/* Bytes at the end of the current data unit that must be held back until it is complete. */
static u32 qce_xts_tail(const struct qce_cipher *c)
{
	u32 r = c->du_len % QCE_AES_BLOCK;

	if (c->du_len < QCE_AES_BLOCK)
		return c->du_len;
	return r ? QCE_AES_BLOCK + r : 0;
}

/* Hold back up to @len bytes, until @until are held; returns how many were taken. */
static u32 qce_carry_take(struct qce_cipher *c, const u8 *data, u32 len, u32 until)
{
	u32 take = MIN(len, until - c->ncarry);

	memcpy(c->carry + c->ncarry, data, take);
	c->ncarry += take;
	return take;
}

/* Process the held-back bytes once they are @n. */
static void qce_xts_carry_done(struct qce *q, u32 n)
{
	struct qce_cipher *c = &q->cipher;

	if (c->ncarry < n)
		return;
	c->ncarry = 0;
	qce_out_xform(q, c->carry, n, n, qce_xts_piece);
}

/*
 * Up to @len bytes of the current data unit; returns how many were taken.
 * A unit that lies whole in the push goes through EVP at once (in place
 * if the output has room for it); otherwise whole blocks go through as
 * they come, except the last full and the partial block of a unit that
 * ends in one, which ciphertext stealing needs together.
 */
static u32 qce_xts_take(struct qce *q, const u8 *data, u32 len)
{
	struct qce_cipher *c = &q->cipher;
	u32 tail = qce_xts_tail(c), direct = c->du_len - tail, take;

	if (!c->du_fill && len >= c->du_len && tail) {
		take = c->du_len;
		qce_out_xform(q, data, take, take, qce_xts_piece);
	} else if (c->du_fill >= direct) {
		take = qce_carry_take(c, data, len, tail);
		qce_xts_carry_done(q, tail);
	} else if (c->ncarry || len < QCE_AES_BLOCK) {
		take = qce_carry_take(c, data, len, QCE_AES_BLOCK);
		qce_xts_carry_done(q, QCE_AES_BLOCK);
	} else {
		take = MIN(len, direct - c->du_fill) & ~(QCE_AES_BLOCK - 1);
		qce_out_xform(q, data, take, QCE_AES_BLOCK, qce_xts_piece);
	}
	c->du_fill += take;
	return take;
}

/* XTS: data units stream through in the pieces pushed, each with its sequence number. */
static void qce_xts_input(struct qce *q, const u8 *data, u32 len)
{
	struct qce_cipher *c = &q->cipher;
	u32 seg_left = q->op.in_left;	/* this push included */

	while (len && !q->op.broken) {
		u32 take;

		if (c->du_fill == c->du_len) {
			c->du_len = MIN(c->du, seg_left);
			c->du_fill = 0;
			c->blk = 0;
			c->seq = c->tweak++;
		}
		take = qce_xts_take(q, data, len);
		data += take;
		len -= take;
		seg_left -= take;
	}
	if (len)
		qce_out_zeros(q, len);
}

/** qce_cipher_input - @len bytes of input from the consumer pipe */
void qce_cipher_input(struct qce *q, const u8 *data, u32 len)
{
	if (q->op.broken) {
		qce_out_zeros(q, len);
		return;
	}
	switch (q->cipher.mode) {
	case QCE_ENCR_MODE_CTR:
		qce_ctr_input(q, data, len);
		break;
	case QCE_ENCR_MODE_XTS:
		qce_xts_input(q, data, len);
		break;
	default:
		qce_block_input(q, data, len);
		break;
	}
}

/* Input the cipher gathered but never completed comes out as zeros. */
static void qce_cipher_flush(struct qce *q)
{
	struct qce_cipher *c = &q->cipher;
	u32 n = c->ncarry;

	c->ncarry = 0;
	if (n)
		qce_out_zeros(q, n);
}

/** qce_cipher_reconfigure - the settings changed mid-operation: take the new ones */
void qce_cipher_reconfigure(struct qce *q)
{
	const char *why;

	if (q->op.broken)
		return;
	qce_cipher_flush(q);
	why = qce_cipher_check(q, false);
	if (!why)
		why = qce_cipher_setup(q);
	if (why)
		qce_cipher_break(q, why);
}

/** qce_cipher_finish - all input is in: CNTR0..3_IV take the IV of what would come next */
void qce_cipher_finish(struct qce *q)
{
	struct qce_cipher *c = &q->cipher;
	u8 iv[QCE_AES_BLOCK];

	qce_cipher_flush(q);
	if (q->op.broken)
		return;
	switch (c->mode) {
	case QCE_ENCR_MODE_CBC:
		memcpy(iv, c->iv, sizeof(iv));
		break;
	case QCE_ENCR_MODE_CTR:
		qce_put_be128(iv, c->ctr_pos ? qce_masked_inc(c->ctr, c->mask) : c->ctr);
		break;
	case QCE_ENCR_MODE_XTS:
		qce_put_be128(iv, c->tweak);
		break;
	default:
		return;
	}
	for (unsigned int i = 0; i < 4; i++)
		q->regs[QCE_CNTR_IV(i) / 4] = qce_get_be32(iv + 4 * i);
}

/** qce_cipher_cycles - engine cycles per 16-byte block */
u32 qce_cipher_cycles(const struct qce *q)
{
	return q->cipher.aes256 ? q->cfg.timing.aes256_cycles : q->cfg.timing.aes128_cycles;
}

/** qce_cipher_name - e.g. "cbc(aes128) enc", for traces */
void qce_cipher_name(const struct qce *q, char *buf, size_t size)
{
	const struct qce_cipher *c = &q->cipher;

	snprintf(buf, size, "%s(aes%d) %s", qce_mode_names[c->mode], c->aes256 ? 256 : 128,
		 c->enc ? "enc" : "dec");
}
