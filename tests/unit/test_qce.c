/*
 * test_qce.c - the crypto engine model, detached from any BAM: the test
 * programs the registers as a CPU (in the order the Linux driver uses) and
 * plays the BAM through qce_periph_ops, pushing input in pieces, pulling
 * output and stepping the engine's actor. Covers the register file,
 * known-answer vectors (tests/vectors/) through the register path, hash
 * continuation across requests, randomised comparison with one-shot
 * OpenSSL, the result dump, STATUS, and misuse (SW_ERR, CFG_CHNG_ERR).
 */
#include <stdlib.h>
#include <string.h>

#include "qce_driver_flow.h"

#include <secsoc/bus.h>
#include <secsoc/qce.h>
#include <secsoc/sim.h>
#include <secsoc/trace.h>

#define QCE_BASE 0x01dfa000ULL
#define PAIRS 4
#define PAIR 2			/* as on sm8550: pipes 4 (rx) and 5 (tx) */
#define RX (2 * PAIR)
#define TX (2 * PAIR + 1)
#define VERSION 0x05060000u
#define OUT_MAX (1024 * 1024 + 4096)
static const struct bus_master cpu0 = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .privileged = true,
};

struct fixture {
	struct sim *sim;
	struct bus *bus;
	struct qce *q;
	u8 *out;		/* what the "BAM" collected from the producer pipe */
	u32 out_len;
};

static struct fixture fx;

static int setup(void **state)
{
	struct sim_config scfg = { .seed = 1 };
	struct qce_config cfg = {
		.name = "/soc@0/crypto@1dfa000", .base = QCE_BASE, .version = VERSION,
		.nr_pipe_pairs = PAIRS, .timing = qce_timing_defaults,
	};
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	fx.sim = sim_create(&scfg);
	fx.bus = bus_create();
	fx.q = qce_create(fx.sim, fx.bus, NULL, &cfg, &err);
	assert_non_null(fx.q);
	fx.out = malloc(OUT_MAX);
	assert_non_null(fx.out);
	return 0;
}

static int teardown(void **state)
{
	qce_destroy(fx.q);
	bus_destroy(fx.bus);
	sim_destroy(fx.sim);
	free(fx.out);
	return 0;
}

static u32 rd(u32 off)
{
	u64 v = ~0ULL;

	assert_int_equal(bus_read_sized(fx.bus, &cpu0, QCE_BASE + off, 4, &v), BUS_OKAY);
	return (u32)v;
}

/* The driver's register writes: CPU stores by @w->cpu. */
static void cpu_write(const struct qce_writer *w, u32 off, u32 val)
{
	assert_int_equal(bus_write_sized(fx.bus, w->cpu, QCE_BASE + off, 4, val), BUS_OKAY);
}

static const struct qce_writer cpu_w = { .write = cpu_write, .cpu = &cpu0 };

static void wr(u32 off, u32 val)
{
	qw(&cpu_w, off, val);
}

/* ---- playing the BAM ---- */

struct play {
	u32 max_push;		/* 0: as much as the engine takes; else random 1..max_push */
	u32 max_pull;		/* 0: everything available; else random 1..max_pull */
	bool windows;		/* lend random output windows (zero-copy path) */
};

static u32 piece(u32 avail, u32 max)
{
	u32 n = max ? 1 + rng(max) : avail;	/* MIN() evaluates its arguments twice */

	return MIN(avail, n);
}

/* Lend the engine a window at the end of the collected output, if nothing is staged. */
static void lend_window(const struct play *p)
{
	if (p->windows && !qce_periph_ops.dout_avail(fx.q, TX) && rng(2))
		qce_set_dout_buffer(fx.q, fx.out + fx.out_len, piece(OUT_MAX - fx.out_len, 20000));
}

static void retire_window(void)
{
	fx.out_len += qce_dout_buffer_used(fx.q);
	qce_set_dout_buffer(fx.q, NULL, 0);
}

/*
 * Push @in through the consumer pipe, collect the producer pipe's output in
 * fx.out and step the engine until nothing moves; returns with the engine
 * idle unless it starves.
 */
static void play(const u8 *in, u32 len, const struct play *p)
{
	u32 off = 0;

	for (unsigned int guard = 0; guard < 10000000; guard++) {
		u32 space = qce_periph_ops.din_space(fx.q, RX), avail;
		bool moved = false;

		lend_window(p);
		if (space && off < len) {
			u32 n = piece(MIN(space, len - off), p->max_push);

			qce_periph_ops.din_push(fx.q, RX, in + off, n, off + n == len);
			off += n;
			moved = true;
		}
		moved |= sim_step_once(fx.sim);
		retire_window();
		avail = qce_periph_ops.dout_avail(fx.q, TX);
		if (avail) {
			u32 n = piece(avail, p->max_pull);

			assert_true(fx.out_len + n <= OUT_MAX);
			assert_int_equal(qce_periph_ops.dout_pull(fx.q, TX, fx.out + fx.out_len, n),
					 n);
			fx.out_len += n;
			moved = true;
		}
		if (!moved)
			return;
	}
	fail_msg("the engine never went quiet");
}

static const struct play simple = { 0 };

/* One skcipher request through the engine; output (data + dump) in fx.out. */
static void run_skcipher(const struct cipher_req *r, const u8 *in, const struct play *p)
{
	fx.out_len = 0;
	program_skcipher(&cpu_w, PAIR, r);
	qce_go(&cpu_w, PAIR);
	play(in, r->len, p);
	assert_false(qce_busy(fx.q));
}

/* One ahash request; the driver's completion copies the dump back into @h. */
static void run_ahash(struct hash_state *h, const u8 *msg, u32 len, bool last,
		      const struct play *p)
{
	fx.out_len = 0;
	program_ahash(&cpu_w, PAIR, h, len, last);
	qce_go(&cpu_w, PAIR);
	play(msg, len, p);
	assert_false(qce_busy(fx.q));
	assert_int_equal(fx.out_len, DUMP);
	hash_complete(h, fx.out);
}

