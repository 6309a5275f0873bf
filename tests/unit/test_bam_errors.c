/*
 * test_bam_errors.c - every error that halts a BAM pipe, at register level:
 * malformed descriptors and command elements, lock misuse, bad P_EVNT_REG
 * writes, and bus errors (outside RAM, unmapped registers, TZC denials with
 * an error response). Each sets its status bits, raises the error interrupt,
 * logs a guest error and halts the pipe until P_RST or SW_RST. Issue #3
 * acceptance; the bench is in bam_fixture.h.
 */
#include "bam_fixture.h"

#define NOWHERE 0x40000000ULL		/* neither RAM nor MMIO */
#define NOWHERE_CE 0xe00000u		/* 0x01e00000: in the BAM's window, unmapped */

/*
 * Pipe @pipe (Linux's, EE 0) halted on an error whose reason mentions @why:
 * P_IRQ_STTS.ERR (+ HRESP_ERR for a bus error), IRQ_STTS.ERROR or HRESP_ERR,
 * both sources and the line of EE 0, P_HALT.PROD_HALTED, a guest error.
 */
static void check_pipe_error(unsigned int pipe, const char *why, bool bus_error, u64 errors)
{
	const char *msg = bam_pipe_error(fx.bam, pipe);
	u32 bits = BAM_P_ERR | (bus_error ? BAM_P_HRESP_ERR : 0);

	if (!strstr(msg, why))
		print_error("pipe %u: reason \"%s\" lacks \"%s\"\n", pipe, msg, why);
	assert_non_null(strstr(msg, why));
	assert_int_equal(rd(BAM_P_IRQ_STTS, pipe) & (BAM_P_ERR | BAM_P_HRESP_ERR), bits);
	assert_int_equal(rd(BAM_IRQ_STTS, 0), bus_error ? BAM_IRQ_HRESP_ERR : BAM_IRQ_ERROR);
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE) & (BIT(pipe) | BAM_IRQ_SRCS_BAM),
			 BIT(pipe) | BAM_IRQ_SRCS_BAM);
	assert_true(ee_irq(LINUX_EE));
	assert_true(rd(BAM_P_HALT, pipe) & BAM_P_HALT_PROD_HALTED);
	assert_true(guest_errors() > errors);
}

/*
 * Consumer pipe @pipe ignores new work while halted; P_RST (and the rest of
 * the driver's init) brings it back, and the interrupt goes away once the
 * global status is cleared too.
 */
static void check_halted_until_reset(unsigned int pipe)
{
	u64 retired = bam_pipe_retired(fx.bam, pipe);
	u32 bytes = lb_rd(LOOPBACK_BYTES);

	post(pipe, BUF(0), 64, 0);
	run();
	assert_int_equal(bam_pipe_retired(fx.bam, pipe), retired);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), bytes);

	pipe_init(pipe, false);
	assert_string_equal(bam_pipe_error(fx.bam, pipe), "");
	assert_int_equal(rd(BAM_P_IRQ_STTS, pipe), 0);
	assert_int_equal(rd(BAM_P_HALT, pipe), 0);
	wr(BAM_IRQ_CLR, 0, rd(BAM_IRQ_STTS, 0));
	assert_false(ee_irq(LINUX_EE));
	post(pipe, BUF(0), 64, 0);
	run();
	assert_int_equal(hw_index(pipe), 1);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), bytes + 64);
}

/* ---- malformed descriptors ---- */

static void test_size_zero(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post(0, BUF(0), 0, BAM_DESC_INT);
	run();
	check_pipe_error(0, "size 0", false, errors);
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 0);
	check_halted_until_reset(0);
}

static void test_command_size_not_multiple_of_16(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 1, 0xffffffff);
	post(0, CE_ADDR(0), 24, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "16-byte command elements", false, errors);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0);	/* nothing of it ran */
	check_halted_until_reset(0);
}

