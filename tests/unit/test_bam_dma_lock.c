/*
 * test_bam_dma_lock.c - the pipe-lock policies of the BAM driver
 * (docs/lock-policies.md): for each policy the exact descriptor stream the
 * driver writes into the RX pipe's FIFO, read back from modelled RAM; the
 * all-or-nothing failure path; v1.3 BAMs without locking; and lock
 * exclusion against a secure-world client that programs its own pipes by
 * MMIO, across 200 seeds.
 */
#include <errno.h>

#include "bam_dma_fixture.h"

#define LB_SCRATCHPAD_CE ((u32)((LB_BASE + LOOPBACK_ID) & 0xffffff))
#define XFER_LEN 100000			/* 3 x 0x7ff8 + 1720 */
#define LAST_LEN (XFER_LEN - 3 * 0x7ff8)
#define F_LOCK (BAM_DESC_CMD | BAM_DESC_LOCK)
#define F_UNLOCK (BAM_DESC_CMD | BAM_DESC_UNLOCK)

static unsigned int xfers_done;
static int xfer_result;

static void xfer_done(struct bam_loopback_req *req)
{
	xfers_done++;
	xfer_result = req->result;
}

struct xfer {
	u8 *src, *dst;
	struct bam_loopback_req req;
};

/* Start one loop transfer of XFER_LEN bytes; the caller runs the simulation. */
static void xfer_start(struct xfer *x, u8 seed)
{
	x->src = dma_fx_buf(XFER_LEN, seed);
	x->dst = dma_fx_buf(XFER_LEN, 0);
	x->req = (struct bam_loopback_req){
		.src = x->src, .dst = x->dst, .len = XFER_LEN, .done = xfer_done,
	};
	assert_int_equal(bam_loopback_xfer(dfx.lc, &x->req), 0);
}

static void xfer_finish(struct xfer *x, int result)
{
	dma_fx_run();
	assert_int_equal(xfer_result, result);
	if (!result)
		assert_memory_equal(x->src, x->dst, XFER_LEN);
	kfree(x->src);
	kfree(x->dst);
}

static void expect_desc(unsigned int idx, u32 size, u16 flags)
{
	struct bam_desc d = dma_fx_fifo(LB_RX_PIPE, idx);

	assert_int_equal(d.size, size);
	assert_int_equal(d.flags, flags);
}

/* A lock descriptor: one WRITE of 0 to the loopback's ID register. */
static void expect_lock_desc(unsigned int idx, u16 flags)
{
	struct bam_desc d = dma_fx_fifo(LB_RX_PIPE, idx);
	struct bam_ce_hw ce = dma_fx_ce(&d, 0);

	expect_desc(idx, sizeof(ce), flags);
	assert_int_equal(ce.cmd_and_addr, LB_SCRATCHPAD_CE | (BAM_CE_WRITE << 24));
	assert_int_equal(ce.data, 0);
	assert_int_equal(ce.mask, 0xffffffff);
	assert_int_equal(ce.reserved, 0);
}

/* The client's data: three full descriptors and the rest with @last_flags. */
static void expect_data(unsigned int first, u16 last_flags)
{
	for (unsigned int i = 0; i < 3; i++)
		expect_desc(first + i, 0x7ff8, 0);
	expect_desc(first + 3, LAST_LEN, last_flags);
}

static void test_none_stream_has_no_lock_descriptors(void **state)
{
	struct xfer x;

	dma_fx_shutdown();
	dma_fx_boot(LOCK_POLICY_NONE, NULL, NULL);
	xfer_start(&x, 1);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 4);
	expect_data(0, BAM_DESC_EOT);
	xfer_finish(&x, 0);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 4);
}

/* v12: LOCK in front at issue_pending; UNLOCK appended by the bottom half. */
static void test_v12_stream_locks_at_issue_and_unlocks_when_issued_is_empty(void **state)
{
	struct xfer x;

	dma_fx_shutdown();
	dma_fx_boot(LOCK_POLICY_V12, NULL, NULL);
	xfer_start(&x, 2);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 5);
	expect_lock_desc(0, F_LOCK);
	expect_data(1, BAM_DESC_EOT);
	xfer_finish(&x, 0);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 6);
	expect_lock_desc(5, F_UNLOCK | BAM_DESC_INT);
}