/* The dump's STATUS: OPERATION_DONE without SW_ERR. */
static void assert_dump_done(const u8 *dump)
{
	u32 st = be32_at(dump + DUMP_STATUS);

	assert_int_equal(st & (QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE),
			 QCE_STATUS_OPERATION_DONE);
}

/* ---- register file ---- */

static void test_reset_values(void **state)
{
	char buf[32];

	for (u32 off = 0; off < QCE_MMIO_SIZE; off += 4) {
		u32 want = 0;

		if (!qce_reg_name(off, buf, sizeof(buf)) || off == QCE_VERSION ||
		    off == QCE_ENGINES_AVAIL || (off >= QCE_ENCR_KEY(0) && off < QCE_AUTH_KEY(16)))
			continue;
		if (off == QCE_CNTR_MASK || off == QCE_CNTR_MASK0 || off == QCE_CNTR_MASK1 ||
		    off == QCE_CNTR_MASK2)
			want = ~0u;
		if (rd(off) != want)
			fail_msg("%s (0x%04x) resets to 0x%08x, want 0x%08x", buf, off, rd(off),
				 want);
	}
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	assert_false(qce_busy(fx.q));
}

static void test_version_and_engines_avail(void **state)
{
	assert_int_equal(rd(QCE_VERSION), VERSION);
	assert_int_equal(FIELD_GET(QCE_ENGINES_AVAIL_BAM_PIPE_SETS, rd(QCE_ENGINES_AVAIL)), PAIRS);
	/* VERSION is write-ignore without a guest error: the pipe lock's dummy write. */
	wr(QCE_VERSION, 0);
	assert_int_equal(rd(QCE_VERSION), VERSION);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	wr(QCE_ENGINES_AVAIL, 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 1);
	assert_int_equal(FIELD_GET(QCE_ENGINES_AVAIL_BAM_PIPE_SETS, rd(QCE_ENGINES_AVAIL)), PAIRS);
}

static void test_unknown_offset_is_guest_error(void **state)
{
	wr(0x500, 0x1234);
	assert_int_equal(sim_guest_error_count(fx.sim), 1);
	assert_int_equal(rd(0x500), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 2);
	assert_int_equal(rd(0x5ffc), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 3);
}

static void test_keys_are_write_only(void **state)
{
	wr(QCE_ENCR_KEY(0), 0x11223344);
	wr(QCE_AUTH_KEY(15), 0x55667788);
	assert_int_equal(rd(QCE_ENCR_KEY(0)), 0);
	assert_int_equal(rd(QCE_AUTH_KEY(15)), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 2);
	assert_int_equal(qce_reg_peek(fx.q, QCE_ENCR_KEY(0)), 0x11223344);
}

static void test_only_32bit_accesses(void **state)
{
	u64 v = 0;

	assert_int_equal(bus_read_sized(fx.bus, &cpu0, QCE_BASE + QCE_VERSION, 1, &v),
			 BUS_SLVERR);
	assert_int_equal(bus_write_sized(fx.bus, &cpu0, QCE_BASE + QCE_SEG_SIZE, 8, 1),
			 BUS_SLVERR);
	assert_int_equal(rd(QCE_SEG_SIZE), 0);
}

static void test_xts_du_size_is_20_bits(void **state)
{
	wr(QCE_ENCR_XTS_DU_SIZE, ~0u);
	assert_int_equal(rd(QCE_ENCR_XTS_DU_SIZE), QCE_XTS_DU_SIZE_MAX);
}

static void test_status2_shows_the_lock(void **state)
{
	qce_periph_ops.lock_changed(fx.q, 1);
	assert_int_equal(rd(QCE_STATUS2), QCE_STATUS2_LOCKED);
	qce_periph_ops.lock_changed(fx.q, BAM_NO_EE);
	assert_int_equal(rd(QCE_STATUS2), 0);
}

/* ---- ciphers ---- */

static const u8 f21_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const u8 f21_iv[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
			       0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };

static void check_cbc_f21(bool enc)
{
	struct vec_file vf;
	const struct vec *v;
	const struct vec_field *pt, *ct;

	vec_load("aes.vec", &vf);
	v = find_vec(&vf, "SP800-38A F.2.1");
	pt = vec_get(v, "pt");
	ct = vec_get(v, "ct");
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = enc, .key = f21_key,
				.keylen = 16, .iv = f21_iv, .len = (u32)pt->len };

	assert_memory_equal(vec_get(v, "key")->data, f21_key, 16);
	assert_int_equal(encr_seg_cfg(&r), enc ? 0x442 : 0x042);
	run_skcipher(&r, enc ? pt->data : ct->data, &simple);
	assert_int_equal(fx.out_len, pt->len + DUMP);
	assert_bytes(fx.out, enc ? ct->data : pt->data, pt->len);
	/* req->iv <- encr_cntr_iv: the last ciphertext block */
	assert_bytes(fx.out + pt->len + DUMP_CNTR_IV, ct->data + ct->len - 16, 16);
	assert_dump_done(fx.out + pt->len);
	vec_free(&vf);
}

static void test_cbc_encrypt_linux_flow(void **state)
{
	check_cbc_f21(true);
}

static void test_cbc_decrypt_linux_flow(void **state)
{
	check_cbc_f21(false);
}