static void test_lock_on_data_descriptor(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post(0, BUF(0), 64, BAM_DESC_LOCK);
	run();
	check_pipe_error(0, "LOCK/UNLOCK on a data descriptor", false, errors);
	assert_int_equal(bam_lock_owner_pipe(fx.bam), -1);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
	check_halted_until_reset(0);
}

static void test_unlock_on_data_descriptor(void **state)
{
	u64 errors;

	bam_fx_linux();
	post_cmd(0, 0, 1, BAM_DESC_LOCK);
	run();
	errors = guest_errors();
	post(0, BUF(0), 64, BAM_DESC_UNLOCK | BAM_DESC_EOT);
	run();
	check_pipe_error(0, "LOCK/UNLOCK on a data descriptor", false, errors);
	assert_int_equal(bam_lock_owner_pipe(fx.bam), 0);	/* still held */
	check_halted_until_reset(0);
	assert_int_equal(bam_lock_owner_pipe(fx.bam), -1);	/* P_RST freed it */
}

/* ---- lock misuse ---- */

static void test_nested_lock(void **state)
{
	u64 errors;

	bam_fx_linux();
	post_cmd(0, 0, 1, BAM_DESC_LOCK);
	run();
	errors = guest_errors();
	post_cmd(0, 1, 2, BAM_DESC_LOCK);
	run();
	check_pipe_error(0, "nested LOCK", false, errors);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 1);	/* the second LOCK's element did not run */
	assert_int_equal(hw_index(0), 1);
	check_halted_until_reset(0);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_OWNER), 0);
}

static void test_unlock_when_free(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post_cmd(0, 0, 1, BAM_DESC_UNLOCK);
	run();
	check_pipe_error(0, "no pipe holds the lock", false, errors);
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 0);
	check_halted_until_reset(0);
}

/* UNLOCK from a pipe of the holder's group that does not hold it. */
static void test_unlock_by_non_holder(void **state)
{
	u64 errors;

	bam_fx_linux();
	pipe_init(4, false);
	post_cmd(0, 0, 1, BAM_DESC_LOCK);
	run();
	errors = guest_errors();
	post_cmd(4, 1, 2, BAM_DESC_UNLOCK);
	run();
	check_pipe_error(4, "does not hold the lock", false, errors);
	assert_int_equal(bam_lock_owner_pipe(fx.bam), 0);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_OWNER), LINUX_EE + 1);
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
	check_halted_until_reset(4);
}

/* ---- command elements ---- */

/* Elements before the bad one have run; those after it have not. */
static void test_ce_address_zero(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 1, 0xffffffff);
	put_ce(CE_ADDR(0), 1, BAM_CE_WRITE, 0, 2, 0xffffffff);
	put_ce(CE_ADDR(0), 2, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 3, 0xffffffff);
	post(0, CE_ADDR(0), 48, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "addresses 0", false, errors);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 1);
	assert_int_equal(hw_index(0), 0);
	check_halted_until_reset(0);
}

static void test_ce_unknown_command(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, 2, LOOP_CE(LOOPBACK_SCRATCH), 1, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "unknown command 2", false, errors);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0);
	check_halted_until_reset(0);
}

/* A write to an address nothing decodes: DECERR, an HRESP error. */
static void test_ce_write_to_unmapped_register(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, NOWHERE_CE, 1, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "0x01e00000", true, errors);
	assert_non_null(strstr(bam_pipe_error(fx.bam, 0), "DECERR"));
	check_halted_until_reset(0);
}

static void test_ce_read_of_unmapped_register(void **state)
{
	u64 errors;

	bam_fx_linux();
	set_ram_word(BUF(8), 0x5a5a5a5a);
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, BAM_CE_READ, NOWHERE_CE, (u32)BUF(8), 0);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "DECERR", true, errors);
	assert_int_equal(ram_word(BUF(8)), 0x5a5a5a5a);
	check_halted_until_reset(0);
}

