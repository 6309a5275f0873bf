/*
 * test_bam.c - the BAM's descriptor processing at register level: data
 * through the loopback peripheral (zero-copy and staged paths, chunking,
 * back-pressure), every descriptor flag (INT, EOT, EOB, NWD, CMD; LOCK and
 * UNLOCK are in test_bam_lock.c), command elements, FIFO wrap-around and
 * P_HALT. Issue #3 acceptance; the bench is in bam_fixture.h.
 */
#include "bam_fixture.h"

/* ---- data through the loopback ---- */

static bool consumer_retired(void)
{
	return bam_pipe_retired(fx.bam, 0) == 1;
}

/*
 * The producer's descriptor is fetched first: the consumer's bytes go
 * straight into its buffer and nothing is ever staged in the loopback.
 */
static void test_zero_copy_when_producer_first(void **state)
{
	bam_fx_linux();
	fill(BUF(0), 8192, 1);
	post(1, BUF(1), 8192, BAM_DESC_INT | BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(1), 0);	/* fetched, waiting for data */
	post(0, BUF(0), 8192, BAM_DESC_INT | BAM_DESC_EOT);
	while (sim_step_once(fx.sim))
		assert_int_equal(bam_loopback_staged(fx.lb, 0), 0);
	assert_memory_equal(host(BUF(1), 8192), host(BUF(0), 8192), 8192);
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 1);
	assert_int_equal(bam_loopback_bytes(fx.lb), 8192);
}

/* The consumer runs first: the loopback stages the bytes until the producer pulls. */
static void test_staged_when_consumer_first(void **state)
{
	bam_fx_linux();
	fill(BUF(0), 8192, 2);
	post(0, BUF(0), 8192, BAM_DESC_INT | BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(bam_loopback_staged(fx.lb, 0), 8192);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 8192);
	post(1, BUF(1), 8192, BAM_DESC_INT | BAM_DESC_EOT);
	run();
	assert_int_equal(bam_loopback_staged(fx.lb, 0), 0);
	assert_int_equal(hw_index(1), 1);
	assert_memory_equal(host(BUF(1), 8192), host(BUF(0), 8192), 8192);
}

/* A descriptor larger than one step's chunk, into two smaller producer descriptors. */
static void test_large_descriptor_split_across_producer(void **state)
{
	const u32 len = 0xc000;

	bam_fx_linux();
	fill(BUF(0), len, 3);
	post(1, BUF(2), len / 2, 0);
	post(1, BUF(4), len / 2, BAM_DESC_INT | BAM_DESC_EOT);
	post(0, BUF(0), len, BAM_DESC_INT | BAM_DESC_EOT);
	run();
	assert_memory_equal(host(BUF(2), len / 2), host(BUF(0), len / 2), len / 2);
	assert_memory_equal(host(BUF(4), len / 2), host(BUF(0) + len / 2, len / 2), len / 2);
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 2);
	assert_int_equal(bam_loopback_bytes(fx.lb), len);
}

/* With nobody pulling, the consumer stops when the loopback's FIFO is full. */
static void test_back_pressure_when_loopback_full(void **state)
{
	const u32 len = 0xc000;

	bam_fx_linux();
	fill(BUF(0), 2 * len, 4);
	post(0, BUF(0), len, 0);
	post(0, BUF(0) + len, len, BAM_DESC_EOT);
	run();
	assert_int_equal(bam_loopback_staged(fx.lb, 0), LOOPBACK_FIFO_BYTES);
	assert_int_equal(hw_index(0), 1);	/* the second descriptor is stuck half-way */
	post(1, BUF(4), len, 0);
	post(1, BUF(6), len, BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(hw_index(1), 2);
	assert_memory_equal(host(BUF(4), len), host(BUF(0), len), len);
	assert_memory_equal(host(BUF(6), len), host(BUF(0) + len, len), len);
}

/* ---- flags ---- */

static void test_int_sets_prcsd_desc(void **state)
{
	bam_fx_linux();
	post(1, BUF(1), 128, 0);
	queue(0, BUF(0), 64, BAM_DESC_INT);
	queue(0, BUF(0) + 64, 64, 0);
	kick_as(&cpu_ns, 0);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
	assert_true(ee_irq(LINUX_EE));
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), BIT(0));
}