/* nwd: LOCK ... data with NWD ... UNLOCK, all loaded together. */
static void test_nwd_stream_wraps_the_transaction(void **state)
{
	struct xfer x;

	xfer_start(&x, 3);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 6);
	expect_lock_desc(0, F_LOCK);
	expect_data(1, BAM_DESC_NWD | BAM_DESC_EOT);
	expect_lock_desc(5, F_UNLOCK | BAM_DESC_INT);
	xfer_finish(&x, 0);
}

static void test_nwd_each_transaction_gets_its_own_pair(void **state)
{
	struct xfer x;

	xfer_start(&x, 4);
	xfer_finish(&x, 0);
	xfer_start(&x, 5);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 12);
	expect_lock_desc(6, F_LOCK);
	expect_data(7, BAM_DESC_NWD | BAM_DESC_EOT);
	expect_lock_desc(11, F_UNLOCK | BAM_DESC_INT);
	xfer_finish(&x, 0);
}

/* Lock descriptors take no cookies: the client's cookies stay consecutive. */
static void test_nwd_lock_descriptors_take_no_cookies(void **state)
{
	dma_cookie_t before = dfx.lc->rx->cookie;
	struct xfer x;

	xfer_start(&x, 6);
	xfer_finish(&x, 0);
	assert_int_equal(dfx.lc->rx->cookie, before + 1);
	assert_int_equal(dfx.lc->rx->completed_cookie, before + 1);
	assert_int_equal(dma_mapping_stats().live, 0);
}

/* Command descriptors of the client sit inside the same LOCK/UNLOCK pair. */
static void test_nwd_stream_with_command_descriptors(void **state)
{
	struct bam_cmd_element *ce = kzalloc(2 * sizeof(*ce), GFP_KERNEL);
	struct bam_desc_metadata meta = { LB_BASE + LOOPBACK_ID, DMA_MEM_TO_DEV };
	u8 *src = dma_fx_buf(64, 7);
	struct dma_async_tx_descriptor *cmd, *data;
	struct scatterlist cs, ds;
	struct bam_ce_hw hw;

	bam_prep_ce(&ce[0], (u32)(LB_BASE + LOOPBACK_SCRATCH), BAM_WRITE_COMMAND, 0x5ec);
	bam_prep_ce(&ce[1], (u32)(LB_BASE + LOOPBACK_DONE_DELAY), BAM_WRITE_COMMAND, 10);
	sg_init_one(&cs, ce, 2 * sizeof(*ce));
	sg_init_one(&ds, src, 64);
	assert_int_equal(dma_map_sg(dfx.lc->dev, &cs, 1, DMA_TO_DEVICE), 1);
	assert_int_equal(dma_map_sg(dfx.lc->dev, &ds, 1, DMA_TO_DEVICE), 1);
	cmd = dmaengine_prep_slave_sg(dfx.lc->rx, &cs, 1, DMA_MEM_TO_DEV, DMA_PREP_CMD);
	data = dmaengine_prep_slave_sg(dfx.lc->rx, &ds, 1, DMA_MEM_TO_DEV,
				       DMA_PREP_INTERRUPT | DMA_PREP_FENCE);
	assert_int_equal(dmaengine_desc_attach_metadata(cmd, &meta, sizeof(meta)), 0);
	dmaengine_submit(cmd);
	dmaengine_submit(data);
	dma_async_issue_pending(dfx.lc->rx);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 4);
	expect_lock_desc(0, F_LOCK);
	expect_desc(1, 32, BAM_DESC_CMD);
	hw = dma_fx_ce(&(struct bam_desc){ .addr = (u32)sg_dma_address(&cs) }, 0);
	assert_int_equal(hw.data, 0x5ec);
	expect_desc(2, 64, BAM_DESC_NWD | BAM_DESC_EOT);
	expect_lock_desc(3, F_UNLOCK | BAM_DESC_INT);
	/* Nobody drains the loopback, so the NWD never ends: terminate. */
	dma_fx_run();
	assert_int_equal(bam_lock_owner_pipe(dfx.bam), LB_RX_PIPE);
	dmaengine_terminate_sync(dfx.lc->rx);
	dmaengine_terminate_sync(dfx.lc->tx);
	assert_int_equal(bam_lock_owner_pipe(dfx.bam), -1);
	dma_unmap_sg(dfx.lc->dev, &cs, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &ds, 1, DMA_TO_DEVICE);
	kfree(ce);
	kfree(src);
}