/* The register answers with an error itself (SLVERR): the BAM's own P_TRUST_REG. */
static void test_ce_refused_by_register(void **state)
{
	u32 trust = (u32)((BAM_BASE + bam_reg_offset(fx.v, BAM_P_TRUST_REG, 2, 0)) & 0xffffff);
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, trust, SECURE_EE, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "SLVERR", true, errors);
	assert_int_equal(bam_pipe_ee(fx.bam, 2), LINUX_EE);
	check_halted_until_reset(0);
}

static void test_ce_fetch_outside_ram(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post(0, NOWHERE, 16, BAM_DESC_CMD);
	run();
	check_pipe_error(0, "command element fetch", true, errors);
	check_halted_until_reset(0);
}

/* ---- P_EVNT_REG ---- */

static void test_evnt_reg_not_multiple_of_8(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	wr(BAM_P_EVNT_REG, 0, 12);
	check_pipe_error(0, "not a multiple of 8", false, errors);
	run();
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
	check_halted_until_reset(0);
}

static void test_evnt_reg_beyond_fifo(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	wr(BAM_P_EVNT_REG, 0, FIFO_BYTES);
	check_pipe_error(0, "beyond the descriptor FIFO", false, errors);
	check_halted_until_reset(0);
}

/* P_EVNT_REG before P_FIFO_SIZES: the pipe has no FIFO to fetch from. */
static void test_evnt_reg_without_fifo(void **state)
{
	u64 errors;

	bam_reset_seq(&cpu_ns, LINUX_EE);
	wr(BAM_P_RST, 0, 1);
	wr(BAM_P_RST, 0, 0);
	wr(BAM_P_DESC_FIFO_ADDR, 0, (u32)FIFO_ADDR(0));
	wr(BAM_P_IRQ_EN, 0, P_IRQ_EN_LINUX);
	wr(BAM_IRQ_SRCS_MSK_EE, LINUX_EE, BAM_IRQ_SRCS_BAM | BIT(0));
	wr(BAM_P_CTRL, 0, P_CTRL_CONSUMER);
	errors = guest_errors();
	wr(BAM_P_EVNT_REG, 0, 8);
	check_pipe_error(0, "not set up", false, errors);
	fx.fifo[0] = FIFO_BYTES;	/* the bench's ring, for the posts below */
	check_halted_until_reset(0);
}

/* ---- bus errors ---- */

static void test_descriptor_fetch_outside_ram(void **state)
{
	u64 errors;

	bam_fx_linux();
	wr(BAM_P_DESC_FIFO_ADDR, 0, (u32)NOWHERE);
	errors = guest_errors();
	post(0, BUF(0), 64, 0);
	run();
	check_pipe_error(0, "descriptor fetch", true, errors);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
	check_halted_until_reset(0);
}

static void test_consumer_buffer_outside_ram(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post(0, NOWHERE, 64, 0);
	run();
	check_pipe_error(0, "read of buffer", true, errors);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
	check_halted_until_reset(0);
}

/* A buffer that runs off the end of RAM is outside RAM too. */
static void test_consumer_buffer_past_end_of_ram(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post(0, RAM_BASE + RAM_SIZE - 32, 64, 0);
	run();
	check_pipe_error(0, "read of buffer", true, errors);
	check_halted_until_reset(0);
}

static void test_producer_buffer_outside_ram(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	post(1, NOWHERE, 64, 0);
	run();
	check_pipe_error(1, "write to buffer", true, errors);
	assert_int_equal(hw_index(1), 0);
	/* Reset and re-init as the producer it is: it runs again. */
	pipe_init(1, true);
	wr(BAM_IRQ_CLR, 0, rd(BAM_IRQ_STTS, 0));
	assert_false(ee_irq(LINUX_EE));
	fill(BUF(0), 64, 8);
	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, 0);
	run();
	assert_int_equal(hw_index(1), 1);
	assert_memory_equal(host(BUF(1), 64), host(BUF(0), 64), 64);
}

/* ---- the TZC ---- */

static void tzc_wr(u32 off, u32 val)
{
	assert_int_equal(bus_write_sized(fx.bus, &cpu_s, TZC_BASE + off, 4, val), BUS_OKAY);
}

