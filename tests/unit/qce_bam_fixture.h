/*
 * qce_bam_fixture.h - the crypto engine behind the real BAM, for
 * tests/unit/test_qce_bam.c: the bench of bam_fixture.h (sim, RAM, GIC,
 * BAM v1.7 with 8 pipes and 4 EEs, Linux EE 0, secure EE 1) with the QCE
 * attached where the loopback sat (same address, inside the BAM's 16 MiB
 * command-element window), CPU masters that count external aborts, the
 * Linux driver's register programming (../shared/reference/bam-qce-facts.md
 * §3.2) done either by CPU writes or as command elements on a pipe (§3.3),
 * descriptor streams split at random, and one-shot OpenSSL references.
 *
 * Everything is static inline so the test program carries its own copy
 * (tests/CMakeLists.txt links no shared fixture object).
 */
#ifndef SECSOC_TEST_QCE_BAM_FIXTURE_H
#define SECSOC_TEST_QCE_BAM_FIXTURE_H

#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "bam_fixture.h"
#include "vectors.h"

#include <secsoc/qce.h>

#define QCE_BASE LOOP_BASE		/* 0x01dfa000 */
#define QCE_VERSION_VALUE 0x05060000u
#define QCE_PAIRS 4
#define LINUX_PAIR 0			/* pipes 0 (rx) and 1 (tx), lock group 0 */
#define SECURE_PAIR 1			/* pipes 2 (rx) and 3 (tx), lock group 1 */
#define RX_PIPE(pair) (2 * (pair))
#define TX_PIPE(pair) (2 * (pair) + 1)
/* 24-bit command element address of a QCE register: 0xdfa000 + offset. */
#define QCE_CE(off) ((u32)((QCE_BASE + (off)) & 0xffffff))

#define DUMP QCE_RESULT_DUMP_BYTES
#define DUMP_AUTH_IV 0
#define DUMP_BYTECNT 64
#define DUMP_CNTR_IV 80
#define DUMP_STATUS 96
#define DUMP_STATUS2 100

/* STATUS bits that mean the operation went wrong. */
#define QCE_STATUS_ERRORS (QCE_STATUS_SW_ERR | QCE_STATUS_ERR_INTR | QCE_STATUS_AXI_ERR |	\
			   QCE_STATUS_DIN_ERR | QCE_STATUS_DOUT_ERR |			\
			   QCE_STATUS_CFG_CHNG_ERR | QCE_STATUS_PIPE_ACTIVE_ERR |	\
			   QCE_STATUS_ACCESS_VIOL | QCE_STATUS_HSD_ERR |		\
			   QCE_STATUS_MAC_FAILED)

/* Request buffers per pair (BUF(n) is 64 KiB; a message may span 16 of them). */
#define IN_BUF(pair) BUF(20 * (pair))
#define OUT_BUF(pair) BUF(20 * (pair) + 16)
#define DUMP_BUF(pair) BUF(20 * (pair) + 18)
#define IN_MAX (16u * 64 * 1024)
#define OUT_MAX (2u * 64 * 1024)
#define UNTOUCHED 0xa5			/* fill of output buffers before a request */

/* Command element slots: CE_ADDR(0) onwards, up to the secure carve-out. */
#define CE_SLOTS ((u32)((SECURE_RAM - CE_ADDR(0)) / sizeof(struct bam_cmd_element)))

struct abort_count {
	u64 n;
	u64 addr;
	bool write;
};

static struct abort_count linux_aborts, tee_aborts;

static inline void count_abort(const struct bus_master *m, u64 addr, bool write, void *opaque)
{
	struct abort_count *c = opaque;

	c->n++;
	c->addr = addr;
	c->write = write;
}

