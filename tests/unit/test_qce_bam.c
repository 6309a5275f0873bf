/*
 * test_qce_bam.c - the crypto engine model end to end behind the real BAM
 * model (issue #4 acceptance): known answers and randomised comparison with
 * OpenSSL with the data going through RAM buffers and BAM descriptors; the
 * register writes as command elements in the locking series' pipe stream;
 * the external abort on a locked engine; CFG_CHNG_ERR from another EE and
 * how the lock prevents it; SW_ERR and the result dump through the pipes.
 * The bench is in qce_bam_fixture.h.
 */
#include "qce_bam_fixture.h"

static const struct vec_field *need(const struct vec *v, const char *name)
{
	const struct vec_field *f = vec_get(v, name);

	if (!f)
		fail_msg("[%s] %s: no field '%s'", v->alg, v->source, name);
	return f;
}

/* 16 bytes as a 128-bit big-endian number plus @n. */
static void be128_add(u8 *b, u64 n)
{
	for (int i = 15; i >= 0 && n; i--) {
		u64 s = b[i] + (n & 0xff);

		b[i] = (u8)s;
		n = (n >> 8) + (s >> 8);
	}
}

/*
 * What CNTR0..3_IV hold after @r, as the dump's bytes (big-endian words):
 * CBC the last ciphertext block, CTR the next counter, XTS the next data
 * unit's sequence number. ECB has none: returns false.
 */
static bool next_iv(const struct cipher_req *r, const u8 *ct, u8 *out)
{
	switch (r->mode) {
	case QCE_ENCR_MODE_CBC:
		memcpy(out, ct + r->len - 16, 16);
		return true;
	case QCE_ENCR_MODE_CTR:
		memcpy(out, r->iv, 16);
		be128_add(out, (r->len + 15) / 16);
		return true;
	case QCE_ENCR_MODE_XTS:
		for (unsigned int i = 0; i < 16; i++)
			out[i] = r->iv[15 - i];
		be128_add(out, 1);
		return true;
	default:
		return false;
	}
}

/* The dump and output of a finished skcipher request on Linux's pair. */
static void check_skcipher_result(const struct cipher_req *r, const u8 *want, const u8 *ct,
				  const char *what)
{
	const u8 *out = host(OUT_BUF(LINUX_PAIR), OUT_MAX);
	const u8 *dump = host(DUMP_BUF(LINUX_PAIR), DUMP);
	u8 iv[16];

	if (memcmp(out, want, r->len))
		fail_msg("%s: wrong output", what);
	assert_int_equal(out[r->len], UNTOUCHED);	/* nothing written past dst */
	assert_dump_ok(dump);
	if (next_iv(r, ct, iv) && memcmp(dump + DUMP_CNTR_IV, iv, 16))
		fail_msg("%s: wrong encr_cntr_iv in the dump", what);
}

/* ---- 1. known answers through the BAM ---- */

static void kat_cipher(const struct vec *v, bool enc)
{
	const struct vec_field *key = need(v, "key"), *iv = vec_get(v, "iv");
	const struct vec_field *pt = need(v, "pt"), *ct = need(v, "ct");
	struct cipher_req r = { .mode = mode_of(v->alg), .enc = enc, .key = key->data,
				.keylen = key->len, .iv = iv ? iv->data : NULL,
				.len = (u32)pt->len };
	struct split rx, tx;
	char what[128];

	split_random(&rx, r.len, 16, 3);
	split_random(&tx, r.len, 16, 2);
	linux_skcipher(&r, enc ? pt->data : ct->data, &rx, &tx);
	snprintf(what, sizeof(what), "[%s] %s %s", v->alg, v->source, enc ? "enc" : "dec");
	check_skcipher_result(&r, enc ? ct->data : pt->data, ct->data, what);
}

