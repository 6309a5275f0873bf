/*
 * test_bam_dma.c - the BAM DMA driver through the dmaengine API, on the
 * loopback board: probe, transfers and their callbacks and cookies,
 * residue, terminate, pause/resume, FIFO wrap, splitting, bad client input
 * and error interrupts. Every test ends with the fixture's resource check.
 */
#include <errno.h>

#include "bam_dma_fixture.h"

#define BAM_MAX_DESC_BYTES 0x7ff8

struct cb_log {
	unsigned int calls;
	bool in_bh;
	enum dmaengine_tx_result result;
	u32 residue;
	unsigned int order[8];
};

static struct cb_log cbl;

static void record_result(void *param, const struct dmaengine_result *res)
{
	cbl.in_bh = in_softirq();
	cbl.result = res->result;
	cbl.residue = res->residue;
	if (cbl.calls < ARRAY_SIZE(cbl.order))
		cbl.order[cbl.calls] = (unsigned int)(uintptr_t)param;
	cbl.calls++;
}

/* A mapped one-entry list over @buf. */
static void map_one(struct scatterlist *sg, void *buf, unsigned int len,
		    enum dma_data_direction dir)
{
	sg_init_one(sg, buf, len);
	assert_int_equal(dma_map_sg(dfx.lc->dev, sg, 1, dir), 1);
}

/* Prepare and submit @sg on @chan with a result callback tagged @tag. */
static dma_cookie_t submit(struct dma_chan *chan, struct scatterlist *sg, unsigned int n,
			   enum dma_transfer_direction dir, unsigned long flags, unsigned int tag)
{
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie;

	tx = dmaengine_prep_slave_sg(chan, sg, n, dir, flags);
	assert_non_null(tx);
	tx->callback_result = record_result;
	tx->callback_param = (void *)(uintptr_t)tag;
	cookie = dmaengine_submit(tx);
	assert_true(cookie >= DMA_MIN_COOKIE);
	return cookie;
}

static void test_probe_binds_client_and_channels(void **state)
{
	struct dma_slave_caps caps;

	assert_int_equal(dfx.lc->rx->chan_id, LB_RX_PIPE);
	assert_int_equal(dfx.lc->tx->chan_id, LB_TX_PIPE);
	assert_int_equal(dma_get_slave_caps(dfx.lc->rx, &caps), 0);
	assert_int_equal(caps.directions, BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM));
	assert_int_equal(caps.residue_granularity, DMA_RESIDUE_GRANULARITY_SEGMENT);
	assert_true(caps.cmd_pause && caps.cmd_resume && caps.cmd_terminate);
	assert_int_equal(dfx.lc->rx->device->max_seg_size, BAM_MAX_DESC_BYTES);
	assert_int_equal(dfx.lc->rx->device->chancnt, 20);
}

