/*
 * xts_ref.c - the reference `secsoc crypt -c xts(aes)` is checked against
 * (openssl enc has no XTS), and the deterministic data generator of
 * tests/cli/crypt_vs_openssl.sh.
 *
 *   xts_ref (-e | -d) -k HEXKEY -i HEXIV [--request-size N] < in > out
 *	AES-XTS with OpenSSL EVP (32-byte key: AES-128, 64-byte: AES-256),
 *	each N-byte piece of the input (default 65536; the last one what is
 *	left) one data unit with the tweak IV + its index, a 128-bit
 *	little-endian sum: the semantics secsoc crypt documents.
 *   xts_ref --random SEED N [--hex]
 *	N pseudo-random bytes from SEED (splitmix64), raw or as hex digits.
 *
 * Written for the tests only: no part of libsecsoc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define UNIT_MAX 65536
#define KEY_MAX 64

static int usage(void)
{
	fprintf(stderr, "usage: xts_ref (-e | -d) -k HEXKEY -i HEXIV [--request-size N]\n"
		"       xts_ref --random SEED N [--hex]\n");
	return 2;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int random_bytes(uint64_t seed, unsigned long long n, int hex)
{
	for (unsigned long long i = 0; i < n; i++) {
		unsigned int byte = (unsigned int)(splitmix64(&seed) >> 56);

		if (hex)
			printf("%02x", byte);
		else
			putchar((int)byte);
	}
	if (hex)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}

/* Decode @text into @buf; returns the byte count, or -1. */
static int unhex(const char *text, unsigned char *buf, size_t max)
{
	size_t n = strlen(text);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(text + 2 * i, "%2x", &b) != 1)
			return -1;
		buf[i] = (unsigned char)b;
	}
	return (int)(n / 2);
}

/* One data unit: tweak = @iv + @index (little-endian), @len bytes in place. */
static int xts_unit(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher, const unsigned char *key,
		    const unsigned char *iv, uint64_t index, int enc, unsigned char *buf, int len)
{
	unsigned char tweak[16];
	unsigned int carry = 0;
	int out = 0;

	for (int i = 0; i < 16; i++) {
		unsigned int sum = iv[i] + (unsigned int)(index & 0xff) + carry;

		tweak[i] = (unsigned char)sum;
		carry = sum >> 8;
		index >>= 8;
	}
	return EVP_CipherInit_ex(ctx, cipher, NULL, key, tweak, enc) == 1 &&
	       EVP_CipherUpdate(ctx, buf, &out, buf, len) == 1 && out == len ? 0 : -1;
}

static int xts_stream(int enc, const unsigned char *key, int keylen, const unsigned char *iv,
		      long unit)
{
	const EVP_CIPHER *cipher = keylen == 32 ? EVP_aes_128_xts() : EVP_aes_256_xts();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	static unsigned char buf[UNIT_MAX];
	uint64_t index = 0;
	size_t n;
	int ret = 0;

	while (ctx && !ret && (n = fread(buf, 1, (size_t)unit, stdin)) > 0) {
		if (xts_unit(ctx, cipher, key, iv, index++, enc, buf, (int)n) ||
		    fwrite(buf, 1, n, stdout) != n)
			ret = 1;
	}
	EVP_CIPHER_CTX_free(ctx);
	if (!ctx || ret)
		fprintf(stderr, "xts_ref: XTS failed on data unit %llu\n",
			(unsigned long long)index - 1);
	return ctx && !ret && !fflush(stdout) ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned char key[KEY_MAX], iv[16];
	int keylen = -1, ivlen = -1, enc = -1;
	long unit = UNIT_MAX;

	if (argc >= 4 && !strcmp(argv[1], "--random"))
		return random_bytes(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0),
				    argc == 5 && !strcmp(argv[4], "--hex"));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-e") || !strcmp(argv[i], "-d"))
			enc = argv[i][1] == 'e';
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			keylen = unhex(argv[++i], key, sizeof(key));
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			ivlen = unhex(argv[++i], iv, sizeof(iv));
		else if (!strcmp(argv[i], "--request-size") && i + 1 < argc)
			unit = strtol(argv[++i], NULL, 0);
		else
			return usage();
	}
	if (enc < 0 || (keylen != 32 && keylen != 64) || ivlen != 16 || unit < 16 ||
	    unit > UNIT_MAX)
		return usage();
	return xts_stream(enc, key, keylen, iv, unit);
}