/* No flags: the only status is OUT_OF_DESC when the FIFO drains, which 0x31 leaves off. */
static void test_no_flags_raise_only_out_of_desc(void **state)
{
	bam_fx_linux();
	post(1, BUF(1), 128, 0);
	queue(0, BUF(0), 64, 0);
	queue(0, BUF(0) + 64, 64, 0);
	kick_as(&cpu_ns, 0);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_OUT_OF_DESC);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 1), BAM_P_OUT_OF_DESC);
	assert_false(ee_irq(LINUX_EE));
	assert_int_equal(lb_rd(LOOPBACK_DONES), 0);
}

static bool first_of_two_retired(void)
{
	return hw_index(0) == 1;
}

/* OUT_OF_DESC only once the FIFO is empty, not after each descriptor. */
static void test_out_of_desc_when_fifo_drains(void **state)
{
	bam_fx_linux();
	post(1, BUF(1), 128, 0);
	queue(0, BUF(0), 64, 0);
	queue(0, BUF(0) + 64, 64, 0);
	kick_as(&cpu_ns, 0);
	step_until(first_of_two_retired);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_OUT_OF_DESC);
	wr(BAM_P_IRQ_CLR, 0, BAM_P_OUT_OF_DESC);
	post(0, BUF(0), 64, 0);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_OUT_OF_DESC);
}

/* EOT raises TRNSFR_END and reaches the peripheral as the end of its input. */
static void test_eot_sets_trnsfr_end_and_tells_peripheral(void **state)
{
	bam_fx_linux();
	post(1, BUF(1), 128, 0);
	post(0, BUF(0), 64, 0);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0) & BAM_P_TRNSFR_END, 0);
	assert_int_equal(lb_rd(LOOPBACK_DONES), 0);
	post(0, BUF(0) + 64, 64, BAM_DESC_EOT);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_TRNSFR_END | BAM_P_OUT_OF_DESC);
	assert_true(ee_irq(LINUX_EE));
	assert_int_equal(lb_rd(LOOPBACK_DONES), 1);
}

/* EOB is carried and nothing more: same status and data as no flags. */
static void test_eob_has_no_effect(void **state)
{
	bam_fx_linux();
	fill(BUF(0), 256, 5);
	post(1, BUF(1), 256, BAM_DESC_EOB);
	post(0, BUF(0), 256, BAM_DESC_EOB);
	run();
	assert_memory_equal(host(BUF(1), 256), host(BUF(0), 256), 256);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_OUT_OF_DESC);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 1), BAM_P_OUT_OF_DESC);
	assert_int_equal(lb_rd(LOOPBACK_DONES), 0);
	assert_false(ee_irq(LINUX_EE));
	assert_int_equal(guest_errors(), 0);
}

/* Retirement first; the status bits and the line follow, the latency later. */
static void test_irq_follows_retirement_after_latency(void **state)
{
	u64 retired_at;

	bam_fx_linux();
	post(0, BUF(0), 64, BAM_DESC_INT);
	step_until(consumer_retired);
	retired_at = sim_now_ns(fx.sim);
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), 0);
	assert_false(ee_irq(LINUX_EE));
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
	assert_true(ee_irq(LINUX_EE));
	assert_true(sim_now_ns(fx.sim) >= retired_at + BAM_IRQ_LATENCY_NS_DEFAULT);
}

static bool second_of_two_retired(void)
{
	return hw_index(0) == 2;
}

/*
 * The interrupt is raised a latency after retirement, but the pipe does not
 * wait for it: the next descriptor (fetch + 16 ns of data) retires sooner.
 */