/* The CPUs that program the engine: Linux (EE 0) and the TEE (secure, EE 1). */
static const struct bus_master linux_cpu = {
	.name = "linux-cpu", .kind = BUS_MASTER_CPU, .privileged = true,
	.abort = count_abort, .abort_opaque = &linux_aborts,
};
static const struct bus_master tee_cpu = {
	.name = "tee-cpu", .kind = BUS_MASTER_CPU, .secure = true, .privileged = true,
	.abort = count_abort, .abort_opaque = &tee_aborts,
};

static struct qce *qce;
static u32 ce_next;			/* next free command element slot */

/* ---- the bench ---- */

/*
 * bam_fx_create() without the loopback, which would sit at the QCE's
 * address; then the QCE, Linux's pair 0 and the secure world's pair 1.
 */
static inline int qfx_setup(void **state)
{
	struct sim_config scfg = { .seed = 1 };
	struct bam_config cfg = bam_fx_config(BAM_V1_7_0);
	struct qce_config qcfg = {
		.name = "/soc@0/crypto@1dfa000", .base = QCE_BASE, .version = QCE_VERSION_VALUE,
		.nr_pipe_pairs = QCE_PAIRS, .timing = qce_timing_defaults,
	};
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	memset(&linux_aborts, 0, sizeof(linux_aborts));
	memset(&tee_aborts, 0, sizeof(tee_aborts));
	ce_next = 0;
	fx.v = BAM_V1_7_0;
	fx.sim = sim_create(&scfg);
	fx.bus = bus_create();
	assert_int_equal(bus_add_ram(fx.bus, "dram", RAM_BASE, RAM_SIZE, &err), 0);
	fx.gic = gic_create(fx.sim, "gic", 1, 64);
	fx.bam = bam_create(fx.sim, fx.bus, &cfg, &err);
	assert_non_null(fx.bam);
	for (unsigned int ee = 0; ee < NR_EES; ee++) {
		assert_int_equal(gic_configure(fx.gic, EE_SPI(ee), IRQ_TYPE_LEVEL_HIGH,
					       ee == SECURE_EE, GIC_PRIO_DEFAULT, 0, "bam-ee",
					       &err), 0);
		gic_enable(fx.gic, EE_SPI(ee), true);
		irq_line_init(&fx.lines[ee], fx.gic, EE_SPI(ee), 0);
		bam_set_ee_irq(fx.bam, ee, &fx.lines[ee]);
	}
	qce = qce_create(fx.sim, fx.bus, fx.bam, &qcfg, &err);
	assert_non_null(qce);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
	bam_fx_linux();
	bam_fx_secure_pair();
	return 0;
}

static inline int qfx_teardown(void **state)
{
	bus_destroy(fx.bus);
	qce_destroy(qce);
	bam_destroy(fx.bam);
	gic_destroy(fx.gic);
	sim_destroy(fx.sim);
	memset(&fx, 0, sizeof(fx));
	qce = NULL;
	return 0;
}

#define QCE_BAM_TEST(fn) cmocka_unit_test_setup_teardown(fn, qfx_setup, qfx_teardown)

/* The master that owns a pipe's registers: Linux for pair 0, the TEE otherwise. */
static inline const struct bus_master *pipe_owner(unsigned int pipe)
{
	return pipe < 2 ? &cpu_ns : &cpu_s;
}

static inline void kick(unsigned int pipe)
{
	kick_as(pipe_owner(pipe), pipe);
}

/** retired_index - the pipe's hardware index, as its owner reads it */
static inline u32 retired_index(unsigned int pipe)
{
	return hw_index_as(pipe_owner(pipe), pipe);
}

/** all_retired - every descriptor queued on @pipe has retired */
static inline void assert_all_retired(unsigned int pipe)
{
	assert_int_equal(retired_index(pipe), fx.tail[pipe] / 8);
}

/* ---- QCE registers as a CPU ---- */

static inline enum bus_resp qce_read_resp(const struct bus_master *m, u32 off, u32 *val)
{
	u64 v = ~0ULL;
	enum bus_resp r = bus_read_sized(fx.bus, m, QCE_BASE + off, 4, &v);

	*val = (u32)v;
	return r;
}

