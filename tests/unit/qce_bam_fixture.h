/*
 * qce_bam_fixture.h - the crypto engine behind the real BAM, for
 * tests/unit/test_qce_bam.c: the bench of bam_fixture.h (sim, RAM, GIC,
 * BAM v1.7 with 8 pipes and 4 EEs, Linux EE 0, secure EE 1) with the QCE
 * attached where the loopback sat (same address, inside the BAM's 16 MiB
 * command-element window), CPU masters that count external aborts, the
 * Linux driver's register programming (qce_driver_flow.h, after
 * ../shared/reference/bam-qce-facts.md §3.2) done either by CPU writes or as
 * command elements on a pipe (§3.3), and descriptor streams split at random.
 *
 * Everything is static inline so the test program carries its own copy
 * (tests/CMakeLists.txt links no shared fixture object).
 */
#ifndef SECSOC_TEST_QCE_BAM_FIXTURE_H
#define SECSOC_TEST_QCE_BAM_FIXTURE_H

#include <stdlib.h>

#include "bam_fixture.h"
#include "qce_driver_flow.h"

#define QCE_BASE LOOP_BASE		/* 0x01dfa000 */
#define QCE_VERSION_VALUE 0x05060000u
#define QCE_PAIRS 4
#define LINUX_PAIR 0			/* pipes 0 (rx) and 1 (tx), lock group 0 */
#define SECURE_PAIR 1			/* pipes 2 (rx) and 3 (tx), lock group 1 */
#define RX_PIPE(pair) (2 * (pair))
#define TX_PIPE(pair) (2 * (pair) + 1)
/* 24-bit command element address of a QCE register: 0xdfa000 + offset. */
#define QCE_CE(off) ((u32)((QCE_BASE + (off)) & 0xffffff))

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
#define CE_SLOTS ((u32)((SECURE_RAM - CE_ADDR(0)) / sizeof(struct bam_ce_hw)))

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
 * The bench without the loopback, which would sit at the QCE's address;
 * then the QCE, Linux's pair 0 and the secure world's pair 1.
 */
static inline int qfx_setup(void **state)
{
	struct qce_config qcfg = {
		.name = "/soc@0/crypto@1dfa000", .base = QCE_BASE, .version = QCE_VERSION_VALUE,
		.nr_pipe_pairs = QCE_PAIRS, .timing = qce_timing_defaults,
	};
	struct secsoc_error err = { 0 };

	bam_fx_bench(BAM_V1_7_0);
	memset(&linux_aborts, 0, sizeof(linux_aborts));
	memset(&tee_aborts, 0, sizeof(tee_aborts));
	ce_next = 0;
	qce = qce_create(fx.sim, fx.bus, fx.bam, &qcfg, &err);
	assert_non_null(qce);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
	bam_fx_linux();
	bam_fx_secure_pair();
	return 0;
}

static inline int qfx_teardown(void **state)
{
	qce_destroy(qce);
	qce = NULL;
	return bam_fx_teardown(state);
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

/* ---- register writes: by a CPU, or as command elements on a pipe ---- */

/** ce_alloc - the RAM address of a fresh command element slot */
static inline u64 ce_alloc(void)
{
	assert_true(ce_next < CE_SLOTS);
	return CE_ADDR(0) + (u64)ce_next++ * sizeof(struct bam_ce_hw);
}

/** queue_ce_write - one CMD descriptor holding one WRITE of @val to QCE register @off */
static inline void queue_ce_write(unsigned int pipe, u32 off, u32 val, u16 flags)
{
	u64 ce = ce_alloc();

	put_ce(ce, 0, BAM_CE_WRITE, QCE_CE(off), val, 0xffffffff);
	queue(pipe, ce, sizeof(struct bam_ce_hw), BAM_DESC_CMD | flags);
}

/* The locking series' dummy LOCK/UNLOCK element: a write of 0 to VERSION (0xdfa000). */
static inline void queue_lock(unsigned int pipe, u16 lock_flag)
{
	queue_ce_write(pipe, QCE_VERSION, 0, lock_flag);
}

/* A register write as a CPU store by @w->cpu, which must not be refused. */
static inline void qw_cpu(const struct qce_writer *w, u32 off, u32 val)
{
	assert_int_equal(qce_write_resp(w->cpu, off, val), BUS_OKAY);
}

/* A register write as its own command descriptor on @w->pipe (the series' qce_write_dma). */
static inline void qw_ce(const struct qce_writer *w, u32 off, u32 val)
{
	queue_ce_write(w->pipe, off, val, 0);
}

/** ce_writer - register writes as command elements queued on @pipe */
static inline struct qce_writer ce_writer(unsigned int pipe)
{
	return (struct qce_writer){ .write = qw_ce, .pipe = pipe };
}

/* Linux's CPU register I/O. */
static const struct qce_writer linux_writer = { .write = qw_cpu, .cpu = &linux_cpu };

/* ---- descriptor streams ---- */

#define SPLIT_MAX 160
#define DESC_BYTES_MAX 0x8000u		/* the largest data descriptor the tests queue */

struct split {
	unsigned int n;
	u32 size[SPLIT_MAX];
};

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

/* Output buffers of @pair marked untouched, so what the engine writes shows. */
static inline void clear_outputs(unsigned int pair)
{
	memset(host(OUT_BUF(pair), OUT_MAX), UNTOUCHED, OUT_MAX);
	memset(host(DUMP_BUF(pair), DUMP), UNTOUCHED, DUMP);
}

/* GO on Linux's pair by CPU; run until the engine is idle and every descriptor retired. */
static inline void linux_go_to_completion(void)
{
	qce_go(&linux_writer, LINUX_PAIR);
	run();
	assert_false(qce_busy(qce));
	assert_all_retired(0);
	assert_all_retired(1);
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
	linux_go_to_completion();
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
	linux_go_to_completion();
	hash_complete(h, host(DUMP_BUF(LINUX_PAIR), DUMP));
}

/* ---- checks ---- */

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

#endif /* SECSOC_TEST_QCE_BAM_FIXTURE_H */