/* Every cipher vector of @file, both ways, pushed in random pieces. */
static void check_cipher_file(const char *file)
{
	struct play p = { .max_push = 40, .max_pull = 50, .windows = true };
	struct vec_file vf;

	rng_state = 0x5eed;
	vec_load(file, &vf);
	assert_true(vf.count > 0);
	for (unsigned int i = 0; i < vf.count; i++) {
		const struct vec *v = &vf.vecs[i];
		const struct vec_field *key = vec_get(v, "key"), *iv = vec_get(v, "iv");
		const struct vec_field *pt = vec_get(v, "pt"), *ct = vec_get(v, "ct");
		u32 mode = mode_of(v->alg);

		for (int enc = xts_same_halves(mode, key) ? 0 : 1; enc >= 0; enc--) {
			struct cipher_req r = { .mode = mode, .enc = enc, .key = key->data,
						.keylen = key->len, .iv = iv ? iv->data : NULL,
						.len = (u32)pt->len };

			run_skcipher(&r, enc ? pt->data : ct->data, &p);
			if (fx.out_len != pt->len + DUMP)
				fail_msg("%s [%s] %s: %u bytes out", file, v->alg, v->source,
					 fx.out_len);
			assert_bytes(fx.out, enc ? ct->data : pt->data, pt->len);
			assert_dump_done(fx.out + pt->len);
		}
	}
	vec_free(&vf);
}

static void test_aes_vectors(void **state)
{
	check_cipher_file("aes.vec");
}

static void test_xts_vectors(void **state)
{
	check_cipher_file("xts.vec");
}

/* A 32-bit counter (only CNTR_MASK set) wraps within CNTR3_IV, as GCM's inc32 does. */
static void test_ctr_counter_mask(void **state)
{
	u8 iv[16], in[64], want[64], ctr[16], ks[16];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CTR, .enc = true, .key = f21_key,
				.keylen = 16, .iv = iv, .len = sizeof(in) };

	rng_state = 7;
	rng_fill(in, sizeof(in));
	memset(iv, 0xab, 16);
	memset(iv + 12, 0xff, 3);
	iv[15] = 0xfe;		/* low word 0xfffffffe: wraps after two blocks */
	memcpy(ctr, iv, 16);
	for (unsigned int b = 0; b < 4; b++) {
		ref_crypt(QCE_ENCR_MODE_ECB, true, f21_key, 16, NULL, ctr, 16, ks);
		for (unsigned int i = 0; i < 16; i++)
			want[16 * b + i] = in[16 * b + i] ^ ks[i];
		for (int i = 15; i >= 12 && ++ctr[i] == 0; i--)
			;
	}
	fx.out_len = 0;
	program_skcipher(&cpu_w, PAIR, &r);
	wr(QCE_CNTR_MASK0, 0);
	wr(QCE_CNTR_MASK1, 0);
	wr(QCE_CNTR_MASK2, 0);
	qce_go(&cpu_w, PAIR);
	play(in, sizeof(in), &(struct play){ .max_push = 7 });
	assert_int_equal(fx.out_len, sizeof(in) + DUMP);
	assert_bytes(fx.out, want, sizeof(in));
	assert_bytes(fx.out + sizeof(in) + DUMP_CNTR_IV, ctr, 16);	/* the next counter */
}

/* The next counter in the dump counts a partial last block, for chaining requests. */
static void test_ctr_next_counter(void **state)
{
	u8 in[40] = { 0 }, next[16];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CTR, .enc = true, .key = f21_key,
				.keylen = 16, .iv = f21_iv, .len = sizeof(in) };

	run_skcipher(&r, in, &simple);
	memcpy(next, f21_iv, 16);
	next[15] += 3;
	assert_bytes(fx.out + sizeof(in) + DUMP_CNTR_IV, next, 16);
}

/* Several XTS data units: each takes the next sequence number; split units are gathered. */
static void test_xts_data_units(void **state)
{
	static u8 in[4096 + 48], want[sizeof(in)];
	u8 key[64], iv[16] = { 0x05 };
	struct cipher_req r = { .mode = QCE_ENCR_MODE_XTS, .enc = true, .key = key,
				.keylen = 64, .iv = iv, .len = sizeof(in), .du = 512 };

	rng_state = 11;
	rng_fill(key, sizeof(key));
	rng_fill(in, sizeof(in));
	ref_xts(true, key, 64, iv, 512, in, sizeof(in), want);
	run_skcipher(&r, in, &(struct play){ .max_push = 700, .windows = true });
	assert_int_equal(fx.out_len, sizeof(in) + DUMP);
	assert_bytes(fx.out, want, sizeof(in));
	/* 9 data units (the last one is 48 bytes): sequence number 5 became 14 */
	assert_int_equal(be32_at(fx.out + sizeof(in) + DUMP_CNTR_IV + 12), 5 + 9);
}

/* One XTS request of @len bytes (data units of @du, 0: one unit) in random pieces. */
static void check_xts_pieces(u32 len, u32 du, bool enc, size_t keylen, u8 *in, u8 *want)
{
	u8 key[64], iv[16];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_XTS, .enc = enc, .key = key,
				.keylen = keylen, .iv = iv, .len = len, .du = du };
	struct play p = { .max_push = 4096, .max_pull = rng(2) ? 0 : 1 + rng(5000),
			  .windows = rng(2) };

	rng_fill(key, sizeof(key));
	rng_fill(iv, sizeof(iv));
	rng_fill(in, len);
	ref_xts(enc, key, keylen, iv, xts_du(&r), in, len, want);
	run_skcipher(&r, in, &p);
	if (fx.out_len != len + DUMP || memcmp(fx.out, want, len))
		fail_msg("xts(aes%zu) %s, %u bytes, unit %u: %u bytes out, %s", keylen * 4,
			 enc ? "enc" : "dec", len, xts_du(&r), fx.out_len,
			 fx.out_len == len + DUMP ? "wrong data" : "wrong length");
	assert_dump_done(fx.out + len);
}