static inline enum bus_resp qce_write_resp(const struct bus_master *m, u32 off, u32 val)
{
	return bus_write_sized(fx.bus, m, QCE_BASE + off, 4, val);
}

/** qrd - read a QCE register as @m, which must not be refused */
static inline u32 qrd(const struct bus_master *m, u32 off)
{
	u32 v;

	assert_int_equal(qce_read_resp(m, off, &v), BUS_OKAY);
	return v;
}

static inline u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u32 le32_at(const u8 *p)
{
	return (u32)p[3] << 24 | (u32)p[2] << 16 | (u32)p[1] << 8 | p[0];
}

/* ---- register writes: by a CPU, or as command elements on a pipe ---- */

struct qwriter {
	const struct bus_master *cpu;	/* CPU writes; NULL: command descriptors on @pipe */
	unsigned int pipe;
};

/** ce_alloc - the RAM address of a fresh command element slot */
static inline u64 ce_alloc(void)
{
	assert_true(ce_next < CE_SLOTS);
	return CE_ADDR(0) + (u64)ce_next++ * sizeof(struct bam_cmd_element);
}

/** queue_ce_write - one CMD descriptor holding one WRITE of @val to QCE register @off */
static inline void queue_ce_write(unsigned int pipe, u32 off, u32 val, u16 flags)
{
	u64 ce = ce_alloc();

	put_ce(ce, 0, BAM_CE_WRITE, QCE_CE(off), val, 0xffffffff);
	queue(pipe, ce, sizeof(struct bam_cmd_element), BAM_DESC_CMD | flags);
}

/* The locking series' dummy LOCK/UNLOCK element: a write of 0 to VERSION (0xdfa000). */
static inline void queue_lock(unsigned int pipe, u16 lock_flag)
{
	queue_ce_write(pipe, QCE_VERSION, 0, lock_flag);
}

/* qce_write() / qce_write_dma(): one register write, the series' one descriptor per write. */
static inline void qw(const struct qwriter *w, u32 off, u32 val)
{
	if (w->cpu)
		assert_int_equal(qce_write_resp(w->cpu, off, val), BUS_OKAY);
	else
		queue_ce_write(w->pipe, off, val, 0);
}

/* qce_cpu_to_be32p_array + qce_write_array: big-endian words of a byte string. */
static inline void qw_be_words(const struct qwriter *w, u32 off, const u8 *bytes, size_t len)
{
	for (size_t i = 0; i < len / 4; i++)
		qw(w, off + 4 * (u32)i, be32_at(bytes + 4 * i));
}

/* ---- programming the engine as the Linux driver does (§3.2) ---- */

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
};

static inline size_t aes_key_len(const struct cipher_req *r)
{
	return r->mode == QCE_ENCR_MODE_XTS ? r->keylen / 2 : r->keylen;
}

static inline u32 encr_seg_cfg(const struct cipher_req *r)
{
	u32 key_sz = (u32)(aes_key_len(r) - 16) / 8;	/* 16: 0, 24: 1, 32: 2 */

	return (u32)(FIELD_PREP(QCE_ENCR_ALG, QCE_ENCR_ALG_AES) |
		     FIELD_PREP(QCE_ENCR_KEY_SZ, key_sz) | FIELD_PREP(QCE_ENCR_MODE, r->mode)) |
	       (r->enc ? QCE_ENCR_ENCODE : 0);
}