/* All or nothing: without a LOCK/UNLOCK pair nothing runs unlocked. */
static void test_nwd_lock_allocation_failure_aborts_the_transaction(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct xfer x;

	dma_fx_shutdown();
	assert_int_equal(fault_spec_parse("bam-lock-alloc:1", &cfg.faults, &err), 0);
	assert_int_equal(dma_fx_boot_cfg(LOCK_POLICY_NWD, NULL, NULL, &cfg, &err), 0);
	dfx.lc = bam_loopback_client_of(&dfx.k, dt_find_path(dfx.dt, LB_NODE));
	xfers_done = 0;
	xfer_start(&x, 8);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 0);
	xfer_finish(&x, -EIO);
	assert_int_equal(xfers_done, 1);
	assert_non_null(strstr(dma_fx_bam_err(), "no LOCK/UNLOCK pair (-12)"));
	assert_int_equal(sim_fault_fired(dfx.sim, FAULT_BAM_LOCK_ALLOC), 1);
}

/* A v1.3 BAM has no locking: attach returns 0 and DMA runs unlocked. */
static void test_v13_bam_attach_succeeds_and_streams_unlocked(void **state)
{
	struct xfer x;

	dma_fx_shutdown();
	dma_fx_boot(LOCK_POLICY_NWD, "\"qcom,bam-v1.7.0\"", "\"qcom,bam-v1.3.0\"");
	xfer_start(&x, 9);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 4);
	expect_data(0, BAM_DESC_NWD | BAM_DESC_EOT);
	xfer_finish(&x, 0);
}

static void test_attach_refuses_bad_metadata(void **state)
{
	u8 *buf = dma_fx_buf(64, 10);
	struct dma_async_tx_descriptor *rx, *tx;
	struct bam_desc_metadata meta = { LB_BASE + LOOPBACK_ID, DMA_MEM_TO_DEV };
	struct scatterlist sg;

	sg_init_one(&sg, buf, 64);
	assert_int_equal(dma_map_sg(dfx.lc->dev, &sg, 1, DMA_BIDIRECTIONAL), 1);
	rx = dmaengine_prep_slave_sg(dfx.lc->rx, &sg, 1, DMA_MEM_TO_DEV, 0);
	tx = dmaengine_prep_slave_sg(dfx.lc->tx, &sg, 1, DMA_DEV_TO_MEM, 0);
	assert_int_equal(dmaengine_desc_attach_metadata(rx, &meta, sizeof(meta) - 1), -EINVAL);
	assert_int_equal(dmaengine_desc_attach_metadata(rx, NULL, sizeof(meta)), -EINVAL);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, &meta, sizeof(meta)), -EINVAL);
	assert_non_null(strstr(dma_fx_bam_err(), "only MEM_TO_DEV descriptors take lock metadata"));
	meta.direction = DMA_DEV_TO_MEM;
	assert_int_equal(dmaengine_desc_attach_metadata(rx, &meta, sizeof(meta)), -EINVAL);
	meta = (struct bam_desc_metadata){ 0, DMA_MEM_TO_DEV };
	assert_int_equal(dmaengine_desc_attach_metadata(rx, &meta, sizeof(meta)), -EINVAL);
	assert_non_null(strstr(dma_fx_bam_err(), "scratchpad address 0 is not accepted"));
	meta.scratchpad_addr = 0x02000000;	/* beyond the 24-bit reach of 0x01dc4000 */
	assert_int_equal(dmaengine_desc_attach_metadata(rx, &meta, sizeof(meta)), -ERANGE);
	assert_non_null(strstr(dma_fx_bam_err(), "outside the 16 MiB"));
	dmaengine_terminate_sync(dfx.lc->rx);
	dmaengine_terminate_sync(dfx.lc->tx);
	dma_unmap_sg(dfx.lc->dev, &sg, 1, DMA_BIDIRECTIONAL);
	kfree(buf);
}