/*
 * Data units split across pushes of 1..4096 bytes stream through (no
 * gathering) and match one-shot OpenSSL: lengths that are and are not
 * multiples of 16, both directions, both key sizes.
 */
static void test_xts_unit_in_random_pieces(void **state)
{
	static const u32 lens[] = { 16, 17, 31, 32, 33, 47, 48, 4095, 4096, 4097, 4111,
				    32760, 65535, 65536, 65551, 69999, 70000 };
	u8 *in = malloc(70000), *want = malloc(70000);

	assert_non_null(in);
	assert_non_null(want);
	rng_state = 0x7157;
	for (unsigned int i = 0; i < ARRAY_SIZE(lens) + 40; i++) {
		u32 len = i < ARRAY_SIZE(lens) ? lens[i] : 16 + rng(70000 - 16 + 1);

		for (unsigned int k = 0; k < 4; k++)
			check_xts_pieces(len, 0, k & 1, k & 2 ? 64 : 32, in, want);
	}
	assert_int_equal(qce_ops_failed(fx.q), 0);
	free(in);
	free(want);
}

/* Several data units that each end in a partial block, split at random across pushes. */
static void test_xts_stealing_units_in_random_pieces(void **state)
{
	static const u32 dus[] = { 17, 31, 40, 1000, 4100 };
	u8 *in = malloc(70000), *want = malloc(70000);

	assert_non_null(in);
	assert_non_null(want);
	rng_state = 0x5731;
	for (unsigned int i = 0; i < 40; i++) {
		u32 du = dus[i % ARRAY_SIZE(dus)], len = du * (1 + rng(16));

		if (rng(2))	/* a shorter last unit, of 16 bytes or more */
			len += 16 + rng(du - 16);
		check_xts_pieces(len, du, rng(2), rng(2) ? 64 : 32, in, want);
	}
	assert_int_equal(qce_ops_failed(fx.q), 0);
	free(in);
	free(want);
}

/* A unit pushed in pieces that are not whole blocks is still written in place. */
static void test_xts_split_unit_zero_copy(void **state)
{
	static u8 in[64 * 1024 + 8], out[sizeof(in) + DUMP], want[sizeof(in)];
	u8 key[64];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_XTS, .enc = false, .key = key,
				.keylen = 64, .iv = f21_iv, .len = sizeof(in) };
	u32 off = 0;

	rng_state = 13;
	rng_fill(key, sizeof(key));
	rng_fill(in, sizeof(in));
	ref_xts(false, key, 64, f21_iv, sizeof(in), in, sizeof(in), want);
	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	qce_set_dout_buffer(fx.q, out, sizeof(out));
	sim_step_once(fx.sim);
	while (off < sizeof(in)) {
		u32 n = MIN(MIN(1000u, qce_periph_ops.din_space(fx.q, RX)),
			    (u32)sizeof(in) - off);

		assert_true(n > 0);
		qce_periph_ops.din_push(fx.q, RX, in + off, n, off + n == sizeof(in));
		off += n;
		assert_int_equal(qce_periph_ops.dout_avail(fx.q, TX), 0);
		/* all but the held-back last full block and partial block are out */
		assert_true(qce_dout_buffer_used(fx.q) + 31 >= off);
		sim_step_once(fx.sim);
	}
	while (sim_step_once(fx.sim))
		;
	assert_false(qce_busy(fx.q));
	assert_int_equal(qce_dout_buffer_used(fx.q), sizeof(out));
	assert_bytes(out, want, sizeof(in));
}

/* ---- hashes ---- */

static void check_hash_file(const char *file, bool hmac)
{
	struct vec_file vf;
	struct hash_state h;

	vec_load(file, &vf);
	assert_true(vf.count > 0);
	for (unsigned int i = 0; i < vf.count; i++) {
		const struct vec *v = &vf.vecs[i];
		const struct vec_field *want = vec_get(v, hmac ? "mac" : "md");
		const struct vec_field *key = vec_get(v, "key");
		bool sha256 = strstr(v->alg, "sha256") != NULL;
		size_t len;
		u8 *msg = vec_expand(v, "msg", &len);

		hash_init(&h, sha256, hmac ? key->data : NULL, hmac ? key->len : 0);
		run_ahash(&h, msg, (u32)len, true, &simple);
		if (memcmp(h.digest, want->data, want->len))
			fail_msg("%s [%s] %s: wrong digest", file, v->alg, v->source);
		assert_dump_done(fx.out);
		free(msg);
	}
	vec_free(&vf);
}

static void test_sha_vectors(void **state)
{
	check_hash_file("sha.vec", false);
}

static void test_hmac_vectors(void **state)
{
	check_hash_file("hmac.vec", true);
}

/* Three requests (FIRST, middle, LAST) give the one-shot digest. */
static void check_continuation(bool sha256, bool hmac)
{
	static u8 msg[3 * 4096 + 100];
	u8 key[20], want[32];
	u32 cut1 = 64 * 17, cut2 = 64 * 100;
	struct hash_state h;

	rng_state = 99;
	rng_fill(msg, sizeof(msg));
	rng_fill(key, sizeof(key));
	hash_init(&h, sha256, hmac ? key : NULL, sizeof(key));
	run_ahash(&h, msg, cut1, false, &(struct play){ .max_push = 300 });
	/* the driver's byte_count: the dump's count, byte-swapped into register order */
	assert_int_equal(h.byte_count[0], cut1);
	run_ahash(&h, msg + cut1, cut2 - cut1, false, &simple);
	assert_int_equal(h.byte_count[0], cut2);
	run_ahash(&h, msg + cut2, sizeof(msg) - cut2, true, &(struct play){ .max_push = 999 });
	ref_digest(sha256, hmac ? key : NULL, sizeof(key), msg, sizeof(msg), want);
	assert_bytes(h.digest, want, digest_size(&h));
}

