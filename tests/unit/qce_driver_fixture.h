/*
 * qce_driver_fixture.h - the crypto engine driver on the default board, for
 * tests/unit/test_qce_driver*.c: soc/secsoc.dts (or a variant with one
 * string replaced) boots with its secure world and every built-in driver
 * under a chosen lock policy; tests use the driver through the crypto API
 * (include/secsoc/crypto.h) and compare with OpenSSL (qce_driver_flow.h).
 * A bus observer records every CPU access to the engine's registers, and the
 * engine's monitor counts configuration writes while busy and unlocks while
 * an operation is in flight.
 *
 * Teardown is the resource check of invariant 7 (as bam_dma_fixture.h's)
 * plus the crypto API's and the timers' accounting: no transform alive, no
 * algorithm registered after remove, no timer armed, no always() failed.
 *
 * Everything is static inline so each test program carries its own copy.
 */
#ifndef SECSOC_TEST_QCE_DRIVER_FIXTURE_H
#define SECSOC_TEST_QCE_DRIVER_FIXTURE_H

#include <errno.h>

#include <secsoc/crypto.h>
#include <secsoc/timer.h>

#include "bam_dma_fixture.h"
#include "qce_driver_flow.h"

#include "drivers/crypto/qce/core.h"
#include "drivers/crypto/qce/sha.h"

#define QD_BOARD "soc/secsoc.dts"
#define QD_NODE "/soc@0/crypto@1dfa000"
#define QD_BASE 0x01dfa000ULL
#define QD_RX_PIPE 4
#define QD_TX_PIPE 5
#define QD_PAIR 2
#define QD_LOG_MAX 4096		/* CPU accesses to the engine recorded */

/* Every policy, for loops. */
static const enum lock_policy qd_policies[] = {
	LOCK_POLICY_NONE, LOCK_POLICY_V12, LOCK_POLICY_NWD,
};

struct qd_access {
	u32 off;
	bool write;
};

struct qd_fx {
	struct qce_device *qce;
	struct device *dev;
	struct qd_access log[QD_LOG_MAX];
	unsigned int nr_log;		/* CPU accesses to the engine since qd_log_reset() */
	/* What the engine's monitor reported (DESIGN.md invariants 2 and 3). */
	unsigned int cfg_write_busy;	/* by another EE than the operation's */
	unsigned int unlock_in_flight;
};

static struct qd_fx qd;

/* Only another EE's write counts: our own CLR_CNTXT is reported too, and is fine. */
static inline void qd_cfg_write_busy(void *ctx, int ee, int op_ee, u32 off)
{
	qd.cfg_write_busy += ee != op_ee;
}

static inline void qd_unlock_in_flight(void *ctx, int ee)
{
	qd.unlock_in_flight++;
}

static const struct qce_monitor_ops qd_monitor = {
	.cfg_write_busy = qd_cfg_write_busy,
	.unlock_in_flight = qd_unlock_in_flight,
};

static inline void qd_observe(void *opaque, const struct bus_access *a)
{
	if (a->master->kind != BUS_MASTER_CPU || a->master->secure || a->addr < QD_BASE ||
	    a->addr >= QD_BASE + QCE_MMIO_SIZE)
		return;
	if (qd.nr_log < QD_LOG_MAX)
		qd.log[qd.nr_log] = (struct qd_access){ (u32)(a->addr - QD_BASE), a->write };
	qd.nr_log++;
}

static inline void qd_log_reset(void)
{
	qd.nr_log = 0;
}

/* The default board, with @from replaced by @to (both NULL: as it is). */
static inline const char *qd_board(const char *from, const char *to)
{
	return test_board_variant(QD_BOARD, "qce-board.dts", from, to);
}

/** qd_soc_up - the hardware and the secure world of the board variant, not the kernel */
static inline void qd_soc_up(const char *from, const char *to, const struct sim_config *cfg)
{
	struct secsoc_error err = { 0 };

	memset(&dfx, 0, sizeof(dfx));
	memset(&qd, 0, sizeof(qd));
	rng_state = 0x9e3779b97f4a7c15ULL;	/* the test's data and splits, the same every run */
	assert_int_equal(soc_load_dt(NULL, qd_board(from, to), &dfx.dt, &err), 0);
	dfx.sim = sim_create(cfg);
	assert_int_equal(soc_create(dfx.sim, dfx.dt, &dfx.soc, &err), 0);
	assert_int_equal(tee_boot(&dfx.tee, dfx.soc, &err), 0);
	dfx.bam = dfx.soc->bams[0].bam;
	assert_int_equal(bus_add_observer(dfx.soc->bus, qd_observe, NULL), 0);
	qce_set_monitor(dfx.soc->qce, &qd_monitor, NULL);
}