static void test_irq_latency_does_not_stall_pipe(void **state)
{
	u64 first;

	bam_fx_linux();
	queue(0, BUF(0), 64, BAM_DESC_INT);
	queue(0, BUF(0) + 64, 64, BAM_DESC_INT);
	kick_as(&cpu_ns, 0);
	step_until(first_of_two_retired);
	first = sim_now_ns(fx.sim);
	step_until(second_of_two_retired);
	assert_in_range(sim_now_ns(fx.sim) - first, 1, BAM_IRQ_LATENCY_NS_DEFAULT - 1);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
}

/*
 * NWD: the descriptor does not retire, and the next is not fetched, until
 * the peripheral says done; LOOPBACK_CTRL.HOLD_DONE holds that back.
 */
static void test_nwd_stalls_until_done(void **state)
{
	bam_fx_linux();
	lb_wr(LOOPBACK_CTRL, LOOPBACK_CTRL_HOLD_DONE);
	fill(BUF(0), 512, 6);
	post(1, BUF(1), 512, 0);
	queue(0, BUF(0), 256, BAM_DESC_NWD | BAM_DESC_EOT);
	queue(0, BUF(0) + 256, 256, BAM_DESC_INT | BAM_DESC_EOT);
	kick_as(&cpu_ns, 0);
	run();
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 256);	/* the second is not fetched */
	assert_int_equal(bam_loopback_staged(fx.lb, 0), 0);	/* the loopback is drained */
	assert_int_equal(lb_rd(LOOPBACK_DONES), 0);

	lb_wr(LOOPBACK_CTRL, 0);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 512);
	assert_int_equal(lb_rd(LOOPBACK_DONES), 2);
	assert_memory_equal(host(BUF(1), 512), host(BUF(0), 512), 512);
	assert_int_equal(guest_errors(), 0);
}

static bool eot_pushed(void)
{
	return lb_rd(LOOPBACK_BYTES) == 256;
}

/* The done comes LOOPBACK_DONE_DELAY after the last byte; NWD waits for it. */
static void test_nwd_waits_done_delay(void **state)
{
	u64 pushed_at;

	bam_fx_linux();
	lb_wr(LOOPBACK_DONE_DELAY, 5000);
	post(1, BUF(1), 256, 0);
	post(0, BUF(0), 256, BAM_DESC_NWD | BAM_DESC_EOT);
	step_until(eot_pushed);
	pushed_at = sim_now_ns(fx.sim);
	step_until(consumer_retired);
	assert_true(sim_now_ns(fx.sim) >= pushed_at + 5000);
	run();
	assert_int_equal(hw_index(0), 1);
}

/* The loopback is done only once its FIFO drained: NWD waits for the producer too. */
static void test_nwd_waits_for_output_to_drain(void **state)
{
	bam_fx_linux();
	post(0, BUF(0), 256, BAM_DESC_NWD | BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(bam_loopback_staged(fx.lb, 0), 256);
	post(1, BUF(1), 256, 0);
	run();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 1);
}

/* ---- command elements ---- */

static void test_ce_write(void **state)
{
	bam_fx_linux();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0xdeadbeef, 0xffffffff);
	put_ce(CE_ADDR(0), 1, BAM_CE_WRITE, LOOP_CE(LOOPBACK_DONE_DELAY), 77, 0xffffffff);
	post(0, CE_ADDR(0), 32, BAM_DESC_CMD | BAM_DESC_INT);
	run();
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0xdeadbeef);
	assert_int_equal(lb_rd(LOOPBACK_DONE_DELAY), 77);
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);	/* nothing went down the data path */
}

/* A mask other than ~0 is a read-modify-write of the masked bits only. */
static void test_ce_masked_write(void **state)
{
	bam_fx_linux();
	lb_wr(LOOPBACK_SCRATCH, 0x11223344);
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0xaabbccdd, 0x00ff00ff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0x11bb33dd);
}

