/*
 * test_qce_driver_io.c - how the crypto engine driver reaches the engine
 * and what it does when things go wrong: the exact RX descriptor stream of
 * each lock policy (read back from the BAM's FIFO in modelled RAM, each
 * command element compared with the Linux register sequence of
 * qce_driver_flow.h), CPU register accesses (none at all under v12/nwd),
 * the request queue and its backlog, the watchdog and the recovery after a
 * lost interrupt, a terminated channel or a descriptor error, and runs
 * under the random strategy, where the watchdog may fire at any time.
 */
#include "qce_driver_fixture.h"

#define QD_CE(off) ((u32)((QD_BASE + (off)) & 0xffffff))

static u8 qd_key[32] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe };

/* ---- one request, asynchronously ---- */

struct qd_req {
	struct skcipher_request *req;
	struct scatterlist src, dst;
	u8 *in, *out;
	u8 iv[16], iv_in[16];
	unsigned int len;
	struct qd_done done;
};

static int qd_submit(struct crypto_skcipher *tfm, struct qd_req *r, unsigned int len, u32 flags)
{
	memset(r, 0, sizeof(*r));
	r->len = len;
	r->in = qd_kbuf(len);
	r->out = qd_kbuf(len);
	rng_fill(r->iv, sizeof(r->iv));
	memcpy(r->iv_in, r->iv, sizeof(r->iv));
	r->req = skcipher_request_alloc(tfm, GFP_KERNEL);
	assert_non_null(r->req);
	sg_init_one(&r->src, r->in, len);
	sg_init_one(&r->dst, r->out, len);
	skcipher_request_set_callback(r->req, flags, qd_done_cb, &r->done);
	skcipher_request_set_crypt(r->req, &r->src, &r->dst, len, r->iv);
	return crypto_skcipher_encrypt(r->req);
}

/* A finished cbc(aes) encryption with qd_key: its output must be OpenSSL's. */
static void qd_check_output(const struct qd_req *r)
{
	struct cipher_req c = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = qd_key,
				.keylen = sizeof(qd_key), .iv = r->iv_in, .len = r->len };
	u8 *want = malloc(r->len);

	assert_non_null(want);
	ref_skcipher(&c, r->in, want);
	assert_bytes(r->out, want, r->len);
	free(want);
}

static void qd_release(struct qd_req *r)
{
	skcipher_request_free(r->req);
	kfree(r->in);
	kfree(r->out);
}

/* One cbc(aes) request of @len bytes, run to the end; returns its result. */
static int qd_run_one(unsigned int len)
{
	struct crypto_skcipher *tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
	struct qd_req r;
	int err;

	assert_int_equal(qd_submit(tfm, &r, len, 0), -EINPROGRESS);
	dma_fx_run();
	assert_true(r.done.done);
	if (!r.done.err)
		qd_check_output(&r);
	err = r.done.err;
	qd_release(&r);
	crypto_free_skcipher(tfm);
	return err;
}

/* ---- the RX stream ---- */

/*
 * The stream is read back right after the request was issued: the BAM
 * driver frees its LOCK/UNLOCK elements once they retired, and the next
 * transaction reuses the driver's own.
 */

static void qd_expect_cipher(unsigned int len, const u8 *iv)
{
	struct cipher_req c = { .mode = QCE_ENCR_MODE_CBC, .enc = true, .key = qd_key,
				.keylen = sizeof(qd_key), .iv = iv, .len = len };

	qd_expect.n = 0;
	program_skcipher(&qd_recorder, QD_PAIR, &c);
	qce_go(&qd_recorder, QD_PAIR);
}

static void qd_expect_hash(bool sha256, const u8 *key, unsigned int keylen, unsigned int len)
{
	struct hash_state h;

	hash_init(&h, sha256, key, keylen);
	qd_expect.n = 0;
	program_ahash(&qd_recorder, QD_PAIR, &h, len, true);
	qce_go(&qd_recorder, QD_PAIR);
}