static void test_sha1_continuation(void **state)
{
	check_continuation(false, false);
}

static void test_sha256_continuation(void **state)
{
	check_continuation(true, false);
}

static void test_hmac_sha1_continuation(void **state)
{
	check_continuation(false, true);
}

static void test_hmac_sha256_continuation(void **state)
{
	check_continuation(true, true);
}

/* ---- randomised comparison with one-shot OpenSSL ---- */

static u32 random_len(u32 mode)
{
	u32 len = rng(64 * 1024 + 1);

	if (mode == QCE_ENCR_MODE_ECB || mode == QCE_ENCR_MODE_CBC)
		len &= ~15u;
	if (mode == QCE_ENCR_MODE_XTS && len < 16)
		len = 16;
	return len;
}

static void random_cipher_case(u8 *in, u8 *want)
{
	u8 key[64], iv[16];
	u32 mode = rng(4), len = random_len(mode);
	size_t aes_key = rng(2) ? 32 : 16;
	struct cipher_req r = { .mode = mode, .enc = rng(2), .key = key,
				.keylen = mode == QCE_ENCR_MODE_XTS ? 2 * aes_key : aes_key,
				.iv = iv, .len = len };
	struct play p = { .max_push = 1 + rng(9000), .max_pull = rng(2) ? 0 : 1 + rng(5000),
			  .windows = rng(2) };

	rng_fill(key, sizeof(key));
	rng_fill(iv, sizeof(iv));
	rng_fill(in, len);
	ref_skcipher(&r, in, want);
	run_skcipher(&r, in, &p);
	if (fx.out_len != len + DUMP)
		fail_msg("mode %u, %u bytes: %u bytes out", mode, len, fx.out_len);
	assert_bytes(fx.out, want, len);
	assert_dump_done(fx.out + len);
}

/* A hash split across 1..3 requests at random block boundaries. */
static void random_hash_case(u8 *msg)
{
	bool sha256 = rng(2), hmac = rng(2);
	u32 len = rng(64 * 1024 + 1), off = 0, parts = 1 + rng(3);
	u8 key[100], want[32];
	size_t keylen = 1 + rng(sizeof(key));
	struct hash_state h;

	rng_fill(msg, len);
	rng_fill(key, sizeof(key));
	hash_init(&h, sha256, hmac ? key : NULL, keylen);
	for (u32 i = 1; i < parts && off < len; i++) {
		u32 n = rng(len - off) & ~63u;

		run_ahash(&h, msg + off, n, false, &(struct play){ .max_push = 1 + rng(5000) });
		off += n;
	}
	run_ahash(&h, msg + off, len - off, true, &(struct play){ .max_push = 1 + rng(5000) });
	ref_digest(sha256, hmac ? key : NULL, keylen, msg, len, want);
	assert_bytes(h.digest, want, digest_size(&h));
}

static void test_random_vs_openssl(void **state)
{
	u8 *in = malloc(64 * 1024), *want = malloc(64 * 1024);

	assert_non_null(in);
	assert_non_null(want);
	rng_state = 0x2026;
	for (unsigned int i = 0; i < 40; i++)
		random_cipher_case(in, want);
	for (unsigned int i = 0; i < 20; i++)
		random_hash_case(in);
	assert_int_equal(qce_ops_failed(fx.q), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	free(in);
	free(want);
}

/* ---- STATUS, the dump, SW_ERR ---- */

static void test_status_after_success(void **state)
{
	u8 in[32] = { 0 };
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = f21_key,
				.keylen = 16, .len = sizeof(in) };

	run_skcipher(&r, in, &simple);
	assert_int_equal(rd(QCE_STATUS) & (QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE |
					   QCE_STATUS_OP_DONE_INTR | QCE_STATUS_ERR_INTR |
					   QCE_STATUS_ENCR_BUSY | QCE_STATUS_DIN_RDY),
			 QCE_STATUS_OPERATION_DONE | QCE_STATUS_OP_DONE_INTR);
	wr(QCE_STATUS, 0);	/* the driver's "clear status" */
	assert_int_equal(rd(QCE_STATUS), 0);
	assert_int_equal(qce_ops_done(fx.q), 1);
}

/* Unsupported settings: SW_ERR, input consumed and dropped, no data out, the dump, done. */
static void check_refused(void (*tweak)(void), u32 len)
{
	static u8 in[4096];
	u32 st;

	assert_true(len <= sizeof(in));
	fx.out_len = 0;
	program_skcipher(&cpu_w, PAIR,
			 &(struct cipher_req){ .mode = QCE_ENCR_MODE_CBC, .enc = true,
					       .key = f21_key, .keylen = 16, .iv = f21_iv,
					       .len = len });
	tweak();
	qce_go(&cpu_w, PAIR);
	play(in, len, &simple);
	assert_false(qce_busy(fx.q));
	assert_int_equal(fx.out_len, DUMP);
	st = be32_at(fx.out + DUMP_STATUS);
	assert_int_equal(st & (QCE_STATUS_SW_ERR | QCE_STATUS_ERR_INTR |
			       QCE_STATUS_OPERATION_DONE),
			 QCE_STATUS_SW_ERR | QCE_STATUS_ERR_INTR | QCE_STATUS_OPERATION_DONE);
	assert_int_equal(rd(QCE_STATUS) & QCE_STATUS_SW_ERR, QCE_STATUS_SW_ERR);
	assert_int_equal(qce_ops_failed(fx.q), 1);
	assert_true(sim_guest_error_count(fx.sim) >= 1);
}

static void cfg_aes192(void)
{
	wr(QCE_ENCR_SEG_CFG, (rd(QCE_ENCR_SEG_CFG) & ~QCE_ENCR_KEY_SZ) |
	   (u32)FIELD_PREP(QCE_ENCR_KEY_SZ, 1));
}