/* READ stores the register at the destination; elements run in order. */
static void test_ce_read_into_ram(void **state)
{
	u64 dst = BUF(8);

	bam_fx_linux();
	set_ram_word(dst, 0x5a5a5a5a);
	set_ram_word(dst + 4, 0x5a5a5a5a);
	put_ce(CE_ADDR(0), 0, BAM_CE_READ, LOOP_CE(LOOPBACK_ID), (u32)dst, 0);
	put_ce(CE_ADDR(0), 1, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0x0000abcd, 0xffffffff);
	put_ce(CE_ADDR(0), 2, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0x12340000, 0xffff0000);
	put_ce(CE_ADDR(0), 3, BAM_CE_READ, LOOP_CE(LOOPBACK_SCRATCH), (u32)dst + 4, 0);
	post(0, CE_ADDR(0), 64, BAM_DESC_CMD);
	run();
	assert_int_equal(ram_word(dst), LOOPBACK_ID_VALUE);
	assert_int_equal(ram_word(dst + 4), 0x1234abcd);
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(guest_errors(), 0);
}

/* Before v1.6 the mask of a READ means nothing: the old helper's ~0 is harmless. */
static void test_ce_read_mask_ignored(void **state)
{
	u64 dst = BUF(8);

	bam_fx_linux();
	put_ce(CE_ADDR(0), 0, BAM_CE_READ, LOOP_CE(LOOPBACK_ID), (u32)dst, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	assert_int_equal(ram_word(dst), LOOPBACK_ID_VALUE);
	assert_int_equal(hw_index(0), 1);
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
}

/*
 * From v1.6 on mask[3:0] of a READ are destination bits [35:32]: the old
 * helper's ~0 sends the value to 0xf_xxxx_xxxx, outside RAM (the IPQ5424
 * NAND breakage) - an HRESP error; with mask 0 it lands in RAM.
 */
static void test_ce_read_mask_is_high_address(void **state)
{
	u64 dst = BUF(8);

	bam_fx_linux();
	put_ce(CE_ADDR(0), 0, BAM_CE_READ, LOOP_CE(LOOPBACK_ID), (u32)dst, 0);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	assert_int_equal(ram_word(dst), LOOPBACK_ID_VALUE);
	set_ram_word(dst, 0);
	put_ce(CE_ADDR(1), 0, BAM_CE_READ, LOOP_CE(LOOPBACK_ID), (u32)dst, 0xffffffff);
	post(0, CE_ADDR(1), 16, BAM_DESC_CMD);
	run();
	assert_int_equal(ram_word(dst), 0);
	assert_int_equal(hw_index(0), 1);
	assert_true(rd(BAM_P_IRQ_STTS, 0) & BAM_P_ERR);
	assert_true(rd(BAM_P_IRQ_STTS, 0) & BAM_P_HRESP_ERR);
	assert_int_equal(rd(BAM_IRQ_STTS, 0), BAM_IRQ_HRESP_ERR);
	assert_non_null(strstr(bam_pipe_error(fx.bam, 0), "0xf8"));
}

/* ---- the FIFO ---- */

/* A 4-slot FIFO, 12 descriptors over 4 rounds of 3: P_SW_OFSTS wraps to 0. */
static void test_fifo_wraps_around(void **state)
{
	static const u32 expect[] = { 0x18, 0x10, 0x08, 0x00 };
	const u32 len = 256;
	unsigned int n = 0;

	bam_reset_seq(&cpu_ns, LINUX_EE);
	pipe_init_as(&cpu_ns, 0, LINUX_EE, false, 0, 0x20);
	pipe_init_as(&cpu_ns, 1, LINUX_EE, true, 0, 0x20);
	fill(BUF(0), 12 * len, 7);
	for (unsigned int round = 0; round < ARRAY_SIZE(expect); round++) {
		for (unsigned int k = 0; k < 3; k++, n++) {
			queue(1, BUF(1) + n * len, len, k == 2 ? BAM_DESC_INT : 0);
			queue(0, BUF(0) + n * len, len, k == 2 ? BAM_DESC_EOT : 0);
		}
		kick_as(&cpu_ns, 1);
		kick_as(&cpu_ns, 0);
		run();
		assert_int_equal(rd(BAM_P_SW_OFSTS, 0), expect[round]);
		assert_int_equal(rd(BAM_P_SW_OFSTS, 1), expect[round]);
		assert_int_equal(rd(BAM_P_IRQ_STTS, 1), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
		wr(BAM_P_IRQ_CLR, 1, rd(BAM_P_IRQ_STTS, 1));
	}
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 12);
	assert_int_equal(bam_pipe_retired(fx.bam, 1), 12);
	assert_memory_equal(host(BUF(1), 12 * len), host(BUF(0), 12 * len), 12 * len);
	assert_int_equal(guest_errors(), 0);
}

/* The driver's 0x7ff8-byte FIFO has 4095 slots: the hardware offset wraps after the last. */
static void test_full_fifo_wraps_after_4095_slots(void **state)
{
	bam_fx_linux();
	for (unsigned int n = 0; n < 4000; n++)
		queue(0, BUF(0), 8, 0);
	kick_as(&cpu_ns, 0);
	run();
	assert_int_equal(hw_index(0), 4000);
	for (unsigned int n = 0; n < 97; n++)
		queue(0, BUF(0), 8, 0);
	assert_int_equal(fx.tail[0], 16);
	kick_as(&cpu_ns, 0);
	run();
	assert_int_equal(rd(BAM_P_SW_OFSTS, 0), 16);
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 4097);
	assert_int_equal(bam_loopback_bytes(fx.lb), 4097 * 8);
	assert_int_equal(guest_errors(), 0);
}