/* Descriptor @i of the RX FIFO is a lock descriptor (@flag); INT is the BAM driver's choice. */
static void qd_assert_lock_flags(unsigned int i, u16 flag)
{
	struct bam_desc d = dma_fx_fifo(QD_RX_PIPE, i);

	assert_int_equal(d.flags & ~BAM_DESC_INT, BAM_DESC_CMD | flag);
	assert_int_equal(d.size, sizeof(struct bam_ce_hw));
}

/* ... and, not retired yet, it writes 0 to VERSION (the series' scratchpad). */
static void qd_assert_lock_desc(unsigned int i, u16 flag)
{
	struct bam_desc d = dma_fx_fifo(QD_RX_PIPE, i);
	struct bam_ce_hw ce = dma_fx_ce(&d, 0);

	qd_assert_lock_flags(i, flag);
	assert_int_equal(ce.cmd_and_addr, QD_CE(QCE_VERSION));
	assert_int_equal(ce.data, 0);
	assert_int_equal(ce.mask, 0xffffffff);
}

/*
 * Descriptors @first.. of the RX FIFO: one command descriptor per expected
 * register write, in order, the last (GOPROC) with @last_extra. Returns the
 * index after it.
 */
static unsigned int qd_assert_commands(unsigned int first, u16 last_extra)
{
	for (unsigned int i = 0; i < qd_expect.n; i++) {
		struct bam_desc d = dma_fx_fifo(QD_RX_PIPE, first + i);
		struct bam_ce_hw ce = dma_fx_ce(&d, 0);
		const struct qd_write *w = &qd_expect.w[i];
		bool last = i == qd_expect.n - 1;

		assert_int_equal(d.flags, BAM_DESC_CMD | (last ? last_extra : 0));
		assert_int_equal(d.size, sizeof(struct bam_ce_hw));
		assert_int_equal(ce.cmd_and_addr, QD_CE(w->off));	/* WRITE is 0 */
		assert_int_equal(ce.data, w->val);
		assert_int_equal(ce.mask, 0xffffffff);
	}
	return first + qd_expect.n;
}

/* Data descriptors from @first covering @len bytes; @last_flags on the last only. */
static unsigned int qd_assert_data(unsigned int first, unsigned int len, u16 last_flags)
{
	unsigned int i = first, bytes = 0;

	while (bytes < len) {
		struct bam_desc d = dma_fx_fifo(QD_RX_PIPE, i++);

		bytes += d.size;
		assert_int_equal(d.flags, bytes == len ? last_flags : 0);
	}
	assert_int_equal(bytes, len);
	return i;
}

/* A cbc(aes) request issued (not run): the caller checks the stream, then qd_end_one(). */
static void qd_start_one(struct crypto_skcipher **tfm, struct qd_req *r, unsigned int len)
{
	*tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
	assert_int_equal(qd_submit(*tfm, r, len, 0), -EINPROGRESS);
}

static void qd_end_one(struct crypto_skcipher *tfm, struct qd_req *r)
{
	dma_fx_run();
	assert_true(r->done.done);
	assert_int_equal(r->done.err, 0);
	qd_check_output(r);
	qd_release(r);
	crypto_free_skcipher(tfm);
}

static void test_nwd_stream_is_lock_commands_data_nwd_unlock(void **state)
{
	struct crypto_skcipher *tfm;
	struct qd_req r;
	unsigned int i;

	qd_start_one(&tfm, &r, 4096);
	qd_expect_cipher(4096, r.iv_in);
	qd_assert_lock_desc(0, BAM_DESC_LOCK);
	i = qd_assert_commands(1, 0);
	i = qd_assert_data(i, 4096, BAM_DESC_NWD | BAM_DESC_EOT);
	qd_assert_lock_desc(i, BAM_DESC_UNLOCK);
	assert_int_equal(qd_fifo_count(QD_RX_PIPE), i + 1);
	qd_end_one(tfm, &r);
	assert_int_equal(qd_fifo_count(QD_RX_PIPE), i + 1);
	assert_int_equal(qd.nr_log, 0);		/* no CPU access to the engine at all */
	assert_int_equal(bam_lock_owner_ee(dfx.bam), BAM_NO_EE);
}