/* ---- lock exclusion against a secure-world client ---- */

#define SEC_RX 6
#define SEC_TX 7
#define SEC_GROUP 1
#define ROUNDS 3
#define SEC_LEN 4096
#define LIN_LEN 8192

/*
 * The secure client: a task on the secure CPU that owns pipes 6/7 (EE 1,
 * lock group 1) and programs them by MMIO, with descriptors in the secure
 * world's memory. Each round: [LOCK: SCRATCH = tag][data NWD|EOT]
 * [READ SCRATCH][UNLOCK]; the tag it reads back must be its own.
 */
struct sec_client {
	struct cpu_task task;
	struct cpu *cpu;
	const struct bam_config *cfg;
	u64 mem;
	unsigned int round, delay;
	u32 rx_tail, tx_tail;
	bool busy;
	unsigned int wrong_tag, wrong_data;
};

#define SEC_FIFO(pipe) (sc->mem + ((pipe) - SEC_RX) * 0x8000ULL)
#define SEC_CE (sc->mem + 0x10000)
#define SEC_RB (sc->mem + 0x10100)
#define SEC_SRC (sc->mem + 0x20000)
#define SEC_DST (sc->mem + 0x30000)

static void sec_reg(struct sec_client *sc, enum bam_reg reg, unsigned int pipe, u32 val)
{
	cpu_write32(sc->cpu, sc->cfg->base + bam_reg_offset(sc->cfg->version, reg, pipe, 0), val);
}

static u32 sec_rd(struct sec_client *sc, enum bam_reg reg, unsigned int pipe)
{
	return cpu_read32(sc->cpu, sc->cfg->base + bam_reg_offset(sc->cfg->version, reg, pipe, 0));
}

static void sec_pipe_init(struct sec_client *sc, unsigned int pipe, bool producer)
{
	sec_reg(sc, BAM_P_RST, pipe, 1);
	sec_reg(sc, BAM_P_RST, pipe, 0);
	sec_reg(sc, BAM_P_DESC_FIFO_ADDR, pipe, (u32)SEC_FIFO(pipe));
	sec_reg(sc, BAM_P_FIFO_SIZES, pipe, 0x7ff8);
	sec_reg(sc, BAM_P_IRQ_EN, pipe, 0);
	sec_reg(sc, BAM_P_CTRL, pipe, BAM_P_EN | BAM_P_SYS_MODE |
		(producer ? BAM_P_DIRECTION : 0) | (u32)FIELD_PREP(BAM_P_LOCK_GROUP, SEC_GROUP));
}

static void sec_put_ce(struct sec_client *sc, unsigned int i, u32 off, u32 cmd, u32 data)
{
	struct bam_ce_hw ce = {
		((u32)(LB_BASE + off) & 0xffffff) | (cmd << 24), data,
		cmd == BAM_CE_WRITE ? 0xffffffff : 0, 0,
	};

	cpu_write(sc->cpu, SEC_CE + i * sizeof(ce), &ce, sizeof(ce));
}

static void sec_put_desc(struct sec_client *sc, unsigned int pipe, u32 *tail, u64 addr,
			 u16 size, u16 flags)
{
	struct bam_desc d = { (u32)addr, size, flags };

	cpu_write(sc->cpu, SEC_FIFO(pipe) + *tail * sizeof(d), &d, sizeof(d));
	(*tail)++;
}