/* Every vector of @file both ways (XTS with Key1 == Key2 only decrypts: OpenSSL refuses). */
static void kat_cipher_file(const char *file)
{
	struct vec_file vf;
	unsigned int ops = 0;

	rng_state = 0x4b4154;
	vec_load(file, &vf);
	assert_true(vf.count > 0);
	for (unsigned int i = 0; i < vf.count; i++) {
		const struct vec *v = &vf.vecs[i];
		const struct vec_field *key = need(v, "key");

		if (!xts_same_halves(mode_of(v->alg), key)) {
			kat_cipher(v, true);
			ops++;
		}
		kat_cipher(v, false);
		ops++;
	}
	assert_int_equal(qce_ops_done(qce), ops);
	assert_int_equal(qce_ops_failed(qce), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	assert_int_equal(linux_aborts.n, 0);
	vec_free(&vf);
}

static void test_kat_aes_through_bam(void **state)
{
	kat_cipher_file("aes.vec");
}

static void test_kat_xts_through_bam(void **state)
{
	kat_cipher_file("xts.vec");
}

/* Every hash vector of @file in one request; long messages in 32 KiB descriptors. */
static void kat_hash_file(const char *file, bool hmac)
{
	struct vec_file vf;

	rng_state = 0x48415348;
	vec_load(file, &vf);
	assert_true(vf.count > 0);
	for (unsigned int i = 0; i < vf.count; i++) {
		const struct vec *v = &vf.vecs[i];
		const struct vec_field *want = need(v, hmac ? "mac" : "md");
		const struct vec_field *key = hmac ? need(v, "key") : NULL;
		const u8 *dump = host(DUMP_BUF(LINUX_PAIR), DUMP);
		struct hash_state h;
		struct split rx;
		size_t len;
		u8 *msg = vec_expand(v, "msg", &len);

		assert_true(len <= IN_MAX);
		if (len > 4096)
			split_fixed(&rx, (u32)len, DESC_BYTES_MAX);
		else
			split_random(&rx, (u32)len, 1, 3);
		hash_init(&h, strstr(v->alg, "sha256") != NULL, key ? key->data : NULL,
			  key ? key->len : 0);
		linux_ahash(&h, msg, (u32)len, true, &rx);
		if (memcmp(h.digest, want->data, want->len))
			fail_msg("%s [%s] %s: wrong digest", file, v->alg, v->source);
		assert_int_equal(be32_at(dump + DUMP_BYTECNT), (u32)len);
		assert_dump_ok(dump);
		free(msg);
	}
	assert_int_equal(qce_ops_done(qce), vf.count);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	vec_free(&vf);
}

static void test_kat_sha_through_bam(void **state)
{
	kat_hash_file("sha.vec", false);
}

static void test_kat_hmac_through_bam(void **state)
{
	kat_hash_file("hmac.vec", true);
}

/* ---- 2. the locking series' stream: register writes as command elements ---- */

/*
 * The command part of the locking series' RX stream on @pair's consumer
 * pipe: [LOCK ce] [one CMD descriptor per register write ... GOPROC].
 */
static void queue_locked_commands(unsigned int pair, const struct cipher_req *r)
{
	const struct qce_writer ce = ce_writer(RX_PIPE(pair));

	queue_lock(RX_PIPE(pair), BAM_DESC_LOCK);
	program_skcipher(&ce, pair, r);
	qce_go(&ce, pair);
}

static bool linux_holds_lock(void)
{
	return bam_lock_owner_ee(fx.bam) == LINUX_EE;
}

static bool lock_free(void)
{
	return bam_lock_owner_ee(fx.bam) == BAM_NO_EE;
}

/*
 * Pipe 0 carries [LOCK ce] [one CMD descriptor per register write ...
 * GOPROC] [data, NWD + EOT] [UNLOCK ce]. The result buffer is posted late,
 * so the engine cannot drain: the NWD descriptor must hold pipe 0 (and the
 * lock) until it does.
 */
static void test_cbc_command_element_stream(void **state)
{
	const struct vec_field *key, *iv, *pt, *ct;
	struct vec_file vf;
	const struct vec *v;
	u32 data_index;

	vec_load("aes.vec", &vf);
	v = find_vec(&vf, "SP800-38A F.2.1");
	key = need(v, "key");
	iv = need(v, "iv");
	pt = need(v, "pt");
	ct = need(v, "ct");
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = key->data,
				.keylen = key->len, .iv = iv->data, .len = (u32)pt->len };
	const u8 *out = host(OUT_BUF(LINUX_PAIR), OUT_MAX);
	const u8 *dump = host(DUMP_BUF(LINUX_PAIR), DUMP);

	memcpy(host(IN_BUF(LINUX_PAIR), r.len), pt->data, r.len);
	clear_outputs(LINUX_PAIR);
	queue(1, OUT_BUF(LINUX_PAIR), (u16)r.len, 0);	/* the series issues TX first */
	kick(1);
	queue_locked_commands(LINUX_PAIR, &r);
	data_index = fx.tail[0] / 8;
	queue(0, IN_BUF(LINUX_PAIR), (u16)r.len, BAM_DESC_INT | BAM_DESC_NWD | BAM_DESC_EOT);
	queue_lock(0, BAM_DESC_UNLOCK);
	kick(0);

	/* LOCK takes effect before its own element runs: nothing reached the engine yet. */
	assert_int_equal(bam_lock_owner_ee(fx.bam), BAM_NO_EE);
	step_until(linux_holds_lock);
	assert_int_equal(bam_lock_owner_pipe(fx.bam), 0);
	assert_int_equal(qce_config_ee(qce), BAM_NO_EE);
	assert_false(qce_busy(qce));
	assert_int_equal(qrd(&linux_cpu, QCE_STATUS2), QCE_STATUS2_LOCKED);

	run();
	assert_bytes(out, ct->data, r.len);
	assert_int_equal(qce_config_ee(qce), LINUX_EE);	/* written by pipe 0's elements */
	/* The dump has nowhere to go: no "done", the data descriptor waits, the lock holds. */
	assert_true(qce_busy(qce));
	assert_int_equal(qce_ops_done(qce), 0);
	assert_int_equal(retired_index(0), data_index);
	assert_int_equal(bam_lock_owner_ee(fx.bam), LINUX_EE);
	assert_int_equal(qrd(&linux_cpu, QCE_STATUS2), QCE_STATUS2_LOCKED);

	/* The result buffer: the engine drains, "done" releases NWD, then UNLOCK retires. */
	queue(1, DUMP_BUF(LINUX_PAIR), DUMP, BAM_DESC_INT | BAM_DESC_EOT);
	kick(1);
	step_until(lock_free);
	assert_int_equal(qce_ops_done(qce), 1);
	assert_int_equal(retired_index(0), data_index + 2);
	run();
	assert_all_retired(0);
	assert_all_retired(1);
	assert_int_equal(qce_ops_done(qce), 1);
	assert_int_equal(bam_lock_owner_ee(fx.bam), BAM_NO_EE);
	assert_int_equal(qrd(&linux_cpu, QCE_STATUS2), 0);
	assert_dump_ok(dump);
	assert_bytes(dump + DUMP_CNTR_IV, ct->data + r.len - 16, 16);
	assert_int_equal(be32_at(dump + DUMP_STATUS2), QCE_STATUS2_LOCKED);	/* ran locked */
	assert_int_equal(linux_aborts.n, 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	vec_free(&vf);
}

/* ---- 3. randomised comparison with one-shot OpenSSL ---- */

#define RANDOM_CIPHER_CASES 24
#define RANDOM_HASH_CASES 8
#define RANDOM_LEN_MAX (64u * 1024)

static u32 random_cipher_len(unsigned int i, u32 mode)
{
	u32 len = i == 0 ? RANDOM_LEN_MAX : i == 2 ? 1 : 1 + rng(RANDOM_LEN_MAX);

	if (mode == QCE_ENCR_MODE_ECB || mode == QCE_ENCR_MODE_CBC)
		len = MAX(16u, len & ~15u);
	if (mode == QCE_ENCR_MODE_XTS)
		len = MAX(16u, len);
	return len;
}

/* Case @i: every mode and both key sizes in turn, random length, data and descriptors. */
static void random_cipher_case(unsigned int i, u8 *in, u8 *want)
{
	u8 key[64], iv[16];
	u32 mode = i % 4, len = random_cipher_len(i, mode);
	size_t aes_key = (i / 4) % 2 ? 32 : 16;
	struct cipher_req r = { .mode = mode, .enc = rng(2), .key = key,
				.keylen = mode == QCE_ENCR_MODE_XTS ? 2 * aes_key : aes_key,
				.iv = iv, .len = len };
	struct split rx, tx;
	char what[96];

	rng_fill(key, sizeof(key));
	rng_fill(iv, sizeof(iv));
	rng_fill(in, len);
	ref_skcipher(&r, in, want);
	split_random(&rx, len, mode == QCE_ENCR_MODE_CTR ? 1 : 16, 1 + rng(48));
	split_random(&tx, len, 1, 1 + rng(24));
	linux_skcipher(&r, in, &rx, &tx);
	snprintf(what, sizeof(what), "case %u: mode %u, AES-%zu %s, %u bytes, %u rx/%u tx descs",
		 i, mode, 8 * aes_key, r.enc ? "enc" : "dec", len, rx.n, tx.n);
	check_skcipher_result(&r, want, r.enc ? want : in, what);
}

static void test_random_ciphers_vs_openssl(void **state)
{
	u8 *in = malloc(RANDOM_LEN_MAX), *want = malloc(RANDOM_LEN_MAX);

	assert_non_null(in);
	assert_non_null(want);
	rng_state = 0x2026;
	for (unsigned int i = 0; i < RANDOM_CIPHER_CASES; i++)
		random_cipher_case(i, in, want);
	assert_int_equal(qce_ops_failed(qce), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	free(in);
	free(want);
}

/* One request of a hash spanning several: its own random descriptors. */
static void hash_request(struct hash_state *h, const u8 *msg, u32 len, bool last)
{
	struct split rx;

	split_random(&rx, len, 1, 1 + rng(32));
	linux_ahash(h, msg, len, last, &rx);
	assert_dump_ok(host(DUMP_BUF(LINUX_PAIR), DUMP));
}

/*
 * Case @i: SHA-256 or HMAC-SHA256 over 2..4 requests, each through the
 * BAM, continued from the previous request's dump as the driver does.
 */
static void random_hash_case(unsigned int i, u8 *msg)
{
	u32 len = i == 0 ? 0 : i == 1 ? RANDOM_LEN_MAX : rng(RANDOM_LEN_MAX + 1);
	u32 off = 0, requests = 2 + rng(3);
	bool hmac = i % 2;
	u8 key[100], want[32];
	size_t keylen = 1 + rng(sizeof(key));
	struct hash_state h;

	rng_fill(msg, len);
	rng_fill(key, sizeof(key));
	hash_init(&h, true, hmac ? key : NULL, keylen);
	for (u32 n = 1; n < requests && len - off > 64; n++) {
		/* whole blocks, leaving the final request at least one byte (as ahash does) */
		u32 part = 64 * (1 + rng((len - off - 1) / 64));

		hash_request(&h, msg + off, part, false);
		off += part;
		assert_int_equal(h.byte_count[0], off);
	}
	hash_request(&h, msg + off, len - off, true);
	ref_digest(true, hmac ? key : NULL, keylen, msg, len, want);
	if (memcmp(h.digest, want, 32))
		fail_msg("case %u: %s over %u bytes: wrong digest", i,
			 hmac ? "hmac(sha256)" : "sha256", len);
}

static void test_random_hash_continuation_vs_openssl(void **state)
{
	u8 *msg = malloc(RANDOM_LEN_MAX);

	assert_non_null(msg);
	rng_state = 0x5eed;
	for (unsigned int i = 0; i < RANDOM_HASH_CASES; i++)
		random_hash_case(i, msg);
	assert_int_equal(qce_ops_failed(qce), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
	free(msg);
}

/* ---- 4. lock-aware register access ---- */

/* The registers of docs/qce.md's map (VERSION .. AUTH_KEY15, instances counted). */
#define QCE_NAMED_REGS 93

static void secure_lock_op(u16 flag)
{
	queue_lock(RX_PIPE(SECURE_PAIR), flag);
	kick(RX_PIPE(SECURE_PAIR));
	run();
}

/* Every Linux access to every register: SLVERR, an abort, ACCESS_VIOL, no effect. */
static unsigned int linux_access_all_refused(void)
{
	unsigned int n = 0;
	char name[32];

	for (u32 off = 0; off < QCE_MMIO_SIZE; off += 4) {
		u32 before = qce_reg_peek(qce, off), val;

		if (!qce_reg_name(off, name, sizeof(name)))
			continue;
		assert_int_equal(qce_read_resp(&linux_cpu, off, &val), BUS_SLVERR);
		assert_int_equal(linux_aborts.n, 2 * n + 1);
		assert_false(linux_aborts.write);
		assert_int_equal(qce_write_resp(&linux_cpu, off, ~before), BUS_SLVERR);
		assert_int_equal(linux_aborts.n, 2 * n + 2);
		assert_true(linux_aborts.write);
		assert_int_equal(linux_aborts.addr, QCE_BASE + off);
		if (off != QCE_STATUS && qce_reg_peek(qce, off) != before)
			fail_msg("refused write changed %s", name);
		n++;
	}
	return n;
}

static void test_locked_engine_aborts_other_ee(void **state)
{
	unsigned int n;

	secure_lock_op(BAM_DESC_LOCK);
	assert_int_equal(bam_lock_owner_ee(fx.bam), SECURE_EE);
	assert_int_equal(bam_lock_owner_pipe(fx.bam), RX_PIPE(SECURE_PAIR));
	assert_int_equal(qrd(&tee_cpu, QCE_STATUS2), QCE_STATUS2_LOCKED);

	n = linux_access_all_refused();
	assert_int_equal(n, QCE_NAMED_REGS);
	assert_int_equal(qce_access_violations(qce), 2 * n);
	assert_false(qce_busy(qce));		/* the refused GO started nothing */
	assert_true(qce_reg_peek(qce, QCE_STATUS) & QCE_STATUS_ACCESS_VIOL);

	/* The lock holder's EE works as usual. */
	assert_int_equal(qrd(&tee_cpu, QCE_VERSION), QCE_VERSION_VALUE);
	assert_true(qrd(&tee_cpu, QCE_STATUS) & QCE_STATUS_ACCESS_VIOL);
	assert_int_equal(qce_write_resp(&tee_cpu, QCE_CONFIG, config_reg(SECURE_PAIR, false)),
			 BUS_OKAY);
	assert_int_equal(qrd(&tee_cpu, QCE_CONFIG), config_reg(SECURE_PAIR, false));
	assert_int_equal(qce_write_resp(&tee_cpu, QCE_ENCR_KEY(0), 0x2b7e1516), BUS_OKAY);
	assert_int_equal(qce_reg_peek(qce, QCE_ENCR_KEY(0)), 0x2b7e1516);
	assert_int_equal(qce_write_resp(&tee_cpu, QCE_STATUS, 0), BUS_OKAY);
	assert_int_equal(qrd(&tee_cpu, QCE_STATUS) & QCE_STATUS_ACCESS_VIOL, 0);
	assert_int_equal(tee_aborts.n, 0);
	assert_int_equal(qce_access_violations(qce), 2 * n);

	/* After UNLOCK Linux's accesses work again. */
	secure_lock_op(BAM_DESC_UNLOCK);
	assert_int_equal(bam_lock_owner_ee(fx.bam), BAM_NO_EE);
	assert_int_equal(qrd(&linux_cpu, QCE_STATUS2), 0);
	assert_int_equal(qrd(&linux_cpu, QCE_VERSION), QCE_VERSION_VALUE);
	assert_int_equal(qce_write_resp(&linux_cpu, QCE_CONFIG, config_reg(LINUX_PAIR, false)),
			 BUS_OKAY);
	assert_int_equal(qrd(&linux_cpu, QCE_CONFIG), config_reg(LINUX_PAIR, false));
	assert_int_equal(linux_aborts.n, 2 * n);
	assert_int_equal(qce_access_violations(qce), 2 * n);
	assert_int_equal(qrd(&linux_cpu, QCE_STATUS) & QCE_STATUS_ACCESS_VIOL, 0);
}

/* ---- 5. CFG_CHNG_ERR across EEs, and the lock that prevents it ---- */

#define SECURE_LEN 256
#define SECURE_HALF (SECURE_LEN / 2)

static const u8 secure_key[16] = { 0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe,
				   0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81 };
static const u8 secure_iv[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
				  0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };

static const struct cipher_req secure_req = {
	.mode = QCE_ENCR_MODE_CBC, .enc = true, .key = secure_key, .keylen = 16,
	.iv = secure_iv, .len = SECURE_LEN,
};

/*
 * EE 1 starts CBC on its pair with command elements on pipe 2 ([LOCK]
 * first if @locked), GO, and only the first half of the data; runs until
 * the engine waits for the rest. @want: the OpenSSL reference.
 */
static void secure_cbc_start(bool locked, u8 *in, u8 *want)
{
	const struct qce_writer ce = ce_writer(RX_PIPE(SECURE_PAIR));

	rng_state = 0x7ee;
	rng_fill(in, SECURE_LEN);
	ref_skcipher(&secure_req, in, want);
	memcpy(host(IN_BUF(SECURE_PAIR), SECURE_LEN), in, SECURE_LEN);
	clear_outputs(SECURE_PAIR);
	queue(3, OUT_BUF(SECURE_PAIR), SECURE_LEN, 0);
	queue(3, DUMP_BUF(SECURE_PAIR), DUMP, BAM_DESC_INT | BAM_DESC_EOT);
	kick(3);
	if (locked)
		queue_lock(2, BAM_DESC_LOCK);
	program_skcipher(&ce, SECURE_PAIR, &secure_req);
	qce_go(&ce, SECURE_PAIR);
	queue(2, IN_BUF(SECURE_PAIR), SECURE_HALF, 0);
	kick(2);
	run();
	assert_true(qce_busy(qce));
	assert_int_equal(qce_op_ee(qce), SECURE_EE);
	assert_int_equal(qce_op_pair(qce), SECURE_PAIR);
	assert_bytes(host(OUT_BUF(SECURE_PAIR), SECURE_HALF), want, SECURE_HALF);
	assert_int_equal(bam_lock_owner_ee(fx.bam), locked ? SECURE_EE : BAM_NO_EE);
}

/* The rest of EE 1's data (NWD + EOT), [UNLOCK] if @locked; runs to the end. */
static void secure_cbc_finish(bool locked)
{
	queue(2, IN_BUF(SECURE_PAIR) + SECURE_HALF, SECURE_HALF,
	      BAM_DESC_INT | BAM_DESC_NWD | BAM_DESC_EOT);
	if (locked)
		queue_lock(2, BAM_DESC_UNLOCK);
	kick(2);
	run();
	assert_false(qce_busy(qce));
	assert_all_retired(2);
	assert_all_retired(3);
	assert_int_equal(bam_lock_owner_ee(fx.bam), BAM_NO_EE);
}

/* Without the lock, Linux's key write lands in EE 1's operation and corrupts the rest. */
static void test_cfg_change_from_other_ee_corrupts(void **state)
{
	u8 in[SECURE_LEN], want[SECURE_LEN];
	const u8 *out = host(OUT_BUF(SECURE_PAIR), OUT_MAX);
	const u8 *dump = host(DUMP_BUF(SECURE_PAIR), DUMP);

	secure_cbc_start(false, in, want);
	assert_int_equal(qce_write_resp(&linux_cpu, QCE_ENCR_KEY(0), 0x01234567), BUS_OKAY);
	assert_int_equal(linux_aborts.n, 0);
	assert_int_equal(qce_cfg_change_errors(qce), 1);
	assert_true(qrd(&linux_cpu, QCE_STATUS) & QCE_STATUS_CFG_CHNG_ERR);
	secure_cbc_finish(false);

	assert_bytes(out, want, SECURE_HALF);
	for (u32 b = SECURE_HALF; b < SECURE_LEN; b += 16)
		if (!memcmp(out + b, want + b, 16))
			fail_msg("block at %u came out right after the key changed", b);
	assert_true(be32_at(dump + DUMP_STATUS) & QCE_STATUS_CFG_CHNG_ERR);
	assert_int_equal(be32_at(dump + DUMP_STATUS2), 0);
	assert_int_equal(qce_ops_done(qce), 1);
}

/* With EE 1 holding the lock the same write aborts, and EE 1's output is right. */
static void test_lock_protects_operation(void **state)
{
	u8 in[SECURE_LEN], want[SECURE_LEN];
	const u8 *dump = host(DUMP_BUF(SECURE_PAIR), DUMP);
	u32 st;

	secure_cbc_start(true, in, want);
	assert_int_equal(qce_write_resp(&linux_cpu, QCE_ENCR_KEY(0), 0x01234567), BUS_SLVERR);
	assert_int_equal(linux_aborts.n, 1);
	assert_int_equal(qce_access_violations(qce), 1);
	assert_int_equal(qce_cfg_change_errors(qce), 0);
	assert_int_equal(qce_reg_peek(qce, QCE_ENCR_KEY(0)), be32_at(secure_key));
	secure_cbc_finish(true);

	assert_bytes(host(OUT_BUF(SECURE_PAIR), SECURE_LEN), want, SECURE_LEN);
	st = be32_at(dump + DUMP_STATUS);
	assert_int_equal(st & (QCE_STATUS_OPERATION_DONE | QCE_STATUS_SW_ERR |
			       QCE_STATUS_CFG_CHNG_ERR | QCE_STATUS_ACCESS_VIOL),
			 QCE_STATUS_OPERATION_DONE | QCE_STATUS_ACCESS_VIOL);
	assert_int_equal(be32_at(dump + DUMP_STATUS2), QCE_STATUS2_LOCKED);
	assert_int_equal(qce_cfg_change_errors(qce), 0);
	assert_int_equal(qce_ops_done(qce), 1);
}

/* What the monitor saw (qce_set_monitor). */
static struct {
	unsigned int busy_writes, unlocks;
	int ee, op_ee, unlock_ee;
	u32 off;
} seen;

static void saw_busy_write(void *ctx, int ee, int op_ee, u32 off)
{
	seen.busy_writes++;
	seen.ee = ee;
	seen.op_ee = op_ee;
	seen.off = off;
}

static void saw_unlock(void *ctx, int ee)
{
	seen.unlocks++;
	seen.unlock_ee = ee;
}

static const struct qce_monitor_ops monitor = {
	.cfg_write_busy = saw_busy_write,
	.unlock_in_flight = saw_unlock,
};

static void watch(void)
{
	memset(&seen, 0, sizeof(seen));
	qce_set_monitor(qce, &monitor, NULL);
}

/* Invariant 2's event: Linux writes a key into EE 1's operation. */
static void test_monitor_reports_write_into_other_ee_op(void **state)
{
	u8 in[SECURE_LEN], want[SECURE_LEN];

	watch();
	secure_cbc_start(false, in, want);
	assert_int_equal(seen.busy_writes, 0);
	qce_write_resp(&linux_cpu, QCE_ENCR_KEY(0), 0x01234567);
	assert_int_equal(seen.busy_writes, 1);
	assert_int_equal(seen.ee, LINUX_EE);
	assert_int_equal(seen.op_ee, SECURE_EE);
	assert_int_equal(seen.off, QCE_ENCR_KEY(0));
	secure_cbc_finish(false);
	assert_int_equal(seen.unlocks, 0);
}

/* CLR_CNTXT from another EE destroys the operation: reported too. */
static void test_monitor_reports_clear_context_of_other_ee(void **state)
{
	u8 in[SECURE_LEN], want[SECURE_LEN];

	watch();
	secure_cbc_start(false, in, want);
	qce_write_resp(&linux_cpu, QCE_GOPROC, QCE_GOPROC_CLR_CNTXT);
	assert_int_equal(seen.busy_writes, 1);
	assert_int_equal(seen.off, QCE_GOPROC);
	assert_false(qce_busy(qce));
	/* On an idle engine it is harmless and not reported. */
	qce_write_resp(&linux_cpu, QCE_GOPROC, QCE_GOPROC_CLR_CNTXT);
	assert_int_equal(seen.busy_writes, 1);
}

/* Invariant 3's event: the holder's pipe is reset while its operation runs. */
static void test_monitor_reports_unlock_in_flight(void **state)
{
	u8 in[SECURE_LEN], want[SECURE_LEN];

	watch();
	secure_cbc_start(true, in, want);
	wr_as(&cpu_s, BAM_P_RST, 2, 1);
	wr_as(&cpu_s, BAM_P_RST, 2, 0);
	assert_int_equal(bam_lock_owner_ee(fx.bam), BAM_NO_EE);
	assert_int_equal(seen.unlocks, 1);
	assert_int_equal(seen.unlock_ee, SECURE_EE);
	assert_int_equal(seen.busy_writes, 0);
}

/* A whole locked request with NWD before UNLOCK: nothing to report. */
static void test_monitor_quiet_for_locked_request(void **state)
{
	u8 in[SECURE_LEN], want[SECURE_LEN];

	watch();
	secure_cbc_start(true, in, want);
	secure_cbc_finish(true);
	assert_int_equal(seen.busy_writes, 0);
	assert_int_equal(seen.unlocks, 0);
}

#define CONTEND_LEN 4096

/* A whole locked CBC request of @pair: commands, data (NWD + EOT), UNLOCK; dst and dump. */
static void queue_locked_request(unsigned int pair, const struct cipher_req *r, const u8 *in)
{
	memcpy(host(IN_BUF(pair), r->len), in, r->len);
	clear_outputs(pair);
	queue(TX_PIPE(pair), OUT_BUF(pair), (u16)r->len, 0);
	queue(TX_PIPE(pair), DUMP_BUF(pair), DUMP, BAM_DESC_INT | BAM_DESC_EOT);
	queue_locked_commands(pair, r);
	queue(RX_PIPE(pair), IN_BUF(pair), (u16)r->len, BAM_DESC_INT | BAM_DESC_NWD | BAM_DESC_EOT);
	queue_lock(RX_PIPE(pair), BAM_DESC_UNLOCK);
}

static void check_locked_request(unsigned int pair, const u8 *want)
{
	const u8 *dump = host(DUMP_BUF(pair), DUMP);

	assert_bytes(host(OUT_BUF(pair), CONTEND_LEN), want, CONTEND_LEN);
	assert_status_ok(be32_at(dump + DUMP_STATUS));
	assert_int_equal(be32_at(dump + DUMP_STATUS2), QCE_STATUS2_LOCKED);
	assert_all_retired(RX_PIPE(pair));
	assert_all_retired(TX_PIPE(pair));
}

/*
 * Linux and EE 1 post whole locked streams at once: the lock serialises
 * them. At every step an operation in flight belongs to the lock holder's
 * EE, the lock changes hands only through "free", and both outputs are right.
 */
static void test_locked_streams_of_two_ees_serialise(void **state)
{
	static u8 in[2][CONTEND_LEN], want[2][CONTEND_LEN];
	u8 keys[2][16];
	struct cipher_req r[2];
	unsigned int handovers = 0;
	int owner = BAM_NO_EE;

	rng_state = 0xc0de;
	for (unsigned int p = 0; p < 2; p++) {
		rng_fill(keys[p], 16);
		rng_fill(in[p], CONTEND_LEN);
		r[p] = (struct cipher_req){ .mode = QCE_ENCR_MODE_CBC, .enc = true,
					    .key = keys[p], .keylen = 16, .iv = secure_iv,
					    .len = CONTEND_LEN };
		ref_skcipher(&r[p], in[p], want[p]);
		queue_locked_request(p, &r[p], in[p]);
	}
	for (unsigned int p = 0; p < 2; p++) {
		kick(TX_PIPE(p));
		kick(RX_PIPE(p));
	}
	for (unsigned int i = 0; sim_step_once(fx.sim); i++) {
		int now = bam_lock_owner_ee(fx.bam);

		assert_true(i < 100000);
		if (qce_busy(qce))
			assert_int_equal(qce_op_ee(qce), now);
		if (now != owner) {
			assert_true(now == BAM_NO_EE || owner == BAM_NO_EE);
			handovers += now != BAM_NO_EE;
			owner = now;
		}
	}
	run();
	assert_int_equal(handovers, 2);
	assert_int_equal(owner, BAM_NO_EE);
	check_locked_request(LINUX_PAIR, want[LINUX_PAIR]);
	check_locked_request(SECURE_PAIR, want[SECURE_PAIR]);
	assert_int_equal(qce_ops_done(qce), 2);
	assert_int_equal(qce_cfg_change_errors(qce), 0);
	assert_int_equal(qce_access_violations(qce), 0);
	assert_int_equal(sim_guest_error_count(fx.sim), 0);
}

/* ---- 6. SW_ERR through the BAM ---- */

#define SW_ERR_LEN 256

/*
 * AES-192 (KEY_SZ 1) is not in the engine: SW_ERR, no data out, the dump
 * goes to the first TX descriptor (the dst buffer), "done" still releases
 * the NWD data descriptor, and nothing hangs; after the driver resets its
 * TX pipe (terminate_all) the next request works.
 */
static void test_sw_err_aes192_through_bam(void **state)
{
	static const u8 key[24] = { 0x8e, 0x73, 0xb0, 0xf7, 0xda, 0x0e, 0x64, 0x52 };
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = key,
				.keylen = sizeof(key), .iv = secure_iv, .len = SW_ERR_LEN };
	const u8 *out = host(OUT_BUF(LINUX_PAIR), OUT_MAX);
	u8 in[SW_ERR_LEN] = { 0 }, want[SW_ERR_LEN];
	struct split one;

	assert_int_equal(FIELD_GET(QCE_ENCR_KEY_SZ, encr_seg_cfg(&r)), 1);
	clear_outputs(LINUX_PAIR);
	queue(0, IN_BUF(LINUX_PAIR), SW_ERR_LEN, BAM_DESC_INT | BAM_DESC_NWD | BAM_DESC_EOT);
	queue(1, OUT_BUF(LINUX_PAIR), SW_ERR_LEN, 0);
	queue(1, DUMP_BUF(LINUX_PAIR), DUMP, BAM_DESC_INT | BAM_DESC_EOT);
	kick(0);
	kick(1);
	program_skcipher(&linux_writer, LINUX_PAIR, &r);
	qce_go(&linux_writer, LINUX_PAIR);
	run();

	assert_false(qce_busy(qce));
	assert_int_equal(qce_ops_done(qce), 1);
	assert_int_equal(qce_ops_failed(qce), 1);
	assert_int_equal(retired_index(0), 1);		/* the NWD descriptor retired */
	assert_int_equal(retired_index(1), 0);		/* dst holds only the dump */
	assert_int_equal(qrd(&linux_cpu, QCE_STATUS) &
			 (QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE),
			 QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE);
	assert_int_equal(be32_at(out + DUMP_STATUS) &
			 (QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE),
			 QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE);
	for (u32 i = DUMP; i < OUT_MAX; i++)
		if (out[i] != UNTOUCHED)
			fail_msg("byte %u of dst written: no data may come out", i);
	for (u32 i = 0; i < DUMP; i++)
		assert_int_equal(host(DUMP_BUF(LINUX_PAIR), DUMP)[i], UNTOUCHED);

	pipe_init(1, true);
	r.key = secure_key;
	r.keylen = sizeof(secure_key);
	split_fixed(&one, SW_ERR_LEN, SW_ERR_LEN);
	linux_skcipher(&r, in, &one, &one);
	ref_skcipher(&r, in, want);
	check_skcipher_result(&r, want, want, "CBC after the refused request");
}

/* ---- 7. the result dump's layout through the BAM ---- */

/* A SHA-256 of "abc", then CBC: each field at its documented offset, zeros after. */
static void test_result_dump_layout_through_bam(void **state)
{
	static const u8 abc[] = "abc";
	const u8 *d = host(DUMP_BUF(LINUX_PAIR), DUMP);
	struct hash_state h;
	struct split rx;
	u8 md[32], in[64] = { 0 }, ct[64];
	struct cipher_req r = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = secure_key,
				.keylen = 16, .iv = secure_iv, .len = sizeof(in) };

	hash_init(&h, true, NULL, 0);
	split_fixed(&rx, 3, 3);
	linux_ahash(&h, abc, 3, true, &rx);
	ref_digest(true, NULL, 0, abc, 3, md);
	for (unsigned int i = 0; i < 8; i++)		/* auth_iv[16]: the digest words */
		assert_int_equal(be32_at(d + DUMP_AUTH_IV + 4 * i), be32_at(md + 4 * i));
	for (unsigned int i = 8; i < 16; i++)
		assert_int_equal(be32_at(d + DUMP_AUTH_IV + 4 * i), 0);
	assert_int_equal(be32_at(d + DUMP_BYTECNT), 3);	/* auth_byte_count[4] */
	for (unsigned int i = 1; i < 4; i++)
		assert_int_equal(be32_at(d + DUMP_BYTECNT + 4 * i), 0);
	for (unsigned int i = 0; i < 4; i++)		/* encr_cntr_iv[4]: never programmed */
		assert_int_equal(be32_at(d + DUMP_CNTR_IV + 4 * i), 0);
	assert_int_equal(be32_at(d + DUMP_STATUS), qrd(&linux_cpu, QCE_STATUS));
	assert_status_ok(be32_at(d + DUMP_STATUS));
	assert_int_equal(be32_at(d + DUMP_STATUS2), 0);
	for (unsigned int i = DUMP_STATUS2 + 4; i < DUMP; i++)
		assert_int_equal(d[i], 0);

	split_fixed(&rx, sizeof(in), sizeof(in));
	linux_skcipher(&r, in, &rx, &rx);
	ref_skcipher(&r, in, ct);
	for (unsigned int i = 0; i < 4; i++)		/* the last ciphertext block */
		assert_int_equal(be32_at(d + DUMP_CNTR_IV + 4 * i), be32_at(ct + 48 + 4 * i));
	for (unsigned int i = 0; i < 8; i++)		/* AUTH_IV as the hash left it */
		assert_int_equal(be32_at(d + DUMP_AUTH_IV + 4 * i), be32_at(md + 4 * i));
	assert_int_equal(be32_at(d + DUMP_STATUS), qrd(&linux_cpu, QCE_STATUS));
	for (unsigned int i = DUMP_STATUS2 + 4; i < DUMP; i++)
		assert_int_equal(d[i], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		QCE_BAM_TEST(test_kat_aes_through_bam),
		QCE_BAM_TEST(test_kat_xts_through_bam),
		QCE_BAM_TEST(test_kat_sha_through_bam),
		QCE_BAM_TEST(test_kat_hmac_through_bam),
		QCE_BAM_TEST(test_cbc_command_element_stream),
		QCE_BAM_TEST(test_random_ciphers_vs_openssl),
		QCE_BAM_TEST(test_random_hash_continuation_vs_openssl),
		QCE_BAM_TEST(test_locked_engine_aborts_other_ee),
		QCE_BAM_TEST(test_cfg_change_from_other_ee_corrupts),
		QCE_BAM_TEST(test_lock_protects_operation),
		QCE_BAM_TEST(test_monitor_reports_write_into_other_ee_op),
		QCE_BAM_TEST(test_monitor_reports_clear_context_of_other_ee),
		QCE_BAM_TEST(test_monitor_reports_unlock_in_flight),
		QCE_BAM_TEST(test_monitor_quiet_for_locked_request),
		QCE_BAM_TEST(test_locked_streams_of_two_ees_serialise),
		QCE_BAM_TEST(test_sw_err_aes192_through_bam),
		QCE_BAM_TEST(test_result_dump_layout_through_bam),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