/* ---- P_HALT ---- */

static void test_halt_pauses_and_resumes(void **state)
{
	bam_fx_linux();
	wr(BAM_P_HALT, 0, BAM_P_HALT_HALT);
	assert_int_equal(rd(BAM_P_HALT, 0), BAM_P_HALT_HALT | BAM_P_HALT_PROD_HALTED);
	post(1, BUF(1), 128, 0);
	queue(0, BUF(0), 64, 0);
	queue(0, BUF(0) + 64, 64, 0);
	kick_as(&cpu_ns, 0);
	run();
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);

	wr(BAM_P_HALT, 0, 0);
	assert_int_equal(rd(BAM_P_HALT, 0), 0);
	step_until(first_of_two_retired);
	wr(BAM_P_HALT, 0, BAM_P_HALT_HALT);
	run();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 64);

	wr(BAM_P_HALT, 0, 0);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 128);
	assert_int_equal(guest_errors(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BAM_TEST(test_zero_copy_when_producer_first),
		BAM_TEST(test_staged_when_consumer_first),
		BAM_TEST(test_large_descriptor_split_across_producer),
		BAM_TEST(test_back_pressure_when_loopback_full),
		BAM_TEST(test_int_sets_prcsd_desc),
		BAM_TEST(test_no_flags_raise_only_out_of_desc),
		BAM_TEST(test_out_of_desc_when_fifo_drains),
		BAM_TEST(test_eot_sets_trnsfr_end_and_tells_peripheral),
		BAM_TEST(test_eob_has_no_effect),
		BAM_TEST(test_irq_follows_retirement_after_latency),
		BAM_TEST(test_irq_latency_does_not_stall_pipe),
		BAM_TEST(test_nwd_stalls_until_done),
		BAM_TEST(test_nwd_waits_done_delay),
		BAM_TEST(test_nwd_waits_for_output_to_drain),
		BAM_TEST(test_ce_write),
		BAM_TEST(test_ce_masked_write),
		BAM_TEST(test_ce_read_into_ram),
		VERSION_TEST(test_ce_read_mask_ignored, BAM_V1_3_0),
		VERSION_TEST(test_ce_read_mask_ignored, BAM_V1_4_0),
		VERSION_TEST(test_ce_read_mask_is_high_address, BAM_V1_7_0),
		VERSION_TEST(test_ce_read_mask_is_high_address, BAM_V2_0_0),
		BAM_TEST(test_fifo_wraps_around),
		BAM_TEST(test_full_fifo_wraps_after_4095_slots),
		BAM_TEST(test_halt_pauses_and_resumes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