/** qd_kernel_up - boot the kernel under @policy; the engine's device may or may not bind */
static inline void qd_kernel_up(enum lock_policy policy)
{
	struct kernel_params params = { .lock_policy = policy };
	struct secsoc_error err = { 0 };

	assert_int_equal(kernel_boot(&dfx.k, dfx.soc, &params, kernel_drivers, kernel_nr_drivers,
				     &err), 0);
	qd.dev = driver_core_find(&dfx.k.dc, dt_find_path(dfx.dt, QD_NODE));
	assert_non_null(qd.dev);
	qd.qce = qce_device_of(&dfx.k, dt_find_path(dfx.dt, QD_NODE));
}

/** qd_boot_cfg - the default board under @policy with @cfg; the driver must bind */
static inline void qd_boot_cfg(enum lock_policy policy, const struct sim_config *cfg)
{
	qd_soc_up(NULL, NULL, cfg);
	qd_kernel_up(policy);
	assert_non_null(qd.qce);
	qd_log_reset();
}

/** qd_boot - the default board under @policy, timed, seed 1 */
static inline void qd_boot(enum lock_policy policy)
{
	struct sim_config cfg = { .seed = 1 };

	qd_boot_cfg(policy, &cfg);
}

/*
 * qd_shutdown - remove every driver, check nothing is left, free it all.
 * The checks come after the teardown so that a failed test does not leave
 * a booted machine behind for the next one.
 */
static inline void qd_shutdown(void)
{
	unsigned int tfms = crypto_nr_tfms(), timers = timers_armed(), algs;
	unsigned int violations, ioremaps;
	struct dma_mapping_stats maps;
	struct kmem_stats mem;

	driver_core_remove_all(&dfx.k.dc);
	algs = crypto_nr_algs();
	mem = kmem_stats();
	maps = dma_mapping_stats();
	ioremaps = ioremap_count();
	violations = sim_violation_count(dfx.sim);
	kernel_shutdown(&dfx.k);
	soc_destroy(dfx.soc);
	sim_destroy(dfx.sim);
	dt_free(dfx.dt);
	assert_int_equal(tfms, 0);
	assert_int_equal(timers, 0);
	assert_int_equal(algs, 0);
	assert_int_equal(mem.objects, 0);
	assert_int_equal(mem.pages, 0);
	assert_int_equal(maps.live, 0);
	assert_int_equal(maps.coherent, 0);
	assert_int_equal(ioremaps, 0);
	assert_int_equal(violations, 0);
}

static inline int qd_setup_none(void **state)
{
	qd_boot(LOCK_POLICY_NONE);
	return 0;
}

static inline int qd_setup_v12(void **state)
{
	qd_boot(LOCK_POLICY_V12);
	return 0;
}

static inline int qd_setup_nwd(void **state)
{
	qd_boot(LOCK_POLICY_NWD);
	return 0;
}

static inline int qd_teardown(void **state)
{
	qd_shutdown();
	return 0;
}

/*
 * A test on the default board under policy nwd, or under @policy (none,
 * v12, nwd; the test's name gets the policy appended).
 */
#define QD_TEST(fn) cmocka_unit_test_setup_teardown(fn, qd_setup_nwd, qd_teardown)
#define QD_TEST_POLICY(fn, policy) { #fn "_" #policy, fn, qd_setup_##policy, qd_teardown, NULL }

/* ---- buffers ---- */

/** qd_kbuf - @len (at least 1) bytes of kernel memory, random */
static inline u8 *qd_kbuf(size_t len)
{
	u8 *buf = kmalloc(len ? len : 1, GFP_KERNEL);

	assert_non_null(buf);
	rng_fill(buf, len);
	return buf;
}

/* ---- completions ---- */