static u32 sec_tag(unsigned int round)
{
	return 0x5ec00000 | round;
}

static void sec_start_round(struct sec_client *sc)
{
	u8 pattern[SEC_LEN];

	for (unsigned int i = 0; i < SEC_LEN; i++)
		pattern[i] = (u8)(sc->round * 31 + i);
	cpu_write(sc->cpu, SEC_SRC, pattern, SEC_LEN);
	sec_put_ce(sc, 0, LOOPBACK_SCRATCH, BAM_CE_WRITE, sec_tag(sc->round));
	sec_put_ce(sc, 1, LOOPBACK_SCRATCH, BAM_CE_READ, (u32)SEC_RB);
	sec_put_ce(sc, 2, LOOPBACK_ID, BAM_CE_WRITE, 0);
	sec_put_desc(sc, SEC_TX, &sc->tx_tail, SEC_DST, SEC_LEN, BAM_DESC_EOT);
	sec_reg(sc, BAM_P_EVNT_REG, SEC_TX, sc->tx_tail * 8);
	sec_put_desc(sc, SEC_RX, &sc->rx_tail, SEC_CE, 16, F_LOCK);
	sec_put_desc(sc, SEC_RX, &sc->rx_tail, SEC_SRC, SEC_LEN, BAM_DESC_NWD | BAM_DESC_EOT);
	sec_put_desc(sc, SEC_RX, &sc->rx_tail, SEC_CE + 16, 16, BAM_DESC_CMD);
	sec_put_desc(sc, SEC_RX, &sc->rx_tail, SEC_CE + 32, 16, F_UNLOCK);
	sec_reg(sc, BAM_P_EVNT_REG, SEC_RX, sc->rx_tail * 8);
	sc->busy = true;
}

static void sec_check_round(struct sec_client *sc)
{
	u8 src[SEC_LEN], dst[SEC_LEN];
	u32 rb = 0;

	cpu_read(sc->cpu, SEC_RB, &rb, sizeof(rb));
	cpu_read(sc->cpu, SEC_SRC, src, SEC_LEN);
	cpu_read(sc->cpu, SEC_DST, dst, SEC_LEN);
	sc->wrong_tag += rb != sec_tag(sc->round);
	sc->wrong_data += memcmp(src, dst, SEC_LEN) != 0;
	sc->busy = false;
	sc->round++;
}

/* One slice: start a round, or poll whether the pipes retired it. */
static bool sec_run(struct cpu_task *t)
{
	struct sec_client *sc = t->priv;

	if (sc->delay) {
		sc->delay--;
		return false;
	}
	if (!sc->busy) {
		if (sc->round == 0 && !sc->rx_tail) {
			sec_pipe_init(sc, SEC_RX, false);
			sec_pipe_init(sc, SEC_TX, true);
		}
		sec_start_round(sc);
		return false;
	}
	if ((sec_rd(sc, BAM_P_SW_OFSTS, SEC_RX) & 0xffff) != sc->rx_tail * 8 ||
	    (sec_rd(sc, BAM_P_SW_OFSTS, SEC_TX) & 0xffff) != sc->tx_tail * 8)
		return false;
	sec_check_round(sc);
	return sc->round == ROUNDS;
}

/*
 * The Linux client, driven from its completion callbacks: per round
 * [SCRATCH = tag][data, FENCE][READ SCRATCH], which the nwd policy wraps
 * in LOCK ... UNLOCK. Without the lock the secure client's tag can land
 * between Linux's write and read.
 */
struct lin_client {
	struct bam_cmd_element *ce;	/* [0] write, [1] read */
	u32 *rb;
	u8 *src, *dst;
	struct scatterlist wsg, rsg, ssg, dsg;
	unsigned int round, pending;
	unsigned int wrong_tag, wrong_data;
};

static struct lin_client lin;

static u32 lin_tag(unsigned int round)
{
	return 0x11700000 | round;
}

static void lin_start_round(void);