/* An hmac(sha256) or sha1 digest of @len bytes, issued and then run. */
struct qd_hreq {
	struct crypto_ahash *tfm;
	struct ahash_request *req;
	struct scatterlist sg;
	u8 *msg;
	u8 md[32];
	struct qd_done done;
};

static void qd_hash_start(struct qd_hreq *h, bool hmac, unsigned int len)
{
	memset(h, 0, sizeof(*h));
	h->tfm = qd_hash_tfm(hmac ? "hmac(sha256)" : "sha1", hmac ? qd_key : NULL,
			     sizeof(qd_key));
	h->req = ahash_request_alloc(h->tfm, GFP_KERNEL);
	h->msg = qd_kbuf(len);
	sg_init_one(&h->sg, h->msg, len ? len : 1);
	ahash_request_set_callback(h->req, 0, qd_done_cb, &h->done);
	ahash_request_set_crypt(h->req, &h->sg, h->md, len);
	assert_int_equal(crypto_ahash_digest(h->req), -EINPROGRESS);
}

static void qd_hash_end(struct qd_hreq *h, bool hmac, unsigned int len)
{
	u8 want[32];

	dma_fx_run();
	assert_true(h->done.done);
	assert_int_equal(h->done.err, 0);
	ref_digest(hmac, hmac ? qd_key : NULL, sizeof(qd_key), h->msg, len, want);
	assert_bytes(h->md, want, hmac ? 32 : 20);
	ahash_request_free(h->req);
	crypto_free_ahash(h->tfm);
	kfree(h->msg);
}

static void test_nwd_hmac_stream_matches_the_linux_sequence(void **state)
{
	struct qd_hreq h;
	unsigned int i;

	qd_hash_start(&h, true, 100);
	qd_expect_hash(true, qd_key, sizeof(qd_key), 100);
	qd_assert_lock_desc(0, BAM_DESC_LOCK);
	i = qd_assert_commands(1, 0);
	i = qd_assert_data(i, 100, BAM_DESC_NWD | BAM_DESC_EOT);
	qd_assert_lock_desc(i, BAM_DESC_UNLOCK);
	qd_hash_end(&h, true, 100);
	assert_int_equal(qd.nr_log, 0);
}

/* No input: the GOPROC descriptor ends the stream and carries the NWD. */
static void test_nwd_empty_hash_puts_nwd_on_goproc(void **state)
{
	struct qd_hreq h;
	unsigned int i;

	qd_hash_start(&h, false, 0);
	qd_expect_hash(false, NULL, 0, 0);
	qd_assert_lock_desc(0, BAM_DESC_LOCK);
	i = qd_assert_commands(1, BAM_DESC_NWD | BAM_DESC_EOT);
	qd_assert_lock_desc(i, BAM_DESC_UNLOCK);
	qd_hash_end(&h, false, 0);
}

/* v12: the LOCK at issue, no NWD, the UNLOCK appended by the BAM driver's bottom half. */
static void test_stream_has_no_nwd(void **state)
{
	struct crypto_skcipher *tfm;
	struct qd_req r;
	unsigned int i;

	qd_start_one(&tfm, &r, 4096);
	qd_expect_cipher(4096, r.iv_in);
	qd_assert_lock_desc(0, BAM_DESC_LOCK);
	i = qd_assert_commands(1, 0);
	i = qd_assert_data(i, 4096, BAM_DESC_EOT);
	assert_int_equal(qd_fifo_count(QD_RX_PIPE), i);
	qd_end_one(tfm, &r);
	qd_assert_lock_flags(i, BAM_DESC_UNLOCK);
	assert_int_equal(qd.nr_log, 0);
}

static void test_cpu_writes_program_the_engine(void **state)
{
	struct crypto_skcipher *tfm;
	struct qd_req r;

	qd_start_one(&tfm, &r, 4096);
	qd_expect_cipher(4096, r.iv_in);
	qd_end_one(tfm, &r);
	/* The Linux sequence, then one STATUS read at completion. */
	assert_int_equal(qd.nr_log, qd_expect.n + 1);
	for (unsigned int i = 0; i < qd_expect.n; i++) {
		assert_true(qd.log[i].write);
		assert_int_equal(qd.log[i].off, qd_expect.w[i].off);
	}
	assert_false(qd.log[qd_expect.n].write);
	assert_int_equal(qd.log[qd_expect.n].off, QCE_STATUS);
	/* RX carries the data only: no command, no lock. */
	qd_assert_data(0, 4096, BAM_DESC_EOT);
	assert_int_equal(qd_fifo_count(QD_RX_PIPE), DIV_ROUND_UP(4096, 0x7ff8));
}