/* All of RAM open to everyone, but SECURE_RAM for secure masters only. */
static void tzc_setup(u32 action)
{
	struct secsoc_error err = { 0 };

	fx.tzc = tzc400_create(fx.bus, "tzc@a000000", TZC_BASE, NULL, NULL, &err);
	assert_non_null(fx.tzc);
	tzc_wr(TZC400_REGION_ATTRIBUTES(0), TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN);
	tzc_wr(TZC400_REGION_ID_ACCESS(0), 0xffffffff);
	tzc_wr(TZC400_REGION_BASE_LOW(1), (u32)SECURE_RAM);
	tzc_wr(TZC400_REGION_BASE_HIGH(1), 0);
	tzc_wr(TZC400_REGION_TOP_LOW(1), (u32)(SECURE_RAM + SECURE_RAM_SIZE - 1));
	tzc_wr(TZC400_REGION_TOP_HIGH(1), 0);
	tzc_wr(TZC400_REGION_ATTRIBUTES(1), TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN | 0x1);
	tzc_wr(TZC400_REGION_ID_ACCESS(1), 0);
	tzc_wr(TZC400_ACTION, action);
	tzc_wr(TZC400_GATE_KEEPER, 0xf);
}

/* Linux's pipe reading secure memory: DECERR from the TZC, an HRESP error. */
static void test_tzc_denial_is_hresp_error(void **state)
{
	u64 errors;

	tzc_setup(TZC400_ACTION_DECERR);
	bam_fx_linux();
	fill(SECURE_RAM, 256, 9);
	errors = guest_errors();
	post(1, BUF(1), 256, 0);
	post(0, SECURE_RAM, 256, BAM_DESC_EOT);
	run();
	check_pipe_error(0, "DECERR", true, errors);
	assert_true(tzc400_denials(fx.tzc) > 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
	check_halted_until_reset(0);
}

/* Fault bam-desc-error: the first read of a data buffer gets SLVERR. */
static void test_fault_desc_error_halts_pipe(void **state)
{
	u64 errors;

	bam_fx_recreate_with_faults("bam-desc-error:1");
	bam_fx_linux();
	fill(BUF(0), 256, 3);
	errors = guest_errors();
	post(1, BUF(1), 256, 0);
	post(0, BUF(0), 256, BAM_DESC_EOT);
	run();
	check_pipe_error(0, "SLVERR", true, errors);
	assert_int_equal(sim_fault_fired(fx.sim, FAULT_BAM_DESC_ERROR), 1);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 0);
	assert_true(rd(BAM_IRQ_STTS, 0) & BAM_IRQ_HRESP_ERR);
}

/* Fault bam-irq-drop: the descriptor retires, its interrupt never comes. */
static void test_fault_irq_drop_loses_interrupt(void **state)
{
	bam_fx_recreate_with_faults("bam-irq-drop:1");
	bam_fx_linux();
	fill(BUF(0), 256, 4);
	post(1, BUF(1), 256, BAM_DESC_INT | BAM_DESC_EOT);
	post(0, BUF(0), 256, BAM_DESC_INT | BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 1);
	assert_memory_equal(host(BUF(1), 256), host(BUF(0), 256), 256);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), 0);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 1), 0);
	assert_false(ee_irq(LINUX_EE));
	assert_int_equal(sim_fault_fired(fx.sim, FAULT_BAM_IRQ_DROP), 2);
}

/* The same buffer through a pipe of the secure EE: a secure master, allowed. */
static void test_tzc_allows_secure_ee_pipe(void **state)
{
	tzc_setup(TZC400_ACTION_DECERR);
	bam_fx_linux();
	bam_fx_secure_pair();
	fill(SECURE_RAM, 256, 10);
	queue(3, SECURE_RAM + 0x1000, 256, BAM_DESC_INT);
	kick_as(&cpu_s, 3);
	queue(2, SECURE_RAM, 256, BAM_DESC_EOT);
	kick_as(&cpu_s, 2);
	run();
	assert_int_equal(hw_index_as(&cpu_s, 2), 1);
	assert_int_equal(hw_index_as(&cpu_s, 3), 1);
	assert_memory_equal(host(SECURE_RAM + 0x1000, 256), host(SECURE_RAM, 256), 256);
	assert_int_equal(tzc400_denials(fx.tzc), 0);
	assert_string_equal(bam_pipe_error(fx.bam, 2), "");
}