static void cfg_mode_ccm(void)
{
	wr(QCE_ENCR_SEG_CFG, (rd(QCE_ENCR_SEG_CFG) & ~QCE_ENCR_MODE) |
	   (u32)FIELD_PREP(QCE_ENCR_MODE, QCE_ENCR_MODE_CCM));
}

static void cfg_mode_bad(void)
{
	wr(QCE_ENCR_SEG_CFG, rd(QCE_ENCR_SEG_CFG) | QCE_ENCR_MODE);
}

static void cfg_des(void)
{
	wr(QCE_ENCR_SEG_CFG, (rd(QCE_ENCR_SEG_CFG) & ~QCE_ENCR_ALG) | QCE_ENCR_ALG_DES);
}

static void cfg_xts_du0(void)
{
	wr(QCE_ENCR_SEG_CFG, (rd(QCE_ENCR_SEG_CFG) & ~QCE_ENCR_MODE) |
	   (u32)FIELD_PREP(QCE_ENCR_MODE, QCE_ENCR_MODE_XTS));
	wr(QCE_ENCR_XTS_DU_SIZE, 0);
}

static void cfg_seg_mismatch(void)
{
	wr(QCE_ENCR_SEG_SIZE, rd(QCE_SEG_SIZE) - 16);
}

static void cfg_aead(void)
{
	wr(QCE_AUTH_SEG_CFG, QCE_AUTH_ALG_SHA | QCE_AUTH_FIRST | QCE_AUTH_LAST);
}

static void cfg_hw_key(void)
{
	wr(QCE_ENCR_SEG_CFG, rd(QCE_ENCR_SEG_CFG) | QCE_ENCR_USE_HW_KEY);
}

static void cfg_nothing(void)
{
}

static void test_sw_err_aes192(void **state)
{
	check_refused(cfg_aes192, 64);
}

static void test_sw_err_bad_modes(void **state)
{
	void (*const cases[])(void) = { cfg_mode_ccm, cfg_mode_bad, cfg_des, cfg_xts_du0,
					cfg_seg_mismatch, cfg_aead, cfg_hw_key };

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		teardown(state);
		setup(state);
		check_refused(cases[i], 64);
	}
}

static void test_sw_err_cbc_partial_block(void **state)
{
	check_refused(cfg_nothing, 100);
}

static void test_result_dump_layout(void **state)
{
	struct hash_state h;
	const u8 *d = fx.out;
	u8 md[32];

	hash_init(&h, true, NULL, 0);
	run_ahash(&h, (const u8 *)"abc", 3, true, &simple);
	ref_digest(true, NULL, 0, (const u8 *)"abc", 3, md);
	for (unsigned int i = 0; i < 8; i++)	/* auth_iv: big-endian digest words */
		assert_int_equal(be32_at(d + DUMP_AUTH_IV + 4 * i), be32_at(md + 4 * i));
	for (unsigned int i = 8; i < 16; i++)
		assert_int_equal(be32_at(d + DUMP_AUTH_IV + 4 * i), 0);
	assert_int_equal(be32_at(d + DUMP_BYTECNT), 3);
	assert_int_equal(be32_at(d + DUMP_BYTECNT + 4), 0);
	assert_int_equal(be32_at(d + DUMP_CNTR_IV), 0);
	assert_int_equal(be32_at(d + DUMP_STATUS), rd(QCE_STATUS));
	assert_int_equal(be32_at(d + DUMP_STATUS2), 0);
	for (unsigned int i = DUMP_STATUS2 + 4; i < DUMP; i++)
		assert_int_equal(d[i], 0);
}

/* CONFIG left big-endian at GO: the dump's words come out little-endian. */
static void test_dump_in_big_endian_mode(void **state)
{
	struct hash_state h;
	u8 md[32];

	hash_init(&h, false, NULL, 0);
	fx.out_len = 0;
	program_ahash(&cpu_w, PAIR, &h, 3, true);
	wr(QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
	play((const u8 *)"abc", 3, &simple);
	ref_digest(false, NULL, 0, (const u8 *)"abc", 3, md);
	assert_int_equal(fx.out_len, DUMP);
	for (unsigned int i = 0; i < 5; i++)
		assert_int_equal(le32_at(fx.out + 4 * i), be32_at(md + 4 * i));
	assert_int_equal(le32_at(fx.out + DUMP_BYTECNT), 3);
}

/* Without RESULTS_DUMP a hash produces nothing on the producer pipe, but still finishes. */
static void test_no_dump_without_results_dump(void **state)
{
	struct hash_state h;

	hash_init(&h, true, NULL, 0);
	fx.out_len = 0;
	program_ahash(&cpu_w, PAIR, &h, 3, true);
	wr(QCE_CONFIG, config_reg(PAIR, true));
	wr(QCE_GOPROC, QCE_GOPROC_GO);
	play((const u8 *)"abc", 3, &simple);
	assert_int_equal(fx.out_len, 0);
	assert_false(qce_busy(fx.q));
	assert_int_equal(rd(QCE_AUTH_BYTECNT(0)), 3);
}

/* ---- the data path ---- */

static void test_din_space_only_on_the_consumer_pipe(void **state)
{
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = f21_key,
				.keylen = 16, .len = 64 * 1024 };

	program_skcipher(&cpu_w, PAIR, &r);
	assert_int_equal(qce_periph_ops.din_space(fx.q, RX), 0);	/* idle */
	qce_go(&cpu_w, PAIR);
	assert_true(qce_busy(fx.q));
	assert_int_equal(qce_periph_ops.din_space(fx.q, RX), 0);	/* not set up yet */
	assert_true(sim_step_once(fx.sim));
	assert_int_equal(qce_op_pair(fx.q), PAIR);
	assert_int_equal(qce_periph_ops.din_space(fx.q, RX), 16 * 1024);
	assert_int_equal(qce_periph_ops.din_space(fx.q, TX), 0);
	assert_int_equal(qce_periph_ops.din_space(fx.q, 0), 0);
}