/* ---- the queue ---- */

#define QD_BURST 20

static void test_twenty_requests_at_once_complete_in_order(void **state)
{
	struct crypto_skcipher *tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
	static struct qd_req r[QD_BURST];

	qd_done_seq = 0;
	for (unsigned int i = 0; i < QD_BURST; i++)
		assert_int_equal(qd_submit(tfm, &r[i], 16 * (1 + i * 37), 0), -EINPROGRESS);
	dma_fx_run();
	for (unsigned int i = 0; i < QD_BURST; i++) {
		assert_true(r[i].done.done);
		assert_int_equal(r[i].done.err, 0);
		assert_int_equal(r[i].done.order, i);
		qd_check_output(&r[i]);
		qd_release(&r[i]);
	}
	assert_int_equal(qd.qce->stats.requests, QD_BURST);
	crypto_free_skcipher(tfm);
}

#define QD_OVER 5	/* requests beyond the queue */

static void qd_check_backlog(u32 flags, int over_ret)
{
	enum { N = QCE_QUEUE_LENGTH + 1 + QD_OVER };
	struct crypto_skcipher *tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
	static struct qd_req r[N];

	qd_done_seq = 0;
	for (unsigned int i = 0; i < N; i++)
		assert_int_equal(qd_submit(tfm, &r[i], 64, flags),
				 i < N - QD_OVER ? -EINPROGRESS : over_ret);
	dma_fx_run();
	for (unsigned int i = 0; i < N; i++) {
		bool taken = i < N - QD_OVER || over_ret == -EBUSY;

		assert_int_equal(r[i].done.done, taken);
		assert_int_equal(r[i].done.backlog, i >= N - QD_OVER && taken);
		if (taken) {
			assert_int_equal(r[i].done.err, 0);
			assert_int_equal(r[i].done.order, i);
			qd_check_output(&r[i]);
		}
		qd_release(&r[i]);
	}
	crypto_free_skcipher(tfm);
}

static void test_a_full_queue_backlogs_with_may_backlog(void **state)
{
	qd_check_backlog(CRYPTO_TFM_REQ_MAY_BACKLOG, -EBUSY);
}

static void test_a_full_queue_refuses_without_may_backlog(void **state)
{
	qd_check_backlog(0, -ENOSPC);
}

/* ---- the watchdog and recovery ---- */

/*
 * The output channel is gone, so the engine keeps the output and the NWD
 * holds the input pipe, with the lock, over the operation: the watchdog
 * sees no progress, and the CPU clears the engine while the lock is still
 * ours, before the pipe reset releases it.
 */
static void test_a_stalled_request_is_cleared_under_our_lock(void **state)
{
	struct crypto_skcipher *tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
	struct qd_req r;

	assert_int_equal(qd_submit(tfm, &r, 8192, 0), -EINPROGRESS);
	dmaengine_terminate_sync(qd.qce->dma.txchan);
	dma_fx_run();
	assert_true(r.done.done);
	assert_int_equal(r.done.err, -ETIMEDOUT);
	assert_true(sim_now_ns(dfx.sim) >= QCE_REQ_TIMEOUT_MS * 1000000ULL);
	assert_int_equal(qd.qce->stats.timeouts, 1);
	assert_int_equal(qd.qce->stats.cleared_under_lock, 1);
	assert_int_equal(qd.qce->stats.recoveries, 0);
	assert_non_null(strstr(qd.dev->err, "made no progress for 50 ms"));
	/* One CPU access to the engine: GOPROC, while our pipe held the lock. */
	assert_int_equal(qd.nr_log, 1);
	assert_true(qd.log[0].write);
	assert_int_equal(qd.log[0].off, QCE_GOPROC);
	assert_int_equal(qd.unlock_in_flight, 0);
	assert_false(qce_busy(dfx.soc->qce));
	assert_int_equal(bam_lock_owner_ee(dfx.bam), BAM_NO_EE);
	qd_release(&r);
	crypto_free_skcipher(tfm);
	assert_int_equal(qd_run_one(4096), 0);
}

