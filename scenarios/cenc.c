/*
 * cenc.c - CENC sample packaging (scenarios/cenc.h): sub-sample layouts
 * drawn from the workload's PRNG, the reference encryption with OpenSSL
 * that the DRM TA's decryption must undo, and the descriptor the TA reads.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "scenarios/cenc.h"

#define CENC_BLOCK 16u
#define CBCS_BLOCKS (TEE_DRM_CBCS_CRYPT_BLOCKS + TEE_DRM_CBCS_SKIP_BLOCKS)
#define CBCS_PERIOD (CBCS_BLOCKS * CENC_BLOCK)

static void cenc_fill(struct prng *p, u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		u64 v = prng_next(p);

		memcpy(buf + i, &v, MIN((size_t)8, len - i));
	}
}

void cenc_layout(struct prng *p, struct cenc_sample *s, u32 scheme, u32 len,
		 unsigned int subsamples_max)
{
	unsigned int n = 1 + (unsigned int)prng_below(p, MIN(subsamples_max, CENC_SUBSAMPLES_MAX));
	u32 left = len;

	memset(s, 0, sizeof(*s));
	s->scheme = scheme;
	s->len = len;
	cenc_fill(p, s->iv, sizeof(s->iv));
	n = MIN(n, len);
	s->nr_subsamples = n;
	for (unsigned int i = 0; i < n; i++) {
		u32 part = i == n - 1 ? left : len / n;
		u32 clear = (u32)prng_below(p, MIN(part, CENC_CLEAR_MAX) + 1);

		s->subsamples[i] = (struct tee_drm_subsample){ clear, part - clear };
		left -= part;
	}
}

/*
 * An OpenSSL AES-128 run over pieces encrypted in place, so that samples up
 * to TEE_DRM_SAMPLE_MAX need no gather buffer: the CTR counter (also within
 * a block) and the CBC chain carry on from one piece to the next.
 */
static EVP_CIPHER_CTX *cenc_cipher(const EVP_CIPHER *cipher, const u8 *key, const u8 *iv)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx && EVP_EncryptInit_ex(ctx, cipher, NULL, key, iv) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0))
		return ctx;
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

static bool cenc_piece(EVP_CIPHER_CTX *ctx, u8 *buf, u32 len)
{
	int n = 0;

	return !len || (EVP_EncryptUpdate(ctx, buf, &n, buf, (int)len) && (u32)n == len);
}

/* cenc: the encrypted parts of all sub-samples are one CTR stream. */
static int cenc_ctr(const struct cenc_sample *s, const u8 *key, u8 *out)
{
	EVP_CIPHER_CTX *ctx = cenc_cipher(EVP_aes_128_ctr(), key, s->iv);
	bool ok = ctx;
	u32 off = 0;

	for (unsigned int i = 0; i < s->nr_subsamples && ok; i++) {
		const struct tee_drm_subsample *sub = &s->subsamples[i];

		ok = cenc_piece(ctx, out + off + sub->clear_bytes, sub->encrypted_bytes);
		off += sub->clear_bytes + sub->encrypted_bytes;
	}
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -EINVAL;
}

/* cbcs: one CBC chain per sub-sample over the first block of every ten. */
static int cbcs_subsample(const struct cenc_sample *s, const u8 *key, u8 *enc, u32 bytes)
{
	u32 nb = DIV_ROUND_UP(bytes / CENC_BLOCK, CBCS_BLOCKS);
	EVP_CIPHER_CTX *ctx;
	bool ok;

	if (!nb)
		return 0;
	ctx = cenc_cipher(EVP_aes_128_cbc(), key, s->iv);
	ok = ctx;
	for (u32 b = 0; b < nb && ok; b++)
		ok = cenc_piece(ctx, enc + b * CBCS_PERIOD, CENC_BLOCK);
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -EINVAL;
}

int cenc_encrypt(const struct cenc_sample *s, const u8 key[TEE_DRM_KEY_BYTES], const u8 *clear,
		 u8 *out)
{
	u32 off = 0;
	int ret = 0;

	if (s->len > TEE_DRM_SAMPLE_MAX || s->nr_subsamples > CENC_SUBSAMPLES_MAX)
		return -EINVAL;
	memcpy(out, clear, s->len);
	if (s->scheme == TEE_DRM_SCHEME_CENC)
		return cenc_ctr(s, key, out);
	for (unsigned int i = 0; i < s->nr_subsamples && !ret; i++) {
		const struct tee_drm_subsample *sub = &s->subsamples[i];

		ret = cbcs_subsample(s, key, out + off + sub->clear_bytes, sub->encrypted_bytes);
		off += sub->clear_bytes + sub->encrypted_bytes;
	}
	return ret;
}

void cenc_desc(const struct cenc_sample *s, u32 key_id, struct tee_drm_decrypt_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->key_id = cpu_to_le32(key_id);
	d->scheme = cpu_to_le32(s->scheme);
	memcpy(d->iv, s->iv, sizeof(d->iv));
	d->nr_subsamples = cpu_to_le32(s->nr_subsamples);
	for (unsigned int i = 0; i < s->nr_subsamples; i++) {
		d->subsamples[i].clear_bytes = cpu_to_le32(s->subsamples[i].clear_bytes);
		d->subsamples[i].encrypted_bytes = cpu_to_le32(s->subsamples[i].encrypted_bytes);
	}
}

const char *cenc_scheme_name(u32 scheme)
{
	return scheme == TEE_DRM_SCHEME_CENC ? "cenc" : "cbcs";
}