/* Output with nowhere to go is staged; beyond the high mark no more input is taken. */
static void test_backpressure_on_staged_output(void **state)
{
	static u8 in[64 * 1024];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = f21_key,
				.keylen = 16, .len = sizeof(in) };
	u32 pushed = 0, space;

	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	sim_step_once(fx.sim);
	while ((space = qce_periph_ops.din_space(fx.q, RX))) {
		qce_periph_ops.din_push(fx.q, RX, in + pushed, space, false);
		pushed += space;
		sim_step_once(fx.sim);
	}
	assert_int_equal(pushed, 32 * 1024);
	assert_int_equal(qce_periph_ops.dout_avail(fx.q, TX), 32 * 1024);
	assert_true(rd(QCE_STATUS) & QCE_STATUS_DOUT_RDY);
	assert_false(rd(QCE_STATUS) & QCE_STATUS_DIN_RDY);
	assert_int_equal(qce_periph_ops.dout_avail(fx.q, RX), 0);
}

/* A lent output buffer is written in place: nothing is staged, nothing copied. */
static void test_zero_copy_output(void **state)
{
	static u8 in[64 * 1024], out[64 * 1024 + DUMP], want[sizeof(in)];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_XTS, .enc = true, .key = NULL,
				.keylen = 64, .iv = f21_iv, .len = sizeof(in) };
	u8 key[64];
	u32 space;

	rng_state = 3;
	rng_fill(key, sizeof(key));
	rng_fill(in, sizeof(in));
	r.key = key;
	ref_xts(true, key, 64, f21_iv, sizeof(in), in, sizeof(in), want);
	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	qce_set_dout_buffer(fx.q, out, sizeof(out));
	sim_step_once(fx.sim);
	space = qce_periph_ops.din_space(fx.q, RX);
	assert_int_equal(space, sizeof(in));	/* one whole data unit */
	qce_periph_ops.din_push(fx.q, RX, in, space, true);
	assert_int_equal(qce_periph_ops.dout_avail(fx.q, TX), 0);
	while (sim_step_once(fx.sim))
		;
	assert_false(qce_busy(fx.q));
	assert_int_equal(qce_dout_buffer_used(fx.q), sizeof(out));
	assert_bytes(out, want, sizeof(in));
}

/* In-place processing: the output buffer is the input buffer. */
static void test_in_place(void **state)
{
	static u8 buf[8192], want[sizeof(buf)];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = false, .key = f21_key,
				.keylen = 16, .iv = f21_iv, .len = sizeof(buf) };

	rng_state = 5;
	rng_fill(buf, sizeof(buf));
	ref_crypt(QCE_ENCR_MODE_CBC, false, f21_key, 16, f21_iv, buf, sizeof(buf), want);
	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	sim_step_once(fx.sim);
	qce_set_dout_buffer(fx.q, buf, sizeof(buf));
	qce_periph_ops.din_push(fx.q, RX, buf, sizeof(buf), true);
	assert_int_equal(qce_dout_buffer_used(fx.q), sizeof(buf));
	assert_bytes(buf, want, sizeof(buf));
}

static void test_bad_pipe_pair_refused(void **state)
{
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = f21_key,
				.keylen = 16, .len = 16 };

	program_skcipher(&cpu_w, PAIR, &r);
	wr(QCE_CONFIG, config_reg(PAIRS, true));
	wr(QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
	while (sim_step_once(fx.sim))
		;
	assert_false(qce_busy(fx.q));
	assert_int_equal(rd(QCE_STATUS) & QCE_STATUS_SW_ERR, QCE_STATUS_SW_ERR);
	assert_int_equal(qce_periph_ops.dout_avail(fx.q, 2 * PAIRS + 1), 0);
}

static void test_clr_cntxt_abandons_the_operation(void **state)
{
	static u8 in[4096];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = f21_key,
				.keylen = 16, .len = sizeof(in) };

	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	sim_step_once(fx.sim);
	qce_periph_ops.din_push(fx.q, RX, in, 1024, false);
	assert_int_equal(qce_periph_ops.dout_avail(fx.q, TX), 1024);
	wr(QCE_GOPROC, QCE_GOPROC_CLR_CNTXT);
	assert_false(qce_busy(fx.q));
	assert_int_equal(qce_periph_ops.dout_avail(fx.q, TX), 0);
	assert_int_equal(qce_cfg_change_errors(fx.q), 0);
	/* a new operation runs normally */
	run_skcipher(&r, in, &simple);
	assert_int_equal(fx.out_len, sizeof(in) + DUMP);
}

/* ---- misuse while busy ---- */

/* A key written mid-operation: CFG_CHNG_ERR, and the rest is computed with the new key. */
static void test_cfg_change_corrupts_the_rest(void **state)
{
	static const u8 key2[16] = { 0x10, 0x20 };
	u8 in[64], want[64], rest[32];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = f21_key,
				.keylen = 16, .iv = f21_iv, .len = sizeof(in) };

	rng_state = 17;
	rng_fill(in, sizeof(in));
	ref_crypt(QCE_ENCR_MODE_CBC, true, f21_key, 16, f21_iv, in, sizeof(in), want);
	fx.out_len = 0;
	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	play(in, 32, &simple);		/* half the input; the engine waits for more */
	assert_true(qce_busy(fx.q));
	assert_int_equal(fx.out_len, 32);
	qw_be_words(&cpu_w, QCE_ENCR_KEY(0), key2, 16);
	assert_int_equal(qce_cfg_change_errors(fx.q), 4);
	assert_true(rd(QCE_STATUS) & QCE_STATUS_CFG_CHNG_ERR);
	play(in + 32, 32, &simple);
	assert_false(qce_busy(fx.q));
	assert_bytes(fx.out, want, 32);
	/* the rest: CBC with the new key from the IV registers as programmed */
	ref_crypt(QCE_ENCR_MODE_CBC, true, key2, 16, f21_iv, in + 32, 32, rest);
	assert_bytes(fx.out + 32, rest, 32);
	assert_true(memcmp(fx.out + 32, want + 32, 32) != 0);
	assert_true(be32_at(fx.out + 64 + DUMP_STATUS) & QCE_STATUS_CFG_CHNG_ERR);
	assert_int_equal(be32_at(fx.out + 64 + DUMP_STATUS) & QCE_STATUS_SW_ERR, 0);
}