/*
 * The input channel is gone before anything ran, so the engine holds
 * nothing of ours and the recovery is a transaction of its own; that one
 * never runs either (terminated by hand): after its watchdog it is sent
 * again, on its own, before the next request, so that nothing the engine
 * may still hold can reach that request's output.
 */
static void test_an_unfinished_recovery_is_sent_again_first(void **state)
{
	struct crypto_skcipher *tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
	struct bam_desc d;
	struct bam_ce_hw ce;
	struct qd_req r;

	assert_int_equal(qd_submit(tfm, &r, 4096, 0), -EINPROGRESS);
	dmaengine_terminate_sync(qd.qce->dma.rxchan);
	while (!r.done.done)
		assert_true(sim_step_once(dfx.sim));
	assert_int_equal(r.done.err, -ETIMEDOUT);
	assert_int_equal(qd.qce->stats.cleared_under_lock, 0);
	assert_int_equal(qd.qce->state, QCE_DRV_RECOVERING);
	dmaengine_terminate_sync(qd.qce->dma.rxchan);
	dma_fx_run();
	assert_int_equal(qd.qce->stats.recovery_timeouts, 1);
	assert_true(qd.qce->needs_clear);
	assert_non_null(strstr(qd.dev->err, "sent again before the next request"));
	qd_release(&r);
	crypto_free_skcipher(tfm);
	assert_int_equal(qd_run_one(64), 0);
	assert_false(qd.qce->needs_clear);
	assert_int_equal(qd.qce->stats.recoveries, 2);
	assert_int_equal(qd.nr_log, 0);
	/*
	 * The pipe restarted at 0: [LOCK] [CLR_CNTXT] [UNLOCK] [LOCK] [STATUS = 0]
	 * ... The request reused the element memory of the CLR_CNTXT (and the
	 * BAM driver freed its lock elements), so only descriptors are compared
	 * for the recovery.
	 */
	d = dma_fx_fifo(QD_RX_PIPE, 1);
	assert_int_equal(d.flags, BAM_DESC_CMD | BAM_DESC_EOT);
	assert_int_equal(d.size, sizeof(struct bam_ce_hw));
	assert_int_equal(d.addr, virt_to_phys(&qd.qce->dma.txn.ce[0]));
	qd_assert_lock_flags(0, BAM_DESC_LOCK);
	qd_assert_lock_flags(2, BAM_DESC_UNLOCK);
	qd_assert_lock_flags(3, BAM_DESC_LOCK);
	d = dma_fx_fifo(QD_RX_PIPE, 4);
	ce = dma_fx_ce(&d, 0);
	assert_int_equal(ce.cmd_and_addr, QD_CE(QCE_STATUS));
}

/*
 * 24 sequential requests under a fault: each ends with 0 (right output) or
 * @fault_err; some of each. Returns how many succeeded after the first
 * recovery that timed out.
 */
static unsigned int qd_check_fault(enum lock_policy policy, const char *faults, int fault_err)
{
	struct sim_config cfg = { .seed = 3 };
	struct secsoc_error err = { 0 };
	unsigned int ok = 0, failed = 0, ok_after = 0;

	assert_int_equal(fault_spec_parse(faults, &cfg.faults, &err), 0);
	qd_boot_cfg(policy, &cfg);
	for (unsigned int i = 0; i < 24; i++) {
		int ret = qd_run_one(16 * (1 + rng(300)));

		/* Whatever happened, nothing keeps the lock: the TA could wait on it forever. */
		assert_int_equal(bam_lock_owner_ee(dfx.bam), BAM_NO_EE);
		if (ret)
			assert_int_equal(ret, fault_err);
		ok += !ret;
		failed += !!ret;
		ok_after += !ret && qd.qce->stats.recovery_timeouts;
	}
	assert_true(ok > 0);
	assert_true(failed > 0);
	/* One clearing per failure, plus the resending of recoveries that stalled. */
	assert_in_range(qd.qce->stats.recoveries + qd.qce->stats.cleared_under_lock, failed,
			failed + qd.qce->stats.recovery_timeouts);
	/* Under nwd no lock is let go while an operation of ours is in the engine. */
	if (policy == LOCK_POLICY_NWD)
		assert_int_equal(qd.unlock_in_flight, 0);
	assert_int_equal(qd.cfg_write_busy, 0);
	qd_shutdown();
	return ok_after;
}