/* bam_chan_init_hw() on first use: FIFO address, size, interrupts, P_CTRL. */
static void test_first_transfer_initialises_pipes(void **state)
{
	u8 *src = dma_fx_buf(64, 1), *dst = dma_fx_buf(64, 0);
	struct scatterlist s, d;

	map_one(&d, dst, 64, DMA_FROM_DEVICE);
	map_one(&s, src, 64, DMA_TO_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 1);
	submit(dfx.lc->rx, &s, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 2);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	assert_int_equal(dma_fx_reg(BAM_P_FIFO_SIZES, LB_RX_PIPE), BAM_MAX_DESC_BYTES);
	assert_int_equal(dma_fx_reg(BAM_P_IRQ_EN, LB_RX_PIPE), 0x31);
	assert_int_equal(dma_fx_reg(BAM_P_CTRL, LB_RX_PIPE), 0x22);
	assert_int_equal(dma_fx_reg(BAM_P_CTRL, LB_TX_PIPE), 0x2a);
	assert_int_equal(dma_fx_reg(BAM_IRQ_SRCS_MSK_EE, 0) & 0x30, 0x30);
	dma_fx_run();
	assert_memory_equal(src, dst, 64);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

static void test_cookies_increase_and_callbacks_run_in_order_from_bh(void **state)
{
	u8 *src = dma_fx_buf(3000, 2), *dst = dma_fx_buf(3000, 0);
	struct scatterlist s[3], d;
	dma_cookie_t c[3];

	memset(&cbl, 0, sizeof(cbl));
	map_one(&d, dst, 3000, DMA_FROM_DEVICE);
	for (unsigned int i = 0; i < 3; i++)
		map_one(&s[i], src + i * 1000, 1000, DMA_TO_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 9);
	for (unsigned int i = 0; i < 3; i++)
		c[i] = submit(dfx.lc->rx, &s[i], 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, i);
	assert_int_equal(c[1], c[0] + 1);
	assert_int_equal(c[2], c[1] + 1);
	assert_int_equal(dma_async_is_tx_complete(dfx.lc->rx, c[0]), DMA_IN_PROGRESS);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	assert_int_equal(cbl.calls, 0);
	dma_fx_run();
	assert_int_equal(cbl.calls, 4);
	assert_true(cbl.in_bh);
	assert_int_equal(cbl.result, DMA_TRANS_NOERROR);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(dma_async_is_tx_complete(dfx.lc->rx, c[i]), DMA_COMPLETE);
		assert_int_equal(cbl.order[i + (cbl.order[0] == 9)], i);
	}
	assert_memory_equal(src, dst, 3000);
	for (unsigned int i = 0; i < 3; i++)
		dma_unmap_sg(dfx.lc->dev, &s[i], 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

static void xfer_done(struct bam_loopback_req *req)
{
	(*(unsigned int *)req->context)++;
}

/* One loop transfer of @len bytes through the client; asserts the copy. */
static void loop_once(size_t len, u8 seed)
{
	u8 *src = dma_fx_buf(len, seed), *dst = dma_fx_buf(len, 0);
	unsigned int done = 0;
	struct bam_loopback_req req = {
		.src = src, .dst = dst, .len = (unsigned int)len, .done = xfer_done,
		.context = &done,
	};

	assert_int_equal(bam_loopback_xfer(dfx.lc, &req), 0);
	dma_fx_run();
	assert_int_equal(done, 1);
	assert_int_equal(req.result, 0);
	assert_memory_equal(src, dst, len);
	kfree(src);
	kfree(dst);
}

/*
 * Nobody drains the loopback: the consumer pipe stops once the loopback's
 * 64 KiB FIFO is full, in the middle of a 256 KiB descriptor.
 */
static dma_cookie_t start_stalled_rx(u8 *src, struct scatterlist *s, size_t len)
{
	dma_cookie_t cookie;

	/*
	 * First bring both pipes up: initialising the producer pipe later
	 * resets it, and a reset drops what the loopback holds for it.
	 */
	loop_once(64, 0x40);
	map_one(s, src, (unsigned int)len, DMA_TO_DEVICE);
	cookie = submit(dfx.lc->rx, s, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 0);
	dma_async_issue_pending(dfx.lc->rx);
	dma_fx_run();
	return cookie;
}

static void test_residue_mid_transfer_counts_retired_descriptors(void **state)
{
	const size_t len = 256 * 1024;
	u8 *src = dma_fx_buf(len, 3), *dst = dma_fx_buf(len, 0);
	struct scatterlist s, d;
	struct dma_tx_state st;
	dma_cookie_t cookie = start_stalled_rx(src, &s, len);

	memset(&cbl, 0, sizeof(cbl));
	assert_int_equal(dmaengine_tx_status(dfx.lc->rx, cookie, &st), DMA_IN_PROGRESS);
	/* Two whole descriptors (2 x 0x7ff8 <= 64 KiB) went into the loopback. */
	assert_int_equal(st.residue, len - 2 * BAM_MAX_DESC_BYTES);
	map_one(&d, dst, len, DMA_FROM_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 1);
	dma_async_issue_pending(dfx.lc->tx);
	dma_fx_run();
	assert_int_equal(dmaengine_tx_status(dfx.lc->rx, cookie, &st), DMA_COMPLETE);
	assert_int_equal(st.residue, 0);
	assert_memory_equal(src, dst, len);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

static void test_terminate_with_work_in_fifo_frees_without_callbacks(void **state)
{
	const size_t len = 256 * 1024;
	u8 *src = dma_fx_buf(len, 4);
	struct scatterlist s;
	u64 objects;

	objects = kmem_stats().objects;
	start_stalled_rx(src, &s, len);
	memset(&cbl, 0, sizeof(cbl));
	assert_true(kmem_stats().objects > objects);
	assert_int_equal(dmaengine_terminate_sync(dfx.lc->rx), 0);
	dmaengine_terminate_sync(dfx.lc->tx);
	dma_fx_run();
	assert_int_equal(cbl.calls, 0);
	assert_int_equal(kmem_stats().objects, objects);
	/* The pipe was reset: its FIFO offset is back at 0. */
	assert_int_equal(dma_fx_reg(BAM_P_SW_OFSTS, LB_RX_PIPE) & 0xffff, 0);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	kfree(src);
}

static void test_prep_after_terminate_works(void **state)
{
	const size_t len = 256 * 1024;
	u8 *src = dma_fx_buf(len, 5);
	struct scatterlist s;

	start_stalled_rx(src, &s, len);
	dmaengine_terminate_sync(dfx.lc->rx);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	kfree(src);
	/* The loopback still holds the stalled bytes; a reset of its pipes drops them. */
	dmaengine_terminate_sync(dfx.lc->tx);
	loop_once(100000, 6);
}

static void test_pause_holds_and_resume_continues(void **state)
{
	u8 *src = dma_fx_buf(4096, 7), *dst = dma_fx_buf(4096, 0);
	struct scatterlist s, d;
	struct dma_tx_state st;
	dma_cookie_t cookie;

	memset(&cbl, 0, sizeof(cbl));
	map_one(&s, src, 4096, DMA_TO_DEVICE);
	map_one(&d, dst, 4096, DMA_FROM_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 1);
	cookie = submit(dfx.lc->rx, &s, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 2);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	assert_int_equal(dmaengine_pause(dfx.lc->rx), 0);
	dma_fx_run();
	assert_int_equal(cbl.calls, 0);
	assert_int_equal(dmaengine_tx_status(dfx.lc->rx, cookie, &st), DMA_PAUSED);
	assert_int_equal(st.residue, 4096);
	assert_int_equal(dmaengine_resume(dfx.lc->rx), 0);
	dma_fx_run();
	assert_int_equal(cbl.calls, 2);
	assert_int_equal(dmaengine_tx_status(dfx.lc->rx, cookie, NULL), DMA_COMPLETE);
	assert_memory_equal(src, dst, 4096);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

/* The pipe reset of the first use clears P_HALT; the driver must set it again. */
static void test_pause_before_first_use_survives_pipe_init(void **state)
{
	u8 *src = dma_fx_buf(512, 17), *dst = dma_fx_buf(512, 0);
	struct scatterlist s, d;
	struct dma_tx_state st;
	dma_cookie_t cookie;

	memset(&cbl, 0, sizeof(cbl));
	assert_int_equal(dmaengine_pause(dfx.lc->rx), 0);
	map_one(&s, src, 512, DMA_TO_DEVICE);
	map_one(&d, dst, 512, DMA_FROM_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 1);
	cookie = submit(dfx.lc->rx, &s, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 2);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	dma_fx_run();
	assert_int_equal(cbl.calls, 0);
	assert_int_equal(dmaengine_tx_status(dfx.lc->rx, cookie, &st), DMA_PAUSED);
	assert_int_equal(st.residue, 512);
	assert_int_equal(dmaengine_resume(dfx.lc->rx), 0);
	dma_fx_run();
	assert_int_equal(cbl.calls, 2);
	assert_memory_equal(src, dst, 512);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

/* 5000 entries: more hardware descriptors than the 4095-slot ring holds. */
static void test_fifo_wraps_with_more_descriptors_than_the_ring(void **state)
{
	const unsigned int n = 5000, piece = 64;
	u8 *src = dma_fx_buf(n * piece, 8), *dst = dma_fx_buf(n * piece, 0);
	struct sg_table t;
	struct scatterlist *sg, d;
	unsigned int i;

	memset(&cbl, 0, sizeof(cbl));
	assert_int_equal(sg_alloc_table(&t, n, GFP_KERNEL), 0);
	for_each_sg(t.sgl, sg, n, i)
		sg_set_buf(sg, src + i * piece, piece);
	assert_int_equal(dma_map_sgtable(dfx.lc->dev, &t, DMA_TO_DEVICE), 0);
	map_one(&d, dst, n * piece, DMA_FROM_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 1);
	submit(dfx.lc->rx, t.sgl, t.nents, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 2);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	dma_fx_run();
	assert_int_equal(cbl.calls, 2);
	assert_int_equal(cbl.result, DMA_TRANS_NOERROR);
	assert_memory_equal(src, dst, n * piece);
	assert_int_equal(bam_pipe_retired(dfx.bam, LB_RX_PIPE), n);
	/* The ring wrapped: the tail is n modulo the 4095 slots. */
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), n % 4095);
	dma_unmap_sgtable(dfx.lc->dev, &t, DMA_TO_DEVICE);
	sg_free_table(&t);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

/* The position of the callback tagged @tag in the order they ran (-1: never). */
static int callback_position(unsigned int tag)
{
	for (unsigned int i = 0; i < MIN(cbl.calls, ARRAY_SIZE(cbl.order)); i++)
		if (cbl.order[i] == tag)
			return (int)i;
	return -1;
}

/*
 * A, then B longer than the free ring, then C: A's retirement frees room
 * while only B's first part is loaded, and C must still wait for B's rest,
 * or C would complete first (the fix over upstream in docs/dma.md).
 */
static void test_nothing_loaded_behind_a_partly_loaded_descriptor(void **state)
{
	const unsigned int n = 5000, piece = 64, total = (n + 2) * piece;
	u8 *src = dma_fx_buf(total, 10), *dst = dma_fx_buf(total, 0);
	struct scatterlist a, c, d, *sg;
	struct sg_table t;
	unsigned int i;

	memset(&cbl, 0, sizeof(cbl));
	assert_int_equal(sg_alloc_table(&t, n, GFP_KERNEL), 0);
	for_each_sg(t.sgl, sg, n, i)
		sg_set_buf(sg, src + (i + 1) * piece, piece);
	assert_int_equal(dma_map_sgtable(dfx.lc->dev, &t, DMA_TO_DEVICE), 0);
	map_one(&a, src, piece, DMA_TO_DEVICE);
	map_one(&c, src + (n + 1) * piece, piece, DMA_TO_DEVICE);
	map_one(&d, dst, total, DMA_FROM_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, 0, 1);
	submit(dfx.lc->rx, &a, 1, DMA_MEM_TO_DEV, 0, 2);
	submit(dfx.lc->rx, t.sgl, t.nents, DMA_MEM_TO_DEV, 0, 3);
	submit(dfx.lc->rx, &c, 1, DMA_MEM_TO_DEV, 0, 4);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	dma_fx_run();
	assert_int_equal(cbl.calls, 4);
	assert_in_range(callback_position(2), 0, callback_position(3) - 1);
	assert_in_range(callback_position(3), 0, callback_position(4) - 1);
	assert_memory_equal(src, dst, total);
	dma_unmap_sgtable(dfx.lc->dev, &t, DMA_TO_DEVICE);
	sg_free_table(&t);
	dma_unmap_sg(dfx.lc->dev, &a, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &c, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

/* 1 MiB in one entry: 32 descriptors of 0x7ff8 bytes and one of 256. */
static void test_large_entry_split_at_descriptor_maximum(void **state)
{
	const size_t len = 1 << 20;
	u8 *src = dma_fx_buf(len, 9), *dst = dma_fx_buf(len, 0);
	struct scatterlist s, d;
	struct bam_desc hw;

	map_one(&s, src, len, DMA_TO_DEVICE);
	map_one(&d, dst, len, DMA_FROM_DEVICE);
	submit(dfx.lc->tx, &d, 1, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, 1);
	submit(dfx.lc->rx, &s, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 2);
	dma_async_issue_pending(dfx.lc->tx);
	dma_async_issue_pending(dfx.lc->rx);
	assert_int_equal(dma_fx_fifo_tail(LB_RX_PIPE), 33);
	for (unsigned int i = 0; i < 33; i++) {
		hw = dma_fx_fifo(LB_RX_PIPE, i);
		assert_int_equal(hw.addr, sg_dma_address(&s) + (u64)i * BAM_MAX_DESC_BYTES);
		assert_int_equal(hw.size, i < 32 ? BAM_MAX_DESC_BYTES : 256);
		assert_int_equal(hw.flags, i < 32 ? 0 : BAM_DESC_EOT);
	}
	dma_fx_run();
	assert_memory_equal(src, dst, len);
	dma_unmap_sg(dfx.lc->dev, &s, 1, DMA_TO_DEVICE);
	dma_unmap_sg(dfx.lc->dev, &d, 1, DMA_FROM_DEVICE);
	kfree(src);
	kfree(dst);
}

/* Bad input leaves nothing allocated or mapped behind. */
static void expect_prep_refused(struct scatterlist *sg, unsigned int n,
				enum dma_transfer_direction dir, const char *why)
{
	u64 objects = kmem_stats().objects;

	assert_null(dmaengine_prep_slave_sg(dfx.lc->rx, sg, n, dir, DMA_PREP_INTERRUPT));
	assert_non_null(strstr(dma_fx_bam_err(), why));
	assert_int_equal(kmem_stats().objects, objects);
}

static void test_bad_scatterlists_are_refused(void **state)
{
	u8 *buf = dma_fx_buf(64, 10);
	struct scatterlist sg[2];

	expect_prep_refused(NULL, 1, DMA_MEM_TO_DEV, "NULL");
	sg_init_one(&sg[0], buf, 64);
	expect_prep_refused(sg, 0, DMA_MEM_TO_DEV, "no entries");
	expect_prep_refused(sg, SG_MAX_ENTRIES + 1, DMA_MEM_TO_DEV, "too many entries");
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], buf, 64);
	assert_int_equal(dma_map_sg(dfx.lc->dev, sg, 1, DMA_TO_DEVICE), 1);
	sg[1].dma_address = sg[0].dma_address;
	sg[1].dma_length = 64;
	expect_prep_refused(sg, 3, DMA_MEM_TO_DEV, "ends after 2");
	sg[1].dma_length = 0;
	expect_prep_refused(sg, 2, DMA_MEM_TO_DEV, "entry 1 has length 0");
	expect_prep_refused(sg, 1, DMA_MEM_TO_MEM, "invalid dma direction");
	dma_unmap_sg(dfx.lc->dev, sg, 1, DMA_TO_DEVICE);
	kfree(buf);
}

static void test_prep_on_a_released_channel_is_refused(void **state)
{
	struct dma_chan *rx = dfx.lc->rx;
	u8 *buf = dma_fx_buf(64, 11);
	struct scatterlist sg;

	map_one(&sg, buf, 64, DMA_TO_DEVICE);
	dma_release_channel(rx);
	assert_null(dmaengine_prep_slave_sg(rx, &sg, 1, DMA_MEM_TO_DEV, 0));
	/* Give it back to the client, which releases it at remove. */
	assert_ptr_equal(dma_request_chan(dfx.lc->dev, "rx"), rx);
	dma_unmap_sg(dfx.lc->dev, &sg, 1, DMA_TO_DEVICE);
	kfree(buf);
}

/* Reading memory the TZC keeps secure is a bus error the client hears about. */
static void test_bus_error_reported_to_the_client(void **state)
{
	struct scatterlist sg;
	dma_cookie_t cookie;

	memset(&cbl, 0, sizeof(cbl));
	sg_init_table(&sg, 1);
	sg.dma_address = dfx.tee.priv_base;	/* not mapped: a buggy client */
	sg.dma_length = 4096;
	cookie = submit(dfx.lc->rx, &sg, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT, 1);
	dma_async_issue_pending(dfx.lc->rx);
	dma_fx_run();
	assert_int_equal(cbl.calls, 1);
	assert_int_equal(cbl.result, DMA_TRANS_READ_FAILED);
	assert_int_equal(cbl.residue, 4096);
	assert_int_equal(dma_async_is_tx_complete(dfx.lc->rx, cookie), DMA_COMPLETE);
	assert_non_null(strstr(dma_fx_bam_err(), "pipe 4 error"));
	/* The pipe is re-initialised on its next use. */
	dmaengine_terminate_sync(dfx.lc->tx);
	loop_once(5000, 12);
}

static void test_loop_transfer_under_each_policy(void **state)
{
	static const enum lock_policy policies[] = {
		LOCK_POLICY_NONE, LOCK_POLICY_V12, LOCK_POLICY_NWD,
	};

	dma_fx_shutdown();
	for (unsigned int i = 0; i < ARRAY_SIZE(policies); i++) {
		dma_fx_boot(policies[i], NULL, NULL);
		loop_once(100000, 13);
		loop_once(1 << 20, 14);
		if (i + 1 < ARRAY_SIZE(policies))
			dma_fx_shutdown();
	}
}

/* Without qcom,controlled-remotely the driver resets the BAM itself. */
static void test_local_bam_reset_and_maxburst(void **state)
{
	struct dma_slave_config cfg = { .direction = DMA_MEM_TO_DEV, .dst_maxburst = 16 };

	dma_fx_shutdown();
	dma_fx_boot(LOCK_POLICY_NWD, "qcom,controlled-remotely;", "");
	assert_int_equal(dma_fx_reg(BAM_CTRL, 0) & BAM_CTRL_BAM_EN, BAM_CTRL_BAM_EN);
	assert_int_equal(dma_fx_reg(BAM_IRQ_SRCS_MSK_EE, 0) & BAM_IRQ_SRCS_BAM,
			 BAM_IRQ_SRCS_BAM);
	assert_int_equal(dma_fx_reg(BAM_DESC_CNT_TRSHLD, 0), 4);
	cfg.dst_addr = dfx.lc->regs_phys;
	assert_int_equal(dmaengine_slave_config(dfx.lc->rx, &cfg), 0);
	loop_once(4096, 15);
	assert_int_equal(dma_fx_reg(BAM_DESC_CNT_TRSHLD, 0), 16);
}

/* No clock and no num-channels: the driver cannot know the pipes. */
static void test_missing_num_channels_fails_probe(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };

	dma_fx_shutdown();
	assert_int_equal(dma_fx_boot_cfg(LOCK_POLICY_NWD, "num-channels = <20>;", "", &cfg, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "num-channels unspecified"));
	assert_non_null(strstr(err.msg, "dma-controller@1dc4000"));
	kernel_shutdown(&dfx.k);
	soc_destroy(dfx.soc);
	sim_destroy(dfx.sim);
	dt_free(dfx.dt);
	dma_fx_boot(LOCK_POLICY_NWD, NULL, NULL);
}

/* With a clock, the counts come from REVISION and NUM_PIPES. */
static void test_counts_read_from_hardware_with_a_clock(void **state)
{
	dma_fx_shutdown();
	dma_fx_boot(LOCK_POLICY_NWD, "num-channels = <20>;", "clocks = <0>;");
	assert_int_equal(dfx.lc->rx->device->chancnt, 20);
	loop_once(4096, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DMA_TEST(test_probe_binds_client_and_channels),
		DMA_TEST(test_first_transfer_initialises_pipes),
		DMA_TEST(test_cookies_increase_and_callbacks_run_in_order_from_bh),
		DMA_TEST(test_residue_mid_transfer_counts_retired_descriptors),
		DMA_TEST(test_terminate_with_work_in_fifo_frees_without_callbacks),
		DMA_TEST(test_prep_after_terminate_works),
		DMA_TEST(test_pause_holds_and_resume_continues),
		DMA_TEST(test_pause_before_first_use_survives_pipe_init),
		DMA_TEST(test_nothing_loaded_behind_a_partly_loaded_descriptor),
		DMA_TEST(test_fifo_wraps_with_more_descriptors_than_the_ring),
		DMA_TEST(test_large_entry_split_at_descriptor_maximum),
		DMA_TEST(test_bad_scatterlists_are_refused),
		DMA_TEST(test_prep_on_a_released_channel_is_refused),
		DMA_TEST(test_bus_error_reported_to_the_client),
		DMA_TEST(test_loop_transfer_under_each_policy),
		DMA_TEST(test_local_bam_reset_and_maxburst),
		DMA_TEST(test_missing_num_channels_fails_probe),
		DMA_TEST(test_counts_read_from_hardware_with_a_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