static void lin_step_done(void *param, const struct dmaengine_result *res)
{
	assert_int_equal(res->result, DMA_TRANS_NOERROR);
	if (--lin.pending)
		return;
	lin.wrong_tag += *lin.rb != lin_tag(lin.round);
	lin.wrong_data += memcmp(lin.src, lin.dst, LIN_LEN) != 0;
	if (++lin.round < ROUNDS)
		lin_start_round();
}

static void lin_submit(struct dma_chan *chan, struct scatterlist *sg,
		       enum dma_transfer_direction dir, unsigned long flags, bool meta)
{
	struct bam_desc_metadata md = { LB_BASE + LOOPBACK_ID, DMA_MEM_TO_DEV };
	struct dma_async_tx_descriptor *tx = dmaengine_prep_slave_sg(chan, sg, 1, dir, flags);

	assert_non_null(tx);
	if (meta)
		assert_int_equal(dmaengine_desc_attach_metadata(tx, &md, sizeof(md)), 0);
	if (flags & DMA_PREP_INTERRUPT) {
		tx->callback_result = lin_step_done;
		lin.pending++;
	}
	assert_true(dmaengine_submit(tx) >= DMA_MIN_COOKIE);
}

static void lin_start_round(void)
{
	unsigned long fence = dfx.k.params.lock_policy == LOCK_POLICY_NWD ? DMA_PREP_FENCE : 0;

	for (unsigned int i = 0; i < LIN_LEN; i++)
		lin.src[i] = (u8)(lin.round * 17 + i);
	bam_prep_ce(&lin.ce[0], (u32)(LB_BASE + LOOPBACK_SCRATCH), BAM_WRITE_COMMAND,
		    lin_tag(lin.round));
	lin_submit(dfx.lc->tx, &lin.dsg, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, false);
	lin_submit(dfx.lc->rx, &lin.wsg, DMA_MEM_TO_DEV, DMA_PREP_CMD, true);
	lin_submit(dfx.lc->rx, &lin.ssg, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT | fence, false);
	lin_submit(dfx.lc->rx, &lin.rsg, DMA_MEM_TO_DEV, DMA_PREP_CMD | DMA_PREP_INTERRUPT, false);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
}

static void lin_setup(void)
{
	memset(&lin, 0, sizeof(lin));
	lin.ce = kzalloc(2 * sizeof(*lin.ce), GFP_KERNEL);
	lin.rb = kzalloc(sizeof(*lin.rb), GFP_KERNEL);
	lin.src = dma_fx_buf(LIN_LEN, 0);
	lin.dst = dma_fx_buf(LIN_LEN, 0);
	bam_prep_ce(&lin.ce[1], (u32)(LB_BASE + LOOPBACK_SCRATCH), BAM_READ_COMMAND,
		    (u32)virt_to_phys(lin.rb));
	sg_init_one(&lin.wsg, &lin.ce[0], sizeof(*lin.ce));
	sg_init_one(&lin.rsg, &lin.ce[1], sizeof(*lin.ce));
	sg_init_one(&lin.ssg, lin.src, LIN_LEN);
	sg_init_one(&lin.dsg, lin.dst, LIN_LEN);
	dma_map_sg(dfx.lc->dev, &lin.wsg, 1, DMA_TO_DEVICE);
	dma_map_sg(dfx.lc->dev, &lin.rsg, 1, DMA_TO_DEVICE);
	dma_map_sg(dfx.lc->dev, &lin.ssg, 1, DMA_TO_DEVICE);
	dma_map_sg(dfx.lc->dev, &lin.dsg, 1, DMA_FROM_DEVICE);
}

static void lin_teardown(void)
{
	dma_unmap_sg(dfx.lc->dev, &lin.wsg, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &lin.rsg, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &lin.ssg, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &lin.dsg, 1, DMA_FROM_DEVICE);
	kfree(lin.ce);
	kfree(lin.rb);
	kfree(lin.src);
	kfree(lin.dst);
}