static void test_lost_interrupts_time_out_and_recover(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qd_policies); i++)
		qd_check_fault(qd_policies[i], "bam-irq-drop:0.1", -ETIMEDOUT);
}

/* Recoveries whose interrupt is lost too time out; requests after them still work. */
static void test_requests_work_after_a_recovery_timed_out(void **state)
{
	assert_true(qd_check_fault(LOCK_POLICY_NWD, "bam-irq-drop:0.4", -ETIMEDOUT) > 0);
	assert_true(qd_check_fault(LOCK_POLICY_V12, "bam-irq-drop:0.4", -ETIMEDOUT) > 0);
}

static void test_descriptor_errors_fail_with_eio_and_recover(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qd_policies); i++)
		qd_check_fault(qd_policies[i], "bam-desc-error:0.3", -EIO);
}

/*
 * Under the random strategy the watchdog's timer may expire at any point:
 * requests end with 0 or -ETIMEDOUT, nothing else goes wrong, and since
 * the watchdog judges progress rather than age, most of them succeed.
 */
static void test_random_schedules_complete_every_request(void **state)
{
	const unsigned int seeds = 12;
	unsigned int ok = 0;
	struct crypto_skcipher *tfm;
	struct qd_req r[4];

	for (u64 seed = 1; seed <= seeds; seed++) {
		struct sim_config cfg = { .seed = seed, .strategy = &sim_strategy_random };

		qd_boot_cfg(seed % 2 ? LOCK_POLICY_NWD : LOCK_POLICY_V12, &cfg);
		tfm = qd_cipher_tfm("cbc(aes)", qd_key, sizeof(qd_key));
		for (unsigned int i = 0; i < ARRAY_SIZE(r); i++)
			assert_int_equal(qd_submit(tfm, &r[i], 16 * (1 + rng(100)), 0),
					 -EINPROGRESS);
		dma_fx_run();
		for (unsigned int i = 0; i < ARRAY_SIZE(r); i++) {
			assert_true(r[i].done.done);
			if (r[i].done.err)
				assert_int_equal(r[i].done.err, -ETIMEDOUT);
			else
				qd_check_output(&r[i]);
			ok += !r[i].done.err;
			qd_release(&r[i]);
		}
		crypto_free_skcipher(tfm);
		qd_shutdown();
	}
	assert_true(4 * ok >= 3 * seeds * ARRAY_SIZE(r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		QD_TEST(test_nwd_stream_is_lock_commands_data_nwd_unlock),
		QD_TEST(test_nwd_hmac_stream_matches_the_linux_sequence),
		QD_TEST(test_nwd_empty_hash_puts_nwd_on_goproc),
		QD_TEST_POLICY(test_stream_has_no_nwd, v12),
		QD_TEST_POLICY(test_cpu_writes_program_the_engine, none),
		QD_TEST(test_twenty_requests_at_once_complete_in_order),
		QD_TEST(test_a_full_queue_backlogs_with_may_backlog),
		QD_TEST(test_a_full_queue_refuses_without_may_backlog),
		QD_TEST(test_a_stalled_request_is_cleared_under_our_lock),
		QD_TEST(test_an_unfinished_recovery_is_sent_again_first),
		cmocka_unit_test(test_lost_interrupts_time_out_and_recover),
		cmocka_unit_test(test_requests_work_after_a_recovery_timed_out),
		cmocka_unit_test(test_descriptor_errors_fail_with_eio_and_recover),
		cmocka_unit_test(test_random_schedules_complete_every_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