/* The descriptor FIFO itself in secure memory: the fetch is denied. */
static void test_tzc_denies_descriptor_fetch(void **state)
{
	u64 errors;

	tzc_setup(TZC400_ACTION_DECERR);
	bam_fx_linux();
	wr(BAM_P_DESC_FIFO_ADDR, 0, (u32)SECURE_RAM);
	errors = guest_errors();
	post(0, BUF(0), 64, 0);
	run();
	check_pipe_error(0, "descriptor fetch", true, errors);
	check_halted_until_reset(0);
}

/* A TZC that answers denials with OKAY: reads give zeros, writes vanish, no error. */
static void test_tzc_okay_denial_is_silent(void **state)
{
	tzc_setup(TZC400_ACTION_OKAY);
	bam_fx_linux();
	fill(SECURE_RAM, 256, 11);
	memset(host(BUF(1), 256), 0xff, 256);
	post(1, BUF(1), 256, 0);
	post(0, SECURE_RAM, 256, 0);
	run();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 1);
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(host(BUF(1), 256)[i], 0);

	fill(BUF(0), 256, 12);
	memset(host(SECURE_RAM + 0x1000, 256), 0xee, 256);
	post(1, SECURE_RAM + 0x1000, 256, 0);
	post(0, BUF(0), 256, 0);
	run();
	assert_int_equal(hw_index(1), 2);
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(host(SECURE_RAM + 0x1000, 256)[i], 0xee);
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
	assert_string_equal(bam_pipe_error(fx.bam, 1), "");
	assert_int_equal(rd(BAM_IRQ_STTS, 0), 0);
	assert_true(tzc400_denials(fx.tzc) > 0);
}

/* ---- errors never crash ---- */

/* The 24-bit command address of this BAM's own register @r of pipe 0. */
static u32 own_reg_ce(enum bam_reg r)
{
	return (u32)((BAM_BASE + bam_reg_offset(fx.v, r, 0, 0)) & 0xffffff);
}

/* P_FIFO_SIZES cleared under a posted descriptor: an error, not a crash. */
static void test_fifo_size_cleared_under_pending_descriptor(void **state)
{
	u64 errors;

	bam_fx_linux();
	wr(BAM_P_HALT, 0, BAM_P_HALT_HALT);
	post(0, BUF(0), 64, BAM_DESC_INT);
	wr(BAM_P_FIFO_SIZES, 0, 0);
	errors = guest_errors();
	wr(BAM_P_HALT, 0, 0);
	run();
	assert_string_not_equal(bam_pipe_error(fx.bam, 0), "");
	check_pipe_error(0, "", false, errors);
}

/* A command element that clears its own pipe's P_FIFO_SIZES: an error, not a crash. */
static void test_ce_clears_own_fifo_size(void **state)
{
	u64 errors;

	bam_fx_linux();
	errors = guest_errors();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, own_reg_ce(BAM_P_FIFO_SIZES), 0, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD);
	run();
	assert_string_not_equal(bam_pipe_error(fx.bam, 0), "");
	check_pipe_error(0, "", false, errors);
}

/*
 * A command element that resets the BAM it runs on (CTRL.SW_RST): the pipe
 * is reset under its own descriptor, which then must not retire.
 */
static void test_ce_sw_rst_of_own_bam(void **state)
{
	bam_fx_linux();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, own_reg_ce(BAM_CTRL), BAM_CTRL_SW_RST, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD | BAM_DESC_INT);
	run();
	assert_int_equal(rd(BAM_CTRL, 0), BAM_CTRL_SW_RST);
	assert_int_equal(rd(BAM_P_SW_OFSTS, 0), 0);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), 0);
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 0);
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
}