/* qce_setup_regs_skcipher, in its order, up to (not including) the GO sequence. */
static inline void program_skcipher(const struct qwriter *w, unsigned int pair,
				    const struct cipher_req *r)
{
	size_t klen = aes_key_len(r);

	qw(w, QCE_STATUS, 0);
	qw(w, QCE_CONFIG, config_reg(pair, false));
	qw(w, QCE_AUTH_SEG_CFG, 0);
	if (r->mode == QCE_ENCR_MODE_XTS) {
		qw_be_words(w, QCE_ENCR_XTS_KEY(0), r->key + klen, klen);
		qw(w, QCE_ENCR_XTS_DU_SIZE, r->len);
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
static inline void qce_go(const struct qwriter *w, unsigned int pair)
{
	qw(w, QCE_CONFIG, config_reg(pair, true));
	qw(w, QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
}

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
static inline void program_ahash(const struct qwriter *w, unsigned int pair,
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

/* The ahash completion: digest <- auth_iv (memcpy), byte_count <- cpu_to_be32(count). */
static inline void hash_complete(struct hash_state *h, const u8 *dump)
{
	memcpy(h->digest, dump + DUMP_AUTH_IV, digest_size(h));
	h->byte_count[0] = __builtin_bswap32(le32_at(dump + DUMP_BYTECNT));
	h->byte_count[1] = __builtin_bswap32(le32_at(dump + DUMP_BYTECNT + 4));
	h->first = false;
}

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

/* ---- descriptor streams ---- */

#define SPLIT_MAX 160
#define DESC_BYTES_MAX 0x8000u		/* the largest data descriptor the tests queue */

struct split {
	unsigned int n;
	u32 size[SPLIT_MAX];
};

/* A small deterministic PRNG (xorshift64) for the test's own choices. */
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

static inline void split_add(struct split *s, u32 size)
{
	assert_true(s->n < SPLIT_MAX);
	s->size[s->n++] = size;
}

/** split_fixed - @len in pieces of @piece bytes (the last one shorter) */
static inline void split_fixed(struct split *s, u32 len, u32 piece)
{
	s->n = 0;
	for (u32 off = 0; off < len; off += piece)
		split_add(s, MIN(piece, len - off));
}

/**
 * split_random - @len in about @parts pieces of random sizes, multiples of
 * @gran (@len is one too, or @gran is 1), tiny ones among them; past @parts
 * the rest goes in pieces of DESC_BYTES_MAX
 */
static inline void split_random(struct split *s, u32 len, u32 gran, unsigned int parts)
{
	u32 avg = MAX(gran, len / parts), off = 0;

	s->n = 0;
	while (off < len) {
		u32 left = len - off, n;

		if (s->n >= parts)
			n = DESC_BYTES_MAX;
		else if (rng(4) == 0)
			n = gran * (1 + rng(4));
		else
			n = gran * (1 + rng(2 * avg / gran));
		n = MIN(MIN(n, left), DESC_BYTES_MAX);
		split_add(s, n);
		off += n;
	}
}

/** queue_split - data descriptors over [@addr, +len) cut as @s says; @last_flags on the last */
static inline void queue_split(unsigned int pipe, u64 addr, const struct split *s,
			       u16 last_flags)
{
	for (unsigned int i = 0; i < s->n; i++) {
		queue(pipe, addr, (u16)s->size[i], i + 1 == s->n ? last_flags : 0);
		addr += s->size[i];
	}
}

/** split_total - the bytes @s covers */
static inline u32 split_total(const struct split *s)
{
	u32 t = 0;

	for (unsigned int i = 0; i < s->n; i++)
		t += s->size[i];
	return t;
}

/* ---- the Linux driver's request flow, CPU register I/O (§3.2) ---- */

static const struct qwriter linux_writer = { .cpu = &linux_cpu };

/* Output buffers of @pair marked untouched, so what the engine writes shows. */
static inline void clear_outputs(unsigned int pair)
{
	memset(host(OUT_BUF(pair), OUT_MAX), UNTOUCHED, OUT_MAX);
	memset(host(DUMP_BUF(pair), DUMP), UNTOUCHED, DUMP);
}

/*
 * One skcipher request on Linux's pair: src on the RX pipe cut as @rx, dst
 * on the TX pipe cut as @tx, then the result buffer; registers by CPU; GO;
 * run to quiescence. Output in OUT_BUF(0), the dump in DUMP_BUF(0).
 */
static inline void linux_skcipher(const struct cipher_req *r, const u8 *in,
				  const struct split *rx, const struct split *tx)
{
	assert_int_equal(split_total(rx), r->len);
	assert_int_equal(split_total(tx), r->len);
	assert_true(r->len <= OUT_MAX);
	memcpy(host(IN_BUF(LINUX_PAIR), r->len), in, r->len);
	clear_outputs(LINUX_PAIR);
	queue_split(0, IN_BUF(LINUX_PAIR), rx, BAM_DESC_INT | BAM_DESC_EOT);
	queue_split(1, OUT_BUF(LINUX_PAIR), tx, 0);
	queue(1, DUMP_BUF(LINUX_PAIR), DUMP, BAM_DESC_INT | BAM_DESC_EOT);
	kick(0);
	kick(1);
	program_skcipher(&linux_writer, LINUX_PAIR, r);
	qce_go(&linux_writer, LINUX_PAIR);
	run();
	assert_false(qce_busy(qce));
	assert_all_retired(0);
	assert_all_retired(1);
}

/*
 * One ahash request on Linux's pair: @len bytes of @msg on the RX pipe cut
 * as @rx (no descriptor for an empty message), the result buffer on the TX
 * pipe; the completion copies the dump back into @h.
 */
static inline void linux_ahash(struct hash_state *h, const u8 *msg, u32 len, bool last,
			       const struct split *rx)
{
	assert_int_equal(split_total(rx), len);
	assert_true(len <= IN_MAX);
	memcpy(host(IN_BUF(LINUX_PAIR), len), msg, len);
	clear_outputs(LINUX_PAIR);
	queue_split(0, IN_BUF(LINUX_PAIR), rx, BAM_DESC_INT | BAM_DESC_EOT);
	queue(1, DUMP_BUF(LINUX_PAIR), DUMP, BAM_DESC_INT | BAM_DESC_EOT);
	kick(0);
	kick(1);
	program_ahash(&linux_writer, LINUX_PAIR, h, len, last);
	qce_go(&linux_writer, LINUX_PAIR);
	run();
	assert_false(qce_busy(qce));
	assert_all_retired(0);
	assert_all_retired(1);
	hash_complete(h, host(DUMP_BUF(LINUX_PAIR), DUMP));
}

/* ---- checks ---- */

static inline void assert_bytes(const u8 *got, const u8 *want, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i])
			fail_msg("byte %zu of %zu: got %02x, want %02x", i, len, got[i], want[i]);
}

/** assert_status_ok - OPERATION_DONE and no error bit in STATUS word @st */
static inline void assert_status_ok(u32 st)
{
	assert_int_equal(st & (QCE_STATUS_OPERATION_DONE | QCE_STATUS_ERRORS),
			 QCE_STATUS_OPERATION_DONE);
}

/* The dump (big-endian words: the driver sets LITTLE_ENDIAN_MODE before GO) and STATUS. */
static inline void assert_dump_ok(const u8 *dump)
{
	assert_status_ok(be32_at(dump + DUMP_STATUS));
	assert_status_ok(qrd(&linux_cpu, QCE_STATUS));	/* the driver's completion check */
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

/** ref_crypt - one-shot OpenSSL for @r (XTS: one data unit, as the driver asks) */
static inline void ref_crypt(const struct cipher_req *r, const u8 *in, u8 *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	const u8 *iv = r->mode == QCE_ENCR_MODE_ECB ? NULL : r->iv;
	int outl = 0;

	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex2(ctx, ref_cipher(r->mode, aes_key_len(r)), r->key, iv,
					    r->enc, NULL), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &outl, in, (int)r->len), 1);
	assert_int_equal((u32)outl, r->len);
	EVP_CIPHER_CTX_free(ctx);
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

#endif /* SECSOC_TEST_QCE_BAM_FIXTURE_H */