struct qd_done {
	bool done;
	int err;
	unsigned int order;	/* completion rank */
	unsigned int backlog;	/* -EINPROGRESS notifications */
};

static unsigned int qd_done_seq;

/* A callback that records; a request completes exactly once. */
static inline void qd_done_cb(void *data, int err)
{
	struct qd_done *d = data;

	if (err == -EINPROGRESS) {
		d->backlog++;
		return;
	}
	assert_false(d->done);
	d->done = true;
	d->err = err;
	d->order = qd_done_seq++;
}

/* ---- skcipher ---- */

/** qd_cipher_tfm - a transform of @alg with @key set (asserted to succeed) */
static inline struct crypto_skcipher *qd_cipher_tfm(const char *alg, const u8 *key,
						   unsigned int keylen)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(alg, 0, 0);

	assert_false(IS_ERR(tfm));
	assert_int_equal(crypto_skcipher_setkey(tfm, key, keylen), 0);
	return tfm;
}

/**
 * qd_crypt - one request of @len bytes from @in to @out (kernel memory, may
 * be equal), waited for; @iv is updated as the driver leaves it
 */
static inline int qd_crypt(struct crypto_skcipher *tfm, bool enc, u8 *iv, u8 *in, u8 *out,
			   unsigned int len)
{
	struct skcipher_request *req = skcipher_request_alloc(tfm, GFP_KERNEL);
	struct scatterlist src, dst;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	assert_non_null(req);
	sg_init_one(&src, in, len ? len : 1);
	sg_init_one(&dst, out, len ? len : 1);
	skcipher_request_set_callback(req, 0, crypto_req_done, &wait);
	skcipher_request_set_crypt(req, &src, &dst, len, iv);
	ret = crypto_wait_req(enc ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req),
			      &wait);
	skcipher_request_free(req);
	return ret;
}

/* ---- ahash ---- */

/** qd_hash_tfm - a transform of @alg, keyed when @key is set (asserted to succeed) */
static inline struct crypto_ahash *qd_hash_tfm(const char *alg, const u8 *key,
					       unsigned int keylen)
{
	struct crypto_ahash *tfm = crypto_alloc_ahash(alg, 0, 0);

	assert_false(IS_ERR(tfm));
	if (key)
		assert_int_equal(crypto_ahash_setkey(tfm, key, keylen), 0);
	return tfm;
}

/** qd_wait - an ahash operation of @req, waited for */
static inline int qd_wait(struct ahash_request *req, int (*op)(struct ahash_request *req))
{
	DECLARE_CRYPTO_WAIT(wait);

	ahash_request_set_callback(req, 0, crypto_req_done, &wait);
	return crypto_wait_req(op(req), &wait);
}

/** qd_digest - the digest of @len bytes at @msg (kernel memory) into @md */
static inline int qd_digest(struct crypto_ahash *tfm, u8 *msg, unsigned int len, u8 *md)
{
	struct ahash_request *req = ahash_request_alloc(tfm, GFP_KERNEL);
	struct scatterlist sg;
	int ret;

	assert_non_null(req);
	sg_init_one(&sg, msg, len ? len : 1);
	ahash_request_set_crypt(req, &sg, md, len);
	ret = qd_wait(req, crypto_ahash_digest);
	ahash_request_free(req);
	return ret;
}

/* ---- what reached the engine ---- */

/** qd_fifo_count - descriptors software has put into @pipe's FIFO so far */
static inline unsigned int qd_fifo_count(unsigned int pipe)
{
	return dma_fx_fifo_tail(pipe);
}

/* A register write as the flow of qce_driver_flow.h expects it. */
struct qd_write {
	u32 off;
	u32 val;
};

struct qd_writes {
	struct qd_write w[QCE_BAM_CMD_ELEMENTS_MAX];
	unsigned int n;
};

static struct qd_writes qd_expect;

static inline void qd_record_write(const struct qce_writer *w, u32 off, u32 val)
{
	assert_true(qd_expect.n < ARRAY_SIZE(qd_expect.w));
	qd_expect.w[qd_expect.n++] = (struct qd_write){ off, val };
}

static const struct qce_writer qd_recorder = { .write = qd_record_write };

#endif /* SECSOC_TEST_QCE_DRIVER_FIXTURE_H */