struct contention {
	unsigned int lin_wrong, sec_wrong, data_wrong, rounds_short;
	unsigned int lock_changes;	/* the BAM's lock notifications to the loopback */
	unsigned int unlocked_at_end;
};

/* One seed: both clients, ROUNDS each, concurrently. */
static void run_both(enum lock_policy policy, u64 seed, struct contention *c)
{
	struct sim_config cfg = { .seed = seed, .jitter_pct = SIM_DEFAULT_JITTER_PCT };
	struct secsoc_error err = { 0 };
	struct sec_client sc = { 0 };

	assert_int_equal(dma_fx_boot_cfg(policy, NULL, NULL, &cfg, &err), 0);
	dfx.lc = bam_loopback_client_of(&dfx.k, dt_find_path(dfx.dt, LB_NODE));
	sc.cpu = &dfx.soc->secure_cpu;
	sc.cfg = bam_config(dfx.bam);
	sc.mem = dfx.tee.priv_base;
	sc.delay = (unsigned int)(seed % 7);
	sc.task = (struct cpu_task){ .name = "secure-client", .run = sec_run, .priv = &sc };
	cpu_add_task(sc.cpu, &sc.task);
	lin_setup();
	lin_start_round();
	dma_fx_run();
	c->lin_wrong += lin.wrong_tag;
	c->sec_wrong += sc.wrong_tag;
	c->data_wrong += lin.wrong_data + sc.wrong_data;
	c->rounds_short += (lin.round != ROUNDS) + (sc.round != ROUNDS);
	c->lock_changes += readl(dfx.lc->regs + LOOPBACK_LOCK_CHANGES);
	c->unlocked_at_end += bam_lock_owner_pipe(dfx.bam) == -1;
	lin_teardown();
	dma_fx_shutdown();
}

static void test_nwd_keeps_the_secure_client_out_across_200_seeds(void **state)
{
	struct contention c = { 0 };

	dma_fx_shutdown();
	for (u64 seed = 1; seed <= 200; seed++)
		run_both(LOCK_POLICY_NWD, seed, &c);
	assert_int_equal(c.rounds_short, 0);
	assert_int_equal(c.lin_wrong, 0);
	assert_int_equal(c.sec_wrong, 0);
	assert_int_equal(c.data_wrong, 0);
	/* Every round of both clients took and released the lock. */
	assert_int_equal(c.lock_changes, 200 * 2 * 2 * ROUNDS);
	assert_int_equal(c.unlocked_at_end, 200);
	dma_fx_boot(LOCK_POLICY_NWD, NULL, NULL);
}

/* The same clients without Linux's lock: the secure tag gets in between. */
static void test_without_the_lock_linux_sees_the_secure_tag(void **state)
{
	struct contention c = { 0 };

	dma_fx_shutdown();
	for (u64 seed = 1; seed <= 200; seed++)
		run_both(LOCK_POLICY_NONE, seed, &c);
	assert_int_equal(c.rounds_short, 0);
	assert_int_equal(c.sec_wrong, 0);
	assert_true(c.lin_wrong > 0);
	dma_fx_boot(LOCK_POLICY_NWD, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DMA_TEST(test_none_stream_has_no_lock_descriptors),
		DMA_TEST(test_v12_stream_locks_at_issue_and_unlocks_when_issued_is_empty),
		DMA_TEST(test_nwd_stream_wraps_the_transaction),
		DMA_TEST(test_nwd_each_transaction_gets_its_own_pair),
		DMA_TEST(test_nwd_lock_descriptors_take_no_cookies),
		DMA_TEST(test_nwd_stream_with_command_descriptors),
		DMA_TEST(test_nwd_lock_allocation_failure_aborts_the_transaction),
		DMA_TEST(test_v13_bam_attach_succeeds_and_streams_unlocked),
		DMA_TEST(test_attach_refuses_bad_metadata),
		DMA_TEST(test_nwd_keeps_the_secure_client_out_across_200_seeds),
		DMA_TEST(test_without_the_lock_linux_sees_the_secure_tag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