/* Likewise for the pipe's own P_RST. */
static void test_ce_reset_of_own_pipe(void **state)
{
	bam_fx_linux();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, own_reg_ce(BAM_P_RST), BAM_P_RST_RESET, 0xffffffff);
	post(0, CE_ADDR(0), 16, BAM_DESC_CMD | BAM_DESC_INT);
	run();
	assert_int_equal(rd(BAM_P_RST, 0), BAM_P_RST_RESET);
	assert_int_equal(rd(BAM_P_SW_OFSTS, 0), 0);
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), 0);
	assert_int_equal(bam_pipe_retired(fx.bam, 0), 0);
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
}

/* ---- recovery and isolation ---- */

static void test_sw_rst_clears_pipe_error(void **state)
{
	bam_fx_linux();
	post(0, BUF(0), 0, 0);
	run();
	assert_string_not_equal(bam_pipe_error(fx.bam, 0), "");
	bam_fx_linux();
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
	assert_int_equal(rd(BAM_IRQ_STTS, 0), 0);
	assert_false(ee_irq(LINUX_EE));
	post(0, BUF(0), 64, 0);
	run();
	assert_int_equal(hw_index(0), 1);
}

/* An error halts its pipe only. */
static void test_error_leaves_other_pipes_running(void **state)
{
	bam_fx_linux();
	pipe_init(4, false);
	pipe_init(5, true);
	fill(BUF(4), 512, 13);
	post(0, BUF(0), 0, 0);
	post(5, BUF(5), 512, 0);
	post(4, BUF(4), 512, BAM_DESC_EOT);
	run();
	assert_string_not_equal(bam_pipe_error(fx.bam, 0), "");
	assert_int_equal(hw_index(4), 1);
	assert_int_equal(hw_index(5), 1);
	assert_memory_equal(host(BUF(5), 512), host(BUF(4), 512), 512);
	assert_string_equal(bam_pipe_error(fx.bam, 4), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BAM_TEST(test_size_zero),
		BAM_TEST(test_command_size_not_multiple_of_16),
		BAM_TEST(test_lock_on_data_descriptor),
		BAM_TEST(test_unlock_on_data_descriptor),
		BAM_TEST(test_nested_lock),
		BAM_TEST(test_unlock_when_free),
		BAM_TEST(test_unlock_by_non_holder),
		BAM_TEST(test_ce_address_zero),
		BAM_TEST(test_ce_unknown_command),
		BAM_TEST(test_ce_write_to_unmapped_register),
		BAM_TEST(test_ce_read_of_unmapped_register),
		BAM_TEST(test_ce_refused_by_register),
		BAM_TEST(test_ce_fetch_outside_ram),
		BAM_TEST(test_evnt_reg_not_multiple_of_8),
		BAM_TEST(test_evnt_reg_beyond_fifo),
		BAM_TEST(test_evnt_reg_without_fifo),
		BAM_TEST(test_descriptor_fetch_outside_ram),
		BAM_TEST(test_consumer_buffer_outside_ram),
		BAM_TEST(test_consumer_buffer_past_end_of_ram),
		BAM_TEST(test_producer_buffer_outside_ram),
		BAM_TEST(test_tzc_denial_is_hresp_error),
		BAM_TEST(test_fault_desc_error_halts_pipe),
		BAM_TEST(test_fault_irq_drop_loses_interrupt),
		BAM_TEST(test_tzc_allows_secure_ee_pipe),
		BAM_TEST(test_tzc_denies_descriptor_fetch),
		BAM_TEST(test_tzc_okay_denial_is_silent),
		BAM_TEST(test_fifo_size_cleared_under_pending_descriptor),
		BAM_TEST(test_ce_clears_own_fifo_size),
		BAM_TEST(test_ce_sw_rst_of_own_bam),
		BAM_TEST(test_ce_reset_of_own_pipe),
		BAM_TEST(test_sw_rst_clears_pipe_error),
		BAM_TEST(test_error_leaves_other_pipes_running),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