/* A mid-operation change to settings the engine cannot run: zeros for the rest, SW_ERR. */
static void test_cfg_change_to_unusable_settings(void **state)
{
	u8 in[64] = { 1 }, zeros[32] = { 0 };
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CTR, .enc = true, .key = f21_key,
				.keylen = 16, .iv = f21_iv, .len = sizeof(in) };

	fx.out_len = 0;
	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	play(in, 32, &simple);
	wr(QCE_ENCR_SEG_CFG, 0);	/* e.g. an ahash set-up of another EE */
	play(in + 32, 32, &simple);
	assert_false(qce_busy(fx.q));
	assert_int_equal(fx.out_len, sizeof(in) + DUMP);
	assert_bytes(fx.out + 32, zeros, 32);
	assert_int_equal(rd(QCE_STATUS) & (QCE_STATUS_SW_ERR | QCE_STATUS_CFG_CHNG_ERR),
			 QCE_STATUS_SW_ERR | QCE_STATUS_CFG_CHNG_ERR);
}

/* GO while busy: CFG_CHNG_ERR; the running operation goes on unchanged. */
static void test_go_while_busy(void **state)
{
	u8 in[64], want[64];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = f21_key,
				.keylen = 16, .iv = f21_iv, .len = sizeof(in) };

	rng_state = 19;
	rng_fill(in, sizeof(in));
	ref_crypt(QCE_ENCR_MODE_CBC, true, f21_key, 16, f21_iv, in, sizeof(in), want);
	fx.out_len = 0;
	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	play(in, 16, &simple);
	wr(QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
	assert_int_equal(qce_cfg_change_errors(fx.q), 1);
	play(in + 16, 48, &simple);
	assert_false(qce_busy(fx.q));
	assert_int_equal(fx.out_len, sizeof(in) + DUMP);
	assert_bytes(fx.out, want, sizeof(in));
	assert_int_equal(qce_ops_done(fx.q), 1);
}

/* STATUS writes are not configuration: no CFG_CHNG_ERR while busy. */
static void test_status_write_while_busy(void **state)
{
	struct cipher_req r = { .mode = QCE_ENCR_MODE_ECB, .enc = true, .key = f21_key,
				.keylen = 16, .len = 32 };

	program_skcipher(&cpu_w, PAIR, &r);
	qce_go(&cpu_w, PAIR);
	wr(QCE_STATUS, 0);
	wr(QCE_VERSION, 0);	/* the lock dummy write */
	assert_int_equal(qce_cfg_change_errors(fx.q), 0);
}

/* ---- trace ---- */

static void test_trace_slice_and_instants(void **state)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct trace *t = trace_open_stream(f);
	struct sim_config scfg = { .seed = 1, .trace = t };
	struct qce_config cfg = { .name = "qce", .base = QCE_BASE, .version = VERSION,
				  .nr_pipe_pairs = PAIRS, .timing = qce_timing_defaults };
	struct secsoc_error err = { 0 };
	u8 in[32] = { 0 };

	teardown(state);
	fx.sim = sim_create(&scfg);
	fx.bus = bus_create();
	fx.q = qce_create(fx.sim, fx.bus, NULL, &cfg, &err);
	fx.out = malloc(OUT_MAX);
	program_skcipher(&cpu_w, PAIR,
			 &(struct cipher_req){ .mode = QCE_ENCR_MODE_CBC, .enc = true,
					       .key = f21_key, .keylen = 16, .iv = f21_iv,
					       .len = 32 });
	qce_go(&cpu_w, PAIR);
	wr(QCE_CNTR_IV(0), 0);
	play(in, 32, &simple);
	assert_int_equal(trace_close(t, &err), 0);
	fclose(f);
	assert_non_null(strstr(text, "\"name\":\"cbc(aes128) enc\""));
	assert_non_null(strstr(text, "\"pipe_pair\":2"));
	assert_non_null(strstr(text, "\"name\":\"CFG_CHNG_ERR\""));
	assert_non_null(strstr(text, "\"reg\":\"CNTR0_IV\""));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_and_engines_avail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_offset_is_guest_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keys_are_write_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_32bit_accesses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xts_du_size_is_20_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status2_shows_the_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cbc_encrypt_linux_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cbc_decrypt_linux_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aes_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xts_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctr_counter_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctr_next_counter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xts_data_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xts_unit_in_random_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xts_stealing_units_in_random_pieces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_xts_split_unit_zero_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hmac_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha1_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha256_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hmac_sha1_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hmac_sha256_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_vs_openssl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_after_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sw_err_aes192, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sw_err_bad_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sw_err_cbc_partial_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_result_dump_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_in_big_endian_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_dump_without_results_dump, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_din_space_only_on_the_consumer_pipe, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backpressure_on_staged_output, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_zero_copy_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_pipe_pair_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clr_cntxt_abandons_the_operation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cfg_change_corrupts_the_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cfg_change_to_unusable_settings, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_go_while_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_write_while_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_slice_and_instants, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
